"""Alembic environment: the only source of the schema, on SQLite and Postgres alike."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import app.models  # noqa: F401  (registers every table)
from app.db import make_engine, metadata
from app.settings import get_settings

config = context.config


def run_migrations_online() -> None:
    # A caller (tests, `peacetrack migrate`) may hand us its own connection.
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine: Engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite can only ALTER in batch
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
