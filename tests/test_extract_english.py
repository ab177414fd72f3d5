"""English rules on small hand-made texts and a hand-made gazetteer (no database, no seeds)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.extract.gazetteer import Gazetteer
from app.extract.pipeline import extract

GAZ = Gazetteer.from_records([
    {"kind": "party", "key": "russia", "name_en": "Russia", "party_kind": "state",
     "aliases": ["Russian", "Moscow", "Kremlin"]},
    {"kind": "party", "key": "turkey", "name_en": "Turkey", "party_kind": "state", "aliases": ["Turkish", "Ankara"]},
    {"kind": "party", "key": "united-states", "name_en": "United States", "party_kind": "state",
     "aliases": ["U.S.", "Washington"]},
    {"kind": "party", "key": "united-nations", "name_en": "United Nations", "aliases": ["U.N."]},
    {"kind": "party", "key": "qatar", "name_en": "Qatar", "aliases": ["Doha"]},
    {"kind": "party", "key": "syrian-government", "name_en": "Syrian government", "party_kind": "government",
     "country": "syria", "aliases": ["government", "government delegation"]},
    {"kind": "party", "key": "syrian-opposition", "name_en": "Syrian opposition", "party_kind": "opposition",
     "country": "syria", "aliases": ["opposition", "opposition delegation", "rebel delegation"]},
    {"kind": "party", "key": "taliban", "name_en": "Taliban"},
    {"kind": "person", "key": "vladimir-putin", "name_en": "Vladimir Putin", "party": "russia", "aliases": ["Putin"]},
    {"kind": "person", "key": "recep-tayyip-erdogan", "name_en": "Recep Tayyip Erdogan", "party": "turkey",
     "aliases": ["Tayyip Erdogan", "Erdogan"]},
    {"kind": "person", "key": "staffan-de-mistura", "name_en": "Staffan de Mistura", "party": "united-nations",
     "aliases": ["de Mistura"]},
    {"kind": "process", "key": "astana", "name_en": "Astana talks", "aliases": ["Astana"]},
    {"kind": "place", "key": "astana", "name_en": "Astana", "aliases": ["Kazakh capital"]},
    {"kind": "place", "key": "idlib", "name_en": "Idlib", "aliases": ["Idlib province"]},
    {"kind": "zone", "key": "idlib", "name_en": "Idlib de-escalation zone", "aliases": ["Idlib zone"]},
])
THURSDAY = dt.date(2017, 9, 14)


def run(text, published=THURSDAY):
    return extract(text, gazetteer=GAZ, published=published, language="en")


def sides(meeting):
    return {p.party_key or p.key for p in meeting.participants}


def test_phone_call_with_weekday_and_attribution():
    r = run("Putin spoke by telephone with Erdogan on Tuesday, the Kremlin said.")
    [m] = r.meetings
    assert (m.kind, m.status, m.date) == ("phone_call", "held", dt.date(2017, 9, 12))
    assert sides(m) == {"russia", "turkey"}
    assert m.evidence.quote == r.sentences[0].text and 0 < m.confidence <= 1


def test_denied_meeting_is_never_held():
    r = run("The government and the opposition did not meet face to face on Wednesday.")
    [m] = r.meetings
    assert m.status == "denied"
    assert sides(m) == {"syrian-government", "syrian-opposition"}


def test_scheduled_meeting_gets_a_future_date():
    r = run("Putin and Erdogan are due to meet in Moscow on Monday.")
    [m] = r.meetings
    assert m.status == "scheduled"
    assert m.date == dt.date(2017, 9, 18)
    assert sides(m) == {"russia", "turkey"}  # "in Moscow" is the place, not a third side


def test_proposed_meeting_makes_no_row():
    assert run("Erdogan said Putin and the U.N. should meet soon.").meetings == []


def test_facilitator_hosting_and_closed_doors():
    r = run("The Taliban and the United States held talks behind closed doors in Doha on Wednesday, "
            "at a meeting hosted by Qatar.")
    [m] = r.meetings
    assert m.closed is True and m.status == "held"
    assert m.facilitator is not None and m.facilitator.key == "qatar"
    assert sides(m) == {"taliban", "united-states"}  # the host country is not at the table
    assert m.date == dt.date(2017, 9, 13)


def test_statement_date_is_not_the_event_date():
    r = run("The Kremlin said on Wednesday that Putin met Erdogan on Monday.")
    [m] = r.meetings
    assert m.date == dt.date(2017, 9, 11)


def test_yesterday_is_cross_checked_with_its_weekday():
    r = run("Putin met Erdogan yesterday (Tuesday).")
    assert r.meetings[0].date == dt.date(2017, 9, 12)  # yesterday is Wednesday: the weekday wins
    assert any("weekday mismatch" in w for w in r.warnings)


def test_no_publication_date_leaves_relative_dates_unresolved():
    r = run("Putin met Erdogan on Tuesday.", published=None)
    assert r.meetings[0].date is None


def test_separate_meetings_and_new_person_with_title():
    r = run("U.S. diplomat Henry Ensher met the government delegation and the opposition delegation "
            "separately on Tuesday. Ensher also met de Mistura.")
    new = [p for p in r.persons if p.ref.key is None]
    assert [p.ref.names for p in new] == [["Henry Ensher", "Ensher"]]
    assert new[0].ref.party_key == "united-states"
    pairs = sorted(tuple(sorted(sides(m))) for m in r.meetings)
    assert pairs == [("syrian-government", "united-states"), ("syrian-opposition", "united-states"),
                     ("united-nations", "united-states")]


def test_spelling_variants_are_one_person():
    r = run("Eastern commander Khalifa Haftar arrived late. Khalifa Hifter later met Erdogan.")
    [haftar] = [p for p in r.persons if p.ref.key is None]
    assert {"Khalifa Haftar", "Khalifa Hifter"} <= set(haftar.ref.names)


@pytest.mark.parametrize("sentence, status", [
    ("Russia and Turkey agreed on Friday to set up a de-escalation zone in Idlib province.", "agreed"),
    ("The opposition accused government forces of violating the de-escalation zone in Idlib.", "violated"),
    ("Turkey called for a safe zone in Idlib.", "requested"),
    ("Russia proposed a buffer zone in Idlib.", "proposed"),
])
def test_zone_status(sentence, status):
    [z] = run(sentence).zones
    assert (z.key, z.status) == ("idlib", status)


def test_zone_word_without_status_makes_no_row():
    assert run("Monitors will patrol the edges of the Idlib zone.").zones == []


def test_round_number_place_and_dates():
    r = run("ASTANA — The sixth round of Syria talks in the Kazakh capital, which opened on Wednesday, "
            "ended on Thursday. The next round is to be held in Astana at the end of October.")
    by_number = {x.number: x for x in r.rounds}
    assert set(by_number) == {6, 7}
    assert by_number[6].process_key == "astana" and by_number[6].location_key == "astana"
    assert (by_number[6].start, by_number[6].end) == (dt.date(2017, 9, 13), THURSDAY)
    assert by_number[7].start is None


def test_the_two_delegations_refers_back_to_the_sides_met():
    r = run("U.N. envoy Staffan de Mistura met the government delegation on Monday and then held separate "
            "talks with the opposition delegation. The two delegations did not meet face to face.")
    denied = [m for m in r.meetings if m.status == "denied"]
    assert len(denied) == 1 and sides(denied[0]) == {"syrian-government", "syrian-opposition"}
    held = sorted(tuple(sorted(sides(m))) for m in r.meetings if m.status == "held")
    assert held == [("syrian-government", "united-nations"), ("syrian-opposition", "united-nations")]
    assert all(m.date == dt.date(2017, 9, 11) for m in r.meetings if m.status == "held")


def test_unresolved_group_makes_no_row():
    assert run("Putin held talks with both men in Moscow.").meetings == []


def test_where_clause_names_who_attended():
    r = run("The plan was agreed at a meeting hosted by Putin in Moscow, where Erdogan and the U.N. envoy "
            "endorsed it.")
    [m] = r.meetings
    assert sides(m) == {"russia", "turkey", "united-nations"}
    assert m.facilitator is not None and m.facilitator.key == "vladimir-putin"


def test_venue_is_not_the_zone_and_relative_clause_gives_status():
    assert run("ASTANA — Russia and Turkey signed a ceasefire deal after talks in Astana.").zones == []
    [z] = run("Putin discussed the Idlib zone, which he said was being violated by militants.").zones
    assert (z.key, z.status) == ("idlib", "violated")


def test_deal_announced_at_a_closing_session_is_a_plenary_of_those_who_agreed():
    r = run("ASTANA — Russia and Turkey agreed on Thursday to set up a de-escalation zone in Idlib. "
            "The deal was announced at the closing session of the talks in the Kazakh capital.")
    [m] = r.meetings
    assert (m.kind, m.status, m.date) == ("plenary", "held", THURSDAY)
    assert sides(m) == {"russia", "turkey"}  # the test gazetteer knows no country for Astana


@pytest.mark.parametrize("sentence, expected", [
    ("Putin did not rule out meeting Erdogan next month.", None),  # a possibility: no row
    ("Putin hoped to meet Erdogan in Sochi.", None),
    ("If Putin and Erdogan meet, they will discuss Idlib.", None),
    ("Russia and Turkey have not met since 2019.", ("meeting", "denied")),
    ("Reports that Putin met Erdogan secretly were false, the Kremlin said.", ("meeting", "denied")),
    ("A meeting between Putin and Erdogan, planned for Tuesday, was cancelled.", ("meeting", "cancelled")),
    ("Talks between Russia and Turkey were postponed until next week.", ("meeting", "postponed")),
    ("Putin is expected to meet Erdogan on Friday.", ("meeting", "scheduled")),
    ("Erdogan spoke to Putin by phone on Friday.", ("phone_call", "held")),
    ("Putin told Erdogan in a phone call on Friday that Russia would stay.", ("phone_call", "held")),
])
def test_status_and_kind(sentence, expected):
    rows = [(m.kind, m.status) for m in run(sentence).meetings]
    assert rows == ([expected] if expected else [])


def test_title_tied_to_a_party_earlier_gives_a_new_persons_party():
    r = run("Turkey's foreign minister arrived on Monday. Foreign Minister Mevlut Cavusoglu then met Putin.")
    [new] = [p for p in r.persons if p.ref.key is None]
    assert new.ref.names == ["Mevlut Cavusoglu"] and new.ref.party_key == "turkey"
    assert [sides(m) for m in r.meetings] == [{"turkey", "russia"}]


def test_a_name_found_by_two_rules_with_and_without_a_party_does_not_crash():
    # "Maj. Gen. X, the head of the LNA team": one rule ties a party, the other a title only
    r = run("Maj. Gen. Amraja al-Amami, the head of the Russian team, spoke to Erdogan on Friday.")
    assert any("Amraja al-Amami" in p.ref.names for p in r.persons)


def test_no_meeting_between_is_denied():
    [m] = run("The Kremlin said no meeting between Putin and Erdogan had been agreed.").meetings
    assert m.status == "denied"


def test_a_signing_ceremony_takes_the_day_of_the_deal():
    r = run("Russia and Turkey agreed on Wednesday to a ceasefire in Idlib. "
            "Putin and Erdogan attended the signing ceremony in Moscow.")
    assert [(m.kind, m.date) for m in r.meetings if m.kind == "plenary"] == [("plenary", dt.date(2017, 9, 13))]


ROUNDS_GAZ = Gazetteer.from_records([
    {"kind": "place", "key": "havana", "name_en": "Havana"},
    {"kind": "place", "key": "caracas", "name_en": "Caracas"},
    {"kind": "process", "key": "havana", "name_en": "Havana peace talks", "aliases": ["Havana talks"]},
    {"kind": "process", "key": "eln-talks", "name_en": "ELN peace talks", "aliases": ["ELN talks"]},
    {"kind": "party", "key": "eln", "name_en": "National Liberation Army", "party_kind": "armed_group",
     "aliases": ["ELN"]},
])


def rounds_of(text):
    r = extract(text, gazetteer=ROUNDS_GAZ, published=dt.date(2023, 6, 10), language="en")
    return [(x.process_key, x.number, x.location_key, x.start) for x in r.rounds]


def test_talks_named_by_the_dateline_city_take_the_body_clause():
    assert rounds_of("HAVANA — Negotiators met in Havana on Tuesday for talks on a truce.") == [
        ("havana", None, "havana", None)]


def test_a_session_in_a_city_is_a_round_of_that_citys_talks():
    assert rounds_of("The accord was signed at a closing session in Havana.")[0][0] == "havana"


def test_city_talks_are_the_talks_of_the_non_state_side_named():
    assert rounds_of("The ELN said the session in Havana went well.")[0][0] == "eln-talks"


def test_would_open_dates_the_start_of_a_round():
    assert rounds_of("The ELN talks will go on; the fourth round would open in Caracas on Aug. 14.") == [
        ("eln-talks", 4, "caracas", dt.date(2023, 8, 14))]


def test_government_is_the_government_of_the_state_the_article_names():
    gaz = Gazetteer.from_records([
        {"kind": "party", "key": "syrian-government", "name_en": "Syrian government", "party_kind": "government",
         "country": "syria", "aliases": ["government"]},
        {"kind": "party", "key": "colombia", "name_en": "Colombia", "party_kind": "state"},
        {"kind": "party", "key": "colombian-government", "name_en": "Colombian government",
         "party_kind": "government", "country": "colombia"},
        {"kind": "party", "key": "eln", "name_en": "ELN", "party_kind": "armed_group"},
    ])
    r = extract("Colombia's government and the ELN agreed on a truce. Government negotiators met the ELN on Friday.",
                gazetteer=gaz, published=THURSDAY, language="en")
    assert {p.ref.key for p in r.parties} >= {"colombian-government", "eln"}
    assert "syrian-government" not in {p.ref.key for p in r.parties}
    assert [sorted(p.key for p in m.participants) for m in r.meetings] == [["colombian-government", "eln"]]


def test_a_zone_known_only_by_its_words_is_named_by_its_place_and_the_main_clause_gives_the_status():
    gaz = Gazetteer.from_records([
        {"kind": "zone", "key": "idlib-dmz", "name_en": "Idlib demilitarized zone", "aliases": ["demilitarised zone"]},
        {"kind": "place", "key": "sirte", "name_en": "Sirte"},
    ])
    r = extract("The agreement also sets up a demilitarised zone around Sirte, which the rebels had long demanded.",
                gazetteer=gaz, published=THURSDAY, language="en")
    assert [(z.names[0], z.status) for z in r.zones] == [("Sirte", "agreed")]


def test_each_delegation_and_both_delegations_are_the_sides_that_made_the_deal():
    text = ("The government and the opposition agreed on Tuesday to a truce. "
            "Putin spoke by phone with Erdogan on Wednesday. "
            "De Mistura met each delegation separately on Thursday before bringing the two sides together.")
    found = [(m.date, sides(m)) for m in run(text).meetings if "united-nations" in sides(m)]
    assert found == [(THURSDAY, {"united-nations", "syrian-government"}),
                     (THURSDAY, {"united-nations", "syrian-opposition"}),
                     (THURSDAY, {"united-nations", "syrian-government", "syrian-opposition"})]
    text = ("The government and the opposition agreed on Tuesday to a truce. "
            "Putin spoke by phone with Erdogan on Wednesday. Erdogan greeted the delegations on Thursday.")
    assert sides(run(text).meetings[-1]) == {"turkey", "syrian-government", "syrian-opposition"}


def test_a_party_that_only_qualifies_another_is_no_side():
    [m] = run("The government has not met the opposition, the largest Taliban dissident faction.").meetings
    assert (m.status, sides(m)) == ("denied", {"syrian-government", "syrian-opposition"})


ZONES = Gazetteer.from_records([
    {"kind": "party", "key": "un", "name_en": "United Nations", "aliases": ["U.N."]},
    {"kind": "place", "key": "geneva", "name_en": "Geneva"},
    {"kind": "place", "key": "sirte", "name_en": "Sirte", "aliases": ["Sirte-Jufra line"]},
    {"kind": "place", "key": "jufra", "name_en": "Jufra", "aliases": ["al-Jufra"]},
    {"kind": "zone", "key": "line", "name_en": "Sirte-Jufra line", "aliases": ["Sirte", "al-Jufra"]},
])


def test_a_ceasefire_signed_in_a_city_and_zones_listed_together():
    text = "Both sides signed a ceasefire agreement in Geneva on Friday that sets up a buffer zone around Sirte and the al-Jufra base."
    zones = extract(text, gazetteer=ZONES, published=THURSDAY, language="en").zones
    assert sorted((z.names[0], z.status) for z in zones) == [("Jufra", "agreed"), ("Sirte", "agreed")]


CITY = Gazetteer.from_records([
    {"kind": "party", "key": "north", "name_en": "Northland", "party_kind": "state"},
    {"kind": "party", "key": "front", "name_en": "Northern Front", "party_kind": "armed_group", "country": "north"},
    {"kind": "party", "key": "bloc", "name_en": "Regional Bloc", "party_kind": "organization", "aliases": ["RB"]},
    {"kind": "place", "key": "rivertown", "name_en": "Rivertown"},
    {"kind": "process", "key": "river-south", "name_en": "Rivertown talks", "conflict_en": "war in Southland"},
    {"kind": "process", "key": "river-north", "name_en": "Rivertown talks on Northland", "conflict_en": "war in Northland"},
    {"kind": "process", "key": "rb-other", "name_en": "RB talks", "conflict_en": "war in Eastland"},
])


def test_a_citys_talks_are_those_of_the_conflict_the_article_names_not_the_mediators():
    text = "Northland and the Northern Front opened talks in Rivertown on Tuesday, mediated by the Regional Bloc."
    rounds = extract(text, gazetteer=CITY, published=THURSDAY, language="en").rounds
    assert [(r.process_key, r.start) for r in rounds] == [("river-north", dt.date(2017, 9, 12))]
