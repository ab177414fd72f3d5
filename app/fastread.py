"""Public reads on Postgres without the thread pool and without SQLAlchemy's execution layer.

Why: a point read cost 2.65 ms of CPU through the sync route, the session in the thread pool and
SQLAlchemy; the same bytes cost 0.29 ms from an async FastAPI route on a bare asyncpg pool
(bench/README.md, issue 4). Half the difference was GIL hand-offs to the thread pool, the rest
SQLAlchemy's connection and result layers.

What: an ASGI middleware in front of the routes. `GET /<resource>` and `GET /<resource>/{id}` of
every CRUD resource run the very code of their routes (`Resource.list_response` and
`Resource.get_response`: the services' statements, the same bytes, ETag, Link, CSV, GeoJSON),
given a session whose `execute()` sends the statement — compiled by SQLAlchemy once per shape —
over an asyncpg pool. The sync code runs in a greenlet (SQLAlchemy's own bridge: `greenlet_spawn`,
`await_only`), so no thread is involved. Everything else goes on to the routes: other paths and
methods, a query the resource's params model refuses (the route answers its 422), text the
database cannot store, and any request while the app's dependencies are overridden (tests that
hand the routes their own session). A database that does not answer gets the routes' 503.

On SQLite, or with FAST_READS=false, the middleware passes everything through.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import asyncpg
import orjson
from pydantic import ValidationError
from sqlalchemy.dialects.postgresql import asyncpg as pg_asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.util import await_only, greenlet_spawn
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.crud import READABLE
from app.errors import AppError, Unavailable, problem
from app.readcache import SNAPSHOT, ReadCache, answer, made, without_if_none_match
from app.services.base import MAX_ID
from app.settings import get_settings
from app.textguard import find_unstorable

log = logging.getLogger(__name__)
DIALECT = pg_asyncpg.dialect()  # numeric_dollar: $1, $2, ... as asyncpg takes them
_compiled: dict = {}  # SQLAlchemy's compiled cache for this dialect, as an engine keeps one
PATH = re.compile(r"^/([a-z]+)(?:/([0-9]{1,10}))?$")


def to_sql(stmt, values: dict[str, Any] | None = None) -> tuple[str, list[Any]]:
    """The statement as asyncpg takes it: SQL text (compiled once per shape, through SQLAlchemy's
    statement cache) and its parameters in order, through the dialect's bind processors — what
    `DefaultExecutionContext._init_compiled` does for an engine. Private SQLAlchemy API: the tests
    compare every answer of this path with the routes' (tests/test_fastread.py)."""
    compiled, extracted, collected, _ = stmt._compile_w_cache(DIALECT, compiled_cache=_compiled, column_keys=[])
    params = compiled.construct_params(values, extracted_parameters=extracted, escape_names=False,
                                       _collected_params=collected)
    processors = compiled._bind_processors
    sql, order = compiled.string, compiled.positiontup
    if compiled.literal_execute_params or compiled.post_compile_params:  # IN (...) of a list
        expanded = compiled._process_parameters_for_postcompile(params)
        sql, order, params = expanded.statement, expanded.positiontup, expanded.parameters
        processors = {**processors, **expanded.processors}
    return sql, [processors[k](params[k]) if k in processors else params[k] for k in order or ()]


class Rows(list):
    """What the read code uses of a SQLAlchemy Result: iteration and first(). The rows are
    asyncpg's records: indexed, iterated and looked up by column name (`row["id"]`) as a Row is."""

    def first(self):
        return self[0] if self else None


class FastSession:
    """The part of a Session that the read path uses, called from sync code running inside
    `greenlet_spawn`, on the one pooled connection its request holds (`FastReads._run`). No
    transaction: a GET's statements are each their own snapshot, as on the routes' autocommit
    reads."""

    def __init__(self, conn):
        self.conn = conn

    def get_bind(self):
        """What the services ask a session to pick a statement for the database: its dialect."""
        return self

    dialect = DIALECT

    def execute(self, stmt, values: dict[str, Any] | None = None) -> Rows:
        sql, args = to_sql(stmt, values)
        return Rows(await_only(self.conn.fetch(sql, *args)))

    async def snapshot(self) -> str:
        """What the database's next statement would see (app/readcache.py)."""
        return await self.conn.fetchval(SNAPSHOT)


class FastReads:
    def __init__(self, app: ASGIApp, fastapi_app):
        self.app, self.fastapi = app, fastapi_app
        settings = get_settings()
        url = make_url(settings.database_url)
        self.enabled = settings.fast_reads and url.get_backend_name() == "postgresql"
        self.dsn = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
        self.cache = ReadCache(settings.read_cache_mb << 20) if self.enabled and settings.read_cache_mb else None
        self.pool = None
        self.lock: asyncio.Lock | None = None
        self.gate: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            return await self.app(scope, receive, self._closing(send))
        if (not self.enabled or scope["type"] != "http" or scope["method"] != "GET"
                or self.fastapi.dependency_overrides or not (m := PATH.match(scope["path"]))
                or (res := READABLE.get(m[1])) is None):
            return await self.app(scope, receive, send)
        # app/readcache.py: lists only (items are cheaper to read than to keep)
        key = self.cache.admit(scope) if self.cache is not None and m[2] is None else None
        request = Request(scope if key is None else without_if_none_match(scope))
        call = self._prepare(request, res, m[2])
        if call is None:
            return await self.app(scope, receive, send)
        try:
            condition = Headers(scope=scope).get("if-none-match") if key is not None else None
            response = await self._run(call, key, condition)
        except AppError as exc:  # 404, 406, a bad cursor: what the route would answer
            response = problem(request, exc)
        except (OSError, asyncio.TimeoutError) as exc:
            log.warning("database unavailable: %s", exc)
            response = problem(request, Unavailable())
        except Exception as exc:  # noqa: BLE001 - asyncpg's errors; the route's answer decides
            if not _is_connection_error(exc):
                log.exception("fast read failed; the route answers instead")
                return await self.app(scope, receive, send)
            log.warning("database unavailable: %s", exc)
            response = problem(request, Unavailable())
        await response(scope, receive, send)

    def _prepare(self, request: Request, res, id_: str | None):
        """The call to make, or None when the route should answer (its validation, its errors)."""
        query = request.query_params
        if len(query) != len(query.keys()) or find_unstorable(dict(query)):
            return None  # a repeated or unstorable parameter: the route's own rules
        if id_ is not None:
            if query or not 1 <= int(id_) <= MAX_ID:
                return None
            return lambda session: res.get_response(request, session, int(id_))
        try:
            params = res.params.model_validate(dict(query))
        except ValidationError:
            return None
        return lambda session: res.list_response(request, session, params)

    async def _run(self, call, key=None, if_none_match: str | None = None):
        settings = get_settings()
        if self.pool is None:
            self.lock = self.lock or asyncio.Lock()
            async with self.lock:
                if self.pool is None:
                    self.gate = asyncio.Semaphore(settings.db_pool_size)
                    self.pool = await self._connect(settings)
        # requests take turns here, first come first served, as many at once as the pool has
        # connections: asyncpg's pool lets a newcomer take a freed connection before a waiter
        # (p99 of a 50-row page at 32 clients: 325 ms holding a connection throughout, 129 ms
        # taking one per statement, p90 47 ms instead of 72 behind this gate). Behind the gate a
        # request never waits for a connection, so it takes one for all its statements: one
        # acquire and release instead of one per statement (the point read's two)
        async with self.gate, self.pool.acquire(timeout=settings.db_pool_timeout) as conn:
            session = FastSession(conn)
            if key is None:
                return await greenlet_spawn(call, session)
            # app/readcache.py: the answer kept at the database's current snapshot, or built and kept
            before = await session.snapshot()
            kept = self.cache.get(key, before)
            if kept is None:
                response = await greenlet_spawn(call, session)
                if (kept := made(response, before)) is None:
                    return response
                self.cache.put(key, kept)
            return answer(kept, if_none_match)

    async def _connect(self, settings):
        async def init(conn) -> None:  # JSON columns come back parsed, as the routes' driver gives them
            for name in ("json", "jsonb"):
                await conn.set_type_codec(name, schema="pg_catalog", decoder=orjson.loads,
                                          encoder=lambda v: v if isinstance(v, str) else orjson.dumps(v).decode())

        async def keep(conn) -> None:
            """On release: nothing to reset, reads change no session state and open no transaction
            (asyncpg's default reset is a round trip of RESET ALL, UNLISTEN, ... per request)."""

        return await asyncpg.create_pool(
            # min_size=0: no background reconnecting (and logging) while the database is away
            self.dsn, min_size=0, max_size=settings.db_pool_size, init=init, reset=keep,
            timeout=settings.db_connect_timeout,
            command_timeout=settings.db_statement_timeout_ms / 1000 + 1,
            server_settings={"statement_timeout": str(settings.db_statement_timeout_ms), "timezone": "UTC"})

    def _closing(self, send: Send) -> Send:
        async def send_and_close(message) -> None:
            if message["type"] == "lifespan.shutdown.complete" and self.pool is not None:
                pool, self.pool = self.pool, None
                await pool.close()
            await send(message)
        return send_and_close


def _is_connection_error(exc: Exception) -> bool:
    return isinstance(exc, (asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
                            asyncpg.exceptions.QueryCanceledError, asyncpg.CannotConnectNowError))
