"""`luoshi align UPPER LOWER`: align a lower-level plan with an upper-level plan (对标对表).

Thin: load both plans (bundled sample name, outline JSON/YAML or document) and, when given,
their indicator tables (CSV/XLSX, checked by luoshi.indicators), call
luoshi.matching.align.align_plans, write JSON, Markdown or XLSX. Output files are written whole
or not at all (a temporary file is renamed into place).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from luoshi.cli import app
from luoshi.cli.options import Formats
from luoshi.cli.output import emit
from luoshi.errors import LuoshiError
from luoshi.matching.align_samples import SAMPLES, load_plan

if TYPE_CHECKING:
    from luoshi.matching.align_feedback import AlignFeedback

FORMATS = Formats({"json": (".json",), "markdown": (".md", ".markdown"), "xlsx": (".xlsx",)})


def _feedback(path: Path | None) -> AlignFeedback | None:
    from luoshi.matching.align_feedback import AlignFeedback

    if path is None:
        return None
    try:
        return AlignFeedback.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError) as exc:
        raise LuoshiError(f"无法读取人工判断文件 cannot read feedback: {exc}", str(path)) from exc


@app.command("align")
def align_command(
    upper: Annotated[str, typer.Argument(help=f"上级规划:文件或内置样例 ({', '.join(SAMPLES)}).")],
    lower: Annotated[str, typer.Argument(help=f"下级规划:文件或内置样例 ({', '.join(SAMPLES)}).")],
    fmt: Annotated[str | None, FORMATS.option()] = None,
    out: Annotated[
        Path | None, typer.Option("-o", "--output", help="输出文件 output file.")
    ] = None,
    feedback: Annotated[
        Path | None,
        typer.Option("--feedback", help="人工确认/否决的配对 JSON (confirmed/rejected pairs)."),
    ] = None,
    upper_indicators: Annotated[
        Path | None,
        typer.Option("--upper-indicators", help="上级指标表 CSV/XLSX (upper indicator table)."),
    ] = None,
    lower_indicators: Annotated[
        Path | None,
        typer.Option("--lower-indicators", help="下级指标表 CSV/XLSX (lower indicator table)."),
    ] = None,
) -> None:
    """对标对表 Align a lower-level plan with an upper-level plan.

    上级规划的每项目标、任务、指标在下级规划中的落实情况。For every upper node: the best
    lower nodes, the gaps, the indicators and proposed targets.
    """
    fmt = FORMATS.choose(fmt, out)
    if fmt == "xlsx" and out is None:
        raise LuoshiError("xlsx 格式需要 -o 输出文件 (xlsx needs -o OUT)", "--format")
    from luoshi.indicators import read_indicators
    from luoshi.matching.align import align_plans
    from luoshi.matching.align_export import to_markdown, to_xlsx

    up, low = load_plan(upper), load_plan(lower)
    if upper_indicators is not None:
        up.indicators = [i.to_dict() for i in read_indicators(upper_indicators)]
    if lower_indicators is not None:
        low.indicators = [i.to_dict() for i in read_indicators(lower_indicators)]
    result = align_plans(up, low, _feedback(feedback)).to_dict()
    if fmt == "json":
        data = (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif fmt == "markdown":
        data = to_markdown(result).encode("utf-8")
    else:
        data = to_xlsx(result)
    emit(out, data)
