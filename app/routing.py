"""The app's routes with their full paths and effective dependencies.

FastAPI ≥ 0.16x keeps included routers nested; ``iter_route_contexts`` is its view of each route as
mounted (full path, router-level dependencies merged in). Everything that inspects routes goes
through here.
"""

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from app.conventions import negotiate_format
from app.errors import FieldError, Unprocessable
from app.personnummer import repeatable_name
from app.privacy import refuse_personal_identity_numbers


def iter_api_routes(app: FastAPI) -> Iterator[RouteContext]:
    """Every API route (not docs or other Starlette routes), as mounted."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context


# What an included route has once FastAPI has merged its router's prefix, dependencies,
# responses and tags into it: everything a top-level APIRoute is built from.
_ROUTE_STATE = (
    "response_model", "status_code", "tags", "dependencies", "summary", "description",
    "response_description", "responses", "deprecated", "name", "methods", "operation_id",
    "response_model_include", "response_model_exclude", "response_model_by_alias",
    "response_model_exclude_unset", "response_model_exclude_defaults",
    "response_model_exclude_none", "include_in_schema", "response_class",
    "dependency_overrides_provider", "callbacks", "openapi_extra",
    "generate_unique_id_function", "strict_content_type", "max_body_size",
)  # fmt: skip


class LiteralHeadRoute(APIRoute):
    """An API route that turns a request away by the literal head of its path (everything
    before the first ``{``) before FastAPI's matching runs; only a path that starts right is
    matched against the route's pattern."""

    def __init__(self, path: str, endpoint: Any, **state: Any) -> None:
        super().__init__(path, endpoint, **state)
        self.literal_head, brace, _ = path.partition("{")
        self.parametrised = bool(brace)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):  # behind a proxy's prefix: the path within the app
            path = path[len(root) :]
        if self.parametrised:
            if not path.startswith(self.literal_head):
                return Match.NONE, {}
        elif path != self.literal_head:
            return Match.NONE, {}
        return super().matches(scope)


def flatten_routes(app: FastAPI, route_class: type[LiteralHeadRoute] = LiteralHeadRoute) -> None:
    """Every included route made a route of the app itself, as FastAPI merged it.

    FastAPI ≥ 0.16x keeps each included router as one nested route and, for every request, asks
    each in turn to match the path against all of its routes, then matches the chosen router's
    routes once more to handle it. With a hundred and sixty routes that was about a third of a
    small request's CPU (``scripts/bench read``, README). Flat, each route is asked once, and
    :class:`LiteralHeadRoute` answers most of them with one string comparison. Order is kept,
    so the first route that matches is still the one that answers.
    """
    top_level = set(map(id, app.router.routes))
    flat: list[BaseRoute] = []
    for context in iter_route_contexts(app.router.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and context.path is not None:
            state = {name: getattr(context, name) for name in _ROUTE_STATE}
            flat.append(route_class(context.path, context.endpoint, **state))
        elif id(route) in top_level:
            flat.append(route)
        else:  # a mount or plain route inside a router: not used here, and not flattened
            raise RuntimeError(f"cannot flatten {route!r}")
    app.router.routes[:] = flat


def route_templates(app: FastAPI) -> dict[int, str]:
    """Full path template of each route object, for labelling metrics by route."""
    table: dict[int, str] = {}
    for context in iter_route_contexts(app.routes):
        original: Any = context.original_route
        if context.path_format:
            table[id(original)] = context.path_format
    return table


def query_parameters(app: FastAPI) -> dict[int, frozenset[str]]:
    """The query parameters each API route takes, as clients spell them, by route object."""
    return {
        id(context.original_route): frozenset(_query_names(context.original_route.dependant))
        for context in iter_api_routes(app)
        if isinstance(context.original_route, APIRoute)
    }


def _query_names(dependant: Dependant) -> Iterator[str]:
    for field in dependant.query_params:
        yield field.alias
    for dependency in dependant.dependencies:
        yield from _query_names(dependency)


async def reject_unknown_query_parameters(request: Request) -> None:
    """A query parameter the operation does not take is a 422, never silently ignored: a
    misspelt or guessed filter (``indicator`` where the list takes ``indicator_id`` or
    ``indicator_code``) would otherwise answer everything, and an auditor would export unfiltered
    data believing it filtered. A name is repeated in the answer only when it is a plain one."""
    taken = request.app.state.query_parameters.get(id(request.scope.get("route")))
    if taken is None:
        return
    unknown = sorted(set(request.query_params) - taken)
    if not unknown:
        return
    errors = []
    for name in unknown:
        errors.append(
            FieldError(
                field=f"query.{name}" if repeatable_name(name) else "query",
                code="unknown_parameter",
                message="this operation takes no such query parameter; see the OpenAPI document",
            )
        )
    raise Unprocessable(f"unknown query parameter(s): {len(unknown)}", errors=errors)


async def check_api_request(request: Request) -> None:
    """What every API operation checks before its own work, as one dependency (each dependency
    FastAPI solves costs a request some microseconds): 422 to a personal identity number anywhere
    in the request, 422 to a query parameter the operation does not take, and 406 when an
    export's format is not acceptable."""
    await refuse_personal_identity_numbers(request)
    await reject_unknown_query_parameters(request)
    await negotiate_format(request)
