"""Every error kind leaves as an RFC 9457 problem document; none leaks internals."""

import pytest
from fastapi import Depends

from app.auth.deps import public

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://styrkort.se/problems/")
    assert body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


async def test_401(client):
    assert_problem(await client.get("/api/v1/org-units"), 401)


async def test_403(client, tenant):
    assert_problem(
        await client.get("/api/v1/audit-events", headers=await tenant.headers("viewer")), 403
    )


async def test_404_unknown_route_and_unknown_row(client, tenant):
    assert_problem(await client.get("/api/v1/nothing-here", headers=tenant.admin), 404)
    missing = "/api/v1/org-units/0190f3a0-0000-7000-8000-000000000000"
    assert (
        assert_problem(await client.get(missing, headers=tenant.admin), 404)["detail"]
        == "org unit not found"
    )


async def test_405(client, tenant):
    assert_problem(await client.put("/api/v1/org-units", headers=tenant.admin), 405)


async def test_409(client, tenant):
    body = {"code": "DUP", "name": "x", "kind": "unit", "valid_from": "2020-01-01"}
    await client.post("/api/v1/org-units", json=body, headers=tenant.admin)
    assert_problem(await client.post("/api/v1/org-units", json=body, headers=tenant.admin), 409)


async def test_413_by_content_length(client, tenant, settings):
    response = await client.post(
        "/api/v1/org-units",
        content=b"{" + b" " * settings.max_body_bytes + b"}",
        headers={**tenant.admin, "content-type": "application/json"},
    )
    assert_problem(response, 413)


async def test_415(client, tenant):
    response = await client.post(
        "/api/v1/org-units",
        content=b"<xml/>",
        headers={**tenant.admin, "content-type": "application/xml"},
    )
    assert_problem(response, 415)


async def test_422_lists_fields_and_reasons_without_echoing_input(client, tenant):
    response = await client.post(
        "/api/v1/org-units",
        json={"code": "A", "name": "x", "kind": "secret-kind-value", "valid_from": "nope"},
        headers=tenant.admin,
    )
    body = assert_problem(response, 422)
    fields = {e["field"]: e for e in body["errors"]}
    assert set(fields) == {"body.kind", "body.valid_from"}
    assert all(e["code"] and e["message"] for e in body["errors"])
    assert "secret-kind-value" not in response.text


async def test_malformed_json_is_422_not_500(client, tenant):
    response = await client.post(
        "/api/v1/org-units",
        content=b"{not json",
        headers={**tenant.admin, "content-type": "application/json"},
    )
    assert_problem(response, 422)


async def test_500_hides_internals_and_logs_with_the_request_id(settings, caplog):
    from httpx import ASGITransport, AsyncClient

    from app.main import create_app

    application = create_app(settings)

    @application.get("/boom", dependencies=[Depends(public)])
    async def boom() -> None:
        raise RuntimeError("internal detail: password=hunter2")

    async with AsyncClient(
        transport=ASGITransport(app=application, raise_app_exceptions=False), base_url="http://t"
    ) as http:
        response = await http.get("/boom", headers={"X-Request-ID": "req-500-test"})
    body = assert_problem(response, 500)
    assert "hunter2" not in response.text
    assert body["request_id"] == "req-500-test"
    logged = [r for r in caplog.records if "unhandled_exception" in str(r.msg)]
    assert logged
    assert "req-500-test" in str(logged[0].msg)
    await application.state.db.dispose()


@pytest.mark.parametrize("incoming", ["abc-123", "x" * 100])
async def test_a_sane_client_request_id_is_kept(client, incoming):
    response = await client.get("/health/live", headers={"X-Request-ID": incoming})
    assert response.headers["x-request-id"] == incoming


async def test_an_unsafe_client_request_id_is_replaced(client):
    response = await client.get("/health/live", headers={"X-Request-ID": "bad id\twith spaces"})
    assert response.headers["x-request-id"] != "bad id\twith spaces"
    assert len(response.headers["x-request-id"]) == 32


async def test_a_body_that_is_not_utf8_is_422(client, tenant):
    response = await client.post(
        "/api/v1/org-units",
        content=b"\xff\xfe\xfa",
        headers={**tenant.admin, "content-type": "application/json"},
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "body"


async def test_a_method_on_a_fixed_path_is_405_not_a_path_parameter_error(client, tenant):
    response = await client.patch("/api/v1/org-units/tree", json={}, headers=tenant.admin)
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET"


async def test_a_value_the_database_refuses_is_422_not_500(client, tenant):
    # PostgreSQL refuses NUL characters in text; SQLite stores them. Neither may answer 500.
    response = await client.get(
        "/api/v1/org-units", params={"code": "A\x00B"}, headers=tenant.admin
    )
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert_problem(response, 422)


async def test_an_unreadable_authorization_header_is_401_even_with_an_api_key(client, tenant):
    response = await client.get(
        "/api/v1/me", headers={**tenant.admin, "Authorization": "Basic Zm9vOmJhcg=="}
    )
    assert_problem(response, 401)


async def test_an_empty_api_key_header_is_401_even_with_a_valid_token(client, tenant):
    from tests.conftest import JWT_SECRET
    from tests.factories import make_jwt

    token = make_jwt(JWT_SECRET, municipality=tenant.code, role="admin")
    ok = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    response = await client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token}", "X-API-Key": ""}
    )
    assert_problem(response, 401)


async def test_a_query_parameter_the_operation_does_not_take_is_422_not_ignored(client, tenant):
    # GET /measurements takes indicator_id or indicator_code; a guessed name must not answer
    # everything.
    body = assert_problem(
        await client.get(
            "/api/v1/measurements",
            params={"indicator": "SN-8.1.4", "limit": 10},
            headers=tenant.admin,
        ),
        422,
    )
    assert body["errors"] == [
        {
            "field": "query.indicator",
            "code": "unknown_parameter",
            "message": "this operation takes no such query parameter; see the OpenAPI document",
        }
    ]
    # Parameters taken through a shared dependency count as taken (exports, batch options).
    export = await client.get(
        "/api/v1/exports/audit-events", params={"format": "csv", "limit": 1}, headers=tenant.admin
    )
    assert export.status_code == 422
    assert [e["field"] for e in export.json()["errors"]] == ["query.limit"]
    fine = await client.get(
        "/api/v1/exports/audit-events", params={"format": "csv"}, headers=tenant.admin
    )
    assert fine.status_code == 200


async def test_an_unknown_parameter_name_holding_a_personnummer_is_not_repeated(client, tenant):
    response = await client.get(
        "/api/v1/org-units", params={"x19121212-1212": "1"}, headers=tenant.admin
    )
    body = assert_problem(response, 422)
    assert "19121212" not in response.text
    assert [e["field"] for e in body["errors"]] == ["query"]
