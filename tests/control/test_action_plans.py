"""Action plans: items with follow-up month and dated notes; overdue follow-ups; audit; access."""

from typing import Any

import pytest

from app.auth.permissions import Role

BASE = "/api/v1/action-plans"


def _field(response) -> list[tuple[str, str]]:
    assert response.status_code == 422, response.text
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


@pytest.fixture
async def units(client, tenant) -> dict[str, Any]:
    made: dict[str, Any] = {}
    for code, kind, parent in (("SN", "committee", None), ("IFO", "area", "SN")):
        body = {"code": code, "name": code, "kind": kind, "valid_from": "2019-01-01"}
        if parent:
            body["parent_id"] = made[parent]["id"]
        response = await client.post("/api/v1/org-units", json=body, headers=tenant.admin)
        made[code] = response.json()
    return made


ITEMS = [
    {
        "area": "Uppsökande och förebyggande arbete",
        "objective": "Ta reda på om otrygghet har att göra med våld och övergrepp.",
        "approach": "Ge möjlighet att uttrycka sig.",
        "target_group": "Kvinnor och män med bostad särskild service LSS",
        "responsible_role": "Verksamhetschef Stöd och service",
        "follow_up_month": "2023-12",
    },
    {
        "area": "Kompetens och förhållningssätt i stödinsatser",
        "objective": "Barnets rättigheter beaktas vid utredning och bedömning.",
        "approach": "I varje barnavårdsutredning har barnets röst kommit till uttryck.",
        "target_group": "Barn och ungdomar i kontakt med socialtjänsten",
        "responsible_role": "Verksamhetschef IFO",
        "follow_up_month": "2023-06",
    },
]


async def make_plan(client, tenant, units, **extra):
    body = {
        "owner_id": units["SN"]["id"],
        "year": 2023,
        "title": "Handlingsplan mot våld i nära relation 2023",
        "reference": "VSF.2023.5",
        "adopted_on": "2023-02-21",
        "decision_ref": "SN 2023-02-21 § 21",
        "items": ITEMS,
        **extra,
    }
    response = await client.post(BASE, json=body, headers=tenant.admin)
    assert response.status_code == 201, response.text
    return response.json()


def item_url(plan, item) -> str:
    return f"{BASE}/{plan['id']}/items/{item['id']}"


async def note(client, headers, plan, item, noted_on, status, expected=201, comment="Uppföljt"):
    response = await client.post(
        f"{item_url(plan, item)}/follow-ups",
        json={"noted_on": noted_on, "status": status, "comment": comment},
        headers=headers,
    )
    assert response.status_code == expected, response.text
    return response.json()


class TestActionPlans:
    async def test_create_with_items_read_update_delete(self, client, tenant, units):
        h = tenant.admin
        plan = await make_plan(client, tenant, units)
        assert plan["reference"] == "VSF.2023.5"
        items = plan["items"]
        assert [(i["number"], i["area"], i["status"]) for i in items] == [
            (1, "Uppsökande och förebyggande arbete", "not_started"),
            (2, "Kompetens och förhållningssätt i stödinsatser", "not_started"),
        ]
        assert items[0]["follow_up_due_on"] == "2023-12-31"
        assert items[0]["approach"] == "Ge möjlighet att uttrycka sig."

        dup = await client.post(
            BASE,
            json={"owner_id": units["SN"]["id"], "year": 2023, "title": plan["title"]},
            headers=h,
        )
        assert dup.status_code == 409
        listed = (await client.get(BASE, params={"year": 2023}, headers=h)).json()
        assert [p["id"] for p in listed["items"]] == [plan["id"]]

        added = await client.post(
            f"{BASE}/{plan['id']}/items",
            json={**ITEMS[0], "area": "Uppföljning av insatser"},
            headers=h,
        )
        assert (added.status_code, added.json()["number"]) == (201, 3)
        taken = await client.post(
            f"{BASE}/{plan['id']}/items", json={**ITEMS[0], "number": 3}, headers=h
        )
        assert taken.status_code == 409

        changed = await client.patch(
            item_url(plan, added.json()),
            json={"approach": None, "follow_up_month": "2024-02"},
            headers=h,
        )
        assert changed.status_code == 200
        assert (changed.json()["approach"], changed.json()["follow_up_due_on"]) == (
            None,
            "2024-02-29",
        )
        renamed = await client.patch(
            f"{BASE}/{plan['id']}", json={"background": "KF 2020 § 80"}, headers=h
        )
        assert renamed.json()["background"] == "KF 2020 § 80"

        assert (await client.delete(f"{BASE}/{plan['id']}", headers=h)).status_code == 409
        for item in (await client.get(f"{BASE}/{plan['id']}", headers=h)).json()["items"]:
            assert (await client.delete(item_url(plan, item), headers=h)).status_code == 204
        assert (await client.delete(f"{BASE}/{plan['id']}", headers=h)).status_code == 204

    async def test_validation_names_the_field(self, client, tenant, units):
        h = tenant.admin
        base = {"owner_id": units["SN"]["id"], "year": 2023, "title": "HP"}
        cases = [
            (
                {**base, "items": [{**ITEMS[0], "follow_up_month": "December 2023"}]},
                ("body.items.0.follow_up_month", "string_pattern_mismatch"),
            ),
            (
                {**base, "items": [{**ITEMS[0], "number": 1}, {**ITEMS[1], "number": 1}]},
                ("body.items.1.number", "duplicate"),
            ),
            (
                {**base, "owner_id": "0190f000-0000-7000-8000-000000000000"},
                ("body.owner_id", "not_found"),
            ),
            (
                {**base, "items": [{**ITEMS[0], "target_group": "Barn 811218-9876"}]},
                ("body.items.0.target_group", "personal_identity_number"),
            ),
        ]
        for body, expected in cases:
            response = await client.post(BASE, json=body, headers=h)
            assert _field(response) == [expected]
            assert "811218-9876" not in response.text
        plan = await make_plan(client, tenant, units)
        bad_note = await client.post(
            f"{item_url(plan, plan['items'][0])}/follow-ups",
            json={"noted_on": "2023-12-13", "status": "finished", "comment": "x"},
            headers=h,
        )
        assert _field(bad_note)[0][0] == "body.status"


class TestFollowUps:
    async def test_notes_set_the_status_and_overdue_follow_ups_are_visible(
        self, client, tenant, units
    ):
        h = tenant.admin
        plan = await make_plan(client, tenant, units)
        december, june = plan["items"]  # follow-up months 2023-12 and 2023-06

        async def overview(on, **params):
            response = await client.get(
                f"{BASE}/follow-ups", params={"on": on, **params}, headers=h
            )
            assert response.status_code == 200, response.text
            body = response.json()
            return body, {d["item"]["id"]: d["item"]["follow_up_state"] for d in body["items"]}

        body, states = await overview("2023-05-01")
        assert states == {december["id"]: "upcoming", june["id"]: "upcoming"}
        # Listed by the follow-up date: June before December.
        assert [d["item"]["id"] for d in body["items"]] == [june["id"], december["id"]]
        assert body["items"][0]["plan_title"] == plan["title"]

        _, states = await overview("2023-06-15")
        assert states[june["id"]] == "due"
        body, states = await overview("2023-07-01")
        assert states[june["id"]] == "overdue"
        overdue, _ = await overview("2023-07-01", state="overdue")
        assert [d["item"]["id"] for d in overdue["items"]] == [june["id"]]
        assert overdue["counts"] == {
            "closed": 0,
            "followed_up": 0,
            "due": 0,
            "overdue": 1,
            "upcoming": 1,
        }

        # A note before the follow-up month does not count as the follow-up …
        ongoing = await note(client, h, plan, june, "2023-05-20", "ongoing")
        assert ongoing["status"] == "ongoing"
        _, states = await overview("2023-07-01")
        assert states[june["id"]] == "overdue"
        # … a note in or after it does; notes dated later than the day asked about do not.
        await note(client, h, plan, june, "2023-07-10", "ongoing", comment="Följts upp i SN")
        _, states = await overview("2023-07-05")
        assert states[june["id"]] == "overdue"
        _, states = await overview("2023-07-15")
        assert states[june["id"]] == "followed_up"

        # The latest note by date sets the status; a back-dated note does not override it.
        done = await note(client, h, plan, december, "2023-12-13", "done")
        assert done["status"] == "done"
        backdated = await note(client, h, plan, december, "2023-09-01", "ongoing")
        assert backdated["status"] == "done"
        assert [n["noted_on"] for n in backdated["follow_ups"]] == ["2023-09-01", "2023-12-13"]
        _, states = await overview("2024-01-10")
        assert states[december["id"]] == "closed"
        _, states = await overview("2023-10-01")
        assert states[december["id"]] == "upcoming"

        read = await client.get(f"{BASE}/{plan['id']}", params={"on": "2023-07-01"}, headers=h)
        by_id = {i["id"]: i for i in read.json()["items"]}
        assert by_id[june["id"]]["follow_up_state"] == "overdue"
        item = await client.get(item_url(plan, june), params={"on": "2023-07-15"}, headers=h)
        assert item.json()["follow_up_state"] == "followed_up"


class TestAuditAndAccess:
    async def test_every_write_is_audited(self, client, tenant, units):
        h = tenant.admin
        plan = await make_plan(client, tenant, units)
        item = plan["items"][0]
        await client.patch(f"{BASE}/{plan['id']}", json={"title": "HP 2023"}, headers=h)
        await client.patch(item_url(plan, item), json={"area": "Uppsökande arbete"}, headers=h)
        written = await note(client, h, plan, item, "2023-12-13", "ongoing")
        await client.delete(item_url(plan, item), headers=h)

        async def actions(entity_type, entity_id=None):
            params = {"entity_type": entity_type, "limit": 500}
            if entity_id:
                params["entity_id"] = entity_id
            response = await client.get("/api/v1/audit-events", params=params, headers=h)
            return [e["action"] for e in response.json()["items"]]

        assert await actions("action_plan", plan["id"]) == ["create", "update"]
        # Created, its area changed, its status set by the note, deleted.
        assert await actions("action_plan_item", item["id"]) == [
            "create",
            "update",
            "update",
            "delete",
        ]
        [note_id] = [n["id"] for n in written["follow_ups"]]
        assert await actions("action_plan_follow_up", note_id) == ["create", "delete"]

    async def test_another_municipality_sees_404(self, client, tenant, other_tenant, units):
        plan = await make_plan(client, tenant, units)
        item = plan["items"][0]
        h = other_tenant.admin
        assert (await client.get(f"{BASE}/{plan['id']}", headers=h)).status_code == 404
        assert (await client.get(item_url(plan, item), headers=h)).status_code == 404
        for method, path, body in (
            ("PATCH", f"{BASE}/{plan['id']}", {"title": "x"}),
            ("POST", f"{BASE}/{plan['id']}/items", ITEMS[0]),
            ("PATCH", item_url(plan, item), {"area": "x"}),
            (
                "POST",
                f"{item_url(plan, item)}/follow-ups",
                {"noted_on": "2023-12-01", "status": "done", "comment": "x"},
            ),
            ("DELETE", item_url(plan, item), None),
        ):
            response = await client.request(method, path, json=body, headers=h)
            assert response.status_code == 404, (method, path)
        overview = await client.get(f"{BASE}/follow-ups", headers=h)
        assert overview.json()["items"] == []

    @pytest.mark.parametrize("role", list(Role))
    async def test_roles(self, client, tenant, units, role):
        plan = await make_plan(client, tenant, units)
        item = plan["items"][0]
        headers = await tenant.headers(role)
        assert (await client.get(f"{BASE}/{plan['id']}", headers=headers)).status_code == 200
        added = await client.post(f"{BASE}/{plan['id']}/items", json=ITEMS[1], headers=headers)
        assert added.status_code == (201 if role in {Role.ADMIN, Role.EDITOR} else 403)
        followed = await client.post(
            f"{item_url(plan, item)}/follow-ups",
            json={"noted_on": "2023-12-13", "status": "ongoing", "comment": "Pågår"},
            headers=headers,
        )
        may_note = {Role.ADMIN, Role.EDITOR, Role.REPORTER}
        assert followed.status_code == (201 if role in may_note else 403)

    async def test_a_reporter_below_the_owner_cannot_note(self, client, tenant, units):
        plan = await make_plan(client, tenant, units)
        reporter = await tenant.headers(Role.REPORTER, org_unit_id=units["IFO"]["id"])
        await note(client, reporter, plan, plan["items"][0], "2023-12-13", "ongoing", expected=403)
