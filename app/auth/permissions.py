"""Roles and the permissions they carry (DOMAIN §2). Pure data: one table to read and change.

A route declares the permission it needs (``Require(Permission.X)``); a caller has it when its role
grants it and, for an API key with scopes, when the key's scopes include it too. Later domains add
their permissions here and to the role sets below.

Privileges never grow by delegation:

* A credential creates API keys only within its own privileges: the new key's permissions (its
  role narrowed by its scopes) must all be held by the creator; a creator limited to an org unit
  creates only keys limited to that unit or one below it; a creator that expires creates only
  keys that expire no later. ``expires_at`` must lie in the future. A bearer token's ``exp`` is
  the lifetime of a sign-in, not a privilege, and does not bound the keys a user creates. The
  same bounds of permissions and org unit apply to the keys a credential revokes.
* A credential limited to an org unit writes only where the route keeps it inside that unit's
  subtree (measurements, budget lines, placements and their aggregates and budgets, quality
  registers, control results, API keys as above); every other write — budget categories and
  their ERP account maps, frames, placement categories and providers, benchmark groups and
  imports, goals, indicators, plans, org units — is municipality-wide and answers it 403.
  Routes opt in with ``Require(..., within_org_unit=True)``; the default refuses.
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
    BUDGET_READ = "budget:read"
    BUDGET_WRITE = "budget:write"
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

# What each role may write, beyond reading everything but the audit trail. Admins have all;
# auditors read the audit trail too and write nothing. Who writes what, by domain:
# * the plan (goals, indicators, targets, assignments, manual assessments): editors;
# * measurements: reporters and integrations (a key naming an org unit: only in its subtree);
# * internal control: editors own plans and points; editors and reporters record results and
#   action-plan follow-ups;
# * quality registers (deviation reports, feedback, unexecuted decisions): reporters and
#   integrations file them; editors own the plan, not the registers, and read them;
# * Kolada benchmarks: editors define groups, editors and integrations import;
# * placements: reporters and integrations (case management, ERP); editors read;
# * budget (categories, lines, frames): editors own it, integrations are the ERP feed.
WRITES: dict[Role, frozenset[Permission]] = {
    Role.EDITOR: frozenset(
        {
            Permission.GOALS_WRITE,
            Permission.INDICATORS_WRITE,
            Permission.ASSESSMENTS_WRITE,
            Permission.CONTROL_WRITE,
            Permission.CONTROL_RESULTS_WRITE,
            Permission.ACTION_PLANS_WRITE,
            Permission.ACTION_PLANS_FOLLOW_UP,
            Permission.BENCHMARKS_WRITE,
            Permission.BUDGET_WRITE,
        }
    ),
    Role.REPORTER: frozenset(
        {
            Permission.MEASUREMENTS_WRITE,
            Permission.CONTROL_RESULTS_WRITE,
            Permission.ACTION_PLANS_FOLLOW_UP,
            Permission.DEVIATIONS_WRITE,
            Permission.FEEDBACK_WRITE,
            Permission.DECISIONS_WRITE,
            Permission.PLACEMENTS_WRITE,
        }
    ),
    Role.INTEGRATION: frozenset(
        {
            Permission.MEASUREMENTS_WRITE,
            Permission.DEVIATIONS_WRITE,
            Permission.FEEDBACK_WRITE,
            Permission.DECISIONS_WRITE,
            Permission.BENCHMARKS_WRITE,
            Permission.PLACEMENTS_WRITE,
            Permission.BUDGET_WRITE,
        }
    ),
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: READ_PERMISSIONS | WRITES[Role.EDITOR],
    Role.REPORTER: READ_PERMISSIONS | WRITES[Role.REPORTER],
    Role.INTEGRATION: READ_PERMISSIONS | WRITES[Role.INTEGRATION],
    Role.VIEWER: READ_PERMISSIONS,
    Role.AUDITOR: READ_PERMISSIONS | {Permission.AUDIT_READ},
}


def is_write(permission: Permission) -> bool:
    """Whether the permission changes data (everything but the ``:read`` ones)."""
    return not permission.value.endswith(":read")


def effective_permissions(role: Role, scopes: frozenset[str] | None) -> frozenset[Permission]:
    """The role's permissions, narrowed to the credential's scopes when it has any."""
    granted = ROLE_PERMISSIONS[role]
    if not scopes:
        return granted
    return frozenset(p for p in granted if p.value in scopes)
