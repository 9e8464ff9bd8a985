"""A live Styrkort for the fault suite and the load benchmark: migrate a database, make a
municipality and an admin key with the CLI, run uvicorn on a free 127.0.0.1 port, stop it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def app_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a CLI call or a server: the database, quiet logs, ``settings`` as
    ``STYRKORT_<NAME>`` variables."""
    env = {**os.environ, "STYRKORT_DATABASE_URL": database_url, "STYRKORT_LOG_LEVEL": "WARNING"}
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
