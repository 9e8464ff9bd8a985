"""GET /api/v1/budget-follow-up (and /months, /years): the seeds' report shapes, by hand.

Every expected number is worked out in the comment beside it from the seed's own figures.
"""

from decimal import Decimal
from typing import Any

import pytest

from app.demo.budget import (
    ASSISTANCE,
    ASSISTANCE_OUTCOME_2022,
    OSTERSUND_CHART,
    ostersund_rows,
    sodertalje_rows,
)
from tests.budget.conftest import (
    BATCH,
    CATEGORIES,
    FOLLOW_UP,
    d,
    follow_up,
    line,
    make_units,
    post_lines,
    tkr,
)

MNKR = Decimal(1_000_000)


def mnkr(value: object) -> Any:
    amount = d(value)
    assert amount is not None
    return amount / MNKR


class TestOstersundCategoriesByYear:
    """Seed 000 §5.1, the committee's operating budget 2020–2024 (mnkr, one decimal)."""

    @pytest.fixture
    async def ostersund(self, client, tenant):
        ids = await make_units(client, tenant.admin, [("SN", "committee", None)])
        summary = await post_lines(client, tenant.admin, ostersund_rows())
        # 18 categories × 5 years, less the blanks (Interna hyresintäkter; Internränta 2020).
        assert (summary["created"], summary["rejected"]) == (18 * 5 - 6, 0)
        return ids["SN"]

    async def test_revenue_equals_cost_in_budget_and_plan_years_and_2020_lost_21_6(
        self, client, tenant, ostersund
    ):
        response = await client.get(
            f"{FOLLOW_UP}/years",
            params={"org_unit_id": ostersund, "from_year": 2020, "to_year": 2024},
            headers=tenant.admin,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        columns = {c["year"]: c for c in body["years"]}
        assert [c["scenario"] for c in body["years"]] == [
            "outcome",
            "budget",
            "budget",
            "plan",
            "plan",
        ]
        # 2020: 1,6 + 12 + 87 + 67,5 + 27 + 377,4 = 572,5 against 594,1 in costs → −21,6.
        assert (mnkr(columns[2020]["revenue"]), mnkr(columns[2020]["cost"])) == (
            Decimal("572.5"),
            Decimal("594.1"),
        )
        assert mnkr(columns[2020]["result"]) == Decimal("-21.6")
        # Budget and plan years balance: 518,3 / 576,8 / 568,5 / 566,6 on both sides.
        for year, total in ((2021, "518.3"), (2022, "576.8"), (2023, "568.5"), (2024, "566.6")):
            assert mnkr(columns[year]["revenue"]) == Decimal(total), year
            assert mnkr(columns[year]["cost"]) == Decimal(total), year
            assert d(columns[year]["result"]) == 0, year
        # The categories × years shape: the chart's rows in its order, blanks as null.
        codes = [c["code"] for c in body["categories"]]
        assert codes == [code for code, amounts in OSTERSUND_CHART if any(amounts)]
        interest = next(c for c in body["categories"] if c["code"] == "COST-INT-INTEREST")
        assert interest["amounts"][0] is None
        assert [mnkr(a) for a in interest["amounts"][1:]] == [Decimal("0.1")] * 4
        allocation = next(c for c in body["categories"] if c["code"] == "REV-ALLOCATION")
        assert [mnkr(a) for a in allocation["amounts"]] == [
            Decimal(x) for x in ("377.4", "386", "400.2", "391.9", "390.0")
        ]

    async def test_one_scenario_across_years(self, client, tenant, ostersund):
        body = (
            await client.get(
                f"{FOLLOW_UP}/years",
                params={
                    "org_unit_id": ostersund,
                    "from_year": 2020,
                    "to_year": 2024,
                    "scenario": "plan",
                },
                headers=tenant.admin,
            )
        ).json()
        assert [c["scenario"] for c in body["years"]] == [None, None, None, "plan", "plan"]
        assert body["years"][0]["revenue"] is None

    async def test_a_plan_year_is_followed_up_without_outcome(self, client, tenant, ostersund):
        body = await follow_up(client, tenant.admin, ostersund, 2023, month=4)
        assert body["budget_scenario"] == "plan"
        # 568,5 mnkr of costs, four months of twelve: 189,5 mnkr.
        assert mnkr(body["cost"]["budget_to_date"]) == Decimal("189.5")
        assert body["cost"]["outcome_to_date"] is None
        assert body["net"]["deviation"] is None
        assert body["adherence"]["status"] == "no_data"

    async def test_2020_outcome_against_no_budget(self, client, tenant, ostersund):
        body = await follow_up(client, tenant.admin, ostersund, 2020)
        assert mnkr(body["net"]["outcome_to_date"]) == Decimal("-21.6")
        assert d(body["net"]["budget"]) == 0


class TestSodertaljeAssistance:
    """Seed 004 table 1, "Utbetalt bistånd" (tkr per month) on Arbete och försörjning."""

    @pytest.fixture
    async def af(self, client, tenant):
        ids = await make_units(
            client,
            tenant.admin,
            [
                ("SN", "committee", None),
                ("SK", "office", "SN"),
                ("AF", "area", "SK"),
                ("BOU", "area", "SK"),
                ("VM", "area", "SK"),
                ("VSP", "area", "SK"),
                ("STAB", "unit", "SK"),
                ("TILL", "unit", "SK"),
            ],
        )
        created = await client.post(
            CATEGORIES,
            json={"code": ASSISTANCE[0], "name": ASSISTANCE[1], "kind": "cost"},
            headers=tenant.admin,
        )
        assert created.status_code == 201
        await post_lines(client, tenant.admin, sodertalje_rows())
        return ids

    async def test_the_twelve_months_average_11_716_against_13_100(self, client, tenant, af):
        response = await client.get(
            f"{FOLLOW_UP}/months",
            params={"org_unit_id": af["AF"], "year": 2022, "category_code": ASSISTANCE[0]},
            headers=tenant.admin,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        # 11 459 + 11 565 + … + 12 500 = 140 597 tkr; ÷ 12 = 11 716,42 (the table prints 11 645).
        assert tkr(body["outcome"]) == 140597
        assert tkr(body["mean_outcome"]) == Decimal("11716.41667")
        assert round(tkr(body["mean_outcome"])) == 11716
        assert tkr(body["mean_budget"]) == 13100
        assert body["months_with_outcome"] == 12
        # 12 × 13 100 = 157 200 budgeted; cost deviation 157 200 − 140 597 = 16 603 (favourable).
        assert tkr(body["budget"]) == 157200
        assert tkr(body["deviation"]) == 16603
        april = body["months"][3]
        assert (april["period"], tkr(april["outcome"]), tkr(april["deviation"])) == (
            "2022-04",
            9565,
            13100 - 9565,
        )
        assert [tkr(m["outcome"]) for m in body["months"]] == list(ASSISTANCE_OUTCOME_2022)

    async def test_2023_has_budget_and_no_outcome_yet(self, client, tenant, af):
        body = (
            await client.get(
                f"{FOLLOW_UP}/months",
                params={"org_unit_id": af["AF"], "year": 2023, "category_code": ASSISTANCE[0]},
                headers=tenant.admin,
            )
        ).json()
        assert (tkr(body["mean_budget"]), body["outcome"], body["mean_outcome"]) == (
            12400,
            None,
            None,
        )

    async def test_half_year_follow_up(self, client, tenant, af):
        body = await follow_up(client, tenant.admin, af["AF"], 2022, month=6)
        assistance = next(c for c in body["categories"] if c["code"] == ASSISTANCE[0])
        # 6 × 13 100 = 78 600 budget to date; 11 459 + 11 565 + 12 979 + 9 565 + 13 154
        # + 12 258 = 70 980 outcome; 7 620 under budget = 9,69 % of it.
        assert tkr(assistance["budget_to_date"]) == 78600
        assert tkr(assistance["outcome_to_date"]) == 70980
        assert tkr(assistance["deviation"]) == 7620
        assert d(assistance["deviation_percent"]) == Decimal("9.69")
        assert assistance["status"] == "green"
        # The allocation (274 835 tkr for 2022) is paid as budgeted: half of it to date, and its
        # outcome is its budget to date, so it deviates by nothing.
        allocation = next(c for c in body["categories"] if c["code"] == "REV-ALLOCATION")
        assert tkr(allocation["budget_to_date"]) == Decimal("137417.5")
        assert d(allocation["deviation"]) == 0
        assert tkr(body["net"]["deviation"]) == 7620

    async def test_years_count_the_allocation_paid_as_the_follow_up_does(self, client, tenant, af):
        body = (
            await client.get(
                f"{FOLLOW_UP}/years",
                params={"org_unit_id": af["SN"], "from_year": 2022, "to_year": 2023},
                headers=tenant.admin,
            )
        ).json()
        y2022, y2023 = body["years"]
        # 2022 has outcome (assistance only): the allocation has no outcome lines of its own, so
        # it is paid as budgeted, 274 835 + 329 585 + 70 685 + 88 104 + 23 046 + 0 + 1 961
        # = 788 216; costs 11 459 + 11 565 + … + 12 500 = 140 597; result 647 619.
        assert (y2022["scenario"], y2022["through_month"]) == ("outcome", 12)
        assert (tkr(y2022["revenue"]), tkr(y2022["cost"]), tkr(y2022["result"])) == (
            788216,
            140597,
            647619,
        )
        # 2023 is budget: 279 681 + 346 416 + 77 836 + 93 651 + 23 724 + 0 + 2 021 = 823 329
        # against 12 × 12 400 = 148 800; result 674 529.
        assert y2023["scenario"] == "budget"
        assert (tkr(y2023["revenue"]), tkr(y2023["cost"]), tkr(y2023["result"])) == (
            823329,
            148800,
            674529,
        )
        amounts = {c["code"]: [tkr(a) for a in c["amounts"]] for c in body["categories"]}
        assert amounts == {"REV-ALLOCATION": [788216, 823329], ASSISTANCE[0]: [140597, 148800]}
        # …the same figures as the year-end follow-up.
        year_end = await follow_up(client, tenant.admin, af["SN"], 2022)
        for kind, figure in (("revenue", "revenue"), ("cost", "cost"), ("net", "result")):
            assert d(year_end[kind]["outcome_to_date"]) == d(y2022[figure]), kind

    async def test_outcome_without_a_budget_is_red(self, client, tenant, af):
        """Unbudgeted spending is flagged, not hidden as no_data; its percent of a zero budget
        is undefined (null)."""
        csv = "org_unit_code;category_code;period;scenario;amount\r\n"
        csv += "AF;COST-PURCHASED;2023-03;outcome;11\u00a0716\u00a0412,50\r\n"
        response = await client.post(
            BATCH, content=csv.encode(), headers={**tenant.admin, "content-type": "text/csv"}
        )
        assert response.json()["created"] == 1, response.text
        body = await follow_up(client, tenant.admin, af["SN"], 2023, month=3)
        purchased = next(c for c in body["categories"] if c["code"] == "COST-PURCHASED")
        # No budget at all, 11 716 412,50 spent: 11 716 412,50 over (unfavourable).
        assert (d(purchased["budget"]), d(purchased["budget_to_date"])) == (0, 0)
        assert d(purchased["outcome_to_date"]) == Decimal("11716412.50")
        assert d(purchased["deviation"]) == Decimal("-11716412.50")
        assert purchased["deviation_percent"] is None
        assert purchased["status"] == "red"
        assert "no budget" in purchased["explanation"].lower()
        # Assistance: 3 × 12 400 = 37 200 budgeted, nothing reported → 0 spent, +100 %, green.
        assistance = next(c for c in body["categories"] if c["code"] == ASSISTANCE[0])
        assert (tkr(assistance["deviation"]), d(assistance["deviation_percent"])) == (37200, 100)
        assert assistance["status"] == "green"
        # The years table shows 2023 as its outcome so far, through March: the allocation paid
        # as budgeted to March, 823 329 000 × 3 / 12 = 205 832 250, against 11 716 412,50 spent
        # (not a whole year's allocation against three months' costs).
        years = (
            await client.get(
                f"{FOLLOW_UP}/years",
                params={"org_unit_id": af["SN"], "from_year": 2023, "to_year": 2023},
                headers=tenant.admin,
            )
        ).json()["years"]
        assert [(y["scenario"], y["through_month"]) for y in years] == [("outcome", 3)]
        assert (d(years[0]["revenue"]), d(years[0]["cost"])) == (
            Decimal("205832250"),
            Decimal("11716412.50"),
        )

    async def test_missing_or_unknown_category(self, client, tenant, af):
        for params, field in (
            ({}, "query.category_id"),
            ({"category_code": "NOPE"}, "query.category_code"),
        ):
            response = await client.get(
                f"{FOLLOW_UP}/months",
                params={"org_unit_id": af["AF"], "year": 2022, **params},
                headers=tenant.admin,
            )
            assert response.status_code == 422
            assert response.json()["errors"][0]["field"] == field


async def test_pro_rating_by_even_months_and_by_a_profile(client, tenant, committee):
    h = tenant.admin
    staff = (await post_lines(client, h, [line("AF", "COST-STAFF", "2023", "budget", 1_200_000)]))[
        "created"
    ]
    assert staff == 1
    # 1 200 000 a year, five months: 500 000.
    body = await follow_up(client, h, committee["AF"], 2023, month=5)
    assert d(body["cost"]["budget_to_date"]) == 500_000
    # A holiday profile: July weighs 0,5 and December 1,5 (sum 12): through July 6,5 / 12.
    categories = (await client.get(CATEGORIES, params={"limit": 100}, headers=h)).json()["items"]
    staff_id = next(c["id"] for c in categories if c["code"] == "COST-STAFF")
    profile = [1, 1, 1, 1, 1, 1, 0.5, 1, 1, 1, 1, 1.5]
    patched = await client.patch(
        f"{CATEGORIES}/{staff_id}", json={"monthly_profile": profile}, headers=h
    )
    assert patched.status_code == 200, patched.text
    body = await follow_up(client, h, committee["AF"], 2023, month=7)
    assert d(body["cost"]["budget_to_date"]) == 650_000  # 1 200 000 × 6,5 / 12
    months = (
        await client.get(
            f"{FOLLOW_UP}/months",
            params={"org_unit_id": committee["AF"], "year": 2023, "category_id": staff_id},
            headers=h,
        )
    ).json()["months"]
    assert [d(m["budget"]) for m in months] == [100_000] * 6 + [50_000] + [100_000] * 4 + [150_000]


async def test_an_annual_line_spreads_over_months_to_the_ore(client, tenant, committee):
    """1 000,01 kr a year: months of 83,33 or 83,34 (cumulative rounding) adding up exactly."""
    h = tenant.admin
    await post_lines(client, h, [line("AF", "COST-GOODS", "2023", "budget", "1000.01")])
    body = (
        await client.get(
            f"{FOLLOW_UP}/months",
            params={"org_unit_id": committee["AF"], "year": 2023, "category_code": "COST-GOODS"},
            headers=h,
        )
    ).json()
    amounts = [d(m["budget"]) for m in body["months"]]
    assert sum(amounts) == Decimal("1000.01")
    assert set(amounts) <= {Decimal("83.33"), Decimal("83.34")}
    follow = await follow_up(client, h, committee["AF"], 2023, month=5)
    assert d(follow["cost"]["budget_to_date"]) == sum(amounts[:5])


async def test_monthly_budget_lines_count_as_given(client, tenant, committee):
    h = tenant.admin
    rows = [
        line("BOU", "COST-PURCHASED", f"2023-{m:02d}", "budget", 1000 * m) for m in range(1, 13)
    ]
    rows.append(line("BOU", "COST-PURCHASED", "2023-01", "outcome", 900))
    rows.append(line("BOU", "COST-PURCHASED", "2023-02", "outcome", 2500))
    await post_lines(client, h, rows)
    body = await follow_up(client, h, committee["BOU"], 2023, month=2)
    # 1 000 + 2 000 budgeted, 3 400 spent: 400 over, −13,33 %.
    assert (d(body["cost"]["budget_to_date"]), d(body["cost"]["outcome_to_date"])) == (3000, 3400)
    assert d(body["cost"]["deviation"]) == -400
    assert d(body["cost"]["deviation_percent"]) == Decimal("-13.33")
    assert d(body["cost"]["budget"]) == 78_000


async def test_latest_forecast_per_unit_and_budget_where_none(client, tenant, committee):
    h = tenant.admin
    rows = [
        line("AF", "COST-STAFF", "2023", "budget", 1_200_000),
        line("BOU", "COST-STAFF", "2023", "budget", 1_200_000),
        line("AF", "COST-STAFF", "2023", "forecast", 1_300_000, forecast_date="2023-04-30"),
        line("AF", "COST-STAFF", "2023", "forecast", 1_250_000, forecast_date="2023-08-31"),
    ]
    await post_lines(client, h, rows)
    # May: AF's April forecast (1 300 000) and BOU's budget: 2 500 000, 100 000 over budget.
    may = await follow_up(client, h, committee["SK"], 2023, month=5)
    assert (d(may["cost"]["forecast"]), d(may["cost"]["forecast_deviation"])) == (
        2_500_000,
        -100_000,
    )
    # September: the August forecast replaces it.
    september = await follow_up(client, h, committee["SK"], 2023, month=9)
    assert d(september["cost"]["forecast"]) == 2_450_000
    assert d(september["cost"]["forecast_deviation"]) == -50_000
    assert september["forecast_adherence"]["status"] == "red"  # −50 000 / 2 400 000 = −2,08 %
    # March: no forecast made yet.
    march = await follow_up(client, h, committee["SK"], 2023, month=3)
    assert (march["cost"]["forecast"], march["forecast_adherence"]) == (None, None)
    # No outcome anywhere: deviations are null, not the whole budget.
    assert march["cost"]["outcome_to_date"] is None


async def test_a_committee_rolls_up_its_own_lines_and_every_unit(client, tenant, committee):
    h = tenant.admin
    rows = [
        line("SN", "COST-OTHER", "2023", "budget", 100_000),  # the committee's own ("Nämnd")
        line("SN", "COST-OTHER", "2023-03", "outcome", 30_000),
        line("AF-AME", "COST-STAFF", "2023", "budget", 600_000),
        line("AF-AME", "COST-STAFF", "2023-01", "outcome", 45_000),
        line("AF-AME", "REV-GRANTS", "2023", "budget", 120_000),
        line("AF", "COST-STAFF", "2023", "budget", 240_000),
        line("BOU", "COST-PURCHASED", "2023-02", "outcome", 70_000),
    ]
    await post_lines(client, h, rows)
    body = await follow_up(client, h, committee["SN"], 2023, month=3, group_by="org_unit")
    assert [(g["org_unit"]["code"], g["own"]) for g in body["groups"]] == [
        ("SN", True),
        ("SK", False),
    ]
    for kind in ("revenue", "cost", "net"):
        for figure in ("budget", "budget_to_date", "outcome_to_date", "deviation"):
            parts = sum(d(g[kind][figure]) for g in body["groups"])
            assert parts == d(body[kind][figure]), (kind, figure)
    # Costs 940 000 a year, a quarter to date 235 000; spent 145 000.
    assert (d(body["cost"]["budget"]), d(body["cost"]["budget_to_date"])) == (940_000, 235_000)
    assert d(body["cost"]["outcome_to_date"]) == 145_000
    # Revenue 120 000, 30 000 to date, none received: −30 000; net deviation 90 000 − 30 000.
    assert d(body["revenue"]["deviation"]) == -30_000
    assert d(body["net"]["deviation"]) == 60_000
    office = await follow_up(client, h, committee["SK"], 2023, month=3, group_by="org_unit")
    assert [g["org_unit"]["code"] for g in office["groups"]] == ["AF", "BOU"]
    assert d(office["cost"]["outcome_to_date"]) == 115_000


async def test_exact_decimals(client, tenant, committee):
    """Öre add up exactly — 0,10 + 0,20 is 0,30 — and the largest amount survives the trip."""
    h = tenant.admin
    rows = [
        line("AF", "COST-GOODS", "2023-01", "outcome", "0.10"),
        line("BOU", "COST-GOODS", "2023-01", "outcome", 0.2),
        line("AF-AME", "COST-GOODS", "2023-01", "outcome", "9999999999999.99"),
    ]
    await post_lines(client, h, rows)
    body = await follow_up(client, h, committee["AF"], 2023, month=1)
    assert d(body["cost"]["outcome_to_date"]) == Decimal("9999999999999.99") + Decimal("0.10")
    bou = await follow_up(client, h, committee["BOU"], 2023, month=1)
    assert d(bou["cost"]["outcome_to_date"]) + Decimal("0.10") == Decimal("0.30")
    listed = (
        await client.get(
            "/api/v1/budget-lines",
            params={"org_unit_id": committee["AF-AME"]},
            headers=h,
        )
    ).json()["items"]
    assert d(listed[0]["amount"]) == Decimal("9999999999999.99")


async def test_unknown_unit_is_404_and_bad_month_422(client, tenant, committee):
    h = tenant.admin
    missing = await client.get(
        FOLLOW_UP,
        params={"org_unit_id": "01a20893-5d8a-7000-abd6-f0bbfa8b43b6", "year": 2023},
        headers=h,
    )
    assert missing.status_code == 404
    bad = await client.get(
        FOLLOW_UP, params={"org_unit_id": committee["SN"], "year": 2023, "month": 13}, headers=h
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.month"
