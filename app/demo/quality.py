"""Demo quality registers for Östersund (2380) from seed 001 §6.4, as individual records.

What the seed gives, and so what the records add up to exactly:

* **Feedback** (§6.4.1, "Antal synpunkter"): complaints 2014–2019: 21, 32, 34, 96, 83, 41; praise
  2014–2018: 2, 6, 1, 5, 3 (2019 blank: none). 2019's 41 complaints by topic: 29 accessibility,
  2 treatment, 2 competence, 7 service not working, 1 other. The first tertial of 2020: 18, of
  which 2 praise and complaints 2 treatment, 1 competence, 7 accessibility, 3 service not
  working, 3 other. Before 2019 the seed gives no topics: those complaints are uncategorised.
* **Deviation reports** (§6.4.2): 70 reported 2019-04-01 – 2020-04-30, 47 in 2019 and 23 in the
  first tertial of 2020; 41 "routine" and 16 "information/communication". **Lex Sarah** (§6.4.3):
  4 reports in 2019, 3 of them notified to IVO (the seed's table puts the notifications of
  2016–2019 in its last four columns: 1, 1, 1, 3); notifications concerned the handling of
  confidential information and of an incoming report.
* **Unexecuted decisions** (§6.4.5) at 2019-12-31: 97; 12 family treatment (6 women, 6 men), 84
  contact person/family (49 women, 35 men), 1 family home (a woman); interruptions in 8 contact
  person/family cases and the family-home case; excluding interruptions, by time since decision:
  contact person/family 14, 25, 12, 25 and family treatment 12, 0, 0, 0 (3–6, 6–9, 9–12, > 12
  months), in all 26, 25, 12, 25.

What the seed does not give is invented here, deterministically, and written down:

* the other 13 deviation categories (5 collaboration, 3 documentation, 2 legal requirement,
  2 IT system, 1 other), the split of categories between the years, the areas, severities,
  dates within each period, and the workflow (2019's reports are closed; of 2020's the last six
  are still open: two reported, two investigating, two with measures decided, whose measure is
  overdue); one measure per handled report;
* feedback dates (spread evenly over the period), answer dates, and the org unit: the office
  (Social- och arbetsmarknadsförvaltningen), since the seed names none;
* decision dates (spread evenly over each bucket, its edges included), the genders within each
  bucket (contact person/family, not interrupted: 8+6, 15+10, 7+5, 15+10 women+men; interrupted:
  2+1, 1+1, 1+1, 0+1; the family home interrupted 6–9 months), the interruption dates, and the
  unit: område Barn, ungdom och vuxen.

The feedback counts and the unexecuted-decisions table are ``app/demo/data/quality_2380_*.csv``.

Every record goes through the API's schemas and services (validated and audited, actor
``system:cli``), with ``source: demo`` and a reference; a record whose reference exists is not
created again, and a deviation report or decision found half-done continues where it stopped.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.auth.deps import Ctx
from app.demo.tables import read_table
from app.orgunits.models import OrgUnit
from app.quality.decisions import service as decisions
from app.quality.decisions.models import UnexecutedDecision
from app.quality.decisions.schemas import DecisionCreate, InterruptionCreate
from app.quality.deviations import service as deviations
from app.quality.deviations.models import DeviationMeasure, DeviationReport
from app.quality.deviations.schemas import (
    DeviationReportCreate,
    MeasureCreate,
    MeasureUpdate,
    TransitionCreate,
)
from app.quality.feedback import service as feedback
from app.quality.feedback.models import Feedback
from app.quality.feedback.schemas import FeedbackCreate

MUNICIPALITY = "2380"
SOURCE = "demo"
OFFICE = "SAF"
AREAS = ("OMR-BUV", "OMR-FOR", "OMR-AOL", "OMR-OPV")
DECISION_UNIT = "OMR-BUV"


def spread(first: date, last: date, count: int) -> list[date]:
    """``count`` days from ``first`` to ``last``, evenly, both ends included."""
    if count == 1:
        return [first]
    span = (last - first).days
    return [first + timedelta(days=i * span // (count - 1)) for i in range(count)]


def permuted(items: list[Any]) -> list[Any]:
    """A fixed interleaving (a step coprime to the length: 17 mostly) so kinds mix in time."""
    n = len(items)
    step = next(s for s in range(17, 17 + n + 1) if math.gcd(s, n) == 1)
    return [items[(i * step) % n] for i in range(n)]


# -- feedback -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFeedback:
    reference: str
    kind: str
    topic: str | None
    received_on: date
    answered_on: date | None


_FEEDBACK = read_table("quality_2380_feedback.csv").rows


def _count(period: str, kind: str) -> int:
    return sum(
        int(str(r["count"])) for r in _FEEDBACK if r["period"] == period and r["kind"] == kind
    )


def _topics(period: str) -> dict[str, int]:
    return {
        str(r["topic"]): int(str(r["count"]))
        for r in _FEEDBACK
        if r["period"] == period and r["kind"] == "complaint" and r["topic"] is not None
    }


# Year → (complaints, praise); 2019's complaints and the first tertial of 2020 by topic.
YEARLY = {
    int(period): (_count(period, "complaint"), _count(period, "praise"))
    for period in dict.fromkeys(str(r["period"]) for r in _FEEDBACK)
    if period.isdigit()
}
TOPICS_2019 = _topics("2019")
TOPICS_2020_T1 = _topics("2020-T1")
PRAISE_2020_T1 = _count("2020-T1", "praise")


def demo_feedback() -> list[DemoFeedback]:
    rows: list[DemoFeedback] = []

    def add(prefix: str, kinds: list[tuple[str, str | None]], first: date, last: date) -> None:
        for i, ((kind, topic), day) in enumerate(
            zip(permuted(kinds), spread(first, last, len(kinds)), strict=True)
        ):
            answered = day + timedelta(days=2 + (i * 5) % 21) if kind == "complaint" else None
            rows.append(DemoFeedback(f"{prefix}-{i + 1:03d}", kind, topic, day, answered))

    for year, (complaints, praise) in YEARLY.items():
        kinds: list[tuple[str, str | None]] = []
        if year == 2019:
            kinds += [("complaint", t) for t, n in TOPICS_2019.items() for _ in range(n)]
        else:
            kinds += [("complaint", None)] * complaints
        kinds += [("praise", None)] * praise
        add(f"SYN-{year}", kinds, date(year, 1, 2), date(year, 12, 15))
    kinds_2020: list[tuple[str, str | None]] = [
        ("complaint", t) for t, n in TOPICS_2020_T1.items() for _ in range(n)
    ]
    kinds_2020 += [("praise", None)] * PRAISE_2020_T1
    add("SYN-2020", kinds_2020, date(2020, 1, 3), date(2020, 4, 28))
    return rows


# -- deviation reports --------------------------------------------------------------------------

CATEGORIES = {
    2019: {
        "routine": 28,
        "information": 11,
        "collaboration": 3,
        "documentation": 2,
        "legal_requirement": 1,
        "it_system": 1,
        "other": 1,
    },
    2020: {
        "routine": 13,
        "information": 5,
        "collaboration": 2,
        "documentation": 1,
        "legal_requirement": 1,
        "it_system": 1,
    },
}
DESCRIPTIONS = {
    "routine": "Rutin saknades eller följdes inte.",
    "information": "Brist i information eller kommunikation.",
    "collaboration": "Brist i samverkan internt eller externt.",
    "legal_requirement": "Lagkrav, föreskrift eller beslut följdes inte.",
    "documentation": "Brist i dokumentationen.",
    "it_system": "Fel i verksamhetssystemet.",
    "other": "Övrig avvikelse.",
}
# Lex Sarah 2019 (index among 2019's reports by date: outcome, serious, description).
LEX_SARAH = {
    6: ("maltreatment", True, "Brist i hantering av sekretessbelagda uppgifter."),
    18: ("risk_of_maltreatment", True, "Brist i hantering av inkommen anmälan."),
    30: ("maltreatment", True, "Brist i hantering av sekretessbelagda uppgifter."),
    42: ("risk_of_maltreatment", False, "Brist i hantering av inkommen anmälan."),
}
OPEN_2020 = ["closed"] * 17 + ["measures_decided"] * 2 + ["investigating"] * 2 + ["reported"] * 2


@dataclass(frozen=True)
class DemoDeviation:
    reference: str
    area: str
    category: str
    severity: str
    description: str
    reported_on: date
    final_status: str
    lex_sarah: dict[str, Any] | None

    @property
    def investigating_on(self) -> date:
        return self.reported_on + timedelta(days=2)

    @property
    def measure_decided_on(self) -> date:
        return self.investigating_on + timedelta(days=5)

    @property
    def decided_on(self) -> date:
        return self.measure_decided_on + timedelta(days=int(self.reference[-2:]) % 10)

    @property
    def measure_due_on(self) -> date:
        return self.decided_on + timedelta(days=30)

    @property
    def closed_on(self) -> date:
        return self.decided_on + timedelta(days=5 + (int(self.reference[-3:]) * 7) % 45)


def demo_deviations() -> list[DemoDeviation]:
    rows: list[DemoDeviation] = []
    periods = {
        2019: (date(2019, 4, 1), date(2019, 12, 28)),
        2020: (date(2020, 1, 2), date(2020, 4, 28)),
    }
    for year, counts in CATEGORIES.items():
        categories = permuted([c for c, n in counts.items() for _ in range(n)])
        days = spread(*periods[year], len(categories))
        for i, (category, day) in enumerate(zip(categories, days, strict=True)):
            lex = LEX_SARAH.get(i) if year == 2019 else None
            status = "closed" if year == 2019 else OPEN_2020[i]
            lex_sarah = None
            description = DESCRIPTIONS[category]
            severity = ("low", "medium", "low", "high", "medium")[i % 5]
            if lex is not None:
                outcome, serious, description = lex
                severity = "high"
                lex_sarah = {"outcome": outcome, "serious": serious}
                if serious:
                    lex_sarah["ivo_notified_on"] = day + timedelta(days=12)
                    lex_sarah["ivo_reference"] = f"IVO 3.5.1-{4100 + i}/{year}"
            rows.append(
                DemoDeviation(
                    reference=f"AV-{year}-{i + 1:03d}",
                    area=AREAS[(i * 7) % len(AREAS)],
                    category=category,
                    severity=severity,
                    description=f"{description} (demo)",
                    reported_on=day,
                    final_status=status,
                    lex_sarah=lex_sarah,
                )
            )
    return rows


# -- unexecuted decisions -----------------------------------------------------------------------

Q4_2019_BUCKETS = {
    "months_3_6": (date(2019, 7, 1), date(2019, 9, 30)),
    "months_6_9": (date(2019, 3, 31), date(2019, 6, 30)),
    "months_9_12": (date(2018, 12, 31), date(2019, 3, 30)),
    "months_over_12": (date(2018, 1, 15), date(2018, 12, 30)),
}
# (intervention type, interrupted, bucket, women, men)
DECISION_TABLE = [
    (
        str(r["intervention_type"]),
        r["interrupted"] == "yes",
        str(r["bucket"]),
        int(str(r["women"])),
        int(str(r["men"])),
    )
    for r in read_table("quality_2380_unexecuted_decisions.csv").rows
]
REASONS = {
    "contact_person_family": "Ingen lämplig kontaktperson eller kontaktfamilj tillgänglig.",
    "family_treatment": "Väntetid till familjebehandlare.",
    "family_home": "Inget lämpligt familjehem tillgängligt.",
}


@dataclass(frozen=True)
class DemoDecision:
    reference: str
    intervention_type: str
    gender: str
    decision_on: date
    executed_on: date | None
    interrupted_on: date | None


def demo_decisions() -> list[DemoDecision]:
    rows: list[DemoDecision] = []
    for kind, interrupted, bucket, women, men in DECISION_TABLE:
        genders = permuted(["women"] * women + ["men"] * men)
        days = spread(*Q4_2019_BUCKETS[bucket], len(genders))
        for gender, day in zip(genders, days, strict=True):
            number = len(rows) + 1
            if interrupted:
                decided = day - timedelta(days=150)
                row = DemoDecision(
                    f"EVB-{number:03d}", kind, gender, decided, decided + timedelta(days=30), day
                )
            else:
                row = DemoDecision(f"EVB-{number:03d}", kind, gender, day, None, None)
            rows.append(row)
    return rows


# -- loading ------------------------------------------------------------------------------------


@dataclass
class QualityCounts:
    feedback: int = 0
    deviation_reports: int = 0
    decisions: int = 0

    def __str__(self) -> str:
        return (
            f"{self.deviation_reports} deviation report(s), {self.feedback} feedback, "
            f"{self.decisions} decision(s) added"
        )


async def _existing(ctx: Ctx, model: Any) -> dict[str, Any]:
    rows = (await ctx.session.scalars(select(model).where(model.source == SOURCE))).all()
    return {row.reference: row for row in rows}


async def load_quality(ctx: Ctx) -> QualityCounts:
    """Östersund's quality registers (idempotent)."""
    units = {u.code: u.id for u in (await ctx.session.scalars(select(OrgUnit))).all()}
    counts = QualityCounts()
    counts.feedback = await _load_feedback(ctx, units[OFFICE])
    counts.deviation_reports = await _load_deviations(ctx, units)
    counts.decisions = await _load_decisions(ctx, units[DECISION_UNIT])
    return counts


async def _load_feedback(ctx: Ctx, office: uuid.UUID) -> int:
    existing = await _existing(ctx, Feedback)
    added = 0
    for row in demo_feedback():
        if row.reference in existing:
            continue
        await feedback.create(
            ctx,
            FeedbackCreate.model_validate(
                {
                    "org_unit_id": office,
                    "kind": row.kind,
                    "topic": row.topic,
                    "received_on": row.received_on,
                    "answered_on": row.answered_on,
                    "source": SOURCE,
                    "reference": row.reference,
                }
            ),
        )
        added += 1
    return added


async def _load_deviations(ctx: Ctx, units: dict[str, uuid.UUID]) -> int:
    existing = await _existing(ctx, DeviationReport)
    added = 0
    for row in demo_deviations():
        report = existing.get(row.reference)
        if report is None:
            created = await deviations.create(
                ctx,
                DeviationReportCreate.model_validate(
                    {
                        "org_unit_id": units[row.area],
                        "category": row.category,
                        "severity": row.severity,
                        "description": row.description,
                        "occurred_on": row.reported_on - timedelta(days=1),
                        "reported_on": row.reported_on,
                        "lex_sarah": row.lex_sarah,
                        "source": SOURCE,
                        "reference": row.reference,
                    }
                ),
            )
            report = await deviations.get(ctx, created.id)
            added += 1
        await _handle(ctx, report, row)
    return added


async def _move(ctx: Ctx, report: DeviationReport, to: str, on: date) -> None:
    await deviations.transition(
        ctx, report.id, TransitionCreate.model_validate({"to": to, "moved_on": on})
    )


async def _handle(ctx: Ctx, report: DeviationReport, row: DemoDeviation) -> None:
    """Walk the report to its demo status, from wherever it is (resumable)."""
    order = ["reported", "investigating", "measures_decided", "closed"]
    target = order.index(row.final_status)
    if report.status == "reported" and target >= 1:
        await _move(ctx, report, "investigating", row.investigating_on)
    if target < 2:
        return
    measure = await ctx.session.scalar(
        select(DeviationMeasure).where(DeviationMeasure.report_id == report.id)
    )
    if measure is None and report.status == "investigating":
        await deviations.add_measure(
            ctx,
            report.id,
            MeasureCreate.model_validate(
                {
                    "description": "Rutinen ses över och berörd personal informeras.",
                    "responsible": "Enhetschef",
                    "decided_on": row.decided_on,
                    "due_on": row.measure_due_on,
                }
            ),
        )
    if report.status == "investigating":
        await _move(ctx, report, "measures_decided", row.decided_on)
    if target < 3 or report.status != "measures_decided":
        return
    measure = await ctx.session.scalar(
        select(DeviationMeasure).where(DeviationMeasure.report_id == report.id)
    )
    if measure is not None and measure.done_on is None:
        await deviations.update_measure(
            ctx, report.id, measure.id, MeasureUpdate(done_on=row.closed_on)
        )
    await _move(ctx, report, "closed", row.closed_on)


async def _load_decisions(ctx: Ctx, unit: uuid.UUID) -> int:
    existing = await _existing(ctx, UnexecutedDecision)
    added = 0
    for row in demo_decisions():
        decision = existing.get(row.reference)
        if decision is None:
            created = await decisions.create(
                ctx,
                DecisionCreate.model_validate(
                    {
                        "org_unit_id": unit,
                        "decision_on": row.decision_on,
                        "intervention_type": row.intervention_type,
                        "legal_basis": "sol_4_1",
                        "gender": row.gender,
                        "executed_on": row.executed_on,
                        "reason": REASONS[row.intervention_type],
                        "source": SOURCE,
                        "reference": row.reference,
                    }
                ),
            )
            decision_id, interruptions = created.id, created.interruptions
            added += 1
        else:
            decision_id = decision.id
            interruptions = (await decisions.read(ctx, decision)).interruptions
        if row.interrupted_on is not None and not interruptions:
            await decisions.add_interruption(
                ctx,
                decision_id,
                InterruptionCreate.model_validate(
                    {"interrupted_on": row.interrupted_on, "reason": "Avbrott i verkställigheten."}
                ),
            )
    return added
