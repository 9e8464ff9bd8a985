"""Request dependencies: the session, the caller, and the permission every route must declare.

A route gets its :class:`Ctx` only through ``Depends(Require(Permission.X))`` — or is marked
``Depends(public)`` — and :func:`assert_every_route_declares_access` refuses to start an app with a
route that does neither, so a route without a declared permission cannot be added by accident.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

import structlog
from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.credentials import principal_from_api_key, principal_from_jwt
from app.auth.permissions import Permission, Role, is_write
from app.auth.principal import Principal
from app.db import Database, set_tenant
from app.errors import Forbidden, NotFound, Unauthorized
from app.routing import iter_api_routes
from app.settings import Settings

M = TypeVar("M")

PRINCIPAL_KEY = "principal"
REQUEST_ID_KEY = "request_id"
BATCH_ID_KEY = "batch_id"

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="API key for machine clients."
)
bearer = HTTPBearer(auto_error=False, description="JWT from the municipality's identity provider.")


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITES_KEY = "writes"


def writes(request: Request) -> None:
    """Route dependency of the few GET routes that write (an export records who pulled it):
    their session is a write session. Route dependencies run before the session is made."""
    request.state.writes = True


def request_writes(request: Request) -> bool:
    """How a request is known to write: its method (GET, HEAD and OPTIONS read), or the route
    saying so with :func:`writes`. A read request gets a read session (on SQLite: DEFERRED
    transactions, never waiting for the write lock)."""
    return request.method not in READ_METHODS or getattr(request.state, WRITES_KEY, False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for this request. Services commit their unit of work; the rest is rolled back."""
    db: Database = request.app.state.db
    if not request_writes(request):
        async with db.read_sessionmaker() as session:
            yield session
        return
    async with db.write_turn(), db.sessionmaker() as session:
        yield session


@dataclass(frozen=True)
class Ctx:
    """What a service needs from the request: the tenant-bound session and who is calling."""

    session: AsyncSession
    principal: Principal
    request_id: str | None = None

    @property
    def municipality_id(self) -> uuid.UUID:
        return self.principal.municipality_id

    async def commit(self) -> None:
        await self.session.commit()

    async def get(self, model: type[M], ident: uuid.UUID, what: str) -> M:
        """The caller's row with this id, or 404 (also when it belongs to another municipality)."""
        row = await self.session.get(model, ident)
        if row is None or getattr(row, "municipality_id", None) != self.municipality_id:
            raise NotFound(f"{what} not found")
        return row


async def authenticate(
    request: Request,
    session: Annotated[AsyncSession, Depends(get_session)],
    api_key: Annotated[str | None, Depends(api_key_header)] = None,
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Ctx:
    # A credential header that is present but unreadable (empty, or not "Bearer <token>") is
    # refused, never silently set aside for another credential.
    if "authorization" in request.headers and token is None:
        raise Unauthorized("the Authorization header is not 'Bearer <token>'")
    if "x-api-key" in request.headers and not api_key:
        raise Unauthorized("the X-API-Key header is empty")
    # Both credentials at once are refused as ambiguous: the request would act for one of two
    # callers, and a bad token must never ride along on a good key (README, Authentication).
    if "x-api-key" in request.headers and "authorization" in request.headers:
        raise Unauthorized("send one credential: an X-API-Key or a bearer token, not both")
    settings: Settings = request.app.state.settings
    if api_key:
        principal = await principal_from_api_key(session, api_key, settings)
    elif token is not None:
        principal = await principal_from_jwt(session, token.credentials, settings)
    else:
        raise Unauthorized("send an X-API-Key header or an Authorization: Bearer token")
    request_id = getattr(request.state, "request_id", None)
    set_tenant(session, principal.municipality_id)
    session.info[PRINCIPAL_KEY] = principal
    session.info[REQUEST_ID_KEY] = request_id
    structlog.contextvars.bind_contextvars(
        municipality=principal.municipality_code, actor=principal.actor
    )
    return Ctx(session=session, principal=principal, request_id=request_id)


class Require:
    """Dependency that authenticates and checks one permission; gives the route its :class:`Ctx`.

    A write route serves a credential limited to an org unit only when it says so with
    ``within_org_unit=True`` — its service keeps such a caller inside the unit's subtree. Every
    other write changes municipality-wide data and answers such a credential 403 (the rule in
    :mod:`app.auth.permissions`).
    """

    def __init__(self, permission: Permission, *, within_org_unit: bool = False) -> None:
        self.permission = permission
        self.within_org_unit = within_org_unit

    async def __call__(self, ctx: Annotated[Ctx, Depends(authenticate)]) -> Ctx:
        if not ctx.principal.can(self.permission):
            raise Forbidden(f"role '{ctx.principal.role}' lacks permission '{self.permission}'")
        if (
            ctx.principal.org_unit_id is not None
            and is_write(self.permission)
            and not self.within_org_unit
        ):
            raise Forbidden(
                "a credential limited to an org unit cannot change municipality-wide data; "
                "use a credential without an org unit"
            )
        return ctx

    def __repr__(self) -> str:
        return f"Require({self.permission})"


async def public() -> None:
    """Marks a route as deliberately open (health, metrics, the OpenAPI document)."""


def _dependency_calls(dependant: Dependant) -> Iterator[object]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _dependency_calls(dep)


def declared_access(route: RouteContext) -> str | None:
    """The permission a route declares, ``"public"``, or ``None`` when it declares nothing."""
    dependant: Dependant = route.dependant
    for call in _dependency_calls(dependant):
        if isinstance(call, Require):
            return call.permission.value
        if call is public:
            return "public"
    return None


def assert_every_route_declares_access(app: FastAPI) -> None:
    missing = [
        f"{sorted(route.methods or ())} {route.path}"
        for route in iter_api_routes(app)
        if declared_access(route) is None
    ]
    if missing:
        raise RuntimeError(f"routes without a declared permission: {', '.join(missing)}")


def system_ctx(session: AsyncSession, municipality_id: uuid.UUID, municipality_code: str) -> Ctx:
    """A context for operator commands (CLI, demo data): the system, acting in one municipality."""
    principal = Principal(
        municipality_id=municipality_id,
        municipality_code=municipality_code,
        role=Role.ADMIN,
        permissions=frozenset(Permission),
        actor_type="system",
        actor_id="cli",
        actor_name="command line",
    )
    set_tenant(session, municipality_id)
    session.info[PRINCIPAL_KEY] = principal
    return Ctx(session=session, principal=principal)
