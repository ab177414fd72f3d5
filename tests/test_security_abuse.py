"""Abuse: every write route (found in the app's own route list, so a new one cannot escape)
refuses a missing, malformed, revoked or under-scoped key; `limit` past its cap is refused; writes
are rate limited per key and failed authentications per client address (429 + Retry-After); an
overload answers 503 at once instead of queueing; CORS allows the configured origins and no other;
keys never reach the logs."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import threading

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.api.deps import get_session, hash_secret
from app.cli_keys import create_key, revoke_key
from app.main import app, create_app
from app.models import ApiKey, Meeting, Process
from app.ratelimit import TokenBucket, auth_failures
from app.settings import get_settings

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def api_routes() -> list[APIRoute]:
    """Every route of the app, with included routers flattened (FastAPI keeps them lazily)."""
    try:
        from fastapi.routing import _iter_included_route_candidates
        routes = list(_iter_included_route_candidates(app.routes))
    except ImportError:  # older FastAPI: app.routes is flat
        routes = list(app.routes)
    return [r for r in routes if isinstance(r, APIRoute)]


WRITE_ROUTES = sorted((m, r.path) for r in api_routes() for m in r.methods & WRITES)
def _list_routes() -> list[str]:
    """Every GET that takes `limit`, as the app documents it."""
    return sorted(path for path, ops in app.openapi()["paths"].items() if "get" in ops
                  and any(p["name"] == "limit" for p in ops["get"].get("parameters", [])))


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_the_route_list_is_what_we_think():
    assert len(WRITE_ROUTES) >= 25  # 9 resources x (POST, PATCH, DELETE), less article POST's own
    assert ("POST", "/articles") in WRITE_ROUTES and ("PATCH", "/meetings/{id}") in WRITE_ROUTES


@pytest.fixture
def bad_keys(session) -> dict[str, tuple[dict[str, str], int]]:
    revoked_secret, revoked = create_key(session, name="revoked", scopes=["write"])
    revoke_key(session, prefix=revoked.prefix)
    reader_secret = f"pt_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"  # a key with a read scope only
    session.add(ApiKey(name="reader", prefix=reader_secret.split("_")[1], key_hash=hash_secret(reader_secret),
                       scopes=["read"]))
    good_prefix_bad_secret = f"pt_{revoked.prefix}_{secrets.token_urlsafe(32)}"
    session.commit()
    return {
        "missing": ({}, 401),
        "empty": ({"Authorization": ""}, 401),
        "not bearer": ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        "malformed": ({"Authorization": "Bearer nonsense"}, 401),
        "unknown": ({"Authorization": f"Bearer pt_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}"}, 401),
        "wrong secret": ({"Authorization": f"Bearer {good_prefix_bad_secret}"}, 401),
        "revoked": ({"Authorization": f"Bearer {revoked_secret}"}, 401),
        "under-scoped": ({"Authorization": f"Bearer {reader_secret}"}, 403),
    }


@pytest.mark.parametrize("method,path", WRITE_ROUTES)
def test_every_write_route_refuses_bad_keys(method, path, client, writer, session, bad_keys):
    # something real at id 1.. so that a 404 cannot hide a missing check
    client.post("/processes", json={"name_en": "Astana"}, headers=writer)
    client.post("/meetings", json={"summary": "kept"}, headers=writer)
    before = (session.scalar(select(func.count()).select_from(Process)),
              session.scalar(select(func.count()).select_from(Meeting)))
    for kind, (headers, status) in bad_keys.items():
        r = client.request(method, _concrete(path), json={"name_en": "Intruder", "text": "x"},
                           headers={**headers, "If-Match": "*"})
        assert r.status_code == status, (kind, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json"), kind
        if status == 401:
            assert r.headers["WWW-Authenticate"].startswith("Bearer"), kind
    after = (session.scalar(select(func.count()).select_from(Process)),
             session.scalar(select(func.count()).select_from(Meeting)))
    assert after == before


@pytest.mark.parametrize("path", _list_routes())
def test_limit_beyond_its_cap_is_refused(path, client, writer):
    ids = {}
    for plural, body in [("processes", {"name_en": "Astana"}), ("parties", {"name_en": "Russia"}),
                         ("persons", {"name_en": "Lavrentiev"}), ("zones", {"name_en": "Idlib"})]:
        ids[plural] = client.post(f"/{plural}", json=body, headers=writer).json()["id"]
    ids["rounds"] = client.post("/rounds", json={"process_id": ids["processes"], "number": 1},
                                headers=writer).json()["id"]
    url = re.sub(r"^/(\w+)/\{[^}]+\}", lambda m: f"/{m.group(1)}/{ids[m.group(1)]}", path)
    for limit in (501, 0, -1, 10**20):
        r = client.get(url, params={"limit": limit})
        assert r.status_code == 422, (limit, r.text)
        assert r.json()["errors"][0]["field"] == "limit"
    assert client.get(url, params={"limit": 500}).status_code == 200


def test_list_routes_are_found():
    assert len(_list_routes()) >= 9


# --- rate limit ------------------------------------------------------------------------------
def test_token_bucket_refills():
    now = [0.0]
    bucket = TokenBucket(clock=lambda: now[0])
    assert [bucket.take("k", rate_per_second=1, burst=2) for _ in range(3)] == [0.0, 0.0, 1.0]
    now[0] = 0.5
    assert bucket.take("k", rate_per_second=1, burst=2) == pytest.approx(0.5)
    now[0] = 1.0
    assert bucket.take("k", rate_per_second=1, burst=2) == 0.0
    assert bucket.take("other", rate_per_second=1, burst=2) == 0.0  # per key


@pytest.fixture
def strict_rate(monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "write_burst", 3)
    monkeypatch.setattr(settings, "write_rate_per_minute", 1.0)


def test_writes_past_the_rate_get_429(client, writer, session, strict_rate):
    codes = [client.post("/processes", json={"name_en": f"Place {i}"}, headers=writer).status_code
             for i in range(3)]
    assert codes == [201, 201, 201]
    r = client.post("/processes", json={"name_en": "One too many"}, headers=writer)
    assert r.status_code == 429, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/rate-limited")
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert client.get("/processes", params={"q": "One too many"}).json()["items"] == []
    assert client.get("/processes").status_code == 200  # reads are not limited
    secret, _ = create_key(session, name="another", scopes=["write"])  # nor other keys
    session.commit()
    r = client.post("/processes", json={"name_en": "Other key"}, headers={"Authorization": f"Bearer {secret}"})
    assert r.status_code == 201


@pytest.fixture
def strict_auth_failures(monkeypatch):
    settings = get_settings()
    monkeypatch.setattr(settings, "auth_failure_burst", 3)
    monkeypatch.setattr(settings, "auth_failure_rate_per_minute", 1.0)
    now = [0.0]
    monkeypatch.setattr(auth_failures, "clock", lambda: now[0])
    return now


def test_failed_keys_past_the_burst_get_429(client, writer, session, bad_keys, strict_auth_failures):
    now = strict_auth_failures
    before = session.scalar(select(func.count()).select_from(Process))
    for kind in ("missing", "wrong secret", "revoked"):  # the burst: answered 401 as usual
        r = client.post("/processes", json={"name_en": "Intruder"}, headers=bad_keys[kind][0])
        assert r.status_code == 401, (kind, r.text)
    r = client.post("/processes", json={"name_en": "Intruder"}, headers=bad_keys["unknown"][0])
    assert r.status_code == 429, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith("/auth-rate-limited") and r.json()["status"] == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    # while the address is limited, its write requests are refused before any key is looked at
    assert client.patch("/processes/1", json={}, headers={**writer, "If-Match": "*"}).status_code == 429
    assert client.post("/processes", json={"name_en": "Kept out"}, headers=writer).status_code == 429
    assert session.scalar(select(func.count()).select_from(Process)) == before
    assert client.get("/processes").status_code == 200  # reads are not limited
    with TestClient(app, client=("203.0.113.7", 40000), raise_server_exceptions=False) as elsewhere:
        r = elsewhere.post("/processes", json={"name_en": "Intruder"}, headers=bad_keys["malformed"][0])
        assert r.status_code == 401, r.text  # per address: another client is not limited
        assert elsewhere.post("/processes", json={"name_en": "Other address"}, headers=writer).status_code == 201
    now[0] = 60.0  # a token back
    assert client.post("/processes", json={"name_en": "Back"}, headers=writer).status_code == 201
    # a good key takes no token: the budget is spent by failures only
    assert client.post("/processes", json={"name_en": "Intruder"}, headers=bad_keys["empty"][0]).status_code == 401
    assert client.post("/processes", json={"name_en": "Intruder"}, headers=bad_keys["empty"][0]).status_code == 429


def test_under_scoped_keys_are_not_failed_authentications(client, bad_keys, strict_auth_failures):
    for _ in range(5):  # a valid key without the scope: 403 each time, never 429
        r = client.post("/processes", json={"name_en": "Intruder"}, headers=bad_keys["under-scoped"][0])
        assert r.status_code == 403, r.text


# --- overload --------------------------------------------------------------------------------
def test_an_overload_answers_503_at_once(session, monkeypatch):
    monkeypatch.setattr(get_settings(), "max_concurrent_requests", 2)
    entered, release = threading.Semaphore(0), threading.Event()

    one_at_a_time = threading.Lock()  # the held requests share the test's session

    def slow_session():  # every request holds its slot until we say so
        entered.release()
        release.wait(30)
        with one_at_a_time:
            yield session

    app.dependency_overrides[get_session] = slow_session

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=30) as c:
            held = [asyncio.ensure_future(c.get("/processes")) for _ in range(2)]
            for _ in range(2):
                while not entered.acquire(blocking=False):
                    await asyncio.sleep(0.01)
            loop = asyncio.get_running_loop()
            start = loop.time()
            extra = await asyncio.gather(*(c.get("/processes") for _ in range(5)))
            took = loop.time() - start
            assert await c.get("/healthz") is not None
            release.set()
            return await asyncio.gather(*held), extra, took

    try:
        held, extra, took = asyncio.run(scenario())
    finally:
        release.set()
        app.dependency_overrides.clear()
    assert [r.status_code for r in held] == [200, 200]
    assert [r.status_code for r in extra] == [503] * 5
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in extra)
    assert all(int(r.headers["Retry-After"]) > 0 for r in extra)
    assert took < 5.0  # refused at once, not after waiting


# --- CORS ------------------------------------------------------------------------------------
ALLOWED, DENIED = "https://analyst.example", "https://evil.example"


@pytest.fixture
def cors_client(monkeypatch):
    monkeypatch.setattr(get_settings(), "cors_origins", [ALLOWED])
    with TestClient(create_app()) as c:
        yield c


def _preflight(c, origin: str):
    return c.options("/processes", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "authorization,idempotency-key"})


def test_cors_allows_the_configured_origin_only(cors_client):
    r = _preflight(cors_client, ALLOWED)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == ALLOWED
    assert "idempotency-key" in r.headers["access-control-allow-headers"].lower()
    r = _preflight(cors_client, DENIED)
    assert r.status_code == 400 and "access-control-allow-origin" not in r.headers
    r = cors_client.get("/healthz", headers={"Origin": ALLOWED})
    assert r.headers["access-control-allow-origin"] == ALLOWED
    assert "etag" in r.headers["access-control-expose-headers"].lower()
    r = cors_client.get("/healthz", headers={"Origin": DENIED})
    assert "access-control-allow-origin" not in r.headers


def test_no_cors_by_default():
    assert get_settings().cors_origins == []
    with TestClient(app) as c:
        r = c.get("/healthz", headers={"Origin": ALLOWED})
        assert "access-control-allow-origin" not in r.headers
        assert "access-control-allow-origin" not in _preflight(c, ALLOWED).headers


# --- keys in logs ----------------------------------------------------------------------------
def test_keys_never_reach_the_logs(client, writer, caplog):
    caplog.set_level(logging.DEBUG)
    secret = writer["Authorization"].removeprefix("Bearer ")
    client.post("/processes", json={"name_en": "Logged?"}, headers=writer)
    client.post("/processes", json={"name_en": "Logged?"}, headers={"Authorization": f"Bearer {secret}x"})
    client.post("/processes", json={"name_en": 5}, headers=writer)
    assert secret not in caplog.text


# --- SSRF, database limits -------------------------------------------------------------------
def test_article_urls_are_never_fetched(client, writer, monkeypatch):
    import socket
    import urllib.request

    calls = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: calls.append(a) or [])
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: calls.append(a))
    r = client.post("/articles", json={"text": "The delegations met in Astana on Thursday.",
                                       "url": "http://169.254.169.254/latest/meta-data/iam/",
                                       "published": "2017-09-15"}, headers=writer)
    assert r.status_code == 201, r.text
    assert r.json()["article"]["url"] == "http://169.254.169.254/latest/meta-data/iam/"
    assert calls == []


@pytest.mark.postgres_only
def test_database_limits_are_set(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("statement timeouts and the pool are Postgres settings")
    from sqlalchemy import text

    settings = get_settings()
    with engine.connect() as conn:
        assert conn.execute(text("SHOW statement_timeout")).scalar() == f"{settings.db_statement_timeout_ms}ms" \
            or conn.execute(text("SHOW statement_timeout")).scalar() == f"{settings.db_statement_timeout_ms // 1000}s"
    assert engine.pool.size() == settings.db_pool_size
    assert engine.pool.timeout() == settings.db_pool_timeout
    assert engine.dialect.name == "postgresql" and engine.pool._pre_ping
