"""The loader under faults, as a user runs it (`peacetrack load`, separate processes):

- two processes loading the same articles at once end with each article once and each fact once;
- a load killed with SIGKILL in the middle of the batch, then run again, ends with every article
  loaded once and exactly the facts of an uninterrupted load: none partial, none twice; its
  extraction worker does not outlive it;
- Ctrl-C stops a load quietly, worker included.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.db import make_engine
from app.models import Article, Evidence
from databases import fresh_database

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
ARTICLES = ["a01.json", "a03.json", "a07.json", "d01.json", "d02.json", "d03.json"]
TABLES = ["article", "evidence", "meeting", "meeting_participant", "round", "delegation", "party", "person",
          "zone", "place", "process"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    if not all((DEV / a).exists() for a in ARTICLES):
        pytest.skip(f"no corpus at {DEV}")
    folder = tmp_path_factory.mktemp("batch")
    shutil.copytree(ROOT / "seeds" / "reference", folder / "reference")
    (folder / "articles").mkdir()
    for name in ARTICLES:
        shutil.copy(DEV / name, folder / "articles" / name)
    return folder


def load(url: str, batch: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.Popen([str(Path(sys.executable).parent / "peacetrack"), "load", str(batch), "--json"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def gone(pids: list[int], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while any(Path(f"/proc/{p}").exists() and "zombie" not in _state(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _state(pid: int) -> str:
    try:
        return next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State:"))
    except (OSError, StopIteration):
        return "zombie"


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    finally:
        engine.dispose()


def facts_per_article(url: str) -> dict[str, tuple]:
    """content hash -> the (subject type, start, end) of each of its evidence rows."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(Article.content_hash, Evidence.subject_type, Evidence.start, Evidence.end)
                                .join(Evidence, Evidence.article_id == Article.id, isouter=True)).all()
    finally:
        engine.dispose()
    out: dict[str, list] = {}
    for digest, *fact in rows:
        out.setdefault(digest, [])
        if fact[0] is not None:
            out[digest].append(tuple(fact))
    return {k: tuple(sorted(v)) for k, v in out.items()}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def reference(request, batch, tmp_path_factory):
    """One uninterrupted load: what every other way of loading must end with."""
    with fresh_database(request.param, tmp_path_factory.mktemp("reference")) as url:
        proc = load(url, batch)
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()[-2000:]
        got = counts(url)
        assert got["article"] == len(ARTICLES) and got["evidence"] > 0, got
        yield request.param, got, facts_per_article(url)


def test_a_load_killed_mid_batch_then_rerun_ends_as_if_uninterrupted(reference, batch, tmp_path):
    kind, expected_counts, expected_facts = reference
    with fresh_database(kind, tmp_path) as url:
        proc = load(url, batch)
        engine = make_engine(url)
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and proc.poll() is None:
                with engine.connect() as conn:
                    try:
                        n = conn.execute(select(func.count()).select_from(Article)).scalar_one()
                    except Exception:  # the schema is being used; try again
                        n = 0
                if n >= 2:
                    break
                time.sleep(0.05)
        finally:
            engine.dispose()
        assert proc.poll() is None, "the load ended before it could be killed; make the batch larger"
        workers = children(proc.pid)  # the extraction worker (app/loader/ahead.py)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert gone(workers), "the extraction worker outlived its loader"
        partial = counts(url)
        assert 2 <= partial["article"] < expected_counts["article"], partial
        # what was committed is whole: every article there has all of its facts
        got = facts_per_article(url)
        assert all(got[d] == expected_facts[d] for d in got), "an article with part of its facts"

        rerun = load(url, batch)
        out, err = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, err.decode()[-2000:]
        report = json.loads(out)
        assert report["failures"] == [], report["failures"]
        assert counts(url) == expected_counts
        assert facts_per_article(url) == expected_facts


def test_two_loads_at_once_store_each_article_and_fact_once(reference, batch, tmp_path):
    """Two `peacetrack load` of the same batch at once take turns (app.loader.load.take_turn):
    each article and each fact ends up stored once, as if loaded alone."""
    kind, expected_counts, expected_facts = reference
    with fresh_database(kind, tmp_path) as url:
        procs = [load(url, batch) for _ in range(2)]
        outs = [p.communicate(timeout=600) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert p.returncode == 0, err.decode()[-2000:]
        got = counts(url)
        assert got["article"] == expected_counts["article"], got
        facts = facts_per_article(url)
        assert set(facts) == set(expected_facts)
        # the same facts, once each (an article's evidence the same as loading it alone)
        assert facts == expected_facts
        assert got == expected_counts, (got, expected_counts)


def test_ctrl_c_stops_a_load_quietly_and_leaves_no_process(batch, tmp_path):
    """Ctrl-C in a terminal sends SIGINT to the whole process group: the loader and its extraction
    worker. The load stops (what it committed stays whole), the worker goes with it, and nothing but
    the loader speaks: no traceback of the worker's."""
    many = tmp_path / "many"
    shutil.copytree(batch / "reference", many / "reference")
    (many / "articles").mkdir()
    for n in range(150):  # distinct texts, so that every one is loaded
        doc = json.loads((batch / "articles" / ARTICLES[n % len(ARTICLES)]).read_text(encoding="utf-8"))
        doc["text"] += f"\n\n({n})"
        (many / "articles" / f"a{n:03}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with fresh_database("sqlite", tmp_path) as url:
        env = {**os.environ, "DATABASE_URL": url}
        proc = subprocess.Popen([str(Path(sys.executable).parent / "peacetrack"), "load", str(many), "--json"], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None and not children(proc.pid):
            time.sleep(0.05)
        time.sleep(1.0)  # into the batch
        assert proc.poll() is None, "the load ended before it could be interrupted; make the batch larger"
        workers = children(proc.pid)
        assert workers, "no extraction worker"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode != 0
        assert "Traceback" not in err.decode() and "KeyboardInterrupt" not in err.decode(), err.decode()[-2000:]
        assert gone(workers)
        got = facts_per_article(url)
        assert 0 < len(got) < 150
