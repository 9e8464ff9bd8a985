import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status

from app.auth import service
from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, MeRead
from app.errors import problem_responses
from app.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/api-keys", tags=["api-keys"], responses=problem_responses(401, 403))
me_router = APIRouter(tags=["access"], responses=problem_responses(401, 403))

Admin = Annotated[Ctx, Depends(Require(Permission.API_KEYS_MANAGE))]


@router.post(
    "",
    operation_id="api-keys:create",
    summary="Create an API key (the key is shown once)",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=problem_responses(404, 422),
)
async def create_api_key(ctx: Admin, body: ApiKeyCreate) -> ApiKeyCreated:
    return await service.create(ctx, body)


@router.get(
    "",
    operation_id="api-keys:list",
    summary="List API keys",
    response_model=Page[ApiKeyRead],
    responses=problem_responses(422),
)
async def list_api_keys(
    ctx: Admin,
    page: Annotated[PageParams, Depends(page_params)],
    include_revoked: Annotated[bool, Query(description="Include revoked keys.")] = False,
    sort: Literal["created_at", "-created_at", "name", "-name"] = "created_at",
) -> Page[ApiKeyRead]:
    items, next_cursor = await service.list_keys(ctx, page, sort, include_revoked)
    return Page[ApiKeyRead](
        items=[ApiKeyRead.model_validate(k) for k in items], next_cursor=next_cursor
    )


@router.get(
    "/{key_id:uuid}",
    operation_id="api-keys:get",
    summary="Get an API key's metadata",
    response_model=ApiKeyRead,
    responses=problem_responses(404, 422),
)
async def get_api_key(ctx: Admin, key_id: uuid.UUID) -> ApiKeyRead:
    return ApiKeyRead.model_validate(await service.get(ctx, key_id))


@router.delete(
    "/{key_id:uuid}",
    operation_id="api-keys:revoke",
    summary="Revoke an API key",
    description="The key stops working at once on the server process that revoked it and within "
    "`STYRKORT_API_KEY_CACHE_SECONDS` (5 s) on the others; its metadata stays for the audit "
    "trail.",
    response_model=ApiKeyRead,
    responses=problem_responses(404, 422),
)
async def revoke_api_key(ctx: Admin, key_id: uuid.UUID) -> ApiKeyRead:
    return ApiKeyRead.model_validate(await service.revoke(ctx, key_id))


@me_router.get(
    "/me",
    operation_id="access:me",
    summary="Who am I: municipality, role and permissions of this credential",
    response_model=MeRead,
)
async def who_am_i(ctx: Annotated[Ctx, Depends(Require(Permission.MUNICIPALITY_READ))]) -> MeRead:
    return await service.me(ctx)
