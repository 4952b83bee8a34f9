"""An alignment as a planning office reads it: a Markdown page or an Excel workbook.

Both are built from `Alignment.to_dict()` (the JSON of `luoshi align`), so the three formats
always say the same thing. The workbook has one sheet per question: 对标结果 (every upper node
with its lower nodes), 未覆盖 (upper nodes nothing takes up), 未对应 (lower nodes nothing
anchors), 指标对标 and 指标缺口 (indicators the lower plan lacks, with proposed targets).
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

ROLE_ZH = {"goal": "目标", "task": "任务"}
_GAP_FILL = PatternFill("solid", fgColor="FDE2E1")
_HEAD_FONT = Font(bold=True)


def _cell(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str("" if text is None else text).replace("|", "/").replace("\n", " ")


def _num(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def to_markdown(data: dict[str, Any]) -> str:
    """The alignment JSON as a Markdown report (Chinese headings)."""
    s = data["summary"]
    lines = [
        f"# 对标对表:{data.get('lower_title') or '下级规划'}"
        f" ← {data.get('upper_title') or '上级规划'}",
        "",
        f"上级节点 {s['upper_nodes']} 个,已覆盖 {s['covered']} 个(覆盖率 {s['coverage']:.0%});"
        f"未覆盖 {s['uncovered']} 处,下级未对应 {s['unanchored']} 处。",
        "",
        "## 对标结果",
        "",
        "| 上级 | 类别 | 下级(得分) | 依据 |",
        "|---|---|---|---|",
    ]
    for m in data["matches"]:
        up = m["upper"]
        if not m["lower"]:
            lines.append(f"| {_cell(up['title'])} | {ROLE_ZH[up['role']]} | **未覆盖** | |")
            continue
        for k, low in enumerate(m["lower"]):
            head = _cell(up["title"]) if k == 0 else "〃"
            lines.append(
                f"| {head} | {ROLE_ZH[up['role']] if k == 0 else ''} | "
                f"{_cell(low['title'])}({low['score']:.2f}) | {_cell(low['reason'])} |"
            )
    lines += ["", "## 未覆盖的上级目标任务", ""]
    lines += [f"- {_cell(n['title'])}" for n in data["uncovered"]] or ["- 无"]
    lines += ["", "## 上级未对应的下级内容", ""]
    lines += [f"- {_cell(n['title'])}" for n in data["unanchored"]] or ["- 无"]
    ind = data.get("indicators")
    if ind:
        lines += [
            "",
            "## 指标对标",
            "",
            "| 上级指标 | 下级指标 | 依据 | 目标比较 |",
            "|---|---|---|---|",
        ]
        for p in ind["pairs"]:
            lines.append(
                f"| {_cell(p['upper']['name'])} | {_cell(p['lower']['name'])} | "
                f"{_cell(p['reason'])} | {_cell(p['target_reason'])} |"
            )
        lines += [
            "",
            "## 指标缺口与建议目标",
            "",
            "| 上级指标 | 建议目标 | 测算 |",
            "|---|---|---|",
        ]
        for g in ind["missing"]:
            pr = g["proposal"]
            target = " — ".join(v for v in (_num(pr["target"]), _num(pr["target_high"])) if v)
            lines.append(
                f"| {_cell(g['upper']['name'])} | {pr['kind']} {target}{pr['unit'] or ''} | "
                f"{_cell(pr['arithmetic'])} |"
            )
    return "\n".join(lines) + "\n"


def _safe(value: Any) -> Any:
    """Text that Excel would run as a formula (=, +, -, @ first) is kept as text."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = _HEAD_FONT
    for row in rows:
        ws.append([_safe(v) for v in row])
    for col, width in zip("ABCDEFGH", (36, 8, 36, 8, 60, 20, 20, 20), strict=False):
        ws.column_dimensions[col].width = width


def to_xlsx(data: dict[str, Any]) -> bytes:
    """The alignment JSON as an Excel workbook (bytes), gaps highlighted."""
    wb = Workbook()
    wb.remove(wb.active)
    rows: list[list[Any]] = []
    for m in data["matches"]:
        up = m["upper"]
        if not m["lower"]:
            rows.append([up["title"], ROLE_ZH[up["role"]], "(未覆盖)", None, None, up["id"], None])
        for low in m["lower"]:
            rows.append(
                [up["title"], ROLE_ZH[up["role"]], low["title"], low["score"], low["reason"],
                 up["id"], low["id"]]
            )  # fmt: skip
    _sheet(wb, "对标结果", ["上级", "类别", "下级", "得分", "依据", "上级编号", "下级编号"], rows)
    ws = wb["对标结果"]
    for row in ws.iter_rows(min_row=2):
        if row[2].value == "(未覆盖)":
            for cell in row:
                cell.fill = _GAP_FILL
    _sheet(
        wb, "未覆盖", ["上级编号", "类别", "上级目标任务"],
        [[n["id"], ROLE_ZH[n["role"]], n["title"]] for n in data["uncovered"]],
    )  # fmt: skip
    _sheet(
        wb, "未对应", ["下级编号", "类别", "下级内容"],
        [[n["id"], ROLE_ZH[n["role"]], n["title"]] for n in data["unanchored"]],
    )  # fmt: skip
    ind = data.get("indicators")
    if ind:
        _sheet(
            wb, "指标对标", ["上级指标", "下级指标", "关系", "依据", "目标比较"],
            [[p["upper"]["name"], p["lower"]["name"], p["relation"], p["reason"],
              p["target_reason"]] for p in ind["pairs"]],
        )  # fmt: skip
        _sheet(
            wb, "指标缺口",
            ["上级代码", "上级指标", "建议目标类型", "建议目标", "建议上限", "测算"],
            [[g["upper"]["code"], g["upper"]["name"], g["proposal"]["kind"],
              g["proposal"]["target"], g["proposal"]["target_high"], g["proposal"]["arithmetic"]]
             for g in ind["missing"]],
        )  # fmt: skip
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
