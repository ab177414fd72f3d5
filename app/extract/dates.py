"""Calendar arithmetic for relative dates, shared by the language modules.

The language modules find the expressions (أمس الخميس, yesterday, on Tuesday, last week) and
call these to resolve them against the publication date. A weekday named together with a
relative day is cross-checked: when they disagree, the weekday wins only if it is within the
past week, and the disagreement is reported.
"""

from __future__ import annotations

import datetime as dt

WEEKDAYS_EN = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
               "saturday": 5, "sunday": 6}
WEEKDAYS_AR = {"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2,
               "الخميس": 3, "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6}


def shift(published: dt.date, days: int) -> dt.date:
    return published + dt.timedelta(days=days)


def last_weekday(published: dt.date, weekday: int, *, include_today: bool = True) -> dt.date:
    """The most recent `weekday` on or before `published` (strictly before unless include_today)."""
    back = (published.weekday() - weekday) % 7
    if back == 0 and not include_today:
        back = 7
    return published - dt.timedelta(days=back)


def next_weekday(published: dt.date, weekday: int, *, include_today: bool = True) -> dt.date:
    ahead = (weekday - published.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return published + dt.timedelta(days=ahead)


def cross_check(day: dt.date, weekday: int | None) -> tuple[dt.date, str | None]:
    """Check that `day` falls on `weekday`; return the date to use and a warning if not."""
    if weekday is None or day.weekday() == weekday:
        return day, None
    fixed = last_weekday(day, weekday)
    return fixed, f"weekday mismatch: {day.isoformat()} is not weekday {weekday}; using {fixed}"
