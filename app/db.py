"""The engine and sessions. One place decides how we talk to SQLite and Postgres."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import orjson
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel, create_engine

import app.models  # noqa: F401  (sets the naming convention, registers tables)
from app.settings import get_settings

metadata: MetaData = SQLModel.metadata


def make_engine(url: str) -> Engine:
    settings = get_settings()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_on_connect)
        # pysqlite opens transactions itself and breaks SAVEPOINT; let SQLAlchemy do it.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(
        url,
        # jsonb values (aliases, areas) decoded by orjson: the stdlib's json was a fifth of the time
        # of reading the gazetteer's 22,500 names (the same values: Postgres stores no NaN)
        json_deserializer=orjson.loads,
        pool_pre_ping=True,
        pool_size=settings.db_pool_size,
        pool_timeout=settings.db_pool_timeout,
        connect_args={
            "connect_timeout": settings.db_connect_timeout,
            "options": f"-c statement_timeout={settings.db_statement_timeout_ms} -c timezone=UTC",
        },
    )


def _sqlite_begin(conn) -> None:
    # A unit of work that writes takes SQLite's write lock at BEGIN (IMMEDIATE) and so waits its
    # turn (busy_timeout). A deferred one that read first and then writes after another writer
    # committed fails at once in WAL mode (SQLITE_BUSY_SNAPSHOT): a 503 where a 412 is due.
    options = conn.get_execution_options()
    if busy_ms := options.get("sqlite_busy_timeout_ms"):  # a loader may wait long for its turn
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(busy_ms)}")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate") else "BEGIN")


def _sqlite_on_connect(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def session_scope(engine: Engine | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session that commits once at the end of the block, or rolls back on error. `write`: it
    will write, so on SQLite it takes the write lock when it begins."""
    bind = engine or get_engine()
    if write:
        bind = bind.execution_options(sqlite_immediate=True)
    with Session(bind, expire_on_commit=False) as session, unit_of_work(session):
        yield session


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """The one commit point: commit when the block ends, roll back if it raised."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def read_without_transaction(session: Session) -> None:
    """A GET on Postgres sends no BEGIN and no COMMIT: each statement is its own transaction,
    which under READ COMMITTED sees what it would have seen inside one (every statement takes
    its own snapshot either way). Two round trips fewer per read. Call before the first statement;
    a session bound to a test's connection (already in a transaction) is left as it is."""
    bind = session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
