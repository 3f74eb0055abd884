"""District-control tables and dated series in: ``geo import-claims``.

An assessment (such as the Long War Journal's of 2018-09-24) rates every
district at once, in its own words ("Taliban-Controlled", "Contested"); a
published series rates districts on many dates with codes (1/0/2). Both
become claim records: one per row, with the row's date (or one date for the
table), a status through a value map (or the assessment's words), one
claimant. Districts are placed by the geocoder with their province, so any
spelling it knows works; rows it cannot place, and rows with an unknown
status or date, go to the rejects with ``file:line: field: problem``.
"""

import re
from pathlib import Path

import pandas as pd

from .. import boundaries
from ..errors import InputError
from ..schema import CLAIM_COLUMNS, STATUSES
from ._finish import problem_rows, split_rejects
from ._place import geocode_names
from ._read import column_or_blank, parse_dates, read_source

# Column names tried, in order, when the user names none.
DISTRICT_COLUMNS = ["district", "ADM2_EN", "district_name", "District"]
PROVINCE_COLUMNS = ["province", "ADM1_EN", "province_name", "Province"]
STATUS_COLUMNS = ["status", "Control Under", "control", "Control"]
DATE_COLUMNS = ["date", "Date", "as_of", "week"]
# A status-map value meaning "no claim in this row" (no data, not assessed).
SKIP = "skip"

# The assessment's words for each status, matched on whole words, first wins.
_STATUS_WORDS = [
    ("contested", re.compile(r"\bcontest", re.IGNORECASE)),
    ("taliban", re.compile(r"\b(taliban|insurgen)", re.IGNORECASE)),
    ("government", re.compile(r"\b(gov|government)", re.IGNORECASE)),
]


def status_from_words(words):
    """Map an assessment's wording of a status to taliban/contested/government.

    Returns None when the wording names none of them.
    """
    for status, pattern in _STATUS_WORDS:
        if pattern.search(words):
            return status
    return None


def parse_status_map(text):
    """Parse ``VALUE=STATUS,...`` (STATUS one of taliban, contested, government, skip).

    Raises
    ------
    InputError
        An item is not VALUE=STATUS or names another status.
    """
    mapping = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        value, sep, status = item.partition("=")
        status = status.strip().lower()
        if not sep or status not in (*STATUSES, SKIP):
            raise InputError(
                f"status map: {item!r} is not VALUE=STATUS with STATUS one of {', '.join((*STATUSES, SKIP))}"
            )
        mapping[value.strip()] = status
    return mapping


def import_claims(
    path,
    *,
    claimant,
    date=None,
    date_column=None,
    date_format=None,
    source=None,
    district_column=None,
    province_column=None,
    status_column=None,
    status_map=None,
):
    """Return the claims of a district-control table or series.

    Parameters
    ----------
    path : path-like
        A CSV with a district, a province and a status column (and a date
        column for a series).
    claimant : str
        Who makes the claims, e.g. ``"Long War Journal"``.
    date : datetime.date, optional
        One date for every row (an assessment); else `date_column` gives each row's.
    date_column, date_format : str, optional
        The column of dates and their strptime format (default YYYY-MM-DD).
    source : str, optional
        The citation; defaults to ``claimant`` and the file name.
    district_column, province_column, status_column : str, optional
        Found among common names when not given.
    status_map : dict of str to str, optional
        Cell value → status (or ``"skip"``); without it the cells are read as words.

    Returns
    -------
    geo.imports.ImportResult
        Claim records in :data:`geo.schema.CLAIM_COLUMNS` order; rows mapped
        to ``skip`` are neither claims nor rejects.

    Raises
    ------
    InputError
        A column is missing, or neither a date nor a date column is given.
    """
    path = Path(path)
    table = read_source(path)
    district_column = _pick_column(table, path, district_column, DISTRICT_COLUMNS, "district")
    province_column = _pick_column(table, path, province_column, PROVINCE_COLUMNS, "province")
    status_column = _pick_column(table, path, status_column, STATUS_COLUMNS, "status")
    if date is None:
        date_column = _pick_column(table, path, date_column, DATE_COLUMNS, "date")
    values = column_or_blank(table, status_column)
    status = values.map(status_map) if status_map else values.map(status_from_words)
    table = table[status.ne(SKIP)]
    status = status[table.index]
    dates = _dates(table, date, date_column, date_format)
    district, province = column_or_blank(table, district_column), column_or_blank(table, province_column)
    pcode, reason = _district_codes(district, province)
    known_statuses = ", ".join(STATUSES)
    problems = [
        problem_rows(status.isna(), status_column, "'" + values[table.index] + f"' names no status ({known_statuses})"),
        problem_rows(
            pcode.eq(""),
            district_column,
            "'" + district + "' (" + province + ") is not a district the geocoder knows (" + reason + ")",
        ),
        _repeated(pcode, dates, district, province, table, district_column),
    ]
    if date is None:
        problems.append(
            problem_rows(
                dates.isna(),
                date_column,
                "'"
                + column_or_blank(table, date_column)
                + f"' is not a date as {date_format or '%Y-%m-%d'} (set --date-format)",
            )
        )
    claims = _claims(table, path, pcode, status, dates, claimant, source, values)
    return split_rejects(table, claims, pd.concat(problems, ignore_index=True), "claims")


def _dates(table, date, date_column, date_format):
    if date is not None:
        return pd.Series(pd.Timestamp(date), index=table.index)
    return parse_dates(column_or_blank(table, date_column), (date_format or "%Y-%m-%d",))


def _claims(table, path, pcode, status, dates, claimant, source, values):
    names = boundaries.pcode_names()
    day = dates.dt.strftime("%Y%m%d").fillna("00000000")
    number = table.groupby(day.to_numpy()).cumcount() + 1
    claims = pd.DataFrame(
        {
            "claim_id": _initials(claimant) + day + "-" + number.map("{:04d}".format),
            "date": dates.dt.strftime("%Y-%m-%d").fillna(""),
            "pcode": pcode,
            "district": pcode.map(names).fillna(""),
            "province": pcode.str[:4].map(names).fillna(""),
            "status": status.fillna(""),
            "claimant": claimant,
            "source": source or f"{claimant}, {path.name}",
            "source_file": path.name,
            "notes": "row " + table["_line"].astype(str) + ": " + values[table.index],
        },
        index=table.index,
    )
    return claims.reindex(columns=CLAIM_COLUMNS, fill_value="")


def _district_codes(district, province):
    """District code of each row ("" where the geocoder finds no district), and why not."""
    found = geocode_names(pd.Series("", index=district.index, dtype=str), district, province)
    is_district = found["pcode"].str.len() > 4
    reason = found["reason"].where(found["reason"] != "", "it names a province, not a district")
    return found["pcode"].where(is_district, ""), reason


def _repeated(pcode, dates, district, province, table, district_column):
    """Rows naming a district an earlier row already rated on the same date."""
    key = pcode + "@" + dates.dt.strftime("%Y-%m-%d").fillna("")
    repeated = pcode.ne("") & dates.notna() & key.duplicated(keep="first")
    first_line = table["_line"].groupby(key.to_numpy()).transform("first")
    return problem_rows(
        repeated,
        district_column,
        "'"
        + district
        + "' ("
        + province
        + ") names the same district ("
        + pcode
        + ") as line "
        + first_line.astype(str),
    )


def _pick_column(table, path, given, candidates, role):
    if given is not None:
        if given not in table.columns:
            raise InputError(f"{path}: no column {given!r} (columns: {', '.join(table.columns[:-1])})")
        return given
    for name in candidates:
        if name in table.columns:
            return name
    raise InputError(f"{path}: no {role} column (looked for {', '.join(candidates)}); name it with --{role}-column")


def _initials(claimant):
    return "".join(word[0] for word in re.findall(r"[A-Za-z]+", claimant)).upper() or "CLM"
