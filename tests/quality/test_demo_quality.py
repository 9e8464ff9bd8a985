"""Östersund's demo quality registers reproduce seed 001 §6.4 (numbers read in the seed itself).

The demo municipalities are shared by the whole test database; ``load_demo_data`` may have run in
another test already, so these tests assert on content, and that a second run adds nothing.
"""

import pytest

from app.auth import service as api_keys
from app.auth.deps import system_ctx
from app.auth.permissions import Role
from app.auth.schemas import ApiKeyCreate
from app.demo.loader import load_demo_data
from app.demo.quality import QualityCounts, load_quality
from app.municipalities.service import get_by_code
from tests.quality.conftest import get

API = "/api/v1"


@pytest.fixture(scope="module")
async def loaded(app):
    await load_demo_data(app.state.db)
    async with app.state.db.session(system=True) as session:
        municipality = await get_by_code(session, "2380")
        assert municipality is not None
        ctx = system_ctx(session, municipality.id, municipality.code)
        again = await load_quality(ctx)
        key = await api_keys.create(ctx, ApiKeyCreate(name="demo test", role=Role.AUDITOR))
    return again, {"X-API-Key": key.key}


async def test_a_second_run_adds_nothing(loaded):
    again, _ = loaded
    assert again == QualityCounts(0, 0, 0)


async def test_ivo_report_at_2019_q4_equals_the_seed_table(client, loaded):
    _, h = loaded
    report = await get(client, h, f"{API}/unexecuted-decisions/ivo-report", quarter="2019-Q4")

    def buckets(row):
        return [row["months_3_6"], row["months_6_9"], row["months_9_12"], row["months_over_12"]]

    by_type = {(r["kind"], r["intervention_type"]): buckets(r) for r in report["by_type"]}
    # Seed 001 §6.4.5: "Kontaktperson/-familj 14 25 12 25", "Familjebehandling 12",
    # "Summa totalt exkl avbrott i verkställighet 26 25 12 25".
    assert by_type[("not_executed", "contact_person_family")] == [14, 25, 12, 25]
    assert by_type[("not_executed", "family_treatment")] == [12, 0, 0, 0]
    not_executed, interrupted, total = report["totals"]
    assert buckets(not_executed) == [26, 25, 12, 25]
    # "Avbrott i verkställighet har gjorts i åtta ärenden avseende kontaktperson/kontaktfamilj
    # och i ett ärende gällande familjehem"; "97 beslut som ej verkställts".
    interrupted_by_type = {
        r["intervention_type"]: r["total"] for r in report["by_type"] if r["kind"] == "interrupted"
    }
    assert interrupted_by_type == {"contact_person_family": 8, "family_home": 1}
    assert (not_executed["total"], interrupted["total"], total["total"]) == (88, 9, 97)
    # "Tolv beslut avsåg familjebehandling varav sex … kvinnor och sex … män, 84 beslut avsåg
    # kontaktperson/kontaktfamilj varav 49 … kvinnor och 35 … män. Ett beslut avsåg familjehem
    # och gällde en kvinna."
    by_type_gender: dict[tuple[str, str], int] = {}
    for row in report["rows"]:
        key = (row["intervention_type"], row["gender"])
        by_type_gender[key] = by_type_gender.get(key, 0) + row["total"]
    assert by_type_gender == {
        ("family_treatment", "women"): 6,
        ("family_treatment", "men"): 6,
        ("contact_person_family", "women"): 49,
        ("contact_person_family", "men"): 35,
        ("family_home", "women"): 1,
    }
    assert len(report["decisions"]) == 97


async def test_deviation_statistics_equal_the_seed(client, loaded):
    _, h = loaded
    stats = f"{API}/deviation-reports/statistics"
    # "Av de 70 avvikelser … avser 47 avvikelser år 2019 och 23 avvikelser första tertialen år 2020."
    # (From 2019: the years before DF Respons are below.)
    by_year = await get(client, h, stats, period_from="2019")
    assert [(g["period"], g["count"]) for g in by_year["groups"]] == [("2019", 47), ("2020", 23)]
    tertials = await get(
        client, h, stats, group_by="tertial", period_from="2020-T1", period_to="2020-T1"
    )
    assert [(g["period"], g["count"]) for g in tertials["groups"]] == [("2020-T1", 23)]
    # "De flesta avvikelser (41 st) handlar om bristande rutiner …, därnäst brist i
    # information/kommunikation (16 st)."
    categories = await get(client, h, stats, group_by="category", period_from="2019")
    counts = {g["category"]: g["count"] for g in categories["groups"]}
    assert (counts["routine"], counts["information"], sum(counts.values())) == (41, 16, 70)
    assert max(counts.items(), key=lambda item: item[1])[0] == "routine"
    # Lex Sarah 2019: "Antal 4", "Varav anmälningar IVO 3".
    lex = await get(client, h, stats, group_by="year", lex_sarah="true", period_from="2019")
    assert [(g["period"], g["count"], g["ivo_notifications"]) for g in lex["groups"]] == [
        ("2019", 4, 3)
    ]
    assert by_year["total"]["closed"] + by_year["total"]["open"] == 70
    overdue = await get(client, h, f"{API}/deviation-reports", overdue="true", source="demo")
    assert len(overdue["items"]) == 2


async def test_feedback_statistics_equal_the_seed(client, loaded):
    _, h = loaded
    stats = f"{API}/feedback/statistics"
    per_year = await get(client, h, stats, group_by=["year", "kind"])
    table = {(g["period"], g["kind"]): g["count"] for g in per_year["groups"]}
    # "Klagomål 21 32 34 96 83 41", "Beröm 2 6 1 5 3", "Totalt 23 38 35 101 86 41".
    assert [table[(str(y), "complaint")] for y in range(2014, 2020)] == [21, 32, 34, 96, 83, 41]
    assert [table.get((str(y), "praise"), 0) for y in range(2014, 2020)] == [2, 6, 1, 5, 3, 0]
    # "För år 2019 handlade 29 av klagomålen om tillgänglighet, 2 om bemötande, 2 om kompetens,
    # 7 att tjänsten inte fungerar, 1 är specificerat som övrigt klagomål."
    topics = await get(
        client,
        h,
        stats,
        group_by=["year", "topic"],
        kind="complaint",
        period_from="2019",
        period_to="2019",
    )
    assert {g["topic"]: g["count"] for g in topics["groups"]} == {
        "accessibility": 29,
        "treatment": 2,
        "competence": 2,
        "service_not_working": 7,
        "other": 1,
    }
    # "För första tertialen 2020 har 18 synpunkter registrerats där 2 beröm …, 2 … bemötande, 1
    # … kompetens, 7 … tillgänglighet, 3 att tjänsten inte fungerar, 3 … övriga klagomål."
    t1 = await get(
        client,
        h,
        stats,
        group_by=["tertial", "kind", "topic"],
        period_from="2020-T1",
        period_to="2020-T1",
    )
    assert {(g["kind"], g["topic"]): g["count"] for g in t1["groups"]} == {
        ("complaint", "accessibility"): 7,
        ("complaint", "treatment"): 2,
        ("complaint", "competence"): 1,
        ("complaint", "service_not_working"): 3,
        ("complaint", "other"): 3,
        ("praise", None): 2,
    }
    assert t1["total"]["count"] == 18


async def test_the_years_before_df_respons_equal_the_seed(client, loaded):
    """§6.4.2: "För år 2018 inrapporterades 24 avvikelser, 27 st för år 2017 och 21 st för år
    2016." §6.4.3, "Antal rapporter enligt Lex Sarah": 2012–2019 1, 1, 6, 0, 4, 4, 1, 4; "Varav
    anmälningar IVO" in the last four columns (2016–2019): 1, 1, 1, 3."""
    _, h = loaded
    stats = f"{API}/deviation-reports/statistics"
    by_year = await get(client, h, stats, period_from="2016", period_to="2018")
    assert [(g["period"], g["count"]) for g in by_year["groups"]] == [
        ("2016", 21),
        ("2017", 27),
        ("2018", 24),
    ]
    lex = await get(client, h, stats, group_by="year", lex_sarah="true", period_to="2019")
    assert [(g["period"], g["count"], g["ivo_notifications"]) for g in lex["groups"]] == [
        ("2012", 1, 0),
        ("2013", 1, 0),
        ("2014", 6, 0),
        ("2016", 4, 1),
        ("2017", 4, 1),
        ("2018", 1, 1),
        ("2019", 4, 3),
    ]
