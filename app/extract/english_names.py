"""What a person's name and title look like in English news prose: the title words, the name
pattern, and the tests on names (a surname a later mention may use alone; two spellings of one
name). Data and pure functions; english_persons finds the persons with them."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

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

CAP = r"[A-ZÀ-ÖØ-Þ](?:[\w’'-]*\w)?"
_INITIAL = r"[A-Z]\."
NAME = rf"(?:{CAP})(?:\s+(?:(?:{PARTICLES}[\s-])?{CAP}|{_INITIAL})){{0,5}}"


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
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|from|to|into|outside|near|inside|across|via)\s+(?:the\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=20000)
def name_tokens(name: str) -> tuple[str, ...]:
    return tuple(key_of(name).split())


@lru_cache(maxsize=20000)  # pure, and called for every alias of every person mentioned
def surnames(name: str, *, minor: bool = False) -> frozenset[str]:
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


def clean_name(name: str) -> str:
    name = re.sub(r"['’]s$", "", name.strip())
    words = name.split()
    while words and key_of(words[-1]) in ORG_WORDS:
        words.pop()
    while words and (key_of(words[0]) in HONORIFICS | TITLE_WORDS | {"the"}):
        words.pop(0)  # "Chief Executive Officer John Smith": the title is not the name
    return " ".join(words)


def strip_titles(raw: str) -> str:
    """The name as written, less the title words before it (honorifics such as "Al Haj" stay:
    "Murad" alone still names Al Haj Murad Ebrahim)."""
    words = raw.split()
    while words and key_of(words[0]) in TITLE_WORDS:
        words.pop(0)
    return " ".join(words)


TITLE_WORDS = {w for t in TITLES + MODIFIERS for w in t.replace(".", "").split()} | {"executive", "officer"}


# the head nouns of an organisation's name: "the EU's External Action Service" names no person
ORG_HEADS = {"service", "agency", "mission", "headquarters", "secretariat", "authority", "directorate", "ministry",
             "council", "committee", "commission", "office", "department", "embassy", "center", "centre"}


def org_named(raw: str) -> bool:
    words = re.sub(r"['’]s$", "", raw.strip()).split()
    return bool(words) and key_of(words[-1]) in ORG_HEADS


def plausible(name: str) -> bool:
    toks = name_tokens(name)
    return bool(toks) and not any(t in ORG_WORDS for t in toks) and len(name) > 2


def same_person(a: str, b: str) -> bool:
    """Two spellings of one name: same first name and a close last name, or one is a surname of the other."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    if ta[0] != tb[0] and ta[-1][:1] != tb[-1][:1]:  # cheap exit: nothing alike
        return False
    if len(ta) >= 2 and len(tb) >= 2 and ta[0] == tb[0]:
        return fuzz.ratio(ta[-1].removeprefix("al"), tb[-1].removeprefix("al")) >= 60
    return fuzz.ratio(" ".join(ta), " ".join(tb)) >= 90
