"""Turning an ``X-API-Key`` or a bearer JWT into a :class:`Principal`.

Both paths fail with the same 401 and a short reason; none says whether a key exists.
"""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import key_cache
from app.auth.models import ApiKey
from app.auth.permissions import Role, effective_permissions
from app.auth.principal import Principal
from app.db import utcnow
from app.errors import Unauthorized
from app.municipalities.models import Municipality
from app.settings import Settings

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
    """Record last use, at most once per ``api_key_touch_seconds``, in its own small commit."""
    last = known.last_used_at
    if last is not None and now - last < timedelta(seconds=settings.api_key_touch_seconds):
        return
    await session.execute(
        update(ApiKey)
        .where(ApiKey.id == known.id)
        .values(last_used_at=now)
        .execution_options(**UNSCOPED)
    )
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
        actor_id=subject,
        actor_name=str(claims.get("name") or subject),
        municipality_name=municipality.name,
    )


def decode_jwt(token: str, settings: Settings) -> dict[str, Any]:
    cfg = settings.jwt
    key: str | None = cfg.public_key or (cfg.secret.get_secret_value() if cfg.secret else None)
    if key is None:
        raise Unauthorized("bearer tokens are not configured on this server")
    try:
        return jwt.decode(
            token,
            key,
            algorithms=cfg.algorithms,
            audience=cfg.audience,
            issuer=cfg.issuer,
            leeway=cfg.leeway_seconds,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("token expired") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthorized("invalid token") from exc
