"""Liveness, readiness and metrics: open routes for load balancers and Prometheus."""

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.auth.deps import get_database, public
from app.db import Database
from app.errors import ServiceUnavailable, problem_responses

router = APIRouter(tags=["health"], dependencies=[Depends(public)])

READY_TIMEOUT_SECONDS = 3.0


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


@router.get(
    "/health/live",
    operation_id="health:live",
    summary="Liveness: the process answers",
    response_model=HealthStatus,
)
async def live() -> HealthStatus:
    return HealthStatus()


@router.get(
    "/health/ready",
    operation_id="health:ready",
    summary="Readiness: the database answers",
    response_model=HealthStatus,
    responses=problem_responses(503),
)
async def ready(db: Annotated[Database, Depends(get_database)]) -> HealthStatus:
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS), db.read_engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        raise ServiceUnavailable("database unavailable") from exc
    return HealthStatus()


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
