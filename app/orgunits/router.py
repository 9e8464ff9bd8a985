import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.fields import IsoDate
from app.orgunits import service
from app.orgunits.models import OrgUnitKind
from app.orgunits.schemas import (
    OrgUnitClose,
    OrgUnitCreate,
    OrgUnitMove,
    OrgUnitNode,
    OrgUnitRead,
    OrgUnitUpdate,
)
from app.pagination import Page, PageParams, page_params
from app.readcache.route import CACHED_READS

router = APIRouter(
    dependencies=CACHED_READS,
    prefix="/org-units",
    tags=["org-units"],
    responses=problem_responses(401, 403),
)

Reader = Annotated[Ctx, Depends(Require(Permission.ORG_UNITS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.ORG_UNITS_WRITE))]
ValidOn = Annotated[
    IsoDate | None,
    Query(description="Only units valid on this date. Default: today. See `any_date`."),
]
AnyDate = Annotated[bool, Query(description="Ignore validity: include closed and future units.")]


def _day(valid_on: date | None, any_date: bool) -> date | None:
    if any_date:
        return None
    return valid_on or date.today()


@router.get(
    "",
    operation_id="org-units:list",
    summary="List org units",
    response_model=Page[OrgUnitRead],
    responses=problem_responses(422),
)
async def list_org_units(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    kind: OrgUnitKind | None = None,
    parent_id: uuid.UUID | None = None,
    subtree_of: Annotated[
        uuid.UUID | None, Query(description="Only this unit and its descendants.")
    ] = None,
    code: Annotated[str | None, Query(max_length=50)] = None,
    valid_on: ValidOn = None,
    any_date: AnyDate = False,
    sort: Literal["code", "-code", "name", "-name", "created_at", "-created_at"] = "code",
) -> Page[OrgUnitRead]:
    filters = service.OrgUnitFilter(
        kind=kind,
        parent_id=parent_id,
        subtree_of=subtree_of,
        code=code,
        valid_on=_day(valid_on, any_date),
    )
    items, next_cursor = await service.list_units(ctx, filters, page, sort)
    return Page[OrgUnitRead](
        items=[OrgUnitRead.model_validate(u) for u in items], next_cursor=next_cursor
    )


@router.get(
    "/tree",
    operation_id="org-units:tree",
    summary="The org-unit tree in one call",
    response_model=list[OrgUnitNode],
    responses=problem_responses(404, 422),
)
async def org_unit_tree(
    ctx: Reader,
    root_id: Annotated[uuid.UUID | None, Query(description="Only this unit's subtree.")] = None,
    valid_on: ValidOn = None,
    any_date: AnyDate = False,
) -> list[OrgUnitNode]:
    return await service.tree(ctx, _day(valid_on, any_date), root_id)


@router.post(
    "",
    operation_id="org-units:create",
    summary="Create an org unit",
    status_code=status.HTTP_201_CREATED,
    response_model=OrgUnitRead,
    responses=problem_responses(409, 422),
)
async def create_org_unit(ctx: Writer, body: OrgUnitCreate) -> OrgUnitRead:
    return OrgUnitRead.model_validate(await service.create(ctx, body))


@router.get(
    "/{org_unit_id:uuid}",
    operation_id="org-units:get",
    summary="Get an org unit",
    response_model=OrgUnitRead,
    responses=problem_responses(404, 422),
)
async def get_org_unit(ctx: Reader, org_unit_id: uuid.UUID) -> OrgUnitRead:
    return OrgUnitRead.model_validate(await service.get(ctx, org_unit_id))


@router.patch(
    "/{org_unit_id:uuid}",
    operation_id="org-units:update",
    summary="Change an org unit's code, name, kind or start date",
    response_model=OrgUnitRead,
    responses=problem_responses(404, 409, 422),
)
async def update_org_unit(ctx: Writer, org_unit_id: uuid.UUID, body: OrgUnitUpdate) -> OrgUnitRead:
    return OrgUnitRead.model_validate(await service.update(ctx, org_unit_id, body))


@router.post(
    "/{org_unit_id:uuid}/close",
    operation_id="org-units:close",
    summary="Close an org unit (set its last day)",
    response_model=OrgUnitRead,
    responses=problem_responses(404, 409, 422),
)
async def close_org_unit(ctx: Writer, org_unit_id: uuid.UUID, body: OrgUnitClose) -> OrgUnitRead:
    return OrgUnitRead.model_validate(await service.close(ctx, org_unit_id, body.valid_to))


@router.post(
    "/{org_unit_id:uuid}/move",
    operation_id="org-units:move",
    summary="Move an org unit under another parent",
    response_model=OrgUnitRead,
    responses=problem_responses(404, 422),
)
async def move_org_unit(ctx: Writer, org_unit_id: uuid.UUID, body: OrgUnitMove) -> OrgUnitRead:
    return OrgUnitRead.model_validate(await service.move(ctx, org_unit_id, body.parent_id))


@router.delete(
    "/{org_unit_id:uuid}",
    operation_id="org-units:delete",
    summary="Delete an org unit created by mistake",
    description="Units that existed should be closed instead, so history keeps them.",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409, 422),
)
async def delete_org_unit(ctx: Writer, org_unit_id: uuid.UUID) -> Response:
    await service.delete(ctx, org_unit_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
