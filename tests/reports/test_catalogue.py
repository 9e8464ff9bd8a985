"""The catalogue: numbers as Swedish and English write them, the language chosen, and the rules'
explanations in Swedish from the explanation's own figures (worked out by hand below)."""

import pytest

from app.reports.catalogue import (
    WORDS,
    choose_lang,
    explain_goal,
    explain_indicator,
    label,
    number,
    percent,
    t,
    tkr,
)


def test_numbers_in_swedish_and_english():
    assert number(-11796, "sv") == "\u221211\u00a0796"
    assert number(-11796, "en") == "-11,796"
    assert number(93999.88, "sv") == "93\u00a0999,88"
    assert number(2.5, "en") == "2.5"
    assert number(None, "sv") == "–"
    assert tkr(-11796000.0, "sv") == "\u221211\u00a0796"
    assert tkr(59571499, "en") == "59,571"
    assert percent(-3.2, "sv") == "\u22123,2\u00a0%"
    assert percent("0.6667", "sv", is_fraction=True) == "66,7\u00a0%"


@pytest.mark.parametrize(
    ("asked", "header", "chosen"),
    [
        ("en", "sv", "en"),
        (None, None, "sv"),
        (None, "en-GB,en;q=0.9", "en"),
        (None, "de-DE, en;q=0.4, sv;q=0.8", "sv"),
        (None, "fr", "sv"),
        (None, "en;q=0", "sv"),
        ("fi", "en", "en"),
    ],
)
def test_language_from_the_parameter_then_accept_language_then_swedish(asked, header, chosen):
    assert choose_lang(asked, header) == chosen


def test_every_word_has_both_languages():
    assert all(sv and en for sv, en in WORDS.values())
    assert t("report_tertial", "sv", n=2, year=2023) == "Delårsrapport tertial 2 2023"
    assert label("status", "yellow", "sv") == "Delvis uppfyllt"
    assert label("status", "yellow", "en") == "Partly met"


def _indicator(status, summary, **explanation):
    return {"status": status, "explanation": {"summary": summary, **explanation}}


def test_a_pro_rated_sum_falling_short_in_swedish():
    # An annual 600 at least, half the year gone: 300 expected; 270 is 30 short, tolerance 30
    # (10 % of 300), so yellow. English is app.rules' own sentence.
    english = (
        "Yellow: actual 270; expected at least 300 (50 % of the year); short by 30, tolerance 30."
    )
    score = _indicator(
        "yellow",
        english,
        rule="at_least",
        actual=270,
        expected=300,
        target={"kind": "at_least", "value": 600},
        share_of_year=0.5,
        green_from=300,
        green_to=None,
        tolerance=30,
        gap=30,
    )
    assert explain_indicator(score, "en") == english
    assert explain_indicator(score, "sv") == (
        "Delvis uppfyllt: utfall 270; förväntat minst 300 (50\u00a0% av året); "
        "30 under, tolerans 30."
    )


def test_what_it_takes_to_turn_green_in_swedish():
    # README's worked example: 600 a year, 400 done by August: the last four months need 200 to
    # reach the target and 140 to stay out of red (600 less the 10 % tolerance, 540, less 400).
    english = "Green: actual 400; expected at least 400 (66.7 % of the year)."
    score = _indicator(
        "green",
        english,
        rule="at_least",
        actual=400,
        expected=400,
        target={"kind": "at_least", "value": 600},
        share_of_year=0.6667,
        green_from=400,
        green_to=None,
        tolerance=40,
        gap=0,
        outlook={
            "data_through": "2023-08",
            "remaining_periods": 4,
            "measure": "total",
            "green": {"at_least": 200, "at_most": None},
            "not_red": {"at_least": 140, "at_most": None},
            "summary": "…",
        },
    )
    assert explain_indicator(score, "sv").endswith(
        " För att nå årets mål behöver resten av året (4 månader efter 2023-08) minst 200 "
        "totalt; för att inte bli rött minst 140."
    )


def test_a_decrease_from_last_year_and_an_interval_in_swedish():
    # Decrease by 10 % from 100 000: at most 90 000 is green; 93 999,88 is 3 999,88 over, within
    # the tolerance of 10 000 (10 % of 100 000).
    score = _indicator(
        "yellow",
        "…",
        rule="decrease",
        actual=93999.88,
        expected=90000,
        target={"kind": "decrease", "min_change": 0.1},
        reference={"value": 100000, "source": "outcome 2022"},
        green_from=None,
        green_to=90000,
        tolerance=10000,
        gap=3999.88,
    )
    assert explain_indicator(score, "sv") == (
        "Delvis uppfyllt: utfall 93\u00a0999,88; förväntat minskning med 10\u00a0% från "
        "100\u00a0000; 3\u00a0999,88 över, tolerans 10\u00a0000."
    )
    between = _indicator(
        "green",
        "…",
        rule="between",
        actual=99.39,
        expected=99,
        target={"kind": "between", "low": 99, "high": 100},
        green_from=99,
        green_to=100,
        tolerance=10,
        gap=0,
    )
    assert explain_indicator(between, "sv") == (
        "Uppfyllt: utfall 99,39; förväntat mellan 99 och 100."
    )


def test_no_data_and_no_target_in_swedish():
    assert explain_indicator(
        _indicator("no_data", "No measurements in 2023 up to 2023-T2.", rule="no_data"), "sv"
    ) == ("Inga mätningar 2023 till och med 2023-T2.")
    assert explain_indicator(
        _indicator("no_data", "No target for 2023; actual 4.5.", rule="no_target", actual=4.5), "sv"
    ) == ("Inget målvärde för 2023; utfall 4,5.")


def test_goal_rules_in_swedish():
    # One red of three with a 70 % threshold: 33,3 % red > 30 %, so 70 % green is out of reach.
    share = {
        "status": "red",
        "explanation": {
            "rule": "share_of_indicators",
            "summary": "…",
            "parameters": {"threshold": "0.70", "min_coverage": "0.5"},
            "green_share": 0.6667,
            "red_share": 0.3333,
            "missing": [],
            "contributions": [],
        },
    }
    assert explain_goal(share, "sv") == (
        "Ej uppfyllt: 33,3\u00a0% ej uppfyllda: även om alla delvis uppfyllda blev uppfyllda "
        "nås inte 70\u00a0%."
    )
    children = {
        "status": "yellow",
        "explanation": {
            "rule": "all_children",
            "summary": "Yellow: not yet met: goal 5.1.",
            "parameters": {},
            "missing": [],
            "contributions": [
                {"key": "goal 5.1", "status": "yellow", "weight": 1, "share": 1},
                {"key": "goal 5.2", "status": "green", "weight": 1, "share": 1},
            ],
        },
    }
    assert explain_goal(children, "sv") == (
        "Delvis uppfyllt: delmål som ännu inte är uppfyllda: mål 5.1."
    )
    assert explain_goal(children, "en") == "Yellow: not yet met: goal 5.1."
