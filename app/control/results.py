"""Control results, and a point's history through the years it was carried over.

* A result is written by occasion (a month of the plan's year), by PUT: created, replaced, or
  left unchanged when the same content is sent again (which writes nothing, so audits nothing).
* Its colour is computed from the point's objective on every read (``app.rules.control``), never
  stored: changing the objective recolours the results.
* A credential limited to an org unit records results only for points performed in its subtree
  (the point's ``org_unit_id``, else the plan's committee).
"""

import uuid
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import select

from app.auth.deps import Ctx
from app.control.models import ControlPlan, ControlPoint, ControlResult, ControlTargetKind
from app.control.schemas import (
    ControlExplanation,
    ControlPointHistory,
    ControlResultRead,
    ControlResultWrite,
    ControlTargetOut,
    HistoryEntry,
)
from app.control.service import (
    get_plan,
    get_point,
    point_read,
    target_spec,
)
from app.errors import NotFound, Unprocessable
from app.measurements.service import ensure_may_write
from app.periods import Period
from app.rules.control import evaluate_control, share_without_deviation

RESULT_CONTENT = (
    "checked_on",
    "checked_count",
    "deviation_count",
    "measured_value",
    "comment",
    "measures",
)


def result_read(point: ControlPoint, result: ControlResult) -> ControlResultRead:
    evaluation = evaluate_control(
        target_spec(point),
        Period.parse(result.occasion),
        checked=result.checked_count,
        deviating=result.deviation_count,
        measured=result.measured_value,
    )
    e = evaluation.result.explanation
    objective = evaluation.objective
    return ControlResultRead(
        id=result.id,
        point_id=result.point_id,
        occasion=result.occasion,
        checked_on=result.checked_on,
        checked_count=result.checked_count,
        deviation_count=result.deviation_count,
        measured_value=result.measured_value,
        share_without_deviation=share_without_deviation(
            result.checked_count, result.deviation_count
        ),
        comment=result.comment,
        measures=result.measures,
        recorded_by=result.recorded_by,
        status=evaluation.result.status,
        explanation=ControlExplanation(
            rule=e.rule,
            summary=e.summary,
            compared=evaluation.compared,
            default_objective=evaluation.default_objective,
            objective=ControlTargetOut(
                kind=ControlTargetKind(objective.kind.value),
                value=objective.value,
                low=objective.low,
                high=objective.high,
            )
            if objective is not None
            else None,
            actual=e.actual,
            green_from=e.green_from,
            green_to=e.green_to,
            tolerance=e.tolerance,
            gap=e.gap,
        ),
        created_at=result.created_at,
        updated_at=result.updated_at,
    )


async def results_of(
    ctx: Ctx, point_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[ControlResult]]:
    by_point: dict[uuid.UUID, list[ControlResult]] = defaultdict(list)
    if not point_ids:
        return by_point
    rows = await ctx.session.scalars(
        select(ControlResult)
        .where(ControlResult.point_id.in_(point_ids))
        .order_by(ControlResult.occasion)
    )
    for row in rows:
        by_point[row.point_id].append(row)
    return by_point


async def list_results(
    ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID
) -> list[ControlResultRead]:
    point = await get_point(ctx, plan_id, point_id)
    return [result_read(point, r) for r in (await results_of(ctx, [point.id]))[point.id]]


async def _find_result(ctx: Ctx, point_id: uuid.UUID, when: str) -> ControlResult | None:
    return await ctx.session.scalar(
        select(ControlResult).where(
            ControlResult.point_id == point_id, ControlResult.occasion == when
        )
    )


async def get_result(
    ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID, when: str
) -> ControlResultRead:
    point = await get_point(ctx, plan_id, point_id)
    result = await _find_result(ctx, point.id, when)
    if result is None:
        raise NotFound(f"no result for {when}")
    return result_read(point, result)


async def _ensure_may_record(ctx: Ctx, point: ControlPoint) -> None:
    if point.org_unit_id is not None:
        await ensure_may_write(ctx, point.org_unit_id)
        return
    plan = await get_plan(ctx, point.plan_id)
    await ensure_may_write(ctx, plan.committee_id)


async def put_result(
    ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID, when: str, data: ControlResultWrite
) -> tuple[ControlResultRead, Literal["created", "updated", "unchanged"]]:
    """Create, replace or leave unchanged the result of the check on the occasion ``when``."""
    point = await get_point(ctx, plan_id, point_id)
    plan = await get_plan(ctx, point.plan_id)
    if Period.parse(when).year != plan.year:
        raise Unprocessable.for_field(
            "path.occasion",
            "outside_plan_year",
            f"an occasion of the {plan.year} plan is a month of {plan.year}",
        )
    await _ensure_may_record(ctx, point)
    content = data.model_dump(include=set(RESULT_CONTENT))
    result = await _find_result(ctx, point.id, when)
    outcome: Literal["created", "updated", "unchanged"]
    if result is None:
        result = ControlResult(
            municipality_id=ctx.municipality_id,
            point_id=point.id,
            occasion=when,
            recorded_by=ctx.principal.actor,
            **content,
        )
        ctx.session.add(result)
        outcome = "created"
    else:
        changed = {k: v for k, v in content.items() if not _same(getattr(result, k), v)}
        outcome = "updated" if changed else "unchanged"
        for key, value in changed.items():
            setattr(result, key, value)
        if changed:
            result.recorded_by = ctx.principal.actor
    await ctx.commit()
    return result_read(point, result), outcome


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old.compare(new) == 0
    return bool(old == new)


async def delete_result(ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID, when: str) -> None:
    point = await get_point(ctx, plan_id, point_id)
    result = await _find_result(ctx, point.id, when)
    if result is None:
        raise NotFound(f"no result for {when}")
    await _ensure_may_record(ctx, point)
    await ctx.session.delete(result)
    await ctx.commit()


async def history(ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID) -> ControlPointHistory:
    """The chain of carry-overs through the years, earliest first, each with its results."""
    point = await get_point(ctx, plan_id, point_id)
    chain = [point]
    seen = {point.id}
    while chain[0].carried_from_id is not None and chain[0].carried_from_id not in seen:
        earlier = await ctx.session.get(ControlPoint, chain[0].carried_from_id)
        if earlier is None:
            break
        seen.add(earlier.id)
        chain.insert(0, earlier)
    while True:
        later = await ctx.session.scalar(
            select(ControlPoint).where(ControlPoint.carried_from_id == chain[-1].id)
        )
        if later is None or later.id in seen:
            break
        seen.add(later.id)
        chain.append(later)
    plans = {
        p.id: p
        for p in (
            await ctx.session.scalars(
                select(ControlPlan).where(ControlPlan.id.in_({p.plan_id for p in chain}))
            )
        ).all()
    }
    results = await results_of(ctx, [p.id for p in chain])
    entries = []
    for i, link in enumerate(chain):
        carried_to = chain[i + 1].id if i + 1 < len(chain) else None
        entries.append(
            HistoryEntry(
                plan_id=link.plan_id,
                year=plans[link.plan_id].year,
                point=point_read(link, carried_to),
                results=[result_read(link, r) for r in results[link.id]],
            )
        )
    return ControlPointHistory(point_id=point.id, chain=entries)
