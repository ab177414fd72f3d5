"""extract(): the one entry point of the pure step. Detects the language and hands the text to
the rules of that language. Never touches the database."""

from __future__ import annotations

import datetime as dt

from app.extract.gazetteer import Gazetteer
from app.extract.normalize import arabic_ratio
from app.extract.sentences import split_sentences
from app.extract.types import Extraction


def detect_language(text: str) -> str:
    """`ar` when most letters are Arabic, else `en` (the two languages the rules cover)."""
    return "ar" if arabic_ratio(text) >= 0.5 else "en"


def extract(
    text: str, *, gazetteer: Gazetteer, published: dt.date | None = None, language: str | None = None
) -> Extraction:
    language = language or detect_language(text)
    result = Extraction(language=language, published=published, sentences=split_sentences(text))
    if published is None:
        result.warnings.append("no publication date: relative dates are left unresolved")
    if language == "ar":
        from app.extract import arabic as rules
    else:
        from app.extract import english as rules
    rules.extract_into(result, text, gazetteer)
    return result
