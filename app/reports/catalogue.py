"""Every word of the committee report document, in Swedish and English, and how numbers read.

One place for the words (``WORDS``), the labels of the domain's values (``LABELS``) and the
explanations of the rules (app.rules writes them in English; :func:`explain_indicator` and
:func:`explain_goal` say the same in Swedish from the explanation's own figures, so the two
languages cannot disagree on a number).

Numbers follow the language: Swedish with a decimal comma, a (no-break) space between thousands
and a real minus sign (−11 796); English with a point, commas and a hyphen-minus.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")
DEFAULT_LANG: Lang = "sv"

WORDS: dict[str, tuple[str, str]] = {
    "report": ("Uppföljningsrapport", "Follow-up report"),
    "report_year": ("Verksamhetsberättelse {year}", "Annual report {year}"),
    "report_tertial": ("Delårsrapport tertial {n} {year}", "Interim report, tertial {n} {year}"),
    "report_half": ("Delårsrapport halvår {n} {year}", "Interim report, half-year {n} {year}"),
    "report_quarter": ("Kvartalsrapport kvartal {n} {year}", "Quarterly report, Q{n} {year}"),
    "report_month": ("Månadsrapport {month} {year}", "Monthly report, {month} {year}"),
    "municipality": ("Kommun", "Municipality"),
    "committee": ("Nämnd", "Committee"),
    "period": ("Period", "Period"),
    "period_range": ("{start} – {end}", "{start} – {end}"),
    "as_of": ("Uppgifterna som de stod", "Data as they stood at"),
    "as_of_note": (
        "Tid i Europe/Stockholm. Samma fråga med samma tidpunkt ger samma rapport.",
        "Time in Europe/Stockholm. The same query at the same time gives the same report.",
    ),
    "digest": ("Innehållets kontrollsumma (SHA-256)", "Digest of the content (SHA-256)"),
    "digest_note": (
        "Kontrollsumman gäller rapportens underlag i JSON (format=json med samma as_of).",
        "The digest is of the report's data as JSON (format=json with the same as_of).",
    ),
    "contents": ("Innehåll", "Contents"),
    "page": ("Sida", "Page"),
    "of": ("av", "of"),
    "summary": ("Sammanfattning", "Summary"),
    "goals": ("Mål", "Goals"),
    "indicators": ("Indikatorer", "Indicators"),
    "count": ("Antal", "Count"),
    "total": ("Totalt", "Total"),
    "budget_result": ("Budgetresultat", "Budget result"),
    "result_to_date": ("Resultat (avvikelse mot budget)", "Result (deviation from budget)"),
    "no_outcome": ("Inget utfall att jämföra med budget ännu.", "No outcome to compare yet."),
    "largest_deviations": ("De tre största avvikelserna", "The three largest deviations"),
    "no_deviations": ("Inga avvikelser att redovisa.", "No deviations to report."),
    "goal_results": ("Måluppfyllelse per mål", "Goals and indicators"),
    "rule": ("Regel", "Rule"),
    "indicator": ("Indikator", "Indicator"),
    "outcome": ("Utfall", "Outcome"),
    "outcome_to_date": ("Utfall hittills", "Outcome to date"),
    "target": ("Målvärde", "Target"),
    "expected": ("Förväntat hittills", "Expected to date"),
    "status": ("Status", "Status"),
    "trend": ("Trend", "Trend"),
    "months": ("Månader", "Months"),
    "explanation": ("Förklaring", "Explanation"),
    "manual": ("Manuell bedömning", "Manual assessment"),
    "computed": ("beräknad", "computed"),
    "sparkline_note": (
        "Kurvan visar utfallet hittills månad för månad; den streckade linjen det "
        "förväntade värdet (målet fördelat över året).",
        "The line shows the outcome to date month by month; the dashed line the expected "
        "level (the target spread over the year).",
    ),
    "no_goals": (
        "Nämnden har inga mål med indikatorer för perioden.",
        "The committee has no goals with indicators for the period.",
    ),
    "budget": ("Ekonomisk uppföljning", "Budget follow-up"),
    "budget_per_category": ("Per kategori", "Per category"),
    "budget_per_unit": ("Per verksamhet", "Per unit"),
    "category": ("Kategori", "Category"),
    "unit": ("Verksamhet", "Unit"),
    "budget_year": ("Budget", "Budget"),
    "budget_to_date": ("Budget hittills", "Budget to date"),
    "deviation": ("Avvikelse", "Deviation"),
    "deviation_percent": ("Avvikelse %", "Deviation %"),
    "forecast": ("Prognos", "Forecast"),
    "forecast_deviation": ("Prognosavvikelse", "Forecast deviation"),
    "revenue": ("Intäkter", "Revenue"),
    "cost": ("Kostnader", "Costs"),
    "net": ("Nettokostnad", "Net"),
    "tkr_note": (
        "Belopp i tusental kronor (tkr). Positiv avvikelse är gynnsam.",
        "Amounts in thousands of kronor (tkr). A positive deviation is favourable.",
    ),
    "up_to": ("Till och med {month}.", "Up to and including {month}."),
    "deviation_chart": ("Avvikelse mot budget per verksamhet, tkr", "Deviation per unit, tkr"),
    "no_budget": ("Ingen budget för perioden.", "No budget for the period."),
    "placements": ("Placeringar", "Placements"),
    "care_days": ("Vårddygn", "Care days"),
    "cost_sek": ("Kostnad", "Cost"),
    "cost_per_day": ("Kostnad per dygn, kr", "Cost per day, SEK"),
    "placement_chart": (
        "Kostnad och prognos mot budget per kategori, tkr",
        "Cost and forecast against budget per category, tkr",
    ),
    "no_placements": (
        "Inga placeringsuppgifter för perioden.",
        "No placement data for the period.",
    ),
    "quality": ("Avvikelser och ej verkställda beslut", "Deviations and unexecuted decisions"),
    "deviation_statistics": ("Avvikelserapporter {range}", "Deviation reports {range}"),
    "reports": ("Rapporter", "Reports"),
    "open": ("Öppna", "Open"),
    "closed": ("Avslutade", "Closed"),
    "lex_sarah": ("Lex Sarah", "Lex Sarah"),
    "ivo_notified": ("Anmälda till IVO", "Notified to IVO"),
    "days_to_close": ("Dagar till avslut (median)", "Days to close (median)"),
    "no_deviation_reports": ("Inga avvikelserapporter.", "No deviation reports."),
    "ivo_table": (
        "Ej verkställda beslut till IVO, {quarter}",
        "Unexecuted decisions reported to IVO, {quarter}",
    ),
    "ivo_none": (
        "Ingen kvartalsrapport till IVO ligger inom perioden.",
        "No quarterly IVO report falls within the period.",
    ),
    "intervention": ("Insats", "Intervention"),
    "kind": ("Slag", "Kind"),
    "gender": ("Kön", "Gender"),
    "months_3_6": ("3–6 mån", "3–6 mo"),
    "months_6_9": ("6–9 mån", "6–9 mo"),
    "months_9_12": ("9–12 mån", "9–12 mo"),
    "months_over_12": ("> 12 mån", "> 12 mo"),
    "all": ("Samtliga", "All"),
    "control": ("Intern kontroll", "Internal control"),
    "control_point": ("Kontrollmoment", "Control point"),
    "responsible": ("Ansvarig", "Responsible"),
    "state": ("Läge", "State"),
    "checks_due": ("Kontroller", "Checks"),
    "checks_done": ("Utförda", "Done"),
    "checks_overdue": ("Försenade", "Overdue"),
    "latest_result": ("Senaste resultat", "Latest result"),
    "no_control": (
        "Inga kontroller i nämndens internkontrollplan förföll under perioden.",
        "No checks of the committee's internal control plan were due in the period.",
    ),
    "action_plans": ("Handlingsplaner: uppföljningar", "Action plans: follow-ups"),
    "plan": ("Plan", "Plan"),
    "item": ("Åtgärd", "Item"),
    "follow_up_by": ("Följs upp", "Follow up by"),
    "no_action_plans": (
        "Inga uppföljningar av handlingsplaner förföll under perioden.",
        "No action-plan follow-ups were due in the period.",
    ),
    "none": ("–", "–"),
}

LABELS: dict[str, tuple[str, str]] = {
    # Colours: always with a text label and a shape, never the colour alone.
    "status.green": ("Uppfyllt", "Met"),
    "status.yellow": ("Delvis uppfyllt", "Partly met"),
    "status.red": ("Ej uppfyllt", "Not met"),
    "status.no_data": ("Uppgift saknas", "No data"),
    "trend.improving": ("Förbättras", "Improving"),
    "trend.worsening": ("Försämras", "Worsening"),
    "trend.unchanged": ("Oförändrad", "Unchanged"),
    "rule.share_of_indicators": ("Andel uppfyllda indikatorer", "Share of indicators met"),
    "rule.all_children": ("Alla delmål uppfyllda", "Every child goal met"),
    "target.at_least": ("minst {v}", "at least {v}"),
    "target.at_most": ("högst {v}", "at most {v}"),
    "target.between": ("mellan {lo} och {hi}", "between {lo} and {hi}"),
    "target.increase": ("ökning", "increase"),
    "target.decrease": ("minskning", "decrease"),
    "target.unchanged": ("oförändrat", "unchanged"),
    "target.quartile": ("kvartil bland jämförbara", "quartile among peers"),
    "category.routine": ("Rutin saknas eller följs inte", "Routine missing or not followed"),
    "category.information": ("Information och kommunikation", "Information and communication"),
    "category.collaboration": ("Samverkan", "Collaboration"),
    "category.legal_requirement": ("Lagkrav eller beslut följs inte", "Legal requirement"),
    "category.documentation": ("Dokumentation", "Documentation"),
    "category.it_system": ("IT-system", "IT system"),
    "category.other": ("Övrigt", "Other"),
    "ivo.not_executed": ("Ej verkställt", "Not executed"),
    "ivo.interrupted": ("Avbrott", "Interrupted"),
    "intervention.contact_person_family": ("Kontaktperson/-familj", "Contact person/family"),
    "intervention.family_treatment": ("Familjebehandling", "Family treatment"),
    "intervention.family_home": ("Familjehem", "Family home"),
    "intervention.residential_care": ("HVB", "Residential care"),
    "intervention.supported_housing": ("Stödboende", "Supported housing"),
    "intervention.outpatient_treatment": ("Öppenvårdsbehandling", "Outpatient treatment"),
    "intervention.personal_assistance": ("Personlig assistans", "Personal assistance"),
    "intervention.companion_service": ("Ledsagarservice", "Companion service"),
    "intervention.short_term_stay": ("Korttidsvistelse", "Short-term stay"),
    "intervention.special_housing": ("Bostad med särskild service", "Special housing"),
    "intervention.daily_activity": ("Daglig verksamhet", "Daily activity"),
    "intervention.other": ("Övrigt", "Other"),
    "gender.women": ("Kvinnor", "Women"),
    "gender.men": ("Män", "Men"),
    "follow_up.closed": ("Avslutad", "Closed"),
    "follow_up.followed_up": ("Uppföljd", "Followed up"),
    "follow_up.due": ("Ska följas upp", "Due"),
    "follow_up.overdue": ("Försenad", "Overdue"),
    "follow_up.upcoming": ("Kommande", "Upcoming"),
    "unit.percent": ("procent", "per cent"),
    "unit.count": ("antal", "count"),
    "unit.sek": ("kronor", "SEK"),
    "unit.days": ("dagar", "days"),
    "unit.index": ("index", "index"),
    "unit.litres": ("liter", "litres"),
    "unit.hours": ("timmar", "hours"),
    "unit.ratio": ("kvot", "ratio"),
    "unit.other": ("övrigt", "other"),
    "budget.revenue": ("Intäkter", "Revenue"),
    "budget.cost": ("Kostnader", "Costs"),
}

MONTHS: tuple[tuple[str, str], ...] = (
    ("januari", "January"),
    ("februari", "February"),
    ("mars", "March"),
    ("april", "April"),
    ("maj", "May"),
    ("juni", "June"),
    ("juli", "July"),
    ("augusti", "August"),
    ("september", "September"),
    ("oktober", "October"),
    ("november", "November"),
    ("december", "December"),
)

# The Swedish of app.rules' sentences (English is app.rules' own). {status} is the status label;
# the rest are figures already formatted.
SENTENCES: dict[str, str] = {
    "ind.no_data": "Inga mätningar {year} till och med {period}.",
    "ind.no_target": "Inget målvärde för {year}; utfall {actual}.",
    "ind.no_reference": ("Ingen referens: varken förra årets utfall eller en basnivå finns."),
    "ind.main": "{status}: utfall {actual}; förväntat {words}{pace}",
    "ind.pace": " ({share} av året)",
    "ind.short": "; {gap} under, tolerans {tolerance}",
    "ind.over": "; {gap} över, tolerans {tolerance}",
    "ind.increase_by": "ökning med {change} från {ref}",
    "ind.decrease_by": "minskning med {change} från {ref}",
    "ind.above": "över {ref}",
    "ind.below": "under {ref}",
    "ind.not_below": "inte under {ref} (oförändrat)",
    "ind.not_above": "inte över {ref} (oförändrat)",
    "ind.equal": "lika med {ref} (oförändrat)",
    "ind.quartile": (
        "{status}: kvartil {quartile} bland {group}, Kolada {year}: plats {rank} av {ranked}; "
        "gruppens medelvärde {mean}, median {median}."
    ),
    "ind.quartile_none": "{status}: ingen egen uppgift i Kolada att jämföra bland {group}.",
    "goal.share_no_data": (
        "Uppgift saknas: {coverage} av vikten har data, {needed} krävs.{missing}"
    ),
    "goal.share_green": "{status}: {green} uppfyllda (≥ {threshold}) och inga ej uppfyllda.",
    "goal.share_red": (
        "{status}: {red} ej uppfyllda: även om alla delvis uppfyllda blev uppfyllda "
        "nås inte {threshold}."
    ),
    "goal.share_yellow": "{status}: {green} uppfyllda, {red} ej uppfyllda.",
    "goal.without_data": " Utan data: {keys}.",
    "goal.missing": " Saknas: {keys}.",
    "goal.all_no_data": "{status}: inget delmål har data.",
    "goal.all_red": "{status}: delmål som inte är uppfyllda: {keys}.",
    "goal.all_green": "{status}: alla delmål är uppfyllda.",
    "goal.all_yellow": "{status}: delmål som ännu inte är uppfyllda: {keys}.",
    "budget.adherence": "{status}: avvikelse {percent} av budget; gräns {tolerance}.",
    "ind.outlook": (
        " För att nå årets mål behöver resten av året ({rest} efter {through}) {green} {what}; "
        "för att inte bli rött {not_red}."
    ),
    "ind.outlook_reached": "inget mer (redan nått)",
    "ind.outlook_out_of_reach": "är det utom räckhåll ({over} över redan)",
    "key.goal": "mål {code}",
    "key.indicator": "indikator {code}",
}


def t(key: str, lang: Lang, **values: Any) -> str:
    """A word or phrase of the document; ``values`` fill its placeholders."""
    sv, en = WORDS[key]
    return (sv if lang == "sv" else en).format(**values)


def label(kind: str, value: Any, lang: Lang, **values: Any) -> str:
    """The label of a domain value (``label("status", "green", "sv")`` → "Uppfyllt")."""
    pair = LABELS.get(f"{kind}.{value}")
    if pair is None:
        return str(value)
    return (pair[0] if lang == "sv" else pair[1]).format(**values)


def month_name(month: int, lang: Lang) -> str:
    sv, en = MONTHS[month - 1]
    return sv if lang == "sv" else en


def choose_lang(asked: str | None, accept_language: str | None) -> Lang:
    """``lang`` when given; else the one of sv/en Accept-Language weighs highest (the first of
    equal weights); else Swedish, the committee's language."""
    by_tag: dict[str, Lang] = {lang: lang for lang in LANGS}
    if asked in by_tag:
        return by_tag[asked]
    best: tuple[float, Lang] | None = None
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        found = by_tag.get(tag.strip().lower().split("-")[0])
        weight = _quality(params)
        if found is not None and weight > 0 and (best is None or weight > best[0]):
            best = (weight, found)
    return best[1] if best else DEFAULT_LANG


def _quality(params: str) -> float:
    """The ``q=`` weight of an Accept-Language entry (1 when absent, 0 when unreadable)."""
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


# Numbers ------------------------------------------------------------------------------------

MINUS = "\u2212"
NBSP = "\u00a0"


def number(value: Any, lang: Lang, decimals: int | None = None) -> str:
    """A figure as the language writes it; up to two decimals unless ``decimals`` is given."""
    if value is None:
        return t("none", lang)
    d = Decimal(str(value))
    if decimals is not None:
        d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    else:
        d = d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        if d == d.to_integral_value():
            d = d.quantize(Decimal(1))
    negative = d < 0
    whole, _, fraction = f"{abs(d):f}".partition(".")
    groups = f"{int(whole):,}"
    if lang == "sv":
        text = groups.replace(",", NBSP) + ("," + fraction if fraction else "")
        return (MINUS if negative and d != 0 else "") + text
    return ("-" if negative and d != 0 else "") + groups + ("." + fraction if fraction else "")


def tkr(value: Any, lang: Lang) -> str:
    """An amount in SEK as whole thousands (tkr)."""
    if value is None:
        return t("none", lang)
    return number(Decimal(str(value)) / 1000, lang, decimals=0)


def percent(fraction_or_percent: Any, lang: Lang, *, is_fraction: bool = False) -> str:
    if fraction_or_percent is None:
        return t("none", lang)
    value = Decimal(str(fraction_or_percent)) * (100 if is_fraction else 1)
    return f"{number(value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP), lang)}{NBSP}%"


# Rule explanations ----------------------------------------------------------------------------


def _s(key: str, **values: Any) -> str:
    return SENTENCES[key].format(**values)


def _key(key: str) -> str:
    """``goal 2.1`` / ``indicator SN-9.1`` (the rules' keys) in Swedish."""
    kind, _, code = key.partition(" ")
    if kind in ("goal", "indicator"):
        return _s(f"key.{kind}", code=code)
    return key


def _keys(keys: list[str]) -> str:
    return ", ".join(_key(k) for k in keys)


def explain_indicator(score: dict[str, Any], lang: Lang) -> str:
    """The indicator's explanation: app.rules' own sentence in English, its Swedish rendering."""
    e = score["explanation"]
    if lang == "en":
        return str(e["summary"])
    status = label("status", score["status"], "sv")
    rule = e["rule"]
    period = ", ".join(e.get("measurements") or [])
    if rule == "no_data":
        # "No measurements in 2023 up to 2023-T2." — the year and period are in the sentence.
        words = str(e["summary"]).removeprefix("No measurements in ").rstrip(".")
        year, _, period = words.partition(" up to ")
        return _s("ind.no_data", year=year, period=period)
    if rule == "no_target":
        year = str(e["summary"]).removeprefix("No target for ").split(";")[0]
        return _s("ind.no_target", year=year, actual=number(e["actual"], "sv"))
    if rule == "quartile":
        return _quartile(e, status)
    target = e.get("target")
    if target is None or (e.get("expected") is None and e.get("green_from") is None):
        if target is not None and e.get("reference") is None:
            return _s("ind.no_reference")
        return str(e["summary"])
    share = e.get("share_of_year")
    scale = Decimal(str(share)) if share is not None else Decimal(1)
    words = _target_words(e, target, scale)
    pace = _s("ind.pace", share=percent(share, "sv", is_fraction=True)) if share else ""
    text = _s("ind.main", status=status, actual=number(e["actual"], "sv"), words=words, pace=pace)
    gap = e.get("gap")
    if gap:
        below = e.get("green_from") is not None and Decimal(str(e["actual"])) < Decimal(
            str(e["green_from"])
        )
        text += _s(
            "ind.short" if below else "ind.over",
            gap=number(gap, "sv"),
            tolerance=number(e.get("tolerance"), "sv"),
        )
    return text + "." + _outlook(e.get("outlook"))


# A period's kind from its text (2023-08, 2023-T2, 2023-Q3, 2023-H1): singular, plural.
_PERIOD_WORDS = {
    "T": ("tertial", "tertial"),
    "Q": ("kvartal", "kvartal"),
    "H": ("halvår", "halvår"),
}


def _outlook(outlook: dict[str, Any] | None) -> str:
    """What it takes to turn green (app.rules.outlook), in Swedish from the outlook's figures."""
    if not outlook:
        return ""
    through = str(outlook["data_through"])
    count = int(outlook["remaining_periods"])
    one, many = _PERIOD_WORDS.get(through[5:6], ("månad", "månader"))
    what = {"total": "totalt", "mean": "i genomsnitt per period"}.get(
        outlook["measure"], "som kvot över perioderna"
    )

    def need(bound: dict[str, Any]) -> str:
        parts = []
        if bound.get("at_least") is not None:
            least = Decimal(str(bound["at_least"]))
            parts.append(
                _s("ind.outlook_reached") if least <= 0 else f"minst {number(least, 'sv')}"
            )
        if bound.get("at_most") is not None:
            most = Decimal(str(bound["at_most"]))
            parts.append(
                _s("ind.outlook_out_of_reach", over=number(-most, "sv"))
                if most < 0
                else f"högst {number(most, 'sv')}"
            )
        return " och ".join(parts)

    return _s(
        "ind.outlook",
        rest=f"{count} {one if count == 1 else many}",
        through=through,
        green=need(outlook["green"]),
        what=what,
        not_red=need(outlook["not_red"]),
    )


def _target_words(e: dict[str, Any], target: dict[str, Any], scale: Decimal) -> str:
    kind = target["kind"]
    lo, hi = e.get("green_from"), e.get("green_to")
    if kind == "at_least":
        return label("target", kind, "sv", v=number(lo, "sv"))
    if kind == "at_most":
        return label("target", kind, "sv", v=number(hi, "sv"))
    if kind == "between":
        return label("target", kind, "sv", lo=number(lo, "sv"), hi=number(hi, "sv"))
    reference = e.get("reference") or {}
    ref = number(Decimal(str(reference.get("value", 0))) * scale, "sv")
    change = target.get("min_change")
    if kind == "increase":
        if change:
            return _s("ind.increase_by", change=percent(change, "sv", is_fraction=True), ref=ref)
        return _s("ind.above", ref=ref)
    if kind == "decrease":
        if change:
            return _s("ind.decrease_by", change=percent(change, "sv", is_fraction=True), ref=ref)
        return _s("ind.below", ref=ref)
    if lo is not None and hi is None:
        return _s("ind.not_below", ref=ref)
    if hi is not None and lo is None:
        return _s("ind.not_above", ref=ref)
    return _s("ind.equal", ref=ref)


def _quartile(e: dict[str, Any], status: str) -> str:
    b = e.get("benchmark")
    if not b or b.get("rank") is None:
        group = b["group"] if b else ""
        return _s("ind.quartile_none", status=status, group=group)
    return _s(
        "ind.quartile",
        status=status,
        quartile=b["quartile"] if b.get("quartile") is not None else t("none", "sv"),
        group=b["group"],
        year=b["year"],
        rank=b["rank"],
        ranked=b["ranked"],
        mean=number(b.get("mean"), "sv"),
        median=number(b.get("median"), "sv"),
    )


def explain_goal(goal: dict[str, Any], lang: Lang) -> str:
    """The goal's explanation: app.rules' own sentence in English, its Swedish rendering."""
    e = goal["explanation"]
    if lang == "en":
        return str(e["summary"])
    status = label("status", goal["status"], "sv")
    missing = list(e.get("missing") or [])
    if e["rule"] == "share_of_indicators":
        params = e.get("parameters") or {}
        threshold = percent(params.get("threshold", "0.70"), "sv", is_fraction=True)
        if goal["status"] == "no_data":
            return _s(
                "goal.share_no_data",
                coverage=percent(e.get("coverage") or 0, "sv", is_fraction=True),
                needed=percent(params.get("min_coverage", "0.5"), "sv", is_fraction=True),
                missing=_s("goal.missing", keys=_keys(missing)) if missing else "",
            )
        green = percent(e.get("green_share") or 0, "sv", is_fraction=True)
        red = percent(e.get("red_share") or 0, "sv", is_fraction=True)
        key = {"green": "goal.share_green", "red": "goal.share_red"}.get(
            goal["status"], "goal.share_yellow"
        )
        text = _s(key, status=status, green=green, red=red, threshold=threshold)
        return text + (_s("goal.without_data", keys=_keys(missing)) if missing else "")
    if e["rule"] == "all_children":
        contributions = e.get("contributions") or []
        if goal["status"] == "no_data":
            return _s("goal.all_no_data", status=status)
        if goal["status"] == "green":
            return _s("goal.all_green", status=status)
        wanted = ("red",) if goal["status"] == "red" else ("yellow", "red", "no_data")
        keys = [c["key"] for c in contributions if c["status"] in wanted]
        key = "goal.all_red" if goal["status"] == "red" else "goal.all_yellow"
        return _s(key, status=status, keys=_keys(keys))
    return str(e["summary"])


def explain_budget(status: str, percent_value: Any, tolerance: Any, lang: Lang) -> str:
    """A budget category's adherence: its deviation as a percentage of budget, and the limit."""
    if lang == "en":
        return (
            f"{label('status', status, 'en')}: deviation {percent(percent_value, 'en')} of budget;"
            f" limit {percent(tolerance, 'en')}."
        )
    return _s(
        "budget.adherence",
        status=label("status", status, "sv"),
        percent=percent(percent_value, "sv"),
        tolerance=percent(tolerance, "sv"),
    )


def with_swedish_explanations(report: dict[str, Any]) -> dict[str, Any]:
    """The committee report's data with every goal's and indicator's explanation in Swedish
    (``lang=sv`` on the JSON and XLSX formats); the figures are untouched."""

    def goal(node: dict[str, Any]) -> dict[str, Any]:
        return {
            **node,
            "explanation": {**node["explanation"], "summary": explain_goal(node, "sv")},
            "indicators": [
                {**i, "explanation": {**i["explanation"], "summary": explain_indicator(i, "sv")}}
                for i in node["indicators"]
            ],
            "children": [goal(child) for child in node["children"]],
        }

    card = report["scorecard"]
    return {**report, "scorecard": {**card, "tree": [goal(g) for g in card["tree"]]}}
