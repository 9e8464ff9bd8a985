"""The audit trail stays append-only against the service's own database role (issue 15).

On SQLite a REPLACE deletes the old row without firing DELETE triggers, so a trigger refuses an
INSERT of an id already there. On PostgreSQL the service connects as a role that owns nothing and
holds INSERT and SELECT on the trail: it cannot TRUNCATE, alter, or switch off the triggers; the
triggers still refuse UPDATE and DELETE for the owner who runs migrations.
"""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.db import Database
from app.settings import Settings

UNIT = {"code": "AO", "name": "Enhet", "kind": "unit", "valid_from": "2020-01-01"}
COLUMNS = (
    "id, municipality_id, occurred_at, actor, actor_name, entity_type, entity_id, action, "
    "before, after, request_id, batch_id"
)


async def _one_event(app, client, tenant) -> str:
    response = await client.post("/api/v1/org-units", json=UNIT, headers=tenant.admin)
    assert response.status_code == 201
    async with app.state.db.session(system=True) as session:
        return str(
            await session.scalar(
                text("SELECT id FROM audit_event WHERE entity_id = :e"),
                {"e": response.json()["id"]},
            )
        )


def _on_postgres(app) -> bool:
    return app.state.db.engine.dialect.name == "postgresql"


async def test_replacing_an_event_is_refused(app, client, tenant):
    event_id = await _one_event(app, client, tenant)
    forged = COLUMNS.replace("actor,", "'forged',", 1)
    select = f"SELECT {forged} FROM audit_event WHERE id = :id"  # noqa: S608 (constants)
    if _on_postgres(app):
        statements = [
            f"INSERT INTO audit_event ({COLUMNS}) {select} "
            "ON CONFLICT (id) DO UPDATE SET actor = EXCLUDED.actor"
        ]
    else:
        statements = [
            f"REPLACE INTO audit_event ({COLUMNS}) {select}",
            f"INSERT OR REPLACE INTO audit_event ({COLUMNS}) {select}",
        ]
    for statement in statements:
        with pytest.raises(DBAPIError, match=r"append-only|permission denied"):  # noqa: PT012
            async with app.state.db.session(system=True) as session:
                await session.execute(text(statement), {"id": event_id})
                await session.commit()
    async with app.state.db.session(system=True) as session:
        actor = await session.scalar(
            text("SELECT actor FROM audit_event WHERE id = :id"), {"id": event_id}
        )
    assert actor.startswith("api_key:")


@pytest.fixture
def service_role(app, settings):
    if not _on_postgres(app):
        pytest.skip("database roles are PostgreSQL's; SQLite is a file the service owns")
    if settings.database_url == settings.migrations_url:
        pytest.skip("set STYRKORT_TEST_SERVICE_DATABASE_URL to test as the service's role")


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_event",
        "ALTER TABLE audit_event DISABLE TRIGGER ALL",
        "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
        "DROP TRIGGER audit_event_append_only ON audit_event",
        "DROP TABLE audit_event",
        "ALTER TABLE audit_event ADD COLUMN x int",
        "CREATE TABLE shadow (id int)",
        "UPDATE audit_event SET actor = 'x'",
        "DELETE FROM audit_event",
        "SET session_replication_role = replica",
    ],
)
async def test_the_service_role_cannot_change_or_bypass_the_trail(
    app, client, tenant, service_role, statement
):
    await _one_event(app, client, tenant)
    with pytest.raises(DBAPIError, match=r"permission denied|must be owner|append-only"):  # noqa: PT012
        async with app.state.db.session(system=True) as session:
            await session.execute(text(statement))
            await session.commit()


async def test_the_service_role_is_no_superuser_and_owns_nothing(app, service_role):
    async with app.state.db.session(system=True) as session:
        superuser = await session.scalar(
            text(
                "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user"
            )
        )
        owned = await session.scalar(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"
            )
        )
    assert (superuser, owned) == (False, 0)


async def test_the_owner_is_still_refused_by_the_triggers(
    app, client, tenant, settings, service_role
):
    await _one_event(app, client, tenant)
    owner = Database(Settings(database_url=settings.migrations_url))
    try:
        for statement in ("UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event"):
            with pytest.raises(DBAPIError, match="append-only"):
                async with owner.session(system=True) as session:
                    await session.execute(text(statement))
    finally:
        await owner.dispose()
