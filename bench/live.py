"""A live Styrkort for the fault suite and the load benchmark: migrate a database, make a
municipality and an admin key with the CLI, run uvicorn on a free 127.0.0.1 port, stop it; and
the workload both use (org units, monthly indicators, batches of rows no other batch writes)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def app_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a CLI call or a server: the database, quiet logs, ``settings`` as
    ``STYRKORT_<NAME>`` variables. Migrations run on the same database (an outer
    ``STYRKORT_MIGRATION_DATABASE_URL`` names another one)."""
    env = {
        **os.environ,
        "STYRKORT_DATABASE_URL": database_url,
        "STYRKORT_MIGRATION_DATABASE_URL": database_url,
        "STYRKORT_LOG_LEVEL": "WARNING",
    }
    env.update({f"STYRKORT_{name.upper()}": value for name, value in settings.items()})
    return env


def cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 (our own CLI, fixed arguments)
        [sys.executable, "-m", "app.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def provision(env: dict[str, str], code: str = "0181") -> str:
    """Migrate, add municipality ``code`` and an admin API key for it; the key."""
    cli(env, "migrate")
    cli(env, "municipality", "create", "--code", code, "--name", f"Kommun {code}")
    out = cli(env, "api-key", "create", "--municipality", code, "--role", "admin", "--name", "live")
    return out.strip().splitlines()[-1]


@dataclass
class Server:
    """``uvicorn app.main:app`` as a child process."""

    env: dict[str, str]
    workers: int = 1
    log: Path | None = None  # the server's stderr; nowhere by default
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_within: float = 60) -> Server:
        command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(self.workers)]
        command += ["--no-access-log", "--timeout-graceful-shutdown", "5"]
        stderr = self.log.open("ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(  # noqa: S603 (uvicorn, fixed arguments)
            command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr
        )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health/live", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("uvicorn did not come up")

    def kill(self) -> None:
        """``kill -9``: no shutdown, no rollback, the connections just go."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()


# The workload both share -------------------------------------------------------------------

UNITS, INDICATORS = 50, 20
MONTHS = [f"{year}-{month:02d}" for year in range(1900, 2101) for month in range(1, 13)]
BATCH_ROWS = 100
RANDOM = random.Random(20261204)  # noqa: S311 (a workload, not a secret)


def plan(url: str, headers: dict[str, str]) -> str:
    """Org units and monthly indicators; the committee's id (for the scorecard)."""
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        committee = http.post(
            "/api/v1/org-units",
            json={"code": "SN", "name": "SN", "kind": "committee", "valid_from": "1900-01-01"},
        ).json()["id"]
        for n in range(UNITS):
            body = {"code": f"U{n:02d}", "name": f"U{n:02d}", "kind": "unit"}
            body |= {"valid_from": "1900-01-01", "parent_id": committee}
            assert http.post("/api/v1/org-units", json=body).status_code == 201
        for n in range(INDICATORS):
            indicator = {
                "code": f"I{n:02d}",
                "title": f"I{n:02d}",
                "unit": "count",
                "polarity": "higher_is_better",
                "periodicity": "month",
                "aggregation": "sum",
                "gender_split": False,
                "valid_from_year": 1900,
            }
            response = http.post("/api/v1/indicators", json=indicator)
            assert response.status_code == 201, response.text
        return str(committee)


def batch_rows(n: int) -> list[dict[str, Any]]:
    """Batch ``n``: 100 months of one indicator and unit no other batch writes (no two batches
    contend for a row, so a non-2xx is the service's, not the workload's)."""
    pair, slice_ = divmod(n, len(MONTHS) // BATCH_ROWS)
    indicator, unit = divmod(pair % (INDICATORS * UNITS), UNITS)
    months = MONTHS[slice_ * BATCH_ROWS : (slice_ + 1) * BATCH_ROWS]
    return [
        {
            "indicator_code": f"I{indicator:02d}",
            "org_unit_code": f"U{unit:02d}",
            "period": month,
            "value": RANDOM.randint(1, 1000),
        }
        for month in months
    ]


def rows(count: int) -> list[dict[str, Any]]:
    """``count`` rows with keys no other of them has: batches 0, 1, … of :func:`batch_rows`."""
    whole, rest = divmod(count, BATCH_ROWS)
    return [row for n in range(whole) for row in batch_rows(n)] + batch_rows(whole)[:rest]


def postgres_database(admin: str) -> str:
    """A new, empty database on the cluster ``admin`` names; its URL."""
    name = f"styrkort_live_{uuid.uuid4().hex[:8]}"
    raw = make_url(admin).set(drivername="postgresql").render_as_string(hide_password=False)

    async def create() -> None:
        conn = await asyncpg.connect(raw)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()

    asyncio.run(create())
    return make_url(admin).set(database=name).render_as_string(hide_password=False)
