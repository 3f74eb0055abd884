"""Control claims read by `geo extract` (issue 11, item 3): the phrasing families of news reports,
each checked on short sentences written for these tests."""

import datetime as dt

import pytest

from geo import extract
from geo.extract import claims

PUBLISHED = dt.date(2019, 9, 10)  # a Tuesday


def _claims_of(body, published=PUBLISHED):
    _, found = extract.extract_text(f"Headline of the report\n\n{body}\n", published, source_file="r.txt")
    return set(zip(found["district"], found["status"], found["date"], found["claimant"]))


def test_a_denied_fall_with_fighting_going_on_is_contested_in_each_district():
    body = (
        "The defence ministry on Tuesday turned down reports about the collapse of Khwaja Ghar and Darqad "
        "districts of Takhar province. The ministry said clashes were going on between the forces and the "
        "Taliban in these two districts."
    )
    assert _claims_of(body) == {
        ("Khwaja Ghar", "contested", "2019-09-10", "Afghan government"),
        ("Darqad", "contested", "2019-09-10", "Afghan government"),
    }


def test_a_denied_fall_alone_stays_the_government_claim():
    body = "The defence ministry on Tuesday rejected reports about the fall of Darqad district in Takhar province."
    assert _claims_of(body) == {("Darqad", "government", "2019-09-10", "Afghan government")}


def test_the_whole_district_held_by_the_insurgents_told_by_a_council_member():
    body = (
        "Clashes broke out in Darqad district of Takhar province on Monday. A member of the provincial "
        "council said just two villages remained out of Taliban control and the insurgents now hold the entire district."
    )
    assert ("Darqad", "taliban", "2019-09-10", "provincial council member") in _claims_of(body)


@pytest.mark.parametrize(
    "history",
    [
        "The district first fell to the Taliban a few years ago, but later government forces retook it.",
        "The Taliban captured the district for a few days in 2015 before Afghan forces drove them out.",
        "The district had been in Taliban hands for four years.",
    ],
)
def test_history_is_no_claim(history):
    body = f"Qaysar is a large district in Faryab province. {history}"
    assert _claims_of(body) == set()


def test_a_relative_clause_tells_about_its_own_district():
    body = (
        "Fighting continues in Khwaja Ghar district of Takhar, which borders Darqad district that fell to the "
        "Taliban last week."
    )
    assert _claims_of(body) == {
        ("Khwaja Ghar", "contested", "2019-09-10", "r.txt"),
        ("Darqad", "taliban", "2019-09-10", "r.txt"),
    }


def test_a_fall_in_a_relative_clause_and_a_retaking_in_the_main_one():
    body = (
        "A police spokesman said Qaysar district of Faryab, which fell to the militants on Thursday, was retaken "
        "by army and police forces on Saturday."
    )
    assert {(district, status, day) for district, status, day, _ in _claims_of(body)} == {
        ("Qaysar", "taliban", "2019-09-05"),
        ("Qaysar", "government", "2019-09-07"),
    }


def test_forces_fighting_to_retake_a_district_that_fell():
    body = (
        "The defence ministry said on Tuesday that forces are fighting the Taliban to retake Qaysar district of "
        "Faryab, which fell to the militants on Monday evening."
    )
    assert {(district, status, day) for district, status, day, _ in _claims_of(body)} == {
        ("Qaysar", "taliban", "2019-09-09"),
        ("Qaysar", "contested", "2019-09-10"),
    }


def test_a_taliban_claim_confirmed_by_officials_is_two_claims():
    body = (
        "A Taliban spokesman claimed their fighters captured Darqad district of Takhar on Tuesday morning. "
        "The claim was also confirmed by local officials."
    )
    assert _claims_of(body) == {
        ("Darqad", "taliban", "2019-09-10", "Taliban"),
        ("Darqad", "taliban", "2019-09-10", "local officials"),
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Taliban fighters seized most of the district.", "contested"),
        ("Heavy fighting is under way in the district.", "contested"),
        ("An exchange of fire was continuing around the district centre.", "contested"),
        ("The district came under Taliban control on Monday.", "taliban"),
        ("The insurgents have now the whole district.", "taliban"),
        ("The district's fall comes after weeks of fighting.", "taliban"),
        ("The district was handed over to the Taliban without a fight.", "taliban"),
        ("The government lost control of the district on Monday.", "taliban"),
        ("The Taliban lost control of the district after the operation.", "government"),
        ("Officials announced the recapture of the district on Monday.", "government"),
        ("The Taliban flag was raised over the district headquarters.", "taliban"),
        ("The national flag was hoisted over the district headquarters on Wednesday night.", "government"),
        ("The Taliban now run the district.", "taliban"),
        ("The district has been under the siege of the Taliban for a week.", "contested"),
        ("Qaysar is one of the districts controlled by the Taliban.", "taliban"),
    ],
)
def test_control_phrasings(sentence, expected):
    assert claims.control_status(sentence)[0] == expected


def test_a_fear_of_a_fall_is_no_claim():
    body = "A council member said Qaysar district of Faryab could fall to the Taliban if no reinforcements arrive."
    assert _claims_of(body) == set()


def test_a_week_without_a_day_dates_the_claim_on_publication():
    body = "Afghan forces recaptured Qaysar district of Faryab province this week, officials said."
    assert _claims_of(body) == {("Qaysar", "government", "2019-09-10", "local officials")}


def test_the_claimant_is_the_speaker_not_an_agent_named():
    before = "Police chief Abdul Rahim Karimi said the attack on the city was defeated."
    sentence = "The attackers were pushed back by forces with support from Resolute Support aircraft, he added."
    assert claims.claimant(sentence, "AP", before) == "local officials"
    before = "Abdul Aziz Baig, head of the Badghis provincial council, spoke to reporters."
    assert claims.claimant("Baig said the Taliban seized the district.", "AP", before) == "provincial council member"


def test_the_taliban_claim_and_the_officials_denial_in_one_sentence_are_two_claims():
    body = (
        "The Taliban claimed to have captured Qaysar district in Faryab province on Monday, but officials "
        "denied the claim."
    )
    assert _claims_of(body) == {
        ("Qaysar", "taliban", "2019-09-09", "Taliban"),
        ("Qaysar", "government", "2019-09-09", "local officials"),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "The Taliban threatened to overrun Qaysar district in Faryab province.",
        "Officials fear Qaysar district in Faryab province could fall to the Taliban.",
        "Afghan forces have launched an operation to retake Qaysar district in Faryab province, officials said.",
        "Ghazni city was briefly overrun by the Taliban in August 2018.",
        "Taliban insurgents captured Qaysar district in Faryab province last year.",
        "The assault recalled the 2015 fall of Kunduz city to the Taliban.",
        "Kunduz city briefly fell to the Taliban twice, in 2015 and 2016.",
        "Afghan forces captured three militants in Qaysar district of Faryab province on Monday.",
        "Police seized 100 kg of opium in Qaysar district of Faryab on Monday.",
        "Two suspects were captured in Qaysar district of Faryab on Monday.",
        "Three mortar rounds fell in Qaysar district of Faryab on Monday.",
        "A bridge collapsed in Qaysar district of Faryab on Monday.",
        "Militants took over a school building in Qaysar district of Faryab on Monday.",
        "Security forces repelled a Taliban attack on a checkpoint in Qaysar district of Faryab on Monday.",
        "Twenty soldiers were surrounded by the Taliban in Qaysar district of Faryab on Monday.",
        "Taliban fighters partly destroyed a bridge in Qaysar district of Faryab on Monday.",
        "The election was contested in Qaysar district of Faryab.",
        "Police regained control of the situation in Qaysar district of Faryab on Monday.",
        "Afghan troops took control of the highway through Qaysar district of Faryab on Monday.",
        "Elders in Faryab warn of the imminent fall of Qaysar district to the Taliban.",
        "Police announced the seizure of heroin in Qaysar district of Faryab province on Monday.",
        "The capture of a Taliban commander in Qaysar district of Faryab province was announced on Monday.",
        "Seven civilians were killed on Monday in a Taliban-controlled part of Qaysar district in Faryab.",
        "Taliban fighters overran a security checkpoint in Qaysar district of Faryab province on Monday.",
        "A police post fell to the Taliban in the western part of Maimana city on Monday.",
    ],
)
def test_threats_plans_history_and_posts_are_no_claims(sentence):
    assert _claims_of(sentence) == set()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Government forces are in full control of Qaysar district in Faryab province, officials said.", "government"),
        ("Qaysar district in Faryab remains in government hands, officials said on Monday.", "government"),
        ("Afghan forces pushed the Taliban out of Qaysar district in Faryab province, officials said.", "government"),
        ("The Taliban attack on Qaysar district in Faryab province was foiled, officials said.", "government"),
        ("Clashes between the Taliban and the army are continuing in Qaysar district of Faryab province.", "contested"),
        ("Parts of Qaysar district in Faryab province are under Taliban control.", "contested"),
        ("A council member said only the Qaysar district centre in Faryab remains with the government.", "contested"),
        ("Qaysar, a district in Faryab province, has been controlled by the Taliban for years.", "taliban"),
        ("Fighting still rages in Qaysar district of Faryab province, officials said.", "contested"),
        ("The Taliban have been besieging Qaysar district in Faryab for a week.", "contested"),
        (
            "Security forces are still in control of Qaysar district in Faryab, the governor's spokesman said.",
            "government",
        ),
        ("Officials said Qaysar district in Faryab has not fallen.", "government"),
        (
            "Police said security forces still hold the centre of Qaysar district in Faryab but are under attack.",
            "contested",
        ),
    ],
)
def test_status_phrasings_in_articles(sentence, expected):
    assert {status for _, status, _, _ in _claims_of(sentence)} == {expected}


def test_a_council_member_is_the_claimant():
    assert claims.claimant("The Taliban control most of the district, a council member said.", "AP") == (
        "provincial council member"
    )


def test_the_district_after_a_withdrawal_is_the_one_just_claimed():
    body = (
        "Officials said on Tuesday that the army withdrew overnight from the Qaysar district centre in Faryab "
        "province. A Taliban spokesman said the group has tightened its control over the district."
    )
    assert {(district, claimant) for district, _, _, claimant in _claims_of(body)} == {
        ("Qaysar", "local officials"),
        ("Qaysar", "Taliban"),
    }


def test_a_first_fall_is_news_and_a_dated_retaking_after_history_is_a_claim():
    assert {
        status
        for _, status, _, _ in _claims_of(
            "Qaysar district in Faryab fell to the Taliban on Monday for the first time in 18 years."
        )
    } == {"taliban"}
    body = (
        "Qaysar district in Faryab fell to the Taliban three years ago, and Afghan forces retook it on Monday, "
        "officials said."
    )
    assert {(status, day) for _, status, day, _ in _claims_of(body)} == {("government", "2019-09-09")}


def test_a_repelled_attack_on_the_city_named_before_is_the_officials_claim_citing_its_name():
    """Issue 11, item 7: a repelled attack is a government claim by officials; the passage
    reaches back to the sentence naming the city, so geo validate finds the district in it."""
    text = (
        "Headline of the report\n\nTaliban insurgents attacked Kunduz city before dawn on Saturday, an official "
        "said.\n\nThe police said the insurgents wanted to take control of the city, but security forces repelled their attacks.\n"
    )
    _, found = extract.extract_text(text, dt.date(2019, 4, 13), source_file="r.txt")
    assert list(zip(found["district"], found["status"], found["claimant"])) == [
        ("Kunduz", "government", "local officials")
    ]
    assert "Kunduz" in text[int(found["source_start"].iloc[0]) : int(found["source_end"].iloc[0])]


def test_the_district_read_back_to_several_is_the_one_last_claimed():
    body = (
        "Qaysar district of Faryab fell to the Taliban on Monday evening, officials said. Reinforcements will "
        "clear areas of Qaysar and Almar districts, the governor said. A council member said the security forces "
        "left the district centre on Monday evening without resistance."
    )
    assert {(district, status) for district, status, _, _ in _claims_of(body)} == {("Qaysar", "taliban")}


def test_forces_having_full_control_is_a_government_claim():
    assert claims.control_status("Security forces have full control over the district, he said.") == (
        "government",
        False,
    )


def test_the_repelled_attack_told_after_an_attack_on_a_capital_is_the_officials_claim():
    body = (
        "The Taliban on Sunday attacked Pul-e-Khumri, the capital of northern Baghlan province. Baghlan police "
        "spokesman Ahmad Jawed said the attack was repelled and the situation was under control."
    )
    assert _claims_of(body, dt.date(2019, 9, 2)) == {("Pul-e-Khumri", "government", "2019-09-02", "local officials")}


def test_a_repelled_attack_on_a_checkpoint_is_no_claim():
    body = (
        "The Taliban on Sunday attacked a security checkpoint in Qaysar district of Faryab province. "
        "Police said the attack was repelled."
    )
    assert _claims_of(body, dt.date(2019, 9, 2)) == set()


def test_clearing_the_city_named_before_is_the_ministry_claim():
    body = (
        "Taliban fighters launched an attack on the northern city of Kunduz early Saturday. Fighting was still going "
        "on in several parts of the city, a provincial council member said. The Defense Ministry said security "
        "forces had pushed back the attackers and were clearing the remaining militants from the city."
    )
    assert _claims_of(body, dt.date(2019, 8, 31)) == {
        ("Kunduz", "contested", "2019-08-31", "provincial council member"),
        ("Kunduz", "government", "2019-08-31", "Afghan government"),
    }


def test_a_fall_two_weeks_ago_keeps_its_day():
    body = (
        "Afghan forces have recaptured Deh Yak district of Ghazni province, the ministry of defence said on "
        "Tuesday. The district fell to the militants two weeks ago."
    )
    assert {(status, day) for _, status, day, _ in _claims_of(body, dt.date(2019, 6, 11))} == {
        ("government", "2019-06-11"),
        ("taliban", "2019-05-28"),
    }


def test_a_claim_is_about_the_districts_near_its_words_not_another_list():
    body = "The fall of Darqad district in Takhar comes a week after the Taliban attacked Kunduz city."
    assert {(district, status) for district, status, _, _ in _claims_of(body)} == {("Darqad", "taliban")}
    body = "Afghan officials confirmed the districts of Darqad, Yangi Qala and Chah Ab in Takhar were seized by the Taliban."
    assert {district for district, _, _, _ in _claims_of(body)} == {"Darqad", "Yangi Qala", "Chahab"}


def test_history_in_another_clause_leaves_the_news():
    body = "Darqad district in Takhar was overrun by the Taliban on Monday, as Ghazni city was in 2018."
    assert {(district, status, day) for district, status, day, _ in _claims_of(body)} == {
        ("Darqad", "taliban", "2019-09-09")
    }


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Taliban claims to have captured the district.", "Taliban"),
        ("The district fell, according to the Taliban.", "Taliban"),
        ("A security source said the district fell.", "local officials"),
        ("Takhar governor spokesman Jawad Hejri said the district fell.", "local officials"),
        ("The ministry of interior said the district was retaken.", "Afghan government"),
        ("Officials rejected Taliban claims that the district fell.", "local officials"),
        ("The Taliban dismissed reports that forces recaptured the district.", "Taliban"),
    ],
)
def test_claimant_phrasings(sentence, expected):
    assert claims.claimant(sentence, "AP") == expected


def test_a_status_told_in_the_present_is_dated_on_publication():
    body = (
        "Taliban fighters attacked Qaysar district of Faryab province on Saturday. "
        "The district is now under Taliban control, officials said."
    )
    assert ("Qaysar", "taliban", "2019-09-10", "local officials") in _claims_of(body)


def test_a_denial_saying_fighting_goes_on_is_contested_in_one_sentence_too():
    assert claims.control_status("Officials denied the district had fallen, saying clashes were going on.") == (
        "contested",
        True,
    )
    body = (
        "The Taliban claimed to have captured Qaysar district in Faryab province on Monday, but officials "
        "denied the claim, saying fighting was still going on."
    )
    assert _claims_of(body) == {
        ("Qaysar", "taliban", "2019-09-09", "Taliban"),
        ("Qaysar", "contested", "2019-09-09", "local officials"),
    }


def test_the_taliban_denying_a_retaking_is_their_claim_to_hold_it():
    body = "The Taliban dismissed reports that Afghan forces recaptured Qaysar district in Faryab on Monday."
    assert {(status, claimant) for _, status, _, claimant in _claims_of(body)} == {("taliban", "Taliban")}


def test_the_district_as_well_as_others_claims_the_one_named_before():
    body = (
        "Fighting broke out in Darqad district of Takhar on Sunday. On Monday, the Taliban claimed it seized "
        "control of the district as well as Yangi Qala and Khwaja Ghar."
    )
    assert {(district, status) for district, status, _, _ in _claims_of(body)} >= {
        ("Darqad", "taliban"),
        ("Yangi Qala", "taliban"),
        ("Khwaja Ghar", "taliban"),
    }


# Round 6: phrasings of the fifth and sixth held-out sets, each as a family, in sentences of our own.


@pytest.mark.parametrize(
    "body",
    [
        "Two airstrikes in the contested Qaysar district of Faryab province killed five civilians on Monday.",
        "Qaysar district of Faryab province is a large district. The district has long been contested by the Taliban.",
    ],
)
def test_contested_as_a_description_is_no_claim(body):
    assert _claims_of(body) == set()


@pytest.mark.parametrize(
    "body",
    [
        "The Taliban said on Monday that an army base in Darqad district of Takhar province is under their siege.",
        "Officials said nine outposts and a unit of the army in Darqad district of Takhar province have fallen to "
        "the militants.",
        "More than 40 soldiers are captured by the Taliban in Darqad district of Takhar province, the ministry said.",
        "Members of an army company were killed or captured on Monday in Darqad district of Takhar province.",
        "The Taliban attacked Darqad district of Takhar province on Monday and captured the recruitment centre "
        "of the army.",
    ],
)
def test_a_post_a_unit_or_a_building_taken_or_besieged_is_no_claim_on_the_district(body):
    assert _claims_of(body) == set()


def test_an_attack_on_an_airfield_repelled_is_no_claim_on_its_district():
    body = "The Taliban attacked the airfield in Bagram district of Parwan on Monday. The attack was repelled."
    assert _claims_of(body) == set()


@pytest.mark.parametrize(
    "body",
    [
        "The Taliban have blocked all the roads to the Darqad district of Takhar province, residents said.",
        "The roads to Darqad district of Takhar province have been blocked by the insurgents, residents said.",
        "An official denied that Darqad district of Takhar province fell to the Taliban, but heavy fighting has "
        "been reported there.",
    ],
)
def test_roads_cut_or_fighting_reported_is_contested(body):
    assert {status for _, status, _, _ in _claims_of(body)} == {"contested"}


def test_the_taliban_denying_the_claim_and_insisting_they_control_the_district_is_their_claim():
    body = (
        "Security forces recaptured Darqad district of Takhar province on Monday, officials said. The Taliban "
        "denied the claim, insisting the militants are in the control of the district."
    )
    assert ("Darqad", "taliban", "2019-09-10", "Taliban") in _claims_of(body)


def test_government_forces_capturing_a_district_is_a_retaking():
    body = (
        "Afghan security forces in the ongoing operations in Badakhshan today captured Yamgan district, officials said."
    )
    assert {status for _, status, _, _ in _claims_of(body)} == {"government"}


def test_a_hold_told_by_its_years_is_background_to_news_of_another_status():
    retaken = (
        "Security forces retook Warduj district of Badakhshan province on Monday, officials said. "
        "Warduj has been under Taliban control for the past five years."
    )
    assert {status for _, status, _, _ in _claims_of(retaken)} == {"government"}
    held = "The Taliban has been in control of Warduj district in Badakhshan province for years."
    assert {status for _, status, _, _ in _claims_of(held)} == {"taliban"}


def test_a_list_of_districts_runs_on_across_their_provinces():
    body = (
        "Officials confirmed Darqad and Khwaja Ghar in Takhar, and Qaysar in Faryab have fallen to the Taliban "
        "over the past two weeks."
    )
    assert {(district, status) for district, status, _, _ in _claims_of(body)} == {
        ("Darqad", "taliban"),
        ("Khwaja Ghar", "taliban"),
        ("Qaysar", "taliban"),
    }


def test_an_assessment_that_remains_so_is_a_claim_now():
    body = "Darqad and Khwaja Ghar districts in Takhar have previously been assessed as contested, and remain so."
    assert {(district, status) for district, status, _, _ in _claims_of(body)} == {
        ("Darqad", "contested"),
        ("Khwaja Ghar", "contested"),
    }


def test_taking_the_areas_and_overrunning_the_district_is_a_fall():
    body = (
        "The Taliban attacked Qaysar district of Faryab province on Monday night. The insurgents took control "
        "of the cleared areas and overran the district, a council member said."
    )
    assert ("Qaysar", "taliban") in {(district, status) for district, status, _, _ in _claims_of(body)}


def test_the_taliban_also_claimed_credits_the_taliban():
    assert claims.claimant("The Taliban also claimed to have taken control of Darqad.", "LWJ") == "Taliban"


def test_the_situation_under_quoted_control_of_government_forces_is_a_government_claim():
    body = "Officials in Darqad district of Takhar province said the situation is “under control” of government forces."
    assert {status for _, status, _, _ in _claims_of(body)} == {"government"}


def test_an_area_read_back_to_the_district_is_no_claim_on_the_district():
    body = (
        "The Taliban attacked an army checkpoint in Darqad district of Takhar province on Monday. Officials said "
        "reinforcements were sent to the area and that it is now under control of Afghan forces."
    )
    assert _claims_of(body) == set()
    body = body.replace("sent to the area", "sent to the district")
    assert {(district, status) for district, status, _, _ in _claims_of(body)} == {("Darqad", "government")}


def test_fighting_on_the_outskirts_of_a_city_is_no_claim_on_it():
    body = "Sporadic clashes were continuing on the outskirts of Farah city as of early Tuesday, officials said."
    assert _claims_of(body) == set()
    assert {status for _, status, _, _ in _claims_of(body.replace("on the outskirts of", "in"))} == {"contested"}


def test_a_fall_told_as_mostly_or_almost_is_contested():
    body = "Officials said on Monday that Darqad district of Takhar province had mostly fallen into Taliban control."
    assert {status for _, status, _, _ in _claims_of(body)} == {"contested"}


def test_a_district_told_contested_a_day_apart_by_the_same_side_is_one_claim():
    body = (
        "Forces have recaptured parts of Darqad district in Takhar province, officials said on Tuesday. The "
        "officials said forces launched a counter-attack on Monday and have recaptured major parts of the district."
    )
    assert {(district, status) for district, status, _, _ in _claims_of(body)} == {("Darqad", "contested")}
    assert len(_claims_of(body)) == 1


def test_a_district_seized_is_not_the_provincial_capital_named_later():
    body = (
        "The Taliban have seized a district in northeastern Badakhshan province, officials said on Monday. "
        "Residents said the road from the provincial capital, Faizabad city, to the district was closed."
    )
    assert "Fayzabad" not in {district for district, _, _, _ in _claims_of(body)}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ("The Taliban were pushed out of Qaysar district in Faryab province on Monday, officials said.", "government"),
        ("Afghan forces took back Qaysar district in Faryab province on Monday, officials said.", "government"),
        (
            "The militants were forced to retreat from Qaysar district in Faryab on Monday, officials said.",
            "government",
        ),
        ("The Taliban withdrew from Qaysar district in Faryab province on Monday after airstrikes.", "government"),
        ("Afghan commandos wrested control of Qaysar district in Faryab from the Taliban on Monday.", "government"),
        ("Qaysar district in Faryab province was freed from the Taliban on Monday, officials said.", "government"),
        (
            "The Taliban now control 80 percent of Qaysar district in Faryab province, a council member said.",
            "contested",
        ),
        (
            "The Taliban captured several villages and are advancing towards the Qaysar district centre in Faryab "
            "province, officials said on Monday.",
            "contested",
        ),
    ],
)
def test_more_phrasings_of_retaking_and_of_partial_hold(body, status):
    assert {found for _, found, _, _ in _claims_of(body)} == {status}


@pytest.mark.parametrize(
    "body",
    [
        "Officials in Qaysar district of Faryab province said the Taliban took control of a school building on Monday.",
        "The Taliban control large swathes of the countryside, while Qaysar district of Faryab province is calm.",
    ],
)
def test_what_the_taliban_control_may_be_a_building_or_the_countryside(body):
    assert _claims_of(body) == set()


def test_the_outlets_own_assessment_stays_apart_from_an_officials_claim_of_the_same_status():
    body = (
        "Darqad district in Takhar province has previously been assessed by the Journal as contested, and remains "
        "so. An Afghan official denied that Darqad fell to the Taliban, but heavy fighting has been reported there."
    )
    _, found = extract.extract_text(f"Headline\n\n{body}\n", PUBLISHED, source_file="r.txt", source="The Journal")
    assert set(zip(found["district"], found["status"], found["claimant"])) == {
        ("Darqad", "contested", "The Journal"),
        ("Darqad", "contested", "local officials"),
    }


def test_a_presence_in_parts_since_a_month_is_no_claim_and_a_hold_since_a_month_is_told_today():
    body = "The Taliban have increased their presence in some parts of Qaysar district in Faryab since April 2019."
    assert _claims_of(body) == set()
    body = "A council member said the Taliban have held parts of Qaysar district in Faryab since April."
    assert {(status, day) for _, status, day, _ in _claims_of(body)} == {("contested", "2019-09-10")}


def test_the_taliban_claim_and_the_officials_repelled_in_one_sentence_are_two_claims():
    body = (
        "The Taliban claimed on Monday they had captured Qaysar district in Faryab province, but the provincial "
        "governor's spokesman said the attack was repelled."
    )
    assert {(status, claimant) for _, status, _, claimant in _claims_of(body)} == {
        ("taliban", "Taliban"),
        ("government", "local officials"),
    }


def test_the_taliban_claim_to_control_credits_the_taliban():
    body = "The Taliban claim to control Qaysar district in Faryab province, though this could not be verified."
    assert {(status, claimant) for _, status, _, claimant in _claims_of(body)} == {("taliban", "Taliban")}


def test_where_the_speaker_speaks_is_no_claimed_district():
    body = (
        "Speaking to reporters in Taloqan city, the governor's spokesman said the Taliban captured Darqad "
        "district in Takhar province on Monday."
    )
    assert {(district, status) for district, status, _, _ in _claims_of(body)} == {("Darqad", "taliban")}


def test_clashes_between_the_sides_continuing_is_contested():
    body = "Clashes between security forces and the Taliban continue in Qaysar district of Faryab, officials said."
    assert {status for _, status, _, _ in _claims_of(body)} == {"contested"}
