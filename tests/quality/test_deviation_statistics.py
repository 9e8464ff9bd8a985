"""Deviation statistics against hand counts.

Five reports, worked out by hand:

| report | unit | category | severity | reported | closed | days | Lex Sarah / IVO |
|---|---|---|---|---|---|---|---|
| R1 | AF | routine | low | 2019-02-10 | 2019-02-20 | 10 | |
| R2 | AF-1 | routine | high | 2019-05-01 | 2019-06-30 | 60 | serious, notified |
| R3 | BOU | information | medium | 2019-09-01 | 2019-09-05 | 4 | |
| R4 | BOU | information | low | 2020-01-15 | (investigating) | | |
| R5 | AF | collaboration | low | 2020-03-01 | 2020-03-31 | 30 | |

2019: 3 reports, all closed after 4, 10, 60 days: median 10; p90 at rank 0.9 × 2 = 1.8 between
10 and 60: 10 + 0.8 × 50 = 50. 2020: 2 reports, 1 closed after 30 days. In all: 4 closed after
4, 10, 30, 60 days: median 20, p90 at rank 2.7: 30 + 0.7 × 30 = 51.
"""

import pytest

from tests.quality.conftest import get, post

BASE = "/api/v1/deviation-reports"
STATS = f"{BASE}/statistics"


async def _report(
    client, h, unit, category, severity, reported, closed=None, lex=None, status=None
):
    body = {
        "org_unit_id": unit["id"],
        "category": category,
        "severity": severity,
        "description": "Avvikelse",
        "reported_on": reported,
    }
    if lex:
        body["lex_sarah"] = lex
    report = await post(client, h, BASE, body)
    steps = ["investigating", "measures_decided", "closed"] if closed else [status]
    for to in steps:
        if to:
            report = await post(
                client,
                h,
                f"{BASE}/{report['id']}/transitions",
                {"to": to, "moved_on": closed or reported},
                200,
            )
    return report


@pytest.fixture
async def reports(client, tenant, units):
    h = tenant.admin
    serious = {
        "outcome": "maltreatment",
        "serious": True,
        "ivo_notified_on": "2019-05-20",
        "ivo_reference": "IVO 3.5.1-1/2019",
    }
    return [
        await _report(client, h, units["AF"], "routine", "low", "2019-02-10", "2019-02-20"),
        await _report(
            client, h, units["AF-1"], "routine", "high", "2019-05-01", "2019-06-30", serious
        ),
        await _report(client, h, units["BOU"], "information", "medium", "2019-09-01", "2019-09-05"),
        await _report(
            client, h, units["BOU"], "information", "low", "2020-01-15", status="investigating"
        ),
        await _report(client, h, units["AF"], "collaboration", "low", "2020-03-01", "2020-03-31"),
    ]


def durations(row):
    d = row["days_to_close"]
    return d["count"], d["median"], d["p90"]


async def test_by_year_with_close_times(client, tenant, reports):
    stats = await get(client, tenant.admin, STATS)
    assert stats["group_by"] == ["year"]
    y2019, y2020 = stats["groups"]
    assert {
        k: y2019[k]
        for k in ("period", "count", "open", "closed", "lex_sarah_reports", "ivo_notifications")
    } == {
        "period": "2019",
        "count": 3,
        "open": 0,
        "closed": 3,
        "lex_sarah_reports": 1,
        "ivo_notifications": 1,
    }
    assert durations(y2019) == (3, 10, 50)
    assert (y2020["period"], y2020["count"], y2020["open"], y2020["closed"]) == ("2020", 2, 1, 1)
    assert durations(y2020) == (1, 30, 30)
    total = stats["total"]
    assert "period" not in total
    assert (total["count"], total["closed"]) == (5, 4)
    assert durations(total) == (4, 20, 51)


async def test_by_tertial_category_and_filters(client, tenant, reports, units):
    h = tenant.admin
    tertials = await get(client, h, STATS, group_by="tertial")
    assert [(g["period"], g["count"]) for g in tertials["groups"]] == [
        ("2019-T1", 1),
        ("2019-T2", 1),
        ("2019-T3", 1),
        ("2020-T1", 2),
    ]
    quarters = await get(client, h, STATS, group_by="quarter")
    assert [(g["period"], g["count"]) for g in quarters["groups"]] == [
        ("2019-Q1", 1),
        ("2019-Q2", 1),
        ("2019-Q3", 1),
        ("2020-Q1", 2),
    ]
    months = await get(client, h, STATS, group_by="month", period_from="2020", period_to="2020")
    assert [(g["period"], g["count"]) for g in months["groups"]] == [("2020-01", 1), ("2020-03", 1)]

    categories = await get(
        client, h, STATS, group_by=["year", "category"], period_from="2019", period_to="2019"
    )
    assert [(g["period"], g["category"], g["count"]) for g in categories["groups"]] == [
        ("2019", "information", 1),
        ("2019", "routine", 2),
    ]
    assert set(categories["groups"][0]) == {
        "period",
        "category",
        "count",
        "open",
        "closed",
        "lex_sarah_reports",
        "ivo_notifications",
        "days_to_close",
    }
    subtree = await get(client, h, STATS, group_by="severity", org_unit_id=units["AF"]["id"])
    assert [(g["severity"], g["count"]) for g in subtree["groups"]] == [("high", 1), ("low", 2)]
    assert subtree["total"]["count"] == 3


async def test_by_unit_and_lex_sarah(client, tenant, reports):
    h = tenant.admin
    by_unit = await get(client, h, STATS, group_by="org_unit")
    assert [(g["org_unit_code"], g["count"]) for g in by_unit["groups"]] == [
        ("AF", 2),
        ("AF-1", 1),
        ("BOU", 2),
    ]
    lex = await get(client, h, STATS, group_by=["lex_sarah", "ivo_notified"])
    assert [(g["lex_sarah"], g["ivo_notified"], g["count"]) for g in lex["groups"]] == [
        (False, False, 4),
        (True, True, 1),
    ]
    statuses = await get(client, h, STATS, group_by="status")
    assert [(g["status"], g["count"]) for g in statuses["groups"]] == [
        ("closed", 4),
        ("investigating", 1),
    ]
    only_lex = await get(client, h, STATS, lex_sarah="true", group_by="year")
    assert [(g["period"], g["count"]) for g in only_lex["groups"]] == [("2019", 1)]


async def test_reopened_report_counts_its_last_close(client, tenant, reports):
    h = tenant.admin
    r1 = reports[0]
    await post(
        client,
        h,
        f"{BASE}/{r1['id']}/transitions",
        {"to": "investigating", "moved_on": "2019-03-01", "comment": "Ny uppgift"},
        200,
    )
    y2019 = (await get(client, h, STATS))["groups"][0]
    assert (y2019["closed"], y2019["open"]) == (2, 1)
    assert durations(y2019) == (2, 32, 54.4)  # 4 and 60: median 32, p90 4 + 0.9 × 56 = 54.4
    await post(
        client,
        h,
        f"{BASE}/{r1['id']}/transitions",
        {"to": "measures_decided", "moved_on": "2019-03-02"},
        200,
    )
    await post(
        client, h, f"{BASE}/{r1['id']}/transitions", {"to": "closed", "moved_on": "2019-03-12"}, 200
    )
    y2019 = (await get(client, h, STATS))["groups"][0]
    assert durations(y2019) == (3, 30, 54)  # 4, 30, 60: p90 at rank 1.8: 30 + 0.8 × 30


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": ["year", "month"]}, "query.group_by"),
        ({"group_by": ["category", "category"]}, "query.group_by"),
        ({"group_by": "weekday"}, "query.group_by.0"),
        ({"period_from": "2019-13"}, "query.period_from"),
    ],
)
async def test_bad_statistics_requests_are_422(client, tenant, params, field):
    response = await client.get(STATS, params=params, headers=tenant.admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


async def test_statistics_without_reports(client, tenant):
    stats = await get(client, tenant.admin, STATS, group_by=["year", "category"])
    assert stats["groups"] == []
    assert stats["total"]["count"] == 0
    assert stats["total"]["days_to_close"] == {"count": 0, "median": None, "p90": None}
