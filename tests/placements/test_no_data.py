"""A period without placement data is ``no_data``, not green; a cost of 0 with data is coloured.

HVB-BARN at BOU has a 2023 budget of 600 000 kr and 600 care days, expected inflow 120 000 kr a
year. For 2023-T2 the figures run from 1 January to 31 August: 243 days, 8 months elapsed, so
the budget to date is 600 000 × 8 / 12 = 400 000 kr (400 care days) and the inflow still to come
120 000 × 4 / 12 = 40 000 kr.
"""

import pytest

from tests.placements.conftest import (
    AGGREGATES,
    PLACEMENTS,
    aggregate,
    category,
    episode,
    follow_up,
    put_budget,
    send,
)

ZERO_PART = {"care_days": 0, "cost": 0, "unit_months": 0}


@pytest.fixture
async def budget(client, tenant, org):
    return await put_budget(client, tenant.admin, 600000)


async def test_a_period_without_data_is_no_data_not_green(client, tenant, budget):
    # Data before the year (as in the demo: aggregates for 2022 only), an episode starting
    # after 31 August and an aggregate for October: none of it falls within 1 January-31 August.
    await send(client, tenant.admin, AGGREGATES, [aggregate("2022-12", 31, 62000)])
    await send(client, tenant.admin, AGGREGATES, [aggregate("2023-10", 31, 45000, unit="SOB")])
    await send(
        client,
        tenant.admin,
        PLACEMENTS,
        [
            episode("OLD", "2022-06-01", "2022-12-31", rate=1000),
            episode("LATE", "2023-09-01", rate=1500),
        ],
    )
    result = await follow_up(client, tenant.admin, "2023-T2")
    for row in (category(result, "HVB-BARN"), result["total"]):
        assert row["status"] == "no_data"
        assert "No placement data for 2023-T2" in row["explanation"]
        # Nothing can be said about care days, cost or anything computed from them ...
        for name in (
            "care_days",
            "placements_annual_basis",
            "cost",
            "average_cost_per_care_day",
            "deviation",
            "deviation_percent",
            "care_days_deviation",
            "forecast_deviation",
            "forecast_deviation_percent",
        ):
            assert row[name] is None, name
        assert row["forecast"] == {
            "cost_to_date": None,
            "ongoing_episodes": 0,
            "ongoing_remaining_care_days": 0,
            "ongoing_cost": 0,
            "expected_inflow": 40000,
            "total": None,
        }
        # ... while the budget is known, and nothing came from any source.
        assert row["budget"] == {
            "care_days": 600,
            "amount": 600000,
            "care_days_to_date": 400,
            "amount_to_date": 400000,
            "expected_inflow": 120000,
        }
        assert row["sources"] == {
            "aggregates": ZERO_PART,
            "episodes": ZERO_PART,
            "superseded_episodes": ZERO_PART,
        }
        assert row["episodes"] == {"ongoing": 0, "new": 0, "ended": 0}

    # By the year's end LATE has run 122 days × 1 500 = 183 000 and SOB's October aggregate
    # adds 31 days and 45 000: 228 000 against 600 000 is green.
    year = category(await follow_up(client, tenant.admin, "2023"), "HVB-BARN")
    assert (year["status"], year["care_days"], year["cost"]) == ("green", 153, 228000)


async def test_data_with_a_cost_of_zero_keeps_its_colour(client, tenant, budget):
    # March (before T2 itself, within 1 January-31 August): 31 care days fully refunded.
    await send(client, tenant.admin, AGGREGATES, [aggregate("2023-03", 31, 0)])
    row = category(await follow_up(client, tenant.admin, "2023-T2"), "HVB-BARN")
    assert (row["care_days"], row["cost"], row["average_cost_per_care_day"]) == (31, 0, 0)
    assert row["placements_annual_basis"] == 0.13  # 31 / 243 = 0.1276
    # Budget to date 400 000 − 0; 400 care days − 31.
    assert (row["deviation"], row["deviation_percent"], row["care_days_deviation"]) == (
        400000,
        100.0,
        369,
    )
    # Forecast 0 + no ongoing episodes + 40 000 inflow; 600 000 − 40 000 = 560 000 = 93.3 %.
    assert (row["forecast"]["cost_to_date"], row["forecast"]["total"]) == (0, 40000)
    assert (row["forecast_deviation"], row["forecast_deviation_percent"]) == (560000, 93.3)
    assert row["status"] == "green"
    assert "at most 600000" in row["explanation"]


async def test_the_total_has_data_when_any_category_has(client, tenant, budget):
    # FH-EGEN at FRF: February, 28 days for 14 000 kr, no budget; HVB-BARN: a budget, no data.
    await send(
        client,
        tenant.admin,
        AGGREGATES,
        [aggregate("2023-02", 28, 14000, category="FH-EGEN", unit="FRF")],
    )
    result = await follow_up(client, tenant.admin, "2023-T2")
    assert (category(result, "HVB-BARN")["status"], category(result, "HVB-BARN")["cost"]) == (
        "no_data",
        None,
    )
    family = category(result, "FH-EGEN")
    assert (family["status"], family["cost"], family["care_days"]) == ("no_data", 14000, 28)
    assert family["explanation"] == "No placement budget for 2023."
    # The total: 14 000 to date + 40 000 inflow = 54 000 against the 600 000 budget: green.
    total = result["total"]
    assert (total["care_days"], total["cost"], total["forecast"]["total"]) == (28, 14000, 54000)
    assert (total["deviation"], total["forecast_deviation"]) == (400000 - 14000, 546000)
    assert total["status"] == "green"
