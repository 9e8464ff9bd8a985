"""API keys as a resource for admins, and who-am-I."""

import uuid

from sqlalchemy import select

from app.auth import key_cache
from app.auth.credentials import new_api_key
from app.auth.deps import Ctx
from app.auth.models import ApiKey
from app.auth.permissions import ROLE_PERMISSIONS
from app.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, MeRead
from app.db import utcnow
from app.errors import Unprocessable
from app.municipalities.models import Municipality
from app.orgunits.models import OrgUnit
from app.pagination import Keyset, PageParams

KEYSET = Keyset(
    columns={"created_at": ApiKey.created_at, "name": ApiKey.name},
    id_column=ApiKey.id,
    default="created_at",
)


async def create(ctx: Ctx, data: ApiKeyCreate) -> ApiKeyCreated:
    beyond_role = sorted(set(data.scopes) - ROLE_PERMISSIONS[data.role])
    if beyond_role:
        raise Unprocessable.for_field(
            "body.scopes",
            "scope_beyond_role",
            f"role '{data.role}' does not grant: {', '.join(beyond_role)}",
        )
    if data.org_unit_id is not None:
        await ctx.get(OrgUnit, data.org_unit_id, "org unit")
    key, prefix, key_hash = new_api_key()
    api_key = ApiKey(
        municipality_id=ctx.municipality_id,
        name=data.name,
        role=data.role.value,
        prefix=prefix,
        key_hash=key_hash,
        scopes=[s.value for s in data.scopes],
        expires_at=data.expires_at,
        org_unit_id=data.org_unit_id,
        created_by=ctx.principal.actor,
    )
    ctx.session.add(api_key)
    await ctx.commit()
    return ApiKeyCreated(**ApiKeyRead.model_validate(api_key).model_dump(), key=key)


async def list_keys(
    ctx: Ctx, page: PageParams, sort: str, include_revoked: bool
) -> tuple[list[ApiKey], str | None]:
    stmt = select(ApiKey)
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    return KEYSET.page(rows, sort, page.limit)


async def get(ctx: Ctx, key_id: uuid.UUID) -> ApiKey:
    return await ctx.get(ApiKey, key_id, "API key")


async def revoke(ctx: Ctx, key_id: uuid.UUID) -> ApiKey:
    """Revoking is idempotent and keeps the row, so the audit trail can still name the key."""
    api_key = await get(ctx, key_id)
    if api_key.revoked_at is None:
        api_key.revoked_at = utcnow()
        await ctx.commit()
    key_cache.forget(api_key.key_hash)
    return api_key


async def me(ctx: Ctx) -> MeRead:
    p = ctx.principal
    name = p.municipality_name
    if name is None:
        name = (await ctx.session.get_one(Municipality, ctx.municipality_id)).name
    return MeRead(
        municipality_code=p.municipality_code,
        municipality_name=name,
        role=p.role,
        actor=p.actor,
        actor_name=p.actor_name,
        permissions=sorted(p.permissions),
    )
