"""Arabic-aware normalization for matching names, with a map back to original offsets.

The rules are the corpus's matching rules: case folded; Arabic diacritics and tatweel removed;
أ إ آ ٱ → ا, ى → ي, ة → ه. `normalize_with_map` also returns, for every character of the
normalized text, the offset of the original character it came from, so a match found in the
normalized text can be reported as a span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_FOLD_CHARS = re.compile("[أإآٱىة]")
_FOLD_PAIRS = [(chr(src), dst) for src, dst in _FOLD.items()]  # no target is itself folded
_ARABIC = re.compile("[\u0600-\u06ff]")
_TOKEN = re.compile(r"\w+", re.UNICODE)


def _fold_char(ch: str) -> str:
    if ch == _TATWEEL or _DIACRITICS.match(ch):
        return ""
    return ch.casefold().translate(_FOLD)


def normalize(text: str) -> str:
    """Normalize `text` for comparison (no offset map)."""
    text = unicodedata.normalize("NFC", text)
    return _DIACRITICS.sub("", text.replace(_TATWEEL, "")).casefold().translate(_FOLD)


def fold_arabic(text: str) -> str:
    """The Arabic part of `normalize` only (no case folding): for regex patterns written in
    ordinary Arabic, whose `(?P<name>` and `\\S` must keep their case."""
    return _DIACRITICS.sub("", unicodedata.normalize("NFC", text).replace(_TATWEEL, "")).translate(_FOLD)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalize `text` and map each normalized character to its original offset.

    The map has one more entry than the normalized text: the end of the original.
    """
    whole = text.casefold()
    if len(whole) == len(text):
        # Fast path (all English text, all Arabic text): when case folding keeps the length,
        # character i of the folded text comes from character i; the diacritics and tatweel
        # removed then are cut from the map too.
        removed = [m.start() for m in _REMOVED.finditer(whole)]
        if removed:
            whole = _REMOVED.sub("", whole)
        if _FOLD_CHARS.search(whole):  # translate() with a table is slow: one replace per letter
            for src, dst in _FOLD_PAIRS:
                whole = whole.replace(src, dst)
        index = list(range(len(text) + 1))
        for pos in reversed(removed):
            del index[pos]
        return whole, index
    # per distinct character, not per character: articles repeat a few dozen letters
    folded = [_FOLDED[ch] if ch in _FOLDED else _fold_cached(ch) for ch in text]
    if all(len(f) == 1 for f in folded):
        index = list(range(len(text)))
    else:
        index = [i for i, f in enumerate(folded) for _ in f]
    index.append(len(text))
    return "".join(folded), index


_REMOVED = re.compile(_DIACRITICS.pattern[:-1] + _TATWEEL + "]")  # diacritics and tatweel
_FOLDED: dict[str, str] = {}


def _fold_cached(ch: str) -> str:
    _FOLDED[ch] = folded = _fold_char(ch)
    return folded


def tokens(text: str) -> list[str]:
    """Normalized word tokens of `text` (letters and digits; punctuation splits)."""
    return _TOKEN.findall(normalize(text))


@lru_cache(maxsize=1 << 16)  # names are keyed over and over (gazetteer exact lookups, persons)
def key_of(text: str) -> str:
    """The comparison key of a name: its normalized tokens joined by one space."""
    return " ".join(tokens(text))


def is_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def arabic_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _ARABIC.match(c)) / len(letters)


_HAMZA = str.maketrans({"ؤ": "و", "ئ": "ي", "ء": None})


def search_key(text: str) -> str:
    """key_of() folding hamza carriers too (ؤ → و, ئ → ي, ء dropped): for `?q=` searches, where
    a reader types a name however they spell it. Matching for evaluation keeps the corpus rule."""
    return key_of(text).translate(_HAMZA)
