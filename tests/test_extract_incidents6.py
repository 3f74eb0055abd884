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
