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
  where no period is written, rules where no rule is written) are marked in the row's ``notes``
  (field → note) with a note starting "choice:".

The tables are data: ``app/demo/data/plan_<municipality>_indicators.json`` and
``…_goals.json``, each naming its seed and lines (``source``), with one row per indicator or goal
in the fields of :class:`DemoIndicator` and :class:`DemoGoal` (a field left out takes its
default; exact numbers as strings; ``section`` and ``notes`` are for the reader). A municipality
loads its own plan by writing the same two tables; ``app.demo.plans_loader`` puts them through
the services.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from app.demo.tables import read_table

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


# Fields of a row that are for the reader only.
_READER_ONLY = ("section", "notes")


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def target_of(row: dict[str, Any]) -> DemoTarget:
    return DemoTarget(
        year=row["year"],
        text=row["text"],
        kind=row["kind"],
        value=_decimal(row.get("value")),
        low=_decimal(row.get("low")),
        high=_decimal(row.get("high")),
        change=_decimal(row.get("change")),
    )


def indicator_of(row: dict[str, Any]) -> DemoIndicator:
    fields = {key: value for key, value in row.items() if key not in _READER_ONLY}
    fields["baseline_value"] = _decimal(fields.get("baseline_value"))
    fields["targets"] = tuple(target_of(target) for target in fields.get("targets", ()))
    return DemoIndicator(**fields)


def goal_of(row: dict[str, Any]) -> DemoGoal:
    fields = {key: value for key, value in row.items() if key not in _READER_ONLY}
    fields["indicators"] = tuple(fields.get("indicators", ()))
    fields["related_plans"] = tuple(fields.get("related_plans", ()))
    return DemoGoal(**fields)


def read_plan(municipality: str, directory: Path | None = None) -> DemoPlan:
    """The plan in ``plan_<municipality>_indicators.json`` and ``…_goals.json`` (in
    ``directory``, by default the demo's own data)."""
    indicators = read_table(f"plan_{municipality}_indicators.json", directory)
    goals = read_table(f"plan_{municipality}_goals.json", directory)
    return DemoPlan(
        municipality=municipality,
        owner=str(indicators.meta.get("owner", "SN")),
        goals=tuple(goal_of(row) for row in goals.rows),
        indicators=tuple(indicator_of(row) for row in indicators.rows),
    )


PLANS: tuple[DemoPlan, ...] = (read_plan("0181"), read_plan("0117"), read_plan("2380"))
