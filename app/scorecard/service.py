"""The scorecard: goals and indicators with status, explanation and trend, in one call.

Nothing is precomputed: every request reads definitions, targets and (rolled-up) measurements as
they stood at ``as_of`` and hands them to the pure rules in ``app.rules``. The number of SQL
statements does not depend on the number of goals or indicators: one per distinct goal owner for
the values, a fixed handful for the rest.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.assessments.models import Assessment
from app.auth.deps import Ctx
from app.benchmarks.lookup import Quartiled, quartile_comparisons
from app.collector import cyclic_gc_paused
from app.errors import NotFound
from app.goals.models import Goal, GoalIndicator, GoalLevel
from app.indicators.models import Indicator, Target
from app.orgunits.models import OrgUnit
from app.periods import Period
from app.rules.benchmark import quartile_result
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
from app.rules.goal import Child, GoalResult, evaluate_goal
from app.rules.indicator import (
    IndicatorResult,
    Observation,
    Reference,
    actual_to_date,
    data_through,
    evaluate_indicator,
)
from app.rules.outlook import Outlook, year_outlook
from app.scorecard.rollup import (
    RolledUp,
    observations,
    org_tree,
    rolled_up_values,
    subtree,
    subtree_of,
)
from app.scorecard.schemas import (
    ContributionOut,
    GoalExplanation,
    GoalScore,
    IndicatorExplanation,
    IndicatorScore,
    ManualStatus,
    NeedOut,
    OutlookOut,
    QuartileOut,
    ReferenceOut,
    Scorecard,
    StatusCounts,
    TargetOut,
)

ROLLUP_NOTE = {
    Aggregation.SUM: "the unit's own value, else the sum over its subtree",
    Aggregation.MEAN: "the unit's own value, else each month's sum over its subtree, averaged",
    Aggregation.RATIO: "the unit's own numerator/denominator, else the sums over its subtree",
    Aggregation.LAST: "only the unit's own values: a point-in-time share is not additive",
}


def spec_of(indicator: Indicator) -> IndicatorSpec:
    profile = indicator.seasonal_profile
    return IndicatorSpec(
        aggregation=Aggregation(indicator.aggregation),
        polarity=Polarity(indicator.polarity),
        ratio_scale=indicator.ratio_scale,
        seasonal_profile=tuple(Decimal(str(w)) for w in profile) if profile else None,
    )


def target_of(target: Target | None) -> TargetSpec | None:
    if target is None:
        return None
    tolerance = None
    if target.tolerance_kind is not None and target.tolerance_value is not None:
        tolerance = Tolerance(ToleranceKind(target.tolerance_kind), target.tolerance_value)
    return TargetSpec(
        TargetKind(target.kind),
        target.value,
        target.low,
        target.high,
        target.min_change,
        tolerance,
    )


def reference_for(
    indicator: Indicator, spec: IndicatorSpec, previous_year: list[Observation], year: int
) -> Reference | None:
    """The previous year's outcome; else the baseline (DOMAIN §4)."""
    outcome = actual_to_date(spec, previous_year)
    if outcome is not None:
        return Reference(outcome, f"outcome {year - 1}")
    if indicator.baseline_value is not None:
        return Reference(indicator.baseline_value, f"baseline {indicator.baseline_period}")
    return None


def evaluate(
    indicator: Indicator,
    target: Target | None,
    rows: list[RolledUp],
    period: Period,
    quartiled: Quartiled | None = None,
) -> IndicatorResult:
    """Against the target; for a ``quartile`` indicator the colour comes from its benchmark group
    instead, and the trend still from the measurements."""
    spec = spec_of(indicator)
    obs = observations(rows)
    previous_year = [o for o in obs if o.period.year == period.year - 1]
    target_spec = target_of(target)
    reference = reference_for(indicator, spec, previous_year, period.year)
    result = evaluate_indicator(spec, target_spec, obs, period, reference, previous=obs)
    if quartiled is None:
        return replace(result, outlook=year_outlook(spec, target_spec, obs, period, reference))
    by_quartile = quartile_result(
        quartiled.comparison, quartiled.group.name, quartiled.year, period.year
    )
    return replace(by_quartile, trend=result.trend)


def _manual(assessment: Assessment | None) -> ManualStatus | None:
    if assessment is None:
        return None
    return ManualStatus(
        status=Status(assessment.status),
        comment=assessment.comment,
        assessed_by=assessment.assessed_by,
        assessed_at=assessment.assessed_at,
    )


def _quartile_out(quartiled: Quartiled | None) -> QuartileOut | None:
    if quartiled is None:
        return None
    c = quartiled.comparison
    return QuartileOut(
        group_id=quartiled.group.id,
        group=quartiled.group.name,
        kpi=quartiled.kpi,
        year=quartiled.year,
        rank=c.rank,
        ranked=len(c.ranking),
        quartile=c.quartile,
        mean=c.mean,
        median=c.median,
    )


def _outlook_out(outlook: Outlook | None) -> OutlookOut | None:
    if outlook is None:
        return None
    return OutlookOut(
        data_through=str(outlook.data_through),
        remaining_periods=outlook.remaining_periods,
        measure=outlook.measure,
        green=NeedOut(at_least=outlook.green.at_least, at_most=outlook.green.at_most),
        not_red=NeedOut(at_least=outlook.not_red.at_least, at_most=outlook.not_red.at_most),
        summary=outlook.summary,
    )


def beyond_data(period: Period, through: Period | None) -> bool:
    """The period asked for runs past the latest data: its figures are to date, not the
    period's (a `sum` is then short of a target pro-rated to the whole period)."""
    return through is not None and through.end < period.end


def _summary(result: IndicatorResult, period: Period) -> str:
    """The rule's sentence, then what the data reaches and what the rest of the year needs."""
    e = result.explanation
    parts = [e.summary]
    if beyond_data(period, e.data_through):
        parts.append(
            f"Data only through {e.data_through}: {period} is measured against its whole "
            "target with the later periods missing."
        )
    if result.outlook is not None:
        parts.append(result.outlook.summary)
    return " ".join(parts)


def indicator_score(
    indicator: Indicator,
    result: IndicatorResult,
    weight: Decimal,
    manual: Assessment | None,
    target: Target | None,
    quartiled: Quartiled | None,
    period: Period,
) -> IndicatorScore:
    e = result.explanation
    return IndicatorScore(
        id=indicator.id,
        code=indicator.code,
        title=indicator.title,
        unit=indicator.unit,
        weight=weight,
        status=result.status,
        trend=result.trend,
        manual=_manual(manual),
        explanation=IndicatorExplanation(
            rule=e.rule,
            summary=_summary(result, period),
            actual=e.actual,
            expected=e.expected,
            target=TargetOut(
                kind=e.target.kind,
                value=e.target.value,
                low=e.target.low,
                high=e.target.high,
                min_change=e.target.min_change,
                text=target.text if target else None,
            )
            if e.target
            else None,
            share_of_year=e.share_of_year,
            reference=ReferenceOut(value=e.reference.value, source=e.reference.source)
            if e.reference
            else None,
            green_from=e.green_from,
            green_to=e.green_to,
            tolerance=e.tolerance,
            gap=e.gap,
            measurements=list(e.measurements),
            rollup=ROLLUP_NOTE[Aggregation(indicator.aggregation)],
            benchmark=_quartile_out(quartiled),
            data_through=str(e.data_through) if e.data_through else None,
            beyond_data=beyond_data(period, e.data_through),
            outlook=_outlook_out(result.outlook),
        ),
    )


def _goal_explanation(result: GoalResult) -> GoalExplanation:
    return GoalExplanation(
        rule=result.rule,
        parameters=result.parameters,
        summary=result.summary,
        green_share=result.green_share,
        red_share=result.red_share,
        coverage=result.coverage,
        missing=list(result.missing),
        contributions=[
            ContributionOut(key=c.key, status=c.status, weight=c.weight, share=c.share)
            for c in result.contributions
        ],
    )


@dataclass
class _Loaded:
    goals: list[Goal]
    links: dict[uuid.UUID, list[tuple[Indicator, Decimal]]]
    targets: dict[uuid.UUID, Target]
    values: dict[tuple[uuid.UUID, uuid.UUID], list[RolledUp]]  # (owner, indicator) → rows
    manual: dict[tuple[uuid.UUID, uuid.UUID], Assessment]  # (org unit, subject) → latest
    quartiled: dict[uuid.UUID, Quartiled]  # quartile indicators → their comparison


def _in_plan(year: int, owner_id: uuid.UUID | None) -> list[Any]:
    """The goals of ``year``'s plan (of one owner, when given)."""
    conditions = [Goal.valid_from_year <= year, Goal.valid_to_year >= year]
    if owner_id is not None:
        conditions.append(Goal.owner_id == owner_id)
    return conditions


def _goal_ids(year: int, owner_id: uuid.UUID | None) -> Any:
    # A plain SELECT of the id, not the id column of a subquery over the whole goal row:
    # SQLAlchemy builds that subquery's every column on each request.
    return select(Goal.id).where(*_in_plan(year, owner_id))


async def _load(
    ctx: Ctx, owner_id: uuid.UUID | None, period: Period, as_of: datetime | None
) -> _Loaded:
    year = period.year
    goals = list(
        await ctx.session.scalars(select(Goal).where(*_in_plan(year, owner_id)).order_by(Goal.code))
    )
    goal_ids = _goal_ids(year, owner_id)
    indicator_ids = select(GoalIndicator.indicator_id).where(GoalIndicator.goal_id.in_(goal_ids))
    links: dict[uuid.UUID, list[tuple[Indicator, Decimal]]] = defaultdict(list)
    for goal_id, weight, indicator in await ctx.session.execute(
        select(GoalIndicator.goal_id, GoalIndicator.weight, Indicator)
        .join(Indicator, Indicator.id == GoalIndicator.indicator_id)
        .where(GoalIndicator.goal_id.in_(goal_ids))
        .order_by(Indicator.code)
    ):
        links[goal_id].append((indicator, weight))
    targets = {
        t.indicator_id: t
        for t in (
            await ctx.session.scalars(
                select(Target).where(Target.indicator_id.in_(indicator_ids), Target.year == year)
            )
        ).all()
    }
    values: dict[tuple[uuid.UUID, uuid.UUID], list[RolledUp]] = {}
    owners = sorted({g.owner_id for g in goals})
    parents = await org_tree(ctx.session) if owners else {}
    for owner in owners:
        owned = select(GoalIndicator.indicator_id).where(
            GoalIndicator.goal_id.in_(_goal_ids(year, owner))
        )
        rows = await rolled_up_values(
            ctx.session, subtree(parents, owner), owned, date(year - 1, 1, 1), period.end, as_of
        )
        for indicator_id, indicator_rows in rows.items():
            values[(owner, indicator_id)] = indicator_rows
    manual_stmt = (
        select(Assessment)
        .where(Assessment.org_unit_id.in_(owners), Assessment.period == str(period))
        .order_by(Assessment.assessed_at, Assessment.id)
    )
    if as_of is not None:
        manual_stmt = manual_stmt.where(Assessment.assessed_at <= as_of)
    manual = {
        (a.org_unit_id, a.subject_id): a for a in (await ctx.session.scalars(manual_stmt)).all()
    }
    linked = [indicator for pairs in links.values() for indicator, _ in pairs]
    quartiled = await quartile_comparisons(ctx, linked, year, targets, as_of)
    return _Loaded(goals, links, targets, values, manual, quartiled)


def _count(statuses: list[Status]) -> StatusCounts:
    counts = StatusCounts(total=len(statuses))
    for status in statuses:
        setattr(counts, status.value, getattr(counts, status.value) + 1)
    return counts


async def scorecard(
    ctx: Ctx, org_unit_id: uuid.UUID | None, period: Period, as_of: datetime | None
) -> Scorecard:
    if org_unit_id is not None:
        await ctx.get(OrgUnit, org_unit_id, "org unit")
    with cyclic_gc_paused():
        return await _scored(ctx, org_unit_id, period, as_of)


async def _scored(
    ctx: Ctx, org_unit_id: uuid.UUID | None, period: Period, as_of: datetime | None
) -> Scorecard:
    data = await _load(ctx, org_unit_id, period, as_of)
    results: dict[tuple[uuid.UUID, uuid.UUID], IndicatorResult] = {}
    indicator_statuses: list[Status] = []
    for goal in data.goals:
        for indicator, _ in data.links[goal.id]:
            key = (goal.owner_id, indicator.id)
            if key not in results:
                rows = data.values.get(key, [])
                results[key] = evaluate(
                    indicator,
                    data.targets.get(indicator.id),
                    rows,
                    period,
                    data.quartiled.get(indicator.id),
                )
                indicator_statuses.append(results[key].status)

    by_parent: dict[uuid.UUID | None, list[Goal]] = defaultdict(list)
    ids = {g.id for g in data.goals}
    for goal in data.goals:
        by_parent[goal.parent_id if goal.parent_id in ids else None].append(goal)

    def score(goal: Goal) -> GoalScore:
        children = [score(child) for child in by_parent[goal.id]]
        indicators = [
            indicator_score(
                indicator,
                results[(goal.owner_id, indicator.id)],
                weight,
                data.manual.get((goal.owner_id, indicator.id)),
                data.targets.get(indicator.id),
                data.quartiled.get(indicator.id),
                period,
            )
            for indicator, weight in data.links[goal.id]
        ]
        if goal.rule.get("kind") == "all_children":
            inputs = [Child(f"goal {c.code}", c.status) for c in children]
        else:
            inputs = [Child(f"indicator {i.code}", i.status, i.weight) for i in indicators]
        result = evaluate_goal(goal.rule, inputs)
        return GoalScore(
            id=goal.id,
            code=goal.code,
            title=goal.title,
            level=GoalLevel(goal.level),
            owner_id=goal.owner_id,
            status=result.status,
            manual=_manual(data.manual.get((goal.owner_id, goal.id))),
            explanation=_goal_explanation(result),
            indicators=indicators,
            children=children,
        )

    tree = [score(goal) for goal in by_parent[None]]
    goal_statuses: list[Status] = []

    def collect(nodes: list[GoalScore]) -> None:
        for node in nodes:
            goal_statuses.append(node.status)
            collect(node.children)

    collect(tree)
    throughs = [r.explanation.data_through for r in results.values()]
    latest = data_through([t for t in throughs if t is not None])
    return Scorecard(
        org_unit_id=org_unit_id,
        year=period.year,
        period=str(period),
        as_of=as_of,
        data_through=str(latest) if latest else None,
        beyond_data=beyond_data(period, latest),
        indicators_beyond_data=sum(beyond_data(period, t) for t in throughs),
        goals=_count(goal_statuses),
        indicators=_count(indicator_statuses),
        tree=tree,
    )


async def goal_status(
    ctx: Ctx, goal_id: uuid.UUID, period: Period, as_of: datetime | None
) -> GoalScore:
    goal = await ctx.get(Goal, goal_id, "goal")
    card = await scorecard(ctx, goal.owner_id, period, as_of)
    stack = list(card.tree)
    while stack:
        node = stack.pop()
        if node.id == goal.id:
            return node
        stack.extend(node.children)
    raise NotFound(f"the goal is not in the {period.year} plan")


async def indicator_status(
    ctx: Ctx,
    indicator_id: uuid.UUID,
    org_unit_id: uuid.UUID,
    period: Period,
    as_of: datetime | None,
) -> IndicatorScore:
    indicator = await ctx.get(Indicator, indicator_id, "indicator")
    await ctx.get(OrgUnit, org_unit_id, "org unit")
    target = await ctx.session.scalar(
        select(Target).where(Target.indicator_id == indicator.id, Target.year == period.year)
    )
    tree = await subtree_of(ctx.session, org_unit_id)
    rows = await rolled_up_values(
        ctx.session, tree, [indicator.id], date(period.year - 1, 1, 1), period.end, as_of
    )
    manual = await ctx.session.scalar(
        select(Assessment)
        .where(
            Assessment.subject_id == indicator.id,
            Assessment.org_unit_id == org_unit_id,
            Assessment.period == str(period),
            *([Assessment.assessed_at <= as_of] if as_of is not None else []),
        )
        .order_by(Assessment.assessed_at.desc(), Assessment.id.desc())
        .limit(1)
    )
    targets = {indicator.id: target} if target else {}
    compared = await quartile_comparisons(ctx, [indicator], period.year, targets, as_of)
    quartiled = compared.get(indicator.id)
    result = evaluate(indicator, target, rows.get(indicator.id, []), period, quartiled)
    return indicator_score(indicator, result, Decimal(1), manual, target, quartiled, period)
