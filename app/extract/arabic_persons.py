"""Persons the gazetteer does not know, found from their titles, and one person per name.

Arabic news introduces a person by title then name: «مساعد وزير الخارجية الأميركي لشؤون الشرق
الأدنى ستيوارت جونز», «رئيس الوفد الروسي ألكسندر لافرنتييف», «وفد الحكومة برئاسة هادي هيج».
After the title head we skip the title's own words (words with ال, prepositions, known names of
parties and places), then take 2–3 name words (more with بن, ولد, عبد ...) up to punctuation, a
function word or a noun that follows the name. The party
named inside the title (الأميركي) is the person's party. Later a bare surname after a speech
verb (وأضاف تومانوف أنه) is tied to a person of the article whose name it nearly spells.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

from app.extract.arabic_text import (
    WORD,
    Actor,
    Doc,
    key,
    person_ref,
    regroup,
    rx,
    word_set,
)
from app.extract.types import Ref

# Heads that are followed by a name in news prose (not ممثل, عضو: «ممثلي دول غربية»).
TITLE_HEADS = word_set(
    "وزير وزيرة مبعوث مبعوثة رئيس رئيسة نائب مساعد وكيل مدير مديرة سفير سفيرة مندوب متحدث "
    "متحدثة ناطق أمين قائد زعيم عاهل ملك أمير وسيط قيادي مستشار شيخ فريق عقيد لواء عميد مشير محافظ "
    "نظيره نظيرته نظيرها نظيرتها")  # «ونظيره الروسي فلاديمير بوتين»
# Words that continue a title (besides words with ال and known names): never a person's name.
TITLE_WORDS = word_set(
    "وزير وزارة الخارجية لشؤون شؤون قسم إدارة في لدى إلى الى عن باسم وفد مجلس هيئة العام آسيا "
    "وأفريقيا أفريقيا وإفريقيا إفريقيا ولي العهد أول رئيس نائب مساعد كبير مساعدي الوزراء مكتب "
    "لجنة بعثة الدائم الخاص ل لـ قبل عن للشؤون للأمم شمال جنوب شرق غرب وسط وزراء "
    # institutions a title names before the person (مدير وكالة المخابرات المركزية ويليام بيرنز)
    "وكالة جهاز منظمة مؤسسة دائرة مفوضية حركة جماعة مجموعة قوات جبهة حزب تحالف برنامج صندوق "
    "حكومة تصريف سلطة برلمان")  # رئيس حكومة تصريف الأعمال نجيب ميقاتي
# Words after which an unknown word is an organisation's name, not a person's (باسم رينامو)
ORG_INTRO = word_set("باسم حركة جماعة جبهة حزب تحالف منظمة")
# After these a title goes on only with a known name (المبعوث الأممي إلى سوريا); any other word
# means the title is over and no name follows (المبعوث الأممي إلى إعلان ...).
PREPOSITIONS = word_set("إلى الى لدى في عن ل لـ")
# Words that end a name.
STOP = word_set(
    "في إن أن أنه أنها بأن بأنه بأنها إنه الذي التي الذين قد كان كانت لن لم لا ما مع من عن إلى الى "
    "حول بعد قبل خلال عقب أمس اليوم غدا و أو ثم كما حيث إذ بين لدى منذ وقال وأضاف قال أضاف "
    "أكد أعلن بحضور برئاسة بصفة يرأس ويرأس يقود ويقود وصل وصلوا هو هي عند حتى ضد نحو دون مثل "
    "إلا سوى أي كل بعض هذا هذه ذلك تلك هناك أيضا فقط معا بشكل بصفته بصفتهم تقديرا مبدئيا "
    "رسميا شخصيا سابقا لاحقا حاليا مجددا مؤكدا موضحا مشيرا مضيفا داعيا معتبرا قائلا معربا "
    # verbal nouns that follow a name as its object (مقترح الرئيس ... ترامب إقامة مناطق)
    "إقامة إنشاء رفع وقف إطلاق تحويل تشكيل فتح دعم تثبيت إعادة بدء عقد إجراء تقديم "
    "رفضه رفضها قبوله موافقته دعمه تأييده استعداده مشاركته "
    # the object of a call or a visit after the name (أجرى الفريق X اتصالا هاتفيا, التقى المبعوث X لقاء)
    "اتصالا اتصالين مكالمة لقاء لقاءا لقاءين اجتماعا مباحثات محادثات زيارة جرى جرت يجري تجري "
    # and those a demand takes (طالب المحافظ X Y بإدراج المدينة ...)
    "بإدراج بإطلاق بوقف بفتح بتشكيل بإعادة بإنهاء بتسريع بانسحاب بسحب بتنفيذ بإخلاء بتوسيع بضم")
# Words with و that are names, not «and ...» (وليد, ولد الشيخ أحمد).
WAW_NAMES = word_set("ولد وليد وائل وسام وفاء وديع وجدي وحيد")
# A verb of meeting or speech is never part of a name (المبعوث الأممي سيلتقي قادة ...).
_VERB = rx(
    r"^(?:[وف])?(?:س?[يتن](?:لتقي|جتمع|عقد|بحث|زور|توجه|شارك|وقع|قول|ؤكد|علن)\w*|التقى|اجتمع|قال|أكد|أعلن|بحث|زار)$")
# A pronoun suffix ends a noun, never a name (بصفتهم, لجهودهما, واعتبرها).
_PRONOUN_END = re.compile(r"\w{3,}(?:هم|هما|كم|ها)$")
# Words after which a name goes on: links (بن, ولد, آل, دي) and first halves of compound names
# (عبد الله, عز الدين), which, unlike links, may also begin a name.
NAME_LINKS = word_set("بن بنت ولد دي دو فان بيك آل أبو ابو عبد عز نور صلاح سيف شمس")
COMPOUND_STARTS = word_set("أبو ابو عبد عز نور صلاح سيف شمس")
NAME_TAILS = word_set("الدين الله الرحمن")  # عز الدين, عبد الله: one more word may follow
_HEAD = re.compile(r"(?<!\w)(?:[وف])?(?:ب|ل|لل)?(?:ال)?(" + "|".join(sorted(TITLE_HEADS, key=len, reverse=True)) + r")(?:ا)?(?!\w)")  # وزيرا الخارجية; not رئيسه, الرئيسي


@lru_cache(maxsize=1 << 16)  # news repeats its words
def _head_of(word: str) -> str | None:
    """The title head a word is (وزيرا → وزير, والمبعوث → مبعوث), or None."""
    m = _HEAD.fullmatch(word)
    return m.group(1) if m else None


_LEADS = rx(r"(?<!\w)(?:و)?(?:برئاسة|يرأسه|يرأسها|ويرأسه|يقوده|يقودها|بقيادة|يرأس|يقود)(?!\w)")
_SPEECH = rx(
    r"(?<!\w)(?:و)?(?:قال|أضاف|أكد|أوضح|أشار|تابع|وصف|أعلن|اعتبر|شدد|حذر|دعا|رأى|لفت)(?:ت)?\s+(\w+)\s+(?=(?:إن|أن|أنه|بأن|إنه|في|خلال|:|للصحفيين))")


_FORMER = rx(r"\s+(?:ال)?(?:سابق|سابقة|أسبق|سابقين)(?!\w)")


def _drop_former(doc: Doc) -> None:
    """«الرئيس النيجيري الأسبق أوباسانجو», «نائبة رئيس جنوب أفريقيا السابقة»: a former office
    holder speaks for no state (he is here as someone's envoy), so the nationality is no actor."""
    doc.actors[:] = [a for a in doc.actors
                     if not (a.ref.type == "party" and (a.nisba or doc.prev_word(a.start) in TITLE_HEADS)
                             and _FORMER.match(doc.norm, a.end))]


def find_new_persons(doc: Doc) -> None:
    """Add to doc.actors the persons named after a title or برئاسة and unknown to the gazetteer."""
    _drop_former(doc)
    norm = doc.norm
    words = doc.words
    starts = [w[1] for w in words]
    covered = _covered(doc)
    dated = _marks(len(norm), [(h.start, h.end) for hits in doc.dates for h in hits])
    found: list[Actor] = []
    # a match of _HEAD is one whole word (letters only, between (?<!\w) and (?!\w)): its words
    # are tested one by one, through a memo, instead of scanning the article
    heads = [(ws, we, head) for w, ws, we in words if (head := _head_of(w))]
    for ms, me, head in heads + [(m.start(), m.end(), None) for m in _LEADS.finditer(norm)]:
        i = bisect_left(starts, me)
        if i >= 2 and words[i - 2][0] in NAME_LINKS:
            continue  # عبد الملك, عبد العزيز: part of a name
        if head and head.endswith("ه") and i < len(words) \
                and not (words[i][0].startswith("ال") or words[i][0] in TITLE_WORDS):
            continue  # folded رئيسة is also رئيسه «his chief»: a title only before its complement
        name = _name_after(doc, words, i, covered, dated)
        if name:
            s, e, toks, party = name
            found.append(_new_actor(doc, s, e, " ".join(toks), party or _party_before(doc, ms)))
    _resolve(doc, found)
    _surnames(doc, [a for a in doc.actors if a.ref.key is None and a.ref.type == "person"])
    for m in _SPEECH.finditer(norm):  # a bare surname after a speech verb: only a known spelling
        word, s = m.group(1), m.start(1)
        if covered[s] or word.startswith("ال"):
            continue
        twin = _closest(doc, word)
        if twin:
            spelling = doc.span(s, m.end(1)).quote
            if spelling not in twin.ref.names:
                twin.ref.names.append(spelling)
            doc.actors.append(Actor(s, m.end(1), twin.ref, twin.group))
    doc.actors.sort(key=lambda a: (a.start, -a.end))
    _drop_foreign_titles(doc)
    regroup(doc)


_TITLE_BEFORE = rx(r"(?<!\w)(?:[وف])?(?:ل|ل?ل)?(?:ال)?(?:رئيس|رئيسة|نائب|وزير|وزيرة|أمين|متحدث|ناطق)(?:\s+عام)?\s+$")


def _drop_foreign_titles(doc: Doc) -> None:
    """«رئيس مجلس النواب نبيه بري»: a body named inside a known person's title whose country is
    not the person's is another country's body of the same name (Libya's House of
    Representatives), not a party of this article."""
    drop = []
    for a, b in pairwise(doc.actors):
        if a.ref.type != "party" or b.ref.type != "person" or not b.ref.key or not b.ref.party_key \
                or doc.norm[a.end:b.start].strip() or not _TITLE_BEFORE.search(doc.norm, max(0, a.start - 20), a.start):
            continue
        mine, theirs = doc.gaz.get("party", a.ref.key or ""), doc.gaz.get("party", b.ref.party_key)
        if mine and theirs and mine.data.get("country") and \
                mine.data.get("country") != (theirs.data.get("country") or theirs.key):
            drop.append(a)
    if drop:
        doc.actors[:] = [a for a in doc.actors if all(a is not d for d in drop)]


def _party_before(doc: Doc, pos: int) -> str | None:
    """«وفد منصة موسكو برئاسة X», «عن المجلس العسكري نائب رئيسه X»: the party just before."""
    before = [a for a in doc.actors if a.end <= pos and pos - a.end <= 25 and a.ref.type == "party"]
    if before and not any(c in doc.norm[before[-1].end:pos] for c in "،,.:؛()"):
        return before[-1].ref.key
    return None


def _surnames(doc: Doc, persons: list[Actor]) -> None:
    """Later mentions of a new person by the last word of their name (هيج, المرتضى, رمزي)."""
    taken = _covered(doc)
    for person in persons:
        words = WORD.findall(doc.norm[person.start:person.end])
        last = words[-1] if len(words) >= 2 else ""
        if len(last) < 3 or last in STOP:
            continue
        for m in re.finditer(rf"(?<!\w)(?:[وفبل]|لل)?{re.escape(last)}(?!\w)", doc.norm):
            if taken[m.start()]:
                continue
            doc.actors.append(Actor(m.start(), m.end(), person.ref, person.group))
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())


def _covered(doc: Doc) -> bytearray:
    """1 at every character inside a known name (any gazetteer name, any actor)."""
    return _marks(len(doc.norm), doc.named + [(a.start, a.end) for a in doc.actors])


def _marks(n: int, spans) -> bytearray:
    marks = bytearray(n + 1)
    for s, e in spans:
        marks[s:e] = b"\x01" * (e - s)
    return marks


def _name_after(doc: Doc, words, i: int, covered, dated):
    """(start, end, name words, party key) of the name after a title ending before words[i]."""
    norm = doc.norm
    party = None
    j, skipped = i, 0
    while j < len(words) and skipped < 12:
        w, s, e = words[j]
        if _gap_breaks(norm, words, j) or dated[s]:
            return None
        if j > i and words[j - 1][0] in PREPOSITIONS and not covered[s] \
                and not doc.is_article(s) and w not in TITLE_WORDS:
            return None
        hit = next((a for a in doc.actors if a.start <= s < a.end), None)
        if hit and hit.ref.type == "person":
            return None  # a known person: the gazetteer already has them
        if hit or covered[s]:
            if hit and hit.ref.type == "party":
                party = hit.ref.key
            j += 1
            skipped += 1
            continue
        bare = re.sub(r"^[وفبل]", "", w) if len(w) > 3 else w
        if j > i and words[j - 1][0] in ORG_INTRO and not doc.is_article(s) and w not in STOP:
            j += 1  # «المتحدث باسم رينامو جوزيه مانتيغاس»: an organisation's name before the person's
            skipped += 1
            continue
        if (w.startswith(("ال", "لل", "وال", "بال", "فال")) and not (w.startswith("ال") and not doc.is_article(s))) \
                or w in TITLE_WORDS or bare in TITLE_WORDS or w.isdigit() or _head_of(w):
            j += 1
            skipped += 1
            continue
        break
    kept: list[tuple[str, int, int]] = []  # the name's words
    while j < len(words) and len(kept) < 5:
        w, s, e = words[j]
        toks = [k[0] for k in kept]
        linked = bool(kept) and (toks[-1] in NAME_LINKS or toks[-1] in NAME_TAILS)  # عبد الملك, بن سلمان
        if kept and _gap_breaks(norm, words, j):
            break
        if w in STOP or _VERB.match(w) or w == "علي" and doc.original(s, e).endswith("ى") or covered[s] or dated[s] \
                or _HEAD.fullmatch(w) and not linked:
            break  # (folded على is also the name علي: the original spelling tells)
        if _PRONOUN_END.match(w):
            if len(kept) >= 2:
                break  # «غير بيدرسن بأنها»: the name is over
            return None
        if not kept and (doc.is_article(s) or w in NAME_LINKS and w not in COMPOUND_STARTS):
            return None
        if kept and w.startswith("و") and w not in WAW_NAMES:
            break  # «صلاح الدين مزوار وعدد من ...»: و starts the next item
        if len(kept) >= 2 and doc.is_article(s) and not w.endswith("ي") and not linked and w not in NAME_TAILS:
            break  # «أسياس أفورقي الاتفاق»: a noun after the name
        if len(kept) >= 3 and not (linked or w in NAME_LINKS or w in NAME_TAILS):
            break  # three words make a name, more only through links (تميم بن حمد آل ثاني)
        kept.append(words[j])
        j += 1
    while kept and kept[-1][0] in NAME_LINKS:
        kept.pop()
    toks = [k[0] for k in kept]
    if len(toks) < 2 or len(toks) == 2 and toks[0] in COMPOUND_STARTS and toks[1] not in NAME_TAILS:
        return None  # «الملك عبد العزيز» (a sash's name): no given name
    return kept[0][1], kept[-1][2], toks, party


def _gap_breaks(norm: str, words, j: int) -> bool:
    """True when punctuation separates words[j] from the word before it."""
    if j == 0:
        return False
    gap = norm[words[j - 1][2]:words[j][1]]
    return bool(gap.strip())


def _new_actor(doc: Doc, s: int, e: int, name: str, party: str | None) -> Actor:
    span = doc.span(s, e)
    entry = doc.gaz.lookup("person", name)
    if entry:
        ref = person_ref(entry)
        if span.quote not in ref.names:
            ref.names.append(span.quote)
        return Actor(s, e, ref, ref.party_key or "person:" + entry.key)
    ref = Ref("person", None, [span.quote], party_key=party)
    return Actor(s, e, ref, party or "new:" + name)


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name: same first word and a near surname, or a near whole."""
    ta, tb = a.split(), b.split()
    if fuzz.ratio(a, b) >= 85:
        return True
    return len(ta) >= 1 and len(tb) >= 1 and fuzz.ratio(ta[-1], tb[-1]) >= 80 and (
        ta[0] == tb[0] or len(ta) == 1 or len(tb) == 1)


def _resolve(doc: Doc, found: list[Actor]) -> None:
    """One Ref per person: a new name that spells a person already met joins that person."""
    for actor in found:
        if any(a.start == actor.start for a in doc.actors):
            continue
        name = key(actor.ref.names[-1])
        twin = None
        for other in doc.actors:
            if other.ref.type != "person":
                continue
            if any(_same_name(name, key(n)) for n in other.ref.names):
                twin = other
                break
        if twin:
            for n in actor.ref.names:
                if n not in twin.ref.names:
                    twin.ref.names.append(n)
            actor = Actor(actor.start, actor.end, twin.ref, twin.group)
        doc.actors.append(actor)


def _closest(doc: Doc, word: str) -> Actor | None:
    """The person of the article whose surname `word` nearly spells (تومانوف → توماتوف)."""
    best, best_score = None, 0.0
    for a in doc.actors:
        if a.ref.type != "person":
            continue
        for n in a.ref.names:
            last = key(n).split()[-1] if key(n) else ""
            score = fuzz.ratio(word, last)
            if score >= 80 and score > best_score:
                best, best_score = a, score
    return best
