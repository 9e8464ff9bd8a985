"""The service's own database role, and an audit trail append-only against it (issue 15).

PostgreSQL: the service role (:data:`app.dbroles.SERVICE_ROLE`) gets ordinary privileges on every
table, now and by default later, and only INSERT and SELECT on ``audit_event``; it owns nothing,
so it cannot TRUNCATE the trail, alter it or switch its triggers off. A statement trigger now
refuses TRUNCATE for the owner too.

SQLite: a REPLACE deletes the row it replaces without firing DELETE triggers, so a trigger now
refuses an INSERT of an id already in the trail (REPLACE and INSERT OR REPLACE alike).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 16:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

from app.dbroles import append_only, grant_service_role, revoke_service_role

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_NO_REPLACE = """
CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event
WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
        grant_service_role()
        append_only("audit_event")
    else:
        op.execute(_SQLITE_NO_REPLACE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        revoke_service_role()
        op.execute("DROP TRIGGER audit_event_no_truncate ON audit_event")
    else:
        op.execute("DROP TRIGGER audit_event_no_replace")
