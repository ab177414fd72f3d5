"""Zones in English news prose: de-escalation, ceasefire, safe, secure, buffer, demilitarised
zones, and a ceasefire in a named place.

A zone is named by the gazetteer zone mentioned in its clause, else the place ("in Syria's
Idlib province", "Tripoli has been calm since a ceasefire"), else "the Afrin region", else its
depth ("a zone at least 30 km deep" → "30-km zone"). Its status is the strongest cue of the
clause: violated > requested > proposed > agreed > in_force. A zone word with no status cue
("along the edges of the Idlib zone") makes no row.
"""

from __future__ import annotations

import re

from app.extract.english import clauses
from app.extract.english_entities import Entities, names_of
from app.extract.types import ExtractedZone, Extraction, Ref, Span

ZONE_RE = re.compile(
    r"\b(?:(?P<typed>(?:de-escalation|de-confliction|deconfliction|ceasefire|cease-fire|safe|buffer|secure|"
    r"security|demilitari[sz]ed|no-fly|exclusion|humanitarian)\s+(?:zones?|areas?|agreement|deal|corridor|line))"
    r"|(?P<bare>zones?)|(?P<truce>ceasefire|cease-fire|truce|humanitarian\s+pause|safe\s+passage|halt\s+(?:the\s+)?fighting)"
    # the truce named before, broken somewhere: "accused the ELN of violating it in Arauca"
    r"|(?P<pron>(?:(?<=violating\s)|(?<=violated\s)|(?<=breaching\s)|(?<=breached\s))it"
    # the truce named before, to reach further: "asked for it to cover Cauca"
    r"|(?<=for\s)it(?=\s+to\s+(?:cover|include|extend|be\s+extended)\b))"
    # a withdrawal from a place the deal names: "fighters will withdraw from Lashio"
    r"|(?P<withdraw>withdraw(?:s|n|al)?\s+from|pull(?:s|ed)?\s+out\s+of))\b", re.IGNORECASE)
TRUCE_RE = re.compile(r"\b(?:ceasefire|cease-fire|truce)\b", re.IGNORECASE)
UNDER_DEAL_RE = re.compile(r"\b(?:under|in)\s+the\s+(?:deal|agreement|accord|truce|ceasefire)\b", re.IGNORECASE)
NATIONWIDE_BEFORE_RE = re.compile(r"\b(?:nationwide|countrywide)\s+$", re.IGNORECASE)  # in no one place
STATUS_CUES = [  # strongest first
    ("violated", r"\b(?:violat\w*|breach\w*|broke|broken|flout\w*)\b"),
    ("requested", (r"\b(?:important\s+to|demand\w*|call(?:ed|s|ing)?\s+for|urg\w+|insist\w*|wants?|want(?:ed|ing)|"
                  r"request\w*|sought|seek\w*|press(?:ed|ing)?\s+for|push(?:ed|ing)?\s+for|asked\s+(?:\w+\s+){0,2}?for)\b")),
    ("proposed", (r"\b(?:propos\w*|aims?\s+to\s+(?:create|establish|set\s+up)|plan(?:s|ned)?\s+to\s+(?:create|establish|set\s+up)|"
                 r"suggest\w*|offer\w*|would\s+create|envisag\w*)")),
    ("agreed", (r"\b(?:commit(?:s|ted)?\s+(?:[\w-]+\s+){0,3}?to|agreed|agree|agreement\s+(?:on|to)|deal\s+on|(?:under|in)\s+the\s+(?:deal|agreement|accord)|signed|sealed|reached|establish(?:ed|es)|sets?\s+up|"
               r"approved|endorsed|announced)\b")),
    ("in_force", (r"\b(?:in\s+force|took\s+effect|take\s+effect|came\s+into\s+(?:effect|force)|went\s+into\s+effect|"
                 r"in\s+effect|holding|has\s+(?:largely\s+|mostly\s+|broadly\s+)?held|calm\s+since|since\s+(?:a|the)\s+[\w.-]+\s+(?:ceasefire|truce))")),
]
STATUS_RES = [(status, re.compile(p, re.IGNORECASE)) for status, p in STATUS_CUES]
REGION_RE = re.compile(r"\b(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)\s+(?P<kind>region|province|area|district|county|governorate|"
                       r"countryside|enclave|pocket)\b")
# "a ceasefire zone around Lainya", "a truce in the town of Bambari": a place the gazetteer lacks
UNKNOWN_RE = re.compile(r"\s+(?:\w+\s+){0,3}?(?:around|in|near|at|across|along)\s+(?:the\s+)?(?:(?:town|city|village|district|county|"
                        r"province|region|area)\s+of\s+)?(?:[A-Z][\w-]*'s\s+)?(?P<name>[A-Z][a-z][\w'-]*(?:\s+[A-Z][a-z][\w'-]*)?)")
_NOT_PLACE = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
# a place named as where talks were held or someone went is the venue, not the zone
VENUE_BEFORE_RE = re.compile(
    r"\b(?:left|leaving|visited|visiting|arrived\s+in|(?:signed|held|talks|meeting|summit|conference|met|"
    r"agreement|deal|accord|pact|declaration)\s+(?:[\w-]+\s+){0,4}?in)"
    r"\s+(?:the\s+)?$", re.IGNORECASE)
# a capital addressed ("urged Islamabad to press the Taliban to accept a ceasefire") is a side
ADDRESSEE_BEFORE_RE = re.compile(r"\b(?:urged|urging|urges|asked|pressed|told|called\s+on)\s+$", re.IGNORECASE)
# a place that acts ("an idea Baku has rejected") is a side, not where the zone is
SUBJECT_AFTER_RE = re.compile(r"\s+(?:has|have|had|says|said|rejected|accepted|refused|agreed|wants|insists)\b")
# a truce named by the frontier it holds along: "along their disputed border", "along the Chad-Libya border"
BORDER_RE = re.compile(r"\b(?:along|on|across|at)\s+(?:the|their|its)\s+(?P<adj>(?:(?:disputed|common|shared|contested|porous)\s+)*)"
                       r"(?:(?P<pair>[A-Z][\w]+(?:-[A-Z][\w]+)+)\s+)?(?:border|frontier)\b")
# "The ceasefire, agreed on Friday, has held": the participle tells its past, the verb its status
PAST_PARTICIPLE_RE = re.compile(r",\s*(?:agreed|signed|brokered|reached|announced)\s+(?:on|in|last|by|earlier)\b[^,]{0,40},")
DEPTH_RE = re.compile(r"\b(?P<n>\d{1,3})[- ]?(?:km|kilomet(?:er|re)s?)\b")


def extract_zones(result: Extraction, text: str, ents: Entities) -> None:
    seen: set[tuple[str, str]] = set()
    prev_text = ""
    for sentence in result.sentences:
        prev_text, before = sentence.text, prev_text
        if not ZONE_RE.search(sentence.text):
            continue
        parts = clauses(text, sentence.start, sentence.end)
        for k, clause in enumerate(parts):
            # ", which he said was being violated": a relative clause tells the zone's status
            cue_end = parts[k + 1].end if k + 1 < len(parts) and parts[k + 1].link == "rel" else clause.end
            for m in ZONE_RE.finditer(text, clause.start, clause.end):
                if m.group("truce") and NATIONWIDE_BEFORE_RE.search(text, max(0, m.start() - 13), m.start()):
                    continue
                if m.group("pron") and not TRUCE_RE.search(sentence.text) and not (
                        m.group().startswith("it") and text[m.end():m.end() + 3] == " to" and TRUCE_RE.search(before)):
                    continue  # "violating it": a truce only when the sentence (or, "for it to cover", the last) names one
                if m.group("withdraw") and not UNDER_DEAL_RE.search(text, clause.start, clause.end):
                    continue  # a withdrawal is a zone when the deal provides for it
                zones = _zone(text, ents, clause.start, clause.end, m, sentence, cue_end)
                if not zones:
                    continue
                for zone in zones:
                    ident = (zone.key or zone.names[0], zone.status)
                    if ident not in seen:
                        seen.add(ident)
                        result.zones.append(zone)
                break  # one zone per clause (and the places coordinated with it)


def _zone(text: str, ents: Entities, start: int, end: int, m: re.Match, sentence, cue_end: int) -> list[ExtractedZone] | None:
    body = text[start:m.start()] + " " * (m.end() - m.start()) + text[m.end():end]  # the zone words are no cue
    past = PAST_PARTICIPLE_RE.match(body, m.end() - start)
    if past:
        body = body[:past.start()] + " " * (past.end() - past.start()) + body[past.end():]
    status = next((s for s, r in STATUS_RES if r.search(body)), None)
    if status is None and cue_end > end:  # else the relative clause after it: ", which was violated"
        status = next((s for s, r in STATUS_RES if r.search(text, end, cue_end)), None)
    if status is None:
        return None
    key, names, at = _name(text, ents, start, end, m, bare=bool(m.group("bare") or m.group("truce")))
    if not names:
        return None
    requested_by = None
    if status in ("requested", "proposed"):
        requested_by = _agent(ents, text, m.end(), end) or _requester(ents, start, m.start())
    found = [(key, names)]
    if at is not None:
        more = _coordinated(text, ents, at, end)
        if more:  # "around Sirte and al-Jufra": a zone each, by the place's own name
            found = [_own_name(ents, x) for x in (at, *more)]
    return [ExtractedZone(key=k, names=n, status=status, evidence=Span(sentence.start, sentence.end, sentence.text),
                          confidence=0.75 if k else 0.6 if at is not None else 0.45, requested_by=requested_by) for k, n in found]


def _name(text: str, ents: Entities, start: int, end: int, m: re.Match, bare: bool):
    def nearest(mentions):
        inside = [x for x in mentions if start <= x.start < end and not x.text.isupper()  # a dateline
                  and not VENUE_BEFORE_RE.search(text, max(0, x.start - 60), x.start)]
        return min(inside, key=lambda x: abs(x.start - m.start())) if inside else None

    # a zone known only by the zone words themselves ("a demilitarised zone") is named by its place
    zone = nearest([z for z in ents.zones if not (m.start() <= z.start and z.end <= m.end())])
    if zone is not None:
        return zone.key, names_of(zone.entry), zone
    unknown = UNKNOWN_RE.match(text, m.end(), end)
    if unknown and " of " in unknown.group() and unknown.group("name").split()[0] not in _NOT_PLACE \
            and not VENUE_BEFORE_RE.search(text, max(0, unknown.start("name") - 30), unknown.start("name")) \
            and not any(h.start < unknown.end("name") and unknown.start("name") < h.end
                        for h in (*ents.hits, *ents.places, *ents.processes, *ents.zones)):
        # "violating it around the village of Ak-Sai in Batken region": the village, not the region after it
        return None, [unknown.group("name")], None
    place = nearest([p for p in ents.places if not SUBJECT_AFTER_RE.match(text, p.end)
                     and not ADDRESSEE_BEFORE_RE.search(text, max(0, p.start - 20), p.start)])
    if place is not None:  # a place that has a zone of the same key is that zone
        zone_entry = ents.gazetteer.get("zone", place.key) if ents.gazetteer else None
        if zone_entry is not None:
            return zone_entry.key, names_of(zone_entry), place
        return None, names_of(place.entry), place
    border = BORDER_RE.search(text, start, end) if "border" in text[start:end] or "frontier" in text[start:end] else None
    if border:
        return None, _border_names(border), None
    if unknown and unknown.group("name").split()[0] not in _NOT_PLACE \
            and not VENUE_BEFORE_RE.search(text, max(0, unknown.start("name") - 30), unknown.start("name")) \
            and not any(h.start < unknown.end("name") and unknown.start("name") < h.end
                        for h in (*ents.hits, *ents.places, *ents.processes, *ents.zones)):
        return None, [unknown.group("name")], None
    region = REGION_RE.search(text, start, end)
    if region:
        return None, [region.group("name"), f"{region.group('name')} {region.group('kind')}"], None
    depth = DEPTH_RE.search(text, start, end)
    if depth and not m.group("truce"):
        n = depth.group("n")
        return None, [f"{n}-km zone", f"{n} km zone"], None
    typed = (m.group("typed") or "").lower()
    if re.fullmatch(r"(?:demilitari[sz]ed|buffer|safe|no-fly|exclusion)\s+zone", typed):
        # "a demilitarised zone" of no place: named by its words, both spellings
        return None, list(dict.fromkeys([typed, typed.replace("demilitarized", "demilitarised"),
                                         typed.replace("demilitarised", "demilitarized")])), None
    return None, [], None


def _border_names(m: re.Match) -> list[str]:
    """"along the Chad-Libya border" → Chad-Libya border, Libya-Chad border, border; "their disputed
    border" → disputed border, border."""
    noun = "frontier" if m.group(0).endswith("frontier") else "border"
    names = []
    if m.group("pair"):
        sides = m.group("pair").split("-")
        names += [f"{m.group('pair')} {noun}", f"{'-'.join(reversed(sides))} {noun}"]
    adj = " ".join(m.group("adj").split())
    if adj:
        names.append(f"{adj} {noun}")
    return [*names, noun, f"the {noun}"]


AND_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?")


def _coordinated(text: str, ents: Entities, first, end: int) -> list:
    """The places or zones listed after `first` ("Sirte and the al-Jufra air base")."""
    out, pos = [], first.end
    for x in sorted((x for x in ents.places + ents.zones if pos <= x.start < end), key=lambda x: x.start):
        if x.start < pos:
            continue
        if not AND_RE.fullmatch(text, pos, x.start):
            break
        out.append(x)
        pos = x.end
    return out


def _own_name(ents: Entities, x) -> tuple[str | None, list[str]]:
    """One of several places listed: its own place entry when it has one (a zone alias such as
    "Sirte" of the Sirte-Jufra line names the line, not the town), else its zone."""
    place = next((p for p in ents.places if p.start == x.start and p.end == x.end), None)
    if place is not None:
        return None, names_of(place.entry)
    return x.key, names_of(x.entry)


AGENT_RE = re.compile(r"\s*(?:demanded|requested|proposed|sought|suggested|called\s+for)\s+by\s+(?:the\s+)?$", re.IGNORECASE)


def _agent(ents: Entities, text: str, pos: int, end: int) -> Ref | None:
    """"a safe zone demanded by Ankara": the agent after the zone words."""
    for h in ents.hits_in(pos, end):
        if AGENT_RE.match(text[pos:h.start]):
            return ents.persons[h.ident].ref() if h.kind == "person" else ents.party_ref(h.ident)
        break
    return None


def _requester(ents: Entities, start: int, pos: int) -> Ref | None:
    """Who asks for or proposes the zone: the first party or person of the clause, before it."""
    for h in ents.hits_in(start, pos):
        if h.kind == "person":
            return ents.persons[h.ident].ref()
        return ents.party_ref(h.ident)
    return None
