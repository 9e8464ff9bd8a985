"""Running Alembic from inside the test event loop, on a connection we hand it."""

from collections.abc import Callable

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from app.cli import alembic_config
from app.db import Database
from app.settings import Settings


def _config(connection: Connection) -> Config:
    config = alembic_config()
    config.attributes["connection"] = connection
    config.attributes["skip_logging_config"] = True
    return config


async def run_alembic(url: str, action: Callable[[Config], None]) -> None:
    db = Database(Settings(database_url=url))
    try:
        async with db.engine.connect() as conn:
            await conn.run_sync(lambda sync_conn: action(_config(sync_conn)))
            await conn.commit()
    finally:
        await db.dispose()


async def upgrade_to_head(url: str) -> None:
    await run_alembic(url, lambda cfg: command.upgrade(cfg, "head"))
