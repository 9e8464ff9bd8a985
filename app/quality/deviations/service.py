"""Deviation reports: filing, the workflow of dated transitions, measures, Lex Sarah, statistics.

Workflow decisions (DOMAIN §9 is silent on them):

* Allowed moves: reported → investigating → measures_decided → closed, one step at a time, and
  closed → investigating to **reopen** (new facts, or IVO asks for more), with a comment
  required. Everything else — skipping a step, going back, staying put — is a 409. A report
  that needs no measures records that by moving to measures_decided without any.
* Every move is a :class:`DeviationTransition` row, dated (``moved_on``, default today, not in
  the future and not before the previous move) and signed with the caller's actor; the filing
  itself is the first row. Both rows and the report's change land in the audit trail.
* Closing needs: every measure done; for a Lex Sarah report the investigation outcome; when the
  outcome is maltreatment or a risk of it, the decision whether it is serious; and for a serious
  one the IVO notification date and reference. A refused close is a 409 whose ``errors`` name
  each missing field.
* A closed report is frozen: edits and measure changes are 409 until it is reopened.
* ``reported_on`` changes only while the report is still ``reported`` (the filing row moves
  with it): after that the workflow's dates hang on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, select

from app.auth.deps import Ctx
from app.errors import Conflict, FieldError, NotFound, Unprocessable
from app.orgunits.service import subtree_ids
from app.pagination import Keyset, PageParams
from app.quality.common import (
    ensure_reference_free,
    ensure_visible,
    not_before,
    not_in_future,
    today,
    visibility,
    writable_org_unit,
)
from app.quality.deviations.models import (
    DeviationCategory,
    DeviationMeasure,
    DeviationReport,
    DeviationStatus,
    DeviationTransition,
    LexSarahOutcome,
    Severity,
)
from app.quality.deviations.schemas import (
    DeviationReportCreate,
    DeviationReportRead,
    DeviationReportUpdate,
    LexSarah,
    LexSarahRead,
    MeasureCreate,
    MeasureRead,
    MeasureUpdate,
    TransitionCreate,
    TransitionRead,
)

S = DeviationStatus
ALLOWED_MOVES: dict[DeviationStatus, frozenset[DeviationStatus]] = {
    S.REPORTED: frozenset({S.INVESTIGATING}),
    S.INVESTIGATING: frozenset({S.MEASURES_DECIDED}),
    S.MEASURES_DECIDED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset({S.INVESTIGATING}),  # reopening, with a comment
}
MEASURES_OPEN_IN = frozenset({S.INVESTIGATING, S.MEASURES_DECIDED})

KEYSET = Keyset(
    columns={"reported_on": DeviationReport.reported_on, "created_at": DeviationReport.created_at},
    id_column=DeviationReport.id,
    default="-reported_on",
)

WHAT = "deviation report"


# -- reading ------------------------------------------------------------------------------------


def _measure_read(measure: DeviationMeasure, day: date) -> MeasureRead:
    return MeasureRead(
        id=measure.id,
        description=measure.description,
        responsible=measure.responsible,
        decided_on=measure.decided_on,
        due_on=measure.due_on,
        done_on=measure.done_on,
        overdue=measure.done_on is None and measure.due_on < day,
    )


def _lex_sarah_read(report: DeviationReport) -> LexSarahRead | None:
    if not report.lex_sarah:
        return None
    return LexSarahRead(
        outcome=LexSarahOutcome(report.lex_sarah_outcome) if report.lex_sarah_outcome else None,
        serious=report.lex_sarah_serious,
        ivo_notified_on=report.ivo_notified_on,
        ivo_reference=report.ivo_reference,
    )


async def read_many(ctx: Ctx, reports: Sequence[DeviationReport]) -> list[DeviationReportRead]:
    """Reports with their measures and transitions: two queries for the lot, no N+1."""
    ids = [r.id for r in reports]
    measures: dict[uuid.UUID, list[DeviationMeasure]] = {i: [] for i in ids}
    transitions: dict[uuid.UUID, list[DeviationTransition]] = {i: [] for i in ids}
    if ids:
        for m in (
            await ctx.session.scalars(
                select(DeviationMeasure)
                .where(DeviationMeasure.report_id.in_(ids))
                .order_by(DeviationMeasure.due_on, DeviationMeasure.id)
            )
        ).all():
            measures[m.report_id].append(m)
        for t in (
            await ctx.session.scalars(
                select(DeviationTransition)
                .where(DeviationTransition.report_id.in_(ids))
                .order_by(DeviationTransition.moved_on, DeviationTransition.id)
            )
        ).all():
            transitions[t.report_id].append(t)
    day = today()
    result = []
    for r in reports:
        measure_reads = [_measure_read(m, day) for m in measures[r.id]]
        result.append(
            DeviationReportRead(
                id=r.id,
                org_unit_id=r.org_unit_id,
                category=DeviationCategory(r.category),
                severity=Severity(r.severity),
                description=r.description,
                occurred_on=r.occurred_on,
                reported_on=r.reported_on,
                status=S(r.status),
                closed_on=r.closed_on,
                days_to_close=(r.closed_on - r.reported_on).days if r.closed_on else None,
                lex_sarah=_lex_sarah_read(r),
                source=r.source,
                reference=r.reference,
                measures=measure_reads,
                overdue_measures=sum(1 for m in measure_reads if m.overdue),
                transitions=[TransitionRead.model_validate(t) for t in transitions[r.id]],
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
        )
    return result


async def read(ctx: Ctx, report: DeviationReport) -> DeviationReportRead:
    [result] = await read_many(ctx, [report])
    return result


async def get(ctx: Ctx, report_id: uuid.UUID, *, lock: bool = False) -> DeviationReport:
    stmt = select(DeviationReport).where(DeviationReport.id == report_id)
    if lock:
        stmt = stmt.with_for_update()
    report = await ctx.session.scalar(stmt)
    if report is None:
        raise NotFound(f"{WHAT} not found")
    await ensure_visible(ctx, report.org_unit_id, WHAT)
    return report


@dataclass(frozen=True)
class DeviationFilter:
    org_unit_id: uuid.UUID | None = None
    status: DeviationStatus | None = None
    category: str | None = None
    severity: str | None = None
    lex_sarah: bool | None = None
    ivo_notified: bool | None = None
    reported_from: date | None = None
    reported_to: date | None = None
    overdue: bool | None = None
    source: str | None = None
    reference: str | None = None


def conditions_for(ctx: Ctx, f: DeviationFilter) -> list[Any]:
    conditions: list[Any] = []
    visible = visibility(ctx, DeviationReport.org_unit_id)
    if visible is not None:
        conditions.append(visible)
    if f.org_unit_id is not None:
        conditions.append(DeviationReport.org_unit_id.in_(subtree_ids(f.org_unit_id)))
    if f.status is not None:
        conditions.append(DeviationReport.status == f.status.value)
    if f.category is not None:
        conditions.append(DeviationReport.category == f.category)
    if f.severity is not None:
        conditions.append(DeviationReport.severity == f.severity)
    if f.lex_sarah is not None:
        conditions.append(DeviationReport.lex_sarah == f.lex_sarah)
    if f.ivo_notified is not None:
        notified = DeviationReport.ivo_notified_on.is_not(None)
        conditions.append(notified if f.ivo_notified else ~notified)
    if f.reported_from is not None:
        conditions.append(DeviationReport.reported_on >= f.reported_from)
    if f.reported_to is not None:
        conditions.append(DeviationReport.reported_on <= f.reported_to)
    if f.overdue is not None:
        overdue = exists().where(
            DeviationMeasure.report_id == DeviationReport.id,
            DeviationMeasure.done_on.is_(None),
            DeviationMeasure.due_on < today(),
        )
        conditions.append(overdue if f.overdue else ~overdue)
    if f.source is not None:
        conditions.append(DeviationReport.source == f.source)
    if f.reference is not None:
        conditions.append(DeviationReport.reference == f.reference)
    return conditions


async def list_reports(
    ctx: Ctx, f: DeviationFilter, page: PageParams, sort: str
) -> tuple[list[DeviationReportRead], str | None]:
    stmt = select(DeviationReport).where(*conditions_for(ctx, f))
    rows = (await ctx.session.scalars(KEYSET.apply(stmt, sort, page.cursor, page.limit))).all()
    items, next_cursor = KEYSET.page(rows, sort, page.limit)
    return await read_many(ctx, items), next_cursor


# -- writing ------------------------------------------------------------------------------------


def _check_dates(occurred_on: date | None, reported_on: date) -> None:
    not_in_future("body.reported_on", reported_on)
    not_in_future("body.occurred_on", occurred_on)
    if occurred_on is not None and occurred_on > reported_on:
        raise Unprocessable.for_field(
            "body.occurred_on", "after_reported_on", "occurred_on must not be after reported_on"
        )


def _apply_lex_sarah(report: DeviationReport, lex: LexSarah | None) -> None:
    if lex is None:
        report.lex_sarah = False
        report.lex_sarah_outcome = None
        report.lex_sarah_serious = None
        report.ivo_notified_on = None
        report.ivo_reference = None
        return
    not_in_future("body.lex_sarah.ivo_notified_on", lex.ivo_notified_on)
    not_before(
        "body.lex_sarah.ivo_notified_on",
        lex.ivo_notified_on,
        report.reported_on,
        "the report's reported_on",
    )
    report.lex_sarah = True
    report.lex_sarah_outcome = lex.outcome.value if lex.outcome else None
    report.lex_sarah_serious = lex.serious
    report.ivo_notified_on = lex.ivo_notified_on
    report.ivo_reference = lex.ivo_reference


def _actor(ctx: Ctx) -> dict[str, Any]:
    return {"actor": ctx.principal.actor, "actor_name": ctx.principal.actor_name}


async def create(ctx: Ctx, data: DeviationReportCreate) -> DeviationReportRead:
    await writable_org_unit(ctx, data.org_unit_id)
    _check_dates(data.occurred_on, data.reported_on)
    await ensure_reference_free(ctx, DeviationReport, data.source, data.reference)
    report = DeviationReport(
        municipality_id=ctx.municipality_id,
        org_unit_id=data.org_unit_id,
        category=data.category.value,
        severity=data.severity.value,
        description=data.description,
        occurred_on=data.occurred_on,
        reported_on=data.reported_on,
        status=S.REPORTED.value,
        source=data.source,
        reference=data.reference,
    )
    _apply_lex_sarah(report, data.lex_sarah)
    ctx.session.add(report)
    await ctx.session.flush()
    ctx.session.add(
        DeviationTransition(
            municipality_id=ctx.municipality_id,
            report_id=report.id,
            from_status=None,
            to_status=S.REPORTED.value,
            moved_on=data.reported_on,
            **_actor(ctx),
        )
    )
    await ctx.commit()
    return await read(ctx, report)


def _refuse_if_closed(report: DeviationReport) -> None:
    if report.status == S.CLOSED.value:
        raise Conflict("the report is closed; reopen it (transition to investigating) first")


async def update(
    ctx: Ctx, report_id: uuid.UUID, data: DeviationReportUpdate
) -> DeviationReportRead:
    report = await get(ctx, report_id, lock=True)
    _refuse_if_closed(report)
    given = data.model_fields_set
    nullable = {"occurred_on", "lex_sarah", "source", "reference"}
    for name in given - nullable:
        if getattr(data, name) is None:
            raise Unprocessable.for_field(f"body.{name}", "null", f"{name} cannot be null")
    if data.org_unit_id is not None and data.org_unit_id != report.org_unit_id:
        await writable_org_unit(ctx, data.org_unit_id)
        report.org_unit_id = data.org_unit_id
    if data.reported_on is not None and data.reported_on != report.reported_on:
        if report.status != S.REPORTED.value:
            raise Conflict("reported_on changes only while the report is still 'reported'")
        filing = await ctx.session.scalar(
            select(DeviationTransition).where(
                DeviationTransition.report_id == report.id,
                DeviationTransition.from_status.is_(None),
            )
        )
        if filing is not None:
            filing.moved_on = data.reported_on
        report.reported_on = data.reported_on
    occurred_on = data.occurred_on if "occurred_on" in given else report.occurred_on
    _check_dates(occurred_on, report.reported_on)
    report.occurred_on = occurred_on
    source = data.source if "source" in given else report.source
    reference = data.reference if "reference" in given else report.reference
    await ensure_reference_free(ctx, DeviationReport, source, reference, except_id=report.id)
    report.source, report.reference = source, reference
    for name in ("category", "severity"):
        value = getattr(data, name)
        if value is not None:
            setattr(report, name, value.value)
    if data.description is not None:
        report.description = data.description
    if "lex_sarah" in given:
        _apply_lex_sarah(report, data.lex_sarah)
    await ctx.commit()
    return await read(ctx, report)


async def delete(ctx: Ctx, report_id: uuid.UUID) -> None:
    """Only a report filed by mistake, still ``reported``, is deleted; the rest are kept."""
    report = await get(ctx, report_id, lock=True)
    if report.status != S.REPORTED.value:
        raise Conflict("only a report still 'reported' can be deleted; its handling is history")
    for transition in (
        await ctx.session.scalars(
            select(DeviationTransition).where(DeviationTransition.report_id == report.id)
        )
    ).all():
        await ctx.session.delete(transition)
    await ctx.session.flush()
    await ctx.session.delete(report)
    await ctx.commit()


async def _closing_errors(ctx: Ctx, report: DeviationReport) -> list[FieldError]:
    errors: list[FieldError] = []

    def missing(field: str, message: str) -> None:
        errors.append(FieldError(field=field, code="required_before_closing", message=message))

    if report.lex_sarah:
        if report.lex_sarah_outcome is None:
            missing("lex_sarah.outcome", "a Lex Sarah report needs its investigation outcome")
        elif (
            report.lex_sarah_outcome != LexSarahOutcome.NEITHER.value
            and report.lex_sarah_serious is None
        ):
            missing("lex_sarah.serious", "decide whether the maltreatment (risk) is serious")
        if report.lex_sarah_serious:
            if report.ivo_notified_on is None:
                missing("lex_sarah.ivo_notified_on", "a serious case needs its IVO notification")
            if report.ivo_reference is None:
                missing("lex_sarah.ivo_reference", "a serious case needs IVO's reference")
    undone = await ctx.session.scalar(
        select(func.count())
        .select_from(DeviationMeasure)
        .where(DeviationMeasure.report_id == report.id, DeviationMeasure.done_on.is_(None))
    )
    if undone:
        errors.append(
            FieldError(
                field="measures",
                code="measures_not_done",
                message=f"{undone} measure(s) not done",
            )
        )
    return errors


async def transition(ctx: Ctx, report_id: uuid.UUID, data: TransitionCreate) -> DeviationReportRead:
    report = await get(ctx, report_id, lock=True)
    current, target = S(report.status), data.to
    if target not in ALLOWED_MOVES[current]:
        allowed = ", ".join(sorted(ALLOWED_MOVES[current]))
        raise Conflict(f"a '{current}' report cannot move to '{target}'; allowed: {allowed}")
    moved_on = data.moved_on or today()
    not_in_future("body.moved_on", moved_on)
    previous = await ctx.session.scalar(
        select(func.max(DeviationTransition.moved_on)).where(
            DeviationTransition.report_id == report.id
        )
    )
    not_before("body.moved_on", moved_on, previous, "the previous move")
    reopening = current is S.CLOSED
    if reopening and data.comment is None:
        raise Unprocessable.for_field(
            "body.comment", "required", "say why the closed report is reopened"
        )
    if target is S.CLOSED:
        errors = await _closing_errors(ctx, report)
        if errors:
            raise Conflict(
                "the report cannot be closed yet: " + "; ".join(e.message for e in errors),
                errors=errors,
            )
    ctx.session.add(
        DeviationTransition(
            municipality_id=ctx.municipality_id,
            report_id=report.id,
            from_status=current.value,
            to_status=target.value,
            moved_on=moved_on,
            comment=data.comment,
            **_actor(ctx),
        )
    )
    report.status = target.value
    report.closed_on = moved_on if target is S.CLOSED else None
    await ctx.commit()
    return await read(ctx, report)


# -- measures -----------------------------------------------------------------------------------


def _measures_editable(report: DeviationReport) -> None:
    if report.status not in MEASURES_OPEN_IN:
        raise Conflict(
            "measures are decided while the report is 'investigating' or 'measures_decided'"
            f"; it is '{report.status}'"
        )


async def _measure(ctx: Ctx, report: DeviationReport, measure_id: uuid.UUID) -> DeviationMeasure:
    measure = await ctx.session.scalar(
        select(DeviationMeasure).where(
            DeviationMeasure.id == measure_id, DeviationMeasure.report_id == report.id
        )
    )
    if measure is None:
        raise NotFound("measure not found")
    return measure


def _check_measure(measure: DeviationMeasure, report: DeviationReport) -> None:
    not_in_future("body.decided_on", measure.decided_on)
    not_before("body.decided_on", measure.decided_on, report.reported_on, "reported_on")
    not_before("body.due_on", measure.due_on, measure.decided_on, "decided_on")
    not_in_future("body.done_on", measure.done_on)
    not_before("body.done_on", measure.done_on, measure.decided_on, "decided_on")


async def add_measure(ctx: Ctx, report_id: uuid.UUID, data: MeasureCreate) -> DeviationReportRead:
    report = await get(ctx, report_id, lock=True)
    _measures_editable(report)
    measure = DeviationMeasure(
        municipality_id=ctx.municipality_id,
        report_id=report.id,
        description=data.description,
        responsible=data.responsible,
        decided_on=data.decided_on or today(),
        due_on=data.due_on,
        done_on=data.done_on,
    )
    _check_measure(measure, report)
    ctx.session.add(measure)
    await ctx.commit()
    return await read(ctx, report)


async def update_measure(
    ctx: Ctx, report_id: uuid.UUID, measure_id: uuid.UUID, data: MeasureUpdate
) -> DeviationReportRead:
    report = await get(ctx, report_id, lock=True)
    measure = await _measure(ctx, report, measure_id)
    _measures_editable(report)
    given = data.model_fields_set
    for name in ("description", "due_on"):
        if name in given and getattr(data, name) is None:
            raise Unprocessable.for_field(f"body.{name}", "null", f"{name} cannot be null")
    for name in ("description", "responsible", "due_on", "done_on"):
        if name in given:
            setattr(measure, name, getattr(data, name))
    _check_measure(measure, report)
    await ctx.commit()
    return await read(ctx, report)


async def delete_measure(
    ctx: Ctx, report_id: uuid.UUID, measure_id: uuid.UUID
) -> DeviationReportRead:
    report = await get(ctx, report_id, lock=True)
    measure = await _measure(ctx, report, measure_id)
    _measures_editable(report)
    await ctx.session.delete(measure)
    await ctx.commit()
    return await read(ctx, report)
