"""Test data made through the same services the API uses."""

import itertools
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt

from app.auth import service as api_keys
from app.auth.deps import system_ctx
from app.auth.permissions import Permission, Role
from app.auth.schemas import ApiKeyCreate
from app.db import Database
from app.municipalities.service import ensure

# SCB codes end at 2584; test tenants live above them so they never meet the demo ones.
_codes = itertools.count(5000)


@dataclass
class Tenant:
    db: Database
    code: str
    municipality_id: uuid.UUID
    admin_key: str
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def admin(self) -> dict[str, str]:
        return {"X-API-Key": self.admin_key}

    async def key(
        self, role: Role | str, *, scopes: list[Permission] | None = None, **extra: Any
    ) -> str:
        async with self.db.session(system=True) as session:
            ctx = system_ctx(session, self.municipality_id, self.code)
            created = await api_keys.create(
                ctx,
                ApiKeyCreate(
                    name=f"test {role}",
                    role=Role(role),
                    scopes=scopes or [],
                    **extra,
                ),
            )
        return created.key

    async def headers(self, role: Role | str, **kwargs: Any) -> dict[str, str]:
        return {"X-API-Key": await self.key(role, **kwargs)}


async def make_tenant(db: Database) -> Tenant:
    code = f"{next(_codes):04d}"
    async with db.session(system=True) as session:
        municipality, _ = await ensure(session, code, f"Testkommun {code}")
    tenant = Tenant(db=db, code=code, municipality_id=municipality.id, admin_key="")
    tenant.admin_key = await tenant.key(Role.ADMIN)
    return tenant


def make_jwt(secret: str, **claims: object) -> str:
    now = int(time.time())
    payload = {
        "iss": "https://idp.test/",
        "aud": "styrkort-test",
        "sub": "anna.svensson",
        "iat": now,
        "exp": now + 300,
        **claims,
    }
    return jwt.encode(payload, secret, algorithm="HS256")
