"""Aggregates for a quarter, tertial, half or year (issue 21, point 4), read by the follow-up as
their months by calendar days; the shortest period covering a month wins it.

2023-T1 is January (31 days), February (28), March (31) and April (30): 120 days. 120 care days
and 120 000 kr spread as 31, 28, 31, 30 days and 31 000, 28 000, 31 000, 30 000 kr.
"""

from app.periods import Period
from app.placements.aggregates import month_shares
from tests.placements.conftest import AGGREGATES, aggregate, category, follow_up, send


async def test_a_tertial_aggregate_counts_as_its_months(client, tenant, org):
    landed = await send(client, tenant.admin, AGGREGATES, [aggregate("2023-T1", 120, 120000)])
    assert landed["created"] == 1
    february = category(await follow_up(client, tenant.admin, "2023-02"), "HVB-BARN")
    assert (february["care_days"], february["cost"]) == (59, 59000)
    tertial = category(await follow_up(client, tenant.admin, "2023-T1"), "HVB-BARN")
    assert (tertial["care_days"], tertial["cost"]) == (120, 120000)


async def test_a_month_wins_over_the_tertials_share_of_it(client, tenant, org):
    rows = [aggregate("2023-T1", 120, 120000), aggregate("2023-02", 10, 5000)]
    assert (await send(client, tenant.admin, AGGREGATES, rows))["created"] == 2
    tertial = category(await follow_up(client, tenant.admin, "2023-T1"), "HVB-BARN")
    # January 31 + February's own 10 + March 31 + April 30; 31 000 + 5 000 + 31 000 + 30 000.
    assert (tertial["care_days"], tertial["cost"]) == (102, 97000)


async def test_a_year_aggregate_is_pro_rated_by_days_into_the_first_half():
    # 365 care days and 365 000 kr in 2023: January–June has 181 days.
    shares = month_shares(Period.parse("2023"), 365, 36500000)
    assert sum(d for _, d, _ in shares) == 365
    assert sum(c for _, _, c in shares) == 36500000
    first_half = [s for s in shares if s[0] <= "2023-06"]
    assert sum(d for _, d, _ in first_half) == 181
    assert sum(c for _, _, c in first_half) == 18100000


def test_uneven_shares_add_up_exactly():
    # 10 days over a quarter of 31 + 28 + 31 = 90 days: 3.44, 3.11, 3.44 → 3, 3, 3 and the one
    # left to the largest remainder, January (tie with March goes to the earlier month).
    shares = month_shares(Period.parse("2023-Q1"), 10, 1001)
    assert [d for _, d, _ in shares] == [4, 3, 3]
    assert sum(c for _, _, c in shares) == 1001
