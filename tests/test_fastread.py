"""The fast read path (app/fastread.py) answers exactly what the routes answer, on Postgres.

A database holding the seed article and the reference data (committed, as in production) is
read through two apps: one with FAST_READS on (GET lists and items on asyncpg, no thread pool) and
one with it off (the routes). Every answer — status, body, ETag, content type, Link — is the same
byte for byte, for every resource, with filters, cursors, search, CSV, GeoJSON, 304, 404 and
422; and the fast path did serve the reads it should. With Postgres away it answers 503
problem+json at once; with the app's dependencies overridden (as tests do) it stands aside.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app import fastread
from app.api.crud import READABLE
from app.db import get_engine, make_engine
from app.loader.load import load_sources
from app.loader.reference import load_reference
from app.loader.sources import read_sources
from app.main import create_app
from app.settings import get_settings
from databases import postgres_database

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def loaded_url() -> Iterator[str]:
    from app.migrate import upgrade

    for url in postgres_database("peacetrack_fast"):
        upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            load_reference(session, ROOT / "seeds" / "reference")
            session.commit()
            load_sources(session, read_sources([ROOT / "seeds" / "articles"]))
        engine.dispose()
        yield url


def _client(monkeypatch, url: str, *, fast: bool) -> TestClient:
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("FAST_READS", "true" if fast else "false")
    get_settings.cache_clear()
    get_engine.cache_clear()
    return TestClient(create_app())


@pytest.fixture
def apps(monkeypatch, loaded_url) -> Iterator[tuple[TestClient, TestClient, list]]:
    served: list = []
    sent = fastread.FastSession.execute

    def counted(self, stmt, values=None):
        served.append(stmt)
        return sent(self, stmt, values)

    monkeypatch.setattr(fastread.FastSession, "execute", counted)
    with _client(monkeypatch, loaded_url, fast=True) as fast:
        fast.get("/healthz")  # the middleware stack is built with FAST_READS on
        with _client(monkeypatch, loaded_url, fast=False) as routes:
            routes.get("/healthz")
            yield fast, routes, served
    get_settings.cache_clear()
    get_engine.cache_clear()


PATHS = [
    *(f"/{name}" for name in sorted(READABLE)),
    *(f"/{name}?limit=2" for name in sorted(READABLE)),
    *(f"/{name}/1" for name in sorted(READABLE) if name != "delegations"),
    "/meetings?limit=1&cursor={cursor}", "/meetings?kind=phone_call", "/meetings?status=held&limit=3",
    "/meetings?q=روسيا", "/meetings?party_id=1&date_from=2017-01-01&date_to=2017-12-31",
    "/meetings?party_id=1&limit=1&cursor={cursor}", "/meetings?q=روسيا&limit=1&cursor={cursor}",
    "/meetings?party_id=1&kind=meeting", "/meetings?person_id=1&date_to=2017-12-31",
    "/meetings?updated_since=2000-01-01T00:00:00Z", "/meetings?format=csv", "/zones?format=geojson",
    "/zones?status=requested&bbox=35,32,39,37", "/persons?q=لافروف", "/parties?q=الروسي",
    "/articles?q=استانا", "/articles?language=ar", "/zones?name=إدلب",
]


def _same(a, b) -> None:
    assert (a.status_code, a.content) == (b.status_code, b.content), (a.text[:300], b.text[:300])
    for header in ("etag", "content-type", "link", "deprecation", "retry-after"):
        assert a.headers.get(header) == b.headers.get(header), header


def test_every_read_answers_the_same_bytes_as_the_routes(apps):
    fast, routes, served = apps
    first = routes.get("/meetings?limit=1").json()
    for path in PATHS:
        path = path.replace("{cursor}", first["next_cursor"] or "")
        served.clear()
        a, b = fast.get(path), routes.get(path)
        _same(a, b)
        assert a.status_code == 200, (path, a.text[:300])
        assert served, f"{path} was not served by the fast path"
    # the seed's meetings and zones are there, as the README promises
    assert fast.get("/meetings").json()["items"] and fast.get("/zones").json()["items"]


@pytest.mark.parametrize("path, headers, status", [
    ("/meetings/999999", {}, 404),          # the item's 404 problem
    ("/meetings?limit=501", {}, 422),       # the route's validation (the fast path stands aside)
    ("/meetings?cursor=garbage", {}, 422),  # a cursor that is not ours
    ("/meetings?colour=red", {}, 422),      # an unknown parameter
    ("/meetings?q=a%00b", {}, 422),         # NUL: the app-wide text guard
    ("/meetings", {"Accept": "image/png"}, 406),
    ("/meetings?limit=1&limit=2", {}, 200),  # a repeated parameter: the route's rule decides
])
def test_errors_and_edge_cases_are_the_routes(apps, path, headers, status):
    fast, routes, _ = apps
    a, b = fast.get(path, headers=headers), routes.get(path, headers=headers)
    _same(a, b)
    assert a.status_code == status


def test_304_with_the_etag_of_either(apps):
    fast, routes, _ = apps
    tag = routes.get("/zones").headers["etag"]
    assert fast.get("/zones", headers={"If-None-Match": tag}).status_code == 304


def test_overridden_dependencies_go_to_the_routes(apps):
    fast, _, served = apps
    from app.api.deps import get_session

    fast.app.dependency_overrides[get_session] = lambda: (_ for _ in ()).throw(RuntimeError("used"))
    try:
        served.clear()
        with pytest.raises(RuntimeError, match="used"):
            fast.get("/meetings")
        assert not served
    finally:
        fast.app.dependency_overrides.clear()


def test_postgres_away_answers_503_at_once(monkeypatch):
    dead = make_url("postgresql+psycopg://postgres@127.0.0.1:1/nothing").render_as_string(hide_password=False)
    with _client(monkeypatch, dead, fast=True) as client:
        started = time.monotonic()
        r = client.get("/meetings")
        took = time.monotonic() - started
    get_settings.cache_clear()
    get_engine.cache_clear()
    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
    assert int(r.headers["Retry-After"]) > 0 and r.json()["instance"] == "/meetings"
    assert took < 5, took


def test_the_fast_pool_keeps_the_database_limits(apps):
    """The asyncpg pool is bounded like the routes' and its statements time out like theirs."""
    fast, _, _ = apps
    fast.get("/meetings")
    node = fast.app.middleware_stack
    while not isinstance(node, fastread.FastReads):
        node = node.app
    settings = get_settings()
    assert node.pool.get_max_size() == settings.db_pool_size
    timeout = fast.portal.call(node.pool.fetchval, "SHOW statement_timeout")
    assert timeout == f"{settings.db_statement_timeout_ms // 1000}s"
