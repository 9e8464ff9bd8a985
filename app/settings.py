"""Configuration, read once from environment variables prefixed ``STYRKORT_``.

Nested groups use a double underscore: ``STYRKORT_JWT__ISSUER``. The README's configuration table
lists every variable; keep the two in step.
"""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "styrkort.sqlite3"


class JWTSettings(BaseModel):
    """Bearer tokens for people, issued by the municipality's identity provider."""

    issuer: str = "https://login.example.invalid/"
    audience: str = "styrkort"
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256", "HS256"])
    # A shared secret for HS* tokens or a PEM public key for RS*/ES*. Neither: no JWTs accepted.
    secret: SecretStr | None = None
    public_key: str | None = None
    leeway_seconds: int = 30


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="STYRKORT_", env_nested_delimiter="__", extra="ignore"
    )

    environment: Literal["development", "test", "production"] = "development"
    # The service connects with database_url; migrations run with migration_database_url, the
    # schema owner's (on PostgreSQL a different role: app.dbroles). Unset: the same URL.
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_SQLITE_PATH}"
    migration_database_url: str | None = None
    database_echo: bool = False
    database_pool_size: int = 10
    database_max_overflow: int = 10
    # Database faults answer 503 within these bounds instead of hanging (seconds).
    database_connect_timeout_seconds: float = 5.0
    database_statement_timeout_seconds: float = 30.0
    # How long a request waits for its turn: a free connection (on SQLite: the write turn).
    database_pool_timeout_seconds: float = 30.0
    # SQLite: how long a writer waits for the write lock before the request answers 503.
    database_busy_timeout_seconds: float = 5.0
    # The largest request body accepted (413 beyond), from Content-Length and while streaming.
    max_body_bytes: int = 32 * 1024 * 1024
    jwt: JWTSettings = Field(default_factory=JWTSettings)
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    log_json: bool = True
    # last_used_at on an API key is written at most this often, so reads stay reads.
    api_key_touch_seconds: int = 60
    # A worker remembers a looked-up API key this long (app/auth/key_cache.py): a key revoked
    # through another worker process is refused within this many seconds. 0: look up every time.
    api_key_cache_seconds: float = Field(default=5, ge=0, le=60)
    # Rendered answers of cacheable reads a worker keeps, checked against the municipality's
    # change counter on every request (app/readcache). 0 turns the memory off.
    read_cache_entries: int = Field(default=4096, ge=0)
    read_cache_megabytes: int = Field(default=64, ge=1)
    # How long an Idempotency-Key is remembered.
    idempotency_ttl_hours: int = 24
    # How long a retry waits for a running attempt with the same key before answering 409.
    idempotency_wait_seconds: float = 2.0
    # Requests a minute per credential (API key or bearer token), per process; 0 turns it off.
    # Behind several processes, enforce the total at the proxy (README, "HTTP conventions").
    rate_limit_per_minute: int = 6000
    # Retry-After (seconds) on a 503 that does not name its own.
    retry_after_seconds: int = 2
    page_size_default: int = 50
    page_size_max: int = 500

    @property
    def migrations_url(self) -> str:
        return self.migration_database_url or self.database_url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
