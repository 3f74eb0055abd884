"""Reading a third party's CSV fast, as text, with the file line of each row."""

import functools

import numpy as np
import pandas as pd

from .._csv import read_text_table
from .._distinct import by_distinct


def read_source(path):
    """Read a CSV export as strings, keeping each row's line number.

    The same reader as geo's own record files (:func:`geo._csv.read_text_table`:
    pyarrow, every column as text so that ids and codes keep their exact
    spelling), with one difference: NUL bytes do not refuse the file, the rows
    holding them are rejected one by one, as are rows with too many or too few
    cells (``attrs["ragged"]``).

    Parameters
    ----------
    path : path-like

    Returns
    -------
    pandas.DataFrame
        Every column as ``str`` (empty cells ``""``; cells a short row lacks
        ``""``), plus ``_line``: the file line where the row starts (the header
        is line 1), counting line breaks inside quoted cells.
        ``attrs["ragged"]`` maps the rows with the wrong number of cells
        (usually none) to their number of cells.

    Raises
    ------
    InputError
        The file is missing, empty, not UTF-8 or not CSV.
    """
    frame = read_text_table(path, nul_bytes="keep")
    widths = frame.pop("_width")
    frame.attrs["path"] = str(path)
    # Only the exceptional rows are kept: attrs are copied along with the frame.
    wrong = widths != len(frame.columns) - 1
    frame.attrs["ragged"] = dict(zip(frame.index[wrong].tolist(), widths[wrong].tolist()))
    return frame


_SPACE_AT_AN_END = r"^[\s\x{0B}\p{Z}\x{85}\x{1C}-\x{1F}]|[\s\x{0B}\p{Z}\x{85}\x{1C}-\x{1F}]$"


def column_or_blank(frame, name, *, strip=True):
    """The column `name` of `frame` (stripped of surrounding spaces), or blanks when the export leaves it out.

    Free text (notes, actors) is taken as it is (``strip=False``).
    """
    if name and name in frame.columns:
        values = frame[name]
        # Stripped only where some cell has spaces at an end: no copy of a
        # clean column (most are). The class holds every character
        # str.strip removes, and more.
        if strip and values.str.contains(_SPACE_AT_AN_END, regex=True).any():
            return values.str.strip()
        return values
    return pd.Series("", index=frame.index, dtype=str)


def parse_dates(text, formats):
    """Parse dates trying each strptime format in turn; NaT where none fits.

    Each distinct text is parsed once (an export of a million events holds
    a few thousand dates), then spread back to the rows.
    """
    return by_distinct(text, functools.partial(_parse_distinct_dates, formats=formats)).astype("datetime64[ns]")


def _parse_distinct_dates(distinct, formats):
    parsed = pd.Series(pd.NaT, index=distinct.index, dtype="datetime64[ns]")
    for date_format in formats:
        missing = parsed.isna() & (distinct != "")
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(distinct[missing], format=date_format, errors="coerce")
    return parsed


def parse_counts(text):
    """Whole numbers of 0 or more as Int64 (NA where blank or not such a number), each distinct text parsed once."""
    codes, distinct = pd.factorize(text)
    distinct = pd.Series(distinct, dtype=str)
    numbers = pd.to_numeric(distinct.where(distinct.str.fullmatch(r"\d{1,9}")), errors="coerce").astype("Int64")
    return pd.Series(numbers.array.take(codes, allow_fill=True), index=text.index, dtype="Int64")


def count_text(counts):
    """Whole numbers (Int64) as text, "" where NA; each distinct number written once."""
    codes, distinct = pd.factorize(counts)
    text = np.append(pd.Series(distinct, dtype="Int64").astype(str).to_numpy(dtype=object), "")
    return pd.Series(text[codes], index=counts.index, dtype=str)
