"""Demo placements: the seeds' placement tables, and generated episodes for Österåker.

Everything goes through the placement write paths the API uses (validated, audited as
``system:cli``). Idempotent like the rest of the demo data: what exists is left alone —
categories by code, providers by organisation number, aggregates by (category, org unit, month),
budgets by (category, org unit, year), episodes by (case reference, start date) — so a second run
adds nothing and never overwrites a value someone has changed since.

0117 Österåker (seed 003, "Prestationer Socialnämnden", lines 375-409; columns Utfall 2017,
Budget 2018, Prognos 2018, Budget 2019, Plan 2020, Plan 2021)
    * The 2017 outcome as monthly aggregates, source "seed 003": each year's care days spread over
      the months by their length (HVB-placeringar Barn: 2 920 days = 8 × the days of each month),
      the net cost in proportion to the days, December taking the öre left over — so the 2017
      follow-up gives back the table: 2 920 days, 8.0 placements, 7 894 tkr, 2 703 kr/day.
    * Budget 2018, Budget 2019, Plan 2020 and Plan 2021 as placement budgets. The 2018 forecast
      column is not loaded: it is neither an outcome nor a budget.
    * Rows: "Placeringar institution/HVB" → HVB-VUXEN at Stöd och behandling (the children's HVB
      has its own row); "HVB-placeringar Barn" → HVB-BARN at Stöd till barn och unga;
      "Interna familjehemsplaceringar" → FH-EGEN and "Externa familjehemsplaceringar" →
      FH-KONSULENT (Bilaga B: "Konsulentstödda familjehem: Ramavtal") at Familjerätt och
      familjehem; "Skyddat Boende/våld" → SKYDDAT at Stöd och behandling, amounts only (the table
      gives no days; its 2017 cost without days is not loaded). "Familjehemsplaceringar (totalt)"
      is the sum of the internal and external rows and is not loaded: it would count them twice.
    * About 500 generated episodes, source "demo", for the four categories with volumes, from
      2016 to 2021: arrivals and lengths drawn with ``random.Random(117)`` around each row's
      level (average placed and typical length), rates around the 2017 average cost per day,
      +2 % every 1 January. Episodes still running at the end of 2021 are left open. In 2017
      the seed's aggregates take precedence over them (the follow-up shows them superseded);
      2018–2021 come from the episodes, against the budgets.

0181 Södertälje (seed 004, Ekonomi, tables 2–5, lines 1495-1625)
    * Two reporting categories of its own, as the tables bundle them: BOU-PLAC "Placeringar barn
      och unga" (table 2: family and emergency homes, institutions, SiS, supported housing; own
      and external regime) and VM-EXT "Placeringar i extern regi – missbruk" (table 4: SoL and
      LVM). Tables 3 and 5 are the standard SKYDDAT and SOCPSYK-EXT.
    * The 2021 outcome and the 2022 figures as monthly aggregates. The seed's 2022 column is the
      autumn forecast for the whole year ("2022 prognos"; January–November actuals for table 4);
      it is loaded as that year's figures with source "seed 004 prognos 2022" so the aggregates
      say what they are.
    * Budgets 2021, 2022 and 2023; the days column of 2021 and 2022 is an outcome, so those
      budgets carry the amount only; 2023 has budgeted days too.
    * Org units: table 2 at Barn och ungdom (the area), table 3 at Relationsvåldcenter (line
      1539 "köp av skyddat boende"), table 4 at Missbruksmyndigheten (line 1589), table 5 at
      Myndighet socialpsykiatri (line 1628).
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from app.auth.deps import Ctx
from app.demo.tables import read_table
from app.personnummer import luhn_valid
from app.placements import aggregates, catalogue, episodes
from app.placements import service as placements
from app.placements.categories import ensure_standard_categories
from app.placements.models import (
    PlacementBudget,
    PlacementCategory,
    PlacementProvider,
    PlacementRegime,
    PlacementTargetGroup,
)
from app.placements.rows import resolve
from app.placements.schemas import (
    PlacementBudgetWrite,
    PlacementCategoryCreate,
    PlacementProviderCreate,
)

SEED = 117
SOURCE_SYSTEM = "demo"
GENERATED_FROM = date(2016, 1, 1)  # arrivals start here, so 2017 is already full
GENERATED_TO = date(2021, 12, 31)
KEEP_FROM = date(2017, 1, 1)  # episodes that ended before are not loaded
INDEXATION = Decimal("1.02")  # rates rise 2 % every 1 January


@dataclass(frozen=True)
class Figure:
    """One cell of a seed table: care days (None where the table gives none) and tkr."""

    category: str
    unit: str
    year: int
    care_days: int | None
    tkr: int


@dataclass(frozen=True)
class OwnCategory:
    code: str
    name: str
    legal_basis: tuple[str, ...]
    target_group: PlacementTargetGroup
    regime: PlacementRegime
    description: str


@dataclass(frozen=True)
class Profile:
    """How a category's generated episodes look: average placed, typical length, 2017 rate."""

    category: str
    unit: str
    placed: int
    mean_days: int
    rate_2017: int
    age_bands: tuple[str, ...]
    providers: bool


@dataclass(frozen=True)
class DemoPlacements:
    categories: tuple[OwnCategory, ...] = ()
    outcomes: tuple[Figure, ...] = ()
    outcome_source: dict[int, str] | None = None
    budgets: tuple[Figure, ...] = ()
    profiles: tuple[Profile, ...] = ()
    providers: tuple[tuple[str, str], ...] = ()  # name, organisation number


def _org_number(first_nine: str) -> str:
    """A Luhn-valid organisation number from its first nine digits."""
    for check in "0123456789":
        if luhn_valid(first_nine + check):
            return f"{first_nine[:6]}-{first_nine[6:]}{check}"
    raise AssertionError("unreachable")  # pragma: no cover


def _figures(table: str) -> tuple[Figure, ...]:
    """A seed table of yearly figures (``app/demo/data/placements_*``)."""
    return tuple(
        Figure(
            category=str(row["category"]),
            unit=str(row["org_unit"]),
            year=int(str(row["year"])),
            care_days=None if row["care_days"] is None else int(row["care_days"]),
            tkr=int(str(row["tkr"])),
        )
        for row in read_table(table).rows
    )


def _outcome_sources(table: str) -> dict[int, str]:
    """Year → the source system the year's aggregates carry (what the figures are)."""
    return {int(str(row["year"])): str(row["source_system"]) for row in read_table(table).rows}


OSTERAKER = DemoPlacements(
    outcomes=_figures("placements_0117_outcomes.csv"),
    outcome_source=_outcome_sources("placements_0117_outcomes.csv"),
    budgets=_figures("placements_0117_budgets.csv"),
    profiles=(
        Profile("HVB-BARN", "BOU", 8, 180, 2703, ("13-17", "13-17", "0-12"), True),
        Profile("HVB-VUXEN", "SOB", 12, 75, 1960, ("21+", "21+", "21+", "18-20"), True),
        Profile("FH-EGEN", "FRF", 32, 700, 600, ("0-12", "13-17"), False),
        Profile("FH-KONSULENT", "FRF", 2, 400, 1877, ("0-12", "13-17"), True),
    ),
    providers=(
        ("Demo HVB Roslagen AB", _org_number("556712345")),
        ("Demo Behandlingshem Vuxna AB", _org_number("556823456")),
        ("Demo Familjehemskonsulenterna AB", _org_number("556934567")),
    ),
)

SODERTALJE = DemoPlacements(
    categories=(
        OwnCategory(
            "BOU-PLAC",
            "Placeringar barn och unga",
            ("SoL", "LVU"),
            PlacementTargetGroup.CHILDREN,
            PlacementRegime.MIXED,
            "Familje- och jourhem, institution, SiS, stödboende (seed 004, tabell 2).",
        ),
        OwnCategory(
            "VM-EXT",
            "Placeringar i extern regi – missbruk",
            ("SoL", "LVM"),
            PlacementTargetGroup.ADULTS,
            PlacementRegime.EXTERNAL,
            "Vuxen missbruk, köpta dygn (seed 004, tabell 4).",
        ),
    ),
    outcomes=_figures("placements_0181_outcomes.csv"),
    outcome_source=_outcome_sources("placements_0181_outcomes.csv"),
    budgets=_figures("placements_0181_budgets.csv"),
)

DEMO: dict[str, DemoPlacements] = {"0117": OSTERAKER, "0181": SODERTALJE}


@dataclass
class PlacementCounts:
    categories: int = 0
    providers: int = 0
    aggregates: int = 0
    budgets: int = 0
    episodes: int = 0

    def __str__(self) -> str:
        return (
            f"{self.categories} placement categor(ies), {self.providers} provider(s), "
            f"{self.aggregates} aggregate(s), {self.budgets} budget(s), "
            f"{self.episodes} episode(s) added"
        )


# -- pure: the rows ---------------------------------------------------------------------------


def spread(year: int, care_days: int, amount_ore: int) -> list[tuple[str, int, int]]:
    """A year's care days and cost as months: days by month length (largest remainder first),
    cost in proportion to the days, the last month taking what is left; sums are exact."""
    lengths = [calendar.monthrange(year, month)[1] for month in range(1, 13)]
    days_in_year = sum(lengths)
    shares = [care_days * length for length in lengths]
    days = [share // days_in_year for share in shares]
    order = sorted(range(12), key=lambda i: (-(shares[i] % days_in_year), i))
    for i in order[: care_days - sum(days)]:
        days[i] += 1
    costs = [amount_ore * d // care_days if care_days else amount_ore // 12 for d in days]
    costs[-1] += amount_ore - sum(costs)
    return [(f"{year}-{m + 1:02d}", days[m], costs[m]) for m in range(12)]


def aggregate_rows(demo: DemoPlacements) -> list[dict[str, Any]]:
    sources = demo.outcome_source or {}
    rows = []
    for figure in demo.outcomes:
        assert figure.care_days is not None
        for period, days, cost in spread(figure.year, figure.care_days, figure.tkr * 100_000):
            rows.append(
                {
                    "category_code": figure.category,
                    "org_unit_code": figure.unit,
                    "period": period,
                    "care_days": days,
                    "net_cost": str(Decimal(cost) / 100),
                    "source_system": sources.get(figure.year, "seed"),
                }
            )
    return rows


def _rate(base: int, year: int, factor: Decimal) -> Decimal:
    indexed = Decimal(base) * factor * INDEXATION ** (year - 2017)
    return indexed.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def episode_rows(demo: DemoPlacements) -> list[dict[str, Any]]:
    """Deterministic episodes (``random.Random(117)``): Poisson arrivals at the rate that keeps
    ``placed`` people placed on average, lengths around ``mean_days``."""
    rng = random.Random(SEED)  # noqa: S311 — demo figures, not security
    rows: list[dict[str, Any]] = []
    serial = 0
    for profile in demo.profiles:
        arrivals_per_day = profile.placed / profile.mean_days
        day = GENERATED_FROM
        while True:
            day += timedelta(days=max(1, round(rng.expovariate(arrivals_per_day))))
            if day > GENERATED_TO:
                break
            length = max(7, round(rng.expovariate(1 / profile.mean_days)))
            end: date | None = day + timedelta(days=length - 1)
            assert end is not None
            if end < KEEP_FROM:
                continue
            if end > GENERATED_TO:
                end = None
            serial += 1
            factor = Decimal(rng.randint(90, 115)) / 100
            last_year = (end or GENERATED_TO).year
            rates = []
            for year in range(day.year, last_year + 1):
                rates.append(
                    {
                        "valid_from": max(day, date(year, 1, 1)).isoformat(),
                        "valid_to": None if year == last_year else date(year, 12, 31).isoformat(),
                        "daily_rate": str(_rate(profile.rate_2017, year, factor)),
                    }
                )
            row: dict[str, Any] = {
                "case_ref": f"DEMO-{day.year}-{serial:04d}",
                "category_code": profile.category,
                "org_unit_code": profile.unit,
                "start_date": day.isoformat(),
                "rates": rates,
                "gender": rng.choice(("women", "men")),
                "age_band": rng.choice(profile.age_bands),
                "source_system": SOURCE_SYSTEM,
            }
            if end is not None:
                row["end_date"] = end.isoformat()
            if profile.providers and demo.providers:
                row["provider_org_number"] = rng.choice(demo.providers)[1]
            rows.append(row)
    return rows


# -- loading ---------------------------------------------------------------------------------


async def load_placements(ctx: Ctx, municipality_code: str) -> PlacementCounts:
    """Load the municipality's demo placements, adding only what is missing."""
    counts = PlacementCounts()
    demo = DEMO.get(municipality_code)
    if demo is None:
        return counts
    counts.categories += await ensure_standard_categories(ctx)
    existing = set((await ctx.session.scalars(select(PlacementCategory.code))).all())
    for own in demo.categories:
        if own.code not in existing:
            await catalogue.create_category(
                ctx,
                PlacementCategoryCreate.model_validate(
                    {
                        "code": own.code,
                        "name": own.name,
                        "description": own.description,
                        "legal_basis": list(own.legal_basis),
                        "target_group": own.target_group,
                        "regime": own.regime,
                    }
                ),
            )
            counts.categories += 1
    numbers = set((await ctx.session.scalars(select(PlacementProvider.organisation_number))).all())
    for name, number in demo.providers:
        if number not in numbers:
            await catalogue.create_provider(
                ctx,
                PlacementProviderCreate(
                    name=name, organisation_number=number, ivo_permit_checked_on=date(2021, 1, 15)
                ),
            )
            counts.providers += 1
    counts.budgets = await _budgets(ctx, demo)
    counts.aggregates = await _new_rows(ctx, aggregates, aggregate_rows(demo))
    counts.episodes = await _new_rows(ctx, episodes, episode_rows(demo))
    await ctx.commit()
    return counts


async def _new_rows(ctx: Ctx, path: Any, rows: list[dict[str, Any]]) -> int:
    """Write the rows whose keys are new, through the write path of ``path``."""
    if not rows:
        return 0
    valid, errors = path.validate(rows, await resolve(ctx, rows))
    assert not errors, errors
    await path.classify(ctx, valid)
    new = [row for row in valid if row.result == "created"]
    await path.write(ctx, new, batch_id=None)
    return len(new)


async def _budgets(ctx: Ctx, demo: DemoPlacements) -> int:
    stored = {
        (category, unit, year)
        for category, unit, year in (
            await ctx.session.execute(
                select(
                    PlacementCategory.code, PlacementBudget.org_unit_id, PlacementBudget.year
                ).join(PlacementCategory, PlacementCategory.id == PlacementBudget.category_id)
            )
        ).all()
    }
    lookups = await resolve(ctx, [{"org_unit_code": f.unit} for f in demo.budgets])
    added = 0
    for figure in demo.budgets:
        unit = lookups.units_by_code[figure.unit]
        if (figure.category, unit.id, figure.year) in stored:
            continue
        await placements.put_budget(
            ctx,
            PlacementBudgetWrite.model_validate(
                {
                    "category_code": figure.category,
                    "org_unit_code": figure.unit,
                    "year": figure.year,
                    "care_days": figure.care_days,
                    "amount": figure.tkr * 1000,
                }
            ),
        )
        added += 1
    return added
