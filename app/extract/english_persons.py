"""New persons, spellings and surnames in English news prose.

New persons come from the way news introduces people: a title before the name ("U.S.
diplomat Henry Ensher", "Foreign Minister X", "envoy X"), "led by X" / "headed by X", "X, the
head of the Y delegation", "X of the Y", "Syria's Ali Mahmoud Abbas". A new person gets
`key=None` and the spellings found.

One person is one row: spellings of one name in one article ("Khalifa Haftar" / "Khalifa
Hifter", "Bashar al-Jaafari" / "Ja'afari") are merged, and a later surname alone ("Ensher",
"Hariri") refers back to the person introduced in full.

The party of a person: the gazetteer's `party`, else the nationality or organisation named
right before the title ("Russian Deputy Foreign Minister", "MILF panel chair"), the party a
"led by" follows, the "head of"/"of the" party, or a title this article already tied to a party
("Italy's premier ... Premier Giuseppe Conte").
"""

from __future__ import annotations

import itertools
import re

from app.extract.english_entities import (
    Entities,
    Hit,
    Person,
    names_of,
    other_kind_overlap,
    overlaps,
    party_before,
)
from app.extract.english_names import (
    APPOSITION_BEFORE_RE,
    CAP,
    FORMER_BEFORE_RE,
    HEAD_OF_RE,
    LED_BY_RE,
    LOCATIVE_BEFORE,
    NAME_BEFORE_RE,
    PARTICLES,
    POSSESSIVE_NAME_RE,
    TITLE_AFTER_RE,
    TITLE_NAME_RE,
    TITLE_PARTY,
    TITLES_LIST_RE,
    clean_name,
    org_named,
    name_tokens,
    plausible,
    same_person,
    strip_titles,
    surnames,
)
from app.extract.gazetteer import Entry, Gazetteer
from app.extract.normalize import key_of


def add_known_person(ents: Entities, entry: Entry, start: int, end: int, confidence: float) -> Person:
    person = ents.persons.get(entry.key)
    if person is None:
        person = ents.persons[entry.key] = Person(
            entry.key, entry.key, names_of(entry), entry.data.get("party"), entry.data.get("title_en"),
            start, end, confidence)
        for name in person.names:
            person.surnames |= surnames(name)
            person.minor |= surnames(name, minor=True)
    return person


def title_parties(ents: Entities) -> dict[str, str]:
    """Titles this article ties to a party: "Italy's premier", "Russian President"."""
    out: dict[str, str] = {}
    for h in ents.hits:
        if h.kind != "party":
            continue
        m = TITLE_AFTER_RE.match(ents.text[h.end:h.end + 60])
        if m:
            title = m.group("title").lower()
            out.setdefault(title, h.ident)  # "foreign minister": the whole title
            out.setdefault(title.split()[-1], h.ident)  # "the minister" later
    return out


_HEAD_TITLES = frozenset(("prime minister", "president", "premier"))
_GOVERNMENT_AFTER = re.compile(r"(?:['’]s)?\s+government\b")


def _home_government(ents: Entities) -> str | None:
    """The government the lead names ("Thailand's government and the BRN ..."): the article's own."""
    lead = ents.text.find("\n")
    lead = lead if lead > 0 else 300
    for h in ents.hits:
        if h.start > lead:
            break
        if h.kind == "party" and not h.place and _GOVERNMENT_AFTER.match(ents.text, h.end):
            return h.ident
    return None


def new_persons(ents: Entities, gazetteer: Gazetteer, titles: dict[str, str]) -> None:
    text = ents.text
    found: list[tuple[int, int, str, str | None, str | None, float]] = []  # start, end, name, party, title
    home = _home_government(ents)
    for m in TITLE_NAME_RE.finditer(text):
        title = m.group("title").lower()
        former = title.startswith("former") or FORMER_BEFORE_RE.search(text, max(0, m.start() - 30), m.start())
        party = None if former else party_before(ents, m.start(), m.start("name")) or _the_army(ents, m.start())
        if party is None and not former:
            party = TITLE_PARTY.get(re.sub(r"^(?:acting|deputy|former)\s+", "", title))
            if not (party and gazetteer.get("party", party)):
                # a one-word title ("the President") takes the party of any title it ends; a longer one
                # only its own ("Prime Minister" is not the "Australian Foreign Minister" of before)
                words = title.lower().split()
                party = titles.get(" ".join(words)) if len(words) > 1 else titles.get(words[0])
                # one holder of a title per party: "Malaysian Prime Minister A" does not make a
                # later "Prime Minister B" Malaysian
                if party and any(f[3] == party and f[4] and f[4].lower() == title and f[2] != m.group("name")
                                 for f in found):
                    party = None
                if party is None and title in _HEAD_TITLES:
                    party = home  # a bare "Prime Minister X": the head of the article's own government
        found.append((m.start("name"), m.end("name"), m.group("name"), party, m.group("title"), 0.8))
    for m in TITLES_LIST_RE.finditer(text):
        party = party_before(ents, m.start()) or _the_army(ents, m.start())
        for g in ("first", "second", "one"):
            if m.group(g):
                found.append((m.start(g), m.end(g), m.group(g), party, None, 0.7))
    for m in LED_BY_RE.finditer(text):
        found.append((m.start("name"), m.end("name"), m.group("name"), _led_party(ents, m.start()), None, 0.75))
    for m in HEAD_OF_RE.finditer(text):
        if not text[m.start() - 1: m.start()].isalpha():
            continue
        name = NAME_BEFORE_RE.search(text, max(0, m.start() - 60), m.start())
        # the party right after "of the" (a word or two of description between at most)
        after = [h for h in ents.hits if h.kind == "party" and m.end() <= h.start <= m.end() + 30
                 and re.fullmatch(r"(?:[\w-]+\s+){0,2}", text[m.end():h.start])]
        if name and after and len(name.group("name").split()) >= 2:
            found.append((name.start("name"), name.end("name"), name.group("name"), after[0].ident, None, 0.7))
    for h in list(ents.hits):
        if h.kind != "party" or h.place:
            continue
        # "Massad Boulos, the U.S. senior adviser for Africa" (the name before the comma); "Syria's Ali Abbas"
        appositive = APPOSITION_BEFORE_RE.search(text, max(0, h.start - 8), h.start) and TITLE_AFTER_RE.match(
            text[h.end:h.end + 60].removeprefix("."))  # ("U.S" + ".")
        for m in (appositive and NAME_BEFORE_RE.search(text, max(0, h.start - 60), text.rfind(",", 0, h.start)),
                  POSSESSIVE_NAME_RE.match(text, h.end)):
            if m and len(m.group("name").split()) >= 2:
                found.append((m.start("name"), m.end("name"), m.group("name"), h.ident, None, 0.7))
    # by position only: two finds of one span may differ in a party or title that is None
    for start, end, raw, party, title, conf in sorted(found, key=lambda f: (f[0], f[1], -f[5])):
        name = clean_name(raw)
        if not name or not plausible(name) or org_named(raw):
            continue
        start = text.find(name, start, end + 1) if name in text[start:end + 1] else start
        end = start + len(name)
        known = overlaps(ents, start, end)
        if known is not None:
            if known.kind == "person" and party and not ents.persons[known.ident].party_key:
                ents.persons[known.ident].party_key = party
            continue
        if other_kind_overlap(ents, start, end):
            continue
        person = _merge_target(ents, gazetteer, name)
        if person is None and len(name_tokens(name)) < 2:
            continue  # a new person is introduced in full; "Chief Executive" is no one
        if person is None:
            ident = "new:" + key_of(name)
            person = ents.persons[ident] = Person(ident, None, [name], party, title, start, end, conf)
        elif name not in person.names:
            person.names.append(name)
        if person.end == 0:  # a gazetteer person found through a variant spelling
            person.start, person.end = start, end
        person.surnames |= surnames(name)
        person.minor |= surnames(name, minor=True) | surnames(strip_titles(raw), minor=True)
        owned = re.match(r"['’]s\s+", text[end:end + 3])  # "Assad's government": his party
        if owned and not party:
            party = next((h.ident for h in ents.hits if h.kind == "party" and h.start == end + owned.end()), None)
        if party and not person.party_key:
            person.party_key = party
        ents.hits.append(Hit(start, end, "person", person.ident))


_ARMY_BEFORE_RE = re.compile(r"\b(?:army|military)\s+$", re.IGNORECASE)
_ARMY_TITLE_RE = re.compile(r"(?:army|military)\s", re.IGNORECASE)  # the title's own first word


def _the_army(ents: Entities, pos: int) -> str | None:
    """"An army spokesman, X,": the army of the article, when it names just one ("Sudan's army")."""
    if not (_ARMY_BEFORE_RE.search(ents.text, max(0, pos - 10), pos) or _ARMY_TITLE_RE.match(ents.text, pos)):
        return None
    # the parties the article has named as an army ("the Sudanese army")
    armies = {h.ident for h in ents.hits if h.kind == "party" and not h.place
              and ents.text[h.start:h.end].lower().endswith((" army", " military"))}
    return armies.pop() if len(armies) == 1 else None


def _led_party(ents: Entities, pos: int) -> str | None:
    """The party a "led by" follows: the nearest one before it in the sentence, skipping
    places of origin ("a delegation that flew in from Turkey, led by")."""
    floor = max(ents.text.rfind(". ", 0, pos), ents.text.rfind("\n", 0, pos))
    for h in sorted(ents.hits, key=lambda h: -h.start):
        if h.kind != "party" or h.end > pos or h.start < floor:
            continue
        if LOCATIVE_BEFORE.search(ents.text[max(0, h.start - 20): h.start]):
            continue
        return h.ident
    return None


def _merge_target(ents: Entities, gazetteer: Gazetteer, name: str) -> Person | None:
    for person in ents.persons.values():
        if any(same_person(name, n) for n in person.names) or name in person.surnames:
            return person
    entry = gazetteer.lookup("person", name)
    if entry is not None and len(name_tokens(name)) >= 2:
        return add_known_person(ents, entry, 0, 0, 0.8)
    return None


# a capitalized word, with the particle before it if any ("de Mistura", "al-Hariri")
CAP_WORD_RE = re.compile(rf"(?<![\w-])(?:(?P<particle>{PARTICLES})[\s-])?(?P<word>{CAP})(?![\w-])")


def cap_words(text: str) -> list[re.Match]:
    return list(CAP_WORD_RE.finditer(text))


def spelling_variants(ents: Entities, words: list[re.Match]) -> None:
    """"Khalifa Hifter" after "Khalifa Haftar": the first name with a close last name."""
    firsts: dict[str, list[Person]] = {}
    for person in ents.persons.values():
        for n in person.names:
            if len(n.split()) >= 2 and n[:1].isupper():
                firsts.setdefault(n.split()[0], []).append(person)
    for a, b in itertools.pairwise(words):
        first = a.group("word")
        if first not in firsts or a.group("particle") or not ents.text[a.end():b.start()].isspace():
            continue
        variant = f"{first} {ents.text[b.start():b.end()]}"
        for person in firsts[first]:
            if variant in person.names or overlaps(ents, a.start(), b.end(), ("party",)):
                continue
            if any(same_person(variant, n) for n in person.names) and plausible(variant):
                person.names.append(variant)
                person.surnames |= surnames(variant)
                person.minor |= surnames(variant, minor=True)
                ents.hits.append(Hit(a.start(), b.end(), "person", person.ident))
                break


def surname_hits(ents: Entities, words: list[re.Match]) -> None:
    """A surname alone ("Ensher", "Hariri") after the full name: the same person."""
    owners: dict[str, set[str]] = {}
    for person in ents.persons.values():  # a last name first; another part only if no one's last name
        for s in person.surnames:
            owners.setdefault(s, set()).add(person.ident)
    minor: dict[str, set[str]] = {}
    for person in ents.persons.values():
        for s in person.minor:
            minor.setdefault(s, set()).add(person.ident)
    for s, o in minor.items():
        owners.setdefault(s, o)
    owners = {s: o for s, o in owners.items() if len(o) == 1}
    if not owners:
        return
    taken = bytearray(len(ents.text) + 1)  # 1 where a name was already found
    for h in ents.hits:
        taken[h.start:h.end] = b"\x01" * (h.end - h.start)
    for m in words:
        start, end = m.start(), m.end()
        form = m.group()
        if form.endswith(("'s", "’s")):  # "de Mistura's office"
            form, end = form[:-2], end - 2
        if form not in owners and m.group("particle"):  # "al-Hariri" known only as "Hariri"
            start, form = m.start("word"), form[m.start("word") - m.start():]
        if form not in owners or taken[start] or taken[end - 1]:
            continue
        person = ents.persons[next(iter(owners[form]))]
        if form not in person.names:
            person.names.append(form)
        ents.hits.append(Hit(start, end, "person", person.ident))
