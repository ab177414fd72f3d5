"""Rounds of a process in English news prose: "the sixth round of Syria talks", "round 7",
"Astana 7", "the next round", and a named event of a process (a congress, a conference) told
without a number.

The process is the one named in the sentence, else the one the article is about so far (the
dateline "GENEVA —" counts). Start and end come from "opened/began on X" and
"ended/concluded/wrapped up on X" in a sentence about the round ("the round, which opened on
Tuesday"), and a length ("four days of talks ... ended on Thursday") gives the other end.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from app.extract import venues
from app.extract.english import clauses
from app.extract.english_dates import find_dates
from app.extract.english_entities import Entities, names_of
from app.extract.gazetteer import Mention
from app.extract.types import ExtractedRound, Extraction, Span

ORDINALS = {w: i + 1 for i, w in enumerate(
    ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"])}
NUMBERS = {w: i + 1 for i, w in enumerate(["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])}
ROUND_RE = re.compile(
    r"\b(?:(?P<ord>" + "|".join(ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))\s+round"
    r"|round\s+(?P<num>\d{1,2})\b|(?P<next>next|new|further|another|earlier|previous)\s+round"
    # a body's own Nth meeting: "the committee held its third meeting", "the eighth meeting of the commission"
    r"|(?:its|their)\s+(?P<ordm>" + "|".join(ORDINALS) + r")\s+(?:meeting|session)"
    r"|the\s+(?P<ordof>" + "|".join(ORDINALS) + r")\s+(?:meeting|session)\s+of)\b", re.IGNORECASE)
NEW_BODY_RE = re.compile(r"\b[Aa]n?\s+(?:[\w-]+\s+){0,2}(?:committee|commission|body|panel|mechanism)\b")
# an earlier or a later round than the one the lead dates
OTHER_ROUND_RE = re.compile(r"\b(?:another|next|further|earlier|previous|last|new)\s+round\b", re.IGNORECASE)
START_RE = re.compile(
    r"\b(?:opened|began|begins|opens|started|starts|kicked\s+off|got\s+under\s+way|convened|resumed|resumes|"
    r"to\s+(?:begin|open|start)|scheduled\s+for|set\s+for|(?:will|would)\s+(?:formally\s+|officially\s+)?(?:begin|open|start)|"
    r"(?:due|set|scheduled|expected)\s+to\s+hold)\b", re.IGNORECASE)
END_RE = re.compile(r"\b(?:ended|ends|closed|concluded|wrapped\s+up|finished|wound\s+up|will\s+end)\b", re.IGNORECASE)
RANGE_TO_RE = re.compile(r"\s*(?:to|until|till|through|-|–)\s*")
LENGTH_RE = re.compile(r"\b(?P<n>one|two|three|four|five|six|seven|\d)[- ]days?\b", re.IGNORECASE)
ANAPHOR_RE = re.compile(r"\bthe\s+(?:\w+\s+)?(?:round|talks|negotiations|conference|congress|meeting|session)\b", re.IGNORECASE)
OTHER = -1  # the key number of an unnumbered round other than the one the story is about
VERB_TO_DATE = 60  # a date this close after the verb is the verb's date
# A process named without a round counts as one only when the sentence tells it happening
# ("attended the Congress", "talks in Geneva ended"), not in passing ("the Geneva process").
EVENT_RE = re.compile(
    r"\b(?:opened|opens|began|begins|started|ended|ends|closed|concluded|wrapped\s+up|held|hold|holding|"
    r"attended|attend|convened|took\s+place|takes\s+place|scheduled|to\s+be\s+held|will\s+be\s+held|"
    r"rounds?|sessions?|hosting|hosted|boycott\w*|foresees?|envisag\w*|planned|met|meet|meeting|resumed|resumes|"
    r"(?:set|due)\s+to\s+(?:open|begin|start|resume)|(?:will|would)\s+(?:formally\s+|officially\s+)?(?:open|begin|start)|after\s+(?:[\w-]+\s+){0,4}?(?:talks|negotiations))\b", re.IGNORECASE)
# "agreed on Monday ... after (two days of) talks in X": the talks ended that day
AFTER_TALKS_RE = re.compile(r"\bafter\s+(?:(?P<n>one|two|three|four|five|six|seven|\d)\s+days?\s+of\s+)?(?:[\w-]+\s+){0,2}?"
                            r"(?:talks|negotiations)\b", re.IGNORECASE)
# Events the news names by place or by the two sides, when the gazetteer knows them that way:
# "a conference that opened in Palermo" → "Palermo conference"; "Armenia and Azerbaijan ...
# negotiations" → "Armenia-Azerbaijan negotiations"
EVENT_NOUN_RE = re.compile(
    r"\b(conference|talks|summit|meeting|negotiations|congress|consultations|session|round)s?\b", re.IGNORECASE)
# a session or a round in a place is a round of the talks named after the place
NOUN_AS = {"session": "talks", "round": "talks"}


def extract_rounds(result: Extraction, text: str, ents: Entities) -> None:
    rounds: dict[tuple[str, int | None], ExtractedRound] = {}
    current: str | None = None
    last: ExtractedRound | None = None
    found = list(ents.processes) + _named_events(text, ents, result)
    processes = {m.key: m.entry for m in found}
    lead = result.sentences[0] if result.sentences else None
    for sentence in result.sentences:
        s, e = sentence.start, sentence.end
        here = [m for m in found if s <= m.start < e]
        rounds_here = list(ROUND_RE.finditer(text, s, e))
        parts = clauses(text, s, e) if here or rounds_here else ()
        targets: list[tuple[ExtractedRound, str]] = []  # a round and the words that tell its dates
        for m in rounds_here:
            proc = _nearest(here, m.start()) or current
            if proc is None or (m.group("ordm") and not here and NEW_BODY_RE.search(text, s, m.start())):
                continue  # "A joint committee ... is due to hold its first meeting": a new body's, not the talks'
            number = _number(m, rounds, proc)
            targets.append((_get(rounds, processes[proc], number, sentence, ents, text), _clause_at(text, parts, m.start())))
        if not targets:
            for m in here:
                # the dateline ("PUTRAJAYA, Malaysia, July 28 -") names the talks the lead tells held
                # ("... agreed on Monday ... after talks in Malaysia")
                # and so do the two sides ("Aland and Beland agreed ... after talks")
                lead_told = (m.text.isupper() and m.start == sentence.start or " and " in m.text) \
                    and AFTER_TALKS_RE.search(sentence.text)
                words = sentence.text if lead_told else _clause_at(text, parts, m.start)
                if not EVENT_RE.search(words):
                    continue
                known = [r for k, r in rounds.items() if k[0] == m.key and k[1] != OTHER]
                r = known[-1] if known else _get(rounds, processes[m.key], None, sentence, ents, text)
                targets.append((r, words))
        if not targets and last is not None and ANAPHOR_RE.search(sentence.text):
            targets = [(last, sentence.text)]
        if here:
            current = here[-1].key
        for r, words in targets:
            _dates(r, words, result)
        last = targets[-1][0] if targets else last
    for (proc, number), r in rounds.items():
        if number is None and r.start is None and lead is not None and r.evidence.start != lead.start:
            _lead_date(r, lead, result)
    for r in rounds.values():
        if r.start is None and "after" in r.evidence.quote:
            _after_talks(r, result)
        if r.start is None:
            _meeting_day(r, result)
    numbered = {k[0] for k, r in rounds.items() if k[1] is not None and k[1] > 0}
    for (proc, number), r in rounds.items():
        if (number is None or number == OTHER) and proc in numbered:
            continue  # the process is told by its numbered rounds
        result.rounds.append(r)


def _clause_at(text: str, parts, pos: int) -> str:
    """The clause holding `pos`, with the relative clause after it ("..., which opened on
    Thursday"): the dates of another clause are another event's ("after talks in Vienna ended")."""
    for k, c in enumerate(parts):
        if c.start <= pos < c.end or (k + 1 == len(parts)):
            end = parts[k + 1].end if k + 1 < len(parts) and parts[k + 1].link == "rel" else c.end
            return text[c.start:end]
    return ""


def _nearest(mentions, pos: int) -> str | None:
    return min(mentions, key=lambda m: abs(m.start - pos)).key if mentions else None


def _number(m: re.Match, rounds, proc: str) -> int | None:
    if m.group("ord") or m.group("ordm") or m.group("ordof"):
        word = (m.group("ord") or m.group("ordm") or m.group("ordof")).lower()
        return ORDINALS.get(word) or int(re.sub(r"\D", "", word))
    if m.group("num"):
        return int(m.group("num"))
    known = [k[1] for k in rounds if k[0] == proc and k[1] is not None and k[1] > 0]
    if known and m.group("next").lower() == "next":
        return max(known) + 1
    # "another round" / "an earlier round" when this one is told already: a round of its own
    return OTHER if (proc, None) in rounds else None


def _get(rounds, entry, number, sentence, ents: Entities, text: str) -> ExtractedRound:
    key = (entry.key, number)
    if key not in rounds:
        place = next((p.entry for p in ents.places if sentence.start <= p.start < sentence.end
                      and _AT_PLACE_RE.search(text, max(0, p.start - 40), p.start)), None)
        place = place or next((p.entry for p in ents.places if p.key == entry.key), None)
        rounds[key] = ExtractedRound(
            process_key=None if entry.key.startswith("new:") else entry.key, process_names=names_of(entry),
            number=None if number == OTHER else number,
            location_key=place.key if place else None, location_names=names_of(place) if place else [],
            start=None, end=None, evidence=Span(sentence.start, sentence.end, sentence.text),
            confidence=0.8 if number else 0.6)
    return rounds[key]


# "in Geneva", "at the", "in the Kyrgyz town of Batken"
_AT_PLACE_RE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?(?:[A-Z][\w-]+\s+)?(?:(?:town|city|village|capital|resort)\s+of\s+)?$")


def _dates(r: ExtractedRound, body: str, result: Extraction) -> None:
    dates = [d for d in find_dates(body, result.published, warnings=result.warnings) if d.date and d.precision == "day"]
    for d1, d2 in zip(dates, dates[1:]):  # "The round ran from Jan. 16 to Jan. 18"
        if body[:d1.start].endswith("from ") and RANGE_TO_RE.fullmatch(body, d1.end, d2.start) and d1.date <= d2.date:
            r.start, r.end = r.start or d1.date, r.end or d2.date
    for verb_re, attr in ((START_RE, "start"), (END_RE, "end")):
        for v in verb_re.finditer(body):
            # "due to hold talks on X in the town of Y on Sept. 26": the talks' topic and place come between
            reach = VERB_TO_DATE + (40 if v.group().lower().endswith("hold") else 0)
            d = next((d for d in dates if v.end() <= d.start <= v.end() + reach), None)
            if d and getattr(r, attr) is None:
                setattr(r, attr, d.date)
                if attr == "start" and d.end_date:
                    r.end = r.end or d.end_date
    length = LENGTH_RE.search(body)
    if length:
        n = NUMBERS.get(length.group("n").lower()) or int(length.group("n"))
        if r.end and not r.start:
            r.start = r.end - dt.timedelta(days=n - 1)
        elif r.start and not r.end:
            r.end = r.start + dt.timedelta(days=n - 1)


def _lead_date(r: ExtractedRound, lead, result: Extraction) -> None:
    """A one-off event told again later ("attended the one-day Congress") is the event the
    lead sentence dates ("a congress ... agreed on Tuesday") when both name the same kind."""
    nouns = {n.lower() for n in EVENT_NOUN_RE.findall(r.evidence.quote)}
    if not nouns & {n.lower() for n in EVENT_NOUN_RE.findall(lead.text)} or OTHER_ROUND_RE.search(r.evidence.quote):
        return
    days = [d for d in find_dates(lead.text, result.published) if d.date and d.precision == "day" and not d.speech]
    if days:
        r.start = days[0].date
        if re.search(r"\bone-day\b", r.evidence.quote, re.IGNORECASE):
            r.end = r.end or r.start


def _after_talks(r: ExtractedRound, result: Extraction) -> None:
    """"X and Y agreed on Monday ... after talks in Z": the talks ended the day the sentence dates,
    and began as many days before as it says ("after two days of informal talks")."""
    m = AFTER_TALKS_RE.search(r.evidence.quote)
    if not m:
        return
    days = [d for d in find_dates(r.evidence.quote[:m.start()], result.published)
            if d.date and d.precision == "day" and not d.speech]
    if not days:
        return
    n = NUMBERS.get((m.group("n") or "one").lower()) or int(m.group("n"))
    r.end = r.end or days[0].date
    r.start = r.end - dt.timedelta(days=n - 1)


def _meeting_day(r: ExtractedRound, result: Extraction) -> None:
    """Talks told in a sentence that dates a meeting held in them ("Vucic and Kurti met for four
    hours in Brussels in talks facilitated by ...") began that day, when they ended no later."""
    days = {m.date for m in result.meetings
            if m.status == "held" and m.date and m.evidence.start == r.evidence.start}
    if len(days) == 1 and (r.end is None or r.end == min(days)):
        r.start = min(days)


def _named_events(text: str, ents: Entities, result: Extraction) -> list[Mention]:
    gazetteer = ents.gazetteer
    out: list[Mention] = []
    if gazetteer is None:
        return out
    lead_pair = None
    if result.sentences:
        lead = result.sentences[0]
        lead_hits = [h for h in ents.hits_in(lead.start, lead.end) if h.kind == "party"]
        lead_pair = next(((a, b) for a, b in itertools.pairwise(lead_hits)
                          if re.fullmatch(r"\s+and\s+", text[a.end:b.start])), None)
    for sentence in result.sentences:
        nouns = list(EVENT_NOUN_RE.finditer(text, sentence.start, sentence.end))
        if not nouns:
            continue
        # the dateline ("ISTANBUL —") last: the clause after it tells the event
        names = sorted((p for p in ents.places if sentence.start <= p.start < sentence.end
                        and not PLACE_AS_MODIFIER_RE.match(text, p.end)),  # "Sanaa airport" names no talks
                       key=lambda p: text[p.end:p.end + 3] in (" — ", " - "))
        hits = [h for h in ents.hits_in(sentence.start, sentence.end) if h.kind == "party"]
        pairs = [(a, b) for a, b in itertools.pairwise(hits) if re.fullmatch(r"\s+and\s+(?:the\s+)?", text[a.end:b.start])]
        if not pairs and lead_pair and ("two" in sentence.text or "both" in sentence.text):
            two = TWO_SIDES_RE.search(text, sentence.start, sentence.end)
            if two and lead_pair:  # "the two sides are due to hold talks": the pair the lead names
                a, b = lead_pair
                pairs = [(_At(a.ident, two.start(), two.end()), _At(b.ident, two.start(), two.end()))]
        for noun in dict.fromkeys(NOUN_AS.get(n.group(1).lower(), n.group(1).lower()) for n in nouns):
            tries = [(p.start, p.end, f"{p.text} {noun}", p.entry) for p in names]
            for a, b in pairs:
                ea, eb = ents.parties.get(a.ident), ents.parties.get(b.ident)
                if ea and eb:
                    tries += [(a.start, b.end, f"{x.name}-{y.name} {noun}", None) for x, y in ((ea, eb), (eb, ea))]
            for start, end, name, place in tries:
                entry = gazetteer.exact("process", name)
                if entry is not None:
                    entry = _by_side(entry, ents, gazetteer)
                    if place is not None:  # one city, several conflicts' talks: the article's sides choose
                        kind = "summit" if noun == "summit" else "talks"
                        sides = venues.sides_of(ents.parties.values())
                        entry = venues.choose(gazetteer, venues.processes_at(gazetteer, place, kind), sides, entry)
                        if sides and not venues.fits(gazetteer, entry, sides):
                            break  # no side of its conflict named: another conflict's talks in that city
                    out.append(Mention(entry, start, end, text[start:end], name))
                    break
            else:  # talks the gazetteer lacks, held in a city it knows: named after the city
                city = None if out else _city_talks(text, ents, sentence, names, noun)
                if city is not None:
                    out.append(city)
    return out


TWO_SIDES_RE = re.compile(r"\b(?:the\s+two\s+(?:sides|countries|neighbou?rs|governments|states)|both\s+(?:sides|countries))\b",
                          re.IGNORECASE)


@dataclass
class _At:
    """A side of the lead's pair, placed where "the two sides" refers back to it."""
    ident: str
    start: int
    end: int


PLACE_AS_MODIFIER_RE = re.compile(r"\s+(?:airport|port|harbou?r|road|highway|university|hospital|prison)\b", re.IGNORECASE)
# a round told happening, not talks merely mentioned
ROUND_TOLD_RE = re.compile(r"\b(?:round|opened|began|ended|concluded|wrapped\s+up|resumed|kicked\s+off|"
                           r"(?:due|set|scheduled)\s+to\s+(?:open|begin|start|resume))\b", re.IGNORECASE)


def _city_talks(text: str, ents: Entities, sentence, places, noun: str) -> Mention | None:
    """"the round of talks in Mexico City opened ...": a new process named after the city, when
    the article names no known process and the sentence tells a round happening there."""
    if ents.processes or noun not in ("talks", "negotiations") or not ROUND_TOLD_RE.search(text, sentence.start, sentence.end):
        return None
    for p in places:
        before = text[max(sentence.start, p.start - 80):p.start]
        if re.search(r"\b(?:[Tt]alks|[Nn]egotiations|[Rr]ound)\b[^.]*\b(?:in|at)\s+(?:the\s+)?$", before) \
                and not _country_name(ents.gazetteer, p.entry):
            return Mention(venues.city_process(p.entry), p.start, p.end, p.text, p.text)
    return None


def _country_name(gazetteer, place) -> bool:
    """A city named as its country is (Djibouti): its talks are the country's."""
    state = gazetteer.exact("party", place.name_en or "")
    return state is not None and state.name_en == place.name_en


def _by_side(entry, ents: Entities, gazetteer):
    """Talks named by their city ("Havana talks") are the talks of the non-state side the
    article names when the gazetteer knows talks by that side's name ("ELN talks"): one city
    hosts the talks of several conflicts."""
    for key, party in ents.parties.items():
        if party is None or party.data.get("party_kind") in (None, "state", "organization"):  # a mediator's talks are not its own
            continue
        for name in (party.name_en, *party.aliases):
            if name and len(name) <= 12:
                other = gazetteer.exact("process", f"{name} talks")
                if other is not None and other.key != entry.key:
                    return other
    return entry
