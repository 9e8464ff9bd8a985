"""GET /api/v1/benchmarks/kolada-export: own outcomes in Kolada's v3 data shape.

SN → {AF, BOU}. "Hushåll med ekonomiskt bistånd per månad" (mean, monthly) is measured on the
areas: AF 10, 12, 14 and BOU 5, 5, 5 for January–March 2023, so SN's monthly sums are 15, 17, 19
and the year's outcome at SN is their mean, 17; at AF it is AF's own mean, 12. "Gruppaktiviteter"
(sum, yearly) is measured on SN only: 600 at SN, nothing at AF (a value above a unit is not its).
"""

from typing import Any

import pytest

from app.auth.permissions import Permission, Role
from tests.benchmarks.kolada import BASE, MISSING

EXPORT = f"{BASE}/kolada-export"


async def _post(client, headers, path, body) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def indicator(code, aggregation, periodicity, kpi=None, **extra):
    return {
        "code": code,
        "title": code,
        "unit": "count",
        "polarity": "lower_is_better",
        "periodicity": periodicity,
        "aggregation": aggregation,
        "valid_from_year": 2023,
        **({"kolada_kpi": kpi} if kpi else {}),
        **extra,
    }


@pytest.fixture
async def setup(client, tenant):
    h = tenant.admin
    units: dict[str, Any] = {}
    for code, kind, parent in (
        ("SN", "committee", None),
        ("AF", "area", "SN"),
        ("BOU", "area", "SN"),
    ):
        body = {"code": code, "name": code, "kind": kind, "valid_from": "2019-01-01"}
        if parent:
            body["parent_id"] = units[parent]["id"]
        units[code] = await _post(client, h, "/api/v1/org-units", body)
    households = await _post(
        client, h, "/api/v1/indicators", indicator("HUSHALL", "mean", "month", kpi="N31807")
    )
    groups = await _post(
        client,
        h,
        "/api/v1/indicators",
        indicator("GRUPP", "sum", "year", kpi="U31999", polarity="higher_is_better"),
    )
    await _post(client, h, "/api/v1/indicators", indicator("TOM", "last", "year", kpi="N00945"))
    own = await _post(client, h, "/api/v1/indicators", indicator("EGEN", "last", "year"))
    old = await _post(
        client,
        h,
        "/api/v1/indicators",
        indicator("GAMMAL", "last", "year", kpi="N00001", valid_to_year=2023),
    )
    rows = [
        (households, "AF", "2023-01", 10),
        (households, "AF", "2023-02", 12),
        (households, "AF", "2023-03", 14),
        (households, "BOU", "2023-01", 5),
        (households, "BOU", "2023-02", 5),
        (households, "BOU", "2023-03", 5),
        (households, "AF", "2022-12", 99),  # another year
        (groups, "SN", "2023", 600),
        (own, "SN", "2023", 1),  # no kolada_kpi: not exported
        (old, "SN", "2023", 3),
    ]
    for ind, unit, period, value in rows:
        response = await client.put(
            "/api/v1/measurements",
            json={
                "indicator_id": ind["id"],
                "org_unit_id": units[unit]["id"],
                "period": period,
                "value": value,
            },
            headers=h,
        )
        assert response.status_code in (200, 201), response.text
    return units


async def export(client, headers, unit, year=2023, status=200) -> dict[str, Any]:
    response = await client.get(
        EXPORT, params={"year": year, "org_unit_id": unit["id"]}, headers=headers
    )
    assert response.status_code == status, response.text
    return response.json()


async def test_the_committee_in_kolada_shape(client, tenant, setup):
    answer = await export(client, await tenant.headers(Role.VIEWER), setup["SN"])
    assert answer == {
        "count": 3,
        "values": [
            {
                "kpi": "N00001",
                "municipality": tenant.code,
                "period": 2023,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 3}],
            },
            {
                "kpi": "N31807",
                "municipality": tenant.code,
                "period": 2023,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 17}],
            },
            {
                "kpi": "U31999",
                "municipality": tenant.code,
                "period": 2023,
                "values": [{"gender": "T", "count": 1, "status": "", "value": 600}],
            },
        ],
    }


async def test_an_area_and_an_indicator_no_longer_valid(client, tenant, setup):
    answer = await export(client, tenant.admin, setup["AF"])
    assert [(v["kpi"], v["values"][0]["value"]) for v in answer["values"]] == [("N31807", 12)]
    later = await export(client, tenant.admin, setup["SN"], year=2024)
    assert later == {"count": 0, "values": []}


async def test_the_export_imports_back_as_benchmark_values(client, tenant, setup):
    answer = await export(client, tenant.admin, setup["SN"])
    response = await client.post(f"{BASE}/kolada", json=answer, headers=tenant.admin)
    assert response.status_code == 200, response.text
    summary = response.json()
    assert (summary["shape"], summary["created"], summary["missing"]) == ("v3", 3, 0)
    values = await client.get(
        f"{BASE}/values", params={"kpi": "N31807", "year": 2023}, headers=tenant.admin
    )
    [value] = values.json()["items"]
    assert (value["municipality"], value["gender"], value["value"]) == (tenant.code, "total", 17)


async def test_another_municipalitys_unit_is_404(client, tenant, other_tenant, setup):
    await export(client, other_tenant.admin, setup["SN"], status=404)
    await export(client, tenant.admin, {"id": MISSING}, status=404)


async def test_year_and_unit_are_required(client, tenant, setup):
    response = await client.get(EXPORT, headers=tenant.admin)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"query.year", "query.org_unit_id"}


async def test_an_api_key_scoped_to_benchmarks_only_may_not_read_measurements(
    client, tenant, setup
):
    scoped = await tenant.headers(Role.VIEWER, scopes=[Permission.BENCHMARKS_READ])
    response = await client.get(
        EXPORT, params={"year": 2023, "org_unit_id": setup["SN"]["id"]}, headers=scoped
    )
    assert response.status_code == 403
