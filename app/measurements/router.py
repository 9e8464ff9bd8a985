import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.batches.router import OPTIONS_DESCRIPTION, Options, batch_request_body, run_batch
from app.batches.schemas import ImportSummary
from app.errors import problem_responses
from app.fields import IsoDateTime, PeriodText
from app.measurements import service
from app.measurements.batch import MeasurementImporter
from app.measurements.models import Gender, MeasurementStatus
from app.measurements.schemas import (
    IndicatorCodeParam,
    MeasurementHistory,
    MeasurementRead,
    MeasurementWrite,
    MeasurementWritten,
    OrgUnitCodeParam,
    SourceSystemParam,
)
from app.pagination import Page, PageParams, page_params
from app.periods import Period
from app.readcache.route import CACHED_READS

router = APIRouter(
    dependencies=CACHED_READS,
    prefix="/measurements",
    tags=["measurements"],
    responses=problem_responses(401, 403),
)

Reader = Annotated[Ctx, Depends(Require(Permission.MEASUREMENTS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.MEASUREMENTS_WRITE, within_org_unit=True))]
AsOf = Annotated[
    IsoDateTime | None,
    Query(description="Read what was known at this time (system time). Default: now."),
]


@router.get(
    "",
    operation_id="measurements:list",
    summary="List measurements, optionally as they stood at a time",
    response_model=Page[MeasurementRead],
    responses=problem_responses(422),
)
async def list_measurements(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    indicator_id: uuid.UUID | None = None,
    indicator_code: IndicatorCodeParam = None,
    org_unit_id: uuid.UUID | None = None,
    org_unit_code: OrgUnitCodeParam = None,
    subtree_of: Annotated[
        uuid.UUID | None, Query(description="Measurements of this unit and its descendants.")
    ] = None,
    period_from: Annotated[PeriodText | None, Query(description="Periods starting from.")] = None,
    period_to: Annotated[PeriodText | None, Query(description="Periods ending by.")] = None,
    gender: Gender | None = None,
    source_system: SourceSystemParam = None,
    status: MeasurementStatus | None = None,
    as_of: AsOf = None,
    sort: Literal["period", "-period", "id", "-id"] = "period",
) -> Page[MeasurementRead]:
    f = service.MeasurementFilter(
        indicator_id=indicator_id,
        indicator_code=indicator_code,
        org_unit_id=org_unit_id,
        org_unit_code=org_unit_code,
        subtree_of=subtree_of,
        period_from=Period.parse(period_from) if period_from else None,
        period_to=Period.parse(period_to) if period_to else None,
        gender=gender,
        source_system=source_system,
        status=status.value if status else None,
        as_of=as_of,
    )
    items, next_cursor = await service.list_measurements(ctx, f, page, sort)
    return Page[MeasurementRead](items=items, next_cursor=next_cursor)


@router.put(
    "",
    operation_id="measurements:put",
    summary="Write a measurement by its natural key (create, replace, or leave unchanged)",
    description=(
        "The key is indicator (id or code), org unit (id or code), period and gender. A changed "
        "value becomes a new version and the previous one stays readable with `as_of`; sending "
        "the same content again changes nothing (`result: unchanged`). For ratio indicators send "
        "numerator and denominator; the value is computed when omitted."
    ),
    response_model=MeasurementWritten,
    responses={
        201: {"description": "Created", "model": MeasurementWritten},
        **problem_responses(409, 422),
    },
)
async def put_measurement(
    ctx: Writer, body: MeasurementWrite, response: Response
) -> MeasurementWritten:
    measurement, result = await service.put(ctx, body)
    if result == "created":
        response.status_code = status.HTTP_201_CREATED
    return MeasurementWritten(**measurement.model_dump(), result=result)


BATCH_DESCRIPTION = f"""
Up to 100 000 rows as JSON (a list, or `{{"rows": [...]}}`) or CSV (`text/csv`, UTF-8, header row,
`;` or `,`; with `;` a decimal comma is fine). Rows name the indicator and org unit by code or id.

{OPTIONS_DESCRIPTION}
The summary counts created, updated, unchanged (same content again: no new version) and rejected
rows, and lists each rejected row's index, natural key, field, code and message. The batch id is
stored on every value written and on its audit events.
"""

CSV_EXAMPLE = (
    "indicator_code;org_unit_code;period;gender;numerator;denominator;source_system\n"
    "HR-SJUK-KORT;BOU;2023-03;women;412,5;8250;HR\n"
    "HR-SJUK-KORT;BOU;2023-03;men;101;3120;HR\n"
)


@router.post(
    "/batch",
    operation_id="measurements:batch",
    summary="Import many measurements at once (JSON or CSV)",
    description=BATCH_DESCRIPTION,
    response_model=ImportSummary,
    responses=problem_responses(409, 413, 415, 422),
    openapi_extra=batch_request_body(
        {"$ref": "#/components/schemas/MeasurementWrite"},
        [
            {
                "indicator_code": "SN-8.1.4",
                "org_unit_code": "AF",
                "period": "2023-03",
                "value": 1182,
                "source_system": "Procapita",
            },
            {
                "indicator_code": "HR-SJUK-KORT",
                "org_unit_code": "BOU",
                "period": "2023-03",
                "gender": "women",
                "numerator": 412.5,
                "denominator": 8250,
                "source_system": "HR",
            },
        ],
        CSV_EXAMPLE,
    ),
)
async def batch_measurements(ctx: Writer, request: Request, options: Options) -> Response:
    return await run_batch(ctx, request, MeasurementImporter(), options)


@router.get(
    "/{measurement_id:uuid}",
    operation_id="measurements:get",
    summary="Get a measurement, optionally as it stood at a time",
    response_model=MeasurementRead,
    responses=problem_responses(404, 422),
)
async def get_measurement(
    ctx: Reader, measurement_id: uuid.UUID, as_of: AsOf = None
) -> MeasurementRead:
    return await service.get(ctx, measurement_id, as_of)


@router.get(
    "/{measurement_id:uuid}/history",
    operation_id="measurements:history",
    summary="Every version of a measurement, deletions included",
    response_model=MeasurementHistory,
    responses=problem_responses(404),
)
async def measurement_history(ctx: Reader, measurement_id: uuid.UUID) -> MeasurementHistory:
    return await service.history(ctx, measurement_id)


@router.delete(
    "/{measurement_id:uuid}",
    operation_id="measurements:delete",
    summary="Delete a measurement (kept in history)",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404),
)
async def delete_measurement(ctx: Writer, measurement_id: uuid.UUID) -> Response:
    await service.delete(ctx, measurement_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
