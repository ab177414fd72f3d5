"""Meetings, phone calls and plenaries in English news prose.

A clause with a meeting word ("met", "held talks", "spoke by telephone", "closing session",
"signed") is one event; its participants are the parties and persons named in the clause,
one per side (a person and their party are one side), minus the words that are not
participants: places ("in Moscow"), topics ("discussed Syria with", "Turkey's offensive"),
attributions (", the Kremlin said"), and "X-led"/"pro-X" modifiers. "separately", "shuttled
between" and "phone calls" (plural) make one meeting per object; "the two delegations" /
"both sides" refer back to the last pair of sides met.

Status comes from the clause: a denial ("did not meet", "no face-to-face", "did not take
place", "have not met since", reports called false) beats everything, then cancelled,
postponed; a possibility ("should meet", "could meet", "hoped to meet", "did not rule out
meeting", "sought a meeting") or a condition ("if they meet") makes no row at all; "will
meet", "are due to", "is expected to" make it scheduled. So a denied, planned or merely
expected meeting is never reported as held.

"The deal was announced at the closing session" is a plenary of those who agreed to the deal
(and of the state of the place named), on the day they agreed.

Signings told across neighbouring sentences ("X and Y signed yesterday" ... "It was signed by
A and B in the presence of C") are one plenary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.extract.english import Clause, SentenceView, clauses, view
from app.extract.english_dates import find_dates
from app.extract.english_entities import Entities, Hit
from app.extract.english_participants import (
    coordination,
    group_sides,
    participants,
    side_ref,
)
from app.extract.types import ExtractedMeeting, Extraction

# --- patterns (data) ---------------------------------------------------------------------------
TRIGGERS = [  # (kind, pattern), tried in this order at each place
    ("phone_call", (r"(?<!-)\b(?:(?:tele)?phone(?:d)?\s+(?:call|conversation|talk)s?|(?:tele)?phoned|"
                   r"spoke\s+(?:by|on\s+the|over\s+the)\s+(?:tele)?phone|video\s?(?:call|conference)s?|"
                   r"(?:in|during|a|the)\s+(?:\w+\s+){0,2}call\s+with|the\s+call\b)")),
    ("plenary", (r"(?<!-)\b(?:(?:opening|closing|plenary|three-way|trilateral|four-way|final|inaugural|signing)"
                r"\s+(?:session|ceremony|meeting)s?|plenary|ceremony|signed|signing)\b")),
    ("meeting", (r"(?<!-)\b(?:(?:met|meet|meets)\b(?!\s+(?:\w+\s+){0,2}(?:commitments?|obligations?|demands?|"
                r"conditions?|targets?|deadlines?|requirements?|criteria|needs|expectations|goals?)\b)|"
                r"meeting|meetings|talks\s+with|negotiated|negotiate|"
                r"(?:held|hold|holding|hosted|hosting)\s+(?:[\w-]+\s+){0,3}(?:talks|meetings?|consultations|discussions|negotiations)|"
                r"talks\s+between|"
                r"host(?:s|ed|ing)?\b(?!\s+by\b)|spoke\s+(?:with|to)|discussed(?=[^.;]*\bwith\b)|brought\s+together|bring\s+together|"
                r"brought\s+[^.;,]{1,80}?\s+together|shuttled\s+between|received|"
                r"issued\s+a\s+joint\s+(?:declaration|statement|communiqu[eé]))\b")),
]
TRIGGER_RE = re.compile("|".join(f"(?P<{kind}>{p})" for kind, p in TRIGGERS), re.IGNORECASE)
# the same, case-sensitive, for lower-cased text: several times faster than re.I
_TRIGGER_LOWER_RE = re.compile("|".join(f"(?P<{kind}>{p})" for kind, p in TRIGGERS))
SIGNING_RE = re.compile(r"\bsign(?:ed|ing)\b", re.IGNORECASE)
DENIED_RE = re.compile(
    r"\b(?:did\s+not|didn[’']t|does\s+not|do\s+not|never|denied|deny|denies|refused\s+to|"
    r"no\s+face[- ]to[- ]face|no\s+(?:direct\s+)?(?:meeting|talks|contacts?)\s+(?:between|with)|not\s+(?:meet|negotiate|take\s+place|hold)|failed\s+to\s+(?:meet|take\s+place)|"
    r"(?:has|have|had)\s+not\s+(?:met|held|spoken)|(?:hasn|haven|hadn)[’']t\s+(?:met|held|spoken)|"
    r"(?:false|untrue|baseless|fabricated|not\s+true))\b", re.IGNORECASE)
CANCELLED_RE = re.compile(r"\b(?:cancel(?:l)?ed|called\s+off|scrapped|cancel(?:l)?ation)\b", re.IGNORECASE)
POSTPONED_RE = re.compile(r"\b(?:postponed|delayed|put\s+off|pushed\s+back|rescheduled|postponement)\b", re.IGNORECASE)
# modal right before the meeting word: a proposal or a possibility, not an event
MODAL_BEFORE_RE = re.compile(r"\b(?:should|could|might|may|must|would\s+like\s+to|ready\s+to|willing\s+to|"
                             r"offered\s+to|wants?\s+to|wanted\s+to|hop(?:e|es|ed|ing)\s+to|proposed\s+to|without|"
                             r"rul(?:e|es|ed|ing)\s+out|s(?:ought|eeks?|eeking)|request(?:s|ed)?|asked\s+for|"
                             r"invit(?:e|es|ed|ing)\s+\w+\s+(?:to|for))\s+(?:\w+\s+)?$", re.IGNORECASE)
# a condition: "If Putin and Erdogan meet, ..." tells no event
CONDITION_RE = re.compile(r"^\W*(?:if|unless|whether)\b|\b(?:if|unless|whether)\s+(?:[\w.'’-]+\s+){0,6}$", re.IGNORECASE)
PHONE_ANY_RE = re.compile(r"\b(?:by|over\s+the|on\s+the)\s+(?:tele)?phone\b|\btelephone\b", re.IGNORECASE)
SCHEDULED_BEFORE_RE = re.compile(
    r"\b(?:will|shall|due\s+to|expected\s+to|scheduled\s+to|set\s+to|plans?\s+to|planning\s+to|"
    r"are\s+to|is\s+to|to\s+be\s+held|upcoming|planned|would)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
SCHEDULED_ANY_RE = re.compile(r"\b(?:scheduled\s+for|to\s+be\s+held|will\s+be\s+held|is\s+due\s+to|are\s+due\s+to|"
                              r"no\s+date\s+(?:has\s+been|had\s+been|was)\s+set)\b", re.IGNORECASE)
SEPARATE_RE = re.compile(r"\b(?:separate(?:ly)?|individually|shuttled|in\s+turn|phone\s+calls|calls)\b", re.IGNORECASE)
HOST_VERB_RE = re.compile(r"\b(?:hosted|hosting|hosts|presided\s+over|chaired)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)  # the subject hosts
WHOSE_FACILITATES_RE = re.compile(
    r"(?:government|country|group|organi[sz]ation)\s+(?:has\s+|had\s+)?"
    r"(?:facilitated|mediated|brokered|hosted|sponsored)\b", re.IGNORECASE)
CLOSED_RE = re.compile(r"\b(?:behind\s+closed\s+doors|closed-door|in\s+camera|in\s+private|privately)\b", re.IGNORECASE)
GROUP_RE = re.compile(  # "the two delegations", "both sides", "the three leaders", "the two were due to"
    r"\b(?:the\s+(?P<n>two|three|four)|(?P<both>[Bb]oth))\s+(?:(?:main|rival|warring|foreign|defence|defense|"
    r"guarantor)\s+)?(?:delegations|sides|ministers|leaders|men|women|countries|parties|governments|presidents|"
    r"camps|rivals|negotiating\s+teams|delegates|powers|states|guarantors|envoys)\b"
    r"|\bthe\s+(?P<bare>two|three)(?=\s+(?:were|had|have|are|met|did|will|would)\b)", re.IGNORECASE)
AGREED_RE = re.compile(r"\b(?:agreed|signed|sealed|reached\s+(?:an?\s+)?(?:deal|agreement|accord))\b", re.IGNORECASE)
DEAL_RE = re.compile(r"\bthe\s+(?:deal|agreement|accord|(?:signing\s+)?ceremony)\b", re.IGNORECASE)
GROUP_SIZE = {"two": 2, "three": 3, "four": 4, "both": 2}
VERB_START_RE = re.compile(r"(?:did|does|do|was|were|had|has|have|would|could|is|are|then|also|again|never|"
                           r"still|\w+ed)\b")
ROUND_COVERED_RE = re.compile(r"\bfor\s+the\s+(?:\w+\s+){1,2}round\b", re.IGNORECASE)
DEFINITE_EVENT_RE = re.compile(r"\bthe\s+(?:\w+\s+)?(?:meeting|talks|session|call|ceremony|gathering)\b", re.IGNORECASE)


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


def extract_meetings(result: Extraction, text: str, ents: Entities) -> None:
    state = _State()
    candidates: list[Candidate] = []
    lower = text.lower()
    triggers = list(_TRIGGER_LOWER_RE.finditer(lower) if len(lower) == len(text) else TRIGGER_RE.finditer(text))
    for i, sentence in enumerate(result.sentences):
        here = [m for m in triggers if sentence.start <= m.start() < sentence.end]
        _remember_deal(result, ents, sentence, state)
        if not here:
            _remember_pair(state, ents, sentence.start, sentence.end, [])
            continue
        base = sentence.start
        sv = view(i, sentence, lambda s, e, b=base, t=here: any(b + s <= m.start() < b + e for m in t))
        found = _sentence_meetings(result, text, ents, sv, state, here)
        _remember_pair(state, ents, sentence.start, sentence.end, found)
        candidates.extend(found)
    for c in _merge_signings(candidates):
        if len(c.sides) < 2:
            continue
        meeting = _to_row(c, ents)
        if not any(_same(meeting, m) for m in result.meetings):
            result.meetings.append(meeting)


def _sentence_meetings(result, text, ents, sv: SentenceView, state: _State, triggers) -> list[Candidate]:
    out: list[Candidate] = []
    prev_subject: dict[str, list[Hit]] = {}
    prev_objects: dict[str, list[Hit]] = {}
    prev_date = None
    for d in find_dates(sv.sentence.text, None):
        if d.anchor:  # "on the day of the Doha ceremony" is a date, not an event or a party
            sv.masked.append((sv.sentence.start + d.start, sv.sentence.start + d.end))
    for clause in clauses(text, *sv.region):
        trig = [m for m in triggers if clause.start <= m.start() and m.end() <= clause.end
                and not sv.is_masked(m.start(), m.end())]
        if not trig:
            facilitator, hits = participants(text, ents, sv, clause)
            sides, _, _ = _groups_in(text, ents, clause, clause.end, state, group_sides(ents, hits), {})
            whose = (text[max(0, clause.start - 7):clause.start].rstrip().endswith("whose")
                     and WHOSE_FACILITATES_RE.match(text, clause.start, clause.end))
            if whose and out:  # "Najib Razak, whose government has facilitated the negotiations"
                named = ents.hits_in(sv.sentence.start, clause.start)
                out[-1].facilitator = out[-1].facilitator or (ents.side(named[-1]) if named else None)
            elif clause.link == "where" and out:  # "at a meeting in Paris, where X and Y endorsed"
                for side, side_hits in sides.items():
                    out[-1].sides.setdefault(side, side_hits)
            elif sides:  # the subject a later "but did not meet" / "and then met" goes on with
                prev_subject, prev_objects, prev_date = sides, {}, None
            continue
        first = trig[0]
        body = text[clause.start:clause.end]
        before = text[clause.start:first.start()]
        if MODAL_BEFORE_RE.search(before) or CONDITION_RE.search(before):
            continue
        if ROUND_COVERED_RE.search(body) and first.lastgroup == "meeting" and re.match(r"met|meet", first.group(), re.IGNORECASE):
            continue
        kind = _kind(trig, body)
        status = _status(body, before)
        facilitator, hits = participants(text, ents, sv, clause)
        subject = group_sides(ents, [h for h in hits if h.start < first.start()])
        objects = group_sides(ents, [h for h in hits if h.start >= first.start()])
        subject, objects, unresolved = _groups_in(text, ents, clause, first.start(), state, subject, objects)
        if unresolved and len(subject) + len(objects) < 3:
            continue  # "talks with both men", the two unknown: a row without them would be wrong
        continues = clause.link in ("seq", "and", "rel", "where", "when", "who") or (
            clause.link == "but" and VERB_START_RE.match(text, clause.start))
        inherits = continues and bool(prev_subject or prev_objects)
        if not subject and inherits:
            if clause.link == "who":  # the person just named
                last = list({**prev_subject, **prev_objects}.items())[-1]
                subject = {last[0]: last[1]}
            elif clause.link in ("rel", "when"):  # the event just told, or "when they met"
                subject = {**prev_subject, **prev_objects}
            else:
                subject = dict(prev_subject)
            if not objects and kind == "plenary":
                objects = dict(prev_objects)
        hosts = HOST_VERB_RE.search(text, clause.start, first.start()) or re.match(r"host|presid|chair", first.group(), re.IGNORECASE)
        if hosts and subject:
            facilitator = facilitator or next(iter(subject))
        if kind == "plenary" and len(subject) + len(objects) < 2 and state.deal and DEAL_RE.search(sv.sentence.text):
            # "The deal was announced at the closing session ... in the Kazakh capital": those who
            # agreed, with the host of the place, on the day they agreed
            for side in state.deal[0] + _hosts(ents, clause):
                objects.setdefault(side, [])
        if kind == "plenary" and facilitator and len(subject) + len(objects) < 3:
            for side in state.groups.get(2, []):  # "Blinken hosted a closing session": the host and the two sides
                if side not in subject and side not in objects:
                    objects[side] = []
        dates = [d for d in find_dates(body, result.published, future=status == "scheduled", warnings=result.warnings)
                 if not d.speech and not sv.is_masked(clause.start + d.start, clause.start + d.end)]
        date, precision = _clause_date(dates, first.start() - clause.start, state)
        if date is None and not dates:
            date, precision = _borrowed_date(sv, body[: first.end() - clause.start], state,
                                             prev_date if inherits else None)
        closed = True if CLOSED_RE.search(body) else None
        signing = bool(SIGNING_RE.search(body))
        if SEPARATE_RE.search(body) and not subject and len(objects) > 2:
            first_side = next(iter(objects))  # "phone calls in which Blinken urged X ..., and Y"
            subject = {first_side: objects.pop(first_side)}
        if SEPARATE_RE.search(body) and subject and len(objects) > 1:
            for side, side_hits in objects.items():
                d = _object_date(dates, side_hits, clause.start) or (date, precision)
                out.append(Candidate(kind, status, {**subject, side: side_hits}, sv, d[0], d[1], closed, facilitator,
                                     signing, tuple(subject)))
        else:
            out.append(Candidate(kind, status, {**subject, **objects}, sv, date, precision, closed, facilitator,
                                 signing, tuple(subject)))
        if date is not None and precision == "day":
            state.last_date = date
            state.dated.append((body, date))
        prev_subject, prev_objects, prev_date = subject, objects, date
    return out


def _groups_in(text, ents: Entities, clause: Clause, split: int, state: _State, subject, objects):
    """Add the sides "the two delegations" / "both sides" refer to (before `split`: subject).

    A group named before in the same sentence ("the defence ministers of Turkey and Syria ...
    the two countries'") or in an earlier one. Unresolved ("both men" with no two named) is
    reported, as a row without them would be wrong.
    """
    unresolved = False
    for m in GROUP_RE.finditer(text, clause.start, clause.end):
        size = GROUP_SIZE[(m.group("n") or m.group("both") or m.group("bare")).lower()]
        run = coordination(ents, ents.hits_in(clause.start, m.start()))
        if run and set(run) <= set(subject) and m.start() >= split:
            run = []  # "Lavrov and Cavusoglu held talks with both men": not themselves
        group = run if len(run) == size else state.groups.get(size)
        if not group:
            unresolved = True
            continue
        target = subject if m.start() < split else objects
        for side in group:
            if side not in subject and side not in objects:
                target[side] = [Hit(m.start(), m.end(), "party" if side in ents.parties else "person", side)]
    return subject, objects, unresolved


def _kind(trig: list[re.Match], body: str) -> str:
    """phone_call if any meeting word is a call, else plenary if one is a session or a signing."""
    kind = next((m.lastgroup for m in trig if m.lastgroup == "phone_call"), None) or \
        next((m.lastgroup for m in trig if m.lastgroup == "plenary"), "meeting")
    if kind == "plenary" and re.search(r"\bseparate", body, re.IGNORECASE):
        return "meeting"  # "in separate sessions"
    if kind == "meeting" and PHONE_ANY_RE.search(body):  # "spoke to Putin by phone"
        return "phone_call"
    return kind


def _borrowed_date(sv: SentenceView, head: str, state: _State, prev_date):
    """A clause that names no date takes the day of the deal it announces, of the clause it
    continues ("and then held talks"), or of the event "the meeting" refers back to."""
    if state.deal and DEAL_RE.search(sv.sentence.text):
        return state.deal[1], "day"
    if prev_date is not None:
        return prev_date, "day"
    if DEFINITE_EVENT_RE.search(head) and state.last_date:
        return state.last_date, "day"
    return None, "unknown"


def _status(body: str, before: str) -> str:
    if DENIED_RE.search(body):
        return "denied"
    if CANCELLED_RE.search(body):
        return "cancelled"
    if POSTPONED_RE.search(body):
        return "postponed"
    if SCHEDULED_BEFORE_RE.search(before) or SCHEDULED_ANY_RE.search(body):
        return "scheduled"
    return "held"


def _clause_date(dates, trigger_pos: int, state: _State):
    """The first date after the meeting word, else the last one before it."""
    after = [d for d in dates if d.start >= trigger_pos]
    before = [d for d in dates if d.start < trigger_pos]
    for d in after[:1] or before[-1:]:
        if d.anchor:
            for body, day in reversed(state.dated):
                if d.anchor in body.lower():
                    return day, "day"
            return None, "unknown"
        return d.date, d.precision
    return None, "unknown"


def _object_date(dates, side_hits: list[Hit], base: int):
    """For one object of "separately"/"phone calls": the first date after its name."""
    if not side_hits:
        return None
    pos = side_hits[-1].end - base
    for d in dates:
        if d.start >= pos:
            return d.date, d.precision
    return None


def _remember_deal(result: Extraction, ents: Entities, sentence, state: _State) -> None:
    """"Russia, Iran and Turkey agreed on Friday to ...": who made the deal, and the day."""
    agreed = AGREED_RE.search(sentence.text)
    if not agreed:
        return
    run = coordination(ents, ents.hits_in(sentence.start, sentence.start + agreed.start()))
    if len(run) >= 2:
        days = [d for d in find_dates(sentence.text, result.published) if d.precision == "day" and not d.speech]
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
    def keys(m):
        return {(p.key or (p.names[0] if p.names else ""), p.party_key) for p in m.participants}
    return a.kind == b.kind and a.status == b.status and a.date == b.date and keys(a) == keys(b)
