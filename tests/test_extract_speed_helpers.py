"""Helpers that only make extraction faster: they must never change what a pattern finds."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from app.extract import arabic  # noqa: F401 - imports every Arabic rule module, so their patterns exist
from app.extract.normalize import normalize
from app.extract.prefilter import Guarded, guarded, required_literals

ROOT = Path(__file__).resolve().parents[1]


def test_required_literals_of_alternatives_and_optional_parts():
    assert set(required_literals(re.compile(r"(?<!\w)(?:و)?(?:قال|قالت|أكد)(?!\w)"))) == {"قال", "أكد"}
    # optional parts require nothing; the longest required run is kept
    assert required_literals(re.compile(r"(?:ال)?(?:جولة|جولات)\s+الأولى")) == ("الأولى",)
    # a repeat of at least one requires its body
    assert required_literals(re.compile(r"(?:abc)+x")) == ("abc",)


@pytest.mark.parametrize("pattern", [
    r"\s(?=(?:و)?(?:كما|ثم)\s)",  # a lookahead consumes nothing
    r"(?:abc)?x",  # nothing required but one letter
    r"abc|\d+",  # one branch requires no literal
    r"(?i)abc",  # case folded: a literal test would not be exact
    r"(?i:abc)d",
    r"ab",  # too short to be worth a test
])
def test_no_literals_no_guard(pattern):
    compiled = re.compile(pattern)
    assert required_literals(compiled) is None
    assert guarded(compiled) is compiled


def test_guarded_behaves_like_the_pattern():
    raw = re.compile(r"(?<!\w)(?:ب|و)?(?:خرق|انتهاك)(?!\w)")
    g = guarded(raw)
    assert isinstance(g, Guarded)
    for text in ("لا شيء هنا", "اتهم الطرفين بخرق الهدنة", "وانتهاك", ""):
        for pos, endpos in ((0, None), (3, None), (0, 5), (-4, None), (2, -1), (0, 10_000)):
            args = (pos,) if endpos is None else (pos, endpos)
            found, expected = g.search(text, *args), raw.search(text, *args)
            assert (found and found.span()) == (expected and expected.span())
            assert [m.span() for m in g.finditer(text, *args)] == [m.span() for m in raw.finditer(text, *args)]
            assert g.findall(text, *args) == raw.findall(text, *args)
    assert g.match is not None and g.pattern == raw.pattern


def _texts() -> list[str]:
    out = []
    for folder in [ROOT.parent / "shared" / "corpus" / "dev", *sorted((ROOT / "tests" / "data").glob("holdout*"))]:
        for path in sorted(folder.glob("*.json")):
            text = json.loads(path.read_text(encoding="utf-8"))["text"]
            out += [normalize(p) for p in text.split("\n") if p.strip()]
    return out


def _guarded_patterns() -> list[Guarded]:
    """Every Guarded pattern the extraction modules hold, in their globals and the tables there.
    (Not gc.get_objects(): once an app has started in the same process, gc.freeze() hides them.)"""
    found: dict[int, Guarded] = {}

    def walk(value, depth: int = 0) -> None:
        if isinstance(value, Guarded):
            found[id(value)] = value
        elif depth < 3 and isinstance(value, dict):
            for v in value.values():
                walk(v, depth + 1)
        elif depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                walk(v, depth + 1)

    for name, module in list(sys.modules.items()):
        if name.startswith("app.extract"):
            walk(vars(module))
    return list(found.values())


def test_every_guarded_rule_pattern_agrees_on_the_corpora():
    """Where the literal test says no, the pattern finds nothing, on every paragraph we have."""
    patterns = _guarded_patterns()
    texts = _texts()
    assert len(patterns) > 50 and texts
    for g in patterns:
        for text in texts:
            if not g.possible(text):
                assert g.pattern_obj.search(text) is None, (g.pattern, text)


def test_any_of_answers_like_the_word_list_regex():
    from app.extract.prefilter import AnyOf

    pattern = re.compile(r"امس|غد|اليوم|يوم|كانون الثاني")
    test = AnyOf.of(pattern)
    assert "اليوم" not in test.words  # holds يوم
    for text in _texts()[:200] + ["", "في بغداد", "كانون الثاني"]:
        assert test(text) == bool(pattern.search(text))
        assert test(text, 5, 40) == bool(pattern.search(text, 5, 40))
    with pytest.raises(AssertionError):
        AnyOf.of(re.compile(r"(?<!\w)امس"))


def test_title_heads_word_by_word_are_the_scan_of_the_article():
    from app.extract.arabic_persons import _HEAD, _head_of
    from app.extract.gazetteer import word_spans

    for text in _texts():
        scanned = [(m.start(), m.end(), m.group(1)) for m in _HEAD.finditer(text)]
        by_word = [(s, e, head) for w, s, e in word_spans(text) if (head := _head_of(w))]
        assert by_word == scanned


def test_prev_word_from_the_words_is_the_scan_of_the_window():
    from app.extract.arabic_text import _PREV_WORDS, WORD, build
    from app.extract.gazetteer import Gazetteer
    from app.extract.sentences import split_sentences
    from app.extract.types import Extraction

    gaz = Gazetteer.from_reference_dir(ROOT / "seeds" / "reference")
    folder = ROOT.parent / "shared" / "corpus" / "dev"
    for path in sorted(folder.glob("*.json"))[:8]:
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        doc = build(Extraction(language="ar", published=None, sentences=split_sentences(text)), text, gaz)
        for pos in range(len(doc.norm) + 1):
            words = WORD.findall(doc.norm[max(0, pos - 30):pos])
            word = words[-1] if words else ""
            word = word[1:] if len(word) > 3 and word[0] in "وف" and word[1:] in _PREV_WORDS else word
            assert doc.prev_word(pos) == word, (path.name, pos)
