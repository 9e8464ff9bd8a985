"""Versions of budget lines, placement episodes and placement aggregates, append-only.

Issue 18 (DOMAIN §3, §11) for the kinds that share the batch machinery with measurements: a batch
is audited by one event, and the before and after of each value it changed are its versions, which
carry the batch id and are as immutable as the audit trail. ``entity_version`` holds them for all
three kinds (``app.versions.models``); the database refuses UPDATE and DELETE on it (triggers on
both engines, TRUNCATE too on PostgreSQL, as on ``measurement_version``; on SQLite also an INSERT
of an id already there, i.e. a REPLACE, as on ``audit_event``) and the service's role holds only
INSERT and SELECT.

Carried over without loss: until now the per-row audit events (``entity_type`` ``budget_line``,
``placement``, ``placement_aggregate``; batches and single writes alike) were the only before and
after these rows had. Each becomes a version with the event's id, municipality, time, actor and
batch id, its ``after`` as the content (null for a delete: a tombstone), so every row's history
reads as a chain of versions and the changes of a batch written before this revision are derived
from them as for a new one. The events themselves stay as they are.

Downgrade: a version a batch wrote after this revision has no audit event of its own; it is
written back as the per-row event the old code recorded (its id, before from the previous version),
then the table goes. Nothing the versions said is lost either way.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 19:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.dbroles import append_only, ordinary

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TYPES = "('budget_line', 'placement', 'placement_aggregate')"

_PG_FUNCTION = """
CREATE FUNCTION entity_version_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'entity_version is append-only';
END;
$$
"""

# A REPLACE deletes the row it replaces without firing DELETE triggers (as on audit_event, 0012).
_SQLITE_NO_REPLACE = """
CREATE TRIGGER entity_version_no_replace BEFORE INSERT ON entity_version
WHEN EXISTS (SELECT 1 FROM entity_version WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'entity_version is append-only'); END
"""


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table(
        "entity_version",
        sa.Column("municipality_id", sa.Uuid(), nullable=False),
        sa.Column("entity_type", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=True),
        sa.Column("sys_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipality.id"],
            name=op.f("fk_entity_version_municipality_id_municipality"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_version")),
    )
    op.create_index("ix_entity_version_batch", "entity_version", ["batch_id"], unique=False)
    op.create_index(
        "ix_entity_version_history", "entity_version", ["entity_id", "sys_from"], unique=False
    )
    op.create_index(
        "ix_entity_version_type_time",
        "entity_version",
        ["municipality_id", "entity_type", "sys_from"],
        unique=False,
    )
    _carry_over_audit_events()
    _make_versions_append_only()


def _carry_over_audit_events() -> None:
    # audit_event.entity_id is the id as text; a Uuid column is native on PostgreSQL and
    # 32 hex digits on SQLite.
    entity_id = "lower(replace(entity_id, '-', ''))" if _sqlite() else "CAST(entity_id AS uuid)"
    op.execute(
        f"""
        INSERT INTO entity_version
            (id, municipality_id, entity_type, entity_id, content, recorded_by, batch_id, sys_from)
        SELECT id, municipality_id, entity_type, {entity_id},
            CASE WHEN action = 'delete' THEN NULL ELSE after END, actor, batch_id, occurred_at
        FROM audit_event WHERE entity_type IN {_TYPES}
        """  # noqa: S608
    )


def _make_versions_append_only() -> None:
    if not _sqlite():
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER entity_version_append_only BEFORE UPDATE OR DELETE "
            "ON entity_version FOR EACH ROW EXECUTE FUNCTION entity_version_append_only()"
        )
        op.execute(
            "CREATE TRIGGER entity_version_no_truncate BEFORE TRUNCATE ON entity_version "
            "FOR EACH STATEMENT EXECUTE FUNCTION entity_version_append_only()"
        )
        append_only("entity_version")
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER entity_version_no_{action.lower()} BEFORE {action} "
            "ON entity_version "
            "BEGIN SELECT RAISE(ABORT, 'entity_version is append-only'); END"
        )
    op.execute(_SQLITE_NO_REPLACE)


def _drop_versions_append_only() -> None:
    if not _sqlite():
        ordinary("entity_version")
        op.execute("DROP TRIGGER entity_version_no_truncate ON entity_version")
        op.execute("DROP TRIGGER entity_version_append_only ON entity_version")
        op.execute("DROP FUNCTION entity_version_append_only()")
        return
    op.execute("DROP TRIGGER entity_version_no_replace")
    op.execute("DROP TRIGGER entity_version_no_update")
    op.execute("DROP TRIGGER entity_version_no_delete")


def _write_batch_versions_back_as_events() -> None:
    """The per-row audit events the old code wrote, for the versions batches wrote since."""
    if _sqlite():
        h = "v.entity_id"
        entity_id = (
            f"substr({h}, 1, 8) || '-' || substr({h}, 9, 4) || '-' || substr({h}, 13, 4) || '-' "
            f"|| substr({h}, 17, 4) || '-' || substr({h}, 21)"
        )
    else:
        entity_id = "CAST(v.entity_id AS text)"
    previous = (
        "(SELECT p.content FROM entity_version p WHERE p.entity_id = v.entity_id "
        "AND (p.sys_from < v.sys_from OR (p.sys_from = v.sys_from AND p.id < v.id)) "
        "ORDER BY p.sys_from DESC, p.id DESC LIMIT 1)"
    )
    op.execute(
        f"""
        INSERT INTO audit_event
            (id, municipality_id, occurred_at, actor, entity_type, entity_id, action, before,
             after, batch_id)
        SELECT v.id, v.municipality_id, v.sys_from, v.recorded_by, v.entity_type, {entity_id},
            CASE WHEN v.content IS NULL THEN 'delete' WHEN {previous} IS NULL THEN 'create'
                 ELSE 'update' END,
            {previous}, v.content, v.batch_id
        FROM entity_version v
        WHERE v.batch_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_event e WHERE e.id = v.id)
        """  # noqa: S608
    )


def downgrade() -> None:
    _drop_versions_append_only()
    _write_batch_versions_back_as_events()
    op.drop_index("ix_entity_version_type_time", table_name="entity_version")
    op.drop_index("ix_entity_version_history", table_name="entity_version")
    op.drop_index("ix_entity_version_batch", table_name="entity_version")
    op.drop_table("entity_version")
