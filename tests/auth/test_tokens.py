"""Every bad bearer token is a 401 problem, never a 500; one credential per request.

The server below is configured the way the README suggests for production: an RSA public key
from the identity provider, a shared secret besides it, and the default algorithm list. Tokens are
forged the ways an attacker would: signed with the public key as an HMAC secret (algorithm
confusion), with an algorithm that does not match the key, unsigned, or not a JWT at all.
"""

import base64
import json
import time
from collections.abc import AsyncIterator

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from httpx import ASGITransport, AsyncClient
from pydantic import SecretStr

from app.auth.permissions import Role
from app.main import create_app
from app.settings import JWTSettings, Settings
from tests.conftest import JWT_SECRET
from tests.factories import make_jwt

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    RSA_KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
ISSUER, AUDIENCE = "https://idp.test/", "styrkort-test"


def claims(municipality: str, **extra: object) -> dict[str, object]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "anna",
        "iat": now,
        "exp": now + 300,
        "municipality": municipality,
        "role": "admin",
        **extra,
    }


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(payload: dict[str, object], alg: str = "none") -> str:
    header = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(payload).encode())}."


def hmac_with_public_key(payload: dict[str, object]) -> str:
    """The classic algorithm-confusion token: HS256 keyed with the server's public key."""
    import hashlib
    import hmac

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps(payload).encode())
    signature = hmac.new(PUBLIC_PEM.encode(), f"{header}.{body}".encode(), hashlib.sha256)
    return f"{header}.{body}.{b64(signature.digest())}"


@pytest.fixture(scope="module")
async def idp_app(settings: Settings):
    idp_settings = Settings(
        environment="test",
        database_url=settings.database_url,
        jwt=JWTSettings(
            issuer=ISSUER, audience=AUDIENCE, public_key=PUBLIC_PEM, secret=SecretStr(JWT_SECRET)
        ),
    )
    application = create_app(idp_settings)
    yield application
    await application.state.db.dispose()


@pytest.fixture
async def idp(idp_app) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=idp_app, raise_app_exceptions=False)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


def forged_tokens(municipality: str) -> dict[str, str]:
    payload = claims(municipality)
    return {
        "alg confusion (HS256 keyed with the public key)": hmac_with_public_key(payload),
        "alg none": unsigned(payload),
        "alg none, upper case": unsigned(payload, "None"),
        "RS256 header, no signature": unsigned(payload, "RS256"),
        "ES256 signed with a key that is not the server's": jwt.encode(
            payload, EC_KEY, algorithm="ES256"
        ),
        "HS512 signed with another secret": jwt.encode(payload, JWT_SECRET * 2, algorithm="HS512"),
        "PS256 signed with the right RSA key, algorithm not allowed": jwt.encode(
            payload, RSA_KEY, algorithm="PS256"
        ),
        "garbage": "not.a.token",
        "one segment": "abc",
        "bad base64": "!!!.???.***",
        "header not JSON": f"{b64(b'nope')}.{b64(b'{}')}.",
        "unknown alg": unsigned(payload, "XX999"),
        "sub is an object": jwt.encode(claims(municipality, sub={"a": 1}), RSA_KEY, "RS256"),
        "exp is text": jwt.encode(claims(municipality, exp="soon"), RSA_KEY, "RS256"),
    }


async def test_a_good_rs256_and_a_good_hs256_token_pass(idp, tenant):
    for token in (
        jwt.encode(claims(tenant.code), RSA_KEY, algorithm="RS256"),
        jwt.encode(claims(tenant.code), JWT_SECRET, algorithm="HS256"),
    ):
        response = await idp.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text


async def test_every_forged_or_broken_token_is_a_401_problem(idp, tenant):
    answers = {}
    for name, token in forged_tokens(tenant.code).items():
        response = await idp.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        answers[name] = (response.status_code, response.headers["content-type"])
    assert answers == dict.fromkeys(forged_tokens(tenant.code), (401, "application/problem+json"))


class TestBothCredentials:
    """An API key and a bearer token together are refused as ambiguous: whose request is it?"""

    async def test_a_valid_key_with_an_invalid_token_is_401(self, client, tenant):
        response = await client.get(
            "/api/v1/me", headers={**tenant.admin, "Authorization": "Bearer not.a.token"}
        )
        assert response.status_code == 401
        assert "one credential" in response.json()["detail"]

    async def test_a_valid_key_with_a_valid_token_is_401_too(self, client, tenant):
        token = make_jwt(JWT_SECRET, municipality=tenant.code, role="viewer")
        viewer = await tenant.headers(Role.VIEWER)
        response = await client.get(
            "/api/v1/me", headers={**viewer, "Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401
