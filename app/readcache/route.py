"""The route class that answers an opted-in read from the worker's rendered answers when its
municipality's counter has not moved (see :mod:`app.readcache`)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Hashable, Iterator
from datetime import date
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.dependencies.models import Dependant

from app.auth.deps import Require, api_key_header, authenticate, bearer, writes
from app.readcache.counter import current_version
from app.readcache.store import Rendered, RenderedAnswers
from app.routing import LiteralHeadRoute, check_api_request

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def cached_read() -> None:
    """Route (or router) dependency marking GET operations whose answer depends only on the
    request, the caller's access, the municipality's data and today's date: no clock beyond the
    date, no caller identity, no writes. Such an answer may be served again until the next write
    in the municipality."""


def _calls(dependant: Dependant) -> Iterator[object]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def _requirement(dependant: Dependant, methods: set[str]) -> Require | None:
    """The permission an opted-in read checks, or ``None`` when the route is not one."""
    calls = list(_calls(dependant))
    if methods != {"GET"} or cached_read not in calls or writes in calls:
        return None
    return next((call for call in calls if isinstance(call, Require)), None)


class CachedReadRoute(LiteralHeadRoute):
    """A :class:`LiteralHeadRoute` whose opted-in reads go through the rendered answers."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        requirement = _requirement(self.dependant, set(self.methods or ()))
        if requirement is None:
            return handler

        async def answer(request: Request) -> Response:
            answers: RenderedAnswers | None = request.app.state.rendered_answers
            if answers is None:
                return await handler(request)
            key, version = await _look_up(request, requirement)
            kept = answers.get(key, version)
            if kept is not None:
                return _replay(kept)
            response = await handler(request)
            if _keepable(response):
                answers.put(key, _rendered(version, response))
            return response

        return answer


async def _look_up(request: Request, requirement: Require) -> tuple[Hashable, int]:
    """What every read checks, as its dependencies would (a refusal raises the same problem),
    then the key of its answer and the municipality's counter, read before any data."""
    await check_api_request(request)
    db = request.app.state.db
    async with db.read_sessionmaker() as session:  # used only when the key is not remembered
        ctx = await requirement(
            await authenticate(
                request, session, await api_key_header(request), await bearer(request)
            )
        )
    version = await current_version(db.read_engine, ctx.municipality_id)
    principal = ctx.principal
    key = (
        request.scope["path"],
        request.scope["query_string"],
        request.headers.get("accept"),
        principal.municipality_id,
        principal.role,
        principal.permissions,
        principal.org_unit_id,
        date.today(),
    )
    return key, version


def _keepable(response: Response) -> bool:
    """A whole 200 body with nothing to run after it (a streamed answer has no ``body``)."""
    body = getattr(response, "body", None)
    return response.status_code == 200 and isinstance(body, bytes) and response.background is None


def _rendered(version: int, response: Response) -> Rendered:
    return Rendered(
        version, response.status_code, tuple(response.raw_headers), bytes(response.body)
    )


def _replay(kept: Rendered) -> Response:
    response = Response(status_code=kept.status_code)
    response.body = kept.body
    response.raw_headers = list(kept.raw_headers)
    return response


# The ``dependencies`` of a router whose GET operations are all :func:`cached_read`.
CACHED_READS = [Depends(cached_read)]
