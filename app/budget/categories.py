"""Budget categories: the default chart from seed 000, configurable per municipality.

The default chart is the operating-budget table of seed 000 (Östersund, "Driftbudget/plan",
§5.1), revenue then cost, in its order. The table's "varav arvoden, uppdragstagare och övriga
löner" is a part *of* staff costs, not a category beside it (adding it would count it twice), so
it is left out. A municipality gets the chart when it is created (``municipalities.service``,
audited as created by the command line); one created before that gets it with its first budget
write (a category, a line, a batch), audited as created by that caller. It may then add
categories, rename them, map ERP accounts to them, set a monthly profile, and delete those no
line uses.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import select

from app.auth.deps import Ctx
from app.budget.models import BudgetAccount, BudgetCategory, BudgetLine, CategoryKind
from app.budget.schemas import BudgetCategoryCreate, BudgetCategoryRead, BudgetCategoryUpdate
from app.errors import Conflict, Unprocessable
from app.pagination import Keyset, PageParams

# (code, name as in seed 000, kind, is the municipal allocation)
DEFAULT_CHART: tuple[tuple[str, str, CategoryKind, bool], ...] = (
    ("REV-FEES", "Taxor och avgifter", CategoryKind.REVENUE, False),
    ("REV-RENTS", "Externa bostads- och lokalhyror", CategoryKind.REVENUE, False),
    ("REV-GRANTS", "Statsbidrag", CategoryKind.REVENUE, False),
    ("REV-OTHER-EXT", "Övriga externa intäkter", CategoryKind.REVENUE, False),
    ("REV-RENTS-INT", "Interna hyresintäkter", CategoryKind.REVENUE, False),
    ("REV-OTHER-INT", "Övriga interna intäkter", CategoryKind.REVENUE, False),
    ("REV-ALLOCATION", "Kommunbidrag", CategoryKind.REVENUE, True),
    ("COST-STAFF", "Personalkostnader", CategoryKind.COST, False),
    ("COST-PAYROLL-OH", "Personalomkostnader (PO-pålägg)", CategoryKind.COST, False),
    ("COST-GOODS", "Varor", CategoryKind.COST, False),
    ("COST-PURCHASED", "Köp av verksamhet", CategoryKind.COST, False),
    ("COST-OTHER", "Övriga kostnader", CategoryKind.COST, False),
    ("COST-GRANTS", "Lämnade bidrag", CategoryKind.COST, False),
    ("COST-RENTS-EXT", "Hyror, externt", CategoryKind.COST, False),
    ("COST-RENTS-INT", "Hyror, internt", CategoryKind.COST, False),
    ("COST-DEPRECIATION", "Avskrivningar", CategoryKind.COST, False),
    ("COST-INT-INTEREST", "Internränta", CategoryKind.COST, False),
    ("COST-INT-PURCHASES", "Interna köp exklusive hyror", CategoryKind.COST, False),
)
POSITION_STEP = 10


async def ensure_default_chart(ctx: Ctx) -> None:
    """Install the default chart for a municipality that has no categories yet (flushed, not
    committed: it lands with the write that needed it)."""
    if await ctx.session.scalar(select(BudgetCategory.id).limit(1)) is not None:
        return
    for position, (code, name, kind, allocation) in enumerate(DEFAULT_CHART, start=1):
        ctx.session.add(
            BudgetCategory(
                municipality_id=ctx.municipality_id,
                code=code,
                name=name,
                kind=kind.value,
                is_allocation=allocation,
                position=position * POSITION_STEP,
                monthly_profile=None,
            )
        )
    await ctx.session.flush()


def profile_of(category: BudgetCategory) -> tuple[Decimal, ...] | None:
    if category.monthly_profile is None:
        return None
    return tuple(Decimal(str(w)) for w in category.monthly_profile)


def _stored_profile(profile: list[Decimal] | None) -> list[str] | None:
    # Decimal strings in JSON: exact on both engines.
    return None if profile is None else [f"{w.normalize():f}" for w in profile]


async def _accounts(ctx: Ctx, category_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = {c: [] for c in category_ids}
    if category_ids:
        rows = await ctx.session.execute(
            select(BudgetAccount.category_id, BudgetAccount.code)
            .where(BudgetAccount.category_id.in_(category_ids))
            .order_by(BudgetAccount.code)
        )
        for category_id, code in rows:
            found[category_id].append(code)
    return found


def _read(category: BudgetCategory, accounts: list[str]) -> BudgetCategoryRead:
    return BudgetCategoryRead(
        id=category.id,
        code=category.code,
        name=category.name,
        kind=CategoryKind(category.kind),
        is_allocation=category.is_allocation,
        position=category.position,
        monthly_profile=list(profile_of(category) or ()) or None,
        erp_accounts=accounts,
        created_at=category.created_at,
        updated_at=category.updated_at,
    )


KEYSET = Keyset(
    columns={"position": BudgetCategory.position, "code": BudgetCategory.code},
    id_column=BudgetCategory.id,
    default="position",
)


async def list_categories(
    ctx: Ctx, kind: CategoryKind | None, page: PageParams, sort: str
) -> tuple[list[BudgetCategoryRead], str | None]:
    stmt = select(BudgetCategory)
    if kind is not None:
        stmt = stmt.where(BudgetCategory.kind == kind.value)
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    items, next_cursor = KEYSET.page(rows, sort, page.limit)
    accounts = await _accounts(ctx, [c.id for c in items])
    return [_read(c, accounts[c.id]) for c in items], next_cursor


async def get(ctx: Ctx, category_id: uuid.UUID) -> BudgetCategoryRead:
    category = await ctx.get(BudgetCategory, category_id, "budget category")
    return _read(category, (await _accounts(ctx, [category.id]))[category.id])


async def _set_accounts(ctx: Ctx, category: BudgetCategory, codes: list[str]) -> None:
    wanted = list(dict.fromkeys(codes))
    taken = (
        await ctx.session.execute(
            select(BudgetAccount.code, BudgetCategory.code)
            .join(BudgetCategory, BudgetCategory.id == BudgetAccount.category_id)
            .where(BudgetAccount.code.in_(wanted), BudgetAccount.category_id != category.id)
        )
    ).first()
    if taken is not None:
        raise Conflict(f"ERP account '{taken[0]}' already maps to category '{taken[1]}'")
    current = {
        a.code: a
        for a in await ctx.session.scalars(
            select(BudgetAccount).where(BudgetAccount.category_id == category.id)
        )
    }
    for code, account in current.items():
        if code not in wanted:
            await ctx.session.delete(account)
    for code in wanted:
        if code not in current:
            ctx.session.add(
                BudgetAccount(
                    municipality_id=ctx.municipality_id, code=code, category_id=category.id
                )
            )


async def create(ctx: Ctx, data: BudgetCategoryCreate) -> BudgetCategoryRead:
    await ensure_default_chart(ctx)
    if await ctx.session.scalar(select(BudgetCategory.id).where(BudgetCategory.code == data.code)):
        raise Conflict(f"a budget category with code '{data.code}' already exists")
    category = BudgetCategory(
        municipality_id=ctx.municipality_id,
        code=data.code,
        name=data.name,
        kind=data.kind.value,
        is_allocation=data.is_allocation,
        position=data.position,
        monthly_profile=_stored_profile(data.monthly_profile),
    )
    ctx.session.add(category)
    await ctx.session.flush()
    await _set_accounts(ctx, category, data.erp_accounts)
    await ctx.commit()
    return await get(ctx, category.id)


async def update(
    ctx: Ctx, category_id: uuid.UUID, data: BudgetCategoryUpdate
) -> BudgetCategoryRead:
    category = await ctx.get(BudgetCategory, category_id, "budget category")
    changes = data.model_dump(exclude_unset=True)
    for name in ("name", "position", "is_allocation"):
        if changes.get(name) is not None:
            setattr(category, name, changes[name])
    if category.is_allocation and category.kind != CategoryKind.REVENUE:
        raise Unprocessable.for_field(
            "body.is_allocation",
            "allocation_is_revenue",
            "only a revenue category is an allocation",
        )
    if "monthly_profile" in changes:
        category.monthly_profile = _stored_profile(data.monthly_profile)
    if data.erp_accounts is not None:
        await _set_accounts(ctx, category, data.erp_accounts)
    await ctx.commit()
    return await get(ctx, category.id)


async def delete_category(ctx: Ctx, category_id: uuid.UUID) -> None:
    category = await ctx.get(BudgetCategory, category_id, "budget category")
    used = select(BudgetLine.id).where(BudgetLine.category_id == category.id).limit(1)
    if await ctx.session.scalar(used) is not None:
        raise Conflict("budget lines use this category; delete or move them first")
    for account in await ctx.session.scalars(
        select(BudgetAccount).where(BudgetAccount.category_id == category.id)
    ):
        await ctx.session.delete(account)
    await ctx.session.flush()
    await ctx.session.delete(category)
    await ctx.commit()
