"""Where the tests' databases come from: one fresh Postgres database per use, made on the
server at TEST_POSTGRES_URL and dropped after. Without a reachable Postgres the caller is
skipped, unless PEACETRACK_REQUIRE_POSTGRES=1 (as in CI), where that is a failure."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("PEACETRACK_REQUIRE_POSTGRES") == "1"


def postgres_database(prefix: str = "peacetrack_test") -> Iterator[str]:
    """Yield the URL of a new, empty Postgres database; drop it afterwards."""
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no Postgres here
        admin.dispose()
        if REQUIRE_PG:
            pytest.fail(f"Postgres is required (PEACETRACK_REQUIRE_POSTGRES=1) but unreachable: {exc}")
        pytest.skip(f"no Postgres at {PG_URL}: {exc}")
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """A migrated database nobody else uses: a SQLite file, or a new Postgres database."""
    from app.migrate import upgrade

    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'peacetrack.db'}"
        upgrade(url)
        yield url
    else:
        for url in postgres_database():
            upgrade(url)
            yield url
