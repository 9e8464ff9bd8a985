import base64
import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel

from app.audit.schemas import (
    ActionParam,
    ActorParam,
    EntityIdParam,
    EntityTypeParam,
    RequestIdParam,
    SinceParam,
    UntilParam,
)
from app.auth.deps import Ctx, Require, writes
from app.auth.permissions import Permission
from app.db import utcnow
from app.errors import Unprocessable, problem_responses
from app.exports import service
from app.exports.formats import MEDIA_TYPES, CsvOptions, ExportFormat
from app.exports.kinds import ExportQuery
from app.exports.report import committee_report as committee_report_data
from app.exports.report import report_json, report_xlsx
from app.fields import IsoDateTime, PeriodText, iso_utc
from app.measurements.models import Gender, MeasurementStatus
from app.measurements.schemas import IndicatorCodeParam, OrgUnitCodeParam, SourceSystemParam
from app.periods import Period
from app.quality.deviations.models import DeviationCategory, Severity
from app.quality.deviations.statistics import DeviationDimension
from app.reports import service as documents
from app.reports.catalogue import choose_lang, with_swedish_explanations

# Every export records who pulled it (and some a snapshot): GETs that write.
router = APIRouter(
    prefix="/exports",
    tags=["exports"],
    responses=problem_responses(401, 403),
    dependencies=[Depends(writes)],
)

Kind = Literal[
    "measurements",
    "scorecard",
    "audit-events",
    "ivo-report",
    "deviation-statistics",
    "placement-follow-up",
    "budget-follow-up",
]
Exporter = Annotated[Ctx, Depends(Require(Permission.EXPORTS_READ))]
DESCRIPTION = """
Exports for auditors and for archiving, as CSV (UTF-8; `delimiter=;` gives Swedish Excel's
semicolons and decimal commas; a BOM by default; LF line ends), XLSX (typed cells, frozen
header), JSON or NDJSON.

**Reproducible**: pass `as_of` (a time, not in the future); the same query with the same `as_of`
returns byte-identical content however the data changed since. Without `as_of` the export is as
of now, and the `X-Export-As-Of` header says which time to pass to reproduce it. Measurements and
the audit trail are read as they stood at any `as_of`. The other kinds are built from data kept
as it is now (definitions, budget, placements, the quality registers): what such an export
answered is kept, and the same query and `as_of` answer it again; an `as_of` before a change of
that data, at which no export was taken, is a 409 rather than today's figures. **Streamed**: rows
leave as they are read. **Evidence**: `…/{kind}/manifest` with the same parameters answers the row
count, size and SHA-256 of exactly this content. Every export is recorded in the audit trail.

Each kind takes the filters and groupings of the resource it exports and nothing else: a
parameter the kind does not take is a 422 (`unknown_parameter`), never silently ignored.

Kinds: `measurements` (filters as `GET /measurements`: indicator_id, org_unit_id, subtree_of,
period_from, period_to, gender, source_system, status), `scorecard` (org_unit_id, period),
`audit-events` (filters as `GET /audit-events`: entity_type, entity_id, action, actor,
request_id, batch_id, since, until; needs audit:read),
`ivo-report` (quarter), `deviation-statistics` (as `GET /deviation-reports/statistics`:
group_by, period_from, period_to, org_unit_id or subtree_of for the subtree, category, severity,
lex_sarah),
`placement-follow-up` (period, org_unit_id, tolerance), `budget-follow-up` (org_unit_id,
period: up to its last month, tolerance, group_by=org_unit with depth: after the unit's rows, the
year-end table's revenue, cost and net rows per unit, each with its org_unit_code, path and own).
"""


@dataclass(frozen=True)
class ExportParams:
    format: ExportFormat
    query: ExportQuery
    csv: CsvOptions


def content_digest(content: bytes) -> str:
    """RFC 9530 digest (``Repr-Digest``, and ``Content-Digest`` while unencoded) of a body whose
    length is known before it is sent."""
    return "sha-256=:" + base64.b64encode(hashlib.sha256(content).digest()).decode() + ":"


def export_moment(as_of: datetime | None) -> datetime:
    """``as_of`` as asked, or now; never later than now, when the data may still change."""
    now = utcnow()
    if as_of is None:
        return now
    if as_of > now:
        raise Unprocessable.for_field(
            "query.as_of", "in_future", "as_of is later than now: the data may still change"
        )
    return as_of


async def export_params(
    format: ExportFormat = ExportFormat.CSV,
    as_of: Annotated[IsoDateTime | None, Query(description="Data as it stood then.")] = None,
    delimiter: Annotated[Literal[",", ";"], Query(description="CSV separator.")] = ",",
    bom: Annotated[bool, Query(description="CSV: start with a UTF-8 BOM (for Excel).")] = True,
    indicator_id: uuid.UUID | None = None,
    indicator_code: IndicatorCodeParam = None,
    org_unit_id: uuid.UUID | None = None,
    org_unit_code: OrgUnitCodeParam = None,
    subtree_of: uuid.UUID | None = None,
    period_from: Annotated[PeriodText | None, Query()] = None,
    period_to: Annotated[PeriodText | None, Query()] = None,
    period: Annotated[PeriodText | None, Query(description="Scorecard: as of this period.")] = None,
    gender: Gender | None = None,
    source_system: SourceSystemParam = None,
    status: MeasurementStatus | None = None,
    entity_type: EntityTypeParam = None,
    entity_id: EntityIdParam = None,
    action: ActionParam = None,
    actor: ActorParam = None,
    request_id: RequestIdParam = None,
    batch_id: uuid.UUID | None = None,
    since: SinceParam = None,
    until: UntilParam = None,
    category: Annotated[DeviationCategory | None, Query(description="Deviations.")] = None,
    severity: Annotated[Severity | None, Query(description="Deviations.")] = None,
    lex_sarah: Annotated[bool | None, Query(description="Deviations.")] = None,
    quarter: Annotated[
        str | None, Query(pattern=r"^(?:19|2[0-9])[0-9]{2}-Q[1-4]$", description="IVO report.")
    ] = None,
    group_by: Annotated[
        list[DeviationDimension] | None,
        Query(
            description="Deviation statistics: dimensions, repeated. Budget follow-up: "
            "`org_unit`, the year-end table's rows."
        ),
    ] = None,
    depth: Annotated[
        int | None,
        Query(ge=1, le=10, description="Budget follow-up with group_by=org_unit: levels down."),
    ] = None,
    tolerance: Annotated[
        Decimal | None,
        Query(
            ge=0,
            le=100,
            description="Budget follow-up: yellow band in percentage points (default 1). "
            "Placement follow-up: relative tolerance over budget, at most 1 (default 0.1).",
        ),
    ] = None,
) -> ExportParams:
    query = ExportQuery(
        as_of=export_moment(as_of),
        indicator_id=indicator_id,
        indicator_code=indicator_code,
        org_unit_id=org_unit_id,
        org_unit_code=org_unit_code,
        subtree_of=subtree_of,
        period_from=period_from,
        period_to=period_to,
        period=period,
        gender=gender,
        source_system=source_system,
        status=status.value if status else None,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        actor=actor,
        request_id=request_id,
        batch_id=batch_id,
        since=since,
        until=until,
        category=category.value if category else None,
        severity=severity.value if severity else None,
        lex_sarah=lex_sarah,
        quarter=quarter,
        group_by=tuple(group_by or ()),
        depth=depth,
        tolerance=tolerance,
    )
    return ExportParams(format, query, CsvOptions(delimiter, bom))


Params = Annotated[ExportParams, Depends(export_params)]


class ManifestOut(BaseModel):
    kind: str
    format: ExportFormat
    as_of: str
    query: dict[str, str]
    row_count: int
    bytes: int
    sha256: str
    generated_at: str


@router.get(
    "/committee-report",
    operation_id="exports:committee-report",
    summary="The committee's follow-up report: scorecard, explanations and placements",
    description=(
        "What a committee reads each tertial, for one committee (`org_unit_id`) and period: a "
        "summary of goals and indicators per status, the scorecard with every explanation, the "
        "budget follow-up and the placement follow-up of the committee's subtree. XLSX (a sheet "
        "per section) or JSON; or as the document the committee reads, `html` (one "
        "self-contained page) or `pdf` (A4, printed from that page), with the deviation "
        "statistics, the IVO table, internal control and action-plan follow-ups beside, in "
        "Swedish unless `lang=en` (or Accept-Language) asks for English. "
        "`as_of` as for every export (what it answered is kept and answered again, byte for "
        "byte); recorded in the audit trail. JSON, HTML and PDF carry a `Repr-Digest` (RFC 9530, "
        "SHA-256; also as `Content-Digest` when not gzipped)."
    ),
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The report.",
            "content": {
                MEDIA_TYPES[ExportFormat.XLSX]: {"schema": {"type": "string"}},
                MEDIA_TYPES[ExportFormat.JSON]: {"schema": {"type": "object"}},
                documents.MEDIA_TYPES["html"]: {"schema": {"type": "string"}},
                documents.MEDIA_TYPES["pdf"]: {"schema": {"type": "string", "format": "binary"}},
            },
        },
        **problem_responses(404, 409, 422),
    },
)
async def committee_report(
    ctx: Annotated[Ctx, Depends(Require(Permission.EXPORTS_READ))],
    org_unit_id: uuid.UUID,
    period: Annotated[PeriodText, Query(description="E.g. 2023-T2.")],
    format: Literal["xlsx", "json", "html", "pdf"] = "xlsx",
    as_of: Annotated[IsoDateTime | None, Query(description="Data as it stood then.")] = None,
    lang: Annotated[
        Literal["sv", "en"] | None,
        Query(
            description="HTML/PDF: the document's language, by default Accept-Language's, "
            "else sv. JSON/XLSX: `sv` gives the explanations in Swedish (default English)."
        ),
    ] = None,
    accept_language: Annotated[str | None, Header(max_length=200)] = None,
) -> StreamingResponse:
    moment = export_moment(as_of)
    query = {"org_unit_id": str(org_unit_id), "period": period, "as_of": moment.isoformat()}
    headers = download_headers(f"committee-report-{period}", moment, format)
    if format in ("html", "pdf"):
        language = choose_lang(lang, accept_language)
        document = await documents.committee_document(
            ctx, org_unit_id, Period.parse(period), moment, query, format, language
        )
        await service.record(ctx, "committee-report", format, {**query, "lang": language})
        headers["Content-Digest"] = headers["Repr-Digest"] = content_digest(document)
        headers["Content-Language"] = language
        media_type = documents.MEDIA_TYPES[format]
        return StreamingResponse(iter([document]), media_type=media_type, headers=headers)
    report = await committee_report_data(ctx, org_unit_id, Period.parse(period), moment, query)
    await service.record(ctx, "committee-report", format, query | ({"lang": lang} if lang else {}))
    if lang == "sv":  # the data stays English unless Swedish is asked for
        report = with_swedish_explanations(report)
    if format == "json":
        content = report_json(report)
        # Repr-Digest is over the representation and survives gzip; Content-Digest (over the
        # bytes sent) is dropped when the answer is encoded (app.conventions).
        headers["Content-Digest"] = headers["Repr-Digest"] = content_digest(content)
        body: Iterator[bytes] = iter([content])
    else:
        body = report_xlsx(report, moment)
    return StreamingResponse(body, media_type=MEDIA_TYPES[ExportFormat(format)], headers=headers)


@router.get(
    "/{kind}",
    operation_id="exports:get",
    summary="Export data as CSV, XLSX, JSON or NDJSON, as of a time",
    description=DESCRIPTION,
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The export, streamed.",
            "content": {
                media: {"schema": {"type": "object" if fmt == ExportFormat.JSON else "string"}}
                for fmt, media in MEDIA_TYPES.items()
            },
        },
        **problem_responses(404, 409, 422),
    },
)
async def export(ctx: Exporter, kind: Kind, params: Params) -> StreamingResponse:
    export_kind = service.kind_for(ctx, kind, params.query)
    announce = partial(service.record, ctx, kind, params.format.value, params.query.as_dict())
    exported = service.ExportStream(
        ctx, export_kind, params.format, params.query, params.csv, announce
    )
    stream = aiter(exported)
    first = await anext(stream)  # problems (a missing period, say) surface before the 200

    async def body() -> AsyncIterator[bytes]:
        yield first
        async for chunk in stream:
            yield chunk

    return StreamingResponse(
        body(),
        media_type=MEDIA_TYPES[params.format],
        headers=download_headers(f"styrkort-{kind}", params.query.as_of, params.format.value),
    )


def download_headers(name: str, as_of: datetime, suffix: str) -> dict[str, str]:
    """The time to pass back as ``as_of`` to get the same export, and a file name for it.

    The time ends in ``Z`` (:func:`app.fields.iso_utc`); the file name carries it without colons,
    which Windows refuses in file names.
    """
    return {
        "X-Export-As-Of": iso_utc(as_of),
        "Content-Disposition": (
            f'attachment; filename="{name}-{as_of.astimezone(UTC):%Y%m%dT%H%M%SZ}.{suffix}"'
        ),
    }


@router.get(
    "/{kind}/manifest",
    operation_id="exports:manifest",
    summary="Row count, size and SHA-256 of an export with the same parameters",
    response_model=ManifestOut,
    responses=problem_responses(404, 409, 422),
)
async def export_manifest(ctx: Exporter, kind: Kind, params: Params) -> ManifestOut:
    m = await service.manifest(
        ctx, service.kind_for(ctx, kind, params.query), params.format, params.query, params.csv
    )
    return ManifestOut(
        kind=m.kind,
        format=m.format,
        as_of=m.as_of.isoformat(),
        query=m.query,
        row_count=m.row_count,
        bytes=m.bytes,
        sha256=m.sha256,
        generated_at=m.generated_at.isoformat(),
    )
