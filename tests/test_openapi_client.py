"""The OpenAPI document tells the truth: every operation is summarized and declares the errors it
can answer; and a client generated from it (openapi-python-client) works against a live server."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from apifactory import IDLIB, live_server
from app.cli_keys import create_key
from app.db import make_engine, session_scope
from app.main import app
from app.migrate import upgrade

BIN = Path(sys.executable).parent


def _operations():
    for path, ops in app.openapi()["paths"].items():
        for method, op in ops.items():
            yield method.upper(), path, op


def test_every_operation_has_a_summary_and_an_id():
    seen = set()
    for method, path, op in _operations():
        assert op.get("summary"), f"{method} {path}"
        assert op.get("operationId") and op["operationId"] not in seen, f"{method} {path}"
        seen.add(op["operationId"])


def test_every_error_response_is_declared():
    for method, path, op in _operations():
        declared = {int(c) for c in op["responses"] if c.isdigit() and int(c) >= 400}
        if path == "/healthz":
            continue
        expected = {503}  # every other route reads the database
        if path not in ("/readyz",):
            expected |= {422}
        if method == "GET" and path != "/readyz":
            expected |= {406}
        if "{id}" in path:
            expected |= {404}
        if method in ("POST", "PATCH", "PUT", "DELETE"):
            expected |= {401, 403, 413}
        if method in ("POST", "PATCH") and path != "/articles":  # a natural key or a unique pair
            expected |= {409}
        if method in ("PATCH", "DELETE"):
            expected |= {412, 428}
        assert expected <= declared, f"{method} {path} lacks {sorted(expected - declared)}"
        for code in declared:
            content = op["responses"][str(code)].get("content", {})
            assert "application/problem+json" in content, f"{method} {path} {code}"


def test_problem_schema_and_security_are_documented():
    doc = app.openapi()
    problem = doc["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem["properties"])
    create = doc["paths"]["/parties"]["post"]
    header = [p for p in create.get("parameters", []) if p["name"].lower() == "authorization"]
    assert header, "the write routes say they take Authorization"
    lists = doc["paths"]["/zones"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/csv", "application/geo+json"} <= set(lists)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package generated from app.openapi(), importable as `peacetrack_client`."""
    cli = BIN / "openapi-python-client"
    if not cli.exists():
        pytest.fail("openapi-python-client is a test dependency: pip install -e '.[test]'")
    root = tmp_path_factory.mktemp("client")
    spec = root / "openapi.json"
    spec.write_text(json.dumps(app.openapi()))
    out = root / "peacetrack_client"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff post-hooks
    run = subprocess.run([str(cli), "generate", "--path", str(spec), "--meta", "none",
                          "--output-path", str(out)], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0 and (out / "client.py").exists(), run.stdout + run.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module("peacetrack_client")
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("peacetrack_client")]:
            del sys.modules[name]
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A live uvicorn on a freshly migrated SQLite file, with a zone in it and a write key."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    upgrade(url)
    engine = make_engine(url)
    from app.models import Zone

    with session_scope(engine) as s:
        secret, _ = create_key(s, name="generated client", scopes=["write"])
        s.add(Zone(key="idlib", name_en="Idlib", name_ar="إدلب", geometry=IDLIB, status="in_force"))
    engine.dispose()
    with live_server(url) as base:
        yield base, secret


def test_generated_client_against_a_live_server(generated, server):
    base, secret = server
    from peacetrack_client import AuthenticatedClient, Client
    from peacetrack_client.api.meetings import list_meetings
    from peacetrack_client.api.parties import create_party, get_party, list_parties
    from peacetrack_client.api.zones import list_zones
    from peacetrack_client.models import PartyCreate

    public = Client(base_url=base)
    zones = list_zones.sync(client=public)
    assert [(z.key, z.name_ar, z.status) for z in zones.items] == [("idlib", "إدلب", "in_force")]
    assert zones.next_cursor is None
    meetings = list_meetings.sync(client=public, limit=10)
    assert meetings.items == [] and meetings.limit == 10

    writer = AuthenticatedClient(base_url=base, token=secret)
    body = PartyCreate.from_dict({"name_en": "Russia", "name_ar": "روسيا", "role": "guarantor",
                                  "aliases": ["Moscow"]})
    made = create_party.sync_detailed(client=writer, body=body)
    assert made.status_code == 201, made.content
    assert made.headers["location"].endswith(f"/parties/{made.parsed.id}")
    party = get_party.sync(client=public, id=made.parsed.id)
    assert (party.key, party.name_ar, party.role, party.aliases) == ("russia", "روسيا", "guarantor", ["Moscow"])
    assert [p.id for p in list_parties.sync(client=public, q="روسيا").items] == [party.id]

    refused = create_party.sync_detailed(client=public, body=body)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    missing = get_party.sync_detailed(client=public, id=999999)
    assert missing.status_code == 404
