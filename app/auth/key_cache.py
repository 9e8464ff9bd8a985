"""A short-lived, in-process memory of API keys already looked up, keyed by the key's hash.

Every request used to read its key's row (and the municipality's code) from the database before
doing anything else. A frontend sends the same key many times a second, so each worker process
remembers what it read for ``api_key_cache_seconds`` (default 5; 0 turns the memory off):

* **Revocation** is seen at once by the process that revoked the key (it forgets the key), and by
  every other worker process within ``api_key_cache_seconds``.
* **Expiry** is checked on every request against the remembered ``expires_at``, so an expired key
  is refused from its first second on.
* **Unknown keys** are never remembered: a wrong key always costs a lookup, and nothing an
  attacker sends can fill the memory. It holds at most :data:`MAX_ENTRIES` keys and starts afresh
  when full.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from app.auth.principal import Principal

MAX_ENTRIES = 10_000


@dataclass
class KnownKey:
    """What a request needs of its key's row."""

    id: uuid.UUID
    principal: Principal
    revoked: bool
    expires_at: datetime | None
    last_used_at: datetime | None


_known: dict[str, tuple[float, KnownKey]] = {}  # key hash → (monotonic time read, key)


def recall(key_hash: str, max_age_seconds: float) -> KnownKey | None:
    """The key read within the last ``max_age_seconds`` by this process, if any."""
    entry = _known.get(key_hash)
    if entry is None:
        return None
    read_at, known = entry
    if monotonic() - read_at >= max_age_seconds:
        _known.pop(key_hash, None)
        return None
    return known


def remember(key_hash: str, known: KnownKey, max_age_seconds: float) -> None:
    if max_age_seconds <= 0:
        return
    if len(_known) >= MAX_ENTRIES:
        _known.clear()
    _known[key_hash] = (monotonic(), known)


def forget(key_hash: str) -> None:
    """Called when a key changes (revocation), so this process stops accepting it at once."""
    _known.pop(key_hash, None)
