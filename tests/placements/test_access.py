"""Who may read and write placements, and that municipalities never meet."""

import pytest

from app.auth.permissions import Role
from tests.placements.conftest import (
    AGGREGATES,
    BUDGETS,
    FOLLOW_UP,
    PLACEMENTS,
    aggregate,
    episode,
    follow_up,
    refused,
    send,
)

WRITERS = {Role.ADMIN, Role.REPORTER, Role.INTEGRATION}


@pytest.mark.parametrize("role", list(Role))
async def test_every_role_reads_and_only_writers_write(client, tenant, org, role):
    headers = await tenant.headers(role)
    for path in (PLACEMENTS, AGGREGATES, BUDGETS, "/api/v1/placement-categories"):
        assert (await client.get(path, headers=headers)).status_code == 200, path
    assert (
        await client.get(FOLLOW_UP, params={"period": "2023"}, headers=headers)
    ).status_code == 200
    batch = await client.post(
        f"{PLACEMENTS}/batch", json=[episode(f"R-{role}", "2023-01-01")], headers=headers
    )
    single = await client.post(PLACEMENTS, json=episode(f"S-{role}", "2023-01-01"), headers=headers)
    aggregates = await client.post(
        f"{AGGREGATES}/batch", json=[aggregate("2023-01", 1, 1)], headers=headers
    )
    if role in WRITERS:
        assert (batch.status_code, single.status_code, aggregates.status_code) == (200, 201, 200)
    else:
        assert (batch.status_code, single.status_code, aggregates.status_code) == (403, 403, 403)


async def test_a_reporter_limited_to_a_unit_writes_only_in_its_subtree(client, tenant, org):
    reporter = await tenant.headers("reporter", org_unit_id=org["BOU"])
    rows = [episode("IN", "2023-01-01"), episode("OUT", "2023-01-01", unit="FRF")]
    summary = await send(client, reporter, PLACEMENTS, rows, mode="partial")
    assert [(e["index"], e["code"]) for e in summary["errors"]] == [(1, "outside_subtree")]
    outside = await client.post(PLACEMENTS, json=rows[1], headers=reporter)
    assert outside.status_code == 403
    budget = {"category_code": "FH-EGEN", "org_unit_code": "FRF", "year": 2023, "amount": 1}
    assert (await client.put(BUDGETS, json=budget, headers=reporter)).status_code == 403
    category = {
        "code": "EGEN",
        "name": "Egen",
        "legal_basis": ["SoL"],
        "target_group": "adults",
        "regime": "own",
    }
    refused = await client.post("/api/v1/placement-categories", json=category, headers=reporter)
    assert refused.status_code == 403


async def test_municipalities_never_meet(client, tenant, other_tenant, org):
    created = await client.post(
        PLACEMENTS, json=episode("A", "2023-01-01", rate=1000), headers=tenant.admin
    )
    placement_id = created.json()["id"]
    await send(client, tenant.admin, AGGREGATES, [aggregate("2023-02", 28, 99000)])
    mine = await follow_up(client, tenant.admin, "2023")
    # 365 days, February's 28 from the aggregate: 337 × 1 000 + 99 000.
    assert (mine["total"]["care_days"], mine["total"]["cost"]) == (365, 436000)

    theirs = await follow_up(client, other_tenant.admin, "2023")
    assert (theirs["categories"], theirs["total"]["care_days"]) == ([], None)
    assert theirs["total"]["status"] == "no_data"
    for path in (PLACEMENTS, AGGREGATES):
        assert (await client.get(path, headers=other_tenant.admin)).json()["items"] == []
    for method in ("GET", "PATCH", "DELETE"):
        response = await client.request(
            method,
            f"{PLACEMENTS}/{placement_id}",
            json={"end_date": "2023-06-30"} if method == "PATCH" else None,
            headers=other_tenant.admin,
        )
        assert response.status_code == 404, method
    # Another municipality's codes resolve to nothing in mine.
    await client.post(
        "/api/v1/org-units",
        json={"code": "ONLY", "name": "x", "kind": "committee", "valid_from": "2020-01-01"},
        headers=other_tenant.admin,
    )
    summary = await refused(
        client, tenant.admin, PLACEMENTS, [episode("B", "2023-01-01", unit="ONLY")], mode="partial"
    )
    assert summary["errors"][0]["code"] == "not_found"
    foreign = await follow_up(client, tenant.admin, "2023", org_unit_id=org["SN"])
    assert foreign["total"]["care_days"] == mine["total"]["care_days"]
    across = await client.get(
        FOLLOW_UP, params={"period": "2023", "org_unit_id": org["SN"]}, headers=other_tenant.admin
    )
    assert across.status_code == 404
