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
from functools import lru_cache

from rapidfuzz import fuzz

from app.extract.english_entities import (
    Entities,
    Hit,
    Person,
    names_of,
    other_kind_overlap,
    overlaps,
    party_before,
)
from app.extract.gazetteer import Entry, Gazetteer
from app.extract.normalize import key_of

# --- patterns (data) ---------------------------------------------------------------------------
TITLES = [
    "foreign minister", "defence minister", "defense minister", "prime minister", "interior minister",
    "foreign affairs minister", "minister", "vice president", "vice-president", "president", "premier",
    "chancellor", "king", "emir", "crown prince", "sultan", "secretary of state", "secretary-general",
    "secretary general", "defense secretary", "defence secretary", "foreign secretary", "secretary",
    "high representative", "envoy", "diplomat", "ambassador", "negotiator", "mediator", "facilitator",
    "representative", "counterpart", "spokesman", "spokeswoman", "spokesperson", "commander", "field marshal",
    "marshal", "general", "gen.", "colonel", "col.", "leader", "chairman", "chairwoman", "chair",
    "head", "chief", "speaker", "senator", "adviser", "advisor", "official", "coordinator", "founder",
    "mullah", "sheikh", "sheik", "ayatollah", "mr.", "mrs.", "ms.", "dr.",
]
MODIFIERS = [
    "deputy", "acting", "assistant", "special", "senior", "chief", "former", "top", "lead", "interim",
    "first", "peace", "panel", "intelligence", "military", "political", "rebel", "opposition", "army",
    "delegation", "defence", "defense", "foreign", "eastern", "western", "then",
]
# These titles name a party by themselves (general knowledge of English news usage).
TITLE_PARTY = {"secretary of state": "united-states", "assistant secretary of state": "united-states"}
# Capitalized words that end a name or show it is not a person.
ORG_WORDS = {
    "army", "front", "council", "committee", "congress", "conference", "ministry", "party", "forces",
    "commission", "movement", "union", "assembly", "office", "center", "centre", "department",
    "national", "islamic", "state", "states", "nations", "government", "agreement", "accord", "talks",
    "process", "embassy", "coalition", "group", "platform", "province", "region", "city", "house",
    "court", "bank", "organization", "organisation", "republic", "kingdom", "declaration", "plan",
    "the", "a", "an", "in", "on", "at", "this", "that", "his", "her", "its", "their", "but", "and",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "dec", "nov", "oct", "sept", "aug",
}
PARTICLES = r"(?:al|el|ad|as|ash|at|de|di|da|du|van|von|der|den|bin|ibn|abu|bint|la|le|dos|das|del|y)"
SUFFIXES = {"ii", "iii", "iv", "jr", "sr"}
HONORIFICS = {"mullah", "sheikh", "sheik", "haj", "hajj", "al", "mr", "mrs", "ms", "dr", "gen"}

_CAP = r"[A-ZÀ-ÖØ-Þ](?:[\w’'-]*\w)?"
_INITIAL = r"[A-Z]\."
NAME = rf"(?:{_CAP})(?:\s+(?:(?:{PARTICLES}[\s-])?{_CAP}|{_INITIAL})){{0,5}}"


def _alternation(words) -> str:
    """A regex matching any of `words`, longest first, built as a trie: Python's re tries the
    branches of a flat alternation one by one at every position, a trie only the ones that fit."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(trie)


def _trie_regex(node: dict) -> str:
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _cased(words: list[str]) -> set[str]:
    """Each word as written in running text and capitalized before a name: a case-sensitive
    alternation of these is several times faster than a case-insensitive one."""
    def headline(w: str) -> str:  # "Secretary of State"
        return " ".join(x if x in ("of", "the", "for", "and") else x[:1].upper() + x[1:] for x in w.split())

    return {f for w in words for f in (w, w.title(), w[:1].upper() + w[1:], headline(w))}


TITLE = rf"(?:(?:{_alternation(_cased(MODIFIERS))})\s+)*(?:{_alternation(_cased(TITLES))})"
TITLE_NAME_RE = re.compile(
    rf"(?<![\w-])(?P<title>{TITLE}(?:\s+(?:and\s+)?{TITLE})*)\s+(?P<name>{NAME})")
# "intelligence chiefs, Hakan Fidan and Ali Mamlouk"
TITLES_LIST_RE = re.compile(
    rf"(?<![\w-])(?:{TITLE})(?:s,\s+(?P<first>{NAME})(?:\s+and\s+(?P<second>{NAME}))?|,\s+(?P<one>{NAME}),)")
LED_BY_RE = re.compile(rf"\b(?:led|headed|chaired|represented)\s+by\s+(?:{TITLE}\s+)?(?P<name>{NAME})")
# "X, the head of the Y", "X of the Y": found from the cheap literal part, then the name
# is read back from there (a name pattern tried at every capital letter is slow)
HEAD_OF_RE = re.compile(
    r",\s+(?:the\s+)?(?:\w+\s+)?(?:head|leader|chief\s+of\s+(?:the\s+)?(?:general\s+)?staff|chief|chairman|president|founder|"
    r"commander|secretary-general|coordinator)\s+of\s+|\s+of\s+the\s+")
# "former Nigerian President X" no longer speaks for Nigeria
FORMER_BEFORE_RE = re.compile(r"\bformer\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
APPOSITION_BEFORE_RE = re.compile(r"\w,\s+(?:the\s+)?$")
NAME_BEFORE_RE = re.compile(rf"(?<![\w-])(?P<name>{NAME})$")
POSSESSIVE_NAME_RE = re.compile(rf"['’]s\s+(?P<name>{NAME})")
# "Italy's premier", "Russian President": a title tied to a party, with or without a name after it
TITLE_AFTER_RE = re.compile(rf"^(?:['’]s)?\s+(?P<title>{TITLE})\b")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|from|to|into|outside|near|inside|across|via)\s+(?:the\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=20000)
def _name_tokens(name: str) -> tuple[str, ...]:
    return tuple(key_of(name).split())


@lru_cache(maxsize=20000)  # pure, and called for every alias of every person mentioned
def _surnames(name: str, *, minor: bool = False) -> frozenset[str]:
    """Forms a later mention may use alone: the last name, with and without al- (or, with
    `minor`, the other parts of a long name: "Murad" for Al Haj Murad Ebrahim)."""
    words = [w for w in re.split(r"\s+", re.sub(r"['’]s$", "", name.strip())) if w]
    words = [w for w in words if key_of(w) not in SUFFIXES]
    if len(words) < 2:
        return frozenset()
    if minor:
        out = {w for w in words[1:-1] if len(w) >= 4 and key_of(w) not in HONORIFICS
               and not re.fullmatch(PARTICLES, w, re.IGNORECASE)}
    else:
        out = {words[-1], re.sub(rf"^{PARTICLES}[-\s]", "", words[-1], flags=re.IGNORECASE)}
        if len(words) >= 3 and re.fullmatch(PARTICLES, words[-2], re.IGNORECASE):  # de Mistura
            out.add(f"{words[-2]} {words[-1]}")
    return frozenset(s for s in out if s[:1].isupper() or " " in s)


def _clean_name(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip())
    words = name.split()
    while words and key_of(words[-1]) in ORG_WORDS:
        words.pop()
    while words and (key_of(words[0]) in HONORIFICS | _TITLE_WORDS | {"the"}):
        words.pop(0)  # "Chief Executive Officer John Smith": the title is not the name
    return " ".join(words)


def _strip_titles(raw: str) -> str:
    """The name as written, less the title words before it (honorifics such as "Al Haj" stay:
    "Murad" alone still names Al Haj Murad Ebrahim)."""
    words = raw.split()
    while words and key_of(words[0]) in _TITLE_WORDS:
        words.pop(0)
    return " ".join(words)


_TITLE_WORDS = {w for t in TITLES + MODIFIERS for w in t.replace(".", "").split()} | {"executive", "officer"}


def _plausible(name: str) -> bool:
    toks = _name_tokens(name)
    return bool(toks) and not any(t in ORG_WORDS for t in toks) and len(name) > 2


def _same_person(a: str, b: str) -> bool:
    """Two spellings of one name: same first name and a close last name, or one is a surname of the other."""
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if ta[0] != tb[0] and ta[-1][:1] != tb[-1][:1]:  # cheap exit: nothing alike
        return False
    if len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0]:
        return fuzz.ratio(ta[-1].removeprefix("al"), tb[-1].removeprefix("al")) >= 60
    return fuzz.ratio(" ".join(ta), " ".join(tb)) >= 90


def add_known_person(ents: Entities, entry: Entry, start: int, end: int, confidence: float) -> Person:
    person = ents.persons.get(entry.key)
    if person is None:
        person = ents.persons[entry.key] = Person(
            entry.key, entry.key, names_of(entry), entry.data.get("party"), entry.data.get("title_en"),
            start, end, confidence)
        for name in person.names:
            person.surnames |= _surnames(name)
            person.minor |= _surnames(name, minor=True)
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
        party = None if former else party_before(ents, m.start(), m.start("name"))
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
        party = party_before(ents, m.start())
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
        name = _clean_name(raw)
        if not name or not _plausible(name):
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
        if person is None and len(_name_tokens(name)) < 2:
            continue  # a new person is introduced in full; "Chief Executive" is no one
        if person is None:
            ident = "new:" + key_of(name)
            person = ents.persons[ident] = Person(ident, None, [name], party, title, start, end, conf)
        elif name not in person.names:
            person.names.append(name)
        if person.end == 0:  # a gazetteer person found through a variant spelling
            person.start, person.end = start, end
        person.surnames |= _surnames(name)
        person.minor |= _surnames(name, minor=True) | _surnames(_strip_titles(raw), minor=True)
        owned = re.match(r"['’]s\s+", text[end:end + 3])  # "Assad's government": his party
        if owned and not party:
            party = next((h.ident for h in ents.hits if h.kind == "party" and h.start == end + owned.end()), None)
        if party and not person.party_key:
            person.party_key = party
        ents.hits.append(Hit(start, end, "person", person.ident))


def _led_party(ents: Entities, pos: int) -> str | None:
    """The party a "led by" follows: the nearest one before it in the sentence, skipping
    places of origin ("a delegation that flew in from Turkey, led by")."""
    floor = max(ents.text.rfind(". ", 0, pos), ents.text.rfind("\n", 0, pos))
    for h in sorted(ents.hits, key=lambda h: -h.start):
        if h.kind != "party" or h.end > pos or h.start < floor:
            continue
        if _LOCATIVE_BEFORE.search(ents.text[max(0, h.start - 20): h.start]):
            continue
        return h.ident
    return None


def _merge_target(ents: Entities, gazetteer: Gazetteer, name: str) -> Person | None:
    for person in ents.persons.values():
        if any(_same_person(name, n) for n in person.names) or name in person.surnames:
            return person
    entry = gazetteer.lookup("person", name)
    if entry is not None and len(_name_tokens(name)) >= 2:
        return add_known_person(ents, entry, 0, 0, 0.8)
    return None


# a capitalized word, with the particle before it if any ("de Mistura", "al-Hariri")
CAP_WORD_RE = re.compile(rf"(?<![\w-])(?:(?P<particle>{PARTICLES})[\s-])?(?P<word>{_CAP})(?![\w-])")


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
            if any(_same_person(variant, n) for n in person.names) and _plausible(variant):
                person.names.append(variant)
                person.surnames |= _surnames(variant)
                person.minor |= _surnames(variant, minor=True)
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
