"""Turning an ``X-API-Key`` or a bearer JWT into a :class:`Principal`.

Both paths fail with the same 401 and a short reason; none says whether a key exists.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

import jwt
import structlog
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import key_cache
from app.auth.models import ApiKey
from app.auth.permissions import Role, effective_permissions
from app.auth.principal import Principal
from app.db import autocommits, utcnow
from app.errors import Unauthorized
from app.municipalities.models import Municipality
from app.personnummer import redact
from app.settings import Settings

log = structlog.get_logger(__name__)

KEY_PREFIX = "sk_"
UNSCOPED = {"skip_tenant_filter": True}


def new_api_key() -> tuple[str, str, str]:
    """A fresh key as (key, visible prefix, hash). The key is shown once and never stored."""
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, hash_api_key(key)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _prefix_of(key: str) -> str | None:
    if not key.startswith(KEY_PREFIX):
        return None
    prefix, sep, _ = key[len(KEY_PREFIX) :].partition("_")
    return prefix if sep and len(prefix) == 8 else None


async def principal_from_api_key(session: AsyncSession, key: str, settings: Settings) -> Principal:
    prefix = _prefix_of(key)
    if prefix is None:
        raise Unauthorized("invalid API key")
    key_hash = hash_api_key(key)
    max_age = settings.api_key_cache_seconds
    known = key_cache.recall(key_hash, max_age)
    if known is None:
        known = await _read_key(session, prefix, key_hash)
        key_cache.remember(key_hash, known, max_age)
    now = utcnow()
    if known.revoked:
        raise Unauthorized("API key revoked")
    if known.expires_at is not None and known.expires_at <= now:
        raise Unauthorized("API key expired")
    await _touch(session, known, now, settings)
    return known.principal


async def _read_key(session: AsyncSession, prefix: str, key_hash: str) -> key_cache.KnownKey:
    row = (
        await session.execute(
            select(ApiKey, Municipality.code, Municipality.name)
            .join(Municipality, Municipality.id == ApiKey.municipality_id)
            .where(ApiKey.prefix == prefix)
            .execution_options(**UNSCOPED)
        )
    ).one_or_none()
    if row is None or not hmac.compare_digest(row[0].key_hash, key_hash):
        raise Unauthorized("invalid API key")
    api_key, municipality_code, municipality_name = row
    role = Role(api_key.role)
    principal = Principal(
        municipality_id=api_key.municipality_id,
        municipality_code=municipality_code,
        role=role,
        permissions=effective_permissions(role, frozenset(api_key.scopes or ())),
        actor_type="api_key",
        actor_id=f"{KEY_PREFIX}{api_key.prefix}",
        actor_name=api_key.name,
        org_unit_id=api_key.org_unit_id,
        expires_at=api_key.expires_at,
        municipality_name=municipality_name,
    )
    return key_cache.KnownKey(
        id=api_key.id,
        principal=principal,
        revoked=api_key.revoked_at is not None,
        expires_at=api_key.expires_at,
        last_used_at=api_key.last_used_at,
    )


async def _touch(
    session: AsyncSession, known: key_cache.KnownKey, now: datetime, settings: Settings
) -> None:
    """Record last use, at most once per ``api_key_touch_seconds``, in its own small commit.

    Bookkeeping, so best effort: when the database is too busy to take the write (SQLite's busy
    timeout ran out under a burst of writers), the request goes on and a later one records it.
    """
    last = known.last_used_at
    if last is not None and now - last < timedelta(seconds=settings.api_key_touch_seconds):
        return
    touch = (
        update(ApiKey)
        .where(ApiKey.id == known.id)
        .values(last_used_at=now)
        .execution_options(**UNSCOPED)
    )
    if await autocommits(session):  # a PostgreSQL read: the update commits alone
        await session.execute(touch)
        known.last_used_at = now
        return
    # End the lookup's (read) transaction first: the update then begins its own, so on SQLite a
    # read request's DEFERRED transaction never has to turn into a write after reading.
    await session.commit()
    try:
        async with session.begin_nested():
            await session.execute(touch)
    except OperationalError:
        log.info("api_key_touch_skipped", reason="database busy")
        return
    await session.commit()
    known.last_used_at = now


async def principal_from_jwt(session: AsyncSession, token: str, settings: Settings) -> Principal:
    claims = decode_jwt(token, settings)
    try:
        role = Role(str(claims["role"]))
        municipality_code = str(claims["municipality"])
        subject = str(claims["sub"])
    except (KeyError, ValueError) as exc:
        raise Unauthorized("token lacks a valid sub, role or municipality claim") from exc
    municipality = (
        await session.execute(select(Municipality).where(Municipality.code == municipality_code))
    ).scalar_one_or_none()
    if municipality is None:
        raise Unauthorized("token names an unknown municipality")
    return Principal(
        municipality_id=municipality.id,
        municipality_code=municipality.code,
        role=role,
        permissions=effective_permissions(role, None),
        actor_type="user",
        # Kept in the audit trail, which cannot be erased: a number in a claim is redacted.
        actor_id=redact(subject),
        actor_name=redact(str(claims.get("name") or subject)),
        municipality_name=municipality.name,
    )


def _key_for(alg: object, settings: Settings) -> str:
    """The configured key for the token's algorithm: the shared secret for ``HS*`` only, the
    public key for the asymmetric ones only — so a token signed with the public key as an HMAC
    secret (algorithm confusion) or naming an algorithm not configured is refused."""
    cfg = settings.jwt
    if not isinstance(alg, str) or alg not in cfg.algorithms:
        raise Unauthorized("invalid token")
    if alg.startswith("HS"):
        key = cfg.secret.get_secret_value() if cfg.secret else None
    else:
        key = cfg.public_key
    if key is None:
        raise Unauthorized("invalid token")
    return key


def decode_jwt(token: str, settings: Settings) -> dict[str, Any]:
    """The token's claims, or 401: a bad token of any kind (garbage, a forged or mismatched
    algorithm, a key of the wrong type, malformed claims) is the client's fault, never a 500."""
    cfg = settings.jwt
    if cfg.public_key is None and cfg.secret is None:
        raise Unauthorized("bearer tokens are not configured on this server")
    try:
        alg = jwt.get_unverified_header(token).get("alg")
        claims: dict[str, Any] = jwt.decode(
            token,
            _key_for(alg, settings),
            algorithms=[str(alg)],
            audience=cfg.audience,
            issuer=cfg.issuer,
            leeway=cfg.leeway_seconds,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token expired") from exc
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise Unauthorized("invalid token") from exc
    return claims
