import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.indicators import service
from app.indicators.schemas import (
    IndicatorCreate,
    IndicatorRead,
    IndicatorUpdate,
    TargetRead,
    TargetWrite,
    Year,
)
from app.pagination import Page, PageParams, page_params
from app.readcache.route import CACHED_READS

router = APIRouter(
    dependencies=CACHED_READS,
    prefix="/indicators",
    tags=["indicators"],
    responses=problem_responses(401, 403),
)

Reader = Annotated[Ctx, Depends(Require(Permission.INDICATORS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.INDICATORS_WRITE))]
TargetYear = Annotated[int, Path(ge=1900, le=2999, description="The target's year.")]


@router.get(
    "",
    operation_id="indicators:list",
    summary="List indicators",
    response_model=Page[IndicatorRead],
    responses=problem_responses(422),
)
async def list_indicators(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    code: Annotated[str | None, Query(max_length=50)] = None,
    source: Annotated[str | None, Query(max_length=100)] = None,
    kolada_kpi: Annotated[str | None, Query(max_length=20)] = None,
    year: Annotated[
        Year | None, Query(description="Only indicators in the plan that year.")
    ] = None,
    search: Annotated[str | None, Query(max_length=100, description="Words in the title.")] = None,
    sort: Literal["code", "-code", "title", "-title", "created_at", "-created_at"] = "code",
) -> Page[IndicatorRead]:
    items, next_cursor = await service.list_indicators(
        ctx, page, sort, code=code, source=source, kolada_kpi=kolada_kpi, year=year, search=search
    )
    return Page[IndicatorRead](
        items=[IndicatorRead.model_validate(i) for i in items], next_cursor=next_cursor
    )


@router.post(
    "",
    operation_id="indicators:create",
    summary="Create an indicator",
    status_code=status.HTTP_201_CREATED,
    response_model=IndicatorRead,
    responses=problem_responses(409, 422),
)
async def create_indicator(ctx: Writer, body: IndicatorCreate) -> IndicatorRead:
    return IndicatorRead.model_validate(await service.create(ctx, body))


@router.get(
    "/{indicator_id:uuid}",
    operation_id="indicators:get",
    summary="Get an indicator",
    response_model=IndicatorRead,
    responses=problem_responses(404),
)
async def get_indicator(ctx: Reader, indicator_id: uuid.UUID) -> IndicatorRead:
    return IndicatorRead.model_validate(await service.get(ctx, indicator_id))


@router.patch(
    "/{indicator_id:uuid}",
    operation_id="indicators:update",
    summary="Change an indicator",
    response_model=IndicatorRead,
    responses=problem_responses(404, 409, 422),
)
async def update_indicator(
    ctx: Writer, indicator_id: uuid.UUID, body: IndicatorUpdate
) -> IndicatorRead:
    return IndicatorRead.model_validate(await service.update(ctx, indicator_id, body))


@router.delete(
    "/{indicator_id:uuid}",
    operation_id="indicators:delete",
    summary="Delete an indicator that has no measurements and no goals",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409),
)
async def delete_indicator(ctx: Writer, indicator_id: uuid.UUID) -> Response:
    await service.delete_indicator(ctx, indicator_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{indicator_id:uuid}/targets",
    operation_id="indicators:list-targets",
    summary="The indicator's targets, one per year",
    response_model=list[TargetRead],
    responses=problem_responses(404),
)
async def list_targets(ctx: Reader, indicator_id: uuid.UUID) -> list[TargetRead]:
    return [service.target_read(t) for t in await service.list_targets(ctx, indicator_id)]


@router.put(
    "/{indicator_id:uuid}/targets/{year}",
    operation_id="indicators:put-target",
    summary="Set the target for a year",
    response_model=TargetRead,
    responses={201: {"description": "Created", "model": TargetRead}, **problem_responses(404, 422)},
)
async def put_target(
    ctx: Writer, indicator_id: uuid.UUID, year: TargetYear, body: TargetWrite, response: Response
) -> TargetRead:
    target, created = await service.put_target(ctx, indicator_id, year, body)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return service.target_read(target)


@router.delete(
    "/{indicator_id:uuid}/targets/{year}",
    operation_id="indicators:delete-target",
    summary="Remove the target for a year",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 422),
)
async def delete_target(ctx: Writer, indicator_id: uuid.UUID, year: TargetYear) -> Response:
    await service.delete_target(ctx, indicator_id, year)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
