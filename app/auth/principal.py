"""Who is calling: the result of authentication, carried through the request."""

import uuid
from dataclasses import dataclass
from typing import Literal

from app.auth.permissions import Permission, Role


@dataclass(frozen=True)
class Principal:
    municipality_id: uuid.UUID
    municipality_code: str
    role: Role
    permissions: frozenset[Permission]
    actor_type: Literal["api_key", "user", "system"]
    actor_id: str
    actor_name: str
    org_unit_id: uuid.UUID | None = None
    # Read with the credential, so who-am-I needs no query of its own.
    municipality_name: str | None = None

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def actor(self) -> str:
        """How the audit trail names this caller, e.g. ``api_key:sk_ab12cd34`` or ``user:anna``."""
        return f"{self.actor_type}:{self.actor_id}"
