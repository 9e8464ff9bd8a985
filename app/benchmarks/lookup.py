"""Kolada values read for comparisons, shared by the benchmark answer and the scorecard.

An indicator in ``quartile`` colour mode (DOMAIN §11) is coloured by where the municipality's own
Kolada value ranks among its benchmark group, as "Kommunens kvalitet i korthet" shows it. Kolada
values on both sides keep the comparison like with like: Kolada computes each KPI by one
definition for every municipality, which the municipality's own measurements need not follow.

Kolada publishes a year's figures in the following spring, so a scorecard for 2026 compares the
**latest year up to 2026 for which the municipality has a Kolada value**, and says which year it
used. With ``as_of``, values imported after that moment are left out; a value Kolada revised and
that was imported again after ``as_of`` shows its revised figure (benchmark values are not
versioned in system time — see the README on reproducibility).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from app.auth.deps import Ctx
from app.benchmarks.models import BenchmarkGroup, BenchmarkValue
from app.indicators.models import Indicator, Target, TargetKind
from app.measurements.models import Gender
from app.municipalities.models import Municipality
from app.rules import benchmark as rules
from app.rules.definitions import ColourMode, Polarity

KOLADA_FIRST_YEAR = 1990
Found = dict[str, tuple[Decimal | None, str | None]]  # municipality code → (value, Kolada status)


@dataclass(frozen=True)
class Quartiled:
    """A ``quartile`` indicator's comparison; ``year`` is ``None`` when the municipality has no
    Kolada value up to the scorecard's year."""

    group: BenchmarkGroup
    kpi: str
    year: int | None
    comparison: rules.Comparison


def best_point(target: Target | None) -> Decimal | None:
    """Where a ``target_is_best`` indicator is best: the middle of a ``between`` band, or the
    ``at_least``/``at_most`` value. Relative targets (increase, …) name no point."""
    if target is None:
        return None
    if target.kind == TargetKind.BETWEEN and target.low is not None and target.high is not None:
        return (target.low + target.high) / 2
    if target.kind in (TargetKind.AT_LEAST, TargetKind.AT_MOST):
        return target.value
    return None


async def own_municipality(ctx: Ctx) -> tuple[str, str]:
    """The caller's municipality as (code, name)."""
    code = ctx.principal.municipality_code
    row = await ctx.session.get(Municipality, ctx.municipality_id)
    return code, row.name if row is not None else code


def member_codes(group: BenchmarkGroup) -> list[str]:
    return [str(m["code"]) for m in group.members]


async def kolada_values(
    ctx: Ctx,
    kpis: Iterable[str],
    codes: Iterable[str],
    gender: Gender,
    years: tuple[int, int],
    as_of: datetime | None = None,
) -> dict[tuple[str, int], Found]:
    """Values of the KPIs for the municipalities over ``years`` (inclusive), by (kpi, year)."""
    v = BenchmarkValue
    stmt = select(v.kpi, v.year, v.municipality_code, v.value, v.status).where(
        v.kpi.in_(sorted(set(kpis))),
        v.year.between(*years),
        v.gender == gender.value,
        v.municipality_code.in_(sorted(set(codes))),
    )
    if as_of is not None:
        stmt = stmt.where(v.created_at <= as_of)
    found: dict[tuple[str, int], Found] = defaultdict(dict)
    for kpi, year, code, value, status in await ctx.session.execute(stmt):
        found[(kpi, year)][code] = (None if value is None else Decimal(str(value)), status)
    return found


def compare_in_group(
    own: tuple[str, str],
    group: BenchmarkGroup,
    found: Found,
    polarity: Polarity,
    point: Decimal | None,
) -> rules.Comparison:
    code, name = own
    members = [
        rules.Entry(str(m["code"]), str(m["name"]), found.get(str(m["code"]), (None, None))[0])
        for m in group.members
    ]
    return rules.compare(
        rules.Entry(code, name, found.get(code, (None, None))[0]), members, polarity, point
    )


def latest_own_year(found: Mapping[tuple[str, int], Found], kpi: str, own_code: str) -> int | None:
    years = [
        year
        for (k, year), by_code in found.items()
        if k == kpi and by_code.get(own_code, (None, None))[0] is not None
    ]
    return max(years, default=None)


async def quartile_comparisons(
    ctx: Ctx,
    indicators: Sequence[Indicator],
    year: int,
    targets: Mapping[uuid.UUID, Target],
    as_of: datetime | None,
) -> dict[uuid.UUID, Quartiled]:
    """The comparison behind the colour of each of ``indicators`` in ``quartile`` colour mode, in
    two statements whatever their number (none when there are none)."""
    quartile = [
        (indicator, group_id, kpi)
        for indicator in indicators
        if indicator.colour_mode == ColourMode.QUARTILE
        and (group_id := indicator.benchmark_group_id) is not None
        and (kpi := indicator.kolada_kpi) is not None
    ]
    if not quartile:
        return {}
    group_ids = {group_id for _, group_id, _ in quartile}
    groups = {
        g.id: g
        for g in (
            await ctx.session.scalars(
                select(BenchmarkGroup).where(BenchmarkGroup.id.in_(group_ids))
            )
        ).all()
    }
    own = await own_municipality(ctx)
    codes = {own[0]} | {code for g in groups.values() for code in member_codes(g)}
    kpis = {kpi for _, _, kpi in quartile}
    found = await kolada_values(ctx, kpis, codes, Gender.TOTAL, (KOLADA_FIRST_YEAR, year), as_of)
    answers: dict[uuid.UUID, Quartiled] = {}
    for indicator, group_id, kpi in quartile:
        compared = latest_own_year(found, kpi, own[0])
        comparison = compare_in_group(
            own,
            groups[group_id],
            found.get((kpi, compared), {}) if compared is not None else {},
            Polarity(indicator.polarity),
            best_point(targets.get(indicator.id)),
        )
        answers[indicator.id] = Quartiled(groups[group_id], kpi, compared, comparison)
    return answers
