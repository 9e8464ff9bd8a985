"""Shared statistics machinery: period dimensions in SQL, and percentiles of durations.

Counts are made by the database with GROUP BY over the dimensions a caller asks for. Medians and
90th percentiles need the individual durations; neither SQLite nor a portable SQL has
``percentile_cont``, so the durations (two dates per closed row, grouped by the same keys) come
from one query and are ranked here. That is one small row per closed report or answered
feedback: fine at a committee's volumes (hundreds a year).

Percentiles interpolate linearly between ranks, as PostgreSQL's ``percentile_cont`` and Excel's
PERCENTILE.INC do: the median of 2, 4, 10, 30 is 7, their 90th percentile 24.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Integer, cast, extract, literal

from app.errors import Unprocessable
from app.fields import NumberOut


class PeriodGrouping(StrEnum):
    YEAR = "year"
    TERTIAL = "tertial"
    QUARTER = "quarter"
    MONTH = "month"


PERIOD_GROUPINGS = frozenset(PeriodGrouping)


def period_expressions(column: Any, grouping: PeriodGrouping) -> tuple[Any, Any]:
    """(year, index within the year) of a date column, as integer SQL expressions."""
    year = cast(extract("year", column), Integer)
    month = cast(extract("month", column), Integer)
    if grouping is PeriodGrouping.YEAR:
        return year, literal(1)
    if grouping is PeriodGrouping.MONTH:
        return year, month
    size = 4 if grouping is PeriodGrouping.TERTIAL else 3
    return year, (month - 1) // size + 1


def period_label(grouping: PeriodGrouping, year: int, index: int) -> str:
    """The reporting-period text (``app.periods``): 2019, 2020-T1, 2019-Q4, 2019-04."""
    if grouping is PeriodGrouping.YEAR:
        return f"{year:04d}"
    if grouping is PeriodGrouping.MONTH:
        return f"{year:04d}-{index:02d}"
    letter = "T" if grouping is PeriodGrouping.TERTIAL else "Q"
    return f"{year:04d}-{letter}{index}"


def one_period_grouping(group_by: Sequence[str], field: str = "query.group_by") -> None:
    periods = [g for g in group_by if g in PERIOD_GROUPINGS]
    if len(periods) > 1:
        raise Unprocessable.for_field(
            field, "several_periods", "group by at most one of year, tertial, quarter, month"
        )
    if len(set(group_by)) != len(group_by):
        raise Unprocessable.for_field(field, "repeated", "a dimension is named twice")


def sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """Groups in key order on both engines (which disagree on where NULL sorts): NULL last."""
    return tuple((value is None, value if value is not None else 0) for value in key)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (``percentile_cont``); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class DurationStats(BaseModel):
    """Days between two dates of the rows that have both."""

    count: int = Field(description="Rows with both dates.")
    median: NumberOut | None = Field(description="Median, in days; null when count is 0.")
    p90: NumberOut | None = Field(description="90th percentile, in days (percentile_cont).")


def duration_stats(days: Sequence[int]) -> DurationStats:
    def number(value: float | None) -> Decimal | None:
        return None if value is None else Decimal(str(round(value, 2)))

    return DurationStats(
        count=len(days),
        median=number(percentile(days, 0.5)),
        p90=number(percentile(days, 0.9)),
    )


@dataclass(frozen=True)
class Durations:
    """Durations in days collected per group key."""

    by_key: Mapping[tuple[Any, ...], list[int]]

    @classmethod
    def collect(cls, rows: Sequence[Any], width: int) -> Durations:
        """Rows of (key values…, start date, end date); ``width`` is the number of key values."""
        by_key: dict[tuple[Any, ...], list[int]] = {}
        for row in rows:
            key = tuple(row[:width])
            start: date = row[width]
            end: date = row[width + 1]
            by_key.setdefault(key, []).append((end - start).days)
        return cls(by_key)

    def stats(self, key: tuple[Any, ...]) -> DurationStats:
        return duration_stats(self.by_key.get(key, []))

    def overall(self) -> DurationStats:
        return duration_stats([d for days in self.by_key.values() for d in days])


@dataclass(frozen=True)
class Dimension:
    """One way to group: the SQL expressions selected and grouped by, and how a key reads out."""

    columns: tuple[Any, ...]
    render: Any  # Callable[[tuple[Any, ...]], dict[str, Any]]


def period_dimension(column: Any, grouping: PeriodGrouping) -> Dimension:
    year, index = period_expressions(column, grouping)
    return Dimension(
        (year.label("g_year"), index.label("g_index")),
        lambda values: {"period": period_label(grouping, int(values[0]), int(values[1]))},
    )


def value_dimension(name: str, expression: Any, convert: Any = None) -> Dimension:
    def render(values: tuple[Any, ...]) -> dict[str, Any]:
        value = values[0]
        return {name: convert(value) if convert is not None and value is not None else value}

    return Dimension((expression.label(f"g_{name}"),), render)


@dataclass(frozen=True)
class Grouping:
    """The dimensions of one statistics request, in the order asked for."""

    dimensions: tuple[Dimension, ...]

    @property
    def columns(self) -> tuple[Any, ...]:
        return tuple(c for d in self.dimensions for c in d.columns)

    @property
    def width(self) -> int:
        return len(self.columns)

    def render(self, key: tuple[Any, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        offset = 0
        for dimension in self.dimensions:
            size = len(dimension.columns)
            out |= dimension.render(key[offset : offset + size])
            offset += size
        return out
