import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.control import results, service, views
from app.control.schedule import CheckState
from app.control.schemas import (
    OCCASION_PATTERN,
    CarryOver,
    ControlPlanCreate,
    ControlPlanRead,
    ControlPlanUpdate,
    ControlPointCreate,
    ControlPointHistory,
    ControlPointRead,
    ControlPointUpdate,
    ControlResultRead,
    ControlResultWrite,
    ControlResultWritten,
    ControlSchedule,
    RiskMatrix,
)
from app.errors import problem_responses
from app.fields import IsoDate
from app.indicators.schemas import Year
from app.pagination import Page, PageParams, page_params

router = APIRouter(
    prefix="/control-plans", tags=["control-plans"], responses=problem_responses(401, 403)
)

Reader = Annotated[Ctx, Depends(Require(Permission.CONTROL_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.CONTROL_WRITE))]
Recorder = Annotated[Ctx, Depends(Require(Permission.CONTROL_RESULTS_WRITE, within_org_unit=True))]
Occasion = Annotated[
    str,
    Path(
        pattern=OCCASION_PATTERN,
        description="The month of the check, `YYYY-MM`, in the plan's year.",
        examples=["2022-12"],
    ),
]
On = Annotated[
    IsoDate | None,
    Query(description="The date the states are for (due, done, overdue). Default: today."),
]
POINT = "/{plan_id:uuid}/points/{point_id:uuid}"


# Plans ------------------------------------------------------------------------------------------


@router.get(
    "",
    operation_id="control-plans:list",
    summary="List internal-control plans",
    response_model=Page[ControlPlanRead],
    responses=problem_responses(422),
)
async def list_plans(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    committee_id: uuid.UUID | None = None,
    year: Annotated[Year | None, Query()] = None,
    sort: Literal["year", "-year", "created_at", "-created_at"] = "-year",
) -> Page[ControlPlanRead]:
    f = service.PlanFilter(committee_id=committee_id, year=year)
    items, next_cursor = await service.list_plans(ctx, f, page, sort)
    return Page[ControlPlanRead](
        items=[ControlPlanRead.model_validate(p) for p in items], next_cursor=next_cursor
    )


@router.post(
    "",
    operation_id="control-plans:create",
    summary="Create a committee's internal-control plan for a year",
    status_code=status.HTTP_201_CREATED,
    response_model=ControlPlanRead,
    responses=problem_responses(409, 422),
)
async def create_plan(ctx: Writer, body: ControlPlanCreate) -> ControlPlanRead:
    return ControlPlanRead.model_validate(await service.create_plan(ctx, body))


@router.get(
    "/schedule",
    operation_id="control-plans:schedule-all",
    summary="Which checks are due, done and overdue on a date, across the year's plans",
    response_model=ControlSchedule,
    responses=problem_responses(422),
)
async def schedule_all(
    ctx: Reader,
    on: On = None,
    committee_id: uuid.UUID | None = None,
    state: CheckState | None = None,
) -> ControlSchedule:
    return await views.schedule(ctx, on or date.today(), committee_id=committee_id, state=state)


@router.get(
    "/{plan_id:uuid}",
    operation_id="control-plans:get",
    summary="Get an internal-control plan",
    response_model=ControlPlanRead,
    responses=problem_responses(404),
)
async def get_plan(ctx: Reader, plan_id: uuid.UUID) -> ControlPlanRead:
    return ControlPlanRead.model_validate(await service.get_plan(ctx, plan_id))


@router.patch(
    "/{plan_id:uuid}",
    operation_id="control-plans:update",
    summary="Change a plan's title, decision or description",
    response_model=ControlPlanRead,
    responses=problem_responses(404, 422),
)
async def update_plan(ctx: Writer, plan_id: uuid.UUID, body: ControlPlanUpdate) -> ControlPlanRead:
    return ControlPlanRead.model_validate(await service.update_plan(ctx, plan_id, body))


@router.delete(
    "/{plan_id:uuid}",
    operation_id="control-plans:delete",
    summary="Delete a plan without control points",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409),
)
async def delete_plan(ctx: Writer, plan_id: uuid.UUID) -> Response:
    await service.delete_plan(ctx, plan_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{plan_id:uuid}/risk-matrix",
    operation_id="control-plans:risk-matrix",
    summary="The plan's control points placed by probability × consequence",
    response_model=RiskMatrix,
    responses=problem_responses(404),
)
async def risk_matrix(ctx: Reader, plan_id: uuid.UUID) -> RiskMatrix:
    return await views.risk_matrix(ctx, plan_id)


@router.get(
    "/{plan_id:uuid}/schedule",
    operation_id="control-plans:schedule",
    summary="Which of the plan's checks are due, done and overdue on a date",
    description=(
        "Every occasion of every point (a month its frequency names), with its state on `on`: "
        "`done` when a result is recorded, else `due` within the month, `overdue` after it, "
        "`upcoming` before it; done checks carry their colour."
    ),
    response_model=ControlSchedule,
    responses=problem_responses(404, 422),
)
async def plan_schedule(
    ctx: Reader, plan_id: uuid.UUID, on: On = None, state: CheckState | None = None
) -> ControlSchedule:
    return await views.schedule(ctx, on or date.today(), plan_id=plan_id, state=state)


# Points -----------------------------------------------------------------------------------------


@router.get(
    "/{plan_id:uuid}/points",
    operation_id="control-points:list",
    summary="The plan's control points, by number",
    response_model=list[ControlPointRead],
    responses=problem_responses(404),
)
async def list_points(ctx: Reader, plan_id: uuid.UUID) -> list[ControlPointRead]:
    return await service.list_points(ctx, plan_id)


@router.post(
    "/{plan_id:uuid}/points",
    operation_id="control-points:create",
    summary="Add a control point to the plan",
    status_code=status.HTTP_201_CREATED,
    response_model=ControlPointRead,
    responses=problem_responses(404, 409, 422),
)
async def create_point(
    ctx: Writer, plan_id: uuid.UUID, body: ControlPointCreate
) -> ControlPointRead:
    return await service.create_point(ctx, plan_id, body)


@router.get(
    POINT,
    operation_id="control-points:get",
    summary="Get a control point",
    response_model=ControlPointRead,
    responses=problem_responses(404),
)
async def get_point(ctx: Reader, plan_id: uuid.UUID, point_id: uuid.UUID) -> ControlPointRead:
    return await service.read_point(ctx, await service.get_point(ctx, plan_id, point_id))


@router.patch(
    POINT,
    operation_id="control-points:update",
    summary="Change a control point (its risk assessment and objective included)",
    response_model=ControlPointRead,
    responses=problem_responses(404, 409, 422),
)
async def update_point(
    ctx: Writer, plan_id: uuid.UUID, point_id: uuid.UUID, body: ControlPointUpdate
) -> ControlPointRead:
    return await service.update_point(ctx, plan_id, point_id, body)


@router.delete(
    POINT,
    operation_id="control-points:delete",
    summary="Delete a control point without results that was not carried over",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409),
)
async def delete_point(ctx: Writer, plan_id: uuid.UUID, point_id: uuid.UUID) -> Response:
    await service.delete_point(ctx, plan_id, point_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    POINT + "/carry-over",
    operation_id="control-points:carry-over",
    summary="Carry the point over to a later year's plan, keeping its history",
    description=(
        "Copies the point into `to_plan_id` (the same committee's plan for a later year), linked "
        "by `carried_from_id`; the results stay with their year. A point is carried over once."
    ),
    status_code=status.HTTP_201_CREATED,
    response_model=ControlPointRead,
    responses=problem_responses(404, 409, 422),
)
async def carry_over(
    ctx: Writer, plan_id: uuid.UUID, point_id: uuid.UUID, body: CarryOver
) -> ControlPointRead:
    return await service.carry_over(ctx, plan_id, point_id, body)


@router.get(
    POINT + "/history",
    operation_id="control-points:history",
    summary="The point through the years it was carried over, with each year's results",
    response_model=ControlPointHistory,
    responses=problem_responses(404),
)
async def point_history(
    ctx: Reader, plan_id: uuid.UUID, point_id: uuid.UUID
) -> ControlPointHistory:
    return await results.history(ctx, plan_id, point_id)


# Results ----------------------------------------------------------------------------------------


@router.get(
    POINT + "/results",
    operation_id="control-results:list",
    summary="The point's results, by occasion, each with its colour",
    response_model=list[ControlResultRead],
    responses=problem_responses(404),
)
async def list_results(
    ctx: Reader, plan_id: uuid.UUID, point_id: uuid.UUID
) -> list[ControlResultRead]:
    return await results.list_results(ctx, plan_id, point_id)


@router.get(
    POINT + "/results/{occasion}",
    operation_id="control-results:get",
    summary="The result of the check on one occasion",
    response_model=ControlResultRead,
    responses=problem_responses(404, 422),
)
async def get_result(
    ctx: Reader, plan_id: uuid.UUID, point_id: uuid.UUID, occasion: Occasion
) -> ControlResultRead:
    return await results.get_result(ctx, plan_id, point_id, occasion)


@router.put(
    POINT + "/results/{occasion}",
    operation_id="control-results:put",
    summary="Record the result of a check (create, replace, or leave unchanged)",
    description=(
        "Checked and deviating counts, a measured value where the objective is quantitative, a "
        "comment and measures. The colour is computed from the point's objective on every read "
        "(green/yellow/red as for indicators); without an objective, all checked cases must be "
        "without deviation."
    ),
    response_model=ControlResultWritten,
    responses={
        201: {"description": "Created", "model": ControlResultWritten},
        **problem_responses(404, 422),
    },
)
async def put_result(
    ctx: Recorder,
    plan_id: uuid.UUID,
    point_id: uuid.UUID,
    occasion: Occasion,
    body: ControlResultWrite,
    response: Response,
) -> ControlResultWritten:
    result, outcome = await results.put_result(ctx, plan_id, point_id, occasion, body)
    if outcome == "created":
        response.status_code = status.HTTP_201_CREATED
    return ControlResultWritten(**result.model_dump(), result=outcome)


@router.delete(
    POINT + "/results/{occasion}",
    operation_id="control-results:delete",
    summary="Delete the result of a check",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 422),
)
async def delete_result(
    ctx: Recorder, plan_id: uuid.UUID, point_id: uuid.UUID, occasion: Occasion
) -> Response:
    await results.delete_result(ctx, plan_id, point_id, occasion)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
