"""Test fixtures.

The database is built once per run by the Alembic migrations, on SQLite by default or on the
PostgreSQL named by ``STYRKORT_TEST_DATABASE_URL`` (a fresh database is created there and dropped
afterwards). That URL is the schema owner's, which migrates; with
``STYRKORT_TEST_SERVICE_DATABASE_URL`` the app connects as the service's restricted role, as in
production (scripts/test sets both). Tests isolate themselves the way the product does: each makes its own municipality,
and tenancy keeps the rest out of sight. Requests go through the real app over httpx's ASGI
transport, committing like production does.
"""

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.main import create_app
from app.settings import JWTSettings, Settings
from tests.factories import Tenant, make_tenant
from tests.migrations_support import upgrade_to_head

JWT_SECRET = "test-secret-for-hs256-tokens-only-in-tests"


async def _fresh_postgres_database(admin_url: str) -> tuple[str, str]:
    name = f"styrkort_test_{uuid.uuid4().hex[:10]}"
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


async def _drop_postgres_database(admin_url: str, name: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    admin_url = os.environ.get("STYRKORT_TEST_DATABASE_URL")
    if admin_url:
        url, name = await _fresh_postgres_database(admin_url)
        await upgrade_to_head(url)
        yield url
        await _drop_postgres_database(admin_url, name)
    else:
        path: Path = tmp_path_factory.mktemp("db") / "styrkort.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        await upgrade_to_head(url)
        yield url


@pytest.fixture(scope="session")
def service_database_url(database_url: str) -> str:
    """The same database as the service's own role sees it (app.dbroles), when
    ``STYRKORT_TEST_SERVICE_DATABASE_URL`` names that role; else the owner's URL."""
    service = os.environ.get("STYRKORT_TEST_SERVICE_DATABASE_URL")
    if not service or database_url.startswith("sqlite"):
        return database_url
    name = make_url(database_url).database
    return make_url(service).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def settings(database_url: str, service_database_url: str) -> Settings:
    return Settings(
        environment="test",
        database_url=service_database_url,
        migration_database_url=database_url,
        jwt=JWTSettings(
            issuer="https://idp.test/",
            audience="styrkort-test",
            algorithms=["HS256"],
            secret=SecretStr(JWT_SECRET),
        ),
        log_json=True,
    )


@pytest.fixture(scope="session")
async def app(settings: Settings):
    application = create_app(settings)
    yield application
    await application.state.db.dispose()


@pytest.fixture
async def client(app) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
async def tenant(app) -> Tenant:
    """A fresh municipality with an admin key."""
    return await make_tenant(app.state.db)


@pytest.fixture
async def other_tenant(app) -> Tenant:
    return await make_tenant(app.state.db)
