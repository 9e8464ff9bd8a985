"""Roles and the permissions they carry (DOMAIN §2). Pure data: one table to read and change.

A route declares the permission it needs (``Require(Permission.X)``); a caller has it when its role
grants it and, for an API key with scopes, when the key's scopes include it too. Later domains add
their permissions here and to the role sets below.
"""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    REPORTER = "reporter"
    INTEGRATION = "integration"
    VIEWER = "viewer"
    AUDITOR = "auditor"


class Permission(StrEnum):
    MUNICIPALITY_READ = "municipality:read"
    ORG_UNITS_READ = "org_units:read"
    ORG_UNITS_WRITE = "org_units:write"
    API_KEYS_MANAGE = "api_keys:manage"
    AUDIT_READ = "audit:read"
    GOALS_READ = "goals:read"
    GOALS_WRITE = "goals:write"
    INDICATORS_READ = "indicators:read"
    INDICATORS_WRITE = "indicators:write"
    MEASUREMENTS_READ = "measurements:read"
    MEASUREMENTS_WRITE = "measurements:write"
    ASSESSMENTS_WRITE = "assessments:write"
    EXPORTS_READ = "exports:read"


READ_PERMISSIONS = frozenset(p for p in Permission if p.endswith(":read") and p != "audit:read")

PLANNING = frozenset(
    {Permission.GOALS_WRITE, Permission.INDICATORS_WRITE, Permission.ASSESSMENTS_WRITE}
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    # Editors own the plan: goals, indicators, targets, assignments.
    Role.EDITOR: READ_PERMISSIONS | PLANNING,
    # Reporters write measurements, limited to their key's org subtree when it names one.
    Role.REPORTER: READ_PERMISSIONS | {Permission.MEASUREMENTS_WRITE},
    Role.INTEGRATION: READ_PERMISSIONS | {Permission.MEASUREMENTS_WRITE},
    Role.VIEWER: READ_PERMISSIONS,
    Role.AUDITOR: READ_PERMISSIONS | {Permission.AUDIT_READ},
}


def effective_permissions(role: Role, scopes: frozenset[str] | None) -> frozenset[Permission]:
    """The role's permissions, narrowed to the credential's scopes when it has any."""
    granted = ROLE_PERMISSIONS[role]
    if not scopes:
        return granted
    return frozenset(p for p in granted if p.value in scopes)
