"""The scorecard end to end: roll-up, colours, explanations, as_of, manual beside computed, N+1.

The plan below is small enough to work out by hand. Org: SN → SK → {AF, BOU}. As of 2023-06:

* GROUPS (sum, at least 600 a year): AF 30 + BOU 25 a month for six months = 330 ≥ 300 → green.
* SHARE (last, at least 80): SN's own 82 → green (AF's 50 does not count: not additive).
* SICK (ratio, at most 18 %, tolerance 2): (10 + 30) / (100 + 100) = 20 % → 2 over → yellow.
* HOUSEHOLDS (mean, at most 1300): monthly sums 1200 ×3, 1300 ×2, and June SK's own 2100
  (taking precedence over AF + BOU) → 8300 / 6 = 1383.33; 83.33 over, tolerance 130 → yellow.
  Counting AF + BOU under SK too would give 1600 → red: the precedence rule matters.
* VISITS (last, increase on last year): 2022 outcome 70, now 75 → green.
* WAITING (no measurements) → no_data.

Goals: 3.1 (70 %) = GROUPS, SHARE, SICK → 2 of 3 green → yellow. 3.2 (50 %) = HOUSEHOLDS, VISITS,
WAITING → 1 of the 2 with data green → green, WAITING named as missing. KF 3 (all_children) →
yellow.
"""

import asyncio
import gc
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from app.scorecard import service

INDICATORS = {
    "GROUPS": ("count", "higher_is_better", "sum", {"kind": "at_least", "value": 600}),
    "SHARE": ("percent", "higher_is_better", "last", {"kind": "at_least", "value": 80}),
    "SICK": (
        "percent",
        "lower_is_better",
        "ratio",
        {"kind": "at_most", "value": 18, "yellow_tolerance": {"kind": "absolute", "value": 2}},
    ),
    "HOUSEHOLDS": ("count", "lower_is_better", "mean", {"kind": "at_most", "value": 1300}),
    "VISITS": ("count", "higher_is_better", "last", {"kind": "increase"}),
    "WAITING": ("days", "lower_is_better", "last", {"kind": "at_most", "value": 14}),
}


async def _ok(response, status=201):
    assert response.status_code == status, response.text
    return response.json()


async def build_plan(client, h, *, extra_goals=0):
    units: dict[str, str] = {}
    for code, kind, parent in (
        ("SN", "committee", None),
        ("SK", "office", "SN"),
        ("AF", "area", "SK"),
        ("BOU", "area", "SK"),
    ):
        body: dict[str, object] = {
            "code": code,
            "name": code,
            "kind": kind,
            "valid_from": "2019-01-01",
        }
        if parent:
            body["parent_id"] = units[parent]
        units[code] = (await _ok(await client.post("/api/v1/org-units", json=body, headers=h)))[
            "id"
        ]
    ids = {}
    for code, (unit, polarity, aggregation, target) in INDICATORS.items():
        body = {
            "code": code,
            "title": code.title(),
            "unit": unit,
            "polarity": polarity,
            "periodicity": "month",
            "aggregation": aggregation,
            "valid_from_year": 2022,
        }
        ids[code] = (await _ok(await client.post("/api/v1/indicators", json=body, headers=h)))["id"]
        await _ok(
            await client.put(f"/api/v1/indicators/{ids[code]}/targets/2023", json=target, headers=h)
        )

    async def put(code, unit, period, **values):
        body = {"indicator_id": ids[code], "org_unit_id": units[unit], "period": period, **values}
        response = await client.put("/api/v1/measurements", json=body, headers=h)
        assert response.status_code in (200, 201), response.text

    for month in range(1, 7):
        period = f"2023-{month:02d}"
        await put("GROUPS", "AF", period, value=30)
        await put("GROUPS", "BOU", period, value=25)
        await put("HOUSEHOLDS", "AF", period, value=600)
        await put("HOUSEHOLDS", "BOU", period, value=600 if month <= 3 else 700)
    await put("HOUSEHOLDS", "SK", "2023-06", value=2100)
    await put("SHARE", "SN", "2023-06", value=82)
    await put("SHARE", "AF", "2023-06", value=50)
    await put("SICK", "AF", "2023-06", numerator=10, denominator=100)
    await put("SICK", "BOU", "2023-06", numerator=30, denominator=100)
    await put("VISITS", "SN", "2022-12", value=70)
    await put("VISITS", "SN", "2023-06", value=75)

    def goal(code, level, rule, indicators=(), parent=None):
        body = {
            "level": level,
            "code": code,
            "title": f"Mål {code}",
            "owner_id": units["SN"],
            "valid_from_year": 2023,
            "valid_to_year": 2025,
            "rule": rule,
            "indicators": [{"indicator_id": ids[i]} for i in indicators],
        }
        if parent:
            body["parent_id"] = parent
        return client.post("/api/v1/goals", json=body, headers=h)

    kf3 = await _ok(await goal("3", "council", {"kind": "all_children"}))
    await _ok(
        await goal(
            "3.1",
            "committee",
            {"kind": "share_of_indicators", "threshold": 0.7},
            ("GROUPS", "SHARE", "SICK"),
            kf3["id"],
        )
    )
    await _ok(
        await goal(
            "3.2",
            "committee",
            {"kind": "share_of_indicators", "threshold": 0.5},
            ("HOUSEHOLDS", "VISITS", "WAITING"),
            kf3["id"],
        )
    )
    for n in range(extra_goals):
        await _ok(
            await goal(f"9.{n}", "council", {"kind": "share_of_indicators"}, ("GROUPS", "SICK"))
        )
    return units, ids


@pytest.fixture
async def plan(client, tenant):
    return await build_plan(client, tenant.admin)


async def card(client, h, units, **params):
    response = await client.get(
        "/api/v1/scorecard",
        params={"org_unit_id": units["SN"], "period": "2023-06", **params},
        headers=h,
    )
    assert response.status_code == 200, response.text
    return response.json()


def indicator(node, code):
    return next(i for i in node["indicators"] if i["code"] == code)


async def test_the_scorecard_colours_and_explains_every_goal_and_indicator(client, tenant, plan):
    units, _ = plan
    sc = await card(client, tenant.admin, units)
    assert sc["goals"] == {"green": 1, "yellow": 2, "red": 0, "no_data": 0, "total": 3}
    assert sc["indicators"] == {"green": 3, "yellow": 2, "red": 0, "no_data": 1, "total": 6}
    [kf3] = sc["tree"]
    assert (kf3["code"], kf3["status"]) == ("3", "yellow")
    assert kf3["explanation"]["summary"] == "Yellow: not yet met: goal 3.1."
    g31, g32 = kf3["children"]
    assert (g31["status"], g32["status"]) == ("yellow", "green")

    groups = indicator(g31, "GROUPS")
    assert groups["status"] == "green"
    assert (groups["explanation"]["actual"], groups["explanation"]["expected"]) == (330, 300)
    assert groups["explanation"]["share_of_year"] == 0.5
    assert indicator(g31, "SHARE")["explanation"]["actual"] == 82
    sick = indicator(g31, "SICK")
    assert (sick["status"], sick["explanation"]["actual"], sick["explanation"]["gap"]) == (
        "yellow",
        20,
        2,
    )
    assert sick["explanation"]["target"] == {
        "kind": "at_most",
        "value": 18,
        "low": None,
        "high": None,
        "min_change": None,
        "text": None,
    }
    assert (sick["explanation"]["tolerance"], sick["explanation"]["green_to"]) == (2, 18)
    assert sick["explanation"]["measurements"] == ["2023-06 (2 units)"]
    assert (
        sick["explanation"]["rollup"]
        == "the unit's own numerator/denominator, else the sums over its subtree"
    )
    assert g31["explanation"]["green_share"] == pytest.approx(2 / 3)

    households = indicator(g32, "HOUSEHOLDS")
    assert households["status"] == "yellow"
    assert households["explanation"]["actual"] == pytest.approx(8300 / 6)
    visits = indicator(g32, "VISITS")
    assert visits["status"] == "green"
    assert visits["explanation"]["reference"] == {"value": 70, "source": "outcome 2022"}
    assert indicator(g32, "WAITING")["status"] == "no_data"
    assert g32["explanation"]["missing"] == ["indicator WAITING"]
    assert (
        g32["explanation"]["summary"]
        == "Green: 50 % green (≥ 50 %) and none red. Without data: indicator WAITING."
    )


async def test_a_reading_as_of_an_earlier_time_is_what_was_known_then(client, tenant, plan):
    units, ids = plan
    await asyncio.sleep(0.01)
    before = datetime.now(UTC).isoformat()
    await asyncio.sleep(0.01)
    body = {
        "indicator_id": ids["SHARE"],
        "org_unit_id": units["SN"],
        "period": "2023-06",
        "value": 60,
    }
    assert (
        await client.put("/api/v1/measurements", json=body, headers=tenant.admin)
    ).status_code == 200
    then = await card(client, tenant.admin, units, as_of=before)
    now = await card(client, tenant.admin, units)
    assert indicator(then["tree"][0]["children"][0], "SHARE")["status"] == "green"
    assert indicator(now["tree"][0]["children"][0], "SHARE")["status"] == "red"
    assert then["tree"][0]["children"][0]["status"] == "yellow"
    # Now GROUPS green, SHARE red, SICK yellow: a third red > 1 − 0.70, so 70 % green is out of reach.
    assert now["tree"][0]["children"][0]["status"] == "red"
    assert now["tree"][0]["children"][0]["explanation"]["red_share"] == pytest.approx(1 / 3)
    assert now["tree"][0]["status"] == "red"  # KF 3: any red child


async def test_manual_assessment_shows_beside_the_computed_status(client, tenant, plan):
    units, ids = plan
    editor = await tenant.headers("editor")
    body = {
        "subject_type": "indicator",
        "subject_id": ids["SICK"],
        "org_unit_id": units["SN"],
        "period": "2023-06",
        "status": "green",
        "comment": "Åtgärder planerade från augusti.",
    }
    created = await client.post("/api/v1/assessments", json=body, headers=editor)
    assert created.status_code == 201, created.text
    sick = indicator((await card(client, tenant.admin, units))["tree"][0]["children"][0], "SICK")
    assert sick["status"] == "yellow"
    assert sick["manual"]["status"] == "green"
    assert sick["manual"]["comment"] == "Åtgärder planerade från augusti."
    no_comment = await client.post(
        "/api/v1/assessments", json={**body, "comment": ""}, headers=editor
    )
    assert no_comment.status_code == 422
    viewer = await tenant.headers("viewer")
    assert (await client.post("/api/v1/assessments", json=body, headers=viewer)).status_code == 403
    history = await client.get(
        "/api/v1/assessments", params={"subject_id": ids["SICK"]}, headers=viewer
    )
    assert [a["status"] for a in history.json()] == ["green"]
    audit = await client.get(
        "/api/v1/audit-events", params={"entity_type": "assessment"}, headers=tenant.admin
    )
    assert [e["action"] for e in audit.json()["items"]] == ["create"]


async def test_indicator_and_goal_status_endpoints(client, tenant, plan):
    units, ids = plan
    h = tenant.admin
    at_af = await client.get(
        f"/api/v1/indicators/{ids['GROUPS']}/status",
        params={"org_unit_id": units["AF"], "period": "2023-06"},
        headers=h,
    )
    assert at_af.json()["explanation"]["actual"] == 180  # AF alone: 6 × 30
    assert at_af.json()["status"] == "red"  # 120 short of 300, tolerance 30
    goals = (await client.get("/api/v1/goals", params={"level": "committee"}, headers=h)).json()[
        "items"
    ]
    g32 = next(g for g in goals if g["code"] == "3.2")
    status = await client.get(
        f"/api/v1/goals/{g32['id']}/status", params={"period": "2023-06"}, headers=h
    )
    assert status.json()["status"] == "green"


async def test_the_scorecard_is_scoped_to_the_municipality(client, tenant, other_tenant, plan):
    units, _ = plan
    response = await client.get(
        "/api/v1/scorecard",
        params={"org_unit_id": units["SN"], "period": "2023-06"},
        headers=other_tenant.admin,
    )
    assert response.status_code == 404
    empty = await client.get(
        "/api/v1/scorecard", params={"period": "2023-06"}, headers=other_tenant.admin
    )
    assert empty.json()["tree"] == []


async def test_statement_count_does_not_grow_with_goals_or_indicators(
    app, client, tenant, other_tenant, plan
):
    small_units, _ = plan
    large_units, _ = await build_plan(client, other_tenant.admin, extra_goals=8)
    statements: list[str] = []

    def count(*args, **kwargs):
        statements.append(args[2])

    engine = app.state.db.engine.sync_engine
    for t in (tenant, other_tenant):
        await client.get("/api/v1/me", headers=t.admin)  # settle the key's last_used_at touch
    event.listen(engine, "before_cursor_execute", count)
    try:
        await card(client, tenant.admin, small_units)
        small = len(statements)
        statements.clear()
        large_card = await card(client, other_tenant.admin, large_units)
        large = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert large_card["goals"]["total"] == 11
    assert small == large
    assert small <= 10


async def test_the_collector_is_paused_while_a_scorecard_is_built_and_resumed_after(
    client, tenant, plan, monkeypatch
):
    """A large scorecard builds tens of thousands of acyclic objects; a full collection walking
    them all was a quarter of the 10 000-indicator benchmark (README, Performance)."""
    units, _ = plan
    seen: list[bool] = []
    evaluate = service.evaluate

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(service, "evaluate", recording)
    await card(client, tenant.admin, units)
    assert seen
    assert not any(seen)
    assert gc.isenabled()
