"""`luoshi assign TASKS`: every input kind, every output format, learning, and bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import Workbook, load_workbook

from luoshi.documents import parse_file

SPEECH = (
    Path(__file__).parents[2] / "src" / "luoshi" / "data" / "samples" / "city-15th-fyp-speech.txt"
)
HEADER = ["序号", "重点任务", "具体举措", "牵头单位", "配合单位", "完成时限"]


@pytest.fixture
def run(run_luoshi: Callable[..., Any]) -> Callable[..., Any]:
    """Run `luoshi assign ARGS`."""
    return lambda *args: run_luoshi("assign", *args)


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_json_for_the_sample_speech(run: Callable[..., Any]) -> None:
    result = run(SPEECH)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert len(data) >= 80
    assert all({"task", "lead", "cooperate", "reason"} <= set(row) for row in data)
    water = next(row for row in data if row["task"].startswith("打好碧水保卫战"))
    assert water["lead"][0]["unit"] == "市生态环境局"
    assert water["key_task"].startswith("持续深入打好污染防治攻坚战")


def test_outline_json_gives_the_same_tasks_as_the_document(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    outline = tmp_path / "speech.json"
    outline.write_text(json.dumps(parse_file(SPEECH).to_dict(), ensure_ascii=False), "utf-8")
    from_outline = json.loads(run(outline).out)
    from_document = json.loads(run(SPEECH).out)
    assert from_outline == from_document


def test_jsonl_with_the_national_catalog(run: Callable[..., Any], tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "t.jsonl", [{"task": "深入打好蓝天保卫战"}, {"task": "建设全国统一大市场"}]
    )
    data = json.loads(run(path, "--catalog", "national").out)
    assert [row["lead"][0]["unit"] for row in data] == ["生态环境部", "国家发展改革委"]


def test_custom_catalog_file(run: Callable[..., Any], tmp_path: Path) -> None:
    catalog = tmp_path / "district.yaml"
    catalog.write_text(
        "units:\n  - {name: 区环保所, responsibilities: 大气污染防治和水污染防治}\n"
        "  - {name: 区建设所, responsibilities: 老旧小区改造和市政道路}\n",
        encoding="utf-8",
    )
    path = _jsonl(tmp_path / "t.jsonl", [{"task": "打好碧水保卫战"}])
    data = json.loads(run(path, "--catalog", catalog).out)
    assert data[0]["lead"][0]["unit"] == "区环保所"


def test_xlsx_table_correction_and_feedback(run: Callable[..., Any], tmp_path: Path) -> None:
    tasks = _jsonl(
        tmp_path / "t.jsonl",
        [
            {"task": "加快发展冷链物流,建设骨干冷链物流基地。", "key_task": "发展现代物流"},
            {"task": "打好净土保卫战。", "deadline": "2027年底前"},
        ],
    )
    table = tmp_path / "table.xlsx"
    assert run(tasks, "-f", "xlsx", "-o", table, "--title", "物流任务分工").code == 0
    book = load_workbook(table)
    sheet = book["任务分工"]
    assert sheet["A1"].value == "物流任务分工"
    assert [c.value for c in sheet[2]] == HEADER
    first, second = ([c.value for c in row] for row in sheet.iter_rows(min_row=3))
    assert first[:3] == [1, "发展现代物流", "加快发展冷链物流,建设骨干冷链物流基地。"]
    assert first[3] != "市商务局" and first[5] == "持续推进"
    assert second[3] == "市生态环境局" and second[5] == "2027年底前"
    assert book["建议理由"]["C2"].value.startswith("牵头")

    # A planner corrects the lead of row 1 and runs the table again with a feedback file.
    sheet["D3"] = "市商务局"
    book.save(table)
    memory = tmp_path / "memory.json"
    again = tmp_path / "again.xlsx"
    assert run(table, "-f", "xlsx", "-o", again, "--feedback", memory).code == 0
    assert load_workbook(again)["任务分工"]["D3"].value == "市商务局"
    assert load_workbook(again)["建议理由"]["C2"].value.startswith("人工确定")
    assert json.loads(memory.read_text("utf-8"))["decisions"][0]["lead"] == ["市商务局"]

    # The remembered correction now decides a similar new task.
    similar = _jsonl(tmp_path / "new.jsonl", [{"task": "完善城乡冷链物流网络,建设冷链物流基地。"}])
    data = json.loads(run(similar, "--feedback", memory).out)
    assert data[0]["lead"][0]["unit"] == "市商务局"
    assert "参照已确认的相似任务" in data[0]["reason"]


def test_docx_table(run: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "table.docx"
    assert run(SPEECH, "-f", "docx", "-o", out).code == 0
    document = Document(str(out))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADER
    assert len(table.rows) >= 81
    assert document.sections[0].page_width > document.sections[0].page_height


def _broken_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "filled.xlsx"
    book = Workbook()
    book.active.append(["具体举措", "牵头单位"])
    book.active.append(["推进城市更新", "市宇宙局"])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("make", "extra", "message"),
    [
        (lambda p: _jsonl(p / "t.jsonl", [{"task": "甲"}]).parent / "none.jsonl", [], "找不到文件"),
        (
            lambda p: (p / "t.jsonl").write_text('{"task": "甲"}\n{oops\n') and p / "t.jsonl",
            [],
            "第2行",
        ),
        (lambda p: _jsonl(p / "t.jsonl", [{"text": "甲"}]), [], "缺少 task"),
        (lambda p: _jsonl(p / "t.jsonl", [{"task": "甲"}]), ["-f", "xlsx"], "需要用 -o"),
        (
            lambda p: _jsonl(p / "t.jsonl", [{"task": "甲"}]),
            ["--catalog", "provincial"],
            "找不到目录文件",
        ),
        (_broken_xlsx, [], "第1条任务: 目录中没有这些单位 unknown units: 市宇宙局"),
        (lambda p: (p / "x.json").write_text("[1, 2]") and p / "x.json", [], "x.json: "),
        (lambda p: (p / "x.json").write_text("{oops") and p / "x.json", [], "不是 luoshi parse"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    run: Callable[..., Any],
    tmp_path: Path,
    make: Callable[[Path], Path],
    extra: list[str],
    message: str,
) -> None:
    result = run(make(tmp_path), *extra)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_failed_write_leaves_nothing(run: Callable[..., Any], tmp_path: Path) -> None:
    tasks = _jsonl(tmp_path / "t.jsonl", [{"task": "打好碧水保卫战"}])
    result = run(tasks, "-f", "xlsx", "-o", tmp_path / "missing" / "table.xlsx")
    assert result.code == 2 and "无法写入" in result.err
    assert not (tmp_path / "missing").exists()


def test_binary_file_as_tasks(run: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "tasks.txt"
    path.write_bytes(bytes(range(256)) * 40)
    result = run(path)
    assert result.code == 2 and "tasks.txt" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_table_with_merged_key_tasks_and_a_half_filled_row(
    run: Callable[..., Any], tmp_path: Path
) -> None:
    path = tmp_path / "table.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["某区重点任务分工"])
    sheet.append(HEADER)
    sheet.append([1, "打好污染防治攻坚战", "打好碧水保卫战。", None, None, None])
    sheet.append([2, None, "打好净土保卫战。", None, None, None])
    book.save(path)
    data = json.loads(run(path).out)
    assert [row["key_task"] for row in data] == ["打好污染防治攻坚战"] * 2

    sheet.append([3, None, None, "市财政局", None, None])
    book.save(path)
    result = run(path)
    assert result.code == 2
    assert "table.xlsx 工作表 Sheet 第5行 列 具体举措: 填了单位但没有任务内容" in result.err
