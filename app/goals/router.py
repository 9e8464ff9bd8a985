import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.goals import service
from app.goals.models import AssignmentStatus, GoalLevel
from app.goals.schemas import (
    AssignmentCreate,
    AssignmentRead,
    AssignmentUpdate,
    GoalCreate,
    GoalIndicatorLink,
    GoalNode,
    GoalRead,
    GoalUpdate,
    ProgressCreate,
)
from app.indicators.schemas import Year
from app.pagination import Page, PageParams, page_params
from app.readcache.route import CACHED_READS

router = APIRouter(
    dependencies=CACHED_READS,
    prefix="/goals",
    tags=["goals"],
    responses=problem_responses(401, 403),
)
assignments = APIRouter(
    dependencies=CACHED_READS,
    prefix="/assignments",
    tags=["assignments"],
    responses=problem_responses(401, 403),
)

Reader = Annotated[Ctx, Depends(Require(Permission.GOALS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.GOALS_WRITE))]
OwnerId = Annotated[uuid.UUID | None, Query(description="The owning org unit (committee).")]
InYear = Annotated[Year | None, Query(description="Only goals of the plan valid that year.")]


@router.get(
    "",
    operation_id="goals:list",
    summary="List goals",
    response_model=Page[GoalRead],
    responses=problem_responses(422),
)
async def list_goals(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    level: GoalLevel | None = None,
    owner_id: OwnerId = None,
    parent_id: uuid.UUID | None = None,
    year: InYear = None,
    goal_area: Annotated[str | None, Query(max_length=300)] = None,
    sort: Literal["code", "-code", "created_at", "-created_at"] = "code",
) -> Page[GoalRead]:
    f = service.GoalFilter(
        level=level, owner_id=owner_id, parent_id=parent_id, year=year, goal_area=goal_area
    )
    items, next_cursor = await service.list_goals(ctx, f, page, sort)
    return Page[GoalRead](items=items, next_cursor=next_cursor)


@router.get(
    "/tree",
    operation_id="goals:tree",
    summary="The goal tree (council → committee → unit goals) with indicators, in one call",
    response_model=list[GoalNode],
    responses=problem_responses(422),
)
async def goal_tree(ctx: Reader, owner_id: OwnerId = None, year: InYear = None) -> list[GoalNode]:
    return await service.tree(ctx, service.GoalFilter(owner_id=owner_id, year=year))


@router.post(
    "",
    operation_id="goals:create",
    summary="Create a goal",
    status_code=status.HTTP_201_CREATED,
    response_model=GoalRead,
    responses=problem_responses(409, 422),
)
async def create_goal(ctx: Writer, body: GoalCreate) -> GoalRead:
    return await service.create(ctx, body)


@router.get(
    "/{goal_id:uuid}",
    operation_id="goals:get",
    summary="Get a goal",
    response_model=GoalRead,
    responses=problem_responses(404),
)
async def get_goal(ctx: Reader, goal_id: uuid.UUID) -> GoalRead:
    return await service.read(ctx, await service.get(ctx, goal_id))


@router.patch(
    "/{goal_id:uuid}",
    operation_id="goals:update",
    summary="Change a goal (its rule included)",
    response_model=GoalRead,
    responses=problem_responses(404, 409, 422),
)
async def update_goal(ctx: Writer, goal_id: uuid.UUID, body: GoalUpdate) -> GoalRead:
    return await service.update(ctx, goal_id, body)


@router.put(
    "/{goal_id:uuid}/indicators",
    operation_id="goals:set-indicators",
    summary="Replace the goal's indicators and their weights",
    response_model=GoalRead,
    responses=problem_responses(404, 422),
)
async def set_goal_indicators(
    ctx: Writer, goal_id: uuid.UUID, body: list[GoalIndicatorLink]
) -> GoalRead:
    return await service.set_indicators(ctx, goal_id, body)


@router.delete(
    "/{goal_id:uuid}",
    operation_id="goals:delete",
    summary="Delete a goal without children or assignments",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409),
)
async def delete_goal(ctx: Writer, goal_id: uuid.UUID) -> Response:
    await service.delete_goal(ctx, goal_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@assignments.get(
    "",
    operation_id="assignments:list",
    summary="List assignments (uppdrag)",
    response_model=list[AssignmentRead],
    responses=problem_responses(422),
)
async def list_assignments(
    ctx: Reader,
    goal_id: uuid.UUID | None = None,
    status: AssignmentStatus | None = None,
    report_to_council: bool | None = None,
) -> list[AssignmentRead]:
    return await service.list_assignments(
        ctx, goal_id, status.value if status else None, report_to_council
    )


@assignments.post(
    "",
    operation_id="assignments:create",
    summary="Create an assignment on a goal",
    status_code=status.HTTP_201_CREATED,
    response_model=AssignmentRead,
    responses=problem_responses(422),
)
async def create_assignment(ctx: Writer, body: AssignmentCreate) -> AssignmentRead:
    return await service.create_assignment(ctx, body)


@assignments.get(
    "/{assignment_id:uuid}",
    operation_id="assignments:get",
    summary="Get an assignment with its progress notes",
    response_model=AssignmentRead,
    responses=problem_responses(404),
)
async def get_assignment(ctx: Reader, assignment_id: uuid.UUID) -> AssignmentRead:
    return await service.get_assignment(ctx, assignment_id)


@assignments.patch(
    "/{assignment_id:uuid}",
    operation_id="assignments:update",
    summary="Change an assignment",
    response_model=AssignmentRead,
    responses=problem_responses(404, 422),
)
async def update_assignment(
    ctx: Writer, assignment_id: uuid.UUID, body: AssignmentUpdate
) -> AssignmentRead:
    return await service.update_assignment(ctx, assignment_id, body)


@assignments.post(
    "/{assignment_id:uuid}/progress",
    operation_id="assignments:add-progress",
    summary="Add a dated progress note (sets the status)",
    status_code=status.HTTP_201_CREATED,
    response_model=AssignmentRead,
    responses=problem_responses(404, 422),
)
async def add_progress(
    ctx: Writer, assignment_id: uuid.UUID, body: ProgressCreate
) -> AssignmentRead:
    return await service.add_progress(ctx, assignment_id, body)


@assignments.delete(
    "/{assignment_id:uuid}",
    operation_id="assignments:delete",
    summary="Delete an assignment",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404),
)
async def delete_assignment(ctx: Writer, assignment_id: uuid.UUID) -> Response:
    await service.delete_assignment(ctx, assignment_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
