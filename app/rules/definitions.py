"""The vocabulary of fulfilment: what an indicator measures, what its target asks, what we answer.

Pure data. The ORM models and API schemas import these enums from here, so there is one list of
each in the code base.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Status(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NO_DATA = "no_data"


# Worst to best, for comparisons ("never makes a colour worse").
STATUS_RANK = {Status.RED: 0, Status.YELLOW: 1, Status.GREEN: 2}


class Trend(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    UNCHANGED = "unchanged"


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    TARGET_IS_BEST = "target_is_best"


class ColourMode(StrEnum):
    """How an indicator gets its colour: against its target (DOMAIN §5), or by quartile among a
    benchmark group (DOMAIN §11, as "Kommunens kvalitet i korthet" shows it)."""

    TARGET = "target"
    QUARTILE = "quartile"


class Aggregation(StrEnum):
    SUM = "sum"
    MEAN = "mean"
    LAST = "last"
    RATIO = "ratio"


class TargetKind(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    BETWEEN = "between"
    INCREASE = "increase"
    DECREASE = "decrease"
    UNCHANGED = "unchanged"


RELATIVE_KINDS = frozenset({TargetKind.INCREASE, TargetKind.DECREASE, TargetKind.UNCHANGED})


class ToleranceKind(StrEnum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"


DEFAULT_RELATIVE_TOLERANCE = Decimal("0.10")


@dataclass(frozen=True)
class Tolerance:
    kind: ToleranceKind
    value: Decimal


@dataclass(frozen=True)
class TargetSpec:
    kind: TargetKind
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    min_change: Decimal | None = None
    tolerance: Tolerance | None = None


@dataclass(frozen=True)
class IndicatorSpec:
    aggregation: Aggregation
    polarity: Polarity
    ratio_scale: Decimal = Decimal(1)
    # Twelve monthly weights summing to 1; None means every month weighs the same.
    seasonal_profile: tuple[Decimal, ...] | None = None
