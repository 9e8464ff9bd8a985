"""Demo goal plans transcribed from the seed documents (/work/shared/seeds).

Pure data, no I/O:

* Södertälje (0181) — Socialnämndens verksamhetsplan 2023, seed 004 (in full: KF goals 1–9,
  committee goals 1.1–8.1, all indicators with baseline and 2023–2025 targets).
* Österåker (0117) — Socialnämndens verksamhetsplan 2019, seed 003 (inriktningsmål →
  resultatmål → indikatorer, Bilaga A "Målbilaga", targets for 2019).
* Östersund (2380) — Social- och arbetsmarknadsnämndens verksamhetsplan 2022, seed 000
  (political KPIs, "Politiska nyckeltal", per council goal; the seed gives no targets).

Conventions
-----------
* Indicator codes: "SN-<goal code>.<n>", e.g. "SN-3.2.1" is the first indicator of committee
  goal 3.2; indicators attached directly to a council goal get "SN-<council code>.<n>"
  (Södertälje KF goal 9, Östersund).
* ``baseline_text`` is the seed's text; "*" means the seed marks the baseline as missing
  ("Ingående värde saknas utifrån att indikatorn beräknas på nytt sätt alternativt inte har
  följts tidigare"); ``baseline_value`` is then None.
* ``DemoTarget.text`` is the seed's text verbatim (decimal comma kept).
* Choices the seed does not state (periodicity, aggregation, unit, polarity, baseline period
  where no period is written, rules where no rule is written) are marked with a trailing
  comment starting "# choice:".
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

TargetKind = Literal["at_least", "at_most", "between", "increase", "decrease", "unchanged"]


@dataclass(frozen=True)
class DemoTarget:
    year: int
    text: str  # exactly as written in the seed
    kind: TargetKind
    value: Decimal | None = None  # at_least / at_most threshold
    low: Decimal | None = None  # between
    high: Decimal | None = None  # between
    # relative change for increase/decrease when stated,
    # e.g. Decimal("-0.10") for "minska med 10 %"
    change: Decimal | None = None


@dataclass(frozen=True)
class DemoIndicator:
    code: str  # unique within the municipality, e.g. "SN-1.1.1" or the seed's own numbering
    title: str  # Swedish, as in the seed
    unit: str  # percent, count, sek, days, index, ratio, people, ...
    polarity: Literal["higher_is_better", "lower_is_better", "target_is_best"]
    periodicity: Literal["month", "tertial", "year"]
    aggregation: Literal["sum", "mean", "last", "ratio"]
    gender_split: bool
    source: str  # e.g. "Egen-kontroll", "Kolada", "HR", "ERP", as in the seed
    kolada_kpi: str | None = None
    baseline_value: Decimal | None = None
    baseline_period: str | None = None  # period string: "2022", "2022-10", "2022-T2", "2021-H1" ...
    baseline_text: str | None = None  # exactly as written, e.g. "75 (okt 2022)"
    targets: tuple[DemoTarget, ...] = ()
    source_ref: str = ""  # e.g. "seed 004 line 812"


@dataclass(frozen=True)
class DemoGoal:
    level: Literal["council", "committee"]
    code: str
    title: str
    goal_area: str | None = None
    description: str | None = None
    direction: str | None = None
    parent: str | None = None  # parent goal's code (committee goal -> council goal)
    # {"kind": "share_of_indicators", "threshold": "0.70"} or {"kind": "all_children"};
    # thresholds as strings
    rule: dict[str, object] = field(default_factory=dict)
    indicators: tuple[str, ...] = ()  # indicator codes attached (weight 1)
    valid_from_year: int = 2023
    valid_to_year: int = 2025
    related_plans: tuple[str, ...] = ()
    source_ref: str = ""


@dataclass(frozen=True)
class DemoPlan:
    municipality: str  # SCB code
    owner: str = "SN"  # owning org unit code: the committee is always "SN"
    goals: tuple[DemoGoal, ...] = ()
    indicators: tuple[DemoIndicator, ...] = ()


# ---------------------------------------------------------------------------------------------
# Södertälje 0181 — Socialnämndens verksamhetsplan 2023 (seed 004)
# Rule text, every committee goal: "Uppföljning av nämndmålet sker månadsvis och utifrån
# viktning. För att målet ska bedömas uppfyllt ska minst NN procent av indikatorerna bedömas
# grönt och resten gult."  Monthly follow-up → periodicity "month" unless stated otherwise.
# ---------------------------------------------------------------------------------------------


_SODERTALJE_INDICATORS: tuple[DemoIndicator, ...] = (
    # --- Nämndmål 1.1 (KF mål 1) -------------------------------------------------------------
    DemoIndicator(
        code="SN-1.1.1",
        title="Skolsocialt projekt- antal enskilda stödsamtal",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="sum",  # choice: count of conversations per year, pro-rated monthly
        gender_split=False,  # choice: seed gives totals only
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "72", "at_least", value=Decimal("72")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 248",
    ),
    DemoIndicator(
        code="SN-1.1.2",
        title="Föräldrastöd i förskoleklass- antal råd och stödsamtal",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="sum",  # choice: yearly count
        gender_split=False,
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "108", "at_least", value=Decimal("108")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 255",
    ),
    DemoIndicator(
        code="SN-1.1.3",
        title="Föräldrastöd i förskoleklass- antal gruppträffar/ Föräldrautbildning",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="sum",  # choice: yearly count
        gender_split=False,
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "30", "at_least", value=Decimal("30")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 262",
    ),
    # --- Nämndmål 2.1 (KF mål 2) -------------------------------------------------------------
    DemoIndicator(
        code="SN-2.1.1",
        title="Andel genomförandeplaner inom socialkontoret (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="last",  # choice: share of open cases with a plan, measured at a point
        gender_split=False,
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "80", "at_least", value=Decimal("80")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 334",
    ),
    DemoIndicator(
        code="SN-2.1.2",
        title="Antal SIP, samordnad individuell plan (per mån)",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="mean",  # "per mån" → mean of the months so far
        gender_split=False,
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "40", "at_least", value=Decimal("40")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 341",
    ),
    DemoIndicator(
        code="SN-2.1.3",
        title="Barn som kommer till tals i utredningar (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="last",  # choice: share measured at a point (baseline given for nov 2022)
        gender_split=False,  # choice: seed gives totals only
        source="Egen-kontroll",
        baseline_value=Decimal("70"),
        baseline_period="2022-11",
        baseline_text="70 (nov 2022)",
        targets=(
            DemoTarget(2023, "80", "at_least", value=Decimal("80")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 348",
    ),
    # --- Nämndmål 3.1 (KF mål 3) -------------------------------------------------------------
    DemoIndicator(
        code="SN-3.1.1",
        title="Antal gruppaktiviteter för föräldrar inom BoU:s förebyggande verksamheter",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="sum",  # choice: yearly count of group activities
        gender_split=False,
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "85", "at_least", value=Decimal("85")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 433",
    ),
    DemoIndicator(
        code="SN-3.1.2",
        title="Andel deltagare inom AME och EFA som gått vidare till arbete eller studier (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        # choice: flow share = went on to work/studies / ended participants, ratio-of-sums
        aggregation="ratio",
        gender_split=True,  # choice: labour-market outcomes are normally reported by gender
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "25", "at_least", value=Decimal("25")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 458",
    ),
    DemoIndicator(
        code="SN-3.1.3",
        title="Antal barn i hushåll som uppbär ekonomiskt bistånd (per mån)",
        unit="count",
        # choice: target 400 above baseline 375 is a ceiling (rise expected in 2023), later "minska"
        polarity="lower_is_better",
        periodicity="month",
        aggregation="mean",  # "per mån" → mean of the months so far
        gender_split=False,
        source="Egen-kontroll",
        baseline_value=Decimal("375"),
        baseline_period="2022",  # choice: seed gives no period; plan written Dec 2022
        baseline_text="375",
        targets=(
            DemoTarget(2023, "400", "at_most", value=Decimal("400")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "minska", "decrease"),
        ),
        source_ref="seed 004 line 467",
    ),
    # --- Nämndmål 3.2 (KF mål 3) -------------------------------------------------------------
    DemoIndicator(
        code="SN-3.2.1",
        title=(
            "Andel berörda medarbetare som är utbildade i att ställa frågor om våld i nära "
            "relation till barn och vuxna (%)"
        ),
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="last",  # choice: cumulative share trained, measured at a point
        gender_split=False,
        source="Egen-kontroll",
        # Seed footnote (line 535): 312 berörda medarbetare; 233 already trained in asking about
        # violence before 2023 (≈ 74.7 %), but the baseline cell is "*".
        baseline_text="*",
        targets=(
            DemoTarget(2023, "80", "at_least", value=Decimal("80")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 506",
    ),
    DemoIndicator(
        code="SN-3.2.2",
        title="Antal klienter som får insatsbeslut mot våldsutövande",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="sum",  # choice: clients with a decision during the year
        gender_split=True,  # choice: violence work is normally followed up by gender
        source="Egen-kontroll",
        baseline_value=Decimal("3"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="3",
        targets=(
            DemoTarget(2023, "15", "at_least", value=Decimal("15")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 516",
    ),
    DemoIndicator(
        code="SN-3.2.3",
        title="Antal klienter som får insatsbeslut mot våldsutsatthet",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="sum",  # choice: clients with a decision during the year
        gender_split=True,  # choice
        source="Egen-kontroll",
        baseline_value=Decimal("150"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="150",
        targets=(
            DemoTarget(2023, "170", "at_least", value=Decimal("170")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 525",
    ),
    # --- Nämndmål 4.1 (KF mål 4) -------------------------------------------------------------
    DemoIndicator(
        code="SN-4.1.1",
        title="Andel fysiska möten med klient (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="ratio",  # choice: physical meetings / all client meetings
        gender_split=False,
        source="Egen-kontroll",
        baseline_value=Decimal("60"),
        baseline_period="2022-12",
        baseline_text="60 (dec 2022)",
        targets=(
            DemoTarget(2023, "70", "at_least", value=Decimal("70")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 596",
    ),
    DemoIndicator(
        code="SN-4.1.2",
        title="Väntetid för nybesök (dagar)",
        unit="days",
        polarity="lower_is_better",
        periodicity="month",
        aggregation="mean",  # choice: baseline is an average over months ("snitt")
        gender_split=False,
        source="Egen-kontroll",
        baseline_value=Decimal("15.1"),
        baseline_period="2022-10",  # choice: mean Jan–Oct 2022, recorded as of October 2022
        baseline_text="15,1 (snitt jan-okt 2022)",
        targets=(
            DemoTarget(2023, "14", "at_most", value=Decimal("14")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 606",
    ),
    DemoIndicator(
        code="SN-4.1.3",
        title="Tillgänglighet efter kontorstid-socialjour (%)",
        unit="percent",
        # choice: band 99–100 % but more is better (100 is the ceiling)
        polarity="higher_is_better",
        periodicity="month",
        aggregation="ratio",  # choice: answered contacts / all contacts
        gender_split=False,
        source="Egen-kontroll",
        baseline_value=Decimal("99"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="99",
        targets=(
            DemoTarget(2023, "99 - 100", "between", low=Decimal("99"), high=Decimal("100")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 617",
    ),
    DemoIndicator(
        code="SN-4.1.4",
        title="Andel E-ansökningar SK (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="ratio",  # choice: e-applications / all applications
        gender_split=False,
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "25", "at_least", value=Decimal("25")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 624",
    ),
    DemoIndicator(
        code="SN-4.1.5",
        title="Antal besökare familjecentraler",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="sum",  # choice: no "(per mån)" in the title (unlike others) → yearly count
        gender_split=False,
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "400", "at_least", value=Decimal("400")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 631",
    ),
    # --- Nämndmål 5.1 (KF mål 5) -------------------------------------------------------------
    DemoIndicator(
        code="SN-5.1.1",
        title="Rättssäkerhet i handläggning (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="last",  # choice: audit share measured at a point
        gender_split=False,
        source="Egen-kontroll",
        baseline_value=Decimal("75"),
        baseline_period="2022-10",
        baseline_text="75 (okt 2022)",
        targets=(
            DemoTarget(2023, "80", "at_least", value=Decimal("80")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 729",
    ),
    DemoIndicator(
        code="SN-5.1.2",
        title="Antal gruppaktiviteter för barn och unga",
        unit="count",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="sum",  # DOMAIN §6.1: "600 group activities a year" → sum, pro-rated
        gender_split=False,
        source="Egen-kontroll",
        baseline_text="*",
        targets=(
            DemoTarget(2023, "600", "at_least", value=Decimal("600")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 739",
    ),
    DemoIndicator(
        code="SN-5.1.3",
        title="Genomförandegrad yttre tillsyn, tillståndsenheten (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="last",  # choice: year-to-date completion of the inspection plan
        gender_split=False,
        source="Egen-kontroll",
        baseline_value=Decimal("65"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="65",
        targets=(
            DemoTarget(2023, "90", "at_least", value=Decimal("90")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 746",
    ),
    # --- Nämndmål 6.1 (KF mål 6) -------------------------------------------------------------
    DemoIndicator(
        code="SN-6.1.1",
        title="Fossilfritt drivmedel (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="ratio",  # choice: fossil-free litres / all litres
        gender_split=False,
        source="SBK",
        baseline_value=Decimal("35"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="35",
        targets=(
            DemoTarget(2023, "50", "at_least", value=Decimal("50")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 801",
    ),
    DemoIndicator(
        code="SN-6.1.2",
        title="Drivmedelsförbrukning SK (per mån)",
        unit="litres",
        polarity="lower_is_better",
        periodicity="month",
        aggregation="mean",  # "per mån" → mean of the months so far
        gender_split=False,
        source="SBK",
        baseline_value=Decimal("73000"),
        baseline_period="2022-11",
        baseline_text="73 000 liter (nov 2022)",
        targets=(
            DemoTarget(2023, "70 000 liter", "at_most", value=Decimal("70000")),
            DemoTarget(2024, "minska", "decrease"),
            DemoTarget(2025, "minska", "decrease"),
        ),
        source_ref="seed 004 line 803",
    ),
    # --- Nämndmål 7.1 (KF mål 7) -------------------------------------------------------------
    DemoIndicator(
        code="SN-7.1.1",
        title="Antal pappersutskrifter SK (per mån)",
        unit="count",
        polarity="lower_is_better",
        periodicity="month",
        aggregation="mean",  # "per mån" → mean of the months so far
        gender_split=False,
        source="IT-kunskapsbas",
        baseline_value=Decimal("100000"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="ca 100 000",
        targets=(
            DemoTarget(2023, "minska med 10 %", "decrease", change=Decimal("-0.10")),
            DemoTarget(2024, "minska", "decrease"),
            DemoTarget(2025, "minska", "decrease"),
        ),
        source_ref="seed 004 line 891",
    ),
    # --- Nämndmål 8.1 (KF mål 8) -------------------------------------------------------------
    DemoIndicator(
        code="SN-8.1.1",
        title="Budgetföljsamhet (%)",
        unit="percent",
        polarity="target_is_best",  # "+/- 0": deviation from budget, zero is best
        periodicity="month",
        aggregation="last",  # choice: forecast deviation as it stands
        gender_split=False,
        source="ERP",
        baseline_value=Decimal("1.9"),
        baseline_period="2022",
        baseline_text="+1,9 (prognos 2022)",
        targets=(
            DemoTarget(2023, "+/- 0", "between", low=Decimal("0"), high=Decimal("0")),
            DemoTarget(2024, "+/- 0", "between", low=Decimal("0"), high=Decimal("0")),
            DemoTarget(2025, "+/- 0", "between", low=Decimal("0"), high=Decimal("0")),
        ),
        source_ref="seed 004 line 974",
    ),
    DemoIndicator(
        code="SN-8.1.2",
        title="Avtalstrohet (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="last",  # choice: share of purchases under contract, as reported at a point
        gender_split=False,
        source="Telge inköp",
        baseline_value=Decimal("77"),
        baseline_period="2022-10",
        baseline_text="77 (okt 2022)",
        targets=(
            DemoTarget(2023, "83", "at_least", value=Decimal("83")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 982",
    ),
    DemoIndicator(
        code="SN-8.1.3",
        title="Genomförandegrad investeringar (%)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="last",  # choice: year-to-date completion of the investment budget
        gender_split=False,
        source="ERP",
        baseline_value=Decimal("71.9"),
        baseline_period="2022",
        baseline_text="71,9 (prognos 2022)",
        targets=(
            DemoTarget(2023, "75", "at_least", value=Decimal("75")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 1006",
    ),
    DemoIndicator(
        code="SN-8.1.4",
        title="Antal hushåll som uppbär ekonomiskt bistånd (per mån)",
        unit="count",
        # choice: 1300 above baseline 1173 is a ceiling (recession expected), later "minska"
        polarity="lower_is_better",
        periodicity="month",
        aggregation="mean",  # DOMAIN §6.1: "households per month" → mean
        gender_split=False,
        source="Egen-kontroll",
        baseline_value=Decimal("1173"),
        baseline_period="2022",
        baseline_text="1173 (snitt 2022)",
        targets=(
            DemoTarget(2023, "1300", "at_most", value=Decimal("1300")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "minska", "decrease"),
        ),
        source_ref="seed 004 line 1015",
    ),
    DemoIndicator(
        code="SN-8.1.5",
        title="Andel avslutade insatser som inte följts av annan insats inom ett år (BoU)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="month",
        aggregation="last",  # choice: cohort share measured at a point (baseline nov 2022)
        gender_split=False,
        source="Egen-kontroll",
        baseline_value=Decimal("46"),
        baseline_period="2022-11",
        baseline_text="46 % (nov 2022)",
        targets=(
            DemoTarget(2023, "47 %", "at_least", value=Decimal("47")),
            DemoTarget(2024, "öka", "increase"),
            DemoTarget(2025, "öka", "increase"),
        ),
        source_ref="seed 004 line 1028",
    ),
    # --- KF mål 9, "Kontorets indikatorer" (no committee goal; followed up per tertial) -----
    DemoIndicator(
        code="SN-9.1",
        title="Kontorets Medarbetarengagemang (HME) - Totalindex",
        unit="index",
        polarity="higher_is_better",
        periodicity="year",  # choice: HME comes from the yearly employee survey
        aggregation="last",
        gender_split=False,
        source="HR",
        baseline_value=Decimal("80"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="80",
        targets=(
            DemoTarget(2023, "80", "at_least", value=Decimal("80")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 1125",
    ),
    DemoIndicator(
        code="SN-9.2",
        title="Personalomsättning (%) (Kontoret)",
        unit="percent",
        polarity="lower_is_better",
        periodicity="tertial",  # seed: "Kontoret följer upp målområdets indikatorer per tertial"
        aggregation="last",  # choice: rolling turnover as reported by HR
        gender_split=False,
        source="HR",
        baseline_value=Decimal("16.5"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="16,5",
        targets=(
            DemoTarget(2023, "15,4", "at_most", value=Decimal("15.4")),
            DemoTarget(2024, "minska", "decrease"),
            DemoTarget(2025, "minska", "decrease"),
        ),
        source_ref="seed 004 line 1134",
    ),
    DemoIndicator(
        code="SN-9.3",
        title="Heltidsarbetande (%) (Kontoret)",
        unit="percent",
        polarity="higher_is_better",
        periodicity="tertial",  # seed: follow-up per tertial
        aggregation="last",  # share measured at a point
        gender_split=False,
        source="HR",
        baseline_value=Decimal("97.7"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="97,7",
        targets=(
            DemoTarget(2023, "97,7", "at_least", value=Decimal("97.7")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 1139",
    ),
    DemoIndicator(
        code="SN-9.4",
        title="Sjukfrånvaro (%) (Kontoret)",
        unit="percent",
        polarity="lower_is_better",
        # sick leave: monthly hours from HR (reported to the committee per tertial)
        periodicity="month",
        aggregation="ratio",  # sick-leave hours / scheduled hours
        gender_split=True,  # choice: sick leave is reported by gender (obligatory reporting)
        source="HR",
        baseline_value=Decimal("6"),
        baseline_period="2022",  # choice: seed gives no period
        baseline_text="6",
        targets=(
            DemoTarget(2023, "6", "at_most", value=Decimal("6")),
            DemoTarget(2024, "oförändrat", "unchanged"),
            DemoTarget(2025, "oförändrat", "unchanged"),
        ),
        source_ref="seed 004 line 1144",
    ),
)

_SODERTALJE_GOALS: tuple[DemoGoal, ...] = (
    # --- Målområde: Kunskapskommunen Södertälje ------------------------------------------------
    DemoGoal(
        level="council",
        code="1",
        title="Resultaten i förskolan, skolan och vuxenutbildningen ska förbättras",
        goal_area="Kunskapskommunen Södertälje",
        description=(
            "Det övergripande målet för förskolan och skolan är att alla barn och elever ska uppnå "
            "de mål som finns och det är utifrån detta övergripande mål som alla beslut och "
            "aktiviteter ska utgå. Skolan och förskolan ska vara en trygg miljö och en plats som "
            "stärker barnen och elevernas självkänsla och ger dem framtidstro. Utifrån det "
            "övergripande målet ska enheternas kvalitetsarbete vara systematiskt, strategiskt och "
            "forskningsbaserat."
        ),
        rule={
            "kind": "all_children"
        },  # choice: seed states all_children only for KF 3; with one child it is equivalent
        source_ref="seed 004 line 218",
    ),
    DemoGoal(
        level="committee",
        code="1.1",
        title="Nämndens verksamheter bidrar till att barn och unga klarar sin utbildning",
        goal_area="Kunskapskommunen Södertälje",
        direction=(
            "Socialnämndens verksamheter ska verka för att barn och unga ges möjlighet till goda "
            "och likvärdiga uppväxtvillkor. Genom verksamhetens närvaro på platser där barn och "
            "unga befinner sig tillgängliggörs stöd och insatser. Verksamhetens insatser ska ske i "
            "samverkan med relevanta samhällsfunktioner.\n"
            "Nämndens verksamhet ska stärka vårdnadshavares förmåga att ge stöd och bidra till en "
            "gynnsam utveckling för det enskilda barnet."
        ),
        parent="1",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # seed line 277: minst 70 procent
        indicators=("SN-1.1.1", "SN-1.1.2", "SN-1.1.3"),
        source_ref="seed 004 line 292",
    ),
    # --- Målområde: Södertäljes medborgare ---------------------------------------------------
    DemoGoal(
        level="council",
        code="2",
        title="Medborgarna har inflytande och är delaktiga",
        goal_area="Södertäljes medborgare",
        description=(
            "Södertäljes medborgare förväntas vara delaktiga i utvecklingen av kommunens "
            "verksamheter och i övriga samhället. De ska därför ha goda möjligheter att på lika "
            "villkor kunna delta i samhällslivet, påverka sin vardag och ha möjlighet till insyn "
            "och inflytande. Rätten och möjligheten att vara aktiv medborgare och att forma "
            "villkoren för beslutsfattandet ska vara jämställd."
        ),
        rule={"kind": "all_children"},  # choice: single committee goal
        related_plans=("Handlingsplan för demokratiutveckling 2021–2024",),
        source_ref="seed 004 line 298",
    ),
    DemoGoal(
        level="committee",
        code="2.1",
        title="Klienter/brukare har inflytande och är delaktiga i de insatser som de berörs av",
        goal_area="Södertäljes medborgare",
        direction=(
            "Socialnämndens verksamheter ska bygga på respekt för människors "
            "självbestämmanderätt och integritet. Socialtjänstens insatser ska utformas och "
            "genomföras tillsammans med den enskilde och därmed säkerställa inflytande och "
            "delaktighet i den vård som ges. Utifrån den enskildes behov ska insatserna utformas "
            "och genomföras i samverkan med interna och/eller externa aktörer. I socialnämndens "
            "verksamheter ska barnperspektivet särskilt beaktas."
        ),
        parent="2",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # seed line 364: minst 70 procent
        indicators=("SN-2.1.1", "SN-2.1.2", "SN-2.1.3"),
        source_ref="seed 004 line 376",
    ),
    DemoGoal(
        level="council",
        code="3",
        title="Medborgarna har goda livsvillkor",
        goal_area="Södertäljes medborgare",
        description=(
            "Goda livsvillkor är viktigt för den sociala hållbarheten och förutsätter såväl en väl "
            "fungerande kommunal verksamhet, som en levande arbetsmarknad och ett starkt "
            "civilsamhälle. Alltför många barn växer upp i fattigdom och där har kommunen en "
            "viktig funktion att fylla. Skolan blir extra viktig. Goda livsvillkor innebär att "
            "kommunen ska utveckla villkoren för alla oavsett ålder, kön, könsöverskridande "
            "identitet eller uttryck, sexuell läggning, funktionsnedsättning, etnisk tillhörighet, "
            "religion eller annan trosuppfattning. Medborgarna ska på lika villkor kunna delta i "
            "samhällslivet och man ska känna sig trygg och säker där man befinner sig, inte minst "
            "i hemmet.\n"
            "Socialnämnden har två nämndmål, 3.1 och 3.2, som tillsammans bidrar till KF mål 3. "
            "Nämndmålen viktas lika och båda nämndmålen ska vara uppfyllda för att det totala "
            "bidraget till kommunfullmäktigemålet ska bedömas grönt."
        ),
        rule={"kind": "all_children"},  # seed line 408: "båda nämndmålen ska vara uppfyllda"
        related_plans=(
            "Folkhälsostrategi 2021–2024",
            (
                "Handlingsplan för suicidprevention 2019–2022 "
                "(beslut om förlängning på kommunstyrelsen 2022-12-16)"
            ),
            "Handlingsplan mot våld i nära relationer 2021–2023",
        ),
        source_ref="seed 004 line 380",
    ),
    DemoGoal(
        level="committee",
        code="3.1",
        title="Nämndens insatser är förebyggande och stöttar till ett självständigt liv",
        goal_area="Södertäljes medborgare",
        direction=(
            "Socialnämndens verksamheter ska genom förebyggande arbete säkerställa att social "
            "problematik upptäcks så att tidiga insatser kan ges. Nämnden ska verka för att barn "
            "och unga växer upp under trygga förhållanden.\n"
            "Enskilda i behov av ekonomiskt bistånd ska rustas för att blir en del av "
            "arbetsmarknaden och nå egen försörjning. De enskilda som har betydande svårigheter i "
            "sin livsföring på grund av missbruk eller psykisk ohälsa ska få möjlighet att delta i "
            "samhällets gemenskap och leva som andra.\n"
            "Socialnärmndens verksamheter ska ha ett jämlikhetsperspektiv utifrån "
            "diskrimineringsgrunderna och bidra till en minskad problematik avseende våld i nära "
            "relation och hedersrelaterat våld och förtryck."
        ),
        parent="3",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # seed line 483: minst 70 procent
        indicators=("SN-3.1.1", "SN-3.1.2", "SN-3.1.3"),
        source_ref="seed 004 line 454",
    ),
    DemoGoal(
        level="committee",
        code="3.2",
        title=(
            "Nämndens verksamheter arbetar förebyggande mot våld i nära relationer och "
            "hedersrelaterat våld och förtryck"
        ),
        goal_area="Södertäljes medborgare",
        # The seed prints one "Nämndens inriktning" for KF goal 3 (on the 3.1 page, line 442); its
        # last paragraph is this goal's theme, so it is repeated here.
        direction=(
            "Socialnämndens verksamheter ska genom förebyggande arbete säkerställa att social "
            "problematik upptäcks så att tidiga insatser kan ges. Nämnden ska verka för att barn "
            "och unga växer upp under trygga förhållanden.\n"
            "Enskilda i behov av ekonomiskt bistånd ska rustas för att blir en del av "
            "arbetsmarknaden och nå egen försörjning. De enskilda som har betydande svårigheter i "
            "sin livsföring på grund av missbruk eller psykisk ohälsa ska få möjlighet att delta i "
            "samhällets gemenskap och leva som andra.\n"
            "Socialnärmndens verksamheter ska ha ett jämlikhetsperspektiv utifrån "
            "diskrimineringsgrunderna och bidra till en minskad problematik avseende våld i nära "
            "relation och hedersrelaterat våld och förtryck."
        ),
        parent="3",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.75",
        },  # seed line 542: minst 75 procent
        indicators=("SN-3.2.1", "SN-3.2.2", "SN-3.2.3"),
        source_ref="seed 004 line 549",
    ),
    DemoGoal(
        level="council",
        code="4",
        title="Medborgarna får en god service och hög tillgänglighet",
        goal_area="Södertäljes medborgare",
        description=(
            "Södertälje kommuns verksamheter ska kännetecknas av god service och hög "
            "tillgänglighet. Verksamheterna ska ständigt sträva efter att leverera bra kvalitet. "
            "Av särskild vikt är kvaliteten i kommunens välfärdsverksamheter som ska präglas av "
            "trygghet, värdighet och respekt. När man är i behov av omsorg ska samhället finnas "
            "där som ett stöd.\n"
            "I sina kontakter med kommunen ska medborgarna ges ett gott bemötande, samt ha lätt "
            "att få information om kommunens uppdrag, tjänster och åtaganden. Svar på frågor och "
            "synpunkter ska ges skyndsamt. Det ska finnas möjlighet att inhämta information och "
            "göra ärenden så enkelt och snabbt som möjligt, till exempel via e-tjänster och "
            "digitala verktyg."
        ),
        rule={"kind": "all_children"},  # choice: single committee goal
        related_plans=("Digitaliseringsstrategi 2019–2022 (aktuell för förlängning)",),
        source_ref="seed 004 line 554",
    ),
    DemoGoal(
        level="committee",
        code="4.1",
        title="Nämndens verksamheter är tillgängliga och ger god service",
        goal_area="Södertäljes medborgare",
        direction=(
            "Nämndens verksamheter ska vara tillgängliga för olika behov och livssituationer. Det "
            "ska vara enkelt att kontakta socialtjänsten på det sätt som enskilda föredrar. "
            "Digitala tjänster ska vara ett alternativ till andra kontaktvägar. Information som "
            "lämnas av socialtjänsten ska vara lätt att förstå och tillhandahållas på flera "
            "språk.\n"
            "Kontakten och dialogen med enskilda som söker stöd hos socialtjänsten ska bygga på "
            "respekt för människors lika värde, individens självbestämmande och integritet. "
            "Väntetider för att få stöd och hjälp hos socialtjänsten ska vara rimliga utifrån den "
            "enskildes perspektiv.\n"
            "En viktig del av en tillgänglig socialtjänst är öppna insatser. Låga trösklar till "
            "socialtjänsten kan bidra till att fler söker hjälp i tid."
        ),
        parent="4",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.75",
        },  # seed line 658: minst 75 procent
        indicators=("SN-4.1.1", "SN-4.1.2", "SN-4.1.3", "SN-4.1.4", "SN-4.1.5"),
        source_ref="seed 004 line 651",
    ),
    # --- Målområde: Attraktiva Södertälje ----------------------------------------------------
    DemoGoal(
        level="council",
        code="5",
        title=(
            "Södertälje är en trygg och attraktiv kommun att bo i, att driva företag i och är en "
            "plats som attraherar studenter och besökare"
        ),
        goal_area="Attraktiva Södertälje",
        description=(
            "Södertälje ska vara och upplevas som en attraktiv plats att leva och bo i – en plats "
            "där människor trivs. Vi ska bidra till en hög livskvalitet genom att erbjuda bra "
            "förutsättningar för ett rikt kultur-, fritids- och idrottsliv, bra skolor, bostäder, "
            "en väl fungerande infrastruktur liksom många spännande arbetsmöjligheter. Genom ett "
            "starkt näringsliv skapas fler arbetstillfällen, tillväxt, bra service och en ökad "
            "attraktionskraft. Företag ska få ett bra bemötande, god service och bra möjligheter "
            "att etablera sig och växa här. Kvinnor ska ha samma möjligheter som män att starta "
            "och driva företag som kan växa. Södertäljes invånare ska kunna utvecklas och "
            "besökare ska hitta många attraktiva besöksmål och evenemang i Södertälje. Kommunen "
            "ska marknadsföra Södertäljes besöksmål.\n"
            "Södertälje kommun ska vara känt för att vara en välkomnande plats som erbjuder en "
            "genuin stadskärna och vacker natur kombinerat med en levande landsbygd och för att "
            "vara en plats där världarna möts. Världsledande medicintillverkning, lastbilar och "
            "bussar samt hållbara livsmedel är några näringsområden som utmärker Södertälje "
            "kommunen och bidrar till att göra den attraktiv."
        ),
        rule={"kind": "all_children"},  # choice: single committee goal
        related_plans=("Näringslivsstrategin 2021–2025", "Översiktsplanen 2013–2030"),
        source_ref="seed 004 line 664",
    ),
    DemoGoal(
        level="committee",
        code="5.1",
        title="Nämndens verksamheter har trygghetsskapande insatser",
        goal_area="Attraktiva Södertälje",
        direction=(
            "Nämndens verksamheter ska bidra till ett attraktivt Södertälje genom "
            "trygghetsskapande insatser. Nämndens verksamhet ska utföra ett arbete som är "
            "rättssäkert. Med en rättsäkerhet i arbetet kan socialtjänsten identifiera, förebygga "
            "och hantera oegentligheter som riskerar den enskildes möjligheter till rätt hjälp i "
            "rätt tid.\n"
            "Med ett fokus på uppsökande och förebyggande insatser ska nämndens verksamheter bidra "
            "till att barn, unga och familjer etablerar en god relation med samhällsbärande "
            "funktioner. Nämndens verksamheter ska möta de enskilda i den vardagliga miljö de "
            "befinner sig i och bidra till ökad trygghet inom kommunen.\n"
            "I Södertälje ska alkoholservering ske på ett ansvarsfullt och seriöst sätt, med "
            "hänsyn till människors hälsa och trygghet. Nämndens verksamhet ska genom tillsyn av "
            "restauranger och festvåningar bidra till en trygg kommun."
        ),
        parent="5",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.75",
        },  # seed line 760: minst 75 procent
        indicators=("SN-5.1.1", "SN-5.1.2", "SN-5.1.3"),
        source_ref="seed 004 line 768",
    ),
    # --- Målområde: Ekologiska hållbara kommunen Södertälje -----------------------------------
    DemoGoal(
        level="council",
        code="6",
        title="Senast 2030 är Södertälje kommun klimatneutral",
        goal_area="Ekologiska hållbara kommunen Södertälje",
        rule={"kind": "all_children"},  # choice: single committee goal
        source_ref="seed 004 line 774",
    ),
    DemoGoal(
        level="committee",
        code="6.1",
        title="Nämndens verksamheter är miljömedvetna gällande transport",
        goal_area="Ekologiska hållbara kommunen Södertälje",
        direction=(
            "Socialnämndens verksamhet ska bidra till ett stärkt klimat- och miljöarbete inom "
            "kommunen. Verksamheten kan bidra till det önskade läget genom såväl direkt som "
            "indirekt påverkan. En minskad miljö- och klimatpåverkan av socialnämndens egna "
            "verksamheter ska ske genom en ökad medvetenhet och hållbara arbetssätt.\n"
            "Socialnämnden har fokus på områden där nämndens verksamhet har störst miljöpåverkan "
            "och strävar efter att kontinuerligt förbättra miljöprestandan genom klimatsmart "
            "resande."
        ),
        parent="6",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.50",
        },  # seed line 822: minst 50 procent
        indicators=("SN-6.1.1", "SN-6.1.2"),
        source_ref="seed 004 line 853",
    ),
    DemoGoal(
        level="council",
        code="7",
        title="Den biologiska mångfalden stärks i Södertälje kommun",
        goal_area="Ekologiska hållbara kommunen Södertälje",
        # The seed prints this text (and the related plans) in the KF 7 section; KF 6 has none.
        description=(
            "Kommunens egna verksamheter ska sträva efter att ligga i framkant i klimat- och "
            "miljöarbetet. Kommunen ska aktivt ta tillvara möjligheterna att begränsa "
            "miljöpåverkan och skapa lösningar och infrastruktur som underlättar för medborgare, "
            "verksamheter och företag att göra hållbara val. Viktiga metoder är att hitta former "
            "för samverkan med näringslivet för att få samsyn i klimatarbetet och arbeta efter en "
            "plan för att minska koldioxidutsläppen. Ansvarsfull energianvändning, minskade "
            "utsläpp, medveten konsumtion och höga miljökrav vid upphandling är viktiga delar i "
            "ett hållbart samhälle.\n"
            "Klimatanpassning och värdet av ekosystemtjänster ska beaktas i samhällsplaneringen "
            "för att säkerställa långsiktigt hållbara lösningar."
        ),
        rule={"kind": "all_children"},  # choice: single committee goal
        related_plans=(
            "Miljö- och klimatstrategi 2022–2030",
            "Avfallsplan 2030",
            "Grönstrategi 2022–2030",
        ),
        source_ref="seed 004 line 828",
    ),
    DemoGoal(
        level="committee",
        code="7.1",
        title="Nämndens verksamheter är miljömedvetna gällande konsumtion",
        goal_area="Ekologiska hållbara kommunen Södertälje",
        direction=(
            "Socialnämndens verksamhet ska bidra till att den biologiska mångfalden stärks i "
            "kommunen. Verksamheten bidrar till det önskade läget genom såväl direkt som indirekt "
            "påverkan. Socialnämndens verksamheter ska minska sin resursförbrukning och "
            "medvetandegöra värdet av ekosystemstjänster. Ett miljömedvetet arbetssätt inom "
            "verksamheten avseende konsumtion minskar belastningen på vårt ekosystem."
        ),
        parent="7",
        # Seed line 909: "Uppföljning sker månadsvis utifrån nämndmålets indikator." — one
        # indicator, no percentage: the goal follows its single indicator.
        rule={"kind": "share_of_indicators", "threshold": "1.00"},  # choice
        indicators=("SN-7.1.1",),
        source_ref="seed 004 line 924",
    ),
    # --- Målområde: God ekonomi och effektiv organisation -------------------------------------
    DemoGoal(
        level="council",
        code="8",
        title="Södertälje kommun har en god ekonomisk hushållning",
        goal_area="God ekonomi och effektiv organisation",
        description=(
            "God hushållning och långsiktig ekonomisk hållbarhet ska råda i hela "
            "kommunkoncernen och verksamheterna ska bedrivas ändamålsenligt och effektivt. Alla "
            "delar i kommunkoncernen ska vara framåtsyftande i sina ekonomiska åtaganden och "
            "sträva efter att inte lämna över kostnader och svåra prioriteringar till kommande "
            "generationer.\n"
            "Ordning och reda i ekonomin är en förutsättning för kvalitetsutveckling i "
            "verksamheter, såväl för kommunala utförare och kommunala bolag, som för verksamheter "
            "som på kommunens uppdrag bedrivs av privata utförare.\n"
            "Specifikt för ekonomistyrningen följer kommunfullmäktige upp nedanstående mått på "
            "ekonomisk stabilitet. Den förväntade trenden är en bedömning. En oförändrad trend kan "
            "bestå av en svag upp- eller nedgång."
        ),
        rule={"kind": "all_children"},  # choice: single committee goal
        related_plans=(
            "Riktlinjer för God Ekonomisk Hushållning",
            (
                "Fullmäktiges program för mål och riktlinjer för privata utförare 2019–2022, "
                "(revidering pågår)"
            ),
            "Digitaliseringsstrategi 2019–2022 (aktuell för förlängning)",
            "Handlingsplan för stävjande av fusk och bedrägeri 2015-tills vidare",
        ),
        source_ref="seed 004 line 930",
    ),
    DemoGoal(
        level="committee",
        code="8.1",
        title="Nämndens verksamheter är resurseffektiva",
        goal_area="God ekonomi och effektiv organisation",
        direction=(
            "Socialnämndens verksamhet ska ha god hushållning och långsiktig ekonomisk "
            "hållbarhet. Verksamheternas insatser ska vara resurseffektiva med den enskildes behov "
            "i fokus. En tydlig arbetsfördelning och ett samordnat arbetssätt ska genomsyra "
            "nämndens verksamheter. Digitala hjälpmedel som effektiviserar och minskar "
            "resursåtgång i administrativa processer ska användas. Insatser som används inom "
            "verksamheten ska vara ändamålsenliga och visa på önskad effekt."
        ),
        parent="8",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # seed line 1045: minst 70 procent
        indicators=("SN-8.1.1", "SN-8.1.2", "SN-8.1.3", "SN-8.1.4", "SN-8.1.5"),
        source_ref="seed 004 line 1002",
    ),
    # --- Målområde: Attraktiv arbetsgivare ---------------------------------------------------
    # "Målområdet gäller endast kommunstyrelsen, området konkretiseras och följs upp på
    # kontorsnivå." No committee goal: the office's indicators hang directly on KF goal 9.
    DemoGoal(
        level="council",
        code="9",
        title=(
            "Genom att vara en arbetsgivare som kännetecknas av god arbetsmiljö, jämställdhet och "
            "likvärdighet kan Södertälje kommun rekrytera, behålla och utveckla medarbetare med "
            "rätt kompetens"
        ),
        goal_area="Attraktiv arbetsgivare",
        description=(
            "Södertälje kommun ska vara en attraktiv och jämställd arbetsgivare. Kommunen ska "
            "erbjuda utvecklande arbetsplatser, en bra arbetsmiljö och ett gott ledarskap samt "
            "villkor och förmåner som gör att vi kan attrahera och rekrytera medarbetare vilket "
            "innebär att kommunen bland annat erbjuder praktikplatser för studerande, likväl som "
            "att behålla medarbetare genom att erbjuda utvecklingsmöjligheter. Förutsättningarna "
            "för ett hållbart medarbetarengagemang ska fortsätta att stärkas.\n"
            "Under de närmaste åren finns fortsatt stora förutsättningar till utveckling och "
            "förbättringar med stöd i kompetensförsörjningsfonden och kompetensförsörjningsplanen "
            "som togs fram 2018 och nu förlängs till och med 2025. En av de viktigaste "
            "strategierna för att stärka kompetensförsörjningen är att skapa möjligheter för "
            "medarbetare till interna karriärvägar, att ta mer ansvar och vidareutvecklas i "
            "organisationen. Kommunen ska fortsatt ställa krav på att personalen har goda "
            "kunskaper i svenska. Åtgärder ska genomföras både för att säkra svenskkunskaper vid "
            "rekryteringstillfället och för att utveckla språkkunskaper hos befintliga "
            "medarbetare.\n"
            "Ledarskapet är en avgörande faktor för möjligheten att lyckas som arbetsgivare. I "
            "förvaltningen har principer för chefsuppdragen fastställts, i syfte att säkerställa "
            "att hela organisationen utvecklas i riktning mot att chefer i samtliga verksamheter "
            "har ett rimligt antal medarbetare. Antalet medarbetare per chef är relevant för "
            "chefers förutsättningar att kunna utöva ett bra ledarskap såväl som för "
            "medarbetarnas möjlighet till bra dialog och återkoppling. Vårt "
            "arbetsgivarerbjudande vad gäller chefsuppdragen i kommunen är därmed lika viktigt "
            "att stärka vid rekrytering av chefer som i övrig personalförsörjning. Kompetens "
            "kommer alltid i första hand vid rekryteringar, men vi ser ett långsiktigt värde med "
            "att en ökad andel chefer har god kunskap om lokalområdet och på sikt är bosatta i "
            "Södertälje kommun.\n"
            "En jämställd arbetsgivarpolitik ska motverka skillnader i arbetsvillkoren mellan "
            "mans- och kvinnodominerade arbetsplatser.\n"
            "Arbetsmiljöfrågorna är av avgörande betydelse, för att kommunen ska vara en bra "
            "arbetsgivare. Den som är anställd ska känna sig trygg och trivas med sitt arbete. "
            "Södertälje kommun ska fortsätta säkra det långsiktiga hälsoarbetet så att den trend "
            "med sjunkande sjukfrånvaro som fanns innan pandemin, återvänder och består.\n"
            "Kommunens förvaltning och bolag ska i hög grad samverka kring arbetsgivarfrågor.\n"
            "Det är av största vikt att säkra tilliten till den kommunala organisationens "
            "förvaltning och bolag. Kommunen ska som ett led i det stärka arbetet med "
            "bakgrundskontroller, bland annat för att motverka organiserad brottslighet."
        ),
        direction=(
            "Målområdet gäller endast kommunstyrelsen, området konkretiseras och följs upp på "
            "kontorsnivå.\n"
            "Socialkontoret ska attrahera, rekrytera, behålla och utveckla verksamheternas "
            "medarbetare. Socialkontorets möjligheter att rekrytera och behålla medarbetare är en "
            "avgörande faktor för att etablera och bibehålla en god kvalitet. En utveckling av "
            "traineeprogrammet ska underlätta rekrytering och bidra till en trygg och omfattande "
            "introduktion av nyanställda. Ett kontinuerligt arbete där medarbetarens mående och "
            "trivsel uppmärksammas ska bidra till att medarbetares engagemang stärks.\n"
            "Socialkontoret ska stärka det transformerande ledarskapet inom samtliga verksamheter "
            "i syfte att kunna ge medarbetare det stöd och den utveckling som behövs för "
            "yrkesrollen. Möjlighet till kompetensutveckling säkerställs genom socialnämndens "
            "kompetensförsörjningsplan.\n"
            "Kontoret följer upp målområdets indikatorer per tertial. Socialnämnden hålls "
            "informerade om utfallet."
        ),
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule for KF 9; default 70 %
        indicators=("SN-9.1", "SN-9.2", "SN-9.3", "SN-9.4"),
        related_plans=(
            "Kompetensförsörjningsplan 2022 - 2025",
            "Handlingsplan – heltid som norm 2021 - 2024",
        ),
        source_ref="seed 004 line 1053",
    ),
)


# ---------------------------------------------------------------------------------------------
# Österåker 0117 — Socialnämndens verksamhetsplan 2019 (seed 003)
# Bilaga A columns: Utfall 16 | Budget 17 | Prognos 17 | Budget 18 | Budget 19 |
# Måluppfyllelse (Målnivå) 2018-20 | Kommentar. Empty cells vanished in the conversion; rows
# ending in two target values are read as (Budget 19, Målnivå 2018-20), which matches the body
# text ("Målet för personalomsättningen är fortsatt 12 % för 2019", "målsättning för 2019 är att
# andelen nöjda ska öka ytterligare"). The first value of a row with an outcome is Utfall 16.
# The seed states no goal-fulfilment rule.
# ---------------------------------------------------------------------------------------------

_OSTERAKER_INDICATORS: tuple[DemoIndicator, ...] = (
    # --- Resultatmål 1.1 ---------------------------------------------------------------------
    DemoIndicator(
        code="SN-1.1.1",
        # seed comment column: SCBs medborgarundersökning kategori "stöd till utsatta", index
        title="NKI medborgarundersökning",
        unit="index",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",
        gender_split=False,  # choice
        source="SCB medborgarundersökning",
        baseline_value=Decimal("41"),
        baseline_period="2016",  # Utfall 16 column
        baseline_text="41",
        targets=(DemoTarget(2019, "42", "at_least", value=Decimal("42")),),
        source_ref="seed 003 line 720",
    ),
    DemoIndicator(
        code="SN-1.1.2",
        title="SKLs brukarundersökning IFO",
        unit="percent",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",
        gender_split=False,  # choice
        source="Kolada",  # seed: "Avser helhetssyn (se Kolada)"; SKL brukarundersökning IFO
        baseline_value=Decimal("88"),
        # choice: first column = Utfall 16; the body text says 89 % in SKL's 2017 survey
        baseline_period="2016",
        baseline_text="88%",
        # "plus 1 %" most likely means +1 percentage point (88 → 89 %); not a relative change,
        # so change is left None. Målnivå 2018-20 reads "behålla nivån".
        targets=(DemoTarget(2019, "plus 1 %", "increase"),),
        source_ref="seed 003 line 726",
    ),
    DemoIndicator(
        code="SN-1.1.3",
        title="personalomsättning",
        unit="percent",
        polarity="lower_is_better",
        periodicity="year",
        aggregation="last",  # choice: yearly turnover figure from HR
        gender_split=False,
        source="Personalenheten",  # seed: "Metod; statitstik från personalenheten"
        baseline_value=Decimal("30"),
        baseline_period="2016",  # body text: "Under 2016 var omsättningen 30 %"
        baseline_text="30%",
        targets=(DemoTarget(2019, "12%", "at_most", value=Decimal("12")),),
        source_ref="seed 003 line 728",
    ),
    DemoIndicator(
        code="SN-1.1.4",
        title="antal nya e-tjänster",
        unit="count",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="sum",
        gender_split=False,
        source="Egen-kontroll",  # choice: seed names no source
        targets=(DemoTarget(2019, "minst 1", "at_least", value=Decimal("1")),),
        source_ref="seed 003 line 730",
    ),
    # --- Resultatmål 2.1 ---------------------------------------------------------------------
    DemoIndicator(
        code="SN-2.1.1",
        title="budgetavvikelse i förhållande till utfall",  # seed: "Avvikelse/nettobudget"
        unit="percent",
        # choice: positive deviation = surplus; the goal is no negative deviation
        polarity="higher_is_better",
        periodicity="month",  # body text: "månatlig uppföljning av avvikelser från budget"
        aggregation="last",
        gender_split=False,
        source="ERP",  # choice: seed names no system
        baseline_value=Decimal("4.4"),
        baseline_period="2016",  # Utfall 16 column
        baseline_text="plus 4,4%",
        # "100%" is written as goal attainment (no negative deviation). On the deviation scale
        # of the baseline that is deviation >= 0, which is what the value encodes.
        targets=(
            DemoTarget(2019, "100%", "at_least", value=Decimal("0")),
        ),  # choice: see comment above
        source_ref="seed 003 line 734",
    ),
    DemoIndicator(
        code="SN-2.1.2",
        title="fastställd åtgärdsplan vid eventuell negativ avvikelse",
        unit="percent",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",
        gender_split=False,
        source="Egen-kontroll",  # choice
        baseline_period="2016",
        baseline_text="ej aktuellt",
        targets=(DemoTarget(2019, "100%", "at_least", value=Decimal("100")),),
        source_ref="seed 003 line 739",
    ),
    # --- Resultatmål 3.1 ---------------------------------------------------------------------
    DemoIndicator(
        code="SN-3.1.1",
        title=(
            'barn som erbjuds insats inom ramen för projektet "problematisk '
            'skolfrånavro" som återgår till skolan'
        ),
        unit="percent",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",  # choice: share measured at follow-up of granted interventions
        gender_split=False,
        source="Egen-kontroll",  # seed: "Mäts genom uppföljning av beviljade insatser"
        targets=(DemoTarget(2019, "60%", "at_least", value=Decimal("60")),),
        source_ref="seed 003 line 750",
    ),
    # --- Resultatmål 4.1 ---------------------------------------------------------------------
    DemoIndicator(
        code="SN-4.1.1",
        title="upplevd livskvalité hos äldre (65år och äldre) med missbruk som fått insatser",
        unit="percent",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",
        gender_split=False,
        source="Egen-kontroll",  # seed: "Ny indikator. Ska mätas gnm enkät/intervjuer"
        targets=(DemoTarget(2019, "70%", "at_least", value=Decimal("70")),),
        source_ref="seed 003 line 768",
    ),
    # --- Resultatmål 5.1 ---------------------------------------------------------------------
    DemoIndicator(
        code="SN-5.1.1",
        title="upplevd nöjdhet och trygghet hos vuxna som tagit emot insats",
        unit="percent",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",
        gender_split=False,
        source="Egen-kontroll",  # seed: "Mäts genom intervju med klienterna"
        targets=(DemoTarget(2019, "75%", "at_least", value=Decimal("75")),),
        source_ref="seed 003 line 778",
    ),
    DemoIndicator(
        code="SN-5.1.2",
        title=(
            "Familjer med barn som fullföljer beviljad insats "
            "(vid förekomst av våld i nära relationer)"
        ),
        unit="percent",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",
        gender_split=False,
        source="Egen-kontroll",  # seed: "Metod: Analys avslutsorsak vid erbjuden insats"
        targets=(DemoTarget(2019, "100%", "at_least", value=Decimal("100")),),
        source_ref="seed 003 line 787",
    ),
    # --- Resultatmål 6.1 ---------------------------------------------------------------------
    DemoIndicator(
        code="SN-6.1.1",
        title=(
            "Antal aktiviteter genomförda inom förvaltningen "
            "med syfte att öka kunskap om kommunens miljömål"
        ),
        unit="count",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="sum",
        gender_split=False,
        source="Egen-kontroll",  # choice
        targets=(DemoTarget(2019, "minst 2", "at_least", value=Decimal("2")),),
        source_ref="seed 003 line 809",
    ),
    # --- Resultatmål 7.1 ---------------------------------------------------------------------
    DemoIndicator(
        code="SN-7.1.1",
        title=(
            "Andel yttranden som Socialnämnden lämnat vid "
            "planering av nya bostäder och byggnationer."
        ),
        unit="percent",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",  # choice: could be ratio (statements / planning referrals)
        gender_split=False,
        source="Egen-kontroll",  # choice
        targets=(DemoTarget(2019, "100%", "at_least", value=Decimal("100")),),
        source_ref="seed 003 line 825",
    ),
    DemoIndicator(
        code="SN-7.1.2",
        title="årlig boendeprognos",
        unit="percent",
        polarity="higher_is_better",
        periodicity="year",
        aggregation="last",
        gender_split=False,
        source="Egen-kontroll",  # choice
        targets=(DemoTarget(2019, "100%", "at_least", value=Decimal("100")),),
        source_ref="seed 003 line 833",
    ),
)

_OSTERAKER_GOALS: tuple[DemoGoal, ...] = (
    DemoGoal(
        level="council",
        code="1",
        title=(
            "Invånarna ska uppleva en professionell service av högsta kvalitet och ett gott "
            "bemötande i all kommunal service."
        ),
        description="1. Professionell service av högsta kvalitét och ett gott bemötande",
        rule={"kind": "all_children"},  # choice: seed silent; one resultatmål per inriktningsmål
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 713",
    ),
    DemoGoal(
        level="committee",
        code="1.1",
        title="Nöjdhet med service och bemötande ska öka",
        description=(
            "Målbilaga: Nöjdheten med förvaltningens service och bemötande ska öka. "
            "Kommuninvånarnas och brukarnas upplevelse av förvaltningens service och bemötande "
            "kommer att mätas och följas upp med hjälp av SCBs medborgarundersökning och SKLs "
            "brukarundersökning. Målet för personalomsättningen är fortsatt 12 % för 2019."
        ),
        parent="1",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-1.1.1", "SN-1.1.2", "SN-1.1.3", "SN-1.1.4"),
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 99",
    ),
    DemoGoal(
        level="council",
        code="2",
        title="Österåker ska ha en ekonomi i balans.",
        description="2. Ekonomi i balans",
        rule={"kind": "all_children"},  # choice
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 731",
    ),
    DemoGoal(
        level="committee",
        code="2.1",
        title="Nämnden ska redovisa en budget i balans vid bokslut",
        description=(
            "Målbilaga: Nämnden ska inte redovisa någon negativ budgetavvikelse vid bokslut. "
            "Måluppfyllelse kommer att mätas genom månatlig uppföljning av avvikelser från budget. "
            "Vid en eventuell avvikelse kommer en plan att tas fram för åtgärd."
        ),
        parent="2",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-2.1.1", "SN-2.1.2"),
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 153",
    ),
    DemoGoal(
        level="council",
        code="3",
        title="Österåker ska vara bästa skolkommun i länet.",
        description="3. Bästa skolkommun i länet",
        rule={"kind": "all_children"},  # choice
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 744",
    ),
    DemoGoal(
        level="committee",
        code="3.1",
        title="Antalet barn med problematisk skolfrånvaro ska minska",
        description=(
            "Projektet kommer att utvärderas genom att följa upp de barn som beviljats insatser "
            "inom ramen för projektet. Målsättningen är att minst 60 % av barnen ska visa på ökad "
            "skolnärvaro efter insatsens avslut. Projektperiod 2017-2019."
        ),
        parent="3",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-3.1.1",),
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 181",
    ),
    DemoGoal(
        level="council",
        code="4",
        title=(
            "Österåker ska erbjuda högsta kvalitet på omsorg för äldre och personer med "
            "funktionsnedsättning."
        ),
        description="4. Högsta kvalitet på omsorg för äldre och personer med funktionsnedsättning",
        rule={"kind": "all_children"},  # choice
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 760",
    ),
    DemoGoal(
        level="committee",
        code="4.1",
        title=(
            "Äldre personer med missbruk ska genom socialtjänstens "
            "insatser uppleva en ökad livskvalité"
        ),
        description=(
            "För att mäta måluppfyllelse kommer personer som är 65 år eller äldre och som "
            "erbjudits insatser att få svara på en enkät med frågor om upplevd livskvalité. Vidare "
            "kommer analyser av omfattningen av extern heldygnsomsorg för målgruppen att "
            "genomföras."
        ),
        parent="4",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-4.1.1",),
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 218",
    ),
    DemoGoal(
        level="council",
        code="5",
        title="Österåker ska ha en trygg miljö.",
        description="5. Trygg miljö",
        rule={"kind": "all_children"},  # choice
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 774",
    ),
    DemoGoal(
        level="committee",
        code="5.1",
        title=(
            "Våldsutsatta personer och barn som utsatts för eller bevittnat våld i nära relationer "
            "ska erbjudas hjälp och stöd"
        ),
        description=(
            "Måluppfyllelse kommer att mätas genom att intervjua våldsutsatta vuxna om hur de "
            "upplevde det stöd de fått och huruvida deras situation blivit tryggare efter "
            "insatsen. Även det stöd som erbjuds familjer med barn kommer att följas upp. "
            "Målsättningen är att samtliga familjer som, efter utredning, erbjuds en insats på "
            "grund av våld i familjen ska välja att fullfölja denna."
        ),
        parent="5",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-5.1.1", "SN-5.1.2"),
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 250",
    ),
    DemoGoal(
        level="council",
        code="6",
        title=(
            "Österåker ska utveckla ett långsiktigt hållbart samhälle där goda förutsättningar "
            "ges för människa, miljö och natur att samverka."
        ),
        description="6. Långsiktigt hållbart samhälle",
        rule={"kind": "all_children"},  # choice
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 797",
    ),
    DemoGoal(
        level="committee",
        code="6.1",
        title="Socialnämndens verksamhet ska drivas på ett för miljön hållbart sätt",
        description=(
            "Alternativ: Nämndens ska utveckla sitt miljöarbete i linje med kommunens miljömål. "
            "Måluppfyllelse kommer att mätas genom antalet aktiviteter som genomförs inom "
            "förvaltningen i syfte att öka medvetenheten kring miljöpåverkan avseende "
            "upphandling, resor och inköp."
        ),
        parent="6",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-6.1.1",),
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 291",
    ),
    DemoGoal(
        level="council",
        code="7",
        title=(
            "Stark och balanserad tillväxt - Tillväxten skall vara ekologiskt, socialt och "
            "ekonomiskt hållbar."
        ),
        description=(
            "7. Stark och balanserad tillväxt som är ekologiskt, socialt och ekonomiskt hållbar"
        ),
        rule={"kind": "all_children"},  # choice
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 818",
    ),
    DemoGoal(
        level="committee",
        code="7.1",
        title=(
            "Socialnämnden skall medverka i kommunens samhällsplanering "
            "för att belysa sociala aspekter"
        ),
        description=(
            "Måluppfyllelse kommer att mätas genom andelen yttrande som nämnden lämnat i samband "
            "med planering av nya bostäder. Socialnämnden redovisar sin bedömning av kommunens "
            "behov av bostäder utifrån socialtjänstens målgrupper i en boendeprognos (bilaga)."
        ),
        parent="7",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-7.1.1", "SN-7.1.2"),
        valid_from_year=2019,
        valid_to_year=2019,
        source_ref="seed 003 line 325",
    ),
)


# ---------------------------------------------------------------------------------------------
# Östersund 2380 — Social- och arbetsmarknadsnämndens verksamhetsplan 2022 (seed 000), §4
# "Nyckeltal": "Nämnden ska löpande följa upp nedanstående nyckeltal" — political KPIs per
# kommunövergripande mål (the council's numbering 3, 4, 6, 8 is kept). The seed gives no
# targets, no baselines and no Kolada ids. Kolada KPIs are published yearly → periodicity
# "year", aggregation "last" (choice). Kolada ids filled in by us (not named in the seed) are
# marked "# kolada id: ours"; the rest are left None rather than guessed.
# ---------------------------------------------------------------------------------------------


def _ostersund_kpi(
    code: str,
    title: str,
    unit: str,
    polarity: Literal["higher_is_better", "lower_is_better", "target_is_best"],
    gender_split: bool,
    line: int,
    kolada_kpi: str | None = None,
    source: str = "Kolada",
    periodicity: Literal["month", "tertial", "year"] = "year",
    aggregation: Literal["sum", "mean", "last", "ratio"] = "last",
) -> DemoIndicator:
    return DemoIndicator(
        code=code,
        title=title,
        unit=unit,
        polarity=polarity,
        periodicity=periodicity,
        aggregation=aggregation,
        gender_split=gender_split,
        source=source,
        kolada_kpi=kolada_kpi,
        source_ref=f"seed 000 line {line}",
    )


_OSTERSUND_INDICATORS: tuple[DemoIndicator, ...] = (
    # --- Mål 3 ----------------------------------------------------------------------------
    _ostersund_kpi(
        "SN-3.1",
        "Arbetslöshet 16-64 år i kommunen, andel (%) av registerbaserad arbetskraft",
        "percent",
        "lower_is_better",
        True,
        316,
    ),
    _ostersund_kpi(
        "SN-3.2",
        "Långtidsarbetslöshet 25-64 år i kommunen, andel (%) av bef.",
        "percent",
        "lower_is_better",
        True,
        319,
    ),
    _ostersund_kpi(
        "SN-3.3",
        "Långtidsarbetslöshet 25-64 år, årsmedelvärde, andel (%) av bef.",
        "percent",
        "lower_is_better",
        True,
        321,
        kolada_kpi="N03926",
    ),  # kolada id: ours
    _ostersund_kpi(
        "SN-3.4",
        "Arbetslöshet 16-24 år i kommunen, andel (%) av registerbaserad arbetskraft",
        "percent",
        "lower_is_better",
        True,
        323,
    ),
    _ostersund_kpi(
        "SN-3.5",
        "Invånare 16-24 år som varken arbetar eller studerar, andel (%)",
        "percent",
        "lower_is_better",
        True,
        326,
    ),
    _ostersund_kpi(
        "SN-3.6",
        "Ungdomar som är etablerade på arbetsmarknaden eller studerar 2 år efter fullföljd "
        "gymnasieutbildning, hemkommun, andel (%)",
        "percent",
        "higher_is_better",
        True,
        328,
    ),
    _ostersund_kpi(
        "SN-3.7",
        "Resultat vid avslut i kommunens arbetsmarknadsverksamhet, deltagare som börjat "
        "arbeta eller studera, andel (%)",
        "percent",
        "higher_is_better",
        True,
        331,
    ),
    _ostersund_kpi(
        "SN-3.8",
        "Lämnat etableringsuppdraget och börjat arbeta eller studera (status efter 90 dagar), "
        "andel (%)",
        "percent",
        "higher_is_better",
        True,
        334,
    ),
    # --- Mål 4 ----------------------------------------------------------------------------
    _ostersund_kpi(
        "SN-4.1",
        "Elever på SFI som klarat minst två kurser, av nybörjare två år tidigare, andel (%)",
        "percent",
        "higher_is_better",
        True,
        342,
    ),
    # --- Mål 6 ----------------------------------------------------------------------------
    _ostersund_kpi(
        "SN-6.1",
        "Brukarbedömning individ- och familjeomsorg totalt - förbättrad situation, andel (%)",
        "percent",
        "higher_is_better",
        False,
        349,
    ),
    _ostersund_kpi(
        "SN-6.2",
        "Kostnad individ- och familjeomsorg, kr/inv",
        "sek",
        "lower_is_better",
        False,
        352,
        kolada_kpi="N30101",
    ),  # kolada id: ours; polarity choice
    _ostersund_kpi(
        "SN-6.3",
        "Nettokostnadsavvikelse individ- och familjeomsorg, (%)",
        "percent",
        "lower_is_better",
        False,
        354,
        kolada_kpi="N30001",
    ),  # kolada id: ours; polarity choice
    _ostersund_kpi(
        "SN-6.4",
        "Invånare 0-19 år i ekonomiskt utsatta hushåll, andel (%)",
        "percent",
        "lower_is_better",
        True,
        356,
        kolada_kpi="N02904",
    ),  # kolada id: ours
    _ostersund_kpi(
        "SN-6.5",
        "Ej återaktualiserade vuxna personer med försörjningsstöd ett år efter avslutat "
        "försörjningsstöd, andel (%)",
        "percent",
        "higher_is_better",
        True,
        358,
    ),
    _ostersund_kpi(
        "SN-6.6",
        "Väntetid i antal dagar från ansökan vid nybesök till beslut inom försörjningsstöd, "
        "medelvärde",
        "days",
        "lower_is_better",
        False,
        361,
    ),
    _ostersund_kpi(
        "SN-6.7",
        "Vuxna biståndsmottagare med långvarigt ekonomiskt bistånd, andel (%) av befolkningen",
        "percent",
        "lower_is_better",
        True,
        364,
    ),
    _ostersund_kpi(
        "SN-6.8", "Effektivitetsindex ekonomiskt bistånd", "index", "higher_is_better", False, 367
    ),
    # --- Mål 8 ----------------------------------------------------------------------------
    _ostersund_kpi(
        "SN-8.1",
        "Hållbart medarbetarengagemang, HME",
        "index",
        "higher_is_better",
        True,
        372,
        source="HR",
    ),  # choice: committee-level HME from the employee survey
    _ostersund_kpi(
        "SN-8.2",
        "Sjukfrånvaro helår i %",
        "percent",
        "lower_is_better",
        True,
        374,
        source="HR",  # choice: HR system
        periodicity="month",
        aggregation="ratio",
    ),  # sick leave → ratio of hours, monthly
)

_OSTERSUND_GOALS: tuple[DemoGoal, ...] = (
    DemoGoal(
        level="council",
        code="3",
        title=(
            "I Östersunds kommun har vi ett positivt företagsklimat "
            "och medborgarna har arbete och bostad"
        ),
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-3.1", "SN-3.2", "SN-3.3", "SN-3.4", "SN-3.5", "SN-3.6", "SN-3.7", "SN-3.8"),
        valid_from_year=2022,
        valid_to_year=2022,
        source_ref="seed 000 line 312",
    ),
    DemoGoal(
        level="council",
        code="4",
        title=(
            "I Östersunds kommun ska alla barn och elever klara sin utbildning, nå sin "
            "gymnasieexamen och utmanas i sitt livslånga lärande"
        ),
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-4.1",),
        valid_from_year=2022,
        valid_to_year=2022,
        source_ref="seed 000 line 337",
    ),
    DemoGoal(
        level="council",
        code="6",
        title=(
            "I Östersunds kommun får medborgarna stöd, vård "
            "och omsorg och lever ett självständigt liv"
        ),
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-6.1", "SN-6.2", "SN-6.3", "SN-6.4", "SN-6.5", "SN-6.6", "SN-6.7", "SN-6.8"),
        valid_from_year=2022,
        valid_to_year=2022,
        source_ref="seed 000 line 345",
    ),
    DemoGoal(
        level="council",
        code="8",
        title="I Östersund är kommunen en modern och attraktiv arbetsgivare",
        rule={
            "kind": "share_of_indicators",
            "threshold": "0.70",
        },  # choice: seed states no rule; DOMAIN default
        indicators=("SN-8.1", "SN-8.2"),
        valid_from_year=2022,
        valid_to_year=2022,
        source_ref="seed 000 line 369",
    ),
)


PLANS: tuple[DemoPlan, ...] = (
    DemoPlan(municipality="0181", goals=_SODERTALJE_GOALS, indicators=_SODERTALJE_INDICATORS),
    DemoPlan(municipality="0117", goals=_OSTERAKER_GOALS, indicators=_OSTERAKER_INDICATORS),
    DemoPlan(municipality="2380", goals=_OSTERSUND_GOALS, indicators=_OSTERSUND_INDICATORS),
)
