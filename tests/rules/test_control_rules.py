"""Control results coloured by the rules module, and the risk value — every number by hand."""

import subprocess
import sys
from decimal import Decimal as D

import pytest

from app.control.models import ControlTargetKind
from app.periods import Period
from app.rules.control import (
    CONTROL_TARGET_KINDS,
    Compared,
    RiskLevel,
    evaluate_control,
    risk_level,
    risk_value,
    share_without_deviation,
)
from app.rules.definitions import Status, TargetKind, TargetSpec, Tolerance, ToleranceKind

G, Y, R, N = Status.GREEN, Status.YELLOW, Status.RED, Status.NO_DATA
DEC_2022 = Period.parse("2022-12")


def at_least_100(tolerance=None):
    tol = None if tolerance is None else Tolerance(ToleranceKind.ABSOLUTE, D(str(tolerance)))
    return TargetSpec(TargetKind.AT_LEAST, D(100), tolerance=tol)


class TestStromsundChildInvestigations:
    """Seed 002 §26: 68 investigations at the end of December 2022, 59 within four months.

    59 / 68 = 0.867647… → 86.76 %. Against "at least 100 %" it is 13.24 points short.
    """

    def test_the_share_is_59_of_68(self):
        share = share_without_deviation(68, 9)
        assert share is not None
        assert round(share, 2) == D("86.76")

    def test_red_with_a_stated_tolerance_of_10_points(self):
        # Yellow band 90–100; 86.76 is 13.24 short > 10 → red.
        evaluation = evaluate_control(
            at_least_100(10), DEC_2022, checked=68, deviating=9, measured=None
        )
        result = evaluation.result
        assert result.status == R
        assert evaluation.compared == Compared.SHARE_WITHOUT_DEVIATION
        assert not evaluation.default_objective
        actual, gap = result.explanation.actual, result.explanation.gap
        assert actual is not None
        assert gap is not None
        assert round(actual, 2) == D("86.76")
        assert round(gap, 2) == D("13.24")
        assert result.explanation.tolerance == 10
        assert result.explanation.summary == (
            "Red: actual 86.76; expected at least 100; short by 13.24, tolerance 10."
        )

    def test_yellow_with_a_stated_tolerance_of_15_points(self):
        # Yellow band 85–100; 13.24 short ≤ 15 → yellow.
        result = evaluate_control(
            at_least_100(15), DEC_2022, checked=68, deviating=9, measured=None
        ).result
        assert result.status == Y

    def test_the_same_from_a_measured_value(self):
        evaluation = evaluate_control(
            at_least_100(10), DEC_2022, checked=68, deviating=9, measured=D("86.8")
        )
        assert evaluation.compared == Compared.MEASURED_VALUE
        assert evaluation.result.status == R
        assert evaluation.result.explanation.actual == D("86.8")

    def test_without_a_stated_tolerance_the_default_ten_percent_is_also_red(self):
        result = evaluate_control(
            at_least_100(), DEC_2022, checked=68, deviating=9, measured=None
        ).result
        assert result.status == R
        assert result.explanation.tolerance == D(10)


@pytest.mark.parametrize(
    ("checked", "deviating", "expected"),
    [
        (20, 0, G),  # 100 %
        (20, 1, Y),  # 95 %: 5 short ≤ 10
        (10, 1, Y),  # 90 %: exactly on the edge of the tolerance → yellow
        (20, 3, R),  # 85 %: 15 short
        (0, 0, N),  # nothing checked: no share
        (None, None, N),
        (12, None, N),  # deviations not known
    ],
)
def test_a_point_without_an_objective_needs_every_checked_case_without_deviation(
    checked, deviating, expected
):
    evaluation = evaluate_control(
        None, Period.parse("2023-04"), checked=checked, deviating=deviating, measured=None
    )
    assert evaluation.result.status == expected
    if expected != N:
        assert evaluation.default_objective
        assert evaluation.objective == TargetSpec(TargetKind.AT_LEAST, D(100))


def test_a_measured_value_without_an_objective_is_not_coloured():
    evaluation = evaluate_control(
        None, Period.parse("2023-04"), checked=None, deviating=None, measured=D(12)
    )
    assert evaluation.result.status == N
    assert evaluation.result.explanation.rule == "no_target"


def test_a_measured_value_without_an_objective_falls_back_on_the_counts():
    evaluation = evaluate_control(
        None, Period.parse("2023-04"), checked=4, deviating=0, measured=D(12)
    )
    assert (evaluation.result.status, evaluation.compared) == (G, Compared.SHARE_WITHOUT_DEVIATION)


@pytest.mark.parametrize(
    ("target", "measured", "expected"),
    [
        # "at most 122 days on average": 122 green, 130 is 8 over ≤ 12.2 → yellow, 140 red.
        (TargetSpec(TargetKind.AT_MOST, D(122)), D(122), G),
        (TargetSpec(TargetKind.AT_MOST, D(122)), D(130), Y),
        (TargetSpec(TargetKind.AT_MOST, D(122)), D(140), R),
        # between 95 and 100, absolute tolerance 2: 94 yellow, 92 red.
        (
            TargetSpec(
                TargetKind.BETWEEN,
                low=D(95),
                high=D(100),
                tolerance=Tolerance(ToleranceKind.ABSOLUTE, D(2)),
            ),
            D(94),
            Y,
        ),
        (
            TargetSpec(
                TargetKind.BETWEEN,
                low=D(95),
                high=D(100),
                tolerance=Tolerance(ToleranceKind.ABSOLUTE, D(2)),
            ),
            D(92),
            R,
        ),
    ],
)
def test_other_objective_kinds(target, measured, expected):
    result = evaluate_control(
        target, Period.parse("2023-05"), checked=None, deviating=None, measured=measured
    ).result
    assert result.status == expected


def test_an_objective_with_nothing_recorded_is_no_data():
    result = evaluate_control(
        at_least_100(10), Period.parse("2023-05"), checked=None, deviating=None, measured=None
    ).result
    assert (result.status, result.explanation.rule) == (N, "no_data")


def test_relative_objectives_are_refused():
    with pytest.raises(ValueError, match="increase"):
        evaluate_control(
            TargetSpec(TargetKind.INCREASE),
            Period.parse("2023-05"),
            checked=1,
            deviating=0,
            measured=None,
        )


def test_the_model_enum_matches_the_rules():
    assert {k.value for k in ControlTargetKind} == {k.value for k in CONTROL_TARGET_KINDS}


@pytest.mark.parametrize(
    ("probability", "consequence", "value", "level"),
    [
        (1, 1, 1, RiskLevel.LOW),
        (1, 3, 3, RiskLevel.LOW),
        (3, 1, 3, RiskLevel.LOW),
        (2, 2, 4, RiskLevel.MEDIUM),
        (1, 4, 4, RiskLevel.MEDIUM),
        (2, 3, 6, RiskLevel.MEDIUM),
        (4, 2, 8, RiskLevel.MEDIUM),
        (3, 3, 9, RiskLevel.HIGH),
        (3, 4, 12, RiskLevel.HIGH),
        (4, 4, 16, RiskLevel.HIGH),
    ],
)
def test_risk_value_is_probability_times_consequence(probability, consequence, value, level):
    assert risk_value(probability, consequence) == value
    assert risk_level(value) == level


@pytest.mark.parametrize(("probability", "consequence"), [(0, 1), (1, 5), (5, 5)])
def test_risk_scales_are_one_to_four(probability, consequence):
    with pytest.raises(ValueError, match="1 to 4"):
        risk_value(probability, consequence)


def test_the_control_rules_import_no_framework_database_or_io_library():
    code = (
        "import sys, app.rules.control, app.control.schedule\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'fastapi', 'starlette', 'sqlalchemy', 'pydantic', 'httpx', 'asyncpg', 'aiosqlite'})\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
