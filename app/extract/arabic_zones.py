"""Zones: de-escalation, safe and ceasefire areas, with the status the text gives them.

A zone is a place (or a zone of the gazetteer) named right after a zone phrase — «منطقة خفض
التصعيد في إدلب», «وقف إطلاق النار في محافظة الحديدة», «الهدنة في مناطق عدة، أبرزها حي الوعر»,
«إدراج مناطق جنوب دمشق والبادية والقلمون ضمن ...» — with the places coordinated with it (X وY
وZ), one zone each; or the place the phrase points back to («التهدئة فيها») or that the clause
is about («تشهد محافظة درعا خروقات لاتفاق وقف إطلاق النار»). Venues of talks (Astana, Geneva:
places that are also processes) and whole countries are not zones. The status is read from the
clause that names the zone, else from its sentence: violated, then in force, then proposed when
only expected, agreed, requested, proposed. An article states one status per zone: the most
advanced it reports."""

from __future__ import annotations

from app.extract.arabic_text import Doc, names_of, rx
from app.extract.gazetteer import Entry
from app.extract.prefilter import AnyOf
from app.extract.types import ExtractedZone, Ref

_ZONE_PHRASE = rx(
    r"(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:منطقة|مناطق|منطقتي)\s+(?:\S+\s+)?(?:ل)?(?:خفض|عدم|تخفيف)\s+(?:ال)?(?:تصعيد|توتر)"
    r"|(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:اتفاق|اتفاقية)\s+(?:ل)?خفض\s+(?:ال)?تصعيد"  # «اتفاق خفض التصعيد في جنوب غرب سوريا»
    r"|(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:منطقة|مناطق)\s+(?:ال)?(?:آمنة|عازلة|منزوعة السلاح|إنسانية|حظر\s+(?:ال)?طيران)"
    r"(?:\s+(?:ال)?(?:آمنة|عازلة|منزوعة السلاح))?"  # «منطقة عازلة منزوعة السلاح حول مدينة غوما»
    # «بوقف فوري لإطلاق النار»: an adjective may come between
    r"|(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:وقف|وقفا|وقفًا)\s+(?:(?:فوري|شامل|دائم|كامل|مؤقت)[اةه]?\s+)?(?:ل)?(?:إطلاق|اطلاق)\s+(?:ال)?نار"
    r"|(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:هدنة|تهدئة|وقف\s+(?:ال)?أعمال\s+(?:ال)?قتالية|وقف\s+(?:ال)?قتال)"
    r"|(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:ممر|ممرات)\s+(?:ال)?(?:إنساني|إنسانية|آمن|آمنة)(?:\s+(?:ال)?(?:آمن|آمنة))?"
    r"|(?<!\w)(?:[وبل]|لل)?إدراج(?=\s)"
    # a withdrawal from, or clearing of, an area: «انسحاب القوات الإسرائيلية من جنوب لبنان»,
    # «بإخلاء خط سرت-الجفرة من المقاتلين»
    r"|(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:انسحاب|انسحابا|إخلاء)(?:\s+(?!من\s)\S+){0,2}?\s+من(?=\s)"
    r"|(?<!\w)(?:[وبل]|لل)?(?:ال)?إخلاء(?=\s)"
    r"|(?<!\w)(?:ب)?(?:خرق|انتهاك)(?:ها|ه)(?=\s)")  # «الهدنة ... تتهم الحوثيين بخرقها في تعز»
# «وإرساء التهدئة فيها»: the zone is the place named before
_BACK = rx(r"\s+(?:فيها|فيه)(?!\w)")
_SCENE = rx(r"(?<!\w)(?:و)?(?:تشهد|شهدت|يشهد|شهد|تعرضت|تتعرض|تعرض)\s+")
_AREA_NAME = rx(r"(?:ال)?(?:مناطق|منطقة|المنطقة|المناطق)\s+(?:ال)?(?:حدودية|آمنة|عازلة|منزوعة)")
# a stem of every zone phrase: sentences without any are skipped at once
_ANY_ZONE = AnyOf.of(rx(r"منطق|مناطق|وقف|هدن|تهدئ|قتالي|إدراج|ممر|انسحاب|إخلاء|خفض"))
_SAFE = rx(r"(?:منطقة|مناطق)\s+(?:ال)?(?:آمنة|عازلة|حظر)")
# What joins a zone phrase to its place: في, ب, مناطق, أبرزها, ولا سيما في ...
# «تدخل الهدنة حيز التنفيذ مساء الاثنين في ...»: the phrase's verb and its time come in between
# «هدنة لمدة 72 ساعة في رفح»: and its length
# «وقف إطلاق النار الساري في منطقة X»: an adjective of its standing may come between
_LINK = rx(r"^[\s،,]*(?:\S+[هة]\s+|(?:ال)?(?:ساري|معلن|قائم|هش|حالي|فوري|شامل|دائم|مؤقت)[ةه]?\s+)?(?:(?:التي|الذي)\s+\S+(?:\s+\S+){0,8}?[\s،,]+)?(?:حيز التنفيذ(?:\s+\S+){0,3}?\s+)?"
            r"(?:(?:لمدة|مدتها|مدته)\s+\S+(?:\s+(?:ساعة|ساعات|يوما|أيام|أسبوع|أسابيع|شهر|أشهر))?\s+)?"
            r"(?:و?لا سيما\s+|أبرزها\s+|خاصة\s+|بما فيها\s+|(?:ل)?تشمل\s+|(?:ل)?يشمل\s+)?"
            r"(?:في\s+|ب|فى\s+|إلى\s+|الى\s+|حول\s+|قرب\s+|بالقرب من\s+|على طول\s+|على امتداد\s+|على\s+|عند\s+)?(?:(?:عدد من\s+)?(?:ال)?(?:مناطق|منطقة|محافظة|مدينة|بلدة|بلدات|قرية|حي|ريف|العاصمة|إقليم|ولاية|مديرية)\s+"
            r"(?:عدة[\s،,]+(?:أبرزها\s+)?)?)?$")
# a truce held along a frontier no gazetteer names: «على الحدود بين البلدين», «على طول الحدود المشتركة»
_BORDER = rx(r"^[\s،,]*(?:\S+\s+)?(?:على طول|على امتداد|على|عند|في)\s+(?P<name>(?:ال)?حدود\s+(?:بين\s+(?:البلدين|الدولتين|الجانبين|\S+\s+و\S+)|"
             r"(?:ال)?مشتركة(?:\s+بين\s+(?:البلدين|الدولتين|\S+\s+و\S+))?|بينهما|(?:ال)?\S+ي[ةه]\s+(?:ال)?\S+ي[ةه]))")
# between coordinated places: «X وإقليم Y», «X، ومدينة Y»
_WITHIN = rx(r"\s*ب(?:ال)?(?:ولاية|محافظة|إقليم|منطقة|مديرية)\s+")  # «الأبيض بولاية شمال كردفان»: where X is
_AND = rx(r"\s*(?:،|,)?\s*و?(?:(?:ال)?(?:منطقة|محافظة|مدينة|بلدة|حي|العاصمة|إقليم|ولاية|مديرية)\s+)?")
_STATUS = [
    ("violated", rx(r"(?<!\w)(?:ب|و)?(?:خرق|خرقا|خروق|خروقات|الخروقات|انتهاك|انتهاكات|الانتهاكات|يخرق|تخرق|خرقت|خرقها|خرقه|"
                    r"انتهاكها|انتهاكه)(?!\w)")),
    # in force now or before: دخل حيز التنفيذ, not يدخل / سيدخل (agreed, still to come)
    ("in_force", rx(r"(?<!\w)(?:(?:و|ب)?(?:دخل|دخلت|دخول)(?:\s+\S+){0,6}\s+حيز التنفيذ|(?:ب|و)?(?:سريان|سريانها|سريانه)|(?:ب|و|ل)?(?:مواصلة|استمرار)\s+(?:التزام|الالتزام|تثبيت)|(?:ل|و)?مراقبة\s+(?:وقف|الهدنة|هدنة|التهدئة)|صامدا|صامدة|الساري|الساري|يسري|تسري|اعتبارا من|هدوءا|هدوء|الحفاظ على)(?!\w)")),
    ("proposed", rx(r"(?<!\w)(?:و)?(?:من المتوقع|من المقرر|يتوقع|مقترح|المقترح|اقتراح|اقترح|اقترحت|يقترح|تقترح|مقترحا)(?!\w)")),
    ("agreed", rx(r"(?<!\w)(?:و)?(?:اتفاق|اتفاقا|اتفاقات|الاتفاق|اتفقا|اتفقوا|اتفقت|اتفق|توقيع|وقع|وقعا|الموقعة|تفاهم|التوصل)(?!\w)")),
    ("requested", rx(r"(?<!\w)(?:و)?(?:طالب|طالبت|طالبوا|طلب|طلبت|طلبوا|يطالب|تطالب|يطالبون|مطالبة|دعا|دعت|يدعو|تدعو|إدراج|لإدراج)(?!\w)")),
    ("proposed", rx(r"(?<!\w)(?:إقامة|إنشاء|لإقامة|لإنشاء)(?!\w)")),
]
# (and «أي اتفاق»: any agreement, none yet)
_NEGATED = rx(r"(?<!\w)(?:دون|من دون|لم|لن|فشل|فشلت|تعثر|تعثرت|رفض|رفضت|أي)(?:\s+\S+){0,2}\s+$")
RANK = {"proposed": 0, "requested": 1, "agreed": 2, "in_force": 3, "violated": 4}
_ASKED_OF = rx(r"(?<!\w)من\s+$")


def find_zones(doc: Doc) -> list[ExtractedZone]:
    best: dict[str, ExtractedZone] = {}
    unknown: set[str] = set()  # names of places the gazetteer lacks: a lower confidence
    for i, (s, e) in enumerate(doc.sents):
        sent = doc.norm[s:e]
        if not _ANY_ZONE(sent):
            continue  # most sentences: one cheap scan
        status = _status(sent)
        if not status:
            continue
        found: list[tuple[str | None, list[str], str]] = []
        clauses = doc.clauses(i)
        for m in _ZONE_PHRASE.finditer(sent):
            # the status of the clause that names the zone, else of the sentence
            cs, ce = next(((a, b) for a, b in clauses if a <= s + m.start() < b), (s, e))
            local = _status(doc.norm[cs:ce]) or status
            # a zone the gazetteer names with its phrase («منطقة خفض التصعيد في إدلب»)
            named = [(z.key, names_of(z)) for zs, ze, z in doc.zones if zs <= s + m.start() < ze or s + m.start() <= zs < s + m.end()]
            places = named or _places_after(doc, s + m.end(), e)
            if not places and _BACK.match(sent, m.end()):  # «وإرساء التهدئة فيها»: the place before
                places = _places_after(doc, _last_place_before(doc, s, s + m.start()), s + m.start())[:1]
            if not places and _SCENE.search(doc.norm, cs, s + m.start()):
                # «تشهد محافظة درعا خروقات لاتفاق وقف إطلاق النار»: the scene of the clause
                places = _places_after(doc, _SCENE.search(doc.norm, cs, s + m.start()).end(), s + m.start())[:1]
            if not places:  # «منطقة منزوعة السلاح حول مدينة بامباري»: a place the gazetteer lacks
                places = _unknown_places(doc, s + m.end(), e)
                unknown.update(names[0] for _, names in places)
            if not places and "حدود" in sent:
                b = _BORDER.match(doc.norm[s + m.end():min(e, s + m.end() + 80)])
                if b:
                    name = doc.original(s + m.end() + b.start("name"), s + m.end() + b.end("name"))
                    # «المنطقة الآمنة المنزوعة السلاح على طول الحدود بين البلدين»: named by its words first
                    own = [doc.span(s + m.start(), s + m.end()).quote.strip()] if _SAFE.search(m.group()) else []
                    places = [(None, list(dict.fromkeys([*own, name, "الحدود"])))]
            if not places and _SAFE.search(m.group()):
                places = [(None, [doc.span(s + m.start(), s + m.end()).quote.strip()])]
            found += [(key, names, local) for key, names in places]
        # a zone whose very name says it is an area (المناطق الحدودية بين اليمن والسعودية)
        found += [(z.key, names_of(z), status) for zs, ze, z in doc.zones
                  if s <= zs < e and _AREA_NAME.match(doc.norm, zs, ze)]
        for key, names, zstatus in found:
            ident = key or names[0]
            zone = ExtractedZone(key=key, names=names, status=zstatus, evidence=doc.sentence_span(i),
                                 confidence=0.4 if ident in unknown else 0.6, requested_by=_requester(doc, i) if zstatus == "requested" else None,
                                 process_key=doc.processes[0][2].key if doc.processes and not doc.processes[0][2].key.startswith("new:") else None)
            if ident not in best or RANK[zstatus] > RANK[best[ident].status]:
                best[ident] = zone
    return list(best.values())


# «... حول مدينة X», «في ولاية X المجاورة», «لتجميع مقاتليها في ولاية X»: a place noun, then a name
_UNKNOWN = rx(r"^(?:[\s،,]*(?!(?:في|حول|قرب|داخل|ب)\s)\S+){0,3}?[\s،,]*(?:في|حول|قرب|داخل|ب)\s*"
              r"(?:مدينة|بلدة|ولاية|مديرية|إقليم|محافظة|قرية|مقاطعة|منطقة|سوق|جبال|مخيم|ناحية|قضاء)\s+"
              r"(?:(?:ال)?(?:مشترك|مشتركة)\s+)?"
              r"(?P<name>(?:(?:رأس|راس|أبو|ابو|عين|بني|دير|تل|جبل|بئر|كفر|سيدي)\s+)?[^\s،,.:;()]{3,})")
# words after a place noun that are no name: numbers, pronouns, places in general (the noun
# has no article, so the word after it is a name in the genitive: «مديرية الدريهمي»)
_NOT_NAME = rx(r"^(?:ال(?:حدود|حدودية|متنازع|محيطة|مجاورة|شمال|جنوب|شرق|غرب|وسط|عاصمة|مدينة|بلاد|منطقة|دولة)|عدة|عدد|جديدة|جديد|واحدة|أخرى|آخر|التي|الذي|قرب|بين|على|من|إلى|"
               r"كل|كبرى|واسعة|محددة|حدودية|جنوب|شمال|شرق|غرب|وسط|جنوبي|شمالي|شرقي|غربي)$")


def _unknown_places(doc: Doc, pos: int, end: int) -> list[tuple[str | None, list[str]]]:
    """A name the gazetteer lacks, after a place noun close behind the zone phrase: a zone named
    after it (its one or two words as written), as a person is found after a title."""
    m = _UNKNOWN.match(doc.norm[pos:min(end, pos + 90)])
    if not m or _NOT_NAME.match(m.group("name")):
        return []
    s, e = pos + m.start("name"), pos + m.end("name")
    if any(ns < e and s < ne for ns, ne in doc.named) or any(a.start < e and s < a.end for a in doc.actors):
        return []  # a known name the rules above did not take (a venue, a country, a party)
    return [(None, [doc.original(s, e)])]


def _last_place_before(doc: Doc, s: int, pos: int) -> int:
    """Start of the last place named before `pos` in the sentence (for «... فيها»)."""
    before = [p[0] for p in doc.zones + doc.places if s <= p[0] < pos]
    return max(before) if before else pos


def _status(sent: str) -> str | None:
    for status, pattern in _STATUS:
        for m in pattern.finditer(sent):
            if not _NEGATED.search(sent[max(0, m.start() - 30):m.start()]):
                return status  # «دون التوصل إلى اتفاق لوقف إطلاق النار»: no agreement
    return None


def _places_after(doc: Doc, pos: int, end: int) -> list[tuple[str | None, list[str]]]:
    """The place named right after a zone phrase, and the places coordinated with it."""
    cands = sorted((p for p in doc.zones + doc.places if pos <= p[0] < min(end, pos + 140)), key=lambda p: p[0])
    out: list[tuple[str | None, list[str]]] = []
    cursor = pos
    for ps, pe, entry in cands:
        if ps < cursor:
            continue
        gap = doc.norm[cursor:ps]
        if out and _WITHIN.match(doc.norm, cursor, pe):  # (the ب may open the place's own match)
            cursor = pe
            continue
        joined = _LINK.match(gap) if not out else _AND.fullmatch(gap)
        if not joined:
            break
        cursor = pe
        if _is_venue_or_country(doc, entry):
            continue
        zone = entry if entry.kind == "zone" else doc.gaz.get("zone", entry.key)
        if zone:
            out.append((zone.key, names_of(zone)))
        else:
            out.append((None, names_of(entry)))
    return out


def _is_venue_or_country(doc: Doc, entry: Entry) -> bool:
    if entry.kind == "zone":
        return False
    if doc.gaz.get("process", entry.key):
        return True
    return any(doc.gaz.exact("party", n) for n in names_of(entry)[:2])


def _requester(doc: Doc, i: int) -> Ref | None:
    """Who asks: the actor after the request verb, else the subject of the sentence, never the
    one asked (طلبوا من تركيا)."""
    s, e = doc.sents[i]
    verb = _STATUS[4][1].search(doc.norm, s, e)
    actors = doc.actors_in(s, e)
    if verb:
        after = [a for a in actors if 0 <= a.start - verb.end() <= 2 and not _ASKED_OF.search(doc.norm[s:a.start])]
        if after:
            return after[0].ref
    subject = [a for a in actors if not (verb and a.start > verb.start())]
    return subject[0].ref if subject else None
