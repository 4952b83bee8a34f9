"""Interchange files of METHOD.md §3: indicator tables and observations as CSV or XLSX.

CSV (comma- or tab-separated) may be in any encoding plan documents may be (UTF-8 with or
without BOM, UTF-16, GB18030, Big5); XLSX holds sheets `indicators` and
`observations` (or 指标 / 观测值). Headers may be English or the Chinese a planning office
types. Every bad cell becomes one CellProblem naming file, sheet, row and column, and a file
with any problem raises TableError: nothing from it is used.

Observations are checked column by column with Polars, so a million rows stay fast.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
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
# The years a table (and a request for a year) may name: the tables keep years as 32-bit
# integers, and a year outside these is a typo, not data.
FIRST_YEAR, LAST_YEAR = 1900, 2200
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


def _simplified(text: str) -> str:
    """Traditional characters as simplified (代碼 → 代码), so Big5 files match the words."""
    if text.isascii():
        return text
    from luoshi.documents.chinese import to_simplified

    return to_simplified(text)


def _column_map(headers: Sequence[str], aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """canonical name -> header as written in the file (traditional characters too)."""
    lookup = {_key(a): canon for canon, names in aliases.items() for a in names}
    found: dict[str, str] = {}
    for h in headers:
        canon = lookup.get(_key(h)) or lookup.get(_key(_simplified(str(h))))
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
    """CSV bytes as UTF-8 without BOM; binary data is refused.

    UTF-8 (the common case, also of a million-row file) is checked in pieces and kept as it
    is. Bytes with zeros (UTF-16 as Excel's "Unicode text" saves it, or binary data) are read
    by the document reader (luoshi.documents.reading.decode: BOMs, UTF-16 with or without
    BOM). A table without zero bytes cannot be UTF-16 (its commas and digits would have
    one): it is GB18030 or Big5, told apart by the header (see _legacy).
    """
    body = data.removeprefix(codecs.BOM_UTF8)
    if b"\x00" not in body[:4096] and _is_utf8(body):
        return body
    if b"\x00" not in data:
        return _legacy(data, file).encode("utf-8")
    from luoshi.documents.reading import decode
    from luoshi.errors import DocumentError

    try:
        text, _ = decode(data, file)
    except DocumentError as exc:
        raise TableError([CellProblem(file, None, None, None, exc.message)]) from None
    return text.encode("utf-8")


def _legacy(data: bytes, file: str) -> str:
    """A GB18030 or Big5 (cp950) table as text.

    Most Big5 bytes also read as GB18030, and a statistical guess is unreliable on a table
    of few Chinese characters, so where both read the one whose header has more known column
    names wins; GB18030 (the mainland's) on a tie.
    """
    texts: dict[str, str] = {}
    where = 0
    for encoding in ("gb18030", "cp950"):
        try:
            texts[encoding] = data.decode(encoding)
        except UnicodeDecodeError as exc:
            where = max(where, exc.start)
    if not texts:
        message = (
            f"无法识别编码(支持 UTF-8、UTF-16、GB18030/GBK、Big5)，第{where}字节 unknown encoding"
        )
        raise TableError([CellProblem(file, None, None, None, message)])
    aliases = INDICATOR_HEADERS | OBSERVATION_HEADERS
    return max(texts.values(), key=lambda text: len(_column_map(_header(text), aliases)))


def _header(text: str) -> list[str]:
    line = text[: text.find("\n") + 1 or len(text)]
    return next(csv.reader([line], delimiter=_separator(line.encode())), [])


def _is_utf8(data: bytes, piece: int = 1 << 24) -> bool:
    """Whether `data` is valid UTF-8, without holding all of it decoded at once."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for i in range(0, len(data), piece):
            decoder.decode(data[i : i + piece])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _separator(data: bytes) -> str:
    """Tab for tab-separated text (Excel's "Unicode text"), else comma: the header decides."""
    line = data[: data.find(b"\n") + 1 or len(data)]
    return "\t" if line.count(b"\t") > line.count(b",") else ","


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


# A reader's column holding each row's line number in the file (the header is line 1); no
# header can be named so. Blank rows (every cell empty, as Excel leaves them) are dropped
# and the rows after them keep their own line numbers.
ROW = "\x00row"


def _without_blank_rows(frame: pl.DataFrame, first: int = 2) -> pl.DataFrame:
    """The rows with any cell filled, each with its line number in ROW (the first `first`)."""
    cells = [c for c in frame.columns if c != ROW]
    if ROW not in frame.columns:
        frame = frame.with_row_index(ROW, offset=first)
    if not cells:
        return frame
    blank = pl.all_horizontal(
        pl.col(c).is_null() | (pl.col(c).str.strip_chars(_SPACE) == "") for c in cells
    )
    return frame.filter(~blank)


def _row_numbers(raw: pl.DataFrame) -> np.ndarray:
    """Each row's line number in its file (ROW), or its position + 2 for rows without one."""
    if ROW in raw.columns:
        return raw[ROW].cast(pl.Int64).to_numpy()
    return np.arange(raw.height, dtype=np.int64) + 2


def _read_csv(path: Path, data: bytes | None = None) -> pl.DataFrame:
    data = _csv_bytes(path) if data is None else data
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False, separator=_separator(data))
        above = data[: len(data) - len(data.lstrip(b"\r\n"))].count(b"\n")  # before the header
        return _without_blank_rows(frame, first=2 + above)
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
    text = io.StringIO(data.decode("utf-8"), newline="")
    reader = csv.reader(text, delimiter=_separator(data))
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
        sheet = _sheet(book, table, path.name)
        rows = book[sheet].iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise TableError([CellProblem(path.name, sheet, 1, None, "工作表为空 empty sheet")])
        names_row = [("" if h is None else str(h)).strip() for h in header]
        body = [[_cell_text(v) for v in r[: len(names_row)]] for r in rows]
    finally:
        book.close()
    cols = {
        n or f"column{i + 1}": [r[i] if i < len(r) else None for r in body]
        for i, n in enumerate(names_row)
    }
    frame = pl.DataFrame(cols, schema={k: pl.String() for k in cols})
    return _without_blank_rows(frame), sheet


def _sheet(book: Any, table: str, file: str) -> str:
    """The sheet holding `table`: the one so named (指标 / 觀測值 too); else the only sheet;
    else the only sheet whose first row has the table's required columns."""
    names = {_key(_simplified(n)): n for n in book.sheetnames}
    named = next((names[_key(s)] for s in SHEETS[table] if _key(s) in names), None)
    if named is not None:
        return named
    if len(book.sheetnames) == 1:
        return str(book.sheetnames[0])
    aliases, required = {
        "indicators": (INDICATOR_HEADERS, INDICATOR_REQUIRED),
        "observations": (OBSERVATION_HEADERS, OBSERVATION_REQUIRED),
    }[table]
    fits = []
    for name in book.sheetnames:
        header = next(book[name].iter_rows(values_only=True, max_row=1), None) or ()
        found = _column_map([str(h) for h in header if h is not None], aliases)
        if set(required) <= found.keys():
            fits.append(name)
    if len(fits) == 1:
        return str(fits[0])
    wanted = " / ".join(SHEETS[table])
    message = f"缺少工作表 {wanted} missing sheet"
    if fits:
        several = "、".join(fits)
        message = f"工作表 {several} 都像{wanted}表，请把其一命名为 {SHEETS[table][0]} " + (
            f"several sheets could be {table}"
        )
    raise TableError([CellProblem(file, None, None, None, message)])


def _cell_text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _is_csv(p: Path) -> bool:
    """A text table (not a workbook); refuses a missing file with a clear message."""
    if not p.is_file():
        problem = "文件不存在 file not found"
        if p.is_dir():
            problem = "这是一个目录,不是文件 is a directory"
        raise TableError([CellProblem(str(p), None, None, None, problem)])
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
    return read_indicators_placed(path)[0]


@dataclass(frozen=True)
class Places:
    """Where a checked table's rows stand in their file, for messages about them later."""

    file: str
    sheet: str | None
    rows: tuple[int, ...]  # each row's line in the file (the header is line 1)
    columns: dict[str, str]  # canonical column name -> header as written

    def column(self, name: str) -> str:
        return self.columns.get(name, name)


def read_indicators_placed(path: str | Path) -> tuple[IndicatorTable, Places]:
    """`read_indicators`, and where each of its rows stands in the file."""
    raw, file, sheet = _read_raw(path, "indicators")
    table = _indicators(raw, file, sheet)
    rows = tuple(int(r) for r in _row_numbers(raw))
    return table, Places(file, sheet, rows, _column_map(raw.columns, INDICATOR_HEADERS))


def read_observations(path: str | Path, indicators: IndicatorTable | None = None) -> Observations:
    """Read and check observations; with `indicators`, unknown codes are bad rows too."""
    p = Path(path)
    if _is_csv(p):
        data = _csv_bytes(p)
        fast = _fast_observations(data, indicators)
        if fast is not None:
            return fast
        return _observations(_read_csv(p, data), p.name, None, indicators)
    frame, file, sheet = _read_raw(path, "observations")
    return _observations(frame, file, sheet, indicators)


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
        sep = _separator(data)
        header = next(csv.reader([first_line], delimiter=sep), [])
    except UnicodeDecodeError:
        return None
    cmap = _column_map(header, OBSERVATION_HEADERS)
    if not {"code", "year", "value"} <= cmap.keys() or len(set(cmap.values())) != len(cmap):
        return None
    types = {"year": pl.Int32, "value": pl.Float64, "annual_target": pl.Float64}
    schema = {h: types.get(c, pl.String) for c, h in cmap.items()}
    try:
        df = pl.read_csv(
            data,
            infer_schema=False,
            schema_overrides=schema,
            columns=list(schema),
            separator=sep,
        )
    except pl.exceptions.PolarsError:
        return None
    df = df.select([pl.col(h).alias(c) for c, h in cmap.items()])
    df = df.filter(~pl.all_horizontal(pl.all().is_null()))  # blank lines
    some = pl.col("value").is_not_null()
    for c in ("annual_target", "judgement"):
        if c in cmap:
            some = some | pl.col(c).is_not_null()
    bad = [
        pl.col("code").is_null().any(),
        pl.col("year").is_null().any(),
        ((pl.col("year") < FIRST_YEAR) | (pl.col("year") > LAST_YEAR)).any(),
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
    index = obs.index(codes)
    if codes is not None and (index.code < 0).any():  # an unknown code
        return None
    if any(k != k.strip() for k in (*index.codes, *index.regions)):  # the full check trims keys
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


# Characters Python's str.strip() removes, so that Polars strips a cell exactly like Python.
_SPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# A number that Polars and Python's float() read alike; other cells go through parse_number.
_PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
# Numeric columns in the order their cells are checked.
_NUMBER_COLUMNS = ("base_year", "target_year", "base_value", "target", "target_high", "tolerance")


def fmt_plain(v: float) -> str:
    """A number without a trailing .0."""
    return str(int(v)) if float(v).is_integer() else str(v)


@cache
def _kind_words() -> dict[str, str]:
    return {k: k for k in kinds()} | {v.zh: k for k, v in kinds().items()}


_KIND_EXPECTED = "目标类型 " + "/".join(kinds())


def _words(cells: list[str], words: Mapping[str, str]) -> np.ndarray:
    """Each cell's word in `words` (as typed, lower-cased or simplified); "" when unknown."""
    found = {t: _word(t, words) for t in set(cells)}
    return np.array([found[t] for t in cells], dtype=object)


def _word(text: str, words: Mapping[str, str]) -> str:
    for form in (text, text.lower()):
        if form in words:
            return words[form]
    return words.get(_simplified(text), "")


def _numbers(cells: pl.DataFrame, empty: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each column's cells read like parse_number; NaN when empty or not a number.

    Plain numbers are read by Polars, the few others ('7%', '[13.5]') by parse_number."""
    plain = cells.select(
        pl.when(pl.col(c).str.contains(_PLAIN_NUMBER)).then(
            pl.col(c).cast(pl.Float64, strict=False)
        )
        for c in cells.columns
    )
    out = {}
    for c in cells.columns:
        v = plain[c].to_numpy(writable=True)
        for i in np.flatnonzero(~np.isfinite(v) & ~empty[c]):
            try:
                v[i] = parse_number(cells[c][int(i)])
            except ValueError:
                v[i] = np.nan
        out[c] = v
    return out


class _Problems:
    """Bad cells of an indicator table, reported in row order and, within a row, check order."""

    def __init__(
        self,
        cells: pl.DataFrame,
        cmap: dict[str, str],
        file: str,
        sheet: str | None,
        rows: np.ndarray,
    ):
        self.cells, self.cmap, self.file, self.sheet = cells, cmap, file, sheet
        self.rows = rows  # each position's line number in the file
        self.found: list[tuple[int, int, str, str]] = []  # (position, check, column, message)

    def flag(self, col: str, rows: np.ndarray, message: str | Callable[[int], str]) -> None:
        """A problem in `col` on every true row; a callable words the one at position i."""
        check = len(self.found)
        for i in np.flatnonzero(rows).tolist():
            text = message if isinstance(message, str) else message(i)
            self.found.append((i, check, col, text))

    def quoting(self, col: str, template: str) -> Callable[[int], str]:
        """A message quoting the cell as typed in place of {}."""
        return lambda i: template.format(self.cells[col][i])

    def raise_any(self) -> None:
        if self.found:
            rows = sorted(self.found, key=lambda p: (p[0], p[1]))
            raise TableError(
                [
                    CellProblem(self.file, self.sheet, int(self.rows[i]), self.cmap.get(c, c), m)
                    for i, _, c, m in rows
                ]
            )


def _indicators(raw: pl.DataFrame, file: str, sheet: str | None) -> IndicatorTable:
    """Check an indicator table a column at a time; every bad cell is named."""
    cmap = _column_map(raw.columns, INDICATOR_HEADERS)
    problems = _missing_columns(cmap, INDICATOR_REQUIRED, INDICATOR_HEADERS, file, sheet)
    if problems:
        raise TableError(problems)
    cells = raw.select(
        (pl.col(cmap[c]).fill_null("").str.strip_chars(_SPACE) if c in cmap else pl.lit(""))
        .cast(pl.String)
        .alias(c)
        for c in INDICATOR_SCHEMA
    )
    empty = {c: v.to_numpy() for c, v in cells.select(pl.all() == "").to_dict().items()}
    line = _row_numbers(raw)
    bad = _Problems(cells, cmap, file, sheet, line)
    for c in ("code", "name", "kind"):
        bad.flag(c, empty[c], "必填，不能为空 required")
    kind = _words(cells["kind"].to_list(), _kind_words())
    bad.flag(
        "kind",
        ~empty["kind"] & (kind == ""),
        bad.quoting("kind", f"应为 {_KIND_EXPECTED}，实际为“{{}}”"),
    )
    attribute = _words(cells["attribute"].to_list(), ATTRIBUTE_WORDS)
    expected = "应为 预期性/约束性 (expected/binding)，实际为“{}”"
    bad.flag("attribute", attribute == "", bad.quoting("attribute", expected))
    direction = _words(cells["direction"].to_list(), DIRECTION_WORDS)
    bad.flag(
        "direction",
        direction == "",
        bad.quoting("direction", "应为 up/down (正向/逆向)，实际为“{}”"),
    )
    value = _numbers(cells.select(_NUMBER_COLUMNS), empty)
    for c in ("base_year", "target_year"):
        v = value[c]
        is_year = (v == np.floor(v)) & (v >= FIRST_YEAR) & (v <= LAST_YEAR)
        bad.flag(c, empty[c], "必填，不能为空 required")
        bad.flag(
            c, ~empty[c] & ~is_year, bad.quoting(c, "应为年份(如 2025)，实际为“{}” expected a year")
        )
        v[~is_year] = np.nan
    for c in ("base_value", "target", "target_high", "tolerance"):
        bad.flag(
            c,
            ~empty[c] & np.isnan(value[c]),
            bad.quoting(c, "应为数字，实际为“{}” expected a number"),
        )
    by, ty = value["base_year"], value["target_year"]
    bad.flag(
        "target_year",
        ty <= by,
        lambda i: f"目标年应晚于基期年({int(by[i])}) must be after base_year",
    )
    for k, spec in kinds().items():
        for need in spec.needs:
            if need in ("target", "target_high", "base_value"):
                bad.flag(
                    need,
                    (kind == k) & empty[need],
                    f"目标类型 {k} 需要填写此列 required for kind {k}",
                )
            if need == "benchmark":
                bad.flag(
                    "benchmark",
                    (kind == k) & empty["benchmark"],
                    f"目标类型 {k} 需要对标指标代码 required for kind {k}",
                )
    low, high = value["target"], value["target_high"]
    bad.flag(
        "target_high",
        (kind == "avg_rate_in_range") & (high < low),
        lambda i: f"目标上限小于目标值({fmt_plain(low[i])}) must be ≥ target",
    )
    bad.flag("tolerance", value["tolerance"] < 0, "容差不能为负 must not be negative")
    codes = cells["code"].to_list()
    first: dict[str, int] = {}
    for i, code in enumerate(codes):
        first.setdefault(code, i)
    again = np.array([first[c] != i for i, c in enumerate(codes)], dtype=bool) & ~empty["code"]
    bad.flag(
        "code",
        again,
        lambda i: f"代码“{codes[i]}”重复(第{line[first[codes[i]]]}行已有) duplicate code",
    )
    bench = cells["benchmark"].to_list()
    unknown = np.array([b != "" and b not in first for b in bench], dtype=bool)
    bad.flag(
        "benchmark",
        unknown,
        bad.quoting("benchmark", "对标指标“{}”不在本表中 unknown benchmark code"),
    )
    itself = np.array([b != "" and b == c for b, c in zip(bench, codes, strict=True)], dtype=bool)
    bad.flag("benchmark", itself & ~unknown, "不能以自身为对标指标 benchmark is itself")
    bad.raise_any()
    if cells.height == 0:
        raise TableError([CellProblem(file, sheet, None, None, "没有指标行 no indicator rows")])
    direction = np.array(
        [_DIRECTION_FIXED.get(k, d) for k, d in zip(kind, direction, strict=True)], dtype=object
    )
    words = {"kind": kind, "attribute": attribute, "direction": direction}
    return IndicatorTable(
        cells.with_columns(
            *[pl.Series(c, v, dtype=pl.String) for c, v in words.items()],
            *[pl.Series(c, v, nan_to_null=True) for c, v in value.items()],
        )
    )


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
    df = raw.select(
        [pl.col(h).str.strip_chars().alias(c) for c, h in cmap.items()]
        + [pl.Series("_row", _row_numbers(raw))]
    )
    df = df.with_columns(
        [pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in cmap]
    )
    if "judgement" in cmap:  # a status written in traditional characters (基本符合預期)
        words = _judgement_words()
        written = df["judgement"].drop_nulls().unique().to_list()
        simple = {w: _simplified(w) for w in written if w not in words}
        if any(s != w for w, s in simple.items()):
            df = df.with_columns(pl.col("judgement").replace(simple))
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
            year.is_null() | (year != year.floor()) | (year < FIRST_YEAR) | (year > LAST_YEAR),
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
    "Places",
    "indicators_from_records",
    "observations_from_records",
    "parse_number",
    "read_indicators",
    "read_indicators_placed",
    "read_observations",
    "write_tables",
    "xlsx_row",
]
