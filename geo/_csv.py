"""Reading and writing user CSV files: the mechanics under :mod:`geo.records`.

Reading is linear in the file with small constants: pyarrow's CSV parser
reads every cell as text into Arrow-backed columns (no Python object per
cell), and each row's file line is derived from a count of newlines. Only a
file whose rows span several lines (a quoted newline, a blank line) or whose
rows have the wrong number of cells takes the slower :mod:`csv` route, and
even then the wrong rows are the only ones looked at one by one.

Writing follows OWASP's guidance on CSV injection: a text cell that a
spreadsheet would read as a formula (it begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written with a leading ``'``, which
spreadsheets show as text. Reading is verbatim and does not strip it again:
text such as ``'-alert(1)-'`` is a record's own text, and guessing which
quotes geo added would change it. Escaping is idempotent (a cell already
beginning with ``'`` is left alone), so rewriting a file adds nothing.
"""

import codecs
import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute
import pyarrow.csv as pa_csv

from .errors import InputError

BOM = codecs.BOM_UTF8
# Characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RISKY = r"^[=+\-@\t\r]"


def read_bytes(path, *, nul_bytes="refuse"):
    """Return the bytes of a user file, with one-line errors for the usual faults.

    Parameters
    ----------
    path : path-like
    nul_bytes : {"refuse", "keep"}
        NUL bytes make the file an error (a record file: it is not text), or
        are kept (a third party's export: the rows holding them are rejected
        one by one).

    Raises
    ------
    InputError
        Missing file, a folder, NUL bytes (when refused), or text that is not UTF-8.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError as error:
        raise InputError(f"{path}: no such file") from error
    except IsADirectoryError as error:
        raise InputError(f"{path}: is a folder, not a CSV file") from error
    nul = raw.find(b"\x00") if nul_bytes == "refuse" else -1
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise InputError(f"{path}:{line}: NUL byte at offset {nul}: not a text file (save it as UTF-8 CSV)")
    _check_utf8(raw, path)
    return raw


def _check_utf8(raw, path):
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 20
    for start in range(0, len(raw), step):
        try:
            decoder.decode(raw[start : start + step], final=start + step >= len(raw))
        except UnicodeDecodeError as error:
            offset = start + error.start
            line = raw.count(b"\n", 0, offset) + 1
            raise InputError(
                f"{path}:{line}: not UTF-8 text (byte 0x{raw[offset]:02x} at offset {offset}); save the file as UTF-8"
            ) from error


def read_text_table(path, *, nul_bytes="refuse"):
    """Read a CSV of text cells, each row with its file line and width.

    Parameters
    ----------
    path : path-like
    nul_bytes : {"refuse", "keep"}
        See :func:`read_bytes`. ``attrs["has_nul"]`` says whether the file
        holds any.

    Returns
    -------
    pandas.DataFrame
        One ``str`` column per header name (empty cells ``""``; cells a
        short row lacks ``""``; a long row's extra cells dropped), plus
        ``_line`` (the file line where the row starts; the header is line
        1) and ``_width`` (the row's number of cells). A UTF-8 byte order
        mark is skipped; blank lines are no rows.

    Raises
    ------
    InputError
        See :func:`read_bytes`; also an empty file, a header naming a
        column twice, or a file that is not CSV.
    """
    path = Path(path)
    raw = read_bytes(path, nul_bytes=nul_bytes)
    has_nul = nul_bytes != "refuse" and b"\x00" in raw
    body = memoryview(raw)[len(BOM) :] if raw.startswith(BOM) else memoryview(raw)
    header_end = bytes(body[:65536]).find(b"\n")
    header_text = bytes(body[: header_end if header_end >= 0 else len(body)]).decode("utf-8")
    header = next(csv.reader([header_text.rstrip("\r")]), [])
    if not any(name.strip() for name in header):
        raise InputError(f"{path}: empty file, expected a header row")
    header = [name.strip() for name in header]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InputError(f"{path}:1: column {repeated[0]!r} appears more than once in the header")
    # Lines after the header up to the last one with text: blank lines at
    # the end (common) are no rows and do not upset the count.
    end = len(raw)
    while end and raw[end - 1] in b"\r\n":
        end -= 1
    data_lines = raw.count(b"\n", 0, end)
    parsed = _parse_fast(body, header, data_lines)
    if parsed is None:
        table = _read_slow(body, header, path)
    else:
        # The file's bytes are no longer needed: free them before converting.
        del raw, body
        table = _to_table(*parsed, header)
    table.attrs["has_nul"] = has_nul
    return table


def _parse_fast(body, header, data_lines):
    """Parse with pyarrow: (arrow table, rows of the wrong width, lines of
    the parsed rows, lines of the wrong rows), or None when the lines cannot
    be told from the parse (blank lines between rows)."""
    parsed = _parse_arrow(body, header, threads=True)
    if parsed is not None and parsed[1]:
        # Rows of the wrong width: a serial parse tells their line numbers.
        parsed = _parse_arrow(body, header, threads=False)
    if parsed is None:
        return None
    arrow, wrong_rows = parsed
    if any(number is None for number, _ in wrong_rows):
        return None
    lines = _record_lines(arrow, wrong_rows, data_lines)
    return None if lines is None else (arrow, wrong_rows, *lines)


def _record_lines(arrow, wrong_rows, data_lines):
    """The first line of each row: (lines of the parsed rows, lines of the
    rows of the wrong width), or None when they do not add up to the file.

    Rows follow each other; a row takes one line plus one for each newline
    inside its quoted cells (counted by pyarrow), and pyarrow numbers the
    rows of the wrong width among all rows. Blank lines between rows are
    skipped by the parser and cannot be placed: then None (the csv-module
    path counts them).
    """
    records = arrow.num_rows + len(wrong_rows)
    if not wrong_rows and records == data_lines:
        # As many rows as lines: each row is one line (a quoted line break or
        # a blank line would make more lines than rows), no cell need be searched.
        return 2 + np.arange(records, dtype=np.int64), np.array([], dtype=np.int64)
    wrong = np.array([number - 2 for number, _ in wrong_rows], dtype=np.int64)
    parsed = np.setdiff1d(np.arange(records, dtype=np.int64), wrong, assume_unique=True)
    if len(parsed) != arrow.num_rows:
        return None
    sizes = np.ones(records, dtype=np.int64)
    for column in arrow.columns:
        sizes[parsed] += pa.compute.count_substring(column, "\n").to_numpy(zero_copy_only=False).astype(np.int64)
    sizes[wrong] += np.array([text.count("\n") for _, text in wrong_rows], dtype=np.int64)
    if int(sizes.sum()) != data_lines:
        return None
    starts = 2 + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return starts[parsed], starts[wrong]


def _to_table(arrow, wrong_rows, lines, wrong_lines, header):
    """The pandas table of a parse: Arrow-backed text columns, ``_line`` and
    ``_width``, the rows of the wrong width put back at their lines."""
    table = arrow.to_pandas(self_destruct=True, split_blocks=True)
    del arrow
    table["_line"] = lines
    table["_width"] = np.int64(len(header))
    if wrong_rows:
        cells = [next(csv.reader(io.StringIO(text, newline="")), []) for _, text in wrong_rows]
        table = _with_rows(table, header, cells, wrong_lines)
    return table


def _parse_arrow(body, header, *, threads):
    """(arrow table, [(line, text) of rows of the wrong width]), or None when
    pyarrow cannot parse the file."""
    wrong_rows = []

    def keep_wrong_row(row):
        wrong_rows.append((row.number, row.text))
        return "skip"

    try:
        arrow = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pa_csv.ReadOptions(column_names=header, skip_rows=1, use_threads=threads, block_size=1 << 24),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True, invalid_row_handler=keep_wrong_row),
            convert_options=pa_csv.ConvertOptions(
                column_types={name: pa.large_string() for name in header},
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    return arrow, wrong_rows


def _read_slow(body, header, path):
    """Parse with :mod:`csv`, line by line: files with multi-line rows."""
    text = io.StringIO(codecs.decode(body, "utf-8"), newline="")
    reader = csv.reader(text)
    next(reader, None)
    rows, lines = [], []
    line = reader.line_num + 1
    try:
        for row in reader:
            # A blank line (one at the end of the file, say) is no record.
            if row:
                rows.append(row)
                lines.append(line)
            line = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"{path}:{reader.line_num}: not valid CSV ({error})") from error
    empty = pd.DataFrame({name: pd.Series(dtype=str) for name in header})
    empty["_line"] = pd.Series(dtype=np.int64)
    empty["_width"] = pd.Series(dtype=np.int64)
    return _with_rows(empty, header, rows, np.array(lines, dtype=np.int64))


def _with_rows(table, header, rows, lines):
    """`table` with `rows` (lists of cells) added at their `lines`, in line order."""
    width = len(header)
    padded = [(row + [""] * width)[:width] for row in rows]
    columns = list(zip(*padded)) if padded else [()] * width
    extra = pd.DataFrame({name: pd.array(list(values), dtype=str) for name, values in zip(header, columns)})
    extra["_line"] = lines
    extra["_width"] = np.array([len(row) for row in rows], dtype=np.int64)
    if table.empty:
        return extra
    return pd.concat([table, extra], ignore_index=True).sort_values("_line", kind="stable", ignore_index=True)


# A decimal number as people write one (no words: "inf" and "nan" are not numbers).
_DECIMAL = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"


def parse_numbers(text, dtype="float64"):
    """Parse a Series of number text in one pass through pyarrow.

    Parameters
    ----------
    text : pandas.Series of str
    dtype : {"float64", "int64"}

    Returns
    -------
    pandas.Series
        Same index. For ``float64``, cells that are not a decimal number
        (empty ones too) are NaN. For ``int64`` every cell must be a whole
        number (validated first): an :class:`~geo.errors.InputError` otherwise.
    """
    text = text.str.strip()
    if dtype == "float64":
        text = text.where(text.str.match(_DECIMAL), "nan")
        target = pa.float64()
    else:
        target = pa.int64()
    try:
        values = pa.compute.cast(pa.array(text, type=pa.large_string()), target)
    except (pa.ArrowInvalid, OverflowError) as error:
        raise InputError(f"not a whole number: {error}") from error
    return pd.Series(values.to_numpy(zero_copy_only=False), index=text.index)


def to_csv(frame, target=None, columns=None):
    """Write `frame` as CSV to `target` (a path; None returns the text).

    Lines end in ``\n``, unless a cell holds a carriage return: Python's csv
    writer quotes only cells holding a character of the line ending, so
    such a file is written with RFC 4180's ``\r\n`` and the cell is quoted
    (a bare ``\r`` would split the row for every reader).
    """
    columns = list(frame.columns if columns is None else columns)
    cells = _text_cells(frame, columns)
    if cells is None or target is None or len(columns) < 2:
        has_cr = any(
            frame[column].astype(str).str.contains("\r", regex=False).any()
            for column in columns
            if frame[column].dtype.kind not in "iufbM"
        )
        ending = "\r\n" if has_cr else "\n"
        return frame.to_csv(target, columns=columns, index=False, lineterminator=ending, encoding="utf-8")
    has_cr = any(_bytes_hold(cell, (b"\r",)) for cell in cells)
    ending = "\r\n" if has_cr else "\n"
    with open(target, "wb") as out:
        out.write(_csv_rows([pa.array([str(name)], type=pa.large_string()) for name in columns], ending))
        # In slices, so that the joined text never holds the whole file twice.
        for start in range(0, len(frame), _WRITE_ROWS):
            out.write(_csv_rows([cell.slice(start, _WRITE_ROWS) for cell in cells], ending))
    return None


_WRITE_ROWS = 200_000


def _text_cells(frame, columns):
    """The columns as Arrow text arrays (missing cells empty), or None when
    one holds something other than text (pandas then writes the file)."""
    cells = []
    for column in columns:
        values = frame[column]
        if values.dtype.kind != "O" and not isinstance(values.dtype, pd.StringDtype):
            return None
        try:
            array = pa.array(values, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return None
        cells.append(pa.compute.fill_null(array, ""))
    return cells


def _csv_rows(cells, ending):
    """The bytes of CSV rows made of `cells` (Arrow text arrays, one per column).

    Quoting is what Python's csv writer does (QUOTE_MINIMAL): a cell holding
    a comma, a quote or a character of a line ending is quoted, its quotes
    doubled. The rows are joined in Arrow: no Python object per cell. A
    column whose bytes hold none of those characters (most of them: codes,
    dates, numbers) is taken as it is, without a per-cell test.
    """

    def text(value):
        return pa.scalar(value, type=pa.large_string())

    quoted = []
    for cell in cells:
        if not _bytes_hold(cell, _QUOTED_BYTES):
            quoted.append(cell)
            continue
        needs = pa.compute.match_substring_regex(cell, '[,"\r\n]')
        escaped = pa.compute.binary_join_element_wise(
            text('"'), pa.compute.replace_substring(cell, '"', '""'), text('"'), text("")
        )
        quoted.append(pa.compute.if_else(needs, escaped, cell))
    # The line ending joined to the last cell, not to the whole row: a
    # second pass over every row's bytes saved.
    quoted[-1] = pa.compute.binary_join_element_wise(quoted[-1], text(""), text(ending))
    lines = pa.compute.binary_join_element_wise(*quoted, text(","))
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)[lines.offset : lines.offset + len(lines) + 1]
    return memoryview(lines.buffers()[2])[offsets[0] : offsets[-1]]


def _bytes_hold(cell, specials):
    """Whether the bytes of the text column `cell` hold any of `specials` (bytes).

    A scan of the cells' bytes in blocks, at memchr speed: False means no
    cell holds one, and no per-cell test is needed.
    """
    chunks = cell.chunks if isinstance(cell, pa.ChunkedArray) else [cell]
    for chunk in chunks:
        first, last = _byte_range(chunk)
        view = memoryview(chunk.buffers()[2] or b"")
        for start in range(first, last, _SCAN_BYTES):
            block = view[start : min(start + _SCAN_BYTES, last)].tobytes()
            if any(block.find(special) >= 0 for special in specials):
                return True
    return False


def _byte_range(chunk):
    """The first and last byte of a text array's cells in its data buffer (a slice holds only its own)."""
    if len(chunk) == 0 or chunk.buffers()[2] is None:
        return 0, 0
    width = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], dtype=width)
    return int(offsets[chunk.offset]), int(offsets[chunk.offset + len(chunk)])


_SCAN_BYTES = 1 << 24
# What makes a cell quoted (QUOTE_MINIMAL).
_QUOTED_BYTES = (b",", b'"', b"\r", b"\n")


# First bytes of the formula characters (all ASCII: no UTF-8 sequence starts with one).
_RISKY_FIRST_BYTES = np.zeros(256, dtype=bool)
_RISKY_FIRST_BYTES[[ord(character) for character in FORMULA_STARTS]] = True


def _first_bytes_risky(values):
    """Whether some cell of a text column begins with a formula character.

    Read off the first byte of each cell in the Arrow buffers (a gather at
    the offsets), not by a pass of string work; True when the column is not
    held in Arrow (then the caller tests every cell).
    """
    try:
        array = pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return True
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    for chunk in chunks:
        if len(chunk) == 0 or chunk.buffers()[2] is None:
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[chunk.offset : chunk.offset + len(chunk) + 1]
        starts = offsets[:-1][offsets[1:] > offsets[:-1]]
        data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
        if _RISKY_FIRST_BYTES[data[starts]].any():
            return True
    return False


def text_columns(frame, numeric=()):
    """The columns of `frame` holding text: not in `numeric`, not of a number
    dtype, and not made only of decimal numbers (a column of "-5" and "3.2"
    is numbers, whatever its dtype)."""
    found = []
    for column in frame.columns:
        values = frame[column]
        if column in numeric or values.dtype.kind in "iufbM":
            continue
        text = values.astype(str).where(values.notna(), "").str.strip()
        if not (text.str.match(_DECIMAL) | (text == "")).all():
            found.append(column)
    return found


def escape_cells(frame, text_columns):
    """Return `frame` with text cells a spreadsheet would run shown as text.

    Parameters
    ----------
    frame : pandas.DataFrame
    text_columns : iterable of str
        The columns holding free text; numbers, dates and codes are left
        alone (a negative longitude stays a number).

    Returns
    -------
    pandas.DataFrame
        A copy where a cell of `text_columns` beginning with one of
        :data:`FORMULA_STARTS` gains a leading ``'``.
    """
    # A shallow copy: pandas copies a column on write, so `frame` is left alone
    # without a second copy of every cell in memory.
    frame = frame.copy(deep=False)
    for column in text_columns:
        if column not in frame.columns:
            continue
        values = frame[column]
        if values.dtype.kind in "iufbM":
            continue
        if isinstance(values.dtype, pd.StringDtype) and not _first_bytes_risky(values):
            continue  # no cell begins with a formula character: nothing to escape, no pass over the text
        # Text columns are tested as they are; a column is rewritten only when a cell is risky.
        text = values if isinstance(values.dtype, pd.StringDtype) else values.astype(str)
        risky = text.str.match(_RISKY).fillna(False).astype(bool) & values.notna()
        if risky.any():
            text = text.where(values.notna(), "")
            frame[column] = text.where(~risky, "'" + text)
    return frame
