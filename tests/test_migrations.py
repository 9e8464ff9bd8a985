"""Migrations: an empty database reaches head, the models agree with it, every step reverses.

Runs on whichever engine the suite runs on (SQLite by default, PostgreSQL in scripts/test).
"""

import os
import uuid
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from app.cli import alembic_config
from app.db import UTCDateTime
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


def _old_tables() -> dict[str, Any]:
    """The tables as revision 0011 has them (versions closed by ``sys_to``), typed as the app
    stores them on either engine."""
    from app.db import UTCDateTime

    def table(name: str, *columns: Any, scoped: bool = True) -> Any:
        tenant = [sa.column("municipality_id", sa.Uuid())] if scoped else []
        return sa.table(name, sa.column("id", sa.Uuid()), *tenant, *columns)

    t = UTCDateTime()
    return {
        "municipality": table(
            "municipality", sa.column("code"), sa.column("name"), sa.column("created_at", t),
            scoped=False,
        ),
        "org_unit": table(
            "org_unit", sa.column("kind"), sa.column("code"), sa.column("name"),
            sa.column("valid_from", sa.Date()), sa.column("created_at", t),
            sa.column("updated_at", t),
        ),
        "indicator": table(
            "indicator", sa.column("code"), sa.column("title"), sa.column("unit"),
            sa.column("polarity"), sa.column("periodicity"), sa.column("aggregation"),
            sa.column("gender_split", sa.Boolean()), sa.column("ratio_scale", sa.Integer()),
            sa.column("valid_from_year", sa.Integer()), sa.column("created_at", t),
            sa.column("updated_at", t),
        ),
        "import_batch": table(
            "import_batch", sa.column("kind"), sa.column("mode"),
            *(sa.column(n, sa.Integer()) for n in
              ("received", "created", "updated", "unchanged", "rejected")),
            sa.column("errors", sa.JSON()), sa.column("created_by"), sa.column("created_at", t),
        ),
        "measurement": table(
            "measurement", sa.column("indicator_id", sa.Uuid()),
            sa.column("org_unit_id", sa.Uuid()), sa.column("period"),
            sa.column("period_start", sa.Date()), sa.column("period_end", sa.Date()),
            sa.column("gender"), sa.column("created_at", t),
        ),
        "measurement_version": table(
            "measurement_version", sa.column("measurement_id", sa.Uuid()),
            sa.column("value", sa.Numeric(20, 6)), sa.column("status"),
            sa.column("deleted", sa.Boolean()), sa.column("recorded_by"),
            sa.column("batch_id", sa.Uuid()), sa.column("sys_from", t), sa.column("sys_to", t),
        ),
        "audit_event": table(
            "audit_event", sa.column("occurred_at", t), sa.column("actor"),
            sa.column("entity_type"), sa.column("entity_id"), sa.column("action"),
            sa.column("before", sa.JSON()), sa.column("after", sa.JSON()),
            sa.column("batch_id", sa.Uuid()),
        ),
    }  # fmt: skip


async def test_0014_keeps_versions_and_audit_events_written_the_old_way(empty_database_url):
    """Two batches and a delete written as before 0014 (versions closed by ``sys_to``, one audit
    event per value): afterwards history, as_of reads and the batch's changes answer as the old
    rows said, every audit event is still there, and the versions can no longer be altered."""
    from app.auth.deps import system_ctx
    from app.db import Database
    from app.errors import NotFound
    from app.measurements import changes, service
    from app.pagination import PageParams
    from app.settings import Settings

    await run_alembic(empty_database_url, partial(_upgrade, revision="0011"))
    tables = _old_tables()
    municipality, unit, indicator, batch1, batch2 = (uuid.uuid4() for _ in range(5))
    january, february = uuid.uuid4(), uuid.uuid4()
    v1, v2, v3, w1 = (uuid.uuid4() for _ in range(4))
    t0, t1, t2, t3 = (datetime(2026, 1, day, 12, tzinfo=UTC) for day in (1, 2, 3, 4))
    tenant = {"municipality_id": municipality}

    def version(id_, measurement, value, batch, start, end, deleted=False):
        return {
            "id": id_, "measurement_id": measurement, "value": value, "status": "final",
            "deleted": deleted, "recorded_by": "api-key:old", "batch_id": batch,
            "sys_from": start, "sys_to": end, **tenant,
        }  # fmt: skip

    def event(entity, action, before, after, batch, at):
        return {
            "id": uuid.uuid4(), "occurred_at": at, "actor": "api-key:old",
            "entity_type": "measurement", "entity_id": str(entity), "action": action,
            "before": before, "after": after, "batch_id": batch, **tenant,
        }  # fmt: skip

    rows = {
        "municipality": [{"id": municipality, "code": "0181", "name": "Södertälje", "created_at": t0}],
        "org_unit": [
            {"id": unit, "kind": "unit", "code": "AF", "name": "AF", "valid_from": date(2019, 1, 1),
             "created_at": t0, "updated_at": t0, **tenant}
        ],
        "indicator": [
            {"id": indicator, "code": "X", "title": "X", "unit": "count",
             "polarity": "higher_is_better", "periodicity": "month", "aggregation": "sum",
             "gender_split": False, "ratio_scale": 1, "valid_from_year": 2023,
             "created_at": t0, "updated_at": t0, **tenant}
        ],
        "import_batch": [
            {"id": b, "kind": "measurements", "mode": "atomic", "received": n, "created": c,
             "updated": u, "unchanged": 0, "rejected": 0, "errors": [], "created_by": "api-key:old",
             "created_at": at, **tenant}
            for b, n, c, u, at in ((batch1, 2, 2, 0, t1), (batch2, 1, 0, 1, t2))
        ],
        "measurement": [
            {"id": m, "indicator_id": indicator, "org_unit_id": unit, "period": p,
             "period_start": start, "period_end": end, "gender": "total", "created_at": t1,
             **tenant}
            for m, p, start, end in (
                (january, "2023-01", date(2023, 1, 1), date(2023, 1, 31)),
                (february, "2023-02", date(2023, 2, 1), date(2023, 2, 28)),
            )
        ],
        "measurement_version": [
            version(v1, january, 10, batch1, t1, t2),
            version(v2, january, 11, batch2, t2, t3),
            version(v3, january, None, None, t3, None, deleted=True),
            version(w1, february, 20, batch1, t1, None),
        ],
        "audit_event": [
            event(january, "create", None, {"value": "10"}, batch1, t1),
            event(february, "create", None, {"value": "20"}, batch1, t1),
            event(january, "update", {"value": "10"}, {"value": "11"}, batch2, t2),
            event(january, "delete", {"value": "11"}, None, None, t3),
        ],
    }  # fmt: skip
    engine = create_async_engine(empty_database_url)
    async with engine.begin() as conn:
        for name, values in rows.items():
            await conn.execute(sa.insert(tables[name]), values)
    await engine.dispose()

    await upgrade_to_head(empty_database_url)

    db = Database(Settings(database_url=empty_database_url))
    try:
        async with db.session(system=True) as session:
            ctx = system_ctx(session, municipality, "0181")
            history = await service.history(ctx, january)
            assert [
                (v.version_id, v.value, v.deleted, v.valid_from, v.valid_to)
                for v in history.versions
            ] == [
                (v1, 10, False, t1, t2),
                (v2, 11, False, t2, t3),
                (v3, None, True, t3, None),
            ]
            between = datetime(2026, 1, 2, 18, tzinfo=UTC)
            assert (await service.get(ctx, january, between)).value == 10
            assert (await service.get(ctx, january, t2)).value == 11
            with pytest.raises(NotFound):
                await service.get(ctx, january, None)
            assert (await service.get(ctx, february, None)).value == 20
            updated, _ = await changes.list_changes(ctx, batch2, PageParams(None, 50))
            assert [(c.action, c.before, c.after) for c in updated] == [
                (
                    "update",
                    {"value": "10", "numerator": None, "denominator": None, "status": "final",
                     "source_system": None, "comment": None},
                    {"value": "11", "numerator": None, "denominator": None, "status": "final",
                     "source_system": None, "comment": None},
                )
            ]  # fmt: skip
            created, _ = await changes.list_changes(ctx, batch1, PageParams(None, 50))
            assert sorted((c.period, c.action) for c in created) == [
                ("2023-01", "create"),
                ("2023-02", "create"),
            ]
            events = await session.execute(
                sa.select(tables["audit_event"].c.action, tables["audit_event"].c.batch_id)
            )
            assert sorted(events.all(), key=str) == sorted(
                [("create", batch1), ("create", batch1), ("update", batch2), ("delete", None)],
                key=str,
            )
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            async with db.session(system=True) as session:
                await session.execute(text("UPDATE measurement_version SET recorded_by = 'x'"))
    finally:
        await db.dispose()


def _budget_line(
    amount_ore: int, month: int, unit: uuid.UUID, category: uuid.UUID
) -> dict[str, Any]:
    """A budget line as the old per-row audit events held it (app.budget.writes.snapshot)."""
    return {
        "org_unit_id": str(unit), "category_id": str(category), "account_code": None,
        "year": 2023, "month": month, "scenario": "outcome", "forecast_date": None,
        "amount_ore": amount_ore, "source_system": "Raindance", "comment": None,
    }  # fmt: skip


async def test_0019_carries_per_row_events_of_budget_and_placement_batches_into_versions(
    empty_database_url,
):
    """Budget-line and placement batches written as before 0019 (one audit event per row, the
    only before/after they had) and a single delete: afterwards each batch's changes answer
    with the before and after the old events held, every event is still there, the versions
    cannot be altered, and a downgrade writes a later batch's versions back as per-row events."""
    from app.auth.deps import system_ctx
    from app.db import Database
    from app.pagination import PageParams
    from app.settings import Settings
    from app.versions import changes

    await run_alembic(empty_database_url, partial(_upgrade, revision="0018"))
    tables = _old_tables()
    municipality, unit, category = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    batch1, batch2, batch3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    january, february, episode = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    t0, t1, t2, t3, t4 = (datetime(2026, 1, day, 12, tzinfo=UTC) for day in (1, 2, 3, 4, 5))
    tenant = {"municipality_id": municipality}
    jan_100, jan_150 = (
        _budget_line(10_000, 1, unit, category),
        _budget_line(15_000, 1, unit, category),
    )
    feb_200 = _budget_line(20_000, 2, unit, category)
    placed = {
        "case_ref": "BOU-1", "start_date": "2023-03-01", "category_id": str(category),
        "org_unit_id": str(unit), "provider_id": None, "end_date": None, "gender": "women",
        "age_band": "13-17", "source_system": None, "comment": None,
        "rates": [{"valid_from": "2023-03-01", "valid_to": None, "daily_rate": "2703.50"}],
    }  # fmt: skip

    def event(entity_type, entity, action, before, after, batch, at):
        return {
            "id": uuid.uuid4(), "occurred_at": at, "actor": "api_key:old",
            "entity_type": entity_type, "entity_id": str(entity), "action": action,
            "before": before, "after": after, "batch_id": batch, **tenant,
        }  # fmt: skip

    rows = {
        "municipality": [{"id": municipality, "code": "0181", "name": "Södertälje", "created_at": t0}],
        "import_batch": [
            {"id": b, "kind": kind, "mode": "atomic", "received": n, "created": c, "updated": u,
             "unchanged": 0, "rejected": 0, "errors": [], "created_by": "api_key:old",
             "created_at": at, **tenant}
            for b, kind, n, c, u, at in (
                (batch1, "budget_lines", 2, 2, 0, t1),
                (batch2, "budget_lines", 1, 0, 1, t2),
                (batch3, "placements", 1, 1, 0, t3),
            )
        ],
        "audit_event": [
            event("budget_line", january, "create", None, jan_100, batch1, t1),
            event("budget_line", february, "create", None, feb_200, batch1, t1),
            event("import_batch", batch1, "import", None, {"kind": "budget_lines"}, batch1, t1),
            event("budget_line", january, "update", jan_100, jan_150, batch2, t2),
            event("import_batch", batch2, "import", None, {"kind": "budget_lines"}, batch2, t2),
            event("placement", episode, "create", None, placed, batch3, t3),
            # A single DELETE, recorded by the ORM hook with the row's columns as before.
            event("budget_line", february, "delete", {"id": str(february), "amount_ore": 20_000},
                  None, None, t4),
        ],
    }  # fmt: skip
    engine = create_async_engine(empty_database_url)
    async with engine.begin() as conn:
        for name, values in rows.items():
            await conn.execute(sa.insert(tables[name]), values)
    await engine.dispose()

    await upgrade_to_head(empty_database_url)

    versions = sa.table(
        "entity_version", sa.column("id", sa.Uuid()), sa.column("municipality_id", sa.Uuid()),
        sa.column("entity_type"), sa.column("entity_id", sa.Uuid()),
        sa.column("content", sa.JSON(none_as_null=True)), sa.column("recorded_by"),
        sa.column("batch_id", sa.Uuid()), sa.column("sys_from", UTCDateTime()),
    )  # fmt: skip
    db = Database(Settings(database_url=empty_database_url))
    try:
        async with db.session(system=True) as session:
            ctx = system_ctx(session, municipality, "0181")

            async def changed(batch):
                items, _ = await changes.list_changes(ctx, batch, PageParams(None, 50))
                return [(c.entity_id, c.action, c.before, c.after) for c in items]

            assert await changed(batch2) == [(january, "update", jan_100, jan_150)]
            assert sorted(await changed(batch1), key=lambda c: c[3]["month"]) == [
                (january, "create", None, jan_100),
                (february, "create", None, feb_200),
            ]
            assert await changed(batch3) == [(episode, "create", None, placed)]
            history = await session.execute(
                sa.select(versions.c.content, versions.c.batch_id, versions.c.sys_from)
                .where(versions.c.entity_id == february)
                .order_by(versions.c.sys_from)
            )
            assert history.all() == [(feb_200, batch1, t1), (None, None, t4)]
            kept = await session.scalar(
                sa.select(sa.func.count()).select_from(tables["audit_event"])
            )
            assert kept == 7
            carried = await session.scalar(sa.select(sa.func.count()).select_from(versions))
            assert carried == 5  # the per-row events; the batches' own events are not versions
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            async with db.session(system=True) as session:
                await session.execute(text("UPDATE entity_version SET recorded_by = 'x'"))
        # A batch after 0019 writes a version and no per-row event ...
        batch4, t5 = uuid.uuid4(), datetime(2026, 1, 6, 12, tzinfo=UTC)
        jan_170 = _budget_line(17_000, 1, unit, category)
        async with db.session(system=True) as session:
            await session.execute(
                sa.insert(versions),
                [{"id": uuid.uuid4(), "municipality_id": municipality, "entity_type": "budget_line",
                  "entity_id": january, "content": jan_170, "recorded_by": "api_key:new",
                  "batch_id": batch4, "sys_from": t5}],
            )  # fmt: skip
            await session.commit()
    finally:
        await db.dispose()

    # ... which a downgrade writes back as the event the old code recorded, before included.
    await run_alembic(empty_database_url, partial(_downgrade, revision="0018"))
    assert "entity_version" not in await _tables(empty_database_url)
    engine = create_async_engine(empty_database_url)
    async with engine.connect() as conn:
        e = tables["audit_event"]
        found = await conn.execute(
            sa.select(e.c.entity_id, e.c.action, e.c.before, e.c.after, e.c.batch_id).where(
                e.c.batch_id == batch4
            )
        )
        assert found.all() == [(str(january), "update", jan_150, jan_170, batch4)]
        assert await conn.scalar(sa.select(sa.func.count()).select_from(e)) == 8
    await engine.dispose()
