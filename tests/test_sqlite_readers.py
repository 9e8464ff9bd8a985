"""SQLite readers never take the write lock (issue 16): a read request answers while another
connection holds the write lock; a write request waits for it up to the busy timeout and then
answers 503 with Retry-After. (PostgreSQL readers never wait for writers anyway.)"""

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import pytest
from httpx import ASGITransport, AsyncClient

from app.main import create_app

HANG = 20


@pytest.fixture
async def impatient(settings) -> AsyncIterator[AsyncClient]:
    if not settings.is_sqlite:
        pytest.skip("the write lock is SQLite's")
    application = create_app(settings.model_copy(update={"database_busy_timeout_seconds": 0.3}))
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as http:
        yield http
    await application.state.db.dispose()


@contextmanager
def write_lock_held(database_url: str) -> Iterator[None]:
    """Another writer, mid-transaction: it holds SQLite's write lock until the block ends."""
    path = database_url.split(":///", 1)[1]
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE municipality SET name = name WHERE 0")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


async def test_a_read_answers_while_a_writer_holds_the_lock(impatient, settings, tenant):
    # Once first, so the key's last_used_at is fresh and the read below writes nothing.
    assert (await impatient.get("/api/v1/org-units", headers=tenant.admin)).status_code == 200
    with write_lock_held(settings.database_url):
        async with asyncio.timeout(HANG):
            units = await impatient.get("/api/v1/org-units", headers=tenant.admin)
            ready = await impatient.get("/health/ready")
    assert units.status_code == 200, units.text
    assert ready.status_code == 200, ready.text


async def test_a_write_waits_for_the_busy_timeout_then_answers_503(impatient, settings, tenant):
    assert (await impatient.get("/api/v1/org-units", headers=tenant.admin)).status_code == 200
    body = {"code": "LOCK", "name": "x", "kind": "unit", "valid_from": "2020-01-01"}
    with write_lock_held(settings.database_url):
        async with asyncio.timeout(HANG):
            response = await impatient.post("/api/v1/org-units", json=body, headers=tenant.admin)
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"]
    after = await impatient.post("/api/v1/org-units", json=body, headers=tenant.admin)
    assert after.status_code == 201


async def test_a_read_whose_key_is_due_its_last_used_write_still_answers(
    impatient, settings, tenant
):
    # A fresh key has never been used: this request would record last_used_at, a write. It is
    # bookkeeping: with the write lock taken, the read answers and a later request records it.
    viewer = await tenant.headers("viewer")
    with write_lock_held(settings.database_url):
        async with asyncio.timeout(HANG):
            units = await impatient.get("/api/v1/org-units", headers=viewer)
    assert units.status_code == 200, units.text
