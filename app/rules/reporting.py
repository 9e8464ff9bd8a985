"""Reporting completeness: when a period's value is due and how a delivery stands (pure rules).

A value for a period is **due** on day ``due_day`` of the month that lies ``due_months`` months
after the period's last month (the default rule, day 10 one month on, is "the 10th of the next
month": 2023-03 is due 2023-04-10, 2023-T1 is due 2023-05-10, the year 2023 is due 2024-01-10).
A day beyond the month's length means its last day (31 in February is the 28th or 29th). The
deadline is the end of the due day in UTC, the zone every time in the API is written in.

A delivery is one (indicator, org unit, period) expected by the reporting status. Its state:

* ``on_time``  — the value arrived by the deadline;
* ``late``     — it arrived, after the deadline;
* ``overdue``  — it has not arrived and the deadline has passed;
* ``pending``  — it has not arrived and is not yet due.

Arrived (``on_time`` + ``late``) over expected is the share complete, as DHIS2's reporting rate
is actual reports over expected reports; ``on_time`` over expected is its "reporting rate on
time".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

DEFAULT_DUE_DAY = 10
DEFAULT_DUE_MONTHS = 1


class DeliveryState(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    PENDING = "pending"


def due_date(
    period_end: date, due_day: int = DEFAULT_DUE_DAY, due_months: int = DEFAULT_DUE_MONTHS
) -> date:
    """The day a value for a period ending on ``period_end`` is due."""
    months = period_end.year * 12 + (period_end.month - 1) + due_months
    year, month = divmod(months, 12)
    month += 1
    return date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def deadline(due: date) -> datetime:
    """The first instant after the due day (UTC): a value arriving before it is on time."""
    return datetime.combine(due + timedelta(days=1), time(0), tzinfo=UTC)


def delivery_state(due: date, arrived_at: datetime | None, now: datetime) -> DeliveryState:
    """How a delivery due on ``due`` stands at ``now``, given when its value arrived (if it has)."""
    limit = deadline(due)
    if arrived_at is not None:
        return DeliveryState.ON_TIME if arrived_at < limit else DeliveryState.LATE
    return DeliveryState.OVERDUE if now >= limit else DeliveryState.PENDING


@dataclass
class Tally:
    """Deliveries counted by state, with the shares the reporting status answers."""

    expected: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    def add(self, state: DeliveryState) -> None:
        self.expected += 1
        setattr(self, state.value, getattr(self, state.value) + 1)

    @property
    def arrived(self) -> int:
        return self.on_time + self.late

    @property
    def share_complete(self) -> Decimal | None:
        """Arrived over expected, 4 decimals; None when nothing is expected."""
        return _share(self.arrived, self.expected)

    @property
    def share_on_time(self) -> Decimal | None:
        return _share(self.on_time, self.expected)


def _share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)
