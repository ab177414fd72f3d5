"""Loading speed and memory on the real Postgres: articles per second through the whole loader
(extract + resolve + write, one commit per article), against a baseline measured in the same
run (the same articles stored as bare rows, one commit each, committed as the loader's batch
commits: the least a loader must write);
and the peak resident memory while loading a long batch, read at checkpoints, to show it stays
flat as the batch grows. Prints one JSON line.

    .venv/bin/python bench/load_bench.py [--articles 500] [--memory-articles 10000] [--template DB]

Articles are the dev corpus's, each made distinct by a numbered closing line, so every one is
new to the loader (and the same meetings recur across them, as in real news).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import resource
import time
import uuid
from pathlib import Path

import orjson
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.db import make_engine
from app.loader.load import content_hash, load_sources, loader_bind, make_durable
from app.loader.reference import load_reference
from app.loader.sources import Source
from app.migrate import upgrade
from app.models import Article

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "dev"
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def articles(start: int, count: int):
    docs = [orjson.loads(p.read_bytes()) for p in sorted(CORPUS.glob("*.json"))]
    for n, doc in zip(range(start, start + count), itertools.cycle(docs)):
        yield Source(text=f"{doc['text']}\n\n({n})", origin=f"bench-{n}", title=doc["title"],
                     publisher=doc.get("publisher"), published=dt.date.fromisoformat(doc["published"]),
                     language=doc["lang"])


def fresh_database(admin, template: str | None = None) -> str:
    """A new database: empty, or a copy of `template` (e.g. the read benchmark's 1M meetings)."""
    name = f"peacetrack_loadbench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        # FILE_COPY: a copy of 1.5 GB written to the WAL (PG 15's default) left the checkpointer
        # flushing it through the measurement (commits 2x slower, bare rows 650 -> 300/s); then a
        # CHECKPOINT, so the load starts on a settled database
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        conn.execute(text("CHECKPOINT"))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return name, url


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--memory-articles", type=int, default=10_000)
    parser.add_argument("--template", help="load into a copy of this database (issue 4: the rates on "
                                           "the read benchmark's data set, e.g. peacetrack_bench)")
    args = parser.parse_args()
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    made = []
    try:
        name, url = fresh_database(admin, args.template)
        made.append(name)
        engine = make_engine(url)
        with Session(engine) as session:
            load_reference(session, ROOT / "seeds" / "reference")
            session.commit()

        # baseline: bare article rows, one commit each, committed as the loader's batch commits
        # (without waiting for the disk, then one flush: app.loader.load.make_durable)
        start = time.perf_counter()
        with engine.connect() as conn, Session(conn) as session:
            conn.exec_driver_sql("SET synchronous_commit = off")
            for src in articles(1_000_000, args.articles):
                session.add(Article(text=src.text, title=src.title, publisher=src.publisher,
                                    published=src.published, language=src.language,
                                    content_hash=content_hash(src.text)))
                session.commit()
            conn.exec_driver_sql("SET synchronous_commit = on")
            make_durable(session)
        baseline = args.articles / (time.perf_counter() - start)

        start = time.perf_counter()
        with Session(loader_bind(engine), expire_on_commit=False) as session:  # as `peacetrack load` has it
            report = load_sources(session, articles(0, args.articles))
        ours = args.articles / (time.perf_counter() - start)
        failed, ahead = report.count("failed"), report.extracted_ahead

        # memory: one long batch, peak RSS read as it grows
        checkpoints = {n for n in (1_000, args.memory_articles // 2, args.memory_articles) if n}
        peaks: dict[int, float] = {}

        def note(_result, seen=itertools.count(1)):
            n = next(seen)
            if n in checkpoints:
                peaks[n] = round(rss_mib(), 1)

        if args.memory_articles:  # 0: the rates only
            with Session(loader_bind(engine), expire_on_commit=False) as session:
                load_sources(session, articles(2_000_000, args.memory_articles), on_result=note)
        engine.dispose()
        first, last = (peaks[min(peaks)], peaks[max(peaks)]) if peaks else (0.0, 0.0)
        print(json.dumps({
            "bench": "load", "database": "postgres", "template": args.template, "articles": args.articles,
            "failed": failed, "extracted_ahead": ahead,
            "baseline_bare_rows_per_s": round(baseline, 1), "load_articles_per_s": round(ours, 1),
            "ratio_load_to_baseline": round(ours / baseline, 4),
            "peak_rss_mib_at": peaks, "rss_growth_first_to_last_checkpoint_mib": round(last - first, 1),
            # the extraction worker's own peak (app/loader/ahead.py), read once it has ended
            "worker_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        }))
    finally:
        with admin.connect() as conn:
            for name in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
