"""The idempotent load, on SQLite and Postgres: one transaction per article, the same text once,
names resolved to rows (and learned), the same meeting from two articles as one row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extract.types import ExtractedMeeting, ExtractedParty, ExtractedPerson, ExtractedZone, Extraction, Ref, Span
from app.loader import load as load_module
from app.loader.gazetteer_db import build_gazetteer
from app.loader.load import NO_DATE, content_hash, load_article, load_sources
from app.loader.reference import load_reference
from app.loader.resolve import KeyCache
from app.loader.sources import Failure, Source, read_sources
from app.models import (
    Article, Evidence, Meeting, MeetingParticipant, Party, Person, Place, Process, Round, Zone, ZoneStatusEvent,
)
from app.services import parties, persons, zones

ROOT = Path(__file__).resolve().parents[1]
SEED_MD = ROOT / "seeds" / "articles" / "000_16459814e9a46614.md"
TABLES = (Article, Evidence, Meeting, MeetingParticipant, Party, Person, Place, Process, Round, Zone, ZoneStatusEvent)

REFERENCE_RUSSIA_ALIASES = ["Russian delegation", "Russian", "Moscow", "الوفد الروسي", "الروسي", "موسكو"]
# A small reference set of our own, so that these tests do not move with seeds/reference.
REFERENCE = {
    "parties": """
- {key: syria, name_en: Syria, name_ar: سوريا, kind: state}
- key: syrian-opposition
  name_en: Syrian opposition
  name_ar: المعارضة السورية
  kind: opposition
  role: opposition
  country: syria
  aliases: [opposition, Syrian opposition delegation, opposition delegation, المعارضة, وفد المعارضة]
- key: russia
  name_en: Russia
  name_ar: روسيا
  kind: state
  role: guarantor
  aliases: [Russian delegation, Russian, Moscow, الوفد الروسي, الروسي, موسكو]
- {key: turkey, name_en: Turkey, name_ar: تركيا, kind: state, role: guarantor, aliases: [الوفد التركي, التركي, تركية]}
- {key: kazakhstan, name_en: Kazakhstan, name_ar: كازاخستان, kind: state, role: host}
""",
    "processes": "- {key: astana, name_en: Astana talks, name_ar: محادثات أستانا, aliases: [Astana, أستانا]}\n",
    "places": "- {key: astana, name_en: Astana, name_ar: أستانا, country: kazakhstan, lon: 71.446, lat: 51.18}\n",
    "persons": "- {key: sergei-lavrov, name_en: Sergei Lavrov, name_ar: سيرغي لافروف, party: russia, aliases: [Lavrov, لافروف]}\n",
    "zones": """
- key: idlib
  name_en: Idlib de-escalation zone
  name_ar: منطقة خفض التصعيد في إدلب
  process: astana
  aliases: [Idlib, إدلب]
  geometry: {type: Polygon, coordinates: [[[36.0, 35.5], [37.0, 35.5], [37.0, 36.5], [36.0, 36.5], [36.0, 35.5]]]}
- key: open-ring
  name_en: A zone whose ring is not closed
  geometry: {type: Polygon, coordinates: [[[36.0, 35.5], [37.0, 35.5], [37.0, 36.5], [36.0, 36.5]]]}
""",
}


def write_reference(root: Path) -> Path:
    for folder, text in REFERENCE.items():
        (root / "reference" / folder).mkdir(parents=True)
        (root / "reference" / folder / "test.yaml").write_text(text, encoding="utf-8")
    return root / "reference"


def load_known(session, root: Path):
    report = load_reference(session, root)
    session.commit()
    return report


@pytest.fixture
def reference(tmp_path) -> Path:
    return write_reference(tmp_path)


@pytest.fixture
def known(session, reference):
    return load_known(session, reference)


def counts(session) -> dict[str, int]:
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def versions(session) -> dict[str, int]:
    return {m.__name__: session.scalar(select(func.sum(m.version))) or 0
            for m in TABLES if hasattr(m, "version")}


def src(text: str, *, published: dt.date | None = dt.date(2017, 9, 15), language: str | None = None,
        title: str | None = None) -> Source:
    return Source(text=text, origin=title or "test", title=title, published=published, language=language)


# --- reference data --------------------------------------------------------------------------
def test_reference_upsert_is_idempotent_and_reports_bad_records(session, known, reference):
    assert dict(known.created) == {"party": 5, "process": 1, "place": 1, "person": 1, "zone": 1}
    assert [(Path(w).name, why) for w, why in known.failures] == [
        ("test.yaml#open-ring", "geometry: Value error, a polygon ring must be closed (first position = last) "
                                "with 4+ positions")]
    opposition = parties.get_by_key(session, key="syrian-opposition")
    assert opposition.country_id == parties.get_by_key(session, key="syria").id
    assert persons.get_by_key(session, key="sergei-lavrov").party_id == parties.get_by_key(session, key="russia").id
    before = counts(session), versions(session)
    again = load_reference(session, reference)
    session.commit()
    assert not again.created and not again.updated and sum(again.unchanged.values()) == 9
    assert (counts(session), versions(session)) == before


def test_reference_keeps_aliases_learned_elsewhere(session, known, reference):
    russia = parties.get_by_key(session, key="russia")
    russia.aliases = [*russia.aliases, "Russian Federation"]
    session.commit()
    load_reference(session, reference)
    assert "Russian Federation" in parties.get_by_key(session, key="russia").aliases


# --- articles --------------------------------------------------------------------------------
def test_seed_loads_once(session, known):
    first = load_sources(session, read_sources([SEED_MD]))
    assert [(r.status, r.reason) for r in first.results] == [("new", None)]
    article = session.get(Article, first.results[0].article_id)
    assert (article.published, article.language, article.publisher) == (dt.date(2017, 9, 15), "ar", "Al Jazeera / الجزيرة")
    assert article.content_hash == content_hash(article.text) and article.warnings == []
    loaded = counts(session)
    assert loaded["Evidence"] > 0 and loaded["Meeting"] > 0
    snapshot = loaded, versions(session)
    second = load_sources(session, read_sources([SEED_MD]))
    assert [r.status for r in second.results] == ["unchanged"]
    assert second.results[0].article_id == article.id and not second.rows()
    assert (counts(session), versions(session)) == snapshot


def test_seed_person_spellings_become_aliases_of_one_person(session, known):
    load_sources(session, read_sources([SEED_MD]))
    found = [p for p in session.scalars(select(Person)) if "تومانوف" in (p.name_ar or "") + "|".join(p.aliases)]
    assert len(found) == 1, [(p.name_ar, p.aliases) for p in found]


def test_the_seeds_meetings_during_the_round_belong_to_it(session, known):
    load_sources(session, read_sources([SEED_MD]))
    (astana,) = session.scalars(select(Round)).all()
    assert (astana.start_date, astana.end_date) == (dt.date(2017, 9, 14), dt.date(2017, 9, 15))
    held = session.scalars(select(Meeting).where(Meeting.status == "held")).all()
    assert held and all(m.round_id == astana.id for m in held)


def test_a_bad_article_is_reported_the_rest_load_and_nothing_of_it_is_written(session, known, monkeypatch):
    real, written = load_module.store_facts, {}

    def store_then_break(session, resolver, article, extraction):
        real(session, resolver, article, extraction)  # rows and evidence are written, then:
        written[article.title] = session.scalar(select(func.count()).select_from(Evidence)
                                                .where(Evidence.article_id == article.id))
        if article.title == "bad":
            raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(load_module, "store_facts", store_then_break)
    batch = [
        src("The Syrian opposition delegation met the Russian delegation in Astana on Thursday.", title="good 1"),
        src("The Turkish delegation met the Russian delegation in Astana on Thursday.", title="bad"),
        Failure("empty.txt", "empty file"),
        src("التقى وفد المعارضة الوفد التركي في أستانا أمس الخميس.", title="good 2"),
        src("   ", title="blank"),
    ]
    report = load_sources(session, batch)
    assert [(r.origin, r.status) for r in report.results] == [
        ("good 1", "new"), ("bad", "failed"), ("empty.txt", "failed"), ("good 2", "new"), ("blank", "failed")]
    assert report.results[1].reason == "RuntimeError: the disk is on fire"
    assert report.results[4].reason == "text: the text is empty"
    assert sorted(session.scalars(select(Article.title))) == ["good 1", "good 2"]
    assert session.scalar(select(func.count()).select_from(Evidence).where(
        Evidence.article_id.not_in(select(Article.id)))) == 0
    assert written["bad"] > 0  # it had written rows before it broke; they were rolled back:
    assert [m.fingerprint for m in session.scalars(select(Meeting).order_by(Meeting.id))] == [
        "meeting|2017-09-14|party:russia+party:syrian-opposition",
        "meeting|2017-09-14|party:syrian-opposition+party:turkey"]


def test_same_meeting_in_arabic_and_english_is_one_meeting_with_two_evidence_rows(session, known):
    report = load_sources(session, [
        src("التقى وفد المعارضة السورية الوفد الروسي في أستانا أمس الخميس.", title="ar"),
        src("The Syrian opposition delegation met the Russian delegation in Astana on Thursday.", title="en"),
    ])
    assert [r.status for r in report.results] == ["new", "new"]
    meetings = list(session.scalars(select(Meeting)))
    assert len(meetings) == 1
    meeting = meetings[0]
    assert (meeting.date, meeting.kind) == (dt.date(2017, 9, 14), "meeting")
    assert meeting.fingerprint == "meeting|2017-09-14|party:russia+party:syrian-opposition"
    evidence = list(session.scalars(select(Evidence).where(Evidence.subject_type == "meeting",
                                                           Evidence.subject_id == meeting.id)))
    assert sorted(e.article_id for e in evidence) == sorted(r.article_id for r in report.results)
    assert report.rows()[("meeting", "created")] == 1 and report.rows()[("meeting", "matched")] == 1


def test_undated_meetings_of_two_articles_stay_apart(session, known):
    text = "The Syrian opposition delegation met the Russian delegation in Astana on Thursday."
    load_sources(session, [src(text, published=None), src(text + " It was tense.", published=None)])
    assert session.scalar(select(func.count()).select_from(Meeting)) == 2


def test_no_publication_date_is_a_warning_and_dates_stay_unresolved(session, known):
    text = SEED_MD.read_text(encoding="utf-8").split("---", 2)[2]
    report = load_sources(session, [src(text, published=None)])
    article = session.get(Article, report.results[0].article_id)
    assert NO_DATE in article.warnings and article.published is None
    assert session.scalar(select(func.count()).select_from(Meeting)) > 0
    assert list(session.scalars(select(Meeting.date).where(Meeting.date.is_not(None)))) == []
    assert set(session.scalars(select(Meeting.date_precision))) == {"unknown"}
    assert list(session.scalars(select(Round.start_date).where(Round.start_date.is_not(None)))) == []


def test_zone_status_and_history(session, known):
    ext = Extraction(language="en", published=dt.date(2017, 9, 15))
    span = Span(0, 10, "Idlib zone")
    ext.zones = [ExtractedZone(key="idlib", names=["Idlib"], status="agreed", evidence=span, confidence=0.8,
                               requested_by=Ref("party", "turkey", ["Turkey"]))]
    load_article(session, src("Idlib zone agreed."), gazetteer=build_gazetteer(session), extraction=ext)
    ext.zones[0].status, ext.zones[0].requested_by = "in_force", None
    load_article(session, src("Idlib zone in force."), gazetteer=build_gazetteer(session), extraction=ext)
    zone = session.scalars(select(Zone).where(Zone.key == "idlib")).one()
    assert (zone.status, zone.status_date, zone.requested_by_party_id) == ("in_force", dt.date(2017, 9, 15), None)
    history = session.scalars(select(ZoneStatusEvent.status).where(ZoneStatusEvent.zone_id == zone.id)
                              .order_by(ZoneStatusEvent.id))
    assert list(history) == ["agreed", "in_force"]
    kinds = set(session.scalars(select(Evidence.subject_type)))
    assert kinds == {"zone", "zone_status"}
    # deleting the zone takes its history and all their evidence with it: no evidence of nothing
    zones.delete(session, obj=zone)
    assert session.scalar(select(func.count()).select_from(ZoneStatusEvent)) == 0
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0


def test_new_spelling_of_a_known_person_becomes_an_alias(session, known):
    ext = Extraction(language="ar", published=dt.date(2017, 9, 15))
    span = Span(0, 5, "x")
    ext.persons = [ExtractedPerson(Ref("person", None, ["حيدر بيك توماتوف", "تومانوف"], party_key="kazakhstan"),
                                   "مدير قسم آسيا", span, 0.6)]
    load_article(session, src("أول"), gazetteer=build_gazetteer(session), extraction=ext)
    person = session.scalars(select(Person).where(Person.name_ar == "حيدر بيك توماتوف")).one()
    assert person.aliases == ["تومانوف"] and person.title_ar == "مدير قسم آسيا"
    assert person.party_id == parties.get_by_key(session, key="kazakhstan").id
    assert person.key.startswith("ar-")
    # another article: the known name by its gazetteer entry, with a spelling of its own
    ext.persons = [ExtractedPerson(Ref("person", person.key, ["حيدر بيك توماتوف", "تومانوف", "توماتوف"]),
                                   None, span, 0.9)]
    load_article(session, src("ثان"), gazetteer=build_gazetteer(session), extraction=ext)
    assert person.aliases == ["تومانوف", "توماتوف"]
    assert session.scalar(select(func.count()).select_from(Person).where(Person.name_ar.contains("توما"))) == 1


def test_meeting_two_spellings_same_row(session, known):
    """A meeting named with a spelling variant of a known party (hamza, ta marbuta) is the same meeting."""
    gaz = build_gazetteer(session)
    span = Span(0, 3, "abc")

    def meeting(*names):
        return ExtractedMeeting(kind="meeting", status="held", evidence=span, confidence=0.7, date=dt.date(2017, 9, 14),
                                participants=[Ref("party", None, [n]) for n in names])

    a = Extraction(language="ar", published=dt.date(2017, 9, 15), meetings=[meeting("المعارضة السورية", "روسيا")])
    b = Extraction(language="ar", published=dt.date(2017, 9, 15), meetings=[meeting("Russia", "Syrian opposition")])
    load_article(session, src("أ"), gazetteer=gaz, extraction=a)
    load_article(session, src("ب"), gazetteer=gaz, extraction=b)
    assert session.scalar(select(func.count()).select_from(Meeting)) == 1
    assert session.scalar(select(func.count()).select_from(Evidence).where(Evidence.subject_type == "meeting")) == 2


def test_rounds_upsert_on_number_or_start_date(session, known):
    from app.extract.types import ExtractedRound

    span = Span(0, 3, "abc")

    def article(text, *rounds):
        ext = Extraction(language="en", published=dt.date(2017, 9, 15), rounds=[
            ExtractedRound(process_key="astana", process_names=[], number=n, location_key="astana", location_names=[],
                           start=start, end=end, evidence=span, confidence=0.8) for n, start, end in rounds])
        load_article(session, src(text), gazetteer=build_gazetteer(session), extraction=ext)

    day = dt.date(2017, 9, 14)
    article("one", (6, day, None))
    article("two", (None, day, dt.date(2017, 9, 15)), (7, None, None))
    rows = [(r.number, r.start_date, r.end_date) for r in session.scalars(select(Round).order_by(Round.number))]
    assert rows == [(6, day, dt.date(2017, 9, 15)), (7, None, None)]
    assert session.scalar(select(func.count()).select_from(Evidence).where(Evidence.subject_type == "round")) == 3


def test_a_row_changed_by_another_writer_between_two_articles_is_read_again(session, known):
    """A batch holds the rows it has seen (KeyCache); one changed meanwhile (through the API) is read
    again before it is used, not written over from the batch's old copy (a lost update, or a
    StaleDataError failing the article)."""
    gazetteer, cache = build_gazetteer(session), KeyCache()
    span = Span(0, 5, "x")

    def article(text: str, names: list[str]) -> None:
        ext = Extraction(language="en", published=dt.date(2017, 9, 15))
        ext.parties = [ExtractedParty(Ref("party", "russia", names), None, span, 0.9)]
        load_article(session, src(text), gazetteer=gazetteer, extraction=ext, cache=cache)
        session.commit()
        cache.commit()

    article("one", ["Russia"])
    party = Party.__table__  # another writer: a statement on the table, which the batch's rows do not see
    session.connection().execute(party.update().where(party.c.key == "russia").values(
        aliases=[*REFERENCE_RUSSIA_ALIASES, "RF"], version=party.c.version + 1))
    session.commit()
    article("two", ["Russia", "Rossiya"])  # a new spelling: the row learns it as an alias
    stored = session.connection().execute(select(party.c.aliases, party.c.version).where(party.c.key == "russia")).one()
    assert stored.aliases == [*REFERENCE_RUSSIA_ALIASES, "RF", "Rossiya"] and stored.version == 3


def test_a_batch_commits_without_waiting_for_the_disk_and_is_durable_before_it_reports(session, known, monkeypatch):
    """Postgres: each article of a batch commits with synchronous_commit off, and the batch ends
    with one synchronous commit (make_durable), which flushes the log under all of them; a single
    unit of work outside a batch (the reference data, POST /articles) waits for the disk."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("synchronous_commit is a Postgres setting")
    real_store, real_durable, events = load_module.store_facts, load_module.make_durable, []

    def store(session, resolver, article, extraction):
        events.append(("article", session.execute(select(func.current_setting("synchronous_commit"))).scalar()))
        real_store(session, resolver, article, extraction)

    def durable(session):
        events.append(("durable", None))
        real_durable(session)

    load_module.take_turn(session)  # not in a batch: the setting is the server's
    assert session.execute(select(func.current_setting("synchronous_commit"))).scalar() == "on"
    monkeypatch.setattr(load_module, "store_facts", store)
    monkeypatch.setattr(load_module, "make_durable", durable)
    report = load_sources(session, [src("The Syrian opposition delegation met the Russian delegation.", title="a"),
                                    src("The Turkish delegation met the Russian delegation.", title="b")])
    assert report.count("new") == 2
    assert events == [("article", "off"), ("article", "off"), ("durable", None)]
