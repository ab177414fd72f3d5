"""Who an English article names: every mention of a party or a person, with its offsets.

`collect` finds the known names (gazetteer `find_mentions`), then lets english_persons add
the persons the gazetteer does not know and the spellings it does not list. Parties come from
the gazetteer only, with two corrections: "the Moscow and Cairo groups" names two groups, and
a generic alias ("the government") follows the article's own country when the gazetteer's
entry for it belongs to another ("government peace panel chair" in a Philippine story).

A meeting side is a party, or a person whose party is unknown (`Entities.side`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from app.extract.english_names import HONORIFICS, TITLE_WORDS
from app.extract.gazetteer import Entry, Gazetteer, Mention
from app.extract.scope import rescope
from app.extract.types import Ref


@dataclass
class Person:
    ident: str  # gazetteer key, or "new:" + first spelling
    key: str | None
    names: list[str]
    party_key: str | None
    title: str | None
    start: int  # where first named
    end: int
    confidence: float
    surnames: set[str] = field(default_factory=set)  # the last name, alone
    minor: set[str] = field(default_factory=set)  # other parts ("Murad" of Al Haj Murad Ebrahim)

    def ref(self) -> Ref:
        return Ref("person", self.key, list(self.names), party_key=self.party_key)


@dataclass
class Hit:
    """A party or person named at [start, end)."""

    start: int
    end: int
    kind: str  # party | person
    ident: str  # party key or person ident
    place: bool = False  # the same words also name a place (Moscow, Doha)


@dataclass
class Entities:
    text: str
    parties: dict[str, Entry]  # key -> entry, in order of first mention
    party_first: dict[str, tuple[int, int]]
    persons: dict[str, Person]
    hits: list[Hit]
    places: list[Mention]
    processes: list[Mention]
    zones: list[Mention]
    gazetteer: Gazetteer | None = None
    new_parties: dict[str, Entry] = field(default_factory=dict)  # named with their acronym, unknown to the gazetteer
    _party_names: dict[str, list[str]] = field(default_factory=dict)
    _starts: list[int] = field(default_factory=list)

    def side(self, hit: Hit) -> str:
        """What makes one side of a meeting: the party, or a person whose party is unknown."""
        if hit.kind == "party":
            return hit.ident
        person = self.persons[hit.ident]
        return person.party_key or hit.ident

    def party_ref(self, key: str) -> Ref:
        if key not in self._party_names:
            entry = self.parties.get(key)
            self._party_names[key] = names_of(entry) if entry else [key]
        # a party new to the gazetteer goes to the loader by its names, with no key
        return Ref("party", None if key.startswith("new:") else key, list(self._party_names[key]))

    def hits_in(self, start: int, end: int) -> list[Hit]:
        if len(self._starts) != len(self.hits):  # hits are sorted once collected
            self._starts = [h.start for h in self.hits]
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self.hits) and self.hits[i].start < end:
            if self.hits[i].end <= end:
                out.append(self.hits[i])
            i += 1
        return out


# "CITY —", "CITY, Region —", "CITY, May 16 (Reuters) -", "CITY, Country, May 16 (Reuters) -": where
# and by whom a story was filed
DATELINE = re.compile(r"\s*[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][A-Za-z.]*(?: [A-Za-z0-9.]+)?){0,2}"
                      r"(?: \([A-Z][A-Za-z .]*\))? ?(?:—|–|--|-) ")


def dateline_end(text: str) -> int:
    """The offset where the story's first sentence starts after its dateline (0 without one)."""
    m = DATELINE.match(text)
    return m.end() if m else 0


def collect(text: str, gazetteer: Gazetteer) -> Entities:
    # imported here: english_persons builds on the types of this module
    from app.extract import english_persons as persons

    # names in the dateline ("NAIROBI, May 16 (Reuters) -", "SOCHI, Russia —") say where the story
    # was filed, not who acted: places there stay (the talks' venue), parties and persons do not
    filed = dateline_end(text)
    raw = gazetteer.find_mentions(text)
    mentions = [m for m in rescope(gazetteer, raw, text, filed)
                if m.start >= filed or m.kind not in ("party", "person")]
    kept = {(m.start, m.end) for m in mentions}
    dropped = [m for m in raw if m.kind == "party" and m.start >= filed and (m.start, m.end) not in kept
               and m.entry.data.get("role") == "opposition"]
    place_spans = {(m.start, m.end) for m in mentions if m.kind == "place"}
    ents = Entities(text, {}, {}, {}, [], [m for m in mentions if m.kind == "place"],
                    [m for m in mentions if m.kind == "process"], [m for m in mentions if m.kind == "zone"], gazetteer)
    party_spans: set[tuple[int, int]] = set()
    for m in mentions:
        if m.kind == "party":
            # one span, one party: where an alias is shared, the first entry listed wins
            if (m.start, m.end) in party_spans:
                continue
            party_spans.add((m.start, m.end))
            ents.hits.append(Hit(m.start, m.end, "party", m.key, (m.start, m.end) in place_spans))
        elif m.kind == "person":
            if _another_given_name(text, m):
                continue  # "Mher Grigoryan" is not the Armen Grigoryan the bare surname names
            persons.add_known_person(ents, m.entry, m.start, m.end, 0.9)
            ents.hits.append(Hit(m.start, m.end, "person", m.key))
    _expand_ellipsis(ents, gazetteer)
    _resolve_generic(ents, gazetteer)
    _new_groups(ents)
    if dropped:
        _named_opposition(ents, dropped)
    for h in ents.hits:
        if h.kind == "party" and h.ident not in ents.parties:
            ents.parties[h.ident] = gazetteer.get("party", h.ident) or ents.new_parties.get(h.ident)
            ents.party_first[h.ident] = (h.start, h.end)
    titles = persons.title_parties(ents)
    persons.new_persons(ents, gazetteer, titles)
    words = persons.cap_words(text)
    persons.spelling_variants(ents, words)
    persons.surname_hits(ents, words)
    ents.hits.sort(key=lambda h: (h.start, -h.end))
    _panel_members(ents)
    return ents


# "the AU's panel of mediators, former Nigerian President A, B and C": they speak for the AU here
PANEL_AFTER_RE = re.compile(r"['’]s\s+(?:panel|team|envoys|mediators|delegation)(?:\s+of\s+\w+)?,\s+")
MEMBER_GAP_RE = re.compile(r"(?:,\s+|,?\s+and\s+)?(?:former\s+|the\s+)?(?:[\w.-]+\s+){0,4}")


def _panel_members(ents: Entities) -> None:
    """The persons listed right after "X's panel (of mediators)," are X's in this article."""
    for h in ents.hits:
        m = PANEL_AFTER_RE.match(ents.text, h.end) if h.kind == "party" and ents.text[h.end:h.end + 1] in "'’" else None
        if m is None:
            continue
        pos = m.end()
        for o in ents.hits:
            if o.start < pos or o.kind == "party":
                continue
            if not MEMBER_GAP_RE.fullmatch(ents.text, pos, o.start):
                break
            ents.persons[o.ident].party_key = h.ident
            pos = o.end


_GIVEN = re.compile(r"([A-Z][a-z][\w'-]*)\s+$")


def _another_given_name(text: str, m: Mention) -> bool:
    """A bare surname alias right after a capitalized word that is no title and not the
    person's own given name: another person of that surname."""
    if " " in m.alias.strip() or m.start == 0:
        return False
    before = _GIVEN.search(text, max(0, m.start - 30), m.start)
    if before is None:
        return False
    word = before.group(1)
    if word.lower().rstrip(".") in TITLE_WORDS or word.lower() in HONORIFICS:
        return False
    full = f"{word} {text[m.start:m.end]}".lower()
    return not any(n.lower().startswith(full) or f" {full}" in n.lower() for n in m.entry.names)


# "the Barisan Revolusi Nasional (BRN)": a group introduced with its acronym
_ACRONYM_RE = re.compile(r"\b((?:[A-Z][\w'-]+\s+(?:(?:of|for|the|and|de|du|la)\s+)?){1,6}[A-Z][\w'-]+)\s+\(([A-Z][A-Za-z-]{1,7})\)")


def _new_groups(ents: Entities) -> None:
    """A party the gazetteer lacks, named in full with its acronym in brackets (the acronym
    spells the initials of its capitalized words): that name, then the acronym, name it."""
    text = ents.text
    for m in _ACRONYM_RE.finditer(text):
        words = [w for w in m.group(1).split() if w[:1].isupper()]
        abbr = m.group(2)
        for k in range(len(words) - 1):  # "Thailand's government and the Barisan ...": the longest tail that spells it
            if "".join(w[0] for w in words[k:]).upper() == abbr.upper():
                break
        else:
            continue
        start = m.start(1) + m.group(1).index(words[k])
        if any(h.start < m.end() and start < h.end for h in ents.hits):
            continue  # a known name: the gazetteer's
        name = text[start:m.end(1)]
        key = "new:" + "-".join(w.lower() for w in re.findall(r"\w+", name))
        ents.new_parties[key] = Entry("party", key, name, None, [abbr], {})
        spans = [(start, m.end(1))] + [(a.start(), a.end()) for a in re.finditer(rf"\b{re.escape(abbr)}\b", text)
                                       if a.start() > m.end(1)]
        ents.hits += [Hit(a, b, "party", key) for a, b in spans
                      if not any(h.start < b and a < h.end for h in ents.hits)]
    ents.hits.sort(key=lambda h: (h.start, -h.end))


# "the Unitary Platform": a group named by its capitalized words and a group noun
_GROUP_NAME_RE = re.compile(r"\bthe\s+((?:[A-Z][\w'-]+\s+){1,3}(?:Platform|Alliance|Coalition|Front|Movement|Bloc))\b")


def _named_opposition(ents: Entities, dropped: list[Mention]) -> None:
    """"the opposition" of a war the gazetteer does not know (scope.rescope left another war's
    record out): the group the article names in a sentence that also says "opposition"
    ("Opposition negotiator X said the Unitary Platform would ..."), else nobody."""
    text = ents.text
    for m in _GROUP_NAME_RE.finditer(text):
        a, b = m.span(1)
        stop = max(text.rfind(". ", 0, a), text.rfind("\n", 0, a))
        end = min((k for k in (text.find(". ", b), text.find("\n", b)) if k >= 0), default=len(text))
        if not any(stop < d.start < end for d in dropped) or any(h.start < b and a < h.end for h in ents.hits):
            continue
        name = m.group(1)
        key = "new:" + "-".join(w.lower() for w in re.findall(r"\w+", name))
        ents.new_parties[key] = Entry("party", key, name, None, [d.text for d in dropped][:1], {"role": "opposition"})
        spans = [(a, b)] + [(x.start(), x.end()) for x in re.finditer(rf"\b{re.escape(name)}\b", text) if x.start() > b]
        spans += [(d.start, d.end) for d in dropped]
        ents.hits += [Hit(x, y, "party", key) for x, y in spans if not any(h.start < y and x < h.end for h in ents.hits)]
        ents.hits.sort(key=lambda h: (h.start, -h.end))
        return


def _expand_ellipsis(ents: Entities, gazetteer: Gazetteer) -> None:
    """"the Moscow and Cairo groups" names the Moscow group and the Cairo group."""
    for m in re.finditer(r"\b([A-Z][\w-]+) and ([A-Z][\w-]+) (groups|platforms|delegations|factions)\b", ents.text):
        found = []
        for g in (1, 2):
            entry = gazetteer.exact("party", f"{m.group(g)} {m.group(3)[:-1]}")
            if entry:
                found.append(Hit(m.start(g), m.end(g), "party", entry.key))
        if found:
            ents.hits = [h for h in ents.hits if not (h.start >= m.start() and h.end <= m.end())] + found


def _resolve_generic(ents: Entities, gazetteer: Gazetteer) -> None:
    """"the government" resolves to the article's own government party when the gazetteer's
    generic alias belongs to another country's ("government peace panel chair" in a Philippine story)."""
    specific_all = None
    alternatives: dict[tuple[str, bool], list[Hit]] = {}  # generic party -> the specific mentions that may replace it
    for i, h in enumerate(ents.hits):
        if h.kind != "party" or not _lower_word(ents.text, h):
            continue
        entry = gazetteer.get("party", h.ident)
        kind = party_kind(entry)
        armed = kind == "armed_group" and entry.data.get("role") == "opposition"  # "the separatists"
        if kind not in ("government", "opposition") and not armed:
            continue
        if ents.text[h.start:h.end].lower() not in _lower_names(entry):
            continue  # rescoped already: the article's own government («scope.rescope»)
        if specific_all is None:  # the parties named with their own words, once per article
            specific_all = [o for o in ents.hits if o.kind == "party" and not _lower_word(ents.text, o)]
        # "the rebels" of a war the gazetteer lists under another country: that war's armed group
        rebels = armed or kind == "opposition" and "rebel" in ents.text[h.start:h.end].lower()
        if (h.ident, rebels) not in alternatives:
            alternatives[(h.ident, rebels)] = [o for o in specific_all if _same_kind_elsewhere(gazetteer, o, h, entry, rebels)]
        specific = alternatives[(h.ident, rebels)]
        if rebels and _COUNTED_RE.search(ents.text, max(0, h.start - 24), h.start) \
                and ents.text[h.start:h.end].lower().endswith(("groups", "factions", "movements")):
            # "more than 40 rebel groups": many groups, not the one group the article names
            words = ents.text[h.start:h.end].lower()
            key = "new:" + re.sub(r"\W+", "-", words)
            ents.new_parties.setdefault(key, Entry("party", key, words, None, [], {"role": "opposition"}))
            ents.hits[i] = Hit(h.start, h.end, "party", key, h.place)
            continue
        before = [o for o in specific if o.start < h.start]
        best = before[-1] if before else (specific[0] if specific else None)  # nearest before, else first after
        if best is not None:
            ents.hits[i] = Hit(h.start, h.end, "party", best.ident, h.place)
        elif kind == "government":  # "Colombia's government ...": the government of the state named
            own = _state_government(ents, gazetteer, h, entry)
            if own is not None:
                ents.hits[i] = Hit(h.start, h.end, "party", own, h.place)


_COUNTED_RE = re.compile(r"\b(?:\d+|several|dozens\s+of|a\s+dozen|many|numerous|two|three|four|five|six|seven|eight|nine|ten)\s+$",
                         re.IGNORECASE)


def _lower_names(entry: Entry) -> frozenset[str]:
    """An entry's names in lower case (built once per entry)."""
    cached = entry.__dict__.get("_lower_names")
    if cached is None:
        cached = entry.__dict__["_lower_names"] = frozenset(n.lower() for n in names_of(entry))
    return cached


def _lower_word(text: str, h: Hit) -> bool:
    """A common noun: lower case, or capitalized only because it opens a sentence ("Government
    negotiators have not met ...")."""
    words = text[h.start:h.end]
    if words.islower():
        return True
    opens = h.start == 0 or text[max(0, h.start - 2):h.start] in (". ", "\n", "\n\n") or text[h.start - 1] == "\n"
    return opens and words[:1].isupper() and (len(words) == 1 or words[1:].islower())



def _state_government(ents: Entities, gazetteer: Gazetteer, generic: Hit, entry: Entry) -> str | None:
    """The government party of the first state the article names (the nearest before the
    generic word), when that state is not the generic alias's own country."""
    governments = gazetteer.derived.get("governments")
    if governments is None:
        governments = gazetteer.derived["governments"] = {
            e.data["country"]: e.key for e in gazetteer.of_kind("party")
            if party_kind(e) == "government" and e.data.get("country")}
    states = [o for o in ents.hits if o.kind == "party" and o.ident in governments and o.ident != entry.data.get("country")]
    before = [o for o in states if o.start < generic.start]
    state = before[-1] if before else (states[0] if states else None)
    return governments[state.ident] if state is not None else None


def _same_kind_elsewhere(gazetteer: Gazetteer, other: Hit, generic: Hit, entry: Entry, armed: bool = False) -> bool:
    """`other` is a party of the same kind as the generic `entry` (government, opposition; an
    armed group too when `armed`) but of another country."""
    o = gazetteer.get("party", other.ident)
    kinds = (party_kind(entry), "armed_group", "opposition") if armed else (party_kind(entry),)
    return (o is not None and other.ident != generic.ident
            and party_kind(o) in kinds and o.data.get("country") != entry.data.get("country"))


_NAMES: dict[tuple[str, str], tuple[Entry, list[str]]] = {}


def names_of(entry: Entry) -> list[str]:
    """`entry.names`, built once per entry (the property builds the list at every call, and the
    rules ask for the same few entries article after article). A new alias comes as a new Entry
    (Gazetteer.add), which the identity check sees."""
    cached = _NAMES.get((entry.kind, entry.key))
    if cached is None or cached[0] is not entry:
        cached = _NAMES[(entry.kind, entry.key)] = (entry, entry.names)
    return list(cached[1])


def party_kind(entry: Entry | None) -> str | None:
    """state / government / opposition ... (`party_kind`, from the database or the reference files)."""
    return entry.data.get("party_kind") if entry else None


def party_before(ents: Entities, pos: int, name_start: int | None = None) -> str | None:
    """The party named right before the title at `pos` ("Russian " / "Italy's "), or inside its
    words ("government peace panel chair", where the alias takes in part of the title)."""
    limit = pos if name_start is None else name_start
    for h in sorted(ents.hits, key=lambda h: -h.end):
        if h.kind == "party" and not h.place and h.start < limit and pos - 3 <= h.end <= limit:
            return h.ident
    return None


def overlaps(ents: Entities, start: int, end: int, kinds=("person", "party")) -> Hit | None:
    for h in ents.hits:
        if h.kind in kinds and h.start < end and start < h.end:
            return h
    return None


def other_kind_overlap(ents: Entities, start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in (*ents.places, *ents.processes, *ents.zones))

