"""The indicator model: an indicator table (one row per indicator) and observations (long format).

Both keep their rows as a Polars DataFrame so the engine can judge a whole country at once;
`Indicator` is the typed view of one row for people and services. Build them from files with
luoshi.indicators.interchange, or from plain Python rows (what a database hands over) with
`IndicatorTable.from_rows` / `Observations.from_rows`, which check the rows exactly like a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import polars as pl

ATTRIBUTES = ("expected", "binding")
DIRECTIONS = ("up", "down")

# Columns of the indicator frame, in order, with their Polars types.
INDICATOR_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.String(),
    "name": pl.String(),
    "category": pl.String(),
    "unit": pl.String(),
    "attribute": pl.String(),
    "direction": pl.String(),
    "base_year": pl.Int32(),
    "base_value": pl.Float64(),
    "target_year": pl.Int32(),
    "kind": pl.String(),
    "target": pl.Float64(),
    "target_high": pl.Float64(),
    "benchmark": pl.String(),
    "tolerance": pl.Float64(),
    "target_text": pl.String(),
    "source_department": pl.String(),
    "library_code": pl.String(),
}

# Columns of the observation frame. judgement is only read for qualitative indicators.
OBSERVATION_SCHEMA: dict[str, pl.DataType] = {
    "code": pl.String(),
    "region": pl.String(),
    "year": pl.Int32(),
    "value": pl.Float64(),
    "annual_target": pl.Float64(),
    "judgement": pl.String(),
    "source": pl.String(),
    "note": pl.String(),
}


@dataclass(frozen=True)
class Indicator:
    """One indicator of a plan's table with its target (METHOD.md §3 `indicators`)."""

    code: str
    name: str
    kind: str
    base_year: int
    target_year: int
    category: str = ""
    unit: str = ""
    attribute: str = "expected"
    direction: str = "up"
    base_value: float | None = None
    target: float | None = None
    target_high: float | None = None
    benchmark: str = ""
    tolerance: float | None = None
    target_text: str = ""
    source_department: str = ""
    library_code: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict of the row."""
        return asdict(self)


class IndicatorTable:
    """A checked indicator table; iterate for `Indicator` rows, `.frame` for the engine."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame.select([pl.col(c).cast(t) for c, t in INDICATOR_SCHEMA.items()])

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, Any]], *, source: str = "<rows>"
    ) -> IndicatorTable:
        """Check plain rows (English or Chinese keys, as in a file) and build a table."""
        from luoshi.indicators.interchange import indicators_from_records

        return indicators_from_records(list(rows), file=source, sheet=None)

    def __len__(self) -> int:
        return self.frame.height

    def __iter__(self) -> Iterator[Indicator]:
        for row in self.frame.iter_rows(named=True):
            yield _indicator(row)

    def __getitem__(self, code: str) -> Indicator:
        rows = self.frame.filter(pl.col("code") == code)
        if rows.height == 0:
            raise KeyError(code)
        return _indicator(rows.row(0, named=True))

    def codes(self) -> list[str]:
        """Indicator codes in table order."""
        return self.frame["code"].to_list()


def _indicator(row: dict[str, Any]) -> Indicator:
    values: dict[str, Any] = {k: ("" if v is None and k in _TEXT else v) for k, v in row.items()}
    return Indicator(**values)


_TEXT = {k for k, t in INDICATOR_SCHEMA.items() if t == pl.String()}


@dataclass(frozen=True)
class SeriesIndex:
    """Dense integer keys of the observation rows, so the engine sums with NumPy, not Python.

    `code[i]` is the position of row i's code in `codes` (-1 when the code is not there) and
    `region[i]` the position of its region in `regions` (sorted); both int32.
    """

    codes: tuple[str, ...]
    regions: list[str]
    code: np.ndarray
    region: np.ndarray


class Observations:
    """Checked observations in long format: code, region, year, value (+ source, note …)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame.select(
            [
                (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
                for c, t in OBSERVATION_SCHEMA.items()
            ]
        ).with_columns(pl.col("region").fill_null(""))
        self._index: tuple[pl.DataFrame, SeriesIndex] | None = None

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, Any]], *, source: str = "<rows>"
    ) -> Observations:
        """Check plain rows (code, year, value, region, source, note …) and build observations."""
        from luoshi.indicators.interchange import observations_from_records

        return observations_from_records(list(rows), file=source, sheet=None)

    def __len__(self) -> int:
        return self.frame.height

    def index(self, codes: Sequence[str] | None = None) -> SeriesIndex:
        """Dense keys against `codes` (default: the codes present, sorted); kept for reuse."""
        f = self.frame
        wanted = tuple(codes) if codes is not None else tuple(f["code"].unique().sort())
        kept = self._index
        if kept is not None and kept[0] is f and kept[1].codes == wanted:
            return kept[1]
        code, region = _runs(f["code"]), _runs(f["region"])
        regions = region[0].unique().sort().to_list()
        index = SeriesIndex(wanted, regions, _positions(code, wanted), _positions(region, regions))
        self._index = (f, index)  # valid while .frame is this frame
        return index

    def has_duplicates(self, codes: Sequence[str] | None = None) -> bool:
        """True when a (code, region, year) appears more than once."""
        f = self.frame
        if f.height == 0:
            return False
        idx = self.index(codes)
        if (idx.code < 0).any():  # codes outside the list: index the codes present instead
            idx = self.index()
        y0, y1 = f["year"].min(), f["year"].max()
        span = int(y1) - int(y0) + 1  # type: ignore[arg-type]
        cells = len(idx.codes) * len(idx.regions) * span
        if cells > 50_000_000:  # too sparse for a dense count
            return bool(f.select(pl.struct("code", "region", "year").is_duplicated().any()).item())
        key = idx.code * (len(idx.regions) * span)  # each row's cell (< 50M: int32 holds it)
        key += idx.region * span
        key += f["year"].to_numpy()
        key -= int(y0)  # type: ignore[arg-type]
        seen = np.zeros(cells, dtype=bool)
        seen[key] = True
        return int(np.count_nonzero(seen)) < len(key)  # fewer cells than rows

    def regions(self) -> list[str]:
        """Regions present, sorted."""
        return sorted(self.frame["region"].unique().to_list())


def _runs(column: pl.Series) -> tuple[pl.Series, np.ndarray | None]:
    """The values of a column's runs of equal values and their lengths; a column whose first
    rows are mostly not in runs (an unsorted file) is returned as it is, with no lengths."""
    head = column.head(4096).rle_id()
    if head.len() and 2 * (int(head.max()) + 1) > head.len():  # type: ignore[arg-type]
        return column, None
    runs = column.rle().struct.unnest()
    return runs["value"], runs["len"].to_numpy()


def _positions(runs: tuple[pl.Series, np.ndarray | None], categories: Sequence[str]) -> np.ndarray:
    """Each row's position in `categories` (-1 when absent), looked up once per run."""
    values, lengths = runs
    pos = values.cast(pl.Enum(categories), strict=False).to_physical().cast(pl.Int32)
    out = pos.fill_null(-1).to_numpy()
    return out if lengths is None else np.repeat(out, lengths)


def lookup(column: pl.Series, categories: Sequence[str]) -> np.ndarray:
    """Each value's position in `categories` (-1 when absent or null)."""
    return _positions(_runs(column), categories)
