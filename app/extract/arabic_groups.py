"""Groups the gazetteer does not know, named after the noun that introduces them: «حركة رينامو
المعارضة», «جبهة X», «جماعة X». As a person is found after a title, a party is found after
«حركة/جماعة/جبهة/حزب/تنظيم» and a name that is no Arabic common word: not with the article,
not an adjective or a feminine noun (ـة), not a known name, and used again bare in the article
(«رينامو» alone), which a noun phrase such as «حركة نزوح» seldom is. Each later bare use of the
name is that party too. Found before the persons, so «زعيم حركة رينامو أوسوفو موماد» gives the
person after the group's name, not the two glued.
"""

from __future__ import annotations

import re

from app.extract.arabic_text import Actor, Doc, rx
from app.extract.normalize import fold_arabic
from app.extract.types import Ref

_INTRO = rx(r"(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:حركة|جماعة|جبهة|حزب|تنظيم|ميليشيا|ميليشيات)\s+(?P<name>[^\s،,.:;()«»\"]{4,})")
# the name's last letters if it were an Arabic adjective, feminine noun, plural or verbal noun
_COMMON_END = re.compile(r"(?:ه|ي|يه|ين|ون|ات|ان)$")
_FOLLOW_ROLE = rx(r"\s+(?:ال)?(?:معارضة|متمردة|مسلحة)(?!\w)")
# «تحالف الإخوة الثلاثة»: an alliance named by its definite words (not its role: «المتمرد»)
_ALLIANCE = rx(r"(?<!\w)(?:[وبل])?(?P<head>تحالف|ائتلاف)\s+(?P<name>ال[^\s،,.:;()«»\"]{2,}(?:\s+ال[^\s،,.:;()«»\"]{2,}){0,2})")
_ROLE_WORD = rx(r"^ال(?:متمرد|معارض|مسلح|حاكم|عسكري|حكومي)\w*$")


def find_new_groups(doc: Doc) -> None:
    norm = doc.norm
    taken = [(a.start, a.end) for a in doc.actors] + doc.named
    for m in _INTRO.finditer(norm):
        name, s, e = m.group("name"), m.start("name"), m.end("name")
        if name.startswith("ال") or _COMMON_END.search(name) or any(ts < e and s < te for ts, te in taken):
            continue
        bare = [b for b in re.finditer(rf"(?<!\w)(?:[وبل]|لل)?{re.escape(name)}(?!\w)", norm) if b.start() >= e]
        if not bare:
            continue  # named once, after its noun: perhaps a common noun («حركة نزوح»)
        start = m.start() + len(re.match(r"(?:[وبل]|لل)?", m.group()).group())
        full = doc.original(start, e).lstrip("وبل")
        ref = Ref("party", None, [full, doc.original(s, e)])
        role = "opposition" if _FOLLOW_ROLE.match(norm, e) else None
        group = "new:" + full
        spans = [(start, e)] + [(b.start() + len(b.group()) - len(name), b.end()) for b in bare]
        for a, b in spans:
            if not any(ts < b and a < te for ts, te in taken):
                doc.actors.append(Actor(a, b, ref, group, role=role))
                taken.append((a, b))
    _find_alliances(doc, taken)
    _bare_committees(doc, taken)
    _bare_heads(doc, taken)
    doc.actors.sort(key=lambda a: (a.start, -a.end))


_COMMITTEE = rx(r"(?<!\w)(?:[وبل]|لل)?(?:ال)?لجنة(?!\w)")
_BARE_COMMITTEE = rx(r"(?<!\w)(?<!في )(?:أعضاء\s+|وفد\s+)?(?:[وبل]|لل)?(?:ال|ل)لجنة(?!\w)(?!\s+ال)")  # not «ممثليه في اللجنة»


def _bare_committees(doc: Doc, taken: list[tuple[int, int]]) -> None:
    """«اللجنة» alone, after the article named a committee the gazetteer knows («اللجنة العسكرية
    المشتركة 5+5 ... وعقد أعضاء اللجنة اجتماعا»), is that committee (not «اللجنة الدستورية»:
    a qualified committee is its own name), and so are the first two words of its name."""
    committees = [a for a in doc.actors if a.ref.type == "party" and a.ref.key
                  and _COMMITTEE.match(doc.norm, a.start)]
    if not committees:
        return
    for m in _BARE_COMMITTEE.finditer(doc.norm, committees[0].end):
        last = [a for a in committees if a.end <= m.start()][-1]
        if not any(ts < m.end() and m.start() < te for ts, te in taken):
            doc.actors.append(Actor(m.start(), m.end(), last.ref, last.group, role=last.role))
            taken.append((m.start(), m.end()))
    # its first two words again («اللجنة المركزية في درعا البلد ... أعضاء اللجنة المركزية»)
    for c in {c.ref.key: c for c in committees}.values():
        words = re.match(r"(?:[وبل]|لل)?(\S+\s+\S+)", doc.norm[c.start:c.end])
        if not words or c.end - c.start <= len(words.group()):
            continue
        for m in re.finditer(rf"(?<!\w)(?:[وبل]|لل)?{re.escape(words.group(1))}(?!\w)", doc.norm[c.end:]):
            a, b = c.end + m.end() - len(words.group(1)), c.end + m.end()
            if not any(ts < b and a < te for ts, te in taken):
                doc.actors.append(Actor(a, b, c.ref, c.group, role=c.role))
                taken.append((a, b))


def _find_alliances(doc: Doc, taken: list[tuple[int, int]]) -> None:
    """«تحالف الإخوة الثلاثة» the gazetteer lacks, then «التحالف» bare: the same alliance, when
    no known record took the bare word (another war's coalition is left out by scope.rescope)."""
    norm = doc.norm
    for m in _ALLIANCE.finditer(norm):
        words = m.group("name").split()
        while words and _ROLE_WORD.match(words[-1]):
            words.pop()
        if not words:
            continue
        start, e = m.start("head"), m.start("name") + len(" ".join(words))
        if any(ts < e and start < te for ts, te in taken):
            continue
        head = m.group("head")
        bare = [b for b in re.finditer(rf"(?<!\w)(?:[وبل]|لل)?(?:ال|ل){head}(?!\w)", norm) if b.start() >= e]
        if not bare:
            continue
        full = doc.original(start, e)
        ref = Ref("party", None, [full, "ال" + head])
        spans = [(start, e)] + [(b.end() - len(head) - 2, b.end()) for b in bare]
        for a, b in spans:
            if not any(ts < b and a < te for ts, te in taken):
                doc.actors.append(Actor(a, b, ref, "new:" + full, role="opposition"))
                taken.append((a, b))


_HEADED = rx(r"(?:[وبل]|لل)?(?:ال)?(?P<head>حركة|جبهة|تحالف)(?!\w)")
_BARE_HEAD = rx(r"(?<!\w)(?:[وبل]|لل)?ال(?P<head>حركة|جبهة|تحالف)(?!\w)(?!\s+ال)")


def _bare_heads(doc: Doc, taken: list[tuple[int, int]]) -> None:
    """«الحركة», «الجبهة», «التحالف» alone, after the article named the one known movement, front
    or alliance (a party one of whose names starts so: «إم 23» is «حركة 23 مارس», so «المتحدث
    باسم الحركة» is M23's; «وفد الجبهة» after «الجبهة الشعبية لتحرير تيغراي»): that party. Not
    when it named two of a kind (حركة حماس and حركة فتح)."""
    named: dict[str, list] = {}
    heads_of = doc.gaz.derived.setdefault("heads_of", {})  # a party's heads, once per gazetteer
    for a in doc.actors:
        if a.ref.type != "party" or not a.ref.key:
            continue
        heads = heads_of.get(a.ref.key)
        if heads is None:
            heads = heads_of[a.ref.key] = {m.group("head") for m in map(_HEADED.match, map(fold_arabic, a.ref.names)) if m}
        for head in heads:
            if a.ref.key not in {b.ref.key for b in named.get(head, [])}:
                named.setdefault(head, []).append(a)
    for head, actors in named.items():
        if len(actors) != 1:
            continue
        first = actors[0]
        for m in _BARE_HEAD.finditer(doc.norm, first.end):
            s = m.start("head") - 2
            if m.group("head") == head and not any(ts < m.end() and s < te for ts, te in taken):
                doc.actors.append(Actor(s, m.end(), first.ref, first.group, role=first.role))
                taken.append((s, m.end()))
