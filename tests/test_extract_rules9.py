"""Rules added after the blind holdout9 articles (tests/data/holdout9: Thailand-Cambodia in
Putrajaya, Cyprus in Geneva, the Geneva International Discussions on Georgia, Pakistan and
Afghanistan in Istanbul): short invented sentences, one rule each, on a small invented gazetteer."""

from __future__ import annotations

import datetime as dt

from test_extract_arabic import _party, _place, run

from app.extract.gazetteer import Gazetteer

GAZ = Gazetteer.from_records([
    _party("land-a", "Aland", "آلاند", ["الآلاندي", "الآلاندية"], "government", party_kind="state"),
    _party("land-b", "Beland", "بيلاند", ["البيلاندي", "البيلاندية"], "other", party_kind="state"),
    _place("valdora", "Valdora", "فالدورا", [], country="land-a"),
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
