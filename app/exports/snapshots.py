"""Reproducible exports of data that is not versioned in system time (see app.exports.models).

The first time an export of such a kind is asked for with a given query and ``as_of``, it is
built from the data as it is now. That is the data as it stood at ``as_of`` only if nothing that
feeds the export changed after ``as_of``; every change leaves a trace (an audit event, or for
budget lines and placements a version, which a batch writes without an event per row), so that
is checked, and if something did change the export is refused (409) rather than answered with
today's figures under an earlier date. What it answers is stored, and from then on the same query
with the same ``as_of`` answers exactly that, in any format, however the data changes.

``FEEDS`` names, per kind, the audited (or versioned) entity types its content is built from.
Measurements and assessments are not among them: the scorecard reads those as they stood at
``as_of`` itself.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.auth.deps import Ctx
from app.errors import Conflict
from app.exports.models import ExportSnapshot
from app.versions.models import VERSIONED, EntityVersion

ORGANISATION = ("org_unit",)
DEFINITIONS = (
    *ORGANISATION,
    "goal",
    "goal_indicator",
    "indicator",
    "target",
    "benchmark_group",
    "kolada_import",
)
BUDGET = (
    *ORGANISATION,
    "budget_category",
    "budget_account",
    "budget_frame",
    "budget_frame_adjustment",
    "budget_line",
)
PLACEMENTS = (
    *ORGANISATION,
    "placement",
    "placement_aggregate",
    "placement_category",
    "placement_provider",
    "placement_budget",
)
FEEDS: dict[str, tuple[str, ...]] = {
    "scorecard": DEFINITIONS,
    "budget-follow-up": BUDGET,
    "placement-follow-up": PLACEMENTS,
    "deviation-statistics": (
        *ORGANISATION,
        "deviation_report",
        "deviation_transition",
        "deviation_measure",
    ),
    "ivo-report": (*ORGANISATION, "unexecuted_decision", "decision_interruption"),
    "committee-report": tuple(dict.fromkeys((*DEFINITIONS, *BUDGET, *PLACEMENTS))),
    # What the document adds to the committee report (app.reports.data); the monthly scorecards
    # read measurements and assessments as of as_of themselves.
    "committee-document": (
        *DEFINITIONS,
        "deviation_report",
        "deviation_transition",
        "deviation_measure",
        "unexecuted_decision",
        "decision_interruption",
        "control_plan",
        "control_point",
        "control_result",
        "action_plan",
        "action_plan_item",
        "action_plan_follow_up",
    ),
}

Row = Sequence[Any]


def query_key(kind: str, query: dict[str, str], as_of: datetime) -> str:
    """The same question asked with ``as_of`` in any time zone gives the same key."""
    canonical = {**query, "as_of": as_of.astimezone(UTC).isoformat()}
    return hashlib.sha256(
        orjson.dumps({"kind": kind, "query": canonical}, option=orjson.OPT_SORT_KEYS)
    ).hexdigest()


def encode_cell(value: Any) -> Any:
    """A row cell as JSON, keeping its type: the writers format a Decimal, a date or a datetime
    differently from its text, so those are tagged and come back as what they were."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"an export cell of type {type(value).__name__} cannot be kept")


def decode_cell(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    text = value["v"]
    if value["$"] == "decimal":
        return Decimal(text)
    if value["$"] == "datetime":
        return datetime.fromisoformat(text)
    return date.fromisoformat(text)


def encode_rows(rows: Sequence[Row]) -> list[list[Any]]:
    return [[encode_cell(v) for v in row] for row in rows]


def decode_rows(content: Any) -> list[list[Any]]:
    return [[decode_cell(v) for v in row] for row in content]


async def _stored(ctx: Ctx, kind: str, key: str) -> ExportSnapshot | None:
    found: ExportSnapshot | None = await ctx.session.scalar(
        select(ExportSnapshot).where(ExportSnapshot.kind == kind, ExportSnapshot.query_key == key)
    )
    return found


async def _changed_since(ctx: Ctx, kind: str, as_of: datetime) -> bool:
    """Whether anything the kind is built from was written after ``as_of``: an audit event of
    a fed entity type, or a version of one (a batch's budget lines and placements have no event
    of their own, issue 18, but a version each)."""
    e, v = AuditEvent, EntityVersion
    feeds = FEEDS[kind]
    if await ctx.session.scalar(
        select(exists().where(e.entity_type.in_(feeds), e.occurred_at > as_of))
    ):
        return True
    versioned = [name for name in feeds if name in VERSIONED]
    return bool(
        versioned
        and await ctx.session.scalar(
            select(exists().where(v.entity_type.in_(versioned), v.sys_from > as_of))
        )
    )


async def _refuse_if_changed_since(ctx: Ctx, kind: str, as_of: datetime) -> None:
    if await _changed_since(ctx, kind, as_of):
        raise Conflict(
            f"the data behind the {kind} export changed after as_of and is kept as it is now, "
            "not as it stood then; no export with this query and as_of was taken at the time. "
            "Ask without as_of (now), or with the as_of of an export taken before "
            "(the audit trail lists them: entity_type=export)."
        )


async def reproducible(
    ctx: Ctx,
    kind: str,
    query: dict[str, str],
    as_of: datetime,
    build: Callable[[], Awaitable[Any]],
    encode: Callable[[Any], Any] = lambda content: content,
    decode: Callable[[Any], Any] = lambda content: content,
) -> Any:
    """The content this query and ``as_of`` answered before; else built now, if the data has
    not changed since ``as_of``, and kept. Both paths return the decoded stored form, so the
    first answer and every later one are formatted from the same values. Building comes before
    the check so that a problem with the query itself (a 404) is answered as such."""
    key = query_key(kind, query, as_of)
    stored = await _stored(ctx, kind, key)
    if stored is not None:
        return decode(stored.content)
    built = await build()
    await _refuse_if_changed_since(ctx, kind, as_of)
    content = encode(built)
    ctx.session.add(
        ExportSnapshot(
            municipality_id=ctx.municipality_id,
            kind=kind,
            query_key=key,
            query=query,
            content=content,
        )
    )
    try:
        await ctx.commit()
    except IntegrityError:  # the same export, asked at the same moment, was kept first
        await ctx.session.rollback()
        stored = await _stored(ctx, kind, key)
        if stored is None:
            raise
        return decode(stored.content)
    return decode(content)
