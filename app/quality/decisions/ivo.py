"""The quarterly IVO report of decisions not executed in time (DOMAIN §9, seed 001 §6.4.5).

As of the quarter's last day Q, a granted decision is reportable when

* it is **not executed** by Q (no ``executed_on``, or one after Q), has not ended by Q, and more
  than three months have passed from ``decision_on`` to Q; or
* it was executed but is **interrupted** at Q (an interruption started on or before Q and not
  resumed by Q), has not ended by Q, and more than three months have passed from the
  interruption to Q. An interrupted decision counts from its interruption, not its decision.

"More than three months" is calendar months: the day reached by adding three months to the start
(clamped to the month's end: 30 November + 3 months = 28/29 February), and Q must lie *after*
it. **Exactly three months is not yet reportable** (decided 2019-09-30, Q = 2019-12-31: reportable,
since 2019-09-30 + 3 months = 2019-12-30; decided 2019-06-30, Q = 2019-09-30: not reportable). The
same rule draws the bucket edges: 3–6 means more than 3 and at most 6 months, …, and "> 12" more
than twelve. Exactly six months therefore still falls in 3–6.

Because adding months never decreases a date, "more than n months before Q" is the same as
"before a cut-off day": the first day d with d + n months ≥ Q. The four cut-offs are worked out
here and the database groups by a CASE over them: counting is SQL, not Python.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from app.auth.deps import Ctx
from app.periods import Period
from app.quality.common import visibility
from app.quality.decisions.models import (
    DecisionGender,
    DecisionInterruption,
    InterventionType,
    LegalBasis,
    UnexecutedDecision,
)
from app.quality.decisions.schemas import (
    IvoBucket,
    IvoDecision,
    IvoKind,
    IvoReport,
    IvoRow,
)

BUCKETS = ("months_3_6", "months_6_9", "months_9_12", "months_over_12")
LABELS = {
    "months_3_6": "more than 3, at most 6 months",
    "months_6_9": "more than 6, at most 9 months",
    "months_9_12": "more than 9, at most 12 months",
    "months_over_12": "more than 12 months",
}


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoff(quarter_end: date, months: int) -> date:
    """The first day d with ``add_months(d, months) >= quarter_end``: a decision (or an
    interruption) before it has waited more than ``months`` months at ``quarter_end``."""
    day = add_months(quarter_end, -months)
    while add_months(day - timedelta(days=1), months) >= quarter_end:
        day -= timedelta(days=1)
    while add_months(day, months) < quarter_end:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Cutoffs:
    quarter_end: date
    m3: date
    m6: date
    m9: date
    m12: date

    @classmethod
    def at(cls, quarter_end: date) -> Cutoffs:
        return cls(quarter_end, *(cutoff(quarter_end, n) for n in (3, 6, 9, 12)))

    def bucket(self, waiting_since: Any) -> Any:
        """The bucket name of a start date, as SQL (rows already filtered to before ``m3``)."""
        return case(
            (waiting_since < self.m12, "months_over_12"),
            (waiting_since < self.m9, "months_9_12"),
            (waiting_since < self.m6, "months_6_9"),
            else_="months_3_6",
        )

    def buckets(self) -> list[IvoBucket]:
        day = timedelta(days=1)
        return [
            IvoBucket(
                name="months_3_6",
                label=LABELS["months_3_6"],
                waiting_since_from=self.m6,
                waiting_since_to=self.m3 - day,
            ),
            IvoBucket(
                name="months_6_9",
                label=LABELS["months_6_9"],
                waiting_since_from=self.m9,
                waiting_since_to=self.m6 - day,
            ),
            IvoBucket(
                name="months_9_12",
                label=LABELS["months_9_12"],
                waiting_since_from=self.m12,
                waiting_since_to=self.m9 - day,
            ),
            IvoBucket(
                name="months_over_12",
                label=LABELS["months_over_12"],
                waiting_since_from=None,
                waiting_since_to=self.m12 - day,
            ),
        ]


def _branches(ctx: Ctx, cut: Cutoffs) -> list[tuple[IvoKind, Any, list[Any], bool]]:
    """(kind, the date counted from, conditions, joins interruptions) of both kinds."""
    d, i, q = UnexecutedDecision, DecisionInterruption, cut.quarter_end
    alive = or_(d.ended_on.is_(None), d.ended_on > q)
    visible = visibility(ctx, d.org_unit_id)
    common = [alive] if visible is None else [alive, visible]
    not_executed = [
        d.decision_on < cut.m3,
        or_(d.executed_on.is_(None), d.executed_on > q),
        *common,
    ]
    interrupted = [
        i.interrupted_on < cut.m3,
        or_(i.resumed_on.is_(None), i.resumed_on > q),
        d.executed_on <= q,
        *common,
    ]
    return [
        (IvoKind.NOT_EXECUTED, d.decision_on, not_executed, False),
        (IvoKind.INTERRUPTED, i.interrupted_on, interrupted, True),
    ]


def _select(*columns: Any, joins: bool) -> Any:
    stmt = select(*columns).select_from(UnexecutedDecision)
    if joins:
        stmt = stmt.join(
            DecisionInterruption, DecisionInterruption.decision_id == UnexecutedDecision.id
        )
    return stmt


def _counts(**values: int) -> dict[str, int]:
    counts = {name: values.get(name, 0) for name in BUCKETS}
    return {**counts, "total": sum(counts.values())}


def _summed(rows: Sequence[IvoRow], **keys: Any) -> IvoRow:
    return IvoRow(**keys, **_counts(**{b: sum(getattr(r, b) for r in rows) for b in BUCKETS}))


async def report(ctx: Ctx, quarter: Period) -> IvoReport:
    cut = Cutoffs.at(quarter.end)
    d = UnexecutedDecision
    rows: list[IvoRow] = []
    decisions: list[IvoDecision] = []
    for kind, since, conditions, joins in _branches(ctx, cut):
        bucket = cut.bucket(since)
        grouped = (
            await ctx.session.execute(
                _select(d.intervention_type, d.gender, bucket, func.count(), joins=joins)
                .where(and_(*conditions))
                .group_by(d.intervention_type, d.gender, bucket)
            )
        ).all()
        cells: dict[tuple[str, str], dict[str, int]] = {}
        for intervention_type, gender, name, count in grouped:
            cells.setdefault((intervention_type, gender), {})[name] = int(count)
        rows += [
            IvoRow(
                kind=kind,
                intervention_type=InterventionType(t),
                gender=DecisionGender(g),
                **_counts(**counts),
            )
            for (t, g), counts in sorted(cells.items())
        ]
        listed = (
            await ctx.session.execute(
                _select(d, since.label("since"), bucket.label("bucket"), joins=joins)
                .where(and_(*conditions))
                .order_by(since, d.id)
            )
        ).all()
        decisions += [
            IvoDecision(
                id=row.id,
                reference=row.reference,
                org_unit_id=row.org_unit_id,
                kind=kind,
                intervention_type=InterventionType(row.intervention_type),
                legal_basis=LegalBasis(row.legal_basis),
                gender=DecisionGender(row.gender),
                decision_on=row.decision_on,
                interrupted_on=started if kind is IvoKind.INTERRUPTED else None,
                waiting_since=started,
                days_waiting=(cut.quarter_end - started).days,
                bucket=name,
                reason=row.reason,
            )
            for row, started, name in listed
        ]
    by_type = [
        _summed(
            [r for r in rows if r.kind is kind and r.intervention_type is t],
            kind=kind,
            intervention_type=t,
            gender=None,
        )
        for kind in IvoKind
        for t in sorted({r.intervention_type for r in rows if r.kind is kind}, key=str)
    ]
    totals = [
        _summed([r for r in rows if r.kind is kind], kind=kind, intervention_type=None, gender=None)
        for kind in IvoKind
    ]
    totals.append(_summed(rows, kind=None, intervention_type=None, gender=None))
    decisions.sort(key=lambda x: (x.waiting_since, str(x.id)))
    return IvoReport(
        quarter=str(quarter),
        quarter_end=quarter.end,
        buckets=cut.buckets(),
        rows=rows,
        by_type=by_type,
        totals=totals,
        decisions=decisions,
    )


SUMMARY_COLUMNS = ("quarter", "kind", "intervention_type", "gender", *BUCKETS, "total")
DECISION_COLUMNS = (
    "quarter",
    "id",
    "reference",
    "org_unit_id",
    "kind",
    "intervention_type",
    "legal_basis",
    "gender",
    "decision_on",
    "interrupted_on",
    "days_waiting",
    "bucket",
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def to_csv(result: IvoReport, table: str, delimiter: str = ",", bom: bool = False) -> str:
    """The summary (rows, then subtotals per kind × type, per kind, and the total, where an empty
    cell means "all"), or one line per reportable decision. Comma-separated, UTF-8, header row.
    The free-text reason is left out of the CSV: it is in the JSON. ``delimiter`` and ``bom`` as
    for the exports (every value is a count, a date or a code: no decimal to write with a comma).
    """
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if table == "decisions":
        writer.writerow(DECISION_COLUMNS)
        for decision in result.decisions:
            values = decision.model_dump()
            writer.writerow([result.quarter, *(_text(values[c]) for c in DECISION_COLUMNS[1:])])
        return out.getvalue()
    writer.writerow(SUMMARY_COLUMNS)
    for row in [*result.rows, *result.by_type, *result.totals]:
        values = row.model_dump()
        writer.writerow([result.quarter, *(_text(values[c]) for c in SUMMARY_COLUMNS[1:])])
    return out.getvalue()
