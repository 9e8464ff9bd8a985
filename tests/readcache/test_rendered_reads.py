"""Rendered reads kept per worker (app.readcache): a kept answer is served only while nothing in
its municipality changed, and only after the request passed every check a read makes."""

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from httpx import ASGITransport, AsyncClient
from sqlalchemy import event

from app.auth.permissions import Permission, Role
from app.main import create_app

ORG_UNITS = "/api/v1/org-units"


@pytest.fixture
async def other_worker(settings) -> AsyncIterator[AsyncClient]:
    """A second app on the same database: another uvicorn worker, with its own memory."""
    application = create_app(settings)
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    await application.state.db.dispose()


async def _unit(client, headers, code: str, **extra) -> dict[str, str]:
    body = {"code": code, "name": f"Enhet {code}", "kind": "committee", "valid_from": "2020-01-01"}
    response = await client.post(ORG_UNITS, json={**body, **extra}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(item["name"] for item in response.json()["items"])


class Statements:
    """The SQL statements one app sends through SQLAlchemy while counting (the change counter's
    read goes to the driver directly and is not among them)."""

    def __init__(self, app) -> None:
        self.engine = app.state.db.engine.sync_engine
        self.sent: list[str] = []

    def _count(self, *args, **kwargs) -> None:
        if not args[2].startswith(("BEGIN", "COMMIT", "ROLLBACK")):  # SQLite's, issued by us
            self.sent.append(args[2])

    def __enter__(self) -> list[str]:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self.sent

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


async def test_a_kept_answer_is_the_same_bytes_without_reading_data(app, client, tenant):
    await _unit(client, tenant.admin, "SN")
    viewer = await tenant.headers(Role.VIEWER)
    await client.get("/api/v1/me", headers=viewer)  # settle the key's last_used_at touch
    first = await client.get(ORG_UNITS, headers=viewer)
    with Statements(app) as sent:
        again = await client.get(ORG_UNITS, headers=viewer)
    assert again.content == first.content
    assert sent == []  # no data read: only the counter, which is asked of the driver directly


async def test_a_write_through_one_worker_is_read_through_the_other(client, other_worker, tenant):
    unit = await _unit(client, tenant.admin, "SN")
    viewer = await tenant.headers(Role.VIEWER)
    assert _names(await other_worker.get(ORG_UNITS, headers=viewer)) == ["Enhet SN"]
    assert _names(await other_worker.get(ORG_UNITS, headers=viewer)) == ["Enhet SN"]

    renamed = await client.patch(
        f"{ORG_UNITS}/{unit['id']}", json={"name": "Socialnämnden"}, headers=tenant.admin
    )
    assert renamed.status_code == 200, renamed.text
    assert _names(await other_worker.get(ORG_UNITS, headers=viewer)) == ["Socialnämnden"]
    # and the other way round: the writer's own worker kept nothing stale either
    assert _names(await client.get(ORG_UNITS, headers=viewer)) == ["Socialnämnden"]


async def test_a_write_in_another_municipality_keeps_the_answer(app, client, tenant, other_tenant):
    await _unit(client, tenant.admin, "SN")
    await client.get(ORG_UNITS, headers=tenant.admin)
    await _unit(client, other_tenant.admin, "VON")
    with Statements(app) as sent:
        assert _names(await client.get(ORG_UNITS, headers=tenant.admin)) == ["Enhet SN"]
    assert sent == []


async def test_municipalities_never_share_an_answer(client, tenant, other_tenant):
    await _unit(client, tenant.admin, "SN")
    await _unit(client, other_tenant.admin, "VON")
    assert _names(await client.get(ORG_UNITS, headers=tenant.admin)) == ["Enhet SN"]
    assert _names(await client.get(ORG_UNITS, headers=other_tenant.admin)) == ["Enhet VON"]
    assert _names(await client.get(ORG_UNITS, headers=tenant.admin)) == ["Enhet SN"]


async def test_a_kept_answer_is_still_refused_to_a_caller_without_the_permission(client, tenant):
    await _unit(client, tenant.admin, "SN")
    assert (await client.get(ORG_UNITS, headers=tenant.admin)).status_code == 200
    narrow = await tenant.headers(Role.ADMIN, scopes=[Permission.INDICATORS_READ])
    refused = await client.get(ORG_UNITS, headers=narrow)
    assert refused.status_code == 403
    assert "org_units:read" in refused.json()["detail"]


async def test_a_kept_answer_is_refused_once_the_key_is_revoked(client, tenant):
    await _unit(client, tenant.admin, "SN")
    viewer_key = await tenant.key(Role.VIEWER)
    viewer = {"X-API-Key": viewer_key}
    assert (await client.get(ORG_UNITS, headers=viewer)).status_code == 200
    listed = await client.get("/api/v1/api-keys", headers=tenant.admin)
    key_id = next(
        k["id"] for k in listed.json()["items"] if viewer_key.startswith(f"sk_{k['prefix']}_")
    )
    assert (await client.delete(f"/api/v1/api-keys/{key_id}", headers=tenant.admin)).is_success
    assert (await client.get(ORG_UNITS, headers=viewer)).status_code == 401


async def test_a_kept_answer_is_still_refused_with_a_personal_identity_number(client, tenant):
    """The key of an answer holds the path and the query, not every header the guard reads."""
    await _unit(client, tenant.admin, "SN")
    assert (await client.get(ORG_UNITS, headers=tenant.admin)).status_code == 200
    refused = await client.get(
        ORG_UNITS, headers={**tenant.admin, "Idempotency-Key": "19121212-1212"}
    )
    assert refused.status_code == 422
    assert "1212" not in refused.text


async def test_a_kept_answer_is_not_served_on_another_day(client, tenant, monkeypatch):
    """The list answers units valid today unless asked: a unit that closes today is gone from
    tomorrow's answer even though nothing was written in between."""
    today = date.today()
    await _unit(client, tenant.admin, "SN")
    closing = await _unit(client, tenant.admin, "OLD")
    closed = await client.post(
        f"{ORG_UNITS}/{closing['id']}/close",
        json={"valid_to": today.isoformat()},
        headers=tenant.admin,
    )
    assert closed.status_code == 200, closed.text
    assert _names(await client.get(ORG_UNITS, headers=tenant.admin)) == ["Enhet OLD", "Enhet SN"]

    class Tomorrow(date):
        @classmethod
        def today(cls) -> "Tomorrow":
            tomorrow = today + timedelta(days=1)
            return cls(tomorrow.year, tomorrow.month, tomorrow.day)

    monkeypatch.setattr("app.orgunits.router.date", Tomorrow)
    monkeypatch.setattr("app.readcache.route.date", Tomorrow)
    assert _names(await client.get(ORG_UNITS, headers=tenant.admin)) == ["Enhet SN"]


async def test_the_memory_can_be_turned_off(settings, tenant):
    application = create_app(settings.model_copy(update={"read_cache_entries": 0}))
    try:
        assert application.state.rendered_answers is None
        transport = ASGITransport(app=application, raise_app_exceptions=False)
        async with AsyncClient(transport=transport, base_url="http://test") as http:
            await _unit(http, tenant.admin, "SN")
            await http.get(ORG_UNITS, headers=tenant.admin)
            with Statements(application) as sent:
                assert _names(await http.get(ORG_UNITS, headers=tenant.admin)) == ["Enhet SN"]
        assert any("FROM org_unit" in s for s in sent)  # computed again, not kept
    finally:
        await application.state.db.dispose()
