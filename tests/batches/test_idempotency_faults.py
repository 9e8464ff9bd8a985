"""Idempotency-Key under faults (issue 16): an attempt that dies leaves no claim behind, and a
retry during a live attempt is told to come back (409 or, on SQLite, 503, with Retry-After)."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import orjson
import pytest
from httpx import ASGITransport, AsyncClient

from app.auth.deps import system_ctx
from app.batches import idempotency
from app.batches.idempotency import request_hash
from app.main import create_app
from tests.batches.test_measurement_batch import BATCH, households, listed
from tests.batches.test_measurement_batch import plan as plan  # the fixture

HANG = 20
ROWS = orjson.dumps([households("2023-03", 1200)])
QUERY = "mode=atomic&dry_run=False"


def headers(tenant, key: str) -> dict[str, str]:
    return {**tenant.admin, "Idempotency-Key": key, "content-type": "application/json"}


@pytest.fixture
async def impatient(settings) -> AsyncIterator[AsyncClient]:
    """A client of an app that waits 0.3 s for a running attempt (or SQLite's write lock)."""
    quick = {"idempotency_wait_seconds": 0.3, "database_busy_timeout_seconds": 0.3}
    application = create_app(settings.model_copy(update=quick))
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as http:
        yield http
    await application.state.db.dispose()


async def test_an_attempt_that_dies_mid_request_leaves_the_key_free_at_once(
    app, client, tenant, plan
):
    key = f"died-{uuid.uuid4()}"
    fingerprint = request_hash("POST", BATCH, QUERY, "application/json", ROWS)
    async with app.state.db.sessionmaker() as session:
        ctx = system_ctx(session, tenant.municipality_id, tenant.code)
        assert await idempotency.claim(ctx, key, fingerprint, 24) is None
        connection = await session.connection()
        # The process is killed here: no rollback, no release, the connection just goes.
        await connection.invalidate()
    retry = await client.post(BATCH, content=ROWS, headers=headers(tenant, key))
    assert retry.status_code == 200, retry.text
    assert retry.json()["created"] == 1
    assert await listed(client, tenant) == [("AF", "2023-03", "total", 1200)]


async def test_a_retry_during_a_live_attempt_is_told_to_retry_after(
    app, impatient, settings, tenant, plan
):
    # Once first, so the key's last_used_at is fresh and the request below waits on nothing else.
    assert (await impatient.get("/api/v1/org-units", headers=tenant.admin)).status_code == 200
    key = f"live-{uuid.uuid4()}"
    fingerprint = request_hash("POST", BATCH, QUERY, "application/json", ROWS)
    async with app.state.db.sessionmaker() as session:
        ctx = system_ctx(session, tenant.municipality_id, tenant.code)
        assert await idempotency.claim(ctx, key, fingerprint, 24) is None
        async with asyncio.timeout(HANG):
            retry = await impatient.post(BATCH, content=ROWS, headers=headers(tenant, key))
        await session.rollback()  # the first attempt refused its rows after all
    assert retry.status_code == (503 if settings.is_sqlite else 409), retry.text
    assert int(retry.headers["retry-after"]) >= 1
    again = await impatient.post(BATCH, content=ROWS, headers=headers(tenant, key))
    assert again.status_code == 200, again.text


async def test_a_retry_waiting_on_an_attempt_that_lands_gets_its_answer(app, client, tenant, plan):
    key = f"lands-{uuid.uuid4()}"
    first = await client.post(BATCH, content=ROWS, headers=headers(tenant, key))
    assert first.status_code == 200
    replay = await client.post(BATCH, content=ROWS, headers=headers(tenant, key))
    assert (replay.status_code, replay.json()) == (200, first.json())
    assert replay.headers["idempotent-replayed"] == "true"
