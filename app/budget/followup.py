"""Budget follow-up (DOMAIN §7): budget against outcome and forecast, rolled up over the org tree.

The database adds the lines up: one statement per answer sums every category over the unit's
subtree (per child unit with ``group_by=org_unit``); Python only pro-rates annual budget lines
and names the results. Budget lines are additive over the tree — a line on a parent is that
level's own money (e.g. "Nämnd" on the committee), never a subtotal of its children.

Decisions where DOMAIN.md is silent, written down once:

* **Budget to date** = monthly budget lines up to the month + annual lines × the share of the
  year (months / 12, or the category's monthly profile), rounded to the öre per category. Plan
  years have plan lines only: then those are the budget (``budget_scenario: plan``).
* **Outcome** is reported or not at all: with any outcome line up to the month in the subtree,
  a category without lines has outcome 0; without any, outcome and deviations are null (a plan
  year). An annual outcome line (a year-end figure, seed 002) counts from December. The municipal
  allocation (kommunbidrag) is paid as budgeted: without outcome lines of its own, its outcome is
  its budget to date.
* **Forecast**: per unit and category, the latest forecast dated by the end of the month; a unit
  and category without one counts with its budget, so a total's forecast deviation is the sum
  of its parts'. null when there is no forecast at all.
* **Deviation** is favourable when positive: revenue outcome − budget, cost budget − outcome,
  net (revenue − cost) outcome − budget = the seed 002 table's "Resultat".
* **Budget adherence** (budgetföljsamhet, seed 004: target ±0) is the net deviation as a
  percentage of the net cost budget to date (costs less revenue other than the allocation: what
  the allocation pays for). It is coloured by the rules module as an ``at_least 0`` target with
  an absolute tolerance in percentage points (default 1): no deficit is green, a deficit within
  the tolerance yellow, a larger one red. Categories are coloured the same way by their own
  deviation percent. Without a budget to date there is no percent (of nothing); a category's
  unfavourable outcome then is unbudgeted spending, red whatever the tolerance, and anything
  else has no colour (``no_data``).
* **Categories × years** (seed 000) sums each year as the follow-up does (``category_amounts``):
  outcome where any is reported — to the last month reported (``through_month``), the allocation
  paid as budgeted to it, so a running year is its outcome so far — else budget, else plan.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    Date,
    Integer,
    Select,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from app.auth.deps import Ctx
from app.budget.categories import profile_of
from app.budget.models import WHOLE_YEAR, BudgetCategory, BudgetLine, CategoryKind, Scenario
from app.budget.money import round_ore, to_sek
from app.budget.schemas import (
    Adherence,
    BudgetFollowUp,
    BudgetMonths,
    BudgetYears,
    CategoryFollowUp,
    CategoryYears,
    Figures,
    GroupFollowUp,
    MonthFigures,
    OrgUnitRef,
    YearColumn,
)
from app.errors import NotFound, Unprocessable
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.periods import Period, PeriodKind
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

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
DEFAULT_TOLERANCE = Decimal(1)
L = BudgetLine


# Amounts in öre, and how they add up ---------------------------------------------------------


@dataclass(frozen=True)
class Amounts:
    budget: int = 0
    budget_to_date: int = 0
    outcome: int | None = None
    forecast: int | None = None  # None: no forecast anywhere below

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.budget + other.budget,
            self.budget_to_date + other.budget_to_date,
            _add(self.outcome, other.outcome),
            None
            if self.forecast is None and other.forecast is None
            else self._forecast_or_budget() + other._forecast_or_budget(),
        )

    def __neg__(self) -> Amounts:
        return Amounts(
            -self.budget,
            -self.budget_to_date,
            None if self.outcome is None else -self.outcome,
            None if self.forecast is None else -self.forecast,
        )

    def _forecast_or_budget(self) -> int:
        return self.budget if self.forecast is None else self.forecast


def _add(a: int | None, b: int | None) -> int | None:
    if a is None and b is None:
        return None
    return (a or 0) + (b or 0)


def total(parts: Iterable[Amounts], reported: bool) -> Amounts:
    """The sum; with outcome reported, nothing at all is an outcome of 0."""
    result = Amounts(outcome=0 if reported else None)
    for part in parts:
        result = result + part
    return result


def _percent(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT)


def figures(amounts: Amounts, sign: int, percent_base: int | None = None) -> Figures:
    """``sign`` +1 for revenue and net (outcome − budget is favourable), −1 for cost."""
    deviation = (
        None if amounts.outcome is None else sign * (amounts.outcome - amounts.budget_to_date)
    )
    base = amounts.budget_to_date if percent_base is None else percent_base
    forecast_deviation = (
        None if amounts.forecast is None else sign * (amounts.forecast - amounts.budget)
    )
    return Figures(
        budget=to_sek(amounts.budget),
        budget_to_date=to_sek(amounts.budget_to_date),
        outcome_to_date=None if amounts.outcome is None else to_sek(amounts.outcome),
        deviation=None if deviation is None else to_sek(deviation),
        deviation_percent=None if deviation is None else _percent(deviation, base),
        forecast=None if amounts.forecast is None else to_sek(amounts.forecast),
        forecast_deviation=None if forecast_deviation is None else to_sek(forecast_deviation),
    )


# The rules module's colour ----------------------------------------------------------------------

_SPEC = IndicatorSpec(aggregation=Aggregation.LAST, polarity=Polarity.HIGHER_IS_BETTER)


def colour(percent: Decimal | None, tolerance: Decimal, as_of: Period) -> tuple[Status, str]:
    """The ``at_least 0`` budget-adherence target with an absolute tolerance (±0, seed 004)."""
    if percent is None:
        return Status.NO_DATA, "No outcome, or no budget to date to compare it with."
    target = TargetSpec(
        kind=TargetKind.AT_LEAST,
        value=ZERO,
        tolerance=Tolerance(ToleranceKind.ABSOLUTE, tolerance),
    )
    result = evaluate_indicator(_SPEC, target, [Observation(as_of, percent, key="budget")], as_of)
    return result.status, result.explanation.summary


def category_colour(shown: Figures, tolerance: Decimal, as_of: Period) -> tuple[Status, str]:
    """A category by its deviation percent; an unfavourable outcome against no budget to date
    has no percent (of nothing) but is unbudgeted spending: red, whatever the tolerance."""
    if shown.budget_to_date == 0 and shown.deviation is not None and shown.deviation < 0:
        return (
            Status.RED,
            f"No budget to date: an outcome of {shown.outcome_to_date} is unbudgeted.",
        )
    return colour(shown.deviation_percent, tolerance, as_of)


def adherence(
    percent: Decimal | None,
    tolerance: Decimal,
    as_of: Period,
    basis: Literal["outcome_to_date", "forecast"],
) -> Adherence:
    status, summary = colour(percent, tolerance, as_of)
    return Adherence(basis=basis, percent=percent, status=status, summary=summary)


# SQL ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    id: uuid.UUID
    code: str
    name: str
    kind: CategoryKind
    is_allocation: bool
    profile: tuple[Decimal, ...] | None
    position: int = 0

    @property
    def sign(self) -> int:
        return 1 if self.kind == CategoryKind.REVENUE else -1


@dataclass(frozen=True)
class Sums:
    """One (group, category) row of the follow-up statement, in öre."""

    budget: int
    budget_annual: int
    budget_months: int
    outcome: int
    outcome_lines: int
    forecast_or_budget: int
    has_forecast: bool


def share_of_year(profile: Sequence[Decimal] | None, month: int) -> Decimal:
    if profile is None:
        return Decimal(month) / 12
    return sum(profile[:month], ZERO) / sum(profile, ZERO)


def _money(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, L.amount_ore), else_=0)), 0)


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


_CHILD = aliased(OrgUnit)  # built once: an alias is costly to make, cheap to use


def _branches(root_id: Any) -> Any:
    """(unit, branch): every unit of the subtree and the child of the root it rolls up into;
    the root's own lines are their own branch."""
    child = _CHILD
    tree = (
        select(OrgUnit.id.label("unit_id"), OrgUnit.id.label("branch_id"))
        .where(OrgUnit.parent_id == root_id)
        .cte("branches", recursive=True)
    )
    tree = tree.union_all(
        select(child.id, tree.c.branch_id).where(child.parent_id == tree.c.unit_id)
    )
    return union_all(
        select(tree.c.unit_id, tree.c.branch_id),
        select(OrgUnit.id, OrgUnit.id).where(OrgUnit.id == root_id),
    ).subquery("mapping")


def sums_statement(
    root_id: uuid.UUID, year: int, month: int, budget_scenario: str, grouped: bool
) -> Select[Any]:
    """Per category (and per branch when ``grouped``): the year's budget, its annual part, the
    monthly part to date, outcome to date, the latest forecasts (else budget) — summed over the
    subtree."""
    return _sums_template(grouped, december=month == 12).params(
        root_id=root_id,
        year=year,
        month=month,
        cutoff=Period(year, PeriodKind.MONTH, month).end,
        budget_scenario=budget_scenario,
    )


@cache
def _sums_template(grouped: bool, december: bool) -> Select[Any]:
    """:func:`sums_statement` with its values as parameters, built once per shape: building it
    (subqueries, their column collections) cost more CPU than running it."""
    root_id = bindparam("root_id", type_=Uuid)
    year = bindparam("year", type_=Integer)
    month = bindparam("month", type_=Integer)
    cutoff = bindparam("cutoff", type_=Date)
    budget_scenario = bindparam("budget_scenario", type_=String)
    subtree = subtree_ids(root_id)
    latest = (
        select(
            L.org_unit_id.label("unit_id"),
            L.category_id.label("category_id"),
            func.max(L.forecast_date).label("dated"),
        )
        .where(
            L.scenario == Scenario.FORECAST.value,
            L.year == year,
            L.forecast_date <= cutoff,
            L.org_unit_id.in_(subtree),
        )
        .group_by(L.org_unit_id, L.category_id)
        .subquery("latest")
    )
    is_budget = L.scenario == budget_scenario
    to_date = L.month.between(1, month)
    outcome = and_(
        L.scenario == Scenario.OUTCOME.value,
        or_(to_date, L.month == WHOLE_YEAR) if december else to_date,
    )
    per_key = (
        select(
            L.org_unit_id.label("unit_id"),
            L.category_id.label("category_id"),
            _money(is_budget).label("budget"),
            _money(and_(is_budget, L.month == WHOLE_YEAR)).label("budget_annual"),
            _money(and_(is_budget, to_date)).label("budget_months"),
            _money(outcome).label("outcome"),
            _count(outcome).label("outcome_lines"),
            _money(
                and_(L.scenario == Scenario.FORECAST.value, L.forecast_date == latest.c.dated)
            ).label("forecast"),
            func.max(case((latest.c.dated.is_not(None), 1), else_=0)).label("has_forecast"),
        )
        .outerjoin(
            latest,
            and_(latest.c.unit_id == L.org_unit_id, latest.c.category_id == L.category_id),
        )
        .where(L.year == year, L.org_unit_id.in_(subtree))
        .group_by(L.org_unit_id, L.category_id)
        .subquery("per_key")
    )
    k = per_key.c
    columns = (
        func.sum(k.budget),
        func.sum(k.budget_annual),
        func.sum(k.budget_months),
        func.sum(k.outcome),
        func.sum(k.outcome_lines),
        func.sum(case((k.has_forecast == 1, k.forecast), else_=k.budget)),
        func.max(k.has_forecast),
    )
    if not grouped:
        return select(k.category_id, *columns).group_by(k.category_id)
    mapping = _branches(root_id)
    return (
        select(mapping.c.branch_id, k.category_id, *columns)
        .join(mapping, mapping.c.unit_id == k.unit_id)
        .group_by(mapping.c.branch_id, k.category_id)
    )


def _sums(row: Sequence[Any]) -> Sums:
    budget, annual, months_, outcome, lines, forecast_or_budget = (int(v or 0) for v in row[:6])
    return Sums(budget, annual, months_, outcome, lines, forecast_or_budget, bool(row[6]))


async def _categories(ctx: Ctx) -> dict[uuid.UUID, Category]:
    found = await ctx.session.scalars(select(BudgetCategory))
    return {
        c.id: Category(
            c.id,
            c.code,
            c.name,
            CategoryKind(c.kind),
            c.is_allocation,
            profile_of(c),
            c.position,
        )
        for c in found
    }


def _order(category: Category) -> tuple[int, int, str]:
    """Report order: revenue before cost, then the chart's position and the code."""
    return (0 if category.kind == CategoryKind.REVENUE else 1, category.position, category.code)


async def _unit(ctx: Ctx, org_unit_id: uuid.UUID) -> OrgUnit:
    unit = await ctx.session.get(OrgUnit, org_unit_id)
    if unit is None or unit.municipality_id != ctx.municipality_id:
        raise NotFound("org unit not found")
    return unit


def _ref(unit: OrgUnit) -> OrgUnitRef:
    return OrgUnitRef(id=unit.id, code=unit.code, name=unit.name)


@dataclass(frozen=True)
class Scenarios:
    present: frozenset[str]  # with lines in the year
    budget: str  # the scenario serving as budget: plan in a plan year
    reported: bool  # outcome lines up to the month
    last_outcome_month: int | None  # the year's last month with outcome (an annual line: 12)


async def _scenarios(ctx: Ctx, root_id: uuid.UUID, year: int, month: int) -> Scenarios:
    """The year's scenarios, the one serving as budget and whether outcome is reported."""
    to_date = L.month.between(1, month)
    counted = or_(to_date, L.month == WHOLE_YEAR) if month == 12 else to_date
    found = await ctx.session.execute(
        select(
            L.scenario,
            _count(and_(L.scenario == Scenario.OUTCOME.value, counted)),
            func.max(case((L.month == WHOLE_YEAR, 12), else_=L.month)),
        )
        .where(L.year == year, L.org_unit_id.in_(subtree_ids(root_id)))
        .group_by(L.scenario)
    )
    counts: dict[str, int] = {}
    last_months: dict[str, int] = {}
    for scenario, n, last in found:
        counts[scenario], last_months[scenario] = int(n), int(last)
    budget = (
        Scenario.PLAN.value
        if Scenario.BUDGET.value not in counts and Scenario.PLAN.value in counts
        else Scenario.BUDGET.value
    )
    return Scenarios(
        frozenset(counts),
        budget,
        counts.get(Scenario.OUTCOME.value, 0) > 0,
        last_months.get(Scenario.OUTCOME.value),
    )


def _amounts(sums: Sums, category: Category, month: int, reported: bool) -> Amounts:
    pro_rated = round_ore(Decimal(sums.budget_annual) * share_of_year(category.profile, month))
    to_date = sums.budget_months + pro_rated
    outcome: int | None = None
    if reported:
        allocation_paid = category.is_allocation and sums.outcome_lines == 0
        outcome = to_date if allocation_paid else sums.outcome
    return Amounts(
        budget=sums.budget,
        budget_to_date=to_date,
        outcome=outcome,
        forecast=sums.forecast_or_budget if sums.has_forecast else None,
    )


async def category_amounts(
    ctx: Ctx,
    root_id: uuid.UUID,
    year: int,
    month: int,
    budget_scenario: str,
    reported: bool,
    known: dict[uuid.UUID, Category],
) -> list[tuple[Category, Amounts]]:
    """Every category with lines in the year, summed over the subtree to the month, in report
    order: the sums that the follow-up and the categories × years table both show."""
    result = await ctx.session.execute(
        sums_statement(root_id, year, month, budget_scenario, grouped=False)
    )
    return sorted(
        ((known[r[0]], _amounts(_sums(r[1:]), known[r[0]], month, reported)) for r in result),
        key=lambda ca: _order(ca[0]),
    )


@dataclass(frozen=True)
class Totals:
    revenue: Figures
    cost: Figures
    net: Figures
    adherence: Adherence
    forecast_adherence: Adherence | None


def _totals(
    rows: Sequence[tuple[Category, Amounts]], tolerance: Decimal, as_of: Period, reported: bool
) -> Totals:
    revenue = total((a for c, a in rows if c.kind == CategoryKind.REVENUE), reported)
    cost = total((a for c, a in rows if c.kind == CategoryKind.COST), reported)
    other_revenue = total(
        (a for c, a in rows if c.kind == CategoryKind.REVENUE and not c.is_allocation), reported
    )
    net = revenue + -cost
    base = cost.budget_to_date - other_revenue.budget_to_date
    net_figures = figures(net, 1, percent_base=base)
    forecast_percent = (
        None
        if net.forecast is None
        else _percent(net.forecast - net.budget, cost.budget - other_revenue.budget)
    )
    return Totals(
        revenue=figures(revenue, 1),
        cost=figures(cost, -1),
        net=net_figures,
        adherence=adherence(net_figures.deviation_percent, tolerance, as_of, "outcome_to_date"),
        forecast_adherence=None
        if net.forecast is None
        else adherence(forecast_percent, tolerance, as_of, "forecast"),
    )


def _valid_in(unit: OrgUnit, year: int) -> bool:
    return unit.valid_from <= date(year, 12, 31) and (
        unit.valid_to is None or unit.valid_to >= date(year, 1, 1)
    )


async def follow_up(
    ctx: Ctx,
    org_unit_id: uuid.UUID,
    year: int,
    month: int,
    tolerance: Decimal,
    group_by_unit: bool,
) -> BudgetFollowUp:
    root = await _unit(ctx, org_unit_id)
    as_of = Period(year, PeriodKind.MONTH, month)
    scenarios = await _scenarios(ctx, root.id, year, month)
    budget_scenario, reported = scenarios.budget, scenarios.reported
    known = await _categories(ctx)
    rows = await category_amounts(ctx, root.id, year, month, budget_scenario, reported, known)
    categories = []
    for category, amounts in rows:
        shown = figures(amounts, category.sign)
        status, explanation = category_colour(shown, tolerance, as_of)
        categories.append(
            CategoryFollowUp(
                **shown.model_dump(),
                category_id=category.id,
                code=category.code,
                name=category.name,
                kind=category.kind,
                is_allocation=category.is_allocation,
                status=status,
                explanation=explanation,
            )
        )
    totals = _totals(rows, tolerance, as_of, reported)
    groups = (
        await _groups(ctx, root, year, month, budget_scenario, reported, known, tolerance)
        if group_by_unit
        else None
    )
    return BudgetFollowUp(
        org_unit=_ref(root),
        year=year,
        month=str(as_of),
        budget_scenario=Scenario(budget_scenario),
        tolerance=tolerance,
        categories=categories,
        revenue=totals.revenue,
        cost=totals.cost,
        net=totals.net,
        adherence=totals.adherence,
        forecast_adherence=totals.forecast_adherence,
        groups=groups,
    )


async def _groups(
    ctx: Ctx,
    root: OrgUnit,
    year: int,
    month: int,
    budget_scenario: str,
    reported: bool,
    known: dict[uuid.UUID, Category],
    tolerance: Decimal,
) -> list[GroupFollowUp]:
    as_of = Period(year, PeriodKind.MONTH, month)
    per_branch: dict[uuid.UUID, list[tuple[Category, Amounts]]] = {}
    for branch_id, category_id, *sums in await ctx.session.execute(
        sums_statement(root.id, year, month, budget_scenario, grouped=True)
    ):
        category = known[category_id]
        per_branch.setdefault(branch_id, []).append(
            (category, _amounts(_sums(sums), category, month, reported))
        )
    children = [
        c
        for c in await ctx.session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == root.id).order_by(OrgUnit.code)
        )
        if _valid_in(c, year) or c.id in per_branch
    ]
    shown = ([root] if root.id in per_branch else []) + children
    groups = []
    for unit in shown:
        totals = _totals(per_branch.get(unit.id, []), tolerance, as_of, reported)
        groups.append(
            GroupFollowUp(
                org_unit=_ref(unit),
                own=unit.id == root.id,
                revenue=totals.revenue,
                cost=totals.cost,
                net=totals.net,
                adherence=totals.adherence,
            )
        )
    return groups


# Month by month (seed 004 table 1) --------------------------------------------------------------


async def months(
    ctx: Ctx,
    org_unit_id: uuid.UUID,
    year: int,
    category_id: uuid.UUID | None,
    category_code: str | None,
) -> BudgetMonths:
    if category_id is None and category_code is None:
        raise Unprocessable.for_field(
            "query.category_id", "missing", "give category_id or category_code"
        )
    root = await _unit(ctx, org_unit_id)
    known = await _categories(ctx)
    category = next(
        (
            c
            for c in known.values()
            if (category_id is not None and c.id == category_id)
            or (category_id is None and c.code == category_code)
        ),
        None,
    )
    if category is None:
        field = "query.category_id" if category_id is not None else "query.category_code"
        raise Unprocessable.for_field(field, "not_found", "budget category not found")
    budget_scenario = (await _scenarios(ctx, root.id, year, 12)).budget
    found = await ctx.session.execute(
        select(L.scenario, L.month, func.sum(L.amount_ore))
        .where(
            L.year == year,
            L.category_id == category.id,
            L.scenario.in_([budget_scenario, Scenario.OUTCOME.value]),
            L.org_unit_id.in_(subtree_ids(root.id)),
        )
        .group_by(L.scenario, L.month)
    )
    budget = dict.fromkeys(range(13), 0)
    outcome: dict[int, int] = {}
    for scenario, month, amount in found:
        if scenario == budget_scenario:
            budget[month] = int(amount)
        else:
            outcome[month] = int(amount)
    annual = budget[WHOLE_YEAR]
    rows = []
    spread_before = 0
    for month in range(1, 13):
        # Cumulative rounding: the months of an annual line add up to it exactly, and the sum
        # to date equals the follow-up's pro-rated budget to date.
        spread = round_ore(Decimal(annual) * share_of_year(category.profile, month))
        month_budget = budget[month] + spread - spread_before
        spread_before = spread
        month_outcome = outcome.get(month)
        rows.append(
            MonthFigures(
                period=str(Period(year, PeriodKind.MONTH, month)),
                budget=to_sek(month_budget),
                outcome=None if month_outcome is None else to_sek(month_outcome),
                deviation=None
                if month_outcome is None
                else to_sek(category.sign * (month_outcome - month_budget)),
            )
        )
    year_budget = sum(budget.values())
    year_outcome = sum(outcome.values()) if outcome else None
    monthly_outcome = [v for m, v in outcome.items() if m != WHOLE_YEAR]
    return BudgetMonths(
        org_unit=_ref(root),
        year=year,
        category_id=category.id,
        category_code=category.code,
        kind=category.kind,
        months=rows,
        budget=to_sek(year_budget),
        outcome=None if year_outcome is None else to_sek(year_outcome),
        deviation=None
        if year_outcome is None
        else to_sek(category.sign * (year_outcome - year_budget)),
        mean_budget=to_sek(round_ore(Decimal(year_budget) / 12)),
        mean_outcome=to_sek(round_ore(Decimal(sum(monthly_outcome)) / len(monthly_outcome)))
        if monthly_outcome
        else None,
        months_with_outcome=len(monthly_outcome),
    )


# Categories × years (seed 000) ------------------------------------------------------------------

YEAR_SCENARIOS = (Scenario.OUTCOME, Scenario.BUDGET, Scenario.PLAN)


@dataclass(frozen=True)
class YearShown:
    scenario: Scenario | None
    through_month: int | None  # of an outcome column: the last month with outcome (12: whole)
    amounts: dict[uuid.UUID, int]


async def _year(
    ctx: Ctx,
    root_id: uuid.UUID,
    year: int,
    wanted: Sequence[Scenario],
    known: dict[uuid.UUID, Category],
) -> YearShown:
    """The scenario a year shows and its amounts per category. Outcome is the follow-up's, to the
    last month reported (the allocation paid as budgeted to it), so a year still running shows
    its outcome so far, not a whole year's allocation against a few months' costs; a budget is
    the year's (that of a plan year being the plan)."""
    scenarios = await _scenarios(ctx, root_id, year, 12)
    shown = next((s for s in wanted if s.value in scenarios.present), None)
    if shown is None:
        return YearShown(None, None, {})
    if shown != Scenario.OUTCOME:
        rows = await category_amounts(ctx, root_id, year, 12, shown.value, False, known)
        return YearShown(shown, None, {c.id: a.budget for c, a in rows})
    month = scenarios.last_outcome_month or 12
    rows = await category_amounts(ctx, root_id, year, month, scenarios.budget, True, known)
    return YearShown(shown, month, {c.id: a.outcome or 0 for c, a in rows})


async def years(
    ctx: Ctx,
    org_unit_id: uuid.UUID,
    from_year: int,
    to_year: int,
    scenario: Scenario | None,
) -> BudgetYears:
    if to_year < from_year or to_year - from_year > 20:
        raise Unprocessable.for_field(
            "query.to_year", "year_range", "to_year is from_year up to 20 years later"
        )
    root = await _unit(ctx, org_unit_id)
    known = await _categories(ctx)
    wanted = [scenario] if scenario is not None else list(YEAR_SCENARIOS)
    span = list(range(from_year, to_year + 1))
    shown = [await _year(ctx, root.id, y, wanted, known) for y in span]
    used = sorted({c for year in shown for c in year.amounts}, key=lambda c: _order(known[c]))
    columns = []
    for y, year in zip(span, shown, strict=True):
        amounts = year.amounts
        revenue = sum(a for c, a in amounts.items() if known[c].kind == CategoryKind.REVENUE)
        cost = sum(a for c, a in amounts.items() if known[c].kind == CategoryKind.COST)
        known_year = year.scenario is not None
        columns.append(
            YearColumn(
                year=y,
                scenario=year.scenario,
                through_month=year.through_month,
                revenue=to_sek(revenue) if known_year else None,
                cost=to_sek(cost) if known_year else None,
                result=to_sek(revenue - cost) if known_year else None,
            )
        )
    return BudgetYears(
        org_unit=_ref(root),
        years=columns,
        categories=[
            CategoryYears(
                category_id=c,
                code=known[c].code,
                name=known[c].name,
                kind=known[c].kind,
                amounts=[to_sek(year.amounts[c]) if c in year.amounts else None for year in shown],
            )
            for c in used
        ],
    )
