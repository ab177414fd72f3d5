"""Talks named by their city: which process a city's talks belong to.

News often names talks only by where they are held («المحادثات في جدة», "talks in Geneva",
«قمة لواندا»), and one city hosts the talks of several conflicts (Geneva: Syria, Yemen, Sudan).
The candidates are the gazetteer's processes that carry the city's name in one of their names;
the one chosen is the one whose conflict names the most of the sides the article names (a
party, or the country it belongs to): the Houthis and the Yemeni government make
Geneva's talks those on Yemen. Language-neutral: both rule sets use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.extract.gazetteer import Entry, Gazetteer
from app.extract.normalize import key_of

_GENERIC = {"government", "opposition", "army", "forces", "the", "of", "and"}


# the words that name talks after their city, by kind: «محادثات جدة», «قمة لواندا»; "Geneva talks"
_HEADS = {
    "talks": "محادثات مفاوضات مباحثات مشاورات مسار منبر حوار عملية اجتماعات لقاءات جولة جولات "
             "talks process negotiations consultations dialogue platform meetings peace round",
    "summit": "قمة summit",
}
_HEADS = {kind: {key_of(w) for w in words.split()} for kind, words in _HEADS.items()}


def processes_at(gaz: Gazetteer, place: Entry, kind: str = "talks") -> list[Entry]:
    """The processes named after the place as talks («مفاوضات X», "X talks") or as a summit."""
    cache = gaz.derived.setdefault("venues", {})
    if (place.key, kind) in cache:
        return cache[(place.key, kind)]
    heads = _HEADS[kind]
    words = {tuple(key_of(n).split()) for n in place.names if n}
    words = {w for w in words if w and len(w) <= 2 and len("".join(w)) >= 3}  # its own names, not "Angolan capital"
    out = []
    for entry in gaz.of_kind("process"):
        for name in entry.names:
            toks = tuple(key_of(name).split())
            if any((toks[1:1 + len(w)] == w and toks[0] in heads)
                   or (toks[:len(w)] == w and len(toks) > len(w) and toks[len(w)] in heads) for w in words):
                out.append(entry)
                break
    cache[(place.key, kind)] = out
    return out


def _texts(entry: Entry) -> str:
    """The conflict the process belongs to, in both languages: processes of one conflict tie."""
    return f" {entry.data.get('conflict_en') or ''} | {entry.data.get('conflict_ar') or ''} ".lower()


# a country's name inside a longer one is not the country (Sudan in South Sudanese)
_LONGER = re.compile(r"(?:south|north|جنوب|شمال)\s*$")


def _names_in(text: str, names: set[str]) -> bool:
    for name in names:
        at = text.find(name)
        while at >= 0:
            if not text[at - 1].isalnum() and not _LONGER.search(text[max(0, at - 7):at]):
                return True
            at = text.find(name, at + 1)
    return False


def sides_of(parties: Iterable[Entry | None]) -> list[Entry]:
    """The article's parties, once each."""
    return list({p.key: p for p in parties if p is not None}.values())


def _side_names(gaz: Gazetteer, party: Entry) -> set[str]:
    """A party's own short names and its country's names, lowercased."""
    names = {n for n in (party.name_en, party.name_ar) if n}
    names |= {a for a in party.aliases if a and len(a) <= 12 and a.lower() not in _GENERIC}
    country = gaz.get("party", party.data.get("country") or "")
    if country is not None:
        names |= {n for n in (country.name_en, country.name_ar) if n}
    return {n.lower() for n in names if len(n) >= 3}


def score(gaz: Gazetteer, entry: Entry, sides: list[Entry]) -> int:
    """How many of the article's sides the process's conflict names (memoized per pair)."""
    cache = gaz.derived.setdefault("venues", {})
    total = 0
    for party in sides:
        hit = cache.get((entry.key, party.key))
        if hit is None:
            hit = cache[(entry.key, party.key)] = _names_in(_texts(entry), _side_names(gaz, party))
        total += hit
    return total


def choose(gaz: Gazetteer, candidates: Iterable[Entry], sides: list[Entry], default: Entry | None = None,
           least: int = 1) -> Entry | None:
    """The candidate naming the most sides, at least `least` of them; `default` on a tie with
    it, or when none names enough."""
    best, best_score = default, score(gaz, default, sides) if default is not None else least - 1
    for entry in candidates:
        if entry is best:
            continue
        s = score(gaz, entry, sides)
        if s > best_score:
            best, best_score = entry, s
    return best


def fits(gaz: Gazetteer, entry: Entry, sides: list[Entry]) -> bool:
    """Whether any of the article's sides belongs to the process: its conflict or one of the
    process's own names names it ("GPH-MILF peace talks" and the MILF). Kuala Lumpur's talks
    in a story about Thailand and the BRN are not the Philippine talks held there."""
    if not (entry.data.get("conflict_en") or entry.data.get("conflict_ar")) or score(gaz, entry, sides):
        return True  # (a process of no known conflict cannot be told apart)
    cache = gaz.derived.setdefault("venues", {})
    text = cache.get(("names", entry.key))
    if text is None:
        text = cache[("names", entry.key)] = " | ".join(entry.names).lower()
    return any(_names_in(" " + text, _side_names(gaz, party)) for party in sides
               if party.data.get("party_kind") not in (None, "state", "organization"))


def city_process(place: Entry, kind: str = "talks") -> Entry:
    """Talks the gazetteer does not know, held in a city it does: a new process named after the
    city («محادثات الخرطوم», "Khartoum talks"), keyed `new:` (the loader makes it by its names)."""
    ar, en = ("قمة", "summit") if kind == "summit" else ("محادثات", "talks")
    names = [n for n in (f"{place.name_en} {en}" if place.name_en else None,
                         f"{ar} {place.name_ar}" if place.name_ar else None) if n]
    return Entry("process", f"new:{kind}:{place.key}", names[0], names[-1] if len(names) > 1 else None,
                 [f"مفاوضات {place.name_ar}"] if place.name_ar and kind == "talks" else [], {})
