import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.actionplans import service
from app.actionplans.schemas import (
    ActionPlanCreate,
    ActionPlanRead,
    ActionPlanUpdate,
    FollowUpCreate,
    FollowUpOverview,
    FollowUpState,
    ItemCreate,
    ItemRead,
    ItemUpdate,
)
from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.fields import IsoDate
from app.indicators.schemas import Year
from app.pagination import Page, PageParams, page_params

router = APIRouter(
    prefix="/action-plans", tags=["action-plans"], responses=problem_responses(401, 403)
)

Reader = Annotated[Ctx, Depends(Require(Permission.ACTION_PLANS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.ACTION_PLANS_WRITE))]
FollowUpWriter = Annotated[
    Ctx, Depends(Require(Permission.ACTION_PLANS_FOLLOW_UP, within_org_unit=True))
]
On = Annotated[
    IsoDate | None,
    Query(description="The date follow-up states are for (overdue, due, …). Default: today."),
]
ITEM = "/{plan_id:uuid}/items/{item_id:uuid}"


@router.get(
    "",
    operation_id="action-plans:list",
    summary="List action plans with their items",
    response_model=Page[ActionPlanRead],
    responses=problem_responses(422),
)
async def list_plans(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    owner_id: uuid.UUID | None = None,
    year: Annotated[Year | None, Query()] = None,
    on: On = None,
    sort: Literal["year", "-year", "title", "-title", "created_at", "-created_at"] = "-year",
) -> Page[ActionPlanRead]:
    f = service.PlanFilter(owner_id=owner_id, year=year)
    items, next_cursor = await service.list_plans(ctx, f, page, sort, on or date.today())
    return Page[ActionPlanRead](items=items, next_cursor=next_cursor)


@router.post(
    "",
    operation_id="action-plans:create",
    summary="Create an action plan, optionally with its items",
    status_code=status.HTTP_201_CREATED,
    response_model=ActionPlanRead,
    responses=problem_responses(409, 422),
)
async def create_plan(ctx: Writer, body: ActionPlanCreate) -> ActionPlanRead:
    return await service.create_plan(ctx, body)


@router.get(
    "/follow-ups",
    operation_id="action-plans:follow-ups",
    summary="Every item's follow-up on a date: overdue, due, upcoming, followed up, closed",
    description=(
        "An item is followed up when a note is dated in or after its follow-up month; until "
        "then it is `upcoming`, `due` within the month and `overdue` after it. Done or cancelled "
        "items are `closed`. `state=overdue` lists the overdue follow-ups."
    ),
    response_model=FollowUpOverview,
    responses=problem_responses(422),
)
async def follow_ups(
    ctx: Reader,
    on: On = None,
    owner_id: uuid.UUID | None = None,
    year: Annotated[Year | None, Query()] = None,
    state: FollowUpState | None = None,
) -> FollowUpOverview:
    return await service.follow_ups(
        ctx, on or date.today(), owner_id=owner_id, year=year, state=state
    )


@router.get(
    "/{plan_id:uuid}",
    operation_id="action-plans:get",
    summary="Get an action plan with its items and follow-up notes",
    response_model=ActionPlanRead,
    responses=problem_responses(404, 422),
)
async def get_plan(ctx: Reader, plan_id: uuid.UUID, on: On = None) -> ActionPlanRead:
    return await service.read_plan(ctx, plan_id, on or date.today())


@router.patch(
    "/{plan_id:uuid}",
    operation_id="action-plans:update",
    summary="Change an action plan",
    response_model=ActionPlanRead,
    responses=problem_responses(404, 409, 422),
)
async def update_plan(ctx: Writer, plan_id: uuid.UUID, body: ActionPlanUpdate) -> ActionPlanRead:
    return await service.update_plan(ctx, plan_id, body)


@router.delete(
    "/{plan_id:uuid}",
    operation_id="action-plans:delete",
    summary="Delete an action plan without items",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409),
)
async def delete_plan(ctx: Writer, plan_id: uuid.UUID) -> Response:
    await service.delete_plan(ctx, plan_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{plan_id:uuid}/items",
    operation_id="action-plan-items:create",
    summary="Add an item to the action plan",
    status_code=status.HTTP_201_CREATED,
    response_model=ItemRead,
    responses=problem_responses(404, 409, 422),
)
async def add_item(ctx: Writer, plan_id: uuid.UUID, body: ItemCreate) -> ItemRead:
    return await service.add_item(ctx, plan_id, body)


@router.get(
    ITEM,
    operation_id="action-plan-items:get",
    summary="Get an item with its follow-up notes",
    response_model=ItemRead,
    responses=problem_responses(404, 422),
)
async def get_item(ctx: Reader, plan_id: uuid.UUID, item_id: uuid.UUID, on: On = None) -> ItemRead:
    return await service.get_item(ctx, plan_id, item_id, on or date.today())


@router.patch(
    ITEM,
    operation_id="action-plan-items:update",
    summary="Change an item (its status changes through follow-up notes)",
    response_model=ItemRead,
    responses=problem_responses(404, 409, 422),
)
async def update_item(
    ctx: Writer, plan_id: uuid.UUID, item_id: uuid.UUID, body: ItemUpdate
) -> ItemRead:
    return await service.update_item(ctx, plan_id, item_id, body)


@router.delete(
    ITEM,
    operation_id="action-plan-items:delete",
    summary="Delete an item and its follow-up notes",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404),
)
async def delete_item(ctx: Writer, plan_id: uuid.UUID, item_id: uuid.UUID) -> Response:
    await service.delete_item(ctx, plan_id, item_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    ITEM + "/follow-ups",
    operation_id="action-plan-items:add-follow-up",
    summary="Add a dated follow-up note (sets the item's status)",
    status_code=status.HTTP_201_CREATED,
    response_model=ItemRead,
    responses=problem_responses(404, 422),
)
async def add_follow_up(
    ctx: FollowUpWriter, plan_id: uuid.UUID, item_id: uuid.UUID, body: FollowUpCreate
) -> ItemRead:
    return await service.add_follow_up(ctx, plan_id, item_id, body)
