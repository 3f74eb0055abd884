"""geo extract: the rule steps on hand-written sentences, and the command end to end on a
hand-written article (tests/data/extract/articles, our own words): records, validation,
the map build, and the review page in a real headless Chromium."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo import extract, settings
from geo.extract import claims, dates, events, fatalities
from geo.extract.sentences import split_sentences

ARTICLES = Path(__file__).parent / "data" / "extract" / "articles"
ARTICLE = ARTICLES / "takhar_report.txt"
PUBLISHED = dt.date(2019, 9, 5)  # a Thursday
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def _geo(*args, env=None):
    geo = shutil.which("geo")
    assert geo, "the geo console script is not installed (pip install -e .)"
    return subprocess.run([geo, *map(str, args)], capture_output=True, text=True, timeout=300, env=env, check=False)


# --- steps ------------------------------------------------------------------------------


def test_sentences_keep_file_offsets_and_abbreviations():
    text = "Headline here\n\nOn Sept. 11 the U.S. military said a strike hit. Gen. Miller agreed! Next one?"
    found = split_sentences(text)
    assert list(found["text"]) == [
        "Headline here",
        "On Sept. 11 the U.S. military said a strike hit.",
        "Gen. Miller agreed!",
        "Next one?",
    ]
    assert all(text[start:end] == sentence for start, end, sentence in zip(found["start"], found["end"], found["text"]))
    assert list(found["paragraph"]) == [0, 1, 1, 1]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("on Tuesday night", (dt.date(2019, 9, 3), 1)),
        ("on Thursday", (dt.date(2019, 9, 5), 1)),
        ("on Sept. 1", (dt.date(2019, 9, 1), 1)),
        ("on 8 September", None),  # days after publication: a day to come, no event's day
        ("on 8 December", (dt.date(2018, 12, 8), 1)),  # months after publication: last year's
        ("on Dec. 1, 2017", (dt.date(2017, 12, 1), 1)),
        ("yesterday", (dt.date(2019, 9, 4), 1)),
        ("last week", (dt.date(2019, 8, 29), 2)),
        ("two days later", (dt.date(2019, 9, 3), 2)),
        ("in August 2017", (dt.date(2017, 8, 15), 3)),
        ("with no date words", None),
    ],
)
def test_dates_resolve_against_publication(words, expected):
    assert dates.resolve_date(f"Fighting broke out {words}.", PUBLISHED, previous=dt.date(2019, 9, 1)) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The clash killed dozens of civilians.", (12, "dozens")),
        ("Officials said tens of Taliban fighters were killed.", (10, "tens")),
        ("The blast killed at least 15 people.", (15, "at least")),
        ("The attack killed 10 to 15 people.", (10, "")),
        ("Nearly 90 Taliban fighters were killed, he said.", (80, "nearly")),
        ("The bomb killed a U.S. soldier, a Romanian soldier and at least 10 Afghan civilians.", (12, "")),
        ("A roadside bomb wounded three civilians.", (0, "")),
        ("It was a quiet day.", (0, "")),
    ],
)
def test_fatalities_by_acled_conservative_rule(sentence, expected):
    assert fatalities.count_deaths(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A suicide bomber blew himself up near the gate.", ("Explosions/Remote violence", "Suicide bomb")),
        ("An airstrike hit a compound.", ("Explosions/Remote violence", "Air/drone strike")),
        ("A roadside bomb hit a minibus.", ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        ("Mortar rounds landed in the bazaar.", ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        ("Gunmen abducted two engineers.", ("Violence against civilians", "Abduction/forced disappearance")),
        ("A drone attack killed 30 farmers.", ("Explosions/Remote violence", "Air/drone strike")),
        ("The Taliban attacked a checkpoint.", ("Battles", "Armed clash")),
        ("The Taliban threaten to attack the city if talks fail.", None),
        ("NATO and Afghan forces have repeatedly struck the group's facilities.", None),
        ("There were no immediate reports of any major attacks in the country.", None),
        (
            "Armed supporters roamed the streets, firing into the air in a show of power.",
            ("Riots", "Violent demonstration"),
        ),
    ],
)
def test_event_kinds(sentence, expected):
    assert events.classify(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Taliban captured the district on Monday.", ("taliban", False)),
        ("Officials denied that the district had fallen to the Taliban.", ("government", True)),
        ("The Taliban tried to capture the district but were pushed back.", ("government", True)),
        ("Security forces retook the district.", ("government", False)),
        ("The attack on the district was repelled.", ("government", False)),
        ("The district centre is under siege.", ("contested", False)),
        ("The village is in Chahar Dara district, which is controlled by the Taliban.", ("taliban", False)),
        ("A new school opened in the district.", None),
    ],
)
def test_control_status_denials_never_a_seizure(sentence, expected):
    assert claims.control_status(sentence) == expected


def test_one_name_keys_agree_with_the_gazetteer_fold():
    """The extractor's one-name fold gives the keys of geo._names for every gazetteer name and
    every capitalised run of the seed articles."""
    from geo._names import normalize_names
    from geo.extract import places
    from geo.extract._keys import name_keys
    from geo.gazetteer import load_gazetteer

    runs = [
        " ".join(words[first:last])
        for path in sorted(Path(settings.articles_dir).glob("*.txt"))
        for run in places._RUN.finditer(path.read_text(encoding="utf-8"))
        for words in [run.group().split()]
        for first in range(len(words))
        for last in range(first + 1, min(len(words), first + places.MAX_WORDS) + 1)
    ]
    names = pd.Series([*load_gazetteer().names["name"].unique(), *runs, "Qala-i-Naw", "Centre of Farah City"])
    names = names.drop_duplicates().reset_index(drop=True)
    expected = normalize_names(names)
    found = pd.DataFrame([name_keys(name) for name in names], columns=["key", "sorted_key", "hint"])
    assert len(names) > 5000
    pd.testing.assert_frame_equal(found, expected[["key", "sorted_key", "hint"]].astype(object), check_dtype=False)


def test_claimants():
    assert claims.claimant("Zabihullah Mujahid, a Taliban spokesman, said it fell.", "AP") == "Taliban"
    assert claims.claimant("A provincial council member said it fell.", "AP") == "provincial council member"
    assert claims.claimant("The Defense Ministry said it was retaken.", "AP") == "Afghan government"
    assert claims.claimant("It fell.", "AP") == "AP"


def test_district_in_notes():
    notes = pd.Series(
        [
            "Taliban fighters clashed with police in Nad-e Ali district; 3 killed.",
            "Airstrike near Baharak in the north.",
            "Airstrike near Baharak in the north.",
            "Clashes in Nad-e Ali district.",  # a Helmand district, but the event is in Kandahar
            "Fighting in the province; no district named.",
            "",
        ],
        index=[10, 11, 12, 13, 14, 15],
    )
    provinces = pd.Series(["AF30", "AF18", "AF17", "AF27", "AF30", "AF30"], index=notes.index)
    found = extract.district_in_notes(notes, provinces)
    assert found.to_dict() == {10: "AF3002", 11: "AF1803", 12: "AF1706", 13: "", 14: "", 15: ""}


# --- the command end to end ---------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("extract") / "out"
    done = _geo("extract", ARTICLE, "--date", PUBLISHED.isoformat(), "--url", "https://example.org/r", "--out", out)
    assert done.returncode == 0, done.stderr
    incidents = pd.read_csv(out / "incidents.csv", dtype=str, keep_default_na=False)
    claim_rows = pd.read_csv(out / "claims.csv", dtype=str, keep_default_na=False)
    return out, incidents, claim_rows


def test_incidents_proposed(extracted):
    _, incidents, _ = extracted
    found = set(zip(incidents["sub_event_type"], incidents["pcode"], incidents["event_date"], incidents["fatalities"]))
    assert found == {
        (
            "Non-state actor overtakes territory",
            "AF1815",
            "2019-09-03",
            "7",
        ),  # Darqad on Tuesday; 7 from the next sentence
        (
            "Non-state actor overtakes territory",
            "AF1803",
            "2019-09-04",
            "0",
        ),  # the Taliban's Baharak claim (Takhar's, not Badakhshan's)
        ("Armed clash", "AF1801", "2019-09-02", "0"),  # the repelled attack of Monday
        ("Air/drone strike", "AF1801", "2019-09-04", "12"),  # two days later; dozens = 12
        ("Suicide bomb", "AF0101", "2019-09-02", "10"),  # two sentences, one event; 10 to 15 = 10
        ("Abduction/forced disappearance", "AF3002", "2019-08-29", "0"),  # last week
    }
    assert set(incidents["source_file"]) == {ARTICLE.name} and set(incidents["url"]) == {"https://example.org/r"}
    text = ARTICLE.read_text(encoding="utf-8")
    for row in incidents.itertuples():
        assert row.location in text[int(row.source_start) : int(row.source_end)]


def test_claims_keep_the_claim_and_its_denial_apart(extracted):
    _, _, claim_rows = extracted
    found = set(zip(claim_rows["district"], claim_rows["status"], claim_rows["claimant"], claim_rows["date"]))
    assert found == {
        ("Darqad", "taliban", "provincial council member", "2019-09-03"),
        ("Baharak", "taliban", "Taliban", "2019-09-04"),
        ("Baharak", "government", "local officials", "2019-09-04"),  # the denial: never a seizure
        ("Taloqan", "government", "local officials", "2019-09-02"),  # the repelled attack
    }


def test_output_validates_and_maps(extracted, tmp_path):
    out, incidents, _ = extracted
    # The build reads the seed claims too: their articles and ours in one folder.
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in [ARTICLE, *Path(settings.articles_dir).glob("*.txt")]:
        (articles / path.name).symlink_to(path.resolve())
    env = {**os.environ, "GEO_ARTICLES_DIR": str(articles)}
    done = _geo("validate", "--incidents", out / "incidents.csv", "--claims", out / "claims.csv", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok: 6 incidents.csv, 4 claims.csv"
    maps = tmp_path / "maps"
    done = _geo(
        "build",
        "--date",
        "2019-09-05",
        "--window",
        "30",
        "--incidents",
        out / "incidents.csv",
        "--claims",
        out / "claims.csv",
        "--out",
        maps,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    mapped = gpd.read_file(maps / "2019-09-05-incidents.geojson", engine="pyogrio")
    assert set(mapped["event_id"]) == set(incidents["event_id"])


def test_folder_of_articles(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ARTICLE, folder / "a.txt")
    (folder / "b.txt").write_text(
        "Quiet day\n\nNothing happened in Kabul on Monday, officials said.\n", encoding="utf-8"
    )
    done = _geo("extract", folder, "--date", "2019-09-05", "--source", "Test Wire", "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    incidents = pd.read_csv(tmp_path / "out" / "incidents.csv", dtype=str, keep_default_na=False)
    assert set(incidents["source_file"]) == {"a.txt"} and set(incidents["source"]) == {"Test Wire"}
    assert incidents["event_id"].is_unique


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2019-13-01"], "'2019-13-01' is not a date as YYYY-MM-DD"),
        (["--date", "2019-09-05", "missing.txt"], "missing.txt: no such file or folder"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    paths = [arg for arg in args if arg.endswith(".txt")] or [str(ARTICLE)]
    options = [arg for arg in args if not arg.endswith(".txt")]
    done = _geo("extract", *paths, *options, "--out", out)
    assert done.returncode != 0
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


def test_review_page_shows_passages_and_never_runs_article_text(extracted):
    out, incidents, claim_rows = extracted
    page = (out / "review.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned=1</script>" not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("chromium and chromedriver are required for the review page test")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get((out / "review.html").as_uri())
        assert driver.execute_script("return window.__pwned === undefined")
        marked = driver.execute_script(
            "return Array.from(new Set(Array.from(document.querySelectorAll('mark')).map(m => m.dataset.record)))"
        )
        rows = driver.execute_script("return document.querySelectorAll('tr[data-record]').length")
        assert rows == len(incidents) + len(claim_rows)
        assert set(marked) <= set(incidents["event_id"]) | set(claim_rows["claim_id"])
        assert "<script>window.__pwned=1</script>" in driver.execute_script("return document.body.innerText")
        driver.execute_script("document.querySelector('mark').click()")
        assert driver.execute_script("return document.querySelectorAll('tr.active').length") == 1
    finally:
        driver.quit()


# --- the development set ------------------------------------------------------------------


def _shared_runs(notes, text, length=8):
    def words(value):
        return value.lower().replace("\u2019", "'").split()

    article = words(text)
    runs = {tuple(article[i : i + length]) for i in range(len(article) - length + 1)}
    note = words(notes)
    return [
        " ".join(note[i : i + length]) for i in range(len(note) - length + 1) if tuple(note[i : i + length]) in runs
    ]


@pytest.mark.parametrize("table", ["incidents.csv", "claims.csv"])
def test_seed_notes_are_in_our_own_words(table):
    if not Path(settings.articles_dir).is_dir():
        pytest.fail(f"the seed articles are needed at {settings.articles_dir}")
    rows = pd.read_csv(settings.SEEDS_DIR / table, dtype=str, keep_default_na=False)
    texts = {
        name: (Path(settings.articles_dir) / name).read_text(encoding="utf-8") for name in rows["source_file"].unique()
    }
    copied = {row.iloc[0]: _shared_runs(row["notes"], texts[row["source_file"]]) for _, row in rows.iterrows()}
    assert {key: runs for key, runs in copied.items() if runs} == {}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # The lead names the province, the next sentence the district: one event, in the district.
        (
            (
                "A roadside bomb killed nine civilians in northern Balkh province on Sunday. The bomb hit a minibus "
                "in Dawlat Abad district of Balkh province, police said."
            ),
            {("Remote explosive/landmine/IED", "AF2109", "2019-09-01", "9")},
        ),
        # "X, the provincial capital" is the capital's district.
        (
            "The Taliban attacked Kunduz, the provincial capital, on Saturday.",
            {("Armed clash", "AF1901", "2019-08-31", "0")},
        ),
        # One strike report for two listed districts: one event in each, the toll split.
        (
            "Air strikes hit Taliban positions in the Gizab and Khas Uruzgan districts on Sunday, killing 18 fighters.",
            {("Air/drone strike", "AF2409", "2019-09-01", "9"), ("Air/drone strike", "AF2505", "2019-09-01", "9")},
        ),
        # Territory is claimed district by district, and "captured by Afghan forces" is a retaking.
        (
            "Warduj district of Badakhshan was captured by Afghan forces on Saturday.",
            {("Government regains territory", "AF1716", "2019-08-31", "0")},
        ),
        # The attack and the air strike answering it, in one clause: two events.
        (
            "The police chief said the Taliban had mounted an attack in Arghandab district of Kandahar when forces responded with an airstrike on Sunday.",
            {("Armed clash", "AF2702", "2019-09-01", "0"), ("Air/drone strike", "AF2702", "2019-09-01", "0")},
        ),
        # Where someone travelled or sits ("arrived in Kabul") is not where the event was.
        (
            (
                "A U.S. envoy arrived in Kabul on Monday as the Taliban attacked a checkpoint in Qaysar district of Faryab "
                "province, killing four soldiers."
            ),
            {("Armed clash", "AF2907", "2019-09-02", "4")},
        ),
        # A possessive province decides between same-named districts (Kohistan of Badakhshan, not of Faryab).
        (
            "The ministry said forces are fighting to retake Badakhshan's Kohistan district, which fell to the Taliban on Saturday.",
            {("Non-state actor overtakes territory", "AF1708", "2019-08-31", "0")},
        ),
        # The province in the lead, the one district of it named later: the event is in that district.
        (
            (
                "Air strikes killed eight civilians in Kunduz province on Saturday, villagers said. Their village lies in "
                "Chahar Dara district, elders said."
            ),
            {("Air/drone strike", "AF1902", "2019-08-31", "8")},
        ),
        # A spelling the gazetteer lacks, read among the districts of the province in context.
        (
            "A roadside bomb killed five civilians in Balkh province on Sunday. It went off in the Dawolat Abad district, police said.",
            {("Remote explosive/landmine/IED", "AF2109", "2019-09-01", "5")},
        ),
        # Totals over a span are no event.
        ("Taliban attacks killed 300 civilians in three weeks in Kandahar province, the UN said on Sunday.", set()),
        # The day of the event wins over the day it was said.
        (
            "The Taliban overran Qaysar district of Faryab province on Thursday, officials said on Sunday.",
            {("Non-state actor overtakes territory", "AF2907", "2019-08-29", "0")},
        ),
        # A checkpoint taken is a clash, not a district changing hands.
        (
            "The Taliban overran an army checkpoint in Qaysar district of Faryab province on Sunday, killing three soldiers.",
            {("Armed clash", "AF2907", "2019-09-01", "3")},
        ),
        # "The incident took place in X district" places and dates the event told before.
        (
            (
                "A mine planted by the Taliban killed four children in northern Takhar province. The incident "
                "occurred on Saturday in a village of Darqad district, police said."
            ),
            {("Remote explosive/landmine/IED", "AF1815", "2019-08-31", "4")},
        ),
        # Air power named as backing is no strike of its own.
        (
            "Afghan forces backed by air strikes retook Warduj district of Badakhshan on Saturday.",
            {("Government regains territory", "AF1716", "2019-08-31", "0")},
        ),
        # A word after a given name is a person's name, not a district (Maruf).
        ("A roadside bomb killed two civilians on Sunday, spokesman Abdul Maruf Azar said.", set()),
        # Fighting "since Saturday" is a span; the clause with its own day is an event of that day.
        (
            "The Taliban have clashed with Afghan forces in Takhar province since Saturday, and fighting continued on Monday in Baharak district.",
            {("Armed clash", "AF1803", "2019-09-02", "0")},
        ),
    ],
)
def test_events_in_short_reports(body, expected):
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 9, 2), source_file="r.txt")
    assert (
        set(zip(incidents["sub_event_type"], incidents["pcode"], incidents["event_date"], incidents["fatalities"]))
        == expected
    )


def test_a_far_spelling_places_the_event_and_its_claim():
    """ "Daraq" is read as Darqad among Takhar's districts: the seizure and the council member's
    claim are both proposed (geo validate reads the spelling by the same rule)."""
    body = "The centre of Takhar's Daraq district was overrun by Taliban militants on Tuesday morning, a council member said."
    incidents, found = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 9, 10), source_file="r.txt")
    assert list(zip(incidents["sub_event_type"], incidents["pcode"], incidents["event_date"])) == [
        ("Non-state actor overtakes territory", "AF1815", "2019-09-10")
    ]
    assert list(zip(found["pcode"], found["status"], found["date"])) == [("AF1815", "taliban", "2019-09-10")]


def test_separate_strikes_are_separate_events():
    body = "Two separate airstrikes hit Musa Qala district of Helmand province on Sunday night, officials said."
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 9, 2), source_file="r.txt")
    assert list(zip(incidents["sub_event_type"], incidents["pcode"])) == [("Air/drone strike", "AF3009")] * 2


def test_a_fall_and_a_retaking_in_one_sentence_are_two_claims():
    body = "Kohistan district of Badakhshan, which fell to the Taliban on Thursday, was retaken by Afghan forces on Saturday."
    _, found = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 9, 2), source_file="r.txt")
    assert set(zip(found["pcode"], found["status"], found["date"])) == {
        ("AF1708", "taliban", "2019-08-29"),
        ("AF1708", "government", "2019-08-31"),
    }


def test_two_changes_of_hands_in_one_sentence_are_two_claims():
    body = (
        "Officials said the Taliban attacked Darqad district in Takhar province on Monday. The Taliban had taken "
        "control of the district nearly two months ago, but it was retaken by Afghan forces nearly a month ago."
    )
    _, found = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 11, 28), source_file="r.txt")
    assert set(zip(found["pcode"], found["status"], found["date"])) == {
        ("AF1815", "taliban", "2019-09-29"),
        ("AF1815", "government", "2019-10-29"),
    }


def _claims_of(body, published):
    _, found = extract.extract_text(f"Headline\n\n{body}\n", published, source_file="r.txt")
    return set(zip(found["pcode"], found["status"], found["date"], found["claimant"]))


def test_the_officials_rejection_of_a_claimed_fall_is_their_own_claim():
    body = (
        "Taliban fighters attacked the centre of Qaysar district in Faryab province on Saturday night. "
        "The Taliban claimed the attack, with a spokesman saying their fighters had captured the district centre. "
        "The defence ministry rejected the claim, saying the attackers had been pushed back."
    )
    assert _claims_of(body, dt.date(2019, 9, 2)) == {
        ("AF2907", "taliban", "2019-08-31", "Taliban"),
        ("AF2907", "government", "2019-08-31", "Afghan government"),
    }


def test_forces_retreating_from_a_district_is_a_fall_told_by_officials():
    body = "Officials said on Sunday that Afghan forces withdrew overnight from the Qaysar district centre in Faryab province."
    assert _claims_of(body, dt.date(2019, 9, 1)) == {("AF2907", "taliban", "2019-09-01", "local officials")}


def test_a_retaking_claims_only_its_district_not_a_landmark_nor_another_clause():
    body = (
        "Afghan forces recaptured Khwaja Omari district, 20 kilometres west of Ghazni city, on Monday while "
        "the militants set fire to the headquarters of Darqad district in Takhar province, officials said."
    )
    assert {(pcode, status) for pcode, status, _, _ in _claims_of(body, dt.date(2019, 9, 3))} == {
        ("AF1103", "government")
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A day still to come dates nothing: the attack keeps the day it happened.
        (
            "Gunmen attacked a police post in Qaysar district of Faryab province on Saturday. The vote is slated "
            "for September 28, and the Taliban have threatened polling stations.",
            {("Armed clash", "AF2907", "2019-08-31")},
        ),
        # "Kabul province" is the province, "Kabul" alone the city.
        (
            "Insurgents attacked a checkpoint in Paghman district of Kabul province on Sunday.",
            {("Armed clash", "AF0102", "2019-09-01")},
        ),
        # A title, a given name and a surname that is also a province's name: a man.
        (
            "A roadside bomb killed two soldiers in Andar district on Sunday, Ghazni Police Chief Khalid Wardak said.",
            {("Remote explosive/landmine/IED", "AF1107", "2019-09-01")},
        ),
        # The bombing "occurred days after" other attacks: those are background.
        (
            "A roadside bomb killed two soldiers in Andar district of Ghazni on Sunday. The bombing occurred days "
            "after the Taliban attacked Baghlan and Kunduz provinces.",
            {("Remote explosive/landmine/IED", "AF1107", "2019-09-01")},
        ),
        # A lead's blast in the province and the next sentence's in its district: one event.
        (
            "Four soldiers were killed in a car bomb explosion in Ghazni province on Saturday. The blast occurred in "
            "Ab Band district when a suicide bomber drove his car into the gate.",
            {("Suicide bomb", "AF1113", "2019-08-31")},
        ),
        # A killing told right after an operation with its place is the operation's event.
        (
            "Police conducted an operation in Qaysar district of Faryab on Saturday night. The special forces "
            "killed a Taliban commander, the shadow governor of Taliban for Jawzjan province.",
            {("Armed clash", "AF2907", "2019-08-31")},
        ),
        # "so far 45 rebels have been killed" is one operation's toll; a small "wa" in a listed name.
        (
            "Government forces launched airstrikes on Taliban positions in Yamgan and Kuran wa Munjan districts of "
            "Badakhshan on Saturday and so far 45 rebels have been killed.",
            {("Air/drone strike", "AF1718", "2019-08-31"), ("Air/drone strike", "AF1726", "2019-08-31")},
        ),
        # A capital spelled the reporter's way, inside the province the sentence names.
        (
            "In northern Parwan province, gunmen shot and killed a prosecutor in Charakar, the capital of the "
            "province, on Sunday.",
            {("Armed clash", "AF0301", "2019-09-01")},
        ),
    ],
)
def test_background_and_names_that_are_no_place(body, expected):
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 9, 2), source_file="r.txt")
    assert set(zip(incidents["sub_event_type"], incidents["pcode"], incidents["event_date"])) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A province's name before "Abad" names a village ("town of"), not the province's capital.
        (
            "Gunmen attacked the Ghazni Abad police post in Sherzad district of Nangarhar province on Sunday.",
            {("Armed clash", "AF0619", "2019-09-01")},
        ),
        # A surname that is a district's name, with his post right after it, is a man.
        (
            "The Taliban attacked Kunduz city on Sunday. Zia Mangal, a doctor at the city hospital, said the attack killed six.",
            {("Armed clash", "AF1901", "2019-09-01")},
        ),
        # "the capital of northern Baghlan province" is the capital's district.
        (
            "Gunmen stormed a police compound on Sunday in the capital of northern Baghlan province, officials said.",
            {("Armed clash", "AF0901", "2019-09-01")},
        ),
        # Where the victims were travelling is where the bomb hit them (travelling *to* a place is not).
        (
            "A mine killed four civilians in eastern Laghman province. The family was travelling in Alingar "
            "district on their way to Kabul when the mine went off on Sunday, police said.",
            {("Remote explosive/landmine/IED", "AF0704", "2019-09-01")},
        ),
        # A district named for a post is the place when the sentence comes back to "the district".
        (
            "The police chief of Qaysar district and his guard were killed when gunmen ambushed their car on a "
            "road in the north of the district on Sunday, officials said.",
            {("Armed clash", "AF2907", "2019-09-01")},
        ),
        # "in the west of Kabul city" is inside the city; "20 kilometers in the east of Ghazni city" is not.
        (
            "A bomb hit a minibus in the west of Kabul city on Sunday, killing six. Gunmen attacked a post in Andar "
            "district, 20 kilometers in the east of Ghazni city, on Sunday.",
            {("Remote explosive/landmine/IED", "AF0101", "2019-09-01"), ("Armed clash", "AF1107", "2019-09-01")},
        ),
        # "X, a remote district of Y": a name written as a district's, read in that province's districts.
        (
            "The Taliban captured Warsag, a remote district of Takhar province, on Sunday, officials said.",
            {("Non-state actor overtakes territory", "AF1813", "2019-09-01")},
        ),
        # A typo gluing the word on ("in Qaisardistrict") still names the district, read in the province.
        (
            "Forces in Faryab province said 11 militants were killed in air strikes in Qaisardistrict on Sunday night.",
            {("Air/drone strike", "AF2907", "2019-09-01")},
        ),
    ],
)
def test_places_read_more_widely(body, expected):
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 9, 2), source_file="r.txt")
    assert set(zip(incidents["sub_event_type"], incidents["pcode"], incidents["event_date"])) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # "This comes as ...", "In a separate incident ...": another event, though at the same place and day.
        (
            "A magnetic bomb killed a driver in Kabul city on Monday, police said. This comes as a car bomb "
            "exploded near a compound in Kabul city late on Sunday evening, killing four guards.",
            {("Remote explosive/landmine/IED", "AF0101", "2019-09-02"), ("Suicide bomb", "AF0101", "2019-09-01")},
        ),
        (
            "Seven Taliban were killed in a clash in Qalat, the capital of Zabul, on Sunday. In a separate incident, "
            "the Taliban attacked two police outposts in a village of Zabul province and eight of them were killed.",
            {("Armed clash", "AF2601", "2019-09-01"), ("Armed clash", "AF26", "2019-09-01")},
        ),
        # "a few years ago" is background: no event, only the attack of the day.
        (
            "Gunmen attacked the centre of Qaysar district in Faryab on Sunday. The district fell to the Taliban "
            "a few years ago, but later government forces retook it.",
            {("Armed clash", "AF2907", "2019-09-01")},
        ),
        # An operation "killing 14" is a clash; "the operations were staged in X district" places it.
        (
            "Afghan forces launched operations in Ghazni province on Monday, killing 14 Taliban. The operations "
            "were staged in Andar district, a statement said.",
            {("Armed clash", "AF1107", "2019-09-02")},
        ),
        # ... and in each district of a list, one event each.
        (
            "Afghan forces launched operations in Ghazni province on Monday, killing 14 Taliban. The operations "
            "were staged in Andar and Deh Yak districts, a statement said.",
            {("Armed clash", "AF1107", "2019-09-02"), ("Armed clash", "AF1105", "2019-09-02")},
        ),
        # "Kabul, Afghanistan:" is where the reporter filed, not where the event was.
        (
            "Kabul, Afghanistan: The Taliban stormed an army post on Sunday, killing six soldiers, officials said. "
            "The attack was in Qaysar district of Faryab province.",
            {("Armed clash", "AF2907", "2019-09-01")},
        ),
        # Places listed with "and in": one event in each; a district and its own province stay one place.
        (
            "On Sunday the Taliban launched attacks in Kabul and in central Parwan province which killed 20 people. "
            "Gunmen also attacked a checkpoint in Nad Ali district, Helmand province, on Sunday.",
            {
                ("Armed clash", "AF0101", "2019-09-01"),
                ("Armed clash", "AF03", "2019-09-01"),
                ("Armed clash", "AF3002", "2019-09-01"),
            },
        ),
        # "Meanwhile, ..." with an event of its own is another event; "Meanwhile, ... confirmed the attack" is not.
        (
            "Taliban fighters were killed in clashes in Faryab province on Sunday, officials said. Meanwhile, a "
            "commander was killed in an airstrike in Almar district of the province on Sunday. Meanwhile, the "
            "Taliban confirmed the airstrike.",
            {("Armed clash", "AF29", "2019-09-01"), ("Air/drone strike", "AF2904", "2019-09-01")},
        ),
        # "over the past 24 hours" is one day's operations, not a span.
        (
            "Afghan forces killed 30 Taliban in operations in Faryab province, the army said on Monday. The operations "
            "were conducted in Pashtun Kot and Qaysar districts over the past 24 hours.",
            {("Armed clash", "AF2902", "2019-09-02"), ("Armed clash", "AF2907", "2019-09-02")},
        ),
        # The clash in which forces retook a district is the retaking, as a clash in a fall is the fall.
        (
            "Afghan forces have retaken Bala Murghab district of Badghis province, officials said. The forces entered "
            "the district centre on Sunday after heavy clashes with the Taliban.",
            {("Government regains territory", "AF3105", "2019-09-01")},
        ),
        # A placeless raid with its day, then its dead "in the raid in X district": one event, on the raid's day.
        (
            "Special forces killed the Taliban's shadow governor for Zabul province in a raid on Friday night, the "
            "NDS said on Monday.\n\nThe commander was killed with three fighters in the raid in Shinkay district.",
            {("Armed clash", "AF2603", "2019-08-30")},
        ),
        # "The drone targeted the militants in X district": the strike the lead told in the province.
        (
            "A Taliban commander and five fighters were killed in a drone strike in Helmand province, media reported "
            "Monday. The drone targeted the militants in Garmsir district late Sunday, killing all six.",
            {("Air/drone strike", "AF3006", "2019-09-01")},
        ),
        # A road is named for where it leads: "near the Bagram airfield road" is in Kabul, not in Bagram.
        (
            "Two rockets fired by the Taliban hit houses in Kabul city on Sunday. The rockets landed in police "
            "district 8, near the Bagram airfield road, police said.",
            {("Shelling/artillery/missile attack", "AF0101", "2019-09-01")},
        ),
        # A trend is no event: "have stepped up their attacks", "have recently beefed up operations".
        (
            "The Taliban have stepped up their attacks in Qaysar district of Faryab, and Afghan forces have recently "
            "beefed up operations in Almar district.",
            set(),
        ),
        # Fighting that "continues" with no day of its own is a state of things, not a day's event; with its
        # own day ("fighting continued on Sunday in X") it is one.
        (
            "Fighting continues in Qaysar district, which borders Almar district, a Faryab official said this "
            "week. Heavy fighting continued on Sunday in Pashtun Kot district, officials in Faryab said.",
            {("Armed clash", "AF2902", "2019-09-01")},
        ),
        # Two kinds of event on two days named outright, at one place: two events, not one report of each.
        (
            "Gunmen stormed a government compound in Jalalabad city on Monday, killing two guards. On Sunday, a "
            "suicide attack in the city killed 12 people, officials said.",
            {("Armed clash", "AF0601", "2019-09-02"), ("Suicide bomb", "AF0601", "2019-09-01")},
        ),
        # Talk of peace after the event does not unmake it; a threat before the verb does.
        (
            "Insurgents ambushed a police convoy in Andar district of Ghazni on Sunday, even as negotiators met in "
            "Qatar for peace talks. Officials warned the Taliban could attack Qaysar district again.",
            {("Armed clash", "AF1107", "2019-09-01")},
        ),
        # "the deadliest attack since the deal" compares; "since Saturday" is a span.
        (
            "A suicide bombing struck a wedding in Kabul on Sunday, the deadliest attack since the deal was signed. "
            "Taliban attacks have killed 40 people in Kunduz since Saturday.",
            {("Suicide bomb", "AF0101", "2019-09-01")},
        ),
        # A threat told as an aside ("who have threatened to disrupt the vote") does not unmake the attack.
        (
            "The Taliban, who have threatened to disrupt the vote, attacked a polling centre in Andar district of "
            "Ghazni on Sunday.",
            {("Armed clash", "AF1107", "2019-09-01")},
        ),
        # A man "was killed" in operations told only by province: no vague fighting, so the operations'
        # district, told next, places it.
        (
            "A Taliban shadow governor was killed during ground and air operations in eastern Paktika province, the "
            "ministry said. The operations were conducted in Wazakhwa district of the province.",
            {("Armed clash", "AF1217", "2019-09-01")},
        ),
    ],
)
def test_events_kept_apart_or_joined(body, expected):
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 9, 2), source_file="r.txt")
    assert set(zip(incidents["sub_event_type"], incidents["pcode"], incidents["event_date"])) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("in the early hours of Tuesday", (dt.date(2019, 9, 3), 1)),  # the day named, not the report's
        ("overnight Saturday", (dt.date(2019, 8, 31), 1)),
        ("overnight", (dt.date(2019, 9, 5), 1)),
        ("the previous day", (dt.date(2019, 8, 31), 2)),  # a day before the date told last
        ("the day before", (dt.date(2019, 8, 31), 2)),
        ("a few years ago", (dt.date(2016, 9, 5), 3)),  # background: month precision or coarser, no event
    ],
)
def test_more_date_words(words, expected):
    assert dates.resolve_date(f"Fighting broke out {words}.", PUBLISHED, previous=dt.date(2019, 9, 1)) == expected


def test_a_headline_and_paragraphs_on_single_lines_read_as_with_blank_lines():
    """Some outlets separate the headline and paragraphs by one line break: the headline stays out of
    the first sentence (its places are no event's), and the records are those of the blank-line form."""
    lines = [
        "Taliban capture district in Takhar",
        "A roadside bomb killed six civilians in Alingar district of Laghman on Sunday, police said.",
        "Officials said the Taliban planted the bomb.",
    ]
    single, blank = (
        extract.extract_text(glue.join(lines), dt.date(2019, 9, 2), source_file="r.txt") for glue in ("\n", "\n\n")
    )
    found = [set(zip(incidents["pcode"], incidents["event_date"])) for incidents, _ in (single, blank)]
    assert found[0] == found[1] == {("AF0704", "2019-09-01")}
    assert single[1].empty and blank[1].empty  # the headline's "capture ... in Takhar" claims nothing
    assert list(split_sentences("\n".join(lines))["paragraph"]) == [0, 1, 2]


def test_a_hard_wrapped_article_reads_as_one_on_long_lines():
    """Line breaks inside a sentence (a text wrapped by hand) read as spaces."""
    body = (
        "A suicide attack on a police post in Qaysar district of Faryab province killed five on Sunday, officials said."
    )
    wrapped = body.replace("suicide attack", "suicide\nattack").replace("district of ", "district\nof ")
    found = [
        set(zip(incidents["sub_event_type"], incidents["pcode"], incidents["event_date"]))
        for incidents, _ in (
            extract.extract_text(f"Headline\n\n{text}\n", dt.date(2019, 9, 2), source_file="r.txt")
            for text in (body, wrapped)
        )
    ]
    assert found[0] == found[1] == {("Suicide bomb", "AF2907", "2019-09-01")}


def test_the_month_may_is_no_possibility():
    """ "the attack took place late on May 3 in X" tells a day and a place, not what may happen."""
    body = (
        "A Taliban attack on a police checkpoint in Herat province killed seven policemen. A spokesman said the "
        "attack took place late on May 3 in the Shindand district."
    )
    incidents, _ = extract.extract_text(f"Headline\n\n{body}\n", dt.date(2019, 5, 4), source_file="r.txt")
    assert set(zip(incidents["pcode"], incidents["event_date"], incidents["time_precision"])) == {
        ("AF3214", "2019-05-03", "1")
    }


def test_an_event_told_in_the_city_cites_the_place_it_is_placed_in():
    """ "a suicide attack in the city", the province's name two paragraphs up: the cited passage
    reaches back to the name, so a reader (and geo validate) finds the place in it."""
    body = (
        "Gunmen stormed a school compound in Jalalabad city on Wednesday, officials in Nangarhar said.\n\n"
        "A guard was among the dead, the governor's office said.\n\n"
        "Nangarhar's provincial capital has seen more violence in recent weeks.\n\n"
        "On Tuesday, a suicide attack in the city killed at least 12 people near a fuel station."
    )
    text = f"Headline\n\n{body}\n"
    incidents, _ = extract.extract_text(text, dt.date(2018, 7, 11), source_file="r.txt")
    assert len(incidents) == 2
    for row in incidents.itertuples():
        passage = text[int(row.source_start) : int(row.source_end)]
        assert row.location.casefold() in passage.casefold(), (row.location, passage)


def test_a_reporters_spelling_of_a_district_makes_a_claim_that_validates(tmp_path):
    """ "Daraq" for Darqad: read by the near-spelling rule, claimed, and accepted by geo validate."""
    text = "Headline\n\nThe Taliban overran Daraq district of Takhar province on Monday, officials said.\n"
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    incidents, found = extract.extract_text(text, dt.date(2019, 9, 3), source_file="r.txt")
    assert set(zip(found["pcode"], found["status"], found["date"])) == {("AF1815", "taliban", "2019-09-02")}
    found.to_csv(tmp_path / "claims.csv", index=False)
    incidents.to_csv(tmp_path / "incidents.csv", index=False)
    env = {**os.environ, "GEO_ARTICLES_DIR": str(tmp_path)}
    done = _geo("validate", "--incidents", tmp_path / "incidents.csv", "--claims", tmp_path / "claims.csv", env=env)
    assert done.returncode == 0, done.stderr


def test_review_page_records_json_holds_no_markup(tmp_path):
    """Record text (here the outlet) reaches the review page's JSON block with "<" escaped, so
    "<!--<script>" cannot change how the browser reads the block's end."""
    (tmp_path / "a.txt").write_text(
        "Headline\n\nA roadside bomb killed five people in Nad-e Ali district of Helmand on Monday.\n",
        encoding="utf-8",
    )
    outlet = "Wire <!--<script>"
    done = _geo("extract", tmp_path / "a.txt", "--date", "2019-09-03", "--source", outlet, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out" / "review.html").read_text(encoding="utf-8")
    data = page.split("id='records-data'>", 1)[1].split("</script>", 1)[0]
    assert "Wire \\u003c!--\\u003cscript\\u003e" in data and "<" not in data
