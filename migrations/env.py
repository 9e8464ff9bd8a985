"""Alembic environment: async, for SQLite and PostgreSQL alike.

The URL comes from settings (``STYRKORT_MIGRATION_DATABASE_URL``, the schema owner's, or else
``STYRKORT_DATABASE_URL``). Tests and the CLI may hand over an open
connection in ``config.attributes["connection"]`` instead.
"""

import asyncio
from logging.config import fileConfig
from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection

from app.db import Database, UTCDateTime
from app.models import metadata
from app.settings import Settings

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _render_item(type_: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    # Our UTC timestamp type is a plain timezone-aware DateTime in the database.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
        # SQLite runs real transactions here (app.db issues BEGIN), so DDL is atomic on both.
        transactional_ddl=True,
    )


def _run(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    # Migrations run as the schema owner (STYRKORT_MIGRATION_DATABASE_URL), not the service, and
    # without a statement timeout (0 turns it off): a migration may rewrite a large table.
    db = Database(
        Settings(database_url=Settings().migrations_url, database_statement_timeout_seconds=0)
    )
    try:
        async with db.engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await db.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    raise SystemExit(
        "offline (SQL script) migrations are not supported; run `python -m app.cli migrate`"
    )
run_migrations_online()
