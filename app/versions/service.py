"""Writing versions: the one way budget lines, placements and aggregates record a change.

:func:`record_changes` is what those writers call where they used to call the audit recorder:
each change appends a version (its ``after``, or a tombstone for a delete) carrying the batch id
of the session, and only a single write — no batch on the session — also records its own audit
event with before and after. A batch's one audit event is written by the batch machinery
(:func:`app.batches.service.record_batch_event`), as for measurements.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from app.audit.recorder import SYSTEM_ACTOR, Change, record_events
from app.auth.deps import BATCH_ID_KEY, Ctx
from app.db import insert_rows, utcnow, uuid7
from app.versions.models import VERSIONED, EntityVersion

VERSIONS = cast(Table, EntityVersion.__table__)


def record_versions(session: Session, changes: Sequence[Change]) -> None:
    """Append a version per change on the session's connection (inside its transaction)."""
    if not changes:
        return
    principal = session.info.get("principal")
    actor = SYSTEM_ACTOR if principal is None else principal.actor
    batch_id = session.info.get(BATCH_ID_KEY)
    now = utcnow()
    rows = []
    for change in changes:
        assert change.entity_type in VERSIONED, change.entity_type
        rows.append(
            {
                "id": uuid7(),
                "municipality_id": change.municipality_id,
                "entity_type": change.entity_type,
                "entity_id": uuid.UUID(change.entity_id),
                "content": None if change.action == "delete" else change.after,
                "recorded_by": actor,
                "batch_id": batch_id,
                "sys_from": now,
            }
        )
    insert_rows(session.connection(), VERSIONS, rows)


def _record(session: Session, changes: Sequence[Change]) -> None:
    record_versions(session, changes)
    if session.info.get(BATCH_ID_KEY) is None:
        record_events(session, list(changes))


async def record_changes(ctx: Ctx, changes: Sequence[Change]) -> None:
    """Versions for every change; an audit event each too, unless a batch is writing them."""
    await ctx.session.run_sync(lambda sync: _record(sync, changes))


async def append_versions(ctx: Ctx, changes: Sequence[Change]) -> None:
    """Versions only, for a write whose audit event the ORM hook records (a budget line's
    ``DELETE``)."""
    await ctx.session.run_sync(lambda sync: record_versions(sync, changes))
