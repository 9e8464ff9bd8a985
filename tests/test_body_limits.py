"""The request body limit comes from settings and holds with and without a Content-Length
(issue 16): a body past it is a 413 problem, read no further."""

from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient

from app.main import create_app

LIMIT = 1000


@pytest.fixture
async def small(settings) -> AsyncIterator[AsyncClient]:
    application = create_app(settings.model_copy(update={"max_body_bytes": LIMIT}))
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://t") as http:
        yield http
    await application.state.db.dispose()


def org_unit(padding: int) -> bytes:
    return b'{"code": "P1", "name": "x", "kind": "unit", "valid_from": "2020-01-01"' + (
        b" " * padding + b"}"
    )


async def chunks(body: bytes, size: int = 100) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_a_body_within_the_limit_is_read(small, tenant):
    body = org_unit(LIMIT - len(org_unit(0)))
    assert len(body) == LIMIT
    response = await small.post(
        "/api/v1/org-units",
        content=body,
        headers={**tenant.admin, "content-type": "application/json"},
    )
    assert response.status_code == 201, response.text


async def test_a_content_length_past_the_limit_is_413(small, tenant):
    response = await small.post(
        "/api/v1/org-units",
        content=org_unit(LIMIT),
        headers={**tenant.admin, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_streamed_body_past_the_limit_is_413(small, tenant):
    response = await small.post(
        "/api/v1/measurements/batch",
        content=chunks(b"indicator_code;org_unit_code;period;value\n" + b"X;Y;2023;1\n" * 200),
        headers={**tenant.admin, "content-type": "text/csv"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
