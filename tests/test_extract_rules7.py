"""Rules added after the blind holdout7 articles (tests/data/holdout7: Arabic and English reports
from the DRC, Ethiopia, Syria, Ukraine, Armenia-Azerbaijan, Kosovo, Myanmar, Afghanistan and
Colombia): short invented sentences, one rule each, on a small invented gazetteer."""

from __future__ import annotations

import datetime as dt

from test_extract_arabic import _party, _person, _place, keys, run

from app.extract.gazetteer import Gazetteer
from app.extract.pipeline import extract

GAZ = Gazetteer.from_records([
    _party("land-a", "Aland", "آلاند", ["الآلاندي", "الآلاندية", "Alandian"], "mediator", party_kind="state"),
    _party("land-b", "Beland", "بيلاند", ["البيلاندي", "البيلاندية", "الوفد البيلاندي", "Belandian"], "other",
           party_kind="state"),
    _party("land-c", "Celand", "سيلاند", ["السيلاندي", "السيلانديين", "Celandian"], "other", party_kind="state"),
    _party("movement", "Star Movement", "حركة النجمة", ["النجمة", "Star rebels"], "opposition",
           party_kind="armed_group", country="land-b"),
    _party("front", "River Front", "جبهة النهر", ["وفد جبهة النهر"], "opposition", party_kind="armed_group",
           country="land-c"),
    _party("land-c-gov", "Celand government", "حكومة سيلاند", ["الحكومة السيلاندية"], "government",
           party_kind="government", country="land-c"),
    _person("a-envoy", "Ali Aland", "علي آلاند", "land-a", ["آلاند"]),
    _person("b-chief", "Bob Beland", "بوب بيلاند", "land-b", []),
    _place("valdora", "Valdora", "فالدورا", [], country="land-a"),
    _place("kostel", "Kostel", "كوستيل", [], country="land-b"),
    {"kind": "party", "key": "far-separatists", "name_en": "Farland separatists", "name_ar": "انفصاليو فارلاند",
     "party_kind": "armed_group", "role": "opposition", "country": "farland", "aliases": ["separatists"]},
    {"kind": "party", "key": "farland", "name_en": "Farland", "name_ar": "فارلاند", "party_kind": "state",
     "aliases": ["Farlandian"]},
    {"kind": "zone", "key": "south-strip", "name_en": "South Strip", "name_ar": "الشريط الجنوبي", "aliases": []},
    {"kind": "party", "key": "guarantors", "name_en": "guarantor states", "name_ar": "الدول الضامنة",
     "aliases": ["guarantors"]},
    _party("harbour-committee", "Harbour Committee", "اللجنة المركزية في فالدورا", [], "opposition",
           party_kind="opposition", country="land-c"),
    {"kind": "process", "key": "valdora-dialogue", "name_en": "Valdora dialogue", "name_ar": "حوار فالدورا",
     "aliases": []},
])
PUBLISHED = dt.date(2025, 9, 3)  # a Wednesday


def ar(text):
    return run(text, GAZ, PUBLISHED)


def en(text):
    return extract(text, gazetteer=GAZ, published=PUBLISHED, language="en")


def party_keys(result):
    return {p.ref.key for p in result.parties}


def meetings(result):
    return sorted((m.kind, m.status, tuple(sorted(keys(p) or "?" for p in m.participants))) for m in result.meetings)


# --- Arabic ------------------------------------------------------------------------------------
def test_a_state_whose_rebels_are_named_is_still_a_party():
    # «حركة النجمة» belongs to Beland: Beland, its other side, stays a party (only a government
    # named beside its state makes the state redundant)
    text = "اختتمت في فالدورا جولة من المفاوضات بين بيلاند وحركة النجمة برعاية آلاندية."
    assert {"land-b", "movement"} <= party_keys(ar(text))
    text = "اختتمت في فالدورا جولة من المفاوضات بين الحكومة السيلاندية وجبهة النهر، وقال مسؤول إن سيلاند ملتزمة."
    assert "land-c" not in party_keys(ar(text))


def test_the_movement_or_front_alone_is_the_one_the_article_named():
    text = ("اختتمت في فالدورا جولة من المفاوضات بين الحكومة السيلاندية وجبهة النهر. "
            "وقال المتحدث باسم الجبهة إن وفد الجبهة التقى الوفد البيلاندي أمس.")
    assert ("meeting", "held", ("front", "land-b")) in meetings(ar(text))


def test_a_known_committee_named_again_by_its_first_two_words_is_that_committee():
    text = ("أعلنت اللجنة المركزية في فالدورا قبول الاتفاق. وقال مسؤول في الحكومة السيلاندية إن الاتفاق جيد. "
            "وكان الوفد البيلاندي قد التقى يوم الاثنين أعضاء اللجنة المركزية في مدينة كبيرة.")
    assert meetings(ar(text)) == [("meeting", "held", ("harbour-committee", "land-b"))]


def test_a_former_office_holders_nationality_is_no_party():
    text = ("وترأس الجلسة مبعوث آلاند الرئيس البيلاندي الأسبق علي آلاند بحضور وفد الحكومة السيلاندية "
            "ووفد جبهة النهر.")
    r = ar(text)
    assert "land-b" not in party_keys(r)
    assert all("land-b" not in sides for _, _, sides in meetings(r))


def test_a_delegation_led_by_a_titled_person_and_a_delegation_after_a_comma_are_listed_sides():
    # «وفد X برئاسة مستشار الأمن القومي Y»: Y is X's (whatever his own party), and «، ووفد Z»
    # goes on with the session's list
    text = ("وترأس الجلسة الافتتاحية علي آلاند، بمشاركة وفد الحكومة السيلاندية برئاسة مستشار الأمن القومي "
            "بوب بيلاند، ووفد جبهة النهر برئاسة المتحدث باسمها.")
    assert meetings(ar(text)) == [("plenary", "held", ("front", "land-a", "land-c-gov"))]


def test_each_delegation_met_separately_when_the_government_side_is_the_rebels_state():
    text = ("اختتمت في فالدورا جولة من المفاوضات بين الوفد الحكومي البيلاندي وحركة النجمة. "
            "والتقى علي آلاند يوم الاثنين كلا من الوفدين على حدة.")
    found = meetings(ar(text))
    assert ("meeting", "held", ("land-a", "land-b")) in found and ("meeting", "held", ("land-a", "movement")) in found


def test_he_said_he_met_makes_the_speaker_the_host():
    text = ("اختتمت في فالدورا جولة من المفاوضات بين الوفد الحكومي البيلاندي وحركة النجمة. "
            "وقال علي آلاند إنه التقى الوفدين كلا على حدة مساء الاثنين.")
    found = meetings(ar(text))
    assert ("meeting", "held", ("land-a", "land-b")) in found and ("meeting", "held", ("land-a", "movement")) in found


def test_the_two_leaders_received_separately_are_the_two_persons_just_named():
    text = ("عقد بوب بيلاند وعلي آلاند أمس لقاء في فالدورا. "
            "وكان الرئيس السيلاندي قد استقبل الزعيمين كلا على حدة قبل اللقاء.")
    found = meetings(ar(text))
    assert ("meeting", "held", ("land-a", "land-c")) in found and ("meeting", "held", ("land-b", "land-c")) in found


def test_a_buffer_zone_around_a_town():
    text = "واقترح الوسيط الآلاندي إقامة منطقة عازلة منزوعة السلاح حول مدينة كوستيل التي تسيطر عليها حركة النجمة."
    assert [(z.key, z.status) for z in ar(text).zones] == [(None, "proposed")]
    assert ar(text).zones[0].names[0] == "Kostel"


def test_a_proposed_summit_or_no_intention_to_meet_is_no_meeting():
    assert ar("وأجرى بوب بيلاند اتصالا هاتفيا مع علي آلاند، واقترح عقد قمة تجمعه بالرئيس السيلاندي.").meetings[0].kind \
        == "phone_call"
    assert len(ar("وأجرى بوب بيلاند اتصالا هاتفيا مع علي آلاند، واقترح عقد قمة تجمعه بالرئيس السيلاندي.").meetings) == 1
    assert ar("وقال مسؤول سيلاندي إن بوب بيلاند لا يعتزم لقاء علي آلاند في الوقت الراهن.").meetings == []


# --- English -----------------------------------------------------------------------------------
def test_talks_told_with_a_dated_meeting_began_that_day():
    text = ("VALDORA (AP) — The leaders of Aland and Beland on Monday accepted a plan to end their dispute.\n\n"
            "Ali Aland and Bob Beland met for four hours in Valdora in talks facilitated by the envoy for the "
            "Valdora dialogue.")
    r = en(text)
    assert [(x.process_key, x.start) for x in r.rounds] == [("valdora-dialogue", dt.date(2025, 9, 1))]


def en_meetings(text, published=PUBLISHED):
    r = extract(text, gazetteer=GAZ, published=published, language="en")
    return sorted((m.kind, m.status, m.date, tuple(sorted(keys(p) or "?" for p in m.participants))) for m in r.meetings)


def test_he_said_he_had_spoken_is_the_speakers_call_and_would_meet_is_another_event():
    text = ("Bob Beland said he had spoken by phone with Ali Aland on Monday and would meet the Celandian "
            "and Alandian ambassadors in Valdora on Wednesday.")
    assert en_meetings(text) == [
        ("meeting", "scheduled", dt.date(2025, 9, 3), ("land-a", "land-b", "land-c")),
        ("phone_call", "held", dt.date(2025, 9, 1), ("land-a", "land-b")),
    ]


def test_and_urged_after_a_call_names_no_side_of_it():
    text = "Bob Beland spoke by phone with Ali Aland on Monday and urged Celand to press the Star rebels."
    assert en_meetings(text) == [("phone_call", "held", dt.date(2025, 9, 1), ("land-a", "land-b"))]


def test_the_two_leaders_known_only_by_their_persons_do_not_crash_the_rules():
    # «Bob Beland» stands for Beland, which the text never names: "the two leaders" are two sides
    # known only through their persons (this raised KeyError before)
    text = "Bob Beland and Ali Aland met in Valdora on Monday. The two leaders are due to meet again next month."
    found = [m for m in en(text).meetings if m.status == "scheduled"]
    assert [sorted(keys(p) for p in m.participants) for m in found] == [["land-a", "land-b"]]


def test_a_weekday_ahead_that_is_the_papers_own_day_is_today():
    # published on a Wednesday: "will meet on Wednesday" is today, "next Wednesday" a week on
    assert en_meetings("Bob Beland will meet Ali Aland in Valdora on Wednesday.")[0][2] == dt.date(2025, 9, 3)
    assert en_meetings("Bob Beland will meet Ali Aland in Valdora next Wednesday.")[0][2] == dt.date(2025, 9, 10)


def test_a_round_that_ran_from_one_day_to_another():
    text = ("VALDORA (AP) — Aland and Beland ended a fourth round of the Valdora dialogue on Saturday. "
            "The round ran from Aug. 28 to Aug. 30, an Alandian spokesman said.")
    r = en(text)
    assert [(x.number, x.start, x.end) for x in r.rounds] == [(4, dt.date(2025, 8, 28), dt.date(2025, 8, 30))]


def test_a_spokeswoman_who_told_a_briefing_adding_that_the_sides_met_is_no_side():
    text = ("Beland and the Star rebels agreed a truce after talks in Valdora. "
            "The talks ended on Monday, Alandian spokeswoman Ali Aland told a regular briefing, adding that the two "
            "sides had met behind closed doors.")
    found = [m for m in en(text).meetings if m.closed]
    assert [sorted(keys(p) for p in m.participants) for m in found] == [["land-b", "movement"]]


def zones_en(text):
    return [(z.names[0], z.status) for z in en(text).zones]


def test_a_truce_violated_somewhere_told_by_it():
    text = "The ceasefire has largely held, but the army accused the Star rebels of violating it in Kostel last week."
    assert ("Kostel", "violated") in zones_en(text)
    assert zones_en("The army accused the Star rebels of violating it in Kostel last week.") == []


def test_a_withdrawal_the_deal_provides_for_is_an_agreed_zone():
    assert zones_en("Under the deal, Star fighters will withdraw from Kostel, which they seized in August.") \
        == [("Kostel", "agreed")]
    assert zones_en("Star fighters withdrew from Kostel in August.") == []


def test_a_capital_urged_to_press_for_a_ceasefire_is_no_zone():
    assert zones_en("Bob Beland urged Valdora to press the Star rebels to accept a ceasefire.") == []


def test_a_trilateral_between_the_three_that_never_took_place_on_the_day_of_the_bilaterals():
    text = ("Bob Beland, Ali Aland and the Star rebels held talks in Valdora on Monday. "
            "Ali Aland met Bob Beland and the Star rebels separately on Tuesday, but a planned trilateral meeting "
            "between the three never took place.")
    assert ("plenary", "denied", dt.date(2025, 9, 2), ("land-a", "land-b", "movement")) in en_meetings(text)


def test_the_last_attendee_after_a_relative_clause_on_the_one_before():
    text = ("The talks opened on Monday at a ceremony in Valdora attended by Ali Aland, Bob Beland, who leads "
            "Beland's peace effort, and the Star rebels' political chief, Carl Star.")
    found = [m for m in en(text).meetings if m.kind == "plenary"]
    assert [sorted(keys(p) or p.names[0] for p in m.participants) for m in found] == [["land-a", "land-b", "movement"]]


def test_talks_opened_in_a_capital_described_by_two_words():
    text = ("انطلقت في العاصمة الآلاندية الجديدة فالدورا، أمس الثلاثاء، أول محادثات سلام رسمية بين الحكومة السيلاندية "
            "وجبهة النهر.")
    assert [(r.location_key, r.start) for r in ar(text).rounds] == [("valdora", dt.date(2025, 9, 2))]


def test_their_next_meeting_is_a_meeting_word():
    text = "ومن المقرر أن تعقد لجنتا الحدود بين البلدين اجتماعهما المقبل الشهر المقبل، برئاسة بوب بيلاند وعلي آلاند."
    assert meetings(ar(text)) == [("meeting", "scheduled", ("land-a", "land-b"))]



def test_preserving_a_de_escalation_agreement_somewhere_is_a_zone_in_force():
    text = "وأكد بوب بيلاند وعلي آلاند أهمية الحفاظ على اتفاق خفض التصعيد في الشريط الجنوبي الموقع عام 2017."
    assert [(z.key, z.status) for z in ar(text).zones] == [("south-strip", "in_force")]


def test_the_guarantors_as_a_collective_are_no_party_in_english_either():
    r = en("Aland, Beland and Celand act as guarantors of the Valdora dialogue, which met on Monday.")
    assert "guarantors" not in party_keys(r)


def test_an_organisations_name_after_a_possessive_is_no_person():
    r = en("Ali Aland met Bob Beland at the Aland's External Action Service headquarters on Monday.")
    assert all("Service" not in n and "External" not in n for p in r.persons for n in p.ref.names)



def test_the_separatists_of_another_war_are_the_article_s_armed_group_and_planned_for_is_scheduled():
    text = ("Beland's government denied meeting leaders of the Star Movement on Monday. "
            "An Alandian envoy said a first round of direct talks between the government of Beland and the "
            "separatists was planned for next month.")
    r = en(text)
    assert "far-separatists" not in party_keys(r)
    assert any(m.status == "scheduled" and {"movement"} <= {keys(p) for p in m.participants} for m in r.meetings), \
        [(m.status, [keys(p) for p in m.participants]) for m in r.meetings]


def test_a_round_set_for_a_day_starts_that_day():
    text = ("VALDORA (AP) — Aland and Beland held a third round of the Valdora dialogue on Monday. "
            "A fourth round is set for Sept. 15, an Alandian spokesman said.")
    assert (4, dt.date(2025, 9, 15)) in [(x.number, x.start) for x in en(text).rounds]


def test_met_one_side_and_spoke_by_phone_with_another_are_two_events_of_that_day():
    text = "Ali Aland met a delegation of the Star rebels on Monday and spoke by phone with Bob Beland the same day."
    assert en_meetings(text) == [("meeting", "held", dt.date(2025, 9, 1), ("land-a", "movement")),
                                 ("phone_call", "held", dt.date(2025, 9, 1), ("land-a", "land-b"))]
    # an arrival's day goes on to the meeting told after "and"
    text = "Bob Beland arrived in Valdora late on Monday and spoke with Ali Aland before the dinner."
    assert en_meetings(text) == [("meeting", "held", dt.date(2025, 9, 1), ("land-a", "land-b"))]


def test_humanitarian_zones_safe_passage_and_a_halt_to_fighting_name_zones():
    assert [(z.names[0], z.status) for z in ar("ويطالب حركة النجمة بإقامة مناطق إنسانية في مدينة كوستيل.").zones] \
        == [("Kostel", "requested")]
    assert zones_en("The mediators want safe passage for aid through Kostel.") == [("Kostel", "requested")]
    assert zones_en("The mediators want the sides to halt fighting around Kostel.") == [("Kostel", "requested")]
