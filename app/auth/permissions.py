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
    CONTROL_READ = "control:read"
    CONTROL_WRITE = "control:write"
    CONTROL_RESULTS_WRITE = "control_results:write"
    ACTION_PLANS_READ = "action_plans:read"
    ACTION_PLANS_WRITE = "action_plans:write"
    ACTION_PLANS_FOLLOW_UP = "action_plans:follow_up"
    DEVIATIONS_READ = "deviations:read"
    DEVIATIONS_WRITE = "deviations:write"
    FEEDBACK_READ = "feedback:read"
    FEEDBACK_WRITE = "feedback:write"
    DECISIONS_READ = "decisions:read"
    DECISIONS_WRITE = "decisions:write"
    BENCHMARKS_READ = "benchmarks:read"
    BENCHMARKS_WRITE = "benchmarks:write"
    PLACEMENTS_READ = "placements:read"
    PLACEMENTS_WRITE = "placements:write"


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

# Internal control and action plans (DOMAIN §10). Editors own the plans, their control points and
# items; editors and reporters record control results and follow-up notes (a reporter whose key
# names an org unit only within that subtree). Viewers, auditors and integrations read.
CONTROL_REPORTING = frozenset({Permission.CONTROL_RESULTS_WRITE, Permission.ACTION_PLANS_FOLLOW_UP})
ROLE_PERMISSIONS[Role.EDITOR] |= {Permission.CONTROL_WRITE, Permission.ACTION_PLANS_WRITE}
ROLE_PERMISSIONS[Role.EDITOR] |= CONTROL_REPORTING
ROLE_PERMISSIONS[Role.REPORTER] |= CONTROL_REPORTING

# Quality registers (DOMAIN §9): deviation reports, feedback, unexecuted decisions. Reporters file
# them for their subtree (a key naming an org unit also reads only that subtree); integrations
# (DF Respons, Flexite, the case-management system) push them. Editors own the plan, not the
# registers: they read. Viewers and auditors read; admins do everything.
QUALITY_REGISTERS = frozenset(
    {Permission.DEVIATIONS_WRITE, Permission.FEEDBACK_WRITE, Permission.DECISIONS_WRITE}
)
ROLE_PERMISSIONS[Role.REPORTER] |= QUALITY_REGISTERS
ROLE_PERMISSIONS[Role.INTEGRATION] |= QUALITY_REGISTERS

# Kolada benchmarks (DOMAIN §11): every read role compares (benchmarks:read is in READ_PERMISSIONS);
# editors define groups and import Kolada pages, integrations import them on a schedule.
ROLE_PERMISSIONS[Role.EDITOR] |= {Permission.BENCHMARKS_WRITE}
ROLE_PERMISSIONS[Role.INTEGRATION] |= {Permission.BENCHMARKS_WRITE}

# Placements (DOMAIN §8): case-management and ERP integrations push episodes and monthly
# aggregates; reporters register them and their units' budgets, within their subtree when their
# key names an org unit (such a key cannot change the municipality-wide categories and
# providers). Editors own the goal plan, not the placement books: they read, like viewers and
# auditors. Admins do everything.
ROLE_PERMISSIONS[Role.REPORTER] |= {Permission.PLACEMENTS_WRITE}
ROLE_PERMISSIONS[Role.INTEGRATION] |= {Permission.PLACEMENTS_WRITE}


def effective_permissions(role: Role, scopes: frozenset[str] | None) -> frozenset[Permission]:
    """The role's permissions, narrowed to the credential's scopes when it has any."""
    granted = ROLE_PERMISSIONS[role]
    if not scopes:
        return granted
    return frozenset(p for p in granted if p.value in scopes)
