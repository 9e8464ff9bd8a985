"""Read-only views of a plan: the risk matrix and the schedule of checks on a date."""

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import select

from app.auth.deps import Ctx
from app.control.models import ControlPlan, ControlPoint
from app.control.results import result_read, results_of
from app.control.schedule import CheckState, check_state, occasion
from app.control.schemas import (
    CheckStateCounts,
    ControlSchedule,
    PointRef,
    RiskCell,
    RiskLevelCounts,
    RiskMatrix,
    ScheduledCheck,
)
from app.control.service import (
    due_months_of,
    get_plan,
    points_of,
)
from app.rules.control import risk_level, risk_value


def _ref(point: ControlPoint) -> PointRef:
    return PointRef(id=point.id, number=point.number, process=point.process)


async def risk_matrix(ctx: Ctx, plan_id: uuid.UUID) -> RiskMatrix:
    plan = await get_plan(ctx, plan_id)
    points = await points_of(ctx, [plan.id])
    placed: dict[tuple[int, int], list[PointRef]] = defaultdict(list)
    counts = RiskLevelCounts()
    unassessed = []
    for point in points:
        if point.probability is None or point.consequence is None:
            unassessed.append(_ref(point))
            counts.unassessed += 1
            continue
        placed[(point.probability, point.consequence)].append(_ref(point))
        level = risk_level(risk_value(point.probability, point.consequence))
        setattr(counts, level.value, getattr(counts, level.value) + 1)
    cells = [
        RiskCell(
            probability=p,
            consequence=c,
            risk_value=risk_value(p, c),
            risk_level=risk_level(risk_value(p, c)),
            points=placed[(p, c)],
        )
        for p in (4, 3, 2, 1)
        for c in (1, 2, 3, 4)
    ]
    return RiskMatrix(
        plan_id=plan.id, year=plan.year, cells=cells, unassessed=unassessed, counts=counts
    )


async def schedule(
    ctx: Ctx,
    on: date,
    *,
    plan_id: uuid.UUID | None = None,
    committee_id: uuid.UUID | None = None,
    state: CheckState | None = None,
) -> ControlSchedule:
    """Every scheduled check of one plan (or of every plan for ``on``'s year) and its state."""
    if plan_id is not None:
        plans = [await get_plan(ctx, plan_id)]
    else:
        stmt = select(ControlPlan).where(ControlPlan.year == on.year)
        if committee_id is not None:
            stmt = stmt.where(ControlPlan.committee_id == committee_id)
        plans = list((await ctx.session.scalars(stmt.order_by(ControlPlan.created_at))).all())
    years = {plan.id: plan.year for plan in plans}
    points = await points_of(ctx, list(years))
    results = await results_of(ctx, [p.id for p in points])
    counts = CheckStateCounts()
    checks = []
    for point in points:
        recorded = {r.occasion: r for r in results[point.id]}
        for month in due_months_of(point):
            when = occasion(years[point.plan_id], month)
            result = recorded.get(str(when))
            current = check_state(when, on, result is not None)
            setattr(counts, current.value, getattr(counts, current.value) + 1)
            if state is not None and current != state:
                continue
            checks.append(
                ScheduledCheck(
                    plan_id=point.plan_id,
                    point_id=point.id,
                    point_number=point.number,
                    process=point.process,
                    responsible_role=point.responsible_role,
                    occasion=str(when),
                    due_on=when.end,
                    state=current,
                    result_id=result.id if result else None,
                    status=result_read(point, result).status if result else None,
                )
            )
    checks.sort(key=lambda c: (c.due_on, c.point_number))
    return ControlSchedule(on=on, counts=counts, checks=checks)
