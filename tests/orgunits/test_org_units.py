"""The org-unit tree: CRUD, validity in time, moves, filters, pages, and tenant isolation."""

import pytest

BASE = "/api/v1/org-units"


async def create(
    client, headers, code, *, kind="unit", parent=None, valid_from="2019-01-01", **extra
):
    body = {"code": code, "name": f"Enhet {code}", "kind": kind, "valid_from": valid_from, **extra}
    if parent is not None:
        body["parent_id"] = parent
    response = await client.post(BASE, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
async def tree(client, tenant):
    """SN → SK → {AF → AF-1, BOU}, plus an area closed at the end of 2020."""
    h = tenant.admin
    sn = await create(client, h, "SN", kind="committee")
    sk = await create(client, h, "SK", kind="office", parent=sn["id"])
    af = await create(client, h, "AF", kind="area", parent=sk["id"])
    af1 = await create(client, h, "AF-1", parent=af["id"])
    bou = await create(client, h, "BOU", kind="area", parent=sk["id"])
    old = await create(client, h, "OMR-X", kind="area", parent=sk["id"], valid_to="2020-12-31")
    return {u["code"]: u for u in (sn, sk, af, af1, bou, old)}


async def codes(client, headers, **params):
    response = await client.get(BASE, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [u["code"] for u in response.json()["items"]]


async def test_list_defaults_to_units_valid_today_sorted_by_code(client, tenant, tree):
    assert await codes(client, tenant.admin) == ["AF", "AF-1", "BOU", "SK", "SN"]


async def test_valid_on_a_past_date_shows_the_old_organisation(client, tenant, tree):
    assert "OMR-X" in await codes(client, tenant.admin, valid_on="2020-06-01")
    assert "OMR-X" not in await codes(client, tenant.admin, valid_on="2021-01-01")
    assert await codes(client, tenant.admin, valid_on="2018-12-31") == []
    assert len(await codes(client, tenant.admin, any_date="true")) == 6


async def test_filters_kind_parent_subtree_and_code(client, tenant, tree):
    h = tenant.admin
    assert await codes(client, h, kind="area") == ["AF", "BOU"]
    assert await codes(client, h, parent_id=tree["SK"]["id"]) == ["AF", "BOU"]
    assert await codes(client, h, subtree_of=tree["AF"]["id"]) == ["AF", "AF-1"]
    assert await codes(client, h, subtree_of=tree["SN"]["id"]) == ["AF", "AF-1", "BOU", "SK", "SN"]
    assert await codes(client, h, code="BOU") == ["BOU"]


async def test_cursor_pages_walk_every_unit_once(client, tenant, tree):
    seen, cursor = [], None
    for _ in range(10):
        params = {"limit": 2, "sort": "-code", "any_date": "true"}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(BASE, params=params, headers=tenant.admin)).json()
        seen += [u["code"] for u in page["items"]]
        cursor = page.get("next_cursor")
        if cursor is None:
            break
    assert seen == ["SN", "SK", "OMR-X", "BOU", "AF-1", "AF"]


async def test_a_cursor_for_another_sort_or_garbage_is_422(client, tenant, tree):
    page = (await client.get(BASE, params={"limit": 1}, headers=tenant.admin)).json()
    other = await client.get(
        BASE, params={"cursor": page["next_cursor"], "sort": "name"}, headers=tenant.admin
    )
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "query.cursor"
    garbage = await client.get(BASE, params={"cursor": "!!not-base64"}, headers=tenant.admin)
    assert garbage.status_code == 422


async def test_tree_in_one_call(client, tenant, tree):
    response = await client.get(f"{BASE}/tree", headers=tenant.admin)
    assert response.status_code == 200
    [root] = response.json()
    assert root["code"] == "SN"
    [office] = root["children"]
    assert [c["code"] for c in office["children"]] == ["AF", "BOU"]
    assert [c["code"] for c in office["children"][0]["children"]] == ["AF-1"]
    sub = (
        await client.get(f"{BASE}/tree", params={"root_id": tree["AF"]["id"]}, headers=tenant.admin)
    ).json()
    assert [n["code"] for n in sub] == ["AF"]
    assert [c["code"] for c in sub[0]["children"]] == ["AF-1"]


async def test_update_changes_only_what_is_sent(client, tenant, tree):
    response = await client.patch(
        f"{BASE}/{tree['BOU']['id']}", json={"name": "Barn och unga"}, headers=tenant.admin
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Barn och unga"
    assert response.json()["code"] == "BOU"
    assert response.json()["kind"] == "area"


async def test_duplicate_code_is_409(client, tenant, tree):
    body = {"code": "AF", "name": "x", "kind": "unit", "valid_from": "2020-01-01"}
    assert (await client.post(BASE, json=body, headers=tenant.admin)).status_code == 409
    rename = await client.patch(
        f"{BASE}/{tree['BOU']['id']}", json={"code": "AF"}, headers=tenant.admin
    )
    assert rename.status_code == 409


async def test_the_same_code_may_exist_in_another_municipality(client, tenant, other_tenant, tree):
    await create(client, other_tenant.admin, "SN", kind="committee")


async def test_close_sets_valid_to_and_refuses_while_children_are_open(client, tenant, tree):
    refused = await client.post(
        f"{BASE}/{tree['AF']['id']}/close", json={"valid_to": "2023-12-31"}, headers=tenant.admin
    )
    assert refused.status_code == 409
    await client.post(
        f"{BASE}/{tree['AF-1']['id']}/close", json={"valid_to": "2023-12-31"}, headers=tenant.admin
    )
    closed = await client.post(
        f"{BASE}/{tree['AF']['id']}/close", json={"valid_to": "2023-12-31"}, headers=tenant.admin
    )
    assert closed.status_code == 200
    assert closed.json()["valid_to"] == "2023-12-31"
    before_start = await client.post(
        f"{BASE}/{tree['BOU']['id']}/close", json={"valid_to": "2018-01-01"}, headers=tenant.admin
    )
    assert before_start.status_code == 422
    assert before_start.json()["errors"][0]["field"] == "body.valid_to"


async def test_move_reparents_and_refuses_cycles(client, tenant, tree):
    moved = await client.post(
        f"{BASE}/{tree['AF-1']['id']}/move",
        json={"parent_id": tree["BOU"]["id"]},
        headers=tenant.admin,
    )
    assert moved.status_code == 200
    assert moved.json()["parent_id"] == tree["BOU"]["id"]
    assert await codes(client, tenant.admin, subtree_of=tree["BOU"]["id"]) == ["AF-1", "BOU"]
    for target in ("SK", "AF"):
        cycle = await client.post(
            f"{BASE}/{tree['SK']['id']}/move",
            json={"parent_id": tree[target]["id"]},
            headers=tenant.admin,
        )
        assert cycle.status_code == 422
        assert cycle.json()["errors"][0]["code"] == "cycle"


async def test_delete_only_leaves(client, tenant, tree):
    assert (
        await client.delete(f"{BASE}/{tree['AF']['id']}", headers=tenant.admin)
    ).status_code == 409
    assert (
        await client.delete(f"{BASE}/{tree['AF-1']['id']}", headers=tenant.admin)
    ).status_code == 204
    assert (
        await client.get(f"{BASE}/{tree['AF-1']['id']}", headers=tenant.admin)
    ).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "", "name": "x", "kind": "unit", "valid_from": "2020-01-01"}, "body.code"),
        ({"code": "A B", "name": "x", "kind": "unit", "valid_from": "2020-01-01"}, "body.code"),
        ({"code": "A", "name": "x", "kind": "department", "valid_from": "2020-01-01"}, "body.kind"),
        ({"code": "A", "name": "x", "kind": "unit", "valid_from": "2020-13-01"}, "body.valid_from"),
        ({"code": "A", "name": "x", "kind": "unit"}, "body.valid_from"),
        ({"code": "A", "name": "", "kind": "unit", "valid_from": "2020-01-01"}, "body.name"),
        (
            {"code": "A", "name": "x", "kind": "unit", "valid_from": "2020-01-01", "extra": 1},
            "body.extra",
        ),
        (
            {
                "code": "A",
                "name": "x",
                "kind": "unit",
                "valid_from": "2020-01-01",
                "valid_to": "2019-01-01",
            },
            "body",
        ),
        (
            {
                "code": "A",
                "name": "x",
                "kind": "unit",
                "valid_from": "2020-01-01",
                "parent_id": "0190f3a0-0000-7000-8000-000000000000",
            },
            "body.parent_id",
        ),
    ],
)
async def test_invalid_bodies_are_422_naming_the_field(client, tenant, body, field):
    response = await client.post(BASE, json=body, headers=tenant.admin)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


class TestTenantIsolation:
    """Another municipality's org unit is invisible: 404 everywhere, absent from lists."""

    async def test_list_and_tree_show_only_own_units(self, client, tenant, other_tenant, tree):
        assert await codes(client, other_tenant.admin, any_date="true") == []
        assert (await client.get(f"{BASE}/tree", headers=other_tenant.admin)).json() == []

    async def test_read_update_close_move_delete_across_tenants_is_404(
        self, client, tenant, other_tenant, tree
    ):
        target = tree["AF-1"]["id"]
        h = other_tenant.admin
        assert (await client.get(f"{BASE}/{target}", headers=h)).status_code == 404
        assert (
            await client.patch(f"{BASE}/{target}", json={"name": "hijack"}, headers=h)
        ).status_code == 404
        assert (
            await client.post(f"{BASE}/{target}/close", json={"valid_to": "2030-01-01"}, headers=h)
        ).status_code == 404
        assert (
            await client.post(f"{BASE}/{target}/move", json={"parent_id": None}, headers=h)
        ).status_code == 404
        assert (await client.delete(f"{BASE}/{target}", headers=h)).status_code == 404
        unchanged = (await client.get(f"{BASE}/{target}", headers=tenant.admin)).json()
        assert unchanged == tree["AF-1"]

    async def test_another_tenants_unit_cannot_be_a_parent_or_a_filter(
        self, client, tenant, other_tenant, tree
    ):
        body = {
            "code": "X",
            "name": "x",
            "kind": "unit",
            "valid_from": "2020-01-01",
            "parent_id": tree["SK"]["id"],
        }
        response = await client.post(BASE, json=body, headers=other_tenant.admin)
        assert response.status_code == 422
        assert await codes(client, other_tenant.admin, subtree_of=tree["SN"]["id"]) == []
        own = await create(client, other_tenant.admin, "OWN")
        moved = await client.post(
            f"{BASE}/{own['id']}/move",
            json={"parent_id": tree["SK"]["id"]},
            headers=other_tenant.admin,
        )
        assert moved.status_code == 422
        tree_call = await client.get(
            f"{BASE}/tree", params={"root_id": tree["SN"]["id"]}, headers=other_tenant.admin
        )
        assert tree_call.status_code == 404
