"""Database engine, sessions, the declarative base and the tenant guard.

Decisions, written down once:

* One transaction per request, begun and ended by the session dependency (``app.deps``); services
  only ``flush``. A multi-step write is atomic because nothing else commits.
* ``expire_on_commit=False`` and relationships declared ``lazy="raise"``: no hidden I/O.
* **Tenancy is enforced by the session, not by each query.** Every model that belongs to a
  municipality inherits :class:`TenantScoped`. A session is opened either for one tenant
  (``session.info["tenant_id"]``) or explicitly as a system session (CLI, credential lookup). On a
  tenant session every ORM SELECT/UPDATE/DELETE of a tenant-scoped entity gets
  ``municipality_id = :tenant`` added, and every new row is stamped with the tenant (a row for
  another tenant refuses to flush). On a session that is neither, touching a tenant-scoped entity
  raises: the guard fails closed.
* SQLite runs with WAL, foreign keys on and real transactions (``BEGIN IMMEDIATE`` issued by us,
  so SAVEPOINT works and writers queue instead of deadlocking); PostgreSQL through asyncpg.
  The same models and migrations serve both.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    ColumnDefault,
    DateTime,
    Dialect,
    ForeignKey,
    MetaData,
    Numeric,
    Table,
    TypeDecorator,
    Uuid,
    any_,
    bindparam,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.pool import ConnectionPoolEntry

from app.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TENANT_KEY = "tenant_id"
SYSTEM_KEY = "system"


def utcnow() -> datetime:
    return datetime.now(UTC)


_last_uuid7 = (0, 0)  # (unix ms, 12-bit counter) of the last id this process made
_uuid7_lock = threading.Lock()


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7): ids sort by creation, which keyset pages use.

    Within one millisecond a 12-bit counter keeps them increasing (RFC 9562 §6.2, method 1), so
    rows made in one request (audit events, say) sort in the order they were made.
    """
    global _last_uuid7
    with _uuid7_lock:
        unix_ms, counter = time.time_ns() // 1_000_000, 0
        last_ms, last_counter = _last_uuid7
        if unix_ms <= last_ms:
            unix_ms, counter = last_ms, last_counter + 1
            if counter > 0xFFF:
                unix_ms, counter = last_ms + 1, 0
        _last_uuid7 = (unix_ms, counter)
    value = (unix_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    return uuid.UUID(int=value)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored and returned in UTC on both engines (SQLite would hand back naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


def one_of(column: str, values: Iterable[str], name: str | None = None) -> CheckConstraint:
    """A CHECK that ``column`` holds one of ``values`` (our enums are strings in the database)."""
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name or f"{column}_known")


Amount = Numeric(20, 6)
"""Measured values and targets. Exact NUMERIC on PostgreSQL; SQLite stores 8-byte floats."""


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid7)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TenantScoped:
    """Rows that belong to one municipality. The session guard filters and stamps them."""

    # Audited entities name themselves here; ``None`` means "not audited".
    __audit_entity__: str | None = None
    # Columns whose changes alone do not make an audit event (bookkeeping, e.g. last_used_at).
    __audit_ignore__: frozenset[str] = frozenset()
    # Columns never written to the audit trail (secrets).
    __audit_redact__: frozenset[str] = frozenset()

    @declared_attr
    def municipality_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            Uuid, ForeignKey("municipality.id", ondelete="RESTRICT"), index=True, nullable=False
        )


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` set-based, the one way every bulk writer does it.

    PostgreSQL gets one ``INSERT … SELECT … FROM unnest(…)`` with one array per column: a single
    statement whatever the number of rows, each array bound with the column's own type. SQLite gets
    ``executemany`` inside the open transaction. Columns a row leaves out take their Python
    default (an id, a timestamp) as a Core insert would.
    """
    if not rows:
        return
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    columns = [table.c[name] for name in names]
    arrays = [[row[name] for row in rows] for name in names]
    for column in table.c:
        default = column.default
        if column.name in names or default is None or not isinstance(default, ColumnDefault):
            continue
        columns.append(column)
        if default.is_callable:
            arrays.append([default.arg(None) for _ in rows])
        else:
            arrays.append([default.arg] * len(rows))
    unnest = (
        func.unnest(
            *(
                bindparam(f"c{i}", values, type_=ARRAY(c.type))
                for i, (c, values) in enumerate(zip(columns, arrays, strict=True))
            )
        )
        .table_valued(*(c.name for c in columns))
        .render_derived()
    )
    connection.execute(insert(table).from_select(columns, select(*unnest.columns)))


def update_by_ids(
    connection: Connection, table: Table, ids: Sequence[uuid.UUID], values: Mapping[str, Any]
) -> None:
    """Set the same ``values`` on the rows with these ids: one ``= ANY(array)`` statement on
    PostgreSQL (no limit on the number of ids), executemany on SQLite."""
    if not ids:
        return
    if connection.dialect.name == "postgresql":
        matches = table.c.id == any_(bindparam("ids", list(ids), type_=ARRAY(table.c.id.type)))
        connection.execute(update(table).where(matches).values(**values))
        return
    by_id = update(table).where(table.c.id == bindparam("b_id")).values(**values)
    connection.execute(by_id, [{"b_id": i} for i in ids])


async def insert_many(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """:func:`insert_rows` on the session's connection, in its transaction."""
    await session.run_sync(lambda sync: insert_rows(sync.connection(), table, rows))


class TenantGuardError(RuntimeError):
    """Programming error: a tenant-scoped entity was touched outside a tenant or system session."""


def scoped_to_tenant(statement: Any, tenant_id: uuid.UUID) -> Any:
    """``statement`` with ``municipality_id = tenant_id`` on every tenant-scoped entity in it:
    what the guard adds to each ORM query, also for a statement compiled by hand (COPY)."""
    return statement.options(
        with_loader_criteria(
            TenantScoped,
            lambda cls: cls.municipality_id == tenant_id,
            include_aliases=True,
        )
    )


def tenant_of(session: AsyncSession) -> uuid.UUID:
    tenant_id: uuid.UUID | None = session.info.get(TENANT_KEY)
    if tenant_id is None:
        raise TenantGuardError("a tenant statement on a session without a tenant")
    return tenant_id


def _install_tenant_guard() -> None:
    @event.listens_for(Session, "do_orm_execute")
    def _scope_to_tenant(state: ORMExecuteState) -> None:
        if not (state.is_select or state.is_update or state.is_delete):
            return
        if state.execution_options.get("skip_tenant_filter"):
            return
        info = state.session.info
        tenant_id = info.get(TENANT_KEY)
        if tenant_id is None:
            if info.get(SYSTEM_KEY):
                return
            if any(_is_tenant_scoped(m.class_) for m in state.all_mappers):
                raise TenantGuardError("tenant-scoped query on a session without a tenant")
            return
        state.statement = scoped_to_tenant(state.statement, tenant_id)

    @event.listens_for(Session, "before_flush")
    def _stamp_tenant(session: Session, _ctx: Any, _instances: Any) -> None:
        tenant_id = session.info.get(TENANT_KEY)
        for obj in session.new:
            if not isinstance(obj, TenantScoped):
                continue
            if tenant_id is None:
                if not session.info.get(SYSTEM_KEY):
                    raise TenantGuardError("new tenant-scoped row on a session without a tenant")
                continue
            if obj.municipality_id is None:
                obj.municipality_id = tenant_id
            elif obj.municipality_id != tenant_id:
                raise TenantGuardError("row stamped with another municipality")


def _is_tenant_scoped(cls: type) -> bool:
    return issubclass(cls, TenantScoped)


_install_tenant_guard()


def _prepare_sqlite_path(url: str) -> None:
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix):
        path = url[len(prefix) :].split("?", 1)[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see begin below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front: concurrent requests queue (busy_timeout)
        # instead of failing when a read transaction later tries to write. SQLite is the
        # embedded, few-users engine; PostgreSQL is the one for concurrency.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(settings: Settings) -> AsyncEngine:
    url = settings.database_url
    if settings.is_sqlite:
        _prepare_sqlite_path(url)
        engine = create_async_engine(url, echo=settings.database_echo)
        _configure_sqlite(engine)
        return engine
    engine = create_async_engine(
        url, echo=settings.database_echo, pool_size=settings.database_pool_size
    )
    _ping_after_idle(engine)
    return engine


IDLE_PING_SECONDS = 10.0


def _ping_after_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection before use only when it has lain idle ``IDLE_PING_SECONDS``.

    ``pool_pre_ping`` pings on every checkout: three round trips (BEGIN, a statement, ROLLBACK on
    asyncpg) before each request's first query. A connection in steady use has just proved it
    works; one that lay idle may have been cut (a database restart, a firewall), so it is pinged
    and, when dead, replaced before the request sees it, as ``pool_pre_ping`` would.
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info["checked_in"] = monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(
        dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _proxy: Any
    ) -> None:
        idle_since = record.info.get("checked_in")
        if idle_since is None or monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("the pooled connection did not answer a ping") from exc


class Database:
    """The engine and the session factory of one process."""

    def __init__(self, settings: Settings) -> None:
        self.engine = create_engine(settings)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(
        self, *, tenant_id: uuid.UUID | None = None, system: bool = False
    ) -> AsyncIterator[AsyncSession]:
        """A session for scripts and tests: committed when the block ends, rolled back on error."""
        async with self.sessionmaker() as session:
            session.info[TENANT_KEY] = tenant_id
            session.info[SYSTEM_KEY] = system
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def dispose(self) -> None:
        await self.engine.dispose()


def set_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    session.info[TENANT_KEY] = tenant_id
    session.info[SYSTEM_KEY] = False
