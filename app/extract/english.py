"""English extraction rules: `extract_into(result, text, gazetteer)` fills an Extraction.

The work is split by kind:
  english_entities  every party and person named, with offsets (gazetteer mentions)
  english_persons   persons the gazetteer does not know (titles, "led by"), spellings, surnames
  english_names     what a name and a title look like (patterns, surnames, spellings alike)
  english_dates     date expressions resolved against the publication date
  english_meetings  meetings, phone calls and plenaries
  english_participants  who takes part in a meeting clause, and the sides
  english_rounds    rounds of a process
  english_zones     de-escalation / ceasefire / safe / buffer zones
This module holds what they share: the sentence walk, clauses, and the masking of reported
speech and attributions (", opposition sources said"), whose words are not event participants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.extract.gazetteer import Gazetteer
from app.extract.types import (
    ExtractedParty,
    ExtractedPerson,
    Extraction,
    Sentence,
    Span,
)

# --- clause and speech patterns (data) -------------------------------------------------------
# A clause ends at these; the named group says how the next clause relates to the one before:
# `but` keeps the subject when a verb follows ("X shook hands but did not hold talks"), and
# `when` when it has none of its own ("agreed on the truce when they met");
# `who` is about the name just before it ("U.S. envoy X, who met Y");
# `where` after a meeting names who was there; `rel` (", which brought together") tells more of the thing just named and `seq` (same
# subject, next action: "and then", "before"); both let the next clause inherit the subject
# and the date; `and` may be a mere continuation of a list (see CONTINUATION_RE).
BOUNDARY_RE = re.compile(
    r"(?P<but>,?\s+but\s+)|(?P<when>,?\s+when\s+)|(?P<hard>;|\s[—–]\s|\s--\s|,\s+while\s+|,\s+whereas\s+|"
    r",\s+whose\s+|,\s+although\s+|,\s+though\s+|,\s+as\s+|,\s+in\s+line\s+with\s+)"
    r"|(?P<where>,\s+where\s+)|(?P<who>,\s+who\s+)|(?P<rel>,\s+which\s+)"
    r"|(?P<seq>,?\s+and\s+then\s+|,?\s+before\s+|,?\s+after\s+|,\s+then\s+|,?\s+followed\s+by\s+)"
    r"|(?P<since>(?:(?<=\bmet)|(?<=spoken)|(?<=talked))\s+since\s+)"  # "have not met since X signed": another event
    r"|(?P<and>,\s+and\s+|\s+and\s+(?=(?:would|will|is\s+due\s+to|urged|asked|pressed|called\s+on|thanked)\s))"
    r"|(?P<andverb>\s+and\s+(?=(?:held|spoke|met)\s))"
)  # ("spoke by phone with X on Monday and would meet Y on Friday", "met X and spoke by phone with Y": two events; "and urged Z": not a side)
# A clause after ", and" that has no verb of its own continues the one before: a list of
# objects ("..., and Azerbaijani President Ilham Aliyev on Sunday") or "and with X on Friday".
_VERBISH = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|said|says|told|did|does|do|can|could|"
    r"flared|struck|took|left|made|went|came|began|saw|gave|kept)\b|\b(?<!-)\w{3,}ed\b(?!\s+by\b)")
SPEECH_RE = re.compile(
    r"\b(?:said|says|told\s+(?:\w+\s+){0,2}?(?:reporters|journalists|a\s+news\s+conference|(?:news\s+)?briefing|parliament|lawmakers|"
    r"(?:the\s+)?[\w-]+\s+(?:agency|newspaper|daily|channel|television|radio|broadcaster))|"
    r"announced|added|adding|stated|insisted|argued|warned|wrote)\b(?:\s+(?:late\s+|early\s+)?on\s+\w+)?(?:\s+that\b)?")
# ", opposition sources said." / ", the Kremlin said on Tuesday." at the end of a sentence
TAIL_ATTRIBUTION_RE = re.compile(
    r",\s+(?:[^,]{0,80}?\s)?(?:said|says|reported|announced|added|told\s+\w+)"
    r"(?:\s+(?:late\s+|early\s+)?on\s+\w+|\s+in\s+a\s+statement)?\s*[.!?]?[\"”’]?\s*$")
ACCORDING_RE = re.compile(r",?\s*\baccording\s+to\s+[^,.;]+")


@dataclass(frozen=True)
class Clause:
    start: int  # offsets into the article text
    end: int
    link: str  # how it follows the clause before: first | hard | seq | and


@dataclass
class SentenceView:
    """A sentence with the spans whose words are not event participants (attributions)."""

    index: int
    sentence: Sentence
    masked: list[tuple[int, int]] = field(default_factory=list)
    region: tuple[int, int] = (0, 0)  # where the events are told

    def is_masked(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.masked)

    @property
    def span(self) -> Span:
        return Span(self.sentence.start, self.sentence.end, self.sentence.text)


def view(index: int, sentence: Sentence, has_trigger) -> SentenceView:
    """Mask attributions; when speech is reported, keep the part that tells the event.

    `has_trigger(start, end)` says whether an event word lies in that part of the sentence
    (relative offsets): "X said the sides met" keeps what was said, "In a call with X, Y said
    it was important to ..." keeps what comes before "said".
    """
    text, base = sentence.text, sentence.start
    sv = SentenceView(index, sentence, region=(base, sentence.end))
    end = len(text)
    tail = TAIL_ATTRIBUTION_RE.search(text)
    if tail and tail.start() > 0:
        sv.masked.append((base + tail.start(), base + end))
        end = tail.start()
    for m in ACCORDING_RE.finditer(text, 0, end):
        sv.masked.append((base + m.start(), base + m.end()))
    speech = SPEECH_RE.search(text, 0, end)
    if speech:
        if has_trigger(speech.end(), end):
            sv.masked.append((base, base + speech.end()))
            sv.region = (base + speech.end(), base + end)
        else:
            sv.masked.append((base + speech.start(), base + end))
            sv.region = (base, base + speech.start())
    else:
        sv.region = (base, base + end)
    return sv


@lru_cache(maxsize=1024)  # the meeting, round and zone rules all read the same sentences
def clauses(text: str, start: int, end: int) -> tuple[Clause, ...]:
    """Split text[start:end] into clauses, rejoining ", and" continuations."""
    out: list[Clause] = []
    pos, link = start, "first"
    for m in BOUNDARY_RE.finditer(text, start, end):
        kind = m.lastgroup or "hard"
        out.append(Clause(pos, m.start(), link))
        pos, link = m.end(), kind
    out.append(Clause(pos, end, link))
    merged: list[Clause] = []
    for k, c in enumerate(out):
        # (not when a relative clause follows: "and U.S. envoy X, who met Y, said" has its verb later)
        next_link = out[k + 1].link if k + 1 < len(out) else None
        if merged and c.link == "since" and not _VERBISH.search(text, c.start, c.end):
            merged[-1] = Clause(merged[-1].start, c.end, merged[-1].link)  # "since 2011", "since the war"
        elif (merged and c.link == "and" and next_link not in ("who", "rel")
                and (not _VERBISH.search(text, c.start, c.end) or _open_between(text, merged[-1]))):
            merged[-1] = Clause(merged[-1].start, c.end, merged[-1].link)
        elif c.end > c.start:
            merged.append(c)
    return tuple(merged)


def _open_between(text: str, c: Clause) -> bool:
    """"talks between A, chief of staff of X, and B ... opened": the "and" closes the "between"."""
    at = text.rfind(" between ", c.start, c.end)
    return at >= 0 and " and " not in text[at:c.end]


def extract_into(result: Extraction, text: str, gazetteer: Gazetteer) -> Extraction:
    from app.extract import (
        english_entities,
        english_meetings,
        english_participants,
        english_rounds,
        english_zones,
    )

    ents = english_entities.collect(text, gazetteer)
    span_of = _sentence_of(result.sentences)
    # a party is reported where the text shows it acting, not only as a place or a modifier
    acting: set[str] = set()
    ends = {h.end for h in ents.hits if h.kind == "party"}
    for h in ents.hits:  # (one acting mention is enough: the rest of a party's are not tested)
        if text[h.start - 2:h.start] == " (" and h.start - 2 in ends:
            continue  # "the U.N. Support Mission in Libya (UNSMIL)": the name before it, again
        if h.kind == "party" and h.ident not in acting and english_participants.acts(text, h):
            acting.add(h.ident)
    acting |= {p.party_key for p in ents.persons.values() if p.party_key}
    # a state and its own government named both ("Ethiopia", "the Ethiopian government") are one party
    governed = {e.data.get("country") for k, e in ents.parties.items()
                if k in acting and e is not None and e.data.get("party_kind") == "government"}
    for key, entry in ents.parties.items():
        if key not in acting or (key in governed and entry is not None and entry.data.get("party_kind") == "state"):
            continue
        if entry is not None and (entry.name_ar or "").startswith("الدول "):
            continue  # a collective ("the guarantors", الدول الضامنة) is no party, as in Arabic
        start, end = ents.party_first[key]
        result.parties.append(ExtractedParty(
            ents.party_ref(key), entry.data.get("role") if entry else None, span_of(start, end),
            0.6 if key.startswith("new:") else 0.9,
            name_en=entry.name_en if entry else None, name_ar=entry.name_ar if entry else None))
    for person in ents.persons.values():
        if person.key is None or person.end > 0:  # a gazetteer person only when named here
            result.persons.append(ExtractedPerson(
                person.ref(), person.title, span_of(person.start, person.end), person.confidence,
                name_en=person.names[0]))
    english_meetings.extract_meetings(result, text, ents)
    english_rounds.extract_rounds(result, text, ents)
    english_zones.extract_zones(result, text, ents)
    return result


def _sentence_of(sentences: list[Sentence]):
    def span_of(start: int, end: int) -> Span:
        for s in sentences:
            if s.start <= start < s.end or (start == end == s.start):
                return Span(s.start, s.end, s.text)
        return Span(start, end, "")
    return span_of
