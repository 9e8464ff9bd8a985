"""Granted decisions followed up until executed, with their interruptions.

Rules (DOMAIN §9 leaves them open):

* ``executed_on`` and ``ended_on`` are not before ``decision_on`` and not in the future.
* An interruption needs an executed decision and starts on or after ``executed_on``; a
  decision's interruptions do not overlap (only the latest may be open, i.e. not resumed), and
  ``executed_on`` cannot be cleared or moved past the first interruption while they exist.
* Deleting a decision deletes its interruptions (each delete in the audit trail).
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from app.auth.deps import Ctx
from app.errors import Conflict, NotFound, Unprocessable
from app.orgunits.service import subtree_ids
from app.pagination import Keyset, PageParams
from app.quality.common import (
    ensure_reference_free,
    ensure_visible,
    not_before,
    not_in_future,
    today,
    visibility,
    writable_org_unit,
)
from app.quality.decisions.models import (
    DecisionGender,
    DecisionInterruption,
    InterventionType,
    LegalBasis,
    UnexecutedDecision,
)
from app.quality.decisions.schemas import (
    DecisionCreate,
    DecisionRead,
    DecisionState,
    DecisionUpdate,
    InterruptionCreate,
    InterruptionRead,
    InterruptionUpdate,
)

KEYSET = Keyset(
    columns={
        "decision_on": UnexecutedDecision.decision_on,
        "created_at": UnexecutedDecision.created_at,
    },
    id_column=UnexecutedDecision.id,
    default="decision_on",
)
WHAT = "decision"


def _state(
    decision: UnexecutedDecision, interruptions: Sequence[DecisionInterruption], day: date
) -> DecisionState:
    if decision.ended_on is not None and decision.ended_on <= day:
        return DecisionState.ENDED
    if any(
        i.interrupted_on <= day and (i.resumed_on is None or i.resumed_on > day)
        for i in interruptions
    ):
        return DecisionState.INTERRUPTED
    if decision.executed_on is not None and decision.executed_on <= day:
        return DecisionState.EXECUTED
    return DecisionState.WAITING


async def interruptions_of(
    ctx: Ctx, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[DecisionInterruption]]:
    found: dict[uuid.UUID, list[DecisionInterruption]] = {i: [] for i in ids}
    if ids:
        for row in (
            await ctx.session.scalars(
                select(DecisionInterruption)
                .where(DecisionInterruption.decision_id.in_(ids))
                .order_by(DecisionInterruption.interrupted_on, DecisionInterruption.id)
            )
        ).all():
            found[row.decision_id].append(row)
    return found


async def read_many(ctx: Ctx, decisions: Sequence[UnexecutedDecision]) -> list[DecisionRead]:
    """Decisions with their interruptions: one query for the lot."""
    interruptions = await interruptions_of(ctx, [d.id for d in decisions])
    day = today()
    return [
        DecisionRead(
            id=d.id,
            org_unit_id=d.org_unit_id,
            decision_on=d.decision_on,
            intervention_type=InterventionType(d.intervention_type),
            legal_basis=LegalBasis(d.legal_basis),
            gender=DecisionGender(d.gender),
            executed_on=d.executed_on,
            ended_on=d.ended_on,
            reason=d.reason,
            source=d.source,
            reference=d.reference,
            state=_state(d, interruptions[d.id], day),
            interruptions=[InterruptionRead.model_validate(i) for i in interruptions[d.id]],
            created_at=d.created_at,
            updated_at=d.updated_at,
        )
        for d in decisions
    ]


async def read(ctx: Ctx, decision: UnexecutedDecision) -> DecisionRead:
    [result] = await read_many(ctx, [decision])
    return result


async def get(ctx: Ctx, decision_id: uuid.UUID, *, lock: bool = False) -> UnexecutedDecision:
    stmt = select(UnexecutedDecision).where(UnexecutedDecision.id == decision_id)
    if lock:
        stmt = stmt.with_for_update()
    decision = await ctx.session.scalar(stmt)
    if decision is None:
        raise NotFound(f"{WHAT} not found")
    await ensure_visible(ctx, decision.org_unit_id, WHAT)
    return decision


@dataclass(frozen=True)
class DecisionFilter:
    org_unit_id: uuid.UUID | None = None
    intervention_type: str | None = None
    legal_basis: str | None = None
    gender: str | None = None
    executed: bool | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    source: str | None = None
    reference: str | None = None


def conditions_for(ctx: Ctx, f: DecisionFilter) -> list[Any]:
    d = UnexecutedDecision
    conditions: list[Any] = []
    visible = visibility(ctx, d.org_unit_id)
    if visible is not None:
        conditions.append(visible)
    if f.org_unit_id is not None:
        conditions.append(d.org_unit_id.in_(subtree_ids(f.org_unit_id)))
    for name in ("intervention_type", "legal_basis", "gender", "source", "reference"):
        value = getattr(f, name)
        if value is not None:
            conditions.append(getattr(d, name) == value)
    if f.executed is not None:
        executed = d.executed_on.is_not(None)
        conditions.append(executed if f.executed else ~executed)
    if f.decided_from is not None:
        conditions.append(d.decision_on >= f.decided_from)
    if f.decided_to is not None:
        conditions.append(d.decision_on <= f.decided_to)
    return conditions


async def list_decisions(
    ctx: Ctx, f: DecisionFilter, page: PageParams, sort: str
) -> tuple[list[DecisionRead], str | None]:
    stmt = select(UnexecutedDecision).where(*conditions_for(ctx, f))
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    items, next_cursor = KEYSET.page(rows, sort, page.limit)
    return await read_many(ctx, items), next_cursor


def _check_dates(
    decision: UnexecutedDecision, interruptions: Sequence[DecisionInterruption]
) -> None:
    not_in_future("body.decision_on", decision.decision_on)
    for name in ("executed_on", "ended_on"):
        value = getattr(decision, name)
        not_in_future(f"body.{name}", value)
        not_before(f"body.{name}", value, decision.decision_on, "decision_on")
    if interruptions:
        first = min(i.interrupted_on for i in interruptions)
        if decision.executed_on is None or decision.executed_on > first:
            raise Unprocessable.for_field(
                "body.executed_on",
                "interrupted_before_executed",
                "the decision has interruptions: it was executed on or before the first",
            )


async def create(ctx: Ctx, data: DecisionCreate) -> DecisionRead:
    await writable_org_unit(ctx, data.org_unit_id)
    decision = UnexecutedDecision(
        municipality_id=ctx.municipality_id,
        org_unit_id=data.org_unit_id,
        decision_on=data.decision_on,
        intervention_type=data.intervention_type.value,
        legal_basis=data.legal_basis.value,
        gender=data.gender.value,
        executed_on=data.executed_on,
        ended_on=data.ended_on,
        reason=data.reason,
        source=data.source,
        reference=data.reference,
    )
    _check_dates(decision, [])
    await ensure_reference_free(ctx, UnexecutedDecision, data.source, data.reference)
    ctx.session.add(decision)
    await ctx.commit()
    return await read(ctx, decision)


REQUIRED = frozenset({"org_unit_id", "decision_on", "intervention_type", "legal_basis", "gender"})


async def update(ctx: Ctx, decision_id: uuid.UUID, data: DecisionUpdate) -> DecisionRead:
    decision = await get(ctx, decision_id, lock=True)
    given = data.model_fields_set
    for name in sorted(given & REQUIRED):
        if getattr(data, name) is None:
            raise Unprocessable.for_field(f"body.{name}", "null", f"{name} cannot be null")
    if data.org_unit_id is not None and data.org_unit_id != decision.org_unit_id:
        await writable_org_unit(ctx, data.org_unit_id)
    interruptions = (await interruptions_of(ctx, [decision.id]))[decision.id]
    for name in sorted(given):
        value = getattr(data, name)
        setattr(decision, name, getattr(value, "value", value))
    _check_dates(decision, interruptions)
    await ensure_reference_free(
        ctx, UnexecutedDecision, decision.source, decision.reference, except_id=decision.id
    )
    await ctx.commit()
    return await read(ctx, decision)


async def delete(ctx: Ctx, decision_id: uuid.UUID) -> None:
    decision = await get(ctx, decision_id, lock=True)
    for interruption in (await interruptions_of(ctx, [decision.id]))[decision.id]:
        await ctx.session.delete(interruption)
    await ctx.session.flush()
    await ctx.session.delete(decision)
    await ctx.commit()


# -- interruptions ------------------------------------------------------------------------------


def _check_interruptions(
    decision: UnexecutedDecision, interruptions: Sequence[DecisionInterruption]
) -> None:
    ordered = sorted(interruptions, key=lambda i: i.interrupted_on)
    for interruption in ordered:
        not_in_future("body.interrupted_on", interruption.interrupted_on)
        not_in_future("body.resumed_on", interruption.resumed_on)
        not_before(
            "body.resumed_on",
            interruption.resumed_on,
            interruption.interrupted_on,
            "interrupted_on",
        )
    if ordered and (
        decision.executed_on is None or ordered[0].interrupted_on < decision.executed_on
    ):
        raise Unprocessable.for_field(
            "body.interrupted_on",
            "before_executed_on",
            "an interruption starts on or after the decision's executed_on",
        )
    for previous, following in itertools.pairwise(ordered):
        if previous.resumed_on is None or previous.resumed_on > following.interrupted_on:
            raise Unprocessable.for_field(
                "body.interrupted_on",
                "overlapping",
                "interruptions of a decision do not overlap: only the latest may be open",
            )


async def _interruption(
    ctx: Ctx, decision: UnexecutedDecision, interruption_id: uuid.UUID
) -> DecisionInterruption:
    found = await ctx.session.scalar(
        select(DecisionInterruption).where(
            DecisionInterruption.id == interruption_id,
            DecisionInterruption.decision_id == decision.id,
        )
    )
    if found is None:
        raise NotFound("interruption not found")
    return found


async def add_interruption(
    ctx: Ctx, decision_id: uuid.UUID, data: InterruptionCreate
) -> DecisionRead:
    decision = await get(ctx, decision_id, lock=True)
    if decision.executed_on is None:
        raise Conflict("the decision is not executed: only an executed decision is interrupted")
    existing = (await interruptions_of(ctx, [decision.id]))[decision.id]
    interruption = DecisionInterruption(
        municipality_id=ctx.municipality_id,
        decision_id=decision.id,
        interrupted_on=data.interrupted_on,
        resumed_on=data.resumed_on,
        reason=data.reason,
    )
    _check_interruptions(decision, [*existing, interruption])
    ctx.session.add(interruption)
    await ctx.commit()
    return await read(ctx, decision)


async def update_interruption(
    ctx: Ctx, decision_id: uuid.UUID, interruption_id: uuid.UUID, data: InterruptionUpdate
) -> DecisionRead:
    decision = await get(ctx, decision_id, lock=True)
    interruption = await _interruption(ctx, decision, interruption_id)
    given = data.model_fields_set
    if "interrupted_on" in given and data.interrupted_on is None:
        raise Unprocessable.for_field(
            "body.interrupted_on", "null", "interrupted_on cannot be null"
        )
    existing = (await interruptions_of(ctx, [decision.id]))[decision.id]
    for name in sorted(given):
        setattr(interruption, name, getattr(data, name))
    _check_interruptions(decision, existing)
    await ctx.commit()
    return await read(ctx, decision)


async def delete_interruption(
    ctx: Ctx, decision_id: uuid.UUID, interruption_id: uuid.UUID
) -> DecisionRead:
    decision = await get(ctx, decision_id, lock=True)
    interruption = await _interruption(ctx, decision, interruption_id)
    await ctx.session.delete(interruption)
    await ctx.commit()
    return await read(ctx, decision)
