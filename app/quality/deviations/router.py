import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import problem_responses
from app.fields import IsoDate, PeriodText
from app.pagination import Page, PageParams, page_params
from app.periods import Period
from app.quality.deviations import service
from app.quality.deviations.models import DeviationCategory, DeviationStatus, Severity
from app.quality.deviations.schemas import (
    DeviationReportCreate,
    DeviationReportRead,
    DeviationReportUpdate,
    DeviationStatistics,
    MeasureCreate,
    MeasureUpdate,
    TransitionCreate,
)
from app.quality.deviations.statistics import DEFAULT_GROUPING, DeviationDimension, statistics

router = APIRouter(
    prefix="/deviation-reports", tags=["deviation-reports"], responses=problem_responses(401, 403)
)

Reader = Annotated[Ctx, Depends(Require(Permission.DEVIATIONS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.DEVIATIONS_WRITE, within_org_unit=True))]
SubtreeOf = Annotated[
    uuid.UUID | None, Query(description="Only reports of this org unit and its descendants.")
]


@router.get(
    "",
    operation_id="deviation-reports:list",
    summary="List deviation reports",
    response_model=Page[DeviationReportRead],
    responses=problem_responses(422),
)
async def list_deviation_reports(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    org_unit_id: SubtreeOf = None,
    status: DeviationStatus | None = None,
    category: DeviationCategory | None = None,
    severity: Severity | None = None,
    lex_sarah: bool | None = None,
    ivo_notified: bool | None = None,
    reported_from: Annotated[IsoDate | None, Query(description="Reported on or after.")] = None,
    reported_to: Annotated[IsoDate | None, Query(description="Reported on or before.")] = None,
    overdue: Annotated[
        bool | None,
        Query(description="Only reports with (true) or without (false) overdue measures."),
    ] = None,
    source: Annotated[str | None, Query(max_length=100)] = None,
    reference: Annotated[str | None, Query(max_length=100)] = None,
    sort: Literal["reported_on", "-reported_on", "created_at", "-created_at"] = "-reported_on",
) -> Page[DeviationReportRead]:
    f = service.DeviationFilter(
        org_unit_id=org_unit_id,
        status=status,
        category=category.value if category else None,
        severity=severity.value if severity else None,
        lex_sarah=lex_sarah,
        ivo_notified=ivo_notified,
        reported_from=reported_from,
        reported_to=reported_to,
        overdue=overdue,
        source=source,
        reference=reference,
    )
    items, next_cursor = await service.list_reports(ctx, f, page, sort)
    return Page[DeviationReportRead](items=items, next_cursor=next_cursor)


@router.get(
    "/statistics",
    operation_id="deviation-reports:statistics",
    summary="Deviation statistics by period, unit, category, severity, Lex Sarah, IVO",
    description=(
        "Counts per group (by the database) and days from report to close (median and 90th "
        "percentile, interpolated like `percentile_cont`). Periods are by `reported_on`; group "
        "by at most one of year, tertial, quarter and month. A group shows only the keys grouped "
        "by; `total` covers every report the filters select."
    ),
    response_model=DeviationStatistics,
    response_model_exclude_unset=True,
    responses=problem_responses(422),
)
async def deviation_statistics(
    ctx: Reader,
    group_by: Annotated[
        list[DeviationDimension],
        Query(description="Dimensions, repeated: `group_by=year&group_by=category`."),
    ] = list(DEFAULT_GROUPING),  # noqa: B006 — FastAPI copies query defaults
    period_from: Annotated[
        PeriodText | None, Query(description="Reported from this period.")
    ] = None,
    period_to: Annotated[
        PeriodText | None, Query(description="Reported up to this period.")
    ] = None,
    org_unit_id: SubtreeOf = None,
    category: DeviationCategory | None = None,
    severity: Severity | None = None,
    lex_sarah: bool | None = None,
) -> DeviationStatistics:
    f = service.DeviationFilter(
        org_unit_id=org_unit_id,
        category=category.value if category else None,
        severity=severity.value if severity else None,
        lex_sarah=lex_sarah,
    )
    return await statistics(
        ctx,
        f,
        Period.parse(period_from) if period_from else None,
        Period.parse(period_to) if period_to else None,
        group_by,
    )


@router.post(
    "",
    operation_id="deviation-reports:create",
    summary="File a deviation report",
    status_code=status.HTTP_201_CREATED,
    response_model=DeviationReportRead,
    responses=problem_responses(409, 422),
)
async def create_deviation_report(ctx: Writer, body: DeviationReportCreate) -> DeviationReportRead:
    return await service.create(ctx, body)


@router.get(
    "/{report_id:uuid}",
    operation_id="deviation-reports:get",
    summary="Get a deviation report with its measures and transitions",
    response_model=DeviationReportRead,
    responses=problem_responses(404, 422),
)
async def get_deviation_report(ctx: Reader, report_id: uuid.UUID) -> DeviationReportRead:
    return await service.read(ctx, await service.get(ctx, report_id))


@router.patch(
    "/{report_id:uuid}",
    operation_id="deviation-reports:update",
    summary="Change a deviation report (not its status: see transitions)",
    response_model=DeviationReportRead,
    responses=problem_responses(404, 409, 422),
)
async def update_deviation_report(
    ctx: Writer, report_id: uuid.UUID, body: DeviationReportUpdate
) -> DeviationReportRead:
    return await service.update(ctx, report_id, body)


@router.delete(
    "/{report_id:uuid}",
    operation_id="deviation-reports:delete",
    summary="Delete a report filed by mistake (only while 'reported')",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409, 422),
)
async def delete_deviation_report(ctx: Writer, report_id: uuid.UUID) -> Response:
    await service.delete(ctx, report_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{report_id:uuid}/transitions",
    operation_id="deviation-reports:transition",
    summary="Move a report along its workflow",
    description=(
        "Allowed: reported → investigating → measures_decided → closed, and closed → "
        "investigating (reopening; `comment` required). Anything else is 409. Closing needs "
        "every measure done and, for Lex Sarah, the outcome, whether it is serious, and for a "
        "serious case the IVO notification; a refused close lists each missing field in `errors`."
    ),
    response_model=DeviationReportRead,
    responses=problem_responses(404, 409, 422),
)
async def transition_deviation_report(
    ctx: Writer, report_id: uuid.UUID, body: TransitionCreate
) -> DeviationReportRead:
    return await service.transition(ctx, report_id, body)


@router.post(
    "/{report_id:uuid}/measures",
    operation_id="deviation-reports:add-measure",
    summary="Add a measure (while investigating or measures decided)",
    status_code=status.HTTP_201_CREATED,
    response_model=DeviationReportRead,
    responses=problem_responses(404, 409, 422),
)
async def add_measure(
    ctx: Writer, report_id: uuid.UUID, body: MeasureCreate
) -> DeviationReportRead:
    return await service.add_measure(ctx, report_id, body)


@router.patch(
    "/{report_id:uuid}/measures/{measure_id:uuid}",
    operation_id="deviation-reports:update-measure",
    summary="Change a measure, e.g. mark it done",
    response_model=DeviationReportRead,
    responses=problem_responses(404, 409, 422),
)
async def update_measure(
    ctx: Writer, report_id: uuid.UUID, measure_id: uuid.UUID, body: MeasureUpdate
) -> DeviationReportRead:
    return await service.update_measure(ctx, report_id, measure_id, body)


@router.delete(
    "/{report_id:uuid}/measures/{measure_id:uuid}",
    operation_id="deviation-reports:delete-measure",
    summary="Remove a measure",
    response_model=DeviationReportRead,
    responses=problem_responses(404, 409, 422),
)
async def delete_measure(
    ctx: Writer, report_id: uuid.UUID, measure_id: uuid.UUID
) -> DeviationReportRead:
    return await service.delete_measure(ctx, report_id, measure_id)
