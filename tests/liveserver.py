"""A real uvicorn server in a child process, on a free loopback port, against a database of its
own: for the tests that need real concurrency, real sockets and real signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.cli_keys import create_key
from app.db import make_engine, session_scope

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_key(url: str, scopes: tuple[str, ...] = ("write",)) -> dict[str, str]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            secret, _ = create_key(session, name="live test", scopes=list(scopes))
    finally:
        engine.dispose()
    return {"Authorization": f"Bearer {secret}"}


class Server:
    def __init__(self, proc: subprocess.Popen, base_url: str, log: Path):
        self.proc, self.base_url, self.log = proc, base_url, log

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def live_server(database_url: str, tmp_path: Path, *, env: dict[str, str] | None = None,
                port: int | None = None) -> Iterator[Server]:
    port = port or free_port()
    log = tmp_path / f"uvicorn-{port}.log"
    environment = {**os.environ, "DATABASE_URL": database_url, "WRITE_BURST": "100000",
                   "WRITE_RATE_PER_MINUTE": "600000", **(env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning", "--timeout-graceful-shutdown", "20"],
            cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited {proc.returncode}:\n{server.output()}")
            try:
                if httpx.get(server.base_url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start:\n{server.output()}")
            time.sleep(0.1)
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
