"""Privileges never grow by delegation (DOMAIN §3, issue 15).

A credential creates keys only within its own role, scopes, org-unit binding and expiry, and a
credential bound to an org unit writes only inside that unit's subtree, never municipality-wide
resources (categories, frames, ERP account maps, groups, plans).
"""

from datetime import UTC, datetime, timedelta

import pytest

from app.auth.permissions import Permission, Role
from tests.benchmarks.kolada import group_body
from tests.budget.conftest import CATEGORIES, FRAMES, line, make_units

KEYS = "/api/v1/api-keys"


def in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


async def units(client, tenant) -> dict[str, str]:
    return await make_units(
        client,
        tenant.admin,
        [("SN", "committee", None), ("AF", "area", "SN"), ("BOU", "area", "SN")],
    )


def assert_forbidden(response) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"]


class TestKeyCreation:
    @pytest.mark.parametrize(
        "scopes",
        [[Permission.API_KEYS_MANAGE], [Permission.API_KEYS_MANAGE, Permission.ORG_UNITS_READ]],
    )
    async def test_a_scoped_admin_key_cannot_mint_an_unscoped_one(self, client, tenant, scopes):
        narrowed = await tenant.headers(Role.ADMIN, scopes=scopes)
        for body in (
            {"name": "wide", "role": "admin"},
            {"name": "wide", "role": "viewer"},
            {"name": "wide", "role": "admin", "scopes": ["budget:write"]},
        ):
            assert_forbidden(await client.post(KEYS, json=body, headers=narrowed))

    async def test_a_scoped_admin_key_may_mint_within_its_scopes(self, client, tenant):
        narrowed = await tenant.headers(
            Role.ADMIN, scopes=[Permission.API_KEYS_MANAGE, Permission.ORG_UNITS_READ]
        )
        body = {"name": "reader", "role": "viewer", "scopes": ["org_units:read"]}
        created = await client.post(KEYS, json=body, headers=narrowed)
        assert created.status_code == 201, created.text
        assert created.json()["scopes"] == ["org_units:read"]

    async def test_an_org_unit_bound_admin_cannot_mint_an_unbound_or_wider_key(
        self, client, tenant
    ):
        u = await units(client, tenant)
        bound = await tenant.headers(Role.ADMIN, org_unit_id=u["AF"])
        assert_forbidden(
            await client.post(KEYS, json={"name": "k", "role": "admin"}, headers=bound)
        )
        outside = {"name": "k", "role": "reporter", "org_unit_id": u["BOU"]}
        assert_forbidden(await client.post(KEYS, json=outside, headers=bound))
        above = {"name": "k", "role": "reporter", "org_unit_id": u["SN"]}
        assert_forbidden(await client.post(KEYS, json=above, headers=bound))
        inside = {"name": "k", "role": "reporter", "org_unit_id": u["AF"]}
        assert (await client.post(KEYS, json=inside, headers=bound)).status_code == 201

    async def test_an_expiring_admin_key_cannot_mint_a_longer_lived_one(self, client, tenant):
        expiring = await tenant.headers(
            Role.ADMIN, expires_at=datetime.now(UTC) + timedelta(days=1)
        )
        for body in (
            {"name": "forever", "role": "viewer"},
            {"name": "later", "role": "viewer", "expires_at": in_days(30)},
        ):
            assert_forbidden(await client.post(KEYS, json=body, headers=expiring))
        sooner = {"name": "sooner", "role": "viewer", "expires_at": in_days(0.5)}
        assert (await client.post(KEYS, json=sooner, headers=expiring)).status_code == 201

    @pytest.mark.parametrize("expires_at", [in_days(-1), "2020-01-01T00:00:00Z"])
    async def test_a_key_cannot_be_created_already_expired(self, client, tenant, expires_at):
        body = {"name": "stale", "role": "viewer", "expires_at": expires_at}
        response = await client.post(KEYS, json=body, headers=tenant.admin)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.expires_at"

    async def test_a_narrowed_key_cannot_revoke_a_wider_one(self, client, tenant):
        u = await units(client, tenant)
        listed = (await client.get(KEYS, headers=tenant.admin)).json()["items"]
        full_admin = next(k for k in listed if tenant.admin_key.startswith(f"sk_{k['prefix']}_"))
        for narrowed in (
            await tenant.headers(Role.ADMIN, scopes=[Permission.API_KEYS_MANAGE]),
            await tenant.headers(Role.ADMIN, org_unit_id=u["AF"]),
        ):
            refused = await client.delete(f"{KEYS}/{full_admin['id']}", headers=narrowed)
            assert_forbidden(refused)
        assert (await client.get("/api/v1/me", headers=tenant.admin)).status_code == 200
        bound = await tenant.headers(Role.ADMIN, org_unit_id=u["AF"])
        inside = {"name": "k", "role": "reporter", "org_unit_id": u["AF"]}
        created = (await client.post(KEYS, json=inside, headers=bound)).json()
        revoked = await client.delete(f"{KEYS}/{created['id']}", headers=bound)
        assert revoked.status_code == 200


class TestOrgUnitBoundWrites:
    """An integration key bound to one unit is the ERP feed of that unit, not the committee's."""

    async def test_it_cannot_touch_budget_categories_or_account_maps(self, client, tenant):
        u = await units(client, tenant)
        bound = await tenant.headers(Role.INTEGRATION, org_unit_id=u["AF"])
        category = await client.post(
            CATEGORIES,
            json={"code": "C-OWN", "name": "C", "kind": "cost", "erp_accounts": ["4010"]},
            headers=tenant.admin,
        )
        assert category.status_code == 201, category.text
        cid = category.json()["id"]
        assert_forbidden(
            await client.post(
                CATEGORIES, json={"code": "C-X", "name": "X", "kind": "cost"}, headers=bound
            )
        )
        assert_forbidden(
            await client.patch(
                f"{CATEGORIES}/{cid}", json={"name": "renamed", "erp_accounts": []}, headers=bound
            )
        )
        assert_forbidden(await client.delete(f"{CATEGORIES}/{cid}", headers=bound))
        kept = (await client.get(f"{CATEGORIES}/{cid}", headers=tenant.admin)).json()
        assert (kept["name"], kept["erp_accounts"]) == ("C", ["4010"])

    async def test_it_cannot_create_or_replace_frames(self, client, tenant):
        u = await units(client, tenant)
        bound = await tenant.headers(Role.INTEGRATION, org_unit_id=u["AF"])
        frame = {"org_unit_id": u["SN"], "year": 2024, "amount": 100}
        created = await client.post(FRAMES, json=frame, headers=tenant.admin)
        assert created.status_code == 201, created.text
        fid = created.json()["id"]
        assert_forbidden(await client.post(FRAMES, json={**frame, "year": 2025}, headers=bound))
        assert_forbidden(
            await client.put(f"{FRAMES}/{fid}", json={**frame, "amount": 1}, headers=bound)
        )
        assert_forbidden(await client.delete(f"{FRAMES}/{fid}", headers=bound))

    async def test_it_cannot_define_benchmark_groups(self, client, tenant):
        u = await units(client, tenant)
        bound = await tenant.headers(Role.INTEGRATION, org_unit_id=u["AF"])
        response = await client.post("/api/v1/benchmarks/groups", json=group_body(), headers=bound)
        assert_forbidden(response)

    async def test_a_bound_editor_cannot_write_plans_goals_or_org_units(self, client, tenant):
        u = await units(client, tenant)
        bound = await tenant.headers(Role.ADMIN, org_unit_id=u["AF"])
        org_unit = {"code": "NEW", "name": "Ny", "kind": "unit", "valid_from": "2023-01-01"}
        assert_forbidden(await client.post("/api/v1/org-units", json=org_unit, headers=bound))
        goal = {"code": "G1", "title": "Mål", "valid_from": "2023-01-01"}
        assert_forbidden(await client.post("/api/v1/goals", json=goal, headers=bound))

    async def test_it_still_writes_budget_lines_inside_its_unit(self, client, tenant):
        u = await units(client, tenant)
        bound = await tenant.headers(Role.INTEGRATION, org_unit_id=u["AF"])
        await client.post(
            CATEGORIES,
            json={"code": "COST-STAFF", "name": "Personal", "kind": "cost"},
            headers=tenant.admin,
        )
        inside = await client.put(
            "/api/v1/budget-lines",
            json=line("AF", "COST-STAFF", "2023", "budget", 1),
            headers=bound,
        )
        assert inside.status_code == 201, inside.text
        outside = await client.put(
            "/api/v1/budget-lines",
            json=line("BOU", "COST-STAFF", "2023", "budget", 1),
            headers=bound,
        )
        assert outside.status_code == 403
