"""Migrations: an empty database reaches head, the models agree with it, every step reverses.

Runs on whichever engine the suite runs on (SQLite by default, PostgreSQL in scripts/test).
"""

import os
import uuid
from functools import partial
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.cli import alembic_config
from app.models import metadata
from tests.migrations_support import run_alembic, upgrade_to_head


@pytest.fixture
async def empty_database_url(tmp_path: Path):
    admin_url = os.environ.get("STYRKORT_TEST_DATABASE_URL")
    if not admin_url:
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = f"styrkort_mig_{uuid.uuid4().hex[:10]}"
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


def _upgrade(cfg: Config, revision: str) -> None:
    command.upgrade(cfg, revision)


def _downgrade(cfg: Config, revision: str) -> None:
    command.downgrade(cfg, revision)


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def _diff(url: str) -> list[object]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda sync: compare_metadata(
                MigrationContext.configure(sync, opts={"compare_type": True}), metadata
            )
        )
    await engine.dispose()
    return diff


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(sync.dialect.get_table_names(sync)))
    await engine.dispose()
    return names - {"alembic_version"}


async def test_empty_database_upgrades_to_head_and_matches_the_models(empty_database_url):
    await upgrade_to_head(empty_database_url)
    assert await _tables(empty_database_url) == set(metadata.tables)
    assert await _diff(empty_database_url) == []


async def test_stairway_every_revision_upgrades_downgrades_and_upgrades_again(empty_database_url):
    revisions = _revisions()
    assert revisions, "no migrations found"
    for revision in revisions:
        await run_alembic(empty_database_url, partial(_upgrade, revision=revision))
        await run_alembic(empty_database_url, partial(_downgrade, revision="-1"))
        await run_alembic(empty_database_url, partial(_upgrade, revision=revision))
    await run_alembic(empty_database_url, partial(_downgrade, revision="base"))
    assert await _tables(empty_database_url) == set()


def test_constraint_names_follow_the_convention():
    for table in metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}"
            assert str(constraint.name).split("_")[0] in {"pk", "fk", "uq", "ck"}, constraint.name
