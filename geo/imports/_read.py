"""Reading a third party's CSV fast, as text, with the file line of each row."""

import csv
import functools
from pathlib import Path

import numpy as np
import pandas as pd

from .._distinct import by_distinct
from ..errors import InputError


def read_source(path):
    """Read a CSV export as strings, keeping each row's line number.

    pyarrow parses the file (multi-threaded, about ten times pandas' C
    parser on a large export); every column is read as text (Arrow's
    large_string, which pandas' ``str`` columns hold, so nothing is cast)
    so that ids and codes keep their exact spelling.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    pandas.DataFrame
        Every column as ``str`` (empty cells ``""``), plus ``_line``: the file
        line where the row starts (the header is line 1), counting line breaks
        inside quoted cells.

    Raises
    ------
    InputError
        The file is missing, empty, not UTF-8 or not CSV.
    """
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    path = Path(path)
    header = _header(path)
    options = pa_csv.ConvertOptions(
        column_types={name: pa.large_string() for name in header},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    try:
        table = pa_csv.read_csv(
            path,
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),
            convert_options=options,
        )
    except (pa.ArrowInvalid, OSError) as error:
        detail = str(error).strip().splitlines()[0]
        raise InputError(f"{path}: not a readable UTF-8 CSV ({detail})") from error
    # Read as large_string (pandas' own text type: no cast on the way) and
    # converted column by column, each freed once converted.
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    frame.columns = [str(name).strip() for name in frame.columns]
    line_breaks, has_nul = _scan(path)
    # A file with one line break per row (and the header's) has none inside
    # cells: the rows' lines follow from their positions.
    simple = line_breaks - len(frame) in (0, 1)
    frame["_line"] = 2 + np.arange(len(frame), dtype=np.int64) if simple else _lines(frame)
    frame.attrs["path"] = str(path)
    frame.attrs["has_nul"] = has_nul
    return frame


def _scan(path, chunk=1 << 24):
    """Count the file's line breaks and see whether it holds a NUL byte (C-speed passes over chunks)."""
    breaks, has_nul = 0, False
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            breaks += block.count(b"\n")
            has_nul = has_nul or b"\x00" in block
    return breaks, has_nul


def _header(path):
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None
    if not header:
        raise InputError(f"{path}: empty file, expected a header row")
    if "\x00" in "".join(header):
        raise InputError(f"{path}:1: NUL byte in the header; is this a CSV text file?")
    return header


def _lines(frame):
    """File line of each row: 2 for the first, plus line breaks inside earlier rows."""
    breaks = np.zeros(len(frame), dtype=np.int64)
    for column in frame.columns:
        breaks += frame[column].str.count("\n").to_numpy(dtype=np.int64)
    return 2 + np.arange(len(frame), dtype=np.int64) + np.concatenate([[0], np.cumsum(breaks)[:-1]])[: len(frame)]


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
