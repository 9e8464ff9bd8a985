"""Pure ASGI middleware: request id, access log and metrics, and the request-body gate (413/415)."""

from __future__ import annotations

import re
import time
import uuid

import structlog
from prometheus_client import Counter, Histogram
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import (
    PayloadTooLarge,
    UnsupportedMediaType,
    problem_response,
    unexpected_error_response,
)
from app.personnummer import contains_personal_identity_number, redact

log = structlog.get_logger("styrkort.access")

REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,100}$")

REQUESTS = Counter("styrkort_http_requests_total", "HTTP requests", ["method", "route", "status"])
DURATION = Histogram(
    "styrkort_http_request_duration_seconds", "HTTP request duration", ["method", "route", "status"]
)


def _usable_request_id(incoming: str) -> bool:
    """The client's id is kept when it is a plain token holding no personal identity number
    (it goes on every log line and audit event, so it is replaced rather than redacted)."""
    return bool(_SAFE_REQUEST_ID.match(incoming)) and not contains_personal_identity_number(
        incoming
    )


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    app = scope.get("app")
    templates: dict[int, str] = getattr(getattr(app, "state", None), "route_templates", {})
    return templates.get(id(route), "unmatched")


class RequestContextMiddleware:
    """Gives every request an id (the client's ``X-Request-ID`` when sane), logs and counts it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Request(scope).headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _usable_request_id(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        status = 500
        response_started = False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if response_started:  # nothing more can be sent; let the server close it
                raise
            await unexpected_error_response(Request(scope), exc)(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            labels = (scope["method"], route, str(status))
            REQUESTS.labels(*labels).inc()
            DURATION.labels(*labels).observe(elapsed)
            log.info(
                "request",
                method=scope["method"],
                path=redact(scope["path"]),
                route=route,
                status=status,
                duration_ms=round(elapsed * 1000, 2),
            )


ACCEPTED_MEDIA_TYPES = frozenset({"application/json", "text/csv", "application/merge-patch+json"})


class BodyGateMiddleware:
    """Refuses bodies that are too large (413) or of a media type no route takes (415)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in {"POST", "PUT", "PATCH"}:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            await self._refuse(scope, receive, send, PayloadTooLarge(self._too_large()))
            return
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type and media_type not in ACCEPTED_MEDIA_TYPES:
            problem = UnsupportedMediaType(
                "send application/json (or text/csv to a batch endpoint), "
                f"not '{redact(media_type)[:100]}'"
            )
            await self._refuse(scope, receive, send, problem)
            return
        await self.app(scope, self._limited(receive), send)

    def _too_large(self) -> str:
        return f"request body exceeds {self.max_body_bytes} bytes"

    def _limited(self, receive: Receive) -> Receive:
        """Counts streamed bytes too, for requests without a Content-Length."""
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise PayloadTooLarge(self._too_large())
            return message

        return wrapped

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        problem: PayloadTooLarge | UnsupportedMediaType,
    ) -> None:
        response = problem_response(
            Request(scope),
            status=problem.status,
            slug=problem.slug,
            title=problem.title,
            detail=problem.detail,
        )
        await response(scope, receive, send)
