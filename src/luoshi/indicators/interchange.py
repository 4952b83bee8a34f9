"""Interchange files of METHOD.md §3: indicator tables and observations as CSV or XLSX.

CSV may be UTF-8, UTF-8 with BOM or GB18030; XLSX holds sheets `indicators` and
`observations` (or 指标 / 观测值). Headers may be English or the Chinese a planning office
types. Every bad cell becomes one CellProblem naming file, sheet, row and column, and a file
with any problem raises TableError: nothing from it is used.

Observations are checked column by column with Polars, so a million rows stay fast.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from luoshi.errors import CellProblem, TableError
from luoshi.indicators.model import (
    INDICATOR_SCHEMA,
    OBSERVATION_SCHEMA,
    IndicatorTable,
    Observations,
)
from luoshi.indicators.rules import kinds, statuses

# Header aliases: canonical name -> names accepted in a file (compared without case/spaces).
INDICATOR_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("code", "代码", "指标代码", "编码"),
    "name": ("name", "指标名称", "名称", "指标"),
    "category": ("category", "类别", "分类", "领域"),
    "unit": ("unit", "单位"),
    "attribute": ("attribute", "属性", "指标属性"),
    "direction": ("direction", "方向"),
    "base_year": ("base_year", "基期年", "基期年份", "基年"),
    "base_value": ("base_value", "基期值", "基期"),
    "target_year": ("target_year", "目标年", "目标年份"),
    "kind": ("kind", "目标类型", "类型"),
    "target": ("target", "目标值"),
    "target_high": ("target_high", "目标上限"),
    "benchmark": ("benchmark", "对标指标", "对标"),
    "tolerance": ("tolerance", "容差"),
    "target_text": ("target_text", "目标表述", "表述"),
    "source_department": ("source_department", "来源部门", "数据来源部门", "责任部门"),
    "library_code": ("library_code", "标准指标", "标准指标代码"),
}
OBSERVATION_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("code", "代码", "指标代码", "编码"),
    "region": ("region", "地区", "区域", "行政区"),
    "year": ("year", "年份", "年度", "年"),
    "value": ("value", "数值", "值", "观测值", "实际值"),
    "annual_target": ("annual_target", "年度目标"),
    "judgement": ("judgement", "评估结论", "判定"),
    "source": ("source", "来源", "数据来源"),
    "note": ("note", "备注", "说明"),
}
# A table file is read into memory whole; beyond this size it should be split (e.g. by year).
MAX_TABLE_BYTES = 2 * 2**30
INDICATOR_REQUIRED = ("code", "name", "base_year", "target_year", "kind")
OBSERVATION_REQUIRED = ("code", "year")
SHEETS = {
    "indicators": ("indicators", "指标"),
    "observations": ("observations", "观测值", "监测数据"),
}

ATTRIBUTE_WORDS = {
    "预期性": "expected",
    "expected": "expected",
    "预期": "expected",
    "": "expected",
    "约束性": "binding",
    "binding": "binding",
    "约束": "binding",
}
DIRECTION_WORDS = {
    "up": "up",
    "正向": "up",
    "↑": "up",
    "越大越好": "up",
    "+": "up",
    "": "up",
    "down": "down",
    "逆向": "down",
    "负向": "down",
    "↓": "down",
    "越小越好": "down",
    "-": "down",
}
# Characters planners type around a number: [13.5], >6.5, 7%以上, ≤5.5
_NUMBER_DECOR = re.compile(r"^[\[\[【(>≥<≤约]*\s*|\s*[\]\]】)%%]*\s*(以上|以内|以下|左右)?$")


def _judgement_words() -> dict[str, str]:
    """Status codes and labels a person may record for a qualitative target."""
    words: dict[str, str] = {}
    for code, st in statuses().items():
        if code != "not_evaluable":
            words |= {code: code, st.zh: code, st.en: code, st.en.lower(): code}
    return words


def _key(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).lstrip("\ufeff").lower()


def _column_map(headers: Sequence[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """canonical name -> header as written in the file."""
    lookup = {_key(a): canon for canon, names in aliases.items() for a in names}
    found: dict[str, str] = {}
    for h in headers:
        canon = lookup.get(_key(h))
        if canon and canon not in found:
            found[canon] = h
    return found


def parse_number(text: str) -> float:
    """A number as a planner types it: '7', '7%', '[13.5]', '>6.5', '5.5以内' -> float."""
    try:
        value = float(text)  # the common case: a plain number
    except ValueError:
        value = float(_NUMBER_DECOR.sub("", text.strip()).replace(",", ""))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


# ---------------------------------------------------------------- reading files


def _decode(data: bytes, file: str) -> bytes:
    """CSV bytes as UTF-8 (BOM stripped); GB18030 is re-encoded; binary is refused."""
    if b"\x00" in data[:4096]:
        raise TableError(
            [CellProblem(file, None, None, None, "不是文本表格文件(含二进制内容) not a text table")]
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableError(
            [
                CellProblem(
                    file,
                    None,
                    None,
                    None,
                    f"无法识别编码(应为 UTF-8 或 GB18030)，第{exc.start}字节 unknown encoding",
                )
            ]
        ) from None


def _file_bytes(path: Path) -> bytes:
    """The file's bytes as stored; a file beyond MAX_TABLE_BYTES is refused."""
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        limit = f"{size / 2**30:.1f} GiB，上限 {MAX_TABLE_BYTES / 2**30:g} GiB"
        msg = f"文件过大({limit})，请按年份拆分 file too large"
        raise TableError([CellProblem(path.name, None, None, None, msg)])
    return path.read_bytes()


def _csv_bytes(path: Path, raw: bytes | None = None) -> bytes:
    data = _decode(_file_bytes(path) if raw is None else raw, path.name)
    if not data.strip():
        raise TableError([CellProblem(path.name, None, None, None, "文件为空 empty file")])
    return data


def _read_csv(path: Path, data: bytes | None = None) -> pl.DataFrame:
    data = _csv_bytes(path) if data is None else data
    try:
        return pl.read_csv(io.BytesIO(data), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        problems = _ragged_rows(data, path.name)
        if not problems:
            first = str(exc).splitlines()[0]
            problems = [
                CellProblem(path.name, None, None, None, f"CSV 格式错误 malformed CSV: {first}")
            ]
        raise TableError(problems) from None


def _ragged_rows(data: bytes, file: str) -> list[CellProblem]:
    """Rows whose number of fields differs from the header, or an unclosed quote."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    problems = []
    try:
        header = next(reader, [])
        start = reader.line_num + 1
        for fields in reader:
            if fields and len(fields) != len(header):
                problems.append(
                    CellProblem(
                        file,
                        None,
                        start,
                        None,
                        f"有{len(fields)}个字段，表头有{len(header)}列 "
                        f"{len(fields)} fields, the header has {len(header)}",
                    )
                )
            start = reader.line_num + 1
    except csv.Error:
        problems.append(CellProblem(file, None, start, None, "引号未闭合 unclosed quote"))
    return problems


def _read_xlsx(path: Path, table: str) -> tuple[pl.DataFrame, str]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise TableError(
            [
                CellProblem(
                    path.name, None, None, None, f"无法打开 Excel 文件 cannot open workbook: {exc}"
                )
            ]
        ) from None
    try:
        names = {_key(n): n for n in book.sheetnames}
        sheet = next((names[_key(s)] for s in SHEETS[table] if _key(s) in names), None)
        if sheet is None:
            wanted = " / ".join(SHEETS[table])
            raise TableError(
                [CellProblem(path.name, None, None, None, f"缺少工作表 {wanted} missing sheet")]
            )
        rows = book[sheet].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise TableError([CellProblem(path.name, sheet, 1, None, "工作表为空 empty sheet")])
        names_row = [("" if h is None else str(h)).strip() for h in header]
        body = [
            [_cell_text(v) for v in r[: len(names_row)]]
            for r in rows
            if any(v is not None for v in r)
        ]
    finally:
        book.close()
    cols = {
        n or f"column{i + 1}": [r[i] if i < len(r) else None for r in body]
        for i, n in enumerate(names_row)
    }
    return pl.DataFrame(cols, schema={k: pl.String() for k in cols}), sheet


def _cell_text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _is_csv(p: Path) -> bool:
    """A text table (not a workbook); refuses a missing file with a clear message."""
    if not p.is_file():
        raise TableError([CellProblem(str(p), None, None, None, "文件不存在 file not found")])
    with p.open("rb") as fh:
        magic = fh.read(4)
    return not (magic.startswith(b"PK") or p.suffix.lower() in (".xlsx", ".xlsm"))


def _read_raw(path: str | Path, table: str) -> tuple[pl.DataFrame, str, str | None]:
    p = Path(path)
    if not _is_csv(p):
        frame, sheet = _read_xlsx(p, table)
        return frame, p.name, sheet
    return _read_csv(p), p.name, None


def read_indicators(path: str | Path) -> IndicatorTable:
    """Read and check an indicator table from CSV or the `indicators` sheet of an XLSX file."""
    raw, file, sheet = _read_raw(path, "indicators")
    return _indicators(raw, file, sheet)


def read_observations(path: str | Path, indicators: IndicatorTable | None = None) -> Observations:
    """Read and check observations; with `indicators`, unknown codes are bad rows too."""
    p = Path(path)
    if _is_csv(p):
        raw = _file_bytes(p)
        fast = _fast_observations(raw, indicators)
        if fast is not None:
            return fast
        return _observations(_read_csv(p, _csv_bytes(p, raw)), p.name, None, indicators)
    raw, file, sheet = _read_raw(path, "observations")
    return _observations(raw, file, sheet, indicators)


def _fast_observations(data: bytes, indicators: IndicatorTable | None) -> Observations | None:
    """Typed read of a clean UTF-8 CSV; None when anything looks wrong (the full check then runs).

    The full check (`_observations`) is the authority and names every bad cell; this path only
    spares a million clean rows the cell-by-cell string work. Every check here is one
    vectorised pass (Polars refuses bytes that are not UTF-8); the dense keys built for the
    duplicate check are kept for the engine.
    """
    if b"\x00" in data[:4096]:
        return None
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        first_line = data[: data.find(b"\n") + 1 or len(data)].decode("utf-8")
        header = next(csv.reader([first_line]), [])
    except UnicodeDecodeError:
        return None
    cmap = _column_map(header, OBSERVATION_HEADERS)
    if not {"code", "year", "value"} <= cmap.keys() or len(set(cmap.values())) != len(cmap):
        return None
    types = {"year": pl.Int32, "value": pl.Float64, "annual_target": pl.Float64}
    schema = {h: types.get(c, pl.String) for c, h in cmap.items()}
    try:
        df = pl.read_csv(data, infer_schema=False, schema_overrides=schema, columns=list(schema))
    except pl.exceptions.PolarsError:
        return None
    df = df.select([pl.col(h).alias(c) for c, h in cmap.items()])
    some = pl.col("value").is_not_null()
    for c in ("annual_target", "judgement"):
        if c in cmap:
            some = some | pl.col(c).is_not_null()
    bad = [
        pl.col("code").is_null().any(),
        pl.col("year").is_null().any(),
        ((pl.col("year") < 1900) | (pl.col("year") > 2200)).any(),
        (~some).any(),
        pl.col("value").is_infinite().any() | pl.col("value").is_nan().any(),
    ]
    if df.height == 0 or any(df.select(pl.any_horizontal(bad)).row(0)):
        return None
    if "judgement" in cmap:
        words = _judgement_words()
        written = df["judgement"].drop_nulls().unique().to_list()
        if any(w not in words for w in written):
            return None
        if any(words[w] != w for w in written):
            df = df.with_columns(pl.col("judgement").replace_strict(words, default=None))
    obs = Observations(df)
    codes = indicators.codes() if indicators is not None else None
    if codes is not None and (obs.index(codes).code < 0).any():  # an unknown code
        return None
    if obs.has_duplicates(codes):
        return None
    return obs


# ---------------------------------------------------------------- checking rows


def indicators_from_records(
    records: list[Mapping[str, Any]], *, file: str, sheet: str | None
) -> IndicatorTable:
    """Check plain rows of an indicator table (see `IndicatorTable.from_rows`); [] is empty."""
    if not records:
        return IndicatorTable(pl.DataFrame(schema=INDICATOR_SCHEMA))
    return _indicators(_records_frame(records), file, sheet)


def observations_from_records(
    records: list[Mapping[str, Any]], *, file: str, sheet: str | None
) -> Observations:
    """Check plain rows of observations (see `Observations.from_rows`); [] is empty."""
    if not records:
        return Observations(pl.DataFrame(schema=OBSERVATION_SCHEMA))
    return _observations(_records_frame(records), file, sheet, None)


def _records_frame(records: list[Mapping[str, Any]]) -> pl.DataFrame:
    keys: list[str] = []
    for r in records:
        keys.extend(k for k in r if k not in keys)
    cols = {k: [None if r.get(k) is None else _cell_text(r.get(k)) for r in records] for k in keys}
    return pl.DataFrame(cols, schema={k: pl.String() for k in keys})


def _missing_columns(
    cmap: dict[str, str],
    required: Sequence[str],
    aliases: Mapping[str, tuple[str, ...]],
    file: str,
    sheet: str | None,
) -> list[CellProblem]:
    return [
        CellProblem(
            file,
            sheet,
            1,
            aliases[c][0],
            f"缺少必需列 {aliases[c][0]}({aliases[c][1]}) missing required column",
        )
        for c in required
        if c not in cmap
    ]


_DIRECTION_FIXED = {
    "at_most": "down",
    "at_least": "up",
    "avg_rate_at_least": "up",
    "avg_rate_in_range": "up",
    "cumulative_reduction": "up",
    "rate_above": "up",
    "rate_in_step": "up",
}


class _RowChecker:
    """Checks one indicator row and collects its problems."""

    def __init__(
        self, cell: dict[str, str], where: tuple[str, str | None, int], cmap: dict[str, str]
    ):
        self.cell = cell
        self.file, self.sheet, self.row_no = where
        self.cmap = cmap
        self.problems: list[CellProblem] = []

    def bad(self, col: str, msg: str) -> None:
        self.problems.append(
            CellProblem(self.file, self.sheet, self.row_no, self.cmap.get(col, col), msg)
        )

    def number(self, col: str) -> float | None:
        text = self.cell.get(col, "")
        if not text:
            return None
        try:
            return parse_number(text)
        except ValueError:
            self.bad(col, f"应为数字，实际为“{text}” expected a number")
            return None

    def year(self, col: str) -> int | None:
        text = self.cell.get(col, "")
        if not text:
            self.bad(col, "必填，不能为空 required")
            return None
        try:
            v = parse_number(text)
        except ValueError:
            v = math.nan
        if not v.is_integer() or not 1900 <= v <= 2200:
            self.bad(col, f"应为年份(如 2025)，实际为“{text}” expected a year")
            return None
        return int(v)

    def word(self, col: str, words: Mapping[str, str], expected: str) -> str | None:
        text = self.cell.get(col, "")
        value = words.get(text, words.get(text.lower()))
        if value is None:
            self.bad(col, f"应为 {expected}，实际为“{text}”")
        return value

    def check(self) -> dict[str, Any]:
        cell = self.cell
        row: dict[str, Any] = {c: cell.get(c, "") for c in _TEXT_COLUMNS}
        for c in ("code", "name", "kind"):
            if not cell.get(c):
                self.bad(c, "必填，不能为空 required")
        kind = None
        if cell.get("kind"):
            kind = self.word("kind", _kind_words(), _KIND_EXPECTED)
        row["kind"] = kind or ""
        row["attribute"] = (
            self.word("attribute", ATTRIBUTE_WORDS, "预期性/约束性 (expected/binding)")
            or "expected"
        )
        direction = self.word("direction", DIRECTION_WORDS, "up/down (正向/逆向)") or "up"
        row["direction"] = _DIRECTION_FIXED.get(kind or "", direction)
        row["base_year"] = self.year("base_year")
        row["target_year"] = self.year("target_year")
        for c in ("base_value", "target", "target_high", "tolerance"):
            row[c] = self.number(c)
        if row["base_year"] and row["target_year"] and row["target_year"] <= row["base_year"]:
            self.bad(
                "target_year", f"目标年应晚于基期年({row['base_year']}) must be after base_year"
            )
        for need in kinds()[kind].needs if kind else ():
            if need in ("target", "target_high", "base_value") and not cell.get(need):
                self.bad(need, f"目标类型 {kind} 需要填写此列 required for kind {kind}")
            if need == "benchmark" and not cell.get("benchmark"):
                self.bad("benchmark", f"目标类型 {kind} 需要对标指标代码 required for kind {kind}")
        low, high = row["target"], row["target_high"]
        if kind == "avg_rate_in_range" and low is not None and high is not None and high < low:
            self.bad("target_high", f"目标上限小于目标值({fmt_plain(low)}) must be ≥ target")
        if row["tolerance"] is not None and row["tolerance"] < 0:
            self.bad("tolerance", "容差不能为负 must not be negative")
        return row


def fmt_plain(v: float) -> str:
    """A number without a trailing .0."""
    return str(int(v)) if float(v).is_integer() else str(v)


@cache
def _kind_words() -> dict[str, str]:
    return {k: k for k in kinds()} | {v.zh: k for k, v in kinds().items()}


_KIND_EXPECTED = "目标类型 " + "/".join(kinds())
_TEXT_COLUMNS = tuple(c for c, t in INDICATOR_SCHEMA.items() if t == pl.String())


def _indicators(raw: pl.DataFrame, file: str, sheet: str | None) -> IndicatorTable:
    cmap = _column_map(raw.columns, INDICATOR_HEADERS)
    problems = _missing_columns(cmap, INDICATOR_REQUIRED, INDICATOR_HEADERS, file, sheet)
    if problems:
        raise TableError(problems)
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    names = list(cmap)
    for i, rec in enumerate(zip(*(raw[h].to_list() for h in cmap.values()), strict=True)):
        cell = {c: (v or "").strip() for c, v in zip(names, rec, strict=True)}
        checker = _RowChecker(cell, (file, sheet, i + 2), cmap)
        row = checker.check()
        code = row["code"]
        if code in seen:
            checker.bad("code", f"代码“{code}”重复(第{seen[code]}行已有) duplicate code")
        elif code:
            seen[code] = i + 2
        problems.extend(checker.problems)
        out.append(row)
    for i, row in enumerate(out):
        bench = row["benchmark"]
        msg = None
        if bench and bench not in seen:
            msg = f"对标指标“{bench}”不在本表中 unknown benchmark code"
        elif bench and bench == row["code"]:
            msg = "不能以自身为对标指标 benchmark is itself"
        if msg:
            problems.append(CellProblem(file, sheet, i + 2, cmap.get("benchmark"), msg))
    if problems:
        raise TableError(sorted(problems, key=lambda p: p.row or 0))
    if not out:
        raise TableError([CellProblem(file, sheet, None, None, "没有指标行 no indicator rows")])
    return IndicatorTable(pl.DataFrame(out, schema=INDICATOR_SCHEMA))


def _observations(
    raw: pl.DataFrame, file: str, sheet: str | None, indicators: IndicatorTable | None
) -> Observations:
    cmap = _column_map(raw.columns, OBSERVATION_HEADERS)
    problems = _missing_columns(cmap, OBSERVATION_REQUIRED, OBSERVATION_HEADERS, file, sheet)
    if "value" not in cmap and "judgement" not in cmap and "annual_target" not in cmap:
        problems.append(
            CellProblem(file, sheet, 1, "value", "缺少必需列 value(数值) missing required column")
        )
    if problems:
        raise TableError(problems)
    df = raw.select([pl.col(h).str.strip_chars().alias(c) for c, h in cmap.items()]).with_row_index(
        "_row", offset=2
    )
    df = df.with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in cmap]
    )
    checks: list[tuple[str, pl.Expr, pl.Expr]] = []  # (column, bad-row mask, message)

    def as_number(c: str) -> pl.Expr:
        return (
            pl.col(c).str.replace_all(",", "").str.strip_suffix("%").cast(pl.Float64, strict=False)
        )

    checks.append(("code", pl.col("code").is_null(), pl.lit("必填，不能为空 required")))
    year = pl.col("year").cast(pl.Float64, strict=False)
    checks.append(
        (
            "year",
            year.is_null() | (year != year.floor()) | (year < 1900) | (year > 2200),
            pl.format(
                "应为年份(如 2025)，实际为“{}” expected a year", pl.col("year").fill_null("")
            ),
        )
    )
    numeric = [c for c in ("value", "annual_target") if c in cmap]
    for c in numeric:
        parsed = as_number(c)
        checks.append(
            (
                c,
                pl.col(c).is_not_null()
                & (parsed.is_null() | parsed.is_infinite() | parsed.is_nan()),
                pl.format("应为数字，实际为“{}” expected a number", pl.col(c)),
            )
        )
    something = [
        pl.col(c).is_not_null() for c in ("value", "annual_target", "judgement") if c in cmap
    ]
    checks.append(
        (
            "value",
            ~pl.any_horizontal(something),
            pl.lit("数值为空(且无年度目标或评估结论) value is empty"),
        )
    )
    if "judgement" in cmap:
        checks.append(
            (
                "judgement",
                pl.col("judgement").is_not_null()
                & pl.col("judgement").replace_strict(_judgement_words(), default=None).is_null(),
                pl.format(
                    "应为评估状态(如 in_line / 基本符合预期)，实际为“{}” expected a status",
                    pl.col("judgement"),
                ),
            )
        )
    if indicators is not None:
        known = pl.Series(indicators.codes())
        checks.append(
            (
                "code",
                pl.col("code").is_not_null() & ~pl.col("code").is_in(known.implode()),
                pl.format("指标代码“{}”不在指标表中 unknown indicator code", pl.col("code")),
            )
        )
    problems_frames = [
        df.filter(mask).select(pl.col("_row"), msg.alias("msg"), pl.lit(col).alias("col"))
        for col, mask, msg in checks
    ]
    found = pl.concat(problems_frames).sort("_row")
    region = pl.col("region").fill_null("") if "region" in cmap else pl.lit("")
    dup = df.with_columns(region.alias("_region")).filter(
        pl.struct("code", "_region", "year").is_duplicated() & pl.col("code").is_not_null()
    )
    if dup.height:
        first = dup.group_by("code", "_region", "year", maintain_order=True).agg(
            pl.col("_row").min().alias("first"), pl.col("_row")
        )
        dups = first.explode("_row").filter(pl.col("_row") != pl.col("first"))
        found = pl.concat(
            [
                found,
                dups.select(
                    pl.col("_row"),
                    pl.format(
                        "与第{}行重复(同一指标、地区、年份) duplicate observation", pl.col("first")
                    ).alias("msg"),
                    pl.lit("year").alias("col"),
                ),
            ]
        ).sort("_row")
    if found.height:
        raise TableError(
            [
                CellProblem(file, sheet, int(r), cmap.get(c, c), m)
                for r, m, c in found.select("_row", "msg", "col").iter_rows()
            ]
        )
    if df.height == 0:
        raise TableError([CellProblem(file, sheet, None, None, "没有观测值行 no observation rows")])
    clean = df.select(
        [pl.col("code"), region.alias("region"), year.cast(pl.Int32).alias("year")]
        + [as_number(c).alias(c) for c in numeric]
        + [pl.col(c) for c in ("source", "note") if c in cmap]
        + (
            [pl.col("judgement").replace_strict(_judgement_words(), default=None)]
            if "judgement" in cmap
            else []
        )
    )
    return Observations(clean)


# ---------------------------------------------------------------- writing files


def xlsx_row(ws: Any, values: Sequence[Any]) -> list[Any]:
    """Cells for a write-only sheet; text that looks like a formula stays text."""
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for v in values:
        if isinstance(v, str) and v.startswith("="):
            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(v)
    return out


def write_tables(
    path: str | Path,
    indicators: IndicatorTable | None = None,
    observations: Observations | None = None,
) -> None:
    """Write an indicator table and/or observations: XLSX (both sheets) or CSV (one table)."""
    p = Path(path)
    frames = {}
    if indicators is not None:
        frames["indicators"] = indicators.frame
    if observations is not None:
        frames["observations"] = observations.frame
    if p.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        for name, frame in frames.items():
            ws = book.create_sheet(name)
            ws.append(frame.columns)
            for r in frame.iter_rows():
                ws.append(xlsx_row(ws, r))
        book.save(p)
        return
    if len(frames) != 1:
        raise ValueError("a CSV file holds exactly one table")
    (frame,) = frames.values()
    p.write_bytes(b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8"))


__all__ = [
    "INDICATOR_HEADERS",
    "OBSERVATION_HEADERS",
    "OBSERVATION_SCHEMA",
    "indicators_from_records",
    "observations_from_records",
    "parse_number",
    "read_indicators",
    "read_observations",
    "write_tables",
    "xlsx_row",
]
