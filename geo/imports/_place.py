"""Placing imported events in districts: by their own point, else by their names.

The rule, the same for every dataset:

1. A usable point (inside Afghanistan) places the event in the district that
   holds it (:func:`geo.locate_points`), unless the dataset says the point
   stands for a province or a wider area; then the event stays at province
   level, its point kept.
2. No usable point: the names go through the geocoder (:func:`geocode_names`),
   place name first, then the district, then the province alone.
3. Where the dataset's own names disagree with the point, the disagreement is
   kept in ``location_check``; the point wins (:func:`name_disagreements`).

4. Rows left at province level take a district their ``notes`` name inside
   their province (``placed_by`` = ``notes``; :func:`finalise_province_rows`).

:func:`geocode_names` is the one place names are geocoded (as places, with
the learned gazetteer), :func:`finalise_province_rows` the one place
province-level rows are finished.
"""

import numpy as np
import pandas as pd

from .._distinct import distinct_rows
from .._matching import ROLE_MENTION, ROLE_PLACE
from ..boundaries import locate_points, pcode_names
from ..schema import LEVEL_DISTRICT, LEVEL_PLACE, LEVEL_PROVINCE

# A dataset precision whose point stands for nothing smaller than the country.
LEVEL_WIDE = "wide"


def place_events(events):
    """Place each event.

    Parameters
    ----------
    events : pandas.DataFrame
        ``latitude``, ``longitude`` (floats, NaN where blank), ``level`` (the
        dataset precision as place/district/province/wide, "" when unknown),
        ``location``, ``admin2``, ``admin1`` (the dataset's names) and
        ``notes``.

    Returns
    -------
    pandas.DataFrame
        Indexed like `events`: ``pcode`` ("" where unplaced), ``geo_precision``,
        ``placed_by``, ``keep_point`` (bool), ``location_check`` and
        ``problem`` (why a row could not be placed; "" when it was).
    """
    point_pcode = _district_of_points(events["longitude"], events["latitude"])
    # The province each row's admin1 names, asked once here for the name
    # checks and for learning.
    events = events.assign(stated_province=stated_provinces(events["admin1"]))
    wide = events["level"].eq(LEVEL_WIDE)
    by_point = point_pcode.ne("") & ~wide
    province_level = events["level"].eq(LEVEL_PROVINCE)
    placed = pd.DataFrame(index=events.index)
    placed["pcode"] = point_pcode.where(~province_level, point_pcode.str[:4]).where(by_point, "")
    placed["geo_precision"] = events["level"].replace({"": LEVEL_PLACE}).where(by_point, "")
    placed["placed_by"] = pd.Series("coordinates", index=events.index, dtype=str).where(by_point, "")
    placed["keep_point"] = by_point
    placed["stated_province"] = events["stated_province"]
    placed["location_check"] = _checked_once(events[by_point], placed.loc[by_point, "pcode"]).reindex(
        events.index, fill_value=""
    )
    outside = events["latitude"].notna() & events["longitude"].notna() & point_pcode.eq("")
    placed.loc[outside, "location_check"] = (
        "point "
        + events.loc[outside, "latitude"].astype(str)
        + ", "
        + events.loc[outside, "longitude"].astype(str)
        + " lies outside Afghanistan; placed by its names"
    )
    _place_by_names(events, placed, ~by_point & ~wide, province_level)
    placed["problem"] = ""
    placed.loc[wide, "problem"] = "the dataset places this event no closer than the country"
    return finalise_province_rows(events, placed)


def _place_by_names(events, placed, todo, province_level):
    if not todo.any():
        return
    found = geocode_names(events.loc[todo, "location"], events.loc[todo, "admin2"], events.loc[todo, "admin1"])
    pcode = found["pcode"].where(~province_level[todo], found["pcode"].str[:4])
    placed.loc[todo, "pcode"] = pcode
    placed.loc[todo, "geo_precision"] = np.where(pcode.str.len() > 4, LEVEL_DISTRICT, LEVEL_PROVINCE)
    placed.loc[todo, "placed_by"] = "geocoder"
    unplaced = todo & placed["pcode"].eq("")
    placed.loc[unplaced, ["geo_precision", "placed_by"]] = ""
    placed.loc[todo, "reason"] = found["reason"]


def finalise_province_rows(events, placed):
    """Finish the rows left at province level: a district their notes name, else why they are unplaced.

    A row at province level (no usable point, a point that stands for the
    province, or names that stop at the province) whose ``notes`` name a
    district inside that province ("clashed in Nad-e Ali district") is
    placed there, ``placed_by`` = ``notes`` and ``geo_precision`` =
    ``district`` (:func:`geo.extract.district_in_notes`). Rows nothing placed
    get the geocoder's reason as their problem.
    """
    reason = placed.pop("reason") if "reason" in placed.columns else pd.Series("", index=placed.index)
    district_from_notes(events, placed)
    unplaced = placed["pcode"].eq("") & placed["problem"].eq("")
    if unplaced.any():
        rows = events[unplaced]
        names = "'" + rows["location"] + "' (district '" + rows["admin2"] + "', province '" + rows["admin1"] + "')"
        placed.loc[unplaced, "problem"] = (
            "no point in Afghanistan, and the names "
            + names
            + " do not geocode: "
            + reason[unplaced].fillna("").astype(str)
        )
    return placed


def district_from_notes(events, placed):
    """Place province-level rows in the district their notes name inside their province (in place).

    Each distinct (notes, province) pair is read once. A kept point that
    lies outside the district the notes name is dropped (it stood for the
    province) and the drop is said in ``location_check``.
    """
    at_province = placed["pcode"].str.len().eq(4) & events["notes"].str.strip().ne("")
    if not at_province.any():
        return
    from ..extract.places import district_in_notes

    notes, province = events.loc[at_province, "notes"], placed.loc[at_province, "pcode"]
    codes, distinct = pd.factorize(notes + "\x1f" + province)
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    found = district_in_notes(notes.iloc[first].reset_index(drop=True), province.iloc[first].reset_index(drop=True))
    district = pd.Series(found.to_numpy()[codes], index=notes.index).fillna("").astype(str)
    district = district[district.str.len() > 4]
    if district.empty:
        return
    placed.loc[district.index, ["pcode", "geo_precision", "placed_by"]] = np.column_stack(
        [district.to_numpy(), np.full(len(district), LEVEL_DISTRICT), np.full(len(district), "notes")]
    )
    rows = events.loc[district.index]
    point_district = _district_of_points(rows["longitude"], rows["latitude"])
    dropped = placed.loc[district.index, "keep_point"] & point_district.ne(district)
    dropped = dropped[dropped].index
    placed.loc[dropped, "keep_point"] = False
    placed.loc[dropped, "location_check"] = (
        "district "
        + district[dropped]
        + " from the notes; the province-level point "
        + rows.loc[dropped, "latitude"].astype(str)
        + ", "
        + rows.loc[dropped, "longitude"].astype(str)
        + " dropped"
    )


def places_to_learn(events, placed, source):
    """The places the rows name with their own point, for :func:`geo.gazetteer.learn`.

    Rows placed by their coordinates at place level (or unknown precision)
    whose ``location`` is not blank; one row per distinct (name, district),
    with the province the row's ``admin1`` names (a point outside it is not
    learned) and `source` (the dataset's name) as the label.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``province_pcode``, ``latitude``, ``longitude``, ``source``.
    """
    usable = (
        placed["placed_by"].eq("coordinates")
        & placed["geo_precision"].eq(LEVEL_PLACE)
        & events["location"].str.strip().ne("")
    )
    rows = events.loc[usable, ["location", "latitude", "longitude"]].assign(
        pcode=placed.loc[usable, "pcode"], province=placed.loc[usable, "stated_province"]
    )
    rows = rows.drop_duplicates(["location", "pcode"])
    return pd.DataFrame(
        {
            "name": rows["location"].str.strip(),
            "province_pcode": rows["province"],
            "latitude": rows["latitude"],
            "longitude": rows["longitude"],
            "source": source,
        }
    ).reset_index(drop=True)


def geocode_names(location, admin2, admin1):
    """Geocode events by their names: the place, else the district, else the province.

    The one function through which imports geocode names. Location and
    district names are asked as places (``role="place"``: a place named like
    its province is the provincial capital), the province as a mention. The
    learned gazetteer answers too (:func:`geo.gazetteer.learn`). Each
    distinct (name, province) pair is asked once.

    Returns
    -------
    pandas.DataFrame
        ``pcode`` ("" when nothing resolved) and ``reason``, indexed like
        `location`.
    """
    result = pd.DataFrame({"pcode": "", "reason": ""}, index=location.index)
    # Location and district cells are places ("Ghazni" there is the city);
    # the province cell is the province. (The place role also answers what
    # a "NAME District" retry used to: the LWJ table's 399 districts and the
    # 2021 series fixture import the same without it.)
    steps = ((location, True, ROLE_PLACE), (admin2, True, ROLE_PLACE), (admin1, False, ROLE_MENTION))
    for names, district_only, role in steps:
        todo = result["pcode"].eq("") & names.str.strip().ne("")
        if not todo.any():
            continue
        found = _geocode_pairs(names[todo], admin1[todo], role=role)
        good = found["pcode"].str.len() > 4 if district_only else found["pcode"].ne("")
        result.loc[good[good].index, "pcode"] = found.loc[good, "pcode"]
        first_reason = todo & result["reason"].eq("")
        result.loc[first_reason, "reason"] = found["reason"].reindex(result.index)[first_reason]
    return result


def _checked_once(events, pcode):
    """:func:`name_disagreements`, worked out once per distinct (location, admin2, admin1, pcode)."""
    codes, first = distinct_rows([events["location"], events["admin2"], events["admin1"], pcode])
    distinct = events.iloc[first].reset_index(drop=True)
    checks = name_disagreements(distinct, pcode.iloc[first].reset_index(drop=True)).to_numpy()
    return pd.Series(checks[codes] if len(codes) else [], index=events.index, dtype=str)


def name_disagreements(events, pcode):
    """Describe where the dataset's names disagree with the placed code.

    The district name (``admin2``) is compared first, then the place name
    (``location``, when the geocoder puts it in one district), then the
    province (``admin1``); the first disagreement is described.

    Returns
    -------
    pandas.Series of str
        "" where the names agree (or say nothing the geocoder knows).
    """
    if events.empty:
        return pd.Series("", index=events.index, dtype=str)
    names = pcode_names()
    blank = pd.Series("", index=events.index, dtype=str)
    district_code = geocode_names(blank, events["admin2"], events["admin1"])["pcode"]
    province_code = events["stated_province"] if "stated_province" in events else stated_provinces(events["admin1"])
    check = pd.Series("", index=events.index, dtype=str)
    wrong_district = (pcode.str.len() > 4) & (district_code.str.len() > 4) & (district_code != pcode)
    check[wrong_district] = _disagreement("admin2", events["admin2"], district_code, pcode, names, wrong_district)
    place_code = _geocode_pairs(events["location"], events["admin1"], role=ROLE_PLACE)["pcode"]
    wrong_place = ~wrong_district & (pcode.str.len() > 4) & (place_code.str.len() > 4) & (place_code != pcode)
    check[wrong_place] = _disagreement("location", events["location"], place_code, pcode, names, wrong_place)
    wrong_province = ~wrong_district & ~wrong_place & (province_code != "") & (province_code != pcode.str[:4])
    check[wrong_province] = _disagreement(
        "admin1", events["admin1"], province_code, pcode.str[:4], names, wrong_province
    )
    return check


def _disagreement(column, given, named_code, point_code, names, rows):
    """Messages "COLUMN 'NAME' is CODE (NAME); the point lies in CODE (NAME)" for the `rows` (a mask) only."""
    given, named_code, point_code = given[rows], named_code[rows], point_code[rows]
    return (
        f"{column} '"
        + given
        + "' is "
        + named_code
        + " ("
        + named_code.map(names).fillna("")
        + "); the point lies in "
        + point_code
        + " ("
        + point_code.map(names).fillna("")
        + ")"
    )


def stated_provinces(admin1):
    """The province code each province name names ("" where none), asked once per distinct name."""
    return _geocode_pairs(admin1, pd.Series("", index=admin1.index, dtype=str))["pcode"].str[:4]


def _geocode_pairs(names, provinces, *, role=ROLE_MENTION):
    """Geocode distinct (name, province) pairs once each; answers aligned with `names`."""
    from ..geocoder import geocode_frame

    codes, first = distinct_rows([names, provinces])
    asked = pd.DataFrame(
        {
            "name": names.iloc[first].str.strip().to_numpy(dtype=object),
            "province": provinces.iloc[first].str.strip().to_numpy(dtype=object),
        }
    )
    pcode = np.full(len(asked), "", dtype=object)
    reason = np.full(len(asked), "", dtype=object)
    ask = asked["name"].to_numpy() != ""
    if ask.any():
        # Pairs that differ only in spaces around the names are asked once.
        question = asked[ask].drop_duplicates()
        found = geocode_frame(question, "name", "province", role=role)
        answers = pd.DataFrame(
            {
                "pcode": found["pcode"].fillna("").astype(str).to_numpy(),
                "reason": found["reason"].fillna("").astype(str).to_numpy(),
            },
            index=pd.MultiIndex.from_frame(question),
        )
        matched = answers.reindex(pd.MultiIndex.from_frame(asked[ask]))
        pcode[ask] = matched["pcode"].to_numpy()
        reason[ask] = matched["reason"].to_numpy()
    return pd.DataFrame({"pcode": pcode[codes], "reason": reason[codes]}, index=names.index).astype(str)


def _district_of_points(longitude, latitude):
    usable = np.isfinite(longitude.to_numpy(dtype=float)) & np.isfinite(latitude.to_numpy(dtype=float))
    codes = np.full(len(longitude), "", dtype=object)
    if usable.any():
        codes[usable] = locate_points(longitude[usable].to_numpy(), latitude[usable].to_numpy()).to_numpy()
    # One conversion to a text column (a masked write into one costs more).
    return pd.Series(codes, index=longitude.index, dtype=str)
