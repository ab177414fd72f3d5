"""What an English article told before the clause at hand, and how its meetings become rows:
the sides "the two delegations" mean, the deal "the ceremony" belongs to, the day "the
meeting" refers back to, and signings told across sentences merged into one plenary (see
english_meetings)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.extract.english import Clause, SentenceView
from app.extract.english_dates import find_dates
from app.extract.english_entities import Entities, Hit, dateline_end
from app.extract.english_meeting_words import (
    AGREED_RE,
    DEAL_RE,
    DEFINITE_EVENT_RE,
    GROUP_RE,
    GROUP_SIZE,
    NEGOTIATORS_RE,
)
from app.extract.english_participants import coordination, side_ref
from app.extract.types import ExtractedMeeting, Extraction


@dataclass
class Candidate:
    kind: str
    status: str
    sides: dict[str, list[Hit]]  # side key -> hits, in order of appearance
    sentence: SentenceView
    date: object = None
    precision: str = "unknown"
    closed: bool | None = None
    facilitator: str | None = None
    signing: bool = False
    subject: tuple[str, ...] = ()
    confidence: float = 0.7


@dataclass
class _State:
    groups: dict[int, list[str]] = field(default_factory=dict)  # "the two delegations": the last 2 sides met
    last_date: object = None  # the day of the last event told, for "the meeting" with no date
    dated: list[tuple[str, object]] = field(default_factory=list)  # (trigger text, date)
    deal: tuple[list[str], object] | None = None  # who agreed, and when: for "the deal was announced at"
    last_person: Hit | None = None  # the first person of the sentence before: whom "he"/"she" means
    last_first: Hit | None = None  # the first name of the sentence before: what "the delegation" means
    last_meeting: Candidate | None = None  # the last meeting told with its sides: what "the meeting" is
    lead_day: object = None  # the day the lead tells (not the dateline's)


def _groups_in(text, ents: Entities, clause: Clause, split: int, state: _State, subject, objects):
    """Add the sides "the two delegations" / "both sides" refer to (before `split`: subject).

    A group named before in the same sentence ("the defence ministers of Turkey and Syria ...
    the two countries'") or in an earlier one. Unresolved ("both men" with no two named) is
    reported, as a row without them would be wrong.
    """
    unresolved = False
    for m in GROUP_RE.finditer(text, clause.start, clause.end):
        word = m.group("n") or m.group("both") or m.group("bare") or ("each" if m.group("each") else "the")
        size = GROUP_SIZE[word.lower()]
        run = coordination(ents, ents.hits_in(clause.start, m.start()))
        if run and set(run) <= set(subject) and m.start() >= split:
            run = []  # "Lavrov and Cavusoglu held talks with both men": not themselves
        # "both delegations", "the two sides": those who made the deal, before whoever met last
        dealt = state.deal[0] if state.deal and NEGOTIATORS_RE.search(m.group()) else []
        group = run if len(run) == size else dealt if len(dealt) == size else state.groups.get(size)
        if not group and state.deal and len(state.deal[0]) == size:
            group = state.deal[0]  # "each leader", no pair met yet: those who made the deal
        if m.start() >= split and subject and objects and len({*subject, *objects}) == size:
            continue  # "X held talks with Y, with both sides describing them as positive": X and Y
        if not group:
            unresolved = True
            continue
        target = subject if m.start() < split else objects
        for side in group:
            if side not in subject and side not in objects:
                # (a side known only through its person, "Bob Beland" for Beland, is its party)
                target[side] = [Hit(m.start(), m.end(), "person" if side in ents.persons else "party", side)]
    return subject, objects, unresolved


def _borrowed_date(sv: SentenceView, head: str, state: _State, prev_date, sides=()):
    """A clause that names no date takes the day of the deal it announces, of the clause it
    continues ("and then held talks"), of the event "the meeting" refers back to, or of the deal
    its sides made ("X and Y agreed on Monday ... X and Y met for four hours in Brussels")."""
    if state.deal and DEAL_RE.search(sv.sentence.text):
        return state.deal[1], "day"
    if prev_date is not None:
        return prev_date, "day"
    if DEFINITE_EVENT_RE.search(head) and state.last_date:
        return state.last_date, "day"
    if state.deal and set(state.deal[0]) <= set(sides):
        return state.deal[1], "day"
    if sv.index == 1 and sides and state.lead_day:  # the paragraph after the lead tells the lead's event
        return state.lead_day, "day"
    return None, "unknown"


def _remember_lead_day(result: Extraction, text: str, sentence, state: _State) -> None:
    filed = dateline_end(text)
    days = [d for d in find_dates(sentence.text, result.published)
            if d.precision == "day" and not d.speech and sentence.start + d.start >= filed]
    state.lead_day = days[0].date if days else None


def _remember_deal(result: Extraction, ents: Entities, sentence, state: _State) -> None:
    """"Russia, Iran and Turkey agreed on Friday to ...": who made the deal, and the day."""
    agreed = AGREED_RE.search(sentence.text)
    if not agreed:
        return
    run = coordination(ents, ents.hits_in(sentence.start, sentence.start + agreed.start()))
    if len(run) >= 2:
        days = [d for d in find_dates(sentence.text, result.published) if d.precision == "day" and not d.speech]
        # the day nearest the verb, after it first: a dateline's ("DOHA, July 20 -") is the filing day
        days = [d for d in days if d.start > agreed.start()][:1] or days[-1:]
        state.deal = (run, days[0].date if days else None)


def _hosts(ents: Entities, clause: Clause) -> list[str]:
    """The state of a place named in the clause ("in the Kazakh capital" → Kazakhstan)."""
    out = []
    for p in ents.places:
        country = p.entry.data.get("country")
        if clause.start <= p.start < clause.end and country and ents.gazetteer and ents.gazetteer.get("party", country):
            out.append(country)
            ents.parties.setdefault(country, ents.gazetteer.get("party", country))
    return out


def _remember_pair(state: _State, ents: Entities, start: int, end: int, found: list[Candidate]) -> None:
    """The sides "the two delegations" / "the three leaders" will mean: the sides of the events
    of this sentence and, for two, the ones met by the same subject ("met the government, then
    the opposition"); else parties named together ("Armenia and Azerbaijan")."""
    objects: list[str] = []
    for c in found:
        if 2 <= len(c.sides) <= 4:
            state.groups[len(c.sides)] = list(c.sides)
        objects += [k for k in c.sides if k not in c.subject and k not in objects]
    if len(objects) == 2:
        state.groups[2] = objects
    else:  # "X and Y met with Z and the ministers of A, B and C": the two are X and Y
        pairs = [list(c.subject) for c in found if len(c.subject) == 2 and len(c.sides) >= 3]
        if pairs:
            state.groups[2] = pairs[-1]
    if not found:
        run = coordination(ents, ents.hits_in(start, end))
        if 2 <= len(run) <= 4:
            state.groups[len(run)] = run


def _merge_signings(candidates: list[Candidate]) -> list[Candidate]:
    """Signings within two sentences of each other are one ceremony: union of sides, first date;
    the evidence is the sentence that names the most sides."""
    out: list[Candidate] = []
    last_seen: dict[int, tuple[int, int]] = {}  # id(merged) -> (last sentence index, most sides named)
    for c in candidates:
        prev = next((p for p in reversed(out) if p.signing and p.kind == "plenary"), None)
        seen = last_seen.get(id(prev), (-9, 0))
        if (c.signing and c.kind == "plenary" and prev is not None and c.status == prev.status
                and c.sentence.index - seen[0] <= 2
                and (c.date is None or prev.date is None or c.date == prev.date)):
            for side, hits in c.sides.items():
                prev.sides.setdefault(side, hits)
            prev.date = prev.date or c.date
            prev.facilitator = prev.facilitator or c.facilitator
            if len(c.sides) > seen[1]:
                prev.sentence = c.sentence
            last_seen[id(prev)] = (c.sentence.index, max(seen[1], len(c.sides)))
            continue
        out.append(c)
        last_seen[id(c)] = (c.sentence.index, len(c.sides))
    return out


def _to_row(c: Candidate, ents: Entities) -> ExtractedMeeting:
    facilitator = None
    if c.facilitator:
        facilitator = side_ref(ents, c.facilitator, c.sides.get(c.facilitator, []))
    confidence = c.confidence - (0.1 if c.date is None else 0) - (0.1 if len(c.sides) > 4 else 0)
    return ExtractedMeeting(
        kind=c.kind, status=c.status, participants=[side_ref(ents, s, h) for s, h in c.sides.items()],
        evidence=c.sentence.span, confidence=round(confidence, 2), date=c.date,
        date_precision=c.precision if c.date else "unknown", closed=c.closed, facilitator=facilitator)


def _same(a: ExtractedMeeting, b: ExtractedMeeting) -> bool:
    """One event told twice: the same sides, or the same parties when one telling names no
    person ("after the meeting of the two countries' commissions" ... "the commissions, chaired
    by X and Y, met")."""
    def keys(m):
        return {(p.key or (p.names[0] if p.names else ""), p.party_key) for p in m.participants}

    def parties(m):
        return {p.party_key or p.key for p in m.participants}
    if (a.kind, a.status, a.date) != (b.kind, b.status, b.date):
        return False
    party_only = all(p.type == "party" for p in a.participants) or all(p.type == "party" for p in b.participants)
    return keys(a) == keys(b) or (party_only and None not in parties(a) and parties(a) == parties(b))
