"""Import a whole district-control assessment table as claims.

An assessment (such as the Long War Journal's of 2018-09-24) rates every
district at once. :func:`import_assessment` turns such a table, in its own
words ("Taliban-Controlled", "Contested", "Government"), into claim records
with one date and one claimant, so a map can start from a countrywide picture
and move on from the seeds' claims. The districts are placed by the geocoder,
with their province, so any naming convention works.
"""

import re
from pathlib import Path

import pandas as pd

from .errors import InputError, ValidationError
from .records import CLAIM_COLUMNS, read_table

# Column names tried, in order, when the user names none.
DISTRICT_COLUMNS = ["district", "ADM2_EN", "district_name", "District"]
PROVINCE_COLUMNS = ["province", "ADM1_EN", "province_name", "Province"]
STATUS_COLUMNS = ["status", "Control Under", "control", "Control"]

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


def import_assessment(path, *, date, claimant, source=None, district_column=None, province_column=None, status_column=None):
    """Return the claims of an assessment table.

    Parameters
    ----------
    path : path-like
        A CSV with a district, a province and a status column.
    date : datetime.date
        The assessment's date; every claim gets it.
    claimant : str
        Who makes the assessment, e.g. ``"Long War Journal"``.
    source : str, optional
        The citation; defaults to ``claimant`` and the file name.
    district_column, province_column, status_column : str, optional
        Column names; found among common names when not given.

    Returns
    -------
    pandas.DataFrame
        Claim records in :data:`geo.records.CLAIM_COLUMNS` order.

    Raises
    ------
    InputError
        A column is missing.
    ValidationError
        Rows whose district does not geocode or whose status is not
        recognised, each as ``file:line: field: problem``.
    """
    from . import boundaries

    path = Path(path)
    table = read_table(path)
    district_column = _pick_column(table, path, district_column, DISTRICT_COLUMNS, "district")
    province_column = _pick_column(table, path, province_column, PROVINCE_COLUMNS, "province")
    status_column = _pick_column(table, path, status_column, STATUS_COLUMNS, "status")

    status = table[status_column].map(status_from_words)
    resolved = _geocode_districts(table[district_column], table[province_column])
    is_district = resolved["level"].eq("district") & resolved["pcode"].fillna("").str.len().gt(4)
    problems = [
        f"{path.name}:{line}: {status_column}: {words!r} names no status (taliban, contested, government)"
        for line, words in zip(table.loc[status.isna(), "_line"], table.loc[status.isna(), status_column])
    ] + [
        f"{path.name}:{line}: {district_column}: {name!r} ({province}) is not a district the geocoder knows ({reason})"
        for line, name, province, reason in zip(
            table.loc[~is_district, "_line"],
            table.loc[~is_district, district_column],
            table.loc[~is_district, province_column],
            resolved.loc[~is_district, "reason"].fillna(""),
        )
    ] + _repeated_districts(path, table, district_column, province_column, resolved["pcode"].where(is_district))
    if problems:
        raise ValidationError(sorted(problems, key=lambda text: int(text.split(":")[1])))

    names = boundaries.pcode_names()
    pcode = resolved["pcode"]
    claims = pd.DataFrame(
        {
            "claim_id": [f"{_id_prefix(claimant, date)}-{number:04d}" for number in range(1, len(table) + 1)],
            "date": date.isoformat(),
            "pcode": pcode,
            "district": pcode.map(names),
            "province": pcode.str[:4].map(names),
            "status": status,
            "claimant": claimant,
            "source": source or f"{claimant}, {path.name}",
            "source_file": path.name,
            "article": "",
            "source_start": "",
            "source_end": "",
            "notes": "row " + table["_line"].astype(str) + ": " + table[status_column],
        }
    )
    return claims.reindex(columns=CLAIM_COLUMNS, fill_value="")


def _repeated_districts(path, table, district_column, province_column, pcode):
    """Problems for rows that name a district an earlier row already named.

    An assessment rates each district once; two rows on one district would be
    two claims of one date contradicting each other (or one row misplaced).
    """
    repeated = pcode.notna() & pcode.duplicated(keep="first")
    first_line = table["_line"].groupby(pcode.fillna("")).transform("first")
    names = table[district_column].where(repeated).dropna()
    return [
        f"{path.name}:{line}: {district_column}: {name!r} ({province}) names the same district ({code}) as line {first}"
        for line, name, province, code, first in zip(
            table.loc[names.index, "_line"],
            names,
            table.loc[names.index, province_column],
            pcode[names.index],
            first_line[names.index],
        )
    ]


def _geocode_districts(names, provinces):
    """Geocode names that are known to be districts, each with its province.

    The geocoder answers a name shared by a province and its capital district
    ("Kabul" in Kabul, "Farah", "Sar-e-Pul") with the province. An
    assessment's rows are districts, so such rows are asked again as
    "NAME District", the geocoder's hint for a district.

    Returns
    -------
    pandas.DataFrame
        :data:`geo.geocoder.RESULT_COLUMNS`, indexed like `names`.
    """
    from .geocoder import RESULT_COLUMNS, geocode_frame

    query = pd.DataFrame({"name": names, "province": provinces}, index=names.index)
    resolved = geocode_frame(query, name_column="name", province_column="province")[RESULT_COLUMNS]
    as_province = resolved["level"].eq("province")
    if as_province.any():
        again = query[as_province].assign(name=query.loc[as_province, "name"] + " District")
        retried = geocode_frame(again, name_column="name", province_column="province")[RESULT_COLUMNS]
        # Rows still unknown keep their first answer, whose reason names what was asked.
        found = retried[retried["level"].eq("district")]
        resolved = pd.concat([resolved.drop(index=found.index), found]).loc[names.index]
    return resolved


def _pick_column(table, path, given, candidates, role):
    if given is not None:
        if given not in table.columns:
            raise InputError(f"{path}: no column {given!r} (columns: {', '.join(c for c in table.columns if not c.startswith('_'))})")
        return given
    for name in candidates:
        if name in table.columns:
            return name
    raise InputError(
        f"{path}: no {role} column (looked for {', '.join(candidates)}); name it with --{role}-column"
    )


def _id_prefix(claimant, date):
    initials = "".join(word[0] for word in re.findall(r"[A-Za-z]+", claimant)).upper() or "CLM"
    return f"{initials}{date:%Y%m%d}"
