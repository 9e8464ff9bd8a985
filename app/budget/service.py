"""Budget lines: upsert by natural key, list, read and delete (DOMAIN §7).

Every write goes through ``app.budget.writes``, so a single ``PUT`` and an ERP batch refuse the
same things with the same codes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select

from app.audit.recorder import Change
from app.auth.deps import Ctx
from app.budget import writes
from app.budget.models import WHOLE_YEAR, BudgetCategory, BudgetLine, CategoryKind, Scenario
from app.budget.money import to_sek
from app.budget.schemas import BudgetLineRead, BudgetLineWrite
from app.errors import Forbidden, NotFound, Unprocessable
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.pagination import AnySelect, Keyset, PageParams
from app.versions.service import append_versions

KEYSET = Keyset(
    columns={"year": BudgetLine.year, "created_at": BudgetLine.created_at, "id": BudgetLine.id},
    id_column=BudgetLine.id,
    default="year",
)


def _select_read() -> AnySelect:
    """A line with its unit's and category's codes in one row; keyset columns by name."""
    b = BudgetLine
    stmt: AnySelect = (
        select(
            b.id,
            b.org_unit_id,
            OrgUnit.code.label("org_unit_code"),
            b.category_id,
            BudgetCategory.code.label("category_code"),
            BudgetCategory.kind,
            b.account_code,
            b.year,
            b.month,
            b.scenario,
            b.forecast_date,
            b.amount_ore,
            b.source_system,
            b.comment,
            b.recorded_by,
            b.batch_id,
            b.created_at,
            b.updated_at,
        )
        .join(OrgUnit, OrgUnit.id == b.org_unit_id)
        .join(BudgetCategory, BudgetCategory.id == b.category_id)
    )
    return stmt


def _read(row: Any) -> BudgetLineRead:
    month = None if row.month == WHOLE_YEAR else row.month
    return BudgetLineRead(
        id=row.id,
        org_unit_id=row.org_unit_id,
        org_unit_code=row.org_unit_code,
        category_id=row.category_id,
        category_code=row.category_code,
        kind=CategoryKind(row.kind),
        account_code=row.account_code or None,
        period=f"{row.year:04d}" if month is None else f"{row.year:04d}-{month:02d}",
        year=row.year,
        month=month,
        scenario=Scenario(row.scenario),
        forecast_date=row.forecast_date,
        amount=to_sek(row.amount_ore),
        source_system=row.source_system,
        comment=row.comment,
        recorded_by=row.recorded_by,
        batch_id=row.batch_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


@dataclass(frozen=True)
class LineFilter:
    org_unit_id: uuid.UUID | None = None
    subtree_of: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    year: int | None = None
    scenario: Scenario | None = None
    batch_id: uuid.UUID | None = None


async def list_lines(
    ctx: Ctx, f: LineFilter, page: PageParams, sort: str
) -> tuple[list[BudgetLineRead], str | None]:
    stmt = _select_read()
    if f.org_unit_id is not None:
        stmt = stmt.where(BudgetLine.org_unit_id == f.org_unit_id)
    if f.subtree_of is not None:
        stmt = stmt.where(BudgetLine.org_unit_id.in_(subtree_ids(f.subtree_of)))
    if f.category_id is not None:
        stmt = stmt.where(BudgetLine.category_id == f.category_id)
    if f.year is not None:
        stmt = stmt.where(BudgetLine.year == f.year)
    if f.scenario is not None:
        stmt = stmt.where(BudgetLine.scenario == f.scenario.value)
    if f.batch_id is not None:
        stmt = stmt.where(BudgetLine.batch_id == f.batch_id)
    rows = (await ctx.session.execute(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    items, next_cursor = KEYSET.page(rows, sort, page.limit)
    return [_read(r) for r in items], next_cursor


async def get(ctx: Ctx, line_id: uuid.UUID) -> BudgetLineRead:
    row = (await ctx.session.execute(_select_read().where(BudgetLine.id == line_id))).one_or_none()
    if row is None:
        raise NotFound("budget line not found")
    return _read(row)


async def put(ctx: Ctx, data: BudgetLineWrite) -> tuple[BudgetLineRead, writes.Result]:
    """One line through the same path as a batch of one."""
    raw = data.model_dump(exclude_none=True)
    lookups = await writes.resolve(ctx, [raw])
    valid, errors = writes.validate([raw], lookups, prefix="body.")
    if any(e.code == "outside_subtree" for e in errors):
        raise Forbidden("this credential may write only within its own org unit's subtree")
    errors += await writes.check_existing(ctx, valid, prefix="body.")
    if errors:
        raise Unprocessable(errors[0].message, errors=writes.field_errors(errors))
    [row] = valid
    await writes.write(ctx, valid, batch_id=None)
    await ctx.commit()
    assert row.line_id is not None
    return await get(ctx, row.line_id), row.result


async def delete(ctx: Ctx, line_id: uuid.UUID) -> None:
    line = await ctx.get(BudgetLine, line_id, "budget line")
    root = ctx.principal.org_unit_id
    if root is not None:
        subtree = subtree_ids(root).subquery()
        inside = await ctx.session.scalar(select(exists().where(subtree.c.id == line.org_unit_id)))
        if not inside:
            raise Forbidden("this credential may write only within its own org unit's subtree")
    await ctx.session.delete(line)  # audited by the ORM hook, as before
    deleted = Change("budget_line", str(line.id), "delete", None, None, ctx.municipality_id)
    await append_versions(ctx, [deleted])  # the tombstone
    await ctx.commit()
