"""Geocode Afghan place names to OCHA 2018 districts and provinces.

A name as the news spells it ("Taluqan", "Chah Ab", "Qala-i-Yangi", "Musa
Kala", "Farah City"), optionally with the province it was reported in, is
resolved against the gazetteer (:mod:`geo.gazetteer`) in these steps:

1. **exact**: its normalized key equals a gazetteer key;
2. **word order**: its words, in any order, equal a name's ("Qala-i-Yangi" =
   "Yangi Qala");
3. **skeleton**: it differs from a district or province name only in its
   vowels ("Nijreb" = Nijrab), and that name is the only such place;
4. **fuzzy**: rapidfuzz finds a key at or above ``settings.fuzzy_threshold``
   (within the province if one was given, villages included; otherwise among
   district, province and town names, short names needing a higher score); every key within
   ``FUZZY_MARGIN`` points of the best is considered too, so a name halfway
   between two districts is ambiguous rather than guessed;
5. **second names**: "KHOST (MATON)", "TALOQAN - CENTER OF TALOQAN" and
   "MUQUR BADGHIS" are tried by their other part when the first finds no
   district;
6. **neighbouring province**: the exact name of one district near the given
   province (within about 40 km) in a neighbouring one, when nothing in the given
   province resembles it
   (Gizab, reported in Uruzgan, is in Daykundi since 2004); the reason says
   so;
7. **fallback** (optional): a geopy geocoder is asked, and its point placed in
   a district by a point-in-polygon join;
8. **province**: nothing matched but a province was given: the answer is the
   province (level ``"province"``); without a province there is no answer.

Among the places a key points to, the province (when given) keeps only its
own; a lower gazetteer rank wins (official names and aliases over other
district names, over towns, over villages); "X City" is the provincial capital
and "X District" prefers a district; a province and districts inside it (the
province Kunduz and its capital district Kunduz) resolve to the province. If
that still leaves several districts, the answer is *ambiguous*: the province
when they all lie in one, else nothing, and the candidates are listed.

Precision comes first: a wrong district is worse than a province-level
answer.

The interfaces:

* :func:`resolve` for one name, returning a :class:`Match` (never raising for
  unknown names);
* :func:`geocode_frame` for a DataFrame of names, vectorised (exact lookups
  are one merge; fuzzy matching runs once per unique leftover);
* :class:`DistrictGeocoder`, a geopy geocoder returning
  :class:`geopy.location.Location` objects, with an optional ``fallback``
  geocoder (e.g. Nominatim behind a RateLimiter) for places no table holds,
  whose point is placed in a district by a point-in-polygon join.
"""

import math
import re
import sys
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point
from rapidfuzz import fuzz, process

from . import _names, settings
from .errors import InputError
from .gazetteer import RANK_DISTRICT_NAME, RANK_OFFICIAL, RANK_TOWN, RANK_VILLAGE, load_gazetteer
from .schema import LEVEL_DISTRICT, LEVEL_PROVINCE

# Match types, from the most to the least certain.
EXACT = "exact"
WORD_ORDER = "word_order"
SKELETON = "skeleton"
FUZZY = "fuzzy"
FALLBACK = "fallback"
PROVINCE = "province"
AMBIGUOUS = "ambiguous"
NONE = "none"

RESULT_COLUMNS = [
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
    "match_type",
    "candidates",
    "reason",
    "confidence",
]
# How a name is used: a place from a location column, or a mention in prose.
ROLE_PLACE = "place"
ROLE_MENTION = "mention"
ROLES = (ROLE_PLACE, ROLE_MENTION)
# The confidence of an answer, by how it was found (a fuzzy or skeleton
# match is scaled by its score; see _confidence).
_CONFIDENCE = {
    EXACT: 0.95,
    WORD_ORDER: 0.9,
    SKELETON: 0.85,
    FUZZY: 0.8,
    FALLBACK: 0.5,
    PROVINCE: 0.9,
    AMBIGUOUS: 0.8,
    NONE: 0.0,
}
# Fuzzy keys within this many points of the best are considered together:
# when they point to different places the name is ambiguous, not guessed.
FUZZY_MARGIN = 8
# Shorter keys are not fuzzy-matched: one letter off in four is another name.
FUZZY_MIN_LENGTH = 5
# Without a province, keys shorter than FUZZY_SHORT_KEY need
# FUZZY_SHORT_THRESHOLD to match fuzzily.
FUZZY_SHORT_KEY = 8
FUZZY_SHORT_THRESHOLD = 95
# Skeleton matches without a province need this many consonants, and all
# need this rapidfuzz ratio between the keys.
SKELETON_MIN_NATIONAL = 4
SKELETON_MIN_SCORE = 75
# A district name of a neighbouring province is not taken when the name
# scores this much against a name of the given province.
NEIGHBOUR_RESEMBLANCE = 75
# Query rows per rapidfuzz cdist call (bounds the score matrix's memory).
FUZZY_CHUNK = 2000
_PCODE = re.compile(r"^AF\d{2}(?:\d{2})?$", re.IGNORECASE)


@dataclass
class Match:
    """The answer for one place name.

    Attributes
    ----------
    query, province_query : str or None
        The name and province as given.
    pcode : str or None
        ``AF1801`` (district) or ``AF18`` (province); None when there is no answer.
    level : str or None
        ``"district"`` or ``"province"``.
    district, district_pcode : str or None
        The OCHA district (None for a province-level answer).
    province, province_pcode : str or None
        The OCHA province.
    score : float or None
        100 for exact and word-order matches, the rapidfuzz ratio of the keys
        for skeleton and fuzzy ones, None when no name matched.
    matched_name : str or None
        The gazetteer name that matched, as its source spells it.
    source : str or None
        The gazetteer source of that name (``ocha_district``, ``alias``, ...).
    lat, lon : float or None
        The place's own point (a town, a village) or a point inside the
        district or province.
    match_type : str
        ``exact``, ``word_order``, ``skeleton``, ``fuzzy``, ``fallback``, ``province``
        (nothing matched; the given province is the answer), ``ambiguous`` or
        ``none``.
    candidates : list of dict
        For ambiguous names: each place (``pcode``, ``name``, ``province``).
    suggestions : list of str
        For unknown names: the closest names, as "Name (Province)".
    reason : str or None
        How the answer was found, or why it is not a confident district.
    confidence : float or None
        0 to 1: how likely the answer (at its level) is right; 0 with no answer.
    """

    query: str | None
    province_query: str | None = None
    pcode: str | None = None
    level: str | None = None
    district: str | None = None
    district_pcode: str | None = None
    province: str | None = None
    province_pcode: str | None = None
    score: float | None = None
    matched_name: str | None = None
    source: str | None = None
    lat: float | None = None
    lon: float | None = None
    match_type: str = NONE
    candidates: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    reason: str | None = None
    confidence: float | None = None

    @property
    def ok(self):
        """True when there is an answer (district or province)."""
        return self.pcode is not None

    def to_dict(self):
        """Return the match as a plain dict (JSON-ready)."""
        return asdict(self)

    @property
    def address(self):
        """"Taloqan, Takhar, Afghanistan" or "Takhar, Afghanistan"."""
        parts = [self.district if self.level == LEVEL_DISTRICT else None, self.province, "Afghanistan"]
        return ", ".join(part for part in parts if part)


# --- the public functions ------------------------------------------------------------


def resolve(name: str, province: str | None = None, *, fallback=None, gazetteer=None, role: str = ROLE_MENTION) -> "Match":
    """Resolve one place name to a district or province.

    Parameters
    ----------
    name : str
        The place as written, e.g. ``"Taluqan"``, ``"Farah City"``.
    province : str, optional
        The province it was reported in: any spelling ("Helmand", "Hilmand",
        "Sar-e Pol") or a pcode (``"AF30"``).
    fallback : geopy geocoder or callable, optional
        Asked for names no table holds (see :class:`DistrictGeocoder`).
    gazetteer : Gazetteer, optional
        Defaults to :func:`geo.gazetteer.load_gazetteer`.
    role : {"mention", "place"}
        ``"place"`` for a name from a dataset's location (or district)
        column: a place named like its province ("Ghazni") is then the
        provincial capital's district. ``"mention"`` (the default) for a name
        in prose, where "in Ghazni" is the province.

    Returns
    -------
    Match
        Unknown and ambiguous names are answered too: ``match.pcode`` is then
        None (or the province) and ``match.reason`` says why.

    Raises
    ------
    InputError
        The name is not a string, is empty, or is longer than
        ``settings.max_name_length``.
    """
    _check_name(name)
    resolver = _resolver(gazetteer)
    table = resolver.resolve_table(
        pd.DataFrame({"name": [name], "province": [province]}), fallback=fallback, suggest=True, role=role
    )
    return _match_from_row(table.iloc[0], name, province)


def geocode_frame(
    frame: pd.DataFrame,
    name_column: str = "name",
    province_column: str | None = "province",
    *,
    fallback=None,
    progress=None,
    gazetteer=None,
    role: str = ROLE_MENTION,
) -> pd.DataFrame:
    """Geocode every row of a DataFrame.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per place name.
    name_column : str
        The column holding the names.
    province_column : str or None
        The column holding provinces (any spelling or pcode); ignored when
        None or absent.
    fallback : geopy geocoder or callable, optional
        Asked, once per unique name, for names nothing else resolves.
    progress : bool or tqdm-like, optional
        True shows a tqdm bar on stderr (hidden when stderr is not a
        terminal); an object with ``update(n)`` is updated instead.
    gazetteer : Gazetteer, optional
    role : {"mention", "place"}
        See :func:`resolve`; imports of location columns use ``"place"``.

    Returns
    -------
    pandas.DataFrame
        `frame`'s rows in the same order and index, with its columns plus
        :data:`RESULT_COLUMNS` (``candidates`` as ", "-joined text). A result
        column overwrites an input column of the same name, except the name
        and province columns, whose result is written as
        ``geocoded_<column>`` instead. Rows with no answer have an empty
        ``pcode`` and a ``reason``.

    Raises
    ------
    InputError
        `name_column` is not a column of `frame`.
    """
    if name_column not in frame.columns:
        columns = ", ".join(map(str, frame.columns)) or "none"
        raise InputError(f"no {name_column!r} column (columns: {columns})")
    provinces = frame[province_column] if province_column and province_column in frame.columns else None
    queries = pd.DataFrame(
        {
            "name": frame[name_column].to_numpy(),
            "province": provinces.to_numpy() if provinces is not None else np.full(len(frame), None, dtype=object),
        }
    )
    bar = _progress_bar(progress, len(frame))
    try:
        results = _resolver(gazetteer).resolve_table(queries, fallback=fallback, progress=bar, role=role)
    finally:
        if bar is not None and progress is True:
            bar.close()
    results["candidates"] = results["candidates"].map(_candidates_text)
    output = frame.copy()
    protected = {name_column, province_column}
    for column in RESULT_COLUMNS:
        target = f"geocoded_{column}" if column in protected else column
        output[target] = results[column].to_numpy()
    return output


class DistrictGeocoder(Geocoder):
    """A geopy geocoder for Afghan districts and provinces, working offline.

    Parameters
    ----------
    fallback : geopy geocoder or callable, optional
        Asked for names the gazetteer does not hold, e.g.
        ``RateLimiter(Nominatim(user_agent="my-app").geocode, min_delay_seconds=1)``
        or a geocoder instance. Its point is placed in a district by a
        point-in-polygon join, and kept only when it lies in Afghanistan (and
        in the given province, if any). Off by default; it is the only part
        that may use the network.
    gazetteer : Gazetteer, optional
        Defaults to :func:`geo.gazetteer.load_gazetteer`.
    user_agent : str, optional
        Passed to geopy's base class (nothing here sends requests).

    Examples
    --------
    >>> geocoder = DistrictGeocoder()
    >>> geocoder.geocode("Taluqan").raw["pcode"]
    'AF1801'
    >>> geocoder.geocode("Baharak", province="Takhar").address
    'Baharak, Takhar, Afghanistan'
    """

    def __init__(self, *, fallback=None, gazetteer=None, user_agent=None, **kwargs):
        super().__init__(user_agent=user_agent or "geo-district-geocoder", **kwargs)
        self.fallback = fallback
        self._gazetteer = gazetteer

    def resolve(self, name: str, province: str | None = None, *, role: str = ROLE_MENTION) -> Match:
        """Return the :class:`Match` for one name (see :func:`resolve`)."""
        return resolve(name, province, fallback=self.fallback, gazetteer=self._gazetteer, role=role)

    def geocode(self, query: str, *, exactly_one: bool = True, province: str | None = None, timeout=None,
                role: str = ROLE_MENTION):
        """Geocode a place name.

        Parameters
        ----------
        query : str
            The place name.
        exactly_one : bool
            Return one Location (or None); with False, a list: every candidate
            of an ambiguous name, else the one answer (or None).
        province : str, optional
            The province it was reported in (name or pcode).
        timeout : float, optional
            Unused (nothing here waits on the network except a fallback,
            which has its own timeout); accepted for geopy compatibility.
        role : {"mention", "place"}
            See :func:`resolve`.

        Returns
        -------
        geopy.location.Location, list of Location, or None
            ``.raw`` holds the :class:`Match` fields as a dict. An ambiguous
            name with ``exactly_one=True`` gives None unless its candidates
            share a province, which is then the answer.
        """
        match = self.resolve(query, province, role=role)
        if not exactly_one:
            if match.pcode is None and match.candidates:
                return [self._candidate_location(candidate, match) for candidate in match.candidates]
            return [_location(match)] if match.ok else None
        return _location(match) if match.ok else None

    def reverse(self, query, *, exactly_one=True, timeout=None):
        """Return the district holding a point, as a Location (or None).

        Parameters
        ----------
        query : geopy.point.Point, (lat, lon) tuple or "lat, lon" string
        """
        point = Point(query)
        pcodes = districts_at(pd.Series([point.latitude]), pd.Series([point.longitude]))
        pcode = pcodes.iloc[0]
        if pcode is None:
            return None
        match = _resolver(self._gazetteer).place_match(
            pcode, query=str(query), source="reverse", lat=point.latitude, lon=point.longitude
        )
        location = _location(match)
        return location if exactly_one else [location]

    def geocode_frame(self, frame: pd.DataFrame, name_column: str = "name", province_column: str | None = "province",
                      *, progress=None, role: str = ROLE_MENTION) -> pd.DataFrame:
        """Geocode a DataFrame (see :func:`geocode_frame`)."""
        return geocode_frame(
            frame, name_column, province_column, fallback=self.fallback, progress=progress, gazetteer=self._gazetteer,
            role=role,
        )

    def _candidate_location(self, candidate, match):
        single = _resolver(self._gazetteer).place_match(
            candidate["pcode"], query=match.query, source=match.source, score=match.score,
            matched_name=match.matched_name,
        )
        single.match_type = AMBIGUOUS
        single.candidates = match.candidates
        single.reason = match.reason
        return _location(single)


def districts_at(lats, lons):
    """Return the OCHA district pcode holding each point (None outside).

    Parameters
    ----------
    lats, lons : pandas.Series of float

    Returns
    -------
    pandas.Series of str or None, same index as `lats`.
    """
    import geopandas as gpd

    from . import boundaries

    districts = boundaries._load_districts()
    points = gpd.GeoDataFrame(
        {"row": np.arange(len(lats))}, geometry=gpd.points_from_xy(lons.astype(float), lats.astype(float)), crs=boundaries.CRS
    )
    joined = gpd.sjoin(points, districts[["district_pcode", "geometry"]], how="left", predicate="within")
    joined = joined[~joined["row"].duplicated()].set_index("row")["district_pcode"]
    result = joined.reindex(np.arange(len(lats)))
    return pd.Series(result.astype(object).where(result.notna(), None).to_numpy(), index=lats.index)


# --- the resolver -------------------------------------------------------------------------


_RESOLVERS = {}


def _resolver(gazetteer=None):
    gazetteer = gazetteer or load_gazetteer()
    resolver = _RESOLVERS.get(id(gazetteer))
    if resolver is None or resolver.gazetteer is not gazetteer:
        _RESOLVERS.clear()  # one gazetteer at a time: old ones are freed
        resolver = _RESOLVERS[id(gazetteer)] = _Resolver(gazetteer)
    return resolver


class _Resolver:
    """Lookup structures over one gazetteer; resolves tables of queries."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer
        names = gazetteer.names
        self.names = names
        self.districts = gazetteer.districts
        self.provinces = gazetteer.provinces
        self.province_keys = names.loc[names["level"] == LEVEL_PROVINCE, ["key", "pcode"]].drop_duplicates()
        self.sorted_names = names[names["sorted_key"] != ""]
        # District and province names (no towns or villages) by consonant skeleton.
        named = names[names["rank"] <= RANK_DISTRICT_NAME]
        self.skeleton_names = named.assign(skeleton=_names.skeletons(named["key"]).to_numpy())
        self.skeleton_names = self.skeleton_names[self.skeleton_names["skeleton"] != ""]
        self._choices = {}
        self.province_namesakes = _province_namesakes(names)

    # The pipeline -------------------------------------------------------------------

    def resolve_table(self, queries, *, fallback=None, progress=None, suggest=False, role=ROLE_MENTION):
        """Resolve a DataFrame with columns ``name`` and ``province``.

        Returns a DataFrame of :data:`RESULT_COLUMNS` (plus ``suggestions``),
        same index and order as `queries`.
        """
        _check_role(role)
        names = queries["name"].astype(object).where(queries["name"].notna(), None)
        provinces = queries["province"].astype(object).where(queries["province"].notna(), None)
        pairs = pd.DataFrame({"name": names.map(_as_text), "province": provinces.map(_as_text)})
        unique = pairs.drop_duplicates(ignore_index=True)
        unique["qid"] = np.arange(len(unique))
        tracker = _Progress(progress, len(unique)) if progress is not None else None
        results = self._resolve_unique(unique, fallback=fallback, progress=tracker, suggest=suggest, role=role)
        results = _explained(results)
        if tracker is not None:
            tracker.finish()
        positions = pairs.merge(unique, on=["name", "province"], how="left")["qid"].to_numpy()
        out = results.iloc[positions].reset_index(drop=True)
        out.index = queries.index
        return out

    def _resolve_unique(self, unique, *, fallback, progress, suggest, alternates=True, role=ROLE_MENTION):
        """Resolve distinct (name, province) rows; index ``qid``."""
        queries = self._prepare(unique)
        results = _empty_results(len(queries))
        results.index = queries.index
        invalid = queries["problem"].notna()
        results.loc[invalid, "reason"] = queries.loc[invalid, "problem"]
        _tick(progress, int(invalid.sum()))
        active = queries[~invalid]
        for match_type, step in (
            (EXACT, self._exact),
            (WORD_ORDER, self._word_order),
            (SKELETON, self._skeleton),
            (FUZZY, self._fuzzy),
        ):
            if active.empty:
                break
            active = _record(results, step(active, match_type, progress), active)
        if alternates:
            active = _record(results, self._refine_by_alternates(queries[~invalid], results, active), active)
            active = _record(results, self._neighbouring(active), active)
            if role == ROLE_PLACE:
                self._as_places(queries[~invalid], results)
        failures = pd.Series(dtype=object)
        if fallback is not None and not active.empty:
            decided, failures = self._fallback(active, fallback)
            active = _record(results, decided, active)
        if not active.empty:
            results.loc[active.index, results.columns] = self._unmatched(active, suggest=suggest)
        if len(failures):
            # The fallback's own failure (network, quota) is part of the reason.
            failed = failures.index.intersection(active.index)
            results.loc[failed, "reason"] = results.loc[failed, "reason"] + "; " + failures[failed]
        results["province_note"] = queries["province_note"]
        return _add_province_notes(results)

    def _as_places(self, queries, results):
        """A place named like its province is its capital ("Ghazni" in a location
        column is the city), unless the name says "province"."""
        named = results.loc[queries.index]
        is_place = (
            named["match_type"].isin([EXACT, WORD_ORDER, SKELETON, FUZZY])
            & (named["level"] == LEVEL_PROVINCE)
            & (queries["hint"] != _names.HINT_PROVINCE)
        )
        rows = named.index[is_place.to_numpy()]
        if not len(rows):
            return
        provinces = results.loc[rows, "pcode"]
        # The town Balkh is Balkh district, not Mazar-e-Sharif: a district
        # named like its province is the place; else the capital is.
        namesake = provinces.map(self.province_namesakes)
        capitals = provinces.map(self.provinces["capital_pcode"])
        self._fill_places(results, rows, namesake.fillna(capitals))
        results.loc[rows, "reason"] = np.where(
            namesake.notna(),
            "a place named like its province: the town or district of that name, in " + results.loc[rows, "district"],
            "a place named like its province: the provincial capital, " + results.loc[rows, "district"],
        )
        results.loc[rows, "confidence"] = 0.8

    def _refine_by_alternates(self, queries, results, active):
        """Second names: for rows with no answer, and for rows answered only
        with a province ("KHOST (MATON)": Khost is the province, Maton its
        capital district), when the second name is a district inside it."""
        province_only = results.index[(results["level"] == LEVEL_PROVINCE).to_numpy()].intersection(queries.index)
        decided = self._alternates(queries.loc[active.index.union(province_only)])
        if decided.empty:
            return decided
        earlier = results.loc[decided.index, "pcode"]
        refines = (decided["level"] == LEVEL_DISTRICT) & (decided["pcode"].str[:4] == earlier.str[:4])
        return decided[refines | decided.index.isin(active.index)]

    def _neighbouring(self, active):
        """A district name exactly, but in a province bordering the given one.

        Sources place districts in the province they belonged to once (Gizab
        was Uruzgan's before Daykundi's); an exact district name across the
        border, of a district touching the given province, is answered with
        the reason saying so. Only official names,
        aliases and other district names count (no towns or villages), and
        only when they point to one district.
        """
        given = active[active["province_pcode"].notna()]
        if given.empty:
            return _empty_results(0)
        names = self.names[(self.names["rank"] <= RANK_DISTRICT_NAME) & (self.names["level"] == LEVEL_DISTRICT)]
        candidates = (
            given[["key", "hint", "province_pcode"]]
            .rename(columns={"province_pcode": "given_pcode"})
            .reset_index()
            .merge(names, on="key", how="inner")
        )
        # The district itself must lie near the given province: a district of
        # a neighbouring province far from the border is another place.
        bordering = candidates["pcode"].map(self.districts["bordering"])
        across = [given in near for given, near in zip(candidates["given_pcode"], bordering)]
        candidates = candidates[np.asarray(across, dtype=bool)]
        if candidates.empty:
            return _empty_results(0)
        candidates = candidates.assign(match_key=candidates["key"], province_pcode_query=None)
        decided = self._decide(candidates, given, EXACT, score=100.0)
        decided = decided[(decided["level"] == LEVEL_DISTRICT).to_numpy()]
        # Not when the name resembles a name of the given province ("Khenj"
        # in Baghlan may be Baghlan's Khinjan, not Panjsher's Khenj).
        resembles = [
            self._resembles_in_province(given.at[qid, "key"], given.at[qid, "province_pcode"]) for qid in decided.index
        ]
        decided = decided[~np.asarray(resembles, dtype=bool)]
        if decided.empty:
            return decided
        asked = given.loc[decided.index, "province_pcode"].map(self.provinces["province"])
        decided["reason"] = (
            "not in " + asked + "; " + decided["district"] + " is in the neighbouring " + decided["province"]
        )
        decided["confidence"] = 0.6
        return decided

    def _resembles_in_province(self, key, province_pcode, threshold=NEIGHBOUR_RESEMBLANCE):
        keys, _ = self._scope_choices(province_pcode, villages=False)
        found = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=threshold) if keys else None
        return found is not None

    def _alternates(self, active):
        """Try the second name of "X (Y)", "X - Y" and "X <province>" forms."""
        with_alternate = active[active["alt_name"].notna()]
        if with_alternate.empty:
            return _empty_results(0)
        sub = pd.DataFrame(
            {
                "name": with_alternate["alt_name"].to_numpy(),
                "province": with_alternate["alt_province"].to_numpy(),
                "qid": with_alternate.index.to_numpy(),
            }
        )
        found = self._resolve_unique(sub, fallback=None, progress=None, suggest=False, alternates=False)
        found = found[found["pcode"].notna() & found["match_type"].isin([EXACT, WORD_ORDER, SKELETON, FUZZY])]
        return found

    def _prepare(self, unique):
        """Normalize names, resolve provinces, flag bad input."""
        queries = unique.set_index("qid")
        text = queries["name"].fillna("").str.strip()
        parts = pd.DataFrame(
            [_split_query(value) for value in text], index=queries.index, columns=["main", "alt_name", "hinted"]
        )
        keys = _names.normalize_names(parts["main"])
        queries = queries.join(keys)
        problem = pd.Series(None, index=queries.index, dtype=object)
        limit = settings.max_name_length
        problem[queries["key"] == ""] = "no letters in name"
        problem[text == ""] = "empty name"
        problem[text.str.len() > limit] = f"name longer than {limit} characters"
        problem[queries["name"].isna()] = "empty name"
        queries["problem"] = problem
        # A bracketed or trailing province name: "Baharak (Takhar)", "Muqur Badghis".
        hinted_key = _names.normalize_names(parts["hinted"].fillna(""))["key"]
        is_province = hinted_key.isin(set(self.province_keys["key"])) & (hinted_key != "")
        bracketed = text.str.contains(r"[\(\[]", regex=True)
        given = queries["province"]
        queries["alt_name"] = parts["alt_name"].where(~(is_province & bracketed), None)
        queries["alt_province"] = given.where(given.notna(), parts["hinted"].where(is_province, None))
        # Trailing words that are not a province give no alternate name.
        trailing = ~bracketed & ~text.str.contains(r"\s[-\u2013\u2014]\s", regex=True)
        queries.loc[trailing & ~is_province, "alt_name"] = None
        province_text = given.where(given.notna(), parts["hinted"].where(is_province & bracketed, None))
        pcodes, notes = self.resolve_provinces(province_text)
        queries["province_pcode"] = pcodes
        queries["province_note"] = notes
        return queries

    def resolve_provinces(self, provinces):
        """Map province strings to pcodes; return (pcodes, notes) Series."""
        unique = pd.Series(provinces.dropna().unique(), dtype=object)
        unique = unique[unique.astype(str).str.strip() != ""]
        mapping, notes = {}, {}
        if len(unique):
            text = unique.astype(str).str.strip()
            keys = _names.normalize_names(text)["key"]
            exact = self.province_keys.groupby("key")["pcode"].agg(lambda codes: sorted(set(codes)))
            for original, stripped, key in zip(unique, text, keys):
                mapping[original], notes[original] = self._province_of(stripped, key, exact)
        pcodes = provinces.map(lambda value: mapping.get(value) if value is not None else None)
        note_series = provinces.map(lambda value: notes.get(value) if value is not None else None)
        return pcodes.astype(object), note_series.astype(object)

    def _province_of(self, text, key, exact):
        if _PCODE.match(text):
            pcode = text[:4].upper()
            if pcode in self.provinces.index:
                return pcode, None
            return None, f"province {text!r} is not an OCHA province code; ignored"
        codes = exact.get(key)
        if codes is not None and len(codes) == 1:
            return codes[0], None
        if len(key) >= FUZZY_MIN_LENGTH:
            found = process.extractOne(key, list(exact.index), scorer=fuzz.ratio, score_cutoff=settings.fuzzy_threshold)
            if found is not None and len(exact[found[0]]) == 1:
                return exact[found[0]][0], None
        return None, f"province {text!r} not recognised; ignored"

    # Steps --------------------------------------------------------------------------

    def _exact(self, queries, match_type, progress):
        return self._lookup(queries, "key", self.names, match_type, progress)

    def _word_order(self, queries, match_type, progress):
        """Same words in another order ("Qala-i-Yangi" = "Yangi Qala")."""
        multi = queries[(queries["sorted_key"] != "")]
        if multi.empty:
            return _empty_results(0)
        return self._lookup(multi, "sorted_key", self.sorted_names, match_type, progress)

    def _lookup(self, queries, key_column, names, match_type, progress):
        """Join the queries to the name table on one key column and decide."""
        candidates = (
            queries[[key_column, "hint", "province_pcode"]]
            .reset_index()
            .merge(names, on=key_column, how="inner", suffixes=("_query", ""))
        )
        candidates["match_key"] = candidates[key_column]
        decided = self._decide(candidates, queries, match_type, score=100.0)
        _tick(progress, len(decided))
        return decided

    def _skeleton(self, queries, match_type, progress):
        """Same consonants as a district or province name ("Nijreb" = Nijrab).

        Only unambiguous answers are kept; the others go on to fuzzy matching.
        """
        skeleton = _names.skeletons(queries["key"])
        # Without a province the whole country is the scope: short skeletons
        # (Farsa/Farsi, Chaki/Chawkay) are too often another district's.
        consonants = skeleton.str.count(r"[^_]")
        enough = (consonants >= SKELETON_MIN_NATIONAL) | queries["province_pcode"].notna()
        usable = queries.assign(skeleton=skeleton.to_numpy())[(skeleton != "").to_numpy() & enough.to_numpy()]
        if usable.empty:
            return _empty_results(0)
        candidates = (
            usable[["key", "skeleton", "hint", "province_pcode"]]
            .reset_index()
            .merge(self.skeleton_names, on="skeleton", how="inner", suffixes=("_query", ""))
        )
        if candidates.empty:
            return _empty_results(0)
        candidates["match_key"] = candidates["skeleton"]
        scores = [fuzz.ratio(a, b) for a, b in zip(candidates["key_query"], candidates["key"])]
        candidates["score"] = np.asarray(scores, dtype=float)
        # Several vowels changed is another name ("Buz Ariq" is not Bazarak).
        candidates = candidates[candidates["score"] >= SKELETON_MIN_SCORE]
        decided = self._decide(candidates.drop(columns=["key_query"]), usable, match_type)
        decided = decided[decided["pcode"].notna()]
        _tick(progress, len(decided))
        return decided

    def _fuzzy(self, queries, match_type, progress):
        """Fuzzy-match the leftovers, scope by scope (a province, or all)."""
        threshold = settings.fuzzy_threshold
        long_enough = queries[queries["key"].str.len() >= FUZZY_MIN_LENGTH]
        found = []
        scopes = long_enough["province_pcode"].fillna("")
        for scope, group in long_enough.groupby(scopes, sort=False):
            keys, _ = self._scope_choices(scope or None)
            if len(keys) == 0:
                continue
            for start in range(0, len(group), FUZZY_CHUNK):
                chunk = group.iloc[start : start + FUZZY_CHUNK]
                scores = process.cdist(
                    chunk["key"].tolist(), keys, scorer=fuzz.ratio, dtype=np.uint8, workers=-1,
                    score_cutoff=max(threshold - FUZZY_MARGIN, 0),
                )
                best = scores.max(axis=1).astype(int)
                # Every key within FUZZY_MARGIN of a row's best, when the best
                # reaches the threshold: near-equal rivals make it ambiguous.
                floor = best - FUZZY_MARGIN
                # Nationally, one letter more or less in a short name is often
                # another name (Armul/Marmul, Dehak/Deh Yak): short keys need a
                # higher score unless a province narrows the choice.
                short = (chunk["key"].str.len().to_numpy() < FUZZY_SHORT_KEY) & (not scope)
                needed = np.where(short, max(threshold, FUZZY_SHORT_THRESHOLD), threshold)
                near = (scores >= floor[:, None]) & (scores > 0) & (best[:, None] >= needed[:, None])
                rows, columns = np.nonzero(near)
                if len(rows):
                    found.append(
                        pd.DataFrame(
                            {
                                "qid": chunk.index.to_numpy()[rows],
                                "key": np.asarray(keys, dtype=object)[columns],
                                "score": scores[rows, columns].astype(float),
                            }
                        )
                    )
                _tick(progress, len(chunk))
        if not found:
            return _empty_results(0)
        hits = pd.concat(found, ignore_index=True)
        query_info = queries[["hint", "province_pcode"]]
        candidates = hits.join(query_info, on="qid").merge(self.names, on="key", how="inner", suffixes=("_query", ""))
        candidates["match_key"] = candidates["key"]
        candidates = _sure_enough(candidates)
        return self._decide(candidates, queries.loc[candidates["qid"].unique()], match_type)

    def _scope_choices(self, province_pcode, villages=True):
        """Unique keys to fuzzy-match against: a province's names (villages
        and learned names included unless `villages` is False), or all
        district, province and town names."""
        cache_key = (province_pcode, villages)
        if cache_key not in self._choices:
            # Nationally, villages are matched exactly only: a fuzzy village
            # hit is more often a misspelt district than the village. Within a
            # province the district names compete with them, and the margin
            # rule leaves a name between two readings at the province.
            scope = self.names[self.names["rank"] <= RANK_TOWN]
            if province_pcode is not None:
                scope = self.names if villages else scope
                scope = scope[scope["province_pcode"] == province_pcode]
            keys = scope.loc[scope["key"].str.len() >= 3, "key"].drop_duplicates().tolist()
            self._choices[cache_key] = (keys, scope)
        return self._choices[cache_key]

    def _fallback(self, queries, fallback):
        """Ask the fallback geocoder; keep points inside Afghanistan (and the province).

        Returns the decided rows and a Series of failure messages by ``qid``.
        """
        rows = []
        for qid, query in queries.iterrows():
            province_name = (
                self.provinces.loc[query["province_pcode"], "province"] if query["province_pcode"] else None
            )
            text = ", ".join(part for part in (query["name"], province_name, "Afghanistan") if part)
            try:
                location = _call_geocoder(fallback, text)
            except Exception as error:  # the fallback's own failures (network, quota) are a reason, not a crash
                rows.append({"qid": qid, "reason": f"fallback geocoder failed: {type(error).__name__}: {error}"[:300]})
                continue
            if location is None:
                continue
            rows.append(
                {"qid": qid, "lat": float(location.latitude), "lon": float(location.longitude),
                 "address": getattr(location, "address", None) or text}
            )
        located = pd.DataFrame(rows, columns=["qid", "lat", "lon", "address", "reason"])
        failures = located.dropna(subset=["reason"]).set_index("qid")["reason"]
        placed = located.dropna(subset=["lat"])
        if placed.empty:
            return _empty_results(0), failures
        placed = placed.assign(pcode=districts_at(placed["lat"], placed["lon"]).to_numpy())
        expected = queries.loc[placed["qid"], "province_pcode"].to_numpy()
        inside = placed["pcode"].notna() & (
            pd.isna(expected) | (placed["pcode"].fillna("").str[:4].to_numpy() == np.asarray(expected, dtype=object))
        )
        placed = placed[inside.to_numpy()]
        decided = [
            self.place_match(
                row.pcode, query=None, source=f"fallback:{_geocoder_name(fallback)}", lat=row.lat, lon=row.lon,
                matched_name=row.address, match_type=FALLBACK,
            )
            for row in placed.itertuples()
        ]
        frame = pd.DataFrame([_result_fields(match) for match in decided], index=placed["qid"].to_numpy())
        return frame.reindex(columns=RESULT_COLUMNS), failures

    def _unmatched(self, queries, *, suggest):
        """No name matched: the province if one was given, else nothing."""
        results = _empty_results(len(queries))
        results.index = queries.index
        has_province = queries["province_pcode"].notna()
        reasons = np.where(
            has_province,
            "no place called " + queries["name"].map(repr) + " in "
            + queries["province_pcode"].map(self.provinces["province"]).fillna("") + "; answered with the province",
            "no place called " + queries["name"].map(repr),
        )
        results["reason"] = reasons
        results["match_type"] = np.where(has_province, PROVINCE, NONE)
        results.loc[queries["problem"].notna(), "reason"] = queries["problem"]
        province_rows = queries.index[has_province.to_numpy()]
        if len(province_rows):
            pcodes = queries.loc[province_rows, "province_pcode"]
            self._fill_places(results, province_rows, pcodes)
        if suggest:
            results["suggestions"] = [self.suggestions(key) for key in queries["key"]]
        return results

    # Choosing among candidates ----------------------------------------------------------

    def _decide(self, candidates, queries, match_type, score=None):
        """Pick each query's answer among its candidate rows (vectorised).

        `candidates` has one row per (query, gazetteer name) with the query's
        ``qid``, ``hint_query`` (or ``hint``), ``province_pcode_query`` and the
        gazetteer columns (and ``score`` for fuzzy hits).
        """
        if candidates.empty:
            return _empty_results(0)
        candidates = candidates.rename(columns={"hint": "hint_query"}) if "hint_query" not in candidates else candidates
        if "province_pcode_query" not in candidates:
            candidates = candidates.join(queries["province_pcode"].rename("province_pcode_query"), on="qid")
        if score is not None:
            candidates = candidates.assign(score=score)
        # The given province keeps only its own places; villages need one
        # (a village name alone is too often another place's misspelling).
        given = candidates["province_pcode_query"].notna()
        keep = (given & (candidates["province_pcode"] == candidates["province_pcode_query"])) | (
            ~given & (candidates["rank"] < RANK_VILLAGE)
        )
        candidates = self._apply_hints(candidates[keep])
        if candidates.empty:
            return _empty_results(0)
        # For each matched key the best rank wins (an official name over
        # another district's variant); different keys (fuzzy hits within the
        # margin) that point to different places make the name ambiguous.
        best_rank = candidates.groupby(["qid", "match_key"])["rank"].transform("min")
        candidates = candidates[candidates["rank"] == best_rank]
        candidates = candidates.sort_values(["qid", "score", "rank"], ascending=[True, False, True], kind="stable")

        # Whether a curated alias names the place (see _contained_or_ambiguous).
        aliased = (candidates["source"] == "alias").groupby([candidates["qid"], candidates["pcode"]]).transform("any")
        places = candidates.assign(aliased=aliased).drop_duplicates(["qid", "pcode"])
        counts = places.groupby("qid")["pcode"].transform("size")
        single = places[counts == 1]
        several = places[counts > 1]
        decided = [self._answers(single, match_type)]
        if not several.empty:
            decided.append(self._contained_or_ambiguous(several, match_type, queries["name"]))
        return pd.concat([frame for frame in decided if not frame.empty] or [_empty_results(0)])

    def _apply_hints(self, candidates):
        """"X City" → the provincial capital; "X District"/"X Province" prefer that level."""
        hint = candidates["hint_query"]
        city = (hint == _names.HINT_CITY) & (candidates["level"] == LEVEL_PROVINCE)
        if city.any():
            capitals = candidates.loc[city, "pcode"].map(self.provinces["capital_pcode"])
            candidates = candidates.copy()
            candidates.loc[city, "pcode"] = capitals
            candidates.loc[city, "level"] = LEVEL_DISTRICT
            candidates.loc[city, "lat"] = capitals.map(self.districts["lat"])
            candidates.loc[city, "lon"] = capitals.map(self.districts["lon"])
        for wanted, level in (
            (_names.HINT_DISTRICT, LEVEL_DISTRICT),
            (_names.HINT_CITY, LEVEL_DISTRICT),
            (_names.HINT_PROVINCE, LEVEL_PROVINCE),
        ):
            asks = candidates["hint_query"] == wanted
            if not asks.any():
                continue
            has_level = (candidates["level"] == level) & asks
            qids_with_level = candidates.loc[has_level, "qid"].unique()
            drop = asks & candidates["qid"].isin(qids_with_level) & (candidates["level"] != level)
            candidates = candidates[~drop]
        return candidates

    def _answers(self, rows, match_type):
        if rows.empty:
            return _empty_results(0)
        results = _empty_results(len(rows))
        results.index = rows["qid"].to_numpy()
        self._fill_places(results, results.index, pd.Series(rows["pcode"].to_numpy(), index=results.index))
        results["score"] = rows["score"].to_numpy()
        results["matched_name"] = rows["name"].to_numpy()
        results["source"] = rows["source"].to_numpy()
        results["lat"] = rows["lat"].to_numpy()
        results["lon"] = rows["lon"].to_numpy()
        results["match_type"] = match_type
        return results

    def _contained_or_ambiguous(self, places, match_type, query_names):
        """Several places: a province and districts inside it → the province;
        districts of one province → that province, flagged ambiguous; else none."""
        groups = places.groupby("qid")
        provinces = places[places["level"] == LEVEL_PROVINCE]
        province_count = provinces.groupby("qid")["pcode"].nunique().reindex(list(groups.groups), fill_value=0)
        province_of_district = places["pcode"].str[:4]
        n_province_prefixes = province_of_district.groupby(places["qid"]).nunique()

        # A province with only its own districts: the province ("Kunduz") ...
        contained = province_count[(province_count == 1) & (n_province_prefixes == 1)].index
        # ... unless no province was given and a curated alias names one of
        # the districts: "Kabul" alone is the capital city in the news.
        aliased_districts = places[
            places["aliased"] & (places["level"] == LEVEL_DISTRICT) & places["province_pcode_query"].isna()
        ]
        alias_count = aliased_districts.groupby("qid")["pcode"].nunique()
        by_alias = alias_count[alias_count == 1].index.intersection(contained)
        answers = [
            self._answers(aliased_districts[aliased_districts["qid"].isin(by_alias)].drop_duplicates("qid"), match_type)
        ]
        contained = contained.difference(by_alias)
        answers.append(self._answers(provinces[provinces["qid"].isin(contained)].drop_duplicates("qid"), match_type))
        contained = contained.union(by_alias)

        rest = places[~places["qid"].isin(contained)]
        if not rest.empty:
            listed = rest.groupby("qid").apply(self._candidate_list, include_groups=False)
            results = _empty_results(len(listed))
            results.index = listed.index
            results["candidates"] = listed.to_numpy()
            results["match_type"] = AMBIGUOUS
            same_province = n_province_prefixes.reindex(listed.index) == 1
            first = rest.drop_duplicates("qid").set_index("qid").reindex(listed.index)
            texts = listed.map(_candidates_text)
            asked = query_names.reindex(listed.index).map(repr)
            results["reason"] = np.where(
                same_province,
                asked + " is ambiguous: " + texts + "; answered with their province",
                asked + " is ambiguous: " + texts + "; give a province",
            )
            one = listed.index[same_province.to_numpy()]
            if len(one):
                self._fill_places(results, one, first.loc[one, "pcode"].str[:4])
                results.loc[one, "score"] = first.loc[one, "score"]
                results.loc[one, "matched_name"] = first.loc[one, "name"]
                results.loc[one, "source"] = first.loc[one, "source"]
            answers.append(results)
        return pd.concat([frame for frame in answers if not frame.empty] or [_empty_results(0)])

    def _candidate_list(self, rows):
        return [
            {"pcode": pcode, "name": self._place_label(pcode), "province": self.provinces["province"].get(pcode[:4])}
            for pcode in sorted(rows["pcode"].unique())
        ]

    def _place_label(self, pcode):
        if pcode in self.districts.index:
            return self.districts.at[pcode, "district"]
        return self.provinces.at[pcode, "province"]

    def _fill_places(self, results, index, pcodes):
        """Write pcode, level, district and province columns for `index`."""
        pcodes = pd.Series(np.asarray(pcodes, dtype=object), index=index)
        is_district = pcodes.str.len() == 6
        province_pcodes = pcodes.str[:4]
        results.loc[index, "pcode"] = pcodes
        results.loc[index, "level"] = np.where(is_district, LEVEL_DISTRICT, LEVEL_PROVINCE)
        results.loc[index, "district"] = pcodes.map(self.districts["district"]).where(is_district, None)
        results.loc[index, "district_pcode"] = pcodes.where(is_district, None)
        results.loc[index, "province_pcode"] = province_pcodes
        results.loc[index, "province"] = province_pcodes.map(self.provinces["province"])
        # A point inside the district, or inside the province for a province.
        for column in ("lat", "lon"):
            district_value = pcodes.map(self.districts[column])
            results.loc[index, column] = district_value.where(is_district, province_pcodes.map(self.provinces[column]))

    def place_match(self, pcode, *, query=None, source=None, score=None, matched_name=None, lat=None, lon=None,
                    match_type=EXACT):
        """A :class:`Match` for a known pcode (used by reverse and the fallback)."""
        results = _empty_results(1)
        results.index = [0]
        self._fill_places(results, results.index, pd.Series([pcode], index=results.index))
        row = results.iloc[0]
        return Match(
            query=query,
            pcode=pcode,
            level=row["level"],
            district=row["district"],
            district_pcode=row["district_pcode"],
            province=row["province"],
            province_pcode=row["province_pcode"],
            score=score,
            matched_name=matched_name,
            source=source,
            lat=float(lat) if lat is not None else float(row["lat"]),
            lon=float(lon) if lon is not None else float(row["lon"]),
            match_type=match_type,
        )

    def suggestions(self, key, limit=3):
        """The closest district, province and town names, as "Name (Province)"."""
        keys, scope = self._scope_choices(None)
        if not key or not keys:
            return []
        found = process.extract(key, keys, scorer=fuzz.ratio, limit=limit * 4)
        labels = []
        for choice, _score, _index in found:
            row = scope[scope["key"] == choice].sort_values("rank").iloc[0]
            label = f"{self._place_label(row['pcode'])} ({self.provinces['province'].get(row['province_pcode'])})"
            if row["level"] == LEVEL_PROVINCE:
                label = f"{self._place_label(row['pcode'])} (province)"
            if label not in labels:
                labels.append(label)
            if len(labels) == limit:
                break
        return labels


# --- helpers ------------------------------------------------------------------------------


_PROVINCIAL_CENTER = re.compile(r"^(?:provincial|province)\s+cent(?:er|re)\s*[(:\-]\s*([^)]*?)\s*\)?$", re.IGNORECASE)
_BRACKETED_NAME = re.compile(r"^(.*?)\s*[(\[]([^)\]]*)[)\]]\s*(.*)$")
_DASHED_NAME = re.compile(r"^(.*?\S)\s+[-\u2013\u2014]\s+(\S.*)$")


def _split_query(name):
    """Split a name into (main name, alternate name, possible province).

    "PROVINCIAL CENTER (KABUL)" is "KABUL city"; "Baharak (Takhar)" and
    "KHOST (MATON)" have a bracketed second part, "TALOQAN - CENTER OF
    TALOQAN" a dashed one; "MUQUR BADGHIS" may end with a province.
    """
    matched = _PROVINCIAL_CENTER.match(name)
    if matched and matched.group(1):
        return f"{matched.group(1)} city", None, None
    matched = _BRACKETED_NAME.match(name)
    if matched:
        outer = f"{matched.group(1)} {matched.group(3)}".strip()
        inner = matched.group(2).strip()
        if not outer:
            return inner, None, None
        return outer, inner or None, inner or None
    matched = _DASHED_NAME.match(name)
    if matched:
        return matched.group(1), matched.group(2), None
    words = name.split()
    if len(words) >= 2:
        return name, " ".join(words[:-1]), words[-1]
    return name, None, None


def _sure_enough(candidates):
    """Drop the queries whose fuzzy hits reach the threshold only on a village
    or learned name and stay below ``settings.village_fuzzy_threshold`` there:
    an unknown village is often one letter from a known one."""
    village = candidates["rank"] >= RANK_VILLAGE
    best_named = candidates["score"].where(~village, 0).groupby(candidates["qid"]).transform("max")
    best_village = candidates["score"].where(village, 0).groupby(candidates["qid"]).transform("max")
    sure = (best_named >= settings.fuzzy_threshold) | (best_village >= settings.village_fuzzy_threshold)
    return candidates[sure]


def _province_namesakes(names):
    """Province pcode -> the one district holding a district or town of the
    province's name (the town Baghlan is in Baghlan-e-Jadid, Balkh in Balkh
    district, not in the provincial capitals); the best rank decides."""
    provinces = names[(names["level"] == LEVEL_PROVINCE) & (names["rank"] == RANK_OFFICIAL)][["key", "pcode"]]
    places = names[(names["level"] == LEVEL_DISTRICT) & (names["rank"] <= RANK_TOWN)][["key", "pcode", "rank"]]
    same = provinces.merge(places, on="key", suffixes=("", "_district"))
    same = same[same["pcode_district"].str[:4] == same["pcode"]]
    same = same[same["rank"] == same.groupby("pcode")["rank"].transform("min")]
    districts = same.groupby("pcode")["pcode_district"].agg(lambda codes: codes.iloc[0] if codes.nunique() == 1 else None)
    return districts.dropna()


def _check_role(role):
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}, not {role!r}")


def _explained(results):
    """Give every answer a ``confidence`` (0-1) and a ``reason``."""
    base = results["match_type"].map(_CONFIDENCE).astype(float)
    scored = results["match_type"].isin([SKELETON, FUZZY]) & results["score"].notna()
    base = base.where(~scored, base * results["score"].astype(float).fillna(0) / 100)
    village = results["source"].isin(["village", "learned"]) & (results["level"] == LEVEL_DISTRICT)
    base = base.where(~village, base - 0.1)
    base = base.where(results["pcode"].notna(), 0.0)
    given = results["confidence"].astype(float)
    results["confidence"] = given.where(given.notna(), base).round(2)
    missing = results["reason"].isna()
    if missing.any():
        rows = results[missing]
        results.loc[missing, "reason"] = (
            rows["match_type"].astype(str).str.replace("_", "-") + " match of "
            + rows["matched_name"].astype(str).map(repr) + " (" + rows["source"].astype(str) + ")"
        )
    return results


def _check_name(name):
    if not isinstance(name, str):
        raise InputError(f"place name must be text, not {type(name).__name__}")
    if not name.strip():
        raise InputError("empty place name")
    if len(name) > settings.max_name_length:
        raise InputError(
            f"place name is {len(name)} characters long; the limit is {settings.max_name_length} (settings.max_name_length)"
        )


def _as_text(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _empty_results(length):
    frame = pd.DataFrame({column: pd.Series([None] * length, dtype=object) for column in RESULT_COLUMNS})
    frame["match_type"] = NONE
    frame["candidates"] = [[] for _ in range(length)]
    frame["suggestions"] = [[] for _ in range(length)]
    return frame


def _record(results, decided, active):
    """Write decided rows into `results`; return the rows still undecided."""
    if decided.empty:
        return active
    results.loc[decided.index, decided.columns] = decided
    return active.drop(index=decided.index.intersection(active.index))


class _Progress:
    """Counts resolved queries on a tqdm-like bar, never past its total."""

    def __init__(self, bar, total):
        self.bar, self.total, self.done = bar, total, 0
        if hasattr(bar, "total"):
            bar.total = total
            if hasattr(bar, "refresh"):
                bar.refresh()

    def update(self, count):
        count = min(count, self.total - self.done)
        if count > 0:
            self.done += count
            self.bar.update(count)

    def finish(self):
        self.update(self.total - self.done)


def _tick(progress, count):
    if progress is not None and count:
        progress.update(count)


def _progress_bar(progress, total):
    if progress is None or progress is False:
        return None
    if progress is True:
        from tqdm import tqdm

        return tqdm(total=total, desc="geocoding", unit="name", file=sys.stderr, disable=None)
    return progress


def _add_province_notes(results):
    notes = results.pop("province_note")
    has_note = notes.notna()
    if has_note.any():
        previous = results.loc[has_note, "reason"]
        results.loc[has_note, "reason"] = np.where(
            previous.notna(), previous.astype(str) + "; " + notes[has_note], notes[has_note]
        )
    return results


def _candidates_text(candidates):
    if not isinstance(candidates, list) or not candidates:
        return ""
    return ", ".join(f"{item['name']} ({item['province']}) {item['pcode']}" for item in candidates)


def _call_geocoder(geocoder, text):
    function = geocoder.geocode if hasattr(geocoder, "geocode") else geocoder
    location = function(text)
    if isinstance(location, list):
        location = location[0] if location else None
    return location


def _geocoder_name(geocoder):
    inner = getattr(geocoder, "func", None)  # geopy's RateLimiter keeps the wrapped function here
    target = getattr(inner, "__self__", None) or getattr(geocoder, "__self__", None) or geocoder
    return type(target).__name__


def _result_fields(match):
    fields = match.to_dict()
    return {column: fields[column] for column in RESULT_COLUMNS}


def _value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _match_from_row(row, name, province):
    values = {column: _value(row[column]) for column in RESULT_COLUMNS if column not in ("candidates",)}
    for column in ("score", "lat", "lon", "confidence"):
        if values[column] is not None:
            values[column] = float(values[column])
    return Match(
        query=name,
        province_query=province,
        candidates=list(row["candidates"]) if isinstance(row["candidates"], list) else [],
        suggestions=list(row["suggestions"]) if isinstance(row.get("suggestions"), list) else [],
        **values,
    )


def _location(match):
    raw = match.to_dict()
    return Location(match.address, (match.lat, match.lon), raw)
