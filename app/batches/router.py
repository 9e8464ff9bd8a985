import csv
import io
import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from starlette.responses import JSONResponse, Response

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.batches import changes, service
from app.batches.changes import BatchChanges
from app.batches.idempotency import request_hash
from app.batches.schemas import ImportSummary
from app.batches.service import Importer
from app.errors import PROBLEM_MEDIA_TYPE, problem_responses
from app.pagination import PageParams, page_params

router = APIRouter(
    prefix="/import-batches", tags=["imports"], responses=problem_responses(401, 403)
)


@router.get(
    "/{batch_id:uuid}",
    operation_id="import-batches:get",
    summary="A past import's summary",
    description=(
        "What the batch did. `GET /api/v1/audit-events?batch_id=` gives its audit event; "
        "`GET /api/v1/import-batches/{batch_id}/changes` each value it changed."
    ),
    response_model=ImportSummary,
    responses=problem_responses(404),
)
async def get_import_batch(
    ctx: Annotated[Ctx, Depends(Require(Permission.MEASUREMENTS_READ))], batch_id: uuid.UUID
) -> ImportSummary:
    return await service.get_batch(ctx, batch_id)


@router.get(
    "/{batch_id:uuid}/changes",
    operation_id="import-batches:changes",
    summary="What a batch changed: each value with before and after",
    description=(
        "Each value the batch created or updated — a measurement, a budget line, a placement "
        "episode or an aggregate, by the batch's kind (`entity_type`) — with its content before "
        "the batch (null when it did not exist) and after, read from the immutable versions the "
        "batch wrote. A batch is audited by one event (`GET /api/v1/audit-events?batch_id=`); "
        "this is its detail. In the order written; paginated, or `format=csv` for the whole "
        "batch as a CSV file (a column per field, before and after)."
    ),
    response_model=BatchChanges,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(404, 422),
    },
)
async def list_batch_changes(
    ctx: Annotated[Ctx, Depends(Require(Permission.AUDIT_READ))],
    batch_id: uuid.UUID,
    page: Annotated[PageParams, Depends(page_params)],
    format: Annotated[
        Literal["json", "csv"], Query(description="`csv`: every change, one file.")
    ] = "json",
) -> BatchChanges | Response:
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        async for line in changes.csv_rows(ctx, batch_id):
            writer.writerow(line)
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}-changes.csv"'},
        )
    items, next_cursor = await changes.list_changes(ctx, batch_id, page)
    return BatchChanges(items=list(items), next_cursor=next_cursor)


def batch_response(request: Request, answer: service.Answer) -> Response:
    """The import's answer: the summary, or a problem document carrying it."""
    body = dict(answer.body)
    headers = {"Idempotent-Replayed": "true"} if answer.replayed else None
    if answer.status_code >= 400:
        body.setdefault("instance", request.url.path)
        body["request_id"] = getattr(request.state, "request_id", None)
        return JSONResponse(
            body, status_code=answer.status_code, media_type=PROBLEM_MEDIA_TYPE, headers=headers
        )
    return JSONResponse(body, status_code=answer.status_code, headers=headers)


# The pieces every batch endpoint (measurements, budget lines, placements, aggregates) shares.

OPTIONS_DESCRIPTION = """\
* `mode=atomic` (default): all rows land or none; any bad row refuses the request with 422 and
  the summary. `mode=partial`: good rows land, bad rows are reported; the answer is 200.
* `dry_run=true`: validate and classify, write nothing.
* `Idempotency-Key`: a request that wrote something lands once; a retry with the same key gets its
  answer back (`Idempotent-Replayed: true`), and the same key with another body is 409. A request
  that wrote nothing (a 422, a dry run) keeps no answer, so its key can be sent again.
"""


@dataclass(frozen=True)
class BatchOptions:
    mode: Literal["atomic", "partial"]
    dry_run: bool
    idempotency_key: str | None


async def batch_options(
    mode: Annotated[
        Literal["atomic", "partial"],
        Query(description="`atomic`: all rows or none. `partial`: good rows land."),
    ] = "atomic",
    dry_run: Annotated[bool, Query(description="Check and classify; write nothing.")] = False,
    idempotency_key: Annotated[
        str | None,
        Header(alias="Idempotency-Key", max_length=200, description="Makes a retry land once."),
    ] = None,
) -> BatchOptions:
    return BatchOptions(mode, dry_run, idempotency_key)


Options = Annotated[BatchOptions, Depends(batch_options)]


def batch_request_body(
    item_schema: dict[str, Any], example: list[dict[str, Any]], csv_example: str
) -> dict[str, Any]:
    """The ``openapi_extra`` of a batch endpoint: JSON rows or CSV, with examples."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": item_schema,
                        "minItems": 1,
                        "maxItems": 100000,
                    },
                    "example": example,
                },
                "text/csv": {"schema": {"type": "string"}, "example": csv_example},
            },
        }
    }


async def run_batch(
    ctx: Ctx, request: Request, importer: Importer, options: BatchOptions
) -> Response:
    """Read the body, run the import as one unit of work, and answer its summary."""
    body = await request.body()
    content_type = request.headers.get("content-type")
    query = f"mode={options.mode}&dry_run={options.dry_run}"
    answer = await service.run_import(
        ctx,
        importer,
        body=body,
        content_type=content_type,
        mode=options.mode,
        dry_run=options.dry_run,
        idempotency_key=options.idempotency_key,
        fingerprint=request_hash("POST", request.url.path, query, content_type or "", body),
        ttl_hours=request.app.state.settings.idempotency_ttl_hours,
        wait_seconds=request.app.state.settings.idempotency_wait_seconds,
        endpoint=request.url.path,
    )
    return batch_response(request, answer)
