"""Which conflict an article is about, and what its generic words mean there.

The reference data gives generic words («الحكومة», «المعارضة», "the government", "the rebels",
"safe zone", «منطقة منزوعة السلاح») as aliases of one conflict's records (Syria's, where they
occur most). In an article about another conflict they name that conflict's sides, not Syria's.

`rescope` runs on the gazetteer's mentions of one article, before either language's rules: a
generic mention whose entry belongs to a country the article names by no specific word (a
state, a group of that country, a place in it, a person of it, a zone or process of its war)
goes to the government of the article's own country when it names a government («الحكومة» in a
Mozambique story → Mozambique), and is dropped otherwise (a Syrian "safe zone" or Syrian
"rebels" in a Thai story). Language-neutral: both rule sets use it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from app.extract.gazetteer import Entry, Gazetteer, Mention
from app.extract.normalize import fold_arabic, key_of

# The words of an Arabic alias that names a side or a zone without naming its country.
_AR_GENERIC = set(fold_arabic(
    "الحكومة الحكومي الحكومية حكومة الوفد وفد الرسمي المعارضة معارضة المعارضين المعارضون النظام "
    "الفصائل فصائل المسلحة المسلحين مسلحي مقاتلي قوات القوات قوى الثوار الثورة الثورية العسكرية "
    "العسكري السلطات الجيش الجماعات جماعات المجموعات المتمردين المتمردون متمردي التحالف تحالف "
    "منطقة المنطقة مناطق المناطق آمنة الآمنة أمنية الأمنية منزوعة المنزوعة السلاح عازلة العازلة "
    "خفض التصعيد التهدئة تهدئة داخل في").split())
_WORD = re.compile(r"\w+")
_GOVERNMENT_WORDS = {key_of(w) for w in ("government", "الحكومة", "الحكومي", "الحكومية", "حكومة", "regime", "النظام")}


# states the reference data names as the guarantors, mediators or hosts of talks: third
# parties of many conflicts, whose name says nothing of which conflict it is
_THIRD = {"guarantor", "mediator", "host"}


@lru_cache(maxsize=8192)  # the same aliases come up in every article
def is_generic(alias: str) -> bool:
    """An alias naming no country: all lower case in English, only generic words in Arabic."""
    if alias.isascii():
        return alias == alias.lower()
    words = [re.sub(r"^(?:[وفبل]|لل)(?=ال)", "", w) for w in _WORD.findall(key_of(alias))]
    return bool(words) and all(w in _AR_GENERIC for w in words)


def _index(gaz: Gazetteer) -> dict:
    """Per gazetteer (rebuilt when it learns names): states by name, governments by country."""
    cached = gaz.derived.get("scope")
    if cached is None:
        states = {e.key: e for e in gaz.of_kind("party") if e.data.get("party_kind") == "state"}
        govs: dict[str, Entry] = {}
        for e in gaz.of_kind("party"):
            c = e.data.get("country")
            if e.data.get("party_kind") == "government" and c and (
                    c not in govs or (e.name_en or "").lower().endswith("government")):
                govs[c] = e
        names = [(s.key, (s.name_en or "").lower()) for s in states.values() if len(s.name_en or "") >= 4]
        cached = gaz.derived["scope"] = {"states": states, "govs": govs,
                                         "names": names, "country": {}}
    return cached


def country_of(gaz: Gazetteer, entry: Entry) -> str | None:
    """The country an entry belongs to: its own field, a state itself, a person's party's, or for a
    zone or process the state named in its conflict (its process's, for a zone) or its name."""
    idx = _index(gaz)
    memo = idx["country"]
    ident = (entry.kind, entry.key)
    if ident in memo:
        return memo[ident]
    found = entry.data.get("country")
    if entry.kind == "party" and entry.key in idx["states"]:
        found = entry.key
    elif entry.kind == "person" and entry.data.get("party"):
        party = gaz.get("party", entry.data["party"])
        found = country_of(gaz, party) if party else None
    elif entry.kind in ("zone", "process") and not found:
        proc = gaz.get("process", entry.data.get("process") or "") if entry.kind == "zone" else entry
        text = " ".join(filter(None, (entry.name_en, proc.data.get("conflict_en") if proc else None))).lower()
        found = next((k for k, n in idx["names"] if n in text), None)
    memo[ident] = found
    return found


# a state's name right before "government" names that government: "Venezuela's government"
_GOVERNMENT_AFTER = re.compile(r"(?:['’]s)?\s+government\b")
# "talks in Mexico City", "held at Nairobi": where talks are held, not whose war they are about
_VENUE_BEFORE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")


def _named_country(gaz: Gazetteer, entry: Entry) -> str | None:
    """A party of no country whose own names name one: the Saudi-led coalition's "Coalition to
    Restore Legitimacy in Yemen" makes its bare "coalition" Yemen's word, not a Myanmar story's."""
    if entry.kind != "party" or entry.data.get("party_kind") == "state":
        return None
    memo = _index(gaz)["country"]
    ident = ("named", entry.key)
    if ident not in memo:
        text = " | ".join(entry.names).lower()
        memo[ident] = next((k for k, n in _index(gaz)["names"] if re.search(rf"\b{re.escape(n)}\b", text)), None)
    return memo[ident]


def _weight(gaz: Gazetteer, m: Mention, text: str | None = None, filed: int = 0) -> int:
    """How much a mention says the article is about its country's conflict: a group, zone or
    process most, a place in it more than its capital or its own name; a third party's name
    (Russia, a guarantor), a venue of talks (Astana) or a dateline's city nothing; a state's own
    government ("Venezuela's government") as much as a group. -1: a capital or a state named as
    where something happens ("talks in Mexico City"): it shows the country is named, not that
    the article is about its war."""
    e = m.entry
    if m.start < filed:
        return 0  # the dateline: where the story was filed
    if m.kind == "party":
        if e.data.get("party_kind") == "state" or e.key == e.data.get("country"):
            if e.data.get("role") in _THIRD:
                return 0
            if text is not None:
                if _GOVERNMENT_AFTER.match(text, m.end):
                    return 3
                if _VENUE_BEFORE.search(text, max(0, m.start - 12), m.start):
                    return -1
            return 1
        return 3
    if m.kind == "place":
        if gaz.get("process", e.key) is not None:
            return 0
        capital = any("capital" in n or "العاصمة" in n for n in e.aliases)
        if capital and text is not None and _VENUE_BEFORE.search(text, max(0, m.start - 12), m.start):
            return -1
        return 1 if capital else 2
    if m.kind == "person":  # a state's leader or envoy is a third party as often as not
        party = gaz.get("party", e.data.get("party") or "")
        return 0 if party is None or party.data.get("party_kind") == "state" else 2
    return 3


def rescope(gaz: Gazetteer, mentions: list[Mention], text: str | None = None, filed: int = 0) -> list[Mention]:
    """The mentions, with generic words of another conflict's records moved to this article's
    government, or dropped. A country's own name (a mediator's, a host's) is no proof of what
    the article is about: a group, a place, a zone or a process of a country is."""
    mentions = _one_person_per_surname(mentions)
    generic, counts, seen, first, roles = [], Counter(), Counter(), {}, set()
    for i, m in enumerate(mentions):
        if m.kind in ("party", "zone") and is_generic(m.alias):
            generic.append(i)
            continue
        weight = _weight(gaz, m, text, filed)
        c = country_of(gaz, m.entry) if weight else None
        if not c:
            continue
        seen[c] += abs(weight)
        counts[c] += max(weight, 0)
        first.setdefault(c, i)
        if m.kind == "party" and weight == 3 and m.entry.data.get("role") and m.entry.data.get("party_kind") != "state":
            roles.add((m.entry.data["role"], c))
    if not generic or not seen or max(seen.values()) < 2:
        return mentions  # nothing says which conflict: the gazetteer's own reading
    idx = _index(gaz)
    home = max(counts, key=lambda c: (counts[c], -first[c]))
    strong = {c for c, n in seen.items() if n >= 2}
    out, drop = list(mentions), set()
    for i in generic:
        m = mentions[i]
        c = country_of(gaz, m.entry) or _named_country(gaz, m.entry)
        role = m.entry.data.get("role")
        if not c or c in seen or not (strong - {c}) or any(r == role and k != c for r, k in roles):
            continue  # its own country is named, or a side of that role elsewhere replaces it later
        words = set(_WORD.findall(key_of(m.alias)))
        if m.kind == "party" and words & _GOVERNMENT_WORDS and "government" in (role, m.entry.data.get("party_kind")):
            owner = _owner(gaz, mentions, i, text) if text is not None else None
            # "Venezuela's government", "Ebrard, whose government": that state's; else the article's
            target = idx["govs"].get(owner or home) or idx["states"].get(owner or home)
            if target is not None:
                out[i] = Mention(target, m.start, m.end, m.text, m.alias)
                continue
        drop.add(i)
    return [m for i, m in enumerate(out) if i not in drop]


_WHOSE_BEFORE = re.compile(r"\b(?:whose|its|his|her)\s+$", re.IGNORECASE)


def _owner(gaz: Gazetteer, mentions: list[Mention], i: int, text: str) -> str | None:
    """The state a generic "government" belongs to by the words before it: "Venezuela's
    government" (the state named right before it), or "Ebrard, whose government" (the state
    of the person or party named just before, in the same sentence)."""
    m = mentions[i]
    prev = mentions[i - 1] if i else None
    if prev is None or prev.kind not in ("party", "person"):
        return None
    c = country_of(gaz, prev.entry)
    if prev.kind == "party" and text[prev.end:m.start] in ("'s ", "’s "):
        return c if prev.entry.data.get("party_kind") == "state" else None
    if m.start - prev.end < 60 and _WHOSE_BEFORE.search(text, prev.end, m.start) and "." not in text[prev.end:m.start]:
        return c
    return None


def _one_person_per_surname(mentions: list[Mention]) -> list[Mention]:
    """A bare surname that several known persons share names the one the article names in
    full, else none of them: no context, no pick."""
    spans = Counter((m.start, m.end) for m in mentions if m.kind == "person")
    if all(n == 1 for n in spans.values()):
        return mentions
    full = {m.key for m in mentions if m.kind == "person" and len(_WORD.findall(m.alias)) > 1}
    return [m for m in mentions if m.kind != "person" or spans[(m.start, m.end)] == 1 or m.key in full]
