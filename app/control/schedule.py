"""When control checks fall due, and where a check stands on a given date. Pure functions.

A control point's frequency names the months of the plan's year in which it is checked:

* ``monthly`` — every month;
* ``given_months`` — the months listed ("3 gånger/år (april, aug, dec)" is ``[4, 8, 12]``);
* ``yearly`` — once, in the given month ("1 gång/år (nov)" is ``11``). A yearly check without a
  month ("1 gång/år") is due in December: the plans report at year-end ("Årsbokslut").

Each such month is an **occasion** (``2023-04``); the check for it is due by the month's last day.
On a date, an occasion is ``done`` when a result is recorded for it (even early), else ``due``
while the date lies in its month, ``overdue`` once the month has ended, and ``upcoming`` before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from app.periods import Period, PeriodKind

YEAR_END_MONTH = 12


class FrequencyKind(StrEnum):
    MONTHLY = "monthly"
    GIVEN_MONTHS = "given_months"
    YEARLY = "yearly"


class CheckState(StrEnum):
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"


def due_months(kind: FrequencyKind | str, months: Sequence[int] = ()) -> tuple[int, ...]:
    """The months (1–12) of the year in which a check with this frequency is due, in order."""
    kind = FrequencyKind(kind)
    if kind == FrequencyKind.MONTHLY:
        return tuple(range(1, 13))
    if kind == FrequencyKind.YEARLY and not months:
        return (YEAR_END_MONTH,)
    if any(not 1 <= m <= 12 for m in months):
        raise ValueError("months are 1 to 12")
    return tuple(sorted(set(months)))


def occasion(year: int, month: int) -> Period:
    return Period(year, PeriodKind.MONTH, month)


def check_state(when: Period, on: date, done: bool) -> CheckState:
    """Where the check for the occasion ``when`` stands on the date ``on``."""
    if done:
        return CheckState.DONE
    if on < when.start:
        return CheckState.UPCOMING
    if on <= when.end:
        return CheckState.DUE
    return CheckState.OVERDUE
