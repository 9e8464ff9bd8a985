"""Unexecuted decisions: register, execute, interrupt; validation, isolation, roles, audit."""

import pytest

from app.auth.permissions import Role
from tests.quality.conftest import events, get, patch, post

BASE = "/api/v1/unexecuted-decisions"


def body(unit, **extra):
    return {
        "org_unit_id": unit["id"],
        "decision_on": "2019-03-01",
        "intervention_type": "contact_person_family",
        "legal_basis": "sol_4_1",
        "gender": "women",
        "reason": "Ingen lämplig kontaktfamilj",
        **extra,
    }


async def test_register_execute_interrupt_resume(client, tenant, units):
    h = tenant.admin
    made = await post(client, h, BASE, body(units["AF"]))
    assert (made["state"], made["interruptions"]) == ("waiting", [])
    url = f"{BASE}/{made['id']}"
    refused = await post(client, h, f"{url}/interruptions", {"interrupted_on": "2019-05-01"}, 409)
    assert "not executed" in refused["detail"]
    executed = await patch(client, h, url, {"executed_on": "2019-04-01"})
    assert executed["state"] == "executed"
    interrupted = await post(
        client,
        h,
        f"{url}/interruptions",
        {"interrupted_on": "2019-05-01", "reason": "Familjen slutade"},
    )
    assert interrupted["state"] == "interrupted"
    [interruption] = interrupted["interruptions"]
    resumed = await patch(
        client, h, f"{url}/interruptions/{interruption['id']}", {"resumed_on": "2019-06-01"}
    )
    assert resumed["state"] == "executed"
    assert resumed["interruptions"][0]["resumed_on"] == "2019-06-01"
    again = await post(client, h, f"{url}/interruptions", {"interrupted_on": "2019-07-01"})
    assert [i["interrupted_on"] for i in again["interruptions"]] == ["2019-05-01", "2019-07-01"]
    # Executed cannot move past the first interruption, nor be cleared, while they exist.
    moved = await client.patch(url, json={"executed_on": "2019-05-02"}, headers=h)
    assert moved.status_code == 422
    assert moved.json()["errors"][0]["field"] == "body.executed_on"
    cleared = await client.patch(url, json={"executed_on": None}, headers=h)
    assert cleared.status_code == 422
    ended = await patch(client, h, url, {"ended_on": "2019-08-01"})
    assert ended["state"] == "ended"
    listed = await get(client, h, BASE, executed="true")
    assert [d["id"] for d in listed["items"]] == [made["id"]]
    assert (await get(client, h, BASE, executed="false"))["items"] == []
    assert (await client.delete(url, headers=h)).status_code == 204
    await get(client, h, url, 404)
    trail = await events(client, tenant, entity_type="decision_interruption")
    assert sorted(e["action"] for e in trail["items"]) == [
        "create",
        "create",
        "delete",
        "delete",
        "update",
    ]


@pytest.mark.parametrize(
    ("interruptions", "field", "code"),
    [
        ([{"interrupted_on": "2019-03-31"}], "body.interrupted_on", "before_executed_on"),
        (
            [{"interrupted_on": "2019-05-01"}, {"interrupted_on": "2019-06-01"}],
            "body.interrupted_on",
            "overlapping",
        ),
        (
            [
                {"interrupted_on": "2019-05-01", "resumed_on": "2019-07-01"},
                {"interrupted_on": "2019-06-01"},
            ],
            "body.interrupted_on",
            "overlapping",
        ),
        (
            [{"interrupted_on": "2019-05-01", "resumed_on": "2019-04-30"}],
            "body.resumed_on",
            "before_interrupted_on",
        ),
        ([{"interrupted_on": "2999-05-01"}], "body.interrupted_on", "in_future"),
    ],
)
async def test_bad_interruptions_are_422(client, tenant, units, interruptions, field, code):
    h = tenant.admin
    made = await post(client, h, BASE, body(units["AF"], executed_on="2019-04-01"))
    *ok, bad = interruptions
    for interruption in ok:
        await post(client, h, f"{BASE}/{made['id']}/interruptions", interruption)
    response = await client.post(f"{BASE}/{made['id']}/interruptions", json=bad, headers=h)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["code"] == code


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"executed_on": "2019-02-28"}, "body.executed_on"),
        ({"ended_on": "2019-02-28"}, "body.ended_on"),
        ({"decision_on": "2999-01-01"}, "body.decision_on"),
        ({"intervention_type": "holiday"}, "body.intervention_type"),
        ({"legal_basis": "lvu"}, "body.legal_basis"),
        ({"gender": "total"}, "body.gender"),
        ({"org_unit_id": "01a00000-0000-7000-8000-000000000000"}, "body.org_unit_id"),
        ({"reason": "Klient 19811218-9876 avböjde"}, "body.reason"),
        ({"reference": "811218-9876"}, "body.reference"),
    ],
)
async def test_bad_decisions_are_422_naming_the_field(client, tenant, units, change, field):
    response = await client.post(BASE, json=body(units["AF"]) | change, headers=tenant.admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert "9876" not in response.text


async def test_patch_refuses_null_for_required_fields(client, tenant, units):
    made = await post(client, tenant.admin, BASE, body(units["AF"]))
    response = await client.patch(
        f"{BASE}/{made['id']}", json={"gender": None}, headers=tenant.admin
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.gender"


async def test_a_reference_is_unique_per_source(client, tenant, units):
    h = tenant.admin
    await post(client, h, BASE, body(units["AF"], source="Procapita", reference="B-1"))
    await post(client, h, BASE, body(units["AF"], source="Procapita", reference="B-1"), 409)


async def test_writes_are_audited(client, tenant, units):
    h = tenant.admin
    made = await post(client, h, BASE, body(units["AF"]))
    await patch(client, h, f"{BASE}/{made['id']}", {"executed_on": "2019-06-10"})
    trail = (await events(client, tenant, entity_type="unexecuted_decision", entity_id=made["id"]))[
        "items"
    ]
    assert [e["action"] for e in trail] == ["create", "update"]
    assert (trail[1]["before"]["executed_on"], trail[1]["after"]["executed_on"]) == (
        None,
        "2019-06-10",
    )


class TestAccess:
    async def test_another_municipality_sees_404(self, client, tenant, other_tenant, units):
        made = await post(client, tenant.admin, BASE, body(units["AF"], executed_on="2019-04-01"))
        h = other_tenant.admin
        url = f"{BASE}/{made['id']}"
        await get(client, h, url, 404)
        await patch(client, h, url, {"gender": "men"}, 404)
        await post(client, h, f"{url}/interruptions", {"interrupted_on": "2019-05-01"}, 404)
        assert (await client.delete(url, headers=h)).status_code == 404
        assert (await get(client, h, BASE))["items"] == []

    async def test_a_reporter_sees_and_writes_only_its_subtree(self, client, tenant, units):
        bou = await post(client, tenant.admin, BASE, body(units["BOU"]))
        reporter = await tenant.headers(Role.REPORTER, org_unit_id=units["AF"]["id"])
        mine = await post(client, reporter, BASE, body(units["AF-1"]))
        await post(client, reporter, BASE, body(units["BOU"]), 403)
        assert [d["id"] for d in (await get(client, reporter, BASE))["items"]] == [mine["id"]]
        await get(client, reporter, f"{BASE}/{bou['id']}", 404)

    @pytest.mark.parametrize("role", list(Role))
    async def test_roles(self, client, tenant, units, role):
        headers = await tenant.headers(role)
        assert (await client.get(BASE, headers=headers)).status_code == 200
        report = await client.get(
            f"{BASE}/ivo-report", params={"quarter": "2019-Q4"}, headers=headers
        )
        assert report.status_code == 200
        created = await client.post(BASE, json=body(units["AF"]), headers=headers)
        writers = {Role.ADMIN, Role.REPORTER, Role.INTEGRATION}
        assert created.status_code == (201 if role in writers else 403), role


async def test_pages_walk_every_decision_once(client, tenant, units):
    h = tenant.admin
    for day in ("2019-03-01", "2019-01-01", "2019-02-01"):
        await post(client, h, BASE, body(units["AF"], decision_on=day))
    seen, cursor = [], None
    while True:
        params = {"limit": 2, "sort": "-decision_on", **({"cursor": cursor} if cursor else {})}
        page = await get(client, h, BASE, **params)
        seen += [d["decision_on"] for d in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert seen == ["2019-03-01", "2019-02-01", "2019-01-01"]
