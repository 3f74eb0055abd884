"""Step 7c of the extractor: proposed incidents and claims as record tables of text."""

import datetime as dt
from types import SimpleNamespace

import pandas as pd

from ..schema import CLAIM_COLUMNS, INCIDENT_COLUMNS
from .places import place_of


def incident_frame(rows, source_file):
    frame = pd.DataFrame(rows, columns=[*INCIDENT_COLUMNS])
    frame["geo_precision"] = _precision(frame)
    frame["event_id"] = [f"{_stem(source_file)}-E{number:03d}" for number in range(1, len(frame) + 1)]
    frame["notes"] = [_incident_note(row) for row in rows_of(frame)]
    return _as_text(frame, INCIDENT_COLUMNS)


def _precision(frame):
    """A name read with its province as that province (Kabul, the city, in Kabul) is a place inside it."""
    if frame.empty:
        return frame["geo_precision"]
    again = pd.Series(
        [(place_of(name, pcode[:4]) or ("",))[0] for name, pcode in zip(frame["location"], frame["pcode"])],
        index=frame.index,
    )
    is_place = (frame["geo_precision"] == "district") & (again == frame["pcode"].str[:4])
    return frame["geo_precision"].mask(is_place, "place")


def claim_frame(rows, source_file):
    """The claims as text, one per date, district, status and claimant (built from the dicts: an
    article's few claims cost more in pandas' drop_duplicates than in a set)."""
    seen, kept = set(), []
    for row in rows:
        key = (row["date"], row["pcode"], row["status"], row["claimant"])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    texts = {column: [_text(row.get(column)) for row in kept] for column in CLAIM_COLUMNS}
    texts["claim_id"] = [f"{_stem(source_file)}-C{number:03d}" for number in range(1, len(kept) + 1)]
    return pd.DataFrame(texts, columns=list(CLAIM_COLUMNS), dtype=object)


def _incident_note(row):
    where = ", ".join(part for part in (row.admin2, row.admin1) if part)
    toll = f"; {row.fatalities} killed" if row.fatalities else ""
    return (
        f"Proposed by geo extract: {row.sub_event_type.lower()}, {row.actor1} against {row.actor2}, in {where}{toll}."
    )


def _stem(source_file):
    return str(source_file).rsplit(".", 1)[0]


def _as_text(frame, columns):
    """The records as strings ("" for missing, ISO dates), built column by column: the frames are
    a few rows each, where pandas' astype/where cost more than the values."""
    texts = {column: [_text(value) for value in frame[column]] for column in columns}
    return pd.DataFrame(texts, columns=list(columns), dtype=object)


def _text(value):
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def rows_of(frame):
    """A frame's rows as objects with attributes (itertuples builds a new class on every call)."""
    columns = {column: frame[column].tolist() for column in frame.columns}
    return [SimpleNamespace(**dict(zip(columns, values))) for values in zip(*columns.values())]
