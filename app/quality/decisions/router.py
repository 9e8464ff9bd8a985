import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.errors import Unprocessable, problem_responses
from app.fields import IsoDate
from app.pagination import Page, PageParams, page_params
from app.periods import Period, PeriodKind
from app.quality.decisions import ivo, service
from app.quality.decisions.models import DecisionGender, InterventionType, LegalBasis
from app.quality.decisions.schemas import (
    DecisionCreate,
    DecisionRead,
    DecisionUpdate,
    InterruptionCreate,
    InterruptionUpdate,
    IvoReport,
)

router = APIRouter(
    prefix="/unexecuted-decisions",
    tags=["unexecuted-decisions"],
    responses=problem_responses(401, 403),
)

Reader = Annotated[Ctx, Depends(Require(Permission.DECISIONS_READ))]
Writer = Annotated[Ctx, Depends(Require(Permission.DECISIONS_WRITE, within_org_unit=True))]

CSV_MEDIA_TYPE = "text/csv"
CSV_EXAMPLE = (
    "quarter,kind,intervention_type,gender,months_3_6,months_6_9,months_9_12,months_over_12,total\r\n"
    "2019-Q4,not_executed,contact_person_family,women,8,15,7,15,45\r\n"
    "2019-Q4,not_executed,contact_person_family,,14,25,12,25,76\r\n"
)


@router.get(
    "",
    operation_id="unexecuted-decisions:list",
    summary="List granted decisions followed up for execution",
    response_model=Page[DecisionRead],
    responses=problem_responses(422),
)
async def list_decisions(
    ctx: Reader,
    page: Annotated[PageParams, Depends(page_params)],
    org_unit_id: Annotated[
        uuid.UUID | None, Query(description="Only this org unit and its descendants.")
    ] = None,
    intervention_type: InterventionType | None = None,
    legal_basis: LegalBasis | None = None,
    gender: DecisionGender | None = None,
    executed: bool | None = None,
    decided_from: Annotated[IsoDate | None, Query(description="Decided on or after.")] = None,
    decided_to: Annotated[IsoDate | None, Query(description="Decided on or before.")] = None,
    source: Annotated[str | None, Query(max_length=100)] = None,
    reference: Annotated[str | None, Query(max_length=100)] = None,
    sort: Literal["decision_on", "-decision_on", "created_at", "-created_at"] = "decision_on",
) -> Page[DecisionRead]:
    f = service.DecisionFilter(
        org_unit_id=org_unit_id,
        intervention_type=intervention_type.value if intervention_type else None,
        legal_basis=legal_basis.value if legal_basis else None,
        gender=gender.value if gender else None,
        executed=executed,
        decided_from=decided_from,
        decided_to=decided_to,
        source=source,
        reference=reference,
    )
    items, next_cursor = await service.list_decisions(ctx, f, page, sort)
    return Page[DecisionRead](items=items, next_cursor=next_cursor)


IVO_DESCRIPTION = """
The quarterly report to IVO (and the auditors and the council) as of the quarter's last day:
every granted decision not executed within three months of the decision (`not_executed`), and
every executed one interrupted and not resumed within three months of the interruption
(`interrupted`, counted from the interruption), bucketed by time waited — more than 3 and at most
6 months, 6–9, 9–12, more than 12. **Exactly three months is not yet reportable**; calendar
months, clamped to the month's end. `buckets` gives the dates each bucket covers.

JSON (default): `rows` per kind × intervention type × gender, `by_type` and `totals` subtotals, and
every reportable decision in `decisions`. **CSV** with `format=csv` (`text/csv`, UTF-8, header
row; comma-separated, or `delimiter=;` for Swedish Excel; `bom=true` starts it with a BOM, as the
exports do by default): `table=summary` (default) the rows and subtotals, an empty cell meaning
"all"; `table=decisions` one line per decision.
"""


@router.get(
    "/ivo-report",
    operation_id="unexecuted-decisions:ivo-report",
    summary="The quarterly IVO report of decisions not executed within three months",
    description=IVO_DESCRIPTION,
    response_model=IvoReport,
    responses={
        200: {
            "description": "The report, as JSON or (with `format=csv`) CSV.",
            "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
        },
        **problem_responses(422),
    },
)
async def ivo_report(
    ctx: Reader,
    quarter: Annotated[
        str,
        Query(
            pattern=r"^(?:19|2[0-9])[0-9]{2}-Q[1-4]$",
            description="The quarter, e.g. `2019-Q4`.",
            examples=["2019-Q4"],
        ),
    ],
    format: Annotated[
        Literal["json", "csv"], Query(description="`csv` answers text/csv.")
    ] = "json",
    table: Annotated[
        Literal["summary", "decisions"], Query(description="Which table the CSV holds.")
    ] = "summary",
    delimiter: Annotated[
        Literal[",", ";"], Query(description="CSV separator, as for the exports.")
    ] = ",",
    bom: Annotated[
        bool, Query(description="CSV: start with a UTF-8 BOM (for Excel). Off by default here.")
    ] = False,
) -> IvoReport | Response:
    period = Period.parse(quarter)
    if period.kind is not PeriodKind.QUARTER:  # the pattern already says so; kept as a guard
        raise Unprocessable.for_field("query.quarter", "not_a_quarter", "give a quarter")
    result = await ivo.report(ctx, period)
    if format == "csv":
        return Response(
            ivo.to_csv(result, table, delimiter, bom),
            media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="ivo-{quarter}-{table}.csv"'},
        )
    return result


@router.post(
    "",
    operation_id="unexecuted-decisions:create",
    summary="Register a granted decision",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionRead,
    responses=problem_responses(409, 422),
)
async def create_decision(ctx: Writer, body: DecisionCreate) -> DecisionRead:
    return await service.create(ctx, body)


@router.get(
    "/{decision_id:uuid}",
    operation_id="unexecuted-decisions:get",
    summary="Get a decision with its interruptions",
    response_model=DecisionRead,
    responses=problem_responses(404, 422),
)
async def get_decision(ctx: Reader, decision_id: uuid.UUID) -> DecisionRead:
    return await service.read(ctx, await service.get(ctx, decision_id))


@router.patch(
    "/{decision_id:uuid}",
    operation_id="unexecuted-decisions:update",
    summary="Change a decision, e.g. record that it was executed",
    response_model=DecisionRead,
    responses=problem_responses(404, 409, 422),
)
async def update_decision(
    ctx: Writer, decision_id: uuid.UUID, body: DecisionUpdate
) -> DecisionRead:
    return await service.update(ctx, decision_id, body)


@router.delete(
    "/{decision_id:uuid}",
    operation_id="unexecuted-decisions:delete",
    summary="Delete a decision registered by mistake",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(404, 422),
)
async def delete_decision(ctx: Writer, decision_id: uuid.UUID) -> Response:
    await service.delete(ctx, decision_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{decision_id:uuid}/interruptions",
    operation_id="unexecuted-decisions:add-interruption",
    summary="Record an interruption of an executed decision",
    status_code=status.HTTP_201_CREATED,
    response_model=DecisionRead,
    responses=problem_responses(404, 409, 422),
)
async def add_interruption(
    ctx: Writer, decision_id: uuid.UUID, body: InterruptionCreate
) -> DecisionRead:
    return await service.add_interruption(ctx, decision_id, body)


@router.patch(
    "/{decision_id:uuid}/interruptions/{interruption_id:uuid}",
    operation_id="unexecuted-decisions:update-interruption",
    summary="Change an interruption, e.g. record the resumption",
    response_model=DecisionRead,
    responses=problem_responses(404, 422),
)
async def update_interruption(
    ctx: Writer, decision_id: uuid.UUID, interruption_id: uuid.UUID, body: InterruptionUpdate
) -> DecisionRead:
    return await service.update_interruption(ctx, decision_id, interruption_id, body)


@router.delete(
    "/{decision_id:uuid}/interruptions/{interruption_id:uuid}",
    operation_id="unexecuted-decisions:delete-interruption",
    summary="Remove an interruption recorded by mistake",
    response_model=DecisionRead,
    responses=problem_responses(404, 422),
)
async def delete_interruption(
    ctx: Writer, decision_id: uuid.UUID, interruption_id: uuid.UUID
) -> DecisionRead:
    return await service.delete_interruption(ctx, decision_id, interruption_id)
