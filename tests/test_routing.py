"""The app's routes as served: flat, in declaration order, each turned away by its literal head."""

import uuid
from typing import Any

from httpx import ASGITransport, AsyncClient
from starlette.routing import Match

from app.routing import LiteralHeadRoute


def _route(app, path: str, method: str = "GET") -> LiteralHeadRoute:
    found = [
        r
        for r in app.router.routes
        if isinstance(r, LiteralHeadRoute) and r.path == path and method in (r.methods or ())
    ]
    assert len(found) == 1, path
    return found[0]


def _scope(path: str, root_path: str = "") -> dict[str, Any]:
    return {"type": "http", "method": "GET", "path": path, "root_path": root_path}


def test_every_api_operation_is_a_route_of_the_app_itself(app) -> None:
    api = [r for r in app.router.routes if getattr(r, "path", "").startswith("/api/v1/")]
    assert api
    assert all(isinstance(r, LiteralHeadRoute) for r in api)
    # What include_router merged in is kept: the prefix, the router's tags and the API-wide check.
    me = _route(app, "/api/v1/me")
    assert me.tags == ["access"]
    assert "check_api_request" in {getattr(d.dependency, "__name__", None) for d in me.dependencies}


def test_a_literal_path_declared_first_still_wins_over_a_parameter(app) -> None:
    routes = [getattr(r, "path", None) for r in app.router.routes]
    assert routes.index("/api/v1/goals/tree") < routes.index("/api/v1/goals/{goal_id:uuid}")


def test_the_literal_head_turns_away_other_paths_and_lets_matching_ones_through(app) -> None:
    one_goal = _route(app, "/api/v1/goals/{goal_id:uuid}")
    assert one_goal.literal_head == "/api/v1/goals/"
    assert one_goal.matches(_scope("/api/v1/indicators/x"))[0] is Match.NONE
    goal_id = uuid.UUID("01930000-0000-7000-8000-000000000000")
    match, child = one_goal.matches(_scope(f"/api/v1/goals/{goal_id}"))
    assert match is Match.FULL
    assert child["path_params"] == {"goal_id": goal_id}
    me = _route(app, "/api/v1/me")
    assert me.matches(_scope("/api/v1/me"))[0] is Match.FULL
    assert me.matches(_scope("/api/v1/meta"))[0] is Match.NONE
    # Behind a proxy that strips a prefix, the path within the app is what counts.
    assert me.matches(_scope("/styrkort/api/v1/me", root_path="/styrkort"))[0] is Match.FULL


async def test_a_trailing_slash_still_redirects_to_the_route(app) -> None:
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/api/v1/me/")
    assert response.status_code == 307
    assert response.headers["location"].endswith("/api/v1/me")
