"""The committee report as a document (issue 20): the demo municipalities' reports as HTML and PDF,
in Swedish and English.

Each report is rendered once per module (PDFs are slow) and several things are asserted on it.
Expected figures come from the seeds and the demo modules' documented figures, not from output:

* Södertälje tertial 2 2023 (seed 004, app.demo.outcomes): indicators 20 green, 8 yellow, 3 red,
  1 without data (tests/demo/test_plans.py works these out); committee goals 1.1, 3.1, 4.1, 6.1
  green, 5.1, 7.1, 8.1 and 9 yellow, 2.1 and 3.2 red; the council goals (all_children over one
  committee goal each; goal 3 over 3.1 green and 3.2 red) 1, 4, 6 green, 5, 7, 8 yellow, 2 and 3
  red. So goals: 7 green, 7 yellow, 4 red, 18 in all; indicators 32.
* Strömsund year-end 2022 (seed 002): the förvaltning's net result −11 796 tkr
  (tests/budget/test_demo_budget.py), i.e. net budget −368 536 tkr against outcome −380 332 tkr.
* Östersund 2019 (seed 001 §6.4, app.demo.quality): 47 deviation reports in 2019, 4 lex Sarah,
  3 notified to IVO; at 2019-12-31 unexecuted decisions by time since decision 26, 25, 12, 25
  (3–6, 6–9, 9–12, > 12 months), of which contact person/family 14, 25, 12, 25 and family
  treatment 12, 0, 0, 0.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, datetime
from typing import Any

import pypdf
import pytest

from app.auth import service as api_keys
from app.auth.deps import system_ctx
from app.auth.permissions import Role
from app.auth.schemas import ApiKeyCreate
from app.demo.loader import load_demo_data
from app.municipalities.service import get_by_code
from app.reports.catalogue import t
from app.reports.document import render_html

REPORT = "/api/v1/exports/committee-report"
CASES = {"0181": "2023-T2", "2313": "2022", "2380": "2019"}


async def _key(db, code: str, role: Role = Role.VIEWER) -> dict[str, str]:
    async with db.session(system=True) as session:
        municipality = await get_by_code(session, code)
        assert municipality is not None
        ctx = system_ctx(session, municipality.id, municipality.code)
        created = await api_keys.create(ctx, ApiKeyCreate(name="report test", role=role))
    return {"X-API-Key": created.key}


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")


@pytest.fixture(scope="module")
async def rendered(app, client_module) -> dict[tuple[str, str, str], Any]:
    """Every case in both formats and both languages, rendered once: response and, for the
    PDFs, the text layer. The Swedish ones are asked with the first one's as_of."""
    await load_demo_data(app.state.db)
    out: dict[tuple[str, str, str], Any] = {}
    for code, period in CASES.items():
        headers = await _key(app.state.db, code)
        units = await client_module.get("/api/v1/org-units", params={"code": "SN"}, headers=headers)
        params = {"org_unit_id": units.json()["items"][0]["id"], "period": period}
        first = await client_module.get(
            REPORT, params={**params, "format": "html"}, headers=headers
        )
        assert first.status_code == 200, first.text
        as_of = first.headers["x-export-as-of"]
        out[(code, "params", "")] = {**params, "as_of": as_of}
        out[(code, "headers", "")] = headers
        out[(code, "html", "sv")] = first
        for fmt, lang in (("html", "en"), ("pdf", "sv"), ("pdf", "en")):
            response = await client_module.get(
                REPORT,
                params={**params, "as_of": as_of, "format": fmt, "lang": lang},
                headers=headers,
            )
            assert response.status_code == 200, response.text
            out[(code, fmt, lang)] = response
            if fmt == "pdf":
                out[(code, "text", lang)] = _text(response.content)
    return out


@pytest.fixture(scope="module")
async def client_module(app):
    from httpx import ASGITransport, AsyncClient

    transport = ASGITransport(app=app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test", timeout=300) as http:
        yield http


@pytest.mark.parametrize("code", list(CASES))
@pytest.mark.parametrize("lang", ["sv", "en"])
async def test_the_pdf_is_valid_a4_with_every_section(rendered, code, lang):
    response = rendered[(code, "pdf", lang)]
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-language"] == lang
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 5
    for page in reader.pages:  # A4 portrait: 210 × 297 mm in points
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = rendered[(code, "text", lang)]
    for key in ("contents", "summary", "goal_results", "budget", "placements", "quality"):
        assert t(key, lang) in text, key
    assert t("control", lang) in text
    assert t("action_plans", lang).split(":")[0] in text
    # Page numbers in the footer, "Sida 2 av N".
    assert f"{t('page', lang)} 2 {t('of', lang)} {len(reader.pages)}" in text
    # Dates in the metadata are the as_of, not the clock.
    as_of = rendered[(code, "params", "")]["as_of"]
    stamp = re.sub(r"[-:T]", "", as_of)[:14]
    assert reader.metadata is not None
    assert str(reader.metadata["/CreationDate"]) == f"D:{stamp}Z"


async def test_sodertalje_title_and_goal_counts(rendered):
    sv = rendered[("0181", "text", "sv")]
    assert "Delårsrapport tertial 2 2023" in sv
    assert "Södertälje" in sv
    assert "Socialnämnden" in sv
    assert "1 maj 2023 – 31 augusti 2023" in sv
    summary = sv[sv.index("Sammanfattning\nMål") :]
    # Goals 7 / 7 / 4 / 0 of 18, indicators 20 / 8 / 3 / 1 of 32 (see the module docstring).
    assert re.search(
        r"Uppfyllt 7\nDelvis uppfyllt 7\nEj uppfyllt 4\nUppgift saknas 0\nTotalt 18", summary
    )
    assert re.search(
        r"Uppfyllt 20\nDelvis uppfyllt 8\nEj uppfyllt 3\nUppgift saknas 1\nTotalt 32", summary
    )
    en = rendered[("0181", "text", "en")]
    assert "Interim report, tertial 2 2023" in en
    assert re.search(r"Met 7\nPartly met 7\nNot met 4\nNo data 0\nTotal 18", en)
    # The rule's explanation in Swedish: SN-3.2.2 is red at 6 against 10 expected by August
    # (15 a year pro-rated to 8 of 12 months: 66,7 %), short by 4 with tolerance 1.
    assert "Ej uppfyllt: utfall 6; förväntat minst 10 (66,7 % av året); 4 under, tolerans 1." in (
        sv.replace("\n", " ")
    )
    assert "Red: actual 6; expected at least 10 (66.67 % of the year); short by 4" in (
        en.replace("\n", " ")
    )


async def test_stromsund_year_end_result(rendered):
    sv = rendered[("2313", "text", "sv")]
    assert "Verksamhetsberättelse 2022" in sv
    assert "Resultat (avvikelse mot budget): −11 796 tkr" in sv
    assert "Nettokostnad −368 536 −368 536 −380 332 −11 796" in sv
    en = rendered[("2313", "text", "en")]
    assert "Result (deviation from budget): -11,796 tkr" in en


async def test_ostersund_deviations_and_ivo_table(rendered):
    sv = rendered[("2380", "text", "sv")]
    assert "Avvikelserapporter januari 2019 – december 2019" in sv
    assert re.search(r"Totalt 47 0 47 4 3 \d+", sv)
    assert "Ej verkställda beslut till IVO, 2019-Q4" in sv
    flat = re.sub(r"\s+", " ", sv)
    assert "Samtliga 14 25 12 25 76" in flat  # contact person/family
    assert "Familjebehandling Samtliga 12 0 0 0 12" in flat.replace(
        "FamiljebehandlingSamtliga", "Familjebehandling Samtliga"
    )
    assert "Samtliga Samtliga 26 25 12 25 88" in flat


@pytest.mark.parametrize("code", list(CASES))
async def test_same_as_of_gives_the_same_bytes(rendered, client_module, code):
    params, headers = rendered[(code, "params", "")], rendered[(code, "headers", "")]
    again = await client_module.get(
        REPORT, params={**params, "format": "pdf", "lang": "sv"}, headers=headers
    )
    assert again.content == rendered[(code, "pdf", "sv")].content
    html = await client_module.get(
        REPORT, params={**params, "format": "html", "lang": "sv"}, headers=headers
    )
    assert html.content == rendered[(code, "html", "sv")].content
    # Repr-Digest: Content-Digest is left out when the answer is gzipped (issue 19).
    assert html.headers["repr-digest"] == rendered[(code, "html", "sv")].headers["repr-digest"]


@pytest.mark.parametrize("code", list(CASES))
async def test_the_html_is_one_self_contained_file(rendered, code):
    html = rendered[(code, "html", "sv")].content.decode()
    assert rendered[(code, "html", "sv")].headers["content-type"] == "text/html; charset=utf-8"
    assert "<svg" in html
    assert "<style>" in html
    for pattern in (r"<script", r"<link", r"<img", r"<iframe", r"@import", r"url\((?!#)", r"src="):
        assert not re.search(pattern, html, re.IGNORECASE), pattern
    assert set(re.findall(r'href="(.)', html)) <= {"#"}
    assert '<html lang="sv">' in html


async def test_language_from_accept_language_and_the_export_is_audited(
    app, rendered, client_module
):
    params, headers = rendered[("2313", "params", "")], rendered[("2313", "headers", "")]
    response = await client_module.get(
        REPORT,
        params={**params, "format": "html"},
        headers={**headers, "Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"},
    )
    assert response.content == rendered[("2313", "html", "en")].content
    auditor = await _key(app.state.db, "2313", Role.AUDITOR)
    events = await client_module.get(
        "/api/v1/audit-events", params={"entity_type": "export", "limit": 200}, headers=auditor
    )
    recorded = [e["after"] for e in events.json()["items"] if e["entity_id"] == "committee-report"]
    asked = [
        (e["format"], e["query"]["period"], e["query"]["org_unit_id"], e["query"]["lang"])
        for e in recorded
    ]
    unit = params["org_unit_id"]
    assert {("pdf", "2022", unit, "en"), ("pdf", "2022", unit, "sv")} <= set(asked)
    assert asked.count(("html", "2022", unit, "en")) == 2  # with lang=en, then Accept-Language


def _layout(html: str) -> tuple[list[int], int, int]:
    """Lay the HTML out for print: per body row the number of pages it lies on, how many table
    headers were printed, and the page count."""
    import weasyprint

    document = weasyprint.HTML(string=html).render()
    pages_of_row: dict[int, set[int]] = {}
    headers = 0

    def walk(box: Any, page: int, in_header: bool) -> None:
        nonlocal headers
        if getattr(box, "is_header", False):
            in_header = True
            headers += 1
        if type(box).__name__ == "TableRowBox" and not in_header:
            pages_of_row.setdefault(id(box.element), set()).add(page)
        for child in getattr(box, "children", []):
            walk(child, page, in_header)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number, False)
    return [len(pages) for pages in pages_of_row.values()], headers, len(document.pages)


async def test_no_table_row_is_split_across_pages(rendered):
    """Södertälje's Swedish report, the longest: every table row lies on one page."""
    html = rendered[("0181", "html", "sv")].content.decode()
    rows, _, _ = _layout(html)
    assert len(rows) > 50
    assert set(rows) == {1}


NO_DEVIATIONS = {
    "count": 0,
    "open": 0,
    "closed": 0,
    "lex_sarah_reports": 0,
    "ivo_notifications": 0,
    "days_to_close": {"median": None, "p90": None},
}


def _indicator_named(report: dict[str, Any], code: str) -> dict[str, Any]:
    def walk(goals: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = [i for g in goals for i in g["indicators"]]
        return found + [i for g in goals for i in walk(g["children"])]

    return next(i for i in walk(report["scorecard"]["tree"]) if i["code"] == code)


async def test_the_json_stays_english_unless_swedish_is_asked(rendered, client_module):
    params, headers = rendered[("0181", "params", "")], rendered[("0181", "headers", "")]
    english = await client_module.get(REPORT, params={**params, "format": "json"}, headers=headers)
    swedish = await client_module.get(
        REPORT, params={**params, "format": "json", "lang": "sv"}, headers=headers
    )
    sick = _indicator_named(english.json(), "SN-3.2.2")["explanation"]
    assert sick["summary"].startswith("Red: actual 6; expected at least 10")
    sv = _indicator_named(swedish.json(), "SN-3.2.2")["explanation"]
    assert sv["summary"].startswith("Ej uppfyllt: utfall 6; förväntat minst 10")
    assert {k: v for k, v in sv.items() if k != "summary"} == {
        k: v for k, v in sick.items() if k != "summary"
    }
    # The title page's digest is of the English JSON: an auditor can check it with format=json.
    digest = hashlib.sha256(english.content).hexdigest()
    assert digest in rendered[("0181", "html", "sv")].content.decode()


async def test_a_manual_assessment_is_shown_beside_the_computed_colour(rendered, client_module):
    report = await _stromsund_json(rendered, client_module)
    indicator = _crafted_indicator(1, manual=True)
    data = _crafted(report, [indicator])
    html = render_html(data, "sv", datetime(2023, 1, 10, tzinfo=UTC)).decode()
    row = html[html.index("X-01") :]
    row = row[: row.index("</tr>")]
    assert "Ej uppfyllt: utfall 59; förväntat minst 100; 41 under, tolerans 10." in row
    assert "Manuell bedömning" in row
    assert "Två utredare nyanställda i augusti" in row
    assert row.index("Delvis uppfyllt") < row.index("Ej uppfyllt</span>")  # manual, then computed
    assert "(beräknad)" in row
    assert "<polyline" in row


async def _stromsund_json(rendered, client_module) -> dict[str, Any]:
    params, headers = rendered[("2313", "params", "")], rendered[("2313", "headers", "")]
    response = await client_module.get(REPORT, params={**params, "format": "json"}, headers=headers)
    return response.json()


def _crafted_indicator(n: int, *, manual: bool = False, long: bool = False) -> dict[str, Any]:
    """An indicator at 59 against at least 100 (red: 41 short, tolerance 10)."""
    title = "Andel utredningar inom fyra månader" + (
        " för barn och unga i behov av stöd" * 12 if long else ""
    )
    return {
        "id": f"00000000-0000-0000-0000-{n:012d}",
        "code": f"X-{n:02d}",
        "title": title,
        "unit": "percent",
        "weight": 1,
        "status": "red",
        "trend": None,
        "manual": {
            "status": "yellow",
            "comment": "Två utredare nyanställda i augusti",
            "assessed_by": "controller",
            "assessed_at": "2022-12-20T10:00:00Z",
        }
        if manual
        else None,
        "explanation": {
            "rule": "at_least",
            "summary": "Red: actual 59; expected at least 100; short by 41, tolerance 10.",
            "actual": 59,
            "expected": 100,
            "target": {"kind": "at_least", "value": 100},
            "green_from": 100,
            "tolerance": 10,
            "gap": 41,
        },
    }


def _crafted(report: dict[str, Any], indicators: list[dict[str, Any]]) -> dict[str, Any]:
    """Strömsund's report data with one goal holding the given indicators."""
    report = {**report}
    report["scorecard"] = {
        **report["scorecard"],
        "tree": [
            {
                "code": "1",
                "title": "Barn och unga får stöd i tid",
                "status": "red",
                "manual": None,
                "explanation": {
                    "rule": "share_of_indicators",
                    "summary": "…",
                    "parameters": {"threshold": "0.70"},
                    "green_share": 0,
                    "red_share": 1,
                    "contributions": [],
                },
                "indicators": indicators,
                "children": [],
            }
        ],
    }
    return {
        "report": report,
        "municipality": {"code": "2313", "name": "Strömsund"},
        "series": {i["id"]: [["2022-11", 58, 100], ["2022-12", 59, 100]] for i in indicators},
        "deviations": {"group_by": [], "groups": [], "total": NO_DEVIATIONS},
        "ivo": None,
        "control": {"counts": {}, "checks": []},
        "action_plans": {"counts": {}, "items": []},
    }


async def test_long_tables_keep_rows_whole_and_repeat_their_header(rendered, client_module):
    """Twenty-four tall indicator rows run over several pages: with the report's stylesheet no row is
    split and the header is printed on every page the table runs over; without its rule against
    splitting rows, rows are split (so the layout check sees what it looks for)."""
    report = await _stromsund_json(rendered, client_module)
    rows = [_crafted_indicator(n, long=True) for n in range(1, 25)]
    html = render_html(_crafted(report, rows), "sv", datetime(2023, 1, 10, tzinfo=UTC)).decode()
    kept, headers, pages = _layout(html)
    assert set(kept) == {1}
    tables = html.count("<thead>")
    assert headers >= tables + 2  # the indicator table's header repeated on its later pages
    assert pages > 6
    rule = "tr { break-inside: avoid; page-break-inside: avoid; }"
    assert rule in html
    split, _, _ = _layout(html.replace(rule, ""))
    assert max(split) == 2
