"""The words of a meeting clause in English news prose: which words make a meeting, a call or
a plenary, and what the clause says of its status and its day (see english_meetings)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.extract.english_entities import Hit
    from app.extract.english_meeting_memory import _State

# --- patterns (data) ---------------------------------------------------------------------------
TRIGGERS = [  # (kind, pattern), tried in this order at each place
    ("phone_call", (r"(?<!-)\b(?:(?:tele)?phone(?:d)?\s+(?:call|conversation|talk)s?|(?:tele)?phoned|"
                   r"spok(?:e|en)\s+(?:by|on\s+the|over\s+the)\s+(?:tele)?phone|video\s?(?:call|conference)s?|"
                   r"(?:in|during|a|the)\s+(?:\w+\s+){0,2}call\s+with|the\s+call\b)")),
    ("plenary", (r"(?<!-)\b(?:(?:opening|closing|plenary|three-way|trilateral|four-way|final|inaugural|signing)"
                r"\s+(?:session|ceremony|meeting)s?|plenary|ceremony|signed(?<!truce\ssigned)(?<!deal\ssigned)(?<!accord\ssigned)(?<!agreement\ssigned)(?<!ceasefire\ssigned)(?!\s+(?:nothing|anything)\b)|signing)\b")),
    ("meeting", (r"(?<!-)\b(?:(?:met|meet|meets)\b(?!\s+(?:\w+\s+){0,2}(?:commitments?|obligations?|demands?|"
                r"conditions?|targets?|deadlines?|requirements?|criteria|needs|expectations|goals?)\b)|"
                r"meeting|meetings|talks\s+with|negotiated|negotiate|"
                r"(?:held|hold|holding|hosted|hosting)\s+(?:[\w-]+\s+){0,3}(?:talks|meetings?|consultations|discussions|negotiations)|"
                r"talks\s+between|"
                r"host(?:s|ed|ing)?\b(?!\s+by\b)|spok(?:e|en)\s+(?:with|to)|discussed(?=[^.;]*\bwith\b)|brought\s+together|bring\s+together|"
                r"(?:brought|bringing|brings)\s+[^.;,]{1,80}?\s+together|shuttled\s+between|received|"
                r"(?:greeted|greets|welcomed|welcomes)\s+(?:the\s+)?(?:two\s+|three\s+|both\s+)?(?:delegations|negotiators|sides)\b|"
                r"issued\s+a\s+joint\s+(?:declaration|statement|communiqu[eé])|convene(?:s|d)?\s+(?:the|both)\b)\b")),
]
TRIGGER_RE = re.compile("|".join(f"(?P<{kind}>{p})" for kind, p in TRIGGERS), re.IGNORECASE)
# the same, case-sensitive, for lower-cased text: several times faster than re.I
_TRIGGER_LOWER_RE = re.compile("|".join(f"(?P<{kind}>{p})" for kind, p in TRIGGERS))
SIGNING_RE = re.compile(r"\bsign(?:ed|ing)\b", re.IGNORECASE)
DENIED_RE = re.compile(
    r"\b(?:did\s+not|didn[’']t|does\s+not|do\s+not|never|denied|deny|denies|refused\s+to|"
    r"no\s+face[- ]to[- ]face|no\s+(?:direct\s+)?(?:meeting|talks|contacts?)\s+(?:between|with)|not\s+(?:meet|negotiate|take\s+place|hold)|failed\s+to\s+(?:meet|take\s+place)|"
    r"(?:has|have|had)\s+not\s+(?:met|held|spoken|discussed|talked)|(?:hasn|haven|hadn)[’']t\s+(?:met|held|spoken|discussed)|"
    r"(?:false|untrue|baseless|fabricated|not\s+true))\b", re.IGNORECASE)
CANCELLED_RE = re.compile(r"\b(?:cancel(?:l)?ed|called\s+off|scrapped|cancel(?:l)?ation)\b", re.IGNORECASE)
POSTPONED_RE = re.compile(r"\b(?:postponed|delayed|put\s+off|pushed\s+back|rescheduled|postponement)\b", re.IGNORECASE)
# modal right before the meeting word: a proposal or a possibility, not an event
MODAL_BEFORE_RE = re.compile(r"\b(?:should|could|might|may|must|would\s+like\s+to|ready\s+to|willing\s+to|"
                             r"offered\s+to|wants?\s+to|wanted\s+to|hop(?:e|es|ed|ing)\s+to|proposed\s+to|without|"
                             r"rul(?:e|es|ed|ing)\s+out|s(?:ought|eeks?|eeking)|request(?:s|ed)?|asked\s+for|"
                             r"invit(?:e|es|ed|ing)\s+\w+\s+(?:to|for)|no\s+plans?\s+to)\s+(?:\w+\s+)?$", re.IGNORECASE)
# the meeting is what was talked of: "a meeting between X and Y had been discussed as a next step"
TALKED_OF_AFTER_RE = re.compile(r"\b(?:had|has|have)\s+been\s+(?:discussed|proposed|suggested|floated|mooted)\b|"
                                r"\bwas\s+(?:discussed|proposed|suggested|floated|mooted)\b", re.IGNORECASE)
# a condition: "If Putin and Erdogan meet, ..." tells no event
CONDITION_RE = re.compile(r"^\W*(?:if|unless|whether)\b|\b(?:if|unless|whether)\s+(?:[\w.'’-]+\s+){0,6}$", re.IGNORECASE)
PHONE_ANY_RE = re.compile(r"\b(?:by|over\s+the|on\s+the)\s+(?:tele)?phone\b|\btelephone\b|\bin\s+a\s+(?:phone\s+)?call\b",
                          re.IGNORECASE)
SCHEDULED_BEFORE_RE = re.compile(
    r"\b(?:will|shall|due\s+to|expected\s+to|scheduled\s+to|set\s+to|plans?\s+to|planning\s+to|"
    r"are\s+to|is\s+to|to\s+be\s+held|upcoming|planned|would)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
SCHEDULED_ANY_RE = re.compile(r"\b(?:scheduled\s+for|to\s+be\s+held|will\s+be\s+held|is\s+due\s+to|are\s+due\s+to|"
                              r"(?:is|are|was|were)\s+planned\s+for|"
                              r"(?:is|are)\s+expected\s+(?:in|at)|"
                              r"no\s+date\s+(?:has\s+been|had\s+been|was)\s+set)\b", re.IGNORECASE)
SEPARATE_RE = re.compile(r"\b(?:separate(?:ly)?|individually|shuttled|in\s+turn|phone\s+calls|calls)\b", re.IGNORECASE)
HOST_VERB_RE = re.compile(r"\b(?:hosted|hosting|hosts|presided\s+over|chaired)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)  # the subject hosts
WHOSE_FACILITATES_RE = re.compile(
    r"(?:government|country|group|organi[sz]ation)\s+(?:has\s+|had\s+)?"
    r"(?:facilitated|mediated|brokered|hosted|sponsored)\b", re.IGNORECASE)
CLOSED_RE = re.compile(r"\b(?:behind\s+closed\s+doors|closed-door|in\s+camera|in\s+private|privately|"
                       r"closed\s+(?:meetings?|sessions?|talks|consultations|discussions))\b", re.IGNORECASE)
GROUP_RE = re.compile(  # "the two delegations", "both sides", "the three leaders", "the two were due to"
    r"\b(?:the\s+(?P<n>two|three|four)|(?P<both>[Bb]oth))\s+(?:(?:main|rival|warring|foreign|defence|defense|"
    r"guarantor)\s+)?(?:delegations|sides|ministers|leaders|men|women|countries|parties|governments|presidents|"
    r"camps|rivals|negotiating\s+teams|delegates|powers|states|guarantors|envoys)\b"
    r"|\bthe\s+(?P<bare>two|three)(?=\s+(?:were|had|have|are|met|did|will|would|never)\b)"
    r"|\b(?P<each>each)\s+(?:delegation|side|party|negotiating\s+team|leader|minister|president)\b"  # "met each delegation separately"
    r"|\bthe\s+(?P<the>delegations|negotiating\s+teams)\b", re.IGNORECASE)
# group words that mean the negotiating sides (those who made the deal), not whoever met last
NEGOTIATORS_RE = re.compile(r"delegation|side|part(?:y|ies)|negotiat|camp|rival|warring", re.IGNORECASE)
AGREED_RE = re.compile(r"\b(?:agreed|signed(?<!truce\ssigned)(?<!deal\ssigned)(?<!accord\ssigned)(?<!agreement\ssigned)(?<!ceasefire\ssigned)|sealed|accepted|endorsed|reached\s+(?:an?\s+)?(?:deal|agreement|accord))\b", re.IGNORECASE)
DEAL_RE = re.compile(r"\bthe\s+(?:deal|agreement|accord|declaration|(?:signing\s+)?ceremony)\b", re.IGNORECASE)
GROUP_SIZE = {"two": 2, "three": 3, "four": 4, "both": 2, "each": 2, "the": 2}
# a clause whose subject is "he"/"she": the person the sentence before was about
PRONOUN_SUBJECT_RE = re.compile(r"^\W*(?:he|she)\s+(?:would|will|had|has|was|is|also|then|later|met|spoke|held)\b", re.IGNORECASE)
ATTENDED_BY_RE = re.compile(r"(?:was|were)\s+(?:also\s+)?attended\s+by\b", re.IGNORECASE)
DELEGATION_SUBJECT_RE = re.compile(r"^\W*the\s+(?:delegation|team)\s+(?:\w+\s+)?$", re.IGNORECASE)
# ... when nothing before it in the sentence names another ("Rakic said he had not met X": Rakic)
NO_OTHER_SPEAKER_RE = re.compile(r"\W*(?:(?:he|she)\s+(?:said|says|told\s+\w+|added)\s*(?:that\s+)?)?$", re.IGNORECASE)
VERB_START_RE = re.compile(r"(?:did|does|do|was|were|had|has|have|would|could|is|are|then|also|again|never|"
                           r"still|\w+ed)\b")
ROUND_COVERED_RE = re.compile(r"\bfor\s+the\s+(?:\w+\s+){1,2}round\b", re.IGNORECASE)
DEFINITE_EVENT_RE = re.compile(r"\bthe\s+(?:\w+\s+)?(?:meeting|talks|session|call|ceremony|gathering)\b", re.IGNORECASE)


def _kind(trig: list[re.Match], body: str) -> str:
    """phone_call if any meeting word is a call, else plenary if one is a session or a signing."""
    kind = next((m.lastgroup for m in trig if m.lastgroup == "phone_call"), None) or \
        next((m.lastgroup for m in trig if m.lastgroup == "plenary"), "meeting")
    if kind == "plenary" and re.search(r"\bseparate", body, re.IGNORECASE):
        return "meeting"  # "in separate sessions"
    if kind == "meeting" and PHONE_ANY_RE.search(body):  # "spoke to Putin by phone"
        return "phone_call"
    return kind


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
