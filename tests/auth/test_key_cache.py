"""The in-process memory of API keys: fewer lookups, revocation seen within its stated age."""

import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, update

from app.auth import key_cache
from app.auth.credentials import hash_api_key
from app.auth.models import ApiKey
from app.auth.permissions import Role
from app.auth.principal import Principal


async def _revoke_behind_the_apps_back(tenant, key: str) -> None:
    """As another worker process would: straight in the database, this process not told."""
    async with tenant.db.session(system=True) as session:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.prefix == key.split("_")[1])
            .values(revoked_at=datetime.now(UTC))
            .execution_options(skip_tenant_filter=True)
        )


async def test_a_remembered_key_costs_no_lookup(app, client, tenant):
    viewer = await tenant.headers(Role.VIEWER)
    assert (await client.get("/api/v1/org-units", headers=viewer)).status_code == 200
    statements: list[str] = []

    def count(*args, **kwargs):
        statements.append(args[2])

    engine = app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert (await client.get("/api/v1/org-units", headers=viewer)).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert not [s for s in statements if "api_key" in s]


async def test_a_key_revoked_by_another_process_is_refused_within_the_cache_age(
    app, client, tenant, monkeypatch
):
    viewer = await tenant.key(Role.VIEWER)
    headers = {"X-API-Key": viewer}
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    await _revoke_behind_the_apps_back(tenant, viewer)
    # Remembered: this process has not been told, and the stated age has not passed.
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    age = app.state.settings.api_key_cache_seconds
    assert age == 5  # the default the README states
    later = time.monotonic() + age + 0.01
    monkeypatch.setattr(key_cache, "monotonic", lambda: later)
    response = await client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "API key revoked"


async def test_an_unknown_key_is_never_remembered(client, tenant):
    forged = tenant.admin_key[: len("sk_12345678")] + "_" + "B" * 43
    for _ in range(2):
        response = await client.get("/api/v1/me", headers={"X-API-Key": forged})
        assert response.status_code == 401
    assert key_cache.recall(hash_api_key(forged), 60) is None


async def test_a_remembered_key_is_refused_the_moment_it_expires(client, tenant, monkeypatch):
    expires = datetime.now(UTC) + timedelta(minutes=10)
    headers = await tenant.headers(Role.VIEWER, expires_at=expires)
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
    monkeypatch.setattr("app.auth.credentials.utcnow", lambda: expires)
    response = await client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "API key expired"


def test_the_memory_starts_afresh_when_full(monkeypatch):
    monkeypatch.setattr(key_cache, "MAX_ENTRIES", 2)
    monkeypatch.setattr(key_cache, "_known", {})
    known = key_cache.KnownKey(
        id=uuid.uuid4(),
        principal=Principal(
            municipality_id=uuid.uuid4(),
            municipality_code="0000",
            role=Role.VIEWER,
            permissions=frozenset(),
            actor_type="api_key",
            actor_id="sk_00000000",
            actor_name="test",
        ),
        revoked=False,
        expires_at=None,
        last_used_at=None,
    )
    for name in ("a", "b", "c"):
        key_cache.remember(name, known, 5)
    assert key_cache.recall("a", 5) is None
    assert key_cache.recall("c", 5) is known
