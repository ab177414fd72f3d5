"""English date expressions: find them in a stretch of text and resolve them against the
publication date with the shared calendar arithmetic of `dates.py`.

Precision: `day` for a day fixed by the text (yesterday, on Tuesday, Dec. 11), `month` for
"in May", `unknown` for vague spans (last week, days later) — a vague span is still returned so
that a clause which names one does not borrow another clause's day. Without a publication date,
relative expressions and day-month without a year resolve to None.

A date right after a speech verb ("said on Sunday", "told reporters on Saturday") is the date
of the statement, not of the event it reports: `speech` marks it, and the event rules skip it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from app.extract.dates import (
    WEEKDAYS_EN,
    cross_check,
    last_weekday,
    next_weekday,
    shift,
)

MONTHS = {"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
          "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
          "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
          "november": 11, "dec": 12, "december": 12}
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# the words before a date that say which way it points: read back from the match, which is
# much faster than an optional prefix tried at every position
LEAD_RE = re.compile(r"\b(last|this|next)\s+$", re.IGNORECASE)
MONTH_ONLY_BEFORE_RE = re.compile(r"\b(?:in|since|until|by|during|of|early|late|mid-?)\s*$", re.IGNORECASE)


def _ci(word: str) -> str:
    return f"[{word[0].upper()}{word[0].lower()}]{word[1:]}"


# One alternation, tried left to right. Case-sensitive (first letters spelled out): month
# names and weekdays are capitalized in English, which keeps the modal "may" out.
DATE_RE = re.compile(
    r"(?P<on_day>\b[Oo]n\s+the\s+(?:same\s+)?day\s+of\s+the\s+(?:[A-Z][\w-]+\s+)?(?P<day_of>\w+))"
    r"|\b(?P<rel>" + "|".join(_ci(w) for w in ("yesterday", "today", "tomorrow", "tonight")) + r")\b"
    r"(?:\s*\(?\s*(?P<rel_wd>" + _WEEKDAY + r")\)?)?"
    r"|\b(?P<wd>" + _WEEKDAY + r")(?:,?\s+(?P<wd_mon>" + _MONTH + r")\s+(?P<wd_day>\d{1,2})\b)?"
    r"|\b(?P<mon>" + _MONTH + r")(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<day_to>\d{1,2}))?\b"
    r"(?:,?\s+(?P<year>\d{4}))?|(?:\s+(?P<year3>\d{4}))?\b)"
    r"|\b(?P<day2>\d{1,2})\s+(?P<mon2>" + _MONTH + r")(?:\s+(?P<year2>\d{4}))?"
    r"|\b(?P<vague>(?:" + "|".join(_ci(w) for w in ("last", "this", "next", "previous", "following")) +
    r"|[Ee]arlier this|[Ll]ater this)\s+(?:week|month|year|weekend)"
    r"|(?:[Dd]ays|[Ww]eeks|[Mm]onths)\s+(?:ago|earlier|later|before)|over the following \w+ days|[Rr]ecently"
    r"|at the end of \w+)"
)
# future or planned: the weekday ahead, not behind
FUTURE_RE = re.compile(
    r"\b(?:will|would|shall|due to|expected to|scheduled|set to|plans? to|planned|to be held|"
    r"is to|are to|to begin|to start|to meet|next|upcoming|later this)\b", re.IGNORECASE)
SPEECH_BEFORE_RE = re.compile(
    r"\b(?:said|says|told\s+(?:\w+\s+){0,2}?(?:reporters|journalists|a news conference|the \w+)|"
    r"announced|added|stated|declared|wrote|tweeted)\s+(?:(?:late|early)\s+)?(?:on\s+|in\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class DateExpr:
    start: int  # offsets in the string searched
    end: int
    date: dt.date | None
    precision: str  # day | month | unknown
    speech: bool  # the date of a statement ("said on Sunday")
    anchor: str | None = None  # "on the day of the X": the noun X, resolved by the caller
    end_date: dt.date | None = None  # "Jan. 29-30": the last day


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _nearest_year(published: dt.date, month: int, day: int, future: bool | None) -> dt.date | None:
    """The year that puts month-day nearest to `published`, or the first one on the side the
    tense says (past: on or before publication; future: on or after)."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if future is True:
        ahead = [c for c in candidates if c >= published]
        return min(ahead) if ahead else None
    if future is False:
        behind = [c for c in candidates if c <= published + dt.timedelta(days=1)]
        return max(behind) if behind else None
    return min(candidates, key=lambda c: abs((c - published).days)) if candidates else None


def find_dates(text: str, published: dt.date | None, *, future: bool | None = None,
               warnings: list[str] | None = None) -> list[DateExpr]:
    """Every date expression of `text`, resolved. `future` is the tense of the clause, when known;
    else each date takes the tense of the words just before it. Weekday mismatches are added to
    `warnings`."""
    found, notes = _find_dates(text, published, future)
    if warnings is not None:
        warnings.extend(n for n in notes if n not in warnings)
    return list(found)


@lru_cache(maxsize=4096)  # the same sentence is read by the meeting, round and zone rules
def _find_dates(text: str, published: dt.date | None, future: bool | None):
    out, warnings = [], []
    given = future
    for m in DATE_RE.finditer(text):
        future = given
        if future is None:  # the tense of the words just before the date, within its clause
            window = re.split(r"[,;]", text[max(0, m.start() - 60): m.start()])[-1]
            future = bool(FUTURE_RE.search(window)) or None
        date, precision, anchor, end_date = None, "day", None, None
        g = m.group
        if g("on_day"):
            anchor = g("day_of").lower()
        elif g("rel"):
            rel = g("rel").lower()
            if published:
                date = shift(published, {"yesterday": -1, "tomorrow": 1}.get(rel, 0))
                if g("rel_wd"):
                    date, warning = cross_check(date, WEEKDAYS_EN[g("rel_wd").lower()])
                    if warning:
                        warnings.append(warning)
        elif g("wd"):
            wd = WEEKDAYS_EN[g("wd").lower()]
            lead_m = LEAD_RE.search(text, max(0, m.start() - 6), m.start())
            lead = lead_m.group(1).lower() if lead_m else ""
            if g("wd_mon") and published:
                date = _nearest_year(published, _month(g("wd_mon")), int(g("wd_day")), future)
                if date:
                    date, warning = cross_check(date, wd)
                    if warning:
                        warnings.append(warning)
            elif published:
                if "last" in lead:
                    date = last_weekday(published, wd, include_today=False)
                elif "next" in lead or future:  # ("will meet on Friday" in Friday's paper: today)
                    date = next_weekday(published, wd, include_today="next" not in lead)
                else:  # news prose: "on Tuesday" is the last Tuesday, today included
                    date = last_weekday(published, wd)
        elif g("mon") and not g("day"):  # a month alone: "in May", "in August 2011"
            if not MONTH_ONLY_BEFORE_RE.search(text, max(0, m.start() - 8), m.start()):
                continue  # "May" at the start of a sentence, a name...
            month, precision = _month(g("mon")), "month"
            if g("year3"):
                date = dt.date(int(g("year3")), month, 1)
            elif published:
                year = published.year
                if future and month < published.month:
                    year += 1
                elif not future and month > published.month:
                    year -= 1
                date = dt.date(year, month, 1)
        elif g("mon") or g("mon2"):
            month = _month(g("mon") or g("mon2"))
            day = int(g("day") or g("day2"))
            year = g("year") or g("year2")
            try:
                if year:
                    date = dt.date(int(year), month, day)
                elif published:
                    date = _nearest_year(published, month, day, future)
                if date and g("day_to"):
                    end_date = date.replace(day=int(g("day_to")))
            except ValueError:
                date = None
        else:
            precision = "unknown"
        speech = bool(SPEECH_BEFORE_RE.search(text[max(0, m.start() - 60): m.start()]))
        out.append(DateExpr(m.start(), m.end(), date, precision, speech, anchor, end_date))
    return tuple(out), tuple(warnings)
