"""``GET /placement-follow-up``: care days, cost, budget, forecast and colour per category.

For an org unit's subtree (or the whole municipality) and a period of year Y (a month, tertial,
quarter, half year or the year), the figures run from 1 January to the period's last day D.

**Six statements, whatever the history** — the care days and cost of the episodes per (category,
org unit, month), clipped to each month in SQL; the monthly aggregates; the ongoing episodes on D
with their current rate; the new and ended episodes of the period; the budgets; the categories.
Python then only merges grouped rows (at most categories × units × 12).

Decisions, written down once:

* **Care days** count both ends: an interval is clipped to the month (and the month to D), and a
  rate period from 30 January to 2 February is 2 days in January and 2 in February. Day numbers
  are computed in SQL (:class:`day_number`, per engine).
* **One source per cell.** A month of a category at an org unit comes from one source: **the
  monthly aggregate wins** when there is one — it is what the financial or case system closed the
  month with (net cost, after invoices, corrections and revenue) — else the episodes. The episode
  figures an aggregate replaces are shown as ``superseded_episodes``, never added.
* **Reporting totals.** A category with children (``parent_id``, seed 003's
  "Familjehemsplaceringar (totalt)" over own and purchased family homes) gets a row of its own
  figures plus its children's — care days, cost, budget, forecast, coloured as any row — listing
  them in ``total_of``. The follow-up's total adds every category's own figures once, so a
  total's row is never counted again.
* **Placements on annual basis** = care days / days elapsed (1 January to D): for a whole year
  that is care days / days in the year (365 or 366), as seed 003 computes it (2 920 days = 8.0);
  for part of a year it is the average number placed, comparable from month to month.
* **Budget to date** = the year's budget × months elapsed / 12 (DOMAIN §7: pro-rated monthly).
  **Deviation** = budget − cost (positive is favourable), to date and for the forecast.
* **Forecast** = cost to date + every episode not ended on D at the daily rate valid on D, for
  the days from D + 1 to its planned end or 31 December + the budget's expected yearly inflow ×
  months remaining / 12. Each part is shown.
* **Colour**: the forecast against the year's budget, by the rules module as an ``at_most``
  target of a ``lower_is_better`` value (green within budget, yellow over it by no more than the
  tolerance — by default the rules module's 10 % — red beyond, ``no_data`` without a budget).
* **No data is not a cost of 0.** A category has data for the period when, in the subtree,
  there is any aggregate for a month from January to the period's last month (a quarter, tertial,
  half or year aggregate read as its months by calendar days, the shortest period covering a
  month winning it: ``app.placements.aggregates``), or
  any episode day from 1 January to D (an episode ongoing on D, or started or ended within the
  period, counts as well) — the window the figures cover, so data in earlier months of the year
  counts. Without any, its care days, cost and everything computed from them (placements on
  annual basis, average, deviations, cost to date and the forecast's total) are null and the
  colour is ``no_data`` (as in the budget follow-up), even with a budget: a budget with nothing
  reported against it is not "within budget". With data, a cost of 0 (an aggregate of 0 kr, a
  rate of 0) is a real 0 and is coloured as usual. The total has data when any category has;
  categories without data then count with 0 in it, as categories without outcome lines do in
  the budget follow-up.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.auth.deps import Ctx
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.periods import Period
from app.placements.aggregates import month_shares
from app.placements.models import (
    Placement,
    PlacementAggregate,
    PlacementBudget,
    PlacementCategory,
    PlacementRate,
    PlacementRegime,
    PlacementTargetGroup,
)
from app.placements.money import share_ore, to_sek
from app.placements.schemas import (
    PlacementBudgetPart,
    PlacementCategoryRef,
    PlacementEpisodeCounts,
    PlacementFollowUp,
    PlacementFollowUpRow,
    PlacementForecast,
    PlacementSourcePart,
    PlacementSources,
)
from app.rules.definitions import (
    Aggregation,
    IndicatorSpec,
    Polarity,
    Status,
    TargetKind,
    TargetSpec,
    Tolerance,
    ToleranceKind,
)
from app.rules.indicator import Observation, evaluate_indicator

EPOCH = date(2000, 1, 1)
PRECEDENCE = (
    "aggregate: a month of a category at an org unit that has a monthly aggregate takes its "
    "figures from the aggregate; the episodes' figures for it are shown as "
    "superseded_episodes and not counted"
)
BUDGET_SPEC = IndicatorSpec(aggregation=Aggregation.LAST, polarity=Polarity.LOWER_IS_BETTER)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")

Cell = tuple[uuid.UUID, uuid.UUID, str]  # category, org unit, month


class day_number(FunctionElement[int]):
    """Days since 2000-01-01 of a date expression, on either engine."""

    type = Integer()
    inherit_cache = True
    name = "day_number"


@compiles(day_number)
def _day_number_postgresql(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    (arg,) = element.clauses
    return f"({compiler.process(arg, **kw)} - DATE '2000-01-01')"


@compiles(day_number, "sqlite")
def _day_number_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    (arg,) = element.clauses
    # julianday() of a date is N + 0.5, exactly; the difference is a whole number of days.
    return f"CAST(julianday({compiler.process(arg, **kw)}) - 2451544.5 AS INTEGER)"


def day_no(day: date) -> int:
    return (day - EPOCH).days


def _greatest(a: Any, b: Any) -> ColumnElement[int]:
    return case((a > b, a), else_=b)


def _least(a: Any, b: Any) -> ColumnElement[int]:
    return case((a < b, a), else_=b)


def _months(year: int, last_month: int) -> Any:
    """A CTE of the months 1..last_month of ``year``: period text, first and last day number."""
    rows = []
    for month in range(1, last_month + 1):
        period = Period.parse(f"{year}-{month:02d}")
        rows.append(
            select(
                literal(str(period), String).label("period"),
                literal(day_no(period.start), Integer).label("lo"),
                literal(day_no(period.end), Integer).label("hi"),
            )
        )
    query = rows[0] if len(rows) == 1 else union_all(*rows)
    return query.cte("months")


@dataclass
class Part:
    care_days: int = 0
    cost: int = 0  # öre
    cells: int = 0

    def add(self, days: int, cost: int) -> None:
        self.care_days += days
        self.cost += cost
        self.cells += 1

    def out(self) -> PlacementSourcePart:
        return PlacementSourcePart(
            care_days=self.care_days, cost=_sek(self.cost), unit_months=self.cells
        )


@dataclass
class Figures:
    """One category's (or the total's) numbers, in öre and days."""

    aggregates: Part = field(default_factory=Part)
    episodes: Part = field(default_factory=Part)
    superseded: Part = field(default_factory=Part)
    ongoing: int = 0
    remaining_days: int = 0
    ongoing_cost: int = 0
    new: int = 0
    ended: int = 0
    budgets: int = 0
    budget_days: int | None = None
    budget_amount: int = 0
    budget_inflow: int | None = None

    def absorb(self, other: Figures) -> None:
        for name in ("aggregates", "episodes", "superseded"):
            mine, theirs = getattr(self, name), getattr(other, name)
            mine.care_days += theirs.care_days
            mine.cost += theirs.cost
            mine.cells += theirs.cells
        for name in ("ongoing", "remaining_days", "ongoing_cost", "new", "ended", "budgets"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.budget_amount += other.budget_amount
        self.budget_days = _add(self.budget_days, other.budget_days)
        self.budget_inflow = _add(self.budget_inflow, other.budget_inflow)

    @property
    def has_data(self) -> bool:
        """Any aggregate row for a month from January to the period's last month, or any
        episode day from 1 January to D (or an episode ongoing on D, started or ended within the
        period). Without any, nothing is known about the period: not a cost of 0."""
        return bool(
            self.aggregates.cells
            or self.episodes.cells
            or self.superseded.cells
            or self.ongoing
            or self.new
            or self.ended
        )

    @property
    def empty(self) -> bool:
        return not (self.has_data or self.budgets)


def _add(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else a + b


def _sek(ore: int) -> Decimal:
    value = to_sek(ore)
    assert value is not None
    return value


def _ratio(numerator: Decimal | int, denominator: Decimal | int, quantum: Decimal) -> Decimal:
    return (Decimal(numerator) / Decimal(denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def _round_share(value: int, numerator: int, denominator: int) -> int:
    return share_ore(value, numerator, denominator)


@dataclass(frozen=True)
class Window:
    period: Period
    year_start: date
    year_end: date
    day: date  # D, the period's last day
    months: int  # months elapsed

    @classmethod
    def of(cls, period: Period) -> Window:
        year = period.year_period
        return cls(period, year.start, year.end, period.end, period.months_elapsed)

    @property
    def days_elapsed(self) -> int:
        return (self.day - self.year_start).days + 1

    @property
    def days_in_year(self) -> int:
        return (self.year_end - self.year_start).days + 1


def _where_units(stmt: Any, column: Any, units: list[uuid.UUID] | None) -> Any:
    return stmt if units is None else stmt.where(column.in_(units))


async def _episode_cells(
    ctx: Ctx, w: Window, units: list[uuid.UUID] | None
) -> dict[Cell, tuple[int, int]]:
    """Care days and cost (öre) of the episodes per (category, org unit, month), Jan..D."""
    r, p = PlacementRate, Placement
    months = _months(w.period.year, w.months)
    rate_from = day_number(r.valid_from)
    rate_to = func.coalesce(day_number(r.valid_to), months.c.hi)
    days = _least(rate_to, months.c.hi) - _greatest(rate_from, months.c.lo) + 1
    stmt = (
        select(
            p.category_id,
            p.org_unit_id,
            months.c.period,
            func.sum(days),
            func.sum(days * r.daily_rate_ore),
        )
        .select_from(r)
        .join(p, p.id == r.placement_id)
        .join(months, and_(rate_from <= months.c.hi, rate_to >= months.c.lo))
        .where(r.valid_from <= w.day, or_(r.valid_to.is_(None), r.valid_to >= w.year_start))
        .group_by(p.category_id, p.org_unit_id, months.c.period)
    )
    stmt = _where_units(stmt, p.org_unit_id, units)
    result = await ctx.session.execute(stmt)
    return {
        (category, unit, period): (int(days_), int(cost))
        for category, unit, period, days_, cost in result
    }


async def _aggregate_cells(
    ctx: Ctx, w: Window, units: list[uuid.UUID] | None
) -> dict[Cell, tuple[int, int]]:
    """Per (category, org unit, month) Jan..D: the aggregates read as months
    (:func:`app.placements.aggregates.month_shares`), the shortest period covering a month
    winning it."""
    a = PlacementAggregate
    year = w.period.year
    stmt = select(a.category_id, a.org_unit_id, a.period, a.care_days, a.net_cost_ore).where(
        or_(a.period == str(year), a.period.like(f"{year}-%"))
    )
    stmt = _where_units(stmt, a.org_unit_id, units)
    last_month = f"{year}-{w.months:02d}"
    cells: dict[Cell, tuple[int, int, int]] = {}  # … → (months in the period, days, cost)
    for category, unit, text, days, cost in await ctx.session.execute(stmt):
        period = Period.parse(text)
        length = period.kind.months
        for month, month_days, month_cost in month_shares(period, int(days), int(cost)):
            cell = (category, unit, month)
            if month <= last_month and (cell not in cells or length < cells[cell][0]):
                cells[cell] = (length, month_days, month_cost)
    return {cell: (days, cost) for cell, (_, days, cost) in cells.items()}


async def _ongoing(
    ctx: Ctx, w: Window, units: list[uuid.UUID] | None
) -> dict[uuid.UUID, tuple[int, int, int]]:
    """Per category: episodes not ended on D, their days from D + 1 to the year's end (or their
    planned end), and those days at the rate valid on D (öre)."""
    r, p = PlacementRate, Placement
    year_end = day_no(w.year_end)
    last = _least(func.coalesce(day_number(p.end_date), year_end), year_end)
    remaining = last - day_no(w.day)
    stmt = (
        select(
            p.category_id,
            func.count(p.id),
            func.sum(remaining),
            func.sum(remaining * r.daily_rate_ore),
        )
        .select_from(p)
        .join(
            r,
            and_(
                r.placement_id == p.id,
                r.valid_from <= w.day,
                or_(r.valid_to.is_(None), r.valid_to >= w.day),
            ),
        )
        .where(p.start_date <= w.day, or_(p.end_date.is_(None), p.end_date > w.day))
        .group_by(p.category_id)
    )
    stmt = _where_units(stmt, p.org_unit_id, units)
    result = await ctx.session.execute(stmt)
    return {
        category: (int(count), int(days or 0), int(cost or 0))
        for category, count, days, cost in result
    }


async def _counts(
    ctx: Ctx, w: Window, units: list[uuid.UUID] | None
) -> dict[uuid.UUID, tuple[int, int]]:
    """Per category: episodes started and ended within the period."""
    p = Placement
    start = w.period.start
    new = func.sum(case((p.start_date >= start, 1), else_=0))
    ended = func.sum(case((and_(p.end_date >= start, p.end_date <= w.day), 1), else_=0))
    stmt = (
        select(p.category_id, new, ended)
        .where(p.start_date <= w.day, or_(p.end_date.is_(None), p.end_date >= start))
        .group_by(p.category_id)
    )
    stmt = _where_units(stmt, p.org_unit_id, units)
    result = await ctx.session.execute(stmt)
    return {category: (int(n or 0), int(e or 0)) for category, n, e in result}


async def _budgets(
    ctx: Ctx, w: Window, units: list[uuid.UUID] | None
) -> dict[uuid.UUID, tuple[int, int | None, int, int | None]]:
    b = PlacementBudget
    stmt = (
        select(
            b.category_id,
            func.count(b.id),
            func.sum(b.care_days),
            func.sum(b.amount_ore),
            func.sum(b.expected_inflow_ore),
        )
        .where(b.year == w.period.year)
        .group_by(b.category_id)
    )
    stmt = _where_units(stmt, b.org_unit_id, units)
    result = await ctx.session.execute(stmt)
    return {
        category: (
            int(count),
            None if days is None else int(days),
            int(amount),
            None if inflow is None else int(inflow),
        )
        for category, count, days, amount, inflow in result
    }


async def follow_up(
    ctx: Ctx, period: Period, org_unit_id: uuid.UUID | None, tolerance: Decimal | None
) -> PlacementFollowUp:
    w = Window.of(period)
    units: list[uuid.UUID] | None = None
    if org_unit_id is not None:
        await ctx.get(OrgUnit, org_unit_id, "org unit")
        units = list((await ctx.session.scalars(subtree_ids(org_unit_id))).all())
    figures: dict[uuid.UUID, Figures] = defaultdict(Figures)
    aggregate_cells = await _aggregate_cells(ctx, w, units)
    for (category_id, _, _), (days, cost) in aggregate_cells.items():
        figures[category_id].aggregates.add(days, cost)
    for cell, (days, cost) in (await _episode_cells(ctx, w, units)).items():
        part = "superseded" if cell in aggregate_cells else "episodes"
        getattr(figures[cell[0]], part).add(days, cost)
    for category_id, (count, days, cost) in (await _ongoing(ctx, w, units)).items():
        f = figures[category_id]
        f.ongoing, f.remaining_days, f.ongoing_cost = count, days, cost
    for category_id, (new, ended) in (await _counts(ctx, w, units)).items():
        figures[category_id].new, figures[category_id].ended = new, ended
    for category_id, budget in (await _budgets(ctx, w, units)).items():
        f = figures[category_id]
        f.budgets, f.budget_days, f.budget_amount, f.budget_inflow = budget
    categories = {c.id: c for c in (await ctx.session.scalars(select(PlacementCategory))).all()}
    children: dict[uuid.UUID, list[PlacementCategory]] = defaultdict(list)
    for c in categories.values():
        if c.parent_id is not None:
            children[c.parent_id].append(c)
    rows = []
    total = Figures()
    for category in sorted(categories.values(), key=lambda c: c.code):
        f = figures[category.id] if category.id in figures else Figures()
        total.absorb(f)  # each category's own figures, once: a parent's row is not added again
        parts = sorted(children.get(category.id, []), key=lambda c: c.code)
        if parts:
            f = _total_of(f, [figures[c.id] for c in parts if c.id in figures])
        if f.empty:
            continue
        parent = categories.get(category.parent_id) if category.parent_id else None
        ref = PlacementCategoryRef(
            id=category.id,
            code=category.code,
            name=category.name,
            target_group=PlacementTargetGroup(category.target_group),
            regime=PlacementRegime(category.regime),
            parent_code=parent.code if parent else None,
            total_of=[c.code for c in parts] if parts else None,
        )
        rows.append(_row(ref, f, w, tolerance))
    return PlacementFollowUp(
        period=str(period),
        date_from=w.year_start,
        date_to=w.day,
        org_unit_id=org_unit_id,
        days_elapsed=w.days_elapsed,
        days_in_year=w.days_in_year,
        months_elapsed=w.months,
        precedence=PRECEDENCE,
        categories=rows,
        total=_row(None, total, w, tolerance),
    )


def _total_of(own: Figures, parts: list[Figures]) -> Figures:
    """A reporting total's figures: its own and its children's, added up (budgets too)."""
    result = Figures()
    for f in (own, *parts):
        result.absorb(f)
    return result


def _row(
    category: PlacementCategoryRef | None, f: Figures, w: Window, tolerance: Decimal | None
) -> PlacementFollowUpRow:
    known = f.has_data
    care_days = f.aggregates.care_days + f.episodes.care_days
    cost = f.aggregates.cost + f.episodes.cost
    remaining_months = 12 - w.months
    inflow = _round_share(f.budget_inflow or 0, remaining_months, 12)
    forecast_total = cost + f.ongoing_cost + inflow
    budget = None
    deviation = deviation_percent = days_deviation = None
    forecast_deviation = forecast_deviation_percent = None
    if f.budgets:
        amount_to_date = _round_share(f.budget_amount, w.months, 12)
        days_to_date = (
            None if f.budget_days is None else int(_ratio(f.budget_days * w.months, 12, Decimal(1)))
        )
        budget = PlacementBudgetPart(
            care_days=f.budget_days,
            amount=_sek(f.budget_amount),
            care_days_to_date=days_to_date,
            amount_to_date=_sek(amount_to_date),
            expected_inflow=to_sek(f.budget_inflow),
        )
        if known:  # without data there is nothing to compare the budget with
            deviation = _sek(amount_to_date - cost)
            if amount_to_date:
                deviation_percent = _ratio((amount_to_date - cost) * 100, amount_to_date, TENTH)
            if days_to_date is not None:
                days_deviation = days_to_date - care_days
            forecast_deviation = _sek(f.budget_amount - forecast_total)
            if f.budget_amount:
                forecast_deviation_percent = _ratio(
                    (f.budget_amount - forecast_total) * 100, f.budget_amount, TENTH
                )
    status, explanation = _colour(f, forecast_total, w, tolerance)
    return PlacementFollowUpRow(
        category=category,
        care_days=care_days if known else None,
        placements_annual_basis=_ratio(care_days, w.days_elapsed, CENT) if known else None,
        cost=_sek(cost) if known else None,
        average_cost_per_care_day=_ratio(cost, care_days * 100, CENT) if care_days else None,
        sources=PlacementSources(
            aggregates=f.aggregates.out(),
            episodes=f.episodes.out(),
            superseded_episodes=f.superseded.out(),
        ),
        budget=budget,
        deviation=deviation,
        deviation_percent=deviation_percent,
        care_days_deviation=days_deviation,
        forecast=PlacementForecast(
            cost_to_date=_sek(cost) if known else None,
            ongoing_episodes=f.ongoing,
            ongoing_remaining_care_days=f.remaining_days,
            ongoing_cost=_sek(f.ongoing_cost),
            expected_inflow=_sek(inflow),
            total=_sek(forecast_total) if known else None,
        ),
        forecast_deviation=forecast_deviation,
        forecast_deviation_percent=forecast_deviation_percent,
        status=status,
        explanation=explanation,
        episodes=PlacementEpisodeCounts(ongoing=f.ongoing, new=f.new, ended=f.ended),
    )


def _colour(
    f: Figures, forecast_ore: int, w: Window, tolerance: Decimal | None
) -> tuple[Status, str]:
    if not f.has_data:
        return Status.NO_DATA, (
            f"No placement data for {w.period}: no episode or monthly aggregate from "
            f"{w.year_start} to {w.day}."
        )
    if not f.budgets:
        return Status.NO_DATA, f"No placement budget for {w.period.year}."
    target = TargetSpec(
        TargetKind.AT_MOST,
        value=_sek(f.budget_amount),
        tolerance=None if tolerance is None else Tolerance(ToleranceKind.RELATIVE, tolerance),
    )
    result = evaluate_indicator(
        BUDGET_SPEC,
        target,
        [Observation(w.period, _sek(forecast_ore), key="forecast")],
        as_of=w.period,
    )
    return result.status, f"Year-end forecast against the {w.period.year} budget. " + (
        result.explanation.summary
    )
