"""Deviation reports: filing, every allowed and refused transition, measures, Lex Sarah,
personnummer, subtree and tenant isolation, the audit trail."""

import itertools

import pytest

from app.auth.permissions import Role
from tests.quality.conftest import events, get, patch, post

BASE = "/api/v1/deviation-reports"
STATUSES = ["reported", "investigating", "measures_decided", "closed"]
ALLOWED = {
    ("reported", "investigating"),
    ("investigating", "measures_decided"),
    ("measures_decided", "closed"),
    ("closed", "investigating"),
}
# The way to each status from a fresh report, with the dates of each move.
PATH = [
    ("investigating", "2019-05-06"),
    ("measures_decided", "2019-05-20"),
    ("closed", "2019-06-03"),
]


def report_body(unit, **extra):
    return {
        "org_unit_id": unit["id"],
        "category": "routine",
        "severity": "medium",
        "description": "Rutinen för inkommen anmälan följdes inte.",
        "occurred_on": "2019-05-02",
        "reported_on": "2019-05-03",
        **extra,
    }


async def move(client, headers, report_id, to, moved_on=None, expected=200, **extra):
    body = {"to": to, **extra}
    if moved_on:
        body["moved_on"] = moved_on
    return await post(client, headers, f"{BASE}/{report_id}/transitions", body, expected)


async def report_in(client, headers, unit, status, **extra):
    report = await post(client, headers, BASE, report_body(unit, **extra))
    for to, moved_on in PATH[: STATUSES.index(status)]:
        report = await move(client, headers, report["id"], to, moved_on)
    assert report["status"] == status
    return report


async def test_filing_records_the_first_transition(client, tenant, units):
    report = await post(client, tenant.admin, BASE, report_body(units["AF"]))
    assert report["status"] == "reported"
    assert report["closed_on"] is None
    assert report["lex_sarah"] is None
    assert report["measures"] == []
    [filing] = report["transitions"]
    assert filing["from_status"] is None
    assert filing["to_status"] == "reported"
    assert filing["moved_on"] == "2019-05-03"
    assert filing["actor"].startswith("api_key:sk_")
    again = await get(client, tenant.admin, f"{BASE}/{report['id']}")
    assert again == report


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATUSES, STATUSES)))
async def test_every_move_is_allowed_or_refused(client, tenant, units, current, target):
    h = tenant.admin
    report = await report_in(client, h, units["AF"], current)
    extra = {"comment": "IVO begärde komplettering"} if current == "closed" else {}
    if (current, target) in ALLOWED:
        moved = await move(client, h, report["id"], target, "2019-06-10", **extra)
        assert moved["status"] == target
        last = moved["transitions"][-1]
        assert (last["from_status"], last["to_status"], last["moved_on"]) == (
            current,
            target,
            "2019-06-10",
        )
        assert moved["closed_on"] == ("2019-06-10" if target == "closed" else None)
    else:
        refused = await move(client, h, report["id"], target, "2019-06-10", 409, **extra)
        assert current in refused["detail"]
        assert target in refused["detail"]
        after = await get(client, h, f"{BASE}/{report['id']}")
        assert after["status"] == current
        assert len(after["transitions"]) == len(report["transitions"])


async def test_reopening_needs_a_comment_and_closing_again_counts_the_last_close(
    client, tenant, units
):
    h = tenant.admin
    report = await report_in(client, h, units["AF"], "closed")
    assert report["days_to_close"] == 31  # 2019-05-03 → 2019-06-03
    refused = await move(client, h, report["id"], "investigating", "2019-07-01", 422)
    assert refused["errors"][0]["field"] == "body.comment"
    reopened = await move(
        client, h, report["id"], "investigating", "2019-07-01", comment="Ny uppgift"
    )
    assert (reopened["status"], reopened["closed_on"], reopened["days_to_close"]) == (
        "investigating",
        None,
        None,
    )
    assert reopened["transitions"][-1]["comment"] == "Ny uppgift"
    await move(client, h, report["id"], "measures_decided", "2019-07-02")
    closed = await move(client, h, report["id"], "closed", "2019-07-03")
    assert (closed["closed_on"], closed["days_to_close"]) == ("2019-07-03", 61)
    assert [t["to_status"] for t in closed["transitions"]] == [
        "reported",
        "investigating",
        "measures_decided",
        "closed",
        "investigating",
        "measures_decided",
        "closed",
    ]


async def test_a_move_is_dated_not_before_the_previous_and_not_in_the_future(client, tenant, units):
    h = tenant.admin
    report = await post(client, h, BASE, report_body(units["AF"]))
    early = await move(client, h, report["id"], "investigating", "2019-05-02", 422)
    assert early["errors"][0]["field"] == "body.moved_on"
    late = await move(client, h, report["id"], "investigating", "2999-01-01", 422)
    assert late["errors"][0] == {
        "field": "body.moved_on",
        "code": "in_future",
        "message": "the date lies in the future",
    }
    same_day = await move(client, h, report["id"], "investigating", "2019-05-03")
    assert same_day["status"] == "investigating"
    today = await move(client, h, report["id"], "measures_decided")
    from datetime import date

    assert today["transitions"][-1]["moved_on"] == date.today().isoformat()


class TestLexSarah:
    async def test_cannot_close_without_the_outcome(self, client, tenant, units):
        h = tenant.admin
        report = await report_in(client, h, units["AF"], "measures_decided", lex_sarah={})
        assert report["lex_sarah"] == {
            "outcome": None,
            "serious": None,
            "ivo_notified_on": None,
            "ivo_reference": None,
        }
        refused = await move(client, h, report["id"], "closed", "2019-06-03", 409)
        assert [e["field"] for e in refused["errors"]] == ["lex_sarah.outcome"]
        assert refused["errors"][0]["code"] == "required_before_closing"

        await patch(client, h, f"{BASE}/{report['id']}", {"lex_sarah": {"outcome": "neither"}})
        closed = await move(client, h, report["id"], "closed", "2019-06-03")
        assert closed["status"] == "closed"
        assert closed["lex_sarah"]["outcome"] == "neither"

    async def test_maltreatment_needs_seriousness_and_a_serious_case_its_ivo_notification(
        self, client, tenant, units
    ):
        h = tenant.admin
        report = await report_in(
            client, h, units["AF"], "measures_decided", lex_sarah={"outcome": "maltreatment"}
        )
        refused = await move(client, h, report["id"], "closed", "2019-06-03", 409)
        assert [e["field"] for e in refused["errors"]] == ["lex_sarah.serious"]

        url = f"{BASE}/{report['id']}"
        await patch(client, h, url, {"lex_sarah": {"outcome": "maltreatment", "serious": True}})
        refused = await move(client, h, report["id"], "closed", "2019-06-03", 409)
        assert [e["field"] for e in refused["errors"]] == [
            "lex_sarah.ivo_notified_on",
            "lex_sarah.ivo_reference",
        ]

        lex = {
            "outcome": "risk_of_maltreatment",
            "serious": True,
            "ivo_notified_on": "2019-05-24",
            "ivo_reference": "3.5.1-41231/2019",
        }
        await patch(client, h, url, {"lex_sarah": lex})
        closed = await move(client, h, report["id"], "closed", "2019-06-03")
        assert closed["lex_sarah"] == lex

    async def test_a_not_serious_maltreatment_closes_without_ivo(self, client, tenant, units):
        h = tenant.admin
        lex = {"outcome": "maltreatment", "serious": False}
        report = await report_in(client, h, units["AF"], "measures_decided", lex_sarah=lex)
        closed = await move(client, h, report["id"], "closed", "2019-06-03")
        assert closed["lex_sarah"]["ivo_notified_on"] is None

    @pytest.mark.parametrize(
        ("lex", "field"),
        [
            ({"outcome": "neither", "serious": True}, "body.lex_sarah.serious"),
            ({"serious": False, "ivo_notified_on": "2019-06-01"}, "body.lex_sarah.ivo_notified_on"),
            ({"outcome": "sometimes"}, "body.lex_sarah.outcome"),
            (
                {"serious": True, "ivo_notified_on": "2019-05-01", "ivo_reference": "X"},
                "body.lex_sarah.ivo_notified_on",  # before reported_on 2019-05-03
            ),
        ],
    )
    async def test_inconsistent_lex_sarah_is_422_naming_the_field(
        self, client, tenant, units, lex, field
    ):
        response = await client.post(
            BASE, json=report_body(units["AF"], lex_sarah=lex), headers=tenant.admin
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field

    async def test_removing_the_flag_clears_the_lex_sarah_part(self, client, tenant, units):
        h = tenant.admin
        report = await post(
            client, h, BASE, report_body(units["AF"], lex_sarah={"outcome": "neither"})
        )
        cleared = await patch(client, h, f"{BASE}/{report['id']}", {"lex_sarah": None})
        assert cleared["lex_sarah"] is None
        untouched = await patch(client, h, f"{BASE}/{report['id']}", {"severity": "high"})
        assert (untouched["lex_sarah"], untouched["severity"]) == (None, "high")


class TestMeasures:
    async def test_measures_come_with_the_investigation_and_overdue_shows(
        self, client, tenant, units
    ):
        h = tenant.admin
        report = await post(client, h, BASE, report_body(units["AF"]))
        measure = {
            "description": "Uppdatera rutinen",
            "decided_on": "2019-05-10",
            "due_on": "2019-06-30",
        }
        await post(client, h, f"{BASE}/{report['id']}/measures", measure, 409)
        await move(client, h, report["id"], "investigating", "2019-05-06")
        with_measure = await post(client, h, f"{BASE}/{report['id']}/measures", measure)
        [m] = with_measure["measures"]
        assert (m["due_on"], m["done_on"], m["overdue"]) == ("2019-06-30", None, True)
        assert with_measure["overdue_measures"] == 1

        listed = await get(client, h, BASE, overdue="true")
        assert [r["id"] for r in listed["items"]] == [report["id"]]
        assert (await get(client, h, BASE, overdue="false"))["items"] == []

        await move(client, h, report["id"], "measures_decided", "2019-05-20")
        refused = await move(client, h, report["id"], "closed", "2019-07-01", 409)
        assert refused["errors"] == [
            {"field": "measures", "code": "measures_not_done", "message": "1 measure(s) not done"}
        ]
        done = await patch(
            client, h, f"{BASE}/{report['id']}/measures/{m['id']}", {"done_on": "2019-07-01"}
        )
        assert (done["measures"][0]["overdue"], done["overdue_measures"]) == (False, 0)
        closed = await move(client, h, report["id"], "closed", "2019-07-01")
        assert closed["status"] == "closed"

        # A closed report is frozen until reopened.
        await post(client, h, f"{BASE}/{report['id']}/measures", measure, 409)
        await patch(client, h, f"{BASE}/{report['id']}/measures/{m['id']}", {"done_on": None}, 409)
        await patch(client, h, f"{BASE}/{report['id']}", {"severity": "low"}, 409)

    async def test_a_measure_due_in_the_future_is_not_overdue(self, client, tenant, units):
        h = tenant.admin
        report = await report_in(client, h, units["AF"], "investigating")
        later = await post(
            client,
            h,
            f"{BASE}/{report['id']}/measures",
            {"description": "Utbildning", "due_on": "2999-12-31", "responsible": "Enhetschef"},
        )
        assert later["measures"][0]["overdue"] is False
        assert later["measures"][0]["responsible"] == "Enhetschef"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            (
                {"description": "x", "decided_on": "2019-06-01", "due_on": "2019-05-31"},
                "body.due_on",
            ),
            (
                {"description": "x", "decided_on": "2019-05-01", "due_on": "2019-06-30"},
                "body.decided_on",
            ),
            (
                {
                    "description": "x",
                    "decided_on": "2019-05-10",
                    "due_on": "2019-06-30",
                    "done_on": "2019-05-09",
                },
                "body.done_on",
            ),
            ({"description": "", "due_on": "2019-06-30"}, "body.description"),
            ({"description": "x", "due_on": "30/6"}, "body.due_on"),
        ],
    )
    async def test_bad_measures_are_422_naming_the_field(self, client, tenant, units, body, field):
        report = await report_in(client, tenant.admin, units["AF"], "investigating")
        response = await client.post(
            f"{BASE}/{report['id']}/measures", json=body, headers=tenant.admin
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field

    async def test_a_measure_of_another_report_is_404(self, client, tenant, units):
        h = tenant.admin
        one = await report_in(client, h, units["AF"], "investigating")
        other = await report_in(client, h, units["AF"], "investigating")
        with_measure = await post(
            client, h, f"{BASE}/{one['id']}/measures", {"description": "x", "due_on": "2999-01-01"}
        )
        measure_id = with_measure["measures"][0]["id"]
        await patch(
            client, h, f"{BASE}/{other['id']}/measures/{measure_id}", {"done_on": None}, 404
        )
        deleted = await client.delete(f"{BASE}/{one['id']}/measures/{measure_id}", headers=h)
        assert deleted.status_code == 200
        assert deleted.json()["measures"] == []


class TestValidation:
    @pytest.mark.parametrize(
        ("change", "field", "code"),
        [
            ({"category": "weather"}, "body.category", "enum"),
            ({"severity": None}, "body.severity", None),
            ({"occurred_on": "2019-05-04"}, "body.occurred_on", "after_reported_on"),
            ({"reported_on": "2999-01-01", "occurred_on": None}, "body.reported_on", "in_future"),
            ({"reported_on": 1556841600}, "body.reported_on", "date_format"),
            ({"description": ""}, "body.description", "too_short"),
            ({"unknown": 1}, "body.unknown", "extra_forbidden"),
        ],
    )
    async def test_bad_input_is_422_naming_the_field(
        self, client, tenant, units, change, field, code
    ):
        response = await client.post(
            BASE, json=report_body(units["AF"]) | change, headers=tenant.admin
        )
        assert response.status_code == 422, response.text
        error = response.json()["errors"][0]
        assert error["field"] == field
        if code:
            assert error["code"] == code

    async def test_an_unknown_org_unit_is_422(self, client, tenant, other_tenant, units):
        foreign = await post(
            client,
            other_tenant.admin,
            "/api/v1/org-units",
            {"code": "X", "name": "X", "kind": "unit", "valid_from": "2019-01-01"},
        )
        response = await client.post(BASE, json=report_body(foreign), headers=tenant.admin)
        assert response.status_code == 422
        assert response.json()["errors"][0] == {
            "field": "body.org_unit_id",
            "code": "not_found",
            "message": "org unit not found",
        }

    @pytest.mark.parametrize("number", ["811218-9876", "198112189876", "811278-9873"])
    async def test_personnummer_is_refused_in_description_comment_and_measure(
        self, client, tenant, units, number
    ):
        h = tenant.admin
        text = f"Gäller klient {number} på enheten"
        response = await client.post(
            BASE, json=report_body(units["AF"], description=text), headers=h
        )
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert (error["field"], error["code"]) == ("body.description", "personal_identity_number")
        assert number not in response.text

        report = await report_in(client, h, units["AF"], "closed")
        reopen = await client.post(
            f"{BASE}/{report['id']}/transitions",
            json={"to": "investigating", "comment": text},
            headers=h,
        )
        assert reopen.status_code == 422
        assert reopen.json()["errors"][0]["field"] == "body.comment"
        assert number not in reopen.text
        await move(client, h, report["id"], "investigating", comment="ok")
        measure = await client.post(
            f"{BASE}/{report['id']}/measures",
            json={"description": text, "due_on": "2999-01-01"},
            headers=h,
        )
        assert measure.status_code == 422
        assert measure.json()["errors"][0]["field"] == "body.description"
        patched = await client.patch(
            f"{BASE}/{report['id']}", json={"description": text}, headers=h
        )
        assert patched.status_code == 422
        assert number not in patched.text

    async def test_a_reference_is_unique_per_source(self, client, tenant, units):
        h = tenant.admin
        body = report_body(units["AF"], source="DF Respons", reference="AV-1")
        await post(client, h, BASE, body)
        await post(client, h, BASE, body, 409)
        await post(client, h, BASE, report_body(units["AF"], source="Annat", reference="AV-1"))
        found = await get(client, h, BASE, source="DF Respons", reference="AV-1")
        assert len(found["items"]) == 1


async def test_only_a_report_still_reported_is_deleted(client, tenant, units):
    h = tenant.admin
    mistake = await post(client, h, BASE, report_body(units["AF"]))
    handled = await report_in(client, h, units["AF"], "investigating")
    assert (await client.delete(f"{BASE}/{handled['id']}", headers=h)).status_code == 409
    assert (await client.delete(f"{BASE}/{mistake['id']}", headers=h)).status_code == 204
    await get(client, h, f"{BASE}/{mistake['id']}", 404)
    trail = await events(client, tenant, entity_type="deviation_report", entity_id=mistake["id"])
    assert [e["action"] for e in trail["items"]] == ["create", "delete"]


async def test_reported_on_changes_only_while_reported(client, tenant, units):
    h = tenant.admin
    report = await post(client, h, BASE, report_body(units["AF"]))
    moved = await patch(client, h, f"{BASE}/{report['id']}", {"reported_on": "2019-05-04"})
    assert moved["transitions"][0]["moved_on"] == "2019-05-04"
    await move(client, h, report["id"], "investigating", "2019-05-06")
    await patch(client, h, f"{BASE}/{report['id']}", {"reported_on": "2019-05-05"}, 409)


async def test_writes_and_transitions_are_audited(client, tenant, units):
    h = tenant.admin
    report = await post(client, h, BASE, report_body(units["AF"]))
    await move(client, h, report["id"], "investigating", "2019-05-06")
    trail = (await events(client, tenant, entity_type="deviation_report", entity_id=report["id"]))[
        "items"
    ]
    assert [e["action"] for e in trail] == ["create", "update"]
    assert trail[0]["after"]["description"] == report_body(units["AF"])["description"]
    assert (trail[1]["before"]["status"], trail[1]["after"]["status"]) == (
        "reported",
        "investigating",
    )
    moves = (await events(client, tenant, entity_type="deviation_transition"))["items"]
    mine = [e for e in moves if e["after"]["report_id"] == report["id"]]
    assert [(e["action"], e["after"]["to_status"]) for e in mine] == [
        ("create", "reported"),
        ("create", "investigating"),
    ]
    assert {e["actor"] for e in trail + mine} == {mine[0]["actor"]}


class TestAccess:
    async def test_another_municipality_sees_404(self, client, tenant, other_tenant, units):
        report = await report_in(client, tenant.admin, units["AF"], "investigating")
        h = other_tenant.admin
        url = f"{BASE}/{report['id']}"
        await get(client, h, url, 404)
        await patch(client, h, url, {"severity": "low"}, 404)
        await move(client, h, report["id"], "measures_decided", expected=404)
        await post(client, h, f"{url}/measures", {"description": "x", "due_on": "2999-01-01"}, 404)
        assert (await client.delete(url, headers=h)).status_code == 404
        assert (await get(client, h, BASE))["items"] == []
        assert (await get(client, h, f"{BASE}/statistics"))["total"]["count"] == 0

    async def test_a_reporter_sees_and_writes_only_its_subtree(self, client, tenant, units):
        af_report = await post(client, tenant.admin, BASE, report_body(units["AF-1"]))
        bou_report = await post(client, tenant.admin, BASE, report_body(units["BOU"]))
        reporter = await tenant.headers(Role.REPORTER, org_unit_id=units["AF"]["id"])

        mine = await post(client, reporter, BASE, report_body(units["AF"]))
        await post(client, reporter, BASE, report_body(units["BOU"]), 403)
        listed = await get(client, reporter, BASE)
        assert {r["id"] for r in listed["items"]} == {af_report["id"], mine["id"]}
        await get(client, reporter, f"{BASE}/{bou_report['id']}", 404)
        await move(client, reporter, bou_report["id"], "investigating", expected=404)
        await patch(
            client, reporter, f"{BASE}/{mine['id']}", {"org_unit_id": units["BOU"]["id"]}, 403
        )
        moved = await move(client, reporter, af_report["id"], "investigating", "2019-05-06")
        assert moved["status"] == "investigating"
        stats = await get(client, reporter, f"{BASE}/statistics")
        assert stats["total"]["count"] == 2

    @pytest.mark.parametrize("role", list(Role))
    async def test_roles(self, client, tenant, units, role):
        headers = await tenant.headers(role)
        read = await client.get(BASE, headers=headers)
        assert read.status_code == 200
        created = await client.post(BASE, json=report_body(units["AF"]), headers=headers)
        writers = {Role.ADMIN, Role.REPORTER, Role.INTEGRATION}
        assert created.status_code == (201 if role in writers else 403), role
