"""Database faults are fast 503 problems with Retry-After, never a 500 or a hang (issue 16).

These run on any engine: the faulty database is one the test makes up (a port nobody listens
on, a server that accepts and never answers, a pool with one connection held). The faults of a
real PostgreSQL (stopped, frozen, restarted) are in ``tests/faults``.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator

from httpx import ASGITransport, AsyncClient

from app.auth.credentials import new_api_key
from app.main import create_app
from app.settings import Settings

# A well-formed key, so the request reaches the database to look it up.
A_KEY = {"X-API-Key": new_api_key()[0]}

# Far above every bound configured below: a request that reaches it hung.
HANG = 20


@contextlib.asynccontextmanager
async def client_for(settings: Settings) -> AsyncIterator[AsyncClient]:
    application = create_app(settings)
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    try:
        async with AsyncClient(transport=transport, base_url="http://t") as http:
            yield http
    finally:
        await application.state.db.dispose()


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert "secret" not in response.text


async def test_a_refused_postgresql_connection_is_a_503():
    settings = Settings(database_url="postgresql+asyncpg://nobody:secret@127.0.0.1:1/gone")
    async with client_for(settings) as http, asyncio.timeout(HANG):
        response = await http.get("/api/v1/org-units", headers=A_KEY)
    assert_unavailable(response)


async def test_a_database_that_accepts_and_never_answers_is_a_503_after_the_connect_timeout():
    # What a frozen (SIGSTOPped) PostgreSQL looks like to a new connection.
    accepted: list[asyncio.StreamWriter] = []

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = Settings(
        database_url=f"postgresql+asyncpg://nobody:secret@127.0.0.1:{port}/frozen",
        database_connect_timeout_seconds=0.5,
    )
    try:
        async with client_for(settings) as http, asyncio.timeout(HANG):
            response = await http.get("/api/v1/org-units", headers=A_KEY)
    finally:
        for writer in accepted:
            writer.close()
        server.close()
    assert_unavailable(response)


async def test_an_exhausted_pool_is_a_503_after_the_pool_timeout(settings, tenant):
    exhausted = settings.model_copy(
        update={
            "database_pool_size": 1,
            "database_max_overflow": 0,
            "database_pool_timeout_seconds": 0.3,
        }
    )
    application = create_app(exhausted)
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    try:
        async with (
            application.state.db.engine.connect(),  # the pool's only connection, held
            AsyncClient(transport=transport, base_url="http://t") as http,
            asyncio.timeout(HANG),
        ):
            response = await http.get("/api/v1/org-units", headers=tenant.admin)
        assert_unavailable(response)
        async with AsyncClient(transport=transport, base_url="http://t") as http:
            assert (await http.get("/api/v1/org-units", headers=tenant.admin)).status_code == 200
    finally:
        await application.state.db.dispose()
