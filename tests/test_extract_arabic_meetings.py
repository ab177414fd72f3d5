"""Arabic meeting rules added after the holdout articles (split from test_extract_arabic.py,
which is near its size limit): who is at a summit, and when a session is only a meeting."""

from __future__ import annotations

from app.extract.gazetteer import Gazetteer
from test_extract_arabic import PUBLISHED, _party, _person, keys, run

GAZ = Gazetteer.from_records([
    _party("land-a", "Aland", "آلاند", ["الآلاندي", "الآلاندية"], "host"),
    _party("land-b", "Beland", "بيلاند", ["البيلاندي", "البيلاندية"], "government"),
    _party("land-c", "Celand", "سيلاند", ["السيلاندي"], "government"),
    _party("land-d", "Deland", "ديلاند", ["الديلاندي", "ديلانديين", "الديلانديين"], "mediator"),
    _party("bloc", "Eastern Bloc", "مجموعة الشرق", [], "mediator"),
    _party("front", "Front", "الجبهة", ["وفد الجبهة"], "opposition"),
    _person("a-boss", "Ali Aland", "علي آلاند", "land-a", []),
    _person("b-boss", "Bob Beland", "بوب بيلاند", "land-b", []),
    _person("k-boss", "Karl Keland", "كارل كيلاند", "land-d", []),
])


def test_who_is_at_a_summit():
    text = ("عقدت أمس قمة مصغرة برعاية الرئيس الآلاندي علي آلاند، شارك فيها الرئيس البيلاندي بوب بيلاند، "
            "فيما مثّل سيلاند وزير خارجيتها، وبحضور الرئيس الديلاندي السابق كارل كيلاند بصفته ميسرا لمجموعة الشرق.")
    (summit,) = run(text, GAZ).meetings
    assert {keys(p) for p in summit.participants} == {"land-a", "land-b", "land-c", "bloc"}
    assert summit.facilitator and keys(summit.facilitator) == "land-a"


def test_a_session_with_someone_is_a_meeting():
    text = "وعقد وفد الجبهة أمس جلسة مغلقة مع الرئيس البيلاندي بوب بيلاند، بحضور مسؤولين ديلانديين."
    (m,) = run(text, GAZ).meetings
    assert (m.kind, m.closed) == ("meeting", True)
    assert {keys(p) for p in m.participants} == {"front", "land-b", "land-d"}


def test_a_name_that_starts_like_a_future_verb_does_not_move_a_weekday_forward():
    # «سيرغي», «سامح», «ساندو» begin like «سيعقد»: only a future verb makes a bare weekday the next one
    text = "وكان الرئيس الآلاندي سيرغي آلاند قد التقى الرئيس البيلاندي بوب بيلاند يوم الثلاثاء في العاصمة."
    (m,) = run(text, GAZ).meetings
    assert m.status == "held" and m.date is not None and m.date < PUBLISHED
    text = "وسيلتقي الرئيس الآلاندي علي آلاند الرئيس البيلاندي بوب بيلاند يوم الثلاثاء في العاصمة."
    (m,) = run(text, GAZ).meetings
    assert m.status == "scheduled" and m.date is not None and m.date > PUBLISHED


def test_her_counterpart_is_of_the_country_named_after_it():
    text = "وبحثت وزيرة الخارجية الآلاندية سارة فولمر هاتفيا مع نظيرتها البيلاندية نورا هيلم أمس تطورات المفاوضات."
    (m,) = run(text, GAZ).meetings
    assert m.kind == "phone_call"
    assert {keys(p) for p in m.participants} == {"land-a", "land-b"}
