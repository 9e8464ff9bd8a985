"""Indicators coloured by quartile among a benchmark group (DOMAIN §11), end to end.

The group and values are seed 001 §7's, as in tests/benchmarks/kolada.py: Gotland 90, Hässleholm
80, Karlskrona 78, Mölndal 84, Norrtälje 72, Skellefteå 78, Sollentuna 85; mean 81, median 80.
By hand, with the own municipality at 82 among the 8 ranked:
* higher is better: 90, 85, 84, then 82 → rank 4; quartile ceil(4·4/8) = 2 → yellow;
* lower is better: 72, 78, 78, 80, then 82 → rank 5; quartile ceil(4·5/8) = 3 → yellow.
At 91 the own value is the best (rank 1, quartile 1, green) when higher is better and the worst
(rank 8, quartile 4, red) when lower is better.
"""

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.benchmarks.kolada import BASE, KPI, group_body, v3_page


async def _ok(response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json()


def indicator_body(code: str, polarity: str, group_id: str | None, **extra: Any) -> dict[str, Any]:
    body = {
        "code": code,
        "title": f"Återaktualiseringar {code}",
        "unit": "percent",
        "polarity": polarity,
        "periodicity": "year",
        "aggregation": "last",
        "valid_from_year": 2019,
        "kolada_kpi": KPI,
        "colour_mode": "quartile",
        "benchmark_group_id": group_id,
    }
    return {**body, **extra}


@pytest.fixture
async def plan(client, tenant) -> dict[str, Any]:
    h = tenant.admin
    sn = await _ok(
        await client.post(
            "/api/v1/org-units",
            json={
                "code": "SN",
                "name": "Socialnämnden",
                "kind": "committee",
                "valid_from": "2019-01-01",
            },
            headers=h,
        ),
        201,
    )
    group = await _ok(await client.post(f"{BASE}/groups", json=group_body(), headers=h), 201)
    ids = {}
    for code, polarity, kpi in (
        ("HI", "higher_is_better", KPI),
        ("LO", "lower_is_better", KPI),
        ("UNPUBLISHED", "higher_is_better", "U31402"),
    ):
        body = indicator_body(code, polarity, group["id"], kolada_kpi=kpi)
        ids[code] = (await _ok(await client.post("/api/v1/indicators", json=body, headers=h), 201))[
            "id"
        ]
    # A target the quartile colour must ignore: 70 against "at least 95" would be red.
    await _ok(
        await client.put(
            f"/api/v1/indicators/{ids['HI']}/targets/2020",
            json={"kind": "at_least", "value": 95},
            headers=h,
        ),
        201,
    )
    for period, value in (("2019", 60), ("2020", 70)):
        body = {
            "indicator_id": ids["HI"],
            "org_unit_id": sn["id"],
            "period": period,
            "value": value,
        }
        assert (await client.put("/api/v1/measurements", json=body, headers=h)).status_code == 201
    await _ok(
        await client.post(
            "/api/v1/goals",
            json={
                "level": "committee",
                "code": "1",
                "title": "Barn och unga ska inte återaktualiseras",
                "owner_id": sn["id"],
                "valid_from_year": 2019,
                "valid_to_year": 2021,
                "rule": {"kind": "share_of_indicators", "threshold": 0.5},
                "indicators": [{"indicator_id": ids[c]} for c in ("HI", "LO", "UNPUBLISHED")],
            },
            headers=h,
        ),
        201,
    )
    await _ok(await client.post(f"{BASE}/kolada", json=v3_page(tenant.code, 82, 2019), headers=h))
    return {"sn": sn["id"], "group": group, **ids}


async def scorecard(client, tenant, plan, **params: Any) -> dict[str, dict[str, Any]]:
    card = await _ok(
        await client.get(
            "/api/v1/scorecard",
            params={"org_unit_id": plan["sn"], "period": "2020", **params},
            headers=tenant.admin,
        )
    )
    return {i["code"]: i for i in card["tree"][0]["indicators"]}


async def test_coloured_by_quartile_of_the_latest_kolada_year(client, tenant, plan):
    by_code = await scorecard(client, tenant, plan)
    hi, lo = by_code["HI"], by_code["LO"]
    assert (hi["status"], lo["status"]) == ("yellow", "yellow")
    assert hi["explanation"]["rule"] == "quartile"
    assert hi["explanation"]["actual"] == 82  # the own Kolada value, not the measured 70
    assert hi["explanation"]["target"] is None
    assert hi["explanation"]["benchmark"] == {
        "group_id": plan["group"]["id"],
        "group": "Liknande kommuner IFO",
        "kpi": KPI,
        "year": 2019,  # 2020 is not published yet: the latest year with an own value
        "rank": 4,
        "ranked": 8,
        "quartile": 2,
        "mean": 81,
        "median": 80,
    }
    assert hi["explanation"]["summary"].startswith(
        "Yellow: in the middle half among Liknande kommuner IFO, Kolada 2019: "
    )
    assert "best: Gotland (90), Sollentuna (85)" in hi["explanation"]["summary"]
    assert (lo["explanation"]["benchmark"]["rank"], lo["explanation"]["benchmark"]["quartile"]) == (
        5,
        3,
    )
    assert hi["trend"] == "improving"  # still from the measurements: 60 in 2019, 70 in 2020


async def test_no_own_kolada_value_is_no_data(client, tenant, plan):
    unpublished = (await scorecard(client, tenant, plan))["UNPUBLISHED"]
    assert unpublished["status"] == "no_data"
    assert unpublished["explanation"]["summary"] == (
        "No data: no own Kolada value up to 2020 to place among Liknande kommuner IFO"
    )
    assert unpublished["explanation"]["benchmark"]["year"] is None


async def test_a_newer_year_moves_the_colour_and_as_of_reproduces_the_old_one(client, tenant, plan):
    before = datetime.now(UTC).isoformat()
    page = v3_page(tenant.code, 91, 2020)
    await _ok(await client.post(f"{BASE}/kolada", json=page, headers=tenant.admin))
    now = await scorecard(client, tenant, plan)
    assert (now["HI"]["status"], now["HI"]["explanation"]["benchmark"]["rank"]) == ("green", 1)
    assert (now["LO"]["status"], now["LO"]["explanation"]["benchmark"]["quartile"]) == ("red", 4)
    assert now["HI"]["explanation"]["benchmark"]["year"] == 2020
    then = await scorecard(client, tenant, plan, as_of=before)
    assert (then["HI"]["status"], then["HI"]["explanation"]["benchmark"]["year"]) == (
        "yellow",
        2019,
    )


async def test_the_single_indicator_status_is_coloured_the_same_way(client, tenant, plan):
    status = await _ok(
        await client.get(
            f"/api/v1/indicators/{plan['LO']}/status",
            params={"org_unit_id": plan["sn"], "period": "2020"},
            headers=tenant.admin,
        )
    )
    assert (status["status"], status["explanation"]["benchmark"]["rank"]) == ("yellow", 5)


async def test_back_to_target_mode_the_target_decides(client, tenant, plan):
    await _ok(
        await client.patch(
            f"/api/v1/indicators/{plan['HI']}", json={"colour_mode": "target"}, headers=tenant.admin
        )
    )
    hi = (await scorecard(client, tenant, plan))["HI"]
    assert (hi["status"], hi["explanation"]["rule"]) == ("red", "at_least")
    assert hi["explanation"]["benchmark"] is None


async def test_a_group_in_use_cannot_be_deleted(client, tenant, plan):
    response = await client.delete(f"{BASE}/groups/{plan['group']['id']}", headers=tenant.admin)
    assert response.status_code == 409
    assert "3 indicator(s)" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"benchmark_group_id": None}, "body.benchmark_group_id", "needed_for_quartile"),
        ({"kolada_kpi": None}, "body.kolada_kpi", "needed_for_quartile"),
        (
            {"benchmark_group_id": "0190f3a0-0000-7000-8000-000000000000"},
            "body.benchmark_group_id",
            "unknown_group",
        ),
    ],
)
async def test_quartile_mode_needs_a_kpi_and_a_group_of_ones_own(
    client, tenant, plan, change, field, code
):
    body = indicator_body("NEW", "higher_is_better", plan["group"]["id"], **change)
    created = await client.post("/api/v1/indicators", json=body, headers=tenant.admin)
    assert created.status_code == 422, created.text
    assert [(e["field"], e["code"]) for e in created.json()["errors"]] == [(field, code)]
    patched = await client.patch(
        f"/api/v1/indicators/{plan['HI']}", json=change, headers=tenant.admin
    )
    assert patched.status_code == 422, patched.text
    assert [(e["field"], e["code"]) for e in patched.json()["errors"]] == [(field, code)]


async def test_another_municipalitys_group_is_unknown(client, tenant, other_tenant, plan):
    body = indicator_body("THEIRS", "higher_is_better", plan["group"]["id"])
    response = await client.post("/api/v1/indicators", json=body, headers=other_tenant.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "unknown_group"
