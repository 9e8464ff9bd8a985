"""app.db.insert_rows and update_by_ids: the one set-based write, on whichever engine runs.

On PostgreSQL they bind one array per column; on SQLite they run executemany. Either way a row
reads back as written, a column left out takes its Python default, JSON null stays null, and an
update touches exactly the ids given.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import cast

import pytest
from sqlalchemy import Table, select

from app.audit.models import AuditEvent
from app.benchmarks.models import BenchmarkValue
from app.db import copy_many, insert_rows, update_by_ids, uuid7
from app.errors import Conflict

EVENTS = cast(Table, AuditEvent.__table__)
VALUES = cast(Table, BenchmarkValue.__table__)
WHEN = datetime(2026, 11, 23, 12, 0, 0, 123456, tzinfo=UTC)


def event(n: int, municipality_id, before) -> dict[str, object]:
    return {
        "municipality_id": municipality_id,
        "occurred_at": WHEN,
        "actor": "bulk-test",
        "actor_name": None,
        "entity_type": "bulk_test",
        "entity_id": f"e{n}",
        "action": "create",
        "before": before,
        "after": {"n": n, "text": "åäö", "list": [1, 2.5, None]},
        "request_id": None,
        "batch_id": None,
    }


async def test_rows_read_back_as_written_with_defaults_filled(app, tenant):
    rows = [event(n, tenant.municipality_id, None if n else {"old": True}) for n in range(3)]
    async with app.state.db.session(system=True) as session:
        await session.run_sync(lambda sync: insert_rows(sync.connection(), EVENTS, rows))
        await session.commit()
        stored = (
            await session.execute(
                select(EVENTS)
                .where(
                    EVENTS.c.entity_type == "bulk_test",
                    EVENTS.c.municipality_id == tenant.municipality_id,
                )
                .order_by(EVENTS.c.entity_id)
            )
        ).all()
    assert [r.entity_id for r in stored] == ["e0", "e1", "e2"]
    assert len({r.id for r in stored}) == 3  # the id default (uuid7) ran once per row
    assert [r.before for r in stored] == [{"old": True}, None, None]
    assert stored[2].after == {"n": 2, "text": "åäö", "list": [1, 2.5, None]}
    assert {r.occurred_at for r in stored} == {WHEN}
    assert {r.municipality_id for r in stored} == {tenant.municipality_id}


async def test_update_by_ids_touches_exactly_those_rows(app, tenant):
    rows = [
        {
            "municipality_id": tenant.municipality_id,
            "kpi": "N00945",
            "municipality_code": code,
            "year": 2025,
            "gender": "total",
            "value": Decimal("40.02"),
            "count": 1,
            "status": "",
        }
        for code in ("0980", "1293", "1080", "1481")
    ]
    mine = VALUES.c.municipality_id == tenant.municipality_id
    async with app.state.db.session(system=True) as session:
        await session.run_sync(lambda sync: insert_rows(sync.connection(), VALUES, rows))
        ids = (
            await session.scalars(
                select(VALUES.c.id).where(mine).order_by(VALUES.c.municipality_code)
            )
        ).all()
        chosen = [ids[1], ids[3]]
        await session.run_sync(
            lambda sync: update_by_ids(sync.connection(), VALUES, chosen, {"status": "revised"})
        )
        await session.commit()
        stored = (
            await session.execute(select(VALUES).where(mine).order_by(VALUES.c.municipality_code))
        ).all()
    assert [r.status for r in stored] == ["", "revised", "", "revised"]
    assert {Decimal(str(r.value)) for r in stored} == {Decimal("40.02")}
    assert all(r.created_at is not None and r.updated_at is not None for r in stored)


def value_row(municipality_id, code: str) -> dict[str, object]:
    return {
        "id": uuid7(),
        "municipality_id": municipality_id,
        "kpi": "N00945",
        "municipality_code": code,
        "year": 2025,
        "gender": "total",
        "value": Decimal("40.020000"),
        "count": 1,
        "status": "",
        "created_at": WHEN,
        "updated_at": WHEN,
    }


async def test_copy_many_reads_back_as_written(app, tenant):
    """COPY on PostgreSQL, executemany on SQLite: the same rows either way."""
    rows = [value_row(tenant.municipality_id, code) for code in ("0980", "1293")]
    mine = VALUES.c.municipality_id == tenant.municipality_id
    async with app.state.db.session(system=True) as session:
        await copy_many(session, VALUES, rows)
        await session.commit()
        stored = (
            await session.execute(select(VALUES).where(mine).order_by(VALUES.c.municipality_code))
        ).all()
    assert [(r.id, r.municipality_code, r.created_at) for r in stored] == [
        (rows[0]["id"], "0980", WHEN),
        (rows[1]["id"], "1293", WHEN),
    ]
    assert {Decimal(str(r.value)) for r in stored} == {Decimal("40.02")}


async def test_copy_many_answers_a_key_written_meanwhile_with_a_conflict(app, tenant):
    if app.state.db.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's; SQLite raises IntegrityError as any insert does")
    first = value_row(tenant.municipality_id, "0980")
    async with app.state.db.session(system=True) as session:
        await copy_many(session, VALUES, [first])
    with pytest.raises(Conflict):
        async with app.state.db.session(system=True) as session:
            await copy_many(session, VALUES, [{**first, "id": uuid7()}])
