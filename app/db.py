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
* SQLite runs with WAL, foreign keys on and real transactions issued by us (so SAVEPOINT works):
  ``BEGIN IMMEDIATE`` for a request that writes (writers queue instead of deadlocking),
  ``BEGIN DEFERRED`` for one that only reads (it never waits for the write lock); PostgreSQL
  through asyncpg. Every wait is bounded by settings and a database fault is a 503.
  The same models and migrations serve both.
"""

from __future__ import annotations

import asyncio
import fcntl
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

import asyncpg
import orjson
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

from app.errors import Conflict
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
READS_ONLY = "styrkort_reads_only"
"""Execution option of the read engine: on SQLite its transactions begin DEFERRED."""


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
        if value is None or value.tzinfo is UTC:  # asyncpg's, as they come
            return value
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


async def copy_many(session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` as :func:`insert_many` does, by ``COPY`` on PostgreSQL.

    For the hottest bulk path (a batch's measurement keys and versions): asyncpg's binary COPY on
    the session's own connection, in its transaction, skips building and binding one array per
    column, which measured about a third of the insert's time (README, Performance). Every row
    must give every column it sets, as Python values of the column's type (UUID, Decimal,
    datetime, date, str, bool); no JSON columns. A key a concurrent writer inserted first is a
    409, as a unique violation is elsewhere. SQLite: :func:`insert_rows`.
    """
    if not rows:
        return
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        await session.run_sync(lambda sync: insert_rows(sync.connection(), table, rows))
        return
    names = list(rows[0])
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None  # a checked-out connection always has its driver's connection
    try:
        await raw.copy_records_to_table(
            table.name, records=[tuple(row[name] for name in names) for row in rows], columns=names
        )
    except asyncpg.UniqueViolationError as exc:
        message = "another request wrote some of these keys meanwhile; send them again"
        raise Conflict(message) from exc


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


def _sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for PostgreSQL or an in-memory database)."""
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix):
        path = url[len(prefix) :].split("?", 1)[0]
        if path and path != ":memory:":
            return Path(path)
    return None


def _prepare_sqlite_path(url: str) -> None:
    path = _sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def _turn_file(url: str) -> Path | None:
    """The lock file of SQLite writers' turns, beside the database."""
    path = _sqlite_file(url)
    return path.with_name(path.name + ".write-turn") if path is not None else None


TURN_POLL_SECONDS = 0.005


async def _lock_file(path: Path) -> int:
    """An open descriptor of ``path`` holding its exclusive lock; closing it releases the lock."""
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                await asyncio.sleep(TURN_POLL_SECONDS)
    except BaseException:
        os.close(handle)
        raise


def _configure_sqlite(engine: AsyncEngine, busy_timeout_seconds: float) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin (see begin below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_seconds * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write transaction takes the write lock up front (IMMEDIATE): concurrent writers queue
        # (busy_timeout) instead of failing when a read later turns into a write. A read
        # transaction is DEFERRED: with WAL it reads a snapshot and never waits for a writer.
        if conn.get_execution_options().get(READS_ONLY):
            conn.exec_driver_sql("BEGIN DEFERRED")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


# How every service connection plans (README, Performance; measured with `scripts/bench
# scorecard` at 10 000 indicators):
# * plan_cache_mode: asyncpg prepares each statement, and PostgreSQL switches a prepared
#   statement to a generic plan after its fifth execution when that plan's estimate looks no
#   worse. For the scorecard's roll-up the generic plan, blind to the org units and dates, took
#   53 s against 10 s, from the sixth request on. Planning afresh costs well under a millisecond.
# * jit: the roll-up's cost estimate passes the thresholds for compiling it, and compiling took
#   2.7 s of a 4.2 s execution; no statement of the service gains back what compiling costs.
PLANNING = {"plan_cache_mode": "force_custom_plan", "jit": "off"}


def _postgres_connect_args(settings: Settings) -> dict[str, Any]:
    """asyncpg's bounds: a connect that gets no answer (a frozen server) gives up after the
    connect timeout; a statement after the statement timeout, on the server (which cancels it
    and keeps the connection) and, a second later, in the client (for a server that does not
    answer at all). And how statements are planned (:data:`PLANNING`)."""
    statement = settings.database_statement_timeout_seconds
    if statement <= 0:  # no bound: migrations, which may rewrite a large table
        return {"timeout": settings.database_connect_timeout_seconds, "server_settings": PLANNING}
    return {
        "timeout": settings.database_connect_timeout_seconds,
        "command_timeout": statement + 1,
        "server_settings": {**PLANNING, "statement_timeout": str(int(statement * 1000))},
    }


def create_engine(settings: Settings) -> AsyncEngine:
    """The engine, with every wait bounded: a database fault becomes an error the handlers in
    ``app.errors`` answer as 503, never a hang. A connection that lay idle is pinged before a
    request gets it (``_ping_after_idle``), and one the database dropped (a restart) is replaced,
    so recovery needs no restart here."""
    url = settings.database_url
    # JSON columns are read on every list and scorecard row; orjson parses them several times
    # faster than the standard library (what is written stays the standard library's JSON).
    common: dict[str, Any] = {"echo": settings.database_echo, "json_deserializer": orjson.loads}
    if ":memory:" not in url:  # an in-memory SQLite has one connection and no queue to time out
        common["pool_size"] = settings.database_pool_size
        common["max_overflow"] = settings.database_max_overflow
        common["pool_timeout"] = settings.database_pool_timeout_seconds
    if settings.is_sqlite:
        _prepare_sqlite_path(url)
        engine = create_async_engine(url, **common)
        _configure_sqlite(engine, settings.database_busy_timeout_seconds)
        return engine
    engine = create_async_engine(url, connect_args=_postgres_connect_args(settings), **common)
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


def _read_options(settings: Settings) -> dict[str, Any]:
    """How a read request's connection runs. On SQLite its transactions begin DEFERRED. On
    PostgreSQL it runs without a transaction: at READ COMMITTED every statement takes its own
    snapshot whether or not a transaction surrounds it, so for a request that only reads, a
    transaction adds nothing but a BEGIN and a ROLLBACK round trip."""
    if settings.is_sqlite:
        return {READS_ONLY: True}
    return {READS_ONLY: True, "isolation_level": "AUTOCOMMIT"}


async def autocommits(session: AsyncSession) -> bool:
    """Whether each statement of ``session`` commits by itself (a PostgreSQL read request)."""
    connection = await session.connection()
    options = (
        connection.sync_connection.get_execution_options() if connection.sync_connection else {}
    )
    return options.get("isolation_level") == "AUTOCOMMIT"


class Database:
    """The engine and the session factories of one process: ``sessionmaker`` for requests that
    write, ``read_sessionmaker`` for requests that only read. Both share one pool; on SQLite a
    read session's transactions begin DEFERRED, so readers never wait for the write lock (on
    PostgreSQL the two are the same)."""

    def __init__(self, settings: Settings) -> None:
        self.engine = create_engine(settings)
        self.read_engine = self.engine.execution_options(**_read_options(settings))
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        self.read_sessionmaker = async_sessionmaker(
            self.read_engine, expire_on_commit=False, info={READS_ONLY: True}
        )
        self._turn_file = _turn_file(settings.database_url)
        self._turn_timeout = settings.database_pool_timeout_seconds
        self._turns: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    @asynccontextmanager
    async def write_turn(self) -> AsyncIterator[None]:
        """On SQLite, a writing request's turn at the database: one writer at a time, first come
        first served within the process, and between processes (uvicorn workers) by a lock file
        beside the database that the head of each process's queue polls every few milliseconds.
        SQLite takes one writer at a time anyway, but its own busy wait polls every 100 ms and
        lets a process whose writers follow each other starve the other one's; queueing here,
        for up to the pool timeout, serves a burst of writers in turn instead of answering 503.
        A no-op on PostgreSQL, whose writers do not exclude each other."""
        if self._turn_file is None:
            yield
            return
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns[0] is not loop:
            self._turns = (loop, asyncio.Lock())
        turn = self._turns[1]
        async with asyncio.timeout(self._turn_timeout):  # TimeoutError: a 503
            await turn.acquire()
            try:
                handle = await _lock_file(self._turn_file)
            except BaseException:
                turn.release()
                raise
        try:
            yield
        finally:
            os.close(handle)  # releases the file lock
            turn.release()

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
