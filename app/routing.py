"""The app's routes with their full paths and effective dependencies.

FastAPI ≥ 0.16x keeps included routers nested; ``iter_route_contexts`` is its view of each route as
mounted (full path, router-level dependencies merged in). Everything that inspects routes goes
through here.
"""

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts


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
