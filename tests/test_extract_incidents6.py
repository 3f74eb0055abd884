"""geo extract, incidents: general rules of round 6, on short sentences in our own words."""

import datetime as dt

from geo import extract


def _incidents(body, published=dt.date(2019, 6, 12)):
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", published, source_file="r.txt")
    return list(zip(incidents["pcode"], incidents["event_date"]))


def test_a_province_name_inside_a_district_name_is_the_district():
    """ "Khoja Ghor district" holds "Ghor", a province: the whole name is Takhar's Khwaja Ghar."""
    body = "Police in Takhar province repelled a Taliban attack on checkpoints in Khoja Ghor district on Tuesday."
    assert _incidents(body) == [("AF1809", "2019-06-11")]


def test_every_name_of_a_list_of_districts_is_a_district():
    """ "Qarghan and Qaramqul districts": the first name, in a reporter's spelling, is a district too."""
    body = "A council member of Faryab said the Taliban attacked Qarghan and Qaramqul districts on Tuesday night."
    assert sorted(_incidents(body)) == [("AF2911", "2019-06-11"), ("AF2912", "2019-06-11")]


def test_a_man_named_after_his_rank_is_no_place():
    """ "spokesman Col. Ahmad Mangal": Mangal is his name, not Paktia's Mangal district."""
    body = (
        "Taliban fighters stormed an army post in Badghis province on Tuesday. "
        "Army spokesman Col. Qasim Mangal confirmed the attack on Tuesday."
    )
    assert _incidents(body) == [("AF31", "2019-06-11")]


def test_by_and_a_day_is_no_place():
    body = "Taliban fighters attacked police posts in Badghis province on Monday. By Tuesday, the attack had been repelled."
    assert {pcode for pcode, _ in _incidents(body)} == {"AF31"}


def test_where_the_wounded_were_taken_is_no_place_of_events():
    """ "taken to hospital in Herat", "transferred to the city of Farah": where people went, not where it was."""
    body = (
        "A roadside bomb hit a bus in Bala Buluk district of Farah province on Tuesday, killing ten people. "
        "Officials said the wounded were taken to hospital in Herat while others were transferred to the city of Farah."
    )
    assert _incidents(body) == [("AF3306", "2019-06-11")]


def test_the_sentence_placing_the_incident_moves_it_within_its_province():
    """A convoy bombed on its way to the provincial capital: 'the incident occurred in' the district
    named next is where it was."""
    body = (
        "A car bomb hit the convoy of the governor of Logar on Tuesday morning, on its way to Pul-e-Alam, "
        "the capital of Logar province. "
        "A police spokesman said the incident occurred in a village of Mohammad Agha district of the province."
    )
    assert _incidents(body) == [("AF0505", "2019-06-11")]


def test_adding_that_tells_a_second_event():
    """ "..., the officials said, adding that a similar airstrike killed three in Khakrez": a second strike."""
    body = (
        "An airstrike killed four militants in Gizab district of Uruzgan on Tuesday, the officials said, "
        "adding that a similar airstrike killed three more militants in Khakrez district of Kandahar."
    )
    assert sorted(_incidents(body)) == [("AF2409", "2019-06-11"), ("AF2707", "2019-06-11")]


def test_a_siege_is_a_state_not_an_event():
    """A siege, and an attack told only as its aside, make no incident."""
    assert _incidents("Taliban fighters have blocked every road to Azra district of Logar, besieging its people.") == []
    body = (
        "Bala Murghab district of Badghis, which came under attack by the Taliban last week, "
        "is still under siege, officials said on Tuesday."
    )
    assert _incidents(body) == []
    # A siege told with a dated attack is still that attack.
    body = "The Taliban besieged Azra district of Logar and attacked its police headquarters on Tuesday."
    assert _incidents(body) == [("AF0507", "2019-06-11")]


def test_a_place_threatened_is_not_taken():
    body = (
        "Taliban militants overran Arghanj Khwah district of Badakhshan on Tuesday, "
        "posing threats to the provincial capital Faizabad city."
    )
    assert _incidents(body) == [("AF1703", "2019-06-11")]


def test_a_district_named_with_wa_is_one_name():
    """ "Kuran wa Munjan": the small 'wa' joins one district's name."""
    body = "The centre of Kuran wa Munjan in Badakhshan fell to the Taliban on Tuesday, officials said."
    assert _incidents(body) == [("AF1726", "2019-06-11")]


def test_an_area_of_another_district_is_no_district():
    """ "in Namak Ab area of Shinwari district": Namak Ab (also a district of Takhar) is a part of Shinwari."""
    body = (
        "Taliban militants kidnapped eight election workers in Namak Ab area of Shinwari district of Parwan on Tuesday."
    )
    assert _incidents(body) == [("AF0303", "2019-06-11")]


def test_fighting_reported_with_no_day_is_no_event():
    assert _incidents("Heavy fighting has been reported in Khwaja Ghar district of Takhar, officials said.") == []
    # With its day, it is an event.
    body = "Heavy fighting was reported in Khwaja Ghar district of Takhar on Tuesday, officials said."
    assert _incidents(body) == [("AF1809", "2019-06-11")]


def test_a_reporters_spelling_after_in_is_read_in_the_province_of_the_sentence():
    """ "in Chahar Darreh" (Chahar Dara) with Kunduz named: the near-spelling rule reads it, though
    the text does not call it a district; a village named as such is left alone."""
    body = "The Taliban attacked a police post of Kunduz province in Chahar Darreh on Tuesday."
    assert _incidents(body) == [("AF1902", "2019-06-11")]
    body = "The Taliban attacked a police post of Kunduz province in Chahar Darreh village on Tuesday."
    assert _incidents(body) == [("AF19", "2019-06-11")]


def test_the_provinces_capital_city_places_the_event_in_the_capital():
    body = (
        "The Taliban stormed a police checkpoint in northern Sari Pul province, a provincial official said. "
        "He said five others were wounded in Tuesday's attack on the outskirts of the province's capital city."
    )
    assert _incidents(body) == [("AF2201", "2019-06-11")]


def _bulletin_incidents(body):
    text = f"Latest updates, 11 June 2019\n\n1. Takhar:\n{body}\n\n2. Kabul:\nThe election was postponed again.\n"
    return _incidents(text.split("\n\n", 1)[1])


def test_a_bulletins_numbered_section_names_its_province():
    """ "1. Takhar:" heads a bulletin's section: a province to read the lines in, not a dateline."""
    assert _bulletin_incidents("Police post fall in Deh Bala region, Namak Ab district by Taliban on Tuesday.") == [
        ("AF1806", "2019-06-11")
    ]
    # 'Khoja Ghor' is read in Takhar only because the section names it.
    assert _bulletin_incidents("Taliban attacked two police posts in Khoja Ghor on Tuesday.") == [
        ("AF1809", "2019-06-11")
    ]


def test_the_next_paragraph_referring_back_places_an_unplaced_lead():
    """A lead with no place, then a paragraph opening 'The strikes were carried out in Ghazni province'."""
    text = (
        "Headline\n\nTwenty militants have been killed in airstrikes in the southeast of the country, officials said.\n\n"
        "The strikes were carried out in Ghazni province late Monday, the ministry said.\n"
    )
    incidents, _ = extract.extract_text(text, dt.date(2019, 6, 12), source_file="r.txt")
    assert list(zip(incidents["pcode"], incidents["event_date"], incidents["sub_event_type"])) == [
        ("AF11", "2019-06-10", "Air/drone strike")
    ]


def test_where_a_district_lies_is_no_second_place():
    """ "in Qara Bagh district, northern Kabul city": one event, in Qara Bagh."""
    body = "A police officer was shot dead by Taliban fighters in Qara Bagh district, northern Kabul city on Tuesday night."
    assert _incidents(body) == [("AF0114", "2019-06-11")]


def test_a_fall_only_claimed_or_denied_with_no_day_is_no_event():
    assert _incidents("An Afghan official denied that Khwaja Ghar district of Takhar fell to the Taliban.") == []
    body = "The Taliban have also claimed to have taken control of areas in Aybak district of Samangan."
    assert _incidents(body) == []
    # Told with its day, the claimed seizure is still proposed.
    body = "The Taliban claimed to have captured Aybak district of Samangan on Tuesday."
    assert _incidents(body) == [("AF2001", "2019-06-11")]


def test_a_district_cleared_from_the_taliban_is_retaken():
    body = "Afghan forces have cleared Jaghatu district in Ghazni province from Taliban, the ministry said on Tuesday."
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 6, 12), source_file="r.txt")
    assert list(zip(incidents["pcode"], incidents["sub_event_type"])) == [("AF1106", "Government regains territory")]


def test_fighting_named_only_as_what_came_before_is_no_event():
    body = "Fifty border police returned home through Torghundi port in Herat on Tuesday following heavy battles."
    assert _incidents(body) == []
    # A retreat after the clashes is the district's fall, and the clashes its event.
    body = "Security forces retreated from Arghanj Khwah district of Badakhshan on Tuesday following fierce clashes."
    assert [pcode for pcode, _ in _incidents(body)] == ["AF1703"]


def test_the_beginning_of_a_month_is_no_days_event():
    """ "At the beginning of May, the Taliban overran Qush Tepa": a month's date, background to the
    report (its claim is told as of the report's day)."""
    body = "At the beginning of May, Taliban militants overran Qush Tepa district in Jawzjan province."
    incidents, found = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 6, 12), source_file="r.txt")
    assert incidents.empty
    assert list(zip(found["pcode"], found["status"], found["date"])) == [("AF2805", "taliban", "2019-06-12")]


def test_forces_that_capture_a_district_retake_it():
    """Government forces as the subject of 'captured': a retaking, though the sentence recalls the loss."""
    body = (
        "Afghan security forces in the ongoing operations in Badakhshan province today captured Yamgan district, "
        "four years after it was lost to the Taliban, officials said."
    )
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 6, 12), source_file="r.txt")
    assert list(zip(incidents["pcode"], incidents["sub_event_type"])) == [("AF1718", "Government regains territory")]


def test_a_long_body_line_without_its_full_stop_is_read():
    text = (
        "Blast toll in Kunduz rises to two\n\n"
        "The number of people who died in a Tuesday explosion at a polling place in the northern city of Kunduz "
        "has risen to two, the health department told reporters\n\n"
        "The department added that 35 more people had been injured.\n"
    )
    incidents, _ = extract.extract_text(text, dt.date(2019, 6, 12), source_file="r.txt")
    assert list(zip(incidents["pcode"], incidents["event_date"])) == [("AF1901", "2019-06-11")]


def test_people_captured_make_a_clash_not_a_fall():
    """ "... killing 11, and resulting in one being captured by the Taliban": a clash told by province."""
    body = (
        "The insurgents attacked several checkpoints in the northern province of Sar-e-Pul on Tuesday, "
        "killing 11 police, wounding 19 and resulting in one being captured by the Taliban."
    )
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 6, 12), source_file="r.txt")
    assert list(zip(incidents["pcode"], incidents["sub_event_type"])) == [("AF22", "Armed clash")]
