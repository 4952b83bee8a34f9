"""Department catalogs: the bundled ones are complete; custom ones load or fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from luoshi.errors import DataError, LuoshiError, TableError
from luoshi.matching.catalog import KINDS, bundled_catalog, load_catalog

ISSUE_UNITS = [
    "市发展改革委",
    "市工业和信息化局",
    "市科技局",
    "市商务局",
    "市生态环境局",
    "市住房城乡建设局",
    "市农业农村局",
    "市人力资源社会保障局",
    "市教育局",
    "市卫生健康委",
    "市民政局",
    "市财政局",
    "市国资委",
    "市自然资源局",
    "市交通运输局",
    "市文化旅游广电局",
    "市公安局",
    "市司法局",
    "市应急局",
    "市市场监管局",
    "市地方金融管理局",
    "市营商环境建设局",
    "市数据局",
    "市委组织部",
    "市委宣传部",
    "市纪委监委",
    "市委统战部",
]


def test_municipal_catalog_has_every_unit_the_issue_names() -> None:
    catalog = bundled_catalog("municipal")
    assert len(catalog) >= 45
    for name in ISSUE_UNITS:
        unit = catalog.unit(name)
        assert unit.aliases and len(unit.responsibilities) >= 20 and unit.kind in KINDS
    assert {u.kind for u in catalog.units} == set(KINDS)


def test_national_catalog_has_the_ministries() -> None:
    catalog = bundled_catalog("national")
    assert len(catalog) >= 40
    for name in ("国家发展改革委", "工业和信息化部", "生态环境部", "国务院国资委", "国家数据局"):
        assert catalog.unit(name).responsibilities


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("市发改委", "市发展改革委"),
        ("市工信局", "市工业和信息化局"),
        ("市环保局", "市生态环境局"),
        ("市人社局", "市人力资源社会保障局"),
        ("市卫健委", "市卫生健康委"),
        ("没有的局", None),
    ],
)
def test_aliases_resolve_to_the_catalog_name(alias: str, name: str | None) -> None:
    assert bundled_catalog("municipal").resolve(alias) == name


def test_no_alias_points_at_two_units() -> None:
    for catalog in (bundled_catalog("municipal"), bundled_catalog("national")):
        owners: dict[str, str] = {}
        for unit in catalog.units:
            for name in unit.names():
                assert owners.setdefault(name, unit.name) == unit.name, name


def test_custom_yaml_catalog(tmp_path: Path) -> None:
    path = tmp_path / "district.yaml"
    path.write_text(
        "units:\n  - name: 区发改局\n    responsibilities: 规划和重大项目\n"
        "    aliases: 发改局、区发改\n    kind: 政府工作部门\n",
        encoding="utf-8",
    )
    catalog = load_catalog(path)
    assert catalog.name == "district"
    assert catalog.units[0].aliases == ("发改局", "区发改")
    assert catalog.units[0].kind == "government"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("units: []\n", "没有单位"),
        ("- a\n", "units"),
        ("units:\n  - name: 甲\n", "甲 缺少职责"),
        ("units:\n  - responsibilities: x\n", "第1个单位: 缺少单位名称"),
        ("units:\n  - {name: 甲, responsibilities: x, kind: 部门}\n", "类别 kind"),
        ("units:\n  - {name: 甲, responsibilities: x, boss: y}\n", "未知字段"),
        (
            "units:\n  - {name: 甲, responsibilities: x}\n  - {name: 甲, responsibilities: y}\n",
            "第2个单位: 单位名称重复",
        ),
        ("units: [\n", "无法读取"),
    ],
)
def test_bad_yaml_catalog_names_file_and_unit(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_catalog(path)
    assert str(path) in str(info.value) and message in str(info.value)


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_excel_catalog_with_chinese_headers(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "units.xlsx",
        [
            ["名称", "职责", "别名", "类别"],
            ["区卫健局", "医疗卫生和健康", "卫健局;区卫生健康局", "政府工作部门"],
            [None, None, None, None],
            ["区妇联", "妇女儿童权益", None, "other"],
        ],
    )
    catalog = load_catalog(path)
    assert [u.name for u in catalog.units] == ["区卫健局", "区妇联"]
    assert catalog.resolve("区卫生健康局") == "区卫健局"


def test_excel_catalog_reports_every_bad_row(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "units.xlsx",
        [
            ["name", "responsibilities", "kind"],
            ["甲", None, None],
            [None, "职责", None],
            ["乙", "职责", "部门"],
            ["丙", "职责", None],
            ["丙", "职责", None],
        ],
    )
    with pytest.raises(TableError) as info:
        load_catalog(path)
    found = [(p.row, p.column) for p in info.value.errors]
    assert found == [(2, "职责"), (3, "名称"), (4, "类别"), (6, "名称")]
    assert "units.xlsx" in str(info.value) and "第2行" in str(info.value)


def test_excel_catalog_without_required_column(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "units.xlsx", [["名称", "备注"], ["甲", "x"]])
    with pytest.raises(TableError, match="缺少列"):
        load_catalog(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.xlsx", b"PK\x03\x04 not really", "不是有效的 Excel"),
        ("units.csv", b"a,b", ".yaml 或 .xlsx"),
    ],
)
def test_unusable_catalog_file(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LuoshiError, match=message) as info:
        load_catalog(path)
    assert str(path) in str(info.value)


def test_unknown_catalog_name() -> None:
    with pytest.raises(DataError, match="找不到目录文件"):
        load_catalog("provincial")
