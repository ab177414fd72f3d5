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
from app.extract.types import Ref

_INTRO = rx(r"(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:حركة|جماعة|جبهة|حزب|تنظيم|ميليشيا|ميليشيات)\s+(?P<name>[^\s،,.:;()«»\"]{4,})")
# the name's last letters if it were an Arabic adjective, feminine noun, plural or verbal noun
_COMMON_END = re.compile(r"(?:ه|ي|يه|ين|ون|ات|ان)$")
_FOLLOW_ROLE = rx(r"\s+(?:ال)?(?:معارضة|متمردة|مسلحة)(?!\w)")


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
    doc.actors.sort(key=lambda a: (a.start, -a.end))
