"""The gazetteer's mentions: a name shared by several entries of one kind is not a guess."""

from __future__ import annotations

from app.extract.gazetteer import Gazetteer

PERSONS = Gazetteer.from_records([
    {"kind": "person", "key": "staffan-de-mistura", "name_en": "Staffan de Mistura", "name_ar": "ستيفان دي ميستورا",
     "aliases": ["دي ميستورا", "de Mistura"]},
    {"kind": "person", "key": "walid-de-mistura", "name_en": "Walid de Mistura", "name_ar": "وليد دي ميستورا",
     "aliases": ["دي ميستورا", "de Mistura"]},
    {"kind": "process", "key": "astana", "name_en": "Astana talks", "name_ar": "محادثات أستانا", "aliases": ["أستانا"]},
    {"kind": "place", "key": "astana", "name_en": "Astana", "name_ar": "أستانا"},
])


def keys(text: str) -> list[tuple[str, str]]:
    return [(m.entry.kind, m.entry.key) for m in PERSONS.find_mentions(text)]


def test_a_surname_two_persons_share_names_neither():
    assert keys("التقى دي ميستورا الوفد") == []
    assert keys("de Mistura met the delegation") == []


def test_the_full_name_decides_and_later_mentions_follow_it():
    assert keys("وصل ستيفان دي ميستورا أمس، وقال دي ميستورا إن") == [
        ("person", "staffan-de-mistura"), ("person", "staffan-de-mistura")]


def test_a_name_of_entries_of_different_kinds_names_each():
    assert sorted(keys("في أستانا")) == [("place", "astana"), ("process", "astana")]
