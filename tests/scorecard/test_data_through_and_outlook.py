"""A period past the latest data is flagged, and each sum/mean/ratio indicator says what the rest of
the year needs (issue 21, point 6 and "what it takes to turn green").

The plan is tests/scorecard/test_scorecard.py's, with data January–June 2023. Asked for the whole
year 2023:

* GROUPS (sum, at least 600, default tolerance 60): 330 against the full 600 → short 270 → red, but
  the data run only through 2023-06. The rest of the year (6 months) needs at least 600 − 330 = 270
  (45 a month) to reach the target, 600 − 60 − 330 = 210 to stay out of red.
* HOUSEHOLDS (mean, at most 1300, tolerance 130): 8300 over 6 months. The year's mean counts
  12 months: the other 6 may average at most (1300 × 12 − 8300) / 6 = 1216.67, rounded down to
  1216.66 (an allowance), and at most (1430 × 12 − 8300) / 6 = 1476.66 to stay out of red.
* SICK (ratio, at most 18 %, tolerance 2): 20 % in June only (one period). With the same hours per
  month after June: at most (18 × 7 − 20) / 6 = 17.66 % over July–December; (20 × 7 − 20) / 6 = 20
  to stay out of red.
* SHARE and VISITS (last): no outlook.
"""

from tests.scorecard.test_scorecard import build_plan, card, indicator


async def test_a_year_asked_with_data_through_june_is_flagged(client, tenant):
    units, _ = await build_plan(client, tenant.admin)
    sc = await card(client, tenant.admin, units, period="2023")
    assert (sc["data_through"], sc["beyond_data"]) == ("2023-06", True)
    # Every indicator with data ends in June; VISITS' 2023 value too. WAITING has no data.
    assert sc["indicators_beyond_data"] == 5
    [kf3] = sc["tree"]
    g31, g32 = kf3["children"]
    groups = indicator(g31, "GROUPS")
    e = groups["explanation"]
    assert (groups["status"], e["actual"], e["expected"], e["gap"]) == ("red", 330, 600, 270)
    assert (e["data_through"], e["beyond_data"]) == ("2023-06", True)
    assert "Data only through 2023-06" in e["summary"]
    assert indicator(g32, "WAITING")["explanation"]["data_through"] is None

    # As of the last month with data: nothing beyond it, and GROUPS is green (330 ≥ 300).
    june = await card(client, tenant.admin, units, period="2023-06")
    assert (june["data_through"], june["beyond_data"], june["indicators_beyond_data"]) == (
        "2023-06",
        False,
        0,
    )
    assert (
        "Data only through"
        not in indicator(june["tree"][0]["children"][0], "GROUPS")["explanation"]["summary"]
    )


async def test_what_the_rest_of_the_year_needs(client, tenant):
    units, _ = await build_plan(client, tenant.admin)
    sc = await card(client, tenant.admin, units, period="2023")
    g31, g32 = sc["tree"][0]["children"]
    groups = indicator(g31, "GROUPS")["explanation"]["outlook"]
    assert groups == {
        "data_through": "2023-06",
        "remaining_periods": 6,
        "measure": "total",
        "green": {"at_least": 270, "at_most": None},
        "not_red": {"at_least": 210, "at_most": None},
        "summary": groups["summary"],
    }
    assert "at least 270 in total (45 a month)" in groups["summary"]
    households = indicator(g32, "HOUSEHOLDS")["explanation"]["outlook"]
    assert (households["measure"], households["green"], households["not_red"]) == (
        "mean",
        {"at_least": None, "at_most": 1216.66},
        {"at_least": None, "at_most": 1476.66},
    )
    sick = indicator(g31, "SICK")["explanation"]["outlook"]
    assert (sick["measure"], sick["green"]["at_most"], sick["not_red"]["at_most"]) == (
        "ratio",
        17.66,
        20,
    )
    assert indicator(g31, "SHARE")["explanation"]["outlook"] is None
    assert indicator(g32, "VISITS")["explanation"]["outlook"] is None
    # The same sentence is in the explanation's summary, as the committee reads it.
    assert groups["summary"] in indicator(g31, "GROUPS")["explanation"]["summary"]
