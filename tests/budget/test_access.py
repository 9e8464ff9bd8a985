"""Who may read and write the budget, tenant isolation, the audit trail, and 422s naming fields."""

import pytest

from app.auth.permissions import Role
from app.budget.categories import DEFAULT_CHART
from tests.budget.conftest import (
    BATCH,
    CATEGORIES,
    FOLLOW_UP,
    FRAMES,
    LINES,
    d,
    line,
    post_lines,
)

WRITERS = {Role.ADMIN, Role.EDITOR, Role.INTEGRATION}


@pytest.mark.parametrize("role", list(Role))
async def test_every_role_reads_and_admins_editors_integrations_write(
    client, tenant, committee, role
):
    headers = await tenant.headers(role)
    for path in (LINES, FRAMES, CATEGORIES):
        assert (await client.get(path, headers=headers)).status_code == 200, path
    follow = await client.get(
        FOLLOW_UP, params={"org_unit_id": committee["SN"], "year": 2023}, headers=headers
    )
    assert follow.status_code == 200
    writes = [
        await client.post(
            BATCH, json=[line("AF", "COST-STAFF", "2023", "plan", 1)], headers=headers
        ),
        await client.put(
            LINES, json=line("AF", "COST-STAFF", "2023", "budget", 1), headers=headers
        ),
        await client.post(
            FRAMES,
            json={
                "org_unit_id": committee["SN"],
                "year": 2000 + list(Role).index(role),
                "amount": 1,
            },
            headers=headers,
        ),
        await client.post(
            CATEGORIES, json={"code": f"C-{role}", "name": "C", "kind": "cost"}, headers=headers
        ),
    ]
    expected = {200, 201} if role in WRITERS else {403}
    assert {w.status_code for w in writes} <= expected, [w.text for w in writes]


async def test_another_municipality_sees_nothing(client, tenant, other_tenant, committee):
    h = tenant.admin
    put = await client.put(LINES, json=line("AF", "COST-STAFF", "2023", "budget", 5), headers=h)
    assert put.status_code == 201
    line_id = put.json()["id"]
    frame = (
        await client.post(
            FRAMES, json={"org_unit_id": committee["SN"], "year": 2023, "amount": 9}, headers=h
        )
    ).json()
    category_id = put.json()["category_id"]
    other = other_tenant.admin
    for path in (
        f"{LINES}/{line_id}",
        f"{FRAMES}/{frame['id']}",
        f"{FRAMES}/{frame['id']}/balance",
        f"{CATEGORIES}/{category_id}",
    ):
        assert (await client.get(path, headers=other)).status_code == 404, path
    assert (await client.delete(f"{LINES}/{line_id}", headers=other)).status_code == 404
    assert (await client.get(LINES, headers=other)).json()["items"] == []
    follow = await client.get(
        FOLLOW_UP, params={"org_unit_id": committee["SN"], "year": 2023}, headers=other
    )
    assert follow.status_code == 404
    # Its own unit and codes: the other municipality's "AF" is unknown here.
    refused = await client.put(
        LINES, json=line("AF", "COST-STAFF", "2023", "budget", 5), headers=other
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.org_unit_code"
    # Categories are the municipality's own: its own copy of the default chart (issue 21: a
    # municipality has it from creation), none of them the first municipality's.
    theirs = (await client.get(CATEGORIES, params={"limit": 100}, headers=other)).json()["items"]
    assert len(theirs) == 18
    assert category_id not in {c["id"] for c in theirs}


async def test_a_key_limited_to_a_subtree_writes_only_there(client, tenant, committee):
    erp = await tenant.headers(Role.INTEGRATION, org_unit_id=committee["AF"])
    inside = await client.put(
        LINES, json=line("AF-AME", "COST-STAFF", "2023", "budget", 1), headers=erp
    )
    assert inside.status_code == 201
    outside = await client.put(
        LINES, json=line("BOU", "COST-STAFF", "2023", "budget", 1), headers=erp
    )
    assert outside.status_code == 403
    summary = (
        await client.post(
            BATCH,
            params={"mode": "partial"},
            json=[line("BOU", "COST-STAFF", "2023", "budget", 1)],
            headers=erp,
        )
    ).json()
    assert summary["errors"][0]["code"] == "outside_subtree"


async def test_put_creates_updates_and_leaves_unchanged_with_an_audit_trail(
    client, tenant, committee
):
    h = tenant.admin
    body = line("AF", "COST-STAFF", "2023-02", "outcome", "1234.50", source_system="Raindance")
    created = await client.put(LINES, json=body, headers=h)
    assert (created.status_code, created.json()["result"]) == (201, "created")
    assert (created.json()["period"], created.json()["month"], d(created.json()["amount"])) == (
        "2023-02",
        2,
        d("1234.50"),
    )
    same = await client.put(LINES, json=body, headers=h)
    assert (same.status_code, same.json()["result"]) == (200, "unchanged")
    changed = await client.put(LINES, json={**body, "amount": 2000}, headers=h)
    assert changed.json()["result"] == "updated"
    assert changed.json()["id"] == created.json()["id"]
    deleted = await client.delete(f"{LINES}/{created.json()['id']}", headers=h)
    assert deleted.status_code == 204
    events = (
        await client.get(
            "/api/v1/audit-events",
            params={"entity_type": "budget_line", "entity_id": created.json()["id"]},
            headers=h,
        )
    ).json()["items"]
    assert [e["action"] for e in events] == ["create", "update", "delete"]
    assert (events[1]["before"]["amount_ore"], events[1]["after"]["amount_ore"]) == (
        123_450,
        200_000,
    )
    assert events[0]["actor"].startswith("api_key:")


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"amount": "12.345"}, "body.amount", "decimal_max_places"),
        ({"amount": -1}, "body.amount", "greater_than_equal"),
        ({"period": "2023-T1"}, "body.period", "period_kind"),
        ({"period": "23"}, "body.period", "period_format"),
        ({"scenario": "forecast"}, "body.forecast_date", "missing"),
        ({"category_code": "NOPE"}, "body.category_code", "not_found"),
        ({"comment": "Avser 811218-9876"}, "body.comment", "personal_identity_number"),
    ],
)
async def test_422s_name_the_field(client, tenant, committee, change, field, code):
    body = {**line("AF", "COST-STAFF", "2023", "budget", 1), **change}
    response = await client.put(LINES, json=body, headers=tenant.admin)
    assert response.status_code == 422, response.text
    assert (response.json()["errors"][0]["field"], response.json()["errors"][0]["code"]) == (
        field,
        code,
    )
    assert "811218-9876" not in response.text


class TestCategories:
    async def test_the_default_chart_is_there_from_the_start(self, client, tenant, committee):
        # Issue 21: a municipality has seed 000's chart from its creation (it used to arrive
        # with the first budget write); that write adds nothing to it.
        h = tenant.admin
        chart = [(code, name, kind.value) for code, name, kind, _ in DEFAULT_CHART]
        before = (await client.get(CATEGORIES, params={"limit": 100}, headers=h)).json()["items"]
        assert [(c["code"], c["name"], c["kind"]) for c in before] == chart
        await post_lines(client, h, [line("AF", "COST-STAFF", "2023", "budget", 1)])
        items = (await client.get(CATEGORIES, params={"limit": 100}, headers=h)).json()["items"]
        assert [(c["code"], c["name"], c["kind"]) for c in items] == chart
        assert [c["code"] for c in items if c["is_allocation"]] == ["REV-ALLOCATION"]
        revenue = (
            await client.get(CATEGORIES, params={"kind": "revenue", "limit": 100}, headers=h)
        ).json()["items"]
        assert len(revenue) == 7

    async def test_configure_and_delete(self, client, tenant, committee):
        h = tenant.admin
        created = await client.post(
            CATEGORIES,
            json={"code": "COST-IT", "name": "IT-tjänster", "kind": "cost", "position": 175},
            headers=h,
        )
        assert created.status_code == 201
        category = created.json()
        patched = await client.patch(
            f"{CATEGORIES}/{category['id']}",
            json={"name": "IT", "erp_accounts": ["5420"], "monthly_profile": [1] * 12},
            headers=h,
        )
        assert (patched.json()["name"], patched.json()["erp_accounts"]) == ("IT", ["5420"])
        bad_profile = await client.patch(
            f"{CATEGORIES}/{category['id']}", json={"monthly_profile": [0] * 12}, headers=h
        )
        assert bad_profile.status_code == 422
        not_revenue = await client.patch(
            f"{CATEGORIES}/{category['id']}", json={"is_allocation": True}, headers=h
        )
        assert not_revenue.status_code == 422
        assert not_revenue.json()["errors"][0]["field"] == "body.is_allocation"
        duplicate = await client.post(
            CATEGORIES, json={"code": "COST-IT", "name": "x", "kind": "cost"}, headers=h
        )
        assert duplicate.status_code == 409
        await post_lines(client, h, [line("AF", "COST-IT", "2023", "budget", 1)])
        in_use = await client.delete(f"{CATEGORIES}/{category['id']}", headers=h)
        assert in_use.status_code == 409
        unused = next(
            c
            for c in (await client.get(CATEGORIES, params={"limit": 100}, headers=h)).json()[
                "items"
            ]
            if c["code"] == "COST-DEPRECIATION"
        )
        assert (await client.delete(f"{CATEGORIES}/{unused['id']}", headers=h)).status_code == 204
