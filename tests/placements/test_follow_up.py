"""The follow-up's budget, forecast and colour, worked out by hand for June 2023.

HVB-BARN at BOU, budget 800 000 kr and 600 care days for 2023, expected inflow 120 000 kr a year:

* A from 1 January, open: 1 000 kr/day to 31 May, 1 200 kr/day from 1 June;
* B from 15 June to 30 September (planned), 2 000 kr/day;
* C from 1 February to 31 March, 500 kr/day.

To 30 June: A 151 days × 1 000 + 30 × 1 200 = 187 000; B 16 × 2 000 = 32 000;
C 59 × 500 = 29 500. Cost 248 500 kr for 181 + 16 + 59 = 256 care days.
Ongoing on 30 June: A for 184 more days × 1 200 = 220 800, B for 92 × 2 000 = 184 000.
Inflow: 120 000 × 6 / 12 = 60 000. PlacementForecast 248 500 + 404 800 + 60 000 = 713 300.
"""

import pytest

from tests.placements.conftest import (
    BUDGETS,
    PLACEMENTS,
    category,
    episode,
    follow_up,
    put_budget,
    send,
)


@pytest.fixture
async def june(client, tenant, org):
    rows = [
        episode(
            "A",
            "2023-01-01",
            rates=[
                {"valid_from": "2023-01-01", "valid_to": "2023-05-31", "daily_rate": 1000},
                {"valid_from": "2023-06-01", "daily_rate": 1200},
            ],
        ),
        episode("B", "2023-06-15", "2023-09-30", rate=2000),
        episode("C", "2023-02-01", "2023-03-31", rate=500),
        episode("F", "2023-06-01", rate=600, category="FH-EGEN", unit="FRF"),
    ]
    await send(client, tenant.admin, PLACEMENTS, rows)
    return await put_budget(client, tenant.admin, 800000)


async def test_figures_to_date(client, tenant, june):
    result = await follow_up(client, tenant.admin, "2023-06")
    assert (result["date_from"], result["date_to"], result["days_elapsed"]) == (
        "2023-01-01",
        "2023-06-30",
        181,
    )
    row = category(result, "HVB-BARN")
    assert row["care_days"] == 256
    assert row["cost"] == 248500
    assert row["placements_annual_basis"] == 1.41  # 256 / 181
    assert row["average_cost_per_care_day"] == 970.70  # 248 500 / 256
    assert row["budget"] == {
        "care_days": 600,
        "amount": 800000,
        "care_days_to_date": 300,
        "amount_to_date": 400000,
        "expected_inflow": 120000,
    }
    assert (row["deviation"], row["deviation_percent"], row["care_days_deviation"]) == (
        151500,
        37.9,
        44,
    )


async def test_forecast_parts(client, tenant, june):
    row = category(await follow_up(client, tenant.admin, "2023-06"), "HVB-BARN")
    assert row["forecast"] == {
        "cost_to_date": 248500,
        "ongoing_episodes": 2,
        "ongoing_remaining_care_days": 276,
        "ongoing_cost": 404800,
        "expected_inflow": 60000,
        "total": 713300,
    }
    assert (row["forecast_deviation"], row["forecast_deviation_percent"]) == (86700, 10.8)
    assert row["status"] == "green"
    assert row["episodes"] == {"ongoing": 2, "new": 1, "ended": 0}


async def test_at_year_end_the_forecast_is_the_outcome(client, tenant, june):
    row = category(await follow_up(client, tenant.admin, "2023"), "HVB-BARN")
    # A all year: 151 × 1 000 + 214 × 1 200 = 407 800; B 108 × 2 000; C 29 500.
    assert row["cost"] == 407800 + 216000 + 29500
    assert row["forecast"]["ongoing_remaining_care_days"] == 0
    assert row["forecast"]["expected_inflow"] == 0
    assert row["forecast"]["total"] == row["cost"]
    assert row["forecast"]["ongoing_episodes"] == 1
    assert row["episodes"] == {"ongoing": 1, "new": 3, "ended": 2}


async def test_new_and_ended_count_within_the_period(client, tenant, june):
    row = category(await follow_up(client, tenant.admin, "2023-T1"), "HVB-BARN")
    assert row["episodes"] == {"ongoing": 1, "new": 2, "ended": 1}


async def test_colour_by_the_rules_module(client, tenant, june):
    # Budget 700 000: the forecast 713 300 is over by 13 300, within 10 % (70 000): yellow.
    await client.put(BUDGETS, json={**june, "amount": 700000}, headers=tenant.admin)
    row = category(await follow_up(client, tenant.admin, "2023-06"), "HVB-BARN")
    assert (row["status"], row["forecast_deviation"]) == ("yellow", -13300)
    assert "at most 700000" in row["explanation"]
    # With a 1 % tolerance (7 000) it is red.
    strict = await follow_up(client, tenant.admin, "2023-06", tolerance="0.01")
    assert category(strict, "HVB-BARN")["status"] == "red"


async def test_without_a_budget_there_is_no_colour_and_the_total_adds_up(client, tenant, june):
    result = await follow_up(client, tenant.admin, "2023-06")
    family = category(result, "FH-EGEN")
    assert (family["status"], family["budget"], family["deviation"]) == ("no_data", None, None)
    # 30 days in June × 600, ongoing for 184 more days.
    assert (family["cost"], family["forecast"]["ongoing_cost"]) == (18000, 184 * 600)
    total = result["total"]
    assert total["category"] is None
    assert total["care_days"] == 256 + 30
    assert total["cost"] == 248500 + 18000
    assert total["forecast"]["total"] == 713300 + 18000 + 110400
    assert total["budget"]["amount"] == 800000
    assert total["forecast_deviation"] == 800000 - (713300 + 128400)
    assert total["status"] == "yellow"
    assert total["episodes"] == {"ongoing": 3, "new": 2, "ended": 0}


async def test_a_subtree_sees_only_its_units(client, tenant, org, june):
    result = await follow_up(client, tenant.admin, "2023-06", org_unit_id=org["FRF"])
    assert [row["category"]["code"] for row in result["categories"]] == ["FH-EGEN"]
    assert result["total"]["budget"] is None
    whole = await follow_up(client, tenant.admin, "2023-06", org_unit_id=org["SN"])
    assert whole["total"]["cost"] == 248500 + 18000


async def test_period_and_org_unit_are_checked(client, tenant, org):
    bad = await client.get(
        "/api/v1/placement-follow-up", params={"period": "2023-13"}, headers=tenant.admin
    )
    assert bad.status_code == 422
    missing = await client.get(
        "/api/v1/placement-follow-up",
        params={"period": "2023", "org_unit_id": "0190a000-0000-7000-8000-000000000000"},
        headers=tenant.admin,
    )
    assert missing.status_code == 404
