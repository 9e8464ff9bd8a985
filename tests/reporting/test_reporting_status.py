"""GET /api/v1/reporting-status on a worked example, every figure counted by hand.

Organisation: SN (committee) → AF, BOU, OLD (areas; OLD closed 2023-01-31).

Indicators, all valid 2023:
* HR-SJUK — monthly, source HR, due the 10th of the next month (the default), split by gender;
* EK-KOST — tertial, source ERP, due the 20th of the next month;
* SN-SAMTAL — monthly, self-reported, measured by a goal SN owns; nobody has reported it;
* KOL-NKI — yearly, source Kolada (AF reported 2022).

Arrivals (system time, set by hand after the writes):

    HR-SJUK  AF  2023-01  women 2023-02-08, men 2023-02-12   due 02-10  on time (first: 02-08)
             AF  2023-02  2023-03-10 23:59                    due 03-10  on time
             AF  2023-03  2023-04-11 00:00, corrected 04-12   due 04-10  late (first counts)
             AF  2023-04  2023-05-09                          due 05-10  on time
             BOU 2023-01  2023-02-10                          on time
             BOU 2023-02  2023-03-05                          on time
             BOU 2023-03  2023-04-20                          late
             BOU 2023-04  2023-05-09, deleted 2023-05-11      overdue after 05-11
             OLD 2023-01  2023-02-01                          on time (OLD expects January only)
    EK-KOST  AF  2023-T1  2023-05-25                          due 05-20  late
             BOU 2022-T3  2023-01-15 (makes BOU expected)     BOU 2023-T1 missing: overdue
    SN-SAMTAL SN 2023-01..04 nothing                          4 overdue (goal owner)
    KOL-NKI  AF  2022     2023-03-01                          the year 2023 is not over: none

As of 2023-05-31T12:00Z, period 2023-T1:
  HR 9 expected: 6 on time, 2 late, 1 overdue → 8/9 = 0.8889, on time 6/9 = 0.6667
  ERP 2 expected: 1 late, 1 overdue → 0.5, on time 0
  Egen-kontroll 4 expected, 4 overdue → 0
  total 15: 6 on time, 3 late, 6 overdue → 9/15 = 0.6, on time 6/15 = 0.4
  AF 5 (HR 4 + ERP 1): 3 on time, 2 late → 1, 0.6; BOU 5: 2 on time, 1 late, 2 overdue → 0.6,
  0.4; OLD 1 on time → 1; SN 4 overdue → 0.
"""

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from app.measurements.models import Measurement, MeasurementVersion

URL = "/api/v1/reporting-status"


async def _post(client, headers, path, body, expected=201):
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == expected, response.text
    return response.json()


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (indicator, unit, period, gender) → the system times of its versions, in order; "DELETE" marks
# a deletion version.
ARRIVALS: dict[tuple[str, str, str, str], list[str]] = {
    ("HR-SJUK", "AF", "2023-01", "women"): ["2023-02-08T09:00"],
    ("HR-SJUK", "AF", "2023-01", "men"): ["2023-02-12T09:00"],
    ("HR-SJUK", "AF", "2023-02", "total"): ["2023-03-10T23:59"],
    ("HR-SJUK", "AF", "2023-03", "total"): ["2023-04-11T00:00", "2023-04-12T08:00"],
    ("HR-SJUK", "AF", "2023-04", "total"): ["2023-05-09T07:00"],
    ("HR-SJUK", "BOU", "2023-01", "total"): ["2023-02-10T12:00"],
    ("HR-SJUK", "BOU", "2023-02", "total"): ["2023-03-05T12:00"],
    ("HR-SJUK", "BOU", "2023-03", "total"): ["2023-04-20T12:00"],
    ("HR-SJUK", "BOU", "2023-04", "total"): ["2023-05-09T12:00", "DELETE 2023-05-11T08:00"],
    ("HR-SJUK", "OLD", "2023-01", "total"): ["2023-02-01T12:00"],
    ("EK-KOST", "AF", "2023-T1", "total"): ["2023-05-25T12:00"],
    ("EK-KOST", "BOU", "2022-T3", "total"): ["2023-01-15T12:00"],
    ("KOL-NKI", "AF", "2022", "total"): ["2023-03-01T12:00"],
}
SOURCE = {"HR-SJUK": "Heroma", "EK-KOST": "Raindance", "KOL-NKI": "Kolada"}


@pytest.fixture
async def example(app, client, tenant) -> dict[str, Any]:
    h = tenant.admin
    units: dict[str, Any] = {}
    for code, parent, valid_to in (
        ("SN", None, None),
        ("AF", "SN", None),
        ("BOU", "SN", None),
        ("OLD", "SN", "2023-01-31"),
    ):
        body: dict[str, Any] = {
            "code": code,
            "name": f"Enhet {code}",
            "kind": "committee" if parent is None else "area",
            "valid_from": "2020-01-01",
        }
        if parent:
            body["parent_id"] = units[parent]["id"]
        if valid_to:
            body["valid_to"] = valid_to
        units[code] = await _post(client, h, "/api/v1/org-units", body)
    indicators: dict[str, Any] = {}
    for code, periodicity, source, extra in (
        ("HR-SJUK", "month", "HR", {"gender_split": True}),
        ("EK-KOST", "tertial", "ERP", {"report_due_day": 20}),
        ("SN-SAMTAL", "month", "Egen-kontroll", {}),
        ("KOL-NKI", "year", "Kolada", {}),
    ):
        indicators[code] = await _post(
            client,
            h,
            "/api/v1/indicators",
            {
                "code": code,
                "title": f"Indikator {code}",
                "unit": "count",
                "polarity": "higher_is_better",
                "periodicity": periodicity,
                "aggregation": "sum",
                "source": source,
                "valid_from_year": 2022,
                **extra,
            },
        )
    await _post(
        client,
        h,
        "/api/v1/goals",
        {
            "level": "committee",
            "code": "1.1",
            "title": "Fler stödsamtal",
            "owner_id": units["SN"]["id"],
            "valid_from_year": 2023,
            "valid_to_year": 2025,
            "indicators": [{"indicator_id": indicators["SN-SAMTAL"]["id"]}],
        },
    )
    for (indicator, unit, period, gender), times in ARRIVALS.items():
        body = {
            "indicator_code": indicator,
            "org_unit_code": unit,
            "period": period,
            "gender": gender,
            "source_system": SOURCE[indicator],
        }
        written = None
        for n, moment in enumerate(times):
            if moment.startswith("DELETE"):
                response = await client.delete(f"/api/v1/measurements/{written}", headers=h)
                assert response.status_code == 204, response.text
                continue
            response = await client.put(
                "/api/v1/measurements", json={**body, "value": n + 1}, headers=h
            )
            assert response.status_code in (200, 201), response.text
            written = response.json()["id"]
    await _backdate(app, tenant, units, indicators)
    return {"units": units, "indicators": indicators}


async def _backdate(app, tenant, units, indicators) -> None:
    """Give each version the system time of ARRIVALS (the writes happened just now)."""
    unit_ids = {unit["id"]: code for code, unit in units.items()}
    indicator_ids = {indicator["id"]: code for code, indicator in indicators.items()}
    async with app.state.db.session(tenant_id=tenant.municipality_id) as session:
        rows = (
            await session.execute(
                select(Measurement, MeasurementVersion)
                .join(MeasurementVersion, MeasurementVersion.measurement_id == Measurement.id)
                .order_by(MeasurementVersion.sys_from)
            )
        ).all()
        versions: dict[tuple[str, str, str, str], list[MeasurementVersion]] = {}
        for measurement, version in rows:
            key = (
                indicator_ids[str(measurement.indicator_id)],
                unit_ids[str(measurement.org_unit_id)],
                measurement.period,
                measurement.gender,
            )
            versions.setdefault(key, []).append(version)
        for key, times in ARRIVALS.items():
            moments = [_t(moment.removeprefix("DELETE ")) for moment in times]
            chain = versions[key]
            assert len(chain) == len(moments)
            for n, version in enumerate(chain):
                version.sys_from = moments[n]
                version.sys_to = moments[n + 1] if n + 1 < len(moments) else None
        await session.commit()


def _counts(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        row["expected"],
        row["arrived"],
        row["on_time"],
        row["late"],
        row["overdue"],
        row["pending"],
        row["share_complete"],
        row["share_on_time"],
    )


async def _status(client, headers, **params) -> dict[str, Any]:
    response = await client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_worked_example_after_the_first_tertial(client, tenant, example):
    body = await _status(client, tenant.admin, period="2023-T1", as_of="2023-05-31T12:00:00Z")
    assert body["period"] == "2023-T1"
    assert _counts(body["total"]) == (15, 9, 6, 3, 6, 0, 0.6, 0.4)
    assert {row["source"]: _counts(row) for row in body["by_source"]} == {
        "Egen-kontroll": (4, 0, 0, 0, 4, 0, 0, 0),
        "ERP": (2, 1, 0, 1, 1, 0, 0.5, 0),
        "HR": (9, 8, 6, 2, 1, 0, 0.8889, 0.6667),
    }
    assert [row["source"] for row in body["by_source"]] == ["ERP", "Egen-kontroll", "HR"]
    assert {row["org_unit_code"]: _counts(row) for row in body["by_org_unit"]} == {
        "AF": (5, 5, 3, 2, 0, 0, 1, 0.6),
        "BOU": (5, 3, 2, 1, 2, 0, 0.6, 0.4),
        "OLD": (1, 1, 1, 0, 0, 0, 1, 1),
        "SN": (4, 0, 0, 0, 4, 0, 0, 0),
    }
    by_indicator = {row["indicator_code"]: row for row in body["by_indicator"]}
    assert by_indicator["HR-SJUK"]["periods"] == ["2023-01", "2023-02", "2023-03", "2023-04"]
    assert by_indicator["EK-KOST"]["periods"] == ["2023-T1"]
    assert (
        by_indicator["EK-KOST"]["report_due_day"],
        by_indicator["EK-KOST"]["report_due_months"],
    ) == (20, 1)
    assert by_indicator["KOL-NKI"]["periods"] == []
    assert by_indicator["KOL-NKI"]["expected"] == 0
    assert by_indicator["KOL-NKI"]["share_complete"] is None

    cells = {(d["indicator_code"], d["org_unit_code"], d["period"]): d for d in body["deliveries"]}
    assert len(cells) == 15
    first = cells[("HR-SJUK", "AF", "2023-01")]
    assert (first["state"], first["arrived_at"], first["due"]) == (
        "on_time",
        "2023-02-08T09:00:00Z",
        "2023-02-10",
    )
    assert first["source_system"] == "Heroma"
    assert first["expected_because"] == "reported"
    corrected = cells[("HR-SJUK", "AF", "2023-03")]
    assert (corrected["state"], corrected["arrived_at"]) == ("late", "2023-04-11T00:00:00Z")
    assert cells[("HR-SJUK", "AF", "2023-02")]["state"] == "on_time"  # 23:59 on the due day
    deleted = cells[("HR-SJUK", "BOU", "2023-04")]
    assert (deleted["state"], deleted["arrived_at"]) == ("overdue", None)
    assert ("HR-SJUK", "OLD", "2023-02") not in cells  # OLD closed in January
    assert cells[("EK-KOST", "AF", "2023-T1")]["due"] == "2023-05-20"
    assert cells[("EK-KOST", "BOU", "2023-T1")]["expected_because"] == "reported"  # 2022-T3
    assert cells[("SN-SAMTAL", "SN", "2023-04")]["expected_because"] == "goal_owner"
    assert sorted(
        (d["indicator_code"], d["org_unit_code"], d["period"]) for d in body["overdue"]
    ) == [
        ("EK-KOST", "BOU", "2023-T1"),
        ("HR-SJUK", "BOU", "2023-04"),
        ("SN-SAMTAL", "SN", "2023-01"),
        ("SN-SAMTAL", "SN", "2023-02"),
        ("SN-SAMTAL", "SN", "2023-03"),
        ("SN-SAMTAL", "SN", "2023-04"),
    ]


async def test_as_it_stood_in_april(client, tenant, example):
    """As of 2023-04-15: months 01–03 are over (April is not); BOU's March arrived on the 20th,
    so on the 15th it is overdue; AF's March (first version 04-11) is late. SN-SAMTAL: 3
    overdue. EK-KOST's T1 is not over. HR 7 = AF 3 (2 on time, 1 late) + BOU 3 (2 on time, 1
    overdue) + OLD 1 on time."""
    body = await _status(client, tenant.admin, period="2023-T1", as_of="2023-04-15T00:00:00Z")
    sources = {row["source"]: _counts(row) for row in body["by_source"]}
    assert sources == {
        "Egen-kontroll": (3, 0, 0, 0, 3, 0, 0, 0),
        "HR": (7, 6, 5, 1, 1, 0, 0.8571, 0.7143),
    }
    assert _counts(body["total"]) == (10, 6, 5, 1, 4, 0, 0.6, 0.5)


async def test_a_period_not_yet_due_is_pending(client, tenant, example):
    """As of 2023-05-10T12:00 the April values are due at the end of the day: BOU's April
    (arrived 05-09, deleted only on the 11th) is on time; SN's April is pending."""
    body = await _status(client, tenant.admin, period="2023-04", as_of="2023-05-10T12:00:00Z")
    cells = {(d["indicator_code"], d["org_unit_code"], d["period"]): d for d in body["deliveries"]}
    assert cells[("HR-SJUK", "BOU", "2023-04")]["state"] == "on_time"
    assert cells[("SN-SAMTAL", "SN", "2023-04")]["state"] == "pending"
    assert cells[("SN-SAMTAL", "SN", "2023-03")]["state"] == "overdue"
    # period 2023-04 asks up to April's end: tertial T1 ends then too, and is not due until 05-20.
    assert cells[("EK-KOST", "BOU", "2023-T1")]["state"] == "pending"


async def test_filters_by_source_and_subtree(client, tenant, example):
    hr = await _status(
        client, tenant.admin, period="2023-T1", as_of="2023-05-31T12:00:00Z", source="HR"
    )
    assert [row["source"] for row in hr["by_source"]] == ["HR"]
    assert _counts(hr["total"]) == (9, 8, 6, 2, 1, 0, 0.8889, 0.6667)
    bou = await _status(
        client,
        tenant.admin,
        period="2023-T1",
        as_of="2023-05-31T12:00:00Z",
        org_unit_id=example["units"]["BOU"]["id"],
    )
    assert [row["org_unit_code"] for row in bou["by_org_unit"]] == ["BOU"]
    assert _counts(bou["total"]) == (5, 3, 2, 1, 2, 0, 0.6, 0.4)


async def test_tenancy(client, tenant, other_tenant, example):
    theirs = await _status(
        client, other_tenant.admin, period="2023-T1", as_of="2023-05-31T12:00:00Z"
    )
    assert theirs["total"]["expected"] == 0
    assert theirs["deliveries"] == []
    response = await client.get(
        URL,
        params={"period": "2023-T1", "org_unit_id": example["units"]["AF"]["id"]},
        headers=other_tenant.admin,
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({}, "query.period", "missing"),
        ({"period": "2023-T4"}, "query.period", "period_format"),
        ({"period": "2023", "as_of": "yesterday"}, "query.as_of", "datetime_format"),
        ({"period": "2023", "group_by": "unit"}, "query.group_by", "unknown_parameter"),
    ],
)
async def test_refuses_what_it_cannot_read(client, tenant, params, field, code):
    response = await client.get(URL, params=params, headers=tenant.admin)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]


async def test_readers_only(client, tenant):
    viewer = await tenant.headers("viewer")
    assert (await client.get(URL, params={"period": "2023"}, headers=viewer)).status_code == 200
    assert (await client.get(URL, params={"period": "2023"})).status_code == 401


async def test_due_rule_is_an_indicator_setting(client, tenant):
    base = {
        "code": "X-1",
        "title": "X",
        "unit": "count",
        "polarity": "higher_is_better",
        "periodicity": "month",
        "aggregation": "sum",
        "valid_from_year": 2023,
    }
    created = await _post(client, tenant.admin, "/api/v1/indicators", base)
    assert (created["report_due_day"], created["report_due_months"]) == (10, 1)
    response = await client.post(
        "/api/v1/indicators",
        json={**base, "code": "X-2", "report_due_day": 32},
        headers=tenant.admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.report_due_day"
    response = await client.patch(
        f"/api/v1/indicators/{created['id']}",
        json={"report_due_day": 15, "report_due_months": 2},
        headers=tenant.admin,
    )
    assert response.status_code == 200, response.text
    assert (response.json()["report_due_day"], response.json()["report_due_months"]) == (15, 2)


@pytest.mark.parametrize("period", ["1900", "2999-12"])
async def test_the_first_and_last_years_answer(client, tenant, example, period):
    """The history window reaches back a year: 1900 must not step outside the period range."""
    body = await _status(client, tenant.admin, period=period)
    assert body["period"] == period
