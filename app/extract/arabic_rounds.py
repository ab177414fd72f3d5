"""Rounds of talks: a process (from the gazetteer), its number, place and first and last day.

The number comes from «الجولة السادسة (من محادثات أستانا)», «جولة خامسة في جنيف», «أستانا 2»,
«جنيف 4»; «الجولة المقبلة» of a process whose round N the article names is round N+1. A process
named without a number is a round only where its sentence speaks of talks taking place, and a
process named by its city (جنيف) right beside a numbered round of another process is only its
venue. The days come from the verbs that open and close a round (انطلقت أمس → start, تختتم
اليوم / الجلسة الختامية اليوم → end), each taking the nearest date of its sentence, from «بين 30
نوفمبر و4 ديسمبر», and from «اختتمت ... بعد تسعة أيام من المباحثات» (start = end − 8 days)."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise

from app.extract import venues
from app.extract.arabic_text import Doc, key, names_of, rx
from app.extract.gazetteer import Entry
from app.extract.normalize import fold_arabic
from app.extract.types import ExtractedRound

ORDINALS = {
    "أولى": 1, "أول": 1, "ثانية": 2, "ثاني": 2, "ثالثة": 3, "ثالث": 3, "رابعة": 4, "رابع": 4,
    "خامسة": 5, "خامس": 5, "سادسة": 6, "سادس": 6, "سابعة": 7, "سابع": 7, "ثامنة": 8, "ثامن": 8,
    "تاسعة": 9, "تاسع": 9, "عاشرة": 10, "عاشر": 10, "حادية": 1, "حادي": 1, "عشرين": 20, "عشرون": 20,
}
# «الحادية والعشرون», «الثالثة والثلاثين»: units then tens
_TENS = {fold_arabic(k + end): v for k, v in {"عشر": 20, "ثلاث": 30, "أربع": 40, "خمس": 50, "ست": 60, "سبع": 70,
                                              "ثمان": 80, "تسع": 90}.items() for end in ("ين", "ون")}
ORDINALS = {fold_arabic(k): v for k, v in ORDINALS.items()}
_ORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
_TENS_ALT = "|".join(sorted(_TENS, key=len, reverse=True))
# «الجولة السادسة», and a body's own Nth meeting or session: «اختتمت اللجنة اجتماعها الثالث»
_ROUND = re.compile(rf"(?<!\w)(?:[وفبل]|لل)?(?:(?:ال)?جول(?:ه|تها|ته)|اجتماع(?:ها|ه|هما)|دورت(?:ها|ه))"
                    rf"\s+(?:ال)?(?P<ord>{_ORD})(?P<teen>\s+عشر(?:ه)?)?(?:\s+و(?:ال)?(?P<tens>{_TENS_ALT}))?(?!\w)")
_ROUND_STEMS = ("جول", "اجتماعه", "اجتماعها", "دورته", "دورتها")
_NEXT = rx(
    r"(?<!\w)(?:[وفبل]|لل)?(?:ال)?(?:جولة|اجتماع|لقاء)\s+(?:ال)?(?:مقبلة|قادمة|تالية|مقبل|قادم)(?!\w)")
_NEXT_STEMS = tuple(fold_arabic(w) for w in ("جولة", "اجتماع", "لقاء"))  # one is in every _NEXT match
_NUMBER_AFTER = re.compile(r"^\s*»?\"?\s*(\d{1,2})(?!\d)")
# verbs that open and close a round; «عقده / تعقد» only date a round named in their sentence
_START = rx(
    r"(?<!\w)(?:و)?(?:انطلقت|انطلق|تنطلق|ينطلق|بدأت|بدأ|تبدأ|يبدأ|افتتحت|افتتح|انطلاق|بدء|انطلاقها|استؤنفت|"
    r"(?:ال)?جلسة\s+(?:ال)?افتتاحية|يومها الأول|يومه الأول)(?!\w)")
_HELD = rx(r"(?<!\w)(?:و)?(?:عقده|عقدها|عقدت|تعقد|يعقد|ستعقد|سيعقد|ستنعقد|ينعقد|تنعقد|تستضيف|يستضيف|ستستضيف|"
           r"استضافت|استضاف|استضافها|استضافه|استضافتها|استضافته|يستضيفها|تستضيفها)(?!\w)")
_END = rx(
    r"(?<!\w)(?:و)?(?:اختتمت|اختتم|تختتم|يختتم|انتهت|انتهى|تنتهي|ينتهي|اختتام|ختام|(?:ال)?جلسة\s+(?:ال)?ختامية)(?!\w)")
# A process named without a number is a round only where the sentence speaks of talks taking
# place (a round, a meeting, a date): «لاستئناف المفاوضات في جنيف الشهر المقبل», not «دون
# مفاوضات جنيف لن يتحقق السلام».
_EVENT = rx(
    r"(?<!\w)(?:[وفبل]|لل)?(?:ال)?(?:جولة|جولات|اجتماع|اجتماعات|لقاء|استئناف|مرتقب|مرتقبة|المقرر|مقرر|تنطلق|انطلقت|"
    r"انطلاق|تعقد|عقدت|اختتمت|تختتم|تشهد|شهدت)(?!\w)")


def find_rounds(doc: Doc) -> tuple[list[ExtractedRound], tuple[dt.date | None, dt.date | None]]:
    """The rounds of the article, and the first and last day of its main round."""
    by_city = _talks_by_city(doc)
    main = _main_process(doc)
    rows: dict[tuple[str, int | None], ExtractedRound] = {}
    last_number: dict[str, int] = {}
    named_in: list[list[ExtractedRound]] = []  # per sentence, the rounds it names
    places = {(ps, pe) for ps, pe, _ in doc.places}
    for i, (s, e) in enumerate(doc.sents):
        sent = doc.norm[s:e]
        procs = [(ps, pe, en) for ps, pe, en in doc.processes if s <= ps < e]
        numbered: list[tuple[Entry, int, int]] = []
        spans: list[tuple[int, int]] = []  # where the numbered rounds and their processes are named
        for ps, pe, entry in procs:  # «أستانا 2», جنيف 4
            m = _NUMBER_AFTER.match(doc.norm[pe:pe + 6])
            if m:
                numbered.append((entry, int(m.group(1)), ps))
                spans.append((ps, pe + m.end()))
        body = None if procs else _body_process(doc, s, e)
        for m in _ROUND.finditer(sent) if any(w in sent for w in _ROUND_STEMS) else ():  # plain `in` tests first (speed)
            n = ORDINALS[m.group("ord")] + (10 if m.group("teen") else 0) + _TENS.get(m.group("tens") or "", 0)
            entry = _process_near(doc, procs, s + m.end(), main) or next(
                (en for ps, pe, en in procs if (ps, pe) in by_city), None) or body or main
            if entry:
                numbered.append((entry, n, s + m.start()))
                spans.append((s + m.start(), s + m.end()))
                spans += [(ps, pe) for ps, pe, en in procs if en is entry and 0 <= ps - s - m.end() < 80]
        for m in _NEXT.finditer(sent) if any(w in sent for w in _NEXT_STEMS) else ():
            entry = _process_near(doc, procs, s + m.end()) or main
            if entry and entry.key in last_number:
                numbered.append((entry, last_number[entry.key] + 1, s + m.start()))
        here = []
        for entry, n, pos in numbered:
            last_number[entry.key] = max(n, last_number.get(entry.key, 0))
            here.append(_row(doc, rows, entry, n, i))
        if body and not numbered and _ROUND_TOLD.search(doc.norm, s, e):
            here.append(_row(doc, rows, body, None, i))  # «اختتمت اللجنة العسكرية المشتركة اجتماعاتها»
        # (the event test only when a process is named here: most sentences name none)
        event = bool(procs) and bool(_EVENT.search(sent))
        dated = any(h.date for h in doc.dates[i])
        strong = [(a, b) for a, b, _ in procs if (a, b) not in places]
        for ps, pe, entry in procs:
            # a process named by its city (جنيف) needs talks in the sentence, not only a date,
            # and is only the venue of a round of another process named next to it, or of one
            # named in the same breath when the city is where («تنطلق في جنيف يوم الجمعة جولة من
            # مفاوضات تبادل الأسرى», «الجولة التاسعة من أعمال اللجنة في جنيف»)
            weak = (ps, pe) in places
            venue = weak and (any(a - 12 <= pe and ps <= b + 12 for a, b in spans) or _where(doc, ps) and (
                any(_same_breath(doc, pe, a) for a, _ in strong) or any(_same_breath(doc, b, ps) for _, b in spans)))
            pact = bool(_PACT.match(doc.norm, ps))  # «لجنة الإشراف على تطبيق اتفاق وقف إطلاق النار»: a text, no talks
            if all(entry is not n[0] for n in numbered) and not venue and not pact and (
                    event or dated and not weak or (ps, pe) in by_city):
                here.append(_row(doc, rows, entry, None, i))
        named_in.append(here)
    # drop «Geneva, number unknown» when the article numbers a round of Geneva
    for proc, number in list(rows):
        if number is None and any(k == proc and n is not None for k, n in rows):
            del rows[(proc, None)]
    out = list(rows.values()) + _resumed_elsewhere(doc, main, list(rows.values()))
    main_row = next((r for r in out if main and r.process_key == main.key and r.number is not None),
                    next((r for r in out if main and r.process_key == main.key), out[0] if out else None))
    _attach_days(doc, named_in, main_row, set(map(id, out)))
    return out, (main_row.start, main_row.end) if main_row else (None, None)


_RESUME = rx(r"(?<!\w)(?:و)?(?:تستأنف|ستستأنف|يستأنف|استئناف|لاستئناف)\s+(?:ال)?(?:مفاوضات|محادثات|مباحثات|مشاورات)\s+")


def _resumed_elsewhere(doc: Doc, main: Entry | None, rows: list[ExtractedRound]) -> list[ExtractedRound]:
    """«ومن المقرر أن تستأنف المفاوضات في القاهرة الأسبوع المقبل»: when the article's round has a
    city, its talks resuming in another city are another round."""
    seen = {r.location_key for r in rows if main and r.process_key == main.key} - {None}
    out: list[ExtractedRound] = []
    for m in _RESUME.finditer(doc.norm) if seen else ():
        place = next((p for p in doc.places if 0 <= p[0] - m.end() <= 4 and _where(doc, p[0])), None)
        if place and place[2].key not in seen and not _country_name(doc, place[2]):
            seen.add(place[2].key)
            out.append(ExtractedRound(
                process_key=main.key, process_names=names_of(main), number=None, location_key=place[2].key,
                location_names=names_of(place[2]), start=None, end=None,
                evidence=doc.sentence_span(doc.sentence_of(m.start())), confidence=0.5))
    return out


_TALKS = rx(r"(?<!\w)(?:[وفبل]|لل)?(?:ال)?(?:محادثات|مفاوضات|مباحثات|مشاورات|حوار|قمة|جولة|جولات|"
            r"جلسة\s+(?:ال)?(?:ختامية|افتتاحية))(?!\w)")
# the city is where the talks are: «في (مدينة) جدة», «تستضيف نيروبي»
_AT = rx(r"(?:(?<!\w)(?:و)?(?:في|إلى|الى|تستضيف|يستضيف|استضافت|استضاف|تحتضن|احتضنت|غادر|غادرا|غادروا|غادرت|وصل|وصلا|وصلوا|وصلت)"
         r"\s+(?:[^\s،,.]+\s+){0,2}|(?<!\w)في\s+(?:ال)?عاصمة\s+(?:[^\s،,.]+\s+){1,2})$")  # («في العاصمة الجنوب أفريقية بريتوريا»)


def _talks_by_city(doc: Doc) -> set[tuple[int, int]]:
    """Give talks named by their city their process (see venues): a city that is itself a
    process's name (جنيف) is re-read by the sides the article names, and a city where talks,
    a summit or a round are held («المحادثات ... في جدة», «قمة ... في لواندا») names the process
    the gazetteer knows by that city and the article's sides. The spans of the latter."""
    places = {(s, e): en for s, e, en in doc.places}
    sides = None
    added: set[tuple[int, int]] = set()
    for k, (ps, pe, entry) in enumerate(doc.processes):
        if (ps, pe) in places:
            sides = sides if sides is not None else _sides(doc)
            chosen = venues.choose(doc.gaz, venues.processes_at(doc.gaz, places[(ps, pe)]), sides, entry)
            # no side of its conflict named: another conflict's talks in that city (none the gazetteer knows)
            doc.processes[k] = (ps, pe, chosen if not sides or venues.fits(doc.gaz, chosen, sides) else None)
    doc.processes[:] = [p for p in doc.processes if p[2] is not None]
    taken = {(ps, pe) for ps, pe, _ in doc.processes}
    for s, e in doc.sents:
        here = [(ps, pe, en) for ps, pe, en in doc.places if s <= ps < e and (ps, pe) not in taken]
        if not here or any(s <= ps < e and (ps, pe) not in places for ps, pe in taken):
            continue  # (a process named by its own name here: the city is only its venue)
        nouns = [(m.start(), "summit" if "قم" in m.group() else "talks") for m in _TALKS.finditer(doc.norm, s, e)]
        for ps, pe, place in here:
            near = [kind for n, kind in nouns if abs(n - ps) < 100]
            if not near or not _AT.search(doc.norm, max(s, ps - 40), ps):
                continue
            sides = sides if sides is not None else _sides(doc)
            # two sides of the conflict named: a third country's talks there are not this article's
            entry = venues.choose(doc.gaz, venues.processes_at(doc.gaz, place, near[0]), sides, least=2)
            if entry is None and not doc.processes and _ROUND_TOLD.search(doc.norm, s, e) \
                    and not _country_name(doc, place):
                entry = venues.city_process(place, near[0])  # talks the gazetteer lacks, in a city (not a country)
            if entry is not None:
                doc.processes.append((ps, pe, entry))
                added.add((ps, pe))
    if added:
        doc.processes.sort(key=lambda p: p[0])
    return added


# a round told happening: it opened, closed or is a round («جولة»), not talks merely mentioned
_ROUND_TOLD = rx(r"(?<!\w)(?:[وفبل]|لل)?(?:ال)?(?:جولة|جولات|انطلقت|انطلق|تنطلق|اختتمت|اختتم|تختتم|ختام|افتتحت|استؤنفت)(?!\w)")


_PACT = rx(r"(?:[وبل]|لل)?(?:ال)?(?:اتفاق|اتفاقية)(?!\w)")
_BODY = rx(r"^(?:ال)?(?:لجنة|هيئة|مجلس|منتدى|ملتقى|آلية)\s")


def _body_process(doc: Doc, s: int, e: int) -> Entry | None:
    """The talks of a body the sentence names, when the gazetteer calls its talks after it (the
    party «اللجنة العسكرية المشتركة 5+5», the process «محادثات اللجنة العسكرية المشتركة 5+5»)."""
    bodies = doc.gaz.derived.get("body_processes")
    if bodies is None:  # once per gazetteer
        procs = [(p, " | ".join(f" {key(n)} " for n in p.names if n)) for p in doc.gaz.of_kind("process")]
        bodies = doc.gaz.derived["body_processes"] = {
            party.key: proc for party in doc.gaz.of_kind("party") if _BODY.match(key(party.name_ar or ""))
            for proc, joined in procs if f" {key(party.name_ar)} " in joined}
    return next((bodies[a.ref.key] for a in doc.actors_in(s, e) if a.ref.key in bodies), None)


def _country_name(doc: Doc, place: Entry) -> bool:
    """A city named as its country is (جيبوتي): its talks are the country's, not a process's."""
    state = doc.gaz.exact("party", place.name_en or "") or doc.gaz.exact("party", place.name_ar or "")
    return state is not None and (state.name_en == place.name_en or state.name_ar == place.name_ar)


def _sides(doc: Doc) -> list[Entry]:
    keys = dict.fromkeys(a.ref.key if a.ref.type == "party" else a.ref.party_key for a in doc.actors)
    return venues.sides_of(doc.gaz.get("party", k) for k in keys if k)


def _main_process(doc: Doc) -> Entry | None:
    """The process the article is about: the most named, a process that is not a city's name
    first (اللجنة الدستورية before جنيف), then the first."""
    count: dict[str, list] = {}
    places = {(s, e) for s, e, _ in doc.places}
    for s, e, entry in doc.processes:
        c = count.setdefault(entry.key, [0, 0, entry])
        c[0] += 1
        c[1] += (s, e) not in places
    if not count:
        return None
    return max(count.values(), key=lambda c: (c[1] > 0, c[0]))[2]


def _process_near(doc: Doc, procs, pos: int, main: Entry | None = None) -> Entry | None:
    """The process named right after a round («الجولة الثالثة للجنة الدستورية في جنيف»),
    preferring one that is not only a city's name; a city named as where the round is («الجولة
    التاسعة من أعمال اللجنة في جنيف») leaves the round to the article's main process when that
    has a name of its own."""
    places = {(s, e) for s, e, _ in doc.places}
    after = [p for p in procs if p[0] >= pos and p[0] - pos < 80]
    strong = [p for p in after if (p[0], p[1]) not in places]
    if not strong and main and all(_where(doc, p[0]) for p in after) and _named_itself(doc, main):
        return None
    pick = strong or after
    return pick[0][2] if pick else None


def _where(doc: Doc, pos: int) -> bool:
    """The name at `pos` follows في / بـ: where something happens."""
    return doc.prev_word(pos) in ("في", "فى") or doc.norm.startswith("ب", pos)


def _same_breath(doc: Doc, a: int, b: int) -> bool:
    """Whether `b` follows `a` closely, in the same clause (no comma between)."""
    return 0 <= b - a < 60 and "،" not in doc.norm[a:b] and "," not in doc.norm[a:b]


def _named_itself(doc: Doc, entry: Entry) -> bool:
    """Whether the article names the process by a name that is not a city's."""
    places = {(s, e) for s, e, _ in doc.places}
    return any(en is entry and (ps, pe) not in places for ps, pe, en in doc.processes)


def _row(doc: Doc, rows, entry: Entry, number: int | None, i: int) -> ExtractedRound:
    if (entry.key, number) not in rows:
        s, e = doc.sents[i]
        place = next((p for p in doc.places if s <= p[0] < e), None)
        location = place[2] if place else doc.gaz.get("place", entry.key)
        rows[(entry.key, number)] = ExtractedRound(
            process_key=None if entry.key.startswith("new:") else entry.key, process_names=names_of(entry), number=number,
            location_key=location.key if location else None,
            location_names=names_of(location) if location else [],
            start=None, end=None, evidence=doc.sentence_span(i), confidence=0.6 if number is None else 0.8)
    return rows[(entry.key, number)]


_COUNT = {fold_arabic(k): v for k, v in {
    "يومين": 2, "ثلاثة": 3, "أربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7, "ثمانية": 8, "تسعة": 9,
    "عشرة": 10}.items()}
_LASTED = rx(r"(?<!\w)(?:بعد|خلال|استمرت|دامت)\s+(يومين|ثلاثة|أربعة|خمسة|ستة|سبعة|ثمانية|تسعة|عشرة|\d{1,2})"
             r"(?:\s+(?:أيام|يوما))?\s+(?:من\s+)?(?:ال)?(?:مباحثات|محادثات|مفاوضات|مشاورات|اجتماعات|نقاشات)")
_JOIN = rx(r"\s*(?:و|إلى|الى|حتى|-)?\s*")
_BETWEEN = rx(r"(?<!\w)(?:بين|من)\s+$")


def _attach_days(doc: Doc, named_in, main_row, kept: set[int]) -> None:
    """Date each round from the verbs that open and close it, each taking the nearest date of
    its sentence; a sentence that names no round speaks of the main one (with «انطلقت»,
    «اختتمت», not with the weaker «تعقد»)."""
    for i, (s, e) in enumerate(doc.sents):
        hits = [h for h in doc.dates[i] if h.date and not (h.statement and not h.since)]
        if not hits:
            continue
        rounds = [r for r in named_in[i] if id(r) in kept]
        claimed: set[int] = set()
        for a, b in pairwise(hits):  # «بين 30 نوفمبر و4 ديسمبر»: the first and last day
            if rounds and _BETWEEN.search(doc.norm[max(s, a.start - 8):a.start]) \
                    and _JOIN.fullmatch(doc.norm[a.end:b.start]):
                rounds[0].start, rounds[0].end = a.date, b.date  # stated in full: before a verb's nearest date
                claimed |= {id(a), id(b)}
        for pattern, which in ((_START, "start"), (_HELD, "start"), (_END, "end")):
            target = rounds[0] if rounds else (main_row if pattern is not _HELD else None)
            for m in pattern.finditer(doc.norm, s, e):
                free = [h for h in hits if id(h) not in claimed and abs(h.start - m.end()) < 60]
                if not free or target is None:
                    continue
                hit = min(free, key=lambda h: min(abs(h.start - m.end()), abs(m.start() - h.end)))
                claimed.add(id(hit))
                doc.round_dated.add(id(hit))
                if getattr(target, which) is None:
                    setattr(target, which, hit.date)
        # «اختتمت ... بعد تسعة أيام من المباحثات»: the round began that many days before its end
        span = _LASTED.search(doc.norm, s, e)
        target = rounds[0] if rounds else main_row
        if span and target is not None and target.end and target.start is None:
            days = _COUNT.get(span.group(1)) or int(span.group(1))
            target.start = target.end - dt.timedelta(days=days - 1)
