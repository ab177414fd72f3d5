"""Real concurrency, against a real uvicorn server: fifty PATCHes of one meeting with the same
If-Match give exactly one success and 412 for the rest; simultaneous POSTs with one
Idempotency-Key create one row."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from databases import fresh_database
from liveserver import live_server, write_key

N = 50


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"live-{request.param}")
    with fresh_database(request.param, tmp) as url:
        headers = write_key(url)
        with live_server(url, tmp) as server:
            yield server, headers


def _all_at_once(n: int, send) -> list[httpx.Response]:
    barrier = threading.Barrier(n)

    def one(i: int) -> httpx.Response:
        with httpx.Client(timeout=60) as c:  # a connection each: no client-side queueing
            barrier.wait()
            return send(c, i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def test_fifty_patches_with_one_etag_give_one_success(live):
    server, writer = live
    base = server.base_url
    r = httpx.post(base + "/meetings", json={"summary": "before"}, headers=writer)
    assert r.status_code == 201, r.text
    location = r.headers["Location"]
    etag = httpx.get(location).headers["ETag"]

    responses = _all_at_once(N, lambda c, i: c.patch(location, json={"summary": f"writer {i}"},
                                                      headers={**writer, "If-Match": etag}))
    codes = sorted(r.status_code for r in responses)
    odd = {r.status_code: r.text for r in responses if r.status_code not in (200, 412)}
    assert codes.count(200) == 1, (codes, odd)
    assert codes.count(412) == N - 1, (codes, odd)
    for r in responses:
        if r.status_code == 412:
            assert r.headers["content-type"].startswith("application/problem+json")
    winner = next(r for r in responses if r.status_code == 200).json()
    now = httpx.get(location).json()
    assert now["summary"] == winner["summary"] and now["version"] == 2


def test_patch_without_if_match_is_428(live):
    server, writer = live
    r = httpx.post(server.base_url + "/meetings", json={"summary": "x"}, headers=writer)
    location = r.headers["Location"]
    r = httpx.patch(location, json={"summary": "y"}, headers=writer)
    assert r.status_code == 428 and r.headers["content-type"].startswith("application/problem+json")
    r = httpx.delete(location, headers=writer)
    assert r.status_code == 428
    assert httpx.get(location).json()["summary"] == "x"


def test_simultaneous_posts_with_one_idempotency_key_create_once(live):
    server, writer = live
    base = server.base_url
    before = httpx.get(base + "/processes", params={"limit": 500}).json()["items"]
    headers = {**writer, "Idempotency-Key": "race-1"}
    responses = _all_at_once(10, lambda c, i: c.post(base + "/processes", json={"name_en": "Race"},
                                                      headers=headers))
    codes = sorted(r.status_code for r in responses)
    assert set(codes) <= {201, 409}, codes
    created = {r.headers["Location"] for r in responses if r.status_code == 201}
    assert len(created) == 1, codes
    after = httpx.get(base + "/processes", params={"limit": 500}).json()["items"]
    assert len(after) == len(before) + 1
    # and afterwards, a retry is a replay
    r = httpx.post(base + "/processes", json={"name_en": "Race"}, headers=headers)
    assert r.status_code == 201 and r.headers["Idempotent-Replayed"] == "true"
