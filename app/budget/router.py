"""Budget: categories, lines (with the ERP batch), frames and the follow-up (DOMAIN §7, §12)."""

import uuid
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.batches.router import OPTIONS_DESCRIPTION, Options, batch_request_body, run_batch
from app.batches.schemas import ImportSummary
from app.budget import categories, followup, frames, service
from app.budget.importer import BudgetLineImporter
from app.budget.models import CategoryKind, Scenario
from app.budget.schemas import (
    BudgetCategoryCreate,
    BudgetCategoryRead,
    BudgetCategoryUpdate,
    BudgetFollowUp,
    BudgetFrameCreate,
    BudgetFrameRead,
    BudgetFrameReplace,
    BudgetLineRead,
    BudgetLineWrite,
    BudgetLineWritten,
    BudgetMonths,
    BudgetYears,
    FrameBalance,
)
from app.errors import problem_responses
from app.indicators.schemas import Year
from app.orgunits.schemas import Code
from app.pagination import Page, PageParams, page_params
from app.readcache.route import CACHED_READS

TAG = "budget"
Reader = Annotated[Ctx, Depends(Require(Permission.BUDGET_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.BUDGET_WRITE))]
# Budget lines keep a credential limited to an org unit inside its subtree; the rest is
# municipality-wide.
LineWriter = Annotated[Ctx, Depends(Require(Permission.BUDGET_WRITE, within_org_unit=True))]
Paging = Annotated[PageParams, Depends(page_params)]


# Categories -------------------------------------------------------------------------------------

category_router = APIRouter(
    dependencies=CACHED_READS,
    prefix="/budget-categories",
    tags=[TAG],
    responses=problem_responses(401, 403),
)


@category_router.get(
    "",
    operation_id="budget-categories:list",
    summary="List the municipality's budget categories",
    description="The seed 000 chart is installed with the municipality's first budget write.",
    response_model=Page[BudgetCategoryRead],
    responses=problem_responses(422),
)
async def list_categories(
    ctx: Reader,
    page: Paging,
    kind: CategoryKind | None = None,
    sort: Literal["position", "-position", "code", "-code"] = "position",
) -> Page[BudgetCategoryRead]:
    items, next_cursor = await categories.list_categories(ctx, kind, page, sort)
    return Page[BudgetCategoryRead](items=items, next_cursor=next_cursor)


@category_router.post(
    "",
    operation_id="budget-categories:create",
    summary="Add a budget category, optionally with ERP accounts and a monthly profile",
    status_code=status.HTTP_201_CREATED,
    response_model=BudgetCategoryRead,
    responses=problem_responses(409, 422),
)
async def create_category(ctx: Writer, body: BudgetCategoryCreate) -> BudgetCategoryRead:
    return await categories.create(ctx, body)


@category_router.get(
    "/{category_id:uuid}",
    operation_id="budget-categories:get",
    summary="Get a budget category",
    response_model=BudgetCategoryRead,
    responses=problem_responses(404),
)
async def get_category(ctx: Reader, category_id: uuid.UUID) -> BudgetCategoryRead:
    return await categories.get(ctx, category_id)


@category_router.patch(
    "/{category_id:uuid}",
    operation_id="budget-categories:update",
    summary="Rename a category, map ERP accounts, set its monthly profile",
    response_model=BudgetCategoryRead,
    responses=problem_responses(404, 409, 422),
)
async def update_category(
    ctx: Writer, category_id: uuid.UUID, body: BudgetCategoryUpdate
) -> BudgetCategoryRead:
    return await categories.update(ctx, category_id, body)


@category_router.delete(
    "/{category_id:uuid}",
    operation_id="budget-categories:delete",
    summary="Delete a category no budget line uses",
    responses=problem_responses(404, 409),
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def delete_category(ctx: Writer, category_id: uuid.UUID) -> Response:
    await categories.delete_category(ctx, category_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Lines ------------------------------------------------------------------------------------------

line_router = APIRouter(
    dependencies=CACHED_READS,
    prefix="/budget-lines",
    tags=[TAG],
    responses=problem_responses(401, 403),
)


@line_router.get(
    "",
    operation_id="budget-lines:list",
    summary="List budget lines",
    response_model=Page[BudgetLineRead],
    responses=problem_responses(422),
)
async def list_lines(
    ctx: Reader,
    page: Paging,
    org_unit_id: uuid.UUID | None = None,
    subtree_of: Annotated[
        uuid.UUID | None, Query(description="Lines of this unit and its descendants.")
    ] = None,
    category_id: uuid.UUID | None = None,
    year: Annotated[Year | None, Query()] = None,
    scenario: Scenario | None = None,
    batch_id: uuid.UUID | None = None,
    sort: Literal["year", "-year", "created_at", "-created_at", "id", "-id"] = "year",
) -> Page[BudgetLineRead]:
    f = service.LineFilter(
        org_unit_id=org_unit_id,
        subtree_of=subtree_of,
        category_id=category_id,
        year=year,
        scenario=scenario,
        batch_id=batch_id,
    )
    items, next_cursor = await service.list_lines(ctx, f, page, sort)
    return Page[BudgetLineRead](items=items, next_cursor=next_cursor)


@line_router.put(
    "",
    operation_id="budget-lines:put",
    summary="Write a budget line by its natural key (create, replace, or leave unchanged)",
    description=(
        "The key is org unit (id or code), category (id or code, or an ERP account mapped to "
        "one), period (a year or a month), scenario and, for a forecast, its date. Sending the "
        "same content again changes nothing (`result: unchanged`). A key is annual or monthly, "
        "never both (`granularity_conflict`)."
    ),
    response_model=BudgetLineWritten,
    responses={
        201: {"description": "Created", "model": BudgetLineWritten},
        **problem_responses(409, 422),
    },
)
async def put_line(ctx: LineWriter, body: BudgetLineWrite, response: Response) -> BudgetLineWritten:
    line, result = await service.put(ctx, body)
    if result == "created":
        response.status_code = status.HTTP_201_CREATED
    return BudgetLineWritten(**line.model_dump(), result=result)


BATCH_DESCRIPTION = f"""
ERP ingest: budget, plan, forecast and outcome lines — outcome monthly per org unit and category
or ERP account. Up to 100 000 rows as JSON (a list, or `{{"rows": [...]}}`) or CSV (`text/csv`,
UTF-8, header row, `;` or `,`; with `;` a decimal comma and spaces in `amount` are fine). Amounts
are SEK with at most two decimals, never negative: the category says revenue or cost.

{OPTIONS_DESCRIPTION}
The summary counts created, updated, unchanged (same amount and texts again) and rejected rows,
and lists each rejected row's index, natural key, field, code and message. The batch id is
stored on every line written and on its audit events (`GET /api/v1/budget-lines?batch_id=`).
"""

CSV_EXAMPLE = (
    "org_unit_code;account_code;period;scenario;amount;source_system\n"
    "AF;4610;2022-03;outcome;12 979 000,00;Raindance\n"
    "AF;4610;2022-04;outcome;9 565 000,00;Raindance\n"
)


@line_router.post(
    "/batch",
    operation_id="budget-lines:batch",
    summary="Import many budget lines at once (JSON or CSV) — the ERP feed",
    description=BATCH_DESCRIPTION,
    response_model=ImportSummary,
    responses=problem_responses(409, 413, 415, 422),
    openapi_extra=batch_request_body(
        {"$ref": "#/components/schemas/BudgetLineWrite"},
        [
            {
                "org_unit_code": "AF",
                "category_code": "COST-ASSISTANCE",
                "period": "2022-01",
                "scenario": "outcome",
                "amount": 11459000,
                "source_system": "Raindance",
            },
            {
                "org_unit_code": "AF",
                "category_code": "COST-ASSISTANCE",
                "period": "2022-01",
                "scenario": "budget",
                "amount": 13100000,
            },
        ],
        CSV_EXAMPLE,
    ),
)
async def batch_lines(ctx: LineWriter, request: Request, options: Options) -> Response:
    return await run_batch(ctx, request, BudgetLineImporter(), options)


@line_router.get(
    "/{line_id:uuid}",
    operation_id="budget-lines:get",
    summary="Get a budget line",
    response_model=BudgetLineRead,
    responses=problem_responses(404),
)
async def get_line(ctx: Reader, line_id: uuid.UUID) -> BudgetLineRead:
    return await service.get(ctx, line_id)


@line_router.delete(
    "/{line_id:uuid}",
    operation_id="budget-lines:delete",
    summary="Delete a budget line (kept in the audit trail)",
    responses=problem_responses(404),
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def delete_line(ctx: LineWriter, line_id: uuid.UUID) -> Response:
    await service.delete(ctx, line_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# Frames -----------------------------------------------------------------------------------------

frame_router = APIRouter(
    dependencies=CACHED_READS,
    prefix="/budget-frames",
    tags=[TAG],
    responses=problem_responses(401, 403),
)


@frame_router.get(
    "",
    operation_id="budget-frames:list",
    summary="List budget frames",
    response_model=Page[BudgetFrameRead],
    responses=problem_responses(422),
)
async def list_frames(
    ctx: Reader,
    page: Paging,
    org_unit_id: uuid.UUID | None = None,
    year: Annotated[Year | None, Query()] = None,
    sort: Literal["year", "-year", "created_at", "-created_at"] = "-year",
) -> Page[BudgetFrameRead]:
    f = frames.FrameFilter(org_unit_id=org_unit_id, year=year)
    items, next_cursor = await frames.list_frames(ctx, f, page, sort)
    return Page[BudgetFrameRead](items=items, next_cursor=next_cursor)


@frame_router.post(
    "",
    operation_id="budget-frames:create",
    summary="Record a committee's budget frame for a year, with its adjustments",
    status_code=status.HTTP_201_CREATED,
    response_model=BudgetFrameRead,
    responses=problem_responses(409, 422),
)
async def create_frame(ctx: Writer, body: BudgetFrameCreate) -> BudgetFrameRead:
    return await frames.create(ctx, body)


@frame_router.get(
    "/{frame_id:uuid}",
    operation_id="budget-frames:get",
    summary="Get a budget frame: the change from last year and how far the adjustments explain it",
    response_model=BudgetFrameRead,
    responses=problem_responses(404),
)
async def get_frame(ctx: Reader, frame_id: uuid.UUID) -> BudgetFrameRead:
    return await frames.get(ctx, frame_id)


@frame_router.put(
    "/{frame_id:uuid}",
    operation_id="budget-frames:replace",
    summary="Replace a frame's amount, decision and adjustments",
    response_model=BudgetFrameRead,
    responses=problem_responses(404, 422),
)
async def replace_frame(
    ctx: Writer, frame_id: uuid.UUID, body: BudgetFrameReplace
) -> BudgetFrameRead:
    return await frames.replace(ctx, frame_id, body)


@frame_router.delete(
    "/{frame_id:uuid}",
    operation_id="budget-frames:delete",
    summary="Delete a budget frame",
    responses=problem_responses(404),
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def delete_frame(ctx: Writer, frame_id: uuid.UUID) -> Response:
    await frames.delete(ctx, frame_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@frame_router.get(
    "/{frame_id:uuid}/balance",
    operation_id="budget-frames:balance",
    summary="Budget i balans: do the allocations to the committee's units sum to the frame?",
    response_model=FrameBalance,
    responses=problem_responses(404),
)
async def frame_balance(ctx: Reader, frame_id: uuid.UUID) -> FrameBalance:
    return await frames.balance(ctx, frame_id)


# Follow-up --------------------------------------------------------------------------------------

follow_up_router = APIRouter(
    dependencies=CACHED_READS,
    prefix="/budget-follow-up",
    tags=[TAG],
    responses=problem_responses(401, 403),
)
UnitParam = Annotated[uuid.UUID, Query(description="Followed up over its whole subtree.")]
DepthParam = Annotated[
    int | None,
    Query(
        ge=1,
        le=10,
        description="With `group_by=org_unit`: how many levels of the subtree get rows (default "
        "1, the children; 2 gives a förvaltning's areas with their units). Each row carries its "
        "`path`.",
    ),
]


@follow_up_router.get(
    "",
    operation_id="budget-follow-up:get",
    summary="Budget follow-up for an org unit, year and month, rolled up over its subtree",
    description=(
        "Per category and in total (revenue, cost, net): budget, budget to date, outcome to "
        "date, deviation in SEK and % (positive is favourable), latest forecast and forecast "
        "deviation, and the budget-adherence colour against ±0. `group_by=org_unit` adds the "
        "year-end table's rows (seed 002): the unit's own lines and each child's subtree; "
        "`depth=2` also each grandchild's (areas with their units), each row with its `path`."
    ),
    response_model=BudgetFollowUp,
    responses=problem_responses(404, 422),
)
async def get_follow_up(
    ctx: Reader,
    org_unit_id: UnitParam,
    year: Annotated[Year, Query()],
    month: Annotated[int, Query(ge=1, le=12, description="Follow up to this month.")] = 12,
    group_by: Annotated[Literal["org_unit"] | None, Query()] = None,
    depth: DepthParam = None,
    tolerance: Annotated[
        Decimal,
        Query(ge=0, le=100, description="Yellow band below ±0, in percentage points."),
    ] = followup.DEFAULT_TOLERANCE,
) -> BudgetFollowUp:
    return await followup.follow_up(
        ctx,
        org_unit_id,
        year,
        month,
        tolerance,
        group_by_unit=group_by == "org_unit",
        depth=followup.grouping_depth(group_by, depth),
    )


@follow_up_router.get(
    "/months",
    operation_id="budget-follow-up:months",
    summary="One category month by month: budget, outcome, deviation and monthly means",
    response_model=BudgetMonths,
    responses=problem_responses(404, 422),
)
async def get_months(
    ctx: Reader,
    org_unit_id: UnitParam,
    year: Annotated[Year, Query()],
    category_id: uuid.UUID | None = None,
    category_code: Annotated[Code | None, Query()] = None,
) -> BudgetMonths:
    return await followup.months(ctx, org_unit_id, year, category_id, category_code)


@follow_up_router.get(
    "/years",
    operation_id="budget-follow-up:years",
    summary="Categories × years: outcome, budget or plan per year (the operating-budget table)",
    response_model=BudgetYears,
    responses=problem_responses(404, 422),
)
async def get_years(
    ctx: Reader,
    org_unit_id: UnitParam,
    from_year: Annotated[Year, Query()],
    to_year: Annotated[Year, Query()],
    scenario: Annotated[
        Literal["outcome", "budget", "plan"] | None,
        Query(description="This scenario every year. Default: outcome, else budget, else plan."),
    ] = None,
) -> BudgetYears:
    return await followup.years(
        ctx, org_unit_id, from_year, to_year, Scenario(scenario) if scenario else None
    )


routers = (category_router, line_router, frame_router, follow_up_router)
