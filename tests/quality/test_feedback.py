"""Feedback: register and answer, statistics per year × kind and × topic with answer times.

Hand-built: 2018: 2 complaints (accessibility, answered after 4 and 10 days), 1 praise.
2019: complaints accessibility ×2 (answered after 2 days; one unanswered), treatment ×1
(answered after 30 days), uncategorised ×1 (unanswered); 1 suggestion (other, answered same day).
2019 answer times: 0, 2, 30 → median 2, p90 at rank 1.8: 2 + 0.8 × 28 = 24.4.
"""

import pytest

from app.auth.permissions import Role
from tests.quality.conftest import events, get, patch, post

BASE = "/api/v1/feedback"
STATS = f"{BASE}/statistics"


def body(
    unit, kind="complaint", topic="accessibility", received="2019-03-01", answered=None, **extra
):
    return {
        "org_unit_id": unit["id"],
        "kind": kind,
        "topic": topic,
        "received_on": received,
        "answered_on": answered,
        **extra,
    }


@pytest.fixture
async def feedback(client, tenant, units):
    h, af, bou = tenant.admin, units["AF"], units["BOU"]
    rows = [
        body(af, received="2018-02-01", answered="2018-02-05"),
        body(bou, received="2018-06-01", answered="2018-06-11"),
        body(af, kind="praise", topic=None, received="2018-09-01"),
        body(af, received="2019-01-10", answered="2019-01-12"),
        body(bou, received="2019-05-10"),
        body(af, topic="treatment", received="2019-09-01", answered="2019-10-01"),
        body(bou, topic=None, received="2019-12-30"),
        body(af, kind="suggestion", topic="other", received="2019-04-01", answered="2019-04-01"),
    ]
    return [await post(client, h, BASE, row) for row in rows]


def answer_times(row):
    d = row["days_to_answer"]
    return d["count"], d["median"], d["p90"]


async def test_statistics_per_year_and_kind(client, tenant, feedback):
    stats = await get(client, tenant.admin, STATS)
    assert stats["group_by"] == ["year", "kind"]
    assert [
        (g["period"], g["kind"], g["count"], g["answered"], g["unanswered"])
        for g in stats["groups"]
    ] == [
        ("2018", "complaint", 2, 2, 0),
        # Praise awaits no answer: never "unanswered" (issue 21; it used to count 1 here).
        ("2018", "praise", 1, 0, 0),
        ("2019", "complaint", 4, 2, 2),
        ("2019", "suggestion", 1, 1, 0),
    ]
    assert answer_times(stats["groups"][0]) == (2, 7, 9.4)  # 4 and 10: 4 + 0.9 × 6
    assert (stats["total"]["count"], stats["total"]["answered"]) == (8, 5)
    # The backlog: 2019's two complaints without an answer, not the 2018 praise.
    assert stats["total"]["unanswered"] == 2


async def test_statistics_per_year_and_topic(client, tenant, feedback):
    stats = await get(
        client,
        tenant.admin,
        STATS,
        group_by=["year", "topic"],
        period_from="2019",
        period_to="2019",
    )
    assert [(g["period"], g["topic"], g["count"]) for g in stats["groups"]] == [
        ("2019", "accessibility", 2),
        ("2019", "other", 1),
        ("2019", "treatment", 1),
        ("2019", None, 1),
    ]
    year = await get(client, tenant.admin, STATS, group_by="year", period_from="2019")
    [y2019] = year["groups"]
    assert answer_times(y2019) == (3, 2, 24.4)
    complaints = await get(client, tenant.admin, STATS, group_by="topic", kind="complaint")
    assert [(g["topic"], g["count"]) for g in complaints["groups"]] == [
        ("accessibility", 4),
        ("treatment", 1),
        (None, 1),
    ]


async def test_statistics_by_unit_and_tertial(client, tenant, feedback, units):
    h = tenant.admin
    by_unit = await get(client, h, STATS, group_by="org_unit")
    assert [(g["org_unit_code"], g["count"]) for g in by_unit["groups"]] == [("AF", 5), ("BOU", 3)]
    tertials = await get(client, h, STATS, group_by="tertial", org_unit_id=units["BOU"]["id"])
    assert [(g["period"], g["count"]) for g in tertials["groups"]] == [
        ("2018-T2", 1),
        ("2019-T2", 1),
        ("2019-T3", 1),
    ]


async def test_answering_and_listing(client, tenant, units):
    h = tenant.admin
    made = await post(client, h, BASE, body(units["AF"], summary="Svårt att nå handläggare"))
    assert made["answered_on"] is None
    answered = await patch(client, h, f"{BASE}/{made['id']}", {"answered_on": "2019-03-04"})
    assert answered["answered_on"] == "2019-03-04"
    early = await client.patch(
        f"{BASE}/{made['id']}", json={"answered_on": "2019-02-28"}, headers=h
    )
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "body.answered_on"
    assert [f["id"] for f in (await get(client, h, BASE, answered="true"))["items"]] == [made["id"]]
    assert (await get(client, h, BASE, answered="false"))["items"] == []
    trail = (await events(client, tenant, entity_type="feedback", entity_id=made["id"]))["items"]
    assert [e["action"] for e in trail] == ["create", "update"]
    assert (await client.delete(f"{BASE}/{made['id']}", headers=h)).status_code == 204
    trail = (await events(client, tenant, entity_type="feedback", entity_id=made["id"]))["items"]
    assert [e["action"] for e in trail] == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "rant"}, "body.kind"),
        ({"topic": "weather"}, "body.topic"),
        ({"answered_on": "2019-02-01"}, "body.answered_on"),
        ({"received_on": "2999-01-01"}, "body.received_on"),
        ({"summary": "Klagomål från 811218-9876"}, "body.summary"),
        ({"org_unit_id": None}, "body.org_unit_id"),
    ],
)
async def test_bad_feedback_is_422_naming_the_field(client, tenant, units, change, field):
    response = await client.post(BASE, json=body(units["AF"]) | change, headers=tenant.admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert "811218" not in response.text


async def test_isolation_and_subtree(client, tenant, other_tenant, units):
    made = await post(client, tenant.admin, BASE, body(units["BOU"]))
    await get(client, other_tenant.admin, f"{BASE}/{made['id']}", 404)
    await patch(client, other_tenant.admin, f"{BASE}/{made['id']}", {"topic": "other"}, 404)
    assert (await get(client, other_tenant.admin, STATS))["total"]["count"] == 0
    reporter = await tenant.headers(Role.REPORTER, org_unit_id=units["AF"]["id"])
    await get(client, reporter, f"{BASE}/{made['id']}", 404)
    await post(client, reporter, BASE, body(units["BOU"]), 403)
    mine = await post(client, reporter, BASE, body(units["AF-1"]))
    assert [f["id"] for f in (await get(client, reporter, BASE))["items"]] == [mine["id"]]


@pytest.mark.parametrize("role", list(Role))
async def test_roles(client, tenant, units, role):
    headers = await tenant.headers(role)
    assert (await client.get(STATS, headers=headers)).status_code == 200
    created = await client.post(BASE, json=body(units["AF"]), headers=headers)
    writers = {Role.ADMIN, Role.REPORTER, Role.INTEGRATION}
    assert created.status_code == (201 if role in writers else 403), role
