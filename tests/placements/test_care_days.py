"""Care days and cost from episodes, worked out by hand: both end dates count, intervals are
clipped to the period, leap years have 366 days, and rates change mid-episode."""

import pytest

from tests.placements.conftest import PLACEMENTS, category, episode, follow_up, send


@pytest.fixture
async def episodes(client, tenant, org):
    rows = [
        # Across a year boundary: 20–31 Dec 2023 is 12 days, 1–10 Jan 2024 is 10.
        episode("A", "2023-12-20", "2024-01-10", rate=1000, category="HVB-BARN"),
        # Across the leap day: 28 and 29 Feb 2024, 1 Mar 2024.
        episode("B", "2024-02-28", "2024-03-01", rate=500, category="JOURHEM"),
        # Ongoing from 1 July 2023: 184 days in 2023, all 366 days of 2024.
        episode("C", "2023-07-01", rate=100, category="FH-EGEN", unit="FRF"),
        # One day: start = end.
        episode("D", "2023-05-05", "2023-05-05", rate=3000, category="SIS-LVU"),
    ]
    summary = await send(client, tenant.admin, PLACEMENTS, rows)
    assert summary["created"] == 4


async def test_a_year_boundary_is_clipped_and_both_ends_count(client, tenant, episodes):
    year_2023 = await follow_up(client, tenant.admin, "2023")
    assert category(year_2023, "HVB-BARN")["care_days"] == 12
    assert category(year_2023, "HVB-BARN")["cost"] == 12000
    january = await follow_up(client, tenant.admin, "2024-01")
    assert (category(january, "HVB-BARN")["care_days"], category(january, "HVB-BARN")["cost"]) == (
        10,
        10000,
    )
    december = await follow_up(client, tenant.admin, "2023-12")
    assert category(december, "HVB-BARN")["care_days"] == 12
    assert category(year_2023, "SIS-LVU")["care_days"] == 1


async def test_leap_years(client, tenant, episodes):
    february = await follow_up(client, tenant.admin, "2024-02")
    # Year to date: 28 and 29 February of B, 1–10 January of A, 1 Jan–29 Feb of C (60 days).
    assert category(february, "JOURHEM")["care_days"] == 2
    assert category(february, "FH-EGEN")["care_days"] == 60
    assert february["days_elapsed"] == 60
    march = await follow_up(client, tenant.admin, "2024-03")
    assert (category(march, "JOURHEM")["care_days"], category(march, "JOURHEM")["cost"]) == (
        3,
        1500,
    )

    year_2024 = await follow_up(client, tenant.admin, "2024")
    assert year_2024["days_in_year"] == 366
    whole = category(year_2024, "FH-EGEN")
    assert (whole["care_days"], whole["cost"], whole["placements_annual_basis"]) == (366, 36600, 1)
    # 10 + 3 + 366 = 379 care days over 366 days: 1.04 placed on average.
    assert year_2024["total"]["care_days"] == 379
    assert year_2024["total"]["placements_annual_basis"] == 1.04

    year_2023 = await follow_up(client, tenant.admin, "2023")
    assert year_2023["days_in_year"] == 365
    half = category(year_2023, "FH-EGEN")
    assert (half["care_days"], half["placements_annual_basis"]) == (184, 0.5)
    # 12 + 184 + 1 = 197 over 365.
    assert (year_2023["total"]["care_days"], year_2023["total"]["placements_annual_basis"]) == (
        197,
        0.54,
    )


async def test_a_month_without_care_has_no_rows(client, tenant, episodes):
    november = await follow_up(client, tenant.admin, "2023-04")
    assert november["categories"] == []
    # Nothing from 1 January to 30 April: no data, not 0 care days for 0 kr.
    assert (november["total"]["care_days"], november["total"]["cost"]) == (None, None)
    assert november["total"]["average_cost_per_care_day"] is None
    assert november["total"]["status"] == "no_data"


async def test_a_rate_change_mid_episode(client, tenant, org):
    rates = [
        {"valid_from": "2023-03-01", "valid_to": "2023-03-15", "daily_rate": 2000},
        {"valid_from": "2023-03-16", "daily_rate": 2500},
    ]
    row = episode("E", "2023-03-01", "2023-04-30", category="HVB-VUXEN", unit="SOB", rates=rates)
    created = await client.post(PLACEMENTS, json=row, headers=tenant.admin)
    assert created.status_code == 201, created.text
    # The open last period is stored ending with the episode.
    assert created.json()["rates"] == [
        {"valid_from": "2023-03-01", "valid_to": "2023-03-15", "daily_rate": 2000},
        {"valid_from": "2023-03-16", "valid_to": "2023-04-30", "daily_rate": 2500},
    ]
    march = category(await follow_up(client, tenant.admin, "2023-03"), "HVB-VUXEN")
    # 15 days × 2 000 + 16 days × 2 500 = 70 000 over 31 days.
    assert (march["care_days"], march["cost"], march["average_cost_per_care_day"]) == (
        31,
        70000,
        2258.06,
    )
    april = category(await follow_up(client, tenant.admin, "2023-04"), "HVB-VUXEN")
    # + 30 days × 2 500 = 145 000 over 61 days.
    assert (april["care_days"], april["cost"], april["average_cost_per_care_day"]) == (
        61,
        145000,
        2377.05,
    )


async def test_rates_with_öre_stay_exact(client, tenant, org):
    rows = [
        episode(f"X{i}", "2023-01-01", "2023-12-31", rate="1234.57", category="STODBOENDE")
        for i in range(3)
    ]
    await send(client, tenant.admin, PLACEMENTS, rows)
    year = category(await follow_up(client, tenant.admin, "2023"), "STODBOENDE")
    # 3 × 365 × 1 234,57 = 1 351 854,15 exactly.
    assert (year["care_days"], year["cost"]) == (1095, 1351854.15)


BAD_RATES = [
    (
        "gap",
        "2023-03-31",
        [
            {"valid_from": "2023-03-01", "valid_to": "2023-03-10", "daily_rate": 1},
            {"valid_from": "2023-03-12", "daily_rate": 2},
        ],
        ("body.rates.1.valid_from", "rates_gap"),
    ),
    (
        "overlap",
        "2023-03-31",
        [
            {"valid_from": "2023-03-01", "valid_to": "2023-03-15", "daily_rate": 1},
            {"valid_from": "2023-03-10", "daily_rate": 2},
        ],
        ("body.rates.1.valid_from", "rates_overlap"),
    ),
    (
        "late start",
        "2023-03-31",
        [{"valid_from": "2023-03-02", "daily_rate": 1}],
        ("body.rates.0.valid_from", "rates_start"),
    ),
    (
        "past the end",
        "2023-03-31",
        [{"valid_from": "2023-03-01", "valid_to": "2023-04-15", "daily_rate": 1}],
        ("body.rates.0.valid_to", "rates_end"),
    ),
    (
        "closed while ongoing",
        None,
        [{"valid_from": "2023-03-01", "valid_to": "2023-03-31", "daily_rate": 1}],
        ("body.rates.0.valid_to", "rates_end"),
    ),
    (
        "unsorted but whole",
        "2023-03-31",
        [
            {"valid_from": "2023-03-16", "daily_rate": 2},
            {"valid_from": "2023-03-01", "valid_to": "2023-03-15", "daily_rate": 1},
        ],
        None,
    ),
]


@pytest.mark.parametrize(
    ("name", "end", "rates", "expected"), BAD_RATES, ids=[b[0] for b in BAD_RATES]
)
async def test_rate_periods_must_cover_the_episode_exactly(
    client, tenant, org, name, end, rates, expected
):
    row = episode(f"R-{name}", "2023-03-01", end, rates=rates)
    response = await client.post(PLACEMENTS, json=row, headers=tenant.admin)
    if expected is None:
        assert response.status_code == 201, response.text
        return
    assert response.status_code == 422, response.text
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [expected]


async def test_end_before_start_and_the_choice_of_rates(client, tenant, org):
    backwards = await client.post(
        PLACEMENTS, json=episode("Z", "2023-03-01", "2023-02-28"), headers=tenant.admin
    )
    assert [(e["field"], e["code"]) for e in backwards.json()["errors"]] == [
        ("body.end_date", "before_start")
    ]
    both = episode("Z", "2023-03-01", rates=[{"valid_from": "2023-03-01", "daily_rate": 1}])
    both["daily_rate"] = 5
    neither = episode("Z", "2023-03-01")
    del neither["daily_rate"]
    for row in (both, neither):
        response = await client.post(PLACEMENTS, json=row, headers=tenant.admin)
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
            ("body.rates", "rates_required")
        ]
