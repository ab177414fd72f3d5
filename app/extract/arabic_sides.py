"""Who takes part in a meeting: one side per party, sponsors apart, and the sides a sentence
only points at.

A side is an actor's group (its party, or the party the article puts a person in); a person
stands for the party and matches its names too. A meeting naming one side borrows the other from
the two sides a dual word stands for (الطرفين, الوفدين → the article's government and
opposition; الرجلين, الزعيمين → the two persons last named together), from the speaker of «قال X
إن ... لقاء مع Y», from the previous meeting of the sentence, or from the subject before.
«الدول الضامنة» are the sponsors the article lists (برعاية روسيا وتركيا وإيران), else one
collective side. Sponsors and mediators (برعاية, بوساطة, بضيافة) are not participants.
"""

from __future__ import annotations

from itertools import pairwise

from app.extract.arabic_text import (
    WORD,
    Actor,
    Doc,
    chain,
    party_ref,
    resolve_adjective,
    rx,
)
from app.extract.prefilter import AnyOf
from app.extract.types import Ref

_DUAL_SIDES = rx(r"(?<!\w)(?:ال)?(?:طرفين|طرفان|وفدين|وفدان|جانبين|جانبان|مجلسين|مجلسان)(?!\w)")
_DUAL_PERSONS = rx(r"(?<!\w)(?:ال)?(?:رجلين|رجلان|زعيمين|زعيمان|رئيسين|رئيسان)(?!\w)")
GUARANTORS = rx(r"(?<!\w)(?:[وبل]|لل)?(?:ال)?(?:دول|ثلاثي)\s+(?:الثلاث\s+)?(?:الضامنة|الراعية|الضامن)(?:\s+الثلاث)?(?!\w)")
_FACILITATOR_ANY = AnyOf.of(rx(r"رعاي|وساط|ضياف|دعوة من|استضاف|يرعا|ترعا|تيسر|ييسر|تسهيل|تيسير"))
_SPONSOR_HEAD = rx(r"(?<!\w)(?:برعاية|تحت رعاية|الدول الضامنة|الدول الراعية)\s+")
_FACILITATOR = rx(r"(?<!\w)(?:و)?(?:برعاية|تحت رعاية|بوساطة|بضيافة|بدعوة من|باستضافة|ترعاها|يرعاها|ترعاه|يرعاه|تيسرها|ييسرها|"
                  r"بتسهيل من|بتيسير من)\s+")  # «بتسهيل من تركيا»
_PRESENT = rx(r"(?<!\w)(?:بحضور|وبحضور|بمشاركة)(?!\w)")


def gkey(ref: Ref) -> str:
    """The side a participant stands for: its party (a person's party), else itself."""
    if ref.type == "person":
        return ref.party_key or "person:" + (ref.key or ref.names[0])
    return ref.key or "new:" + ref.names[0]


def groups(items: list[Actor | Ref]) -> list[Ref]:
    """One participant per side, in order. A side is an actor's group (its party, or the party
    the article puts a person in: «وفد الهيئة العليا برئاسة نصر الحريري»); it is reported by a
    person of that party (who matches the party's names too), else by the party itself."""
    out: dict[str, Ref] = {}
    for item in items:
        ref, k = (item.ref, item.group) if isinstance(item, Actor) else (item, gkey(item))
        if k not in out or _rank(ref, k) > _rank(out[k], k):
            out[k] = ref
    return list(out.values())


def _rank(ref: Ref, k: str) -> int:
    """Who best reports side k: a person of that party, then the party itself."""
    if ref.type == "person" and (ref.party_key == k or k.startswith(("person:", "new:"))):
        return 2
    return 1 if ref.type == "party" and ref.key == k else 0


def facilitators_of(doc: Doc, start: int, end: int) -> tuple[set[int], Ref | None]:
    """The actors named as sponsor/mediator/host (برعاية روسيا وتركيا, بوساطة مصرية), and the
    first of them."""
    ids: set[int] = set()
    refs = facilitators(doc, start, end, ids)
    return ids, refs[0] if refs else None


def facilitators(doc: Doc, start: int, end: int, ids: set[int] | None = None) -> list[Ref]:
    """Every sponsor, mediator or host named between `start` and `end`: the actors listed after
    برعاية / بوساطة / بضيافة ..., or the adjectives there (بوساطة قطرية إيرانية)."""
    if (start, end) not in doc.facilitators:  # asked again for every clause of the sentence
        actors: list[Actor] = []
        out: list[Ref] = []
        named = _FACILITATOR_ANY(doc.norm, start, end)  # one cheap scan first
        for m in _FACILITATOR.finditer(doc.norm, start, end) if named else ():
            listed = chain(doc, m.end(), end)
            actors += listed
            out += [a.ref for a in listed]
            if listed:
                continue
            for k, word in enumerate(WORD.finditer(doc.norm, m.end(), min(end, m.end() + 40))):
                w = word.group()
                entry = resolve_adjective(doc.gaz, w) or (  # «بوساطة تركية وقطرية»: the second after و
                    resolve_adjective(doc.gaz, w[1:]) if k and w.startswith("و") and len(w) > 3 else None)
                if not entry:
                    break
                out.append(party_ref(entry))
        doc.facilitators[(start, end)] = (actors, out)
    actors, out = doc.facilitators[(start, end)]
    if ids is not None:
        ids.update(id(a) for a in actors)
    return out


def sponsors(doc: Doc) -> list[Ref]:
    """The sponsors the article lists (برعاية روسيا وتركيا وإيران), for «الدول الضامنة»."""
    for m in _SPONSOR_HEAD.finditer(doc.norm):
        listed = chain(doc, m.end(), min(len(doc.norm), m.end() + 120))
        refs = groups(listed)
        if len(refs) >= 2:
            return refs
    return []


def expand_guarantors(doc, start, end, actors, sponsors) -> list[Actor | Ref]:
    """«الدول الضامنة» are the sponsors the article lists, else one collective side."""
    refs: list[Actor | Ref] = list(actors)
    for m in GUARANTORS.finditer(doc.norm, start, end):
        named = [a for a in actors if a.start < m.end() and m.start() < a.end]
        if sponsors:
            refs = [r for r in refs if all(r is not a for a in named)] + sponsors
        elif not named:
            refs.append(Ref("party", None, [doc.span(m.start(), m.end()).quote]))
    return refs


def borrow(doc, i, pos, found, region, speaker, in_sentence, kind) -> list[Ref]:
    """Complete a meeting that names one side (or none) from the context: the two sides a dual
    word stands for (الطرفين, الوفدين, الرجلين), the speaker of «قال X إن ... لقاء مع Y», the
    previous meeting of the sentence, or the subject of the sentence before."""
    have = {gkey(g) for g in found}
    extra: list[Ref] = []
    if _DUAL_PERSONS.search(region):
        extra = last_pair(doc, i, pos)
    elif _DUAL_SIDES.search(region):
        extra = principals(doc) or last_pair(doc, i, pos, persons=False)
    if len(groups(found + extra)) < 2 and kind != "plenary":
        if speaker:
            extra.append(speaker[0].ref)
        elif in_sentence:
            extra.append(in_sentence[-1].participants[0])
        elif (subject := doc.actors_in(doc.sents[i][0], pos)) \
                and gkey(subject[0].ref) not in have:
            extra.append(subject[0].ref)  # «أعلنت الوزارة ...، عقب محادثات ... بين ممثلين عن الوزارة»
        elif i > 0:
            prev = doc.actors_in(*doc.sents[i - 1])
            extra.extend([prev[0].ref] if prev else [])
    return groups(found + [r for r in extra if gkey(r) not in have])


def last_pair(doc: Doc, i: int, pos: int, persons: bool = True) -> list[Ref]:
    """The two sides named together («X ورئيس ... Y») that «الرجلين / الزعيمين / المجلسين»
    stands for: among the pairs of the three sentences before, the most talked about, then the
    latest."""
    start = doc.sents[max(0, i - 3)][0]
    named = [a for a in doc.actors_in(start, doc.sents[i][0]) if (a.ref.type == "person" or not persons)
             and not _attendee(doc, a)]
    counts: dict[str, int] = {}
    for a in doc.actors_in(0, doc.sents[i][0]):
        counts[a.group] = counts.get(a.group, 0) + 1
    best, best_score = None, -1
    for a, b in pairwise(named):
        gap = doc.norm[a.end:b.start + 1]  # with b's first letter: its و may be a proclitic
        if a.group != b.group and len(gap) < 60 and " و" in " " + gap and "." not in gap:
            score = counts.get(a.group, 0) + counts.get(b.group, 0)
            if score >= best_score:
                best, best_score = (a, b), score
    if best:
        return groups(list(best))
    return two_before(doc, i, doc.sents[i][0], persons=persons)


def _attendee(doc: Doc, a: Actor) -> bool:
    """Named after «بحضور» in its sentence: present, not one of the principals."""
    s, _ = doc.sents[doc.sentence_of(a.start)]
    return bool(_PRESENT.search(doc.norm, s, a.start))


def two_before(doc, i, pos, persons=False, exclude=None) -> list[Ref]:
    """The last two sides named before `pos` (this sentence, then the one before)."""
    start = doc.sents[i - 1][0] if i > 0 else doc.sents[i][0]
    refs = [a.ref for a in doc.actors_in(start, pos) if not persons or a.ref.type == "person"]
    out: list[Ref] = []
    for ref in reversed(refs):
        if gkey(ref) not in {gkey(r) for r in out} and (exclude is None or gkey(ref) != gkey(exclude)):
            out.insert(0, ref)
        if len(out) == 2:
            break
    return out


def principals(doc: Doc) -> list[Ref]:
    """The two negotiating sides of the article: its first government and opposition parties (the
    opposition's own state, when the article names no government of it)."""
    found: dict[str, Ref] = {}
    for a in doc.actors:
        role = a.role
        if a.ref.type == "person" and a.ref.party_key:
            entry = doc.gaz.get("party", a.ref.party_key)
            role = entry.data.get("role") if entry else None
        if role in ("government", "opposition") and role not in found:
            found[role] = a.ref
    if "opposition" in found and "government" not in found:  # «حركة إم 23» and the state it fights
        entry = doc.gaz.get("party", gkey(found["opposition"]))
        state = entry.data.get("country") if entry else None
        found.update({"government": a.ref for a in doc.actors if state and a.ref.key == state})
    return list(found.values()) if len(found) == 2 else []
