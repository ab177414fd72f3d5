"""Arabic extraction rules: rounds, parties, persons, meetings and zones of one article.

A pure step: text and gazetteer in, rows with evidence out. The work is split by what it finds:
arabic_text (normalized text, clauses, actors), arabic_dates, arabic_persons, arabic_rounds,
arabic_meetings (with arabic_sides: who takes part), arabic_zones. Every pattern is written in
ordinary Arabic and folded once at import, so it matches whatever the hamza, alef, taa marbuta
and diacritics of the article.
"""

from __future__ import annotations

from app.extract.arabic_groups import find_new_groups
from app.extract.arabic_meetings import find_meetings
from app.extract.arabic_persons import find_new_persons
from app.extract.arabic_rounds import find_rounds
from app.extract.arabic_sides import facilitators
from app.extract.arabic_text import Doc, build, key, party_ref
from app.extract.arabic_zones import find_zones
from app.extract.gazetteer import Gazetteer
from app.extract.types import ExtractedParty, ExtractedPerson, Extraction


def extract_into(result: Extraction, text: str, gazetteer: Gazetteer) -> None:
    doc = build(result, text, gazetteer)
    find_new_groups(doc)
    find_new_persons(doc)
    result.persons = _persons(doc)
    result.rounds, days = find_rounds(doc)
    result.meetings = find_meetings(doc, days)
    result.zones = find_zones(doc)
    result.parties = _parties(doc)


def _persons(doc: Doc) -> list[ExtractedPerson]:
    out: dict[int, ExtractedPerson] = {}
    seen_keys: dict[str, int] = {}
    for a in doc.actors:
        if a.ref.type != "person":
            continue
        ident = seen_keys.setdefault(a.ref.key, id(a.ref)) if a.ref.key else id(a.ref)
        if ident in out:
            continue
        entry = doc.gaz.get("person", a.ref.key) if a.ref.key else None
        i = doc.sentence_of(a.start)
        out[ident] = ExtractedPerson(
            ref=a.ref, title=entry.data.get("title_ar") if entry else None,
            evidence=doc.sentence_span(i), confidence=0.9 if entry else 0.6,
            name_en=entry.name_en if entry else None,
            name_ar=entry.name_ar if entry else a.ref.names[0])
    return list(out.values())


def _parties(doc: Doc) -> list[ExtractedParty]:
    """The sides the article names, its sponsors and mediators, and the host countries of its
    talks; not the country at war itself when its government is named as a side (سوريا beside
    الحكومة السورية: a group of that country is no government), nor a collective (الدول الضامنة)."""
    named = [(a.ref.key, doc.sentence_of(a.start), None) for a in doc.actors if a.ref.type == "party"]
    for i, (start, end) in enumerate(doc.sents):
        named += [(r.key if r.type == "party" else r.party_key, i, "mediator") for r in facilitators(doc, start, end)]
    named += [(r.key, 0, "host") for r in doc.hosts]
    entries = {k: doc.gaz.get("party", k) for k, _, _ in named if k}
    # the state whose own government is named (not one whose rebels are: «حركة إم 23» leaves الكونغو)
    at_war = {e.data.get("country") for e in entries.values() if e and e.data.get("party_kind") == "government"}
    out: dict[str, ExtractedParty] = {}
    for k, i, role in named:
        entry = entries.get(k)
        if not entry or k in out or k in at_war or key(entry.name_ar or "").startswith("الدول "):
            continue
        out[k] = ExtractedParty(
            ref=party_ref(entry), role=entry.data.get("role") or role, evidence=doc.sentence_span(i),
            confidence=0.9 if role is None else 0.7, name_en=entry.name_en, name_ar=entry.name_ar)
    for a in doc.actors:  # groups new to the gazetteer (arabic_groups), by their names
        if a.ref.type == "party" and a.ref.key is None and a.group not in out:
            out[a.group] = ExtractedParty(ref=a.ref, role=a.role, evidence=doc.sentence_span(doc.sentence_of(a.start)),
                                          confidence=0.5, name_ar=a.ref.names[0])
    return list(out.values())
