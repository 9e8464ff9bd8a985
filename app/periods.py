"""Reporting periods: years, half years, tertials, quarters and months.

A period is written as a string, and only in these forms (years 1900..2999):

* ``2023``                     the year;
* ``2023-H1``, ``2023-H2``     half years (January–June, July–December);
* ``2023-T1`` .. ``2023-T3``   tertials (January–April, May–August, September–December);
* ``2023-Q1`` .. ``2023-Q4``   quarters (January–March, … October–December);
* ``2023-01`` .. ``2023-12``   months, always two digits.

Parsing is strict: upper-case letters, zero-padded months, no surrounding whitespace, no other
separators. ``str(period)`` gives the same canonical form back, so ``Period.parse(str(p)) == p``.

Ordering. Periods are totally ordered by their last day, and among periods that end on the same
day the shorter one (the one that starts later) comes first. So periods ending earlier come first,
and a month sorts before the quarter, tertial, half year and year that end with it::

    2023-01 < 2023-Q1 < 2023-04 < 2023-T1 < 2023-H1 < 2023-12 < 2023-Q4 < 2023-T3 < 2023-H2 < 2023

That is, the sort key is ``(end, -start)``: detail rows come before the summary they roll up
into. Two different periods never share both start and end, so the order is consistent with
``==`` and ``hash``.

This module is pure Python: no I/O and no framework imports. :data:`PERIOD_PATTERN` is the same
grammar as a regular expression, for an OpenAPI ``pattern``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property, lru_cache

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "PERIOD_PATTERN",
    "InvalidPeriod",
    "Period",
    "PeriodKind",
    "is_valid",
    "parse_period",
    "period_range",
]

MIN_YEAR = 1900
MAX_YEAR = 2999

#: The accepted forms as a regular expression, anchored at both ends. Only ASCII digits
#: (``[0-9]``, not ``\d``) and ECMAScript-compatible syntax, so it can be used verbatim as an
#: OpenAPI/JSON Schema ``pattern``. In Python, match it with :func:`re.fullmatch`: Python's ``$``
#: also matches before a trailing newline.
PERIOD_PATTERN = r"^(?:19|2[0-9])[0-9]{2}(?:-(?:H[12]|T[1-3]|Q[1-4]|0[1-9]|1[0-2]))?$"

_PARSE_RE = re.compile(
    r"(?P<year>(?:19|2[0-9])[0-9]{2})"
    r"(?:-(?:(?P<letter>[HTQ])(?P<number>[1-4])|(?P<month>0[1-9]|1[0-2])))?"
)

_ACCEPTED_FORMS = (
    "YYYY (year), YYYY-H1..YYYY-H2 (half year), YYYY-T1..YYYY-T3 (tertial), "
    "YYYY-Q1..YYYY-Q4 (quarter) or YYYY-MM with MM 01..12 (month), "
    f"for years {MIN_YEAR}..{MAX_YEAR}"
)

_MAX_ECHO = 40


class InvalidPeriod(ValueError):
    """A string that is not a reporting period, or an impossible period or range."""


class PeriodKind(StrEnum):
    """The length of a period. The value is the name used in APIs."""

    YEAR = "year"
    HALF = "half"
    TERTIAL = "tertial"
    QUARTER = "quarter"
    MONTH = "month"

    @property
    def months(self) -> int:
        """Number of months in a period of this kind (12, 6, 4, 3 or 1)."""
        return _MONTHS[self]

    @property
    def per_year(self) -> int:
        """Number of periods of this kind in a year (1, 2, 3, 4 or 12)."""
        return 12 // _MONTHS[self]


_MONTHS: dict[PeriodKind, int] = {
    PeriodKind.YEAR: 12,
    PeriodKind.HALF: 6,
    PeriodKind.TERTIAL: 4,
    PeriodKind.QUARTER: 3,
    PeriodKind.MONTH: 1,
}

_LETTER_KIND: dict[str, PeriodKind] = {
    "H": PeriodKind.HALF,
    "T": PeriodKind.TERTIAL,
    "Q": PeriodKind.QUARTER,
}
_KIND_LETTER: dict[PeriodKind, str] = {kind: letter for letter, kind in _LETTER_KIND.items()}


def _echo(text: object) -> str:
    shown = repr(text)
    if len(shown) > _MAX_ECHO:
        shown = shown[: _MAX_ECHO - 1] + "…"
    return shown


@dataclass(frozen=True)
class Period:
    """One reporting period.

    ``index`` is 1-based within the year: the month number for a month, the tertial number for a
    tertial, and so on; it is 1 for a year. Constructing an impossible period (year outside
    1900..2999, index out of range for the kind) raises :class:`InvalidPeriod`.

    Comparison operators order periods by ``(end, -start)``; see the module docstring.
    """

    year: int
    kind: PeriodKind
    index: int = 1

    def __post_init__(self) -> None:
        kind = self.kind
        if not isinstance(kind, PeriodKind):  # a kind's text; the enum's call costs µs
            try:
                kind = PeriodKind(kind)
            except ValueError:
                raise InvalidPeriod(f"unknown period kind {_echo(kind)}") from None
            object.__setattr__(self, "kind", kind)
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise InvalidPeriod(f"period year must be an int, not {_echo(self.year)}")
        if isinstance(self.index, bool) or not isinstance(self.index, int):
            raise InvalidPeriod(f"period index must be an int, not {_echo(self.index)}")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise InvalidPeriod(f"period year {self.year} is outside {MIN_YEAR}..{MAX_YEAR}")
        if not 1 <= self.index <= kind.per_year:
            raise InvalidPeriod(f"{kind.value} index {self.index} is outside 1..{kind.per_year}")

    # -- text ------------------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse the canonical string form; raise :class:`InvalidPeriod` for anything else."""
        if isinstance(text, str) and cls is Period:
            # Periods are immutable and few: every measurement row read names one.
            return _parse_canonical(text)
        return cls._parse(text)

    @classmethod
    def _parse(cls, text: str) -> Period:
        match = _PARSE_RE.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise InvalidPeriod(f"invalid period {_echo(text)}: expected {_ACCEPTED_FORMS}")
        year = int(match["year"])
        letter = match["letter"]
        if letter is not None:
            kind = _LETTER_KIND[letter]
            number = int(match["number"])
            if number > kind.per_year:
                raise InvalidPeriod(f"invalid period {_echo(text)}: expected {_ACCEPTED_FORMS}")
            return cls(year, kind, number)
        if match["month"] is not None:
            return cls(year, PeriodKind.MONTH, int(match["month"]))
        return cls(year, PeriodKind.YEAR, 1)

    def __str__(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return f"{self.year:04d}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.index:02d}"
        return f"{self.year:04d}-{_KIND_LETTER[self.kind]}{self.index}"

    # -- calendar --------------------------------------------------------------------------------

    @property
    def first_month(self) -> int:
        """The first calendar month (1..12) covered."""
        return (self.index - 1) * self.kind.months + 1

    @property
    def last_month(self) -> int:
        """The last calendar month (1..12) covered."""
        return self.index * self.kind.months

    @cached_property  # periods are immutable, and roll-ups ask for their dates row by row
    def start(self) -> date:
        """The first day of the period."""
        return date(self.year, self.first_month, 1)

    @cached_property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        last = self.last_month
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    @property
    def months_elapsed(self) -> int:
        """Months of the year up to and including the period's end (2023-T1 → 4, 2023 → 12)."""
        return self.last_month

    @property
    def year_period(self) -> Period:
        """The year this period lies in."""
        return Period(self.year, PeriodKind.YEAR, 1)

    def months(self) -> tuple[Period, ...]:
        """The month periods covered, in order."""
        return tuple(
            Period(self.year, PeriodKind.MONTH, month)
            for month in range(self.first_month, self.last_month + 1)
        )

    def contains(self, other: Period) -> bool:
        """Whether ``other`` lies entirely inside this period (a period contains itself)."""
        return (
            self.year == other.year
            and self.first_month <= other.first_month
            and other.last_month <= self.last_month
        )

    # -- stepping --------------------------------------------------------------------------------

    @property
    def _ordinal(self) -> int:
        return self.year * self.kind.per_year + (self.index - 1)

    @classmethod
    def _from_ordinal(cls, kind: PeriodKind, ordinal: int) -> Period:
        year, offset = divmod(ordinal, kind.per_year)
        return cls(year, kind, offset + 1)

    def next(self) -> Period:
        """The following period of the same kind (2023-12 → 2024-01).

        Raises :class:`InvalidPeriod` past 2999.
        """
        return Period._from_ordinal(self.kind, self._ordinal + 1)

    def previous(self) -> Period:
        """The preceding period of the same kind (2023-Q1 → 2022-Q4).

        Raises :class:`InvalidPeriod` before 1900.
        """
        return Period._from_ordinal(self.kind, self._ordinal - 1)

    # -- ordering --------------------------------------------------------------------------------

    def _sort_key(self) -> tuple[int, int, int]:
        # (end, -start), as (year, last month, -first month): same year → same end iff same
        # last month, and a later first month means a later start.
        return (self.year, self.last_month, -self.first_month)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() <= other._sort_key()

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() > other._sort_key()

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() >= other._sort_key()


def parse_period(text: str) -> Period:
    """Parse a period string; same as :meth:`Period.parse`."""
    return Period.parse(text)


def is_valid(text: str) -> bool:
    """Whether ``text`` is a period in one of the accepted forms."""
    try:
        Period.parse(text)
    except InvalidPeriod:
        return False
    return True


def period_range(first: Period, last: Period) -> list[Period]:
    """All periods from ``first`` to ``last`` inclusive, stepping by their kind.

    Both must be of the same kind, and ``first`` must not come after ``last``; otherwise
    :class:`InvalidPeriod` is raised.
    """
    if first.kind is not last.kind:
        raise InvalidPeriod(
            f"period range needs two periods of the same kind, got {first} ({first.kind.value})"
            f" and {last} ({last.kind.value})"
        )
    if last < first:
        raise InvalidPeriod(f"period range is reversed: {first} comes after {last}")
    kind = first.kind
    return [
        Period._from_ordinal(kind, ordinal) for ordinal in range(first._ordinal, last._ordinal + 1)
    ]


@lru_cache(maxsize=4096)
def _parse_canonical(text: str) -> Period:
    return Period._parse(text)
