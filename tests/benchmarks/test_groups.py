"""Municipality groups: create, read, list, delete; audited; tenancy and roles."""

import pytest

from app.auth.permissions import Role
from tests.benchmarks.kolada import BASE, GROUP, MISSING, group_body

GROUPS = f"{BASE}/groups"


async def create(client, headers, body=None):
    response = await client.post(GROUPS, json=body or group_body(), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_read_list_delete(client, tenant):
    created = await create(client, tenant.admin)
    assert created["name"] == "Liknande kommuner IFO"
    assert [m["name"] for m in created["members"]] == [n for n, _ in GROUP.values()]
    assert created["members"][0] == {"code": "0980", "name": "Gotland"}

    viewer = await tenant.headers(Role.VIEWER)
    read = await client.get(f"{GROUPS}/{created['id']}", headers=viewer)
    assert read.status_code == 200
    assert read.json() == created
    await create(
        client, tenant.admin, {**group_body("Jämförbara kommuner"), "description": "50–99 000 inv."}
    )
    listed = await client.get(GROUPS, params={"limit": 1}, headers=viewer)
    assert [g["name"] for g in listed.json()["items"]] == ["Jämförbara kommuner"]
    rest = await client.get(
        GROUPS, params={"limit": 1, "cursor": listed.json()["next_cursor"]}, headers=viewer
    )
    assert [g["name"] for g in rest.json()["items"]] == ["Liknande kommuner IFO"]

    deleted = await client.delete(f"{GROUPS}/{created['id']}", headers=tenant.admin)
    assert deleted.status_code == 204
    assert (await client.get(f"{GROUPS}/{created['id']}", headers=viewer)).status_code == 404
    assert (
        await client.delete(f"{GROUPS}/{created['id']}", headers=tenant.admin)
    ).status_code == 404


async def test_every_change_is_audited(client, tenant):
    created = await create(client, tenant.admin)
    await client.delete(f"{GROUPS}/{created['id']}", headers=tenant.admin)
    response = await client.get(
        "/api/v1/audit-events",
        params={"entity_type": "benchmark_group", "entity_id": created["id"]},
        headers=tenant.admin,
    )
    events = response.json()["items"]
    assert sorted(e["action"] for e in events) == ["create", "delete"]
    made = next(e for e in events if e["action"] == "create")
    assert made["after"]["members"][6] == {"code": "0163", "name": "Sollentuna"}


async def test_a_name_is_used_once(client, tenant, other_tenant):
    await create(client, tenant.admin)
    again = await client.post(GROUPS, json=group_body(), headers=tenant.admin)
    assert again.status_code == 409
    await create(client, other_tenant.admin)  # another municipality's own group


@pytest.mark.parametrize(
    ("members", "field"),
    [
        ([], "body.members"),
        ([{"code": "980", "name": "Gotland"}], "body.members.0.code"),
        ([{"code": "0980", "name": ""}], "body.members.0.name"),
        ([{"code": "0980", "name": "Gotland", "population": 60000}], "body.members.0.population"),
        ([{"code": "0980", "name": "Gotland"}, {"code": "0980", "name": "Visby"}], "body.members"),
    ],
)
async def test_422_names_the_field(client, tenant, members, field):
    response = await client.post(
        GROUPS, json={"name": "G", "members": members}, headers=tenant.admin
    )
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_another_municipality_sees_404(client, tenant, other_tenant):
    created = await create(client, tenant.admin)
    url = f"{GROUPS}/{created['id']}"
    assert (await client.get(url, headers=other_tenant.admin)).status_code == 404
    assert (await client.delete(url, headers=other_tenant.admin)).status_code == 404
    assert (await client.get(GROUPS, headers=other_tenant.admin)).json()["items"] == []
    assert (await client.get(f"{GROUPS}/{MISSING}", headers=tenant.admin)).status_code == 404


@pytest.mark.parametrize("role", [Role.REPORTER, Role.VIEWER, Role.AUDITOR])
async def test_read_roles_may_not_define_groups(client, tenant, role):
    headers = await tenant.headers(role)
    assert (await client.post(GROUPS, json=group_body(), headers=headers)).status_code == 403
    created = await create(client, tenant.admin)
    assert (await client.delete(f"{GROUPS}/{created['id']}", headers=headers)).status_code == 403
    assert (await client.get(GROUPS, headers=headers)).status_code == 200


@pytest.mark.parametrize("role", [Role.EDITOR, Role.INTEGRATION])
async def test_editors_and_integrations_may(client, tenant, role):
    await create(client, await tenant.headers(role))
