"""Indicators and their yearly targets: validation, PATCH semantics, lists, roles, tenancy, audit.

The numbers are Södertälje's (seed 004): "Antal hushåll som uppbär ekonomiskt bistånd (per mån)",
baseline 1173 for 2022 and at most 1300 in 2023; "Budgetföljsamhet" +/- 0; "minska med 10 %".
"""

from decimal import Decimal
from typing import Any

import pytest

from app.auth.permissions import Role

BASE = "/api/v1/indicators"
MISSING = "0190f3a0-0000-7000-8000-000000000000"

HUSHALL: dict[str, Any] = {
    "code": "SN-8.1.4",
    "title": "Antal hushåll som uppbär ekonomiskt bistånd (per mån)",
    "description": "Hushåll med utbetalt ekonomiskt bistånd, snitt per månad.",
    "unit": "count",
    "polarity": "lower_is_better",
    "periodicity": "month",
    "aggregation": "mean",
    "source": "Egen-kontroll",
    "baseline_value": 1173,
    "baseline_period": "2022",
    "baseline_text": "1173 (snitt 2022)",
    "valid_from_year": 2023,
    "valid_to_year": 2025,
}
BUDGET: dict[str, Any] = {
    "code": "SN-8.1.1",
    "title": "Budgetföljsamhet (%)",
    "unit": "percent",
    "polarity": "target_is_best",
    "periodicity": "month",
    "aggregation": "last",
    "source": "ERP",
    "baseline_value": 1.9,
    "baseline_period": "2022",
    "baseline_text": "+1,9 (prognos 2022)",
    "valid_from_year": 2023,
    "valid_to_year": 2025,
}
UTSKRIFTER: dict[str, Any] = {
    "code": "SN-7.1.1",
    "title": "Antal pappersutskrifter SK (per mån)",
    "unit": "count",
    "polarity": "lower_is_better",
    "periodicity": "month",
    "aggregation": "mean",
    "source": "IT-kunskapsbas",
    "baseline_value": 100000,
    "baseline_period": "2022",
    "valid_from_year": 2023,
    "valid_to_year": 2025,
}
KOLADA: dict[str, Any] = {
    "code": "OST-1",
    "title": "Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)",
    "unit": "percent",
    "polarity": "lower_is_better",
    "periodicity": "year",
    "aggregation": "last",
    "source": "Kolada",
    "kolada_kpi": "N02904",
    "valid_from_year": 2020,
}

AT_MOST_1300 = {"kind": "at_most", "value": 1300, "text": "1300"}
PLUS_MINUS_0 = {
    "kind": "between",
    "low": 0,
    "high": 0,
    "yellow_tolerance": {"kind": "absolute", "value": 0.5},
    "text": "+/- 0",
}
MINUS_10_PERCENT = {"kind": "decrease", "min_change": 0.1, "text": "minska med 10 %"}


async def create(client, headers, body=None, **overrides):
    response = await client.post(BASE, json={**(body or HUSHALL), **overrides}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def put_target(client, headers, indicator_id, year, body, status=201):
    response = await client.put(f"{BASE}/{indicator_id}/targets/{year}", json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


async def codes(client, headers, **params):
    response = await client.get(BASE, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [i["code"] for i in response.json()["items"]]


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


@pytest.fixture
async def indicators(client, tenant):
    h = tenant.admin
    return {
        i["code"]: i
        for i in [
            await create(client, h, HUSHALL),
            await create(client, h, BUDGET),
            await create(client, h, UTSKRIFTER),
            await create(client, h, KOLADA),
        ]
    }


# Creating and reading ---------------------------------------------------------------------------


async def test_create_returns_the_indicator_as_the_plan_wrote_it(client, tenant):
    created = await create(client, tenant.admin, HUSHALL)
    for key, value in HUSHALL.items():
        assert created[key] == value, key
    assert created["gender_split"] is False
    assert created["kolada_kpi"] is None
    assert created["seasonal_profile"] is None
    assert created["ratio_scale"] == 1
    fetched = await client.get(f"{BASE}/{created['id']}", headers=tenant.admin)
    assert fetched.status_code == 200
    assert fetched.json() == created


async def test_percent_defaults_to_ratio_scale_100_unless_given(client, tenant):
    budget = await create(client, tenant.admin, BUDGET)
    assert budget["ratio_scale"] == 100
    assert budget["baseline_value"] == 1.9
    per_mille = await create(client, tenant.admin, BUDGET, code="PROMILLE", ratio_scale=1000)
    assert per_mille["ratio_scale"] == 1000


async def test_a_seasonal_profile_of_twelve_weights_summing_to_one_is_kept(client, tenant):
    profile = [0.1, 0.1, 0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.1, 0.1, 0.1, 0.1]
    created = await create(client, tenant.admin, UTSKRIFTER, seasonal_profile=profile)
    assert created["seasonal_profile"] == profile


async def test_unknown_indicator_is_404(client, tenant):
    response = await client.get(f"{BASE}/{MISSING}", headers=tenant.admin)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_duplicate_code_is_409_but_free_in_another_municipality(client, tenant, other_tenant):
    await create(client, tenant.admin, HUSHALL)
    again = await client.post(BASE, json={**BUDGET, "code": HUSHALL["code"]}, headers=tenant.admin)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/conflict")
    assert await codes(client, tenant.admin) == [HUSHALL["code"]]
    await create(client, other_tenant.admin, HUSHALL)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"baseline_period": None}, "body.baseline_period"),
        ({"baseline_value": None}, "body.baseline_value"),
        ({"baseline_period": "2022-13"}, "body.baseline_period"),
        ({"baseline_value": "NaN"}, "body.baseline_value"),
        ({"seasonal_profile": [0.25] * 4}, "body.seasonal_profile"),
        ({"seasonal_profile": [0.1] * 12}, "body.seasonal_profile"),
        ({"seasonal_profile": [0.5, -0.5, *[0.1] * 10]}, "body.seasonal_profile"),
        ({"valid_to_year": 2022}, "body.valid_to_year"),
        ({"valid_from_year": 1800}, "body.valid_from_year"),
        ({"kolada_kpi": "N945"}, "body.kolada_kpi"),
        ({"unit": "people"}, "body.unit"),
        ({"polarity": "up"}, "body.polarity"),
        ({"periodicity": "week"}, "body.periodicity"),
        ({"aggregation": "median"}, "body.aggregation"),
        ({"ratio_scale": 0}, "body.ratio_scale"),
        ({"code": "SN 8.1.4"}, "body.code"),
        ({"title": ""}, "body.title"),
        ({"title": None}, "body.title"),
        ({"extra": 1}, "body.extra"),
    ],
)
async def test_invalid_indicator_is_422_naming_the_field(client, tenant, change, field):
    body = {**HUSHALL, **change}
    body = {k: v for k, v in body.items() if v is not None or k == "title"}
    response = await client.post(BASE, json=body, headers=tenant.admin)
    assert fields(response) == [field]
    assert await codes(client, tenant.admin) == []


# Changing -------------------------------------------------------------------------------------


async def test_patch_changes_only_what_is_sent(client, tenant):
    created = await create(client, tenant.admin, HUSHALL)
    response = await client.patch(
        f"{BASE}/{created['id']}", json={"baseline_text": "1173 (2022)"}, headers=tenant.admin
    )
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["baseline_text"] == "1173 (2022)"
    unchanged = {k: v for k, v in changed.items() if k not in {"baseline_text", "updated_at"}}
    assert unchanged == {
        k: v for k, v in created.items() if k not in {"baseline_text", "updated_at"}
    }


async def test_patch_null_clears_optional_fields_and_leaves_required_ones(client, tenant):
    created = await create(client, tenant.admin, HUSHALL, kolada_kpi="N31807")
    response = await client.patch(
        f"{BASE}/{created['id']}",
        json={
            "description": None,
            "source": None,
            "kolada_kpi": None,
            "baseline_value": None,
            "baseline_period": None,
            "baseline_text": None,
            "valid_to_year": None,
            "title": None,
            "polarity": None,
            "gender_split": None,
            "valid_from_year": None,
        },
        headers=tenant.admin,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    for cleared in (
        "description",
        "source",
        "kolada_kpi",
        "baseline_value",
        "baseline_period",
        "baseline_text",
        "valid_to_year",
    ):
        assert body[cleared] is None, cleared
    assert body["title"] == HUSHALL["title"]
    assert body["polarity"] == "lower_is_better"
    assert body["gender_split"] is False
    assert body["valid_from_year"] == 2023
    again = (await client.get(f"{BASE}/{created['id']}", headers=tenant.admin)).json()
    assert again == body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"baseline_value": None}, "body.baseline_value"),
        ({"baseline_period": None}, "body.baseline_period"),
        ({"valid_to_year": 2020}, "body.valid_to_year"),
        ({"valid_from_year": 2026}, "body.valid_to_year"),
        ({"seasonal_profile": [1]}, "body.seasonal_profile"),
        ({"title": ""}, "body.title"),
        ({"unit": "sek"}, "body.unit"),
        ({"aggregation": "sum"}, "body.aggregation"),
        ({"code": "NEW"}, "body.code"),
    ],
)
async def test_invalid_patch_is_422_naming_the_field_and_changes_nothing(
    client, tenant, change, field
):
    created = await create(client, tenant.admin, HUSHALL)
    response = await client.patch(f"{BASE}/{created['id']}", json=change, headers=tenant.admin)
    assert fields(response) == [field]
    assert (await client.get(f"{BASE}/{created['id']}", headers=tenant.admin)).json() == created


async def test_narrowing_the_plan_years_past_a_target_is_409(client, tenant):
    created = await create(client, tenant.admin, HUSHALL)
    await put_target(client, tenant.admin, created["id"], 2025, {"kind": "decrease"})
    narrowed = await client.patch(
        f"{BASE}/{created['id']}", json={"valid_to_year": 2024}, headers=tenant.admin
    )
    assert narrowed.status_code == 409
    later_start = await client.patch(
        f"{BASE}/{created['id']}", json={"valid_from_year": 2025}, headers=tenant.admin
    )
    assert later_start.status_code == 200
    assert later_start.json()["valid_from_year"] == 2025


async def test_delete_removes_the_indicator_and_its_targets(client, tenant):
    created = await create(client, tenant.admin, HUSHALL)
    target = await put_target(client, tenant.admin, created["id"], 2023, AT_MOST_1300)
    deleted = await client.delete(f"{BASE}/{created['id']}", headers=tenant.admin)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert (await client.get(f"{BASE}/{created['id']}", headers=tenant.admin)).status_code == 404
    assert (
        await client.get(f"{BASE}/{created['id']}/targets", headers=tenant.admin)
    ).status_code == 404
    assert (await client.delete(f"{BASE}/{created['id']}", headers=tenant.admin)).status_code == 404
    [gone] = await events(client, tenant, entity_type="target", action="delete")
    assert gone["entity_id"] == target["id"]


async def test_an_indicator_linked_to_a_goal_cannot_be_deleted(client, tenant):
    indicator = await create(client, tenant.admin, HUSHALL)
    sn = await client.post(
        "/api/v1/org-units",
        json={
            "code": "SN",
            "name": "Socialnämnden",
            "kind": "committee",
            "valid_from": "2019-01-01",
        },
        headers=tenant.admin,
    )
    goal = await client.post(
        "/api/v1/goals",
        json={
            "level": "committee",
            "code": "8.1",
            "title": "Nämndens verksamheter är resurseffektiva",
            "owner_id": sn.json()["id"],
            "valid_from_year": 2023,
            "valid_to_year": 2025,
            "indicators": [{"indicator_id": indicator["id"]}],
        },
        headers=tenant.admin,
    )
    assert goal.status_code == 201, goal.text
    refused = await client.delete(f"{BASE}/{indicator['id']}", headers=tenant.admin)
    assert refused.status_code == 409
    assert "goal" in refused.json()["detail"]
    assert (await client.get(f"{BASE}/{indicator['id']}", headers=tenant.admin)).status_code == 200


# Lists --------------------------------------------------------------------------------------------


async def test_list_is_sorted_by_code_and_filters(client, tenant, indicators):
    h = tenant.admin
    assert await codes(client, h) == ["OST-1", "SN-7.1.1", "SN-8.1.1", "SN-8.1.4"]
    assert await codes(client, h, code="SN-8.1.1") == ["SN-8.1.1"]
    assert await codes(client, h, source="Egen-kontroll") == ["SN-8.1.4"]
    assert await codes(client, h, kolada_kpi="N02904") == ["OST-1"]
    assert await codes(client, h, year=2021) == ["OST-1"]
    assert await codes(client, h, year=2025) == ["OST-1", "SN-7.1.1", "SN-8.1.1", "SN-8.1.4"]
    assert await codes(client, h, year=2026) == ["OST-1"]
    assert await codes(client, h, search="EKONOMISKT") == ["OST-1", "SN-8.1.4"]
    assert await codes(client, h, search="per mån", year=2023) == ["SN-7.1.1", "SN-8.1.4"]
    assert await codes(client, h, sort="-code") == ["SN-8.1.4", "SN-8.1.1", "SN-7.1.1", "OST-1"]
    assert await codes(client, h, sort="title") == ["SN-8.1.4", "SN-7.1.1", "SN-8.1.1", "OST-1"]
    assert await codes(client, h, sort="-title") == ["OST-1", "SN-8.1.1", "SN-7.1.1", "SN-8.1.4"]
    assert await codes(client, h, code="NOPE") == []


@pytest.mark.parametrize(
    "sort",
    [
        "code",
        "-code",
        "title",
        "-title",
        "-created_at",
    ],
)
async def test_cursor_pages_walk_every_indicator_once(client, tenant, indicators, sort):
    everything = await codes(client, tenant.admin, sort=sort)
    seen, cursor, pages = [], None, 0
    while True:
        params: dict[str, Any] = {"limit": 3, "sort": sort}
        if cursor:
            params["cursor"] = cursor
        response = await client.get(BASE, params=params, headers=tenant.admin)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        seen += [i["code"] for i in page["items"]]
        cursor = page.get("next_cursor")
        if cursor is None:
            break
    assert pages == 2
    assert seen == everything
    assert len(set(seen)) == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"sort": "unit"}, "query.sort"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 501}, "query.limit"),
        ({"year": 1800}, "query.year"),
        ({"cursor": "!!not-base64"}, "query.cursor"),
    ],
)
async def test_bad_list_parameters_are_422(client, tenant, params, field):
    response = await client.get(BASE, params=params, headers=tenant.admin)
    assert field in fields(response)


async def test_a_cursor_of_another_sort_is_422(client, tenant, indicators):
    page = (await client.get(BASE, params={"limit": 1}, headers=tenant.admin)).json()
    other = await client.get(
        BASE,
        params={"limit": 1, "sort": "title", "cursor": page["next_cursor"]},
        headers=tenant.admin,
    )
    assert fields(other) == ["query.cursor"]


# Targets ----------------------------------------------------------------------------------------


async def test_put_target_creates_then_replaces(client, tenant):
    indicator = await create(client, tenant.admin, HUSHALL)
    url = f"{BASE}/{indicator['id']}/targets/2023"
    created = await client.put(url, json=AT_MOST_1300, headers=tenant.admin)
    assert created.status_code == 201, created.text
    first = created.json()
    assert first["indicator_id"] == indicator["id"]
    assert (first["year"], first["kind"], first["value"], first["text"]) == (
        2023,
        "at_most",
        1300,
        "1300",
    )
    assert (first["low"], first["high"], first["min_change"]) == (None, None, None)
    assert first["yellow_tolerance"] is None

    replaced = await client.put(url, json=MINUS_10_PERCENT, headers=tenant.admin)
    assert replaced.status_code == 200, replaced.text
    second = replaced.json()
    assert second["id"] == first["id"]
    assert (second["kind"], second["min_change"], second["text"]) == (
        "decrease",
        0.1,
        "minska med 10 %",
    )
    assert second["value"] is None
    listed = (await client.get(f"{BASE}/{indicator['id']}/targets", headers=tenant.admin)).json()
    assert listed == [second]


async def test_targets_are_listed_by_year(client, tenant):
    indicator = await create(client, tenant.admin, HUSHALL)
    h = tenant.admin
    await put_target(client, h, indicator["id"], 2025, {"kind": "decrease", "text": "minska"})
    await put_target(client, h, indicator["id"], 2023, AT_MOST_1300)
    await put_target(client, h, indicator["id"], 2024, {"kind": "unchanged", "text": "oförändrat"})
    listed = (await client.get(f"{BASE}/{indicator['id']}/targets", headers=h)).json()
    assert [(t["year"], t["kind"]) for t in listed] == [
        (2023, "at_most"),
        (2024, "unchanged"),
        (2025, "decrease"),
    ]
    assert listed[0]["value"] == 1300


async def test_a_band_with_a_tolerance_and_a_relative_tolerance_round_trip(client, tenant):
    budget = await create(client, tenant.admin, BUDGET)
    band = await put_target(client, tenant.admin, budget["id"], 2023, PLUS_MINUS_0)
    assert (band["kind"], band["low"], band["high"], band["text"]) == ("between", 0, 0, "+/- 0")
    assert band["yellow_tolerance"] == {"kind": "absolute", "value": 0.5}
    hushall = await create(client, tenant.admin, HUSHALL)
    relative = await put_target(
        client,
        tenant.admin,
        hushall["id"],
        2023,
        {**AT_MOST_1300, "yellow_tolerance": {"kind": "relative", "value": 1}},
    )
    assert relative["yellow_tolerance"] == {"kind": "relative", "value": 1}
    cleared = await put_target(client, tenant.admin, hushall["id"], 2023, AT_MOST_1300, status=200)
    assert cleared["yellow_tolerance"] is None


async def test_an_open_ended_indicator_takes_targets_in_any_later_year(client, tenant):
    kolada = await create(client, tenant.admin, KOLADA)
    await put_target(client, tenant.admin, kolada["id"], 2040, {"kind": "at_most", "value": 10})
    before = await client.put(
        f"{BASE}/{kolada['id']}/targets/2019", json={"kind": "unchanged"}, headers=tenant.admin
    )
    assert fields(before) == ["path.year"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "between", "low": 5, "high": 1}, "body.high"),
        ({"kind": "between", "low": 0}, "body.high"),
        ({"kind": "between", "high": 0}, "body.low"),
        ({"kind": "at_most"}, "body.value"),
        ({"kind": "at_least", "value": None}, "body.value"),
        ({"kind": "at_least", "value": 80, "min_change": 0.1}, "body.min_change"),
        ({"kind": "at_least", "value": 80, "low": 70}, "body.low"),
        ({"kind": "unchanged", "value": 1173}, "body.value"),
        ({"kind": "increase", "high": 2}, "body.high"),
        ({"kind": "decrease", "min_change": 0}, "body.min_change"),
        ({"kind": "decrease", "min_change": -0.1}, "body.min_change"),
        (
            {
                "kind": "at_most",
                "value": 1300,
                "yellow_tolerance": {"kind": "relative", "value": 1.5},
            },
            "body.yellow_tolerance.value",
        ),
        (
            {
                "kind": "at_most",
                "value": 1300,
                "yellow_tolerance": {"kind": "relative", "value": -0.1},
            },
            "body.yellow_tolerance.value",
        ),
        (
            {
                "kind": "at_most",
                "value": 1300,
                "yellow_tolerance": {"kind": "absolute", "value": -1},
            },
            "body.yellow_tolerance.value",
        ),
        (
            {"kind": "at_most", "value": 1300, "yellow_tolerance": {"kind": "percent", "value": 1}},
            "body.yellow_tolerance.kind",
        ),
        (
            {"kind": "at_most", "value": 1300, "yellow_tolerance": {"kind": "relative"}},
            "body.yellow_tolerance.value",
        ),
        ({"kind": "about", "value": 1300}, "body.kind"),
        ({"value": 1300}, "body.kind"),
        ({"kind": "at_most", "value": "mycket"}, "body.value"),
        ({"kind": "at_most", "value": 1300, "text": ""}, "body.text"),
        ({"kind": "at_most", "value": 1300, "year": 2023}, "body.year"),
    ],
)
async def test_invalid_target_is_422_naming_the_field(client, tenant, body, field):
    indicator = await create(client, tenant.admin, HUSHALL)
    response = await client.put(
        f"{BASE}/{indicator['id']}/targets/2023", json=body, headers=tenant.admin
    )
    assert fields(response) == [field]
    assert (
        await client.get(f"{BASE}/{indicator['id']}/targets", headers=tenant.admin)
    ).json() == []


@pytest.mark.parametrize("year", [2022, 2026, 1800, 3000])
async def test_a_target_outside_the_plan_years_is_422_on_the_path_year(client, tenant, year):
    indicator = await create(client, tenant.admin, HUSHALL)
    response = await client.put(
        f"{BASE}/{indicator['id']}/targets/{year}", json=AT_MOST_1300, headers=tenant.admin
    )
    assert fields(response) == ["path.year"]
    assert (
        await client.get(f"{BASE}/{indicator['id']}/targets", headers=tenant.admin)
    ).json() == []


async def test_delete_target(client, tenant):
    indicator = await create(client, tenant.admin, HUSHALL)
    await put_target(client, tenant.admin, indicator["id"], 2023, AT_MOST_1300)
    await put_target(client, tenant.admin, indicator["id"], 2024, {"kind": "unchanged"})
    url = f"{BASE}/{indicator['id']}/targets/2023"
    assert (await client.delete(url, headers=tenant.admin)).status_code == 204
    listed = (await client.get(f"{BASE}/{indicator['id']}/targets", headers=tenant.admin)).json()
    assert [t["year"] for t in listed] == [2024]
    assert (await client.delete(url, headers=tenant.admin)).status_code == 404
    missing = await client.put(
        f"{BASE}/{MISSING}/targets/2023", json=AT_MOST_1300, headers=tenant.admin
    )
    assert missing.status_code == 404


# Roles ------------------------------------------------------------------------------------------


async def test_an_editor_writes_indicators_and_targets(client, tenant):
    editor = await tenant.headers(Role.EDITOR)
    indicator = await create(client, editor, HUSHALL)
    await put_target(client, editor, indicator["id"], 2023, AT_MOST_1300)
    patched = await client.patch(
        f"{BASE}/{indicator['id']}", json={"source": "Procapita"}, headers=editor
    )
    assert patched.status_code == 200
    url = f"{BASE}/{indicator['id']}/targets/2023"
    assert (await client.delete(url, headers=editor)).status_code == 204
    assert (await client.delete(f"{BASE}/{indicator['id']}", headers=editor)).status_code == 204


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REPORTER, Role.INTEGRATION, Role.AUDITOR])
async def test_other_roles_read_but_cannot_write(client, tenant, role):
    indicator = await create(client, tenant.admin, HUSHALL)
    target = await put_target(client, tenant.admin, indicator["id"], 2023, AT_MOST_1300)
    h = await tenant.headers(role)
    url = f"{BASE}/{indicator['id']}"

    assert (await client.get(BASE, headers=h)).json()["items"] == [indicator]
    assert (await client.get(url, headers=h)).json() == indicator
    assert (await client.get(f"{url}/targets", headers=h)).json() == [target]

    writes = [
        await client.post(BASE, json={**BUDGET}, headers=h),
        await client.patch(url, json={"title": "Ändrad"}, headers=h),
        await client.delete(url, headers=h),
        await client.put(f"{url}/targets/2024", json={"kind": "unchanged"}, headers=h),
        await client.put(f"{url}/targets/2023", json={"kind": "unchanged"}, headers=h),
        await client.delete(f"{url}/targets/2023", headers=h),
    ]
    assert [w.status_code for w in writes] == [403] * len(writes)
    assert all(w.headers["content-type"] == "application/problem+json" for w in writes)
    assert await codes(client, tenant.admin) == [HUSHALL["code"]]
    assert (await client.get(url, headers=tenant.admin)).json() == indicator
    assert (await client.get(f"{url}/targets", headers=tenant.admin)).json() == [target]


async def test_a_key_scoped_to_reading_cannot_write_even_as_editor(client, tenant):
    from app.auth.permissions import Permission

    h = await tenant.headers(Role.EDITOR, scopes=[Permission.INDICATORS_READ])
    assert (await client.get(BASE, headers=h)).status_code == 200
    assert (await client.post(BASE, json=HUSHALL, headers=h)).status_code == 403


# Tenancy ------------------------------------------------------------------------------------------


async def test_another_municipalitys_indicator_is_404_everywhere(client, tenant, other_tenant):
    indicator = await create(client, tenant.admin, HUSHALL)
    target = await put_target(client, tenant.admin, indicator["id"], 2023, AT_MOST_1300)
    h = other_tenant.admin
    url = f"{BASE}/{indicator['id']}"

    assert (await client.get(BASE, headers=h)).json()["items"] == []
    assert await codes(client, h, code=HUSHALL["code"]) == []
    responses = [
        await client.get(url, headers=h),
        await client.patch(url, json={"title": "Kapad"}, headers=h),
        await client.delete(url, headers=h),
        await client.get(f"{url}/targets", headers=h),
        await client.put(f"{url}/targets/2023", json={"kind": "unchanged"}, headers=h),
        await client.put(f"{url}/targets/2024", json={"kind": "unchanged"}, headers=h),
        await client.delete(f"{url}/targets/2023", headers=h),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert (await client.get(url, headers=tenant.admin)).json() == indicator
    assert (await client.get(f"{url}/targets", headers=tenant.admin)).json() == [target]
    assert await events(client, other_tenant, entity_type="indicator") == []
    assert await events(client, other_tenant, entity_type="target") == []


# Audit ------------------------------------------------------------------------------------------


async def test_indicator_writes_are_in_the_audit_trail_with_before_and_after(client, tenant):
    indicator = await create(client, tenant.admin, HUSHALL)
    url = f"{BASE}/{indicator['id']}"
    await client.patch(url, json={"title": "Hushåll med ekonomiskt bistånd"}, headers=tenant.admin)
    await client.patch(url, json={"description": None}, headers=tenant.admin)
    assert (await client.delete(url, headers=tenant.admin)).status_code == 204

    trail = await events(client, tenant, entity_type="indicator", entity_id=indicator["id"])
    assert [e["action"] for e in trail] == ["create", "update", "update", "delete"]
    create_event, rename, clear, delete = trail
    assert create_event["before"] is None
    after = create_event["after"]
    assert (after["code"], after["title"], after["unit"]) == (
        "SN-8.1.4",
        HUSHALL["title"],
        "count",
    )
    assert dec(after["baseline_value"]) == Decimal(1173)
    assert after["baseline_period"] == "2022"
    assert after["municipality_id"] == str(tenant.municipality_id)
    assert (rename["before"]["title"], rename["after"]["title"]) == (
        HUSHALL["title"],
        "Hushåll med ekonomiskt bistånd",
    )
    assert (clear["before"]["description"], clear["after"]["description"]) == (
        HUSHALL["description"],
        None,
    )
    assert delete["before"]["title"] == "Hushåll med ekonomiskt bistånd"
    assert delete["after"] is None
    prefix = tenant.admin_key[: len("sk_12345678")]
    assert {e["actor"] for e in trail} == {f"api_key:{prefix}"}


async def test_target_writes_are_in_the_audit_trail_with_before_and_after(client, tenant):
    indicator = await create(client, tenant.admin, HUSHALL)
    target = await put_target(client, tenant.admin, indicator["id"], 2023, AT_MOST_1300)
    await put_target(client, tenant.admin, indicator["id"], 2023, MINUS_10_PERCENT, status=200)
    url = f"{BASE}/{indicator['id']}/targets/2023"
    assert (await client.delete(url, headers=tenant.admin)).status_code == 204

    trail = await events(client, tenant, entity_type="target", entity_id=target["id"])
    assert [e["action"] for e in trail] == ["create", "update", "delete"]
    created, replaced, deleted = trail
    assert created["before"] is None
    assert created["after"]["indicator_id"] == indicator["id"]
    assert created["after"]["year"] == 2023
    assert created["after"]["kind"] == "at_most"
    assert dec(created["after"]["value"]) == Decimal(1300)
    assert (replaced["before"]["kind"], replaced["after"]["kind"]) == ("at_most", "decrease")
    assert dec(replaced["before"]["value"]) == Decimal(1300)
    assert replaced["after"]["value"] is None
    assert replaced["before"]["min_change"] is None
    assert dec(replaced["after"]["min_change"]) == Decimal("0.1")
    assert replaced["after"]["text"] == "minska med 10 %"
    assert deleted["before"]["kind"] == "decrease"
    assert deleted["after"] is None


async def test_refused_writes_record_nothing(client, tenant):
    indicator = await create(client, tenant.admin, HUSHALL)
    viewer = await tenant.headers(Role.VIEWER)
    before = await events(client, tenant)
    await client.post(BASE, json=HUSHALL, headers=tenant.admin)  # 409
    await client.post(BASE, json={**BUDGET, "baseline_period": None}, headers=tenant.admin)
    await client.put(
        f"{BASE}/{indicator['id']}/targets/2022", json=AT_MOST_1300, headers=tenant.admin
    )
    await client.put(f"{BASE}/{indicator['id']}/targets/2023", json=AT_MOST_1300, headers=viewer)
    await client.patch(f"{BASE}/{indicator['id']}", json={"unit": "sek"}, headers=tenant.admin)
    assert await events(client, tenant) == before
