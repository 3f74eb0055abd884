"""Validation of incident and claim records: every problem, reported at once.

Each check is vectorised over a table read by :func:`geo.records.read_table`
and yields problems formatted ``file:line: field: problem``. The checks:

- the header has the schema's columns; required cells are filled;
- enums (event types and their sub-types, precisions, statuses);
- dates are ISO, real, between :data:`~geo.schema.EARLIEST_YEAR` and
  :data:`~geo.schema.LATEST_YEAR`, and a record's date is not in the future;
- whole numbers are whole and within their caps (fatalities at most
  :data:`~geo.schema.MAX_FATALITIES`), points are finite and on the globe:
  whatever validates, :func:`geo.records.load_incidents` can type;
- codes exist; names (admin1, admin2, district, province) are the code's, in
  any spelling the geocoder resolves to it (checked once per unique pair);
- the place name geocodes to the stated code (:mod:`geo.geocoder`);
- a given point lies inside the stated district (or province, for a
  province-level record), by :func:`geo.locate_points`; for a record placed
  by its coordinates (``placed_by`` = ``coordinates``) the point is
  authoritative and names that disagree are not errors;
- provenance: a record cites an article (file and offsets) or a dataset
  (name and event id); for article citations the seed file exists, the
  offsets lie inside it, the cited passage mentions the place, and the
  article title is the one at the offsets.

Everything is vectorised over the rows; messages are built only for the rows
that have a problem, so a million-row file with one bad row is quick.

The provenance checks need the seed articles (``settings.articles_dir``);
without them those checks are skipped and :func:`skipped_checks` says so.
"""

import datetime as dt
import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import articles as articles_stage
from . import boundaries, settings
from ._csv import parse_numbers
from ._distinct import by_distinct, distinct_rows
from .errors import ValidationError
from .schema import (
    CLAIM_COLUMNS,
    CLAIM_HEADER,
    CLAIM_OPTIONAL,
    CLAIM_SCHEMA,
    EARLIEST_YEAR,
    EVENT_TYPES,
    INCIDENT_COLUMNS,
    INCIDENT_HEADER,
    INCIDENT_OPTIONAL,
    INCIDENT_SCHEMA,
    LATEST_YEAR,
    MAX_FATALITIES,
    MAX_OFFSET,
    PLACED_BY,
    PROVENANCE_RULE,
    STATUSES,
    TIME_PRECISIONS,
)
from .schema import (
    LEVELS as GEO_PRECISIONS,
)

EARLIEST_DATE = dt.date(EARLIEST_YEAR, 1, 1)
LATEST_DATE = dt.date(LATEST_YEAR, 12, 31)
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
_INTEGER = r"^\d+$"
# Longest run of words of a passage compared with the area names.
_MENTION_MAX_WORDS = 4
# Largest value of each whole-number column: beyond it a number is a typing
# error, and it could not be typed as a 64-bit integer by the loader.
_INTEGER_CAPS = {
    "fatalities": MAX_FATALITIES,
    "fatalities_low": MAX_FATALITIES,
    "fatalities_high": MAX_FATALITIES,
    "source_start": MAX_OFFSET,
    "source_end": MAX_OFFSET,
    "timestamp": int(dt.datetime(LATEST_YEAR, 12, 31, tzinfo=dt.timezone.utc).timestamp()),
}
_COORDINATE_LIMITS = {"latitude": 90.0, "longitude": 180.0}


class _Problems:
    """Collects problems for one table, keyed to its file lines.

    Problems are kept as small frames (one per check that found any), so
    flagging is vectorised and costs nothing for rows without problems.
    """

    def __init__(self, table):
        self.path = Path(table.attrs.get("path", "<records>")).name
        self.table = table
        self.found = []
        # Rows left out of every further check (see _check_header).
        self.skipped = pd.Series(False, index=table.index)

    def flag(self, mask, field, message):
        """Record `message` where `mask` holds.

        `mask` is a boolean Series on the table's index (or part of it);
        `message` a string, a Series of strings on the same index, or a
        callable given the flagged rows of the table and returning their
        messages (so messages are built only for faulty rows).
        """
        mask = _aligned(mask, self.table.index) & ~self.skipped
        if not mask.any():
            return
        rows = self.table.index[mask.to_numpy()]
        if callable(message):
            text = message(self.table.loc[rows])
        elif isinstance(message, pd.Series):
            text = message.reindex(rows)
        else:
            text = message
        problem = pd.Series(text, index=rows).astype(str) if not isinstance(text, str) else text
        self.found.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "line": self.table.loc[rows, "_line"].to_numpy(),
                    "field": field,
                    "problem": problem if isinstance(problem, str) else problem.to_numpy(),
                }
            )
        )

    def header(self, field, message):
        self.found.append(pd.DataFrame({"row": [None], "line": [1], "field": [field], "problem": [message]}))

    def formatted(self):
        return self.frame()["message"].tolist()

    def frame(self):
        """The problems as a table: ``row`` (the table's index label, None for
        the header), ``line``, ``field``, ``problem`` and ``message``
        (``file:line: field: problem``), in line order."""
        if not self.found:
            return pd.DataFrame(
                {name: pd.Series(dtype=object) for name in ("row", "line", "field", "problem", "message")}
            )
        frame = pd.concat(self.found, ignore_index=True).sort_values("line", kind="stable", ignore_index=True)
        frame["line"] = frame["line"].astype(int)
        frame["message"] = self.path + ":" + frame["line"].astype(str) + ": " + frame["field"] + ": " + frame["problem"]
        return frame


def _aligned(mask, index):
    """A boolean Series on `index` (False where `mask` says nothing)."""
    if isinstance(mask, pd.Series):
        if not mask.index.equals(index):
            mask = mask.reindex(index)
        return mask.fillna(False).astype(bool)
    return pd.Series(mask, index=index).fillna(False).astype(bool)


def _quoted(values):
    """Text quoted for a message: 'value' (see :func:`_one_line`)."""
    return "'" + _one_line(values) + "'"


def _one_line(values):
    """Text made safe for a one-line message: control characters escaped as
    Python does (a newline as \\n), long text cut at 80 characters. Called
    only on the rows that have a problem."""
    text = values.astype(str)
    short = text.str.slice(0, 80).map(lambda value: repr(value)[1:-1])
    return short.where(text.str.len() <= 80, short + "...")


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
    with _progress(problems) as bar:
        _check_incident_fields(problems, table)
        bar.update()
        known = _check_codes(problems, table, level_column="geo_precision")
        by_point = _check_points(problems, table, known)
        named = known & ~by_point
        _check_admin_names(problems, table, named, province_column="admin1", district_column="admin2")
        # Records an import placed by their names (placed_by geocoder or
        # notes) were placed by the geocoder itself; their location is not
        # asked again. Hand-written records are.
        _check_geocoding(problems, table, named & table["placed_by"].isin(["", "record"]))
        bar.update()
        _check_provenance(problems, table, articles_dir, known, place_column="location")
        bar.update()
    return problems


def _check_incident_fields(problems, table):
    """The checks of one cell or one column at a time."""
    _check_required(problems, table, INCIDENT_COLUMNS, INCIDENT_OPTIONAL)
    _check_citation(problems, table)
    _check_unique(problems, table, "event_id")
    _check_dates(problems, table, "event_date")
    _check_enum(problems, table, "time_precision", list(TIME_PRECISIONS), "must be 1 (day), 2 (week) or 3 (month)")
    _check_event_types(problems, table)
    _check_enum(problems, table, "geo_precision", list(GEO_PRECISIONS), f"must be one of {', '.join(GEO_PRECISIONS)}")
    _check_enum(problems, table, "placed_by", list(PLACED_BY), f"must be one of {', '.join(PLACED_BY)}")
    _check_integers(problems, table, INCIDENT_SCHEMA)
    _check_links(problems, table)


def _progress(problems):
    """A tqdm bar over the three stages of checks, shown for big tables only
    (settings.progress_min_rows) and only on a terminal (disable=None)."""
    from tqdm import tqdm

    big = len(problems.table) >= settings.progress_min_rows
    return tqdm(total=3, desc=f"checking {problems.path}", unit="stage", disable=None if big else True, leave=False)


def _claim_checks(table, *, articles_dir=None):
    problems = _Problems(table)
    if not _check_header(problems, table, CLAIM_HEADER, CLAIM_COLUMNS):
        return problems
    _check_required(problems, table, CLAIM_COLUMNS, CLAIM_OPTIONAL)
    _check_offsets_given(problems, table, table["source_file"].str.endswith(".txt"))
    _check_unique(problems, table, "claim_id")
    _check_dates(problems, table, "date")
    _check_enum(problems, table, "status", list(STATUSES), f"must be one of {', '.join(STATUSES)}")
    _check_integers(problems, table, CLAIM_SCHEMA)
    _check_links(problems, table)
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
    expected = sum(not str(column).startswith("_") for column in table.columns)
    widths = table["_width"] if "_width" in table.columns else pd.Series(expected, index=table.index)
    for column in columns:
        if column not in table.columns:
            table[column] = ""
    ragged = widths != expected
    problems.flag(
        ragged, "row", lambda rows: "has " + rows["_width"].astype(str) + f" cells, the header has {expected}"
    )
    # A row of the wrong width has its cells under the wrong columns: every
    # other problem found in it would be noise, so it is reported once.
    problems.skipped = ragged
    return not missing


def _check_required(problems, table, columns, optional):
    for column in columns:
        if column not in optional:
            problems.flag(table[column].str.strip() == "", column, "is empty")


def _check_citation(problems, table):
    """An incident cites an article (file and span) or a dataset (name and id).

    Offsets are asked of article citations only; a dataset citation needs
    the dataset's name (and its event id, which every record has).
    """
    source_file = table["source_file"].str.strip()
    cites_article = source_file.str.endswith(".txt")
    cites_dataset = table["dataset"].str.strip() != ""
    problems.flag(~cites_article & ~cites_dataset, "source_file", lambda rows: _citation_problem(rows["source_file"]))
    _check_offsets_given(problems, table, cites_article)


def _citation_problem(source_file):
    return ("is empty: " + pd.Series(PROVENANCE_RULE, index=source_file.index)).where(
        source_file.str.strip() == "",
        _quoted(source_file) + f" is not an article (.txt) and no dataset is named: {PROVENANCE_RULE}",
    )


def _check_offsets_given(problems, table, cites_article):
    for column in ("source_start", "source_end"):
        problems.flag(cites_article & (table[column].str.strip() == ""), column, "is empty (an article is cited)")


def _check_unique(problems, table, column):
    repeated = table[column].duplicated(keep="first") & (table[column] != "")
    problems.flag(repeated, column, lambda rows: _quoted(rows[column]) + " is used by an earlier row")


def _check_enum(problems, table, column, allowed, message):
    problems.flag((table[column] != "") & ~table[column].isin(allowed), column, message)


def _check_dates(problems, table, column):
    """ISO dates between EARLIEST_YEAR and LATEST_YEAR, not in the future
    (parsed once per distinct value: records share few dates)."""
    codes, distinct = pd.factorize(table[column])
    distinct = pd.Series(distinct, dtype=str)
    iso = distinct.str.match(_ISO_DATE)
    year = pd.to_numeric(distinct.str.slice(0, 4).where(iso), errors="coerce")
    in_years = year.between(EARLIEST_YEAR, LATEST_YEAR)
    parsed = pd.to_datetime(distinct.where(in_years), format="%Y-%m-%d", errors="coerce")
    today = pd.Timestamp(dt.date.today())
    verdict = pd.Series("", index=distinct.index, dtype=str)
    verdict[(~iso | (in_years & parsed.isna())) & (distinct != "")] = "not a date"
    verdict[iso & (year < EARLIEST_YEAR)] = "early"
    verdict[(iso & (year > LATEST_YEAR)) | (parsed > today)] = "future"
    found = (
        pd.Series(verdict.to_numpy()[codes], index=table.index) if len(distinct) else pd.Series("", index=table.index)
    )
    problems.flag(found == "not a date", column, lambda rows: _quoted(rows[column]) + " is not a date as YYYY-MM-DD")
    problems.flag(found == "future", column, lambda rows: _one_line(rows[column]) + " is in the future")
    problems.flag(found == "early", column, lambda rows: rows[column] + f" is before {EARLIEST_DATE}")


def _check_integers(problems, table, schema):
    """Whole-number columns hold whole numbers within their caps (each distinct text judged once)."""
    for column in (c.name for c in schema if c.kind == "integer"):
        verdict = by_distinct(table[column], functools.partial(_integer_verdicts, cap=_INTEGER_CAPS.get(column)))
        problems.flag(
            verdict == "not whole",
            column,
            lambda rows, column=column: "must be a whole number of 0 or more, not " + _quoted(rows[column]),
        )
        cap = _INTEGER_CAPS.get(column)
        problems.flag(
            verdict == "too big",
            column,
            lambda rows, column=column, cap=cap: rows[column].str.slice(0, 20) + f" is more than {cap:,}",
        )


def _integer_verdicts(values, cap):
    """For each text: "" (blank, or a whole number within `cap`), "not whole" or "too big"."""
    text = values.str.strip()
    whole = text.str.match(_INTEGER)
    verdict = pd.Series("", index=values.index, dtype=object)
    verdict[(text != "") & ~whole] = "not whole"
    if cap is not None:
        # Compare lengths first, so a 30-digit number never reaches an integer type.
        digits = text.str.lstrip("0").str.len()
        too_big = whole & ((digits > len(str(cap))) | ((digits == len(str(cap))) & (text.str.lstrip("0") > str(cap))))
        verdict[too_big] = "too big"
    return verdict


def _check_links(problems, table):
    """A url is a web link: a map turns it into one, and ``javascript:`` or
    ``data:`` links would run code when clicked."""

    def is_bad(urls):
        url = urls.str.strip()
        return (url != "") & ~url.str.match(r"^https?://[^\s]+$", case=False)

    problems.flag(
        by_distinct(table["url"], is_bad),
        "url",
        lambda rows: "must be a web link starting http:// or https://, not " + _quoted(rows["url"]),
    )


def _check_event_types(problems, table):
    event_type, sub_type = table["event_type"], table["sub_event_type"]
    known_type = event_type.isin(list(EVENT_TYPES))
    problems.flag(
        (event_type != "") & ~known_type,
        "event_type",
        lambda rows: _quoted(rows["event_type"]) + f" is not an ACLED event type ({', '.join(EVENT_TYPES)})",
    )
    valid_pairs = {(kind, sub) for kind, subs in EVENT_TYPES.items() for sub in subs}
    codes, first = distinct_rows([event_type, sub_type])
    pairs = zip(event_type.iloc[first], sub_type.iloc[first])
    valid_pair = pd.Series(np.array([pair in valid_pairs for pair in pairs], dtype=bool)[codes], index=table.index)
    problems.flag(
        known_type & (sub_type != "") & ~valid_pair,
        "sub_event_type",
        lambda rows: _quoted(rows["sub_event_type"]) + " is not a sub-event type of " + _quoted(rows["event_type"]),
    )


def _check_codes(problems, table, *, level_column):
    """Flag unknown codes and codes of the wrong level; return the known mask."""
    pcode = table["pcode"]
    names = boundaries.pcode_names()
    known = pcode.isin(names.index)
    problems.flag(
        (pcode != "") & ~known,
        "pcode",
        lambda rows: _quoted(rows["pcode"]) + " is not an OCHA district or province code",
    )
    is_district = pcode.str.len() > 4
    if level_column is None:
        problems.flag(
            known & ~is_district, "pcode", lambda rows: rows["pcode"] + " is a province; a claim needs a district code"
        )
    else:
        level = table[level_column]
        problems.flag(
            known & (level == "province") & is_district,
            "pcode",
            lambda rows: rows["pcode"] + " is a district but geo_precision is province",
        )
        problems.flag(
            known & level.isin(["district", "place"]) & ~is_district,
            "pcode",
            lambda rows: rows["pcode"] + " is a province but geo_precision is place or district",
        )
    return known


def _check_admin_names(problems, table, known, *, province_column, district_column):
    """The names in the record must be those of its code, in any spelling the
    geocoder resolves to it ("Helmand" for OCHA's "Hilmand")."""
    names = boundaries.pcode_names()
    province_code = table["pcode"].str.slice(0, 4)
    is_district = table["pcode"].str.len() > 4
    province_names = province_code.map(names).fillna("")
    district_names = table["pcode"].map(names).fillna("").where(is_district, "")
    odd_province = known & (table[province_column] != province_names)
    resolved = _resolved_codes(table.loc[odd_province, province_column], None).reindex(table.index, fill_value="")
    wrong_province = odd_province & (resolved.str.slice(0, 4) != province_code)
    problems.flag(
        wrong_province,
        province_column,
        lambda rows: (
            _one_line(rows[province_column])
            + " is not the province of "
            + rows["pcode"]
            + " ("
            + province_names[rows.index]
            + ")"
        ),
    )
    odd_district = known & (table[district_column] != district_names) & ~wrong_province
    district_text = table[district_column]
    asked = odd_district & (district_text != "")
    resolved = _resolved_codes(district_text[asked], table.loc[asked, province_column]).reindex(
        table.index, fill_value=""
    )
    wrong_district = odd_district & ((district_text == "") | (resolved != table["pcode"]))
    problems.flag(
        wrong_district & is_district,
        district_column,
        lambda rows: (
            _quoted(rows[district_column])
            + " is not the district of "
            + rows["pcode"]
            + " ("
            + _quoted(district_names[rows.index])
            + ")"
        ),
    )
    problems.flag(
        wrong_district & ~is_district & (district_text != ""),
        district_column,
        lambda rows: _quoted(rows[district_column]) + " is a district, but " + rows["pcode"] + " is a province",
    )


def _resolved_codes(names, provinces):
    """The pcode the geocoder gives each name ("" for none), asked once per
    unique (name, province) pair."""
    from .geocoder import geocode_frame

    if names.empty:
        return pd.Series("", index=names.index, dtype=str)
    query = pd.DataFrame({"name": names, "province": provinces.reindex(names.index) if provinces is not None else ""})
    unique = query.drop_duplicates(ignore_index=True)
    answers = geocode_frame(unique, name_column="name", province_column="province" if provinces is not None else None)
    unique["code"] = answers["pcode"].fillna("").astype(str).to_numpy()
    codes = query.merge(unique, on=["name", "province"], how="left")["code"]
    return pd.Series(codes.to_numpy(), index=names.index, dtype=str)


def _check_points(problems, table, known):
    """A given point is a finite pair on the globe, inside the record's area.

    The district holding a point comes from :func:`geo.locate_points` (the
    one lookup); a province-level record needs its point in its province.
    Returns the rows placed by their coordinates (``placed_by`` =
    ``coordinates``) whose point is in their area: for those the point is
    authoritative and the names are not checked against the code.
    """
    values = {}
    for column, limit in _COORDINATE_LIMITS.items():
        text = table[column].str.strip()
        number = parse_numbers(text)
        bad = (text != "") & ~(number.abs() <= limit)
        problems.flag(
            bad, column, lambda rows, c=column, x=limit: f"is not a number from -{x:g} to {x:g}: " + _quoted(rows[c])
        )
        values[column] = number.where(~bad)
    half_given = (table["latitude"].str.strip() == "") != (table["longitude"].str.strip() == "")
    problems.flag(half_given, "latitude", "latitude and longitude go together: give both or neither")
    has_point = values["latitude"].notna() & values["longitude"].notna() & known & ~problems.skipped
    located = np.full(len(table), "", dtype=object)
    if has_point.any():
        at = has_point.to_numpy()
        located[at] = boundaries.locate_points(values["longitude"][at], values["latitude"][at]).to_numpy()
    # Compared as text columns (Arrow), not as Python objects row by row.
    located = pd.Series(located, index=table.index, dtype=str)
    # A province-level record (a four-character code) needs its point in its province.
    in_area = located.where(table["pcode"].str.len() > 4, located.str.slice(0, 4))
    inside = in_area == table["pcode"]
    problems.flag(
        has_point & ~inside,
        "latitude",
        lambda rows: (
            rows["latitude"].str.strip()
            + ", "
            + rows["longitude"].str.strip()
            + " lies outside "
            + rows["pcode"]
            + (" (in " + located[rows.index].astype(str) + ")").where(
                located[rows.index] != "", " (outside every district)"
            )
        ),
    )
    return has_point & inside & (table["placed_by"] == "coordinates")


def _check_geocoding(problems, table, known):
    """The record's place name must geocode to its code (or inside it);
    each distinct (location, admin1) pair is geocoded once."""
    checkable = known & (table["location"] != "")
    if not checkable.any():
        return
    rows = table.loc[checkable, ["location", "admin1"]]
    unique = rows.drop_duplicates(ignore_index=True)
    from .geocoder import geocode_frame

    resolved = geocode_frame(
        pd.DataFrame({"name": unique["location"], "province": unique["admin1"]}),
        name_column="name",
        province_column="province",
    )
    unique["got"] = resolved["pcode"].fillna("").astype(str).to_numpy()
    unique["reason"] = resolved["reason"].fillna("").astype(str).to_numpy()
    answers = rows.merge(unique, on=["location", "admin1"], how="left")
    got = pd.Series(answers["got"].to_numpy(), index=rows.index, dtype=str)
    reason = pd.Series(answers["reason"].to_numpy(), index=rows.index, dtype=str)
    stated = table.loc[checkable, "pcode"]
    # A place inside the stated area (a district of a stated province, or the
    # stated district itself) agrees; an answer of the province alone agrees
    # with a record placed at a village the gazetteer does not hold.
    inside_stated_province = (stated.str.len() == 4) & (got.str.slice(0, 4) == stated)
    at_place = table.loc[checkable, "geo_precision"] == "place"
    agrees = (got == stated) | inside_stated_province | ((got == stated.str.slice(0, 4)) & at_place)
    problems.flag(
        (got != "") & ~agrees,
        "location",
        lambda flagged: (
            _quoted(flagged["location"]) + " geocodes to " + got[flagged.index] + ", not " + flagged["pcode"]
        ),
    )
    problems.flag(
        got == "",
        "location",
        lambda flagged: (
            _quoted(flagged["location"])
            + " does not geocode in "
            + _one_line(flagged["admin1"])
            + " ("
            + _one_line(reason[flagged.index])
            + ")"
        ),
    )


def _check_provenance(problems, table, articles_dir, known, *, place_column):
    """Checks of article citations (only the rows that cite an article)."""
    folder = Path(articles_dir or settings.articles_dir)
    cites = table["source_file"].str.endswith(".txt") & ~problems.skipped
    if not folder.is_dir() or not cites.any():
        return
    table, known = table[cites], known[cites]
    texts = {}
    for name in table["source_file"].unique():
        path = folder / name
        # Only a plain file name inside the articles folder: never a path out of it.
        if name and Path(name).name == name and path.is_file():
            texts[name] = articles_stage.read_text(path)
    cites_article = table["source_file"].str.endswith(".txt")
    problems.flag(
        cites_article & ~table["source_file"].isin(list(texts)),
        "source_file",
        lambda rows: _quoted(rows["source_file"]) + f" is not a file in {folder}",
    )
    start, end = _offset(table["source_start"]), _offset(table["source_end"])
    # As floats (NaN where no article is cited), so comparisons work even when none is.
    lengths = table["source_file"].map({name: len(text) for name, text in texts.items()}).astype(float)
    problems.flag(start.notna() & end.notna() & (start >= end), "source_end", "must be greater than source_start")
    problems.flag(
        end.notna() & lengths.notna() & (end > lengths),
        "source_end",
        end.astype("Int64").astype(str)
        + " is past the end of "
        + _one_line(table["source_file"])
        + " ("
        + lengths.astype("Int64").astype(str)
        + " characters)",
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
            lambda rows: "the cited passage does not mention " + _quoted(rows[place_column]),
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
        unmatched = checkable & known & ~mentioned
        mentioned[unmatched] = _mentions_nearly(passages[unmatched], table.loc[unmatched, "pcode"])
        problems.flag(
            checkable & known & ~mentioned,
            "pcode",
            lambda rows: (
                "the cited passage mentions no name of " + rows["pcode"] + " (" + _one_line(rows["district"]) + ")"
            ),
        )
    _check_article_titles(problems, table, texts, checkable, start)


def _offset(text):
    """Offsets as floats; NaN where not a whole number within MAX_OFFSET
    (those are reported by _check_integers)."""
    number = pd.to_numeric(
        text.where(text.str.match(_INTEGER) & (text.str.len() <= len(str(MAX_OFFSET)))), errors="coerce"
    )
    return number.where(number <= MAX_OFFSET)


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
    problems.flag(
        wrong,
        "article",
        lambda rows: (
            _quoted(rows["article"]) + " is not the article at source_start (" + _quoted(actual[rows.index]) + ")"
        ),
    )


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
    found = pd.Series(False, index=passages.index, dtype=bool)
    if passages.empty:
        return found
    runs = _word_runs(passages)
    candidates = pd.concat(
        [
            pd.DataFrame({"row": runs["row"], "key": "key:" + runs["key"], "ok": runs["key"] != ""}),
            pd.DataFrame({"row": runs["row"], "key": "sorted:" + runs["sorted_key"], "ok": runs["sorted_key"] != ""}),
        ]
    )
    candidates = candidates[candidates["ok"]].drop(columns="ok")
    candidates["pcode"] = candidates["row"].map(pcodes)
    hits = candidates.merge(_keys_by_pcode(), on=["pcode", "key"])
    found[found.index.isin(hits["row"])] = True
    return found


def _word_runs(passages):
    """Every run of one to :data:`_MENTION_MAX_WORDS` words of each passage, with its lookup keys
    (columns ``row``, ``run``, ``key``, ``sorted_key``)."""
    from ._names import fold_text, normalize_names

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
    return runs.assign(key=keys["key"].to_numpy(), sorted_key=keys["sorted_key"].to_numpy())


def _mentions_nearly(passages, pcodes):
    """Whether each passage names its district in a reporter's spelling the gazetteer lacks
    ("Daraq" for Darqad, "Yumgan" for Yamgan, "Dahan-e-Ghori" for Dahana-e-Ghori), by the rule
    :mod:`geo.extract` reads names by (:func:`geo._spelling.near_district`). Passages of provinces
    are not read this way."""
    from ._spelling import near_district

    found = pd.Series(False, index=passages.index, dtype=bool)
    districts = pcodes.str.len() == 6
    if not districts.any():
        return found
    runs = _word_runs(passages[districts])
    runs = runs[runs["key"].str.len() >= 4].drop_duplicates(["row", "key"])
    spelt = [near_district(key, pcodes[row][:4]) == pcodes[row] for row, key in zip(runs["row"], runs["key"])]
    found[found.index.isin(runs.loc[spelt, "row"])] = True
    return found


@functools.cache
def _keys_by_pcode():
    """The lookup keys of the names :func:`_names_by_pcode` holds, as pcode/key pairs."""
    names = _area_names()
    pairs = pd.concat(
        [
            pd.DataFrame({"pcode": names["pcode"], "key": "key:" + names["key"], "ok": names["key"] != ""}),
            pd.DataFrame(
                {"pcode": names["pcode"], "key": "sorted:" + names["sorted_key"], "ok": names["sorted_key"] != ""}
            ),
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
