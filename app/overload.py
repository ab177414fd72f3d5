"""Overload: at most MAX_CONCURRENT_REQUESTS are served at once; one more answers 503
problem+json with Retry-After at once, instead of waiting in a queue without end (where every
request would then time out together). /healthz is always answered: the process lives."""

from __future__ import annotations

import asyncio

import orjson
from sqlalchemy.engine import make_url
from starlette.types import ASGIApp, Receive, Scope, Send

from app.errors import TYPE_BASE
from app.settings import get_settings

EXEMPT = ("/healthz",)


class ConcurrencyLimit:
    def __init__(self, app: ASGIApp):
        self.app = app
        self.active = 0  # one event loop: no lock needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT:
            return await self.app(scope, receive, send)
        settings = get_settings()
        if self.active >= settings.max_concurrent_requests:
            return await self._reject(scope, send, settings.retry_after_seconds)
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1

    async def _reject(self, scope: Scope, send: Send, retry_after: int) -> None:
        await reject(scope, send, retry_after, "too many requests in progress")


class SerialWrites:
    """SQLite has one writer at a time. On SQLite, write requests wait their turn here, on the
    event loop, for at most SQLITE_WAIT seconds (then 503). Waiting in the thread pool instead,
    in BEGIN IMMEDIATE, fifty writers took every thread and starved the one holding the lock,
    until their busy timeouts ran out. Postgres has row locks: nothing is serialized there."""

    SAFE = ("GET", "HEAD", "OPTIONS")
    SQLITE_WAIT = 10.0

    def __init__(self, app: ASGIApp):
        self.app = app
        self.enabled = make_url(get_settings().database_url).get_backend_name() == "sqlite"
        self.lock: asyncio.Lock | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.enabled or scope["type"] != "http" or scope["method"] in self.SAFE:
            return await self.app(scope, receive, send)
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a lock belongs to one event loop (tests start several)
            self.lock, self.loop = asyncio.Lock(), loop
        try:
            await asyncio.wait_for(self.lock.acquire(), timeout=self.SQLITE_WAIT)
        except TimeoutError:
            return await reject(scope, send, get_settings().retry_after_seconds, "too many writes waiting")
        try:
            await self.app(scope, receive, send)
        finally:
            self.lock.release()


async def reject(scope: Scope, send: Send, retry_after: int, detail: str) -> None:
    body = orjson.dumps({"type": TYPE_BASE + "overloaded", "title": "The server is busy; try again shortly",
                         "status": 503, "detail": detail, "instance": scope["path"]})
    await send({"type": "http.response.start", "status": 503,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"retry-after", str(retry_after).encode())]})
    await send({"type": "http.response.body", "body": body})
