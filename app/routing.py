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

from app.errors import FieldError, Unprocessable
from app.personnummer import repeatable_name


def iter_api_routes(app: FastAPI) -> Iterator[RouteContext]:
    """Every API route (not docs or other Starlette routes), as mounted."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context


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
