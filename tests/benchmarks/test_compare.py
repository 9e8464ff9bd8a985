"""GET /api/v1/benchmarks: seed 001 §7's comparison, worked out by hand for each polarity.

The own municipality (the test tenant) has 82; the group is seed 001's "liknande kommuner IFO"
with Gotland 90 and Sollentuna 85 (the seed's best results) and the others chosen so the mean is
the seed's 81 — the same figures as tests/rules/test_benchmark_rules.py, where every rank is
derived.
"""

from typing import Any

import pytest

from app.auth.permissions import Role
from tests.benchmarks.kolada import BASE, GROUP, KPI, MISSING, group_body, gv, item, v3_page


async def _post(client, headers, path, body, status=201) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


def indicator(code: str, polarity: str, kpi: str | None = KPI) -> dict[str, Any]:
    return {
        "code": code,
        "title": "Barn och unga 0-12 år som ej återaktualiserats inom ett år, andel (%)",
        "unit": "percent",
        "polarity": polarity,
        "periodicity": "year",
        "aggregation": "last",
        "source": "Kolada",
        "valid_from_year": 2019,
        **({"kolada_kpi": kpi} if kpi else {}),
    }


@pytest.fixture
async def setup(client, tenant):
    h = tenant.admin
    made = {
        name: await _post(client, h, "/api/v1/indicators", indicator(name, polarity))
        for name, polarity in (
            ("HI", "higher_is_better"),
            ("LO", "lower_is_better"),
            ("TB", "target_is_best"),
        )
    }
    made["NONE"] = await _post(
        client, h, "/api/v1/indicators", indicator("NONE", "higher_is_better", kpi=None)
    )
    made["group"] = await _post(client, h, f"{BASE}/groups", group_body())
    await _post(client, h, f"{BASE}/kolada", v3_page(tenant.code), status=200)
    return made


async def compare(client, headers, ind, group, status=200, **params) -> dict[str, Any]:
    query = {"indicator_id": ind["id"], "year": 2019, "group_id": group["id"], **params}
    response = await client.get(BASE, params=query, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


def ranking(answer) -> list[tuple[str, int]]:
    return [(p["name"], p["rank"]) for p in answer["ranking"]]


async def test_higher_is_better_by_hand(client, tenant, setup):
    answer = await compare(client, await tenant.headers(Role.VIEWER), setup["HI"], setup["group"])
    own = f"Testkommun {tenant.code}"
    assert answer["kpi"] == KPI
    assert answer["year"] == 2019
    assert answer["gender"] == "total"
    assert answer["municipality"] == {"code": tenant.code, "name": own}
    assert answer["own_value"] == 82
    assert answer["own_status"] == ""
    assert (answer["mean"], answer["median"], answer["members_with_value"]) == (81, 80, 7)
    assert answer["missing"] == []
    assert (answer["rank"], answer["ranked_count"], answer["quartile"]) == (4, 8, 2)
    assert answer["colour"] == "yellow"
    assert [(p["name"], p["value"]) for p in answer["best_performers"]] == [
        ("Gotland", 90),
        ("Sollentuna", 85),
    ]
    assert ranking(answer) == [
        ("Gotland", 1),
        ("Sollentuna", 2),
        ("Mölndal", 3),
        (own, 4),
        ("Hässleholm", 5),
        ("Karlskrona", 6),
        ("Skellefteå", 6),
        ("Norrtälje", 8),
    ]
    assert [p["own"] for p in answer["ranking"]].index(True) == 3
    assert answer["group"] == {
        "id": setup["group"]["id"],
        "name": "Liknande kommuner IFO",
        "members": 7,
    }
    assert "best: Gotland (90), Sollentuna (85)" in answer["summary"]


async def test_lower_is_better_by_hand(client, tenant, setup):
    answer = await compare(client, tenant.admin, setup["LO"], setup["group"])
    assert (answer["rank"], answer["quartile"], answer["colour"]) == (5, 3, "yellow")
    assert (answer["mean"], answer["median"]) == (81, 80)
    assert [p["name"] for p in answer["best_performers"]] == [
        "Norrtälje",
        "Karlskrona",
        "Skellefteå",
    ]
    assert ranking(answer)[0] == ("Norrtälje", 1)


async def test_a_best_and_a_worst_quarter(client, tenant, setup):
    await _post(client, tenant.admin, f"{BASE}/kolada", v3_page(tenant.code, 91), status=200)
    best = await compare(client, tenant.admin, setup["HI"], setup["group"])
    assert (best["rank"], best["quartile"], best["colour"]) == (1, 1, "green")
    worst = await compare(client, tenant.admin, setup["LO"], setup["group"])
    assert (worst["rank"], worst["quartile"], worst["colour"]) == (8, 4, "red")


async def test_target_is_best_ranks_by_distance_to_the_years_target(client, tenant, setup):
    tb = setup["TB"]
    unranked = await compare(client, tenant.admin, tb, setup["group"])
    assert unranked["ranked"] is False
    assert unranked["rank"] is None
    assert unranked["colour"] == "no_data"
    assert unranked["mean"] == 81

    target = {"kind": "between", "low": 79, "high": 81, "text": "80 +/- 1"}
    response = await client.put(
        f"/api/v1/indicators/{tb['id']}/targets/2019", json=target, headers=tenant.admin
    )
    assert response.status_code == 201, response.text
    answer = await compare(client, tenant.admin, tb, setup["group"])
    assert answer["best_point"] == 80
    # |82 − 80| = 2, shared with Karlskrona and Skellefteå (78); Hässleholm (80) is best.
    assert (answer["rank"], answer["quartile"], answer["colour"]) == (2, 1, "green")
    assert [p["name"] for p in answer["best_performers"]] == [
        "Hässleholm",
        "Karlskrona",
        "Skellefteå",
    ]


async def test_a_gender_with_missing_members(client, tenant, setup):
    page = {
        "values": [
            item(KPI, "0980", 2019, gv("K", 92)),
            item(KPI, "0163", 2019, gv("K", 88)),
            item(KPI, "0188", 2019, gv("K", None, status="Uppgift saknas")),
            item(KPI, tenant.code, 2019, gv("K", 84)),
        ],
        "next_url": None,
    }
    await _post(client, tenant.admin, f"{BASE}/kolada", page, status=200)
    answer = await compare(client, tenant.admin, setup["HI"], setup["group"], gender="women")
    assert answer["gender"] == "women"
    assert answer["own_value"] == 84
    assert (answer["mean"], answer["median"], answer["members_with_value"]) == (90, 90, 2)
    # Norrtälje's null and the four never imported are all missing.
    assert {m["name"] for m in answer["missing"]} == {
        "Hässleholm",
        "Karlskrona",
        "Mölndal",
        "Norrtälje",
        "Skellefteå",
    }
    # Three ranked: a quarter is less than one place, so no quartile.
    assert (answer["rank"], answer["ranked_count"], answer["quartile"]) == (3, 3, None)
    assert answer["colour"] == "no_data"


async def test_no_own_value(client, tenant, setup):
    answer = await compare(client, tenant.admin, setup["HI"], setup["group"], year=2020)
    assert answer["own_value"] is None
    assert answer["rank"] is None
    assert len(answer["missing"]) == len(GROUP)
    assert answer["mean"] is None


async def test_kpi_title_from_imported_metadata(client, tenant, setup):
    metadata = {"values": [{"id": KPI, "title": "Ej återaktualiserade barn 0-12 år, andel (%)"}]}
    await _post(client, tenant.admin, f"{BASE}/kolada", metadata, status=200)
    answer = await compare(client, tenant.admin, setup["HI"], setup["group"])
    assert answer["kpi_title"] == "Ej återaktualiserade barn 0-12 år, andel (%)"


async def test_an_indicator_without_a_kolada_kpi_is_422_on_indicator_id(client, tenant, setup):
    response = await client.get(
        BASE,
        params={
            "indicator_id": setup["NONE"]["id"],
            "year": 2019,
            "group_id": setup["group"]["id"],
        },
        headers=tenant.admin,
    )
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("query.indicator_id", "no_kolada_kpi")
    ]


async def test_query_parameters_are_checked(client, tenant, setup):
    response = await client.get(BASE, params={"year": 2019}, headers=tenant.admin)
    assert response.status_code == 422
    assert {"query.indicator_id", "query.group_id"} <= {
        e["field"] for e in response.json()["errors"]
    }


async def test_another_municipality_gets_404_and_its_values_stay_its_own(
    client, tenant, other_tenant, setup
):
    foreign = other_tenant.admin
    await compare(client, foreign, setup["HI"], setup["group"], status=404)
    await compare(client, tenant.admin, {"id": MISSING}, setup["group"], status=404)
    await compare(client, tenant.admin, setup["HI"], {"id": MISSING}, status=404)
    # Another municipality's import of the same keys (other numbers) does not reach us.
    await _post(client, foreign, f"{BASE}/kolada", v3_page(tenant.code, 10), status=200)
    answer = await compare(client, tenant.admin, setup["HI"], setup["group"])
    assert answer["own_value"] == 82
    assert answer["rank"] == 4


@pytest.mark.parametrize("role", list(Role))
async def test_every_role_may_compare(client, tenant, setup, role):
    await compare(client, await tenant.headers(role), setup["HI"], setup["group"])
