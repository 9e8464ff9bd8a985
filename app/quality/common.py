"""Pieces the three registers share: source and reference fields, org-unit visibility, dates."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import ColumnElement, exists, select

from app.auth.deps import Ctx
from app.errors import Conflict, NotFound, Unprocessable
from app.measurements.service import ensure_may_write
from app.orgunits.models import OrgUnit
from app.orgunits.service import subtree_ids
from app.personnummer import FreeText

Source = Annotated[
    FreeText,
    Field(
        min_length=1,
        max_length=100,
        description="The system the row came from.",
        examples=["DF Respons"],
    ),
]
Reference = Annotated[
    FreeText,
    Field(
        min_length=1,
        max_length=100,
        description="The source system's own (pseudonymised) id; unique per source.",
        examples=["AV-2019-0042"],
    ),
]
ShortText = Annotated[FreeText, Field(min_length=1, max_length=200)]
LongText = Annotated[FreeText, Field(min_length=1, max_length=10000)]


def today() -> date:
    return date.today()


def not_in_future(field: str, value: date | None) -> None:
    if value is not None and value > today():
        raise Unprocessable.for_field(field, "in_future", "the date lies in the future")


def not_before(field: str, value: date | None, earliest: date | None, what: str) -> None:
    if value is not None and earliest is not None and value < earliest:
        raise Unprocessable.for_field(field, "too_early", f"must not be before {what}")


def visibility(ctx: Ctx, org_unit_column: Any) -> ColumnElement[bool] | None:
    """The condition that keeps a credential bound to an org unit inside its subtree."""
    root = ctx.principal.org_unit_id
    if root is None:
        return None
    condition: ColumnElement[bool] = org_unit_column.in_(subtree_ids(root))
    return condition


async def ensure_visible(ctx: Ctx, org_unit_id: uuid.UUID, what: str) -> None:
    """A row outside the caller's subtree is as invisible as another municipality's: 404."""
    root = ctx.principal.org_unit_id
    if root is None:
        return
    subtree = subtree_ids(root).subquery()
    if not await ctx.session.scalar(select(exists().where(subtree.c.id == org_unit_id))):
        raise NotFound(f"{what} not found")


async def writable_org_unit(
    ctx: Ctx, org_unit_id: uuid.UUID, field: str = "body.org_unit_id"
) -> OrgUnit:
    """The org unit a write names: 422 when unknown, 403 when outside the caller's subtree."""
    unit = await ctx.session.get(OrgUnit, org_unit_id)
    if unit is None or unit.municipality_id != ctx.municipality_id:
        raise Unprocessable.for_field(field, "not_found", "org unit not found")
    await ensure_may_write(ctx, org_unit_id)
    return unit


async def ensure_reference_free(
    ctx: Ctx,
    model: Any,
    source: str | None,
    reference: str | None,
    except_id: uuid.UUID | None = None,
) -> None:
    if source is None or reference is None:
        return
    stmt = select(model.id).where(model.source == source, model.reference == reference)
    if except_id is not None:
        stmt = stmt.where(model.id != except_id)
    if (await ctx.session.scalar(stmt)) is not None:
        raise Conflict("a row with this source and reference already exists")
