"""Stage 3: load one article and everything extracted from it, idempotently.

`load_article` checks and extracts a source and writes the article, its facts and their evidence
in the caller's session, without committing: the caller's unit of work commits (POST /articles:
the request; `load_sources`: one commit per article, so an article is stored whole or not at all).
The same text (by `content_hash`) is stored once; loading it again is "unchanged" and writes
nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pydantic import ValidationError
from sqlalchemy import Engine, bindparam, select, text
from sqlmodel import Session

from app.errors import Unprocessable
from app.extract.gazetteer import Gazetteer
from app.extract.normalize import normalize
from app.extract.pipeline import extract
from app.extract.types import Extraction
from app.loader.facts import store_facts
from app.loader.ahead import Ahead
from app.loader.gazetteer_db import build_gazetteer, learned_entries, teach
from app.loader.resolve import KeyCache, Resolver, Touched
from app.loader.sources import Failure, Source
from app.models import Article, ArticleCreate
from app.services.base import on_postgres
from app.settings import get_settings
from app.textguard import find_unstorable

NO_DATE = "no publication date: relative dates are left unresolved"
LOADER_LOCK = 0x50454143  # "PEAC": the Postgres advisory lock that loaders take turns on
TURN_WAIT_MS = 600_000  # how long a loader waits for its turn before giving up
# the statements of every article, built once (their SQLAlchemy cache keys too)
TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:key)")
# the same, for an article of a batch: its commit does not wait for the WAL to reach the disk (see
# make_durable), as the Postgres manual advises for bulk loads ("Populating a Database")
TRY_LOCK_NO_WAIT = text("SELECT pg_try_advisory_xact_lock(:key), set_config('synchronous_commit', 'off', true)")
# one transaction given an id, so that its commit writes WAL and waits for it to be flushed
FLUSH = text("SELECT txid_current()")
LOCK = text("SELECT pg_advisory_xact_lock(:key)")
FIND_ARTICLE = select(Article).where(Article.content_hash == bindparam("digest"))


def loader_bind(engine: Engine) -> Engine:
    """The engine as loaders use it: on SQLite each transaction takes the write lock at BEGIN and
    waits up to TURN_WAIT_MS for it (the first load of the reference data takes a while)."""
    return engine.execution_options(sqlite_immediate=True, sqlite_busy_timeout_ms=TURN_WAIT_MS)


def take_turn(session: Session, *, in_batch: bool = False) -> None:
    """Loaders take turns, one unit of work (an article, the reference data) at a time. Two
    `peacetrack load` at once would otherwise both insert the same new names and articles, and
    one would fail on a unique key after waiting for the other. Call first in the transaction.
    Postgres: a transaction-scoped advisory lock; SQLite: the write lock taken at BEGIN
    (loader_bind). `in_batch`: the transaction's commit does not wait for the disk; the batch
    calls make_durable before it reports."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        if conn.execute(TRY_LOCK_NO_WAIT if in_batch else TRY_LOCK, {"key": LOADER_LOCK}).scalar():
            return  # the usual case, a loader alone: one statement
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {TURN_WAIT_MS}")
        conn.execute(LOCK, {"key": LOADER_LOCK})
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {get_settings().db_statement_timeout_ms}")


def make_durable(session: Session) -> None:
    """Postgres: wait until every commit of this connection so far is on disk. A batch's articles
    commit without waiting for the write-ahead log to be flushed (0.1 ms instead of 1-6 ms each, on
    this kind of machine a fifth to a third of an article's time); one synchronous commit at the
    end flushes the log up to it, and so every article before it: what the batch reports as
    loaded is durable when it reports it. Each article is still stored whole or not at all, and
    seen by readers once committed; only a crash of the server in the batch's last ~0.6 s could
    undo articles the batch had not yet reported, which the next run loads again."""
    if on_postgres(session):
        session.execute(FLUSH)
        session.commit()


def content_hash(text: str) -> str:
    """sha256 of the normalized text: the same report re-encoded, re-spaced or re-diacritized is
    the same article."""
    return hashlib.sha256(" ".join(normalize(text).split()).encode()).hexdigest()


@dataclass
class Loaded:
    origin: str
    status: str  # new | unchanged | failed
    article: Article | None = None
    article_id: int | None = None  # kept apart: a later rollback expires `article`
    reason: str | None = None
    touched: list[Touched] = field(default_factory=list)
    learned: list[tuple[str, Any]] = field(default_factory=list)  # (kind, row) with new names


def check(source: Source) -> ArticleCreate:
    """The source as the API would take it; Unprocessable naming the field when it is not."""
    if not source.text or not source.text.strip():
        raise Unprocessable("text", "the text is empty")
    try:
        data = ArticleCreate(text=source.text, title=source.title, publisher=source.publisher, url=source.url,
                             published=source.published, language=source.language)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise Unprocessable(".".join(map(str, err["loc"])) or "text", err["msg"]) from None
    # a NUL or a lone surrogate passes validation but Postgres cannot store it
    if bad := find_unstorable(data.model_dump(mode="json")):
        raise Unprocessable(*bad)
    return data


def find_article(session: Session, digest: str) -> Article | None:
    return session.scalars(FIND_ARTICLE, {"digest": digest}).first()


def run_extract(data: ArticleCreate, gazetteer: Gazetteer) -> Extraction:
    try:
        return extract(data.text, gazetteer=gazetteer, published=data.published, language=data.language)
    except Exception as exc:  # a rule that crashes fails this article, not the batch
        raise Unprocessable("text", f"extraction failed: {type(exc).__name__}: {exc}") from exc


def load_article(session: Session, source: Source, *, gazetteer: Gazetteer,
                 extraction: Extraction | None = None, cache: KeyCache | None = None) -> Loaded:
    """Store one article (no commit). Raises Unprocessable for a source that cannot be one.
    `cache`: the batch's key → id cache; the caller commits or rolls it back with the article."""
    data = check(source)
    digest = content_hash(data.text)
    if (existing := find_article(session, digest)) is not None:
        return Loaded(source.origin, "unchanged", article=existing, article_id=existing.id)
    extraction = extraction or run_extract(data, gazetteer)
    warnings = list(dict.fromkeys([*([NO_DATE] if data.published is None else []), *extraction.warnings]))
    article = Article(**data.model_dump(exclude={"language"}), language=extraction.language,
                      content_hash=digest, warnings=warnings)
    session.add(article)
    session.flush()
    resolver = Resolver(session, gazetteer, cache)
    store_facts(session, resolver, article, extraction)
    return Loaded(source.origin, "new", article=article, article_id=article.id, touched=list(resolver.touched.values()),
                  learned=[(kind, row) for (kind, _), row in resolver.learned.items()])


# --- batches -----------------------------------------------------------------------------------
class Outcome(NamedTuple):
    """What a batch keeps of one article: a few words, not its rows (memory stays flat)."""

    origin: str
    status: str  # new | unchanged | failed
    article_id: int | None
    reason: str | None


@dataclass
class BatchReport:
    results: list[Outcome] = field(default_factory=list)
    tally: Counter = field(default_factory=Counter)  # (type, action) → rows created or matched
    extracted_ahead: int = 0  # articles whose extraction the worker made (app/loader/ahead.py)

    def add(self, loaded: Loaded) -> None:
        self.results.append(Outcome(loaded.origin, loaded.status, loaded.article_id, loaded.reason))
        self.tally.update((t.type, t.action) for t in loaded.touched)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    def rows(self) -> Counter:
        """(type, action) → how many rows the batch created or matched."""
        return Counter(self.tally)

    @property
    def failures(self) -> list[Outcome]:
        return [r for r in self.results if r.status == "failed"]


@contextmanager
def one_connection(session: Session) -> Iterator[None]:
    """The session's transactions use one connection for the whole batch: one taken from the pool
    for each article also costs a ping (pool_pre_ping), ~10% of a Postgres load. A session bound
    to a connection, or already in a transaction, is left as it is. What the batch leaves open
    after its last commit (reads only: the gazetteer learning) is committed with it."""
    bind = session.bind
    if not isinstance(bind, Engine) or session.in_transaction():
        yield
        return
    with bind.connect() as conn:
        session.bind = conn
        try:
            yield
            if session.in_transaction():
                session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.bind = bind


def load_sources(session: Session, sources: Iterable[Source | Failure], *,
                 on_result: Callable[[Loaded], Any] | None = None) -> BatchReport:
    """Load a batch, committing once per article; a failed article is rolled back and reported.

    The gazetteer is built from the database once, and learns the names each article adds. The
    next articles are extracted in a worker process meanwhile (app/loader/ahead.py), with the same
    result as here.
    """
    with one_connection(session):
        return _load_batch(session, sources, on_result)


def _load_batch(session: Session, sources: Iterable[Source | Failure],
                on_result: Callable[[Loaded], Any] | None) -> BatchReport:
    report = BatchReport()
    gazetteer = build_gazetteer(session)
    cache = KeyCache()
    ahead = Ahead(gazetteer, prepare=check, enabled=get_settings().loader_extract_ahead)
    for item, extraction in ahead.items(sources):
        if isinstance(item, Failure):
            result = Loaded(item.origin, "failed", reason=item.reason)
        else:
            try:
                take_turn(session, in_batch=True)
                result = load_article(session, item, gazetteer=gazetteer, cache=cache, extraction=extraction)
                session.commit()
                cache.commit()
            except Exception as exc:  # noqa: BLE001 - reported per article, the batch goes on
                session.rollback()
                cache.rollback()
                # a database error's text runs on with the whole statement: its first line says why
                reason = exc.detail if isinstance(exc, Unprocessable) else \
                    f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
                result = Loaded(item.origin, "failed", reason=reason)
            if result.learned:  # committed: the next articles know these names
                entries = learned_entries(session, result.learned)
                teach(gazetteer, entries)
                ahead.taught(entries)
        report.add(result)
        if on_result:
            on_result(result)
    report.extracted_ahead = ahead.used
    make_durable(session)
    return report
