"""Tests for geo.geocoder on real data: accuracy, precision, the geopy interface.

The expected codes were checked against the OCHA 2018 district shapefile.
"""

import json
import random
import re

import geopy.location
import pandas as pd
import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo import boundaries, geocoder, settings
from geo.errors import InputError
from geo.geocoder import DistrictGeocoder, geocode_frame, resolve

SEED_PLACES_CSV = settings.PROJECT_DIR / "tests" / "data" / "seed_places.csv"

# Names whose district carries its province's name: with that province (or
# none) the geocoder answers the province, as a province name should be;
# "<name> District" asks for the district.
PROVINCE_NAMED_DISTRICTS = {
    "AF0101": "Kabul",
    "AF1001": "Bamyan",
    "AF1101": "Ghazni",
    "AF1901": "Kunduz",
    "AF2106": "Balkh",
    "AF2201": "Sar-e-Pul",
    "AF2701": "Kandahar",
    "AF3201": "Hirat",
    "AF3301": "Farah",
}

# Places in the seed articles (/work/shared/seeds) as the news spells them.
SEED_PLACES = [
    # Takhar (LWJ, 2019-10-02)
    ("Taluqan", "Takhar", "AF1801"),
    ("Taluqan", None, "AF1801"),
    ("Baharak", "Takhar", "AF1803"),
    ("Chah Ab", "Takhar", "AF1816"),
    ("Chah Ab", None, "AF1816"),
    ("Khwaja Ghar", "Takhar", "AF1809"),
    ("Qala-i-Yangi", "Takhar", "AF1817"),
    ("Qala-i-Yangi", None, "AF1817"),
    ("Yangi Qala", None, "AF1817"),
    ("Darqad", "Takhar", "AF1815"),
    ("Takhar", None, "AF18"),
    ("Farah City", None, "AF3301"),
    ("Kunduz City", None, "AF1901"),
    ("Pul-i-Khurmi", "Baghlan", "AF0901"),
    ("Pul-i-Khumri", None, "AF0901"),
    # Helmand (LWJ, 2019-09-23)
    ("Musa Qala", "Helmand", "AF3009"),
    ("Musa Kala", None, "AF3009"),
    ("Helmand", None, "AF30"),
    ("Garmsir", "Helmand", "AF3006"),
    ("Shorabak", "Kandahar", "AF2714"),
    ("Nad Ali", "Helmand", "AF3002"),
    ("Lashkar Gah", None, "AF3001"),
    ("Gereshk", "Helmand", "AF3004"),
    ("Sangin", None, "AF3008"),
    # Herat, Ghor, Farah (Salaam Times)
    ("Ghorian", "Herat", "AF3211"),
    ("Gulran", "Herat", "AF3208"),
    ("Obe", "Herat", "AF3212"),
    ("Obe District", None, "AF3212"),
    ("Keshk Rabat Sangi", "Herat", "AF3207"),
    ("Keshk Rabat Sangi District", None, "AF3207"),
    ("Kushk", "Herat", "AF3207"),
    ("Adraskan", "Herat", "AF3209"),
    ("Shindand", None, "AF3214"),
    ("Zindajan", "Herat", "AF3205"),
    ("Herat", None, "AF32"),
    ("Herat City", None, "AF3201"),
    ("Firuzkoh City", None, "AF2301"),
    ("Firuzkoh", "Ghor", "AF2301"),
    ("Chaghcharan", None, "AF2301"),
    ("Ghor Province", None, "AF23"),
    ("Badghis Province", None, "AF31"),
    ("Farah Province", None, "AF33"),
    ("Bala Buluk", "Farah", "AF3306"),
    ("Pusht Rod", "Farah", "AF3302"),
    # Elsewhere in the articles
    ("Kabul", None, "AF0101"),
    ("Ghazni province", None, "AF11"),
    ("Nangarhar", None, "AF06"),
    ("Logar", None, "AF05"),
    ("Balkh province", None, "AF21"),
    ("Parwan", None, "AF03"),
    ("Jalalabad", None, "AF0601"),
    ("Kunduz", "Kunduz", "AF19"),
    # News spellings of provinces and capitals
    ("Urozgan", None, "AF25"),
    ("Nimruz", None, "AF34"),
    ("Jowzjan", None, "AF28"),
    ("Sar-e Pol", None, "AF22"),
    ("Paktia", None, "AF13"),
    ("Mazar-i-Sharif", None, "AF2101"),
    ("Tarinkot", None, "AF2501"),
    ("Tirinkot", "Uruzgan", "AF2501"),
    ("Qala-i-Naw", None, "AF3101"),
    ("Maimana", None, "AF2901"),
    ("Sheberghan", None, "AF2801"),
    ("Zaranj", None, "AF3401"),
]


@pytest.fixture(scope="module")
def districts():
    return boundaries.load_districts()


# --- the official names ------------------------------------------------------------------


def test_every_official_district_name_with_its_province(districts):
    query = pd.DataFrame({"name": districts["district"], "province": districts["province"]})
    result = geocode_frame(query)
    expected = districts["district_pcode"].where(
        ~districts["district_pcode"].isin(PROVINCE_NAMED_DISTRICTS), districts["province_pcode"]
    )
    wrong = result[result["pcode"] != expected]
    assert wrong.empty, wrong[["name", "province", "pcode", "reason"]]


def test_province_named_districts_answer_as_districts_when_asked():
    for pcode, name in PROVINCE_NAMED_DISTRICTS.items():
        match = resolve(f"{name} District", pcode[:4])
        assert match.pcode == pcode, (name, match)


def test_every_unique_official_district_name_without_province(districts):
    unique = districts[~districts["district"].duplicated(keep=False)]
    result = geocode_frame(pd.DataFrame({"name": unique["district"]}))
    expected = unique["district_pcode"].where(
        ~unique["district_pcode"].isin(PROVINCE_NAMED_DISTRICTS), unique["province_pcode"]
    )
    # Kabul alone is the capital city (a curated alias); Nawa is also the news'
    # name for Helmand's Nawa-e-Barakzaiy (ambiguous without a province).
    expected[unique["district_pcode"] == "AF0101"] = "AF0101"
    wrong = result[(result["pcode"] != expected) & (result["name"] != "Nawa")]
    assert wrong.empty, wrong[["name", "pcode", "reason"]]
    assert result.loc[result["name"] == "Nawa", "match_type"].tolist() == ["ambiguous"]


def test_same_named_districts_need_their_province(districts):
    shared = districts[districts["district"].duplicated(keep=False)]
    result = geocode_frame(pd.DataFrame({"name": shared["district"]}))
    assert result["pcode"].isna().all()
    assert (result["match_type"] == "ambiguous").all()
    assert result["candidates"].str.count("AF").ge(2).all()


def test_every_province_name_and_pcode():
    provinces = boundaries.load_provinces()
    by_name = geocode_frame(pd.DataFrame({"name": provinces["province"] + " Province"}))
    assert (by_name["pcode"] == provinces["province_pcode"].to_numpy()).all()
    bare = geocode_frame(pd.DataFrame({"name": provinces["province"]}))
    # Bare province names are the province, but "Kabul" alone is the capital city.
    expected = provinces["province_pcode"].replace({"AF01": "AF0101"})
    assert (bare["pcode"] == expected.to_numpy()).all()
    as_province = geocode_frame(pd.DataFrame({"name": ["Taloqan"] * 34, "province": provinces["province_pcode"]}))
    assert as_province.loc[provinces["province_pcode"].to_numpy() == "AF18", "pcode"].tolist() == ["AF1801"]


# --- the keyfile's six conventions -------------------------------------------------------

KEYFILE_COLUMNS = [
    "2019_IEC_district_name_eng",
    "2018_IEC_district_name_eng",
    "2018_UNOCHA_district_name_eng",
    "2014_IEC_district_name_eng",
    "2012_AGCHO_district_name_eng",
    "2010_IEC_district_name_eng",
    "2009_IEC_district_name_eng",
]
# Keyfile names that cannot resolve to their own district, and why:
KEYFILE_EXCEPTIONS = {
    "UNKNOWN": "placeholder (2010, Washer)",
    "#NAME?": "spreadsheet error (2009, Zaranj)",
    "PROVINCE CENTER(MARKAZ-WOLLAYAT)": "'province centre' with no name (2010, Bamyan)",
    "DARWAZ": "used for both Dawraz-e-Payin (2012) and Dawraz-e-Bala (2014): answered with Badakhshan",
    "DAIKONDI": "the province's name, used for Nili in 2009/2010",
    "NOORISTAN": "the province's name, used for Parun in 2009",
}


@pytest.fixture(scope="module")
def keyfile_names():
    from geo import data

    keyfile = pd.read_csv(data.fetch("district_code_keyfile_2019.csv"), dtype=str, keep_default_na=False)
    keyfile = keyfile[keyfile["2018_UNOCHA_district_code"] != "NA"]
    long = keyfile.melt(id_vars=["2018_UNOCHA_district_code"], value_vars=KEYFILE_COLUMNS, value_name="name")
    long = long[long["name"] != "NA"].rename(columns={"2018_UNOCHA_district_code": "pcode_expected"})
    provinces = boundaries.load_provinces().set_index("province_pcode")["province"]
    long["province"] = long["pcode_expected"].str[:4].map(provinces)
    return long.drop_duplicates(["name", "pcode_expected"]).reset_index(drop=True)


def test_keyfile_names_resolve_to_their_code(keyfile_names):
    result = geocode_frame(keyfile_names)
    right = result["pcode"] == result["pcode_expected"]
    # District names that are their province's name answer the province.
    province_named = result["pcode_expected"].isin(PROVINCE_NAMED_DISTRICTS) | result["name"].isin(
        ["KHOST", "SARE PUL", "SAR‐I‐PUL", "HERAT"]
    )
    exceptions = result["name"].isin(KEYFILE_EXCEPTIONS)
    unexplained = result[~right & ~province_named & ~exceptions]
    assert unexplained.empty, unexplained[["name", "province", "pcode_expected", "pcode", "reason"]]
    assert right.mean() > 0.97
    # The exceptions and province names fall back to the province: never a wrong district.
    wrong_district = (result["level"] == "district") & ~right
    assert not wrong_district.any(), result[wrong_district]
    assert (result.loc[~right, "pcode"] == result.loc[~right, "pcode_expected"].str[:4]).all()


def test_keyfile_names_without_province_are_rarely_wrong(keyfile_names):
    result = geocode_frame(keyfile_names.drop(columns="province"))
    wrong = (result["level"] == "district") & (result["pcode"] != result["pcode_expected"])
    # A name that is one district's official name and another's old or
    # alternative name is answered with the official one: the 2012 AGCHO
    # convention swaps Eshkashem (Badakhshan) and Eshkmesh (Takhar), and Reg
    # (Kandahar) is also Helmand's Reg-i-Khan Nishin.
    expected_wrong = {
        ("ESHKMESH", "AF1723"),
        ("ESHKASHEM", "AF1811"),
        ("REG", "AF3011"),
        ("REG(KHAN NESHIN)", "AF3011"),
    }
    assert set(zip(result.loc[wrong, "name"], result.loc[wrong, "pcode_expected"])) <= expected_wrong
    assert (result["pcode"] == result["pcode_expected"]).mean() > 0.9


# --- the places of the articles ----------------------------------------------------------


@pytest.mark.parametrize(("name", "province", "expected"), SEED_PLACES)
def test_seed_article_places(name, province, expected):
    match = resolve(name, province)
    assert match.pcode == expected, match


@pytest.mark.skipif(not SEED_PLACES_CSV.exists(), reason="tests/data/seed_places.csv not written yet")
def test_seed_places_csv_every_row():
    places = pd.read_csv(SEED_PLACES_CSV, dtype=str, keep_default_na=False)
    result = geocode_frame(places.rename(columns={"pcode": "expected", "level": "expected_level"}))
    wrong = result[(result["pcode"] != result["expected"]) | (result["level"] != result["expected_level"])]
    assert wrong.empty, wrong[["name", "province", "expected", "pcode", "reason"]]


# --- ambiguity, nonsense, typos ----------------------------------------------------------


def test_baharak_alone_is_ambiguous():
    match = resolve("Baharak")
    assert match.pcode is None and match.match_type == "ambiguous"
    codes = {candidate["pcode"] for candidate in match.candidates}
    assert codes == {"AF1706", "AF1803"}
    assert {candidate["province"] for candidate in match.candidates} == {"Badakhshan", "Takhar"}
    assert "Baharak" in match.reason


def test_province_chooses_between_same_named_districts():
    assert resolve("Baharak", "Takhar").pcode == "AF1803"
    assert resolve("Baharak", "Badakhshan").pcode == "AF1706"
    assert resolve("Baharak", "AF17").pcode == "AF1706"
    assert resolve("Baharak (Takhar)").pcode == "AF1803"


def test_nonsense_is_nothing_with_suggestions():
    match = resolve("Xyzzy")
    assert match.pcode is None and match.match_type == "none"
    assert "Xyzzy" in match.reason
    assert len(match.suggestions) == 3
    assert all(re.fullmatch(r".+ \(.+\)", suggestion) for suggestion in match.suggestions)


def test_typo_within_province():
    match = resolve("Taloqaan", "Takhar")
    assert match.pcode == "AF1801"
    assert resolve("Talokhan", "Takhar").pcode == "AF1801"
    fuzzy = resolve("Hazar Smuch", "Takhar")
    assert fuzzy.pcode == "AF1802" and fuzzy.match_type == "fuzzy"
    assert settings.fuzzy_threshold <= fuzzy.score < 100


def test_garbage_with_province_is_the_province():
    match = resolve("Qwrtzp Blorf", "Takhar")
    assert match.pcode == "AF18" and match.level == "province"
    assert match.match_type == "province"
    assert "Takhar" in match.reason and match.score is None


def test_a_province_name_with_that_province_is_the_province():
    assert resolve("Kunduz", "Kunduz").pcode == "AF19"
    assert resolve("Kunduz City", "Kunduz").pcode == "AF1901"
    assert resolve("Kunduz District", "Kunduz").pcode == "AF1901"
    assert resolve("Helmand", "AF30").level == "province"


def test_a_name_of_another_province_falls_back_to_the_given_province():
    match = resolve("Shindand", "Takhar")
    assert match.pcode == "AF18" and match.level == "province"


def test_a_district_across_the_border_of_the_given_province():
    # Gizab was Uruzgan's before it was Daykundi's; the 492-district list puts
    # Paktika's Barmal in Paktya.
    gizab = resolve("Gizab", "Uruzgan")
    assert gizab.pcode == "AF2409"
    assert gizab.reason == "not in Uruzgan; Gizab is in the neighbouring Daykundi"
    assert resolve("Barmal", "Paktya").pcode == "AF1214"
    # Not when the name resembles a name of the given province: Baghlan's
    # "Khenj" may be its own Khinjan rather than Panjsher's Khenj.
    assert resolve("Khenj", "Baghlan").pcode == "AF09"
    # Nor when the province is not a neighbour.
    assert resolve("Gizab", "Takhar").pcode == "AF18"
    # Nor when the district lies far (over ~40 km) from the given province:
    # Kabul's Paghman is not in neighbouring Kapisa.
    paghman = resolve("Paghman", "Kapisa")
    assert (paghman.pcode, paghman.level) == ("AF02", "province")


def test_unknown_province_is_ignored_with_a_note():
    match = resolve("Taloqan", "Atlantis")
    assert match.pcode == "AF1801"
    assert "Atlantis" in match.reason


def test_word_order_and_skeleton_steps():
    assert resolve("Qala-i-Yangi").match_type == "word_order"
    skeleton = resolve("Nijreb", "Kapisa")
    assert skeleton.pcode == "AF0205" and skeleton.match_type == "skeleton"


def test_villages_need_a_province():
    # Abestan, a village of Shindand (Herat) in the village list.
    assert resolve("Abestan", "Herat").pcode == "AF3214"
    assert resolve("Abestan").pcode is None


def test_bad_names_raise_input_error():
    with pytest.raises(InputError, match="empty"):
        resolve("   ")
    with pytest.raises(InputError, match="characters long"):
        resolve("a" * (settings.max_name_length + 1))
    with pytest.raises(InputError, match="text"):
        resolve(42)


# --- precision ---------------------------------------------------------------------------

_SWAPS = [
    ("a", "e"),
    ("e", "i"),
    ("o", "u"),
    ("u", "oo"),
    ("i", "ee"),
    ("q", "k"),
    ("k", "q"),
    ("gh", "g"),
    ("w", "v"),
    ("y", "i"),
    ("i", "y"),
    ("kh", "k"),
    ("a", "aa"),
    ("e", "a"),
    ("u", "o"),
    ("i", "e"),
    ("sh", "ch"),
    ("z", "s"),
]


def _mistranscribe(name, rng):
    """One plausible mistake: a vowel or consonant swap, a lost, doubled or
    swapped letter, or a space moved."""
    kind = rng.randrange(7)
    lower = name.lower()
    if kind <= 2:
        options = [(a, b) for a, b in _SWAPS if a in lower]
        if not options:
            return None
        a, b = rng.choice(options)
        at = rng.choice([m.start() for m in re.finditer(re.escape(a), lower)])
        return name[:at] + (b if name[at].islower() else b.capitalize()) + name[at + len(a) :]
    if kind == 3 and len(name) >= 5:
        at = rng.randrange(1, len(name))
        return name[: at - 1] + name[at:]
    if kind == 4:
        at = rng.randrange(len(name))
        return name[:at] + name[at] + name[at:] if name[at].isalpha() else None
    if kind == 5 and len(name) >= 4:
        at = rng.randrange(1, len(name) - 1)
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    if kind == 6:
        return name.replace(" ", "", 1) if " " in name else name.replace("-", " ")
    return None


@pytest.fixture(scope="module")
def mistranscribed(districts):
    rng = random.Random(2018)
    rows = []
    for district, province, pcode in districts[["district", "province", "district_pcode"]].itertuples(index=False):
        variants = {_mistranscribe(district, rng) for _ in range(12)} - {None, district}
        rows += [(variant, province, pcode) for variant in sorted(variants)[:5]]
    return pd.DataFrame(rows, columns=["name", "province", "truth"])


def test_mistranscribed_district_names_are_rarely_confidently_wrong(mistranscribed):
    with_province = geocode_frame(mistranscribed)
    right = with_province["pcode"] == with_province["truth"]
    wrong = (with_province["level"] == "district") & ~right
    assert wrong.mean() <= 0.005, with_province[wrong][["name", "truth", "pcode", "match_type", "matched_name"]]
    # Most are still found; the rest fall back to the province (never nothing).
    assert right.mean() >= 0.75
    assert with_province["pcode"].notna().all()

    alone = geocode_frame(mistranscribed.drop(columns="province"))
    wrong_alone = (alone["level"] == "district") & (alone["pcode"] != alone["truth"])
    assert wrong_alone.mean() <= 0.01, alone[wrong_alone][["name", "truth", "pcode", "match_type", "matched_name"]]
    assert (alone["pcode"] == alone["truth"]).mean() >= 0.6


def test_villages_of_other_provinces_are_rarely_taken_for_districts():
    """Names the province does not hold must not become one of its districts."""
    names = geocoder._resolver().names
    villages = names[names["rank"] == 3].drop_duplicates("key").sample(1500, random_state=7)
    provinces = sorted(set(names["province_pcode"]))
    keys_in = names.groupby("province_pcode")["key"].agg(set)
    rng = random.Random(7)
    rows = []
    for name, key, home in villages[["name", "key", "province_pcode"]].itertuples(index=False):
        other = rng.choice([code for code in provinces if code != home])
        if key not in keys_in[other]:
            rows.append((name, other))
    result = geocode_frame(pd.DataFrame(rows, columns=["name", "province"]))
    wrong = result["level"] == "district"
    assert wrong.mean() <= 0.005, result[wrong][["name", "province", "pcode", "match_type", "matched_name"]]


# --- batch API ---------------------------------------------------------------------------


def test_geocode_frame_keeps_rows_order_and_index():
    frame = pd.DataFrame(
        {
            "name": ["Taluqan", "Xyzzy", "Baharak", "Taluqan", None, "Musa Kala", "Qwrtzp"],
            "province": ["", None, "", "Takhar", None, "AF30", "Takhar"],
            "note": list("abcdefg"),
        },
        index=[7, 3, 5, 1, 0, 2, 9],
    )
    result = geocode_frame(frame)
    assert result.index.tolist() == [7, 3, 5, 1, 0, 2, 9]
    assert result["note"].tolist() == list("abcdefg")
    assert result["pcode"].fillna("").tolist()[:4] == ["AF1801", "", "", "AF1801"]
    assert result.loc[0, "reason"] == "empty name"
    assert result.loc[2, "pcode"] == "AF3009"
    assert result.loc[9, "pcode"] == "AF18"
    assert "AF1706" in result.loc[5, "candidates"]
    assert set(geocoder.RESULT_COLUMNS) - {"province"} <= set(result.columns)
    assert "geocoded_province" in result.columns  # the input's province column is kept


def test_geocode_frame_without_province_column_and_bad_name_column():
    result = geocode_frame(pd.DataFrame({"place": ["Chah Ab"]}), name_column="place", province_column=None)
    assert result["pcode"].tolist() == ["AF1816"]
    with pytest.raises(InputError, match="no 'name' column"):
        geocode_frame(pd.DataFrame({"place": ["Chah Ab"]}))


def test_long_names_in_a_frame_are_reasons_not_errors():
    result = geocode_frame(pd.DataFrame({"name": ["x" * 10_000, "Obe"]}))
    assert result["pcode"].fillna("").tolist() == ["", "AF3212"]
    assert "longer than" in result.loc[0, "reason"]


# --- geopy --------------------------------------------------------------------------------


def test_district_geocoder_returns_geopy_locations(districts):
    coder = DistrictGeocoder()
    location = coder.geocode("Taluqan")
    assert isinstance(location, Location)
    assert location.address == "Taloqan, Takhar, Afghanistan"
    raw = location.raw
    for field in [
        "pcode",
        "level",
        "district",
        "district_pcode",
        "province",
        "province_pcode",
        "score",
        "matched_name",
        "source",
        "lat",
        "lon",
    ]:
        assert field in raw
    assert raw["pcode"] == "AF1801" and raw["level"] == "district"
    taloqan = districts.set_index("district_pcode").loc["AF1801", "geometry"]
    import shapely

    assert taloqan.contains(shapely.Point(location.longitude, location.latitude))


def test_district_geocoder_province_ambiguity_and_none():
    coder = DistrictGeocoder()
    assert coder.geocode("Baharak", province="Badakhshan").raw["pcode"] == "AF1706"
    assert coder.geocode("Baharak") is None
    both = coder.geocode("Baharak", exactly_one=False)
    assert {location.raw["pcode"] for location in both} == {"AF1706", "AF1803"}
    assert coder.geocode("Xyzzy") is None
    province = coder.geocode("Takhar")
    assert province.address == "Takhar, Afghanistan" and province.raw["level"] == "province"


def test_reverse_geocoding_finds_the_district():
    coder = DistrictGeocoder()
    location = coder.reverse("36.7361, 69.5345")  # Taloqan town
    assert location.raw["pcode"] == "AF1801"
    assert coder.reverse((51.5, -0.12)) is None  # London


class FixedPointGeocoder(Geocoder):
    """A real geopy geocoder that answers every query with one point."""

    def __init__(self, latitude, longitude):
        super().__init__()
        self.point = (latitude, longitude)
        self.queries = []

    def geocode(self, query, *, exactly_one=True, timeout=None):
        self.queries.append(query)
        return geopy.location.Location(f"{query} (fixed)", self.point, {})


def test_fallback_geocoder_is_placed_by_point_in_polygon():
    musa_qala = FixedPointGeocoder(32.45, 64.75)
    coder = DistrictGeocoder(fallback=musa_qala)
    location = coder.geocode("Kunjak Bazaar Qalacha", province="Helmand")
    assert location.raw["pcode"] == "AF3009"
    assert location.raw["match_type"] == "fallback"
    assert location.raw["source"] == "fallback:FixedPointGeocoder"
    assert musa_qala.queries == ["Kunjak Bazaar Qalacha, Hilmand, Afghanistan"]
    # Names the gazetteer holds never reach the fallback.
    coder.geocode("Taluqan")
    assert len(musa_qala.queries) == 1


def test_fallback_points_outside_the_province_or_country_are_not_used():
    assert resolve("Qwrtzp Blorf", "Takhar", fallback=FixedPointGeocoder(32.45, 64.75)).pcode == "AF18"
    assert resolve("Qwrtzp Blorf", fallback=FixedPointGeocoder(51.5, -0.12)).pcode is None


def test_fallback_in_a_frame_is_asked_once_per_unique_name():
    fixed = FixedPointGeocoder(32.45, 64.75)
    frame = pd.DataFrame({"name": ["Blorfistan", "Blorfistan", "Taloqan"]})
    result = geocode_frame(frame, fallback=fixed)
    assert result["pcode"].tolist() == ["AF3009", "AF3009", "AF1801"]
    assert fixed.queries == ["Blorfistan, Afghanistan"]


class BrokenGeocoder(Geocoder):
    """A geocoder whose service is down."""

    def geocode(self, query, *, exactly_one=True, timeout=None):
        from geopy.exc import GeocoderUnavailable

        raise GeocoderUnavailable("service down")


def test_a_failing_fallback_is_a_reason_not_a_crash():
    match = resolve("Qwrtzp Blorf", "Takhar", fallback=BrokenGeocoder())
    assert match.pcode == "AF18"
    assert "fallback geocoder failed: GeocoderUnavailable: service down" in match.reason


class CountingBar:
    """A tqdm-like progress bar."""

    def __init__(self):
        self.total, self.count = None, 0

    def update(self, count):
        self.count += count


def test_progress_counts_each_distinct_query_once():
    bar = CountingBar()
    frame = pd.DataFrame(
        {
            "name": ["Taluqan", "Taluqan", "Xyzzy", "Hazar Smuch", "", "Nijreb"],
            "province": ["", "", "", "Takhar", "", "Kapisa"],
        }
    )
    geocode_frame(frame, progress=bar)
    assert bar.total == bar.count == 5


# --- place versus mention ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "province", "capital"),
    [
        ("Ghazni", "Ghazni", "AF1101"),
        ("Farah", None, "AF3301"),
        ("Kandahar", "Kandahar", "AF2701"),
        ("Kabul", "Kabul", "AF0101"),
        ("Kunduz", "Kunduz", "AF1901"),
        ("Balkh", "Balkh", "AF2106"),
        ("Hilmand", None, "AF3001"),
    ],
)
def test_a_place_named_like_its_province_is_the_capital(name, province, capital):
    assert geocoder.resolve(name, province).level == "province"
    place = geocoder.resolve(name, province, role="place")
    assert (place.pcode, place.level) == (capital, "district")
    assert 0 < place.confidence < 1 and "named like its province" in place.reason


def test_a_place_that_says_province_stays_a_province():
    assert geocoder.resolve("Ghazni province", role="place").pcode == "AF11"


def test_role_in_frames_and_the_geopy_front():
    frame = pd.DataFrame({"name": ["Ghazni", "Xyzzy"], "province": ["Ghazni", "Ghazni"]})
    places = geocoder.geocode_frame(frame, role="place")
    assert places["pcode"].tolist() == ["AF1101", "AF11"]
    assert places.loc[1, "match_type"] == "province"
    assert geocoder.DistrictGeocoder().geocode("Farah", role="place").raw["pcode"] == "AF3301"


def test_an_unknown_role_is_an_input_error():
    with pytest.raises(InputError):
        geocoder.resolve("Ghazni", role="city")


def test_every_answer_has_a_confidence_and_a_reason():
    frame = pd.DataFrame(
        {"name": ["Taluqan", "Nijreb", "Xyzzy", "Baharak", "Gizab"], "province": [None, None, None, None, "Uruzgan"]}
    )
    result = geocoder.geocode_frame(frame)
    assert result["reason"].notna().all()
    assert result["confidence"].between(0, 1).all()
    assert result.loc[2, "confidence"] == 0
    assert result.loc[0, "confidence"] > result.loc[4, "confidence"] > 0


def test_a_place_across_the_border_is_another_place_of_that_name():
    # A dataset's place comes with the province its own point lies in: a
    # "Gizab" placed in Uruzgan is another Gizab than Daykundi's district (a
    # village "Andar" in Wardak is not Ghazni's Andar).
    gizab = resolve("Gizab", "Uruzgan", role="place")
    assert (gizab.pcode, gizab.level) == ("AF25", "province")
    assert resolve("Gizab", "Uruzgan").pcode == "AF2409"
    # A name written as a district still crosses the border, and so does a
    # long official name: Ghormach is Badghis's on OCHA's map, Faryab's in datasets.
    assert resolve("Gizab District", "Uruzgan", role="place").pcode == "AF2409"
    assert resolve("Ghormach", "Faryab", role="place").pcode == "AF3107"


@pytest.mark.parametrize(
    "written",
    [
        "District Alingar",
        "Alingar District",
        "District of Alingar",
        "Alingar Bazaar",
        "Bazar-e Alingar",
        "Alaqadari Alingar",
        "Alaqadary Alingar",
        "Alaqahdari-ye Alingar",
    ],
)
def test_a_district_centre_as_datasets_write_it(written):
    match = resolve(written, "Laghman", role="place")
    assert (match.pcode, match.level) == ("AF0704", "district")


def test_the_word_district_alone_is_not_a_generic_word():
    assert resolve("District", "Laghman").level == "province"


def test_a_short_town_name_one_letter_off_is_not_that_town():
    # An unknown village "Chinr" is not the town Chinar (Ghorak): short town
    # names need the village threshold; the exact name still finds it.
    assert resolve("Chinr", "Kandahar", role="place").pcode == "AF27"
    assert resolve("Chinar", "Kandahar", role="place").pcode == "AF2709"


# --- answers kept on disk (geo._answers) -------------------------------------------------


def _answer_files():
    return sorted((settings.cache_dir / "geocoder").glob("answers-*.json"))


def test_answers_from_the_file_equal_fresh_answers():
    from geo import _answers, gazetteer

    fresh_gazetteer = gazetteer.load_gazetteer()  # given explicitly: nothing read from or kept in the file
    names = [name for name, _, _ in SEED_PLACES] + ["Nowhere Qxq", "Baharak", "", "Taluqan"]
    provinces = [province for _, province, _ in SEED_PLACES] + [None, None, "Kabul", "AF18"]
    frame = pd.DataFrame({"name": names, "province": provinces}, index=range(100, 100 + len(names)))
    for role in ("mention", "place"):
        path = settings.cache_dir / "geocoder" / f"answers-{_answers.answers_key(role)}.json"
        path.unlink(missing_ok=True)
        expected = geocode_frame(frame, gazetteer=fresh_gazetteer, role=role)
        half = geocode_frame(frame.iloc[::2], role=role)  # half resolved and kept
        pd.testing.assert_frame_equal(half, expected.iloc[::2])
        stored = len(json.loads(path.read_text(encoding="utf-8"))["answers"])
        pd.testing.assert_frame_equal(geocode_frame(frame, role=role), expected)  # half from the file
        pd.testing.assert_frame_equal(geocode_frame(frame, role=role), expected)  # all from the file
        assert stored < len(json.loads(path.read_text(encoding="utf-8"))["answers"]) == len(set(zip(names, provinces)))


def test_answer_file_is_named_by_thresholds_role_and_learned_names(monkeypatch):
    from geo import _answers

    key = _answers.answers_key("mention")
    assert _answers.answers_key("place") != key
    monkeypatch.setattr(settings, "fuzzy_threshold", settings.fuzzy_threshold - 1)
    assert _answers.answers_key("mention") != key
    monkeypatch.undo()
    learned = settings.cache_dir / "gazetteer" / "learned.parquet"
    assert not learned.exists()
    learned.parent.mkdir(parents=True, exist_ok=True)
    learned.write_bytes(b"names learned since")
    try:
        assert _answers.answers_key("mention") != key
    finally:
        learned.unlink()
    assert _answers.answers_key("mention") == key


def test_damaged_answer_file_is_ignored_and_written_again():
    from geo import _answers

    path = settings.cache_dir / "geocoder" / f"answers-{_answers.answers_key('mention')}.json"
    frame = pd.DataFrame({"name": ["Taluqan", "Nijreb"], "province": [None, "Kapisa"]})
    expected = geocode_frame(frame)
    for damage in ("{not json", '{"columns": ["pcode"], "answers": {}}', "[1, 2]"):
        path.write_text(damage, encoding="utf-8")
        pd.testing.assert_frame_equal(geocode_frame(frame), expected)
        assert len(json.loads(path.read_text(encoding="utf-8"))["answers"]) == 2
