"""The municipality-wide catalogue of placements: categories and providers.

Written through the ORM, audited by the session hook. A credential limited to an org unit cannot
change them (they are every unit's vocabulary); the standard categories cannot be deleted.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import exists, or_, select

from app.auth.deps import Ctx
from app.errors import Conflict, Forbidden, Unprocessable
from app.pagination import Keyset, PageParams
from app.placements.categories import ensure_standard_categories
from app.placements.models import (
    Placement,
    PlacementAggregate,
    PlacementBudget,
    PlacementCategory,
    PlacementProvider,
)
from app.placements.schemas import (
    PlacementCategoryCreate,
    PlacementCategoryUpdate,
    PlacementProviderCreate,
    PlacementProviderRead,
    PlacementProviderUpdate,
)

CATEGORY_KEYSET = Keyset(
    columns={"code": PlacementCategory.code, "name": PlacementCategory.name},
    id_column=PlacementCategory.id,
    default="code",
)
PROVIDER_KEYSET = Keyset(
    columns={"name": PlacementProvider.name, "created_at": PlacementProvider.created_at},
    id_column=PlacementProvider.id,
    default="name",
)


def _catalogue_writer(ctx: Ctx) -> None:
    if ctx.principal.org_unit_id is not None:
        raise Forbidden(
            "categories and providers are municipality-wide; "
            "a credential limited to an org unit cannot change them"
        )


# -- categories ------------------------------------------------------------------------------


async def list_categories(
    ctx: Ctx, page: PageParams, sort: str, target_group: str | None, regime: str | None
) -> tuple[list[PlacementCategory], str | None]:
    stmt = select(PlacementCategory)
    if target_group is not None:
        stmt = stmt.where(PlacementCategory.target_group == target_group)
    if regime is not None:
        stmt = stmt.where(PlacementCategory.regime == regime)
    rows = (
        await ctx.session.scalars(CATEGORY_KEYSET.apply(stmt, sort, page.cursor, page.limit))
    ).all()
    return CATEGORY_KEYSET.page(rows, sort, page.limit)


async def get_category(ctx: Ctx, category_id: uuid.UUID) -> PlacementCategory:
    return await ctx.get(PlacementCategory, category_id, "placement category")


async def add_standard_categories(ctx: Ctx) -> list[PlacementCategory]:
    _catalogue_writer(ctx)
    await ensure_standard_categories(ctx)
    await ctx.commit()
    return list(
        (
            await ctx.session.scalars(select(PlacementCategory).order_by(PlacementCategory.code))
        ).all()
    )


async def create_category(ctx: Ctx, data: PlacementCategoryCreate) -> PlacementCategory:
    _catalogue_writer(ctx)
    await ensure_standard_categories(ctx)
    taken = await ctx.session.scalar(
        select(PlacementCategory.id).where(PlacementCategory.code == data.code)
    )
    if taken is not None:
        raise Conflict(f"a placement category with code '{data.code}' already exists")
    if data.parent_id is not None:
        await _check_parent(ctx, None, data.parent_id)
    category = PlacementCategory(
        municipality_id=ctx.municipality_id,
        code=data.code,
        name=data.name,
        description=data.description,
        legal_basis=[b.value for b in data.legal_basis],
        target_group=data.target_group.value,
        regime=data.regime.value,
        standard=False,
        parent_id=data.parent_id,
    )
    ctx.session.add(category)
    await ctx.commit()
    return category


async def update_category(
    ctx: Ctx, category_id: uuid.UUID, data: PlacementCategoryUpdate
) -> PlacementCategory:
    _catalogue_writer(ctx)
    category = await get_category(ctx, category_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("parent_id") is not None:
        await _check_parent(ctx, category, changes["parent_id"])
    for key, value in changes.items():
        if value is None and key not in {"description", "parent_id"}:
            continue
        if key == "legal_basis":
            value = [str(b) for b in value]
        setattr(category, key, value)
    await ctx.commit()
    return category


async def _check_parent(ctx: Ctx, category: PlacementCategory | None, parent_id: uuid.UUID) -> None:
    """One level of totals: the parent exists here, is not the category, has no parent itself,
    and the category is no parent already."""
    parent = await ctx.session.get(PlacementCategory, parent_id)
    if parent is None or parent.municipality_id != ctx.municipality_id:
        raise Unprocessable.for_field("body.parent_id", "not_found", "no such placement category")
    if category is not None and parent.id == category.id:
        raise Unprocessable.for_field(
            "body.parent_id", "own_parent", "a category is not its own total"
        )
    if parent.parent_id is not None:
        raise Unprocessable.for_field(
            "body.parent_id", "nested_total", "the parent belongs to a total itself: one level"
        )
    if category is not None and await ctx.session.scalar(
        select(exists().where(PlacementCategory.parent_id == category.id))
    ):
        raise Unprocessable.for_field(
            "body.parent_id", "nested_total", "this category is a total: it has no parent"
        )


async def delete_category(ctx: Ctx, category_id: uuid.UUID) -> None:
    _catalogue_writer(ctx)
    category = await get_category(ctx, category_id)
    if category.standard:
        raise Conflict("a category of the standard set stays (rename it if need be)")
    if await ctx.session.scalar(select(exists().where(PlacementCategory.parent_id == category.id))):
        raise Conflict("the category is the total of other categories; it stays")
    for model in (Placement, PlacementAggregate, PlacementBudget):
        used = await ctx.session.scalar(select(exists().where(model.category_id == category.id)))
        if used:
            raise Conflict("the category has episodes, aggregates or budgets; it stays")
    await ctx.session.delete(category)
    await ctx.commit()


# -- providers -------------------------------------------------------------------------------


def provider_read(provider: PlacementProvider, today: date | None = None) -> PlacementProviderRead:
    year_start = date((today or date.today()).year, 1, 1)
    checked = provider.ivo_permit_checked_on
    return PlacementProviderRead(
        id=provider.id,
        name=provider.name,
        organisation_number=provider.organisation_number,
        ivo_permit_checked_on=checked,
        permit_check_due=checked is None or checked < year_start,
        comment=provider.comment,
        created_at=provider.created_at,
        updated_at=provider.updated_at,
    )


async def list_providers(
    ctx: Ctx,
    page: PageParams,
    sort: str,
    organisation_number: str | None,
    permit_check_due: bool | None,
) -> tuple[list[PlacementProvider], str | None]:
    stmt = select(PlacementProvider)
    if organisation_number is not None:
        stmt = stmt.where(PlacementProvider.organisation_number == organisation_number)
    if permit_check_due is not None:
        year_start = date(date.today().year, 1, 1)
        due = or_(
            PlacementProvider.ivo_permit_checked_on.is_(None),
            PlacementProvider.ivo_permit_checked_on < year_start,
        )
        stmt = stmt.where(due if permit_check_due else ~due)
    rows = (
        await ctx.session.scalars(PROVIDER_KEYSET.apply(stmt, sort, page.cursor, page.limit))
    ).all()
    return PROVIDER_KEYSET.page(rows, sort, page.limit)


async def get_provider(ctx: Ctx, provider_id: uuid.UUID) -> PlacementProvider:
    return await ctx.get(PlacementProvider, provider_id, "provider")


async def _org_number_free(
    ctx: Ctx, number: str | None, except_id: uuid.UUID | None = None
) -> None:
    if number is None:
        return
    stmt = select(PlacementProvider.id).where(PlacementProvider.organisation_number == number)
    if except_id is not None:
        stmt = stmt.where(PlacementProvider.id != except_id)
    if await ctx.session.scalar(stmt) is not None:
        raise Conflict("a provider with this organisation number already exists")


async def create_provider(ctx: Ctx, data: PlacementProviderCreate) -> PlacementProvider:
    _catalogue_writer(ctx)
    await _org_number_free(ctx, data.organisation_number)
    provider = PlacementProvider(municipality_id=ctx.municipality_id, **data.model_dump())
    ctx.session.add(provider)
    await ctx.commit()
    return provider


async def update_provider(
    ctx: Ctx, provider_id: uuid.UUID, data: PlacementProviderUpdate
) -> PlacementProvider:
    _catalogue_writer(ctx)
    provider = await get_provider(ctx, provider_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name", "") is None:
        del changes["name"]
    if "organisation_number" in changes:
        await _org_number_free(ctx, changes["organisation_number"], except_id=provider.id)
    for key, value in changes.items():
        setattr(provider, key, value)
    await ctx.commit()
    return provider


async def delete_provider(ctx: Ctx, provider_id: uuid.UUID) -> None:
    _catalogue_writer(ctx)
    provider = await get_provider(ctx, provider_id)
    if await ctx.session.scalar(select(exists().where(Placement.provider_id == provider.id))):
        raise Conflict("the provider has episodes; it stays")
    await ctx.session.delete(provider)
    await ctx.commit()
