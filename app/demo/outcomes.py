"""Demo outcomes: Södertälje's 2023 figures, January–August, so that a scorecard has colour.

Functions over one data table, ``app/demo/data/outcomes_0181_2023.csv``. The figures are
invented but plausible: each indicator gets a level it stands at by August 2023 (in its own
aggregation, DOMAIN §6.1), chosen near its baseline and 2023 target so that some indicators meet
the target, some fall a little short (within the default 10 % yellow tolerance) and some clearly
miss it. The months are drawn around that level
with ``random.Random(2023)``, so every run produces the same figures.

What is written, source system "demo":

* where: at the office "SK" (Socialkontoret), from where the scorecard rolls them up to the
  committee "SN" that owns the goals (DOMAIN §6.4) — except ``last`` indicators (point-in-time
  shares such as "Rättssäkerhet i handläggning (%)"), which are not additive: the scorecard reads
  them only at the goal owner itself, so they are written at "SN";
* month indicators: 2023-01 … 2023-08, one value a month;
* tertial indicators: 2023-T1 and 2023-T2;
* year indicators: the 2022 outcome (the previous-year reference); their 2023 value (the
  employee survey) is not in yet, so they show ``no_data`` for 2023;
* ratio indicators carry numerator and denominator (the service computes the value);
* gender-split indicators get total, women and men, where total = women + men (counts) or the
  totals' numerator and denominator are the sums of women's and men's (ratios).

``Outcome.aim`` records the colour each level is meant to give against the 2023 target; the tests
check it with a small DOMAIN §6.1 evaluation. For Södertälje that is 20 green, 8 yellow, 3 red and
1 without data, which makes the committee goals 1.1, 3.1, 4.1 and 6.1 green, 5.1, 7.1 and 8.1
yellow, and 2.1 and 3.2 red (so KF goal 3, "both committee goals", is red).
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Literal

from app.demo.plans import DemoIndicator, DemoPlan
from app.demo.tables import read_table

SEED = 2023
SOURCE_SYSTEM = "demo"
OFFICE = "SK"  # where additive figures are reported; "last" ones go to the plan's owner
MONTHS = tuple(f"2023-{month:02d}" for month in range(1, 9))
TERTIALS = ("2023-T1", "2023-T2")
PREVIOUS_YEAR = "2022"
# Relative activity per month, January–August: a July dip for the summer holidays.
MONTH_PROFILE = (
    Decimal("1.00"),
    Decimal("1.05"),
    Decimal("1.10"),
    Decimal("1.00"),
    Decimal("1.05"),
    Decimal("0.95"),
    Decimal("0.55"),
    Decimal("0.90"),
)

Aim = Literal["green", "yellow", "red", "no_data"]
Gender = Literal["total", "women", "men"]


@dataclass(frozen=True)
class Outcome:
    """Where an indicator stands by August 2023, and how the periods get there.

    ``level`` is in the indicator's aggregation: ``sum`` — the year-to-date total; ``mean`` — the
    mean of the months; ``last`` — the last period's value; ``ratio`` — Σnumerators /
    Σdenominators × scale; for a year indicator, the 2022 outcome.
    """

    level: Decimal
    aim: Aim
    start: Decimal | None = None  # last: the first period's value (default: the baseline)
    jitter: Decimal = Decimal("0.8")  # last: absolute noise on the way from start to level
    spread: float = 0.04  # sum, mean, ratio: relative month-to-month noise
    denominator: int | None = None  # ratio: a month's typical denominator
    denominator_from: str | None = None  # ratio: another indicator's monthly values instead
    women_share: Decimal | None = None  # gender split: women's share of the count/denominator
    women_rate: Decimal = Decimal(1)  # gender-split ratio: women's rate relative to the total
    decimals: int = 0  # of values (mean, last) and numerators (ratio)


@dataclass(frozen=True)
class DemoMeasurement:
    indicator_code: str
    org_unit_code: str
    period: str
    gender: Gender = "total"
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def outcome_of(row: dict[str, str | None]) -> Outcome:
    """An :class:`Outcome` from a table row; an empty cell takes the field's default."""
    given = {key: value for key, value in row.items() if value is not None}
    fields: dict[str, Any] = {"level": Decimal(given["level"]), "aim": given["aim"]}
    for name in ("start", "jitter", "women_share", "women_rate"):
        if name in given:
            fields[name] = Decimal(given[name])
    if "spread" in given:
        fields["spread"] = float(given["spread"])
    for name in ("denominator", "decimals"):
        if name in given:
            fields[name] = int(given[name])
    if "denominator_from" in given:
        fields["denominator_from"] = given["denominator_from"]
    return Outcome(**fields)


# Where each indicator stands by August 2023; the table's notes say why (target, reference).
SODERTALJE: dict[str, Outcome] = {
    str(row["indicator"]): outcome_of(row) for row in read_table("outcomes_0181_2023.csv").rows
}

OUTCOMES: dict[str, dict[str, Outcome]] = {"0181": SODERTALJE}


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _noise(rng: random.Random, spread: float) -> Decimal:
    return Decimal(str(round(rng.uniform(-spread, spread), 6)))


def ratio_scale(indicator: DemoIndicator) -> Decimal:
    """The scale the indicator service gives by default: 100 for percent, else 1."""
    return Decimal(100) if indicator.unit == "percent" else Decimal(1)


def _sum_path(level: Decimal, rng: random.Random, spread: float) -> list[Decimal]:
    """Whole counts a month adding up to exactly ``level`` (largest remainders)."""
    weights = [w * (1 + _noise(rng, spread)) for w in MONTH_PROFILE]
    quotas = [level * w / sum(weights, Decimal(0)) for w in weights]
    counts = [q.to_integral_value(rounding=ROUND_FLOOR) for q in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda i: counts[i] - quotas[i])
    for i in by_remainder[: int(level - sum(counts, Decimal(0)))]:
        counts[i] += 1
    return counts


def _mean_path(level: Decimal, n: int, rng: random.Random, o: Outcome) -> list[Decimal]:
    raw = [level * (1 + _noise(rng, o.spread)) for _ in range(n)]
    shift = level - sum(raw, Decimal(0)) / n
    return [_round(v + shift, o.decimals) for v in raw]


def _last_path(
    start: Decimal, level: Decimal, n: int, rng: random.Random, o: Outcome
) -> list[Decimal]:
    """From ``start`` to ``level`` in ``n`` steps; the last value is ``level`` exactly."""
    path = []
    for i in range(n):
        trend = start + (level - start) * i / max(n - 1, 1)
        wobble = o.jitter * _noise(rng, 1.0) if i < n - 1 else Decimal(0)
        path.append(_round(trend + wobble, o.decimals))
    return path


def _ratio_rows(
    code: str,
    unit: str,
    periods: Sequence[str],
    denominators: Sequence[Decimal],
    scale: Decimal,
    rng: random.Random,
    o: Outcome,
    gender_split: bool,
) -> list[DemoMeasurement]:
    """Numerators around ``level``; the last one makes Σnum / Σden × scale hit it."""
    numerators = [
        _round(den * o.level * (1 + _noise(rng, o.spread)) / scale, o.decimals)
        for den in denominators
    ]
    numerators[-1] = _round(o.level * sum(denominators, Decimal(0)) / scale, o.decimals) - sum(
        numerators[:-1], Decimal(0)
    )
    rows = []
    for period, num, den in zip(periods, numerators, denominators, strict=True):
        rows.append(DemoMeasurement(code, unit, period, numerator=num, denominator=den))
        if not gender_split:
            continue
        if o.women_share is None:
            raise ValueError(f"{code}: a gender-split indicator needs women_share")
        den_w = _round(den * o.women_share, 0)
        num_w = min(num, _round(den_w * num / den * o.women_rate, o.decimals))
        rows.append(
            DemoMeasurement(code, unit, period, "women", numerator=num_w, denominator=den_w)
        )
        rows.append(
            DemoMeasurement(
                code, unit, period, "men", numerator=num - num_w, denominator=den - den_w
            )
        )
    return rows


def _value_rows(
    code: str,
    unit: str,
    periods: Sequence[str],
    values: Sequence[Decimal],
    o: Outcome,
    gender_split: bool,
) -> list[DemoMeasurement]:
    rows = []
    for period, value in zip(periods, values, strict=True):
        rows.append(DemoMeasurement(code, unit, period, value=value))
        if not gender_split:
            continue
        if o.women_share is None:
            raise ValueError(f"{code}: a gender-split indicator needs women_share")
        women = _round(value * o.women_share, 0)
        rows.append(DemoMeasurement(code, unit, period, "women", value=women))
        rows.append(DemoMeasurement(code, unit, period, "men", value=value - women))
    return rows


def generate(plan: DemoPlan) -> list[DemoMeasurement]:
    """The plan's demo measurements, in plan order; empty when the plan has no outcomes."""
    outcomes = OUTCOMES.get(plan.municipality, {})
    rng = random.Random(SEED)  # noqa: S311 — demo figures, not security
    monthly: dict[str, list[Decimal]] = {}
    rows: dict[str, list[DemoMeasurement]] = {}
    # Ratios last, so that a ratio may take another indicator's monthly values as denominators.
    ordered = sorted(plan.indicators, key=lambda ind: ind.aggregation == "ratio")
    for ind in ordered:
        o = outcomes.get(ind.code)
        if o is None:
            continue
        unit = plan.owner if ind.aggregation == "last" else OFFICE
        if ind.periodicity == "year":
            # The 2022 outcome is the baseline when the baseline is of 2022.
            value = o.level
            if ind.baseline_period == PREVIOUS_YEAR and ind.baseline_value is not None:
                value = ind.baseline_value
            rows[ind.code] = _value_rows(
                ind.code, unit, [PREVIOUS_YEAR], [value], o, ind.gender_split
            )
            continue
        periods = MONTHS if ind.periodicity == "month" else TERTIALS
        if ind.aggregation == "ratio":
            if o.denominator_from is not None:
                denominators = monthly[o.denominator_from]
            elif o.denominator is not None:
                denominators = [_round(o.denominator * (1 + _noise(rng, 0.05)), 0) for _ in periods]
            else:
                raise ValueError(f"{ind.code}: a ratio outcome needs a denominator")
            rows[ind.code] = _ratio_rows(
                ind.code, unit, periods, denominators, ratio_scale(ind), rng, o, ind.gender_split
            )
            continue
        if ind.aggregation == "sum":
            if ind.periodicity != "month":
                raise ValueError(f"{ind.code}: demo sums are monthly")
            values = _sum_path(o.level, rng, o.spread)
        elif ind.aggregation == "mean":
            values = _mean_path(o.level, len(periods), rng, o)
        else:
            start = o.start if o.start is not None else ind.baseline_value
            values = _last_path(
                start if start is not None else o.level, o.level, len(periods), rng, o
            )
        monthly[ind.code] = values
        rows[ind.code] = _value_rows(ind.code, unit, periods, values, o, ind.gender_split)
    return [row for ind in plan.indicators for row in rows.get(ind.code, [])]
