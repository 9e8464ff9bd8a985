"""The connection pool (PostgreSQL): a connection is checked only after it has lain idle, and a
read request runs without a transaction."""

import time

import pytest
from sqlalchemy import text

from app import db as db_module
from app.db import IDLE_PING_SECONDS, Database, autocommits


@pytest.fixture
async def pg_database(settings):
    if settings.is_sqlite:
        pytest.skip("the idle ping is installed for PostgreSQL only")
    database = Database(settings.model_copy(update={"database_pool_size": 1}))
    yield database
    await database.dispose()


async def _select_one(database: Database) -> int:
    async with database.engine.connect() as conn:
        return (await conn.execute(text("SELECT 1"))).scalar_one()


async def test_a_connection_in_steady_use_is_not_pinged(pg_database, monkeypatch):
    pings: list[object] = []
    monkeypatch.setattr(pg_database.engine.dialect, "do_ping", pings.append)
    for _ in range(3):
        assert await _select_one(pg_database) == 1
    assert pings == []


async def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(pg_database, monkeypatch):
    assert await _select_one(pg_database) == 1
    later = time.monotonic() + IDLE_PING_SECONDS + 1
    monkeypatch.setattr(db_module, "monotonic", lambda: later)
    pinged: list[object] = []

    def dead(connection: object) -> bool:
        pinged.append(connection)
        raise ConnectionError("gone")

    monkeypatch.setattr(pg_database.engine.dialect, "do_ping", dead)
    assert await _select_one(pg_database) == 1  # served by a fresh connection, not an error
    assert len(pinged) == 1


async def test_a_read_request_runs_without_a_transaction_and_a_write_within_one(pg_database):
    """At READ COMMITTED each statement has its own snapshot anyway; a read request is spared
    the BEGIN and ROLLBACK round trips. PostgreSQL counts a transaction per statement then."""

    async def transaction_ids(sessionmaker) -> set[int]:
        async with sessionmaker() as session:
            assert await autocommits(session) is (sessionmaker is pg_database.read_sessionmaker)
            return {
                (await session.execute(text("SELECT txid_current()"))).scalar_one()
                for _ in range(2)
            }

    assert len(await transaction_ids(pg_database.read_sessionmaker)) == 2
    assert len(await transaction_ids(pg_database.sessionmaker)) == 1


async def test_every_statement_is_planned_for_its_values_and_never_compiled(pg_database):
    """A prepared statement keeps a plan for its values (PostgreSQL would otherwise switch to a
    generic plan after five executions: 53 s against 10 s for the 10 000-indicator scorecard),
    and no statement is JIT-compiled (2.7 s of its 4.2 s). README, Performance."""
    async with pg_database.read_engine.connect() as conn:
        assert (await conn.execute(text("SHOW plan_cache_mode"))).scalar_one() == (
            "force_custom_plan"
        )
        assert (await conn.execute(text("SHOW jit"))).scalar_one() == "off"
