"""Demo internal control and action plans from the seeds, loaded through the API's services.

0181 Södertälje (seed 004, "Nämndens internkontroll 2023" and appendix 1 "Internkontrollplan
2023", lines 2017-2232)
    The committee's plan for 2023 with its twelve control points, as the appendix lists them:
    process/routine, control objective, who performs the check, method and frequency, reported to
    "Socialnämnd" at "Årsbokslut". "Stickprov" is ``sample``, "Totalundersökning" ``full_review``;
    point 10 names no method, so it has none. "3 gånger/år (april, aug, dec)" is the months
    4, 8 and 12, "2 gånger/år (maj/nov)" 5 and 11, "1 gång/år (nov)" yearly in November; point 6,
    "1 gång/år" without a month, is yearly and so due in December, at the year-end report. The
    area headings (Huvudprocesser, Verksamhetssystem, Korruption/jäv/mutor, Samverkan, Övrigt)
    are the points' areas. The performing unit is set where the role names one: "ROCH AoF" and
    "ROCH BoU" (resultatområdeschef) are the areas AF and BOU, "Stabschef" is the unit STAB and
    "Socialdirektör" the office SK; "ROCH" alone (all areas) has none. The seed publishes no
    probability or consequence for the points (only that they were assessed on a 4-grade scale),
    so none is invented: the risk matrix lists the twelve as unassessed. No results: the plan
    reports at year-end 2023, after the seed.

2313 Strömsund (seed 002, § 26 "Internkontroll Skyndsamhet i barnutredningar", lines 1376-1511)
    The control of child investigations' duration: "lagstadgad utredningstid på högst fyra
    månader", reported to the committee four times a year, in February, May, September and
    December, performed by "enhetschef och samordnare barn och familj gruppen" (the unit IFO-BOF)
    by a search in Procapita over all investigations of children 0–18 (``full_review``). The
    objective is quantitative: all investigations within four months, at least 100 %, with a
    stated yellow tolerance of 10 percentage points (yellow from 90 %, red below). The result for
    December 2022: 68 investigations, 9 of them four months or more, so 59 within four months:
    59 / 68 = 86.76 %, 13.24 points short of 100, beyond the tolerance — red.
    The result belongs to the 2022 plan. The plan adopted on 14 December 2022 (§ 168) keeps the
    control, so the point is carried over into the 2023 plan, linked to its 2022 history.

2313 Strömsund (seed 002, § 21 "Handlingsplan mot våld i nära relationer 2023", lines 496-614)
    Adopted by the committee on 21 February 2023 (§ 21, diary number VSF.2023.5), under the
    council's "Program mot våld i nära relationer" (KF 2020-11-11 § 80). Three items, each
    followed up in the committee in December 2023. The seed's column "Vad som ska uppnås och hur
    det ska ske" is split into what (the first sentence) and how (the rest).

The tables are ``app/demo/data/control_<code>_plans.json`` and ``actionplans_2313.json``, in the
fields of the dataclasses below, each naming its seed and lines.

Idempotent: plans by (committee, year), points by number, results by occasion, the carry-over by
its link, action plans by (owner, year, title), items by number. What exists is left alone.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from app.actionplans import service as action_plans
from app.actionplans.models import ActionPlanItem
from app.actionplans.schemas import ActionPlanCreate, ItemCreate
from app.auth.deps import Ctx
from app.control import results as control_results
from app.control import service as control
from app.control.models import ControlPlan, ControlPoint, ControlResult
from app.control.schemas import (
    CarryOver,
    ControlPlanCreate,
    ControlPointCreate,
    ControlResultWrite,
)
from app.demo.tables import read_table
from app.orgunits.models import OrgUnit

REPORT_TO = "Socialnämnd"
YEAR_END = "Årsbokslut"


@dataclass(frozen=True)
class DemoPoint:
    number: int
    area: str | None
    process: str
    objective: str
    responsible_role: str
    org_unit: str | None  # code
    method: str | None
    frequency: dict[str, Any]
    report_to: str | None = REPORT_TO
    report_when: str | None = YEAR_END
    method_description: str | None = None
    target: dict[str, Any] | None = None


@dataclass(frozen=True)
class DemoResult:
    point: int
    occasion: str
    values: dict[str, Any]


@dataclass(frozen=True)
class DemoControlPlan:
    year: int
    title: str
    points: tuple[DemoPoint, ...]
    adopted_on: date | None = None
    decision_ref: str | None = None
    description: str | None = None
    results: tuple[DemoResult, ...] = ()
    # Points carried over from the previous year's plan: (number there, number here).
    carried: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class DemoActionPlan:
    year: int
    title: str
    reference: str | None
    adopted_on: date | None
    decision_ref: str | None
    background: str | None
    items: tuple[dict[str, Any], ...] = field(default_factory=tuple)


def control_plan_of(row: dict[str, Any]) -> DemoControlPlan:
    adopted_on = row.get("adopted_on")
    return DemoControlPlan(
        **{
            **row,
            "points": tuple(DemoPoint(**point) for point in row["points"]),
            "adopted_on": date.fromisoformat(adopted_on) if adopted_on else None,
            "results": tuple(DemoResult(**result) for result in row.get("results", ())),
            "carried": tuple(tuple(pair) for pair in row.get("carried", ())),
        }
    )


def action_plan_of(row: dict[str, Any]) -> DemoActionPlan:
    adopted_on = row.get("adopted_on")
    return DemoActionPlan(
        **{
            **row,
            "adopted_on": date.fromisoformat(adopted_on) if adopted_on else None,
            "items": tuple(row.get("items", ())),
        }
    )


CONTROL_PLANS: dict[str, tuple[DemoControlPlan, ...]] = {
    code: tuple(control_plan_of(row) for row in read_table(f"control_{code}_plans.json").rows)
    for code in ("0181", "2313")
}
ACTION_PLANS: dict[str, tuple[DemoActionPlan, ...]] = {
    "2313": tuple(action_plan_of(row) for row in read_table("actionplans_2313.json").rows)
}
COMMITTEE = "SN"


@dataclass
class ControlCounts:
    plans: int = 0
    points: int = 0
    results: int = 0
    action_plans: int = 0
    items: int = 0

    def __str__(self) -> str:
        return (
            f"{self.plans} control plan(s), {self.points} control point(s), {self.results} "
            f"control result(s), {self.action_plans} action plan(s), {self.items} item(s) added"
        )


async def load_control(ctx: Ctx, municipality_code: str) -> ControlCounts | None:
    """The municipality's demo control plans and action plans; None when the seeds have none."""
    plans = CONTROL_PLANS.get(municipality_code, ())
    actions = ACTION_PLANS.get(municipality_code, ())
    if not plans and not actions:
        return None
    units = {u.code: u.id for u in (await ctx.session.scalars(select(OrgUnit))).all()}
    counts = ControlCounts()
    loaded: dict[int, ControlPlan] = {}
    for demo in plans:
        loaded[demo.year] = await _control_plan(ctx, demo, units, loaded, counts)
    for action in actions:
        await _action_plan(ctx, action, units[COMMITTEE], counts)
    return counts


async def _point_by_number(ctx: Ctx, plan: ControlPlan, number: int) -> ControlPoint | None:
    return await ctx.session.scalar(
        select(ControlPoint).where(ControlPoint.plan_id == plan.id, ControlPoint.number == number)
    )


async def _control_plan(
    ctx: Ctx,
    demo: DemoControlPlan,
    units: dict[str, Any],
    earlier: dict[int, ControlPlan],
    counts: ControlCounts,
) -> ControlPlan:
    committee = units[COMMITTEE]
    plan = await control.find_plan(ctx, committee, demo.year)
    if plan is None:
        plan = await control.create_plan(
            ctx,
            ControlPlanCreate(
                committee_id=committee,
                year=demo.year,
                title=demo.title,
                adopted_on=demo.adopted_on,
                decision_ref=demo.decision_ref,
                description=demo.description,
            ),
        )
        counts.plans += 1
    for point in demo.points:
        if await _point_by_number(ctx, plan, point.number) is not None:
            continue
        await control.create_point(
            ctx,
            plan.id,
            ControlPointCreate.model_validate(
                {
                    "number": point.number,
                    "area": point.area,
                    "process": point.process,
                    "objective": point.objective,
                    "responsible_role": point.responsible_role,
                    "org_unit_id": units[point.org_unit] if point.org_unit else None,
                    "method": point.method,
                    "method_description": point.method_description,
                    "frequency": point.frequency,
                    "report_to": point.report_to,
                    "report_when": point.report_when,
                    "target": point.target,
                }
            ),
        )
        counts.points += 1
    for result in demo.results:
        target = await _point_by_number(ctx, plan, result.point)
        assert target is not None
        exists = await ctx.session.scalar(
            select(ControlResult.id).where(
                ControlResult.point_id == target.id, ControlResult.occasion == result.occasion
            )
        )
        if exists is None:
            await control_results.put_result(
                ctx,
                plan.id,
                target.id,
                result.occasion,
                ControlResultWrite.model_validate(result.values),
            )
            counts.results += 1
    previous = earlier.get(demo.year - 1)
    if previous is None:
        return plan
    for there, here in demo.carried:
        source = await _point_by_number(ctx, previous, there)
        if source is None:
            continue
        carried = await ctx.session.scalar(
            select(ControlPoint.id).where(ControlPoint.carried_from_id == source.id)
        )
        if carried is None:
            await control.carry_over(
                ctx, previous.id, source.id, CarryOver(to_plan_id=plan.id, number=here)
            )
            counts.points += 1
    return plan


async def _action_plan(
    ctx: Ctx, demo: DemoActionPlan, owner_id: Any, counts: ControlCounts
) -> None:
    plan = await action_plans.find_plan(ctx, owner_id, demo.year, demo.title)
    if plan is None:
        await action_plans.create_plan(
            ctx,
            ActionPlanCreate.model_validate(
                {
                    "owner_id": owner_id,
                    "year": demo.year,
                    "title": demo.title,
                    "reference": demo.reference,
                    "adopted_on": demo.adopted_on,
                    "decision_ref": demo.decision_ref,
                    "background": demo.background,
                    "items": list(demo.items),
                }
            ),
        )
        counts.action_plans += 1
        counts.items += len(demo.items)
        return
    numbers = set(
        (
            await ctx.session.scalars(
                select(ActionPlanItem.number).where(ActionPlanItem.plan_id == plan.id)
            )
        ).all()
    )
    for item in demo.items:
        if item["number"] not in numbers:
            await action_plans.add_item(ctx, plan.id, ItemCreate.model_validate(item))
            counts.items += 1
