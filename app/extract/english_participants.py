"""Who takes part in a meeting told in an English clause, and who makes one side.

The parties and persons named in the clause take part, minus the words that are not
participants: places ("in Moscow", "left Moscow"), topics ("discussed Syria with", "Turkey's
offensive"), modifiers ("Syria talks", "U.S.-led", "pro-government", "the opposition High
Negotiations Committee"), a nationality before a titled person ("Libyan commander Khalifa
Haftar" is one side), and a facilitator who is a country ("hosted by Qatar"; a host who is a
person sits at the table). A person and their party are one side; a person "led by"/"headed
by" after a party is on that party's side.
"""

from __future__ import annotations

import itertools
import re

from app.extract.english import Clause, SentenceView
from app.extract.english_entities import Entities, Hit
from app.extract.english_names import TITLE
from app.extract.types import Ref

LED_BY_BEFORE = re.compile(r"\b(?:led|headed|chaired)\s+by\s+(?:[\w'.-]+\s+){0,3}$", re.IGNORECASE)


TOPIC_START_RE = re.compile(r"\bdiscuss(?:ed|es|ing)?\b", re.IGNORECASE)


# ("Ethiopia's army and Tigrayan forces": the possessed noun is the side named)
LIST_GAP_RE = re.compile(r"^(?:['’]s\s+(?:army|government|military|forces)\b)?(?:,\s+|\s+and\s+|,\s+and\s+)(?:the\s+)?$")


# the words before a name that make it a place, a topic or a modifier, not a participant
NOT_PARTICIPANT_BEFORE = re.compile(
    r"(?:\b(?:in|at|outside|near|inside|across|throughout|into|around|on|about|against|regarding|"
    r"concerning|over|for|toward|towards|without)\s+(?:the\s+)?(?!which\b|whom\b)(?:[\w.-]+\s+)?|\bpro-|\banti-)$", re.IGNORECASE)
LOCATIVE_BEFORE = re.compile(r"(?:\b(?:in|at|outside|near|inside|across|throughout|into|around)\s+(?:the\s+)?"
                             r"(?!which\b|whom\b)(?:[\w.-]+\s+)?|\bpro-|\banti-)$", re.IGNORECASE)
# "ethnic Albanian", "former Nigerian President X", "a Franco-German draft": no actor
NOT_ACTOR_BEFORE = re.compile(r"(?:\b(?:ethnic|former)\s+|[a-z]-)$", re.IGNORECASE)
PLACE_COMMA_BEFORE = re.compile(r"\b(?:in|at|to)\s+[A-Z][\w-]+,\s+$")
PLACE_ONLY_BEFORE = re.compile(r"\b(?:from|to|via|left|leaving|leave|visited|visiting|visit|toured|reached|"
                               r"arrived\s+in)\s+(?:the\s+)?$", re.IGNORECASE)
FACILITATOR_BEFORE = re.compile(
    r"\b(?:hosted|brokered|mediated|sponsored|facilitated|chaired|organi[sz]ed|presided\s+over)\s+by\s+"
    r"(?:[\w.'-]+\s+){0,3}$|\bunder\s+the\s+auspices\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# a go-between, not a host: "in talks mediated by U.N. envoy X" (X is no side at the table)
GO_BETWEEN_BEFORE = re.compile(r"\b(?:brokered|mediated|facilitated)\s+by\s+(?:[\w.'-]+\s+){0,3}$", re.IGNORECASE)
# a state that hosts, or planned to host, talks of others: "Egypt had planned to host", "Qatar will host"
HOST_AFTER = re.compile(r"^\s+(?:(?:had|has|have|had\s+been|is|was|were)\s+)?(?:(?:planned|planning|offered|due|set|"
                        r"expected|agreed|will|would|plans|offers)\s+(?:to\s+)?)?host(?:s|ed|ing)?\b(?!\s+(?:a|the|an)\s+"
                        r"(?:plenary|opening|closing|session|summit|ceremony|round))", re.IGNORECASE)
TALKS_WITH_BEFORE = re.compile(r"\bwith\s+(?:the\s+)?(?:[\w-]+\s+and\s+)?$")  # "talks with Egyptian and Qatari mediators"
MEDIATORS_NAME_RE = re.compile(r"\smediat(?:ors?|ion)$", re.IGNORECASE)  # a name that is the mediators: "Omani mediation"
# "U.S.-brokered", and a state's mediators who accompany a side ("with Omani mediators")
FACILITATOR_AFTER = re.compile(r"^(?:-(?:hosted|brokered|mediated|sponsored|led)|\s+mediat(?:ors?|ion)|\s+facilitators?)\b",
                               re.IGNORECASE)
MODIFIER_AFTER = re.compile(r"^(?:-\w+|\s+(?:talks|peace|process|war|conflict|crisis|file|issue|policy|summit|"
                            r"dissident|dissidents|splinter|breakaway|offshoot|"  # "the largest FARC dissident faction"

                            r"conference|forum|session|congress|gathering)\b)", re.IGNORECASE)
POSSESSIVE_AFTER = re.compile(r"^['’]s\s+(?P<next>[\w-]+)")
POSSESSIVE_KEEP = {
    "office", "team", "delegation", "delegations", "envoy", "government", "premier", "president",
    "prime", "foreign", "defence", "defense", "minister", "ministers", "leader", "representative",
    "representatives", "officials", "negotiators", "negotiator", "experts", "counterpart", "chief",
    "head", "deputy", "top", "special", "spokesman", "intelligence", "ambassador", "king", "emir",
}
# "Libyan military commander Khalifa Haftar", "Syria's Ali Mahmoud Abbas": the nationality
# before a titled person is the person's, not another side
TITLE_GAP_RE = re.compile(rf"^(?:['’]s)?\s+(?:[A-Z][\w-]+\s+)?(?:{TITLE}\s+)?$")  # "Syrian Kurdish commander"
OF_PARTY_BETWEEN = re.compile(r"^(?:\s+[\w-]+)?\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")


def coordination(ents: Entities, hits: list[Hit]) -> list[str]:
    """The first list of sides named together: "Armenia and Azerbaijan", "Turkey, Russia and Iran"."""
    run: list[str] = []
    for a, b in itertools.pairwise(hits):
        if LIST_GAP_RE.match(ents.text[a.end:b.start]) and ents.side(a) != ents.side(b):
            run = run or [ents.side(a)]
            if ents.side(b) not in run:
                run.append(ents.side(b))
        elif run:
            break
    return run


def participants(text: str, ents: Entities, sv: SentenceView, clause: Clause) -> tuple[str | None, list[Hit]]:
    """The hits of a clause that take part, and the facilitator's side if one is named."""
    out: list[Hit] = []
    facilitator = None
    hits = [h for h in ents.hits_in(clause.start, clause.end) if not sv.is_masked(h.start, h.end)]
    body = text[clause.start:clause.end]
    topic = TOPIC_START_RE.search(body)
    topic_span = (clause.start + topic.end(), clause.start + (body.find(" with ", topic.end()) % (len(body) + 1))) if topic else (0, 0)
    for i, h in enumerate(hits):
        if topic_span[0] <= h.start < topic_span[1]:
            continue  # "discussed Syria with": the topic
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if i and text[h.start - 1:h.start] == "(" and text[h.end:h.end + 1] == ")" and h.start - hits[i - 1].end <= 2:
            continue  # "the U.N. Support Mission in Libya (UNSMIL)": the same side again
        if h.kind == "party" and nxt and nxt.kind == "party" and re.fullmatch(r"\.?\s+", text[h.end:nxt.start]):
            continue  # "the opposition High Negotiations Committee": a modifier of the next name
        before = text[max(clause.start, h.start - 60): h.start]
        hosted = (" by " in before or "auspices" in before) and FACILITATOR_BEFORE.search(before)
        if h.kind == "party" and nxt and nxt.kind == "person" and TITLE_GAP_RE.match(text[h.end:nxt.start]):
            if hosted:  # "facilitated by EU foreign policy chief Josep Borrell": his side facilitates
                facilitator = facilitator or ents.side(nxt)
            continue
        if (h.kind == "party" and nxt and nxt.kind == "party" and text[h.end:nxt.start] in ("'s ", "’s ")
                and _country(ents, nxt.ident) == h.ident):
            continue  # "South Sudan's government": one side, the government
        after = text[h.end: min(clause.end, h.end + 40)]
        if h.kind == "party" and after[:2] == ".-":  # "U.S.-brokered", the name found as "U.S"
            after = after[1:]
        near = before[-24:]  # the place/topic words sit right before the name
        # (substring tests first: a `$`-anchored search tries every start and is slow)
        mediators = MEDIATORS_NAME_RE.search(text, h.start, h.end) and not TALKS_WITH_BEFORE.search(near)
        if hosted or mediators or (after[:1] in ("-", " ") and FACILITATOR_AFTER.match(after)):
            facilitator = facilitator or ents.side(h)
            if h.kind == "person" and not (hosted and GO_BETWEEN_BEFORE.search(before)):
                out.append(h)  # a host who is a person sits at the table ("hosted by Shoigu"), a mediator not
            continue
        if (h.kind == "party" and " host" in after[:40] and HOST_AFTER.match(after)
                and text[max(0, h.start - 6):h.start] != "whose "):  # ("Ebrard, whose government hosts": his)
            facilitator = facilitator or ents.side(h)  # "that Egypt had planned to host in Cairo": not at the table
            continue
        if h.place and (PLACE_ONLY_BEFORE.search(near) or near.endswith(" capital ")):
            continue  # ("in the Albanian capital Tirana")
        if h.kind == "party" and after[:1] in (",", ".") and PLACE_COMMA_BEFORE.search(near):
            continue  # "in Ohrid, North Macedonia, on March 18": where, not who
        if NOT_PARTICIPANT_BEFORE.search(near) or MODIFIER_AFTER.match(after):
            continue
        poss = POSSESSIVE_AFTER.match(after)
        if poss and not (poss.group("next").lower() in POSSESSIVE_KEEP or poss.group("next")[:1].isupper()):
            continue
        if i > 1 and h.kind == "party" and _restates_list(ents, hits[i - 2:i + 1], text):
            continue  # "Greece, Turkey and Britain, the island's guarantor powers": the same sides again
        if i and h.kind == "party" and OF_PARTY_BETWEEN.match(text[hits[i - 1].end: h.start]):
            continue  # "the Moscow and Cairo groups of the opposition": a qualifier, not a side
        out.append(h)
    return facilitator, out


# ", the island's " / ", the ": an appositive naming the list just given
_APPOSITIVE_BETWEEN = re.compile(r",\s+(?:the\s+)?(?:[\w-]+['’]s\s+)?")


def _restates_list(ents: Entities, three: list[Hit], text: str) -> bool:
    """Whether the last hit is a collective (no country, not a state) in apposition to a list of
    parties just named."""
    a, b, h = three
    entry = ents.parties.get(h.ident)
    if a.kind != "party" or b.kind != "party" or entry is None:
        return False
    if entry.data.get("party_kind") != "other" or entry.data.get("country"):
        return False
    return bool(_APPOSITIVE_BETWEEN.fullmatch(text, b.end, h.start))


def _country(ents: Entities, key: str) -> str | None:
    entry = ents.parties.get(key) or (ents.gazetteer.get("party", key) if ents.gazetteer else None)
    return entry.data.get("country") if entry is not None else None


def acts(text: str, h: Hit) -> bool:
    """Whether the words around a party's name make it an actor, not a place ("in Syria"), a
    modifier ("Syria talks", "pro-government") or a possessor of a thing ("Syria's Idlib")."""
    before, after = text[max(0, h.start - 24): h.start], text[h.end: h.end + 40]
    if LOCATIVE_BEFORE.search(before) or MODIFIER_AFTER.match(after) or NOT_ACTOR_BEFORE.search(before):
        return False
    if after[:1] in (",", ".") and PLACE_COMMA_BEFORE.search(before):  # "in Ohrid, North Macedonia,"
        return False
    if h.place and (PLACE_ONLY_BEFORE.search(before) or before.endswith(" capital ")):
        return False
    poss = POSSESSIVE_AFTER.match(after)
    return not poss or poss.group("next").lower() in POSSESSIVE_KEEP or poss.group("next")[:1].isupper()


def group_sides(ents: Entities, hits: list[Hit]) -> dict[str, list[Hit]]:
    """Hits by side; a person "led by"/"headed by" after a party is on that party's side."""
    sides: dict[str, list[Hit]] = {}
    last_party = None
    for h in hits:
        side = ents.side(h)
        window = ents.text[max(0, h.start - 50):h.start]
        if h.kind == "person" and last_party and " by " in window and LED_BY_BEFORE.search(window):
            side = last_party
        if h.kind == "party":
            last_party = side
        sides.setdefault(side, []).append(h)
    return sides


def side_ref(ents: Entities, side: str, hits: list[Hit]) -> Ref:
    """A person stands for their side when named (matches through their own and their party's
    names); a bare party otherwise."""
    persons = [h for h in hits if h.kind == "person"]
    # not a possessor: in "Biden's adviser Jake Sullivan met ...", Sullivan is the one at the table
    person = next((h for h in persons if not POSSESSIVE_AFTER.match(ents.text[h.end:h.end + 30])), persons[0] if persons else None)
    if person is not None:
        party_key = ents.persons[person.ident].party_key
        if party_key and party_key.startswith("new:"):  # a party new to the gazetteer has no key to point to:
            return ents.party_ref(party_key)  # the side goes by the party's names
        return ents.persons[person.ident].ref()
    if side in ents.parties:
        return ents.party_ref(side)
    if side in ents.persons:
        return ents.persons[side].ref()
    return Ref("party", side, [side])
