"""Sentence splitting with character spans, for Arabic and English news prose."""

from __future__ import annotations

import re

from app.extract.types import Sentence

# A sentence ends at . ! ? ؟ (and a closing quote or bracket after it) followed by white
# space, or at a paragraph break. A period after an initial or a known abbreviation does not
# end one (U.S., U.N., Mr., Dr., St., Jan., ...).
_END = re.compile(r"[.!?؟]+[\"'”’»)\]]*(?=\s)|\n\s*\n")
_NO_BREAK = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Lt|Col|Maj|Capt|Sgt|Prof|Rev|Sen|Rep|Gov|"
    r"Amb|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|U\.K|E\.U))\.$"
)


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        mark = m.group().strip()
        end = m.end() if mark else m.start()
        if mark == "." and _NO_BREAK.search(text[max(0, m.start() - 6) : m.end()]):
            continue
        _append(out, text, start, end)
        start = m.end()
    _append(out, text, start, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))
