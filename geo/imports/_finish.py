"""What every import does after mapping a dataset's columns: place, check, reject, merge, write."""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import records, schema
from .._distinct import by_distinct, distinct_rows
from ..boundaries import pcode_names
from ..errors import InputError, ValidationError
from ._place import place_events, places_to_learn
from ._read import read_source


@dataclass
class ImportResult:
    """The records an import made from one file, and the rows it could not use.

    Attributes
    ----------
    records : pandas.DataFrame
        Incident (or claim) records in the schema's column order, as text.
    rejects : pandas.DataFrame
        The source rows that were not imported, with ``line`` and ``problems``.
    problems : list of str
        Every problem, as ``file:line: field: problem``.
    read : int
        Rows read from the file.
    places : pandas.DataFrame or None
        The places the imported rows name with their own point (``name``,
        ``province_pcode``, ``latitude``, ``longitude``, ``source``), for
        :meth:`learn`.
    """

    records: pd.DataFrame
    rejects: pd.DataFrame
    problems: list = field(default_factory=list)
    read: int = 0
    places: pd.DataFrame = None

    def learn(self):
        """Add :attr:`places` to the local gazetteer (:func:`geo.gazetteer.learn`); return the rows added."""
        from .. import gazetteer

        if self.places is None or self.places.empty:
            return self.places if self.places is not None else pd.DataFrame()
        return gazetteer.learn(self.places)

    def counts(self):
        """Rows read, placed in a district, at province level only, and rejected."""
        pcode = self.records["pcode"] if "pcode" in self.records else pd.Series([], dtype=str)
        return {
            "read": self.read,
            "district": int((pcode.str.len() > 4).sum()),
            "province": int((pcode.str.len() == 4).sum()),
            "rejected": len(self.rejects),
        }


def finish_incidents(source, mapped, events, parse_problems):
    """Place the events, check the records, split off the rejects.

    Parameters
    ----------
    source : pandas.DataFrame
        The file as read (:func:`geo.imports._read.read_source`).
    mapped : dict of str to pandas.Series
        Record columns already filled from the dataset's own columns.
    events : pandas.DataFrame
        What :func:`geo.imports._place.place_events` needs.
    parse_problems : pandas.DataFrame
        ``row``, ``field``, ``problem`` found while mapping.
    """
    placed = place_events(events)
    table = pd.DataFrame({column: mapped.get(column, "") for column in schema.INCIDENT_COLUMNS}, index=source.index)
    table = table.fillna("").astype(str)
    names = pcode_names()
    for column in ("pcode", "geo_precision", "placed_by", "location_check"):
        table[column] = placed[column]
    table["admin1"] = map_distinct(placed["pcode"].str[:4], names)
    table["admin2"] = map_distinct(placed["pcode"], names).where(placed["pcode"].str.len() > 4, "")
    for column in ("latitude", "longitude"):
        table[column] = table[column].where(placed["keep_point"], "")
    unplaced = placed["problem"].ne("")
    problems = pd.concat(
        [
            parse_problems,
            pd.DataFrame(
                {"row": placed.index[unplaced], "field": "location", "problem": placed.loc[unplaced, "problem"]}
            ),
        ],
        ignore_index=True,
    )
    result = split_rejects(source, table, problems, "incidents")
    kept = events.index.isin(result.records.index)
    result.places = places_to_learn(events[kept], placed[kept], table["dataset"].iloc[0] if len(table) else "")
    return result


def split_rejects(source, table, problems, kind):
    """Check the records (geo.validation), and move every row with a problem to the rejects."""
    from ..validation import problem_table

    path = Path(source.attrs["path"])
    bad = table.index.isin(problems["row"].to_numpy())
    # Without parse problems the table itself is checked (no copy of a
    # million rows); its _line column is dropped again below.
    checked = table[~bad].copy() if bad.any() else table
    checked["_line"] = source.loc[checked.index, "_line"]
    checked.attrs["path"] = str(path)
    found = problem_table(checked, kind)
    header_problems = found[found["row"].isna()]
    if len(header_problems):
        raise InputError(f"{path}: {header_problems['message'].iloc[0]}")
    found = found[["row", "field", "problem"]]
    everything = pd.concat([problems, _nul_rows(source), found], ignore_index=True)
    # A row with the wrong number of cells has its cells in the wrong columns:
    # that is its one problem, not each cell's.
    ragged = _ragged_rows(source)
    everything = pd.concat([ragged, everything[~everything["row"].isin(ragged["row"])]], ignore_index=True)
    everything["problem"] = everything["problem"].fillna("").astype(str)
    everything["line"] = source.loc[everything["row"].to_numpy(), "_line"].to_numpy()
    everything = everything.sort_values(["line", "field"], kind="stable")
    messages = (
        path.name + ":" + everything["line"].astype(str) + ": " + everything["field"] + ": " + everything["problem"]
    ).tolist()
    rejected = everything["row"].unique()
    joined = everything.groupby("row", sort=False)["problem"].agg("; ".join)
    # NUL bytes are shown as U+FFFD so that the rejects file stays text.
    rejects = source.loc[rejected].drop(columns="_line").replace("\x00", "\ufffd", regex=True)
    rejects.insert(0, "problems", joined.reindex(rejected).to_numpy())
    rejects.insert(0, "line", source.loc[rejected, "_line"].to_numpy())
    # Without rejects nothing is dropped (drop copies every column of every row).
    kept = table.drop(index=rejected) if len(rejected) else table
    kept = kept.drop(columns="_line", errors="ignore")
    return ImportResult(records=kept, rejects=rejects, problems=messages, read=len(source))


def map_distinct(values, mapping):
    """``values.map(mapping)`` ("" where unmapped), worked out once per distinct value."""
    return by_distinct(values, lambda distinct: distinct.map(mapping).fillna("").astype(str)).astype(str)


def _ragged_rows(source):
    """Rows with more or fewer cells than the header: their cells cannot be told apart."""
    ragged = pd.Series(source.attrs.get("ragged", {}), dtype="Int64")
    header_width = len(source.columns) - 1  # all but _line
    problem = "has " + ragged.astype(str) + f" cells where the header has {header_width}"
    return pd.DataFrame({"row": ragged.index, "field": "row", "problem": problem.to_numpy()})


def _nul_rows(source):
    """Rows holding a NUL byte: a binary file's fragment, never text to map."""
    found = pd.Series(False, index=source.index)
    if not source.attrs.get("has_nul", True):
        return problem_rows(found, "row", "")
    for column in source.columns.drop("_line"):
        found |= source[column].str.contains("\x00", regex=False).fillna(False).astype(bool)
    return problem_rows(found, "row", "holds a NUL byte (binary data, not text)")


def write_result(result, out, sources, *, columns, strict=False, key=("dataset", "event_id")):
    """Write the records to `out`, merged with what `out` already holds, and the rejects beside it.

    Parameters
    ----------
    result : ImportResult
    out : path-like
        The records CSV. When it exists, it is read first and the new records
        replace those with the same key (dataset and event id) unless the old
        one has a newer ``timestamp``: importing an export twice, or a newer
        export, never doubles an event.
    sources : list of path-like
        The files imported; `out` may not be one of them.
    columns : list of str
        The schema's columns, in order.
    strict : bool
        Any problem is fatal: nothing is written.

    When every record is known valid (the new ones were validated here; the
    old ones come from `out`'s matching checked copy), an incident import
    also writes ``OUT.csv.checked.arrow`` (:mod:`geo._checked`), which lets
    ``geo build`` skip validating them again.

    Returns
    -------
    tuple of (pathlib.Path, pathlib.Path, int)
        The records file, the rejects file and how many records it holds.
    """
    out = Path(out)
    check_out_path(out, sources)
    if strict and result.problems:
        raise ValidationError(result.problems)
    merged, validated = merge_existing(result.records, out, columns, list(key)) if key else (result.records, False)
    rejects_path = rejects_path_for(out)
    # Every row validated (the new ones here, the old ones by the import that
    # wrote them): a checked copy lets `geo build` skip validating them again.
    checked = "incidents" if validated and list(columns) == list(schema.INCIDENT_COLUMNS) else None
    records.write_table(merged, out, columns, checked=checked)
    # The rejects file describes the last import into `out`: written when
    # rows were rejected, and an older one removed when none were.
    if len(result.rejects):
        records.write_table(result.rejects, rejects_path, list(result.rejects.columns))
    else:
        rejects_path.unlink(missing_ok=True)
    return out, rejects_path, len(merged)


def rejects_path_for(out):
    """The rejects file written beside `out`: ``OUT-rejects.csv``."""
    out = Path(out)
    return out.with_name(f"{out.stem}-rejects{out.suffix or '.csv'}")


def check_out_path(out, sources):
    """Refuse an output that would overwrite an input, or that has no folder to go in."""
    out = Path(out)
    targets = {out.resolve(), rejects_path_for(out).resolve()}
    for source in sources:
        if Path(source).resolve() in targets:
            raise InputError(f"{out}: is one of the input files; write the import to another file")
    if out.is_dir():
        raise InputError(f"{out}: is a folder; give a CSV file to write")
    if not out.parent.is_dir():
        raise InputError(f"{out}: folder {out.parent} does not exist")


def merge_existing(new, out, columns, key):
    """Merge `new` records into those already in `out` (newer ``timestamp`` wins, ties go to `new`).

    Returns
    -------
    tuple of (pandas.DataFrame, bool)
        The merged records, and whether every old one is known to be valid:
        `out` did not exist, or its checked copy (:mod:`geo._checked`)
        matches it, and the old rows are read from that copy.
    """
    from .._checked import read_checked

    if not out.exists():
        return new, True
    old = read_checked(out, "incidents") if list(columns) == list(schema.INCIDENT_COLUMNS) else None
    validated = old is not None
    if old is None:
        old = read_source(out).drop(columns="_line")
    missing = [column for column in key if column not in old.columns]
    if missing:
        raise InputError(
            f"{out}: exists and is not an import's output (no {', '.join(missing)} column); choose another file"
        )

    # The rows to keep are chosen on the key and timestamp columns alone; only
    # they are then put together (no frame of every old and new row at once).
    def both(column):
        return pd.concat([_column_of(old, column), _column_of(new, column)], ignore_index=True)

    ids, _ = distinct_rows([both(column) for column in key])
    if "timestamp" in columns:
        parsed = by_distinct(both("timestamp"), lambda stamps: pd.to_numeric(stamps, errors="coerce"))
        stamp = parsed.astype(float).fillna(-1).to_numpy()
    else:
        stamp = np.zeros(len(ids))
    order = np.argsort(stamp, kind="stable")
    newest = ~pd.Series(ids[order]).duplicated(keep="last").to_numpy()
    kept = np.sort(order[newest])
    parts = [
        old.iloc[kept[kept < len(old)]].reindex(columns=columns, fill_value=""),
        new.iloc[kept[kept >= len(old)] - len(old)].reindex(columns=columns),
    ]
    return pd.concat(parts, ignore_index=True), validated


def _column_of(frame, column):
    """A column of `frame`, or blanks where it has none (as a merged old file lacking it reads)."""
    return frame[column] if column in frame.columns else pd.Series("", index=frame.index, dtype=str)


def value_problem_rows(mask, field, values, explanation):
    """A parse-problems frame for the rows where `mask` holds: ``'VALUE' explanation``.

    The messages are made for those rows only (never a million strings for
    a million good rows).
    """
    rows = mask[mask].index
    return pd.DataFrame({"row": rows, "field": field, "problem": "'" + values[rows] + "' " + explanation})


def problem_rows(mask, field, problem):
    """A parse-problems frame for the rows where `mask` holds."""
    rows = mask[mask].index
    text = problem[mask].to_numpy() if isinstance(problem, pd.Series) else problem
    return pd.DataFrame({"row": rows, "field": field, "problem": text})
