"""Goals, the goal tree, goal-indicator links and assignments with dated progress.

The plan is Södertälje's socialnämnd 2023 (seed 004): KF goals 3 and 8, committee goals 3.1, 3.2
and 8.1 under them, the indicators of 3.1 and 8.1, and the council's assignment about children at
risk of recruitment by criminal networks.
"""

from decimal import Decimal
from typing import Any

import pytest

from app.auth.permissions import Role

GOALS = "/api/v1/goals"
ASSIGNMENTS = "/api/v1/assignments"
INDICATORS = "/api/v1/indicators"
MISSING = "0190f3a0-0000-7000-8000-000000000000"

INDICATOR_DEFAULTS: dict[str, Any] = {
    "polarity": "higher_is_better",
    "periodicity": "month",
    "aggregation": "last",
    "source": "Egen-kontroll",
    "valid_from_year": 2023,
    "valid_to_year": 2025,
}
PLAN_INDICATORS: list[dict[str, Any]] = [
    {
        "code": "SN-3.1.1",
        "title": "Andel deltagare inom AME och EFA som gått vidare till arbete eller studier (%)",
        "unit": "percent",
    },
    {
        "code": "SN-3.1.2",
        "title": "Antal barn i hushåll som uppbär ekonomiskt bistånd (per mån)",
        "unit": "count",
        "polarity": "lower_is_better",
        "aggregation": "mean",
        "baseline_value": 375,
        "baseline_period": "2022",
    },
    {
        "code": "SN-8.1.1",
        "title": "Budgetföljsamhet (%)",
        "unit": "percent",
        "polarity": "target_is_best",
        "source": "ERP",
    },
    {
        "code": "SN-8.1.4",
        "title": "Antal hushåll som uppbär ekonomiskt bistånd (per mån)",
        "unit": "count",
        "polarity": "lower_is_better",
        "aggregation": "mean",
        "baseline_value": 1173,
        "baseline_period": "2022",
    },
]
ASSIGNMENT_TEXT = (
    "Socialnämndens verksamhet ska utveckla insatser riktade till barn som riskerar att "
    "rekryteras av kriminella nätverk."
)


async def post(client, url, headers, body, status=201):
    response = await client.post(url, json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def org_unit(client, headers, code, name, kind="committee", parent=None):
    body = {"code": code, "name": name, "kind": kind, "valid_from": "2019-01-01"}
    if parent:
        body["parent_id"] = parent
    return await post(client, "/api/v1/org-units", headers, body)


async def indicator(client, headers, **body):
    return await post(client, INDICATORS, headers, {**INDICATOR_DEFAULTS, **body})


def goal_body(level, code, title, owner, **extra):
    return {
        "level": level,
        "code": code,
        "title": title,
        "owner_id": owner,
        "valid_from_year": 2023,
        "valid_to_year": 2025,
        **extra,
    }


async def create_goal(client, headers, body):
    return await post(client, GOALS, headers, body)


async def goal_codes(client, headers, **params):
    response = await client.get(GOALS, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [g["code"] for g in response.json()["items"]]


async def events(client, tenant, **params):
    response = await client.get("/api/v1/audit-events", params=params, headers=tenant.admin)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def fields(response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [e["field"] for e in response.json()["errors"]]


def dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def links(goal) -> list[tuple[str, Decimal | None]]:
    return [(link["indicator_id"], dec(link["weight"])) for link in goal["indicators"]]


@pytest.fixture
async def org(client, tenant):
    h = tenant.admin
    kf = await org_unit(client, h, "KF", "Kommunfullmäktige")
    sn = await org_unit(client, h, "SN", "Socialnämnden")
    bou = await org_unit(client, h, "BOU", "Barn och unga", kind="area", parent=sn["id"])
    return {"KF": kf["id"], "SN": sn["id"], "BOU": bou["id"]}


@pytest.fixture
async def ind(client, tenant):
    return {
        i["code"]: i["id"]
        for i in [await indicator(client, tenant.admin, **b) for b in PLAN_INDICATORS]
    }


@pytest.fixture
async def plan(client, tenant, org, ind):
    """KF 3 (2023) → {3.1 → BOU-1, 3.2}; KF 8 → 8.1; and KF 3 of the previous plan (2019–2022)."""
    h = tenant.admin
    g3 = await create_goal(
        client,
        h,
        goal_body(
            "council",
            "3",
            "Medborgarna har goda livsvillkor",
            org["KF"],
            goal_area="Södertäljes medborgare",
            rule={"kind": "all_children"},
            related_plans=["Folkhälsostrategi 2021–2024"],
        ),
    )
    g8 = await create_goal(
        client,
        h,
        goal_body(
            "council",
            "8",
            "Södertälje kommun har en god ekonomisk hushållning",
            org["KF"],
            goal_area="God ekonomi och effektiv organisation",
        ),
    )
    g31 = await create_goal(
        client,
        h,
        goal_body(
            "committee",
            "3.1",
            "Nämndens insatser är förebyggande och stöttar till ett självständigt liv",
            org["SN"],
            parent_id=g3["id"],
            goal_area="Södertäljes medborgare",
            rule={"kind": "share_of_indicators", "threshold": 0.7},
            indicators=[
                {"indicator_id": ind["SN-3.1.2"], "weight": 2},
                {"indicator_id": ind["SN-3.1.1"]},
            ],
        ),
    )
    g32 = await create_goal(
        client,
        h,
        goal_body(
            "committee",
            "3.2",
            "Nämndens verksamheter arbetar förebyggande mot våld i nära relationer",
            org["SN"],
            parent_id=g3["id"],
            goal_area="Södertäljes medborgare",
            rule={"kind": "share_of_indicators", "threshold": 0.75},
        ),
    )
    g81 = await create_goal(
        client,
        h,
        goal_body(
            "committee",
            "8.1",
            "Nämndens verksamheter är resurseffektiva",
            org["SN"],
            parent_id=g8["id"],
            goal_area="God ekonomi och effektiv organisation",
            indicators=[
                {"indicator_id": ind["SN-8.1.4"], "weight": 0.5},
                {"indicator_id": ind["SN-8.1.1"], "weight": 1},
            ],
        ),
    )
    bou = await create_goal(
        client,
        h,
        goal_body(
            "unit", "BOU-1", "Fler gruppverksamheter för barn", org["BOU"], parent_id=g31["id"]
        ),
    )
    old = await create_goal(
        client,
        h,
        {
            **goal_body("council", "3", "Goda livsvillkor (plan 2019–2022)", org["KF"]),
            "valid_from_year": 2019,
            "valid_to_year": 2022,
        },
    )
    return {"3": g3, "8": g8, "3.1": g31, "3.2": g32, "8.1": g81, "BOU-1": bou, "old-3": old}


@pytest.fixture
async def assignment(client, tenant, plan):
    return await post(
        client,
        ASSIGNMENTS,
        tenant.admin,
        {
            "goal_id": plan["3.1"]["id"],
            "origin": "council",
            "text": ASSIGNMENT_TEXT,
            "report_at": "year_end",
            "report_to_council": True,
        },
    )


# Goals --------------------------------------------------------------------------------------------


async def test_create_returns_the_goal_with_rule_and_weighted_indicators(
    client, tenant, plan, ind, org
):
    g31 = plan["3.1"]
    assert (g31["level"], g31["code"], g31["owner_id"], g31["parent_id"]) == (
        "committee",
        "3.1",
        org["SN"],
        plan["3"]["id"],
    )
    assert (g31["valid_from_year"], g31["valid_to_year"]) == (2023, 2025)
    assert g31["description"] is None
    assert g31["direction"] is None
    assert g31["related_plans"] == []
    assert g31["rule"]["kind"] == "share_of_indicators"
    assert dec(g31["rule"]["threshold"]) == Decimal("0.7")
    assert dec(g31["rule"]["min_coverage"]) == Decimal("0.5")
    # Listed by indicator code, whatever order they were sent in; weight defaults to 1.
    assert links(g31) == [(ind["SN-3.1.1"], Decimal(1)), (ind["SN-3.1.2"], Decimal(2))]
    assert links(plan["8.1"]) == [(ind["SN-8.1.1"], Decimal(1)), (ind["SN-8.1.4"], Decimal("0.5"))]
    assert plan["3"]["rule"] == {"kind": "all_children"}
    assert plan["3"]["related_plans"] == ["Folkhälsostrategi 2021–2024"]
    fetched = await client.get(f"{GOALS}/{g31['id']}", headers=tenant.admin)
    assert fetched.status_code == 200
    assert fetched.json() == g31


async def test_the_default_rule_is_seventy_percent_of_the_indicators(client, tenant, org):
    goal = await create_goal(client, tenant.admin, goal_body("committee", "1.1", "Mål", org["SN"]))
    assert goal["rule"]["kind"] == "share_of_indicators"
    assert dec(goal["rule"]["threshold"]) == Decimal("0.7")
    assert goal["indicators"] == []
    assert goal["parent_id"] is None


async def test_unknown_goal_is_404(client, tenant):
    response = await client.get(f"{GOALS}/{MISSING}", headers=tenant.admin)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_duplicate_code_in_the_same_start_year_is_409(client, tenant, plan, org):
    again = await client.post(
        GOALS, json=goal_body("council", "8", "Dubblett", org["KF"]), headers=tenant.admin
    )
    assert again.status_code == 409
    assert again.json()["type"].endswith("/conflict")
    # The same code in another plan period is a different goal (the fixture has "3" twice).
    assert await goal_codes(client, tenant.admin, level="council") == ["3", "3", "8"]
    next_plan = {
        **goal_body("council", "8", "Ny plan", org["KF"]),
        "valid_from_year": 2026,
        "valid_to_year": 2028,
    }
    await create_goal(client, tenant.admin, next_plan)
    renamed = await client.patch(
        f"{GOALS}/{plan['3.2']['id']}", json={"code": "3.1"}, headers=tenant.admin
    )
    assert renamed.status_code == 409
    moved = await client.patch(
        f"{GOALS}/{plan['old-3']['id']}",
        json={"valid_from_year": 2023, "valid_to_year": 2025},
        headers=tenant.admin,
    )
    assert moved.status_code == 409
    unchanged = await client.get(f"{GOALS}/{plan['old-3']['id']}", headers=tenant.admin)
    assert unchanged.json()["valid_from_year"] == 2019
    itself = await client.patch(
        f"{GOALS}/{plan['3.2']['id']}",
        json={"code": "3.2", "valid_from_year": 2023},
        headers=tenant.admin,
    )
    assert itself.status_code == 200


async def test_the_same_code_may_exist_in_another_municipality(client, tenant, other_tenant, plan):
    kf = await org_unit(client, other_tenant.admin, "KF", "Kommunfullmäktige")
    await create_goal(
        client, other_tenant.admin, goal_body("council", "3", "Goda livsvillkor", kf["id"])
    )


def _resolve(value: Any, refs: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("@"):
        return refs[value[1:]]
    if isinstance(value, dict):
        return {k: _resolve(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, refs) for v in value]
    return value


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"level": "committee", "parent_id": "@unit_goal"}, "body.parent_id", "level_order"),
        ({"level": "committee", "parent_id": "@committee_goal"}, "body.parent_id", "level_order"),
        ({"level": "council", "parent_id": "@council_goal"}, "body.parent_id", "level_order"),
        ({"level": "unit", "parent_id": "@unit_goal"}, "body.parent_id", "level_order"),
        ({"parent_id": "@missing"}, "body.parent_id", "not_found"),
        ({"owner_id": "@missing"}, "body.owner_id", "not_found"),
        ({"indicators": [{"indicator_id": "@missing"}]}, "body.indicators", "not_found"),
        (
            {"indicators": [{"indicator_id": "@indicator"}, {"indicator_id": "@indicator"}]},
            "body.indicators",
            None,
        ),
        (
            {"indicators": [{"indicator_id": "@indicator", "weight": 0}]},
            "body.indicators.0.weight",
            None,
        ),
        ({"indicators": [{"indicator_id": "@indicator", "w": 1}]}, "body.indicators.0.w", None),
        ({"indicators": ["@indicator"]}, "body.indicators.0", None),
        (
            {"rule": {"kind": "share_of_indicators", "threshold": 0}},
            "body.rule.share_of_indicators.threshold",
            None,
        ),
        (
            {"rule": {"kind": "share_of_indicators", "threshold": 1.01}},
            "body.rule.share_of_indicators.threshold",
            None,
        ),
        (
            {"rule": {"kind": "share_of_indicators", "min_coverage": 0}},
            "body.rule.share_of_indicators.min_coverage",
            None,
        ),
        ({"rule": {"kind": "majority"}}, "body.rule", "union_tag_invalid"),
        ({"rule": {"threshold": 0.7}}, "body.rule", "union_tag_not_found"),
        (
            {"rule": {"kind": "all_children", "threshold": 0.7}},
            "body.rule.all_children.threshold",
            None,
        ),
        ({"valid_to_year": 2022}, "body.valid_to_year", None),
        ({"valid_from_year": 1899}, "body.valid_from_year", None),
        ({"valid_to_year": None}, "body.valid_to_year", None),
        ({"code": "3 1"}, "body.code", None),
        ({"code": ""}, "body.code", None),
        ({"level": "department"}, "body.level", None),
        ({"title": ""}, "body.title", None),
        ({"owner_id": "SN"}, "body.owner_id", None),
        ({"related_plans": "Folkhälsostrategi"}, "body.related_plans", None),
        ({"weight": 1}, "body.weight", None),
    ],
)
async def test_invalid_goal_is_422_naming_the_field(
    client, tenant, plan, org, ind, change, field, code
):
    refs = {
        "unit_goal": plan["BOU-1"]["id"],
        "committee_goal": plan["3.1"]["id"],
        "council_goal": plan["3"]["id"],
        "missing": MISSING,
        "indicator": ind["SN-3.1.1"],
    }
    body = {**goal_body("committee", "9.1", "Nytt mål", org["SN"]), **_resolve(change, refs)}
    response = await client.post(GOALS, json=body, headers=tenant.admin)
    assert fields(response) == [field]
    if code is not None:
        assert response.json()["errors"][0]["code"] == code
    assert "9.1" not in await goal_codes(client, tenant.admin)


async def test_a_unit_goal_may_sit_under_a_council_goal(client, tenant, plan, org):
    body = goal_body("unit", "BOU-2", "Enhetsmål", org["BOU"], parent_id=plan["8"]["id"])
    assert (await create_goal(client, tenant.admin, body))["parent_id"] == plan["8"]["id"]


async def test_patch_changes_only_what_is_sent_and_null_clears_optional_fields(
    client, tenant, plan, org
):
    url = f"{GOALS}/{plan['3']['id']}"
    filled = await client.patch(
        url,
        json={
            "description": "Goda livsvillkor är viktigt för den sociala hållbarheten.",
            "direction": "Socialnämndens verksamheter ska arbeta förebyggande.",
        },
        headers=tenant.admin,
    )
    assert filled.status_code == 200, filled.text
    assert filled.json()["description"].startswith("Goda livsvillkor")
    assert filled.json()["title"] == plan["3"]["title"]
    assert filled.json()["goal_area"] == "Södertäljes medborgare"

    cleared = await client.patch(
        url,
        json={
            "description": None,
            "direction": None,
            "goal_area": None,
            "related_plans": None,
            "title": None,
            "code": None,
            "owner_id": None,
            "valid_from_year": None,
            "valid_to_year": None,
            "rule": None,
        },
        headers=tenant.admin,
    )
    assert cleared.status_code == 200, cleared.text
    goal = cleared.json()
    assert (goal["description"], goal["direction"], goal["goal_area"]) == (None, None, None)
    assert goal["related_plans"] == []
    assert (goal["title"], goal["code"], goal["owner_id"]) == (plan["3"]["title"], "3", org["KF"])
    assert (goal["valid_from_year"], goal["valid_to_year"]) == (2023, 2025)
    assert goal["rule"] == {"kind": "all_children"}
    assert goal["parent_id"] is None
    assert (await client.get(url, headers=tenant.admin)).json() == goal


async def test_patch_changes_the_rule_and_owner(client, tenant, plan, org, ind):
    url = f"{GOALS}/{plan['3.1']['id']}"
    response = await client.patch(
        url,
        json={"rule": {"kind": "share_of_indicators", "threshold": 0.75}, "owner_id": org["BOU"]},
        headers=tenant.admin,
    )
    assert response.status_code == 200, response.text
    goal = response.json()
    assert dec(goal["rule"]["threshold"]) == Decimal("0.75")
    assert dec(goal["rule"]["min_coverage"]) == Decimal("0.5")
    assert goal["owner_id"] == org["BOU"]
    assert links(goal) == links(plan["3.1"])
    assert goal["parent_id"] == plan["3"]["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"valid_to_year": 2022}, "body.valid_to_year"),
        ({"valid_from_year": 2026}, "body.valid_to_year"),
        ({"owner_id": MISSING}, "body.owner_id"),
        ({"title": ""}, "body.title"),
        (
            {"rule": {"kind": "share_of_indicators", "threshold": 0}},
            "body.rule.share_of_indicators.threshold",
        ),
        ({"rule": {"kind": "unknown"}}, "body.rule"),
        ({"level": "council"}, "body.level"),
        ({"parent_id": None}, "body.parent_id"),
        ({"indicators": []}, "body.indicators"),
    ],
)
async def test_invalid_patch_is_422_naming_the_field_and_changes_nothing(
    client, tenant, plan, change, field
):
    url = f"{GOALS}/{plan['3.1']['id']}"
    response = await client.patch(url, json=change, headers=tenant.admin)
    assert fields(response) == [field]
    assert (await client.get(url, headers=tenant.admin)).json() == plan["3.1"]


async def test_delete_a_goal_refuses_while_it_has_children_or_assignments(
    client, tenant, plan, assignment, ind
):
    h = tenant.admin
    with_children = await client.delete(f"{GOALS}/{plan['3']['id']}", headers=h)
    assert with_children.status_code == 409
    with_assignment = await client.delete(f"{GOALS}/{plan['3.1']['id']}", headers=h)
    assert with_assignment.status_code == 409
    assert (await client.delete(f"{GOALS}/{plan['BOU-1']['id']}", headers=h)).status_code == 204
    assert (await client.delete(f"{ASSIGNMENTS}/{assignment['id']}", headers=h)).status_code == 204
    assert (await client.delete(f"{GOALS}/{plan['3.1']['id']}", headers=h)).status_code == 204
    assert (await client.get(f"{GOALS}/{plan['3.1']['id']}", headers=h)).status_code == 404
    assert (await client.delete(f"{GOALS}/{plan['3.1']['id']}", headers=h)).status_code == 404
    # Its indicator links went with it, so the indicators may now be deleted.
    assert (await client.delete(f"{INDICATORS}/{ind['SN-3.1.1']}", headers=h)).status_code == 204


# Lists and the tree -------------------------------------------------------------------------------


async def test_list_is_sorted_by_code_and_filters(client, tenant, plan, org):
    h = tenant.admin
    assert await goal_codes(client, h) == ["3", "3", "3.1", "3.2", "8", "8.1", "BOU-1"]
    assert await goal_codes(client, h, year=2023) == ["3", "3.1", "3.2", "8", "8.1", "BOU-1"]
    assert await goal_codes(client, h, year=2022) == ["3"]
    assert await goal_codes(client, h, year=2026) == []
    assert await goal_codes(client, h, level="committee") == ["3.1", "3.2", "8.1"]
    assert await goal_codes(client, h, level="council", year=2023) == ["3", "8"]
    assert await goal_codes(client, h, owner_id=org["SN"]) == ["3.1", "3.2", "8.1"]
    assert await goal_codes(client, h, owner_id=org["BOU"]) == ["BOU-1"]
    assert await goal_codes(client, h, parent_id=plan["3"]["id"]) == ["3.1", "3.2"]
    assert await goal_codes(client, h, goal_area="God ekonomi och effektiv organisation") == [
        "8",
        "8.1",
    ]
    assert await goal_codes(client, h, sort="-code", level="committee") == ["8.1", "3.2", "3.1"]
    assert await goal_codes(client, h, owner_id=MISSING) == []
    listed = (await client.get(GOALS, params={"level": "committee"}, headers=h)).json()["items"]
    assert listed == [plan["3.1"], plan["3.2"], plan["8.1"]]


@pytest.mark.parametrize(
    "sort",
    [
        "code",
        "-code",
        "created_at",
    ],
)
async def test_cursor_pages_walk_every_goal_once(client, tenant, plan, sort):
    everything = (await client.get(GOALS, params={"sort": sort}, headers=tenant.admin)).json()
    expected = [g["id"] for g in everything["items"]]
    assert len(expected) == 7
    seen, cursor, pages = [], None, 0
    while True:
        params: dict[str, Any] = {"limit": 2, "sort": sort}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(GOALS, params=params, headers=tenant.admin)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        seen += [g["id"] for g in page["items"]]
        cursor = page.get("next_cursor")
        if cursor is None:
            break
    assert pages == 4
    assert seen == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "department"}, "query.level"),
        ({"owner_id": "SN"}, "query.owner_id"),
        ({"year": 3000}, "query.year"),
        ({"sort": "title"}, "query.sort"),
        ({"cursor": "!!not-base64"}, "query.cursor"),
    ],
)
async def test_bad_list_parameters_are_422(client, tenant, params, field):
    response = await client.get(GOALS, params=params, headers=tenant.admin)
    assert field in fields(response)


async def test_the_tree_nests_council_committee_and_unit_goals_in_one_call(
    client, tenant, plan, ind
):
    response = await client.get(f"{GOALS}/tree", params={"year": 2023}, headers=tenant.admin)
    assert response.status_code == 200, response.text
    roots = response.json()
    assert [r["code"] for r in roots] == ["3", "8"]
    three, eight = roots
    assert three["id"] == plan["3"]["id"]
    assert [c["code"] for c in three["children"]] == ["3.1", "3.2"]
    g31 = three["children"][0]
    assert [c["code"] for c in g31["children"]] == ["BOU-1"]
    assert g31["children"][0]["children"] == []
    assert links(g31) == [(ind["SN-3.1.1"], Decimal(1)), (ind["SN-3.1.2"], Decimal(2))]
    assert dec(g31["rule"]["threshold"]) == Decimal("0.7")
    assert [c["code"] for c in eight["children"]] == ["8.1"]
    assert links(eight["children"][0]) == [
        (ind["SN-8.1.1"], Decimal(1)),
        (ind["SN-8.1.4"], Decimal("0.5")),
    ]
    # Each node is the goal as GET answers it, plus its children.
    node = {k: v for k, v in eight["children"][0].items() if k != "children"}
    assert node == plan["8.1"]


async def test_the_tree_filtered_by_owner_and_year(client, tenant, plan, org):
    async def tree(**params):
        response = await client.get(f"{GOALS}/tree", params=params, headers=tenant.admin)
        assert response.status_code == 200, response.text
        return response.json()

    # The committee's own goals are the roots when the council's are filtered out.
    committee = await tree(owner_id=org["SN"], year=2024)
    assert [r["code"] for r in committee] == ["3.1", "3.2", "8.1"]
    assert all(r["children"] == [] for r in committee)
    assert [r["code"] for r in await tree(owner_id=org["KF"], year=2022)] == ["3"]
    assert (await tree(owner_id=org["KF"], year=2022))[0]["id"] == plan["old-3"]["id"]
    assert await tree(owner_id=org["SN"], year=2022) == []
    everything = await tree()
    assert [r["code"] for r in everything] == ["3", "3", "8"]
    assert sum(len(r["children"]) for r in everything) == 3
    bad = await client.get(f"{GOALS}/tree", params={"year": "tjugo"}, headers=tenant.admin)
    assert fields(bad) == ["query.year"]


# Goal-indicator links -----------------------------------------------------------------------------


async def test_put_indicators_replaces_links_and_weights(client, tenant, plan, ind):
    url = f"{GOALS}/{plan['3.1']['id']}/indicators"
    response = await client.put(
        url,
        json=[
            {"indicator_id": ind["SN-8.1.4"]},
            {"indicator_id": ind["SN-3.1.2"], "weight": 3},
        ],
        headers=tenant.admin,
    )
    assert response.status_code == 200, response.text
    assert links(response.json()) == [(ind["SN-3.1.2"], Decimal(3)), (ind["SN-8.1.4"], Decimal(1))]
    fetched = (await client.get(f"{GOALS}/{plan['3.1']['id']}", headers=tenant.admin)).json()
    assert fetched == response.json()
    emptied = await client.put(url, json=[], headers=tenant.admin)
    assert emptied.status_code == 200
    assert emptied.json()["indicators"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([{"indicator_id": "@a"}, {"indicator_id": "@a", "weight": 2}], "body"),
        ([{"indicator_id": "@a"}, {"indicator_id": MISSING}], "body"),
        ([{"indicator_id": "@a", "weight": 0}], "body.0.weight"),
        ([{"indicator_id": "@a", "weight": -1}], "body.0.weight"),
        ([{"weight": 1}], "body.0.indicator_id"),
        ({"indicator_id": "@a"}, "body"),
    ],
)
async def test_invalid_indicator_links_are_422_and_change_nothing(
    client, tenant, plan, ind, body, field
):
    url = f"{GOALS}/{plan['3.1']['id']}/indicators"
    response = await client.put(
        url, json=_resolve(body, {"a": ind["SN-8.1.1"]}), headers=tenant.admin
    )
    assert fields(response) == [field]
    assert (await client.get(f"{GOALS}/{plan['3.1']['id']}", headers=tenant.admin)).json() == plan[
        "3.1"
    ]


async def test_a_linked_indicator_cannot_be_deleted_until_unlinked(client, tenant, plan, ind):
    h = tenant.admin
    refused = await client.delete(f"{INDICATORS}/{ind['SN-8.1.4']}", headers=h)
    assert refused.status_code == 409
    await client.put(
        f"{GOALS}/{plan['8.1']['id']}/indicators",
        json=[{"indicator_id": ind["SN-8.1.1"]}],
        headers=h,
    )
    assert (await client.delete(f"{INDICATORS}/{ind['SN-8.1.4']}", headers=h)).status_code == 204


# Assignments --------------------------------------------------------------------------------------


async def test_create_an_assignment(client, tenant, plan, assignment):
    assert assignment["goal_id"] == plan["3.1"]["id"]
    assert (assignment["origin"], assignment["report_at"], assignment["report_to_council"]) == (
        "council",
        "year_end",
        True,
    )
    assert assignment["text"] == ASSIGNMENT_TEXT
    assert assignment["status"] == "not_started"
    assert assignment["progress"] == []
    fetched = await client.get(f"{ASSIGNMENTS}/{assignment['id']}", headers=tenant.admin)
    assert fetched.status_code == 200
    assert fetched.json() == assignment


async def test_the_status_is_the_latest_dated_progress_note(client, tenant, assignment):
    url = f"{ASSIGNMENTS}/{assignment['id']}/progress"

    async def note(noted_on, status, comment):
        return await post(
            client, url, tenant.admin, {"noted_on": noted_on, "status": status, "comment": comment}
        )

    first = await note("2023-08-31", "ongoing", "Kartläggning av riskgruppen pågår.")
    assert first["status"] == "ongoing"
    # An older note written later does not set the status.
    late = await note("2023-04-30", "not_started", "Uppdraget ej påbörjat vid T1.")
    assert late["status"] == "ongoing"
    assert [(p["noted_on"], p["status"]) for p in late["progress"]] == [
        ("2023-04-30", "not_started"),
        ("2023-08-31", "ongoing"),
    ]
    done = await note("2023-12-31", "done", "Insatserna är utvecklade; redovisas i bokslutet.")
    assert done["status"] == "done"
    # Two notes the same day: the one written last wins.
    same_day = await note("2023-12-31", "cancelled", "Uppdraget avslutas enligt beslut.")
    assert same_day["status"] == "cancelled"
    assert len(same_day["progress"]) == 4
    prefix = tenant.admin_key[: len("sk_12345678")]
    assert {p["noted_by"] for p in same_day["progress"]} == {f"api_key:{prefix}"}
    assert same_day["progress"][0]["comment"] == "Uppdraget ej påbörjat vid T1."
    fetched = (await client.get(f"{ASSIGNMENTS}/{assignment['id']}", headers=tenant.admin)).json()
    assert fetched == same_day


async def test_list_assignments_filters(client, tenant, plan, assignment):
    h = tenant.admin
    other = await post(
        client,
        ASSIGNMENTS,
        h,
        {
            "goal_id": plan["8.1"]["id"],
            "origin": "management_group",
            "text": "Följa upp avtalstroheten tertialvis.",
            "report_at": "tertial",
        },
    )
    assert other["report_to_council"] is False
    await post(
        client,
        f"{ASSIGNMENTS}/{other['id']}/progress",
        h,
        {"noted_on": "2023-04-30", "status": "ongoing", "comment": "Första uppföljningen klar."},
    )

    async def ids(**params):
        response = await client.get(ASSIGNMENTS, params=params, headers=h)
        assert response.status_code == 200, response.text
        return [a["id"] for a in response.json()]

    assert await ids() == [assignment["id"], other["id"]]
    assert await ids(goal_id=plan["8.1"]["id"]) == [other["id"]]
    assert await ids(goal_id=plan["3.2"]["id"]) == []
    assert await ids(status="ongoing") == [other["id"]]
    assert await ids(status="not_started") == [assignment["id"]]
    assert await ids(report_to_council="true") == [assignment["id"]]
    assert await ids(report_to_council="false", status="ongoing") == [other["id"]]
    bad = await client.get(ASSIGNMENTS, params={"status": "finished"}, headers=h)
    assert fields(bad) == ["query.status"]


async def test_patch_an_assignment(client, tenant, assignment):
    url = f"{ASSIGNMENTS}/{assignment['id']}"
    response = await client.patch(
        url,
        json={"report_at": "interim", "text": None, "report_to_council": False},
        headers=tenant.admin,
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["report_at"], changed["report_to_council"]) == ("interim", False)
    assert changed["text"] == ASSIGNMENT_TEXT
    assert changed["origin"] == "council"
    assert changed["status"] == "not_started"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"goal_id": MISSING}, "body.goal_id"),
        ({"goal_id": None}, "body.goal_id"),
        ({"origin": "parliament"}, "body.origin"),
        ({"report_at": "monthly"}, "body.report_at"),
        ({"text": ""}, "body.text"),
        ({"status": "done"}, "body.status"),
        ({"report_to_council": "kanske"}, "body.report_to_council"),
    ],
)
async def test_invalid_assignment_is_422_naming_the_field(client, tenant, plan, body, field):
    full = {
        "goal_id": plan["3.1"]["id"],
        "origin": "council",
        "text": ASSIGNMENT_TEXT,
        "report_at": "year_end",
        **body,
    }
    full = {k: v for k, v in full.items() if v is not None}
    response = await client.post(ASSIGNMENTS, json=full, headers=tenant.admin)
    assert fields(response) == [field]
    assert (await client.get(ASSIGNMENTS, headers=tenant.admin)).json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"noted_on": "31/08/2023"}, "body.noted_on"),
        ({"noted_on": "2023-02-30"}, "body.noted_on"),
        ({"noted_on": 0}, "body.noted_on"),
        ({"status": "finished"}, "body.status"),
        ({"status": None}, "body.status"),
        ({"comment": ""}, "body.comment"),
        ({"noted_by": "Anna Svensson"}, "body.noted_by"),
    ],
)
async def test_invalid_progress_note_is_422_and_changes_nothing(
    client, tenant, assignment, body, field
):
    full = {"noted_on": "2023-08-31", "status": "ongoing", "comment": "Pågår.", **body}
    full = {k: v for k, v in full.items() if v is not None}
    response = await client.post(
        f"{ASSIGNMENTS}/{assignment['id']}/progress", json=full, headers=tenant.admin
    )
    assert fields(response) == [field]
    assert (
        await client.get(f"{ASSIGNMENTS}/{assignment['id']}", headers=tenant.admin)
    ).json() == assignment


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "done"}, "body.status"),
        ({"goal_id": MISSING}, "body.goal_id"),
        ({"text": ""}, "body.text"),
        ({"origin": "parliament"}, "body.origin"),
    ],
)
async def test_invalid_assignment_patch_is_422(client, tenant, assignment, body, field):
    url = f"{ASSIGNMENTS}/{assignment['id']}"
    response = await client.patch(url, json=body, headers=tenant.admin)
    assert fields(response) == [field]
    assert (await client.get(url, headers=tenant.admin)).json() == assignment


async def test_delete_an_assignment_with_its_notes(client, tenant, assignment):
    url = f"{ASSIGNMENTS}/{assignment['id']}"
    await post(
        client,
        f"{url}/progress",
        tenant.admin,
        {"noted_on": "2023-08-31", "status": "ongoing", "comment": "Pågår."},
    )
    assert (await client.delete(url, headers=tenant.admin)).status_code == 204
    assert (await client.get(url, headers=tenant.admin)).status_code == 404
    assert (await client.delete(url, headers=tenant.admin)).status_code == 404
    gone = await client.post(
        f"{url}/progress",
        json={"noted_on": "2023-09-30", "status": "done", "comment": "Klart."},
        headers=tenant.admin,
    )
    assert gone.status_code == 404
    [note_deleted] = await events(
        client, tenant, entity_type="assignment_progress", action="delete"
    )
    assert note_deleted["before"]["assignment_id"] == assignment["id"]


# Roles ------------------------------------------------------------------------------------------


async def test_an_editor_writes_goals_links_and_assignments(client, tenant, org, ind):
    editor = await tenant.headers(Role.EDITOR)
    goal = await create_goal(
        client, editor, goal_body("committee", "8.1", "Resurseffektivt", org["SN"])
    )
    url = f"{GOALS}/{goal['id']}"
    assert (
        await client.patch(url, json={"title": "Resurseffektiva verksamheter"}, headers=editor)
    ).status_code == 200
    linked = await client.put(
        f"{url}/indicators", json=[{"indicator_id": ind["SN-8.1.1"]}], headers=editor
    )
    assert linked.status_code == 200
    task = await post(
        client,
        ASSIGNMENTS,
        editor,
        {
            "goal_id": goal["id"],
            "origin": "committee",
            "text": "Ta fram en plan.",
            "report_at": "tertial",
        },
    )
    noted = await client.post(
        f"{ASSIGNMENTS}/{task['id']}/progress",
        json={"noted_on": "2023-04-30", "status": "ongoing", "comment": "Planen skrivs."},
        headers=editor,
    )
    assert noted.status_code == 201
    assert (
        await client.patch(
            f"{ASSIGNMENTS}/{task['id']}", json={"report_at": "interim"}, headers=editor
        )
    ).status_code == 200
    assert (await client.delete(f"{ASSIGNMENTS}/{task['id']}", headers=editor)).status_code == 204
    assert (await client.delete(url, headers=editor)).status_code == 204


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REPORTER, Role.INTEGRATION, Role.AUDITOR])
async def test_other_roles_read_but_cannot_write(client, tenant, plan, org, ind, assignment, role):
    h = await tenant.headers(role)
    goal_url = f"{GOALS}/{plan['3.1']['id']}"
    task_url = f"{ASSIGNMENTS}/{assignment['id']}"

    assert (await client.get(goal_url, headers=h)).json() == plan["3.1"]
    assert len((await client.get(GOALS, headers=h)).json()["items"]) == 7
    assert [r["code"] for r in (await client.get(f"{GOALS}/tree", headers=h)).json()] == [
        "3",
        "3",
        "8",
    ]
    assert (await client.get(ASSIGNMENTS, headers=h)).json() == [assignment]
    assert (await client.get(task_url, headers=h)).json() == assignment
    trail = await client.get("/api/v1/audit-events", params={"entity_type": "goal"}, headers=h)
    assert trail.status_code == (200 if role == Role.AUDITOR else 403)

    writes = [
        await client.post(GOALS, json=goal_body("committee", "9.9", "Nytt", org["SN"]), headers=h),
        await client.patch(goal_url, json={"title": "Ändrat"}, headers=h),
        await client.put(f"{goal_url}/indicators", json=[], headers=h),
        await client.delete(f"{GOALS}/{plan['BOU-1']['id']}", headers=h),
        await client.post(
            ASSIGNMENTS,
            json={
                "goal_id": plan["3.1"]["id"],
                "origin": "council",
                "text": "x",
                "report_at": "tertial",
            },
            headers=h,
        ),
        await client.patch(task_url, json={"text": "Ändrat"}, headers=h),
        await client.post(
            f"{task_url}/progress",
            json={"noted_on": "2023-08-31", "status": "done", "comment": "Klart."},
            headers=h,
        ),
        await client.delete(task_url, headers=h),
    ]
    assert [w.status_code for w in writes] == [403] * len(writes)
    assert all(w.headers["content-type"] == "application/problem+json" for w in writes)
    assert (await client.get(goal_url, headers=tenant.admin)).json() == plan["3.1"]
    assert (await client.get(task_url, headers=tenant.admin)).json() == assignment
    assert len((await client.get(GOALS, headers=tenant.admin)).json()["items"]) == 7


# Tenancy ------------------------------------------------------------------------------------------


class TestTenantIsolation:
    """Another municipality's goals, links and assignments are invisible: 404, or 422 as a reference."""

    async def test_lists_and_tree_show_only_own_goals(
        self, client, tenant, other_tenant, plan, org, assignment
    ):
        h = other_tenant.admin
        assert await goal_codes(client, h) == []
        assert await goal_codes(client, h, owner_id=org["SN"]) == []
        assert await goal_codes(client, h, parent_id=plan["3"]["id"]) == []
        assert (await client.get(f"{GOALS}/tree", headers=h)).json() == []
        assert (
            await client.get(f"{GOALS}/tree", params={"owner_id": org["SN"]}, headers=h)
        ).json() == []
        assert (await client.get(ASSIGNMENTS, headers=h)).json() == []
        assert (
            await client.get(ASSIGNMENTS, params={"goal_id": plan["3.1"]["id"]}, headers=h)
        ).json() == []

    async def test_read_update_delete_across_tenants_is_404(
        self, client, tenant, other_tenant, plan, assignment
    ):
        h = other_tenant.admin
        goal_url = f"{GOALS}/{plan['BOU-1']['id']}"
        task_url = f"{ASSIGNMENTS}/{assignment['id']}"
        responses = [
            await client.get(goal_url, headers=h),
            await client.patch(goal_url, json={"title": "Kapat"}, headers=h),
            await client.put(f"{goal_url}/indicators", json=[], headers=h),
            await client.delete(goal_url, headers=h),
            await client.get(task_url, headers=h),
            await client.patch(task_url, json={"text": "Kapat"}, headers=h),
            await client.post(
                f"{task_url}/progress",
                json={"noted_on": "2023-08-31", "status": "cancelled", "comment": "Kapat."},
                headers=h,
            ),
            await client.delete(task_url, headers=h),
        ]
        assert [r.status_code for r in responses] == [404] * len(responses)
        assert (await client.get(goal_url, headers=tenant.admin)).json() == plan["BOU-1"]
        assert (await client.get(task_url, headers=tenant.admin)).json() == assignment
        for entity_type in ("goal", "goal_indicator", "assignment", "assignment_progress"):
            assert await events(client, other_tenant, entity_type=entity_type) == []

    async def test_another_tenants_rows_cannot_be_referenced(
        self, client, tenant, other_tenant, plan, org, ind
    ):
        h = other_tenant.admin
        own_kf = await org_unit(client, h, "KF", "Kommunfullmäktige")
        own_goal = await create_goal(client, h, goal_body("council", "1", "Eget mål", own_kf["id"]))
        cases = [
            (goal_body("committee", "3.1", "x", org["SN"]), "body.owner_id"),
            (
                goal_body("committee", "3.1", "x", own_kf["id"], parent_id=plan["3"]["id"]),
                "body.parent_id",
            ),
            (
                goal_body(
                    "committee",
                    "3.1",
                    "x",
                    own_kf["id"],
                    indicators=[{"indicator_id": ind["SN-8.1.4"]}],
                ),
                "body.indicators",
            ),
        ]
        for body, field in cases:
            assert fields(await client.post(GOALS, json=body, headers=h)) == [field]
        linked = await client.put(
            f"{GOALS}/{own_goal['id']}/indicators",
            json=[{"indicator_id": ind["SN-8.1.4"]}],
            headers=h,
        )
        assert fields(linked) == ["body"]
        moved = await client.patch(
            f"{GOALS}/{own_goal['id']}", json={"owner_id": org["SN"]}, headers=h
        )
        assert fields(moved) == ["body.owner_id"]
        task = await client.post(
            ASSIGNMENTS,
            json={
                "goal_id": plan["3.1"]["id"],
                "origin": "council",
                "text": "x",
                "report_at": "tertial",
            },
            headers=h,
        )
        assert fields(task) == ["body.goal_id"]
        assert (await client.get(f"{GOALS}/{own_goal['id']}", headers=h)).json() == own_goal
        # Nothing was linked across: the indicator's only link is still its own goal's.
        assert (
            await client.delete(f"{INDICATORS}/{ind['SN-8.1.4']}", headers=tenant.admin)
        ).status_code == 409
        assert (
            await client.get(f"{GOALS}/{plan['8.1']['id']}", headers=tenant.admin)
        ).json() == plan["8.1"]


# Audit ------------------------------------------------------------------------------------------


async def test_goal_writes_are_in_the_audit_trail_with_before_and_after(client, tenant, org, ind):
    h = tenant.admin
    goal = await create_goal(
        client,
        h,
        goal_body(
            "committee",
            "8.1",
            "Nämndens verksamheter är resurseffektiva",
            org["SN"],
            goal_area="God ekonomi och effektiv organisation",
            rule={"kind": "share_of_indicators", "threshold": 0.7},
            indicators=[{"indicator_id": ind["SN-8.1.4"], "weight": 0.5}],
        ),
    )
    url = f"{GOALS}/{goal['id']}"
    await client.patch(
        url, json={"title": "Resurseffektiva verksamheter", "goal_area": None}, headers=h
    )
    await client.put(
        f"{url}/indicators",
        json=[{"indicator_id": ind["SN-8.1.4"], "weight": 2}, {"indicator_id": ind["SN-8.1.1"]}],
        headers=h,
    )
    await client.put(f"{url}/indicators", json=[{"indicator_id": ind["SN-8.1.1"]}], headers=h)
    assert (await client.delete(url, headers=h)).status_code == 204

    trail = await events(client, tenant, entity_type="goal", entity_id=goal["id"])
    assert [e["action"] for e in trail] == ["create", "update", "delete"]
    created, renamed, deleted = trail
    assert created["before"] is None
    after = created["after"]
    assert (after["level"], after["code"], after["owner_id"]) == ("committee", "8.1", org["SN"])
    assert after["municipality_id"] == str(tenant.municipality_id)
    assert after["rule"]["kind"] == "share_of_indicators"
    assert dec(after["rule"]["threshold"]) == Decimal("0.7")
    assert (renamed["before"]["title"], renamed["after"]["title"]) == (
        "Nämndens verksamheter är resurseffektiva",
        "Resurseffektiva verksamheter",
    )
    assert (renamed["before"]["goal_area"], renamed["after"]["goal_area"]) == (
        "God ekonomi och effektiv organisation",
        None,
    )
    assert deleted["before"]["title"] == "Resurseffektiva verksamheter"
    assert deleted["after"] is None

    link_events = await events(client, tenant, entity_type="goal_indicator")
    # Requests come in order; the changes one request flushes together are a set.
    by_request: dict[str, set[tuple[object, ...]]] = {}
    for e in link_events:
        by_request.setdefault(e["request_id"], set()).add(
            (
                e["action"],
                (e["after"] or e["before"])["indicator_id"],
                dec((e["before"] or {}).get("weight")),
                dec((e["after"] or {}).get("weight")),
            )
        )
    assert list(by_request.values()) == [
        {("create", ind["SN-8.1.4"], None, Decimal("0.5"))},
        {
            ("update", ind["SN-8.1.4"], Decimal("0.5"), Decimal(2)),
            ("create", ind["SN-8.1.1"], None, Decimal(1)),
        },
        {("delete", ind["SN-8.1.4"], Decimal(2), None)},
        {("delete", ind["SN-8.1.1"], Decimal(1), None)},
    ]
    assert all((e["after"] or e["before"])["goal_id"] == goal["id"] for e in link_events)


async def test_assignment_writes_are_in_the_audit_trail_with_before_and_after(
    client, tenant, assignment
):
    h = tenant.admin
    url = f"{ASSIGNMENTS}/{assignment['id']}"
    await client.patch(url, json={"report_at": "interim"}, headers=h)
    noted = await post(
        client,
        f"{url}/progress",
        h,
        {"noted_on": "2023-08-31", "status": "ongoing", "comment": "Kartläggning pågår."},
    )
    assert (await client.delete(url, headers=h)).status_code == 204

    trail = await events(client, tenant, entity_type="assignment", entity_id=assignment["id"])
    assert [e["action"] for e in trail] == ["create", "update", "update", "delete"]
    created, patched, by_note, deleted = trail
    assert created["before"] is None
    assert (created["after"]["goal_id"], created["after"]["status"]) == (
        assignment["goal_id"],
        "not_started",
    )
    assert created["after"]["text"] == ASSIGNMENT_TEXT
    assert (patched["before"]["report_at"], patched["after"]["report_at"]) == (
        "year_end",
        "interim",
    )
    assert (by_note["before"]["status"], by_note["after"]["status"]) == ("not_started", "ongoing")
    assert deleted["before"]["status"] == "ongoing"
    assert deleted["after"] is None

    [note] = noted["progress"]
    notes = await events(client, tenant, entity_type="assignment_progress", entity_id=note["id"])
    assert [e["action"] for e in notes] == ["create", "delete"]
    after = notes[0]["after"]
    assert (after["assignment_id"], after["noted_on"], after["status"], after["comment"]) == (
        assignment["id"],
        "2023-08-31",
        "ongoing",
        "Kartläggning pågår.",
    )
    assert after["noted_by"] == f"api_key:{tenant.admin_key[: len('sk_12345678')]}"
    assert notes[1]["before"]["comment"] == "Kartläggning pågår."
    # The note and the status it set were one request, so one request id.
    assert notes[0]["request_id"] == by_note["request_id"]


async def test_a_note_that_does_not_change_the_status_does_not_update_the_assignment(
    client, tenant, assignment
):
    url = f"{ASSIGNMENTS}/{assignment['id']}/progress"
    body = {"noted_on": "2023-04-30", "status": "not_started", "comment": "Ej påbörjat vid T1."}
    await post(client, url, tenant.admin, body)
    trail = await events(client, tenant, entity_type="assignment", entity_id=assignment["id"])
    assert [e["action"] for e in trail] == ["create"]


async def test_refused_writes_record_nothing(client, tenant, plan, org, ind):
    viewer = await tenant.headers(Role.VIEWER)
    before = await events(client, tenant)
    h = tenant.admin
    await client.post(
        GOALS, json=goal_body("council", "8", "Dubblett", org["KF"]), headers=h
    )  # 409
    await client.post(
        GOALS,
        json=goal_body("committee", "9.1", "x", org["SN"], parent_id=plan["BOU-1"]["id"]),
        headers=h,
    )
    await client.put(
        f"{GOALS}/{plan['3.1']['id']}/indicators", json=[{"indicator_id": MISSING}], headers=h
    )
    await client.delete(f"{GOALS}/{plan['3']['id']}", headers=h)  # 409: children
    await client.post(GOALS, json=goal_body("committee", "9.2", "x", org["SN"]), headers=viewer)
    assert await events(client, tenant) == before
