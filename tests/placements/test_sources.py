"""Episodes and monthly aggregates combined without double counting, and seed 003 reproduced.

A month of a category at an org unit comes from one source: the aggregate when there is one,
else the episodes. The episode figures an aggregate replaces are shown, never added.
"""

from tests.placements.conftest import (
    AGGREGATES,
    PLACEMENTS,
    aggregate,
    category,
    episode,
    follow_up,
    send,
)


async def test_an_aggregate_replaces_the_episodes_of_its_month_and_unit_only(client, tenant, org):
    await send(
        client,
        tenant.admin,
        PLACEMENTS,
        [
            # BOU: January–March 2023 at 1 000 kr/day.
            episode("A", "2023-01-01", "2023-03-31", rate=1000),
            # SOB, same category: February at 3 000 kr/day (a unit without an aggregate).
            episode("S", "2023-02-01", "2023-02-28", rate=3000, unit="SOB"),
        ],
    )
    # The ERP's closing for BOU, February: 20 care days, 50 000 kr net.
    await send(client, tenant.admin, AGGREGATES, [aggregate("2023-02", 20, 50000)])

    row = category(await follow_up(client, tenant.admin, "2023-03"), "HVB-BARN")
    # BOU January 31 days / 31 000 and March 31 / 31 000 from the episode; February 20 / 50 000
    # from the aggregate; SOB February 28 / 84 000 from its episode.
    assert row["sources"] == {
        "aggregates": {"care_days": 20, "cost": 50000, "unit_months": 1},
        "episodes": {"care_days": 31 + 31 + 28, "cost": 31000 + 31000 + 84000, "unit_months": 3},
        "superseded_episodes": {"care_days": 28, "cost": 28000, "unit_months": 1},
    }
    assert row["care_days"] == 20 + 90
    assert row["cost"] == 50000 + 146000
    result = await follow_up(client, tenant.admin, "2023-03")
    assert result["precedence"].startswith("aggregate")

    # January alone knows nothing of February.
    january = category(await follow_up(client, tenant.admin, "2023-01"), "HVB-BARN")
    assert january["sources"]["aggregates"]["unit_months"] == 0
    assert (january["care_days"], january["cost"]) == (31, 31000)


async def test_aggregates_alone_reproduce_seed_003(client, tenant, org):
    """Österåker 2017, HVB-placeringar Barn: 2 920 care days = 8.0 placements on annual basis,
    7 894 tkr, 2 703 kr per day. Eight placed all year: 8 × the days of each month; the cost in
    twelfths, the last month taking the öre left over."""
    days = [8 * d for d in (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)]
    costs = ["657833.33"] * 11 + ["657833.37"]
    rows = [
        aggregate(f"2017-{month:02d}", days[month - 1], costs[month - 1], source_system="seed 003")
        for month in range(1, 13)
    ]
    summary = await send(client, tenant.admin, AGGREGATES, rows)
    assert summary["created"] == 12

    row = category(await follow_up(client, tenant.admin, "2017"), "HVB-BARN")
    assert row["care_days"] == 2920
    assert row["placements_annual_basis"] == 8  # 2 920 / 365
    assert row["cost"] == 7894000
    assert row["average_cost_per_care_day"] == 2703.42  # 7 894 000 / 2 920
    assert round(row["average_cost_per_care_day"]) == 2703
    assert row["sources"]["aggregates"] == {"care_days": 2920, "cost": 7894000, "unit_months": 12}
    assert row["forecast"]["ongoing_episodes"] == 0


async def test_negative_net_cost_is_allowed(client, tenant, org):
    # Seed 004: flat-rate revenue from the Migration Agency can exceed the cost of a month.
    await send(client, tenant.admin, AGGREGATES, [aggregate("2023-01", 31, -12500.5)])
    row = category(await follow_up(client, tenant.admin, "2023-01"), "HVB-BARN")
    assert (row["cost"], row["average_cost_per_care_day"]) == (-12500.5, -403.24)
