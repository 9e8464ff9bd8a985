"""The committee report as one self-contained HTML page, and as a PDF printed from that page.

The HTML carries its style and its charts (inline SVG) and refers to nothing outside itself: it can
be mailed, archived or attached to the agenda as one file. The PDF is WeasyPrint's rendering of
exactly that HTML for A4 portrait (page numbers, a table of contents with page numbers, table
headers repeated on every page, no table row split across pages).

Reproducible: the HTML is a function of the kept report data, the language and ``as_of``; the
PDF's metadata dates are ``as_of`` (no clock is read), its file identifier is derived from the
HTML, and WeasyPrint may fetch nothing (every URL is refused), so the same query and ``as_of``
give the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import orjson
from markupsafe import Markup

from app.periods import Period, PeriodKind
from app.reports import charts
from app.reports.catalogue import (
    Lang,
    explain_budget,
    explain_goal,
    explain_indicator,
    label,
    month_name,
    number,
    percent,
    t,
    tkr,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TEMPLATES = Path(__file__).parent / "templates"
STATUSES = ("green", "yellow", "red", "no_data")
AMOUNTS = ("budget", "outcome_to_date", "forecast")
TREND_ARROWS = {"improving": "↑", "worsening": "↓", "unchanged": "→"}


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def content_digest(data: dict[str, Any]) -> str:
    """SHA-256 of the report's data as the JSON export writes it (sorted keys)."""
    return hashlib.sha256(orjson.dumps(data["report"], option=orjson.OPT_SORT_KEYS)).hexdigest()


def report_title(period: Period, lang: Lang) -> str:
    if period.kind == PeriodKind.YEAR:
        return t("report_year", lang, year=period.year)
    if period.kind == PeriodKind.MONTH:
        return t("report_month", lang, month=month_name(period.index, lang), year=period.year)
    key = {
        PeriodKind.TERTIAL: "report_tertial",
        PeriodKind.HALF: "report_half",
        PeriodKind.QUARTER: "report_quarter",
    }[period.kind]
    return t(key, lang, n=period.index, year=period.year)


def _date(day: Any, lang: Lang) -> str:
    return f"{day.day} {month_name(day.month, lang)} {day.year}"


def render_html(data: dict[str, Any], lang: Lang, as_of: datetime) -> bytes:
    """The document as UTF-8 HTML."""
    return (
        _environment()
        .get_template("committee_report.html.j2")
        .render(**view(data, lang, as_of))
        .encode("utf-8")
    )


def render_pdf(html: bytes) -> bytes:
    """The PDF printed from the HTML; the same HTML gives the same bytes (its metadata dates are
    the HTML's ``dcterms.created``, the ``as_of``; its file identifier is the HTML's digest)."""
    import weasyprint  # a heavy import (pango, cairo): only when a PDF is asked for

    # WeasyPrint reports each layout step at INFO; the access log already says what was asked.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    # The page refers to nothing outside itself; should it ever, the reference is refused (and
    # left out, with a warning) rather than fetched from a network or a file.
    no_fetching = weasyprint.urls.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html.decode("utf-8"), url_fetcher=no_fetching)
    identifier = hashlib.sha256(html).hexdigest()[:32].encode()
    pdf: bytes = document.write_pdf(pdf_identifier=identifier)
    return pdf


# The view: every word and figure as it is printed ---------------------------------------------


def view(data: dict[str, Any], lang: Lang, as_of: datetime) -> dict[str, Any]:
    report = data["report"]
    period = Period.parse(report["period"])
    card = report["scorecard"]
    moment = as_of.astimezone(STOCKHOLM)
    title = report_title(period, lang)

    def w(key: str, **values: Any) -> str:
        return t(key, lang, **values)

    return {
        "lang": lang,
        "w": w,
        "title": title,
        "municipality": data["municipality"]["name"],
        "committee": report["org_unit"]["name"],
        "period_text": w(
            "period_range",
            start=_date(period.start, lang),
            end=_date(period.end, lang),
        ),
        "as_of_text": f"{moment:%Y-%m-%d %H:%M:%S} ({moment.tzname()})",
        "created": as_of.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "digest": content_digest(data),
        "summary": _summary(report, card, lang),
        "goals": [_goal(g, data["series"], lang, 0) for g in card["tree"]],
        "budget": _budget(report["budget"], lang),
        "placements": _placements(report["placements"], lang),
        "deviations": _deviations(data["deviations"], period, lang),
        "ivo": _ivo(data["ivo"], lang),
        "control": _control(data["control"], lang),
        "action_plans": _action_plans(data["action_plans"], lang),
    }


def symbol(status: str, lang: Lang) -> Markup:
    """The colour as a filled shape and its text label: never the colour alone."""
    text = label("status", status, lang)
    return Markup(  # noqa: S704 - built from escaped parts and our own SVG
        f'<span class="status s-{status}">{charts.status_symbol(status, text)}'
        f"<span>{Markup.escape(text)}</span></span>"
    )


def _counts_rows(counts: dict[str, int], lang: Lang) -> list[dict[str, Any]]:
    return [{"symbol": symbol(s, lang), "count": counts.get(s, 0)} for s in STATUSES]


def _summary(report: dict[str, Any], card: dict[str, Any], lang: Lang) -> dict[str, Any]:
    budget = report["budget"]
    net = budget["net"]
    largest = sorted(
        (g for g in budget.get("groups") or [] if (g["net"].get("deviation") or 0) < 0),
        key=lambda g: g["net"]["deviation"],
    )[:3]
    return {
        "tables": [
            {
                "name": t(name, lang),
                "rows": _counts_rows(card[name], lang),
                "total": card[name]["total"],
                "bar": Markup(  # noqa: S704 - our own SVG
                    charts.status_bar([(s, card[name].get(s, 0)) for s in STATUSES])
                ),
            }
            for name in ("goals", "indicators")
        ],
        "has_outcome": net.get("deviation") is not None,
        "net_deviation": tkr(net.get("deviation"), lang),
        "net_percent": percent(net.get("deviation_percent"), lang),
        "net_status": symbol(budget["adherence"]["status"], lang)
        if budget.get("adherence")
        else "",
        "largest": [
            {
                "name": g["org_unit"]["name"],
                "deviation": tkr(g["net"]["deviation"], lang),
                "percent": percent(g["net"].get("deviation_percent"), lang),
            }
            for g in largest
        ],
    }


def _goal(
    goal: dict[str, Any], series: dict[str, list[list[Any]]], lang: Lang, depth: int
) -> dict[str, Any]:
    manual = goal.get("manual")
    return {
        "code": goal["code"],
        "title": goal["title"],
        "depth": depth,
        "symbol": symbol(goal["status"], lang),
        "rule": label("rule", goal["explanation"]["rule"], lang),
        "explanation": explain_goal(goal, lang),
        "manual": _manual(manual, lang) if manual else None,
        "indicators": [_indicator(i, series.get(i["id"], []), lang) for i in goal["indicators"]],
        "children": [_goal(c, series, lang, depth + 1) for c in goal["children"]],
    }


def _manual(manual: dict[str, Any], lang: Lang) -> dict[str, Any]:
    return {"symbol": symbol(manual["status"], lang), "comment": manual["comment"]}


def _indicator(score: dict[str, Any], points: list[list[Any]], lang: Lang) -> dict[str, Any]:
    e = score["explanation"]
    trend = score.get("trend")
    return {
        "code": score["code"],
        "title": score["title"],
        "unit": label("unit", score["unit"], lang),
        "actual": number(e.get("actual"), lang),
        "target": _target(e.get("target"), lang),
        "expected": number(e.get("expected"), lang),
        "symbol": symbol(score["status"], lang),
        "manual": _manual(score["manual"], lang) if score.get("manual") else None,
        "trend": (
            f"{TREND_ARROWS[trend]} {label('trend', trend, lang)}" if trend else t("none", lang)
        ),
        "spark": Markup(  # noqa: S704 - our own SVG
            charts.sparkline([(p[1], p[2]) for p in points])
        ),
        "explanation": explain_indicator(score, lang),
    }


def _target(target: dict[str, Any] | None, lang: Lang) -> str:
    if target is None:
        return t("none", lang)
    kind = target["kind"]
    if kind in ("at_least", "at_most"):
        return label("target", kind, lang, v=number(target.get("value"), lang))
    if kind == "between":
        return label(
            "target", kind, lang, lo=number(target["low"], lang), hi=number(target["high"], lang)
        )
    text = label("target", kind, lang)
    if target.get("min_change"):
        text += f" {percent(target['min_change'], lang, is_fraction=True)}"
    return text


def _amounts(f: dict[str, Any], lang: Lang) -> dict[str, str]:
    return {
        "budget": tkr(f.get("budget"), lang),
        "budget_to_date": tkr(f.get("budget_to_date"), lang),
        "outcome": tkr(f.get("outcome_to_date"), lang),
        "deviation": tkr(f.get("deviation"), lang),
        "percent": percent(f.get("deviation_percent"), lang),
        "forecast": tkr(f.get("forecast"), lang),
        "forecast_deviation": tkr(f.get("forecast_deviation"), lang),
    }


def _budget(budget: dict[str, Any], lang: Lang) -> dict[str, Any]:
    categories = budget.get("categories") or []
    groups = budget.get("groups") or []
    tolerance = budget.get("tolerance")
    rows = [
        {
            "name": c["name"],
            "kind": label("budget", c["kind"], lang),
            "symbol": symbol(c["status"], lang),
            "explanation": explain_budget(c["status"], c.get("deviation_percent"), tolerance, lang),
            **_amounts(c, lang),
        }
        for c in categories
    ]
    totals = [
        {"name": t(name, lang), **_amounts(budget[name], lang)}
        for name in ("revenue", "cost", "net")
    ]
    units = [{"name": g["org_unit"]["name"], **_amounts(g["net"], lang)} for g in groups]
    chart_rows = [
        (
            g["org_unit"]["name"],
            float(g["net"]["deviation"]) / 1000,
            tkr(g["net"]["deviation"], lang),
        )
        for g in groups
        if g["net"].get("deviation") is not None
    ]
    return {
        "present": any(
            f.get(amount) for f in (budget["revenue"], budget["cost"]) for amount in AMOUNTS
        ),
        "month": budget.get("month"),
        "rows": rows,
        "totals": totals,
        "units": units,
        "chart": Markup(charts.deviation_bars(chart_rows)),  # noqa: S704 - our own SVG
        "status": symbol(budget["adherence"]["status"], lang) if budget.get("adherence") else "",
    }


def _placements(p: dict[str, Any], lang: Lang) -> dict[str, Any]:
    rows = []
    chart_rows = []
    for r in [*p.get("categories", []), p["total"]]:
        category = r.get("category")
        name = category["name"] if category else t("total", lang)
        budget = r.get("budget") or {}
        forecast = (r.get("forecast") or {}).get("total")
        rows.append(
            {
                "name": name,
                "is_total": category is None,
                "care_days": number(r.get("care_days"), lang, decimals=0),
                "cost": tkr(r.get("cost"), lang),
                "per_day": number(r.get("average_cost_per_care_day"), lang, decimals=0),
                "budget": tkr(budget.get("amount"), lang),
                "forecast": tkr(forecast, lang),
                "forecast_deviation": tkr(r.get("forecast_deviation"), lang),
                "symbol": symbol(r["status"], lang),
            }
        )
        if category is not None and (budget.get("amount") is not None or forecast is not None):
            amount = budget.get("amount")
            chart_rows.append(
                (
                    name,
                    None if amount is None else float(amount) / 1000,
                    None if forecast is None else float(forecast) / 1000,
                    tkr(forecast, lang),
                )
            )
    return {
        "present": any(r.get("care_days") is not None for r in p.get("categories", []))
        or bool(chart_rows),
        "rows": rows,
        "chart": Markup(  # noqa: S704 - our own SVG
            charts.paired_bars(chart_rows, (t("budget_year", lang), t("forecast", lang)))
        ),
    }


def _deviations(stats: dict[str, Any], period: Period, lang: Lang) -> dict[str, Any]:
    def row(g: dict[str, Any], name: str) -> dict[str, Any]:
        return {
            "name": name,
            "count": g["count"],
            "open": g["open"],
            "closed": g["closed"],
            "lex_sarah": g["lex_sarah_reports"],
            "ivo": g["ivo_notifications"],
            "days": number((g.get("days_to_close") or {}).get("median"), lang, decimals=0),
        }

    start = f"{month_name(1, lang)} {period.year}"
    end = f"{month_name(period.last_month, lang)} {period.year}"
    return {
        "heading": t("deviation_statistics", lang, range=f"{start} – {end}"),
        "rows": sorted(
            (row(g, label("category", g.get("category"), lang)) for g in stats["groups"]),
            key=lambda r: (-r["count"], r["name"]),
        ),
        "total": row(stats["total"], t("total", lang)),
    }


def _ivo(report: dict[str, Any] | None, lang: Lang) -> dict[str, Any] | None:
    if report is None:
        return None

    def row(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": label("ivo", r["kind"], lang) if r.get("kind") else t("all", lang),
            "type": label("intervention", r["intervention_type"], lang)
            if r.get("intervention_type")
            else t("all", lang),
            "gender": label("gender", r["gender"], lang) if r.get("gender") else t("all", lang),
            "subtotal": r.get("gender") is None,
            **{k: r[k] for k in ("months_3_6", "months_6_9", "months_9_12", "months_over_12")},
            "total": r["total"],
        }

    ordered = []
    for total in report["totals"]:
        if total.get("kind") is None:
            continue
        for sub in (s for s in report["by_type"] if s["kind"] == total["kind"]):
            ordered += [
                row(r)
                for r in report["rows"]
                if r["kind"] == sub["kind"] and r["intervention_type"] == sub["intervention_type"]
            ]
            ordered.append(row(sub))
        ordered.append(row(total))
    ordered += [row(r) for r in report["totals"] if r.get("kind") is None]
    return {"heading": t("ivo_table", lang, quarter=report["quarter"]), "rows": ordered}


def _control(control: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """One row per control point: its checks due by the period's end, done and overdue, and the
    colour of its latest result."""
    points: dict[int, dict[str, Any]] = {}
    for c in control["checks"]:
        row = points.setdefault(
            c["point_number"],
            {
                "number": c["point_number"],
                "process": c["process"],
                "responsible": c["responsible_role"],
                "due": 0,
                "done": 0,
                "overdue": 0,
                "result": t("none", lang),
            },
        )
        row["due"] += 1
        row["done"] += c["state"] == "done"
        row["overdue"] += c["state"] == "overdue"
        if c.get("status"):
            row["result"] = symbol(c["status"], lang)
    return {"rows": [points[n] for n in sorted(points)]}


def _action_plans(plans: dict[str, Any], lang: Lang) -> dict[str, Any]:
    return {
        "rows": [
            {
                "plan": i["plan_title"],
                "number": i["number"],
                "area": i["area"],
                "objective": i["objective"],
                "responsible": i["responsible_role"],
                "due": i["follow_up_due_on"],
                "state": label("follow_up", i["follow_up_state"], lang),
            }
            for i in plans["items"]
        ]
    }
