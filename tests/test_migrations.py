"""The migrations are the only source of the schema: after `upgrade head` the database is what the
models say, on SQLite and on Postgres, and downgrade to base then upgrade again works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, inspect, text

from app.db import make_engine, metadata
from app.migrate import alembic_config, upgrade
from databases import postgres_database


@pytest.fixture(params=["sqlite", "postgres"])
def empty_url(request, tmp_path) -> Iterator[str]:
    """A database of each kind that no migration has touched."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        yield from postgres_database("peacetrack_mig")


def _plain(obj, _name, type_, _reflected, _compare_to) -> bool:
    """Alembic cannot reflect an index on an expression (lower(title)): SQLite skips it, Postgres
    gives it as text. Those are left out of the comparison and checked by name instead."""
    return type_ != "index" or all(isinstance(e, Column) for e in obj.expressions)


EXPRESSION_INDEXES = {ix.name for t in metadata.sorted_tables for ix in t.indexes
                      if not all(isinstance(e, Column) for e in ix.expressions)}


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": _plain,
                                                             "compare_server_default": False})
            diff = compare_metadata(context, metadata)
            query = ("SELECT name FROM sqlite_master WHERE type = 'index'" if conn.dialect.name == "sqlite"
                     else "SELECT indexname FROM pg_indexes")
            missing = EXPRESSION_INDEXES - set(conn.execute(text(query)).scalars())
            return diff + [("missing expression index", name) for name in sorted(missing)]
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _current(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def test_head_matches_the_models(empty_url):
    upgrade(empty_url)
    assert _current(empty_url) == ScriptDirectory.from_config(alembic_config()).get_current_head()
    diff = _differences(empty_url)
    assert diff == [], "the models and the migrations differ:\n" + "\n".join(map(str, diff))
    assert {t.name for t in metadata.sorted_tables} <= _tables(empty_url)


def test_downgrade_to_base_and_upgrade_again(empty_url):
    upgrade(empty_url)
    cfg = alembic_config(empty_url)
    command.downgrade(cfg, "base")
    assert _tables(empty_url) <= {"alembic_version"}
    assert _current(empty_url) is None
    upgrade(empty_url)
    assert _differences(empty_url) == []
    # and the schema works: a row goes in and comes out
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO process (key, name_en, aliases, search_names, version, created_at, "
                              "updated_at) VALUES ('astana', 'Astana', '[]', '|astana|', 1, "
                              "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            assert conn.execute(text("SELECT key FROM process")).scalar_one() == "astana"
    finally:
        engine.dispose()


def test_every_revision_steps_down_and_up(empty_url):
    """Each revision, one at a time: upgrade +1 and downgrade -1 both work from every point."""
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(reversed(list(script.walk_revisions())))
    cfg = alembic_config(empty_url)
    for rev in revisions:
        command.upgrade(cfg, rev.revision)
        command.downgrade(cfg, "-1")
        command.upgrade(cfg, rev.revision)
        assert _current(empty_url) == rev.revision


def test_0005_folds_the_titles_of_stored_articles(empty_url):
    """Articles stored before 0005 get their folded title: ?q= finds them as it finds new ones."""
    cfg = alembic_config(empty_url)
    command.upgrade(cfg, "0004")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            for n, title in enumerate(["مُفاوَضاتُ أستانا", None, "Astana Talks"]):
                conn.execute(text("INSERT INTO article (title, text, content_hash, warnings, version, created_at, "
                                  "updated_at) VALUES (:title, 'x', :hash, '[]', 1, CURRENT_TIMESTAMP, "
                                  "CURRENT_TIMESTAMP)"), {"title": title, "hash": f"h{n}"})
        command.upgrade(cfg, "0005")
        with engine.connect() as conn:
            folded = conn.execute(text("SELECT search_title FROM article ORDER BY id")).scalars().all()
        assert folded == ["مفاوضات استانا", "", "astana talks"]
    finally:
        engine.dispose()


def test_0006_copies_the_dates_of_stored_meetings_onto_their_participants(empty_url):
    """Participants stored before 0006 get their meeting's date (undated meetings: none), so the
    party + date filters, which read the copy, find meetings stored before the migration."""
    cfg = alembic_config(empty_url)
    command.upgrade(cfg, "0005")
    engine = make_engine(empty_url)
    stamp = "version, created_at, updated_at"
    now = "1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
    try:
        with engine.begin() as conn:
            conn.execute(text(f"INSERT INTO party (id, {stamp}, name_en, aliases, kind, role, key, search_names) "
                              f"VALUES (1, {now}, 'Russia', '[]', 'state', 'guarantor', 'russia', '|russia|')"))
            for mid, day in ((1, "2017-09-14"), (2, None)):
                conn.execute(text(f"INSERT INTO meeting (id, {stamp}, date, date_precision, kind, status) "
                                  f"VALUES (:id, {now}, :day, 'day', 'meeting', 'held')"), {"id": mid, "day": day})
                conn.execute(text("INSERT INTO meeting_participant (meeting_id, party_id) VALUES (:id, 1)"),
                             {"id": mid})
        command.upgrade(cfg, "0006")
        with engine.connect() as conn:
            copies = conn.execute(text("SELECT meeting_id, meeting_date FROM meeting_participant "
                                       "ORDER BY meeting_id")).all()
        assert [(mid, str(day) if day else None) for mid, day in copies] == [(1, "2017-09-14"), (2, None)]
    finally:
        engine.dispose()
