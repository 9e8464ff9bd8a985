"""Due days and delivery states (app.rules.reporting), on dates worked out by hand."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.rules.reporting import DeliveryState, Tally, deadline, delivery_state, due_date


@pytest.mark.parametrize(
    ("period_end", "day", "months", "due"),
    [
        (date(2023, 3, 31), 10, 1, date(2023, 4, 10)),  # a month: the 10th of the next
        (date(2023, 4, 30), 10, 1, date(2023, 5, 10)),  # 2023-T1
        (date(2023, 12, 31), 10, 1, date(2024, 1, 10)),  # the year, into the next year
        (date(2023, 1, 31), 31, 1, date(2023, 2, 28)),  # past the month's end: its last day
        (date(2024, 1, 31), 30, 1, date(2024, 2, 29)),  # leap year
        (date(2023, 1, 31), 31, 0, date(2023, 1, 31)),  # due the period's last day
        (date(2023, 12, 31), 15, 3, date(2024, 3, 15)),  # Kolada-like: three months on
    ],
)
def test_due_date(period_end, day, months, due):
    assert due_date(period_end, day, months) == due


def test_the_deadline_is_the_end_of_the_due_day_in_utc():
    limit = deadline(date(2023, 4, 10))
    assert limit == datetime(2023, 4, 11, tzinfo=UTC)
    due = date(2023, 4, 10)
    just_before = limit - timedelta(microseconds=1)
    assert delivery_state(due, just_before, limit) is DeliveryState.ON_TIME
    assert delivery_state(due, limit, limit) is DeliveryState.LATE
    assert delivery_state(due, None, just_before) is DeliveryState.PENDING
    assert delivery_state(due, None, limit) is DeliveryState.OVERDUE


def test_tally_shares():
    tally = Tally()
    for state in ["on_time"] * 6 + ["late"] * 2 + ["overdue"]:
        tally.add(DeliveryState(state))
    assert (tally.expected, tally.arrived) == (9, 8)
    assert tally.share_complete == Decimal("0.8889")  # 8/9
    assert tally.share_on_time == Decimal("0.6667")  # 6/9
    assert Tally().share_complete is None
