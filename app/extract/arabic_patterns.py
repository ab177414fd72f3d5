"""How the Arabic rules write their patterns and word lists: in ordinary Arabic, folded at import
like the text they run on (normalize.py), so one pattern matches every spelling."""

from __future__ import annotations

import re

from app.extract.normalize import fold_arabic
from app.extract.prefilter import Guarded, guarded


def rx(pattern: str) -> re.Pattern | Guarded:
    """A regex written in ordinary Arabic, folded like the text it runs on, behind a test of the
    literals every match holds (prefilter.py: scans that cannot match are skipped)."""
    return guarded(re.compile(fold_arabic(pattern)))


def word_set(text: str) -> set[str]:
    """A word list written as one string (Arabic as written, folded like the text)."""
    return set(fold_arabic(text).split())
