"""Every database test runs twice: on SQLite and on the real Postgres.

The schema is built by `alembic upgrade head` (never create_all), once per database per run;
each test then runs inside a transaction that is rolled back, so tests never see each other.
Postgres is found at TEST_POSTGRES_URL (default: the CI machine's 127.0.0.1:5432, database
`test`, user `postgres`); each run makes a fresh database of its own there and drops it after.
Without a reachable Postgres those tests are skipped, unless PEACETRACK_REQUIRE_POSTGRES=1
(as in CI), where that is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.api.deps import get_session
from app.cli_keys import create_key
from app.db import make_engine, unit_of_work
from app.main import app
from app.ratelimit import auth_failures
from databases import fresh_database

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """A freshly migrated database of each kind, for the whole run."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test; the code under test
    may commit (it commits a SAVEPOINT)."""
    with engine.connect() as conn:
        outer = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            yield s
        outer.rollback()


@pytest.fixture
def client(session) -> Iterator[httpx.Client]:
    def _session():
        with unit_of_work(session):  # the request's commit point, as in app.api.deps.get_session
            yield session

    app.dependency_overrides[get_session] = _session
    # Starlette's TestClient is an httpx.Client speaking to the app in-process.
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as c:
        yield c
    app.dependency_overrides.clear()


@pytest.fixture(autouse=True)
def fresh_auth_failure_limit():
    """Every test's requests come from one address ("testclient"): each test starts with that
    address's failed-key budget full (app/ratelimit.py), as it starts with a fresh writer key."""
    auth_failures.clear()
    yield
    auth_failures.clear()


@pytest.fixture
def writer(session) -> dict[str, str]:
    """Headers of a request made with a fresh API key of the write scope."""
    secret, _ = create_key(session, name="test writer", scopes=["write"])
    session.commit()  # into the test's transaction: a request that fails and rolls back keeps the key
    return {"Authorization": f"Bearer {secret}"}
