"""Writes the audit trail for every flushed change of an audited entity, in the same transaction.

Built once, here: a model opts in with ``__audit_entity__ = "name"`` (see ``app.db.TenantScoped``)
and every ORM insert, update and delete of it is recorded with actor, time, request id, batch id
and before/after column values. Set-based writes that bypass the ORM call :func:`record_events`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, cast

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session

from app.audit.models import AuditEvent
from app.db import TenantScoped, insert_rows, utcnow, uuid7

SYSTEM_ACTOR = "system:cli"


@dataclass(frozen=True)
class Change:
    entity_type: str
    entity_id: str
    action: str  # create | update | delete
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    municipality_id: uuid.UUID


def json_value(value: Any) -> Any:
    """A column value as the audit trail keeps it. A number is its plain text without trailing
    zeros, so a value read back from the database (``1190.000000``) and one the client sent
    (``1195``) are written alike within one event."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


def _snapshot(obj: TenantScoped, *, before: bool) -> dict[str, Any]:
    state = inspect(obj)
    result: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in obj.__audit_redact__:
            continue
        if before:
            history = state.attrs[key].history
            value = history.deleted[0] if history.deleted else getattr(obj, key)
        else:
            value = getattr(obj, key)
        result[key] = json_value(value)
    return result


def _changed_columns(obj: TenantScoped) -> set[str]:
    state = inspect(obj)
    return {
        attr.key
        for attr in state.mapper.column_attrs
        if state.attrs[attr.key].history.has_changes()
    }


def _is_audited(obj: object) -> bool:
    return isinstance(obj, TenantScoped) and obj.__audit_entity__ is not None


def _gather_before(session: Session) -> list[tuple[TenantScoped, str, dict[str, Any] | None]]:
    """Pending changes with their before-values, read while the attribute history is whole."""
    pending: list[tuple[TenantScoped, str, dict[str, Any] | None]] = []
    for obj in session.new:
        if _is_audited(obj):
            pending.append((obj, "create", None))
    for obj in session.dirty:
        if _is_audited(obj) and _changed_columns(obj) - obj.__audit_ignore__:
            pending.append((obj, "update", _snapshot(obj, before=True)))
    for obj in session.deleted:
        if _is_audited(obj):
            pending.append((obj, "delete", _snapshot(obj, before=True)))
    return pending


def _complete(obj: TenantScoped, action: str, before: dict[str, Any] | None) -> Change:
    """After the flush: defaults are applied and ids assigned, so the after-values are final."""
    assert obj.__audit_entity__ is not None
    after = None if action == "delete" else _snapshot(obj, before=False)
    entity_id = str(obj.id)  # type: ignore[attr-defined]
    return Change(obj.__audit_entity__, entity_id, action, before, after, obj.municipality_id)


def _actor(session: Session) -> tuple[str, str | None]:
    principal = session.info.get("principal")
    if principal is None:
        return SYSTEM_ACTOR, None
    return principal.actor, principal.actor_name


def record_events(session: Session, changes: list[Change]) -> None:
    """Insert audit rows for ``changes`` on the session's connection (inside its transaction)."""
    if not changes:
        return
    actor, actor_name = _actor(session)
    now = utcnow()
    request_id = session.info.get("request_id")
    batch_id = session.info.get("batch_id")
    rows = [
        {
            "id": uuid7(),
            "municipality_id": c.municipality_id,
            "occurred_at": now,
            "actor": actor,
            "actor_name": actor_name,
            "entity_type": c.entity_type,
            "entity_id": c.entity_id,
            "action": c.action,
            "before": c.before,
            "after": c.after,
            "request_id": request_id,
            "batch_id": batch_id,
        }
        for c in changes
    ]
    insert_rows(session.connection(), cast(Table, AuditEvent.__table__), rows)


_PENDING = "audit_pending"


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    session.info.setdefault(_PENDING, []).extend(_gather_before(session))


def _after_flush(session: Session, _ctx: Any) -> None:
    pending = session.info.pop(_PENDING, [])
    record_events(session, [_complete(obj, action, before) for obj, action, before in pending])


def _after_soft_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)


def install_audit_trail() -> None:
    """Hook the recorder into every ORM session of the process. Safe to call more than once."""
    if event.contains(Session, "after_flush", _after_flush):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_soft_rollback", _after_soft_rollback)
