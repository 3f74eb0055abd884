"""Any other table of incidents in: ``geo import csv``.

The user names the columns (``--date-column``, ``--place-column``, ...) or
they are guessed from the header (:data:`GUESSES`, first match wins, ignoring
case). Records cite the table as their dataset (its file name unless
``dataset`` is given) and keep its own id column where it has one.
"""

from pathlib import Path

import pandas as pd

from .. import records
from ..errors import InputError
from ..schema import EVENT_TYPES, LEVEL_PLACE
from ._finish import finish_incidents, problem_rows
from ._read import column_or_blank, parse_counts, parse_dates, read_source

# Header names tried for each role, first match wins (case is ignored).
GUESSES = {
    "id": ("event_id", "event_id_cnty", "id", "incident_id"),
    "date": ("event_date", "date", "day", "date_start", "incident_date"),
    "place": ("location", "place", "village", "town", "where_coordinates", "place_name"),
    "district": ("admin2", "district", "adm_2", "district_name"),
    "province": ("admin1", "province", "adm_1", "province_name"),
    "lat": ("latitude", "lat", "y"),
    "lon": ("longitude", "lon", "lng", "long", "x"),
    "type": ("event_type", "type", "category", "incident_type"),
    "fatalities": ("fatalities", "deaths", "killed", "dead", "best"),
    "notes": ("notes", "description", "summary", "details"),
    "source": ("source", "sources", "outlet"),
    "actor": ("actor1", "actor", "perpetrator", "side_a"),
    "actor2": ("actor2", "target", "side_b"),
}
# Tried in turn when no --date-format is given.
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%Y/%m/%d")
_SUB_TYPES = {sub.casefold(): (event_type, sub) for event_type, subs in EVENT_TYPES.items() for sub in subs}
_TYPES = {event_type.casefold(): (event_type, "") for event_type in EVENT_TYPES}


def import_table(path, *, columns=None, date_format=None, dataset=None):
    """Read a user's incident table and make incident records of it.

    Parameters
    ----------
    path : path-like
    columns : dict of str to str, optional
        Role (a key of :data:`GUESSES`) to column name; roles not given are
        guessed from the header.
    date_format : str, optional
        A strptime format such as ``%d/%m/%Y``; by default ISO dates and
        ACLED's ``28 September 2019`` are read.
    dataset : str, optional
        The name records cite; defaults to the file's name.

    Returns
    -------
    geo.imports.ImportResult
    """
    source = read_source(path)
    roles = pick_columns(source, columns or {})

    def column(role):
        return column_or_blank(source, roles.get(role))

    formats = (date_format,) if date_format else DATE_FORMATS
    dates = parse_dates(column("date"), formats)
    types = _event_types(column("type"))
    fatalities = (
        parse_counts(column("fatalities"))
        if "fatalities" in roles
        else pd.Series(0, index=source.index).astype("Int64")
    )
    shown_format = date_format or "YYYY-MM-DD"
    problems = pd.concat(
        [
            problem_rows(
                dates.isna(),
                roles["date"],
                "'" + column("date") + f"' is not a date as {shown_format} (set --date-format)",
            ),
            problem_rows(
                types[0] == "", roles["type"], "'" + column("type") + "' is not an ACLED event or sub-event type"
            ),
            problem_rows(
                fatalities.isna(),
                roles.get("fatalities", "fatalities"),
                "'" + column("fatalities") + "' is not a whole number of 0 or more",
            ),
        ],
        ignore_index=True,
    )
    name = dataset or Path(path).name
    ids = column("id") if "id" in roles else "line-" + source["_line"].astype(str)
    actor = column("actor").where(column("actor") != "", "not named in the table")
    mapped = {
        "event_id": ids,
        "event_date": records.format_iso_dates(dates),
        "time_precision": pd.Series("1", index=source.index),
        "event_type": types[0],
        "sub_event_type": types[1],
        "actor1": actor,
        "actor2": column("actor2"),
        "location": column("place"),
        "latitude": column("lat"),
        "longitude": column("lon"),
        "fatalities": fatalities.astype(str).replace("<NA>", ""),
        "fatalities_qualifier": "" if "fatalities" in roles else "not given in the table",
        "notes": column("notes"),
        "source": column("source"),
        "dataset": pd.Series(name, index=source.index),
    }
    events = pd.DataFrame(
        {
            "latitude": pd.to_numeric(column("lat"), errors="coerce"),
            "longitude": pd.to_numeric(column("lon"), errors="coerce"),
            "level": LEVEL_PLACE,
            "location": column("place"),
            "admin2": column("district"),
            "admin1": column("province"),
            "notes": column("notes"),
        },
        index=source.index,
    )
    return finish_incidents(source, mapped, events, problems)


def pick_columns(source, given):
    """Return role → column: the columns the user named, else guessed from the header.

    Raises
    ------
    InputError
        A named column is not in the file, or no date, type or place column
        can be found.
    """
    header = [name for name in source.columns if name != "_line"]
    folded = {name.casefold(): name for name in header}
    roles = {}
    for role, candidates in GUESSES.items():
        if given.get(role):
            if given[role] not in header:
                raise InputError(f"{source.attrs['path']}: no column {given[role]!r} (columns: {', '.join(header)})")
            roles[role] = given[role]
            continue
        found = next((folded[name] for name in candidates if name in folded), None)
        if found is not None:
            roles[role] = found
    for role, option in (("date", "--date-column"), ("type", "--type-column")):
        if role not in roles:
            raise InputError(
                f"{source.attrs['path']}: no {role} column (looked for {', '.join(GUESSES[role])}); name it with {option}"
            )
    if not ({"place", "district", "province"} & set(roles) or {"lat", "lon"} <= set(roles)):
        raise InputError(
            f"{source.attrs['path']}: no place, province or coordinate columns; name them with --place-column, "
            "--province-column or --lat-column and --lon-column"
        )
    return roles


def _event_types(words):
    """ACLED event type and sub-event type of each cell (either may be named), "" when neither."""
    folded = words.str.strip().str.casefold()
    known = {**_TYPES, **_SUB_TYPES}
    pairs = folded.map(lambda word: known.get(word, ("", "")))
    return pairs.str[0].fillna(""), pairs.str[1].fillna("")
