"""Rules added after the blind holdout10 articles (tests/data/holdout10: the Western Sahara envoy's
tour, the India-Pakistan hotline call, the third Ethiopia-Somalia round in Ankara, Chad's Doha deal,
the Kyrgyz-Tajik border ceasefire): short invented sentences, one rule each, on a small invented
gazetteer."""

from __future__ import annotations

import datetime as dt

from test_extract_arabic import _party, _person, _place, keys, run

from app.extract.gazetteer import Gazetteer
from app.extract.pipeline import extract

GAZ = Gazetteer.from_records([
    _party("land-a", "Aland", "آلاند", ["Alandian", "الآلاندي", "الآلاندية", "آلانديين"], "government", party_kind="state"),
    _party("land-b", "Beland", "بيلاند", ["Belandian", "البيلاندي", "البيلاندية", "بيلانديين"], "other", party_kind="state"),
    _party("land-c", "Celand", "سيلاند", ["Celandian", "السيلاندي", "السيلاندية"], "mediator", party_kind="state"),
    _party("movement", "Star Movement", "حركة النجمة", ["Star rebels"], "opposition", party_kind="armed_group",
           country="land-b"),
    _person("a-chief", "Ali Aland", "علي آلاند", "land-a", ["Aland"]),
    _person("b-chief", "Bob Beland", "بوب بيلاند", "land-b", ["Beland"]),
    _person("c-chief", "Carl Celand", "كارل سيلاند", "land-c", []),
    _place("valdora", "Valdora", "فالدورا", [], country="land-a"),
    _place("kostel", "Kostel", "كوستيل", ["Kostel region"], country="land-b"),
])
PUBLISHED = dt.date(2025, 9, 3)  # a Wednesday


def en(text):
    return extract(text, gazetteer=GAZ, published=PUBLISHED, language="en")


def zones(result):
    return sorted((z.names[0], z.status) for z in result.zones)


# --- zones named by a border -------------------------------------------------------------------
def test_an_english_truce_along_a_border_is_named_by_the_border():
    # "along their disputed border", "along the Aland-Beland border": the frontier is the zone
    assert zones(en("Aland and Beland agreed to a ceasefire along their disputed border on Monday.")) == \
        [("disputed border", "agreed")]
    found = en("The Star rebels have asked for a buffer zone along the Aland-Beland border.").zones
    assert [(z.names[:2], z.status) for z in found] == [(["Aland-Beland border", "Beland-Aland border"], "requested")]


def test_an_arabic_truce_on_the_border_between_the_two_countries_is_named_by_it():
    # «على الحدود بين البلدين», «على طول الحدود المشتركة»
    found = run("واتفق الجانبان على مراقبة وقف إطلاق النار على الحدود بين البلدين.", GAZ, PUBLISHED).zones
    assert [(z.names[0], z.status) for z in found] == [("الحدود بين البلدين", "in_force")]
    found = run("وقالت آلاند إن الهدنة صامدة على طول الحدود المشتركة منذ أسبوع.", GAZ, PUBLISHED).zones
    assert [(z.names[0], z.status) for z in found] == [("الحدود المشتركة", "in_force")]


def test_a_typed_zone_along_the_border_keeps_its_own_words_first():
    found = run("واتفق الجانبان على تفعيل المنطقة الآمنة المنزوعة السلاح على طول الحدود بين البلدين.", GAZ, PUBLISHED).zones
    assert found[0].names[:2] == ["المنطقة الآمنة المنزوعة السلاح", "الحدود بين البلدين"]


def test_a_truce_along_a_known_line_in_arabic():
    # «على طول X» joins the truce to a place as «في X» does
    found = run("واتفق الجانبان على مواصلة الالتزام بوقف إطلاق النار على طول كوستيل.", GAZ, PUBLISHED).zones
    assert [(z.names[0], z.status) for z in found] == [("Kostel", "in_force")]


# --- English zone status and place -------------------------------------------------------------
def test_a_participle_in_commas_does_not_give_the_status():
    # "The truce, agreed on Friday, has largely held": in force, not merely agreed
    assert zones(en("The truce, agreed on Friday, has largely held around Kostel since Sunday.")) == [("Kostel", "in_force")]


def test_a_village_of_a_name_is_the_zone_before_the_region_after_it():
    text = "Aland accused Beland of violating the ceasefire around the village of Mirovo in Kostel region overnight."
    assert zones(en(text)) == [("Mirovo", "violated")]


def test_an_accord_that_commits_to_a_ceasefire_agrees_it():
    assert zones(en("The accord commits the signatories to a ceasefire in Kostel.")) == [("Kostel", "agreed")]


# --- Arabic persons and meetings ---------------------------------------------------------------
def sides_of(result):
    return sorted((m.kind, m.status, tuple(sorted(keys(p) for p in m.participants))) for m in result.meetings)


def test_the_object_of_a_call_ends_an_unknown_name():
    # «أجرى الفريق X Y اتصالا هاتفيا»: اتصالا is the call, not the name's third word
    found = run("أجرى قائد الجيش الآلاندي الفريق راديم كوفار اتصالا هاتفيا مع نظيره البيلاندي أمس.", GAZ, PUBLISHED)
    assert [p.ref.names[0] for p in found.persons if not p.ref.key] == ["راديم كوفار"]
    assert sides_of(found) == [("phone_call", "held", ("land-a", "land-b"))]


def test_the_dateline_and_a_country_named_by_a_compass_point_are_no_sides():
    # «فالدورا -»: the dateline; «جنوب غربي بيلاند»: where the camp lies
    text = "فالدورا - التقى علي آلاند أمس الثلاثاء في مخيم قرب الحدود جنوب غربي بيلاند كارل سيلاند."
    assert sides_of(run(text, GAZ, PUBLISHED)) == [("meeting", "held", ("land-a", "land-c"))]


def test_a_delegation_from_a_place_is_a_side():
    # «بوفد من X»: X (a breakaway region, both a place and a party) sends the delegation; «من X»
    # alone would be where someone comes from
    gaz = Gazetteer.from_records([
        _party("land-a", "Aland", "آلاند", ["آلانديين"], "government", party_kind="state"),
        _party("norland", "Norland", "نورلاند", [], "other"),
        _place("norland-place", "Norland", "نورلاند", [], country="land-a"),
    ])
    text = "ونفت الخارجية الآلاندية تقارير عن لقاء جمع مسؤولين آلانديين بوفد من نورلاند."
    assert sides_of(run(text, gaz, PUBLISHED)) == [("meeting", "denied", ("land-a", "norland"))]


def test_officials_of_a_named_nationality_are_no_vague_counterpart():
    # «بمسؤولين بيلانديين» says whose officials, unlike «بمسؤولين» alone
    text = "ونفى علي آلاند ما أوردته صحف عن لقاء جمعه بمسؤولين بيلانديين في فالدورا الشهر الماضي."
    assert sides_of(run(text, GAZ, PUBLISHED)) == [("meeting", "denied", ("land-a", "land-b"))]
    assert sides_of(run("والتقى علي آلاند بمسؤولين في فالدورا.", GAZ, PUBLISHED)) == []


def test_talks_one_is_ready_to_hold_are_no_meeting():
    text = "وأكد علي آلاند استعداد بلاده لإجراء محادثات شاملة مع بيلاند في مكان محايد."
    assert sides_of(run(text, GAZ, PUBLISHED)) == []


def test_a_side_of_an_earlier_event_after_since_is_no_participant():
    # «منذ توقيع مذكرة التفاهم مع Y»: Y signed before, it is not at the visit
    text = "ومن المقرر أن يزور علي آلاند فالدورا للقاء بوب بيلاند، في أول زيارة له منذ توقيع مذكرة التفاهم مع سيلاند."
    assert sides_of(run(text, GAZ, PUBLISHED)) == [("meeting", "scheduled", ("land-a", "land-b"))]
    # but «أول لقاء منذ عشر سنوات بين X وY» names its sides after it
    text = "واستضافت فالدورا أمس أول لقاء منذ نحو عشر سنوات بين رئيسي آلاند وبيلاند."
    assert sides_of(run(text, GAZ, PUBLISHED)) == [("meeting", "held", ("land-a", "land-b"))]


# --- English meetings --------------------------------------------------------------------------
def en_sides(result):
    return sorted((m.kind, m.status, str(m.date), tuple(sorted(keys(p) for p in m.participants))) for m in result.meetings)


def test_a_call_with_two_leaders_is_a_call_with_each():
    found = en("Celandian President Carl Celand spoke by phone with Ali Aland and Bob Beland on Sunday, his office said.")
    assert en_sides(found) == [("phone_call", "held", "2025-08-31", ("land-a", "land-c")),
                               ("phone_call", "held", "2025-08-31", ("land-b", "land-c"))]
    # a three-way call is one call
    found = en("Carl Celand held a three-way phone call with Ali Aland and Bob Beland on Sunday.")
    assert len(found.meetings) == 1 and len(found.meetings[0].participants) == 3


def test_the_eve_of_a_signing_dates_a_meeting_it_is_not_one():
    found = en("Ali Aland met Carl Celand in Valdora on Sunday, the eve of the signing, officials said.")
    assert en_sides(found) == [("meeting", "held", "2025-08-31", ("land-a", "land-c"))]


def test_two_sides_signing_on_the_day_they_met_is_that_meeting():
    text = ("The security chiefs of Aland and Beland signed a protocol on Monday to pull back troops. "
            "Ali Aland and his Belandian counterpart Bob Beland met at a checkpoint on Monday and agreed to set up posts.")
    assert en_sides(en(text)) == [("meeting", "held", "2025-09-01", ("land-a", "land-b"))]


def test_a_host_who_brings_together_those_he_met_one_by_one_holds_a_third_meeting():
    text = ("وعقد كارل سيلاند لقاءين منفصلين مع علي آلاند وبوب بيلاند في فالدورا أمس، "
            "قبل أن يجمعهما في اجتماع ثلاثي مغلق استمر حتى الليل.")
    found = run(text, GAZ, PUBLISHED).meetings
    assert sorted(tuple(sorted(keys(p) for p in m.participants)) for m in found) == [
        ("land-a", "land-b", "land-c"), ("land-a", "land-c"), ("land-b", "land-c")]
    three = next(m for m in found if len(m.participants) == 3)
    assert three.closed is True and keys(three.facilitator) == "land-c"


def test_a_round_hosted_yesterday_starts_then():
    # «جولة ثالثة من المحادثات استضافها X في فالدورا أمس الأربعاء»: «استضافها» dates the round
    gaz = Gazetteer.from_records([
        _party("land-a", "Aland", "آلاند", [], "government", party_kind="state"),
        _party("land-b", "Beland", "بيلاند", [], "other", party_kind="state"),
        _place("valdora", "Valdora", "فالدورا", [], country="land-a"),
        {"kind": "process", "key": "valdora-talks", "name_en": "Valdora talks", "name_ar": "محادثات فالدورا", "aliases": []},
    ])
    text = ("فالدورا - اتفقت آلاند وبيلاند على طي الخلاف بينهما بشأن المياه والحدود والتجارة، في ختام جولة ثالثة من "
            "محادثات فالدورا استضافها رئيس آلاند في العاصمة فالدورا أمس الثلاثاء.")
    rounds = run(text, gaz, PUBLISHED).rounds
    assert [(r.number, str(r.start)) for r in rounds] == [(3, "2025-09-02")]


def test_a_closed_meeting_in_english_is_closed():
    found = en("Carl Celand then held a closed meeting with Ali Aland and Bob Beland on Tuesday.")
    assert found.meetings and all(m.closed is True for m in found.meetings)


def test_talks_the_two_sides_of_the_lead_are_due_to_hold_are_a_round_of_their_talks():
    # "the two sides" are the pair the lead names; the town of Valdora is where; "due to hold" dates it
    gaz = Gazetteer.from_records([
        _party("land-a", "Aland", "آلاند", [], "government", party_kind="state"),
        _party("land-b", "Beland", "بيلاند", [], "other", party_kind="state"),
        _place("valdora", "Valdora", "فالدورا", [], country="land-a"),
        {"kind": "process", "key": "ab-talks", "name_en": "Aland-Beland talks", "name_ar": "محادثات آلاند وبيلاند",
         "aliases": []},
    ])
    text = ("Aland and Beland agreed on Monday to pull back troops from their border. "
            "The two sides are due to hold talks on water sharing in the Alandian town of Valdora on Sept. 26, officials said.")
    rounds = extract(text, gazetteer=gaz, published=PUBLISHED, language="en").rounds
    assert [(r.process_key, r.location_key, str(r.start)) for r in rounds] == [("ab-talks", "valdora", "2025-09-26")]


def test_a_mediation_by_two_adjectives_names_both_mediators():
    # «بوساطة تركية وقطرية»: the second adjective, after و, names a party too
    gaz = Gazetteer.from_records([
        _party("land-a", "Aland", "آلاند", [], "government", party_kind="state"),
        _party("land-b", "Beland", "بيلاند", [], "other", party_kind="state"),
        _party("land-c", "Celand", "سيلاند", [], "other", party_kind="state"),
        _party("land-d", "Deland", "ديلاند", [], "other", party_kind="state"),
    ])
    text = "انطلقت أمس جولة محادثات بين آلاند وبيلاند، بوساطة سيلاندية وديلاندية."
    assert {p.ref.key for p in run(text, gaz, PUBLISHED).parties} == {"land-a", "land-b", "land-c", "land-d"}


def test_a_relative_clause_on_the_subject_does_not_hide_the_one_met():
    # «والتقى X، الذي وصل إلى Y أمس، نظيره Z»: Z is met; the relative clause is about X
    text = "والتقى الرئيس الآلاندي علي آلاند، الذي وصل إلى فالدورا مساء الاثنين، نظيره البيلاندي بوب بيلاند، وبحث معه سبل دعم المفاوضات."
    assert sides_of(run(text, GAZ, PUBLISHED)) == [("meeting", "held", ("land-a", "land-b"))]


def test_an_army_spokesman_speaks_for_the_army_the_article_names():
    gaz = Gazetteer.from_records([
        _party("land-a", "Aland", "آلاند", ["Alandian"], "government", party_kind="state"),
        _party("a-army", "Aland Armed Forces", "القوات المسلحة الآلاندية", ["Alandian army"], "government",
               party_kind="armed_group", country="land-a"),
        _party("star", "Star Movement", "حركة النجمة", ["Star rebels"], "opposition", party_kind="armed_group"),
    ])
    text = ("Talks opened on Friday without the Alandian army, whose leaders refused to attend. "
            "An army spokesman, Olaf Tarkin, denied reports that army officers had met Star rebels in Valdora.")
    found = extract(text, gazetteer=gaz, published=PUBLISHED, language="en")
    assert [(p.ref.names[0], p.ref.party_key) for p in found.persons] == [("Olaf Tarkin", "a-army")]


def test_a_country_named_as_the_issue_is_no_side():
    # «تطورات قضية بيلاند»: Beland is what is discussed
    text = "وأجرت آلاند اتصالا هاتفيا مع سيلاند، تناول تطورات قضية بيلاند."
    found = run(text, GAZ, PUBLISHED)
    assert {p.ref.key for p in found.parties} == {"land-a", "land-c"}


def test_a_plural_adjective_after_named_regions_is_no_group():
    # «إقليمي X وY الانفصاليين»: "separatist" agrees with the regions; «الانفصاليين» alone is the group
    gaz = Gazetteer.from_records([
        _party("land-a", "Aland", "آلاند", [], "government", party_kind="state"),
        _party("separatists", "Separatists", "الانفصاليون", ["الانفصاليين"], "opposition", party_kind="armed_group"),
        _place("norland", "Norland", "نورلاند", [], country="land-a"),
        _place("sudland", "Sudland", "سودلاند", [], country="land-a"),
    ])
    text = "وشاركت في الجولة وفود آلاند، إلى جانب ممثلين عن إقليمي نورلاند وسودلاند الانفصاليين."
    assert "separatists" not in {p.ref.key for p in run(text, gaz, PUBLISHED).parties}
    text = "وشاركت في الجولة وفود آلاند والانفصاليين."
    assert "separatists" in {p.ref.key for p in run(text, gaz, PUBLISHED).parties}


def test_talks_after_which_the_lead_agrees_ended_that_day():
    # "X and Y agreed on Tuesday ... after two days of talks": the round ran Monday to Tuesday;
    # a dateline naming the talks ("VALDORA talks") counts when the lead tells talks held
    gaz = Gazetteer.from_records([
        _party("land-a", "Aland", "آلاند", [], "government", party_kind="state"),
        _party("land-b", "Beland", "بيلاند", [], "other", party_kind="state"),
        _place("valdora", "Valdora", "فالدورا", [], country="land-a"),
        {"kind": "process", "key": "ab-talks", "name_en": "Aland-Beland talks", "name_ar": "محادثات آلاند وبيلاند",
         "aliases": ["Valdora talks"]},
    ])
    text = "Aland and Beland agreed on Tuesday to reopen their border after two days of informal talks in Celand."
    rounds = extract(text, gazetteer=gaz, published=PUBLISHED, language="en").rounds
    assert [(r.process_key, str(r.start), str(r.end)) for r in rounds] == [("ab-talks", "2025-09-01", "2025-09-02")]
    text = "VALDORA, Sept 2 (Reuters) - Aland and Celand agreed on Tuesday to a ceasefire after talks in the capital."
    rounds = extract(text, gazetteer=gaz, published=PUBLISHED, language="en").rounds
    assert [(r.process_key, str(r.start)) for r in rounds] == [("ab-talks", "2025-09-02")]


def test_many_rebel_groups_are_a_collective_not_the_one_group_named():
    # "more than 40 rebel groups" signed; the Star rebels named later are one group, not all of them
    gaz = Gazetteer.from_records([
        _party("land-a", "Aland", "آلاند", ["Alandian government"], "government", party_kind="state"),
        _party("star", "Star Movement", "حركة النجمة", ["Star rebels"], "opposition", party_kind="armed_group",
               country="land-a"),
        _party("generic-opposition", "Opposition", "المعارضة", ["rebel groups", "rebels"], "opposition",
               party_kind="opposition", country="land-x"),
        _party("land-c", "Celand", "سيلاند", ["Celandian"], "mediator", party_kind="state"),
    ])
    text = ("Aland's government and more than 40 rebel groups signed a peace agreement in Valdora on Monday. "
            "The Star Movement refused to sign. Celandian Foreign Minister Carl Celand attended the ceremony on Monday.")
    found = extract(text, gazetteer=gaz, published=PUBLISHED, language="en")
    assert "rebel groups" in {p.ref.names[0] for p in found.parties}
    signing = [m for m in found.meetings if m.kind == "plenary"]
    assert len(signing) == 1
    assert {keys(p) or p.names[0] for p in signing[0].participants} == {"land-a", "rebel groups", "land-c"}


def test_talks_facilitated_by_a_country_name_it_facilitator():
    # «بتسهيل من X», «بتيسير من X»: X facilitates, as «بوساطة X» does
    text = "والتقى علي آلاند أمس في فالدورا بوب بيلاند، بتسهيل من سيلاند."
    found = run(text, GAZ, PUBLISHED).meetings
    assert [(keys(m.facilitator), tuple(sorted(keys(p) for p in m.participants))) for m in found] == \
        [("land-c", ("land-a", "land-b"))]
