"""Meetings in Arabic news about talks: who met whom, when, how, and whether it happened.

One meeting per clause that holds a meeting word (اجتمع, التقى, لقاء, محادثات مع, اتصال هاتفي,
الجلسة العامة, وقّع ...). Participants are the actors of that clause (of the whole sentence for a
plenary session, which news lists across the sentence: «... بحضور ... وممثلي ...»), less the
sponsor (برعاية تركية), the speaker when the meeting is only reported (قال X إن ...), places
(في جنيف) and topics (لمناقشة ..., بشأن ...). One participant per party: a person stands for the
party they belong to. A clause naming only one side borrows the other from the context («كما
اجتمع بالوفد التركي», «فقد التقى نظيره الجيبوتي»): see arabic_sides.py. «لقاءات منفصلة مع كل
من X وY» is one meeting per counterpart. Status: denied when negated (نفى، لم يجتمع، لن يكون
هناك لقاء), postponed / cancelled, scheduled when future (سيعقد، من المقرر، من المتوقع), else
held — a meeting that is only planned or denied is never reported as held.
"""

from __future__ import annotations

import datetime as dt

from app.extract import arabic_sides as sides
from app.extract.arabic_text import WORD, Actor, Doc, chain, rx
from app.extract.normalize import fold_arabic
from app.extract.prefilter import AnyOf, unguarded
from app.extract.types import ExtractedMeeting

_P = r"(?<!\w)(?:[وف])?(?:ب|ل|لل)?"  # word start with its proclitics
# (kind, pattern) in priority order: a clause with a phone word is a call whatever else it says.
TRIGGERS = [
    ("phone_call", rx(_P + r"(?:(?:اتصال|اتصالا|اتصالين|اتصالات|مكالمة|مكالمتين|مكالمات)\s+هاتفي(?:ا|ة|ين|تين)?|هاتفيا|اتصل|اتصلت)(?!\w)")),
    ("plenary", rx(_P + r"(?:ال)?(?:جلسة|جلسات|جلستين)(?!\w)(?!\s+(?:استماع|محاكمة))")),
    ("plenary", rx(_P + r"(?:ال)?مؤتمر(?:ا)?\s+(?:ال)?(?:وزاري|دولي)(?!\w)")),
    # «أن يعقد الطرفان جولة ثانية في X»: the sides sit together for a round
    ("plenary", rx(_P + r"(?:عقد|عقدا|عقدت|يعقد|تعقد|يعقدان|تعقدان|سيعقد|ستعقد|سيعقدان)(?=(?:\s+\S+){0,2}\s+جولة(?!\w))")),
    ("meeting", rx(_P + r"(?:ال)?(?:اجتمع|اجتمعا|اجتمعوا|اجتمعت|يجتمع|تجتمع|يجتمعان|سيجتمع|ستجتمع|"
                    r"اجتماع|اجتماعا|اجتماعات|اجتماعين|اجتماعه|اجتماعها|اجتماعاتهم|اجتماعاتها|"
                    r"التقى|التقت|التقيا|التقوا|يلتقي|تلتقي|سيلتقي|ستلتقي|يلتقيان|يلتقيا|تلتقيا|يلتقوا|يجتمعا|تجتمعا|يجتمعوا|"
                    r"لقاء|لقاءا|لقاءين|لقاءات|لقاءه|لقائه|لقائها|استقبل|استقبلت|يستقبل|"
                    r"قمة|جلساتها|جلساتهما|جلسته|جلستها|اجتماعهما|لقاءهما|لقائهما)(?!\w)")),
    # shuttle diplomacy: one meeting with each side
    ("meeting", rx(_P + r"(?:ال)?(?:تنقل|يتنقل|يتنقلون|جولات مكوكية|دبلوماسية مكوكية)(?=\s+بين)")),
    # «بحث X مع Y ...», «ناقش X مع نظيره»: talks with someone (a call when the clause says so)
    ("meeting", rx(_P + r"(?:بحث|يبحث|ناقش|يناقش|تباحث|يتباحث|بحثا|ناقشا)(?=(?:\s+\S+){0,8}\s+مع(?!\w))")),
    # talks are a meeting only when they are between sides (محادثات مع / بين), not a round
    ("meeting", rx(_P + r"(?:ال)?(?:محادثات|مباحثات|مشاورات)(?=(?:\s+\S+){0,6}\s+(?:مع|بين)(?!\w))")),
    ("signing", rx(r"(?<!\w)(?:و)?(?:وقع|وقعت|وقعا|وقعوا|وقعه|وقعها|وقعاه|يوقع|يوقعان|سيوقع|سيوقعان|ستوقع)(?!\w)")),
]
TRIGGERS = [(kind, unguarded(pattern)) for kind, pattern in TRIGGERS]  # _STEMS below test them first
# the stems one of which every match of each trigger holds, in the order of TRIGGERS: a plain
# `in` test skips the scans of the triggers a clause cannot hold (speed)
_STEMS = [AnyOf(fold_arabic(w) for w in stems.split()) for stems in (
    "هاتفي اتصل", "جلس", "مؤتمر", "جولة", "جتمع جتماع لتق لقاء لقائ ستقبل قمة جلس", "تنقل مكوكي",
    "بحث ناقش تباحث", "محادثات مباحثات مشاورات", "وقع")]
# a stem of every trigger word above
_ANY_TRIGGER = AnyOf.of(rx(r"جولة|بحث|ناقش|تباحث|هاتف|اتصل|مكالم|جلس|مؤتمر|جتمع|جتماع|لتق|لقاء|لقائ|استقبل|ستقبل|قمة|محادثات|مباحثات|مشاورات|تنقل|مكوكي|وقع"))
_SESSION_WITH = rx(r"(?:\s+(?:ال)?(?:مغلقة|مطولة|مشتركة|ثنائية|خاصة|منفصلة))?\s+(?:مع|ب)(?:\s|(?=ال))")
_PUBLIC = rx(r"\s+(?:ال)?(?:عامة|علنية|موسعة)(?!\w)")
_POSSESSIVE_SESSION = rx(r"(?:جلساتها|جلساتهما|جلسته|جلستها)")
_SEPARATE = rx(r"(?<!\w)(?:التنقل بين|يتنقل بين|مكوكية|منفصلة|منفصلين|منفصلتين|منفصلا|منفصل|على حدة|كل على حدة|كلا على حدة|مع كل من|مع كل منهما|مع كل منها|مع كل وفد)(?!\w)")
_EACH_OF_TWO = rx(r"(?<!\w)(?:كل منهما|كل منها|كليهما)(?!\w)")
_EACH_LEADER = rx(r"(?<!\w)(?:الزعيمين|الرئيسين|الوزيرين|القائدين)(?!\w)")
_EACH_SIDE = rx(r"(?<!\w)(?:كل وفد|كل طرف|الوفدين|الطرفين|الجانبين)(?!\w)")
_PURPOSE = rx(r"(?<!\w)(?:على هامش|بالضغط|للضغط|مطالبا|مطالبة|لفك|بفك|بالإفراج|لمناقشة|لبحث|بهدف|من أجل|بشأن|حول|تناول|وتناول|تناولت|لتبادل|لتسوية|للتوصل|في محاولة)(?!\w)")
_SPEECH = rx(r"(?<!\w)(?:و)?(?:قال|قالت|أعلن|أعلنت|أكد|أكدت|ذكر|ذكرت|أفاد|أفادت|أوضح|أوضحت|صرح|صرحت|"
              r"أضاف|أضافت|نقل|نقلت|كشف|كشفت|اعتبر|اعتبرت)(?!\w)")
_HE_SAID = rx(r"(?<!\w)(?:إنه|أنه|بأنه|إنها|أنها|بأنها)$")
_COMPLEMENT = rx(r"(?<!\w)(?:إن|أن|بأن|إنه|أنه|إنها|أنها|بأنه)(?!\w)")
_DENIER = rx(r"(?<!\w)(?:و)?(?:نفى|نفت|ينفي|تنفي)(?!\w)")
_DENIED_WHAT = rx(r"(?<!\w)(?:إن|أن|بأن|إنه|أنه|عن)(?!\w)")  # what is denied: «نفى X أن ...», «... عن لقاء»
_DENIED = rx(r"(?<!\w)(?:و)?(?:لم|لن|نفى|نفت|ينفي|تنفي|نفي|دون أن|من دون|رفض|رفضت|رفضها|رفضه|يرفض|ترفض|لا)(?!\w)")
_POSTPONED = rx(r"(?<!\w)(?:و)?(?:أرجئت|أرجئ|أرجأت|أرجأ|إرجاء|تأجيل|تأجلت|تأجل|أجلت|أجل|تأجيلها|تأجيله)(?!\w)")
_CANCELLED = rx(r"(?<!\w)(?:و)?(?:ألغيت|ألغي|ألغت|ألغى|إلغاء|ألغاء)(?!\w)")
_WAS_PLANNED = rx(r"(?<!\w)(?:و)?كان(?:ت)?\s+(?:من\s+)?(?:ال)?مقرر(?:ا|ة)?(?!\w)")
_SCHEDULED = rx(r"(?<!\w)(?:و)?(?:س[يتن](?:عقد|لتقي|جتمع|كون|ستأنف|شارك|وقع|نطلق|بدأ|ختتم|جري|زور|شهد|تم|ستضيف|جمع|عقدون|لتقون)\w*"
                 r"|من المقرر|من المتوقع|من المنتظر|المقرر|المرتقب|مرتقب|مرتقبا|يعتزم|تعتزم|المزمع|يتوقع|يرتقب)(?!\w)")
_CLOSED = rx(r"(?<!\w)(?:مغلق|مغلقة|مغلقا|مغلقين|أبواب مغلقة|بعيدا عن الإعلام|بعيدا عن الأضواء)(?!\w)")
_CLOSING = rx(r"(?:ال)?(?:جلسة|جلسات)\s+(?:ال)?(?:ختامية|أخيرة)")
_OPENING = rx(r"(?:ال)?(?:جلسة|جلسات)\s+(?:ال)?(?:افتتاحية|أولى|الأولى)")
_ALSO = rx(r"\s*(?:و)?كما\s")
_RELATIVE = rx(r"\s*(?:الذي|التي|الذين)(?!\w)")
# «ثم جمعهما», «قبل أن يجمعهما»: the host brings together those met one by one just before
_GATHER = rx(r"(?<!\w)(?:و)?(?:ي|ت)?جمع(?:هما|هم|تهما|تهم)(?!\w)")
# (but «أول لقاء منذ عشر سنوات بين X وY» names its sides after it)
_SINCE = rx(r"(?<!\w)منذ(?!\w)(?!(?:\s+\S+){0,5}\s+بين(?!\w))")
# «مؤكدا استعداد بلاده لإجراء محادثات مع X»: talks one is ready for have not happened
_READY = rx(r"(?<!\w)(?:استعداد|استعداده|استعدادها|استعدادهم|مستعد|مستعدة|مستعدون|رغبة|رغبته|رغبتها)\s+(?:\S+\s+){0,2}?(?:ل|ب)?(?:إجراء|عقد|بدء|الدخول في)\s+$")
_PROPOSED = rx(r"(?<!\w)(?:و)?(?:اقترح|اقترحت|يقترح|تقترح|اقتراح|لا يعتزم|لا تعتزم|لا ينوي|لا تنوي)\s+(?:عقد\s+)?$")
_DURING = rx(r"(?<!\w)خلال\s+(?:ال)(?:اجتماع|لقاء)(?!\w)")
_VAGUE_PLURAL = rx(r"(?:^|\s)(?:[وفبل]|لل)?ال(?:اجتماعات|لقاءات)$")
_BETWEEN = rx(r"(?:\s+\S+){0,3}?\s+بين(?!\w)")
_WITH = rx(r"(?<!\w)(?:مع|بين)(?!\w)")
_TALKS = rx(r"محادثات|مباحثات|مشاورات|مفاوضات")
_ROUND_WORD = rx(r"(?<!\w)(?:ال)?(?:جولة|جولات)(?!\w)")
_TIME_REF = rx(r"(?<!\w)(?:و)?(?:قبيل|قبل|بعد|عقب|ختام|انطلاق|افتتاح|إثر|خارج)\s+$")
_REACTION = rx(r"(?<!\w)(?:و)?(?:رحب|رحبت|أشاد|أشادت|ندد|نددت|انتقد|انتقدت|أثنى|علق|علقت)(?!\w)")
# «اجتمع وفدا المعارضة والنظام بأطراف عدة»: each side met others, not each other
# (but «بمسؤولين في حكومة الدبيبة» says whose)
_VAGUE = rx(r"(?<!\w)(?:ب|مع\s+)(?:أطراف|عدة أطراف|وفود|مسؤولين|ممثلين)(?:\s+(?:عدة|مختلفة|أخرى|عديدة))?(?!\w)"
            r"(?!\s+(?:في|من|عن|لدى)\s)")
_ATTEND = rx(r"(?<!\w)(?:بحضور|وبحضور|حضر|حضرها|حضره|يحضره|يحضرها|شارك|شاركت|شاركت فيها|بمشاركة|إلى جانب|جلس|جمعت|تجمع|ضمت|"
             r"(?:فيما|بينما)\s+مثل|ومثل(?=\s+\S+\s+(?:وزير|رئيس|سفير|نائب)))(?!\w)")  # «فيما مثّل رواندا وزير خارجيتها»
_SUMMIT = rx(_P + r"(?:ال)?قمة(?!\w)")
_NEW_EVENT = rx(r"\s*(?:و|ف)?(?:بينما|في حين|فيما|غير أن|لكن|إلا أن|كما|ثم)(?!\w)")
_FIRST_DAY = rx(r"(?<!\w)(?:في\s+)?اليوم\s+الأول(?!\w)")
_VISIT = rx(r"(?<!\w)(?:زيارة|زيارته|زيارتها|يزور|زار)(?!\w)")
# «... في غياب وفد حماس»: who was away is no participant
# «اجتماعا في مقر قيادة قوات يونيفيل»: the house is the venue, not a participant
_VENUE = rx(r"(?<!\w)(?:في مقر|بمقر|داخل مقر)(?:\s+قيادة)?\s+")
# «اجتماعا في الناقورة، برئاسة الجنرال الأميركي X»: the meeting's chair facilitates it (after a
# comma: «وفد الحكومة برئاسة X» is the delegation's head)
_CHAIR = rx(r"[،,]\s*(?:و)?(?:برئاسة|يرأسه|يرأسها|ترأسه|ترأسها)\s+")
_ATTEND_HEAD = rx(r"\s*(?:و)?(?:بمشاركة|بحضور)(?!\w)")
# a meeting verb in the past tense: what it tells happened
_FUTURE_TIME = rx(r"(?<!\w)(?:الأسبوع|الشهر|العام|الأحد|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت)\s+(?:ال)?(?:مقبل|قادم|مقبلة|قادمة)(?!\w)")
_PAST = rx(r"(?:[وف])?(?:التقى|التقت|التقيا|التقوا|اجتمع|اجتمعا|اجتمعوا|اجتمعت|استقبل|استقبلت)(?!\w)")
_ABSENT_ANY = AnyOf.of(rx(r"غياب|مشاركة|غاب|قاطع"))
_ABSENT = rx(r"(?<!\w)(?:في غياب|بغياب|وسط غياب|(?:من )?دون مشاركة|بدون مشاركة|غاب عنه|غاب عنها|قاطعه|قاطعها)\s+")


def find_meetings(doc: Doc, round_days: tuple[dt.date | None, dt.date | None]) -> list[ExtractedMeeting]:
    context = _context_day(doc)
    sponsors = sides.sponsors(doc)
    out: list[ExtractedMeeting] = []
    for i, (s, e) in enumerate(doc.sents):
        in_sentence: list[ExtractedMeeting] = []
        frame_end = _frame_end(doc, s, e)
        for cs, ce in doc.clauses(i):
            found = _trigger(doc.norm[cs:ce], doc.norm[s:e])
            if not found:
                continue
            kind, pos = found
            pos += cs
            for m in _meetings_of_clause(doc, i, cs, ce, kind, pos, frame_end, sponsors, in_sentence, out):
                m.date, m.date_precision = _date(doc, i, cs, ce, pos, m, context, round_days)
                if out and cs == s and _ALSO.match(doc.norm, s) and not doc.dates_in(s, e) and out[-1].date:
                    m.date = out[-1].date  # «كما التقى X ...» with no day of its own: the day just told
                if m.status == "held" and m.date and doc.result.published and m.date > doc.result.published:
                    m.status = "scheduled"
                in_sentence.append(m)
        also = bool(_ALSO.match(doc.norm, s))
        for m in in_sentence:
            if not _duplicate(m, out, also):
                out.append(m)
    return out


def _trigger(clause: str, sentence: str) -> tuple[str, int] | None:
    """The kind and place of the meeting word of a clause: a phone word wins, else the first."""
    if not _ANY_TRIGGER(clause):
        return None  # most clauses: one cheap scan instead of six
    found: list[tuple[int, str]] = []
    for (kind, pattern), stems in zip(TRIGGERS, _STEMS):
        if not stems(clause):
            continue
        for m in pattern.finditer(clause):
            if kind == "plenary" and _TIME_REF.search(clause[max(0, m.start() - 12):m.start()]):
                continue  # قبيل الجلسة الختامية, في ختام الجلسة: a time, not a meeting
            if _TALKS.search(m.group()) and _ROUND_WORD.search(clause[max(0, m.start() - 30):m.start()]):
                continue  # الجولة الأولى من المحادثات بين ...: the round, not one meeting
            if kind == "meeting" and _DURING.search(clause[max(0, m.start() - 8):m.end()]):
                continue  # «اتهم خلال الاجتماع»: the meeting already told, not another
            if _PROPOSED.search(clause[max(0, m.start() - 25):m.start()]) or _READY.search(clause[max(0, m.start() - 40):m.start()]):
                continue  # «اقترح عقد قمة تجمعه ب...», «لا يعتزم لقاء X»: no meeting took or takes place
            if _VAGUE_PLURAL.search(m.group()) and not _WITH.search(clause, m.end()):
                continue  # «بعد يومين من الاجتماعات»: meetings in general, no one met anyone
            if kind == "plenary" and _SESSION_WITH.match(clause, m.end()):
                kind = "meeting"  # «عقد جلسة مغلقة مع X»: one side's session with another
            if kind == "plenary" and _POSSESSIVE_SESSION.fullmatch(WORD.findall(m.group())[-1]):
                kind = "meeting"  # جلساتها: the sessions of the talks just named, i.e. their meetings
            elif _POSSESSIVE_SESSION.fullmatch(WORD.findall(m.group())[-1]) and _PUBLIC.match(clause, m.end()):
                kind = "plenary"  # but «جلساتها العامة» are their plenary sessions
            if kind == "signing":
                # a signing ceremony is a plenary session, a signing during a visit a meeting
                kind = "meeting" if _VISIT.search(sentence) else "plenary"
            found.append((m.start(), kind))
            break
    if not found:
        return None
    phone = [f for f in found if f[1] == "phone_call"]
    pos, kind = phone[0] if phone else min(found)
    return kind, pos


def _frame_end(doc: Doc, s: int, e: int) -> int | None:
    """End of «قال X إن» at the head of the sentence: what follows is reported speech."""
    sp = _SPEECH.search(doc.norm, s, e)
    if not sp or sp.start() - s > 40:
        return None
    comp = _COMPLEMENT.search(doc.norm, sp.end(), e)
    return comp.end() if comp else None


def _meetings_of_clause(doc, i, cs, ce, kind, pos, frame_end, sponsors, in_sentence, out):
    s, e = doc.sents[i]
    # a summit lists who attends across the sentence, like a plenary session
    wide = kind == "plenary" or bool(_SUMMIT.match(doc.norm, pos))
    start, end = (cs, ce) if not wide else _plenary_region(doc, i, cs, ce, pos)
    for c2s, c2e in doc.clauses(i) if not wide else ():  # «..., وبمشاركة ممثلين عن X وY»: there too
        if c2s >= end and _ATTEND_HEAD.match(doc.norm, c2s):
            end = c2e
        elif c2s >= end:
            break
    relative = None
    head = doc.norm[ce:ce + 8] if not wide else ""
    if "الذي" in head or "التي" in head or "الذين" in head:
        # «والتقى X، الذي وصل إلى هافانا أمس، نظيره Y»: the relative clause is X's, Y is met
        parts = doc.clauses(i)
        k = next((j for j, (a, b) in enumerate(parts) if a == cs), None)
        if k is not None and k + 1 < len(parts) and _RELATIVE.match(doc.norm, parts[k + 1][0]) \
                and len(sides.groups(doc.actors_in(cs, ce))) < 2:
            rs, re_ = parts[k + 1]
            comma = max(doc.norm.find("،", rs, re_ - 2), doc.norm.find(",", rs, re_ - 2))
            if comma > 0:  # the relative clause ends at its comma; the object follows in the same part
                relative, end = (rs, comma), re_
            elif k + 2 < len(parts):
                relative, end = parts[k + 1], parts[k + 2][1]
    speaker: list[Actor] = []
    if frame_end is not None and pos >= frame_end:
        speaker = doc.actors_in(s, frame_end)
        start = max(start, frame_end)
    if _REACTION.search(doc.norm, start, pos):
        start = pos  # رحب X بلقاء الرئيسين: X welcomes the meeting, he is not at it
    clause = doc.norm[cs:ce]
    if in_sentence and len(in_sentence) >= 2 and _GATHER.search(doc.norm, cs, pos):
        # «عقد X لقاءين منفصلين مع Y وZ، قبل أن يجمعهما في اجتماع ثلاثي»: X with both
        together = list({sides.gkey(r): r for m in in_sentence for r in m.participants}.values())
        return [ExtractedMeeting(kind=kind, status=in_sentence[0].status, participants=together,
                                 evidence=doc.sentence_span(i), confidence=0.7,
                                 closed=True if _CLOSED.search(clause) else None,
                                 facilitator=in_sentence[0].participants[0])]  # the host
    vague = _VAGUE.search(clause) if kind == "meeting" else None
    if vague and not any(0 <= a.start - (cs + vague.end()) <= 2 for a in doc.actors_in(cs + vague.end(), ce)):
        return []  # «بمسؤولين مغاربة», «بوفود سودانية»: but these say whose
    purpose = _PURPOSE.search(doc.norm, max(pos, start), end)
    if purpose and kind != "plenary":
        end = purpose.start()
    since = _SINCE.search(doc.norm, max(pos, start), end) if "منذ" in doc.norm[pos:end] else None
    if since and kind != "plenary":
        end = since.start()  # «للقاء X، في أول زيارة منذ توقيع مذكرة مع Y»: Y is of the earlier event
    fac_actors, facilitator = sides.facilitators_of(doc, s, e)
    # a sponsor named in person («برعاية الرئيس الأنغولي جواو لورينسو») is there; a sponsoring
    # country (برعاية تركية) need not be
    sent = doc.norm[s:e]  # (plain `in` tests first: most sentences have none of these words)
    absent = {id(a) for m in (_ABSENT.finditer(doc.norm, s, e) if _ABSENT_ANY(sent) else ())
              for a in _listed_near(doc, m.end(), e)}
    venues = [a for m in (_VENUE.finditer(doc.norm, start, end) if "مقر" in sent else ())
              for a in _listed_near(doc, m.end(), end)]
    # the house's name and its short form right after it («قوات الأمم المتحدة المؤقتة (يونيفيل)»)
    absent |= {id(b) for a in venues for b in doc.actors_in(a.start, min(end, a.end + 30))
               if b.ref.key == a.ref.key and not doc.norm[a.end:b.start].strip(" ()«»")}
    chairs = [a for m in (_CHAIR.finditer(doc.norm, pos, end) if "رئاس" in sent or "رأس" in sent else ())
              if not any(0 <= m.start() - b.end <= 1 for b in doc.actors_in(pos, m.start()))  # «وفد X، برئاسة Y»: its head
              for a in chain(doc, m.end(), end)]
    if len(sides.groups(chairs)) >= 2:
        chairs = []  # «اجتماعهما المقبل، برئاسة X وY»: co-chairs of two sides are those sides
    absent |= {id(a) for a in chairs}
    facilitator = facilitator or (chairs[0].ref if chairs else None)
    actors = [a for a in doc.actors_in(start, end)
              if (id(a) not in fac_actors or a.ref.type == "person") and id(a) not in absent
              and not (relative and relative[0] <= a.start < relative[1])]
    actors = _titles_dropped(doc, actors)
    between = _BETWEEN.match(doc.norm, _word_end(doc, pos))
    if between and len(sides.groups([a for a in actors if a.start >= between.end()])) >= 2:
        actors = [a for a in actors if a.start >= between.end()]  # «اجتماع بين X وY»: just X and Y
    denial = _DENIER.search(doc.norm, s, pos) if "نف" in sent else None
    comp = denial and _DENIED_WHAT.search(doc.norm, denial.end(), pos)
    if comp and len(sides.groups([a for a in actors if a.start >= comp.end()])) >= 2:
        actors = [a for a in actors if a.start >= comp.end()]  # «نفى مصدر في X أن يكون Y قد التقى Z»: Y and Z
    refs = sides.expand_guarantors(doc, start, end, actors, sponsors)
    groups = sides.groups(refs)
    if speaker and _HE_SAID.search(doc.norm, s, frame_end) and not doc.actors_in(frame_end, pos):
        groups = sides.groups(speaker[-1:] + groups)  # «قال X إنه التقى الوفدين»: X met them
    status = _status(doc.norm[s:e], clause, doc.norm[cs:pos])
    if status == "scheduled" and _PAST.match(doc.norm, pos) and not _SCHEDULED.search(doc.norm, cs, pos):
        status = "held"  # «التقى X ...، تناول الانتخابات المقررة غدا»: the plan is another event's
    closed = True if _CLOSED.search(clause) else None
    base = {"kind": kind, "status": status, "evidence": doc.sentence_span(i), "confidence": 0.7,
            "closed": closed, "facilitator": facilitator}
    if kind != "plenary" and _SEPARATE.search(doc.norm, pos, ce):
        return _separate(doc, i, pos, groups, speaker, in_sentence, base)
    region = doc.norm[s:e] if kind == "plenary" else doc.norm[start:end]
    if len(groups) < 2 or kind == "plenary":
        groups = sides.borrow(doc, i, pos, groups, region, speaker, in_sentence, kind)
    collective = bool(sides.GUARANTORS.search(region))
    if len(groups) < 2 and not (kind == "plenary" and collective):
        return []
    return [ExtractedMeeting(participants=groups, **base)]


# «رئيس مجلس السيادة الفريق أول عبد الفتاح البرهان»: the body in a person's title is no side of its own
_TITLE_BEFORE = rx(r"(?<!\w)(?:[وبل])?(?:رئيس|رئيسة|عضو|وزير|وزيرة|قائد|نائب رئيس|زعيم|الأمين العام ل|الامين العام ل)\s+$")
_RANK_GAP = rx(r"^\s*(?:(?:ال)?(?:فريق أول|فريق اول|فريق|لواء|عميد|مشير|دكتور)\s+)?$")


def _titles_dropped(doc: Doc, actors: list[Actor]) -> list[Actor]:
    """Without a party named only in the title of the person right after it."""
    out = []
    for a, b in zip(actors, [*actors[1:], None]):
        if (b is not None and a.ref.type == "party" and b.ref.type == "person" and b.start - a.end <= 20
                and _RANK_GAP.match(doc.norm[a.end:b.start]) and _TITLE_BEFORE.search(doc.norm[max(0, a.start - 20):a.start])):
            continue
        out.append(a)
    return out


def _listed_near(doc: Doc, pos: int, end: int) -> list[Actor]:
    """The actors listed from the first one named within a word of `pos` («في غياب وفد حماس»)."""
    first = next((a for a in doc.actors_in(pos, end) if a.start - pos <= 12), None)
    return chain(doc, first.start, end) if first else []


def _word_end(doc: Doc, pos: int) -> int:
    m = WORD.match(doc.norm, pos)
    return m.end() if m else pos


def _plenary_region(doc: Doc, i: int, cs: int, ce: int, pos: int) -> tuple[int, int]:
    """A session's participants: from the last comma before the session word to the end of its
    clause, and on through the clauses that say who attended (بحضور ..., فيما حضر ...)."""
    s = doc.sents[i][0]
    comma = max(doc.norm.rfind("،", s, pos), doc.norm.rfind(",", s, pos))
    start, end = max(cs, comma + 1), ce
    for c2s, c2e in doc.clauses(i):
        if c2s >= ce and _ATTEND.search(doc.norm, c2s, c2e):
            end = c2e
        elif c2s >= ce:
            break
    return start, end


def _separate(doc, i, pos, groups, speaker, in_sentence, base) -> list[ExtractedMeeting]:
    """«لقاءات منفصلة مع كل من X وY»: one meeting of the host with each counterpart."""
    e = doc.sents[i][1]
    if not groups:
        return []
    host, others = groups[0], groups[1:]
    if not others and _EACH_OF_TWO.search(doc.norm, pos, e):
        others = sides.two_before(doc, i, pos, exclude=host)
    elif not others and _EACH_LEADER.search(doc.norm, pos, e):  # «استقبل الزعيمين كلا على حدة»
        others = sides.two_before(doc, i, pos, persons=True, exclude=host)
    elif not others and _EACH_SIDE.search(doc.norm, pos, e):
        others = sides.principals(doc)
    if len(others) < 2:  # «بلقاءين منفصلين ...، الأول مع X، والثاني مع Y»: the rest of the sentence
        rest = sides.groups(doc.actors_in(pos, e))
        others = [g for g in rest if sides.gkey(g) != sides.gkey(host)] or others
    if not others:  # «التقى خلالها X وY كلا على حدة»: the host is the subject of the sentence
        both = sides.borrow(doc, i, pos, [host], "", speaker, in_sentence, base["kind"])
        host, others = (both[-1], both[:-1]) if len(both) > 1 else (host, [])
    return [ExtractedMeeting(participants=[host, o], **base) for o in others if sides.gkey(o) != sides.gkey(host)]


def _status(sentence: str, clause: str, before_trigger: str) -> str:
    if _POSTPONED.search(sentence) and (_WAS_PLANNED.search(sentence) or _POSTPONED.search(clause)):
        return "postponed"
    if _CANCELLED.search(clause):
        return "cancelled"
    if _DENIED.search(before_trigger) or _WAS_PLANNED.search(clause):
        return "denied"
    if _SCHEDULED.search(clause) or _FUTURE_TIME.search(clause) and not _PAST.search(clause):
        return "scheduled"  # «ويزور X بيروت الأسبوع المقبل للقاء Y»
    return "held"


def _context_day(doc: Doc) -> dt.date | None:
    """The day the article's news happened: the first day its opening sentences name."""
    for hits in doc.dates[:2]:
        for h in hits:
            if h.date and not h.statement:
                return h.date
    return None


def _date(doc, i, cs, ce, pos, m, context, round_days) -> tuple[dt.date | None, str]:
    own = [h for h in doc.dates_in(cs, ce) if not h.statement]
    if _PAST.match(doc.norm, pos) and doc.result.published:  # a past verb's day is no future one
        own = [h for h in own if not h.date or h.date <= doc.result.published]
    if not own and not _NEW_EVENT.match(doc.norm, cs):
        # a date earlier in the sentence still dates the event («عقد الثلاثاء في مالطا، ... لقاء»),
        # unless the clause turns to another event («..., بينما نفى ...»)
        own = [h for h in doc.dates_in(doc.sents[i][0], cs) if not h.statement and id(h) not in doc.round_dated]
        own = own[-1:] if own else []
    if own:
        hit = min(own, key=lambda h: abs(h.start - pos))
        return hit.date, "day" if hit.date else "unknown"
    clause = doc.norm[cs:ce]
    start, end = round_days
    if m.kind == "plenary" and _CLOSING.search(clause) and end:
        return end, "day"
    if (m.kind == "plenary" and _OPENING.search(clause) or _FIRST_DAY.search(clause)) and start:
        return start, "day"
    published = doc.result.published
    # the article's day, if it lies on the meeting's side of publication (past if held)
    if context and published and ((m.status == "scheduled") == (context >= published) or context == published):
        return context, "day"
    return None, "unknown"


def _duplicate(m: ExtractedMeeting, out: list[ExtractedMeeting], also: bool = False) -> bool:
    """The same event told twice: same kind, status and day, and no side the first did not have."""
    mine = {sides.gkey(r) for r in m.participants}
    for other in out:
        theirs = {sides.gkey(r) for r in other.participants}
        if other.kind == m.kind and other.status == m.status and (other.date == m.date or not m.date) \
                and mine <= theirs and not (also and _other_persons(m, other)):
            return True
    return False


def _other_persons(m: ExtractedMeeting, other: ExtractedMeeting) -> bool:
    """One side met in person by someone else («التقى بري ...» then «كما التقى ميقاتي»): two
    meetings, when the sentence says so (كما)."""
    theirs = {sides.gkey(r): r.key for r in other.participants if r.type == "person" and r.key}
    return any(r.type == "person" and r.key and theirs.get(sides.gkey(r), r.key) != r.key for r in m.participants)
