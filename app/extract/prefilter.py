"""A cheap necessary condition in front of a regex scan (speed only: results are unchanged).

Most of the rules' patterns begin with a lookbehind and optional proclitics, so `re` can skip no
position and tries the whole pattern at every character of the sentence. But nearly every match
must hold some literal text (a stem of one of its words): `required_literals` reads those from
the compiled pattern, and `guarded` wraps the pattern so `search`, `finditer` and `findall` first
test, with plain substring searches in C, whether any of them occurs at all; when none does,
the pattern cannot match and the scan is skipped. `match` and `fullmatch` (anchored, so already
cheap) go straight to the pattern.
"""

from __future__ import annotations

import re
from re import _constants as C
from re import _parser

_MIN_LEN = 3  # literals shorter than this occur almost everywhere: no guard
_SINGLE = {C.LITERAL}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}


def _seq(items) -> frozenset[str] | None:
    """The best set of literals one of which every match of the sequence `items` holds."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            options.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op in _SINGLE:
            run.append(chr(av))
            continue
        close()
        sub: frozenset[str] | None = None
        if op is C.SUBPATTERN:
            sub = None if av[1] & (re.IGNORECASE | re.LOCALE) else _seq(av[-1])
        elif op is C.BRANCH:
            branches = [_seq(b) for b in av[1]]
            sub = None if any(b is None for b in branches) else frozenset().union(*branches)
        elif op in _REPEATS and av[0] >= 1:
            sub = _seq(av[2])
        elif op is getattr(C, "ATOMIC_GROUP", None):
            sub = _seq(av)
        # lookarounds (zero width), classes, anchors, backreferences: nothing required
        if sub:
            options.append(sub)
    close()
    if not options:
        return None
    return max(options, key=lambda s: (min(map(len, s)), -len(s)))


def required_literals(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Literals one of which every match of `pattern` holds, or None (none long enough, or the
    pattern folds case, where a literal test would not be exact)."""
    if not isinstance(pattern.pattern, str) or pattern.flags & (re.IGNORECASE | re.LOCALE):
        return None
    found = _seq(_parser.parse(pattern.pattern, pattern.flags))
    if not found or min(map(len, found)) < _MIN_LEN:
        return None
    found = {lit for lit in found if not any(o != lit and o in lit for o in found)}  # قالت holds قال
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


class Guarded:
    """A compiled pattern behind its literal test; otherwise the pattern itself."""

    __slots__ = ("flags", "fullmatch", "groupindex", "literals", "match", "pattern", "pattern_obj", "possible")

    def __init__(self, pattern: re.Pattern, literals: tuple[str, ...]):
        self.pattern_obj, self.literals = pattern, literals
        self.possible = AnyOf(literals)  # (text, pos=0, endpos=None) -> whether a match may exist
        self.match, self.fullmatch = pattern.match, pattern.fullmatch
        self.pattern, self.flags, self.groupindex = pattern.pattern, pattern.flags, pattern.groupindex

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        if not self.possible(text, pos, endpos):
            return None
        return self.pattern_obj.search(text, pos) if endpos is None else self.pattern_obj.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        if not self.possible(text, pos, endpos):
            return iter(())
        return self.pattern_obj.finditer(text, pos) if endpos is None else self.pattern_obj.finditer(text, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int | None = None):
        if not self.possible(text, pos, endpos):
            return []
        return self.pattern_obj.findall(text, pos) if endpos is None else self.pattern_obj.findall(text, pos, endpos)

    def sub(self, *args, **kwargs):
        return self.pattern_obj.sub(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.pattern_obj, name)

    def __repr__(self) -> str:
        return f"guarded({self.pattern_obj!r}, {self.literals!r})"


_PLAIN_WORDS = re.compile(r"[^\\()\[\]{}.*+?^$]+")  # «w1|w2|...»: re scans it fast on its own


def guarded(pattern: re.Pattern) -> re.Pattern | Guarded:
    """`pattern` behind a test of its required literals, or `pattern` itself when it has none or
    is itself only a list of words (a test before it would just repeat its scan)."""
    if isinstance(pattern.pattern, str) and _PLAIN_WORDS.fullmatch(pattern.pattern):
        return pattern
    literals = required_literals(pattern)
    return Guarded(pattern, literals) if literals else pattern


def unguarded(pattern: re.Pattern | Guarded) -> re.Pattern:
    """The pattern itself, for a caller that runs its own, cheaper test first."""
    return pattern.pattern_obj if isinstance(pattern, Guarded) else pattern


class AnyOf:
    """Whether a text holds any of some words (plain substrings): what `search` of the regex
    «w1|w2|...» answers, when only its truth is wanted, several times faster (a substring test
    in C per word, words holding another word dropped)."""

    __slots__ = ("words",)

    def __init__(self, words):
        words = set(words)
        assert words and all(words), "no empty word: it would be in every text"
        self.words = tuple(sorted((w for w in words if not any(o != w and o in w for o in words)), key=len))

    @classmethod
    def of(cls, pattern: re.Pattern | Guarded) -> AnyOf:
        """The words of a pattern that is only a list of words (see _PLAIN_WORDS)."""
        text = pattern.pattern
        assert _PLAIN_WORDS.fullmatch(text) and not pattern.flags & re.IGNORECASE, text
        return cls(text.split("|"))

    def __call__(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        if pos > 0 or endpos is not None:
            text = text[max(pos, 0):len(text) if endpos is None else max(endpos, 0)]
        return any(map(text.__contains__, self.words))
