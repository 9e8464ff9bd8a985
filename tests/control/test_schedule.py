"""When checks fall due (pure): monthly, given months, yearly with and without a month."""

from datetime import date

import pytest

from app.control.schedule import CheckState, check_state, due_months, occasion

DONE, DUE, OVERDUE, UPCOMING = (
    CheckState.DONE,
    CheckState.DUE,
    CheckState.OVERDUE,
    CheckState.UPCOMING,
)


@pytest.mark.parametrize(
    ("kind", "months", "expected"),
    [
        ("monthly", (), tuple(range(1, 13))),
        ("given_months", (12, 4, 8), (4, 8, 12)),  # "3 gånger/år (april, aug, dec)"
        ("given_months", (5, 11), (5, 11)),  # "2 gånger/år (maj/nov)"
        ("yearly", (11,), (11,)),  # "1 gång/år (nov)"
        ("yearly", (), (12,)),  # "1 gång/år": at the year-end report
    ],
)
def test_due_months(kind, months, expected):
    assert due_months(kind, months) == expected


def test_months_outside_the_year_are_refused():
    with pytest.raises(ValueError, match="1 to 12"):
        due_months("given_months", (0, 13))


@pytest.mark.parametrize(
    ("month", "on", "done", "expected"),
    [
        (4, date(2023, 3, 31), False, UPCOMING),
        (4, date(2023, 4, 1), False, DUE),
        (4, date(2023, 4, 30), False, DUE),  # due by the month's last day
        (4, date(2023, 5, 1), False, OVERDUE),
        (4, date(2023, 3, 1), True, DONE),  # recorded early is done
        (4, date(2024, 1, 1), True, DONE),
        (12, date(2024, 1, 1), False, OVERDUE),
    ],
)
def test_check_state(month, on, done, expected):
    assert check_state(occasion(2023, month), on, done) == expected
