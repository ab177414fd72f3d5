"""Arabic date expressions, found in normalized text and resolved against the publication date.

The patterns are written in ordinary Arabic and folded at import with `normalize`, so they match
whatever the hamza, alef, taa marbuta and diacritics of the article (the text they run on is the
normalized article). Relative days and weekdays are resolved with `dates.py`; a weekday named
together with a relative day (أمس الخميس) is cross-checked there.

A date that only says when something was *said* (في بيان اليوم إن ..., قال أمس إن ...) is marked
`statement`, so the caller can prefer the date of the event the statement reports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.extract import dates
from app.extract.normalize import fold_arabic, normalize
from app.extract.prefilter import AnyOf, guarded

WEEKDAYS = {normalize(k): v for k, v in dates.WEEKDAYS_AR.items()}
MONTHS = {
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
}
MONTHS = {normalize(k): v for k, v in MONTHS.items()}
ORDINAL_DAYS = {
    "الأول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6, "السابع": 7,
    "الثامن": 8, "التاسع": 9, "العاشر": 10, "الحادي عشر": 11, "الثاني عشر": 12,
    "الثالث عشر": 13, "الرابع عشر": 14, "الخامس عشر": 15, "السادس عشر": 16, "السابع عشر": 17,
    "الثامن عشر": 18, "التاسع عشر": 19, "العشرين": 20, "الحادي والعشرين": 21,
    "الثاني والعشرين": 22, "الثالث والعشرين": 23, "الرابع والعشرين": 24,
    "الخامس والعشرين": 25, "السادس والعشرين": 26, "السابع والعشرين": 27,
    "الثامن والعشرين": 28, "التاسع والعشرين": 29, "الثلاثين": 30, "الحادي والثلاثين": 31,
}
ORDINAL_DAYS = {normalize(k): v for k, v in ORDINAL_DAYS.items()}


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_B = r"(?<![\w])"  # word start (Arabic letters are \w)
_E = r"(?![\w])"
_WD = f"(?P<wd>{_alt(WEEKDAYS)})"
_PART = r"(?:(?:صباح|مساء|ظهر|فجر|ليل|ليله|منتصف ليل|عصر|يوم)\s+)?"
_MON = f"(?:{_alt(MONTHS)})"
_MARK = r"(?:\s+(?P<mark>الماضي|الماضيين|المقبل|المقبلين|القادم|الجاري|الحالي|المنصرم|الفائت))?"

# (pattern, how to resolve). Order matters only where two start at the same place: longest first.
_RELATIVE = [
    (rf"{_B}و?{_PART}(?:امس الاول|اول امس|اول من امس)(?:\s+{_WD})?{_E}", -2),
    (rf"{_B}و?{_PART}امس(?:\s+{_WD})?{_E}", -1),
    (rf"{_B}(?:الليله الماضيه|ليله امس|الليله قبل الماضيه){_E}", -1),
    (rf"{_B}(?:بعد غد){_E}", 2),
    (rf"{_B}{_PART}(?:غدا|غد)(?:\s+{_WD})?{_E}", 1),
    # اليوم, but not اليوم التالي / نفسه / الأول (those are relative to another day, below)
    (rf"{_B}{_PART}اليوم(?:\s+{_WD})?(?!\s+(?:التالي|نفسه|ذاته|الاول|الثاني|الثالث|الاخير))(?!\w)", 0),
]
# each with a word it cannot match without: a plain `in` test skips the scan (speed)
_RELATIVE = [(re.compile(fold_arabic(p)), n, key) for (p, n), key in zip(_RELATIVE, ("امس", "امس", "ليله", "غد", "غد", "اليوم"))]
_WEEKDAY = re.compile(
    rf"{_B}{_PART}{_WD}(?:\s+(?P<dir>الماضي|الفائت|المنصرم|المقبل|القادم))?{_E}")
_SAME_DAY = re.compile(fold_arabic(rf"{_B}(?:في\s+)?(?:ال)?يوم\s+(?:نفسه|ذاته){_E}|{_B}في\s+اليوم\s+نفسه{_E}"))
_NEXT_DAY = re.compile(fold_arabic(rf"{_B}(?:في\s+)?(?:اليوم|صباح اليوم)\s+(?:التالي|الذي يليه){_E}"))
_ABSOLUTE = re.compile(
    rf"{_B}و?(?:ال)?(?P<day>\d{{1,2}})\s+(?P<mon>{_MON})(?:\s*/\s*{_MON})?(?:\s+(?P<year>\d{{4}}))?{_MARK}{_E}")
_ORDINAL = re.compile(
    rf"{_B}(?:ال)?(?P<ord>{_alt(ORDINAL_DAYS)}|\d{{1,2}})\s+من\s+(?:(?P<cur>الشهر الجاري|الشهر الحالي|هذا الشهر)|"
    rf"(?P<mon>{_MON})(?:\s*/\s*{_MON})?(?:\s+(?P<year>\d{{4}}))?{_MARK}){_E}")
# Vague spans: they fix no day, but they are a date of their own (so no context date is borrowed).
_VAGUE = re.compile(fold_arabic(
    rf"{_B}(?:الاسبوع|الشهر|العام|الشتاء|الصيف)\s+(?:الماضي|المقبل|القادم|الجاري|الحالي){_E}"
    rf"|{_B}(?:خلال\s+)?(?:الايام|الاسابيع|الاشهر|الشهور|الساعات)\s+(?:الماضيه|المقبله|القادمه|الاخيره){_E}"
    rf"|{_B}(?:مطلع|اواخر|منتصف|اوائل|نهايه|بدايه|النصف الاول من|النصف الثاني من)\s+(?:{_MON}|العام|الشهر|الاسبوع){_E}"
    rf"|{_B}(?:في|خلال)\s+(?:{_MON})(?:\s*/\s*{_MON})?{_E}"))
# Words that make a bare weekday point forward (تستأنف الخميس) instead of back (عقد الثلاثاء).
_FUTURE = re.compile(fold_arabic(
    rf"{_B}(?:و?س[يتن](?:عقد|لتقي|لتقون|جتمع|جتمعون|كون|ستانف|شارك|وقع|نطلق|بدا|ختتم|جري|زور|شهد|تم|ستضيف|جمع|توجه|بحث|صل|عود|ناقش|قدم|عقدون|ستقبل|حضر|لقي|جرون|تفاوض|فاوض)\w*|من المقرر|من المتوقع|من المنتظر|المقرر|مقررا|المرتقب|مرتقب|يعتزم|تعتزم|المزمع|المقبل|القادم|غدا|تنطلق|ينطلق|تستانف|يستانف|تعقد|يعقد|تختتم|يختتم){_E}"))
# A date right after these is the date of a statement, not of the event it reports.
_STATEMENT = re.compile(fold_arabic(
    r"(?:قال|قالت|اعلن|اعلنت|اكد|اكدت|ذكر|ذكرت|افاد|افادت|صرح|صرحت|اوضح|اوضحت|نشرت|نشر|اضاف|اضافت|"
    r"بيان|بيانا|تصريح|تصريحات|مؤتمر صحفي|مؤتمرا صحفيا|كلمه|للصحفيين|لوكاله|حديث)"
    r"(?:\s+[^\s،,.]+){0,5}\s*$"))
_STATEMENT_NOUN = re.compile(fold_arabic(r"(?:بيان|تصريح|مؤتمر صحفي)\s*$"))
# «بين 11 و20 مارس», «من 3 إلى 5 مايو»: the first day of a range takes the month of the last
_RANGE_FROM = re.compile(fold_arabic(r"(?<![\w])(?:بين|من)\s+(?P<d1>\d{1,2})\s*(?:و|إلى|الى|حتى|-)?\s*$"))
_SINCE = guarded(re.compile(fold_arabic(r"(?<![\w])منذ(?:\s+[^\s،,.]+){0,3}\s*$")))
_COMPLEMENT = re.compile(fold_arabic(r"(?<![\w])(?:إن|أن|بأن|ان|بان)(?![\w])"))


_DIGIT = re.compile(r"\d")
_WD_ANY = AnyOf(WEEKDAYS)
_ORDINAL_ANY = AnyOf(ORDINAL_DAYS)  # an _ORDINAL match holds one of these or a digit
_VAGUE_ANY = AnyOf(["الاسبوع", "الشهر", "العام", "الشتاء", "الصيف", "مطلع", "اواخر", "منتصف",
                                  "الايام", "الاسابيع", "الاشهر", "الشهور", "الساعات",
                                  "اوائل", "نهايه", "بدايه", "النصف", *MONTHS])
# Every date expression holds a digit or one of these words: sentences without any are
# skipped at once. (Words only: an alternation of plain words is scanned by its first letters,
# several times faster than one that also holds \d.)
_ANY_DATE_WORD = AnyOf(["امس", "غد", "اليوم", "الليله", "يوم", "الاسبوع", "الشهر", "العام",
                                      "مطلع", "اواخر", "منتصف", "اوائل", "نهايه", "بدايه", "النصف", "الايام",
                                      "الاسابيع", "الاشهر", "الشهور", "الساعات", *WEEKDAYS, *MONTHS, *ORDINAL_DAYS])


@dataclass
class DateHit:
    start: int  # offsets in the normalized text given to find_dates
    end: int
    date: dt.date | None
    precision: str  # day | month | unknown
    statement: bool = False
    since: bool = False  # منذ انطلاق المشاورات في ...: the start of a span, not an event of its clause


def _year_for(published: dt.date, month: int, day: int, mark: str | None) -> dt.date | None:
    def make(y):
        try:
            return dt.date(y, month, day)
        except ValueError:
            return None
    cands = [d for d in (make(published.year - 1), make(published.year), make(published.year + 1)) if d]
    if not cands:
        return None
    if mark and mark.startswith(("الماضي", "المنصرم", "الفائت")):
        past = [d for d in cands if d <= published]
        return max(past) if past else None
    if mark and mark.startswith(("المقبل", "القادم")):
        fut = [d for d in cands if d >= published]
        return min(fut) if fut else None
    return min(cands, key=lambda d: abs((d - published).days))


def find_dates(norm: str, published: dt.date | None, warnings: list[str],
               prev_day: dt.date | None = None) -> list[DateHit]:
    """Every date expression of the normalized sentence `norm`, left to right.

    `prev_day` is the last day named before this sentence, for في اليوم التالي / نفسه.
    """
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    has_digit = _DIGIT.search(norm)
    if not (has_digit or _ANY_DATE_WORD(norm)):
        return hits

    def free(m) -> bool:
        return all(m.end() <= s or m.start() >= e for s, e in taken)

    def add(m, day, precision="day"):
        taken.append((m.start(), m.end()))
        hits.append(DateHit(m.start(), m.end(), day, precision))

    for m in _ABSOLUTE.finditer(norm) if has_digit else ():
        day = None
        if published or m.group("year"):
            month, d = MONTHS[m.group("mon")], int(m.group("day"))
            if m.group("year"):
                try:
                    day = dt.date(int(m.group("year")), month, d)
                except ValueError:
                    day = None
            else:
                day = _year_for(published, month, d, m.group("mark"))
        add(m, day)
        first = _RANGE_FROM.search(norm, max(0, m.start() - 16), m.start()) if day else None
        if first and int(first.group("d1")) < 32:
            d1 = int(first.group("d1"))
            back = day.replace(day=1) - dt.timedelta(days=1) if d1 > day.day else day
            if _valid(back.year, back.month, d1):
                taken.append(first.span("d1"))
                hits.append(DateHit(first.start("d1"), first.end("d1"), dt.date(back.year, back.month, d1), "day"))
    for m in _ORDINAL.finditer(norm) if " من " in norm and (has_digit or _ORDINAL_ANY(norm)) else ():
        if not free(m):
            continue
        day, d = None, ORDINAL_DAYS.get(m.group("ord")) or int(m.group("ord"))
        if m.group("cur") and published:
            day = published.replace(day=d) if d <= 28 or _valid(published.year, published.month, d) else None
        elif m.group("mon") and (published or m.group("year")):
            month = MONTHS[m.group("mon")]
            day = (dt.date(int(m.group("year")), month, d) if m.group("year") and _valid(int(m.group("year")), month, d)
                   else _year_for(published, month, d, m.group("mark")) if published else None)
        add(m, day)
    for rx, offset, key in _RELATIVE:
        for m in rx.finditer(norm) if key in norm else ():
            if not free(m):
                continue
            day = None
            if published:
                day = dates.shift(published, offset)
                wd = m.groupdict().get("wd")
                if wd and offset > 0 and day.weekday() != WEEKDAYS[wd]:
                    # cross_check looks back; a future day named with its weekday looks ahead
                    fixed = dates.next_weekday(published, WEEKDAYS[wd], include_today=False)
                    warnings.append(f"weekday mismatch: {day.isoformat()} is not {wd}; using {fixed}")
                    day = fixed
                elif wd:
                    day, warning = dates.cross_check(day, WEEKDAYS[wd])
                    if warning:
                        warnings.append(warning)
            add(m, day)
    future = None
    for m in _WEEKDAY.finditer(norm) if _WD_ANY(norm) else ():
        if not free(m):
            continue
        day = None
        if published:
            wd, way = WEEKDAYS[m.group("wd")], m.group("dir")
            if way is None and future is None:
                future = bool(_FUTURE.search(norm))
            if way in ("المقبل", "القادم") or (way is None and future):
                day = dates.next_weekday(published, wd, include_today=False)
            else:
                day = dates.last_weekday(published, wd, include_today=False)
        add(m, day)
    for rx, offset in ((_SAME_DAY, 0), (_NEXT_DAY, 1)) if "يوم" in norm else ():
        for m in rx.finditer(norm):
            if free(m):
                add(m, dates.shift(prev_day, offset) if prev_day else None)
    for m in _VAGUE.finditer(norm) if _VAGUE_ANY(norm) else ():
        if free(m):
            add(m, None, "unknown")
    hits.sort(key=lambda h: h.start)
    for h in hits:
        # a date between a speech verb / statement noun and its إن/أن dates the statement
        before = norm[max(0, h.start - 60):h.start]
        after = norm[h.end:h.end + 40]
        if _COMPLEMENT.match(after.lstrip()) and (_STATEMENT.search(before) or _STATEMENT_NOUN.search(before)):
            h.statement = True
        if _SINCE.search(before):
            h.since = h.statement = True
    return hits


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False
