"""Internal control coloured like goals (DOMAIN §10), and the risk value. Pure functions, no I/O.

A control result is one check of a control point on one occasion (a month). Its colour comes from
:func:`app.rules.indicator.evaluate_indicator`, so green, yellow and red mean exactly what they
mean for indicators: the bound itself is met, the yellow tolerance defaults to 10 % of the target.

Decisions where DOMAIN.md is silent, written down here once:

* **What is compared.** The result's measured value when one is given (e.g. "share of
  investigations finished within 122 days"); otherwise the share of the checked cases without
  deviation, in percent: (checked − deviating) / checked × 100, evaluated as a ratio.
* **A control point without a stated quantitative objective** has the objective every control
  implies: all checked cases without deviation, i.e. *at least 100 %* of them, with the default
  tolerance (10 percentage points). So 1 deviation in 20 samples (95 %) is yellow, 3 in 20 (85 %)
  red. A measured value without a stated objective has nothing to be compared with: ``no_data``.
* **Only absolute objectives**: ``at_least``, ``at_most`` and ``between``. A control objective is
  a level, not a change against last year. The polarity follows the kind (at least → higher is
  better, at most → lower is better, between → the band is best).
* **Risk value** = probability (1–4) × consequence (1–4). Levels for the risk matrix: 1–3 low,
  4–8 medium, 9–16 high (4 is 2 × 2 or a catastrophic consequence that is unlikely: medium).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.periods import Period
from app.rules.definitions import (
    Aggregation,
    IndicatorSpec,
    Polarity,
    TargetKind,
    TargetSpec,
)
from app.rules.indicator import IndicatorResult, Observation, evaluate_indicator

HUNDRED = Decimal(100)
CONTROL_TARGET_KINDS = frozenset({TargetKind.AT_LEAST, TargetKind.AT_MOST, TargetKind.BETWEEN})
DEFAULT_OBJECTIVE = TargetSpec(TargetKind.AT_LEAST, HUNDRED)
"""All checked cases without deviation (when the control point states no objective)."""

_POLARITY = {
    TargetKind.AT_LEAST: Polarity.HIGHER_IS_BETTER,
    TargetKind.AT_MOST: Polarity.LOWER_IS_BETTER,
    TargetKind.BETWEEN: Polarity.TARGET_IS_BEST,
}

PROBABILITY_SCALE = range(1, 5)
CONSEQUENCE_SCALE = range(1, 5)


class Compared(StrEnum):
    MEASURED_VALUE = "measured_value"
    SHARE_WITHOUT_DEVIATION = "share_without_deviation"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class ControlEvaluation:
    result: IndicatorResult
    objective: TargetSpec | None
    default_objective: bool
    compared: Compared | None


def share_without_deviation(checked: int | None, deviating: int | None) -> Decimal | None:
    """(checked − deviating) / checked × 100; None when it cannot be computed."""
    if checked is None or deviating is None or checked <= 0 or not 0 <= deviating <= checked:
        return None
    return Decimal(checked - deviating) / Decimal(checked) * HUNDRED


def evaluate_control(
    objective: TargetSpec | None,
    occasion: Period,
    *,
    checked: int | None,
    deviating: int | None,
    measured: Decimal | None,
) -> ControlEvaluation:
    """The colour of one control result against the point's objective (see the module doc)."""
    if objective is not None and objective.kind not in CONTROL_TARGET_KINDS:
        raise ValueError(f"a control objective cannot be '{objective.kind}'")
    key = str(occasion)
    share_known = share_without_deviation(checked, deviating) is not None
    target: TargetSpec | None
    compared: Compared | None
    if objective is not None and measured is not None:
        target, compared = objective, Compared.MEASURED_VALUE
    elif share_known:
        target, compared = objective or DEFAULT_OBJECTIVE, Compared.SHARE_WITHOUT_DEVIATION
    else:
        target, compared = objective, None
    polarity = _POLARITY[target.kind] if target is not None else Polarity.HIGHER_IS_BETTER
    if compared == Compared.MEASURED_VALUE:
        spec = IndicatorSpec(Aggregation.LAST, polarity)
        observations = [Observation(occasion, measured, key=key)]
    elif compared == Compared.SHARE_WITHOUT_DEVIATION:
        assert checked is not None
        assert deviating is not None
        spec = IndicatorSpec(Aggregation.RATIO, polarity, ratio_scale=HUNDRED)
        observations = [
            Observation(occasion, None, Decimal(checked - deviating), Decimal(checked), key=key)
        ]
    else:
        # Nothing comparable: a measured value without an objective, or no counts at all.
        spec = IndicatorSpec(Aggregation.LAST, polarity)
        observations = [Observation(occasion, measured, key=key)] if measured is not None else []
    result = evaluate_indicator(spec, target, observations, occasion)
    return ControlEvaluation(
        result=result,
        objective=target,
        default_objective=objective is None and target is not None,
        compared=compared,
    )


def risk_value(probability: int, consequence: int) -> int:
    """Probability (1–4) × consequence (1–4)."""
    if probability not in PROBABILITY_SCALE or consequence not in CONSEQUENCE_SCALE:
        raise ValueError("probability and consequence are on a scale of 1 to 4")
    return probability * consequence


def risk_level(value: int) -> RiskLevel:
    """1–3 low, 4–8 medium, 9–16 high."""
    if not 1 <= value <= 16:
        raise ValueError("a risk value lies between 1 and 16")
    if value <= 3:
        return RiskLevel.LOW
    if value <= 8:
        return RiskLevel.MEDIUM
    return RiskLevel.HIGH
