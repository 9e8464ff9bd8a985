import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.benchmarks import service
from app.benchmarks.schemas import (
    KPI_EXAMPLE,
    V2_DATA_EXAMPLE,
    V3_DATA_EXAMPLE,
    Benchmark,
    BenchmarkValueRead,
    GroupCreate,
    GroupRead,
    KoladaExport,
    KoladaImportSummary,
    KoladaKpiRead,
    MunicipalityCode,
    Year,
)
from app.errors import problem_responses
from app.indicators.schemas import KoladaKpi
from app.measurements.models import Gender
from app.pagination import Page, PageParams, page_params
from app.scorecard.router import AsOf

router = APIRouter(prefix="/benchmarks", tags=["benchmarks"], responses=problem_responses(401, 403))

Reader = Annotated[Ctx, Depends(Require(Permission.BENCHMARKS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.BENCHMARKS_WRITE))]

KoladaBody = Annotated[
    dict[str, Any],
    Body(
        description="One Kolada API response, as fetched: a **data** page (`values[]` of `kpi`, "
        "`municipality`, `period`, `values[]` of `gender` T/K/M, `count`, `status`, `value`) in "
        'the v3 shape (`"period": 2009`, `next_url`) or the v2 shape (`"period": "2009"`, '
        "`next_page`), or a **KPI metadata** page (`values[]` of `id`, `title`, `description`, "
        "`is_divided_by_gender`, `municipality_type`, `operating_area`, …). The kind is detected "
        "from the first item; fields Kolada adds that Styrkort does not use are ignored.",
        openapi_examples={
            "v3 data": {"summary": "Kolada v3 data", "value": V3_DATA_EXAMPLE},
            "v2 data": {"summary": "Kolada v2 data", "value": V2_DATA_EXAMPLE},
            "kpi metadata": {"summary": "Kolada KPI metadata", "value": KPI_EXAMPLE},
        },
    ),
]


@router.post(
    "/kolada",
    operation_id="benchmarks:import-kolada",
    summary="Import a Kolada response (data or KPI metadata)",
    description="Upserts benchmark values keyed (kpi, municipality, year, gender) — or KPI "
    "metadata keyed by id — and answers what changed. A null `value` is stored as missing and "
    "`status` is kept verbatim. Sending the same page again changes nothing. Follow `next` to "
    "import the following page.",
    response_model=KoladaImportSummary,
    responses=problem_responses(409, 413, 422),
)
async def import_kolada(ctx: Writer, body: KoladaBody) -> KoladaImportSummary:
    return await service.import_kolada(ctx, body)


@router.get(
    "/values",
    operation_id="benchmarks:list-values",
    summary="List imported Kolada values",
    response_model=Page[BenchmarkValueRead],
    responses=problem_responses(422),
)
async def list_values(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    kpi: Annotated[KoladaKpi | None, Query()] = None,
    year: Annotated[Year | None, Query()] = None,
    municipality: Annotated[MunicipalityCode | None, Query()] = None,
    gender: Annotated[Gender | None, Query()] = None,
    sort: Literal["municipality", "-municipality", "kpi", "-kpi", "year", "-year"] = "municipality",
) -> Page[BenchmarkValueRead]:
    filters = {"kpi": kpi, "year": year, "municipality": municipality, "gender": gender}
    items, next_cursor = await service.list_values(ctx, page, sort, filters)
    return Page[BenchmarkValueRead](
        items=[BenchmarkValueRead.model_validate(v) for v in items], next_cursor=next_cursor
    )


@router.get(
    "/kpis",
    operation_id="benchmarks:list-kpis",
    summary="List imported Kolada KPI metadata",
    response_model=Page[KoladaKpiRead],
    responses=problem_responses(422),
)
async def list_kpis(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    search: Annotated[
        str | None, Query(max_length=100, description="A KPI id or words in the title.")
    ] = None,
    sort: Literal["kpi", "-kpi", "title", "-title"] = "kpi",
) -> Page[KoladaKpiRead]:
    items, next_cursor = await service.list_kpis(ctx, page, sort, search)
    return Page[KoladaKpiRead](
        items=[KoladaKpiRead.model_validate(k) for k in items], next_cursor=next_cursor
    )


@router.post(
    "/groups",
    operation_id="benchmarks:create-group",
    summary="Define a group of municipalities to compare with",
    status_code=status.HTTP_201_CREATED,
    response_model=GroupRead,
    responses=problem_responses(409, 422),
)
async def create_group(ctx: Writer, body: GroupCreate) -> GroupRead:
    return GroupRead.model_validate(await service.create_group(ctx, body))


@router.get(
    "/groups",
    operation_id="benchmarks:list-groups",
    summary="List municipality groups",
    response_model=Page[GroupRead],
    responses=problem_responses(422),
)
async def list_groups(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    sort: Literal["name", "-name", "created_at", "-created_at"] = "name",
) -> Page[GroupRead]:
    items, next_cursor = await service.list_groups(ctx, page, sort)
    return Page[GroupRead](
        items=[GroupRead.model_validate(g) for g in items], next_cursor=next_cursor
    )


@router.get(
    "/groups/{group_id:uuid}",
    operation_id="benchmarks:get-group",
    summary="Get a municipality group",
    response_model=GroupRead,
    responses=problem_responses(404),
)
async def get_group(ctx: Reader, group_id: uuid.UUID) -> GroupRead:
    return GroupRead.model_validate(await service.get_group(ctx, group_id))


@router.delete(
    "/groups/{group_id:uuid}",
    operation_id="benchmarks:delete-group",
    summary="Delete a municipality group",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404),
)
async def delete_group(ctx: Writer, group_id: uuid.UUID) -> Response:
    await service.delete_group(ctx, group_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "",
    operation_id="benchmarks:compare",
    summary="Compare an indicator with a municipality group (Kolada values)",
    description="Uses the indicator's `kolada_kpi` and `polarity`. The own value is the "
    "caller's municipality's imported **Kolada** value for the KPI and year — not its own "
    "measurements (export those with `GET /api/v1/benchmarks/kolada-export`). Mean and median "
    "are over the members with a value; rank is among those members plus the own municipality "
    "(1 = best; ties share the better rank); quartile = ceil(4·rank / ranked), needing at least "
    "four ranked values; colour by quartile: 1 green, 2–3 yellow, 4 red. For `target_is_best` "
    "the ranking is by distance to the year's target (the middle of a `between` band, or the "
    "`at_least`/`at_most` value); without one the answer is not ranked.",
    response_model=Benchmark,
    responses=problem_responses(404, 422),
)
async def compare(
    ctx: Reader,
    indicator_id: Annotated[uuid.UUID, Query(description="An indicator with a `kolada_kpi`.")],
    year: Annotated[Year, Query()],
    group_id: Annotated[uuid.UUID, Query(description="The municipality group to compare with.")],
    gender: Annotated[Gender, Query(description="Kolada's T, K, M.")] = Gender.TOTAL,
) -> Benchmark:
    return await service.compare(ctx, indicator_id, year, group_id, gender)


@router.get(
    "/kolada-export",
    operation_id="benchmarks:export-kolada",
    summary="Own outcomes in Kolada's data shape",
    description="For every indicator with a `kolada_kpi`, the year's outcome at the org unit "
    "(the scorecard's roll-up and aggregation), as a Kolada v3 data page for the caller's "
    "municipality (gender T). Indicators without an outcome that year are left out. Reads "
    "measurements, so it needs `measurements:read`.",
    response_model=KoladaExport,
    responses=problem_responses(404, 422),
)
async def export_kolada(
    ctx: Annotated[Ctx, Depends(Require(Permission.MEASUREMENTS_READ))],
    year: Annotated[Year, Query()],
    org_unit_id: Annotated[uuid.UUID, Query(description="Usually the committee.")],
    as_of: AsOf = None,
) -> KoladaExport:
    return await service.export_kolada(ctx, year, org_unit_id, as_of)
