"""Exports: reproducible with as_of, every format right, digests that verify, audited, flat memory."""

import asyncio
import csv
import hashlib
import io
import json
import tracemalloc
import uuid
from datetime import UTC, date, datetime

import openpyxl
import pytest

from tests.exports.conftest import report_deviation

EXPORTS = "/api/v1/exports"


async def now_between():
    await asyncio.sleep(0.01)
    moment = datetime.now(UTC).isoformat()
    await asyncio.sleep(0.01)
    return moment


async def test_the_same_as_of_gives_byte_identical_content_after_the_data_changed(
    client, tenant, data
):
    as_of = await now_between()
    params = {"as_of": as_of, "format": "csv"}
    first = await client.get(f"{EXPORTS}/measurements", params=params, headers=tenant.admin)
    assert first.status_code == 200
    body = {
        "indicator_id": data["indicator"]["id"],
        "org_unit_id": data["unit"]["id"],
        "period": "2023-02",
        "value": 99,
    }
    assert (
        await client.put("/api/v1/measurements", json=body, headers=tenant.admin)
    ).status_code == 200
    await client.delete(
        f"/api/v1/measurements/{(await client.get('/api/v1/measurements', headers=tenant.admin)).json()['items'][0]['id']}",
        headers=tenant.admin,
    )
    again = await client.get(f"{EXPORTS}/measurements", params=params, headers=tenant.admin)
    assert again.content == first.content
    now = await client.get(
        f"{EXPORTS}/measurements", params={"format": "csv"}, headers=tenant.admin
    )
    assert now.content != first.content
    assert now.headers["x-export-as-of"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "ndjson"])
async def test_every_format_is_reproducible(client, tenant, data, fmt):
    params = {"as_of": await now_between(), "format": fmt}
    a = await client.get(f"{EXPORTS}/measurements", params=params, headers=tenant.admin)
    b = await client.get(f"{EXPORTS}/measurements", params=params, headers=tenant.admin)
    assert a.status_code == 200, a.text
    assert a.content == b.content


async def test_csv_for_swedish_excel(client, tenant, data):
    response = await client.get(
        f"{EXPORTS}/measurements", params={"delimiter": ";"}, headers=tenant.admin
    )
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *lines = rows
    assert header[:6] == [
        "indicator_code",
        "indicator_title",
        "org_unit_code",
        "period",
        "gender",
        "value",
    ]
    assert [(r[2], r[3], r[5]) for r in lines] == [
        ("SKÅ", "2023-01", "15,1"),
        ("SKÅ", "2023-02", "14,25"),
        ("SKÅ", "2023-03", "13"),
    ]
    assert lines[0][1] == "Väntetid för nybesök (dagar)"
    assert lines[0][10] == "Öppet hus på förvaltningen"


async def test_xlsx_has_typed_cells_and_a_frozen_header(client, tenant, data):
    response = await client.get(
        f"{EXPORTS}/measurements", params={"format": "xlsx"}, headers=tenant.admin
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Measurements"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == (
        "indicator_code",
        "indicator_title",
        "org_unit_code",
        "period",
        "gender",
        "value",
    )
    assert [r[5] for r in rows[1:]] == [15.1, 14.25, 13]
    assert all(isinstance(r[5], float | int) for r in rows[1:])
    assert isinstance(rows[1][11], datetime)
    assert sheet.freeze_panes == "A2"


async def test_json_and_ndjson(client, tenant, data):
    as_of = await now_between()
    document = (
        await client.get(
            f"{EXPORTS}/measurements",
            params={"format": "json", "as_of": as_of},
            headers=tenant.admin,
        )
    ).json()
    assert document["export"] == "measurements"
    assert document["row_count"] == 3
    assert [r["value"] for r in document["rows"]] == [15.1, 14.25, 13]
    lines = (
        await client.get(
            f"{EXPORTS}/measurements",
            params={"format": "ndjson", "as_of": as_of},
            headers=tenant.admin,
        )
    ).text.splitlines()
    assert [json.loads(line)["period"] for line in lines] == ["2023-01", "2023-02", "2023-03"]


async def test_the_manifest_digest_verifies(client, tenant, data):
    params = {"as_of": await now_between(), "format": "csv", "delimiter": ";"}
    content = (
        await client.get(f"{EXPORTS}/measurements", params=params, headers=tenant.admin)
    ).content
    manifest = (
        await client.get(f"{EXPORTS}/measurements/manifest", params=params, headers=tenant.admin)
    ).json()
    assert manifest["sha256"] == hashlib.sha256(content).hexdigest()
    assert (manifest["row_count"], manifest["bytes"]) == (3, len(content))
    assert manifest["query"]["as_of"] == params["as_of"].replace("+00:00", "+00:00")


async def test_exports_are_recorded_in_the_audit_trail(client, tenant, data):
    auditor = await tenant.headers("auditor")
    await client.get(f"{EXPORTS}/measurements", params={"format": "ndjson"}, headers=auditor)
    events = (
        await client.get(
            "/api/v1/audit-events", params={"entity_type": "export"}, headers=tenant.admin
        )
    ).json()["items"]
    assert [(e["entity_id"], e["action"], e["after"]["format"]) for e in events] == [
        ("measurements", "export", "ndjson")
    ]
    assert events[0]["actor"].startswith("api_key:")


async def test_audit_trail_export_needs_audit_permission(client, tenant, data):
    viewer = await tenant.headers("viewer")
    assert (await client.get(f"{EXPORTS}/audit-events", headers=viewer)).status_code == 403
    auditor = await tenant.headers("auditor")
    response = await client.get(
        f"{EXPORTS}/audit-events", params={"format": "json"}, headers=auditor
    )
    rows = response.json()["rows"]
    assert {r["entity_type"] for r in rows} >= {"org_unit", "indicator", "measurement"}


async def test_scorecard_export_needs_a_period(client, tenant, data):
    missing = await client.get(f"{EXPORTS}/scorecard", headers=tenant.admin)
    assert missing.status_code == 422
    ok = await client.get(
        f"{EXPORTS}/scorecard", params={"period": "2023-03", "format": "json"}, headers=tenant.admin
    )
    assert ok.status_code == 200
    assert ok.json()["rows"] == []


async def test_exports_are_scoped_to_the_municipality(client, tenant, other_tenant, data):
    document = (
        await client.get(
            f"{EXPORTS}/measurements", params={"format": "json"}, headers=other_tenant.admin
        )
    ).json()
    assert document["rows"] == []


async def test_memory_stays_flat_while_streaming_a_large_export(app, client, tenant, data):
    """20 000 generated rows: the streamed CSV is ~2 MB; the process must not hold it all."""
    from sqlalchemy import insert

    from app.db import uuid7
    from app.measurements.models import Measurement, MeasurementVersion
    from app.orgunits.models import OrgUnit

    now = datetime.now(UTC)
    mid, iid = tenant.municipality_id, uuid.UUID(data["indicator"]["id"])
    small, large = uuid7(), uuid7()
    parents = [
        {
            "id": p,
            "municipality_id": mid,
            "kind": "area",
            "code": code,
            "name": code,
            "valid_from": date(1940, 1, 1),
            "created_at": now,
            "updated_at": now,
        }
        for p, code in ((small, "SMALL"), (large, "LARGE"))
    ]
    units = [
        {
            "id": uuid7(),
            "municipality_id": mid,
            "kind": "unit",
            "code": f"GEN{i:02d}",
            "name": f"GEN{i:02d}",
            "valid_from": date(1940, 1, 1),
            "created_at": now,
            "updated_at": now,
            "parent_id": small if i < 5 else large,
        }
        for i in range(25)
    ]
    measurements, versions = [], []
    for unit in units:
        for year in range(1940, 2023):
            for month in range(1, 13):
                key, version = uuid7(), uuid7()
                measurements.append(
                    {
                        "id": key,
                        "municipality_id": mid,
                        "indicator_id": iid,
                        "org_unit_id": unit["id"],
                        "period": f"{year}-{month:02d}",
                        "period_start": date(year, month, 1),
                        "period_end": date(year, month, 28),
                        "gender": "total",
                        "created_at": now,
                        "current_version_id": version,
                    }
                )
                versions.append(
                    {
                        "id": version,
                        "municipality_id": mid,
                        "measurement_id": key,
                        "value": 12.5,
                        "status": "final",
                        "deleted": False,
                        "recorded_by": "gen",
                        "sys_from": datetime(2020, 1, 1, tzinfo=UTC),
                    }
                )
    async with app.state.db.session(system=True) as session:
        await session.execute(insert(OrgUnit), parents)
        await session.execute(insert(OrgUnit), units)
        await session.execute(insert(Measurement), measurements)
        await session.execute(insert(MeasurementVersion), versions)
    assert len(measurements) == 24_900
    # Consume the stream the way the response does, discarding chunks as a socket would.
    # (httpx's in-process transport buffers whole bodies, so it cannot show streaming.)
    from app.auth.deps import system_ctx
    from app.exports.formats import CsvOptions, ExportFormat
    from app.exports.kinds import KINDS, ExportQuery
    from app.exports.service import ExportStream

    async def measure(query):
        size = 0
        async with app.state.db.sessionmaker() as session:
            ctx = system_ctx(session, tenant.municipality_id, tenant.code)
            stream = ExportStream(ctx, KINDS["measurements"], ExportFormat.CSV, query, CsvOptions())
            tracemalloc.start()
            async for chunk in stream:
                size += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        return stream.row_count, size, peak

    as_of = datetime.now(UTC)
    # Five units' rows and twenty units' rows through the same query; each runs once first so
    # caches (compiled statements and the like) do not count as growth.
    small_query = ExportQuery(as_of=as_of, subtree_of=small)
    large_query = ExportQuery(as_of=as_of, subtree_of=large)
    await measure(small_query)
    await measure(large_query)
    small_rows, small_size, small_peak = await measure(small_query)
    rows, size, peak = await measure(large_query)
    assert (small_rows, rows) == (4_980, 19_920)
    assert size > 2_000_000
    # Four times the rows: holding the export (rows or bytes) would grow the peak by at least
    # the extra bytes, and by several times that for the row objects. Streaming holds one batch.
    assert peak - small_peak < size - small_size


async def test_deviation_statistics_export(client, tenant, data):
    for category, day in (
        ("routine", "2019-03-01"),
        ("routine", "2019-04-02"),
        ("information", "2020-02-03"),
    ):
        await report_deviation(client, tenant.admin, data["unit"]["id"], day, category)
    response = await client.get(
        f"{EXPORTS}/deviation-statistics",
        params=[("format", "json"), ("group_by", "category")],
        headers=tenant.admin,
    )
    rows = response.json()["rows"]
    assert [(r["category"], r["count"], r["open"]) for r in rows] == [
        ("information", 1, 1),
        ("routine", 2, 2),
        (None, 3, 3),
    ]
    # The resource's own filters: only routine deviations, the unit named as org_unit_id.
    routine = await client.get(
        f"{EXPORTS}/deviation-statistics",
        params={"format": "json", "category": "routine", "org_unit_id": data["unit"]["id"]},
        headers=tenant.admin,
    )
    assert routine.json()["rows"][-1]["count"] == 2


async def test_ivo_report_export_needs_a_quarter(client, tenant, data):
    assert (await client.get(f"{EXPORTS}/ivo-report", headers=tenant.admin)).status_code == 422
    response = await client.get(
        f"{EXPORTS}/ivo-report",
        params={"quarter": "2019-Q4", "format": "json"},
        headers=tenant.admin,
    )
    assert response.status_code == 200
    totals = [r for r in response.json()["rows"] if r["kind"] is None]
    assert [r["total"] for r in totals] == [0]


async def test_placement_follow_up_export(client, tenant, data):
    missing = await client.get(f"{EXPORTS}/placement-follow-up", headers=tenant.admin)
    assert missing.status_code == 422
    response = await client.get(
        f"{EXPORTS}/placement-follow-up",
        params={"period": "2023-06", "format": "json"},
        headers=tenant.admin,
    )
    assert response.status_code == 200
    total = response.json()["rows"][-1]
    # No placement data at all in 2023: the total is no_data, its care days unknown, not 0.
    assert (total["category_code"], total["care_days"], total["status"]) == (None, None, "no_data")


async def test_budget_follow_up_export(client, tenant, data):
    unit = data["unit"]["id"]
    # 12 × 1 000 budgeted for purchased services, 2 600 spent by February: budget to date 2 000.
    rows = [
        {
            "org_unit_id": unit,
            "category_code": "COST-PURCHASED",
            "period": f"2023-{m:02d}",
            "scenario": "budget",
            "amount": 1000,
        }
        for m in range(1, 13)
    ]
    rows += [
        {
            "org_unit_id": unit,
            "category_code": "COST-PURCHASED",
            "period": "2023-01",
            "scenario": "outcome",
            "amount": 900,
        },
        {
            "org_unit_id": unit,
            "category_code": "COST-PURCHASED",
            "period": "2023-02",
            "scenario": "outcome",
            "amount": 1700,
        },
    ]
    landed = await client.post("/api/v1/budget-lines/batch", json=rows, headers=tenant.admin)
    assert landed.status_code == 200, landed.text
    missing = await client.get(
        f"{EXPORTS}/budget-follow-up", params={"period": "2023-02"}, headers=tenant.admin
    )
    assert missing.status_code == 422
    response = await client.get(
        f"{EXPORTS}/budget-follow-up",
        params={"period": "2023-02", "org_unit_id": unit, "format": "json"},
        headers=tenant.admin,
    )
    lines = {(r["row"], r["category_code"]): r for r in response.json()["rows"]}
    purchased = lines[("cost", "COST-PURCHASED")]
    assert (
        purchased["budget_sek"],
        purchased["budget_to_date_sek"],
        purchased["outcome_to_date_sek"],
    ) == (12000, 2000, 2600)
    assert purchased["deviation_sek"] == -600  # cost: budget − outcome
    assert lines[("net", None)]["row"] == "net"


async def test_deviation_statistics_export_by_year_and_an_unknown_dimension(client, tenant, data):
    await report_deviation(client, tenant.admin, data["unit"]["id"], "2019-03-01")
    by_year = await client.get(
        f"{EXPORTS}/deviation-statistics",
        params=[("format", "json"), ("group_by", "year")],
        headers=tenant.admin,
    )
    assert [(r["period"], r["count"]) for r in by_year.json()["rows"]] == [("2019", 1), (None, 1)]
    # Not asked: by year, as the statistics resource; never one ungrouped row and its twin total.
    unasked = await client.get(
        f"{EXPORTS}/deviation-statistics", params={"format": "json"}, headers=tenant.admin
    )
    assert [(r["period"], r["count"]) for r in unasked.json()["rows"]] == [("2019", 1), (None, 1)]
    unknown = await client.get(
        f"{EXPORTS}/deviation-statistics", params={"group_by": "period"}, headers=tenant.admin
    )
    assert unknown.status_code == 422


async def test_the_export_takes_the_filters_of_the_resource_it_exports(client, tenant, data):
    rows = [
        {
            "indicator_code": "SN-4.1.2",
            "org_unit_code": "SKÅ",
            "period": f"2023-{month}",
            "value": value,
            "source_system": "Procapita",
            "status": "preliminary",
        }
        for month, value in (("04", "12"), ("05", "11.5"))
    ]
    landed = await client.post("/api/v1/measurements/batch", json=rows, headers=tenant.admin)
    assert landed.status_code == 200, landed.text
    batch_id = landed.json()["batch_id"]
    by_source = await client.get(
        f"{EXPORTS}/measurements",
        params={"format": "json", "source_system": "Procapita", "status": "preliminary"},
        headers=tenant.admin,
    )
    assert [(r["period"], r["value"]) for r in by_source.json()["rows"]] == [
        ("2023-04", 12),
        ("2023-05", 11.5),
    ]
    # By codes, as batch rows name them: a second office's value stays out.
    office = {
        "code": "SKB",
        "name": "Socialkontoret B",
        "kind": "office",
        "valid_from": "2019-01-01",
    }
    assert (
        await client.post("/api/v1/org-units", json=office, headers=tenant.admin)
    ).status_code == 201
    other = {**rows[0], "org_unit_code": "SKB"}
    assert (
        await client.post("/api/v1/measurements/batch", json=[other], headers=tenant.admin)
    ).status_code == 200
    by_code = await client.get(
        f"{EXPORTS}/measurements",
        params={"format": "json", "indicator_code": "SN-4.1.2", "org_unit_code": "SKÅ"},
        headers=tenant.admin,
    )
    everything = await client.get(
        f"{EXPORTS}/measurements", params={"format": "json"}, headers=tenant.admin
    )
    pairs = [(r["indicator_code"], r["org_unit_code"]) for r in everything.json()["rows"]]
    assert len(set(pairs)) > 1  # the filter has something to leave out
    assert [(r["indicator_code"], r["org_unit_code"]) for r in by_code.json()["rows"]] == [
        pair for pair in pairs if pair == ("SN-4.1.2", "SKÅ")
    ]
    # The audit trail's export, filtered as GET /audit-events is: a batch is one event (issue
    # 18; what it changed value by value is GET /import-batches/{id}/changes).
    by_batch = await client.get(
        f"{EXPORTS}/audit-events",
        params={"format": "json", "batch_id": batch_id, "action": "import"},
        headers=tenant.admin,
    )
    changed = by_batch.json()["rows"]
    assert [(r["entity_type"], r["batch_id"]) for r in changed] == [("import_batch", batch_id)]
    none = await client.get(
        f"{EXPORTS}/audit-events",
        params={"format": "json", "batch_id": batch_id, "action": "delete"},
        headers=tenant.admin,
    )
    assert none.json()["rows"] == []


async def test_the_as_of_header_pastes_into_a_url_and_names_a_portable_file(client, tenant, data):
    first = await client.get(f"{EXPORTS}/measurements?format=csv", headers=tenant.admin)
    as_of = first.headers["x-export-as-of"]
    assert as_of.endswith("Z")
    assert "+" not in as_of
    # Pasted as it is, not URL-encoded: the same export again.
    again = await client.get(
        f"{EXPORTS}/measurements?format=csv&as_of={as_of}", headers=tenant.admin
    )
    assert again.status_code == 200, again.text
    assert again.content == first.content
    disposition = first.headers["content-disposition"]
    stamp = as_of[:19].replace("-", "").replace(":", "")
    assert disposition == f'attachment; filename="styrkort-measurements-{stamp}Z.csv"'


# Each kind takes the filters of its resource and nothing else (issue 21, point 1): what the
# budget follow-up export was seen to accept, ignore and echo back, and one more per kind.
FOREIGN_FILTERS = [
    ("budget-follow-up", "indicator_code", "XYZ"),
    ("budget-follow-up", "quarter", "2019-Q4"),
    ("budget-follow-up", "lex_sarah", "true"),
    ("measurements", "quarter", "2019-Q4"),
    ("measurements", "group_by", "year"),
    ("scorecard", "gender", "women"),
    ("audit-events", "period", "2023"),
    ("ivo-report", "org_unit_id", "01a241d6-591a-7000-b223-4f2b4adc52a3"),
    ("deviation-statistics", "indicator_id", "01a241d6-591a-7000-b223-4f2b4adc52a3"),
    ("placement-follow-up", "group_by", "org_unit"),
    ("placement-follow-up", "depth", "2"),
]


@pytest.mark.parametrize(("kind", "name", "value"), FOREIGN_FILTERS)
async def test_every_export_kind_refuses_a_filter_its_resource_does_not_take(
    client, tenant, data, kind, name, value
):
    params = {
        "format": "json",
        "org_unit_id": data["unit"]["id"],
        "period": "2023-02",
        "quarter": "2019-Q4",
        name: value,
    }
    own = {
        "budget-follow-up": {"org_unit_id", "period"},
        "measurements": set(),
        "scorecard": {"period"},
        "audit-events": set(),
        "ivo-report": {"quarter"},
        "deviation-statistics": set(),
        "placement-follow-up": {"period"},
    }[kind]
    params = {k: v for k, v in params.items() if k in own or k in {"format", name}}
    for path in (f"{EXPORTS}/{kind}", f"{EXPORTS}/{kind}/manifest"):
        response = await client.get(path, params=params, headers=tenant.admin)
        assert response.status_code == 422, (path, response.text)
        problem = response.json()
        assert problem["errors"] == [
            {
                "field": f"query.{name}",
                "code": "unknown_parameter",
                "message": problem["errors"][0]["message"],
            }
        ]
        if len(value) > 2:
            assert value not in response.text


async def test_the_budget_export_refuses_a_grouping_its_resource_does_not_take(
    client, tenant, data
):
    response = await client.get(
        f"{EXPORTS}/budget-follow-up",
        params={"org_unit_id": data["unit"]["id"], "period": "2023-02", "group_by": "category"},
        headers=tenant.admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.group_by"


async def test_the_placement_export_takes_the_resources_tolerance(client, tenant, data):
    ok = await client.get(
        f"{EXPORTS}/placement-follow-up",
        params={"period": "2023-06", "tolerance": "0.02", "format": "json"},
        headers=tenant.admin,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["query"]["tolerance"] == "0.02"
    too_large = await client.get(
        f"{EXPORTS}/placement-follow-up",
        params={"period": "2023-06", "tolerance": "2"},
        headers=tenant.admin,
    )
    assert too_large.status_code == 422


async def test_xlsx_timestamps_are_utc_and_say_so(client, tenant, data):
    """Issue 19: an XLSX time cell was unlabeled. It holds UTC (as the CSV's and JSON's
    timestamps do) and every such cell shows "UTC"."""
    xlsx = await client.get(
        f"{EXPORTS}/measurements", params={"format": "xlsx"}, headers=tenant.admin
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["Measurements"]
    recorded = sheet.cell(row=2, column=12)
    assert sheet.cell(row=1, column=12).value == "recorded_at"
    assert recorded.number_format.endswith('"UTC"')
    rows = (
        await client.get(f"{EXPORTS}/measurements", params={"format": "json"}, headers=tenant.admin)
    ).json()["rows"]
    as_json = datetime.fromisoformat(rows[0]["recorded_at"])
    offset = as_json.utcoffset()
    assert offset is not None
    assert offset.total_seconds() == 0
    assert recorded.value == as_json.replace(tzinfo=None, microsecond=recorded.value.microsecond)
