"""Answers of public reads, kept for as long as the database can be shown not to have changed.

Why: other services poll the same lists (`/zones`, `/meetings?party_id=...`) over and over, and a
50-row page costs 2-5 ms of CPU between the app and Postgres to build again, the same bytes every
time. At 32 clients on 2 cores that cost is the queue: p99 160-200 ms on the slower machines of
this kind (bench/README.md, issue 4).

How it stays exact: Postgres says what a statement can see by its snapshot — the oldest running
transaction (xmin), the next transaction id (xmax) and the ids running between them
(`pg_current_snapshot()`). Two equal snapshots see the same committed data: no transaction can
finish without moving xmax or leaving the running list, and a snapshot never comes back once one
has. So an answer is kept with the snapshot taken just before its statements ran, and served again
only while the database's current snapshot is still that one. If something committed while the
answer was being built (its statements may have seen it), the current snapshot can never equal
that label again: the answer is never served, and the next one built for its key replaces it. A
check is one round trip of a trivial statement. Any commit anywhere in the cluster (an API write,
the loader, another database, an ANALYZE) moves the snapshot, so the next read builds the answer
again: never stale, only rebuilt more often than strictly needed. Nothing but what the database
returns goes in an answer (no clock), so the snapshot is all it depends on besides the request.

What is kept: 200 answers of `GET` lists served by app/fastread.py, keyed by what the answer
depends on (the URL with its host, for the Link header, and Accept); If-None-Match is applied to
the kept answer, so 304s come from it too. An answer is kept from the second time its key is asked
for, so one-off reads (a client paging through) cost no extra round trip. Items are not kept: a
point read is two primary-key lookups, hardly more than the check, and read at random over a
million ids (the benchmark's pattern) remembering them only cost (3-7% of a point read's CPU).
Bounded in bytes, keys included (READ_CACHE_MB, least recently used out first; the keys asked
for once a sixteenth of it); READ_CACHE_MB=0 turns it off.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachetools import LRUCache
from starlette.datastructures import URL, Headers
from starlette.responses import Response
from starlette.types import Scope

from app.api.representation import matches

SNAPSHOT = "SELECT pg_current_snapshot()::text"
BODYLESS = (b"content-length", b"content-type")  # what a 304 leaves out of the 200's headers
OVERHEAD = 200  # bytes an entry costs beyond its strings (tuple, dataclass, the LRU's links)


@dataclass(frozen=True, slots=True)
class Kept:
    snapshot: str
    etag: str
    headers: list[tuple[bytes, bytes]]
    body: bytes


def _key_size(key: tuple[str, str]) -> int:
    return len(key[0]) + len(key[1]) + OVERHEAD


class ReadCache:
    """Both parts are bounded in bytes, keys included (a URL may be long): the answers by
    `max_bytes`, the keys asked for once by a sixteenth of it."""

    def __init__(self, max_bytes: int):
        self.answers: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=lambda entry: entry[0])
        self.seen: LRUCache = LRUCache(maxsize=max(max_bytes // 16, 1), getsizeof=lambda size: size)

    def admit(self, scope: Scope) -> tuple[str, str] | None:
        """The request's key if its answer is to be looked up and kept: it has one kept, or was
        asked for before; None the first time (remembered, so that the second time it is)."""
        key = str(URL(scope=scope)), Headers(scope=scope).get("accept", "")
        if key in self.answers or key in self.seen:
            return key
        if (size := _key_size(key)) <= self.seen.maxsize:
            self.seen[key] = size
        return None

    def get(self, key, snapshot: str) -> Kept | None:
        _, kept = self.answers.get(key, (0, None))
        return kept if kept is not None and kept.snapshot == snapshot else None

    def put(self, key, kept: Kept) -> None:
        size = _key_size(key) + len(kept.body) + sum(len(k) + len(v) for k, v in kept.headers)
        if size <= self.answers.maxsize:
            self.answers[key] = (size, kept)


def made(response: Response, snapshot: str) -> Kept | None:
    """A 200 with its ETag as it would be kept; None for anything else (not kept)."""
    etag = response.headers.get("etag")
    if response.status_code != 200 or etag is None:
        return None
    return Kept(snapshot, etag, list(response.raw_headers), bytes(response.body))


def answer(kept: Kept, if_none_match: str | None) -> Response:
    """The kept answer, or its 304 when the client holds it (as app/api/representation.respond)."""
    response = Response()
    if matches(if_none_match, kept.etag):
        response.status_code = 304
        response.body = b""
        response.raw_headers = [(k, v) for k, v in kept.headers if k not in BODYLESS]
    else:
        response.body = kept.body
        response.raw_headers = list(kept.headers)
    return response


def without_if_none_match(scope: Scope) -> Scope:
    """The request as answered for keeping: the full 200 is kept, the condition applied after."""
    return {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"if-none-match"]}
