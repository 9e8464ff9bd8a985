"""Feedback (synpunkter): register, correct, answer, and count (seed 001 §6.4.1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.auth.deps import Ctx
from app.errors import NotFound, Unprocessable
from app.orgunits.service import subtree_ids
from app.pagination import Keyset, PageParams
from app.quality.common import (
    ensure_reference_free,
    ensure_visible,
    not_before,
    not_in_future,
    visibility,
    writable_org_unit,
)
from app.quality.feedback.models import Feedback
from app.quality.feedback.schemas import FeedbackCreate, FeedbackUpdate

KEYSET = Keyset(
    columns={"received_on": Feedback.received_on, "created_at": Feedback.created_at},
    id_column=Feedback.id,
    default="-received_on",
)
WHAT = "feedback"


async def get(ctx: Ctx, feedback_id: uuid.UUID) -> Feedback:
    row = await ctx.session.scalar(select(Feedback).where(Feedback.id == feedback_id))
    if row is None:
        raise NotFound(f"{WHAT} not found")
    await ensure_visible(ctx, row.org_unit_id, WHAT)
    return row


@dataclass(frozen=True)
class FeedbackFilter:
    org_unit_id: uuid.UUID | None = None
    kind: str | None = None
    topic: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    answered: bool | None = None
    source: str | None = None
    reference: str | None = None


def conditions_for(ctx: Ctx, f: FeedbackFilter) -> list[Any]:
    conditions: list[Any] = []
    visible = visibility(ctx, Feedback.org_unit_id)
    if visible is not None:
        conditions.append(visible)
    if f.org_unit_id is not None:
        conditions.append(Feedback.org_unit_id.in_(subtree_ids(f.org_unit_id)))
    if f.kind is not None:
        conditions.append(Feedback.kind == f.kind)
    if f.topic is not None:
        conditions.append(Feedback.topic == f.topic)
    if f.received_from is not None:
        conditions.append(Feedback.received_on >= f.received_from)
    if f.received_to is not None:
        conditions.append(Feedback.received_on <= f.received_to)
    if f.answered is not None:
        answered = Feedback.answered_on.is_not(None)
        conditions.append(answered if f.answered else ~answered)
    if f.source is not None:
        conditions.append(Feedback.source == f.source)
    if f.reference is not None:
        conditions.append(Feedback.reference == f.reference)
    return conditions


async def list_feedback(
    ctx: Ctx, f: FeedbackFilter, page: PageParams, sort: str
) -> tuple[list[Feedback], str | None]:
    stmt = select(Feedback).where(*conditions_for(ctx, f))
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    return KEYSET.page(rows, sort, page.limit)


def _check(row: Feedback) -> None:
    not_in_future("body.received_on", row.received_on)
    not_in_future("body.answered_on", row.answered_on)
    not_before("body.answered_on", row.answered_on, row.received_on, "received_on")


async def create(ctx: Ctx, data: FeedbackCreate) -> Feedback:
    await writable_org_unit(ctx, data.org_unit_id)
    row = Feedback(
        municipality_id=ctx.municipality_id,
        org_unit_id=data.org_unit_id,
        kind=data.kind.value,
        topic=data.topic.value if data.topic else None,
        received_on=data.received_on,
        answered_on=data.answered_on,
        summary=data.summary,
        source=data.source,
        reference=data.reference,
    )
    _check(row)
    await ensure_reference_free(ctx, Feedback, data.source, data.reference)
    ctx.session.add(row)
    await ctx.commit()
    return row


REQUIRED = frozenset({"org_unit_id", "kind", "received_on"})


async def update(ctx: Ctx, feedback_id: uuid.UUID, data: FeedbackUpdate) -> Feedback:
    row = await get(ctx, feedback_id)
    given = data.model_fields_set
    for name in sorted(given & REQUIRED):
        if getattr(data, name) is None:
            raise Unprocessable.for_field(f"body.{name}", "null", f"{name} cannot be null")
    if data.org_unit_id is not None and data.org_unit_id != row.org_unit_id:
        await writable_org_unit(ctx, data.org_unit_id)
    for name in sorted(given):
        value = getattr(data, name)
        setattr(row, name, getattr(value, "value", value))
    _check(row)
    await ensure_reference_free(ctx, Feedback, row.source, row.reference, except_id=row.id)
    await ctx.commit()
    return row


async def delete(ctx: Ctx, feedback_id: uuid.UUID) -> None:
    row = await get(ctx, feedback_id)
    await ctx.session.delete(row)
    await ctx.commit()
