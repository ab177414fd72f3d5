"""Kept read answers (app/readcache.py): served again only while Postgres's snapshot is the one
they were built on, so never stale, whoever commits (the API, the loader, any other connection).

Against the same seed database as tests/test_fastread.py: a kept answer is byte for byte the
routes' answer, for every read; a commit by the API or by another connection is seen by the next
read; a commit while an answer is being built keeps it from being kept; If-None-Match, Accept and
the Host (the Link header) are honoured; the cache is bounded in bytes and can be turned off.
"""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url
from starlette.responses import Response

from sqlmodel import Session

from app import fastread
from app.cli_keys import create_key
from app.db import get_engine
from app.readcache import ReadCache, made
from test_fastread import PATHS, _client, _same, apps, loaded_url  # noqa: F401 - the fixtures

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def snapshots(monkeypatch) -> list[str]:
    taken: list[str] = []
    sent = fastread.FastSession.snapshot

    async def counted(self):
        taken.append(value := await sent(self))
        return value

    monkeypatch.setattr(fastread.FastSession, "snapshot", counted)
    return taken


def _sql(url: str, statement: str) -> None:
    """A commit by another connection, as the loader or another worker makes one."""
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(statement)


def _kept(fast, served: list, snapshots: list, path: str, **kw):
    """Ask until the answer comes from the kept one (one snapshot, no statement). The snapshot is
    the cluster's: a commit anywhere on the server (autovacuum's ANALYZE, another test run) rightly
    makes an ask build its answer again, so one ask alone could not show it."""
    for _ in range(20):
        served.clear(), snapshots.clear()
        response = fast.get(path, **kw)
        if not served and len(snapshots) == 1:
            return response
    pytest.fail(f"{path} was never answered from a kept answer")


def test_the_third_ask_is_answered_from_the_kept_answer_with_the_routes_bytes(apps, snapshots):
    fast, routes, served = apps
    cursor = routes.get("/meetings?limit=1").json()["next_cursor"]
    for path in PATHS:
        path = path.replace("{cursor}", cursor)
        first = fast.get(path)           # asked once: remembered, not kept (no snapshot taken)
        if path.split("?")[0].count("/") == 1:
            kept = _kept(fast, served, snapshots, path)  # built and kept, then answered from it
        else:                            # an item: read again each time, no snapshot taken
            served.clear(), snapshots.clear()
            kept = fast.get(path)
            assert served and not snapshots, path
        _same(kept, routes.get(path))
        _same(kept, first)


def test_a_commit_through_the_api_is_seen_by_the_next_read(apps):
    fast, routes, _ = apps
    for _ in range(3):
        before = fast.get("/parties?limit=500").json()["items"]
    party = before[0]
    etag = routes.get(f"/parties/{party['id']}").headers["etag"]
    with Session(get_engine()) as session:  # a key of the write scope, as `peacetrack keys create` makes
        token, _ = create_key(session, name="readcache test", scopes=["write"])
        session.commit()
    r = routes.patch(f"/parties/{party['id']}", json={"name_en": "Renamed By The API"},
                     headers={"Authorization": f"Bearer {token}", "If-Match": etag})
    assert r.status_code == 200, r.text
    after = fast.get("/parties?limit=500").json()["items"]
    assert after[0]["name_en"] == "Renamed By The API"
    _same(fast.get("/parties?limit=500"), routes.get("/parties?limit=500"))


def test_a_commit_by_another_connection_is_seen_by_the_next_read(apps, loaded_url, snapshots):
    fast, routes, served = apps
    for _ in range(3):
        fast.get("/zones?format=geojson")
    served.clear()
    _sql(loaded_url, "UPDATE zone SET name_en = 'Renamed Elsewhere', version = version + 1 "
                     "WHERE id = (SELECT min(id) FROM zone)")
    r = fast.get("/zones?format=geojson")
    assert served, "the answer was built again"
    assert "Renamed Elsewhere" in r.text
    _same(r, routes.get("/zones?format=geojson"))


def test_an_answer_built_while_something_commits_is_never_served(apps, loaded_url, monkeypatch, snapshots):
    """Its statements may have seen the commit, the snapshot it was kept with did not: the
    database's snapshot cannot come back to that one, so the next read builds the answer again."""
    fast, routes, served = apps
    path = "/meetings?limit=3"
    fast.get(path)
    sent = fastread.FastSession.execute
    commits = []

    def commit_meanwhile(self, stmt, values=None):
        if not commits:
            commits.append(1)
            fastread.await_only(_async(_sql, loaded_url, "UPDATE meeting SET summary = 'Changed meanwhile' "
                                                         "WHERE id = (SELECT min(id) FROM meeting)"))
        return sent(self, stmt, values)

    monkeypatch.setattr(fastread.FastSession, "execute", commit_meanwhile)
    torn = fast.get(path)  # built after the snapshot was taken, with a commit in between
    monkeypatch.setattr(fastread.FastSession, "execute", sent)
    served.clear()
    again = fast.get(path)
    assert commits and served, "built again: the answer kept with the older snapshot is not served"
    assert "Changed meanwhile" in torn.text and "Changed meanwhile" in again.text
    _same(again, routes.get(path))
    _same(_kept(fast, served, snapshots, path), again)  # and that one is kept


async def _async(fn, *args):
    fn(*args)


def test_if_none_match_gets_a_304_from_the_kept_answer(apps, snapshots):
    fast, routes, served = apps
    tag = fast.get("/zones").headers["etag"]
    a = _kept(fast, served, snapshots, "/zones", headers={"If-None-Match": tag})
    b = routes.get("/zones", headers={"If-None-Match": tag})
    assert (a.status_code, a.content) == (304, b"")
    assert {k: v for k, v in a.headers.items()} == {k: v for k, v in b.headers.items()}
    assert fast.get("/zones", headers={"If-None-Match": '"other"'}).status_code == 200


def test_accept_and_host_keep_answers_apart(apps):
    fast, routes, _ = apps
    for _ in range(3):
        fast.get("/meetings?limit=1", headers={"Accept": "text/csv"})
        fast.get("/meetings?limit=1")
        fast.get("/meetings?limit=1", headers={"Host": "elsewhere.example"})
    _same(fast.get("/meetings?limit=1", headers={"Accept": "text/csv"}),
          routes.get("/meetings?limit=1", headers={"Accept": "text/csv"}))
    _same(fast.get("/meetings?limit=1"), routes.get("/meetings?limit=1"))
    other = fast.get("/meetings?limit=1", headers={"Host": "elsewhere.example"})
    assert other.headers["link"].startswith("<http://elsewhere.example/meetings?")


def test_turned_off_every_read_runs_its_statements(monkeypatch, loaded_url):
    monkeypatch.setenv("READ_CACHE_MB", "0")
    served: list = []
    sent = fastread.FastSession.execute
    monkeypatch.setattr(fastread.FastSession, "execute", lambda self, s, v=None: served.append(s) or sent(self, s, v))
    with _client(monkeypatch, loaded_url, fast=True) as fast:
        for _ in range(3):
            served.clear()
            assert fast.get("/zones").status_code == 200 and served


def _response(size: int) -> Response:
    return Response(b"x" * size, headers={"ETag": '"t"'})


def test_the_cache_is_bounded_in_bytes_least_recently_used_out_first():
    cache = ReadCache(max_bytes=10_000)
    scope = {"type": "http", "scheme": "http", "server": ("h", 80), "root_path": "", "path": "/zones",
             "query_string": b"", "headers": []}
    keys = []
    for n in range(5):
        s = {**scope, "query_string": f"limit={n}".encode()}
        assert cache.admit(s) is None  # the first ask is only remembered
        keys.append(key := cache.admit(s))
        cache.put(key, made(_response(3_000), "1:1:"))
    assert sum(1 for k in keys if k in cache.answers) == 3  # 3 of about 3,250 bytes fit in 10,000
    assert keys[-1] in cache.answers and keys[0] not in cache.answers
    cache.put(keys[0], made(_response(20_000), "1:1:"))  # larger than the whole cache
    assert keys[0] not in cache.answers
    assert cache.get(keys[-1], "1:1:") is not None and cache.get(keys[-1], "1:2:") is None
    assert made(Response(b"{}", status_code=404, headers={"ETag": '"t"'}), "1:1:") is None


def test_the_keys_asked_for_once_are_bounded_in_bytes_too():
    """Long URLs asked for once each (a crawler, an attacker) cannot grow the memory of keys."""
    cache = ReadCache(max_bytes=160_000)  # 10,000 bytes of keys
    scope = {"type": "http", "scheme": "http", "server": ("h", 80), "root_path": "", "path": "/meetings",
             "headers": []}
    for n in range(100):
        cache.admit({**scope, "query_string": f"q={n:04d}{'x' * 1000}".encode()})
    assert cache.seen.currsize <= 10_000 and 5 <= len(cache.seen) <= 9
    assert cache.admit({**scope, "query_string": f"q={99:04d}{'x' * 1000}".encode()}) is not None
