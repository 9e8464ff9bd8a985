"""``python -m app.cli demo-data``: the seed municipalities, loaded idempotently.

Everything goes through the same services the API uses, so the demo data is validated and audited
like any other write (actor ``system:cli``). Running it again adds only what is missing.

Per municipality: its org units (``app.demo.orgs``), then its goal plan where the seeds have one
(``app.demo.plans``: indicators and targets, goals, and for Södertälje demo outcomes for
January–August 2023, ``app.demo.outcomes``), see ``app.demo.plans_loader``.
"""

from sqlalchemy import select

from app.auth.deps import Ctx, system_ctx
from app.db import Database
from app.demo import quality
from app.demo.benchmarks import load_benchmarks
from app.demo.budget import load_budget
from app.demo.control import load_control
from app.demo.orgs import MUNICIPALITIES, DemoMunicipality
from app.demo.placements import load_placements
from app.demo.plans import PLANS
from app.demo.plans_loader import load_plan
from app.municipalities.service import ensure
from app.orgunits import service as org_units
from app.orgunits.models import OrgUnit, OrgUnitKind
from app.orgunits.schemas import OrgUnitCreate


async def load_demo_data(db: Database) -> list[str]:
    """One report line per municipality, e.g. "0181 Södertälje: 32 indicator(s), 18 goal(s),
    96 target(s), 301 measurement(s) added; organisation: 13 org unit(s) added"."""
    plans = {plan.municipality: plan for plan in PLANS}
    report = []
    for demo in MUNICIPALITIES:
        async with db.session(system=True) as session:
            municipality, _ = await ensure(session, demo.code, demo.name)
            ctx = system_ctx(session, municipality.id, municipality.code)
            added = await _load_org_units(ctx, demo)
            plan = plans.get(demo.code)
            plan_counts = await load_plan(ctx, plan) if plan is not None else None
            await load_control(ctx, demo.code)  # internal control, action plans (0181, 2313)
            await load_benchmarks(ctx, demo.code)  # Kolada demo values and group (2380)
            await load_budget(ctx, demo.code)  # frames, categories, lines (seeds 000–004)
            await load_placements(ctx, demo.code)  # placement tables, episodes (0117, 0181)
            if demo.code == quality.MUNICIPALITY:  # quality registers, seed 001 §6.4 (2380)
                await quality.load_quality(ctx)
        # The org units stay last on the line: "…: N org unit(s) added".
        if plan_counts is None:
            report.append(f"{demo.code} {demo.name}: {added} org unit(s) added")
        else:
            report.append(
                f"{demo.code} {demo.name}: {plan_counts}; organisation: {added} org unit(s) added"
            )
    return report


async def _load_org_units(ctx: Ctx, demo: DemoMunicipality) -> int:
    existing = {unit.code: unit.id for unit in (await ctx.session.scalars(select(OrgUnit))).all()}
    added = 0
    for unit in demo.org_units:
        if unit.code in existing:
            continue
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
        added += 1
    return added
