"""The service's database role on PostgreSQL: what it may do, granted by the migrations.

Two roles (README, "Database roles"):

* the **owner** runs the migrations (``STYRKORT_MIGRATION_DATABASE_URL``) and owns every table;
* the **service** connects as a login role that is a member of :data:`SERVICE_ROLE`
  (``STYRKORT_DATABASE_URL``). It owns nothing, so it can neither alter a table, nor drop or
  disable a trigger, nor TRUNCATE; it holds SELECT, INSERT, UPDATE and DELETE on ordinary tables,
  and only INSERT and SELECT on append-only ones.

Migrations hand out the privileges with the functions below, so a later migration that adds an
append-only table (say, measurement versions made immutable) calls :func:`append_only` on it;
tables created later get the ordinary grants by default (``ALTER DEFAULT PRIVILEGES``). On SQLite
there are no roles and these functions do nothing.
"""

from __future__ import annotations

from alembic import op

SERVICE_ROLE = "styrkort_service"

# Created by the migration when missing and the owner may create roles; otherwise an operator
# creates it beforehand (scripts/lib/postgres.sh shows how).
_ENSURE_ROLE = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SERVICE_ROLE}') THEN
        CREATE ROLE {SERVICE_ROLE} NOLOGIN;
    END IF;
END
$$
"""

_ORDINARY = "SELECT, INSERT, UPDATE, DELETE"


def _on_postgres() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def grant_service_role() -> None:
    """Ordinary privileges on every table there is and every table the owner creates later."""
    if not _on_postgres():
        return
    op.execute(_ENSURE_ROLE)
    op.execute(f"GRANT USAGE ON SCHEMA public TO {SERVICE_ROLE}")
    op.execute(f"GRANT {_ORDINARY} ON ALL TABLES IN SCHEMA public TO {SERVICE_ROLE}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {SERVICE_ROLE}")
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {_ORDINARY} ON TABLES TO {SERVICE_ROLE}"
    )
    op.execute(
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {SERVICE_ROLE}"
    )
    # The schema version is the owner's to change; the service only reads it (readiness).
    read_only("alembic_version")


def revoke_service_role() -> None:
    if not _on_postgres():
        return
    defaults = "ALTER DEFAULT PRIVILEGES IN SCHEMA public"
    op.execute(f"{defaults} REVOKE USAGE, SELECT ON SEQUENCES FROM {SERVICE_ROLE}")  # noqa: S608
    op.execute(f"{defaults} REVOKE {_ORDINARY} ON TABLES FROM {SERVICE_ROLE}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {SERVICE_ROLE}")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {SERVICE_ROLE}")


def append_only(table: str) -> None:
    """The service may add rows to ``table`` and read them, never change or remove one."""
    if _on_postgres():
        op.execute(f"REVOKE ALL ON {table} FROM {SERVICE_ROLE}")
        op.execute(f"GRANT SELECT, INSERT ON {table} TO {SERVICE_ROLE}")


def ordinary(table: str) -> None:
    """The service may read and change ``table`` again (undoes :func:`append_only`)."""
    if _on_postgres():
        op.execute(f"GRANT {_ORDINARY} ON {table} TO {SERVICE_ROLE}")


def read_only(table: str) -> None:
    """The service may read ``table`` only."""
    if _on_postgres():
        op.execute(f"REVOKE ALL ON {table} FROM {SERVICE_ROLE}")
        op.execute(f"GRANT SELECT ON {table} TO {SERVICE_ROLE}")
