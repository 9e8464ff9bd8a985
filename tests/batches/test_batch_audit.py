"""A batch is audited once: one event for the batch, the values' before/after in their versions.

DOMAIN §3 and §11 as changed by issue 18: a batch write records one audit event (who, when, the
endpoint, the mode, the summary's counts and the SHA-256 of the body as received); each value it
changed is a version row carrying the batch id, and versions are immutable in the database.
``GET /api/v1/import-batches/{id}/changes`` lists each change with before and after.
"""

import hashlib

import orjson
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.db import Database
from app.settings import Settings
from tests.batches.test_measurement_batch import BATCH, households, plan  # noqa: F401

pytestmark = pytest.mark.usefixtures("plan")


async def _post(client, tenant, rows, **params):
    body = orjson.dumps(rows)
    response = await client.post(
        BATCH,
        content=body,
        params=params,
        headers={**tenant.admin, "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    return body, response.json()


async def _events(client, tenant, **params):
    response = await client.get("/api/v1/audit-events", params=params, headers=tenant.admin)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def _changes(client, tenant, batch_id, **params):
    response = await client.get(
        f"/api/v1/import-batches/{batch_id}/changes", params=params, headers=tenant.admin
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_batch_writes_one_audit_event_with_its_counts_and_body_hash(client, tenant):
    await _post(client, tenant, [households("2023-01", 10)])
    rows = [households("2023-01", 10), households("2023-02", 20), households("2023-03", 30)]
    body, summary = await _post(client, tenant, rows, mode="partial")
    events = await _events(client, tenant, batch_id=summary["batch_id"])
    assert len(events) == 1
    [event] = events
    assert (event["entity_type"], event["entity_id"], event["action"]) == (
        "import_batch",
        summary["batch_id"],
        "import",
    )
    assert event["actor"] == summary["created_by"]
    assert event["before"] is None
    assert event["after"] == {
        "endpoint": "/api/v1/measurements/batch",
        "kind": "measurements",
        "mode": "partial",
        "received": 3,
        "created": 2,
        "updated": 0,
        "unchanged": 1,
        "rejected": 0,
        "rows_sha256": hashlib.sha256(body).hexdigest(),
    }
    # No per-value events for a batch: the values' before and after are their versions.
    assert await _events(client, tenant, entity_type="measurement") == []


async def test_a_single_write_keeps_its_own_event_with_before_and_after(client, tenant):
    put = await client.put(
        "/api/v1/measurements", json=households("2023-01", 5), headers=tenant.admin
    )
    assert put.status_code in (200, 201), put.text
    [event] = await _events(client, tenant, entity_type="measurement")
    assert (event["action"], event["before"], event["after"]["value"], event["batch_id"]) == (
        "create",
        None,
        "5",
        None,
    )


async def test_the_changes_read_gives_before_and_after_of_each_value(client, tenant):
    h = tenant.admin
    _, first = await _post(client, tenant, [households("2023-01", 10), households("2023-02", 20)])
    # 2023-02 is deleted by hand; the next batch brings it back (a create, from nothing).
    items = (await client.get("/api/v1/measurements", headers=h)).json()["items"]
    feb = next(m["id"] for m in items if m["period"] == "2023-02")
    assert (await client.delete(f"/api/v1/measurements/{feb}", headers=h)).status_code == 204
    rows = [households("2023-01", 11), households("2023-02", 21), households("2023-03", 30)]
    _, second = await _post(client, tenant, rows)
    changes = await _changes(client, tenant, second["batch_id"])
    got = sorted(
        (
            c["period"],
            c["action"],
            c["before"] and c["before"]["value"],
            c["after"] and c["after"]["value"],
        )
        for c in changes["items"]
    )
    assert got == [
        ("2023-01", "update", "10", "11"),
        ("2023-02", "create", None, "21"),
        ("2023-03", "create", None, "30"),
    ]
    assert {c["indicator_code"] for c in changes["items"]} == {"SN-8.1.4"}
    assert {c["batch_id"] for c in changes["items"]} == {second["batch_id"]}
    # The first batch's changes are what it did then, whatever happened since (the delete).
    then = await _changes(client, tenant, first["batch_id"])
    assert sorted((c["period"], c["action"], c["after"]["value"]) for c in then["items"]) == [
        ("2023-01", "create", "10"),
        ("2023-02", "create", "20"),
    ]


async def test_the_changes_read_pages_and_404s_for_another_tenant(client, tenant, other_tenant):
    rows = [households(f"2023-{m:02d}", m) for m in range(1, 6)]
    _, summary = await _post(client, tenant, rows)
    first = await _changes(client, tenant, summary["batch_id"], limit=2)
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    seen = [c["period"] for c in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = await _changes(client, tenant, summary["batch_id"], limit=2, cursor=cursor)
        seen += [c["period"] for c in page["items"]]
        cursor = page.get("next_cursor")
    assert sorted(seen) == [f"2023-{m:02d}" for m in range(1, 6)]
    other = await client.get(
        f"/api/v1/import-batches/{summary['batch_id']}/changes", headers=other_tenant.admin
    )
    assert other.status_code == 404


async def test_the_changes_export_as_csv(client, tenant):
    _, summary = await _post(client, tenant, [households("2023-01", 10)])
    response = await client.get(
        f"/api/v1/import-batches/{summary['batch_id']}/changes",
        params={"format": "csv"},
        headers=tenant.admin,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0].split(",")[:4] == ["indicator_code", "org_unit_code", "period", "gender"]
    assert len(lines) == 2
    assert ",create," in lines[1]


@pytest.mark.parametrize(
    "statement",
    ["UPDATE measurement_version SET comment = 'x'", "DELETE FROM measurement_version"],
)
async def test_the_database_refuses_to_change_a_version(app, tenant, client, statement):
    await _post(client, tenant, [households("2023-01", 10)])
    # SQLite's triggers refuse it; on PostgreSQL the service's role holds no UPDATE or DELETE on
    # versions at all (app.dbroles), and the triggers refuse the owner too.
    with pytest.raises(DBAPIError, match=r"append-only|permission denied"):
        async with app.state.db.session(system=True) as session:
            await session.execute(text(statement))


async def test_the_owner_is_refused_by_the_version_triggers(app, tenant, client, settings):
    if app.state.db.engine.dialect.name != "postgresql":
        pytest.skip("database roles are PostgreSQL's; on SQLite the test above is the owner's")
    await _post(client, tenant, [households("2023-01", 10)])
    await assert_refused_to_the_owner(
        settings,
        "UPDATE measurement_version SET comment = 'x'",
        "DELETE FROM measurement_version",
        "TRUNCATE measurement_version CASCADE",
    )


async def assert_refused_to_the_owner(settings, *statements: str) -> None:
    """Each statement, run as the tables' owner (who migrates), is refused by the append-only
    triggers: the owner may switch triggers off, but no statement of the service's gets past."""
    owner = Database(Settings(database_url=settings.migrations_url))
    try:
        for statement in statements:
            with pytest.raises(DBAPIError, match="append-only"):
                async with owner.session(system=True) as session:
                    await session.execute(text(statement))
    finally:
        await owner.dispose()


async def test_a_value_changed_meanwhile_is_a_409_not_a_lost_update(app, client, tenant):
    """Two writers classify against the same current version; the second to repoint loses.
    (PostgreSQL; SQLite transactions take the write lock up front and cannot interleave.)"""
    import uuid

    from app.errors import Conflict
    from app.measurements.writes import _repoint

    if app.state.db.engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL runs writers concurrently")
    await _post(client, tenant, [households("2023-01", 10)])
    items = (await client.get("/api/v1/measurements", headers=tenant.admin)).json()["items"]
    measurement = uuid.UUID(items[0]["id"])
    stale, new = uuid.uuid4(), uuid.uuid4()
    with pytest.raises(Conflict):
        async with app.state.db.session(system=True) as session:
            await session.run_sync(
                lambda sync: _repoint(sync.connection(), [(measurement, stale, new)])
            )
