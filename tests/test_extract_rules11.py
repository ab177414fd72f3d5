"""Rules added after the blind holdout11 articles (tests/data/holdout11: the Sudan-SPLM-N talks in
Juba, the Ethiopia-OLA round in Zanzibar, Mozambique's Nyusi and RENAMO's Momade, Colombia and the
EMC): short invented sentences, one rule each, on a small invented gazetteer."""

from __future__ import annotations

import datetime as dt

from test_extract_arabic import _party, _person, _place, _proc

from app.extract.gazetteer import Gazetteer
from app.extract.pipeline import extract

GAZ = Gazetteer.from_records([
    _party("land-a", "Aland", "آلاند", ["Alandian", "الآلاندي", "الآلاندية"], "government", party_kind="state"),
    _party("movement", "Star Movement", "حركة النجمة", ["Star rebels"], "opposition", party_kind="armed_group",
           country="land-a"),
    _party("league", "Blue League", "الرابطة الزرقاء", ["BL"], "mediator", party_kind="organization"),
    _person("a-chief", "Ali Aland", "علي آلاند", "land-a", ["Aland"]),
    _person("s-chief", "Sam Star", "سام ستار", "movement", ["Star"]),
    _person("envoy", "Ed Envoy", "إد إنفوي", "league", []),
    _place("valdora", "Valdora", "فالدورا", ["Valdora region"], country="land-a"),
    _place("kostel-hills", "Kostel Hills", "جبال كوستيل", [], country="land-a"),
    _proc("star-talks", "Aland-Star Movement talks", "محادثات آلاند وحركة النجمة", "Star war"),
])
PUBLISHED = dt.date(2025, 9, 3)  # a Wednesday


def en(text):
    return extract(text, gazetteer=GAZ, published=PUBLISHED, language="en")


def ar(text):
    return extract(text, gazetteer=GAZ, published=PUBLISHED, language="ar")


def zones(result):
    return sorted((z.names[0], z.status) for z in result.zones)


# --- Arabic: an adjective between the truce and its place, or inside «وقف ... لإطلاق النار» ------
def test_an_arabic_standing_adjective_between_truce_and_place():
    # «وقف إطلاق النار الساري في منطقة X»: the truce in force there
    r = ar("وقال المتحدث إن وقف إطلاق النار الساري في منطقة جبال كوستيل منذ العام الماضي لا يزال صامدا.")
    assert zones(r) == [("Kostel Hills", "in_force")]


def test_an_arabic_adjective_inside_the_ceasefire_phrase():
    # «بوقف فوري لإطلاق النار في إقليم X»: asked for there
    r = ar("وطالبت حركة النجمة بوقف فوري لإطلاق النار في إقليم فالدورا لتسهيل وصول المساعدات.")
    assert zones(r) == [("Valdora", "requested")]


# --- English: "asked for it to cover X", the truce named in the sentence before -------------------
def test_an_english_truce_named_before_and_asked_to_cover_a_place():
    r = en("A ceasefire is due to take effect on Oct. 17. The Star Movement has asked for it to cover the "
           "department of Valdora.")
    assert zones(r) == [("Valdora", "requested")]


def test_it_asked_to_cover_with_no_truce_before_is_no_zone():
    r = en("A budget is due on Oct. 17. The Star Movement has asked for it to cover the department of Valdora.")
    assert zones(r) == []


# --- English: a person who mediates is the facilitator, not a side --------------------------------
def test_a_mediating_person_is_no_participant():
    r = en("Ali Aland met Sam Star in Valdora on Tuesday, in talks mediated by B.L. envoy Ed Envoy.")
    assert [sorted(p.names[0] for p in m.participants) for m in r.meetings] == [["Ali Aland", "Sam Star"]]


# --- Arabic: a body in a person's title is no side of its own --------------------------------------
def test_a_party_in_a_persons_title_is_no_side():
    # «التقى عضو الرابطة الزرقاء الفريق أول سام ستار»: one side, Sam Star, not the League as well
    r = ar("ونفى المتحدث أن يكون علي آلاند قد التقى عضو الرابطة الزرقاء الفريق أول سام ستار سرا الأسبوع الماضي.")
    assert [sorted(p.names[0] for p in m.participants) for m in r.meetings] == [["Ali Aland", "Sam Star"]]


# --- English: a round the two sides "will formally open ... on Monday" -------------------------------
def test_two_sides_and_the_other_will_formally_open_talks_on_a_weekday_ahead():
    # "A and the B": the pair names the talks; "will formally open": an event, and the weekday ahead
    # (the "will" more than 50 characters before the date)
    r = en("Aland and the Star Movement will formally open peace talks in the town of Valdora on Monday.")
    assert [(x.process_key, x.start) for x in r.rounds] == [("star-talks", dt.date(2025, 9, 8))]


# --- Arabic: «أن يعقد الطرفان جولة ثانية»: the sides sit together for a round -----------------------
def test_holding_a_round_is_a_plenary_of_the_two_sides():
    r = ar("اختتمت آلاند وحركة النجمة أمس الجولة الأولى من المحادثات في فالدورا. "
           "ومن المقرر أن يعقد الطرفان جولة ثانية في فالدورا يوم العاشر من سبتمبر الجاري.")
    assert [(m.kind, m.status, m.date, sorted(p.names[0] for p in m.participants)) for m in r.meetings] == [
        ("plenary", "scheduled", dt.date(2025, 9, 10), ["Aland", "Star Movement"])]
