import pytest
from httpx import ASGITransport, AsyncClient

from app.main import create_app
from app.settings import Settings


async def test_live_and_ready(client):
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    assert (await client.get("/health/ready")).json() == {"status": "ok"}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://nobody:secret@127.0.0.1:1/gone",
        "sqlite+aiosqlite:////proc/self/styrkort-gone.sqlite3",
    ],
)
async def test_ready_is_503_when_the_database_is_gone(url):
    application = create_app(Settings(database_url=url))
    async with AsyncClient(transport=ASGITransport(app=application), base_url="http://t") as http:
        ready = await http.get("/health/ready")
        live = await http.get("/health/live")
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    assert "secret" not in ready.text
    assert live.status_code == 200
    await application.state.db.dispose()


async def test_metrics_count_requests_by_route_and_status(client, tenant):
    await client.get("/api/v1/org-units", headers=tenant.admin)
    text = (await client.get("/metrics")).text
    assert (
        'styrkort_http_requests_total{method="GET",route="/api/v1/org-units",status="200"}' in text
    )
    assert "styrkort_http_request_duration_seconds_bucket" in text
