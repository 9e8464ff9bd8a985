"""POST /api/v1/measurements/batch: modes, dry runs, idempotency, CSV, limits, batch ids."""

import uuid

import orjson
import pytest

BATCH = "/api/v1/measurements/batch"


@pytest.fixture
async def plan(client, tenant):
    """Org SN → BOU, AF; a monthly split ratio (sick leave) and a monthly count (households)."""
    h = tenant.admin
    ids: dict[str, str] = {}
    for code, kind, parent in (
        ("SN", "committee", None),
        ("BOU", "area", "SN"),
        ("AF", "area", "SN"),
    ):
        body: dict[str, object] = {
            "code": code,
            "name": code,
            "kind": kind,
            "valid_from": "2019-01-01",
        }
        if parent:
            body["parent_id"] = ids[parent]
        ids[code] = (await client.post("/api/v1/org-units", json=body, headers=h)).json()["id"]
    for code, unit, aggregation, split in (
        ("HR-SJUK-KORT", "percent", "ratio", True),
        ("SN-8.1.4", "count", "mean", False),
    ):
        body = {
            "code": code,
            "title": code,
            "unit": unit,
            "polarity": "lower_is_better",
            "periodicity": "month",
            "aggregation": aggregation,
            "gender_split": split,
            "valid_from_year": 2023,
        }
        response = await client.post("/api/v1/indicators", json=body, headers=h)
        assert response.status_code == 201, response.text
        ids[code] = response.json()["id"]
    return ids


def households(period, value, unit="AF", **extra):
    return {
        "indicator_code": "SN-8.1.4",
        "org_unit_code": unit,
        "period": period,
        "value": value,
        **extra,
    }


async def listed(client, tenant):
    response = await client.get("/api/v1/measurements", params={"limit": 500}, headers=tenant.admin)
    return sorted(
        (m["org_unit_code"], m["period"], m["gender"], m["value"]) for m in response.json()["items"]
    )


async def test_atomic_lands_nothing_when_a_row_is_bad(client, tenant, plan):
    rows = [households("2023-01", 1170), households("2023-02", 1180), households("2023-13", 1190)]
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
    assert body["summary"]["rejected"] == 1
    assert (body["summary"]["created"], body["summary"]["received"]) == (0, 3)
    assert await listed(client, tenant) == []


async def test_partial_lands_exactly_the_good_rows_and_reports_each_bad_one(client, tenant, plan):
    rows = [
        households("2023-01", 1170),
        {
            "indicator_code": "HR-SJUK-KORT",
            "org_unit_code": "BOU",
            "period": "2023-01",
            "gender": "women",
            "numerator": 412.5,
        },
        households("2023", 1180),
        {"indicator_code": "NOPE", "org_unit_code": "AF", "period": "2023-01", "value": 1},
        {
            "indicator_code": "HR-SJUK-KORT",
            "org_unit_code": "BOU",
            "period": "2023-01",
            "gender": "men",
            "numerator": 101,
            "denominator": 3120,
        },
        households("2023-02", 1190, gender="women"),
    ]
    response = await client.post(BATCH, params={"mode": "partial"}, json=rows, headers=tenant.admin)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary["received"], summary["created"], summary["rejected"]) == (6, 2, 4)
    assert [(e["index"], e["field"], e["code"]) for e in summary["errors"]] == [
        (1, "denominator", "ratio_pair"),
        (2, "period", "periodicity"),
        (3, "indicator_code", "not_found"),
        (5, "gender", "gender_not_split"),
    ]
    assert summary["errors"][0]["key"] == {
        "indicator": "HR-SJUK-KORT",
        "org_unit": "BOU",
        "period": "2023-01",
        "gender": "women",
    }
    # 101 / 3120 × 100 = 3.237179 %
    assert await listed(client, tenant) == [
        ("AF", "2023-01", "total", 1170),
        ("BOU", "2023-01", "men", 3.237179),
    ]


async def test_an_identical_resend_is_unchanged_and_makes_no_versions(client, tenant, plan):
    rows = [households("2023-01", 1170), households("2023-02", 1180)]
    first = (await client.post(BATCH, json=rows, headers=tenant.admin)).json()
    assert (first["created"], first["unchanged"]) == (2, 0)
    again = (await client.post(BATCH, json=rows, headers=tenant.admin)).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    changed = (
        await client.post(
            BATCH,
            json=[households("2023-01", 1175), households("2023-02", 1180)],
            headers=tenant.admin,
        )
    ).json()
    assert (changed["updated"], changed["unchanged"]) == (1, 1)
    items = (await client.get("/api/v1/measurements", headers=tenant.admin)).json()["items"]
    versions = {
        m["period"]: len(
            (
                await client.get(f"/api/v1/measurements/{m['id']}/history", headers=tenant.admin)
            ).json()["versions"]
        )
        for m in items
    }
    assert versions == {"2023-01": 2, "2023-02": 1}


async def test_the_batch_id_is_on_every_value_and_on_the_batch_audit_event(client, tenant, plan):
    summary = (
        await client.post(
            BATCH, json=[households("2023-01", 1), households("2023-02", 2)], headers=tenant.admin
        )
    ).json()
    batch_id = summary["batch_id"]
    items = (await client.get("/api/v1/measurements", headers=tenant.admin)).json()["items"]
    assert {m["batch_id"] for m in items} == {batch_id}
    events = (
        await client.get(
            "/api/v1/audit-events", params={"batch_id": batch_id}, headers=tenant.admin
        )
    ).json()["items"]
    # One event for the batch (issue 18); each value's before/after is its version.
    assert [(e["entity_type"], e["action"]) for e in events] == [("import_batch", "import")]
    stored = (await client.get(f"/api/v1/import-batches/{batch_id}", headers=tenant.admin)).json()
    assert (stored["created"], stored["received"], stored["kind"]) == (2, 2, "measurements")


async def test_dry_run_validates_and_writes_nothing(client, tenant, plan):
    response = await client.post(
        BATCH,
        params={"dry_run": "true", "mode": "partial"},
        json=[households("2023-01", 1), households("2023-99", 2)],
        headers=tenant.admin,
    )
    summary = response.json()
    assert (summary["dry_run"], summary["batch_id"], summary["created"], summary["rejected"]) == (
        True,
        None,
        1,
        1,
    )
    assert await listed(client, tenant) == []


class TestIdempotency:
    async def test_a_replay_returns_the_first_answer_and_lands_once(self, client, tenant, plan):
        headers = {**tenant.admin, "Idempotency-Key": f"hr-2023-03-{uuid.uuid4()}"}
        rows = [households("2023-03", 1200)]
        first = await client.post(BATCH, json=rows, headers=headers)
        replay = await client.post(BATCH, json=rows, headers=headers)
        assert replay.status_code == 200
        assert replay.json() == first.json()
        assert replay.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        batches = (
            await client.get(
                "/api/v1/audit-events", params={"entity_type": "import_batch"}, headers=tenant.admin
            )
        ).json()
        assert len(batches["items"]) == 1

    async def test_the_same_key_with_another_body_is_409(self, client, tenant, plan):
        headers = {**tenant.admin, "Idempotency-Key": "same-key"}
        assert (
            await client.post(BATCH, json=[households("2023-03", 1)], headers=headers)
        ).status_code == 200
        other = await client.post(BATCH, json=[households("2023-03", 2)], headers=headers)
        assert other.status_code == 409
        assert other.headers["content-type"] == "application/problem+json"

    async def test_a_refused_request_keeps_no_answer_so_the_corrected_retry_lands(
        self, client, tenant, plan
    ):
        headers = {**tenant.admin, "Idempotency-Key": "bad-rows"}
        first = await client.post(BATCH, json=[households("2023-13", 1)], headers=headers)
        again = await client.post(BATCH, json=[households("2023-13", 1)], headers=headers)
        assert (first.status_code, again.status_code) == (422, 422)
        assert "idempotent-replayed" not in again.headers
        fixed = await client.post(BATCH, json=[households("2023-03", 1)], headers=headers)
        assert fixed.status_code == 200, fixed.text
        assert fixed.json()["created"] == 1

    async def test_a_dry_run_does_not_use_up_the_key(self, client, tenant, plan):
        headers = {**tenant.admin, "Idempotency-Key": "check-then-send"}
        rows = [households("2023-03", 1200)]
        checked = await client.post(BATCH, params={"dry_run": "true"}, json=rows, headers=headers)
        assert (checked.status_code, checked.json()["batch_id"]) == (200, None)
        sent = await client.post(BATCH, json=rows, headers=headers)
        assert sent.status_code == 200, sent.text
        assert "idempotent-replayed" not in sent.headers
        assert sent.json()["created"] == 1
        assert await listed(client, tenant) == [("AF", "2023-03", "total", 1200)]

    async def test_keys_belong_to_one_municipality(self, client, tenant, other_tenant, plan):
        key = {"Idempotency-Key": "shared-name"}
        assert (
            await client.post(
                BATCH, json=[households("2023-03", 1)], headers={**tenant.admin, **key}
            )
        ).status_code == 200
        # The same key and body in another municipality is judged there, against its own data
        # (it has no such indicator): neither the first one's answer replayed nor a 409.
        other = await client.post(
            BATCH, json=[households("2023-03", 1)], headers={**other_tenant.admin, **key}
        )
        assert other.status_code == 422
        assert "idempotent-replayed" not in other.headers
        assert {e["code"] for e in other.json()["errors"]} == {"not_found"}


class TestCsv:
    async def test_semicolons_a_bom_and_decimal_commas(self, client, tenant, plan):
        csv = (
            "\ufeffindicator_code;org_unit_code;period;gender;numerator;denominator;source_system\r\n"
            "HR-SJUK-KORT;BOU;2023-03;women;412,5;8250;HR\r\n"
            "HR-SJUK-KORT;BOU;2023-03;men;101;3120;HR\r\n"
        ).encode()
        response = await client.post(
            BATCH, content=csv, headers={**tenant.admin, "content-type": "text/csv; charset=utf-8"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["created"] == 2
        assert await listed(client, tenant) == [
            ("BOU", "2023-03", "men", 3.237179),
            ("BOU", "2023-03", "women", 5),
        ]

    async def test_commas(self, client, tenant, plan):
        csv = b"indicator_code,org_unit_code,period,value,comment\nSN-8.1.4,AF,2023-01,1173,\nSN-8.1.4,AF,2023-02,1169,Prelimin\xc3\xa4rt\n"
        response = await client.post(
            BATCH, content=csv, headers={**tenant.admin, "content-type": "text/csv"}
        )
        assert response.json()["created"] == 2
        assert await listed(client, tenant) == [
            ("AF", "2023-01", "total", 1173),
            ("AF", "2023-02", "total", 1169),
        ]


async def test_a_personnummer_in_a_comment_rejects_the_row_without_echo(client, tenant, plan):
    rows = [households("2023-01", 1, comment="Gäller 811218-9876")]
    response = await client.post(BATCH, params={"mode": "partial"}, json=rows, headers=tenant.admin)
    assert response.json()["errors"][0]["code"] == "personal_identity_number"
    assert "811218-9876" not in response.text


async def test_duplicate_keys_in_one_request(client, tenant, plan):
    rows = [households("2023-01", 1), households("2023-01", 2)]
    response = await client.post(BATCH, params={"mode": "partial"}, json=rows, headers=tenant.admin)
    assert [(e["index"], e["code"]) for e in response.json()["errors"]] == [
        (1, "duplicate_in_request")
    ]


async def test_413_beyond_100_000_rows_and_415_for_other_media(client, tenant, plan):
    rows = orjson.dumps([{}] * 100_001)
    too_many = await client.post(
        BATCH, content=rows, headers={**tenant.admin, "content-type": "application/json"}
    )
    assert too_many.status_code == 413
    xml = await client.post(
        BATCH, content=b"<rows/>", headers={**tenant.admin, "content-type": "application/xml"}
    )
    assert xml.status_code == 415


async def test_roles_and_tenancy(client, tenant, other_tenant, plan):
    viewer = await tenant.headers("viewer")
    assert (await client.post(BATCH, json=[], headers=viewer)).status_code == 403
    integration = await tenant.headers("integration")
    summary = (
        await client.post(BATCH, json=[households("2023-04", 5)], headers=integration)
    ).json()
    assert (
        await client.get(
            f"/api/v1/import-batches/{summary['batch_id']}", headers=other_tenant.admin
        )
    ).status_code == 404
    reporter = await tenant.headers("reporter", org_unit_id=plan["BOU"])
    outside = (
        await client.post(
            BATCH, params={"mode": "partial"}, json=[households("2023-05", 5)], headers=reporter
        )
    ).json()
    assert outside["errors"][0]["code"] == "outside_subtree"


async def test_partial_with_nothing_valid_is_refused_as_a_whole(client, tenant, plan):
    response = await client.post(
        BATCH, params={"mode": "partial"}, json=[households("2023-13", 1)], headers=tenant.admin
    )
    assert response.status_code == 422
    assert response.json()["summary"]["rejected"] == 1


async def test_a_csv_without_rows_is_422(client, tenant, plan):
    response = await client.post(
        BATCH, content=b"null", headers={**tenant.admin, "content-type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "csv_empty"


async def test_a_csv_header_naming_a_column_the_batch_does_not_take_is_one_error(
    client, tenant, plan
):
    csv = "indicator_code;org_unit;period;value\n" + "".join(
        f"SN-8.1.4;AF;2023-{m:02d};1200\n" for m in range(1, 13)
    )
    response = await client.post(
        BATCH, content=csv.encode(), headers={**tenant.admin, "content-type": "text/csv"}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    # One error for the header, not twelve extra_forbidden rows, and it names the right column.
    assert [(e["field"], e["code"]) for e in errors] == [("header.org_unit", "unknown_column")]
    assert "org_unit_code" in errors[0]["message"]
    assert await listed(client, tenant) == []


async def test_an_empty_json_list_is_422_as_an_empty_csv_is(client, tenant, plan):
    response = await client.post(BATCH, params={"mode": "partial"}, json=[], headers=tenant.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "rows_empty"
