"""``Idempotency-Key``: a retried request lands once.

The first request with a key claims it (a row committed before any work); the answer of a
request that wrote something is stored with the key in the same transaction as the work. A retry
with the same key and the same request gets the stored answer back; with another request, 409. A
key still being worked on is a 409 too (retry shortly). A request that wrote nothing (refused, or
a dry run) releases its key. Keys expire after ``idempotency_ttl_hours``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.auth.deps import Ctx
from app.batches.models import IdempotencyKey
from app.db import utcnow
from app.errors import Conflict, Unprocessable

MAX_KEY_LENGTH = 200


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


async def claim(ctx: Ctx, key: str, fingerprint: str, ttl_hours: int) -> Stored | None:
    """Claim ``key`` for this request, or return the answer a completed one got."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise Unprocessable.for_field(
            "header.Idempotency-Key", "invalid", f"1 to {MAX_KEY_LENGTH} characters"
        )
    now = utcnow()
    await ctx.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.key == key, IdempotencyKey.expires_at <= now)
    )
    existing = await ctx.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if existing is not None:
        if existing.request_hash != fingerprint:
            raise Conflict("this Idempotency-Key was used with a different request")
        if not existing.completed or existing.response is None or existing.status_code is None:
            raise Conflict("a request with this Idempotency-Key is still in progress; retry")
        return Stored(existing.status_code, existing.response)
    ctx.session.add(
        IdempotencyKey(
            municipality_id=ctx.municipality_id,
            key=key,
            request_hash=fingerprint,
            expires_at=now + timedelta(hours=ttl_hours),
        )
    )
    try:
        await ctx.commit()
    except IntegrityError as exc:  # another worker claimed it a moment ago
        await ctx.session.rollback()
        raise Conflict("a request with this Idempotency-Key is still in progress; retry") from exc
    return None


async def complete(ctx: Ctx, key: str, status_code: int, body: dict[str, Any]) -> None:
    """Store the answer; the caller commits it together with the work."""
    row = await ctx.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if row is not None:
        row.completed, row.status_code, row.response = True, status_code, body


async def release(ctx: Ctx, key: str) -> None:
    """Forget the claim of a request that wrote nothing (its work is rolled back here), so a
    retry runs afresh."""
    await ctx.session.rollback()
    await ctx.session.execute(delete(IdempotencyKey).where(IdempotencyKey.key == key))
    await ctx.commit()
