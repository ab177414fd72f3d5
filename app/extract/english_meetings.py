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

from app.extract.english import SentenceView, clauses, view
from app.extract.english_dates import find_dates
from app.extract.english_entities import Entities, Hit
from app.extract.english_meeting_memory import (
    Candidate,
    _borrowed_date,
    _groups_in,
    _hosts,
    _merge_signings,
    _remember_deal,
    _remember_lead_day,
    _remember_pair,
    _same,
    _State,
    _to_row,
)
from app.extract.english_meeting_words import (
    _TRIGGER_LOWER_RE,
    CLOSED_RE,
    CONDITION_RE,
    DEAL_RE,
    HOST_VERB_RE,
    MODAL_BEFORE_RE,
    ATTENDED_BY_RE,
    DELEGATION_SUBJECT_RE,
    NO_OTHER_SPEAKER_RE,
    PRONOUN_SUBJECT_RE,
    TALKED_OF_AFTER_RE,
    ROUND_COVERED_RE,
    SEPARATE_RE,
    SIGNING_RE,
    TRIGGER_RE,
    VERB_START_RE,
    WHOSE_FACILITATES_RE,
    _clause_date,
    _kind,
    _object_date,
    _status,
)
from app.extract.english_participants import (
    group_sides,
    participants,
)
from app.extract.types import Extraction


def extract_meetings(result: Extraction, text: str, ents: Entities) -> None:
    state = _State()
    candidates: list[Candidate] = []
    lower = text.lower()
    triggers = list(_TRIGGER_LOWER_RE.finditer(lower) if len(lower) == len(text) else TRIGGER_RE.finditer(text))
    for i, sentence in enumerate(result.sentences):
        here = [m for m in triggers if sentence.start <= m.start() < sentence.end]
        _remember_deal(result, ents, sentence, state)
        if i == 0:
            _remember_lead_day(result, text, sentence, state)
        if i:  # "He said he would convene ...": the person the sentence before was about
            before = result.sentences[i - 1]
            named = ents.hits_in(before.start, before.end)
            state.last_person = next((h for h in named if h.kind == "person"), state.last_person)
            state.last_first = named[0] if named else state.last_first
        if not here:
            _remember_pair(state, ents, sentence.start, sentence.end, [])
            continue
        base = sentence.start
        sv = view(i, sentence, lambda s, e, b=base, t=here: any(b + s <= m.start() < b + e for m in t))
        found = _sentence_meetings(result, text, ents, sv, state, here)
        _remember_pair(state, ents, sentence.start, sentence.end, found)
        candidates.extend(found)
        state.last_meeting = next((c for c in reversed(found) if len(c.sides) >= 2), state.last_meeting)
    merged = _merge_signings(candidates)
    _join_attendees(merged)
    for c in merged:
        if len(c.sides) < 2 or _signed_at_meeting(c, merged):
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
            elif clause.link == "who" and out and (tail := _LIST_TAIL_RE.search(text, clause.start, clause.end)):
                # "attended by A, B, who leads X, and the Taliban's chief, C": C is listed too
                for side, side_hits in group_sides(ents, [h for h in hits if h.start >= tail.end()]).items():
                    out[-1].sides.setdefault(side, side_hits)
            elif clause.link == "rel" and out and ATTENDED_BY_RE.match(text, clause.start, clause.end):
                # "after the meeting, which was also attended by X": X was at the meeting just told
                target = out[-1] if len(out[-1].sides) >= 2 or state.last_meeting is None else state.last_meeting
                for side, side_hits in sides.items():
                    target.sides.setdefault(side, side_hits)
            elif sides:  # the subject a later "but did not meet" / "and then met" goes on with
                # (and its day: "X arrived in Palermo late on Monday and spoke with Conte")
                days = [d for d in find_dates(text[clause.start:clause.end], result.published)
                        if d.date and d.precision == "day" and not d.speech]
                prev_subject, prev_objects, prev_date = sides, {}, days[0].date if days else None
            continue
        if len(trig) > 1:  # "met X on Sunday, the eve of the signing": the signing dates the meeting, it is not it
            trig = [m for m in trig if not _TIME_OF_RE.search(text, max(clause.start, m.start() - 24), m.start())] or trig
        first = trig[0]
        body = text[clause.start:clause.end]
        before = text[clause.start:first.start()]
        if MODAL_BEFORE_RE.search(before) or CONDITION_RE.search(before):
            continue
        if first.group().lower() in ("meeting", "meetings") and TALKED_OF_AFTER_RE.search(text, first.end(), clause.end):
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
        continues = clause.link in ("seq", "since", "and", "andverb", "rel", "where", "when", "who") or (
            clause.link == "but" and VERB_START_RE.match(text, clause.start))
        inherits = continues and bool(prev_subject or prev_objects)
        if (not subject and not inherits and state.last_person and PRONOUN_SUBJECT_RE.match(before)
                and NO_OTHER_SPEAKER_RE.match(text, sv.sentence.start, clause.start)):
            subject = {ents.side(state.last_person): [state.last_person]}
        elif not subject and not inherits and PRONOUN_SUBJECT_RE.match(before) and _speaker(text, ents, sv, clause):
            speaker = _speaker(text, ents, sv, clause)  # "X said he had spoken by phone with Y": X
            subject = {ents.side(speaker): [speaker]}
        elif not subject and not inherits and state.last_first and DELEGATION_SUBJECT_RE.match(before):
            subject = {ents.side(state.last_first): [state.last_first]}  # "The delegation met X": the one just told
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
        hosts = HOST_VERB_RE.search(text, clause.start, first.start()) or re.match(r"host|presid|chair|conven", first.group(), re.IGNORECASE)
        if hosts and subject:
            facilitator = facilitator or next(iter(subject))
            if clause.link == "who" and out and set(subject) <= set(out[-1].sides):
                # "met ... with X, who hosted the talks": X hosts the meeting just told, no other
                out[-1].facilitator = out[-1].facilitator or facilitator
                continue
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
                                             prev_date if inherits or clause.link == "but" else None,
                                             {**subject, **objects} if status == "held" else {})
        closed = True if CLOSED_RE.search(body) else None
        signing = bool(SIGNING_RE.search(body))
        if SEPARATE_RE.search(body) and not subject and len(objects) > 2:
            first_side = next(iter(objects))  # "phone calls in which Blinken urged X ..., and Y"
            subject = {first_side: objects.pop(first_side)}
        # "spoke by phone with A and B": a call each, unless one call joined them (five leaders at
        # once are a group call)
        calls_each = kind == "phone_call" and len(subject) == 1 and len(objects) == 2 and not _JOINT_CALL_RE.search(body)
        if (calls_each or SEPARATE_RE.search(body)) and subject and len(objects) > 1:
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


# a meeting word that only dates another event: "on the eve of the signing", "ahead of the ceremony"
_TIME_OF_RE = re.compile(r"\b(?:eve\s+of|ahead\s+of|before|after|following|day\s+of)\s+(?:the\s+|a\s+|its\s+)?$", re.IGNORECASE)
_JOINT_CALL_RE = re.compile(r"\b(?:joint|three-way|trilateral|conference\s+call|video\s?conference|together)\b", re.IGNORECASE)


_ATTENDED_CEREMONY_RE = re.compile(r"\battend(?:ed|s)?\s+the\s+(?:signing\s+)?(?:ceremony|signing)\b", re.IGNORECASE)


def _join_attendees(cands: list[Candidate]) -> None:
    """"Qatar's foreign minister attended the ceremony on Monday": one more side of the signing
    told just before, not an event of its own."""
    for k, c in enumerate(cands):
        if c.kind != "plenary" or len(c.sides) != 1 or not _ATTENDED_CEREMONY_RE.search(c.sentence.sentence.text):
            continue
        target = next((p for p in reversed(cands[:k]) if p.kind == "plenary" and p.signing and p.status == c.status
                       and (c.date is None or p.date == c.date) and 0 <= c.sentence.index - p.sentence.index <= 5), None)
        if target is not None:
            for side, hits in c.sides.items():
                target.sides.setdefault(side, hits)


def _signed_at_meeting(c: Candidate, all_: list[Candidate]) -> bool:
    """"X and Y signed a protocol on Monday" and "A of X and B of Y met ... and agreed": the
    signing of two sides on the day they met is that meeting, not a ceremony of its own."""
    if not (c.signing and c.kind == "plenary" and c.date and len(c.sides) == 2 and not c.facilitator):
        return False
    return any(o is not c and o.kind == "meeting" and o.status == c.status and o.date == c.date
               and set(c.sides) <= set(o.sides) for o in all_)


# the last item of a list, after a relative clause on the item before it, and no verb of its own
_LIST_TAIL_RE = re.compile(r",\s+and\s+(?=(?:(?!\b(?:is|are|was|were|has|have|had|will|would|said|says)\b)[^;])*$)")
_SAID_HE = re.compile(r"(?:,[^,]{0,80},)?\s+(?:said|says|told\s+(?:\w+\s+){0,3}?)(?:\s+(?:late\s+|early\s+)?on\s+\w+)?(?:\s+that)?\s*")


def _speaker(text: str, ents: Entities, sv: SentenceView, clause) -> Hit | None:
    """The person who says "he/she ..." at the head of the sentence ("Vucic said he had ...")."""
    named = [h for h in ents.hits_in(sv.sentence.start, clause.start) if h.kind == "person"]
    if named and _SAID_HE.fullmatch(text, named[-1].end, clause.start):
        return named[-1]
    return None
