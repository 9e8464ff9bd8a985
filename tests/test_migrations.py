"""Migrations: an empty database reaches head, the models agree with it, every step reverses.

Runs on whichever engine the suite runs on (SQLite by default, PostgreSQL in scripts/test).
"""

import os
import uuid
from datetime import UTC, datetime
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


async def test_0010_keeps_the_indicators_and_their_targets(empty_database_url):
    """0010 alters a table that targets and measurements reference; on SQLite a table copy would
    have cascaded into the targets. Existing indicators come out in target colour mode."""
    await run_alembic(empty_database_url, partial(_upgrade, revision="0009"))
    ids = [uuid.uuid4().hex if "sqlite" in empty_database_url else str(uuid.uuid4()) for _ in "mit"]
    municipality, indicator, target = ids
    engine = create_async_engine(empty_database_url)
    async with engine.begin() as conn:
        now = datetime(2026, 1, 1, tzinfo=UTC)
        await conn.execute(
            text(
                "INSERT INTO municipality (id, code, name, created_at) "
                "VALUES (:id, '0181', 'Södertälje', :now)"
            ),
            {"id": municipality, "now": now},
        )
        await conn.execute(
            text(
                "INSERT INTO indicator (id, municipality_id, code, title, unit, polarity, "
                "periodicity, aggregation, gender_split, ratio_scale, valid_from_year, "
                "created_at, updated_at) VALUES (:id, :m, 'X', 'X', 'count', 'higher_is_better', "
                "'year', 'sum', false, 1, 2026, :now, :now)"
            ),
            {"id": indicator, "m": municipality, "now": now},
        )
        await conn.execute(
            text(
                "INSERT INTO target (id, municipality_id, indicator_id, year, kind, value, "
                "created_at, updated_at) VALUES (:id, :m, :i, 2026, 'at_least', 5, :now, :now)"
            ),
            {"id": target, "m": municipality, "i": indicator, "now": now},
        )
    await engine.dispose()
    await run_alembic(empty_database_url, partial(_upgrade, revision="0010"))
    engine = create_async_engine(empty_database_url)
    async with engine.connect() as conn:
        modes = (await conn.execute(text("SELECT colour_mode FROM indicator"))).scalars().all()
        targets = (await conn.execute(text("SELECT count(*) FROM target"))).scalar_one()
    await engine.dispose()
    assert (modes, targets) == (["target"], 1)
