import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, Response

from app.auth.deps import Ctx, Require
from app.auth.permissions import Permission
from app.batches import service
from app.batches.schemas import ImportSummary
from app.errors import PROBLEM_MEDIA_TYPE, problem_responses

router = APIRouter(
    prefix="/import-batches", tags=["imports"], responses=problem_responses(401, 403)
)


@router.get(
    "/{batch_id:uuid}",
    operation_id="import-batches:get",
    summary="A past import's summary",
    description="What the batch did; `GET /api/v1/audit-events?batch_id=` lists every change.",
    response_model=ImportSummary,
    responses=problem_responses(404),
)
async def get_import_batch(
    ctx: Annotated[Ctx, Depends(Require(Permission.MEASUREMENTS_READ))], batch_id: uuid.UUID
) -> ImportSummary:
    return await service.get_batch(ctx, batch_id)


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
