"""Validation of incident and claim records: every problem, reported at once.

Each check is vectorised over a table read by :func:`geo.records.read_table`
and yields problems formatted ``file:line: field: problem``. The checks:

- the header has the schema's columns; required cells are filled;
- enums (event types and their sub-types, precisions, statuses);
- dates are ISO, real, not in the future and not before 2001;
- codes exist; names (admin1, admin2, district, province) agree with the code;
- the place name geocodes to the stated code (:mod:`geo.geocoder`);
- a given point lies inside the stated district;
- provenance: the seed file exists, the offsets lie inside it, the cited
  passage mentions the place, and the article title is the one at the offsets.

The provenance checks need the seed articles (``settings.articles_dir``);
without them those checks are skipped and :func:`skipped_checks` says so.
"""

import datetime as dt
import functools
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from . import articles as articles_stage
from . import boundaries, settings
from .errors import ValidationError
from .schema import (
    CLAIM_COLUMNS,
    CLAIM_HEADER,
    CLAIM_OPTIONAL,
    EVENT_TYPES,
    INCIDENT_COLUMNS,
    INCIDENT_HEADER,
    INCIDENT_OPTIONAL,
    LEVELS as GEO_PRECISIONS,
    PROVENANCE_RULE,
    STATUSES,
    TIME_PRECISIONS,
)

EARLIEST_DATE = dt.date(2001, 1, 1)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^\d+$")
# Longest run of words of a passage compared with the area names.
_MENTION_MAX_WORDS = 4


class _Problems:
    """Collects problems for one table, keyed to its file lines."""

    def __init__(self, table):
        self.path = Path(table.attrs.get("path", "<records>")).name
        self.table = table
        self.found = []
        # Rows left out of every further check (see _check_header).
        self.skipped = pd.Series(False, index=table.index)

    def flag(self, mask, field, message):
        """Record `message` (a string or a Series of strings) where `mask` holds."""
        mask = pd.Series(mask, index=self.table.index).fillna(False).astype(bool) & ~self.skipped
        if not mask.any():
            return
        messages = message[mask] if isinstance(message, pd.Series) else pd.Series(message, index=mask[mask].index)
        for row, line, text in zip(mask[mask].index, self.table.loc[mask, "_line"], messages):
            self.found.append((int(line), field, text, row))

    def header(self, field, message):
        self.found.append((1, field, message, None))

    def formatted(self):
        return [f"{self.path}:{line}: {field}: {text}" for line, field, text, _ in sorted(self.found, key=lambda p: p[0])]

    def frame(self):
        """The problems as a table: ``row`` (the table's index label, None for
        the header), ``line``, ``field``, ``problem`` and ``message``
        (``file:line: field: problem``)."""
        found = sorted(self.found, key=lambda p: p[0])
        frame = pd.DataFrame(
            {
                "row": [row for *_, row in found],
                "line": [line for line, *_ in found],
                "field": [field for _, field, *_ in found],
                "problem": [text for _, _, text, _ in found],
            }
        )
        frame["message"] = self.formatted()
        return frame


def incident_problems(table, *, articles_dir=None):
    """Return the problems of one incident table (see the module docstring)."""
    return _incident_checks(table, articles_dir=articles_dir).formatted()


def claim_problems(table, *, articles_dir=None):
    """Return the problems of one claim table (see the module docstring)."""
    return _claim_checks(table, articles_dir=articles_dir).formatted()


def problem_table(table, kind, *, articles_dir=None):
    """Return the problems of one table of `kind` (``"incidents"`` or ``"claims"``) as a DataFrame.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (index label of the faulty row in `table`; None for
        a header problem), ``line``, ``field``, ``problem`` and ``message``
        (``file:line: field: problem``), in line order. An import uses
        ``row`` to move bad rows to its rejects file.
    """
    checks = _incident_checks if kind == "incidents" else _claim_checks
    return checks(table, articles_dir=articles_dir).frame()


def _incident_checks(table, *, articles_dir=None):
    problems = _Problems(table)
    if not _check_header(problems, table, INCIDENT_HEADER, INCIDENT_COLUMNS):
        return problems
    _check_required(problems, table, INCIDENT_COLUMNS, INCIDENT_OPTIONAL)
    _check_citation(problems, table)
    _check_unique(problems, table, "event_id")
    _check_dates(problems, table, "event_date")
    problems.flag(
        (table["time_precision"] != "") & ~table["time_precision"].isin(list(TIME_PRECISIONS)),
        "time_precision",
        "must be 1 (day), 2 (week) or 3 (month)",
    )
    _check_event_types(problems, table)
    problems.flag(
        (table["geo_precision"] != "") & ~table["geo_precision"].isin(GEO_PRECISIONS),
        "geo_precision",
        f"must be one of {', '.join(GEO_PRECISIONS)}",
    )
    fatalities = table["fatalities"]
    problems.flag(
        (fatalities != "") & ~fatalities.str.match(_INTEGER), "fatalities", "must be a whole number of 0 or more"
    )
    known = _check_codes(problems, table, level_column="geo_precision")
    _check_admin_names(problems, table, known, province_column="admin1", district_column="admin2")
    _check_points(problems, table, known)
    _check_geocoding(problems, table, known)
    _check_provenance(problems, table, articles_dir, known, place_column="location")
    return problems


def _claim_checks(table, *, articles_dir=None):
    problems = _Problems(table)
    if not _check_header(problems, table, CLAIM_HEADER, CLAIM_COLUMNS):
        return problems
    _check_required(problems, table, CLAIM_COLUMNS, CLAIM_OPTIONAL)
    _check_unique(problems, table, "claim_id")
    _check_dates(problems, table, "date")
    problems.flag(
        (table["status"] != "") & ~table["status"].isin(STATUSES), "status", f"must be one of {', '.join(STATUSES)}"
    )
    known = _check_codes(problems, table, level_column=None)
    _check_admin_names(problems, table, known, province_column="province", district_column="district")
    _check_provenance(problems, table, articles_dir, known, place_column=None)
    return problems


def check_incidents(tables, *, articles_dir=None):
    """Raise ValidationError with every problem of the incident tables."""
    _raise_if_any([p for table in tables for p in incident_problems(table, articles_dir=articles_dir)])


def check_claims(tables, *, articles_dir=None):
    """Raise ValidationError with every problem of the claim tables."""
    _raise_if_any([p for table in tables for p in claim_problems(table, articles_dir=articles_dir)])


def skipped_checks(articles_dir=None):
    """Return a note when the provenance checks cannot run, else None."""
    folder = Path(articles_dir or settings.articles_dir)
    if folder.is_dir():
        return None
    return f"provenance not checked: no seed articles at {folder} (set GEO_ARTICLES_DIR)"


def _raise_if_any(problems):
    if problems:
        raise ValidationError(problems)


def _check_header(problems, table, header, columns):
    """Flag missing header columns and ragged rows; add absent optional columns as empty."""
    missing = [column for column in header if column not in table.columns]
    for column in missing:
        problems.header(column, "missing column")
    widths = pd.Series(table.attrs.get("widths", [len(table.columns) - 1] * len(table)), index=table.index)
    expected = len(table.columns) - 1  # less the _line column
    for column in columns:
        if column not in table.columns:
            table[column] = ""
    ragged = widths != expected
    problems.flag(ragged, "row", widths.map(lambda n: f"has {n} cells, the header has {expected}"))
    # A row of the wrong width has its cells under the wrong columns: every
    # other problem found in it would be noise, so it is reported once.
    problems.skipped = ragged
    return not missing


def _check_required(problems, table, columns, optional):
    for column in columns:
        if column not in optional:
            problems.flag(table[column].str.strip() == "", column, "is empty")


def _check_citation(problems, table):
    """An incident cites an article (file and span) or a dataset (name and id)."""
    cites_article = table["source_file"].str.endswith(".txt")
    cites_dataset = table["dataset"].str.strip() != ""
    problems.flag(
        ~cites_article & ~cites_dataset & (table["source_file"].str.strip() == ""),
        "source_file",
        f"is empty: {PROVENANCE_RULE}",
    )
    for column in ("source_start", "source_end"):
        problems.flag(cites_article & (table[column].str.strip() == ""), column, "is empty (an article is cited)")


def _check_unique(problems, table, column):
    repeated = table[column].duplicated(keep="first") & (table[column] != "")
    problems.flag(repeated, column, table[column].map(lambda value: f"{value!r} is used by an earlier row"))


def _check_dates(problems, table, column):
    text = table[column]
    parsed = pd.to_datetime(text.where(text.str.match(_ISO_DATE)), format="%Y-%m-%d", errors="coerce")
    filled = text != ""
    problems.flag(filled & parsed.isna(), column, text.map(lambda value: f"{value!r} is not a date as YYYY-MM-DD"))
    today = pd.Timestamp(dt.date.today())
    problems.flag(parsed > today, column, text.map(lambda value: f"{value} is in the future"))
    problems.flag(
        parsed < pd.Timestamp(EARLIEST_DATE), column, text.map(lambda value: f"{value} is before {EARLIEST_DATE}")
    )


def _check_event_types(problems, table):
    event_type, sub_type = table["event_type"], table["sub_event_type"]
    known_type = event_type.isin(list(EVENT_TYPES))
    problems.flag(
        (event_type != "") & ~known_type,
        "event_type",
        event_type.map(lambda value: f"{value!r} is not an ACLED event type ({', '.join(EVENT_TYPES)})"),
    )
    pairs = pd.Series(list(zip(event_type, sub_type)), index=table.index)
    valid_pair = pairs.map(lambda pair: pair[1] in EVENT_TYPES.get(pair[0], ()))
    problems.flag(
        known_type & (sub_type != "") & ~valid_pair,
        "sub_event_type",
        pairs.map(lambda pair: f"{pair[1]!r} is not a sub-event type of {pair[0]!r}"),
    )


def _check_codes(problems, table, *, level_column):
    """Flag unknown codes and codes of the wrong level; return the known mask."""
    pcode = table["pcode"]
    names = boundaries.pcode_names()
    known = pcode.isin(names.index)
    problems.flag((pcode != "") & ~known, "pcode", pcode.map(lambda value: f"{value!r} is not an OCHA district or province code"))
    is_district = pcode.str.len() > 4
    if level_column is None:
        problems.flag(known & ~is_district, "pcode", pcode.map(lambda value: f"{value} is a province; a claim needs a district code"))
    else:
        level = table[level_column]
        problems.flag(
            known & (level == "province") & is_district,
            "pcode",
            pcode.map(lambda value: f"{value} is a district but geo_precision is province"),
        )
        problems.flag(
            known & level.isin(["district", "place"]) & ~is_district,
            "pcode",
            pcode.map(lambda value: f"{value} is a province but geo_precision is place or district"),
        )
    return known


def _check_admin_names(problems, table, known, *, province_column, district_column):
    """The OCHA names in the record must be those of its code."""
    names = boundaries.pcode_names()
    province_names = table["pcode"].str[:4].map(names)
    district_names = table["pcode"].map(names).where(table["pcode"].str.len() > 4, "")
    wrong_province = known & (table[province_column] != province_names)
    problems.flag(
        wrong_province,
        province_column,
        table[province_column] + " is not the province of " + table["pcode"] + " (" + province_names.fillna("") + ")",
    )
    wrong_district = known & (table[district_column] != district_names)
    problems.flag(
        wrong_district,
        district_column,
        "'" + table[district_column] + "' is not the district of " + table["pcode"] + " ('" + district_names.fillna("") + "')",
    )


def _check_points(problems, table, known):
    """A given point must be a number pair inside the record's district."""
    latitude = pd.to_numeric(table["latitude"].replace("", None), errors="coerce")
    longitude = pd.to_numeric(table["longitude"].replace("", None), errors="coerce")
    for column, values in (("latitude", latitude), ("longitude", longitude)):
        problems.flag((table[column] != "") & values.isna(), column, "is not a number")
    half_given = (table["latitude"] == "") != (table["longitude"] == "")
    problems.flag(half_given, "latitude", "latitude and longitude go together: give both or neither")
    has_point = latitude.notna() & longitude.notna() & known
    if not has_point.any():
        return
    points = gpd.GeoSeries.from_xy(longitude[has_point], latitude[has_point], crs=boundaries.CRS)
    areas = _area_shapes().reindex(table.loc[has_point, "pcode"]).to_numpy()
    # Prepared once per area (the array repeats the same objects): each
    # point test is then cheap, a tenth of the time at 100k points.
    shapely.prepare(areas)
    inside = pd.Series(gpd.GeoSeries(areas, crs=boundaries.CRS).covers(points.reset_index(drop=True)).to_numpy(), index=points.index)
    outside = pd.Series(False, index=table.index)
    outside[inside.index] = ~inside
    problems.flag(
        outside,
        "latitude",
        table["latitude"] + ", " + table["longitude"] + " lies outside " + table["pcode"],
    )


def _check_geocoding(problems, table, known):
    """The record's place name must geocode to its code (or inside it)."""
    from .geocoder import geocode_frame

    # Records placed by geo itself (an import placed them by their point or
    # names; placed_by says how) keep a disagreeing name in location_check
    # instead: only hand-placed records are checked here.
    by_hand = table["placed_by"].isin(["", "record"]) if "placed_by" in table else pd.Series(True, index=table.index)
    query = pd.DataFrame({"name": table["location"], "province": table["admin1"]})[by_hand]
    resolved = geocode_frame(query, name_column="name", province_column="province").reindex(table.index)
    stated = table["pcode"]
    got = resolved["pcode"].fillna("")
    # A place inside the stated area (a district of a stated province, or the
    # stated district itself) agrees; an answer of the province alone agrees
    # with a record placed at a village the gazetteer does not hold.
    inside_stated_province = (stated.str.len() == 4) & (got.str[:4] == stated)
    agrees = (got == stated) | inside_stated_province | ((got == stated.str[:4]) & (table["geo_precision"] == "place"))
    checkable = known & (table["location"] != "") & by_hand
    problems.flag(
        checkable & (got != "") & ~agrees,
        "location",
        "'" + table["location"] + "' geocodes to " + got + ", not " + stated,
    )
    problems.flag(
        checkable & (got == ""),
        "location",
        "'" + table["location"] + "' does not geocode in " + table["admin1"] + " (" + resolved["reason"].fillna("") + ")",
    )


def _check_provenance(problems, table, articles_dir, known, *, place_column):
    folder = Path(articles_dir or settings.articles_dir)
    # Records citing datasets only (an import's) have no article to check.
    if not folder.is_dir() or not table["source_file"].str.endswith(".txt").any():
        return
    texts = {}
    for name in table["source_file"].unique():
        path = folder / name
        if name and path.is_file():
            texts[name] = articles_stage.read_text(path)
    cites_article = table["source_file"].str.endswith(".txt")
    problems.flag(
        cites_article & ~table["source_file"].isin(list(texts)),
        "source_file",
        table["source_file"].map(lambda name: f"{name!r} is not a file in {folder}"),
    )
    start = pd.to_numeric(table["source_start"].where(table["source_start"].str.match(_INTEGER)), errors="coerce")
    end = pd.to_numeric(table["source_end"].where(table["source_end"].str.match(_INTEGER)), errors="coerce")
    for column, values in (("source_start", start), ("source_end", end)):
        problems.flag(
            cites_article & (table[column] != "") & values.isna(), column, "must be a character offset (a whole number)"
        )
    # As floats (NaN where no article is cited), so comparisons work even when none is.
    lengths = table["source_file"].map({name: len(text) for name, text in texts.items()}).astype(float)
    problems.flag(start.notna() & end.notna() & (start >= end), "source_end", "must be greater than source_start")
    problems.flag(
        end.notna() & lengths.notna() & (end > lengths),
        "source_end",
        end.astype("Int64").astype(str) + " is past the end of " + table["source_file"] + " (" + lengths.astype("Int64").astype(str) + " characters)",
    )
    checkable = cites_article & start.notna() & end.notna() & lengths.notna() & (start < end) & (end <= lengths)
    passages = pd.Series("", index=table.index)
    for index in table.index[checkable]:
        passages[index] = texts[table.at[index, "source_file"]][int(start[index]) : int(end[index])]
    if place_column is not None:
        mentioned = pd.Series(
            [_mentions(passage, [place]) for passage, place in zip(passages, table[place_column])], index=table.index
        )
        problems.flag(
            checkable & (table[place_column] != "") & ~mentioned,
            place_column,
            "the cited passage does not mention '" + table[place_column] + "'",
        )
    else:
        names = _names_by_pcode()
        mentioned = pd.Series(
            [_mentions(passage, names.get(pcode, [])) for passage, pcode in zip(passages, table["pcode"])],
            index=table.index,
        )
        # The news spells names its own way ("Taluqan", "Qala-i-Yangi"): a
        # passage without a literal spelling may still name the district as
        # the geocoder reads names.
        unmatched = checkable & known & ~mentioned
        mentioned[unmatched] = _mentions_by_key(passages[unmatched], table.loc[unmatched, "pcode"])
        problems.flag(
            checkable & known & ~mentioned,
            "pcode",
            "the cited passage mentions no name of " + table["pcode"] + " (" + table["district"] + ")",
        )
    _check_article_titles(problems, table, texts, checkable, start)


def _check_article_titles(problems, table, texts, checkable, start):
    titled = checkable & (table["article"] != "")
    if not titled.any():
        return
    files = table.loc[titled, "source_file"].unique()
    found = [article for name in files for article in articles_stage.articles_in_text(name, texts[name])]
    actual = pd.Series("", index=table.index)
    for index in table.index[titled]:
        article = articles_stage.article_at(found, table.at[index, "source_file"], int(start[index]))
        actual[index] = article.title if article else ""
    wrong = titled & (_fold(table["article"]) != _fold(actual))
    problems.flag(wrong, "article", "'" + table["article"] + "' is not the article at source_start ('" + actual + "')")


def _fold(values):
    """Case, spacing and punctuation-insensitive form of text, for comparisons."""
    if isinstance(values, pd.Series):
        return values.map(_fold)
    text = values.replace("\u00a0", " ").casefold()
    text = re.sub(r"[\u2018\u2019\u02bc'`\u2010-\u2015\-_/.,]", " ", text)
    return " ".join(text.split())


def _mentions(passage, names):
    haystack = f" {_fold(passage)} "
    squeezed = haystack.replace(" ", "")
    for name in names:
        needle = _fold(name)
        if needle and (f" {needle} " in haystack or (len(needle) > 5 and needle.replace(" ", "") in squeezed)):
            return True
    return False


def _mentions_by_key(passages, pcodes):
    """Whether each passage holds a name of its area, compared as lookup keys.

    Every run of one to :data:`_MENTION_MAX_WORDS` words of a passage is
    normalised as the gazetteer normalises names
    (:func:`geo._names.normalize_names`), so "Taluqan" is a mention of
    Taloqan and "Qala-i-Yangi" one of Yangi Qala.

    Parameters
    ----------
    passages : pandas.Series of str
    pcodes : pandas.Series of str
        The area of each passage, same index.

    Returns
    -------
    pandas.Series of bool
        Same index as `passages`.
    """
    from ._names import fold_text, normalize_names

    found = pd.Series(False, index=passages.index, dtype=bool)
    if passages.empty:
        return found
    # fold_text drops bracketed text (a name's gloss); in a passage it counts.
    words = fold_text(passages.str.replace(r"[()\[\]{}]", " ", regex=True)).str.split(" ")
    runs = pd.DataFrame(
        [
            (row, " ".join(row_words[first : first + size]))
            for row, row_words in words.items()
            for size in range(1, _MENTION_MAX_WORDS + 1)
            for first in range(len(row_words) - size + 1)
        ],
        columns=["row", "run"],
    )
    keys = normalize_names(runs["run"])
    candidates = pd.concat(
        [
            pd.DataFrame({"row": runs["row"], "key": "key:" + keys["key"], "ok": keys["key"] != ""}),
            pd.DataFrame({"row": runs["row"], "key": "sorted:" + keys["sorted_key"], "ok": keys["sorted_key"] != ""}),
        ]
    )
    candidates = candidates[candidates["ok"]].drop(columns="ok")
    candidates["pcode"] = candidates["row"].map(pcodes)
    hits = candidates.merge(_keys_by_pcode(), on=["pcode", "key"])
    found[found.index.isin(hits["row"])] = True
    return found


@functools.cache
def _keys_by_pcode():
    """The lookup keys of the names :func:`_names_by_pcode` holds, as pcode/key pairs."""
    names = _area_names()
    pairs = pd.concat(
        [
            pd.DataFrame({"pcode": names["pcode"], "key": "key:" + names["key"], "ok": names["key"] != ""}),
            pd.DataFrame({"pcode": names["pcode"], "key": "sorted:" + names["sorted_key"], "ok": names["sorted_key"] != ""}),
        ]
    )
    return pairs[pairs["ok"]].drop(columns="ok").drop_duplicates(ignore_index=True)


@functools.cache
def _names_by_pcode():
    """Every spelling the gazetteer holds for each district and province code."""
    return _area_names().groupby("pcode")["name"].agg(lambda spellings: sorted(set(spellings))).to_dict()


def _area_names():
    """The gazetteer's names of districts, provinces and towns (village names
    left out: too many are common words)."""
    from .gazetteer import RANK_TOWN, load_gazetteer

    names = load_gazetteer().names
    return names[names["rank"] <= RANK_TOWN]


@functools.cache
def _area_shapes():
    districts = boundaries.load_districts().set_index("district_pcode").geometry
    provinces = boundaries.load_provinces().set_index("province_pcode").geometry
    return pd.concat([districts, provinces])
