"""Errors as RFC 9457 problem details, rendered by one set of handlers.

Services raise :class:`Problem` subclasses; routers never build error responses by hand. Every
error response, including FastAPI's own 422, Starlette's 404/405 and the unexpected 500, leaves as
``application/problem+json`` with ``type``, ``title``, ``status``, ``detail``, ``instance`` and the
request id. Validation errors list each field and the reason but never echo the input: the input
may be the personal identity number we just refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from app.personnummer import redact

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://styrkort.se/problems/"
PROBLEM_SCHEMA_REF = "#/components/schemas/ProblemDetails"

log = structlog.get_logger(__name__)


class FieldError(BaseModel):
    field: str = Field(description="Dotted location of the offending field, e.g. `body.parent_id`.")
    code: str = Field(description="Machine-readable reason, e.g. `missing`, `too_long`.")
    message: str = Field(description="Human-readable reason. Never contains the submitted value.")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=[PROBLEM_TYPE_BASE + "not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str | None = Field(default=None, examples=["org unit not found"])
    instance: str | None = Field(default=None, examples=["/api/v1/org-units/0190…"])
    request_id: str | None = None
    errors: list[FieldError] | None = None


class Problem(Exception):
    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal server error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = headers


class BadRequest(Problem):
    status, slug, title = 400, "bad-request", "Bad request"


class Unauthorized(Problem):
    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer, ApiKey header="X-API-Key"'})


class Forbidden(Problem):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(Problem):
    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(Problem):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class NotAcceptable(Problem):
    status, slug, title = 406, "not-acceptable", "Not acceptable"


class Conflict(Problem):
    status, slug, title = 409, "conflict", "Conflict"


class PayloadTooLarge(Problem):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(Problem):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class Unprocessable(Problem):
    status, slug, title = 422, "validation-error", "Validation error"

    @classmethod
    def for_field(cls, field: str, code: str, message: str) -> Unprocessable:
        return cls(message, errors=[FieldError(field=field, code=code, message=message)])


RETRY_AFTER_SECONDS = 2


class ServiceUnavailable(Problem):
    """Always with ``Retry-After``: a client (or a load balancer) knows when to come back."""

    status, slug, title = 503, "service-unavailable", "Service unavailable"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


_BY_STATUS: dict[int, type[Problem]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
        Conflict,
        PayloadTooLarge,
        UnsupportedMediaType,
        Unprocessable,
        ServiceUnavailable,
    )
}


def _request_id(request: Request) -> str | None:
    value = getattr(request.state, "request_id", None)
    return str(value) if value else None


def problem_response(
    request: Request,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = ProblemDetails(
        type=PROBLEM_TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=redact(request.url.path),
        request_id=_request_id(request),
        errors=list(errors) if errors else None,
    )
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves at ``path`` (Starlette's own Allow names only the first)."""
    methods: set[str] = set()
    for route in iter_route_contexts(app.routes):
        regex = route.path_regex
        if regex is not None and regex.match(path) and route.methods:
            methods |= set(route.methods)
    return sorted(methods)


def _location(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def field_errors_from_validation(errors: Sequence[Any]) -> list[FieldError]:
    """Pydantic errors as field errors, without the offending input or its context."""
    result = []
    for error in errors:
        message = str(error.get("msg", "invalid value"))
        result.append(
            FieldError(
                field=_location(error.get("loc", ())),
                code=str(error.get("type", "invalid")),
                message=message,
            )
        )
    return result


async def _handle_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Problem)
    return problem_response(
        request,
        status=exc.status,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        headers=exc.headers,
    )


async def _handle_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors_from_validation(exc.errors())
    detail = f"{len(errors)} invalid field(s): " + ", ".join(e.field for e in errors)
    return _unprocessable(request, detail, errors)


def _unprocessable(
    request: Request, detail: str, errors: list[FieldError] | None = None
) -> Response:
    """A 422 problem for what a client sent, answered by a handler (not raised)."""
    return problem_response(
        request,
        status=422,
        slug=Unprocessable.slug,
        title=Unprocessable.title,
        detail=detail,
        errors=errors,
    )


async def _handle_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's "error parsing the body" (e.g. bytes that are not UTF-8): invalid input.
        error = FieldError(field="body", code="body_unreadable", message="the body cannot be read")
        return _unprocessable(request, "the request body cannot be read as JSON", [error])
    cls = _BY_STATUS.get(exc.status_code)
    slug = cls.slug if cls else f"http-{exc.status_code}"
    title = cls.title if cls else "HTTP error"
    detail = exc.detail if isinstance(exc.detail, str) else None
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:
        headers = {"Allow": ", ".join(allowed_methods(request.app, request.url.path))}
    return problem_response(
        request, status=exc.status_code, slug=slug, title=title, detail=detail, headers=headers
    )


def unexpected_error_response(request: Request, exc: Exception) -> Response:
    """The 500: the exception is logged with the request id; the client gets no internals."""
    log.error("unhandled_exception", exc_type=type(exc).__name__, exc_info=exc)
    return problem_response(
        request,
        status=500,
        slug=Problem.slug,
        title=Problem.title,
        detail="An unexpected error occurred; quote the request id when reporting it.",
    )


async def _handle_integrity(request: Request, exc: Exception) -> Response:
    # Services check what they can first; this is the race two writers can still lose.
    log.info("integrity_conflict", exc_type=type(exc).__name__)
    return problem_response(
        request,
        status=409,
        slug=Conflict.slug,
        title=Conflict.title,
        detail="the change conflicts with data written at the same time; read and retry",
    )


# What drivers say when a value the client sent cannot be stored or compared.
_VALUE_REFUSALS = ("invalid byte sequence", "out of range", "invalid input syntax")


async def _handle_data_error(request: Request, exc: Exception) -> Response:
    """The database refused a value the client sent (a NUL character, a date out of range), or
    is not there: a driver error that says the connection failed is a 503 like any other."""
    if database_unavailable(exc):
        return await _handle_unavailable(request, exc)
    if _lone_surrogate(exc):
        return await _handle_unencodable(request, exc)
    refused = isinstance(exc, DataError) or any(
        phrase in str(getattr(exc, "orig", exc)) for phrase in _VALUE_REFUSALS
    )
    if not refused:
        return unexpected_error_response(request, exc)
    log.info("data_error", exc_type=type(exc).__name__)
    return _unprocessable(
        request, "a value in the request cannot be stored or compared (e.g. a NUL character)"
    )


# SQLSTATE classes and codes that mean "the database is not able to answer now": connection
# exceptions (08), insufficient resources (53), operator intervention (57: a cancelled statement,
# i.e. the statement timeout, a shutdown, "the database system is starting up").
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database could not answer (refused, reset, timed out, pool
    exhausted, shutting down) rather than that the request was wrong or we have a bug."""
    if isinstance(exc, OSError | SQLAlchemyTimeoutError | OperationalError):
        return True  # TimeoutError and ConnectionRefusedError/ResetError are OSErrors
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
        if isinstance(sqlstate, str) and sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES:
            return True
        return isinstance(exc.orig, OSError) or "connection is closed" in str(exc.orig)
    return False


def _lone_surrogate(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it: asyncpg wraps it) is a lone surrogate refused."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, UnicodeEncodeError) and exc.reason == "surrogates not allowed":
            return True
        exc, seen = exc.__cause__ or exc.__context__ or getattr(exc, "orig", None), seen + 1
    return False


async def _handle_unencodable(request: Request, exc: Exception) -> Response:
    """A string no database can store: JSON allows a lone surrogate (``"\\ud800"``), UTF-8 does
    not. Anything else that fails to encode is our bug, a 500."""
    if not _lone_surrogate(exc):
        return unexpected_error_response(request, exc)
    log.info("unencodable_value")
    return _unprocessable(
        request,
        "a text in the request holds a lone surrogate (e.g. \\ud800), which is not text",
        [FieldError(field="body", code="lone_surrogate", message="not valid Unicode text")],
    )


async def _handle_unavailable(request: Request, exc: Exception) -> Response:
    """Any database unavailability — refused, reset, timed out, the pool exhausted, SQLite's
    busy timeout run out, not migrated — is a 503 with ``Retry-After``; a client retries."""
    if not database_unavailable(exc):
        return unexpected_error_response(request, exc)
    log.warning("database_unavailable", exc_type=type(exc).__name__, exc_info=exc)
    return problem_response(
        request,
        status=503,
        slug=ServiceUnavailable.slug,
        title=ServiceUnavailable.title,
        detail="the database is busy or unavailable (or not migrated); retry shortly",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IntegrityError, _handle_integrity)
    app.add_exception_handler(DBAPIError, _handle_data_error)
    app.add_exception_handler(OperationalError, _handle_unavailable)
    app.add_exception_handler(SQLAlchemyTimeoutError, _handle_unavailable)
    app.add_exception_handler(OSError, _handle_unavailable)
    app.add_exception_handler(UnicodeEncodeError, _handle_unencodable)
    app.add_exception_handler(Problem, _handle_problem)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` entry that documents error statuses of a route as problem details."""
    descriptions = {
        400: "Bad request",
        401: "Missing, invalid, expired or revoked credential",
        403: "The credential's role does not allow this",
        404: "Not found in the caller's municipality",
        405: "Method not allowed",
        406: "`Accept` admits none of the media types this answers",
        412: "A precondition (`If-Match`, `If-None-Match`) failed: nothing was changed",
        429: "Too many requests from this credential; see `Retry-After`",
        409: "Conflicts with the current state",
        413: "Payload too large",
        415: "Unsupported media type",
        422: "Validation error; `errors` lists each field and reason",
        503: "Service unavailable",
    }
    return {
        status: {
            "description": descriptions.get(status, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_SCHEMA_REF}}},
        }
        for status in statuses
    }
