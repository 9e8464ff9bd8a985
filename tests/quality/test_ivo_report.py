"""The quarterly IVO report on hand-built decisions at the bucket edges.

Q = 2019-12-31 (2019-Q4). By hand, with calendar months clamped to the month's end:

* 3 months before: 2019-10-01 + 3 months = 2020-01-01 is after Q, so a decision of 2019-10-01
  has waited *less* than three months; 2019-09-30 + 3 months = 2019-12-30 is before Q, so a
  decision of 2019-09-30 has waited more: reportable, 3–6.
* 6 months: 2019-07-01 + 6 = 2020-01-01 → still 3–6; 2019-06-30 + 6 = 2019-12-30 → 6–9.
* 9 months: 2019-03-31 + 9 = 2019-12-31 = Q, exactly nine → 6–9; 2019-03-30 + 9 = 2019-12-30 →
  9–12.
* 12 months: 2018-12-31 + 12 = Q, exactly twelve → 9–12; 2018-12-30 → more than 12.

"Exactly three months is not yet reportable" needs a quarter end that a decision date reaches
exactly: Q3 2019 ends 2019-09-30 = 2019-06-30 + 3 months (not reportable); 2019-06-29 + 3 months
= 2019-09-29 (reportable). Q2 2019 ends 2019-06-30, which both 2019-03-30 and 2019-03-31 reach
(the latter clamped): neither is reportable; 2019-03-29 is.
"""

import csv
import io
from datetime import date

import pytest

from app.quality.decisions.ivo import add_months, cutoff
from tests.quality.conftest import get, post

BASE = "/api/v1/unexecuted-decisions"
REPORT = f"{BASE}/ivo-report"


async def decision(
    client,
    h,
    unit,
    ref,
    decision_on,
    *,
    kind="contact_person_family",
    gender="women",
    interruption=None,
    **extra,
):
    body = {
        "org_unit_id": unit["id"],
        "decision_on": decision_on,
        "intervention_type": kind,
        "gender": gender,
        "reference": ref,
        "source": "test",
        **extra,
    }
    made = await post(client, h, BASE, body)
    if interruption:
        made = await post(client, h, f"{BASE}/{made['id']}/interruptions", interruption)
    return made


def by_ref(report):
    return {d["reference"]: (d["kind"], d["bucket"]) for d in report["decisions"]}


def test_month_arithmetic_by_hand():
    assert add_months(date(2019, 9, 30), 3) == date(2019, 12, 30)
    assert add_months(date(2019, 11, 30), 3) == date(2020, 2, 29)
    assert add_months(date(2019, 3, 31), 3) == date(2019, 6, 30)
    assert add_months(date(2019, 12, 31), -3) == date(2019, 9, 30)
    q4 = date(2019, 12, 31)
    assert [cutoff(q4, n) for n in (3, 6, 9, 12)] == [
        date(2019, 10, 1),
        date(2019, 7, 1),
        date(2019, 3, 31),
        date(2018, 12, 31),
    ]
    assert cutoff(date(2019, 6, 30), 3) == date(2019, 3, 30)
    assert cutoff(date(2019, 9, 30), 3) == date(2019, 6, 30)


async def test_bucket_edges_at_2019_q4(client, tenant, units):
    h, u = tenant.admin, units["AF"]
    for ref, day in (
        ("too-young", "2019-10-01"),
        ("3-6-late", "2019-09-30"),
        ("3-6-early", "2019-07-01"),
        ("6-9-late", "2019-06-30"),
        ("6-9-exactly-9", "2019-03-31"),
        ("9-12-late", "2019-03-30"),
        ("9-12-exactly-12", "2018-12-31"),
        ("over-12", "2018-12-30"),
        ("in-next-quarter", "2020-01-02"),
    ):
        await decision(client, h, u, ref, day)
    report = await get(client, h, REPORT, quarter="2019-Q4")
    assert report["quarter"] == "2019-Q4"
    assert report["quarter_end"] == "2019-12-31"
    assert by_ref(report) == {
        "3-6-late": ("not_executed", "months_3_6"),
        "3-6-early": ("not_executed", "months_3_6"),
        "6-9-late": ("not_executed", "months_6_9"),
        "6-9-exactly-9": ("not_executed", "months_6_9"),
        "9-12-late": ("not_executed", "months_9_12"),
        "9-12-exactly-12": ("not_executed", "months_9_12"),
        "over-12": ("not_executed", "months_over_12"),
    }
    assert report["buckets"] == [
        {
            "name": "months_3_6",
            "label": "more than 3, at most 6 months",
            "waiting_since_from": "2019-07-01",
            "waiting_since_to": "2019-09-30",
        },
        {
            "name": "months_6_9",
            "label": "more than 6, at most 9 months",
            "waiting_since_from": "2019-03-31",
            "waiting_since_to": "2019-06-30",
        },
        {
            "name": "months_9_12",
            "label": "more than 9, at most 12 months",
            "waiting_since_from": "2018-12-31",
            "waiting_since_to": "2019-03-30",
        },
        {
            "name": "months_over_12",
            "label": "more than 12 months",
            "waiting_since_from": None,
            "waiting_since_to": "2018-12-30",
        },
    ]
    [row] = report["rows"]
    assert row == {
        "kind": "not_executed",
        "intervention_type": "contact_person_family",
        "gender": "women",
        "months_3_6": 2,
        "months_6_9": 2,
        "months_9_12": 2,
        "months_over_12": 1,
        "total": 7,
    }
    over = next(d for d in report["decisions"] if d["reference"] == "over-12")
    assert (over["waiting_since"], over["days_waiting"]) == ("2018-12-30", 366)


@pytest.mark.parametrize(
    ("quarter", "decided", "reportable"),
    [
        ("2019-Q3", "2019-06-30", False),  # + 3 months = 2019-09-30: exactly three
        ("2019-Q3", "2019-06-29", True),
        ("2019-Q2", "2019-03-31", False),  # + 3 months = 2019-06-30 (clamped): exactly three
        ("2019-Q2", "2019-03-30", False),  # + 3 months = 2019-06-30: exactly three
        ("2019-Q2", "2019-03-29", True),
        ("2020-Q1", "2019-12-31", False),  # + 3 months = 2020-03-31
        ("2020-Q1", "2019-12-30", True),
    ],
)
async def test_exactly_three_months_is_not_yet_reportable(
    client, tenant, units, quarter, decided, reportable
):
    await decision(client, tenant.admin, units["AF"], "edge", decided)
    report = await get(client, tenant.admin, REPORT, quarter=quarter)
    assert (by_ref(report) == {"edge": ("not_executed", "months_3_6")}) is reportable
    assert report["totals"][-1]["total"] == (1 if reportable else 0)


async def test_execution_and_ending_as_of_the_quarter_end(client, tenant, units):
    h, u = tenant.admin, units["AF"]
    await decision(client, h, u, "executed-on-q", "2019-01-15", executed_on="2019-12-31")
    await decision(client, h, u, "executed-after-q", "2019-01-15", executed_on="2020-01-05")
    await decision(client, h, u, "ended-before-q", "2019-01-15", ended_on="2019-12-01")
    await decision(client, h, u, "ended-after-q", "2019-01-15", ended_on="2020-01-10")
    report = await get(client, h, REPORT, quarter="2019-Q4")
    assert by_ref(report) == {
        "executed-after-q": ("not_executed", "months_9_12"),
        "ended-after-q": ("not_executed", "months_9_12"),
    }
    # As of 2019-Q3 the first was not executed either (2019-01-15 + 6 months < 2019-09-30).
    q3 = await get(client, h, REPORT, quarter="2019-Q3")
    assert by_ref(q3) == {
        "executed-on-q": ("not_executed", "months_6_9"),
        "executed-after-q": ("not_executed", "months_6_9"),
        "ended-after-q": ("not_executed", "months_6_9"),
        "ended-before-q": ("not_executed", "months_6_9"),
    }


async def test_an_interrupted_decision_counts_from_its_interruption(client, tenant, units):
    h, u = tenant.admin, units["AF"]
    long_ago = {"decision_on": "2018-01-10", "executed_on": "2018-02-01"}
    await decision(
        client, h, u, "int-3-6", **long_ago, interruption={"interrupted_on": "2019-09-30"}
    )
    await decision(
        client, h, u, "int-young", **long_ago, interruption={"interrupted_on": "2019-10-01"}
    )
    await decision(
        client,
        h,
        u,
        "int-resumed",
        **long_ago,
        interruption={"interrupted_on": "2019-05-01", "resumed_on": "2019-12-31"},
    )
    await decision(
        client,
        h,
        u,
        "int-resumed-later",
        **long_ago,
        gender="men",
        interruption={"interrupted_on": "2019-05-01", "resumed_on": "2020-01-15"},
    )
    await decision(client, h, u, "executed", **long_ago)
    report = await get(client, h, REPORT, quarter="2019-Q4")
    assert by_ref(report) == {
        "int-3-6": ("interrupted", "months_3_6"),
        "int-resumed-later": ("interrupted", "months_6_9"),  # 2019-05-01 + 6 months < Q ≤ + 9
    }
    first = next(d for d in report["decisions"] if d["reference"] == "int-3-6")
    assert (first["decision_on"], first["interrupted_on"], first["waiting_since"]) == (
        "2018-01-10",
        "2019-09-30",
        "2019-09-30",
    )
    assert [(r["kind"], r["gender"], r["total"]) for r in report["rows"]] == [
        ("interrupted", "men", 1),
        ("interrupted", "women", 1),
    ]
    assert report["totals"] == [
        {
            "kind": "not_executed",
            "intervention_type": None,
            "gender": None,
            "months_3_6": 0,
            "months_6_9": 0,
            "months_9_12": 0,
            "months_over_12": 0,
            "total": 0,
        },
        {
            "kind": "interrupted",
            "intervention_type": None,
            "gender": None,
            "months_3_6": 1,
            "months_6_9": 1,
            "months_9_12": 0,
            "months_over_12": 0,
            "total": 2,
        },
        {
            "kind": None,
            "intervention_type": None,
            "gender": None,
            "months_3_6": 1,
            "months_6_9": 1,
            "months_9_12": 0,
            "months_over_12": 0,
            "total": 2,
        },
    ]


async def test_rows_by_type_and_gender_with_subtotals_and_csv(client, tenant, units):
    h, u = tenant.admin, units["AF"]
    await decision(client, h, u, "a", "2019-08-01", gender="women")
    await decision(client, h, u, "b", "2019-08-02", gender="men")
    await decision(client, h, u, "c", "2019-02-01", gender="men")
    await decision(client, h, u, "d", "2019-08-03", kind="family_treatment", gender="women")
    report = await get(client, h, REPORT, quarter="2019-Q4")
    assert [
        (r["intervention_type"], r["gender"], r["months_3_6"], r["months_9_12"], r["total"])
        for r in report["rows"]
    ] == [
        ("contact_person_family", "men", 1, 1, 2),
        ("contact_person_family", "women", 1, 0, 1),
        ("family_treatment", "women", 1, 0, 1),
    ]
    assert [
        (r["kind"], r["intervention_type"], r["gender"], r["total"]) for r in report["by_type"]
    ] == [
        ("not_executed", "contact_person_family", None, 3),
        ("not_executed", "family_treatment", None, 1),
    ]
    assert report["totals"][-1]["total"] == 4

    response = await client.get(REPORT, params={"quarter": "2019-Q4", "format": "csv"}, headers=h)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="ivo-2019-Q4-summary.csv"' in response.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(response.text)))
    assert lines[0] == [
        "quarter",
        "kind",
        "intervention_type",
        "gender",
        "months_3_6",
        "months_6_9",
        "months_9_12",
        "months_over_12",
        "total",
    ]
    assert lines[1:] == [
        ["2019-Q4", "not_executed", "contact_person_family", "men", "1", "0", "1", "0", "2"],
        ["2019-Q4", "not_executed", "contact_person_family", "women", "1", "0", "0", "0", "1"],
        ["2019-Q4", "not_executed", "family_treatment", "women", "1", "0", "0", "0", "1"],
        ["2019-Q4", "not_executed", "contact_person_family", "", "2", "0", "1", "0", "3"],
        ["2019-Q4", "not_executed", "family_treatment", "", "1", "0", "0", "0", "1"],
        ["2019-Q4", "not_executed", "", "", "3", "0", "1", "0", "4"],
        ["2019-Q4", "interrupted", "", "", "0", "0", "0", "0", "0"],
        ["2019-Q4", "", "", "", "3", "0", "1", "0", "4"],
    ]
    per_decision = await client.get(
        REPORT, params={"quarter": "2019-Q4", "format": "csv", "table": "decisions"}, headers=h
    )
    rows = list(csv.DictReader(io.StringIO(per_decision.text)))
    assert [(r["reference"], r["bucket"], r["days_waiting"]) for r in rows] == [
        ("c", "months_9_12", "333"),  # 2019-02-01 → 2019-12-31
        ("a", "months_3_6", "152"),
        ("b", "months_3_6", "151"),
        ("d", "months_3_6", "150"),
    ]


@pytest.mark.parametrize("quarter", ["2019", "2019-Q5", "2019-T1", "q4", ""])
async def test_a_bad_quarter_is_422(client, tenant, quarter):
    response = await client.get(REPORT, params={"quarter": quarter}, headers=tenant.admin)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.quarter"


async def test_the_report_stays_in_the_municipality_and_the_subtree(
    client, tenant, other_tenant, units
):
    await decision(client, tenant.admin, units["AF-1"], "af", "2019-01-10")
    await decision(client, tenant.admin, units["BOU"], "bou", "2019-01-10")
    other = await get(client, other_tenant.admin, REPORT, quarter="2019-Q4")
    assert other["decisions"] == []
    assert other["totals"][-1]["total"] == 0
    reporter = await tenant.headers("reporter", org_unit_id=units["AF"]["id"])
    mine = await get(client, reporter, REPORT, quarter="2019-Q4")
    assert by_ref(mine) == {"af": ("not_executed", "months_9_12")}


async def test_the_csv_takes_the_exports_dialect_options(client, tenant):
    """Issue 19: `delimiter=;` and `bom` as for the exports, for Swedish Excel."""
    params = {"quarter": "2019-Q4", "format": "csv", "delimiter": ";", "bom": "true"}
    response = await client.get(REPORT, params=params, headers=tenant.admin)
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "quarter;kind;intervention_type;gender;months_3_6;months_6_9;months_9_12;months_over_12;total"
    )
    assert lines[-1] == "2019-Q4;;;;0;0;0;0;0"
    plain = await client.get(
        REPORT, params={"quarter": "2019-Q4", "format": "csv"}, headers=tenant.admin
    )
    assert plain.content.startswith(b"quarter,kind,")  # the defaults stay: comma, no BOM
