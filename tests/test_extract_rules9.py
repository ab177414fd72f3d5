"""Rules added after the blind holdout9 articles (tests/data/holdout9: Thailand-Cambodia in
Putrajaya, Cyprus in Geneva, the Geneva International Discussions on Georgia, Pakistan and
Afghanistan in Istanbul): short invented sentences, one rule each, on a small invented gazetteer."""

from __future__ import annotations

import datetime as dt

from test_extract_arabic import _party, _person, _place, keys, run

from app.extract.gazetteer import Gazetteer
from app.extract.pipeline import extract

GAZ = Gazetteer.from_records([
    _party("land-a", "Aland", "آلاند", ["الآلاندي", "الآلاندية"], "government", party_kind="state"),
    _party("land-b", "Beland", "بيلاند", ["البيلاندي", "البيلاندية"], "other", party_kind="state"),
    _party("land-c", "Celand", "سيلاند", ["Celandian"], "other", party_kind="state"),
    _party("farland", "Farland", "فارلاند", ["Farlandian"], "other", party_kind="state"),
    _party("movement", "Star Movement", "حركة النجمة", ["Star rebels"], "opposition", party_kind="armed_group",
           country="land-b"),
    _person("a-envoy", "Ali Aland", "علي آلاند", "land-a", []),
    _person("b-chief", "Bob Beland", "بوب بيلاند", "land-b", []),
    _place("valdora", "Valdora", "فالدورا", [], country="land-a"),
    {"kind": "party", "key": "guarantors", "name_en": "guarantor states", "name_ar": "الدول الضامنة",
     "party_kind": "other", "role": "guarantor", "aliases": ["guarantor powers", "guarantors"]},
    _place("kostel", "Kostel", "كوستيل", [], country="land-b"),
    {"kind": "process", "key": "valdora-discussions", "name_en": "Valdora discussions", "name_ar": "مناقشات فالدورا",
     "aliases": []},
])
PUBLISHED = dt.date(2025, 9, 3)  # a Wednesday


def numbers(text):
    return sorted(r.number for r in run(text, GAZ, PUBLISHED).rounds if r.number)


# --- Arabic ------------------------------------------------------------------------------------
def test_an_ordinal_with_any_tens_numbers_the_round():
    # «الحادية والستون» is 61, «الخامسة والأربعين» 45: every tens word, not only 20 and 30
    assert numbers("اختتمت أمس في فالدورا الجولة الحادية والستون من مناقشات فالدورا بين آلاند وبيلاند.") == [61]
    assert numbers("انطلقت أمس في فالدورا الجولة الخامسة والأربعين من مناقشات فالدورا بين آلاند وبيلاند.") == [45]
    assert numbers("انطلقت أمس في فالدورا الجولة الثالثة والعشرون من مناقشات فالدورا بين آلاند وبيلاند.") == [23]


def test_a_ceasefire_broken_near_a_village_is_violated_there():
    # «قرب قرية X»: near, and a village, join the ceasefire to its place as «في مدينة X» does
    text = "واتهمت آلاند قوات بيلاند بخرق اتفاق وقف إطلاق النار قرب قرية كوستيل على خط التماس."
    zones = run(text, GAZ, PUBLISHED).zones
    assert [(z.names[0], z.status) for z in zones] == [("Kostel", "violated")]


# --- English -----------------------------------------------------------------------------------
def en(text):
    return extract(text, gazetteer=GAZ, published=PUBLISHED, language="en")


def meetings(result):
    return sorted((m.kind, m.status, tuple(sorted(keys(p) for p in m.participants))) for m in result.meetings)


def test_a_side_named_after_without_is_not_at_the_table():
    text = "Ali Aland met Bob Beland in Valdora on Monday, without Celand."
    assert meetings(en(text)) == [("meeting", "held", ("land-a", "land-b"))]


def test_the_two_leaders_are_the_pair_that_met_the_others():
    # the first meeting's two subjects met three others: "the two leaders" later are the subjects
    text = ("Ali Aland and Bob Beland met on Monday in Valdora with envoys of Celand, Farland and the "
            "Star Movement. Celand's envoy then held a meeting with the two leaders on Tuesday.")
    assert ("meeting", "held", ("land-a", "land-b", "land-c")) in meetings(en(text))


def test_who_hosted_the_talks_hosts_the_meeting_just_told():
    # "X and Y met with Z, who hosted the talks": one meeting of three, Z's side facilitating
    text = ("Bob Beland met for two hours with Celand's envoy and Ali Aland, who hosted the talks "
            "at his residence as chair of the Star Movement, on Monday.")
    result = en(text)
    assert meetings(result) == [("meeting", "held", ("land-a", "land-b", "land-c"))]


def test_a_collective_in_apposition_to_the_list_it_names_is_no_other_side():
    text = ("Ali Aland met Bob Beland in Valdora on Monday with the envoys of Celand and Farland, "
            "the region's guarantor powers.")
    assert meetings(en(text)) == [("meeting", "held", ("farland", "land-a", "land-b", "land-c"))]
