"""Org units: the tree, its validity in time, and the subtree query later domains roll up over."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import BindParameter, Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from app.auth.deps import Ctx
from app.errors import Conflict, NotFound, Unprocessable
from app.orgunits.models import OrgUnit, OrgUnitKind
from app.orgunits.schemas import OrgUnitCreate, OrgUnitNode, OrgUnitRead, OrgUnitUpdate
from app.pagination import Keyset, PageParams

KEYSET = Keyset(
    columns={"code": OrgUnit.code, "name": OrgUnit.name, "created_at": OrgUnit.created_at},
    id_column=OrgUnit.id,
    default="code",
)


@dataclass(frozen=True)
class OrgUnitFilter:
    kind: OrgUnitKind | None = None
    parent_id: uuid.UUID | None = None
    subtree_of: uuid.UUID | None = None
    code: str | None = None
    valid_on: date | None = None


def valid_on(day: date) -> Any:
    return and_(OrgUnit.valid_from <= day, or_(OrgUnit.valid_to.is_(None), OrgUnit.valid_to >= day))


# Built once: an alias is cheap to use and costly to make (its columns are set up on first use).
_CHILD = aliased(OrgUnit)


def subtree_ids(root_id: uuid.UUID | BindParameter[uuid.UUID]) -> Select[uuid.UUID]:
    """Ids of ``root_id`` (a value, or a parameter of a statement built once) and all its
    descendants (a recursive CTE, on both engines)."""
    tree = select(OrgUnit.id).where(OrgUnit.id == root_id).cte("subtree", recursive=True)
    child = _CHILD
    tree = tree.union_all(select(child.id).where(child.parent_id == tree.c.id))
    return select(tree.c.id)


async def get(ctx: Ctx, org_unit_id: uuid.UUID) -> OrgUnit:
    return await ctx.get(OrgUnit, org_unit_id, "org unit")


async def list_units(
    ctx: Ctx, filters: OrgUnitFilter, page: PageParams, sort: str
) -> tuple[list[OrgUnit], str | None]:
    stmt = select(OrgUnit)
    if filters.kind is not None:
        stmt = stmt.where(OrgUnit.kind == filters.kind.value)
    if filters.parent_id is not None:
        stmt = stmt.where(OrgUnit.parent_id == filters.parent_id)
    if filters.subtree_of is not None:
        stmt = stmt.where(OrgUnit.id.in_(subtree_ids(filters.subtree_of)))
    if filters.code is not None:
        stmt = stmt.where(OrgUnit.code == filters.code)
    if filters.valid_on is not None:
        stmt = stmt.where(valid_on(filters.valid_on))
    stmt = KEYSET.apply(stmt, sort, page.cursor, page.limit)
    rows = (await ctx.session.scalars(stmt)).all()
    return KEYSET.page(rows, sort, page.limit)


async def _parent_for(ctx: Ctx, parent_id: uuid.UUID | None) -> OrgUnit | None:
    if parent_id is None:
        return None
    try:
        return await ctx.get(OrgUnit, parent_id, "parent org unit")
    except NotFound as exc:
        raise Unprocessable.for_field(
            "body.parent_id", "not_found", "parent org unit not found"
        ) from exc


async def _ensure_code_free(ctx: Ctx, code: str, except_id: uuid.UUID | None = None) -> None:
    stmt = select(OrgUnit.id).where(OrgUnit.code == code)
    if except_id is not None:
        stmt = stmt.where(OrgUnit.id != except_id)
    if (await ctx.session.scalar(stmt)) is not None:
        raise Conflict(f"an org unit with code '{code}' already exists")


async def create(ctx: Ctx, data: OrgUnitCreate) -> OrgUnit:
    await _parent_for(ctx, data.parent_id)
    await _ensure_code_free(ctx, data.code)
    unit = OrgUnit(
        municipality_id=ctx.municipality_id,
        code=data.code,
        name=data.name,
        kind=data.kind.value,
        parent_id=data.parent_id,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
    )
    ctx.session.add(unit)
    await ctx.commit()
    return unit


async def update(ctx: Ctx, org_unit_id: uuid.UUID, data: OrgUnitUpdate) -> OrgUnit:
    unit = await get(ctx, org_unit_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "code" in changes and changes["code"] != unit.code:
        await _ensure_code_free(ctx, changes["code"], except_id=unit.id)
    new_from = changes.get("valid_from", unit.valid_from)
    if unit.valid_to is not None and new_from > unit.valid_to:
        raise Unprocessable.for_field(
            "body.valid_from", "after_valid_to", "valid_from must not be after valid_to"
        )
    for key, value in changes.items():
        setattr(unit, key, value.value if isinstance(value, OrgUnitKind) else value)
    await ctx.commit()
    return unit


async def close(ctx: Ctx, org_unit_id: uuid.UUID, valid_to: date) -> OrgUnit:
    """Set the last day of a unit. Refused while a child is still valid after that day."""
    unit = await get(ctx, org_unit_id)
    if valid_to < unit.valid_from:
        raise Unprocessable.for_field(
            "body.valid_to", "before_valid_from", "valid_to must not be before valid_from"
        )
    open_children = await ctx.session.scalar(
        select(func.count())
        .select_from(OrgUnit)
        .where(
            OrgUnit.parent_id == unit.id,
            or_(OrgUnit.valid_to.is_(None), OrgUnit.valid_to > valid_to),
        )
    )
    if open_children:
        raise Conflict(
            f"{open_children} child unit(s) are valid after {valid_to.isoformat()}; "
            "close or move them first"
        )
    unit.valid_to = valid_to
    await ctx.commit()
    return unit


async def move(ctx: Ctx, org_unit_id: uuid.UUID, parent_id: uuid.UUID | None) -> OrgUnit:
    unit = await get(ctx, org_unit_id)
    if parent_id is not None:
        await _parent_for(ctx, parent_id)
        in_own_subtree = await ctx.session.scalar(
            select(exists().where(subtree_ids(unit.id).subquery().c.id == parent_id))
        )
        if in_own_subtree:
            raise Unprocessable.for_field(
                "body.parent_id", "cycle", "a unit cannot move below itself or its descendants"
            )
    unit.parent_id = parent_id
    await ctx.commit()
    return unit


async def delete(ctx: Ctx, org_unit_id: uuid.UUID) -> None:
    """Remove a unit created by mistake. Units that existed are closed instead, keeping history."""
    unit = await get(ctx, org_unit_id)
    has_children = await ctx.session.scalar(select(exists().where(OrgUnit.parent_id == unit.id)))
    if has_children:
        raise Conflict("the org unit has child units; move or delete them first")
    await ctx.session.delete(unit)
    await ctx.commit()


async def tree(ctx: Ctx, day: date | None, root_id: uuid.UUID | None) -> list[OrgUnitNode]:
    """The whole tree (or one subtree) in one query, children ordered by code."""
    stmt = select(OrgUnit).order_by(OrgUnit.code)
    if day is not None:
        stmt = stmt.where(valid_on(day))
    if root_id is not None:
        await get(ctx, root_id)
        stmt = stmt.where(OrgUnit.id.in_(subtree_ids(root_id)))
    units = (await ctx.session.scalars(stmt)).all()
    return build_tree(units, root_id)


def build_tree(units: Sequence[OrgUnit], root_id: uuid.UUID | None) -> list[OrgUnitNode]:
    nodes = {u.id: OrgUnitNode(**OrgUnitRead.model_validate(u).model_dump()) for u in units}
    roots: list[OrgUnitNode] = []
    for unit in units:
        node = nodes[unit.id]
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        if parent is not None and unit.id != root_id:
            parent.children.append(node)
        else:
            roots.append(node)
    return roots
