"""The seed goal plans in the demo data: loaded through the services, idempotent, true to the seeds.

The demo municipalities (2380, 2313, 0117, 0181) are shared by the whole test database and
``load_demo_data`` may already have run in another test, so these tests assert on content, never
on what a particular run added — except that a run after a run adds nothing.

Every expected number below was read in seed 004 (/work/shared/seeds/004_*.txt) itself; the line
is given with each.
"""

from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from app.auth import service as api_keys
from app.auth.deps import system_ctx
from app.auth.permissions import Role
from app.auth.schemas import ApiKeyCreate
from app.demo.loader import load_demo_data
from app.demo.outcomes import MONTHS, SODERTALJE, DemoMeasurement, generate, ratio_scale
from app.demo.plans import PLANS, DemoIndicator, DemoTarget
from app.indicators.models import Indicator, Target
from app.measurements.models import Measurement, MeasurementVersion
from app.municipalities.service import get_by_code

API = "/api/v1"
SODERTALJE_PLAN = next(p for p in PLANS if p.municipality == "0181")
NOTHING_ADDED = (
    "0 indicator(s), 0 goal(s), 0 target(s), 0 measurement(s) added; "
    "organisation: 0 org unit(s) added"
)


def d(value: object) -> Decimal | None:
    """A JSON number (or a Decimal serialised as text) as a Decimal, for exact comparison."""
    return None if value is None else Decimal(str(value))


def n(value: object) -> Decimal:
    """Like :func:`d`, for a number that must be there."""
    assert value is not None
    return Decimal(str(value))


async def _key(db, code: str, role: Role) -> dict[str, str]:
    async with db.session(system=True) as session:
        municipality = await get_by_code(session, code)
        assert municipality is not None
        ctx = system_ctx(session, municipality.id, municipality.code)
        created = await api_keys.create(ctx, ApiKeyCreate(name=f"demo test {role}", role=role))
    return {"X-API-Key": created.key}


@pytest.fixture(scope="module")
async def loaded(app):
    """Demo data loaded (perhaps again) and then once more; the reports of both runs."""
    db = app.state.db
    first = await load_demo_data(db)
    second = await load_demo_data(db)
    return first, second


@pytest.fixture(scope="module")
async def sodertalje(app, loaded):
    return await _key(app.state.db, "0181", Role.VIEWER)


async def _get(client, headers, path, **params):
    response = await client.get(f"{API}{path}", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _indicators(client, headers) -> dict[str, dict[str, Any]]:
    page = await _get(client, headers, "/indicators", limit=500)
    assert page["next_cursor"] is None
    return {i["code"]: i for i in page["items"]}


async def _counts(db, code: str) -> tuple[int, ...]:
    """Indicators, targets, measurements and measurement versions of one municipality."""
    async with db.session(system=True) as session:
        municipality = await get_by_code(session, code)
        assert municipality is not None
        counts = []
        for model in (Indicator, Target, Measurement, MeasurementVersion):
            counts.append(
                await session.scalar(
                    select(func.count())
                    .select_from(model)
                    .where(model.municipality_id == municipality.id)
                    .execution_options(skip_tenant_filter=True)
                )
            )
    return tuple(counts)


# --- loading -----------------------------------------------------------------------------------


async def test_a_second_run_adds_nothing(app, loaded):
    first, second = loaded
    assert len(first) == len(second) == 4
    by_code = {line[:4]: line for line in second}
    for code in ("2380", "0117", "0181"):
        assert by_code[code].endswith(": " + NOTHING_ADDED), by_code[code]
    assert by_code["2313"] == "2313 Strömsund: 0 org unit(s) added"  # no plan in the seeds

    # Whatever run loaded them, the plans are complete: 32 indicators with 3 targets each and
    # 301 measurements (232 monthly totals, 64 women/men rows, 4 tertials, one 2022 outcome),
    # each with exactly one version (nothing was overwritten by the second run).
    assert await _counts(app.state.db, "0181") == (32, 96, 301, 301)
    assert await _counts(app.state.db, "0117") == (13, 13, 0, 0)
    assert await _counts(app.state.db, "2380") == (19, 0, 0, 0)


async def test_goals_of_the_three_plans(client, app, loaded):
    expected = {
        "0181": (18, 2023, 2025),  # KF goals 1–9, committee goals 1.1–8.1 (3.1 and 3.2)
        "0117": (14, 2019, 2019),  # inriktningsmål 1–7 with one resultatmål each
        "2380": (4, 2022, 2022),  # council goals 3, 4, 6, 8 with their KPIs
    }
    for code, (goals, start, end) in expected.items():
        headers = await _key(app.state.db, code, Role.VIEWER)
        page = await _get(client, headers, "/goals", limit=500)
        assert len(page["items"]) == goals, code
        assert {(g["valid_from_year"], g["valid_to_year"]) for g in page["items"]} == {(start, end)}
        indicators = await _indicators(client, headers)
        assert {(i["valid_from_year"], i["valid_to_year"]) for i in indicators.values()} == {
            (start, end)
        }


# --- Södertälje against seed 004 ----------------------------------------------------------------

# code: (baseline value, period, text, {year: (kind, text, fields)}) — seed 004 line in comments.
Fields = dict[str, int | Decimal]
UNCHANGED: tuple[str, str, Fields] = ("unchanged", "oförändrat", {})
INCREASE: tuple[str, str, Fields] = ("increase", "öka", {})
DECREASE: tuple[str, str, Fields] = ("decrease", "minska", {})
Seed = tuple[str | None, str | None, str | None, dict[int, tuple[str, str, Fields]]]
SEED_004: dict[str, Seed] = {
    # line 248-251: "* 72 oförändrat oförändrat"
    "SN-1.1.1": (None, None, None, {2023: ("at_least", "72", {"value": 72}), 2024: UNCHANGED}),
    # line 348-354: "70 (nov 2022) 80 oförändrat oförändrat"
    "SN-2.1.3": (
        "70",
        "2022-11",
        "70 (nov 2022)",
        {2023: ("at_least", "80", {"value": 80}), 2024: UNCHANGED, 2025: UNCHANGED},
    ),
    # line 467-471: "375 400 oförändrat minska"
    "SN-3.1.3": (
        "375",
        "2022",
        "375",
        {2023: ("at_most", "400", {"value": 400}), 2024: UNCHANGED, 2025: DECREASE},
    ),
    # line 516-520: "3 15 öka öka"
    "SN-3.2.2": ("3", "2022", "3", {2023: ("at_least", "15", {"value": 15}), 2025: INCREASE}),
    # line 596-602: "60 (dec 2022) 70 öka öka"
    "SN-4.1.1": ("60", "2022-12", "60 (dec 2022)", {2023: ("at_least", "70", {"value": 70})}),
    # line 606-612: "15,1 (snitt jan-okt 2022) 14 oförändrat oförändrat"
    "SN-4.1.2": (
        "15.1",
        "2022-10",
        "15,1 (snitt jan-okt 2022)",
        {2023: ("at_most", "14", {"value": 14}), 2024: UNCHANGED, 2025: UNCHANGED},
    ),
    # line 617-620: "99 99 - 100 oförändrat oförändrat"
    "SN-4.1.3": (
        "99",
        "2022",
        "99",
        {2023: ("between", "99 - 100", {"low": 99, "high": 100}), 2025: UNCHANGED},
    ),
    # line 729-735: "75 (okt 2022) 80 öka öka"
    "SN-5.1.1": (
        "75",
        "2022-10",
        "75 (okt 2022)",
        {2023: ("at_least", "80", {"value": 80}), 2024: INCREASE, 2025: INCREASE},
    ),
    # line 739-742: "* 600 oförändrat oförändrat"
    "SN-5.1.2": (None, None, None, {2023: ("at_least", "600", {"value": 600}), 2025: UNCHANGED}),
    # line 803-815: "73 000 liter (nov 2022) 70 000 liter minska minska"
    "SN-6.1.2": (
        "73000",
        "2022-11",
        "73 000 liter (nov 2022)",
        {2023: ("at_most", "70 000 liter", {"value": 70000}), 2024: DECREASE, 2025: DECREASE},
    ),
    # line 891-900: "ca 100 000 / minska med 10 % / minska minska"
    "SN-7.1.1": (
        "100000",
        "2022",
        "ca 100 000",
        {
            2023: ("decrease", "minska med 10 %", {"min_change": Decimal("0.1")}),
            2024: DECREASE,
            2025: DECREASE,
        },
    ),
    # line 974-980: "Budgetföljsamhet (%) +1,9 (prognos 2022) +/- 0 +/- 0 +/- 0"
    "SN-8.1.1": (
        "1.9",
        "2022",
        "+1,9 (prognos 2022)",
        {year: ("between", "+/- 0", {"low": 0, "high": 0}) for year in (2023, 2024, 2025)},
    ),
    # line 982-989: "77 (okt 2022) 83 öka oförändrat"
    "SN-8.1.2": (
        "77",
        "2022-10",
        "77 (okt 2022)",
        {2023: ("at_least", "83", {"value": 83}), 2024: INCREASE, 2025: UNCHANGED},
    ),
    # line 1006-1013: "71,9 (prognos 2022) 75 öka oförändrat"
    "SN-8.1.3": (
        "71.9",
        "2022",
        "71,9 (prognos 2022)",
        {2023: ("at_least", "75", {"value": 75}), 2024: INCREASE, 2025: UNCHANGED},
    ),
    # line 1015-1023: "1173 (snitt 2022) 1300 oförändrat minska"
    "SN-8.1.4": (
        "1173",
        "2022",
        "1173 (snitt 2022)",
        {2023: ("at_most", "1300", {"value": 1300}), 2024: UNCHANGED, 2025: DECREASE},
    ),
    # line 1028-1036: "46 % (nov 2022) 47 % öka öka"
    "SN-8.1.5": ("46", "2022-11", "46 % (nov 2022)", {2023: ("at_least", "47 %", {"value": 47})}),
    # line 1134-1137: "16,5 15,4 minska minska"
    "SN-9.2": ("16.5", "2022", "16,5", {2023: ("at_most", "15,4", {"value": Decimal("15.4")})}),
    # line 1139-1142: "97,7 97,7 oförändrat oförändrat"
    "SN-9.3": ("97.7", "2022", "97,7", {2023: ("at_least", "97,7", {"value": Decimal("97.7")})}),
    # line 1144: "Sjukfrånvaro (%) (Kontoret) 6 6 oförändrat oförändrat"
    "SN-9.4": ("6", "2022", "6", {2023: ("at_most", "6", {"value": 6}), 2025: UNCHANGED}),
}


async def test_sodertalje_indicators_match_seed_004(client, sodertalje):
    indicators = await _indicators(client, sodertalje)
    assert len(indicators) == 32
    assert len(SEED_004) >= 10
    for code, (value, period, text, targets) in SEED_004.items():
        indicator = indicators[code]
        assert d(indicator["baseline_value"]) == d(value), code
        assert indicator["baseline_period"] == period, code
        assert indicator["baseline_text"] == text, code
        if value is None:  # "*": the seed's footnote explains the missing baseline
            assert indicator["description"].startswith("Ingående värde saknas"), code
        assert (indicator["valid_from_year"], indicator["valid_to_year"]) == (2023, 2025)
        written = await _get(client, sodertalje, f"/indicators/{indicator['id']}/targets")
        assert [t["year"] for t in written] == [2023, 2024, 2025], code
        by_year = {t["year"]: t for t in written}
        for year, (kind, target_text, fields) in targets.items():
            target = by_year[year]
            assert (target["kind"], target["text"]) == (kind, target_text), (code, year)
            for name in ("value", "low", "high", "min_change"):
                assert d(target[name]) == d(fields.get(name)), (code, year, name)

    # "+/- 0" is green only at 0; one percentage point either side is yellow.
    budget = await _get(client, sodertalje, f"/indicators/{indicators['SN-8.1.1']['id']}/targets")
    assert {(t["yellow_tolerance"]["kind"], d(t["yellow_tolerance"]["value"])) for t in budget} == {
        ("absolute", Decimal(1))
    }
    # Other targets keep the default tolerance.
    waiting = await _get(client, sodertalje, f"/indicators/{indicators['SN-4.1.2']['id']}/targets")
    assert all(t["yellow_tolerance"] is None for t in waiting)

    # Ratio indicators are percentages of numerator / denominator.
    ratios = {c: i for c, i in indicators.items() if i["aggregation"] == "ratio"}
    assert set(ratios) == {"SN-3.1.2", "SN-4.1.1", "SN-4.1.3", "SN-4.1.4", "SN-6.1.1", "SN-9.4"}
    assert {d(i["ratio_scale"]) for i in ratios.values()} == {Decimal(100)}
    assert {c for c, i in indicators.items() if i["gender_split"]} == {
        "SN-3.1.2",
        "SN-3.2.2",
        "SN-3.2.3",
        "SN-9.4",
    }
    assert indicators["SN-9.2"]["periodicity"] == "tertial"
    assert indicators["SN-9.1"]["periodicity"] == "year"


async def test_sodertalje_goal_tree_and_rules(client, sodertalje):
    indicators = await _indicators(client, sodertalje)
    code_of = {i["id"]: c for c, i in indicators.items()}
    units = await _get(client, sodertalje, "/org-units", code="SN")
    (committee,) = units["items"]

    tree = await _get(client, sodertalje, "/goals/tree", year=2024)
    assert [g["code"] for g in tree] == [str(n) for n in range(1, 10)]
    goals = {g["code"]: g for g in tree}
    for node in tree:
        goals.update({child["code"]: child for child in node["children"]})
    assert len(goals) == 18
    assert {g["owner_id"] for g in goals.values()} == {committee["id"]}
    assert {g["level"] for g in tree} == {"council"}

    # Committee goals under their KF goal; KF 3 has both 3.1 and 3.2 (seed 004 line 408).
    children = {g["code"]: [c["code"] for c in g["children"]] for g in tree}
    assert children == {
        "1": ["1.1"],
        "2": ["2.1"],
        "3": ["3.1", "3.2"],
        "4": ["4.1"],
        "5": ["5.1"],
        "6": ["6.1"],
        "7": ["7.1"],
        "8": ["8.1"],
        "9": [],
    }
    # "båda nämndmålen ska vara uppfyllda" → all_children.
    assert goals["3"]["rule"] == {"kind": "all_children"}

    # "minst NN procent av indikatorerna bedömas grönt och resten gult" (seed 004 lines 277, 364,
    # 483, 542, 658, 760, 822, 1045); 7.1 follows its single indicator.
    thresholds = {
        "1.1": "0.70",
        "2.1": "0.70",
        "3.1": "0.70",
        "3.2": "0.75",
        "4.1": "0.75",
        "5.1": "0.75",
        "6.1": "0.50",
        "7.1": "1.00",
        "8.1": "0.70",
    }
    for code, threshold in thresholds.items():
        rule = goals[code]["rule"]
        assert rule["kind"] == "share_of_indicators", code
        assert d(rule["threshold"]) == Decimal(threshold), code
        assert goals[code]["level"] == "committee"
        linked = sorted(code_of[link["indicator_id"]] for link in goals[code]["indicators"])
        assert linked == sorted(c for c in indicators if c.startswith(f"SN-{code}.")), code
        assert {d(link["weight"]) for link in goals[code]["indicators"]} == {Decimal(1)}
    # KF 9 has the office's indicators directly.
    assert sorted(code_of[link["indicator_id"]] for link in goals["9"]["indicators"]) == [
        "SN-9.1",
        "SN-9.2",
        "SN-9.3",
        "SN-9.4",
    ]
    assert goals["3"]["related_plans"][0] == "Folkhälsostrategi 2021–2024"


# --- Södertälje's demo outcomes ------------------------------------------------------------------


async def test_demo_measurements_are_readable_and_consistent(client, app, sodertalje):
    page = await _get(client, sodertalje, "/measurements", source_system="demo", limit=500)
    rows = page["items"]
    assert page["next_cursor"] is None
    assert len(rows) == 301
    assert {r["source_system"] for r in rows} == {"demo"}
    # Additive figures at the office, rolled up to the committee; point-in-time shares ("last")
    # at the committee that owns the goals, since they cannot be rolled up.
    last = {i.code for i in SODERTALJE_PLAN.indicators if i.aggregation == "last"}
    assert {"SN-5.1.1", "SN-8.1.1", "SN-9.1", "SN-9.2"} <= last
    for r in rows:
        assert r["org_unit_code"] == ("SN" if r["indicator_code"] in last else "SK"), r
    assert {r["status"] for r in rows} == {"final"}

    periods: dict[str, set[str]] = {}
    for r in rows:
        periods.setdefault(r["indicator_code"], set()).add(r["period"])
    assert periods["SN-5.1.1"] == set(MONTHS)
    assert periods["SN-9.2"] == {"2023-T1", "2023-T2"}
    assert periods["SN-9.1"] == {"2022"}

    key = {(r["indicator_code"], r["period"], r["gender"]): r for r in rows}
    assert n(key["SN-9.1", "2022", "total"]["value"]) == 80  # the 2022 HME, as the baseline
    # Sick leave: hours / scheduled hours, total = women + men.
    for month in MONTHS:
        total, women, men = (key["SN-9.4", month, g] for g in ("total", "women", "men"))
        for part in ("numerator", "denominator"):
            assert n(total[part]) == n(women[part]) + n(men[part])
        expected = (n(total["numerator"]) / n(total["denominator"]) * 100).quantize(
            Decimal("0.000001")
        )
        assert abs(n(total["value"]) - expected) < Decimal("0.00001")
        assert n(women["value"]) > n(men["value"])
        # Counts: violence-victim decisions split into women and men.
        total, women, men = (key["SN-3.2.3", month, g] for g in ("total", "women", "men"))
        assert n(total["value"]) == n(women["value"]) + n(men["value"])
    # Fossil-free litres are a share of the month's fuel consumption (SN-6.1.2).
    for month in MONTHS:
        assert n(key["SN-6.1.1", month, "total"]["denominator"]) == n(
            key["SN-6.1.2", month, "total"]["value"]
        )

    # Writing the same figures again through the API changes nothing.
    writer = await _key(app.state.db, "0181", Role.INTEGRATION)
    for r in rows:
        if r["indicator_code"] not in ("SN-9.4", "SN-4.1.2"):
            continue
        body = {
            "indicator_code": r["indicator_code"],
            "org_unit_code": r["org_unit_code"],
            "period": r["period"],
            "gender": r["gender"],
            "source_system": "demo",
        }
        if r["numerator"] is None:
            body["value"] = r["value"]
        else:
            body |= {"numerator": r["numerator"], "denominator": r["denominator"]}
        response = await client.put(f"{API}/measurements", json=body, headers=writer)
        assert response.status_code == 200, response.text
        assert response.json()["result"] == "unchanged", body


def _actual(indicator: DemoIndicator, rows: list[DemoMeasurement]) -> Decimal:
    """The year-to-date actual by aggregation (DOMAIN §6.1 step 1)."""
    if indicator.aggregation == "ratio":
        numerator = sum(r.numerator or 0 for r in rows)
        denominator = sum(r.denominator or 0 for r in rows)
        return Decimal(numerator) / Decimal(denominator) * ratio_scale(indicator)
    values = [r.value for r in rows if r.value is not None]
    if indicator.aggregation == "sum":
        return Decimal(sum(values))
    if indicator.aggregation == "mean":
        return Decimal(sum(values)) / len(values)
    return values[-1]


def _colour(indicator: DemoIndicator, target: DemoTarget, rows: list[DemoMeasurement]) -> str:
    """A small DOMAIN §6.1 evaluation, as of August 2023, default tolerance 10 % of the target."""
    if not rows:
        return "no_data"
    actual = _actual(indicator, rows)
    share = Decimal(8) / 12 if indicator.aggregation == "sum" else Decimal(1)
    if target.kind == "between":
        assert target.low is not None
        assert target.high is not None
        tolerance = Decimal(1) if target.low == target.high else Decimal("0.1") * target.high
        if target.low <= actual <= target.high:
            return "green"
        gap = max(target.low - actual, actual - target.high)
        return "yellow" if gap <= tolerance else "red"
    if target.kind == "decrease":  # from the baseline, there being no 2022 outcome
        assert indicator.baseline_value is not None
        assert target.change is not None
        level = indicator.baseline_value * (1 + target.change)
        kind = "at_most"
    else:
        assert target.value is not None
        level, kind = target.value * share, target.kind
    gap = level - actual if kind == "at_least" else actual - level
    if gap <= 0:
        return "green"
    return "yellow" if gap <= Decimal("0.1") * abs(level) else "red"


def test_outcomes_give_each_goal_a_colour_of_its_own():
    rows = generate(SODERTALJE_PLAN)
    assert rows == generate(SODERTALJE_PLAN)  # deterministic
    assert len(rows) == 301
    colours = {}
    for indicator in SODERTALJE_PLAN.indicators:
        target = next(t for t in indicator.targets if t.year == 2023)
        own = [
            r
            for r in rows
            if r.indicator_code == indicator.code and r.gender == "total" and r.period > "2023"
        ]
        colours[indicator.code] = _colour(indicator, target, own)
        assert colours[indicator.code] == SODERTALJE[indicator.code].aim, indicator.code
    assert Counter(colours.values()) == {"green": 20, "yellow": 8, "red": 3, "no_data": 1}

    # Goal colours by share_of_indicators (DOMAIN §6.2): a mix, as a demo scorecard should show.
    goal_colours = {}
    for goal in SODERTALJE_PLAN.goals:
        if goal.rule.get("kind") != "share_of_indicators":
            continue
        threshold = Decimal(str(goal.rule["threshold"]))
        seen = [colours[c] for c in goal.indicators if colours[c] != "no_data"]
        green = seen.count("green") / Decimal(len(seen))
        red = seen.count("red") / Decimal(len(seen))
        goal_colours[goal.code] = (
            "green"
            if green >= threshold and not red
            else "red"
            if red > 1 - threshold
            else "yellow"
        )
    assert goal_colours == {
        "1.1": "green",
        "2.1": "red",
        "3.1": "green",
        "3.2": "red",
        "4.1": "green",
        "5.1": "yellow",
        "6.1": "green",
        "7.1": "yellow",
        "8.1": "yellow",
        "9": "yellow",
    }
