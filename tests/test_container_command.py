"""What `docker compose up` runs, run here without Docker (no engine on this machine): the
image's command — migrate, load seeds, serve — against a fresh, empty Postgres database, and
the compose file wiring the API to Postgres 15 through DATABASE_URL."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from databases import postgres_database
from liveserver import free_port

ROOT = Path(__file__).resolve().parents[1]


def image_command() -> str:
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.M).group(1))
    assert cmd[:2] == ["sh", "-c"]
    return cmd[2]


def test_compose_serves_the_api_on_postgres_15():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, api = compose["services"]["db"], compose["services"]["api"]
    assert db["image"] == "postgres:15"
    url = api["environment"]["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://") and "@db:5432/" in url
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert "8000:8000" in api["ports"]


def test_the_images_command_migrates_loads_the_seeds_and_serves_on_postgres(tmp_path):
    port = free_port()
    command = image_command().replace("--host 0.0.0.0 --port 8000", f"--host 127.0.0.1 --port {port}")
    assert f"--port {port}" in command
    bin_dir = str(Path(sys.executable).parent)  # where `peacetrack` is installed
    for url in postgres_database("peacetrack_image"):
        env = {**os.environ, "DATABASE_URL": url, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
        log = tmp_path / "image.log"
        with open(log, "wb") as out:
            # a session of its own, so that stopping it stops the server the shell started too
            proc = subprocess.Popen(["sh", "-c", command], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 300  # the first load of the reference data takes a while
            while True:
                assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
                try:
                    if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
                time.sleep(0.5)
            requested = httpx.get(f"{base}/zones", params={"status": "requested"}).json()["items"]
            assert {z["name_ar"] for z in requested} >= {"جنوب دمشق", "القلمون"}
            meetings = httpx.get(f"{base}/meetings", params={"status": "held"}).json()["items"]
            assert meetings
            evidence = httpx.get(f"{base}/meetings/{meetings[0]['id']}/evidence").json()
            assert evidence and evidence[0]["quote"]
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
