"""Placements under ``/api/v1``: categories, providers, episodes, aggregates, budgets, follow-up.

``router`` gathers the six resources; the app includes it once.
"""

import uuid
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.batches.router import OPTIONS_DESCRIPTION, Options, batch_request_body, run_batch
from app.batches.schemas import ImportSummary
from app.errors import problem_responses
from app.fields import IsoDate, PeriodText
from app.pagination import Page, PageParams, page_params
from app.periods import Period
from app.placements import catalogue, service
from app.placements.followup import follow_up
from app.placements.importer import AggregateImporter, PlacementImporter
from app.placements.models import PlacementRegime, PlacementTargetGroup
from app.placements.schemas import (
    PlacementAggregateRead,
    PlacementAggregateWrite,
    PlacementBudgetRead,
    PlacementBudgetWrite,
    PlacementBudgetWritten,
    PlacementCategoryCreate,
    PlacementCategoryRead,
    PlacementCategoryUpdate,
    PlacementFollowUp,
    PlacementProviderCreate,
    PlacementProviderRead,
    PlacementProviderUpdate,
    PlacementRead,
    PlacementUpdate,
    PlacementWrite,
)

TAG = "placements"
Reader = Annotated[Ctx, Depends(Require(Permission.PLACEMENTS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.PLACEMENTS_WRITE))]
# Placements, aggregates and placement budgets keep a credential limited to an org unit inside
# its subtree; categories and providers are municipality-wide.
UnitWriter = Annotated[Ctx, Depends(Require(Permission.PLACEMENTS_WRITE, within_org_unit=True))]
Paging = Annotated[PageParams, Depends(page_params)]
SubtreeOf = Annotated[
    uuid.UUID | None, Query(description="Only this org unit and its descendants.")
]
BatchId = Annotated[uuid.UUID | None, Query(description="Only rows last written by this batch.")]

categories = APIRouter(prefix="/placement-categories")
providers = APIRouter(prefix="/placement-providers")
episodes = APIRouter(prefix="/placements")
aggregates = APIRouter(prefix="/placement-aggregates")
budgets = APIRouter(prefix="/placement-budgets")
followup = APIRouter(prefix="/placement-follow-up")


# -- categories ------------------------------------------------------------------------------


@categories.get(
    "",
    operation_id="placement-categories:list",
    summary="List placement categories",
    response_model=Page[PlacementCategoryRead],
    responses=problem_responses(422),
)
async def list_categories(
    ctx: Reader,
    page: Paging,
    target_group: PlacementTargetGroup | None = None,
    regime: PlacementRegime | None = None,
    sort: Literal["code", "-code", "name", "-name"] = "code",
) -> Page[PlacementCategoryRead]:
    items, next_cursor = await catalogue.list_categories(
        ctx,
        page,
        sort,
        target_group.value if target_group else None,
        regime.value if regime else None,
    )
    return Page[PlacementCategoryRead](
        items=[PlacementCategoryRead.model_validate(c) for c in items], next_cursor=next_cursor
    )


@categories.post(
    "",
    operation_id="placement-categories:create",
    summary="Add a category of the municipality's own (e.g. a reporting category)",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementCategoryRead,
    responses=problem_responses(409, 422),
)
async def create_category(ctx: Writer, body: PlacementCategoryCreate) -> PlacementCategoryRead:
    return PlacementCategoryRead.model_validate(await catalogue.create_category(ctx, body))


@categories.post(
    "/standard-set",
    operation_id="placement-categories:standard-set",
    summary="Add the standard categories the municipality lacks (idempotent)",
    description="The set of DOMAIN §8 (HVB, family homes, jourhem, SiS, stödboende, skyddat "
    "boende, social psychiatry). Every placement write adds them too; existing rows stay.",
    response_model=list[PlacementCategoryRead],
)
async def add_standard_categories(ctx: Writer) -> list[PlacementCategoryRead]:
    return [
        PlacementCategoryRead.model_validate(c)
        for c in await catalogue.add_standard_categories(ctx)
    ]


@categories.get(
    "/{category_id:uuid}",
    operation_id="placement-categories:get",
    summary="Get a placement category",
    response_model=PlacementCategoryRead,
    responses=problem_responses(404),
)
async def get_category(ctx: Reader, category_id: uuid.UUID) -> PlacementCategoryRead:
    return PlacementCategoryRead.model_validate(await catalogue.get_category(ctx, category_id))


@categories.patch(
    "/{category_id:uuid}",
    operation_id="placement-categories:update",
    summary="Change a placement category",
    response_model=PlacementCategoryRead,
    responses=problem_responses(404, 422),
)
async def update_category(
    ctx: Writer, category_id: uuid.UUID, body: PlacementCategoryUpdate
) -> PlacementCategoryRead:
    return PlacementCategoryRead.model_validate(
        await catalogue.update_category(ctx, category_id, body)
    )


@categories.delete(
    "/{category_id:uuid}",
    operation_id="placement-categories:delete",
    summary="Delete an unused placement category",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409),
)
async def delete_category(ctx: Writer, category_id: uuid.UUID) -> Response:
    await catalogue.delete_category(ctx, category_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- providers -------------------------------------------------------------------------------


@providers.get(
    "",
    operation_id="placement-providers:list",
    summary="List providers",
    response_model=Page[PlacementProviderRead],
    responses=problem_responses(422),
)
async def list_providers(
    ctx: Reader,
    page: Paging,
    organisation_number: Annotated[str | None, Query(max_length=11)] = None,
    permit_check_due: Annotated[
        bool | None,
        Query(description="Only providers whose IVO permit was (not) checked this year."),
    ] = None,
    sort: Literal["name", "-name", "created_at", "-created_at"] = "name",
) -> Page[PlacementProviderRead]:
    items, next_cursor = await catalogue.list_providers(
        ctx, page, sort, organisation_number, permit_check_due
    )
    return Page[PlacementProviderRead](
        items=[catalogue.provider_read(p) for p in items], next_cursor=next_cursor
    )


@providers.post(
    "",
    operation_id="placement-providers:create",
    summary="Add a provider",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementProviderRead,
    responses=problem_responses(409, 422),
)
async def create_provider(ctx: Writer, body: PlacementProviderCreate) -> PlacementProviderRead:
    return catalogue.provider_read(await catalogue.create_provider(ctx, body))


@providers.get(
    "/{provider_id:uuid}",
    operation_id="placement-providers:get",
    summary="Get a provider",
    response_model=PlacementProviderRead,
    responses=problem_responses(404),
)
async def get_provider(ctx: Reader, provider_id: uuid.UUID) -> PlacementProviderRead:
    return catalogue.provider_read(await catalogue.get_provider(ctx, provider_id))


@providers.patch(
    "/{provider_id:uuid}",
    operation_id="placement-providers:update",
    summary="Change a provider, e.g. record this year's IVO permit check",
    response_model=PlacementProviderRead,
    responses=problem_responses(404, 409, 422),
)
async def update_provider(
    ctx: Writer, provider_id: uuid.UUID, body: PlacementProviderUpdate
) -> PlacementProviderRead:
    return catalogue.provider_read(await catalogue.update_provider(ctx, provider_id, body))


@providers.delete(
    "/{provider_id:uuid}",
    operation_id="placement-providers:delete",
    summary="Delete a provider without episodes",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 409),
)
async def delete_provider(ctx: Writer, provider_id: uuid.UUID) -> Response:
    await catalogue.delete_provider(ctx, provider_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- batches (shared) ------------------------------------------------------------------------

BATCH_RULES = f"""
Up to 100 000 rows as JSON (a list, or `{{"rows": [...]}}`) or CSV (`text/csv`, UTF-8, header row,
`;` or `,`; with `;` a decimal comma is fine). Rows name categories and org units by code or id.

{OPTIONS_DESCRIPTION}
The summary counts created, updated, unchanged (same content again) and rejected rows, and lists
each rejected row's index, natural key, field, code and message. The batch id is stored on every
row written and on its audit events (`GET /api/v1/audit-events?batch_id=`).
"""

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=200, description="Makes a retry land once."),
]
Mode = Annotated[Literal["atomic", "partial"], Query()]


# -- episodes --------------------------------------------------------------------------------


@episodes.get(
    "",
    operation_id="placements:list",
    summary="List placement episodes",
    response_model=Page[PlacementRead],
    responses=problem_responses(422),
)
async def list_placements(
    ctx: Reader,
    page: Paging,
    category_id: uuid.UUID | None = None,
    org_unit_id: uuid.UUID | None = None,
    subtree_of: SubtreeOf = None,
    provider_id: uuid.UUID | None = None,
    case_ref: Annotated[str | None, Query(max_length=100)] = None,
    active_from: Annotated[
        IsoDate | None, Query(description="Episodes not ended before this day.")
    ] = None,
    active_to: Annotated[
        IsoDate | None, Query(description="Episodes started on or before this day.")
    ] = None,
    ongoing_on: Annotated[
        IsoDate | None, Query(description="Episodes started by and not ended on this day.")
    ] = None,
    source_system: Annotated[str | None, Query(max_length=100)] = None,
    batch_id: BatchId = None,
    sort: Literal["start_date", "-start_date", "created_at", "-created_at"] = "start_date",
) -> Page[PlacementRead]:
    f = service.PlacementFilter(
        category_id=category_id,
        org_unit_id=org_unit_id,
        subtree_of=subtree_of,
        provider_id=provider_id,
        case_ref=case_ref,
        active_from=active_from,
        active_to=active_to,
        ongoing_on=ongoing_on,
        source_system=source_system,
        batch_id=batch_id,
    )
    items, next_cursor = await service.list_placements(ctx, f, page, sort)
    return Page[PlacementRead](items=items, next_cursor=next_cursor)


@episodes.post(
    "",
    operation_id="placements:create",
    summary="Register a placement episode",
    description="A case reference containing a personnummer is refused (422) without echo. "
    "The rate periods must cover the episode exactly; an episode with the same case_ref and "
    "start_date is a 409 (PATCH it, or send it through `/batch`, which updates).",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementRead,
    responses=problem_responses(409, 422),
)
async def create_placement(ctx: UnitWriter, body: PlacementWrite) -> PlacementRead:
    return await service.create_placement(ctx, body)


EPISODE_CSV = (
    "case_ref;category_code;org_unit_code;start_date;end_date;daily_rate;gender;age_band\n"
    "BOU-2023-0147;HVB-BARN;BOU;2023-03-01;;2703,50;women;13-17\n"
    "BOU-2023-0152;FH-EGEN;BOU;2023-01-10;2023-06-30;600;men;0-12\n"
)


@episodes.post(
    "/batch",
    operation_id="placements:batch",
    summary="Import many placement episodes at once (JSON or CSV)",
    description=BATCH_RULES
    + "\nAn episode's natural key is `case_ref` + `start_date`: sending it again updates it. "
    "JSON rows may carry `rates` (periods covering the episode); CSV rows one `daily_rate`.",
    response_model=ImportSummary,
    responses=problem_responses(409, 413, 415, 422),
    openapi_extra=batch_request_body(
        {"$ref": "#/components/schemas/PlacementWrite"},
        [
            {
                "case_ref": "BOU-2023-0147",
                "category_code": "HVB-BARN",
                "org_unit_code": "BOU",
                "start_date": "2023-03-01",
                "rates": [
                    {"valid_from": "2023-03-01", "valid_to": "2023-03-15", "daily_rate": 2000},
                    {"valid_from": "2023-03-16", "daily_rate": 2500},
                ],
                "gender": "women",
                "age_band": "13-17",
            }
        ],
        EPISODE_CSV,
    ),
)
async def batch_placements(ctx: UnitWriter, request: Request, options: Options) -> Response:
    return await run_batch(ctx, request, PlacementImporter(), options)


@episodes.get(
    "/{placement_id:uuid}",
    operation_id="placements:get",
    summary="Get a placement episode with its rate periods",
    response_model=PlacementRead,
    responses=problem_responses(404),
)
async def get_placement(ctx: Reader, placement_id: uuid.UUID) -> PlacementRead:
    return await service.get_placement(ctx, placement_id)


@episodes.patch(
    "/{placement_id:uuid}",
    operation_id="placements:update",
    summary="Change an episode: end it, move it, change its rates",
    response_model=PlacementRead,
    responses=problem_responses(404, 422),
)
async def update_placement(
    ctx: UnitWriter, placement_id: uuid.UUID, body: PlacementUpdate
) -> PlacementRead:
    return await service.update_placement(ctx, placement_id, body)


@episodes.delete(
    "/{placement_id:uuid}",
    operation_id="placements:delete",
    summary="Delete an episode registered by mistake",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404),
)
async def delete_placement(ctx: UnitWriter, placement_id: uuid.UUID) -> Response:
    await service.delete_placement(ctx, placement_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- aggregates ------------------------------------------------------------------------------


@aggregates.get(
    "",
    operation_id="placement-aggregates:list",
    summary="List monthly placement aggregates",
    response_model=Page[PlacementAggregateRead],
    responses=problem_responses(422),
)
async def list_aggregates(
    ctx: Reader,
    page: Paging,
    category_id: uuid.UUID | None = None,
    org_unit_id: uuid.UUID | None = None,
    subtree_of: SubtreeOf = None,
    period_from: Annotated[PeriodText | None, Query(description="From this month.")] = None,
    period_to: Annotated[PeriodText | None, Query(description="To this month.")] = None,
    source_system: Annotated[str | None, Query(max_length=100)] = None,
    batch_id: BatchId = None,
    sort: Literal["period", "-period", "created_at", "-created_at"] = "period",
) -> Page[PlacementAggregateRead]:
    f = service.AggregateFilter(
        category_id=category_id,
        org_unit_id=org_unit_id,
        subtree_of=subtree_of,
        period_from=f"{Period.parse(period_from).start:%Y-%m}" if period_from else None,
        period_to=f"{Period.parse(period_to).end:%Y-%m}" if period_to else None,
        source_system=source_system,
        batch_id=batch_id,
    )
    items, next_cursor = await service.list_aggregates(ctx, f, page, sort)
    return Page[PlacementAggregateRead](items=items, next_cursor=next_cursor)


AGGREGATE_CSV = (
    "category_code;org_unit_code;period;care_days;net_cost;source_system\n"
    "HVB-BARN;BOU;2017-01;248;657833,33;Raindance\n"
    "FH-EGEN;FRF;2017-01;985;591000;Raindance\n"
)


@aggregates.post(
    "/batch",
    operation_id="placement-aggregates:batch",
    summary="Import monthly care days and net cost per category and org unit (JSON or CSV)",
    description=BATCH_RULES
    + "\nThe key is (category, org unit, month). For a month of a category at an org unit, an "
    "aggregate takes precedence over episodes in the follow-up.",
    response_model=ImportSummary,
    responses=problem_responses(409, 413, 415, 422),
    openapi_extra=batch_request_body(
        PlacementAggregateWrite.model_json_schema(ref_template="#/components/schemas/{model}"),
        [
            {
                "category_code": "HVB-BARN",
                "org_unit_code": "BOU",
                "period": "2017-01",
                "care_days": 248,
                "net_cost": 657833.33,
                "source_system": "Raindance",
            }
        ],
        AGGREGATE_CSV,
    ),
)
async def batch_aggregates(ctx: UnitWriter, request: Request, options: Options) -> Response:
    return await run_batch(ctx, request, AggregateImporter(), options)


@aggregates.get(
    "/{aggregate_id:uuid}",
    operation_id="placement-aggregates:get",
    summary="Get a monthly placement aggregate",
    response_model=PlacementAggregateRead,
    responses=problem_responses(404),
)
async def get_aggregate(ctx: Reader, aggregate_id: uuid.UUID) -> PlacementAggregateRead:
    return await service.get_aggregate(ctx, aggregate_id)


@aggregates.delete(
    "/{aggregate_id:uuid}",
    operation_id="placement-aggregates:delete",
    summary="Delete a monthly placement aggregate",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404),
)
async def delete_aggregate(ctx: UnitWriter, aggregate_id: uuid.UUID) -> Response:
    await service.delete_aggregate(ctx, aggregate_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- budgets ---------------------------------------------------------------------------------


@budgets.get(
    "",
    operation_id="placement-budgets:list",
    summary="List placement budgets",
    response_model=Page[PlacementBudgetRead],
    responses=problem_responses(422),
)
async def list_budgets(
    ctx: Reader,
    page: Paging,
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    category_id: uuid.UUID | None = None,
    subtree_of: SubtreeOf = None,
    sort: Literal["year", "-year", "created_at", "-created_at"] = "year",
) -> Page[PlacementBudgetRead]:
    items, next_cursor = await service.list_budgets(ctx, page, sort, year, category_id, subtree_of)
    return Page[PlacementBudgetRead](items=items, next_cursor=next_cursor)


@budgets.put(
    "",
    operation_id="placement-budgets:put",
    summary="Set the budget of a category at an org unit for a year (create or replace)",
    response_model=PlacementBudgetWritten,
    responses={
        201: {"description": "Created", "model": PlacementBudgetWritten},
        **problem_responses(422),
    },
)
async def put_budget(
    ctx: UnitWriter, body: PlacementBudgetWrite, response: Response
) -> PlacementBudgetWritten:
    budget, result = await service.put_budget(ctx, body)
    if result == "created":
        response.status_code = status.HTTP_201_CREATED
    return PlacementBudgetWritten(**budget.model_dump(), result=result)


@budgets.get(
    "/{budget_id:uuid}",
    operation_id="placement-budgets:get",
    summary="Get a placement budget",
    response_model=PlacementBudgetRead,
    responses=problem_responses(404),
)
async def get_budget(ctx: Reader, budget_id: uuid.UUID) -> PlacementBudgetRead:
    return await service.get_budget(ctx, budget_id)


@budgets.delete(
    "/{budget_id:uuid}",
    operation_id="placement-budgets:delete",
    summary="Delete a placement budget",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404),
)
async def delete_budget(ctx: UnitWriter, budget_id: uuid.UUID) -> Response:
    await service.delete_budget(ctx, budget_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# -- follow-up -------------------------------------------------------------------------------


@followup.get(
    "",
    operation_id="placement-follow-up:get",
    summary="Placement follow-up: care days, cost, budget, forecast and colour per category",
    description="From 1 January to the end of `period` (a month, tertial, quarter, half year or "
    "the year), for an org unit's subtree or the whole municipality: per category and in total "
    "the care days, placements on annual basis, net cost, average cost per care day, budget to "
    "date and deviation, the year-end forecast in its parts (cost to date, ongoing episodes at "
    "their current rate, expected inflow) and its deviation, a colour by the rules module, and "
    "the ongoing, new and ended episodes. Episodes and monthly aggregates are combined without "
    "double counting: for a month of a category at an org unit, the aggregate wins "
    "(`sources` shows what came from where).",
    response_model=PlacementFollowUp,
    responses=problem_responses(404, 422),
)
async def get_follow_up(
    ctx: Reader,
    period: Annotated[PeriodText, Query(description="e.g. 2023-06, 2023-T2 or 2023.")],
    org_unit_id: Annotated[
        uuid.UUID | None, Query(description="The subtree's root. Default: the municipality.")
    ] = None,
    tolerance: Annotated[
        Decimal | None,
        Query(
            ge=0,
            le=1,
            description="Relative yellow tolerance over budget, e.g. 0.02. Default: the rules "
            "module's 10 %.",
        ),
    ] = None,
) -> PlacementFollowUp:
    return await follow_up(ctx, Period.parse(period), org_unit_id, tolerance)


router = APIRouter(tags=[TAG], responses=problem_responses(401, 403))
for _sub in (categories, providers, episodes, aggregates, budgets, followup):
    router.include_router(_sub)
