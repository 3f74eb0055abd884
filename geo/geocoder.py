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

Among the places a key points to, :mod:`geo._choosing` decides which one
the name means (the given province keeps only its own; a lower gazetteer rank
wins; several districts left make the name ambiguous).

Every answer carries a ``confidence`` (0-1) and a ``reason``. With
``role="place"`` (a dataset's location or district column) a place named
like its province is the town or district of that name, or the provincial
capital; with ``role="mention"`` (prose, the default) it is the province.

Precision comes first: a wrong district is worse than a province-level
answer.

The code, for a newcomer: this module is the front (the functions below);
:mod:`geo._resolver` prepares queries and runs the steps; each step is one
module of :mod:`geo._steps`; :mod:`geo._matching` says what an answer is;
:mod:`geo._choosing` chooses among candidates.

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

import numpy as np
import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.point import Point

from ._answers import resolve_with_answers
from ._matching import (
    AMBIGUOUS,
    EXACT,
    FALLBACK,
    FUZZY,
    NONE,
    PROVINCE,
    RESULT_COLUMNS,
    ROLE_MENTION,
    ROLE_PLACE,
    ROLES,
    SKELETON,
    WORD_ORDER,
    Match,
    _candidates_text,
    _check_name,
    _location,
    _match_from_row,
    _progress_bar,
)
from ._steps.fallback import districts_at
from .errors import InputError

__all__ = [
    "AMBIGUOUS",
    "EXACT",
    "FALLBACK",
    "FUZZY",
    "NONE",
    "PROVINCE",
    "RESULT_COLUMNS",
    "ROLES",
    "ROLE_MENTION",
    "ROLE_PLACE",
    "SKELETON",
    "WORD_ORDER",
    "DistrictGeocoder",
    "Match",
    "districts_at",
    "geocode_frame",
    "resolve",
]


def _resolver(gazetteer=None):
    """The resolver over `gazetteer` (see :mod:`geo._resolver`).

    Imported when first needed: rapidfuzz and the matching steps cost 40 ms
    to import, and a build whose names are all answered from the answer
    file (:mod:`geo._answers`) never needs them.
    """
    from ._resolver import _resolver as resolver_over

    return resolver_over(gazetteer)


def resolve(
    name: str, province: str | None = None, *, fallback=None, gazetteer=None, role: str = ROLE_MENTION
) -> "Match":
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

    def resolve_queries(queries, bar):
        results = _resolver(gazetteer).resolve_table(queries, fallback=fallback, progress=bar, role=role)
        results["candidates"] = results["candidates"].map(_candidates_text)
        return results

    bar = _progress_bar(progress, len(frame))
    try:
        # The default gazetteer's own answers are kept on disk (geo._answers);
        # a fallback's are not ours to keep.
        if gazetteer is None and fallback is None:
            results = resolve_with_answers(queries, role, resolve_queries, bar)
        else:
            results = resolve_queries(queries, bar)
    finally:
        if bar is not None and progress is True:
            bar.close()
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

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        province: str | None = None,
        timeout=None,
        role: str = ROLE_MENTION,
    ):
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

    def geocode_frame(
        self,
        frame: pd.DataFrame,
        name_column: str = "name",
        province_column: str | None = "province",
        *,
        progress=None,
        role: str = ROLE_MENTION,
    ) -> pd.DataFrame:
        """Geocode a DataFrame (see :func:`geocode_frame`)."""
        return geocode_frame(
            frame,
            name_column,
            province_column,
            fallback=self.fallback,
            progress=progress,
            gazetteer=self._gazetteer,
            role=role,
        )

    def _candidate_location(self, candidate, match):
        single = _resolver(self._gazetteer).place_match(
            candidate["pcode"],
            query=match.query,
            source=match.source,
            score=match.score,
            matched_name=match.matched_name,
        )
        single.match_type = AMBIGUOUS
        single.candidates = match.candidates
        single.reason = match.reason
        return _location(single)
