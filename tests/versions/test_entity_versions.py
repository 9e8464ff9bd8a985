"""Budget-line and placement batches are audited once; their before/after are immutable versions.

Issue 18 applies the measurements' rule (DOMAIN §3, §11) to the kinds that share the batch
machinery: a batch writes one audit event (endpoint, kind, mode, the summary's counts, SHA-256 of
the body as received) and a version per changed row carrying the batch id; the database refuses
to change a version; ``GET /import-batches/{id}/changes`` gives each row's before and after. A
single write keeps its own audit event with before and after, and writes a version too.
"""

import asyncio
import csv
import hashlib
import io
import uuid
from datetime import UTC, datetime

import orjson
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.versions.models import EntityVersion
from tests.batches.test_batch_audit import _changes as _batch_changes
from tests.batches.test_batch_audit import _events, assert_refused_to_the_owner
from tests.budget.conftest import BATCH as BUDGET_BATCH
from tests.budget.conftest import LINES, line
from tests.placements.conftest import AGGREGATES, PLACEMENTS, aggregate, episode


def outcome(month: int, amount: object) -> dict[str, object]:
    return line("AF", "COST-GRANTS", f"2022-{month:02d}", "outcome", amount)


async def _post(client, tenant, path, rows, **params):
    body = orjson.dumps(rows)
    response = await client.post(
        path,
        content=body,
        params=params,
        headers={**tenant.admin, "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    return body, response.json()


async def _changes(client, tenant, batch_id, **params):
    return (await _batch_changes(client, tenant, batch_id, **params))["items"]


async def _versions(app, entity_id):
    async with app.state.db.session(system=True) as session:
        found = await session.execute(
            select(EntityVersion.content, EntityVersion.batch_id)
            .where(EntityVersion.entity_id == uuid.UUID(entity_id))
            .order_by(EntityVersion.sys_from, EntityVersion.id)
        )
        return [(content, None if batch is None else str(batch)) for content, batch in found]


class TestBudgetLines:
    async def test_a_batch_writes_one_audit_event_with_its_counts_and_body_hash(
        self, client, tenant, committee
    ):
        await _post(client, tenant, BUDGET_BATCH, [outcome(1, 100), outcome(2, 200)])
        rows = [outcome(1, 150), outcome(2, 200), outcome(3, 300), outcome(13, 1)]
        body, summary = await _post(client, tenant, BUDGET_BATCH, rows, mode="partial")
        [event] = await _events(client, tenant, batch_id=summary["batch_id"])
        assert (event["entity_type"], event["entity_id"], event["action"], event["before"]) == (
            "import_batch",
            summary["batch_id"],
            "import",
            None,
        )
        assert event["after"] == {
            "endpoint": "/api/v1/budget-lines/batch",
            "kind": "budget_lines",
            "mode": "partial",
            "received": 4,
            "created": 1,  # March
            "updated": 1,  # January, 100 → 150
            "unchanged": 1,  # February sent again
            "rejected": 1,  # month 13
            "rows_sha256": hashlib.sha256(body).hexdigest(),
        }
        # Neither batch left an event per line: the lines' before and after are their versions.
        assert await _events(client, tenant, entity_type="budget_line") == []

    async def test_the_changes_give_before_and_after_of_created_updated_and_deleted_lines(
        self, app, client, tenant, committee
    ):
        h = tenant.admin
        _, first = await _post(client, tenant, BUDGET_BATCH, [outcome(1, 100), outcome(2, 200)])
        lines = (await client.get(LINES, headers=h)).json()["items"]
        february = next(x["id"] for x in lines if x["period"] == "2022-02")
        assert (await client.delete(f"{LINES}/{february}", headers=h)).status_code == 204
        rows = [outcome(1, 150), outcome(2, 250), outcome(3, 300)]
        _, second = await _post(client, tenant, BUDGET_BATCH, rows)
        changes = await _changes(client, tenant, second["batch_id"])
        got = sorted(
            (
                c["after"]["month"],
                c["action"],
                c["before"] and c["before"]["amount_ore"],
                c["after"]["amount_ore"],
            )
            for c in changes
        )
        # 150 kr is 15 000 öre; February was deleted, so sending it again creates it anew.
        assert got == [(1, "update", 10_000, 15_000), (2, "create", None, 25_000), (3, "create", None, 30_000)]  # fmt: skip
        assert {(c["entity_type"], c["batch_id"]) for c in changes} == {
            ("budget_line", second["batch_id"])
        }
        march = next(c for c in changes if c["after"]["month"] == 3)
        assert {k: v for k, v in march["after"].items() if k not in ("org_unit_id", "category_id")} == {
            "account_code": None, "year": 2022, "month": 3, "scenario": "outcome",
            "forecast_date": None, "amount_ore": 30_000, "source_system": None, "comment": None,
        }  # fmt: skip
        assert march["after"]["org_unit_id"] == committee["AF"]
        # The first batch's changes are what it did then, whatever happened since.
        then = await _changes(client, tenant, first["batch_id"])
        assert sorted(
            (c["after"]["month"], c["action"], c["after"]["amount_ore"]) for c in then
        ) == [
            (1, "create", 10_000),
            (2, "create", 20_000),
        ]
        # February's versions: the first batch's, the DELETE's tombstone, the second batch's.
        assert [(c and c["amount_ore"], b) for c, b in await _versions(app, february)] == [
            (20_000, first["batch_id"]),
            (None, None),
        ]
        [again] = [c for c in changes if c["after"]["month"] == 2]
        assert [
            (c and c["amount_ore"], b) for c, b in await _versions(app, again["entity_id"])
        ] == [(25_000, second["batch_id"])]

    async def test_a_single_write_keeps_its_own_event_and_writes_a_version(
        self, app, client, tenant, committee
    ):
        h = tenant.admin
        put = await client.put(LINES, json=outcome(4, 400), headers=h)
        assert put.status_code == 201, put.text
        changed = await client.put(LINES, json=outcome(4, 450), headers=h)
        assert changed.status_code == 200, changed.text
        line_id = put.json()["id"]
        events = await _events(client, tenant, entity_type="budget_line", entity_id=line_id)
        assert [
            (e["action"], e["before"] and e["before"]["amount_ore"], e["after"]["amount_ore"])
            for e in events
        ] == [("create", None, 40_000), ("update", 40_000, 45_000)]
        assert [(c["amount_ore"], b) for c, b in await _versions(app, line_id)] == [
            (40_000, None),
            (45_000, None),
        ]

    async def test_the_changes_export_as_csv(self, client, tenant, committee):
        await _post(client, tenant, BUDGET_BATCH, [outcome(1, 100)])
        _, summary = await _post(client, tenant, BUDGET_BATCH, [outcome(1, 125.5)])
        response = await client.get(
            f"/api/v1/import-batches/{summary['batch_id']}/changes",
            params={"format": "csv"},
            headers=tenant.admin,
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        [row] = list(csv.DictReader(io.StringIO(response.text)))
        assert (row["entity_type"], row["action"]) == ("budget_line", "update")
        assert (row["before_amount_ore"], row["after_amount_ore"]) == ("10000", "12550")
        assert (row["before_month"], row["after_scenario"], row["batch_id"]) == (
            "1",
            "outcome",
            summary["batch_id"],
        )


class TestPlacements:
    async def test_an_episode_batch_is_one_event_and_its_changes_carry_the_rates(
        self, client, tenant, org
    ):
        await _post(
            client,
            tenant,
            f"{PLACEMENTS}/batch",
            [episode("A", "2023-01-01"), episode("B", "2023-02-01")],
        )
        rows = [
            episode("A", "2023-01-01", "2023-06-30"),
            episode("B", "2023-02-01"),
            episode("C", "2023-03-01", rate="2703.50"),
        ]
        body, summary = await _post(client, tenant, f"{PLACEMENTS}/batch", rows)
        [event] = await _events(client, tenant, batch_id=summary["batch_id"])
        assert event["after"] == {
            "endpoint": "/api/v1/placements/batch",
            "kind": "placements",
            "mode": "atomic",
            "received": 3,
            "created": 1,
            "updated": 1,
            "unchanged": 1,
            "rejected": 0,
            "rows_sha256": hashlib.sha256(body).hexdigest(),
        }
        assert await _events(client, tenant, entity_type="placement") == []
        changes = {
            c["after"]["case_ref"]: c for c in await _changes(client, tenant, summary["batch_id"])
        }
        assert sorted(changes) == ["A", "C"]
        a, c = changes["A"], changes["C"]
        assert (a["action"], a["before"]["end_date"], a["after"]["end_date"]) == (
            "update",
            None,
            "2023-06-30",
        )
        assert a["before"]["rates"] == [
            {"valid_from": "2023-01-01", "valid_to": None, "daily_rate": "1000.00"}
        ]
        assert a["after"]["rates"] == [
            {"valid_from": "2023-01-01", "valid_to": "2023-06-30", "daily_rate": "1000.00"}
        ]
        assert (c["action"], c["before"], c["after"]["rates"]) == (
            "create",
            None,
            [{"valid_from": "2023-03-01", "valid_to": None, "daily_rate": "2703.50"}],
        )

    async def test_a_deleted_episode_sent_again_is_created_anew(self, app, client, tenant, org):
        h = tenant.admin
        _, first = await _post(client, tenant, f"{PLACEMENTS}/batch", [episode("A", "2023-01-01")])
        [stored] = (await client.get(PLACEMENTS, headers=h)).json()["items"]
        assert (await client.delete(f"{PLACEMENTS}/{stored['id']}", headers=h)).status_code == 204
        [gone] = await _events(client, tenant, entity_type="placement", action="delete")
        assert (gone["entity_id"], gone["before"]["case_ref"], gone["after"]) == (
            stored["id"],
            "A",
            None,
        )
        assert [(c and c["case_ref"], b) for c, b in await _versions(app, stored["id"])] == [
            ("A", first["batch_id"]),
            (None, None),
        ]
        _, second = await _post(
            client, tenant, f"{PLACEMENTS}/batch", [episode("A", "2023-01-01", rate=1100)]
        )
        [change] = await _changes(client, tenant, second["batch_id"])
        assert (change["action"], change["before"], change["after"]["rates"][0]["daily_rate"]) == (
            "create",
            None,
            "1100.00",
        )

    async def test_aggregate_changes_export_as_csv(self, client, tenant, org):
        await _post(client, tenant, f"{AGGREGATES}/batch", [aggregate("2023-01", 31, 31000)])
        _, summary = await _post(
            client, tenant, f"{AGGREGATES}/batch", [aggregate("2023-01", 30, 32000)]
        )
        response = await client.get(
            f"/api/v1/import-batches/{summary['batch_id']}/changes",
            params={"format": "csv"},
            headers=tenant.admin,
        )
        [row] = list(csv.DictReader(io.StringIO(response.text)))
        assert (row["entity_type"], row["action"], row["after_period"]) == (
            "placement_aggregate",
            "update",
            "2023-01",
        )
        assert (row["before_care_days"], row["after_care_days"]) == ("31", "30")
        assert (row["before_net_cost"], row["after_net_cost"]) == ("31000.00", "32000.00")

    async def test_episode_rates_are_json_in_the_csv(self, client, tenant, org):
        _, summary = await _post(
            client, tenant, f"{PLACEMENTS}/batch", [episode("A", "2023-01-01")]
        )
        response = await client.get(
            f"/api/v1/import-batches/{summary['batch_id']}/changes",
            params={"format": "csv"},
            headers=tenant.admin,
        )
        [row] = list(csv.DictReader(io.StringIO(response.text)))
        assert (row["action"], row["before_rates"], row["after_case_ref"]) == ("create", "", "A")
        assert orjson.loads(row["after_rates"]) == [
            {"valid_from": "2023-01-01", "valid_to": None, "daily_rate": "1000.00"}
        ]

    async def test_an_as_of_export_before_a_batch_is_refused_by_its_versions(
        self, client, tenant, org
    ):
        """The placement follow-up export is kept, not versioned: an as_of before a batch that
        changed an aggregate is a 409 though the batch wrote no aggregate event."""
        await asyncio.sleep(0.01)
        before = datetime.now(UTC).isoformat()
        await asyncio.sleep(0.01)
        await _post(client, tenant, f"{AGGREGATES}/batch", [aggregate("2023-03", 31, 62000)])
        assert await _events(client, tenant, entity_type="placement_aggregate") == []
        refused = await client.get(
            "/api/v1/exports/placement-follow-up",
            params={"period": "2023-06", "format": "json", "as_of": before},
            headers=tenant.admin,
        )
        assert refused.status_code == 409, refused.text


async def test_the_changes_of_another_tenants_batch_are_404(client, tenant, other_tenant, org):
    _, summary = await _post(client, tenant, f"{AGGREGATES}/batch", [aggregate("2023-01", 31, 1)])
    for params in ({}, {"format": "csv"}):
        response = await client.get(
            f"/api/v1/import-batches/{summary['batch_id']}/changes",
            params=params,
            headers=other_tenant.admin,
        )
        assert response.status_code == 404


_COLUMNS = "id, municipality_id, entity_type, entity_id, content, recorded_by, batch_id, sys_from"
_FORGED = _COLUMNS.replace("recorded_by", "'forged'")
_COPY = f"INTO entity_version ({_COLUMNS}) SELECT {_FORGED} FROM entity_version"  # noqa: S608


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE entity_version SET recorded_by = 'x'",
        "DELETE FROM entity_version",
        # A REPLACE would delete the old row without a DELETE trigger (SQLite); PostgreSQL's
        # service role may not UPDATE, which ON CONFLICT DO UPDATE needs.
        f"INSERT OR REPLACE {_COPY}",
        f"INSERT {_COPY} WHERE true ON CONFLICT (id) DO UPDATE SET recorded_by = 'forged'",
    ],
)
async def test_the_database_refuses_to_change_a_version(app, tenant, client, org, statement):
    if "OR REPLACE" in statement and app.state.db.engine.dialect.name == "postgresql":
        pytest.skip("SQLite's way to replace a row")
    await _post(client, tenant, f"{AGGREGATES}/batch", [aggregate("2023-01", 31, 1)])
    # SQLite's triggers refuse it; on PostgreSQL the service's role holds no UPDATE or DELETE on
    # versions at all (app.dbroles), and the triggers refuse the owner too (next test).
    with pytest.raises(DBAPIError, match=r"append-only|permission denied"):
        async with app.state.db.session(system=True) as session:
            await session.execute(text(statement))


async def test_the_owner_is_refused_by_the_version_triggers(app, tenant, client, org, settings):
    if app.state.db.engine.dialect.name != "postgresql":
        pytest.skip("database roles are PostgreSQL's; on SQLite the test above is the owner's")
    await _post(client, tenant, f"{AGGREGATES}/batch", [aggregate("2023-01", 31, 1)])
    await assert_refused_to_the_owner(
        settings,
        "UPDATE entity_version SET recorded_by = 'x'",
        "DELETE FROM entity_version",
        "TRUNCATE entity_version",
    )
