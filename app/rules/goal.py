"""Goal status from its indicators or its child goals (DOMAIN §6.2). Pure functions, no I/O.

Rule kinds live in :data:`RULES`; adding one is a function here and an entry there (and its
parameters in the API schema ``app.goals.schemas.GoalRule``).

* ``share_of_indicators(threshold, min_coverage)``: over the indicators with data, weighted —
  green when the green share reaches the threshold and none is red ("at least 70 % green and the
  rest yellow", seed 004); red when green can no longer be reached even if every yellow turned
  green (red share > 1 − threshold); yellow otherwise; ``no_data`` when less than ``min_coverage``
  of the weight has data.
* ``all_children``: green only when every child goal is green, red when any is red ("both
  committee goals must be met", seed 004 KF goal 3). Children without data: if none has data the
  goal has none; otherwise they keep it from green (yellow), since "all" is not shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.rules.definitions import Status

ZERO = Decimal(0)


@dataclass(frozen=True)
class Child:
    """An indicator or child goal as the goal rule sees it."""

    key: str  # e.g. "indicator SN-5.1.1" or "goal 3.1"
    status: Status
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class Contribution:
    key: str
    status: Status
    weight: Decimal
    share: Decimal | None  # of the weight with data; None for children without data


@dataclass(frozen=True)
class GoalResult:
    status: Status
    rule: str
    parameters: dict[str, str]
    summary: str
    contributions: tuple[Contribution, ...]
    green_share: Decimal | None = None
    red_share: Decimal | None = None
    coverage: Decimal | None = None
    missing: tuple[str, ...] = ()


def share_of_indicators(
    children: Sequence[Child],
    threshold: Decimal = Decimal("0.70"),
    min_coverage: Decimal = Decimal("0.5"),
) -> GoalResult:
    params = {"threshold": str(threshold), "min_coverage": str(min_coverage)}
    total = sum((c.weight for c in children), ZERO)
    with_data = [c for c in children if c.status != Status.NO_DATA]
    weight_with_data = sum((c.weight for c in with_data), ZERO)
    missing = tuple(c.key for c in children if c.status == Status.NO_DATA)
    contributions = _contributions(children, weight_with_data)
    coverage = weight_with_data / total if total else ZERO
    if total == ZERO or coverage < min_coverage:
        summary = (
            f"No data: {_pct(coverage)} of the weight has data, {_pct(min_coverage)} needed."
            + (f" Missing: {', '.join(missing)}." if missing else "")
        )
        return GoalResult(
            Status.NO_DATA,
            "share_of_indicators",
            params,
            summary,
            contributions,
            coverage=coverage,
            missing=missing,
        )
    green = _share(with_data, Status.GREEN, weight_with_data)
    red = _share(with_data, Status.RED, weight_with_data)
    if green >= threshold and red == ZERO:
        status, why = Status.GREEN, f"{_pct(green)} green (≥ {_pct(threshold)}) and none red"
    elif red > 1 - threshold:
        status, why = (
            Status.RED,
            (
                f"{_pct(red)} red: even if every yellow turned green, {_pct(threshold)} green "
                "cannot be reached"
            ),
        )
    else:
        status, why = Status.YELLOW, f"{_pct(green)} green, {_pct(red)} red"
    summary = f"{status.value.capitalize()}: {why}." + (
        f" Without data: {', '.join(missing)}." if missing else ""
    )
    return GoalResult(
        status,
        "share_of_indicators",
        params,
        summary,
        contributions,
        green_share=green,
        red_share=red,
        coverage=coverage,
        missing=missing,
    )


def all_children(children: Sequence[Child]) -> GoalResult:
    contributions = _contributions(
        children, sum((c.weight for c in children if c.status != Status.NO_DATA), ZERO)
    )
    statuses = [c.status for c in children]
    missing = tuple(c.key for c in children if c.status == Status.NO_DATA)
    if not children or all(s == Status.NO_DATA for s in statuses):
        status, why = Status.NO_DATA, "no child goal has data"
    elif Status.RED in statuses:
        reds = [c.key for c in children if c.status == Status.RED]
        status, why = Status.RED, f"not met: {', '.join(reds)}"
    elif all(s == Status.GREEN for s in statuses):
        status, why = Status.GREEN, "every child goal is met"
    else:
        pending = [c.key for c in children if c.status != Status.GREEN]
        status, why = Status.YELLOW, f"not yet met: {', '.join(pending)}"
    return GoalResult(
        status,
        "all_children",
        {},
        f"{status.value.capitalize()}: {why}.",
        contributions,
        missing=missing,
    )


RuleFunction = Callable[..., GoalResult]
RULES: Mapping[str, RuleFunction] = {
    "share_of_indicators": share_of_indicators,
    "all_children": all_children,
}


def evaluate_goal(rule: Mapping[str, Any], children: Sequence[Child]) -> GoalResult:
    """Apply a stored rule (``{"kind": …, **parameters}``) to the goal's children."""
    parameters = {k: Decimal(str(v)) for k, v in rule.items() if k != "kind"}
    return RULES[str(rule["kind"])](children, **parameters)


def _share(children: Sequence[Child], status: Status, total: Decimal) -> Decimal:
    return sum((c.weight for c in children if c.status == status), ZERO) / total


def _contributions(
    children: Sequence[Child], weight_with_data: Decimal
) -> tuple[Contribution, ...]:
    return tuple(
        Contribution(
            c.key,
            c.status,
            c.weight,
            c.weight / weight_with_data
            if c.status != Status.NO_DATA and weight_with_data
            else None,
        )
        for c in children
    )


def _pct(fraction: Decimal) -> str:
    value = (fraction * 100).quantize(Decimal("0.1")).normalize()
    return f"{value:f} %"
