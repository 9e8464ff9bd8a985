"""The per-municipality change counter: bumped by every write transaction, read by every cached
read before anything else (see :mod:`app.readcache`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from app.db import READS_ONLY, SYSTEM_KEY, TENANT_KEY
from app.readcache.models import DataVersion

UNSCOPED = {"skip_tenant_filter": True}


def _bump(session: Session) -> None:
    if session.info.get(READS_ONLY):
        return
    # Flush first: the counter's row lock is then the transaction's last, held only for the
    # commit, and never taken before a row lock another writer could be holding.
    session.flush()
    tenant_id: uuid.UUID | None = session.info.get(TENANT_KEY)
    if tenant_id is None:
        if not session.info.get(SYSTEM_KEY):
            return  # neither a tenant's nor the system's: the tenant guard let it change no data
        session.execute(  # an operator command acting across municipalities
            update(DataVersion)
            .values(version=DataVersion.version + 1)
            .execution_options(**UNSCOPED)
        )
        return
    insert: Any = (
        postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    )
    statement = insert(DataVersion).values(municipality_id=tenant_id, version=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[DataVersion.municipality_id],
            set_={"version": DataVersion.version + 1},
        ).execution_options(**UNSCOPED)
    )


def install_change_counter() -> None:
    """Every commit of a write session bumps its municipality's counter, in its transaction."""
    if not event.contains(Session, "before_commit", _bump):
        event.listen(Session, "before_commit", _bump)


# Asked of the driver itself: on the path of a kept answer, SQLAlchemy's execution of this
# one-column select (compiled-cache lookup, the adapted cursor, result processing) cost more than
# everything else the request did (README, Performance). The row's key is stored as the Uuid
# type stores it: native on PostgreSQL, 32 hex digits on SQLite.
_POSTGRESQL = "SELECT version FROM data_version WHERE municipality_id = $1"
_SQLITE = "SELECT version FROM data_version WHERE municipality_id = ?"


async def current_version(engine: AsyncEngine, municipality_id: uuid.UUID) -> int:
    """The municipality's counter; 0 before its first counted write.

    Asked of the driver, the failure is neither translated by SQLAlchemy nor seen by its pool:
    whatever goes wrong (a server gone, stopped or frozen past the command timeout) drops the
    connection here and is raised as the 503 any database fault is, so the next request gets a
    fresh connection (``tests/faults``)."""
    async with engine.connect() as connection:
        driver: Any = (await connection.get_raw_connection()).driver_connection
        postgresql = engine.dialect.name == "postgresql"
        try:
            if postgresql:
                version = await driver.fetchval(_POSTGRESQL, municipality_id)
            else:
                async with driver.execute(_SQLITE, (municipality_id.hex,)) as cursor:
                    row = await cursor.fetchone()
                version = row[0] if row else None
        except Exception as exc:
            await connection.invalidate(exc)
            raise OperationalError(_POSTGRESQL if postgresql else _SQLITE, None, exc) from exc
    return version or 0
