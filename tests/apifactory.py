"""Helpers for the API tests: make rows through HTTP (the way a client does) and check problems."""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

PROBLEM = "application/problem+json"
_seq = itertools.count(1)

# A small counter-clockwise square around Idlib (lon/lat), and one further south.
IDLIB = {"type": "Polygon", "coordinates": [[[36.0, 35.5], [37.0, 35.5], [37.0, 36.5], [36.0, 36.5], [36.0, 35.5]]]}
DERAA = {"type": "Polygon", "coordinates": [[[35.8, 32.5], [36.4, 32.5], [36.4, 33.0], [35.8, 33.0], [35.8, 32.5]]]}


def unique(stem: str) -> str:
    return f"{stem} {next(_seq)}"


def post(client: httpx.Client, writer: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(path, json=body, headers=writer)
    assert r.status_code == 201, f"{path}: {r.status_code} {r.text}"
    return r.json()


def process(client, writer, **kw) -> dict[str, Any]:
    return post(client, writer, "/processes", {"name_en": unique("Astana talks"), "name_ar": "محادثات أستانا", **kw})


def place(client, writer, **kw) -> dict[str, Any]:
    return post(client, writer, "/places", {"name_en": unique("Astana"), "name_ar": "أستانا", **kw})


def party(client, writer, **kw) -> dict[str, Any]:
    return post(client, writer, "/parties", {"name_en": unique("Party"), **kw})


def person(client, writer, **kw) -> dict[str, Any]:
    return post(client, writer, "/persons", {"name_en": unique("Person"), **kw})


def round_(client, writer, process_id: int, **kw) -> dict[str, Any]:
    return post(client, writer, "/rounds", {"process_id": process_id, **kw})


def delegation(client, writer, round_id: int, party_id: int, **kw) -> dict[str, Any]:
    return post(client, writer, "/delegations", {"round_id": round_id, "party_id": party_id, **kw})


def meeting(client, writer, **kw) -> dict[str, Any]:
    return post(client, writer, "/meetings", {"date": "2017-09-14", **kw})


def zone(client, writer, **kw) -> dict[str, Any]:
    return post(client, writer, "/zones", {"name_en": unique("Zone"), **kw})


def assert_problem(r: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    """The answer is RFC 9457 problem+json of that status, with no traceback; if `field` is
    given, errors[].field names it."""
    assert r.status_code == status, f"{r.status_code} {r.text}"
    assert r.headers["content-type"].split(";")[0] == PROBLEM, r.headers["content-type"]
    body = r.json()
    for member in ("type", "title", "status", "detail"):
        assert body.get(member), f"{member} missing in {body}"
    assert body["status"] == status
    assert "Traceback" not in r.text and 'File "' not in r.text
    if field is not None:
        fields = [e["field"] for e in body.get("errors") or []]
        assert any(f == field or f.endswith("." + field) or f.startswith(field + ".") for f in fields), \
            f"{field!r} not named in {fields}"
    return body


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(database_url: str) -> Iterator[str]:
    """uvicorn serving the app on a free loopback port, on `database_url` (already migrated).
    Yields the base URL; the server is stopped (by its own pid) on exit."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
                             "--port", str(port), "--log-level", "warning"],
                            cwd=Path(__file__).resolve().parents[1], env=env,
                            stdout=(out := tempfile.TemporaryFile()), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to ~30 s for the process to listen
            if proc.poll() is not None:
                out.seek(0)
                raise RuntimeError("uvicorn exited: " + out.read().decode(errors="replace"))
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("uvicorn did not start listening")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()
