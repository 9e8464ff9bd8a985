"""Credentials and the role matrix: who gets 401, who gets 403, who gets through."""

from datetime import UTC, datetime, timedelta

import pytest

from app.auth.deps import assert_every_route_declares_access, declared_access
from app.auth.permissions import Permission, Role
from app.routing import iter_api_routes
from tests.conftest import JWT_SECRET
from tests.factories import make_jwt

ORG_UNIT = {"code": "U1", "name": "Enhet 1", "kind": "unit", "valid_from": "2023-01-01"}


def test_every_route_declares_a_permission_or_is_public(app):
    routes = list(iter_api_routes(app))
    assert len(routes) > 10
    undeclared = [r.path for r in routes if declared_access(r) is None]
    assert undeclared == []
    public = {r.path for r in routes if declared_access(r) == "public"}
    assert public == {"/health/live", "/health/ready", "/metrics"}


def test_an_app_with_an_undeclared_route_refuses_to_start(settings):
    from fastapi import FastAPI

    bare = FastAPI()

    @bare.get("/api/v1/oops")
    async def oops() -> dict[str, str]:
        return {}

    with pytest.raises(RuntimeError, match="/api/v1/oops"):
        assert_every_route_declares_access(bare)


async def test_no_credential_is_401_with_a_challenge(client):
    response = await client.get("/api/v1/org-units")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "WWW-Authenticate" in response.headers


@pytest.mark.parametrize("key", ["sk_deadbeef_nope", "not-a-key", "sk_", "sk_12345678_" + "x" * 43])
async def test_unknown_or_malformed_keys_are_401(client, tenant, key):
    response = await client.get("/api/v1/org-units", headers={"X-API-Key": key})
    assert response.status_code == 401


async def test_a_correct_prefix_with_a_wrong_secret_is_401(client, tenant):
    prefix = tenant.admin_key[: len("sk_12345678")]
    forged = prefix + "_" + "A" * 43
    response = await client.get("/api/v1/org-units", headers={"X-API-Key": forged})
    assert response.status_code == 401


async def test_revoked_key_is_401_from_the_next_request(client, tenant):
    viewer = await tenant.key(Role.VIEWER)
    assert (await client.get("/api/v1/me", headers={"X-API-Key": viewer})).status_code == 200
    listed = (await client.get("/api/v1/api-keys", headers=tenant.admin)).json()["items"]
    viewer_id = next(k["id"] for k in listed if viewer.startswith(f"sk_{k['prefix']}_"))
    revoked = await client.delete(f"/api/v1/api-keys/{viewer_id}", headers=tenant.admin)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    response = await client.get("/api/v1/me", headers={"X-API-Key": viewer})
    assert response.status_code == 401
    assert response.json()["detail"] == "API key revoked"


async def test_expired_key_is_401(client, tenant, app):
    from sqlalchemy import update

    from app.auth.models import ApiKey

    # A key cannot be created already expired (tests/auth/test_escalation.py), so it expires later.
    expired = await tenant.key(Role.VIEWER, expires_at=datetime.now(UTC) + timedelta(hours=1))
    async with app.state.db.session(system=True) as session:
        await session.execute(
            update(ApiKey)
            .where(ApiKey.prefix == expired[3:11])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()
    response = await client.get("/api/v1/me", headers={"X-API-Key": expired})
    assert response.status_code == 401
    assert response.json()["detail"] == "API key expired"


async def test_last_used_at_is_recorded(client, tenant):
    viewer = await tenant.key(Role.VIEWER)
    await client.get("/api/v1/me", headers={"X-API-Key": viewer})
    keys = (await client.get("/api/v1/api-keys", headers=tenant.admin)).json()["items"]
    used = next(k for k in keys if viewer.startswith(f"sk_{k['prefix']}_"))
    assert used["last_used_at"] is not None


# Which role may do what, for the foundation's routes: (method, path, body, allowed roles).
MATRIX = [
    ("GET", "/api/v1/org-units", None, set(Role)),
    ("GET", "/api/v1/org-units/tree", None, set(Role)),
    ("POST", "/api/v1/org-units", ORG_UNIT, {Role.ADMIN}),
    ("GET", "/api/v1/api-keys", None, {Role.ADMIN}),
    ("POST", "/api/v1/api-keys", {"name": "k", "role": "viewer"}, {Role.ADMIN}),
    ("GET", "/api/v1/audit-events", None, {Role.ADMIN, Role.AUDITOR}),
    ("GET", "/api/v1/me", None, set(Role)),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path", "body", "allowed"), MATRIX)
async def test_role_matrix(client, tenant, role, method, path, body, allowed):
    headers = await tenant.headers(role)
    if body is not None and "code" in body:
        body = {**body, "code": f"U-{role}"}
    response = await client.request(method, path, json=body, headers=headers)
    if role in allowed:
        assert response.status_code in {200, 201}, response.text
    else:
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"


async def test_scopes_narrow_a_role(client, tenant):
    scoped = await tenant.headers(Role.ADMIN, scopes=[Permission.ORG_UNITS_READ])
    assert (await client.get("/api/v1/org-units", headers=scoped)).status_code == 200
    assert (await client.get("/api/v1/api-keys", headers=scoped)).status_code == 403


async def test_scopes_cannot_exceed_the_role(client, tenant):
    response = await client.post(
        "/api/v1/api-keys",
        json={"name": "too much", "role": "viewer", "scopes": ["api_keys:manage"]},
        headers=tenant.admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.scopes"


async def test_new_key_is_shown_once_and_stored_hashed(client, tenant, app):
    from sqlalchemy import select

    from app.auth.models import ApiKey

    created = await client.post(
        "/api/v1/api-keys", json={"name": "HR", "role": "integration"}, headers=tenant.admin
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith(f"sk_{created.json()['prefix']}_")
    read = await client.get(f"/api/v1/api-keys/{created.json()['id']}", headers=tenant.admin)
    assert "key" not in read.json()
    async with app.state.db.session(system=True) as session:
        stored = (
            await session.scalars(select(ApiKey).where(ApiKey.prefix == created.json()["prefix"]))
        ).one()
    assert key not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64


class TestJWT:
    async def test_a_valid_token_acts_in_its_municipality_with_its_role(self, client, tenant):
        token = make_jwt(JWT_SECRET, municipality=tenant.code, role="editor", name="Anna")
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert response.json() | {"permissions": None} == {
            "municipality_code": tenant.code,
            "municipality_name": f"Testkommun {tenant.code}",
            "role": "editor",
            "actor": "user:anna.svensson",
            "actor_name": "Anna",
            "permissions": None,
        }

    @pytest.mark.parametrize(
        "claims",
        [
            {"exp": 1},
            {"aud": "someone-else"},
            {"iss": "https://evil.test/"},
            {"role": "superuser"},
            {"municipality": "9999"},
        ],
    )
    async def test_bad_tokens_are_401(self, client, tenant, claims):
        token = make_jwt(JWT_SECRET, **{"municipality": tenant.code, "role": "admin", **claims})
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401

    async def test_a_token_signed_with_another_key_is_401(self, client, tenant):
        token = make_jwt(
            "another-secret-entirely-xxxxxxxxxxxx", municipality=tenant.code, role="admin"
        )
        response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401

    async def test_a_viewer_token_cannot_write(self, client, tenant):
        token = make_jwt(JWT_SECRET, municipality=tenant.code, role="viewer")
        response = await client.post(
            "/api/v1/org-units", json=ORG_UNIT, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 403
