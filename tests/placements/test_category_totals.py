"""Placement categories with a parent (issue 21, point 3): seed 003 reports
"Familjehemsplaceringar (totalt)" as own + purchased family homes. The total's row is computed
from its children, in the follow-up, its budget and the export, and never counted twice.

January 2023 at BOU: own family homes 31 care days, 15 500 kr; purchased 62 days, 93 000 kr;
HVB children 31 days, 80 000 kr. The total of family homes: 93 days, 108 500 kr; the follow-up's
total: 124 days, 188 500 kr (not 217 days). Budgets 2023: own 120 000, purchased 1 200 000 → the
total's 1 320 000.
"""

from tests.placements.conftest import (
    AGGREGATES,
    BUDGETS,
    aggregate,
    category,
    follow_up,
    send,
)

CATEGORIES = "/api/v1/placement-categories"


async def _family_home_total(client, h):
    created = await client.post(
        CATEGORIES,
        json={
            "code": "FH-TOTALT",
            "name": "Familjehemsplaceringar (totalt)",
            "legal_basis": ["SoL", "LVU"],
            "target_group": "children",
            "regime": "own",
        },
        headers=h,
    )
    assert created.status_code == 201, created.text
    total = created.json()
    listed = (await client.get(CATEGORIES, params={"limit": 100}, headers=h)).json()["items"]
    ids = {c["code"]: c["id"] for c in listed}
    for code in ("FH-EGEN", "FH-KOPT"):
        patched = await client.patch(
            f"{CATEGORIES}/{ids[code]}", json={"parent_id": total["id"]}, headers=h
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["parent_id"] == total["id"]
    return total, ids


async def test_the_family_home_total_is_computed_from_its_children(client, tenant, org):
    h = tenant.admin
    await _family_home_total(client, h)
    rows = [
        aggregate("2023-01", 31, 15500, category="FH-EGEN"),
        aggregate("2023-01", 62, 93000, category="FH-KOPT"),
        aggregate("2023-01", 31, 80000, category="HVB-BARN"),
    ]
    assert (await send(client, h, AGGREGATES, rows))["created"] == 3
    for code, amount in (("FH-EGEN", 120000), ("FH-KOPT", 1200000)):
        body = {"category_code": code, "org_unit_code": "BOU", "year": 2023, "amount": amount}
        assert (await client.put(BUDGETS, json=body, headers=h)).status_code == 201
    result = await follow_up(client, h, "2023-01")
    family = category(result, "FH-TOTALT")
    assert (family["care_days"], family["cost"]) == (93, 108500)
    assert family["category"]["total_of"] == ["FH-EGEN", "FH-KOPT"]
    assert family["budget"]["amount"] == 1320000
    assert category(result, "FH-EGEN")["category"]["parent_code"] == "FH-TOTALT"
    assert (result["total"]["care_days"], result["total"]["cost"]) == (124, 188500)
    exported = await client.get(
        "/api/v1/exports/placement-follow-up",
        params={"period": "2023-01", "format": "json"},
        headers=h,
    )
    lines = {r["category_code"]: r for r in exported.json()["rows"]}
    assert (lines["FH-TOTALT"]["care_days"], lines["FH-TOTALT"]["total_of"]) == (
        93,
        "FH-EGEN + FH-KOPT",
    )
    assert lines[None]["care_days"] == 124


async def test_one_level_of_totals(client, tenant, org):
    h = tenant.admin
    total, ids = await _family_home_total(client, h)
    nested = await client.patch(
        f"{CATEGORIES}/{total['id']}", json={"parent_id": ids["HVB-BARN"]}, headers=h
    )
    assert (nested.status_code, nested.json()["errors"][0]["code"]) == (422, "nested_total")
    under_child = await client.patch(
        f"{CATEGORIES}/{ids['HVB-BARN']}", json={"parent_id": ids["FH-EGEN"]}, headers=h
    )
    assert (under_child.status_code, under_child.json()["errors"][0]["code"]) == (
        422,
        "nested_total",
    )
    assert (await client.delete(f"{CATEGORIES}/{total['id']}", headers=h)).status_code == 409
