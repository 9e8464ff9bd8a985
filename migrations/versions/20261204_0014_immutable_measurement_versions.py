"""Measurement versions become an append-only log; the key row points at the current one.

Issue 18 (DOMAIN §3, §11): a batch is audited by one event, and the before and after of each value
it changed are its versions, so versions must be as immutable as the audit trail. Until now a
version was closed by an UPDATE of its ``sys_to``; from here a version's validity ends where the
next version of the same measurement begins (ties by id), and the database refuses UPDATE and
DELETE on ``measurement_version`` (triggers, both engines, as on ``audit_event``).

Carried over without loss: every version keeps its row, ``sys_from`` and batch id; the ``sys_to``
dropped is exactly the ``sys_from`` of the next version (every writer closed a version and opened
the next at the same instant), so history and ``as_of`` reads answer as before. Each measurement
gets ``current_version_id``: its open version (``sys_to IS NULL``). Existing audit events stay as
they are, including the per-value events of batches written before this revision.

Also, each index being paid for on every value a batch writes: ``ix_measurement_indicator_id`` is
dropped (the unique key starts with ``indicator_id``, so it served no read the unique index does
not), ``ix_measurement_version_municipality_id`` too (versions are reached through their
measurement or batch, never by municipality alone), and ``uq_measurement_version_current`` goes
with ``sys_to``.

SQLite: the new column is added by ``ALTER TABLE … ADD COLUMN`` (a batch copy of ``measurement``
would be refused by the versions' foreign key), ``sys_to`` dropped by ``ALTER TABLE … DROP
COLUMN`` (SQLite ≥ 3.35).

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-04 16:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.dbroles import append_only, ordinary

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_FUNCTION = """
CREATE FUNCTION measurement_version_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'measurement_version is append-only';
END;
$$
"""


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        op.execute("ALTER TABLE measurement ADD COLUMN current_version_id CHAR(32)")
    else:
        op.add_column("measurement", sa.Column("current_version_id", sa.Uuid(), nullable=True))
    op.execute(
        "UPDATE measurement SET current_version_id = (SELECT v.id FROM measurement_version v "
        "WHERE v.measurement_id = measurement.id AND v.sys_to IS NULL)"
    )
    op.drop_index("ix_measurement_indicator_id", table_name="measurement")
    op.drop_index("uq_measurement_version_current", table_name="measurement_version")
    op.drop_index("ix_measurement_version_municipality_id", table_name="measurement_version")
    if _sqlite():
        op.execute("ALTER TABLE measurement_version DROP COLUMN sys_to")
    else:
        op.drop_column("measurement_version", "sys_to")
    _make_versions_append_only()


def _make_versions_append_only() -> None:
    if not _sqlite():
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER measurement_version_append_only BEFORE UPDATE OR DELETE "
            "ON measurement_version FOR EACH ROW EXECUTE FUNCTION measurement_version_append_only()"
        )
        op.execute(
            "CREATE TRIGGER measurement_version_no_truncate BEFORE TRUNCATE ON measurement_version "
            "FOR EACH STATEMENT EXECUTE FUNCTION measurement_version_append_only()"
        )
        append_only("measurement_version")
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER measurement_version_no_{action.lower()} BEFORE {action} "
            "ON measurement_version "
            "BEGIN SELECT RAISE(ABORT, 'measurement_version is append-only'); END"
        )


def _drop_versions_append_only() -> None:
    if not _sqlite():
        ordinary("measurement_version")
        op.execute("DROP TRIGGER measurement_version_no_truncate ON measurement_version")
        op.execute("DROP TRIGGER measurement_version_append_only ON measurement_version")
        op.execute("DROP FUNCTION measurement_version_append_only()")
        return
    op.execute("DROP TRIGGER measurement_version_no_update")
    op.execute("DROP TRIGGER measurement_version_no_delete")


def downgrade() -> None:
    """Back to closed versions: ``sys_to`` is the next version's ``sys_from`` again."""
    _drop_versions_append_only()
    if _sqlite():
        op.execute("ALTER TABLE measurement_version ADD COLUMN sys_to DATETIME")
    else:
        op.add_column(
            "measurement_version", sa.Column("sys_to", sa.DateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE measurement_version SET sys_to = (SELECT n.sys_from FROM measurement_version n "
        "WHERE n.measurement_id = measurement_version.measurement_id "
        "AND (n.sys_from > measurement_version.sys_from OR (n.sys_from = "
        "measurement_version.sys_from AND n.id > measurement_version.id)) "
        "ORDER BY n.sys_from, n.id LIMIT 1)"
    )
    op.create_index(
        "uq_measurement_version_current",
        "measurement_version",
        ["measurement_id"],
        unique=True,
        sqlite_where=sa.text("sys_to IS NULL"),
        postgresql_where=sa.text("sys_to IS NULL"),
    )
    op.create_index("ix_measurement_indicator_id", "measurement", ["indicator_id"], unique=False)
    op.create_index(
        "ix_measurement_version_municipality_id",
        "measurement_version",
        ["municipality_id"],
        unique=False,
    )
    if _sqlite():
        op.execute("ALTER TABLE measurement DROP COLUMN current_version_id")
    else:
        op.drop_column("measurement", "current_version_id")
