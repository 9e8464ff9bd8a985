"""POST /api/v1/budget-lines/batch — the ERP feed, on the shared import machinery: modes, dry
runs, idempotency, CSV, the summary, batch ids on lines and audit events."""

import uuid
from typing import Any

import orjson

from tests.budget.conftest import BATCH, CATEGORIES, LINES, d, line, post_lines


def outcome(month: int, amount: object, unit: str = "AF", **extra: object) -> dict[str, Any]:
    return line(unit, "COST-GRANTS", f"2022-{month:02d}", "outcome", amount, **extra)


async def listed(client, headers, **params) -> list[tuple[Any, ...]]:
    items = (await client.get(LINES, params={"limit": 500, **params}, headers=headers)).json()[
        "items"
    ]
    return sorted((i["org_unit_code"], i["period"], i["scenario"], d(i["amount"])) for i in items)


async def test_atomic_writes_nothing_when_a_row_is_bad(client, tenant, committee):
    rows = [outcome(1, 11_459_000), outcome(2, 11_565_000), outcome(13, 1)]
    response = await client.post(BATCH, json=rows, headers=tenant.admin)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["errors"] == [
        {
            "field": "rows.2.period",
            "code": "period_format",
            "message": "give a period as 2023, 2023-H1, 2023-T2, 2023-Q3 or 2023-05",
        }
    ]
    assert (body["summary"]["kind"], body["summary"]["rejected"]) == ("budget_lines", 1)
    assert await listed(client, tenant.admin) == []


async def test_partial_lands_the_good_rows_and_names_each_bad_field(client, tenant, committee):
    rows = [
        outcome(1, 11_459_000),
        line("AF", "NOPE", "2022-01", "outcome", 1),
        line("AF", "COST-GRANTS", "2022-Q1", "budget", 1),
        line("AF", "COST-GRANTS", "2022", "forecast", 1),
        line("AF", "COST-GRANTS", "2022", "budget", 1, forecast_date="2022-04-30"),
        outcome(2, "1.005"),
        outcome(3, -5),
        {"org_unit_code": "AF", "period": "2022-04", "scenario": "outcome", "amount": 1},
        line("XX", "COST-GRANTS", "2022-01", "outcome", 1),
        line("AF", "COST-GRANTS", "2022-01", "actual", 1),
        outcome(5, 12_258_000),
    ]
    response = await client.post(BATCH, params={"mode": "partial"}, json=rows, headers=tenant.admin)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary["received"], summary["created"], summary["rejected"]) == (11, 2, 9)
    assert [(e["index"], e["field"], e["code"]) for e in summary["errors"]] == [
        (1, "category_code", "not_found"),
        (2, "period", "period_kind"),
        (3, "forecast_date", "missing"),
        (4, "forecast_date", "not_allowed"),
        (5, "amount", "decimal_max_places"),
        (6, "amount", "greater_than_equal"),
        (7, "category_code", "reference"),
        (8, "org_unit_code", "not_found"),
        (9, "scenario", "enum"),
    ]
    assert summary["errors"][0]["key"] == {
        "org_unit": "AF",
        "category": "NOPE",
        "account": None,
        "period": "2022-01",
        "scenario": "outcome",
        "forecast_date": None,
    }
    assert await listed(client, tenant.admin) == [
        ("AF", "2022-01", "outcome", 11_459_000),
        ("AF", "2022-05", "outcome", 12_258_000),
    ]


async def test_resending_is_unchanged_and_a_change_is_an_update(client, tenant, committee):
    h = tenant.admin
    rows = [outcome(1, 100), outcome(2, 200)]
    first = await post_lines(client, h, rows)
    assert (first["created"], first["unchanged"]) == (2, 0)
    again = await post_lines(client, h, rows)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    changed = await post_lines(client, h, [outcome(1, 150), outcome(2, 200, comment="Rättad")])
    assert (changed["updated"], changed["unchanged"]) == (2, 0)
    assert await listed(client, h) == [
        ("AF", "2022-01", "outcome", 150),
        ("AF", "2022-02", "outcome", 200),
    ]
    # Issue 18: the before and after of each line a batch changed are its versions, read as the
    # batch's changes; the batch has no per-line audit events.
    changes = (
        await client.get(f"/api/v1/import-batches/{changed['batch_id']}/changes", headers=h)
    ).json()["items"]
    updates = sorted((c["before"]["amount_ore"], c["after"]["amount_ore"]) for c in changes)
    assert updates == [(10_000, 15_000), (20_000, 20_000)]
    assert {c["action"] for c in changes} == {"update"}
    events = (
        await client.get(
            "/api/v1/audit-events",
            params={"batch_id": changed["batch_id"], "entity_type": "budget_line"},
            headers=h,
        )
    ).json()["items"]
    assert events == []


async def test_the_batch_id_is_on_every_line_and_version(client, tenant, committee):
    h = tenant.admin
    summary = await post_lines(client, h, [outcome(1, 1), outcome(2, 2)])
    batch_id = summary["batch_id"]
    items = (await client.get(LINES, params={"batch_id": batch_id}, headers=h)).json()["items"]
    assert len(items) == 2
    assert {i["batch_id"] for i in items} == {batch_id}
    assert {i["recorded_by"] for i in items} == {f"api_key:{tenant.admin_key[:11]}"}
    events = (
        await client.get("/api/v1/audit-events", params={"batch_id": batch_id}, headers=h)
    ).json()["items"]
    # Issue 18: one audit event for the batch; each line's version carries the batch id.
    assert [(e["entity_type"], e["action"]) for e in events] == [("import_batch", "import")]
    changes = (await client.get(f"/api/v1/import-batches/{batch_id}/changes", headers=h)).json()
    assert [(c["entity_type"], c["action"], c["batch_id"]) for c in changes["items"]] == [
        ("budget_line", "create", batch_id)
    ] * 2
    stored = (await client.get(f"/api/v1/import-batches/{batch_id}", headers=h)).json()
    assert (stored["kind"], stored["created"], stored["received"]) == ("budget_lines", 2, 2)


async def test_dry_run_checks_and_writes_nothing(client, tenant, committee):
    response = await client.post(
        BATCH,
        params={"dry_run": "true", "mode": "partial"},
        json=[outcome(1, 1), outcome(99, 2)],
        headers=tenant.admin,
    )
    summary = response.json()
    assert (summary["dry_run"], summary["batch_id"], summary["created"], summary["rejected"]) == (
        True,
        None,
        1,
        1,
    )
    assert await listed(client, tenant.admin) == []


class TestIdempotency:
    async def test_a_retry_gets_the_first_answer_and_lands_once(self, client, tenant, committee):
        headers = {**tenant.admin, "Idempotency-Key": f"erp-2022-01-{uuid.uuid4()}"}
        rows = [outcome(1, 11_459_000)]
        first = await client.post(BATCH, json=rows, headers=headers)
        replay = await client.post(BATCH, json=rows, headers=headers)
        assert replay.status_code == 200
        assert replay.json() == first.json()
        assert replay.headers["idempotent-replayed"] == "true"
        # Landed once: one batch, audited by one event (issue 18), with one version.
        events = (
            await client.get(
                "/api/v1/audit-events", params={"entity_type": "import_batch"}, headers=tenant.admin
            )
        ).json()["items"]
        assert len(events) == 1
        changes = await client.get(
            f"/api/v1/import-batches/{first.json()['batch_id']}/changes", headers=tenant.admin
        )
        assert len(changes.json()["items"]) == 1

    async def test_the_same_key_with_other_rows_is_409(self, client, tenant, committee):
        headers = {**tenant.admin, "Idempotency-Key": "erp-run-1"}
        assert (await client.post(BATCH, json=[outcome(1, 1)], headers=headers)).status_code == 200
        other = await client.post(BATCH, json=[outcome(1, 2)], headers=headers)
        assert other.status_code == 409
        assert await listed(client, tenant.admin) == [("AF", "2022-01", "outcome", 1)]


class TestCsv:
    async def test_swedish_excel_semicolons_decimal_commas_and_spaces(
        self, client, tenant, committee
    ):
        csv = (
            "\ufefforg_unit_code;category_code;period;scenario;amount;source_system\r\n"
            "AF;COST-GRANTS;2022-03;outcome;12 979 000,50;Raindance\r\n"
            "AF;COST-GRANTS;2022-04;outcome;9\u00a0565\u00a0000;Raindance\r\n"
        ).encode()
        response = await client.post(
            BATCH, content=csv, headers={**tenant.admin, "content-type": "text/csv"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 2
        assert await listed(client, tenant.admin) == [
            ("AF", "2022-03", "outcome", d("12979000.50")),
            ("AF", "2022-04", "outcome", 9_565_000),
        ]

    async def test_a_narrow_no_break_space_separates_thousands(self, client, tenant, committee):
        # U+202F, what Excel writes as the thousands separator in some locales.
        csv = (
            "org_unit_code;category_code;period;scenario;amount\r\n"
            "AF;COST-GRANTS;2022-05;outcome;11\u202f716\u202f412,50\r\n"
        ).encode()
        response = await client.post(
            BATCH, content=csv, headers={**tenant.admin, "content-type": "text/csv"}
        )
        assert response.status_code == 200, response.text
        assert await listed(client, tenant.admin) == [
            ("AF", "2022-05", "outcome", d("11716412.50"))
        ]

    async def test_commas(self, client, tenant, committee):
        csv = (
            b"org_unit_code,category_code,period,scenario,forecast_date,amount\n"
            b"BOU,COST-STAFF,2022,forecast,2022-08-31,1200000.25\n"
        )
        response = await client.post(
            BATCH, content=csv, headers={**tenant.admin, "content-type": "text/csv"}
        )
        assert response.json()["created"] == 1
        assert await listed(client, tenant.admin) == [("BOU", "2022", "forecast", d("1200000.25"))]


async def test_erp_accounts_map_to_categories(client, tenant, committee):
    h = tenant.admin
    created = await client.post(
        CATEGORIES,
        json={
            "code": "COST-ASSISTANCE",
            "name": "Utbetalt ekonomiskt bistånd",
            "kind": "cost",
            "erp_accounts": ["4610", "4611"],
        },
        headers=h,
    )
    assert created.status_code == 201, created.text
    assert created.json()["erp_accounts"] == ["4610", "4611"]
    rows = [
        {"org_unit_code": "AF", "account_code": "4610", "period": "2022-01", "scenario": "outcome",
         "amount": 11_000_000},
        {"org_unit_code": "AF", "account_code": "4611", "period": "2022-01", "scenario": "outcome",
         "amount": 459_000},
        {"org_unit_code": "AF", "account_code": "9999", "period": "2022-01", "scenario": "outcome",
         "amount": 1},
    ]  # fmt: skip
    summary = (await client.post(BATCH, params={"mode": "partial"}, json=rows, headers=h)).json()
    assert (summary["created"], summary["errors"][0]["field"], summary["errors"][0]["code"]) == (
        2,
        "account_code",
        "not_found",
    )
    items = (await client.get(LINES, headers=h)).json()["items"]
    assert {(i["account_code"], i["category_code"]) for i in items} == {
        ("4610", "COST-ASSISTANCE"),
        ("4611", "COST-ASSISTANCE"),
    }
    months = (
        await client.get(
            "/api/v1/budget-follow-up/months",
            params={
                "org_unit_id": committee["AF"],
                "year": 2022,
                "category_code": "COST-ASSISTANCE",
            },
            headers=h,
        )
    ).json()
    assert d(months["months"][0]["outcome"]) == 11_459_000
    # An account maps to one category.
    taken = await client.post(
        CATEGORIES,
        json={"code": "COST-X", "name": "X", "kind": "cost", "erp_accounts": ["4610"]},
        headers=h,
    )
    assert taken.status_code == 409


async def test_a_key_is_annual_or_monthly_never_both(client, tenant, committee):
    h = tenant.admin
    await post_lines(client, h, [line("AF", "COST-STAFF", "2022", "budget", 1_200_000)])
    response = await client.post(
        BATCH,
        params={"mode": "partial"},
        json=[
            line("AF", "COST-STAFF", "2022-01", "budget", 100_000),  # stored annually
            line("BOU", "COST-STAFF", "2022", "budget", 1),
            line("BOU", "COST-STAFF", "2022-02", "budget", 2),  # the row above is annual
            line("BOU", "COST-STAFF", "2022", "budget", 3),  # a duplicate key
            line("AF", "COST-STAFF", "2022-01", "outcome", 4),  # outcome is another key
        ],
        headers=h,
    )
    summary = response.json()
    assert [(e["index"], e["code"]) for e in summary["errors"]] == [
        (0, "granularity_conflict"),
        (2, "granularity_conflict"),
        (3, "duplicate_in_request"),
    ]
    assert summary["created"] == 2


async def test_413_and_415(client, tenant, committee):
    too_many = await client.post(
        BATCH,
        content=orjson.dumps([{}] * 100_001),
        headers={**tenant.admin, "content-type": "application/json"},
    )
    assert too_many.status_code == 413
    xml = await client.post(
        BATCH, content=b"<rows/>", headers={**tenant.admin, "content-type": "application/xml"}
    )
    assert xml.status_code == 415


async def test_a_personnummer_in_a_comment_is_refused_unechoed(client, tenant, committee):
    rows = [outcome(1, 1, comment="Gäller 811218-9876")]
    response = await client.post(BATCH, params={"mode": "partial"}, json=rows, headers=tenant.admin)
    assert response.json()["errors"][0]["code"] == "personal_identity_number"
    assert "811218-9876" not in response.text


async def test_a_new_municipality_has_seed_000s_chart_before_any_budget_write(client, tenant):
    """README: the chart is seed 000's by default. It is there from the start: 7 revenue
    categories (the municipal allocation among them) and 11 cost categories, in the seed's order,
    and its creation is in the audit trail."""
    listed = await client.get(CATEGORIES, params={"limit": 100}, headers=tenant.admin)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [c["kind"] for c in items].count("revenue") == 7
    assert [c["kind"] for c in items].count("cost") == 11
    assert {c["code"] for c in items if c["is_allocation"]} == {"REV-ALLOCATION"}
    assert "COST-PURCHASED" in {c["code"] for c in items}
    audited = await client.get(
        "/api/v1/audit-events", params={"entity_type": "budget_category"}, headers=tenant.admin
    )
    assert len(audited.json()["items"]) == 18


async def test_every_documented_period_example_of_a_budget_line_is_taken(client, tenant, committee):
    """The OpenAPI document's examples for a budget line's period must be periods a line takes
    (it showed 2023-T1, which is refused: a line is for a year or a month)."""
    schema = (await client.get("/openapi.json")).json()["components"]["schemas"]
    examples = schema["BudgetLineWrite"]["properties"]["period"]["examples"]
    assert examples
    for n, period in enumerate(examples):
        # A unit of its own per example: a key is stored by year or by month, not both.
        unit = ("AF", "BOU", "SK", "SN")[n]
        response = await client.put(
            LINES, json=line(unit, "COST-STAFF", period, "budget", 1), headers=tenant.admin
        )
        assert response.status_code in (200, 201), (period, response.text)
