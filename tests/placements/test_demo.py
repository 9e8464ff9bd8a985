"""The demo placements: seed 003 and seed 004 tables as aggregates and budgets, generated
episodes for Österåker; deterministic and idempotent."""

from sqlalchemy import func, select

from app.auth.deps import system_ctx
from app.demo.orgs import OSTERAKER, SODERTALJE
from app.demo.placements import OSTERAKER as OSTERAKER_PLACEMENTS
from app.demo.placements import episode_rows, load_placements, spread
from app.municipalities.service import ensure
from app.orgunits import service as org_units
from app.orgunits.models import OrgUnit, OrgUnitKind
from app.orgunits.schemas import OrgUnitCreate
from app.periods import Period
from app.placements.followup import follow_up
from app.placements.models import Placement


async def _municipality(db, demo):
    """The demo municipality with its org units (as the demo loader makes them)."""
    async with db.session(system=True) as session:
        municipality, _ = await ensure(session, demo.code, demo.name)
        ctx = system_ctx(session, municipality.id, municipality.code)
        existing = {u.code: u.id for u in (await session.scalars(select(OrgUnit))).all()}
        for unit in demo.org_units:
            if unit.code not in existing:
                created = await org_units.create(
                    ctx,
                    OrgUnitCreate(
                        code=unit.code,
                        name=unit.name,
                        kind=OrgUnitKind(unit.kind),
                        parent_id=existing[unit.parent] if unit.parent else None,
                        valid_from=unit.valid_from,
                        valid_to=unit.valid_to,
                    ),
                )
                existing[unit.code] = created.id
    return municipality


async def _load(db, municipality):
    async with db.session(system=True) as session:
        ctx = system_ctx(session, municipality.id, municipality.code)
        return await load_placements(ctx, municipality.code)


async def _follow_up(db, municipality, period):
    async with db.session(system=True) as session:
        ctx = system_ctx(session, municipality.id, municipality.code)
        result = await follow_up(ctx, Period.parse(period), None, None)
        demo_episodes = await session.scalar(
            select(func.count()).select_from(Placement).where(Placement.source_system == "demo")
        )
    return {row.category.code: row for row in result.categories if row.category}, demo_episodes


def test_the_generation_is_deterministic_and_the_spread_exact():
    assert episode_rows(OSTERAKER_PLACEMENTS) == episode_rows(OSTERAKER_PLACEMENTS)
    months = spread(2017, 2920, 789_400_000)
    assert [days for _, days, _ in months] == [
        248,
        224,
        248,
        240,
        248,
        240,
        248,
        248,
        240,
        248,
        240,
        248,
    ]
    assert sum(cost for _, _, cost in months) == 789_400_000
    leap = spread(2024, 100, 1)
    assert sum(days for _, days, _ in leap) == 100


async def test_osteraker_seed_003_and_generated_episodes(app):
    db = app.state.db
    municipality = await _municipality(db, OSTERAKER)
    await _load(db, municipality)
    again = await _load(db, municipality)
    assert str(again) == (
        "0 placement categor(ies), 0 provider(s), 0 aggregate(s), 0 budget(s), 0 episode(s) added"
    )

    year_2017, demo_episodes = await _follow_up(db, municipality, "2017")
    assert demo_episodes == len(episode_rows(OSTERAKER_PLACEMENTS))
    assert 300 <= demo_episodes <= 600
    children = year_2017["HVB-BARN"]
    assert (children.care_days, children.placements_annual_basis, children.cost) == (
        2920,
        8,
        7894000,
    )
    assert round(children.average_cost_per_care_day) == 2703
    assert children.sources.aggregates.unit_months == 12
    # The generated episodes of 2017 are there, but the seed's aggregates win.
    assert children.sources.superseded_episodes.care_days > 0
    assert children.sources.episodes.care_days == 0
    assert (year_2017["FH-EGEN"].care_days, year_2017["FH-EGEN"].cost) == (11597, 6958000)
    assert (year_2017["HVB-VUXEN"].care_days, year_2017["HVB-VUXEN"].cost) == (4295, 8420000)

    # 2019 comes from the episodes, against Budget 2019 (2 920 days, 7 552 tkr).
    year_2019, _ = await _follow_up(db, municipality, "2019")
    children = year_2019["HVB-BARN"]
    assert children.sources.aggregates.unit_months == 0
    assert children.care_days > 0
    assert children.budget is not None
    assert (children.budget.care_days, children.budget.amount) == (2920, 7552000)
    assert children.status != "no_data"
    assert year_2019["SKYDDAT"].budget.amount == 500000


async def test_sodertalje_seed_004_tables(app):
    db = app.state.db
    municipality = await _municipality(db, SODERTALJE)
    await _load(db, municipality)
    assert (await _load(db, municipality)).aggregates == 0

    year_2021, _ = await _follow_up(db, municipality, "2021")
    children = year_2021["BOU-PLAC"]
    # Table 2, 2021: 89 474 days, budget 126 800 tkr, net cost 138 275 tkr.
    assert (children.care_days, children.cost, children.budget.amount) == (
        89474,
        138275000,
        126800000,
    )
    assert children.forecast_deviation == -11475000
    # 9 % over: within the rules module's default 10 % tolerance, so yellow.
    assert children.status == "yellow"
    # Table 3: skyddat boende 4 650 days, 9 605 tkr against 10 000 tkr.
    sheltered = year_2021["SKYDDAT"]
    assert (sheltered.care_days, sheltered.cost, sheltered.status) == (4650, 9605000, "green")

    year_2022, _ = await _follow_up(db, municipality, "2022")
    # Table 4, 2022: 5 260 days, 11 740 tkr against a budget of 7 404 tkr.
    assert (year_2022["VM-EXT"].care_days, year_2022["VM-EXT"].cost) == (5260, 11740000)
    assert year_2022["VM-EXT"].forecast_deviation == 7404000 - 11740000

    year_2023, _ = await _follow_up(db, municipality, "2023")
    assert year_2023["BOU-PLAC"].budget.care_days == 92600
    assert year_2023["SOCPSYK-EXT"].budget.amount == 7920000
