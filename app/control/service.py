"""Internal-control plans and their control points: risk, objective, frequency, carry-over.

Results are in ``app.control.results``, the risk matrix and the schedule in ``app.control.views``.

Decisions where DOMAIN.md is silent:

* A plan belongs to an org unit of kind ``committee``; one plan per committee and year.
* A point keeps its number within the plan (unique); a new point without one gets the next.
* Carry-over copies a point into the same committee's plan for a later year and links the copy
  (``carried_from_id``); a point is carried over at most once, so the links form a chain that
  ``results.history`` walks in both directions. Results stay with the year they were recorded in.
* A point with results, or one carried over to a later plan, cannot be deleted (409): it is
  history. A plan with points cannot be deleted.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import exists, func, select

from app.auth.deps import Ctx
from app.control.models import (
    ControlMethod,
    ControlPlan,
    ControlPoint,
    ControlResult,
    ControlTargetKind,
)
from app.control.schedule import due_months
from app.control.schemas import (
    CarryOver,
    ControlPlanCreate,
    ControlPlanUpdate,
    ControlPointCreate,
    ControlPointRead,
    ControlPointUpdate,
    ControlTarget,
    ControlTargetRead,
    Frequency,
    RiskAssessment,
    RiskRead,
)
from app.errors import Conflict, NotFound, Unprocessable
from app.indicators.schemas import Tolerance as ToleranceSchema
from app.orgunits.models import OrgUnit, OrgUnitKind
from app.pagination import Keyset, PageParams
from app.rules.control import risk_level, risk_value
from app.rules.definitions import TargetKind, TargetSpec, Tolerance, ToleranceKind

KEYSET = Keyset(
    columns={"year": ControlPlan.year, "created_at": ControlPlan.created_at},
    id_column=ControlPlan.id,
    default="-year",
)
FREQUENCY = TypeAdapter[Frequency](Frequency)
PLAN_CLEARABLE = frozenset({"adopted_on", "decision_ref", "description"})
POINT_CLEARABLE = frozenset(
    {"area", "org_unit_id", "method", "method_description", "report_to", "report_when"}
)
# Columns a carry-over copies as they are.
CARRIED = (
    "area",
    "process",
    "objective",
    "responsible_role",
    "org_unit_id",
    "method",
    "method_description",
    "frequency",
    "report_to",
    "report_when",
    "probability",
    "consequence",
    "risk_assessed_on",
    "risk_rationale",
    "target_kind",
    "target_value",
    "target_low",
    "target_high",
    "tolerance_kind",
    "tolerance_value",
    "target_text",
)


# Plans ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilter:
    committee_id: uuid.UUID | None = None
    year: int | None = None


async def get_plan(ctx: Ctx, plan_id: uuid.UUID) -> ControlPlan:
    return await ctx.get(ControlPlan, plan_id, "control plan")


async def list_plans(
    ctx: Ctx, f: PlanFilter, page: PageParams, sort: str
) -> tuple[list[ControlPlan], str | None]:
    stmt = select(ControlPlan)
    if f.committee_id is not None:
        stmt = stmt.where(ControlPlan.committee_id == f.committee_id)
    if f.year is not None:
        stmt = stmt.where(ControlPlan.year == f.year)
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    return KEYSET.page(rows, sort, page.limit)


async def find_plan(ctx: Ctx, committee_id: uuid.UUID, year: int) -> ControlPlan | None:
    return await ctx.session.scalar(
        select(ControlPlan).where(
            ControlPlan.committee_id == committee_id, ControlPlan.year == year
        )
    )


async def create_plan(ctx: Ctx, data: ControlPlanCreate) -> ControlPlan:
    committee = await ctx.session.get(OrgUnit, data.committee_id)
    if committee is None:
        raise Unprocessable.for_field("body.committee_id", "not_found", "committee not found")
    if committee.kind != OrgUnitKind.COMMITTEE.value:
        raise Unprocessable.for_field(
            "body.committee_id",
            "not_a_committee",
            f"an internal-control plan belongs to a committee, not to a {committee.kind}",
        )
    if await find_plan(ctx, data.committee_id, data.year) is not None:
        raise Conflict(f"the committee already has an internal-control plan for {data.year}")
    plan = ControlPlan(municipality_id=ctx.municipality_id, **data.model_dump())
    ctx.session.add(plan)
    await ctx.commit()
    return plan


async def update_plan(ctx: Ctx, plan_id: uuid.UUID, data: ControlPlanUpdate) -> ControlPlan:
    plan = await get_plan(ctx, plan_id)
    for key, value in data.model_dump(exclude_unset=True).items():
        if value is None and key not in PLAN_CLEARABLE:
            continue
        if getattr(plan, key) != value:
            setattr(plan, key, value)
    await ctx.commit()
    return plan


async def delete_plan(ctx: Ctx, plan_id: uuid.UUID) -> None:
    plan = await get_plan(ctx, plan_id)
    if await ctx.session.scalar(select(exists().where(ControlPoint.plan_id == plan.id))):
        raise Conflict("the plan has control points; delete them first")
    await ctx.session.delete(plan)
    await ctx.commit()


# Points: reading ---------------------------------------------------------------------------------


def target_spec(point: ControlPoint) -> TargetSpec | None:
    if point.target_kind is None:
        return None
    tolerance = None
    if point.tolerance_kind is not None and point.tolerance_value is not None:
        tolerance = Tolerance(ToleranceKind(point.tolerance_kind), point.tolerance_value)
    return TargetSpec(
        TargetKind(point.target_kind),
        value=point.target_value,
        low=point.target_low,
        high=point.target_high,
        tolerance=tolerance,
    )


def _risk_read(point: ControlPoint) -> RiskRead | None:
    if point.probability is None or point.consequence is None or point.risk_assessed_on is None:
        return None
    value = risk_value(point.probability, point.consequence)
    return RiskRead(
        probability=point.probability,
        consequence=point.consequence,
        value=value,
        level=risk_level(value),
        assessed_on=point.risk_assessed_on,
        rationale=point.risk_rationale,
    )


def _target_read(point: ControlPoint) -> ControlTargetRead | None:
    if point.target_kind is None:
        return None
    tolerance = None
    if point.tolerance_kind is not None and point.tolerance_value is not None:
        tolerance = ToleranceSchema(
            kind=ToleranceKind(point.tolerance_kind), value=point.tolerance_value
        )
    return ControlTargetRead(
        kind=ControlTargetKind(point.target_kind),
        value=point.target_value,
        low=point.target_low,
        high=point.target_high,
        yellow_tolerance=tolerance,
        text=point.target_text,
    )


def due_months_of(point: ControlPoint) -> tuple[int, ...]:
    frequency = point.frequency
    months = frequency.get("months") or ([frequency["month"]] if frequency.get("month") else [])
    return due_months(frequency["kind"], months)


def point_read(point: ControlPoint, carried_to_id: uuid.UUID | None) -> ControlPointRead:
    return ControlPointRead(
        id=point.id,
        plan_id=point.plan_id,
        number=point.number,
        area=point.area,
        process=point.process,
        objective=point.objective,
        responsible_role=point.responsible_role,
        org_unit_id=point.org_unit_id,
        method=ControlMethod(point.method) if point.method else None,
        method_description=point.method_description,
        frequency=FREQUENCY.validate_python(point.frequency),
        due_months=list(due_months_of(point)),
        report_to=point.report_to,
        report_when=point.report_when,
        risk=_risk_read(point),
        target=_target_read(point),
        carried_from_id=point.carried_from_id,
        carried_to_id=carried_to_id,
        created_at=point.created_at,
        updated_at=point.updated_at,
    )


async def carried_to(ctx: Ctx, point_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    if not point_ids:
        return {}
    rows = await ctx.session.execute(
        select(ControlPoint.carried_from_id, ControlPoint.id).where(
            ControlPoint.carried_from_id.in_(point_ids)
        )
    )
    return {source: copy for source, copy in rows if source is not None}


async def read_point(ctx: Ctx, point: ControlPoint) -> ControlPointRead:
    return point_read(point, (await carried_to(ctx, [point.id])).get(point.id))


async def get_point(ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID) -> ControlPoint:
    point = await ctx.get(ControlPoint, point_id, "control point")
    if point.plan_id != plan_id:
        raise NotFound("control point not found")
    return point


async def points_of(ctx: Ctx, plan_ids: Sequence[uuid.UUID]) -> list[ControlPoint]:
    if not plan_ids:
        return []
    return list(
        (
            await ctx.session.scalars(
                select(ControlPoint)
                .where(ControlPoint.plan_id.in_(plan_ids))
                .order_by(ControlPoint.plan_id, ControlPoint.number)
            )
        ).all()
    )


async def list_points(ctx: Ctx, plan_id: uuid.UUID) -> list[ControlPointRead]:
    plan = await get_plan(ctx, plan_id)
    points = await points_of(ctx, [plan.id])
    carried = await carried_to(ctx, [p.id for p in points])
    return [point_read(p, carried.get(p.id)) for p in points]


# Points: writing ---------------------------------------------------------------------------------


def _risk_columns(risk: RiskAssessment | None) -> dict[str, Any]:
    if risk is None:
        return dict.fromkeys(
            ("probability", "consequence", "risk_assessed_on", "risk_rationale"), None
        )
    return {
        "probability": risk.probability,
        "consequence": risk.consequence,
        "risk_assessed_on": risk.assessed_on,
        "risk_rationale": risk.rationale,
    }


def _target_columns(target: ControlTarget | None) -> dict[str, Any]:
    if target is None:
        return dict.fromkeys(
            (
                "target_kind",
                "target_value",
                "target_low",
                "target_high",
                "tolerance_kind",
                "tolerance_value",
                "target_text",
            ),
            None,
        )
    tolerance = target.yellow_tolerance
    return {
        "target_kind": target.kind.value,
        "target_value": target.value,
        "target_low": target.low,
        "target_high": target.high,
        "tolerance_kind": tolerance.kind.value if tolerance else None,
        "tolerance_value": tolerance.value if tolerance else None,
        "target_text": target.text,
    }


async def _check_org_unit(ctx: Ctx, org_unit_id: uuid.UUID | None) -> None:
    if org_unit_id is not None and await ctx.session.get(OrgUnit, org_unit_id) is None:
        raise Unprocessable.for_field("body.org_unit_id", "not_found", "org unit not found")


async def _next_number(ctx: Ctx, plan_id: uuid.UUID) -> int:
    highest = await ctx.session.scalar(
        select(func.max(ControlPoint.number)).where(ControlPoint.plan_id == plan_id)
    )
    return int(highest or 0) + 1


async def _check_number_free(
    ctx: Ctx, plan_id: uuid.UUID, number: int, except_id: uuid.UUID | None = None
) -> None:
    stmt = select(ControlPoint.id).where(
        ControlPoint.plan_id == plan_id, ControlPoint.number == number
    )
    if except_id is not None:
        stmt = stmt.where(ControlPoint.id != except_id)
    if await ctx.session.scalar(stmt) is not None:
        raise Conflict(f"the plan already has a control point number {number}")


async def create_point(ctx: Ctx, plan_id: uuid.UUID, data: ControlPointCreate) -> ControlPointRead:
    plan = await get_plan(ctx, plan_id)
    await _check_org_unit(ctx, data.org_unit_id)
    number = data.number if data.number is not None else await _next_number(ctx, plan.id)
    await _check_number_free(ctx, plan.id, number)
    point = ControlPoint(
        municipality_id=ctx.municipality_id,
        plan_id=plan.id,
        number=number,
        area=data.area,
        process=data.process,
        objective=data.objective,
        responsible_role=data.responsible_role,
        org_unit_id=data.org_unit_id,
        method=data.method.value if data.method else None,
        method_description=data.method_description,
        frequency=data.frequency.model_dump(mode="json"),
        report_to=data.report_to,
        report_when=data.report_when,
        **_risk_columns(data.risk),
        **_target_columns(data.target),
    )
    ctx.session.add(point)
    await ctx.commit()
    return point_read(point, None)


async def update_point(
    ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID, data: ControlPointUpdate
) -> ControlPointRead:
    point = await get_point(ctx, plan_id, point_id)
    given = data.model_fields_set
    changes: dict[str, Any] = {}
    for key in ("number", "process", "objective", "responsible_role"):
        if key in given and getattr(data, key) is not None:
            changes[key] = getattr(data, key)
    for key in POINT_CLEARABLE & given:
        value = getattr(data, key)
        changes[key] = value.value if isinstance(value, ControlMethod) else value
    if "frequency" in given and data.frequency is not None:
        changes["frequency"] = data.frequency.model_dump(mode="json")
    if "risk" in given:
        changes |= _risk_columns(data.risk)
    if "target" in given:
        changes |= _target_columns(data.target)
    if "org_unit_id" in changes:
        await _check_org_unit(ctx, changes["org_unit_id"])
    if "number" in changes:
        await _check_number_free(ctx, point.plan_id, changes["number"], point.id)
    for key, value in changes.items():
        if getattr(point, key) != value:
            setattr(point, key, value)
    await ctx.commit()
    return await read_point(ctx, point)


async def delete_point(ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID) -> None:
    point = await get_point(ctx, plan_id, point_id)
    if await ctx.session.scalar(select(exists().where(ControlResult.point_id == point.id))):
        raise Conflict("the control point has results; delete them first")
    if await ctx.session.scalar(select(exists().where(ControlPoint.carried_from_id == point.id))):
        raise Conflict("the control point was carried over to a later plan; it is history")
    await ctx.session.delete(point)
    await ctx.commit()


async def carry_over(
    ctx: Ctx, plan_id: uuid.UUID, point_id: uuid.UUID, data: CarryOver
) -> ControlPointRead:
    """Copy the point into a later year's plan of the same committee, linked to this one."""
    point = await get_point(ctx, plan_id, point_id)
    source = await get_plan(ctx, point.plan_id)
    target = await ctx.session.get(ControlPlan, data.to_plan_id)
    if target is None:
        raise Unprocessable.for_field("body.to_plan_id", "not_found", "control plan not found")
    if target.committee_id != source.committee_id:
        raise Unprocessable.for_field(
            "body.to_plan_id", "other_committee", "carry a point over within its committee"
        )
    if target.year <= source.year:
        raise Unprocessable.for_field(
            "body.to_plan_id",
            "not_a_later_year",
            f"carry a point over to a plan after {source.year}",
        )
    already = await ctx.session.scalar(
        select(ControlPoint.id).where(ControlPoint.carried_from_id == point.id)
    )
    if already is not None:
        raise Conflict(f"the control point was already carried over (to {already})")
    number = data.number if data.number is not None else await _next_number(ctx, target.id)
    await _check_number_free(ctx, target.id, number)
    copy = ControlPoint(
        municipality_id=ctx.municipality_id,
        plan_id=target.id,
        number=number,
        carried_from_id=point.id,
        **{key: getattr(point, key) for key in CARRIED},
    )
    if data.risk is not None:
        for key, value in _risk_columns(data.risk).items():
            setattr(copy, key, value)
    ctx.session.add(copy)
    await ctx.commit()
    return point_read(copy, None)
