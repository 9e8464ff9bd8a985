"""Inputs the batch endpoints must refuse with a 422 (or 413) naming what is wrong, never a 500
and never silently: duplicate CSV columns, oversized CSV cells, lone surrogates, periods outside
the reportable years (issue 16)."""

import orjson

from tests.batches.test_measurement_batch import BATCH, households, listed
from tests.batches.test_measurement_batch import plan as plan  # the fixture

CSV = {"content-type": "text/csv"}


async def test_a_csv_header_naming_a_column_twice_is_refused_naming_it(client, tenant, plan):
    csv = "indicator_code;org_unit_code;period;value;value\nSN-8.1.4;AF;2023-01;1200;1300\n"
    response = await client.post(BATCH, content=csv.encode(), headers={**tenant.admin, **CSV})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("header.value", "duplicate_column")]
    assert await listed(client, tenant) == []


async def test_a_csv_cell_over_the_cell_limit_is_a_422_naming_row_and_column(client, tenant, plan):
    csv = "indicator_code;org_unit_code;period;value;comment\n" + (
        "SN-8.1.4;AF;2023-01;1200;ok\n" + "SN-8.1.4;AF;2023-02;1200;" + "x" * 10_001 + "\n"
    )
    response = await client.post(BATCH, content=csv.encode(), headers={**tenant.admin, **CSV})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("rows.1.comment", "cell_too_long")]
    assert "x" * 100 not in response.text


async def test_a_csv_cell_past_the_csv_modules_own_limit_is_a_422_naming_the_row(
    client, tenant, plan
):
    # 200 000 characters: past the csv module's field limit (128 KiB), which raises before the
    # row is seen, so the row is named but not the column.
    csv = "indicator_code;org_unit_code;period;value;comment\n" + (
        "SN-8.1.4;AF;2023-01;1200;ok\n" + "SN-8.1.4;AF;2023-02;1200;" + "x" * 200_000 + "\n"
    )
    response = await client.post(BATCH, content=csv.encode(), headers={**tenant.admin, **CSV})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("rows.1", "cell_too_long")]


async def test_a_quoted_csv_cell_that_never_ends_is_a_422(client, tenant, plan):
    csv = 'indicator_code;org_unit_code;period;value;comment\nSN-8.1.4;AF;2023-01;1;"open\n'
    response = await client.post(BATCH, content=csv.encode(), headers={**tenant.admin, **CSV})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


async def test_a_lone_surrogate_in_a_json_batch_is_a_422(client, tenant, plan):
    body = b'[{"indicator_code": "SN-8.1.4", "org_unit_code": "AF", "period": "2023-01",'
    body += b' "value": 1, "comment": "a\\ud800b"}]'
    response = await client.post(
        BATCH, content=body, headers={**tenant.admin, "content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    assert await listed(client, tenant) == []


async def test_a_lone_surrogate_in_any_json_body_is_a_422_not_a_500(client, tenant):
    body = b'{"code": "X1", "name": "a\\udfffb", "kind": "committee", "valid_from": "2019-01-01"}'
    response = await client.post(
        "/api/v1/org-units",
        content=body,
        headers={**tenant.admin, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["code"] == "lone_surrogate"


async def test_a_measurement_period_past_2100_is_refused(client, tenant, plan):
    rows = [households("2100-12", 1), households("2300", 1), households("2101-01", 1)]
    response = await client.post(BATCH, params={"mode": "partial"}, json=rows, headers=tenant.admin)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert summary["created"] == 1
    assert [(e["index"], e["field"], e["code"]) for e in summary["errors"]] == [
        (1, "period", "period_range"),
        (2, "period", "period_range"),
    ]


async def test_a_single_measurement_period_past_2100_is_a_422(client, tenant, plan):
    response = await client.put(
        "/api/v1/measurements", json=households("2300", 1), headers=tenant.admin
    )
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("body.period", "period_range")
    ]


async def test_413_is_decided_before_the_whole_json_list_is_validated(client, tenant, plan):
    rows = orjson.dumps([households("2023-01", 1)] * 100_001)
    response = await client.post(
        BATCH, content=rows, headers={**tenant.admin, "content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_blank_lines_in_a_csv_are_no_rows(client, tenant, plan):
    csv = "indicator_code;org_unit_code;period;value\n\nSN-8.1.4;AF;2023-01;1200\n\n\n"
    response = await client.post(BATCH, content=csv.encode(), headers={**tenant.admin, **CSV})
    assert response.status_code == 200, response.text
    assert (response.json()["received"], response.json()["created"]) == (1, 1)
