"""The article as the Arabic rules see it: normalized text, sentences, clauses, and the actors
(parties and persons) named in it, each in normalized offsets.

Every rule runs on the normalized text (hamza, alef, taa marbuta, diacritics and tatweel folded,
see normalize.py), so one pattern matches every spelling; spans are mapped back to the original
only for evidence. Actors come from the gazetteer (`find_mentions`), from titles followed by a
name (arabic_persons.py), and from nationality adjectives resolved through the gazetteer.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from app.extract.arabic_dates import DateHit, find_dates
from app.extract.arabic_patterns import rx, word_set
from app.extract.gazetteer import Entry, Gazetteer, Mention, word_spans
from app.extract.normalize import key_of, normalize_with_map
from app.extract.scope import rescope
from app.extract.types import Extraction, Ref, Span

WORD = re.compile(r"\w+")


# A clause ends at a comma followed by one of these connectives (so an apposition after a comma,
# "، أحمد الكزبري ...", stays in its clause), or before كما / ثم, which start a new event.
_CLAUSE_BREAK = rx(
    r"[،,;:]\s*(?=(?:و|ف)?(?:حيث|إذ|في حين|بينما|فيما|على أن|مضيفا|مضيفة|موضحا|موضحة|مؤكدا|مؤكدة|"
    r"مشيرا|مشيرة|معتبرا|معتبرة|داعيا|داعية|قبل أن|بعد أن|بعدما|غير أن|لكن|إلا أن|باستثناء|كما|ثم|"
    r"ما دفع|لا سيما|التي|الذي|الذين|أن|إن|قال|قالت|ذكر|ذكرت|أضاف|أضافت|أكد|أكدت|أعلن|أعلنت|"
    r"أفاد|أفادت|أشار|أشارت|أعقبته|أعقبها|حضرها|حضره|عقب|إثر|قبيل|بعد)(?!\w))"
    r"|[،,]\s*(?=و(?!فد|فود|وفد|زير|زراء|زارة|سطاء|سيط|كالة)\w)"  # «، وعزت الوزارة ...»: a new sentence; not «، وفدا من حماس», «، ووفد ...»
    r"|\s(?=(?:و)?(?:كما|ثم)\s)")

# Nouns after which a nationality adjective names an actor (الوفد الروسي, نظيره التركي); after
# any other noun it only describes it (الاتفاق السياسي الليبي) and names no participant.
ACTOR_NOUNS = word_set(
    "وفد الوفد وفدا وفدي الوفدان الوفدين وفود الجانب الجانبان الجانبين الرئيس رئيس الرئيسان "
    "الرئيسين وزير وزيرا وزيري الوزير وزيرة الخارجية الدفاع المبعوث مبعوث الوسيط الوسيطين "
    "الوسيطان السفير سفير نظيره نظيرته نظيرها نظيرتها نظيريه الحكومة الجيش القوات قوات المسؤول "
    "المسؤولين المسؤولون مسؤولين مسؤولون الوزارة وزارة ممثل ممثلو ممثلي ممثلين الفريق البعثة مساعد نائب وكيل "
    "الزعيم العاهل الملك الأمير العهد الإدارة المتحدث الناطق الطرف الأمين الدبلوماسي "
    "الدبلوماسيين دبلوماسيين الطيران المسؤولة الحكومي رئيسا زعيم الزعيمان الزعيمين قادة قيادات "
    "زعماء مسؤولي عناصر الوزراء الوسطاء")
# An adjective after these names a party to it (تفاهم أميركي روسي أردني).
_AGREEMENT = rx(r"^(?:ب|ل|و)?(?:ال)?(?:اتفاق|تفاهم|مذكرة|مبادرة|مقترح|اقتراح|ضغط)$")
NISBA = re.compile(r"^(?:[وفبلك]|لل|وال|بال|فال)?(?:ال)?\w{2,}(?:ي|يه|يين|يون|يان|يتين)$")
# Prepositions that make a named place a location (في جنيف, إلى سوريا), not a participant.
_LOC_BEFORE = word_set("في إلى الى لدى من نحو قرب داخل بشأن حول")
_LOC_HARD = word_set("إلى الى لدى بشأن حول")
_COMPASS = word_set("جنوب شمال شرق غرب جنوبي شمالي شرقي غربي وسط")
# «تطورات قضية الصحراء الغربية», «ملف سوريا»: the country is what is talked about
_TOPIC_NOUNS = word_set("قضية ملف مسألة")
_DATELINE_DASH = re.compile(r"\s*[-–—ـ]")
_FROM_DELEGATION = re.compile(r"(?<!\w)(?:[وب])?(?:وفد|وفدا|وفود|ممثلين|ممثلون|مسؤولين|مسؤولون)\s+من\s+$")
_ADJ_SUFFIX = re.compile(r"(?:يه|ي|يين|يون|يان|يتين)$")
_PREV_WORDS = ACTOR_NOUNS | _LOC_BEFORE  # built once, not at every prev_word()


@dataclass
class Actor:
    start: int  # normalized offsets
    end: int
    ref: Ref
    group: str  # one participant per group: the party, or the person's party
    nisba: bool = False
    role: str | None = None


@dataclass
class Doc:
    text: str
    norm: str
    index: list[int]
    result: Extraction
    gaz: Gazetteer
    sents: list[tuple[int, int]] = field(default_factory=list)  # normalized spans
    actors: list[Actor] = field(default_factory=list)
    places: list[tuple[int, int, Entry]] = field(default_factory=list)
    zones: list[tuple[int, int, Entry]] = field(default_factory=list)
    processes: list[tuple[int, int, Entry]] = field(default_factory=list)
    dates: list[list[DateHit]] = field(default_factory=list)  # per sentence, absolute offsets
    round_dated: set[int] = field(default_factory=set)  # ids of the dates of a round's start or end
    hosts: list[Ref] = field(default_factory=list)  # countries named only as where talks are
    named: list[tuple[int, int]] = field(default_factory=list)  # every gazetteer name, kept or not
    words: list[tuple[str, int, int]] = field(default_factory=list)  # every word of norm
    _clauses: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    _sent_starts: list[int] = field(default_factory=list)
    _word_starts: list[int] = field(default_factory=list)
    facilitators: dict[tuple[int, int], tuple[list, list]] = field(default_factory=dict)  # memo

    # offsets --------------------------------------------------------------------------------
    def to_norm(self, orig: int) -> int:
        return bisect_left(self.index, orig)

    def span(self, start: int, end: int) -> Span:
        s, e = self.index[start], self.index[max(start, end - 1)] + 1 if end > start else self.index[start]
        return Span(s, e, self.text[s:e])

    def sentence_span(self, i: int) -> Span:
        s = self.result.sentences[i]
        return Span(s.start, s.end, s.text)

    def sentence_of(self, pos: int) -> int:
        if len(self._sent_starts) != len(self.sents):  # built once, when the sentences are set
            self._sent_starts = [s for s, _ in self.sents]
        return max(0, bisect_left(self._sent_starts, pos + 1) - 1)

    def is_article(self, pos: int) -> bool:
        """Whether the word at `pos` begins with the article ال: folding makes «ألكسندر» look so."""
        return self.norm.startswith("ال", pos) and self.text[self.index[pos]] not in "أإآٱ"

    def original(self, start: int, end: int) -> str:
        return self.text[self.index[start]:self.index[end - 1] + 1] if end > start else ""

    def prev_word(self, pos: int) -> str:
        """The word before `pos`, without a leading و/ف (والمبعوث → المبعوث)."""
        # the last word of norm[pos - 30:pos] (cut at that window, as a scan of it would see it),
        # from the article's words instead of a scan
        if len(self._word_starts) != len(self.words):
            self._word_starts = [s for _, s, _ in self.words]
        k, lo = bisect_left(self._word_starts, pos) - 1, max(0, pos - 30)
        word = self.norm[max(self.words[k][1], lo):min(self.words[k][2], pos)] if k >= 0 and self.words[k][2] > lo else ""
        return word[1:] if len(word) > 3 and word[0] in "وف" and word[1:] in _PREV_WORDS else word

    def clauses(self, i: int) -> list[tuple[int, int]]:
        """The clauses of sentence i (normalized spans), computed once."""
        if i not in self._clauses:
            s, e = self.sents[i]
            cuts = [s + m.end() for m in _CLAUSE_BREAK.finditer(self.norm[s:e])]
            if any(self.norm.startswith("و", c) for c in cuts):  # «، وهادي البحرة»: a list goes on
                starts = {a.start for a in self.actors_in(s, e)}
                cuts = [c for c in cuts if not (self.norm.startswith("و", c) and {c, c + 1} & starts)]
            cuts = [s] + cuts + [e]
            self._clauses[i] = [(a, b) for a, b in pairwise(cuts) if b > a]
        return self._clauses[i]

    def actors_in(self, start: int, end: int) -> list[Actor]:
        return [a for a in self.actors if a.start >= start and a.end <= end]

    def dates_in(self, start: int, end: int) -> list[DateHit]:
        out = []
        for hits in self.dates:
            out.extend(h for h in hits if h.start >= start and h.end <= end)
        return out


key = lru_cache(maxsize=16384)(key_of)  # the same few hundred names, over and over
_NAMES: dict[int, tuple[Entry, int, tuple[str, ...]]] = {}


def names_of(entry: Entry) -> list[str]:
    """entry.names, computed once per entry (and again when it gains an alias); a fresh list,
    as a Ref may add a spelling to it."""
    cached = _NAMES.get(id(entry))
    if cached is None or cached[0] is not entry or cached[1] != len(entry.aliases):
        cached = _NAMES[id(entry)] = (entry, len(entry.aliases), tuple(entry.names))
    return list(cached[2])


def party_ref(entry: Entry) -> Ref:
    return Ref("party", entry.key, names_of(entry))


def person_ref(entry: Entry) -> Ref:
    return Ref("person", entry.key, names_of(entry), party_key=entry.data.get("party"))


def resolve_adjective(gaz: Gazetteer, word: str) -> Entry | None:
    """The party a nationality adjective names (تركية → Turkey, الكزاخي → Kazakhstan), through
    the gazetteer's names: the adjective itself, then the country names it derives from."""
    word = re.sub(r"^(?:[وفبلك]|لل)(?=ال)", "", word)
    if hit := gaz.exact("party", word) or gaz.exact("party", "ال" + word):
        return hit
    stem = _ADJ_SUFFIX.sub("", word)
    bare = stem.removeprefix("ال")
    if len(bare) < 2:
        return None
    for cand in (bare, bare + "يا", bare + "ا", bare + "ستان", "ال" + bare, "ال" + bare + "ي", bare + "ي"):
        if hit := gaz.exact("party", cand):
            return hit
    return None


def build(result: Extraction, text: str, gaz: Gazetteer) -> Doc:
    norm, index = normalize_with_map(text)
    doc = Doc(text, norm, index, result, gaz)
    doc.sents = [(doc.to_norm(s.start), doc.to_norm(s.end)) for s in result.sentences]
    doc.words = word_spans(norm)
    prev_day: dt.date | None = None
    for s, e in doc.sents:
        hits = find_dates(norm[s:e], result.published, result.warnings, prev_day)
        for h in hits:
            h.start += s
            h.end += s
        doc.dates.append(hits)
        days = [h.date for h in hits if h.date and not h.statement]
        prev_day = days[-1] if days else prev_day
    # one pass over the text; a person inside a longer party name («نظام بشار الأسد») is looked
    # for again inside that name only
    parties, persons = [], []
    for m in rescope(gaz, gaz.find_mentions(text, normalized=(norm, index), words=doc.words)):
        doc.named.append((doc.to_norm(m.start), doc.to_norm(m.end)))
        if m.kind == "party":
            parties.append(m)
            if _may_hold_person(gaz, m.alias):
                persons += [Mention(p.entry, m.start + p.start, m.start + p.end, p.text, p.alias)
                            for p in gaz.find_mentions(m.text, ("person",))]
        elif m.kind == "person":
            persons.append(m)
        else:
            item = (doc.to_norm(m.start), doc.to_norm(m.end), m.entry)
            {"place": doc.places, "zone": doc.zones, "process": doc.processes}[m.kind].append(item)
    _find_actors(doc, parties, persons)
    return doc


def _may_hold_person(gaz: Gazetteer, alias: str) -> bool:
    """Whether a party's name holds a person's name (نظام بشار الأسد): a cheap test first."""
    toks = key(alias).split()
    return any(gaz.exact("person", t) or gaz.exact("person", " ".join(toks[j:j + 2]))
               for j, t in enumerate(toks) if j > 0)


def _find_actors(doc: Doc, party_mentions, person_mentions) -> None:
    gaz, norm = doc.gaz, doc.norm
    persons = [(doc.to_norm(m.start), doc.to_norm(m.end), m) for m in person_mentions]
    for s, e, m in persons:
        ref = person_ref(m.entry)
        doc.actors.append(Actor(s, e, ref, ref.party_key or "person:" + m.key))
    # a place named as where something happens (في جنيف, بالعاصمة الكويتية, إلى السويد)
    locations: list[tuple[int, int]] = []
    for ps, pe, _ in doc.places:
        before_place = doc.prev_word(ps)
        if before_place == "من" and _FROM_DELEGATION.search(norm, max(0, ps - 24), ps):
            continue  # «بوفد من أرض الصومال»: a delegation from there, a side
        if before_place in _LOC_BEFORE or WORD.match(norm, ps).group().startswith("ب") \
                or (locations and not norm[locations[-1][1]:ps].strip()):  # «من العاصمة العمانية مسقط»
            locations.append((ps, pe))
    place_ends = [(ps, pe) for ps, pe, _ in doc.places]
    countries = _countries(gaz)
    for ps, pe, place in doc.places:  # «في العاصمة الكازاخية»: the host country (not «من ...»)
        country = gaz.get("party", place.data.get("country") or "")
        where = doc.prev_word(ps) in ("في", "فى") or WORD.match(norm, ps).group().startswith("ب")
        if country and where and len(WORD.findall(norm[ps:pe])) > 1 and NISBA.match(WORD.findall(norm[ps:pe])[-1]):
            doc.hosts.append(party_ref(country))
    for m in party_mentions:
        s, e = doc.to_norm(m.start), doc.to_norm(m.end)
        if any(ps <= s and e <= pe for ps, pe, _ in persons):
            continue  # part of a person's name or title (ولي العهد السعودي)
        before = doc.prev_word(s)
        first = WORD.findall(norm[s:e])[0]
        state = m.key in countries
        if before in _LOC_HARD or any(ps <= s and e <= pe for ps, pe in locations):
            continue
        if state and (before in _COMPASS or before in _TOPIC_NOUNS or s == 0 and _DATELINE_DASH.match(norm, e)):
            continue  # «قرب تندوف جنوب غربي الجزائر», the dateline «الرباط -», «قضية X»: where or what, not who
        # a country as the scene or the addressee: في سوريا, المبعوث الدولي لسوريا
        if state and (before in ("في", "فى") or (first.startswith("ل") and not first.startswith("لل")
                                                and not key(m.alias).startswith("ل"))):
            continue
        words = WORD.findall(norm[s:e])
        # an adjective (السورية, الأممية) names an actor only after an actor noun; the plural of a
        # group that is no country (الحوثيين) always does
        nisba = len(words) == 1 and bool(NISBA.match(words[0])) and key(m.alias) != key(m.entry.name_ar or "")
        plural = words[0].endswith(("يين", "يون"))
        if plural and not state and len(words) == 1 and words[0].startswith("ال") and (
                any(0 <= s - pe <= 1 for _, pe in place_ends) or any(0 <= s - a.end <= 1 for a in doc.actors[-3:])):
            continue  # «إقليمي أبخازيا وأوسيتيا الجنوبية الانفصاليين»: an adjective of the regions just named
        if nisba and (state or not plural) and before not in ACTOR_NOUNS and not _after_actor(doc, s) \
                and not _AGREEMENT.match(before):
            if any(pe <= s <= pe + 1 for _, pe in place_ends):
                doc.hosts.append(party_ref(m.entry))  # «بلدة غليون السويسرية»: the host country
            continue
        doc.actors.append(Actor(s, e, party_ref(m.entry), m.key, nisba, m.entry.data.get("role")))
    _adjective_actors(doc)
    doc.actors.sort(key=lambda a: (a.start, -a.end))
    _retarget_generic(doc)


# Words of aliases that name a side without naming its country (الحكومة, وفد المعارضة).
_GENERIC = word_set(
    "الحكومة الحكومي الوفد وفد المعارضة النظام الفصائل المعارضين الرسمي قوات القوات الحكومية "
    "المسلحة فصائل المعارضون الثوار السلطات الجيش")


def _countries(gaz: Gazetteer) -> set[str]:
    """Keys of the parties that are states: the countries places belong to (computed once per
    gazetteer, and again when it learns names)."""
    found = gaz.derived.get("countries")
    if found is None:
        found = gaz.derived["countries"] = {e.data.get("country") for e in gaz.of_kind("place")} - {None}
    return found


def _retarget_generic(doc: Doc) -> None:
    """«الحكومة» in a Yemen article is the Yemeni government: the gazetteer gives generic words
    to one conflict's records, so a generic mention goes to the party of the same role and
    another country that the article names by its full name."""
    specific: dict[str, Actor] = {}
    generic: list[Actor] = []
    for a in doc.actors:
        if a.ref.type != "party" or not a.role:
            continue
        words = set(WORD.findall(doc.norm[a.start:a.end]))
        words = {re.sub(r"^(?:[وفبل]|لل)(?=ال)", "", w) for w in words}
        if words <= _GENERIC:
            generic.append(a)
        else:
            specific.setdefault(a.role, a)
    for a in generic:
        target = specific.get(a.role)
        if target and target.ref.key != a.ref.key:
            mine = doc.gaz.get("party", a.ref.key)
            theirs = doc.gaz.get("party", target.ref.key)
            if mine and theirs and mine.data.get("country") != theirs.data.get("country"):
                a.ref, a.group = target.ref, target.group


# between two listed actors: spaces, commas, و, and at most two words with ال (الحكومة المالطية)
_CHAIN_GAP = re.compile(r"[\s،,و]*(?:و?ال\w+\s+){0,2}[\s،,]*")
# «الوفد المشترك لجماعة الحوثي وحزب المؤتمر»: the sides listed after it are one side
_JOINT = rx(r"(?<!\w)(?:و)?(?:ال)?(?:وفد|قائمة|تحالف)\s+(?:ال)?مشترك(?:ة)?\s+")
# «وفد الهيئة العليا برئاسة نصر الحريري»: the person sits on that side in this article
# «عن المجلس العسكري نائب رئيسه الفريق أول X»: a title with «its» (رئيسه) belongs to that party too.
_LED_BY = rx(
    r"\s*(?:الذي|التي)?\s*(?:و)?(?:برئاسة|يرأسه|يرأسها|بقيادة|يقوده|يقودها)\s*(?:[^\s،,.]+\s+){0,4}"
    r"|\s*(?:نائب\s+|مساعد\s+)?(?:رئيسه|رئيسها|زعيمه|زعيمها|قائده|قائدها|رئيس وفده|رئيس وفدها)(?:\s+[^\s،,.]+){0,2}\s*")


def chain(doc: Doc, pos: int, end: int) -> list[Actor]:
    """Actors listed from `pos`: X وY وZ (separated only by spaces, commas and و)."""
    out: list[Actor] = []
    for a in doc.actors_in(pos, end):
        gap = doc.norm[pos:a.start]
        if gap.strip(" ،,و") and not _CHAIN_GAP.fullmatch(gap):
            break
        out.append(a)
        pos = a.end
    return out


_ACTING_FOR = rx(r"[\s،,]*بصفت(?:ه|ها)\s+(?:ال)?\S+\s+(?:ل|لل)?")


def regroup(doc: Doc) -> None:
    """Sides the sentence makes one: a joint delegation, a delegation and the person leading it."""
    for m in _JOINT.finditer(doc.norm):
        listed = chain(doc, m.end(), min(len(doc.norm), m.end() + 80))
        for a in listed[1:]:
            a.group = listed[0].group
    parties = [a for a in doc.actors if a.ref.type == "party"]
    for a in doc.actors:
        if a.ref.type != "person":
            continue
        before = [p for p in parties if p.end <= a.start and a.start - p.end <= 50]
        if before and _LED_BY.fullmatch(doc.norm[before[-1].end:a.start]):
            a.group = before[-1].group
        # «وزير الخارجية اليمني خالد اليماني»: the title's country and its holder are one side
        for b in before[-1:]:
            if b.nisba and not doc.norm[b.end:a.start].strip() and a.ref.party_key and \
                    _country(doc, a.ref.party_key) == b.ref.key:
                b.group = a.group
        after = [p for p in parties if a.end <= p.start <= a.end + 40]
        if after and _ACTING_FOR.fullmatch(doc.norm[a.end:after[0].start]):
            # «الرئيس الكيني السابق كينياتا بصفته ميسرا لمجموعة شرق أفريقيا»: there for the EAC
            for b in doc.actors:
                if b is a or (b.nisba and b.ref.key == a.ref.party_key and 0 <= a.start - b.end <= 25):
                    b.group = after[0].group


def _country(doc: Doc, party_key: str) -> str | None:
    entry = doc.gaz.get("party", party_key)
    return (entry.data.get("country") or entry.key) if entry else None


def _after_actor(doc: Doc, pos: int) -> bool:
    """An adjective coordinated with one that named an actor (الوفدان الروسي والإيراني, الوسطاء
    القطريين والمصريين: the first may be part of a longer name)."""
    prev = [a for a in doc.actors if a.end <= pos and pos - a.end <= 3]
    return bool(prev) and (prev[-1].nisba or bool(NISBA.match(WORD.findall(doc.norm[prev[-1].start:prev[-1].end])[-1])))


_ADJ_END = ("يه", "ي", "يين", "يون")


def _adjective_actors(doc: Doc) -> None:
    """Nationality adjectives the gazetteer does not list, after an actor noun (الوفد الكوبي) or
    listed after one that named an actor (مسؤولين إيرانيين وأميركيين)."""
    taken = [(a.start, a.end) for a in doc.actors]
    adj_ends = {a.end for a in doc.actors if a.nisba}
    for (noun, _, ne), (adj, s, e) in pairwise(doc.words):
        listed = ne in adj_ends and adj.startswith("و")
        if not adj.endswith(_ADJ_END) or (noun not in ACTOR_NOUNS and noun[1:] not in ACTOR_NOUNS and not listed) \
                or doc.norm[ne:s].strip() or any(ts < e and s < te for ts, te in taken):
            continue
        entry = resolve_adjective(doc.gaz, adj[1:] if listed else adj)
        if entry:
            doc.actors.append(Actor(s, e, party_ref(entry), entry.key, True, entry.data.get("role")))
            adj_ends.add(e)
