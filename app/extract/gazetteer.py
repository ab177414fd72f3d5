"""The gazetteer: every known name (and alias) of processes, parties, persons, places and zones.

It is built from plain records (dicts with `kind`, `key`, `name_en`, `name_ar`, `aliases` and
kind-specific fields such as `party`, `role`, `country`, `process`): the loader builds them from
the database, so an alias added through the API teaches the extractor; tests and `eval` can
build them straight from `seeds/reference/`.

`find_mentions` finds every known name in a text, longest match first, through Arabic
proclitics (و ف ب ل ك and لل → ال) and whatever the diacritics, tatweel, hamza and alef
forms; spans are offsets into the original text. `lookup` resolves a name not found verbatim by
fuzzy matching (rapidfuzz), which stays fast with thousands of aliases.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from rapidfuzz import fuzz, process

from app.extract.normalize import key_of, normalize_with_map

KINDS = ("process", "party", "person", "place", "zone")
_WORD = re.compile(r"\w+", re.UNICODE)
_ABBREV = re.compile(r"^[A-Z](?:[A-Z.\-]*[A-Z])?\.?$")


@dataclass
class Entry:
    kind: str
    key: str
    name_en: str | None
    name_ar: str | None
    aliases: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        seen: dict[str, None] = {}
        for name in (self.name_en, self.name_ar, *self.aliases):
            if name:
                seen.setdefault(name, None)
        return list(seen)

    @property
    def name(self) -> str:
        return self.name_en or self.name_ar or self.key


@dataclass(frozen=True)
class Mention:
    entry: Entry
    start: int  # offsets into the original text
    end: int
    text: str  # the original text of the span
    alias: str  # the alias that matched

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def key(self) -> str:
        return self.entry.key


class _Alias(NamedTuple):  # a tuple: made 56,000 times for a large record (a frozen dataclass: 15% slower build)
    tokens: tuple[str, ...]
    entry: Entry
    text: str
    case_sensitive: bool  # an all-capitals abbreviation (US, UN, HNC) must stay capitals


@lru_cache(maxsize=1 << 16)  # news reuses its words: most tokens were seen in an earlier article
def arabic_variants(token: str) -> tuple[str, ...]:
    """The token and its forms without Arabic proclitics (و ف, then ب ل ك, لل → ال)."""
    if token.isascii():  # no proclitics to strip: the common case in English text
        return (token,)
    out = [token]
    stems = [token]
    if len(token) > 3 and token[0] in "وف":
        stems.append(token[1:])
    for stem in list(stems):
        if len(stem) > 3 and stem.startswith("لل"):
            out.append("ال" + stem[2:])  # للحكومة → الحكومة
            out.append("ال" + stem[1:])  # للجنة → اللجنة (a stem that itself begins with ل)
        if len(stem) > 3 and stem[0] in "بلك":
            out.append(stem[1:])
    out.extend(stems[1:])
    return tuple(dict.fromkeys(out))


class Gazetteer:
    def __init__(self, entries: Iterable[Entry]):
        self.entries: dict[tuple[str, str], Entry] = {}
        self._first: dict[str, list[_Alias]] = defaultdict(list)
        # the same aliases indexed by their first one, two or three tokens, so find_mentions only
        # tries aliases that can match here: "U.S." alone starts dozens ("U.S. envoy", ...)
        self._one: dict[str, list[_Alias]] = defaultdict(list)
        self._two: dict[tuple[str, str], list[_Alias]] = defaultdict(list)
        self._three: dict[tuple[str, str, str], list[_Alias]] = defaultdict(list)
        self._seconds: dict[str, set[str]] = defaultdict(set)  # first token → the second tokens after it
        self._pairs3: set[tuple[str, str]] = set()  # first two tokens of the 3+-token aliases
        self._heads: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        # kind → name → {entry key: entry}, in the order first seen
        self._by_name: dict[str, dict[str, dict[str, Entry]]] = {k: defaultdict(dict) for k in KINDS}
        for entry in entries:
            self._index(entry)
        self._forget()

    # building -----------------------------------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]]) -> Gazetteer:
        entries = []
        for rec in records:
            rec = dict(rec)
            entries.append(
                Entry(
                    kind=rec.pop("kind"),
                    key=rec.pop("key"),
                    name_en=rec.pop("name_en", None),
                    name_ar=rec.pop("name_ar", None),
                    aliases=list(rec.pop("aliases", None) or []),
                    data=rec,
                )
            )
        return cls(entries)

    @classmethod
    def from_reference_dir(cls, root: Path) -> Gazetteer:
        return cls.from_records(read_reference_dir(root))

    def add(self, entry: Entry) -> None:
        self._index(entry)
        self._forget()

    def _forget(self) -> None:
        """Drop what was worked out from the entries (after a build, once; after an add, each time).
        `derived` holds what the extraction rules work out from them (venues, states, governments,
        ...): whatever they keep there depends on the entries as they are now, never on which
        articles were read before a name was added, so two copies taught the same names extract
        the same (app/loader/ahead.py)."""
        self._choices: dict[str, list[str]] = {}
        self._heads: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # see _variants_of
        self.derived: dict[str, Any] = {}

    def _index(self, entry: Entry) -> None:
        self.entries[(entry.kind, entry.key)] = entry
        by_name = self._by_name[entry.kind]
        for name in entry.names:
            key = key_of(name)
            toks = tuple(key.split(" ")) if key else ()  # key_of joins its \w+ tokens with one space
            if not toks:
                continue
            alias = _Alias(toks, entry, name, bool(_ABBREV.match(name.strip())))
            self._first[toks[0]].append(alias)
            if len(toks) > 1:
                self._seconds[toks[0]].add(toks[1])
            if len(toks) == 1:
                self._one[toks[0]].append(alias)
            elif len(toks) == 2:
                self._two[toks].append(alias)
            else:
                self._three[toks[:3]].append(alias)
                self._pairs3.add(toks[:2])
            # by key: an entry learned again replaces its old self in its place (a scan of the
            # bucket made a name shared by thousands of entries quadratic)
            by_name[key][entry.key] = entry

    # reading ------------------------------------------------------------------------------
    def get(self, kind: str, key: str) -> Entry | None:
        return self.entries.get((kind, key))

    def of_kind(self, kind: str) -> Iterator[Entry]:
        return (e for (k, _), e in self.entries.items() if k == kind)

    def exact(self, kind: str, name: str) -> Entry | None:
        found = self._by_name[kind].get(key_of(name))
        return next(iter(found.values())) if found else None

    def lookup(self, kind: str, name: str, *, cutoff: float = 88.0) -> Entry | None:
        """The entry whose name or alias is `name`, or the closest one above `cutoff`."""
        if hit := self.exact(kind, name):
            return hit
        choices = self._choices.get(kind)
        if choices is None:
            choices = self._choices[kind] = list(self._by_name[kind])
        best = process.extractOne(key_of(name), choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return next(iter(self._by_name[kind][best[0]].values())) if best else None

    def _variants_of(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The word's variants, and those of them that start some alias: memoized per word, as
        news repeats its words and most start no name (the cache is reset when an alias is added)."""
        hit = self._heads.get(word)
        if hit is None:
            if len(self._heads) > 1 << 16:  # bounded: a long-running loader sees many words
                self._heads.clear()
            variants = arabic_variants(word)
            hit = self._heads[word] = (variants, tuple(v for v in variants if v in self._first))
        return hit

    def find_mentions(self, text: str, kinds: Iterable[str] = KINDS,
                      normalized: tuple[str, list[int]] | None = None,
                      words: list[tuple[str, int, int]] | None = None) -> list[Mention]:
        """Every known name in `text`, longest first at each place, left to right.

        Where one span names entries of several kinds (Astana the process and the city), a
        mention is returned for each. `normalized` is `normalize_with_map(text)` when the caller
        already has it, and `words` its words as `word_spans(norm)` gives them.
        """
        wanted = set(kinds)
        norm, index = normalized or normalize_with_map(text)
        # the word scan runs in C (once per article when the caller passes it); Python only
        # visits the words that start some name
        if words is None:
            words = word_spans(norm)
        cache, variants_of = self._heads, self._variants_of
        found_v = [cache.get(w) or variants_of(w) for w, _, _ in words]
        variants = [v for v, _ in found_v]
        one, two, three, pairs3, seconds_of = self._one, self._two, self._three, self._pairs3, self._seconds
        no_seconds: set[str] = set()
        n_words = len(words)
        found: list[Mention] = []
        i = 0  # the first word not yet inside a mention
        for k, (_, heads) in enumerate(found_v):
            if not heads or k < i:
                continue
            i = k
            best_len, best = 0, []
            for first in heads:
                candidates = list(one.get(first, ()))
                seconds = seconds_of.get(first, no_seconds)
                if i + 1 < n_words and seconds:
                    for second in variants[i + 1]:
                        if second not in seconds:
                            continue
                        pair = (first, second)
                        candidates += two.get(pair, ())
                        if i + 2 < n_words and pair in pairs3:
                            for third in variants[i + 2]:
                                candidates += three.get((first, second, third), ())
                for alias in candidates:
                    if alias.entry.kind not in wanted:
                        continue
                    n = len(alias.tokens)
                    if n < best_len or i + n > n_words:
                        continue
                    if n > 3 and not all(alias.tokens[j] in variants[i + j] for j in range(3, n)):
                        continue
                    start, end = index[words[i][1]], index[words[i + n - 1][2] - 1] + 1
                    if alias.case_sensitive and not text[start:end].isupper():
                        continue
                    if n > best_len:
                        best_len, best = n, []
                    best.append((alias, start, end))
            if best_len:
                seen = set()
                for alias, start, end in _unambiguous(best, found):
                    ident = (alias.entry.kind, alias.entry.key)
                    if ident not in seen:
                        seen.add(ident)
                        found.append(Mention(alias.entry, start, end, text[start:end], alias.text))
                i += best_len
        return found


def word_spans(norm: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word (\\w+) of `norm`: one scan, the spans unpacked once."""
    out = []
    append = out.append
    for m in _WORD.finditer(norm):
        s, e = m.span()
        append((norm[s:e], s, e))
    return out


def _unambiguous(best: list[tuple[Any, int, int]], found: list[Mention]) -> list[tuple[Any, int, int]]:
    """The matches of one span, without a guess: where a name (a bare surname, «دي ميستورا»)
    belongs to several entries of one kind, keep the one it is the full name of, else the one
    the article already named, else none of them. Entries of different kinds (Astana the process
    and the city) all stay."""
    if len(best) == 1:
        return best
    by_kind: dict[str, list[tuple[Any, int, int]]] = {}
    for match in best:
        by_kind.setdefault(match[0].entry.kind, []).append(match)
    out = []
    for matches in by_kind.values():
        if len({m[0].entry.key for m in matches}) > 1:
            named = {m.entry.key for m in found}
            matches = ([m for m in matches if m[0].text in (m[0].entry.name_en, m[0].entry.name_ar)]
                       or [m for m in matches if m[0].entry.key in named])
            if len({m[0].entry.key for m in matches}) > 1:
                matches = []
        out.extend(matches)
    return out


def read_reference_dir(root: Path) -> list[dict[str, Any]]:
    """The records of `seeds/reference/<kind>s/*.yaml`, each with its `kind` set.

    A party's own `kind` (state, government, opposition, ...) would be overwritten by the record
    kind, so it is kept as `party_kind`, the name the database loader gives it.
    """
    records: list[dict[str, Any]] = []
    folders = {"processes": "process", "parties": "party", "persons": "person",
               "places": "place", "zones": "zone"}
    for folder, kind in folders.items():
        for path in sorted((root / folder).glob("*.yaml")):
            for rec in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                extra = {"party_kind": rec["kind"]} if "kind" in rec else {}
                records.append({**rec, **extra, "kind": kind})
    return records
