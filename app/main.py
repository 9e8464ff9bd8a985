"""The application: ``uvicorn app.main:app``."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.utils import get_openapi

from app.actionplans.router import router as action_plans_router
from app.apidocs import install_offline_docs
from app.assessments.router import router as assessments_router
from app.audit.recorder import install_audit_trail
from app.audit.router import router as audit_router
from app.auth.deps import assert_every_route_declares_access
from app.auth.router import me_router
from app.auth.router import router as api_keys_router
from app.batches.router import router as import_batches_router
from app.benchmarks.router import router as benchmarks_router
from app.budget.router import routers as budget_routers
from app.control.router import router as control_plans_router
from app.conventions import (
    EncodedAnswerHeaders,
    HttpConventionsMiddleware,
    negotiated_formats,
    route_facts,
)
from app.db import Database
from app.errors import ProblemDetails, install_error_handlers, problem_responses
from app.exports.router import router as exports_router
from app.goals.router import assignments as assignments_router
from app.goals.router import router as goals_router
from app.health.router import router as health_router
from app.indicators.router import router as indicators_router
from app.logging import configure_logging
from app.measurements.router import router as measurements_router
from app.middleware import BodyGateMiddleware, RequestContextMiddleware
from app.openapi import finish_document
from app.orgunits.router import router as org_units_router
from app.placements.router import router as placements_router
from app.quality.decisions.router import router as unexecuted_decisions_router
from app.quality.deviations.router import router as deviation_reports_router
from app.quality.feedback.router import router as feedback_router
from app.readcache.counter import install_change_counter
from app.readcache.route import CachedReadRoute
from app.readcache.store import RenderedAnswers
from app.reporting.router import router as reporting_router
from app.routing import check_api_request, flatten_routes, query_parameters, route_templates
from app.scorecard.router import router as scorecard_router
from app.settings import Settings, get_settings

API_PREFIX = "/api/v1"
# Answers this large or larger are gzipped for clients that accept it; below a packet's worth,
# compressing costs more than it saves.
GZIP_MINIMUM_BYTES = 1400
# Level 1, as nginx uses by default: on a 500-row page (200 kB) it compresses 4.4-fold where
# level 9 reaches 4.8-fold at seven times the CPU (measured on a shared 2-core machine).
GZIP_LEVEL = 1
# What a browser client may read of an answer (CORS hides all but a few by default).
EXPOSED_HEADERS = [
    "X-Request-ID",
    "ETag",
    "Location",
    "Retry-After",
    "Content-Disposition",
    "Content-Digest",
    "Repr-Digest",
    "X-Export-As-Of",
    "Idempotent-Replayed",
]

DESCRIPTION = """
Goal and result management for municipal social-services committees: goals, indicators,
measurements and green/yellow/red fulfilment, budget follow-up, placements, deviation reports and
internal control.

**Authentication.** Machine clients send `X-API-Key: sk_…`; people send
`Authorization: Bearer <JWT>`. Every credential belongs to one municipality and sees only its data:
a row of another municipality answers 404.

**Errors** are RFC 9457 problem details (`application/problem+json`).
**Lists** are cursor-paginated: pass `next_cursor` back as `cursor`.

**HTTP.** A single resource answers with a strong `ETag`; send it back as `If-Match` on a change
(412 when the resource changed meanwhile; optional everywhere) or as `If-None-Match` on a read
(304). Every 201 names the created resource in `Location`. `HEAD` works wherever `GET` does.
Answers of 1400 bytes or more are gzipped for clients that accept it. Each credential may send
`STYRKORT_RATE_LIMIT_PER_MINUTE` requests a minute (429 with `Retry-After` beyond); 503s carry
`Retry-After` too.
"""

TAGS = [
    {"name": "org-units", "description": "The organisation: committee → office → area → unit."},
    {"name": "goals", "description": "Council, committee and unit goals, their rules and tree."},
    {"name": "assignments", "description": "Assignments (uppdrag) on goals, with progress."},
    {"name": "indicators", "description": "Indicators and their yearly targets."},
    {
        "name": "measurements",
        "description": "Measured values, versioned: every read can ask what was known at a time.",
    },
    {
        "name": "scorecard",
        "description": "Green/yellow/red fulfilment, explained: the committee's follow-up.",
    },
    {
        "name": "reporting",
        "description": "Reporting completeness: which expected values arrived, on time or not.",
    },
    {
        "name": "budget",
        "description": "Budget frames, categories, lines (with the ERP batch) and the follow-up.",
    },
    {"name": "imports", "description": "Summaries of past bulk imports."},
    {
        "name": "benchmarks",
        "description": "Kolada import, municipality groups, comparisons and the Kolada export.",
    },
    {
        "name": "exports",
        "description": "Reproducible, streamed exports with a manifest (row count, SHA-256).",
    },
    {"name": "assessments", "description": "Manual assessments beside the computed status."},
    {
        "name": "control-plans",
        "description": "Internal-control plans: control points with risk, results, the schedule.",
    },
    {"name": "action-plans", "description": "Action plans (handlingsplaner) with follow-ups."},
    {
        "name": "deviation-reports",
        "description": "Deviation reports (avvikelser) with workflow, measures and Lex Sarah.",
    },
    {"name": "feedback", "description": "Complaints, praise and suggestions (synpunkter)."},
    {
        "name": "unexecuted-decisions",
        "description": "Granted decisions not executed in time, and the quarterly IVO report.",
    },
    {
        "name": "placements",
        "description": "Out-of-home placements: categories, providers, episodes, monthly "
        "aggregates, budgets and the follow-up with its forecast.",
    },
    {"name": "api-keys", "description": "Credentials for machine clients (admins only)."},
    {"name": "access", "description": "The calling credential."},
    {"name": "audit", "description": "The append-only audit trail (auditors and admins)."},
    {"name": "health", "description": "Liveness and readiness for load balancers."},
]


API_ROUTERS = (
    org_units_router,
    goals_router,
    assignments_router,
    indicators_router,
    measurements_router,
    scorecard_router,
    reporting_router,
    *budget_routers,
    import_batches_router,
    benchmarks_router,
    exports_router,
    assessments_router,
    control_plans_router,
    action_plans_router,
    deviation_reports_router,
    feedback_router,
    unexecuted_decisions_router,
    placements_router,
    api_keys_router,
    me_router,
    audit_router,
)


def include_api(application: FastAPI) -> None:
    """Each domain's router under ``/api/v1``, included straight into the app.

    Not through one ``/api/v1`` router of routers: FastAPI matches a request against each level
    of nesting more than once, and on a hundred and sixty routes that extra level cost a fifth of
    a small request's CPU (``scripts/bench read``).
    """
    for router in API_ROUTERS:
        application.include_router(
            router,
            prefix=API_PREFIX,
            dependencies=[Depends(check_api_request)],
            responses=problem_responses(422),
        )


def link_created_resources(schema: dict[str, Any]) -> None:
    """OpenAPI links from each create (``POST /things`` answering 201 with an ``id``) to the
    operations on ``/things/{thing_id}…``: a client, or schemathesis' stateful phase, can follow
    a created resource to reading, changing and deleting it."""
    paths: dict[str, dict[str, Any]] = schema["paths"]
    for path, operations in paths.items():
        created = operations.get("post", {}).get("responses", {}).get("201")
        if created is None:
            continue
        prefix = path + "/{"
        # A nested create (/plans/{plan_id}/points) passes its own path parameters along.
        inherited = {name: f"$request.path.{name}" for name in re.findall(r"\{(\w+)\}", path)}
        links = {}
        for other, other_operations in paths.items():
            if not other.startswith(prefix):
                continue
            parameter = other[len(prefix) :].split("}", 1)[0]
            for operation in other_operations.values():
                links[operation["operationId"]] = {
                    "operationId": operation["operationId"],
                    "parameters": {**inherited, parameter: "$response.body#/id"},
                }
        if links:
            created["links"] = dict(sorted(links.items()))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)
    install_audit_trail()
    install_change_counter()
    db = Database(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await db.dispose()

    application = FastAPI(
        title="Styrkort",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    application.state.settings = settings
    application.state.db = db
    application.state.rendered_answers = (
        RenderedAnswers(settings.read_cache_entries, settings.read_cache_megabytes * 1024 * 1024)
        if settings.read_cache_entries
        else None
    )
    install_error_handlers(application)
    install_offline_docs(application)
    application.include_router(health_router)
    include_api(application)
    flatten_routes(application, CachedReadRoute)
    assert_every_route_declares_access(application)
    application.state.route_templates = route_templates(application)
    application.state.query_parameters = query_parameters(application)
    application.state.negotiated_formats = negotiated_formats(application)

    application.add_middleware(BodyGateMiddleware, max_body_bytes=settings.max_body_bytes)
    facts = route_facts(application)
    application.add_middleware(
        HttpConventionsMiddleware,
        facts=lambda: facts,
        rate_limit_per_minute=settings.rate_limit_per_minute,
        retry_after_seconds=settings.retry_after_seconds,
    )
    application.add_middleware(
        GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES, compresslevel=GZIP_LEVEL
    )
    application.add_middleware(EncodedAnswerHeaders)
    if settings.cors_origins:
        application.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=EXPOSED_HEADERS,
        )
    application.add_middleware(RequestContextMiddleware)

    def openapi() -> dict[str, Any]:
        if application.openapi_schema is None:
            schema = get_openapi(
                title=application.title,
                version=application.version,
                description=application.description,
                routes=application.routes,
                tags=TAGS,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components["ProblemDetails"] = ProblemDetails.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            components.update(components["ProblemDetails"].pop("$defs", {}))
            finish_document(schema)
            link_created_resources(schema)
            application.openapi_schema = schema
        return application.openapi_schema

    application.openapi = openapi  # type: ignore[method-assign]
    return application


app = create_app()
