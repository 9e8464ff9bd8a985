"""``Idempotency-Key``: a retried request lands once, and no crash leaves a key stuck.

The key is claimed **inside the request's own transaction**: the claim row is inserted first,
the work follows, and the answer is stored on the row in the commit that lands the work. So:

* an attempt that lands commits the work, the key and its answer together; a retry with the same
  key and the same request gets the stored answer back, with another request a 409;
* an attempt that dies — the server killed, the connection lost — rolls back, claim included:
  nothing landed and the next attempt takes the key at once (no lease to wait out);
* an attempt that wrote nothing (a refusal, a dry run) rolls back its claim too, so a corrected
  retry is judged afresh;
* a retry while an attempt is still running waits for it on the key's unique index, at most
  ``idempotency_wait_seconds``: if the first lands meanwhile, the retry gets its answer; if not,
  409 with ``Retry-After`` (PostgreSQL). On SQLite the running attempt holds the write lock, so
  the retry waits up to the busy timeout instead and then replays, or answers 503 with
  ``Retry-After``.

The database's transaction is the lease: it lasts exactly as long as the attempt. Keys expire
after ``idempotency_ttl_hours``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.auth.deps import Ctx
from app.batches.models import IdempotencyKey
from app.db import utcnow
from app.errors import Conflict, Unprocessable

MAX_KEY_LENGTH = 200
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout ran out


@dataclass(frozen=True)
class Stored:
    status_code: int
    body: dict[str, Any]


def request_hash(method: str, path: str, query: str, content_type: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method, path, query, content_type):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(body)
    return digest.hexdigest()


def _in_progress(wait_seconds: float) -> Conflict:
    return Conflict(
        "a request with this Idempotency-Key is still in progress; retry shortly",
        headers={"Retry-After": str(max(1, math.ceil(wait_seconds)))},
    )


async def _stored(ctx: Ctx, key: str, fingerprint: str) -> Stored | None:
    """The answer a landed attempt stored under ``key``; 409 for another request."""
    existing = await ctx.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if existing is None:
        return None
    if not existing.completed or existing.response is None or existing.status_code is None:
        # Left by a version that committed claims before the work: its attempt is over.
        await ctx.session.delete(existing)
        await ctx.session.flush()
        return None
    if existing.request_hash != fingerprint:
        raise Conflict("this Idempotency-Key was used with a different request")
    return Stored(existing.status_code, existing.response)


async def claim(
    ctx: Ctx, key: str, fingerprint: str, ttl_hours: int, wait_seconds: float = 2.0
) -> Stored | None:
    """Claim ``key`` in the request's transaction, or return the answer a landed attempt got."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Unprocessable.for_field(
            "header.Idempotency-Key", "invalid", f"1 to {MAX_KEY_LENGTH} characters"
        )
    now = utcnow()
    await ctx.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.key == key, IdempotencyKey.expires_at <= now)
    )
    stored = await _stored(ctx, key, fingerprint)
    if stored is not None:
        return stored
    ctx.session.add(
        IdempotencyKey(
            municipality_id=ctx.municipality_id,
            key=key,
            request_hash=fingerprint,
            expires_at=now + timedelta(hours=ttl_hours),
        )
    )
    try:
        await _flush_waiting_at_most(ctx, wait_seconds)
    except IntegrityError:  # an attempt with this key landed while we waited
        await ctx.session.rollback()
        stored = await _stored(ctx, key, fingerprint)
        if stored is None:  # it landed and expired in between: not worth a second round
            raise _in_progress(wait_seconds) from None
        return stored
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        await ctx.session.rollback()
        raise _in_progress(wait_seconds) from exc
    return None


async def _flush_waiting_at_most(ctx: Ctx, wait_seconds: float) -> None:
    """Insert the claim. On PostgreSQL an attempt holding the same key makes the insert wait on
    the unique index; ``lock_timeout`` bounds that wait for this statement only."""
    if ctx.session.get_bind().dialect.name != "postgresql":
        await ctx.session.flush()
        return
    with ctx.session.no_autoflush:  # the claim must not be inserted before the bound is set
        await ctx.session.execute(text(f"SET LOCAL lock_timeout = '{int(wait_seconds * 1000)}ms'"))
    await ctx.session.flush()
    await ctx.session.execute(text("SET LOCAL lock_timeout = DEFAULT"))


async def complete(ctx: Ctx, key: str, status_code: int, body: dict[str, Any]) -> None:
    """Store the answer; the caller commits it together with the work."""
    row = await ctx.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if row is not None:
        row.completed, row.status_code, row.response = True, status_code, body
