"""HTTP as clients expect it, for every route at once: pure ASGI, cheap on the common path.

- ``HEAD`` is answered wherever ``GET`` is: the request runs as a ``GET`` and the body is dropped.
- A single resource's answer (a JSON ``GET``/``PUT``/``PATCH`` on ``…/{id}``) carries a strong
  ``ETag``, the SHA-256 of its body. ``If-None-Match`` on ``GET`` answers 304. ``If-Match`` (and
  ``If-None-Match: *``) on ``PUT``/``PATCH``/``DELETE`` is checked against the resource as a
  ``GET`` would answer it *before* the change runs: a mismatch is a 412 problem and nothing is
  written. A change that would fail anyway (a missing resource, a malformed id) answers that
  failure instead (RFC 9110 §13.2.2), except a ``PUT``, which may create. ``If-Match`` is
  optional on every resource (no 428): integrations that write by natural
  key (``PUT /measurements``) have no representation to match, and a client that wants lost-update
  protection sends it. The check and the change are serialized per resource within one process; a
  deployment with several processes narrows but does not close the window between them.
- Every 201 carries ``Location``: the created resource (``…/{id}`` after a create, the request's
  own URL after a ``PUT`` that created).
- 429 and 503 answers carry ``Retry-After``.
- A per-credential rate limit (``STYRKORT_RATE_LIMIT_PER_MINUTE``; a token bucket per API key or
  bearer token, per process) answers 429 with ``Retry-After``.
- After gzip (Starlette's ``GZipMiddleware``, outside this one): an encoded answer's ``ETag`` gets
  a ``-gzip`` suffix (the bytes differ, so must a strong validator; preconditions accept both) and
  loses ``Content-Digest``, which RFC 9530 defines over the encoded bytes; ``Repr-Digest`` (over
  the representation) stays.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import math
import re
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import NotAcceptable, problem_response

GZIP_SUFFIX = '-gzip"'
UNSAFE = frozenset({"PUT", "PATCH", "DELETE"})


@dataclass
class RouteFacts:
    """What the conventions need to know about the app's routes, computed once at start-up."""

    # Route object id → True when its answers are single resources that carry an ETag.
    tagged: set[int] = field(default_factory=set)
    # Route object id → how to build Location from the request path and the created id.
    locations: dict[int, Callable[[str, str | None], str | None]] = field(default_factory=dict)
    # Templates of single resources (compiled), to find the resource an If-Match is about.
    resources: list[re.Pattern[str]] = field(default_factory=list)


def route_facts(app: FastAPI) -> RouteFacts:
    facts = RouteFacts()
    routes = [
        (c.path_format, c.original_route)
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute) and c.path_format
    ]
    readable = {path for path, route in routes if "GET" in (route.methods or ())}
    templates = {path for path, _ in routes}
    for path, route in routes:
        single = path.endswith("}") and path in readable
        changes_or_reads = bool((route.methods or set()) & {"GET", *UNSAFE})
        if single and changes_or_reads and route.response_class is not StreamingResponse:
            facts.tagged.add(id(route))
        pattern = compile_path(path)[0]
        if single and pattern not in facts.resources:
            facts.resources.append(pattern)
        if route.status_code == 201 or 201 in route.responses:
            facts.locations[id(route)] = _location_rule(path, route, readable, templates)
    return facts


def _location_rule(
    path: str, route: APIRoute, readable: set[str], templates: set[str]
) -> Callable[[str, str | None], str | None]:
    """Location of what a 201 created: the request's URL after a PUT to ``…/{key}``; the new
    ``…/{id}`` after a create in a collection; otherwise (a progress note, an assessment, a
    carried-over point: no URL of their own) the nearest URL above that lists them."""
    if "PUT" in (route.methods or ()) and path.endswith("}"):
        return lambda request_path, _created: request_path
    depth = path.count("/") + 1
    if any(t.startswith(path + "/{") and t.count("/") == depth for t in templates):
        return lambda request_path, created: f"{request_path}/{created}" if created else None
    stripped, ancestor = 0, path
    while ancestor not in readable and "/" in ancestor.strip("/"):
        ancestor, stripped = ancestor.rsplit("/", 1)[0], stripped + 1
    return lambda request_path, _created: (
        request_path.rsplit("/", stripped)[0] if stripped else request_path
    )


def strong_etag(body: bytes) -> str:
    return '"' + base64.urlsafe_b64encode(hashlib.sha256(body).digest()[:18]).decode() + '"'


def _tags(header: str) -> set[str]:
    """The entity tags of an If-Match / If-None-Match header, encoding suffix removed."""
    tags = set()
    for raw in header.split(","):
        tag = raw.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag.endswith(GZIP_SUFFIX):
            tag = tag[: -len(GZIP_SUFFIX)] + '"'
        if tag:
            tags.add(tag)
    return tags


class TokenBuckets:
    """``per_minute`` requests a minute per credential, refilled continuously; per process."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.buckets: dict[bytes, tuple[float, float]] = {}

    def take(self, credential: bytes) -> float:
        """0 when allowed, else the seconds until the next request would be."""
        now = time.monotonic()
        tokens, then = self.buckets.get(credential, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - then) * self.rate)
        if tokens >= 1:
            self.buckets[credential] = (tokens - 1, now)
            if len(self.buckets) > 100_000:  # forget idle credentials rather than grow forever
                self.buckets.clear()
            return 0.0
        self.buckets[credential] = (tokens, now)
        return (1 - tokens) / self.rate


def _credential(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name in (b"x-api-key", b"authorization") and value:
            return hashlib.sha256(value).digest()
    return None


class HttpConventionsMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        facts: Callable[[], RouteFacts],
        rate_limit_per_minute: int,
        retry_after_seconds: int,
    ) -> None:
        self.app = app
        self.facts = facts
        self.limiter = TokenBuckets(rate_limit_per_minute) if rate_limit_per_minute > 0 else None
        self.retry_after = str(retry_after_seconds).encode()
        self.locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.limiter is not None:
            credential = _credential(scope)
            wait = self.limiter.take(credential) if credential is not None else 0.0
            if wait > 0:
                await self._problem(
                    scope,
                    receive,
                    send,
                    429,
                    "rate-limited",
                    "Too many requests",
                    "this credential sent more requests a minute than allowed; retry later",
                    {"Retry-After": str(math.ceil(wait))},
                )
                return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        headers = Headers(scope=scope)
        if scope["method"] in UNSAFE and ("if-match" in headers or "if-none-match" in headers):
            await self._conditional_change(scope, receive, send, headers)
            return
        await self.app(scope, receive, self._sender(scope, send, headers, head))

    def _sender(self, scope: Scope, send: Send, headers: Headers, head: bool) -> Send:
        facts = self.facts()
        start: Message | None = None
        chunks: list[bytes] = []

        async def sender(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                status = message["status"]
                if status in (429, 503):
                    _set_default(message, b"retry-after", self.retry_after)
                route = id(scope.get("route"))
                buffer = (status == 200 and route in facts.tagged) or (
                    status == 201 and route in facts.locations
                )
                if buffer and _is_json(message):
                    start = message
                    return
                await send(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            if start is None:
                if head:  # one empty body, whatever the GET streams: nothing to compress
                    if message.get("more_body", False):
                        return
                    message = {"type": "http.response.body", "body": b""}
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._finish(scope, send, start, b"".join(chunks), headers, head, facts)

        return sender

    async def _finish(
        self,
        scope: Scope,
        send: Send,
        start: Message,
        body: bytes,
        headers: Headers,
        head: bool,
        facts: RouteFacts,
    ) -> None:
        route = id(scope.get("route"))
        extra: list[tuple[bytes, bytes]] = []
        if start["status"] == 201:
            created = _created_id(body)
            location = facts.locations[route](scope["path"], created)
            if location is not None:
                extra.append((b"location", location.encode()))
        if route in facts.tagged:
            etag = strong_etag(body)
            extra.append((b"etag", etag.encode()))
            match = headers.get("if-none-match")
            if (
                scope["method"] == "GET"
                and match is not None
                and (etag in _tags(match) or match.strip() == "*")
            ):
                kept = [
                    (k, v)
                    for k, v in start["headers"]
                    if k not in (b"content-length", b"content-type")
                ]
                await send({**start, "status": 304, "headers": kept + extra})
                await send({"type": "http.response.body", "body": b""})
                return
        await send({**start, "headers": [*start["headers"], *extra]})
        await send({"type": "http.response.body", "body": b"" if head else body})

    async def _conditional_change(
        self, scope: Scope, receive: Receive, send: Send, headers: Headers
    ) -> None:
        """If-Match / If-None-Match on a change: compare with the current representation first."""
        path = scope["path"]
        if not any(pattern.match(path) for pattern in self.facts().resources):
            await self.app(scope, receive, self._sender(scope, send, headers, False))
            return
        lock = self.locks.get(path)
        if lock is None:
            lock = self.locks[path] = asyncio.Lock()
        async with lock:
            status, current = await self._current(scope)
            if status != 200 and not (status == 404 and scope["method"] == "PUT"):
                # RFC 9110 §13.2.2: preconditions are ignored when the request would fail
                # anyway (a missing resource, a malformed id): the app answers that failure.
                # A PUT to a missing resource may create it, so its preconditions still count.
                await self.app(scope, receive, self._sender(scope, send, headers, False))
                return
            failed = _precondition_failed(status, current, headers)
            if failed is not None:
                await self._problem(
                    scope,
                    receive,
                    send,
                    412,
                    "precondition-failed",
                    "Precondition failed",
                    failed,
                    {},
                )
                return
            await self.app(scope, receive, self._sender(scope, send, headers, False))

    async def _current(self, scope: Scope) -> tuple[int, bytes]:
        """The resource as a GET with the same credentials answers it now."""
        probe: Scope = {
            **scope,
            "method": "GET",
            "query_string": b"",
            "headers": [
                (k, v)
                for k, v in scope["headers"]
                if k not in (b"content-length", b"content-type", b"if-match", b"if-none-match")
            ],
            "state": {**scope.get("state", {})},
        }
        probe.pop("route", None)
        probe.pop("endpoint", None)
        probe.pop("path_params", None)
        status = 0
        chunks: list[bytes] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def collect(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(probe, receive, collect)
        return status, b"".join(chunks)

    async def _problem(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        slug: str,
        title: str,
        detail: str,
        extra_headers: dict[str, str],
    ) -> None:
        response = problem_response(
            Request(scope),
            status=status,
            slug=slug,
            title=title,
            detail=detail,
            headers=extra_headers or None,
        )
        await response(scope, receive, send)


def _precondition_failed(status: int, current: bytes, headers: Headers) -> str | None:
    exists = status == 200
    etag = strong_etag(current) if exists else None
    if_match = headers.get("if-match")
    if if_match is not None:
        if not exists:
            return "If-Match was sent but the resource does not exist"
        if if_match.strip() != "*" and etag not in _tags(if_match):
            return "the resource changed since the ETag in If-Match: read it again, then retry"
    if_none_match = headers.get("if-none-match")
    if (
        if_none_match is not None
        and exists
        and (if_none_match.strip() == "*" or etag in _tags(if_none_match))
    ):
        return "the resource exists (If-None-Match)"
    return None


def _is_json(message: Message) -> bool:
    for name, value in message.get("headers", []):
        if name == b"content-type":
            return bool(value.startswith(b"application/json"))
    return False


def _created_id(body: bytes) -> str | None:
    try:
        created: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    value = created.get("id") if isinstance(created, dict) else None
    return str(value) if value is not None else None


def _set_default(message: Message, name: bytes, value: bytes) -> None:
    headers = list(message.get("headers", []))
    if not any(k == name for k, _ in headers):
        headers.append((name, value))
    message["headers"] = headers


class EncodedAnswerHeaders:
    """Outside gzip: an encoded answer's ETag names the encoding; Content-Digest goes (RFC 9530:
    it is over the encoded bytes, which it no longer describes), Repr-Digest stays."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sender(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                if (b"content-encoding", b"gzip") in headers:
                    message["headers"] = [
                        (k, v[:-1] + GZIP_SUFFIX.encode() if k == b"etag" else v)
                        for k, v in headers
                        if k != b"content-digest"
                    ]
            await send(message)

        await self.app(scope, receive, sender)


# Format tokens (the ``format`` query parameter) and the media types they answer.
FORMAT_MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "html": "text/html",
    "pdf": "application/pdf",
}


def negotiated_formats(app: FastAPI) -> dict[int, str]:
    """Routes that answer in several formats chosen by ``format``, with that parameter's default,
    by route object id."""
    table: dict[int, str] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            continue
        offered = set(route.responses.get(200, {}).get("content", {}))
        if route.response_model is not None:
            offered.add("application/json")
        fmt = next((p for p in route.dependant.query_params if p.alias == "format"), None)
        if fmt is None:
            for dependency in route.dependant.dependencies:
                fmt = next((p for p in dependency.query_params if p.alias == "format"), fmt)
        if len(offered) > 1 and fmt is not None:
            default = fmt.default
            table[id(route)] = str(getattr(default, "value", default))
    return table


def accepts(accept: str, media_type: str) -> bool:
    """Whether an ``Accept`` header admits a media type (parameters ignored, ``q=0`` refuses)."""
    kind = media_type.split("/", 1)[0]
    best: tuple[int, float] = (-1, 0.0)  # (specificity, q) of the most specific range matching
    for item in accept.split(","):
        range_, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        range_ = range_.lower()
        specificity = (
            2
            if range_ == media_type
            else 1
            if range_ == f"{kind}/*"
            else 0
            if range_ == "*/*"
            else -1
        )
        if specificity > best[0]:
            best = (specificity, q)
    return best[0] >= 0 and best[1] > 0


async def negotiate_format(request: Request) -> None:
    """406 when ``Accept`` admits none of what an export would answer: the ``format`` asked for
    (or its default). The format is chosen by ``format``, not by ``Accept``, so that a download
    link carries everything; ``Accept`` may only refuse."""
    accept = request.headers.get("accept")
    if not accept:
        return
    default = request.app.state.negotiated_formats.get(id(request.scope.get("route")))
    if default is None:
        return
    chosen = request.query_params.get("format", default)
    media_type = FORMAT_MEDIA_TYPES.get(chosen)
    if media_type is not None and not accepts(accept, media_type):
        raise NotAcceptable(
            f"this answers {media_type} (format={chosen}); Accept admits none of it: "
            "choose another format or accept that type"
        )
