"""Extraction ahead of loading (app/loader/ahead.py): a worker process extracts a batch's next
articles, and what is loaded is exactly what one process would load."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.extract import pipeline
from app.extract.gazetteer import Entry, Gazetteer
from app.loader import ahead as ahead_module
from app.loader.ahead import DEPTH, Ahead
from app.loader.gazetteer_db import teach
from app.loader.load import check, load_sources
from app.loader.sources import Failure, Source
from app.models import Evidence, Meeting, Party, Person, Round
from app.settings import get_settings
from test_loader import load_known, write_reference

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "seeds" / "reference"
# a party no reference file knows: the lesson that changes what the next articles say
LESSON = [Entry("party", "blue-river-front", "Blue River Front", "جبهة النهر الأزرق", [],
                {"role": "opposition", "country": None, "party_kind": "armed_group"})]
TEXT = "The Blue River Front met the Russian delegation in Astana on Thursday, a spokesman said."


def src(text: str, n: int) -> Source:
    return Source(text=f"{text}\n\n({n})", origin=f"a{n}", published=dt.date(2017, 9, 15))


def extract_here(source: Source, gazetteer: Gazetteer):
    data = check(source)
    return pipeline.extract(data.text, gazetteer=gazetteer, published=data.published, language=data.language)


def test_an_extraction_made_before_a_lesson_is_made_again_here():
    untaught, gazetteer = Gazetteer.from_reference_dir(REFERENCE), Gazetteer.from_reference_dir(REFERENCE)
    sources = [src(TEXT, n) for n in range(DEPTH + 4)]
    ahead, got = Ahead(gazetteer, prepare=check), []
    for i, (item, extraction) in enumerate(ahead.items(sources)):
        assert item is sources[i]
        got.append(extraction)
        if i == 0:  # the first article's commit teaches the batch's gazetteer a new party
            teach(gazetteer, LESSON)
            ahead.taught(LESSON)
    # asked for before the lesson: the first one is used, the next DEPTH + 1 are made again here
    assert [e is not None for e in got] == [True] + [False] * (DEPTH + 1) + [True, True]
    assert got[0] == extract_here(sources[0], untaught)
    # the worker learned the lesson: what it extracts afterwards names the new party, as here
    last = extract_here(sources[-1], gazetteer)
    assert got[-1] == last != extract_here(sources[-1], untaught)
    assert any(p.ref.key == "blue-river-front" for p in last.parties)
    assert (ahead.used, ahead.redone) == (3, DEPTH + 1)
    assert ahead.worker is None and ahead.conn is None  # the worker is gone with the batch


def test_what_fails_in_the_worker_is_extracted_here(monkeypatch):
    real = ahead_module.extract

    def breaks_on_boom(text, **kwargs):  # the worker is forked: it runs this
        if "boom" in text:
            raise RuntimeError("a rule broke")
        return real(text, **kwargs)

    monkeypatch.setattr(ahead_module, "extract", breaks_on_boom)
    sources = [src(TEXT, 0), src(TEXT + " boom", 1), Failure("x.txt", "unreadable"), Source(text="   ", origin="a3"), src(TEXT, 4)]
    ahead = Ahead(Gazetteer.from_reference_dir(REFERENCE), prepare=check)
    got = [(item.origin, extraction is not None) for item, extraction in ahead.items(sources)]
    # a failure or an empty text is never sent; what broke in the worker comes back as None
    assert got == [("a0", True), ("a1", False), ("x.txt", False), ("a3", False), ("a4", True)]


def test_off_or_alone_there_is_no_worker():
    gazetteer = Gazetteer.from_reference_dir(REFERENCE)
    ahead = Ahead(gazetteer, prepare=check, enabled=False)
    assert [e for _, e in ahead.items([src(TEXT, 0), src(TEXT, 1)])] == [None, None]
    alone = Ahead(gazetteer, prepare=check)
    assert [e for _, e in alone.items([src(TEXT, 0)])] == [None]
    assert alone.used == alone.redone == 0


BATCH = [
    "Russian Deputy Foreign Minister Ivan Petrovsky met the Syrian opposition delegation in Astana on Thursday.",
    "Petrovsky also met the Turkish delegation in Astana on Thursday, a spokesman said.",
    "التقى وفد المعارضة الوفد التركي في أستانا أمس الخميس برعاية روسية.",
    "The Syrian opposition delegation met the Russian delegation in Astana on Thursday.",
    "Petrovsky and Sergei Lavrov held a phone call on Wednesday about the Idlib de-escalation zone.",
    "The sixth round of the Astana talks opened on Thursday in Astana.",
]


def canonical(session: Session) -> dict:
    """The stored rows by their natural keys (ids differ between two loads on Postgres)."""
    meetings = {m.id: m.fingerprint for m in session.scalars(select(Meeting))}
    names = {("party", p.id): p.key for p in session.scalars(select(Party))}
    names |= {("person", p.id): p.key for p in session.scalars(select(Person))}
    return {
        "meetings": sorted((m.fingerprint, m.status, m.closed, m.round_id is not None)
                           for m in session.scalars(select(Meeting))),
        "parties": sorted((p.key, p.name_en, p.name_ar, tuple(p.aliases)) for p in session.scalars(select(Party))),
        "persons": sorted((p.key, p.name_en, p.name_ar, tuple(p.aliases)) for p in session.scalars(select(Person))),
        "rounds": sorted((r.number or 0, str(r.start_date)) for r in session.scalars(select(Round))),
        "evidence": sorted((e.subject_type, meetings.get(e.subject_id) if e.subject_type == "meeting"
                            else names.get((e.subject_type, e.subject_id), ""), e.start, e.end, e.quote)
                           for e in session.scalars(select(Evidence))),
    }


def test_a_batch_stores_the_same_rows_with_the_worker_and_without(engine, reference, monkeypatch):
    """On SQLite and Postgres; the batch learns a new person (a lesson) and names him again."""
    stored, tallies = {}, {}
    with engine.connect() as conn:
        outer = conn.begin()
        for on in (True, False):
            monkeypatch.setattr(get_settings(), "loader_extract_ahead", on)
            attempt = conn.begin_nested()
            with Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as session:
                load_known(session, reference)
                report = load_sources(session, [src(text, n) for n, text in enumerate(BATCH)])
                assert [r.status for r in report.results] == ["new"] * len(BATCH)
                stored[on], tallies[on] = canonical(session), report.rows()
            attempt.rollback()
        outer.rollback()
    assert ("person", "created") in tallies[True]
    assert stored[True] == stored[False]
    assert tallies[True] == tallies[False]


@pytest.fixture
def reference(tmp_path) -> Path:
    return write_reference(tmp_path)


def sockets_of(pid: int) -> int:
    fds = Path(f"/proc/{pid}/fd")
    return sum(1 for fd in fds.iterdir() if fd.readlink().name.startswith("socket:"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc")
def test_the_worker_holds_none_of_the_loaders_connections(session):
    """Its only socket is its own pipe: the loader's database connection (Postgres: a socket) is
    not held open by the worker, so a loader killed mid-batch leaves no transaction behind."""
    session.connection()  # the loader's connection is open when the worker forks
    ahead = Ahead(Gazetteer.from_reference_dir(REFERENCE), prepare=check)
    for i, (_, extraction) in enumerate(ahead.items([src(TEXT, n) for n in range(4)])):
        if i == 0:
            assert extraction is not None
            assert sockets_of(ahead.worker.pid) == 1
    assert ahead.worker is None


def test_what_a_gazetteer_works_out_depends_on_its_names_not_on_what_it_read_before():
    """The worker and the loader each extract a different subset of the batch with their copy;
    both must then extract as a gazetteer built with the same names would, whatever they read
    before a name was added (rules keep what they work out in Gazetteer.derived, dropped by add)."""
    import orjson

    from app.extract.gazetteer import read_reference_dir

    records = read_reference_dir(REFERENCE)
    opposition = next(r for r in records if r["kind"] == "party" and r["key"] == "syrian-opposition")
    lessons = [LESSON[0], *Gazetteer.from_records([
        {**opposition, "aliases": [*opposition.get("aliases", []), "جبهة المعارضة الموحدة"]}]).entries.values()]
    texts = [(d["text"], dt.date.fromisoformat(d["published"]))
             for d in (orjson.loads(p.read_bytes()) for p in sorted((ROOT.parent / "shared" / "corpus" / "dev").glob("*.json")))]
    if not texts:
        pytest.skip("no dev corpus beside the project")
    read_before = Gazetteer.from_records(records)
    for text, published in texts:  # fills whatever the rules keep
        pipeline.extract(text, gazetteer=read_before, published=published)
    assert read_before.derived  # the rules kept what they worked out ...
    teach(read_before, lessons)
    assert read_before.derived == {}  # ... and it went with the names it was worked out from
    fresh = Gazetteer([*Gazetteer.from_records(records).entries.values(), *lessons])
    for text, published in texts:
        assert (pipeline.extract(text, gazetteer=read_before, published=published)
                == pipeline.extract(text, gazetteer=fresh, published=published))
