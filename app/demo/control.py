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


MONTHLY = {"kind": "monthly"}
APR_AUG_DEC = {"kind": "given_months", "months": [4, 8, 12]}
NOVEMBER = {"kind": "yearly", "month": 11}

SODERTALJE_2023 = DemoControlPlan(
    year=2023,
    title="Internkontrollplan 2023",
    description=(
        "Socialnämndens internkontrollplan för 2023 omfattar sammanlagt 12 kontrollmoment. "
        "Rapportering sker i årsbokslut; avvikelser och eventuella åtgärder redovisas och "
        "hanteras vid behov som överföringar till nästa års internkontrollplan."
    ),
    points=(
        DemoPoint(
            1,
            "Huvudprocesser",
            "Egen försörjning",
            "Att relevant insats finns i ärendet",
            "ROCH AoF",
            "AF",
            "sample",
            MONTHLY,
        ),
        DemoPoint(
            2,
            "Huvudprocesser",
            "FUT, Felaktiga utbetalningar",
            "Att utbetalningar sker utan avvikelser",
            "ROCH AoF",
            "AF",
            "sample",
            MONTHLY,
        ),
        DemoPoint(
            3,
            "Huvudprocesser",
            "Utredningsprocess",
            "Att utredningar färdigställs inom 122 dagar",
            "ROCH BoU",
            "BOU",
            "full_review",
            MONTHLY,
        ),
        DemoPoint(
            4,
            "Verksamhetssystem",
            "Rutin för borttag, Combine",
            "Att borttag av process hanteras enligt ny rutin",
            "Stabschef",
            "STAB",
            "full_review",
            MONTHLY,
        ),
        DemoPoint(
            5,
            "Verksamhetssystem",
            "Systemleverantör, Combine",
            "Att följa rapporterade systemfel",
            "Stabschef",
            "STAB",
            "full_review",
            APR_AUG_DEC,
        ),
        DemoPoint(
            6,
            "Verksamhetssystem",
            "Rutin loggkontroll, Combine",
            "Att användare har giltigt skäl att vara inne i ärenden",
            "Stabschef",
            "STAB",
            "sample",
            {"kind": "yearly"},
        ),
        DemoPoint(
            7,
            "Korruption/jäv/mutor",
            "Riktlinje korruption/jäv/mutor",
            "Att samtliga av nämndens verksamheter har uppmärksammat området "
            "korruption/jäv/mutor på APT enligt aktuell riktlinje",
            "ROCH",
            None,
            "full_review",
            NOVEMBER,
        ),
        DemoPoint(
            8,
            "Samverkan",
            "Extern samverkan - samordnad individuell plan (SIP)",
            "Att SIP avvikelser rapporteras",
            "ROCH",
            None,
            "full_review",
            APR_AUG_DEC,
        ),
        DemoPoint(
            9,
            "Övrigt",
            "Lokalförsörjningsprocessen",
            "Att socialkontoret systematiskt (LG möten) följer upp lokalbehovsfrågor enligt "
            "aktuell struktur",
            "Socialdirektör",
            "SK",
            "full_review",
            APR_AUG_DEC,
        ),
        DemoPoint(
            10,
            "Övrigt",
            "Externa utförare",
            "Att uppföljningsplan efterlevs",
            "Socialdirektör",
            "SK",
            None,
            NOVEMBER,
        ),
        DemoPoint(
            11,
            "Övrigt",
            "Krisberedskap",
            "Att kontinuitetsplaner finns och är aktuella",
            "ROCH",
            None,
            "full_review",
            {"kind": "given_months", "months": [5, 11]},
        ),
        DemoPoint(
            12,
            "Övrigt",
            "Uppföljningsprocess",
            "Att planerade riskåtgärder genomförs enligt plan",
            "Socialdirektör",
            "SK",
            "full_review",
            MONTHLY,
        ),
    ),
)

CHILD_INVESTIGATIONS = DemoPoint(
    1,
    None,
    "Barnutredningars varaktighet",
    "Att undersöka om kravet på skyndsam handläggning efterlevs och att lagstadgad "
    "utredningstid på högst fyra månader inte överskrids",
    "Enhetschef och samordnare barn och familj gruppen",
    "IFO-BOF",
    "full_review",
    {"kind": "given_months", "months": [2, 5, 9, 12]},
    report_to="Socialnämnden",
    report_when="Februari, maj, september och december",
    method_description=(
        "Mätning av utredningstid i individ- och familjeomsorgens barnutredningar. Kontrollen "
        "sker genom sökverktyg i Procapita. Sammanställning av utredningar avseende barn 0-18 år."
    ),
    target={
        "kind": "at_least",
        "value": 100,
        "yellow_tolerance": {"kind": "absolute", "value": 10},
        "text": "Samtliga utredningar inom fyra månader (100 %)",
    },
)

STROMSUND_2022 = DemoControlPlan(
    year=2022,
    title="Internkontrollplan 2022",
    points=(CHILD_INVESTIGATIONS,),
    results=(
        DemoResult(
            1,
            "2022-12",
            {
                "checked_on": "2022-12-31",
                "checked_count": 68,
                "deviation_count": 9,
                "comment": (
                    "Utredningstider i pågående utredningar per den sista december 2022. Totalt "
                    "antal utredningar 68 st. Upp till fyra månader 59 st. Fyra månader eller mer "
                    "9 st, varav tre har förlängd utredningstid, två utredningar avslutades några "
                    "veckor efter mättidpunkten, fyra utredningar har dragit över tiden utan "
                    "giltigt skäl. Andelen utredningar inom fyra månader är något färre jämfört "
                    "med föregående mätning; vid denna mätning var antalet utredningar högre."
                ),
                "measures": (
                    "Handlingsplanen från genomlysningen hösten 2020 följs: täta uppföljningar av "
                    "utredningsläget, individuellt stöd i planering och prioritering av "
                    "arbetsgruppens samordnare, regelbundna avstämningar vid veckomöten med "
                    "utredningsgruppen och uppföljning vid ledningsmöten inom IFO varannan vecka. "
                    "Förtydligande av utredningsprocessen och dess rutiner har påbörjats och "
                    "delvis avslutats. Redovisat för socialnämnden 2023-02-21 § 26."
                ),
            },
        ),
    ),
)

STROMSUND_2023 = DemoControlPlan(
    year=2023,
    title="Internkontrollplan 2023",
    adopted_on=date(2022, 12, 14),
    decision_ref="SN 2022-12-14 § 168",
    points=(),
    carried=((1, 1),),
)

STROMSUND_VIOLENCE = DemoActionPlan(
    year=2023,
    title="Handlingsplan mot våld i nära relation 2023",
    reference="VSF.2023.5",
    adopted_on=date(2023, 2, 21),
    decision_ref="SN 2023-02-21 § 21",
    background=(
        "Kommunfullmäktige fastställde den 11 november 2020 § 80 Program mot våld i nära "
        "relationer. Alla kommunens verksamheter ska arbeta för att öka medvetenheten och "
        "kunskapen om våld i nära relationer."
    ),
    items=(
        {
            "number": 1,
            "area": "Uppsökande och förebyggande arbete",
            "objective": "Ta reda på om otrygghet har att göra med våld och övergrepp.",
            "approach": "Ge möjlighet att uttrycka sig.",
            "target_group": "Kvinnor och män med bostad särskild service LSS",
            "responsible_role": "Verksamhetschef Stöd och service",
            "follow_up_month": "2023-12",
        },
        {
            "number": 2,
            "area": "Kompetens och förhållningssätt i stödinsatser",
            "objective": "Barnets rättigheter beaktas vid utredning och bedömning.",
            "approach": "I varje barnavårdsutredning har barnets röst kommit till uttryck.",
            "target_group": "Barn och ungdomar i kontakt med socialtjänsten",
            "responsible_role": "Verksamhetschef IFO",
            "follow_up_month": "2023-12",
        },
        {
            "number": 3,
            "area": "Uppföljning av insatser",
            "objective": (
                "Kännedom om förekomst av barnutredningar med koppling till våld i nära relationer."
            ),
            "approach": (
                "Föra och sammanställa statistik över barnutredningar där barn utsatts för eller "
                "bevittnat våld i någon form."
            ),
            "target_group": "Barn- och familjegruppen inom individ- och familjeomsorgen",
            "responsible_role": "Enhetschef, handläggare inom IFO",
            "follow_up_month": "2023-12",
        },
    ),
)

CONTROL_PLANS: dict[str, tuple[DemoControlPlan, ...]] = {
    "0181": (SODERTALJE_2023,),
    "2313": (STROMSUND_2022, STROMSUND_2023),
}
ACTION_PLANS: dict[str, tuple[DemoActionPlan, ...]] = {"2313": (STROMSUND_VIOLENCE,)}
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
