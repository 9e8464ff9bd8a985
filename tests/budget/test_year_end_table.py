"""Seed 002 § 19: Strömsund's year-end table 2022 per unit, reproduced from the units' lines.

The figures are Strömsund's own (``app.demo.budget.STROMSUND_2022``, decoded from the seed's
table, tkr). They go in as budget and outcome lines through the ERP batch; the deviation and
result columns come out of the follow-up and are checked against the columns the table prints.
"""

from decimal import Decimal

import pytest

from app.demo.budget import (
    STROMSUND_2022,
    STROMSUND_2022_AREAS,
    STROMSUND_CATEGORIES,
    stromsund_rows,
)
from app.demo.orgs import STROMSUND
from tests.budget.conftest import CATEGORIES, follow_up, post_lines, tkr

# The hand-decoded figures for individual and family care (tkr, amounts positive):
# cost budget, cost outcome, revenue budget, revenue outcome, result.
IFO_BY_HAND = {
    "IFO-BIST": (5538, 5148, 0, 73, 463),
    "IFO-EKO": (17855, 15909, 602, 593, 1937),
    "IFO-BOS": (1173, 1082, 0, 7, 98),
    "IFO-VUX": (8967, 15282, 353, 711, -5957),
    "IFO-FC": (0, 19, 0, 0, -19),
    "IFO-BOF": (26305, 27465, 1700, 2101, -759),
    "IFO-FR": (965, 878, 0, 0, 87),
}


@pytest.fixture
async def stromsund(client, tenant):
    """Strömsund's organisation (app.demo.orgs) and its 2022 year-end lines, via the API."""
    h = tenant.admin
    ids: dict[str, str] = {}
    for unit in STROMSUND.org_units:
        body = {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "valid_from": unit.valid_from.isoformat(),
        }
        if unit.parent:
            body["parent_id"] = ids[unit.parent]
        ids[unit.code] = (await client.post("/api/v1/org-units", json=body, headers=h)).json()["id"]
    for code, name, kind in STROMSUND_CATEGORIES:
        created = await client.post(
            CATEGORIES, json={"code": code, "name": name, "kind": kind.value}, headers=h
        )
        assert created.status_code == 201, created.text
    summary = await post_lines(client, h, stromsund_rows())
    assert (summary["created"], summary["rejected"]) == (4 * len(STROMSUND_2022), 0)
    return ids


def _row(groups, code):
    return next(g for g in groups if g["org_unit"]["code"] == code)


async def test_individual_and_family_care_per_unit_and_in_total(client, tenant, stromsund):
    body = await follow_up(client, tenant.admin, stromsund["IFO"], 2022, group_by="org_unit")
    groups = body["groups"]
    assert [g["org_unit"]["code"] for g in groups] == sorted(IFO_BY_HAND)
    assert not any(g["own"] for g in groups)
    for code, (cost_b, cost_o, rev_b, rev_o, result) in IFO_BY_HAND.items():
        row = _row(groups, code)
        assert (tkr(row["cost"]["budget"]), tkr(row["cost"]["outcome_to_date"])) == (
            cost_b,
            cost_o,
        )
        assert (tkr(row["revenue"]["budget"]), tkr(row["revenue"]["outcome_to_date"])) == (
            rev_b,
            rev_o,
        )
        assert tkr(row["net"]["deviation"]) == result, code
    # The area total, from the units — not typed in: cost −4 980, revenue +830, result −4 150.
    assert tkr(body["cost"]["deviation"]) == -4980
    assert tkr(body["revenue"]["deviation"]) == 830
    assert tkr(body["net"]["deviation"]) == -4150
    assert (tkr(body["cost"]["budget"]), tkr(body["cost"]["outcome_to_date"])) == (60803, 65783)
    assert (tkr(body["revenue"]["budget"]), tkr(body["revenue"]["outcome_to_date"])) == (
        2655,
        3485,
    )
    # Year-end: the budget to date is the whole budget.
    assert body["month"] == "2022-12"
    assert body["cost"]["budget_to_date"] == body["cost"]["budget"]


async def test_every_printed_deviation_and_result_column(client, tenant, stromsund):
    """Each unit row as the table prints it; Kommunrehab's printed result is 1 tkr off its own
    columns (109 + 412 = 521, printed 520): the table rounds each figure to tkr."""
    for area, (rev_dev, cost_dev, result) in STROMSUND_2022_AREAS.items():
        body = await follow_up(client, tenant.admin, stromsund[area], 2022, group_by="org_unit")
        assert (
            tkr(body["revenue"]["deviation"]),
            tkr(body["cost"]["deviation"]),
            tkr(body["net"]["deviation"]),
        ) == (rev_dev, cost_dev, result), area
        for group in body["groups"]:
            printed = next(r for r in STROMSUND_2022 if r.org_unit == group["org_unit"]["code"])
            assert tkr(group["revenue"]["deviation"]) == printed.printed_revenue_deviation
            assert tkr(group["cost"]["deviation"]) == printed.printed_cost_deviation
            expected = printed.printed_result + (1 if printed.ansvar == "785" else 0)
            assert tkr(group["net"]["deviation"]) == expected, printed.name


async def test_the_committee_is_the_offices_printed_total(client, tenant, stromsund):
    """ "Vård- och socialförvaltningen" total: result −11 796 (the text's −11,8 mnkr). Its printed
    revenue and cost deviations (12 392, −24 188) are 1 tkr off the rows' sums (12 393, −24 189),
    whose outcomes the table prints as 71 963 and 452 295 against 71 964 and 452 296."""
    body = await follow_up(client, tenant.admin, stromsund["SN"], 2022, group_by="org_unit")
    assert tkr(body["net"]["deviation"]) == -11796
    assert tkr(body["revenue"]["deviation"]) == 12393
    assert tkr(body["cost"]["deviation"]) == -24189
    assert (tkr(body["cost"]["budget"]), tkr(body["revenue"]["budget"])) == (428107, 59571)
    # The committee's own line ("007 Socialnämnd") and the office below it.
    own, office = body["groups"]
    assert (own["own"], own["org_unit"]["code"], tkr(own["net"]["deviation"])) == (True, "SN", 1)
    assert office["org_unit"]["code"] == "VSF"
    assert tkr(office["net"]["deviation"]) == -11797


async def test_the_rollup_equals_the_sum_of_its_parts(client, tenant, stromsund):
    body = await follow_up(client, tenant.admin, stromsund["VSF"], 2022, group_by="org_unit")
    for kind in ("revenue", "cost", "net"):
        for figure in ("budget", "budget_to_date", "outcome_to_date", "deviation"):
            parts = sum(Decimal(str(g[kind][figure])) for g in body["groups"])
            assert parts == Decimal(str(body[kind][figure])), (kind, figure)
        # …and each group is the child's own follow-up.
    for group in body["groups"]:
        alone = await follow_up(client, tenant.admin, group["org_unit"]["id"], 2022)
        assert alone["net"] == group["net"]


async def test_budget_adherence_colours(client, tenant, stromsund):
    """Net deviation ÷ net cost budget (costs less revenue other than the allocation):
    IFO −4 150 / (60 803 − 2 655) = −7.14 % → red; Biståndsenhet 463 / 5 538 = 8.36 % → green;
    Ekonomienhet 1 937 / (17 855 − 602) = 11.23 % → green."""
    body = await follow_up(client, tenant.admin, stromsund["IFO"], 2022, group_by="org_unit")
    assert (Decimal(str(body["net"]["deviation_percent"])), body["adherence"]["status"]) == (
        Decimal("-7.14"),
        "red",
    )
    bist, eko = _row(body["groups"], "IFO-BIST"), _row(body["groups"], "IFO-EKO")
    assert (Decimal(str(bist["adherence"]["percent"])), bist["adherence"]["status"]) == (
        Decimal("8.36"),
        "green",
    )
    assert Decimal(str(eko["adherence"]["percent"])) == Decimal("11.23")
    # Familjecentralen had no budget: no percent, no colour.
    fc = _row(body["groups"], "IFO-FC")
    assert (fc["adherence"]["percent"], fc["adherence"]["status"]) == (None, "no_data")
    # A wider tolerance does not make a deficit green: ±0 means no deficit.
    wide = await follow_up(client, tenant.admin, stromsund["IFO"], 2022, tolerance=10)
    assert wide["adherence"]["status"] == "yellow"


async def test_the_offices_table_in_one_call_areas_with_their_units(client, tenant, stromsund):
    """Seed 002 § 19 prints Vård- och socialförvaltningen's areas, each with its units. With
    `depth=2` one call answers all of it: each area (its result as the table prints it), then
    its units (IFO's as decoded by hand), each row with its path from VSF."""
    body = await follow_up(
        client, tenant.admin, stromsund["VSF"], 2022, group_by="org_unit", depth=2
    )
    groups = body["groups"]
    areas = [g for g in groups if g["depth"] == 1]
    assert [g["org_unit"]["code"] for g in areas] == sorted(STROMSUND_2022_AREAS)
    assert not any(g["own"] for g in groups)
    for area in areas:
        code = area["org_unit"]["code"]
        assert area["path"] == ["VSF", code]
        assert tkr(area["net"]["deviation"]) == STROMSUND_2022_AREAS[code][2], code
    units = [g for g in groups if g["depth"] == 2]
    assert len(groups) == len(areas) + len(units)
    # Every printed row but the committee's own "007 Socialnämnd", which is above VSF.
    assert len(units) == len([r for r in STROMSUND_2022 if r.org_unit != "SN"])
    ifo = [g for g in units if g["path"][1] == "IFO"]
    assert [g["org_unit"]["code"] for g in ifo] == sorted(IFO_BY_HAND)
    for row in ifo:
        assert row["path"] == ["VSF", "IFO", row["org_unit"]["code"]]
        assert tkr(row["net"]["deviation"]) == IFO_BY_HAND[row["org_unit"]["code"]][4]
    # Tree order: each area's units follow it.
    position = {g["org_unit"]["code"]: i for i, g in enumerate(groups)}
    assert all(position[g["path"][1]] < position[g["org_unit"]["code"]] for g in units)
    # The office's total is the areas' sum: −11 797.
    assert tkr(body["net"]["deviation"]) == -11797


async def test_the_committee_with_depth_shows_its_own_line_beside_the_office(
    client, tenant, stromsund
):
    body = await follow_up(
        client, tenant.admin, stromsund["SN"], 2022, group_by="org_unit", depth=3
    )
    own, office = body["groups"][:2]
    assert (own["own"], own["depth"], own["path"]) == (True, 1, ["SN"])
    assert (office["org_unit"]["code"], office["path"]) == ("VSF", ["SN", "VSF"])
    # The committee's own line, the office, its 6 areas and their units (the printed rows).
    assert len(body["groups"]) == 1 + len(STROMSUND_2022_AREAS) + len(STROMSUND_2022)


async def test_depth_without_a_grouping_is_refused(client, tenant, stromsund):
    response = await client.get(
        "/api/v1/budget-follow-up",
        params={"org_unit_id": stromsund["VSF"], "year": 2022, "depth": 2},
        headers=tenant.admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.depth"


async def test_the_year_end_table_is_exportable_areas_with_their_units(client, tenant, stromsund):
    """The export takes the follow-up's grouping and depth: after VSF's own rows, each area's and
    each unit's revenue, cost and net rows, with the unit, its path and the table's result."""
    response = await client.get(
        "/api/v1/exports/budget-follow-up",
        params={
            "org_unit_id": stromsund["VSF"],
            "period": "2022-12",
            "group_by": "org_unit",
            "depth": 2,
            "format": "json",
        },
        headers=tenant.admin,
    )
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    nets = {r["path"]: r for r in rows if r["row"] == "net"}
    assert tkr(nets["VSF"]["deviation_sek"]) == -11797
    for area, (_, _, result) in STROMSUND_2022_AREAS.items():
        assert tkr(nets[f"VSF/{area}"]["deviation_sek"]) == result, area
    for unit, (cost_b, cost_o, _, _, result) in IFO_BY_HAND.items():
        assert tkr(nets[f"VSF/IFO/{unit}"]["deviation_sek"]) == result, unit
        cost = next(r for r in rows if r["path"] == f"VSF/IFO/{unit}" and r["row"] == "cost")
        assert (tkr(cost["budget_sek"]), tkr(cost["outcome_to_date_sek"])) == (cost_b, cost_o)
        assert cost["org_unit_code"] == unit
    # Without the grouping: the unit's own rows only, as before.
    flat = await client.get(
        "/api/v1/exports/budget-follow-up",
        params={"org_unit_id": stromsund["VSF"], "period": "2022-12", "format": "json"},
        headers=tenant.admin,
    )
    assert {r["path"] for r in flat.json()["rows"]} == {"VSF"}


async def test_money_leaves_in_one_representation_everywhere(client, tenant, stromsund):
    """Strömsund's revenue budget 2022, 59 571 tkr, is the JSON number 59571000 in the resource,
    its export and the committee report alike — never 59571000.0 (README: money)."""
    h, sn = tenant.admin, stromsund["SN"]
    answers = [
        await client.get(
            "/api/v1/budget-follow-up", params={"org_unit_id": sn, "year": 2022}, headers=h
        ),
        await client.get(
            "/api/v1/exports/budget-follow-up",
            params={"org_unit_id": sn, "period": "2022-12", "format": "json"},
            headers=h,
        ),
        await client.get(
            "/api/v1/exports/committee-report",
            params={"org_unit_id": sn, "period": "2022-12", "format": "json"},
            headers=h,
        ),
    ]
    for answer in answers:
        assert answer.status_code == 200, answer.text
        assert "59571000" in answer.text
        assert "59571000.0" not in answer.text, answer.url
    lines = await client.get("/api/v1/budget-lines", params={"limit": 100}, headers=h)
    assert '"amount":1092000,' in lines.text  # 007 Socialnämnd's cost budget, 1 092 tkr
