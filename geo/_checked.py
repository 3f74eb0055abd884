"""Checked copies: the validated cells of a record CSV an import wrote, so a build does not validate them again.

An import validates every record it writes (:func:`geo.validation.problem_table`)
and then writes, beside ``OUT.csv``, ``OUT.csv.checked.arrow``: the same text
cells (an Arrow IPC file, zstd-compressed) with a key in its metadata:

- the CSV's size, ``mtime_ns`` and sha256, taken after the CSV was written;
- the validator's fingerprint (:func:`validator_fingerprint`): geo's version,
  the bytes of the modules that validate, place and type records, and the
  gazetteer's cache key (the checksums of every data file, boundaries
  included).

:func:`read_checked` returns the copy only when both keys match the CSV as
it is now; anything else (a CSV edited by hand, even with its size and time
restored; a newer geo; other data) gives None, and the caller reads and
validates the CSV in full. The sha256 of the CSV is what makes the key
exact: size and time are checked first because they are free.

Only records an import made and validated are ever put in a copy: rows
placed by :func:`geo.imports._finish.finish_incidents` cite a dataset (no
article, so the provenance checks do not apply) and carry the names of
their own code, so their validation never consults the geocoder or the
learned gazetteer. A table with an article citation or a repeated event id
gets no copy (the full validation reports it).
"""

import functools
import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from . import settings

SUFFIX = ".checked.arrow"
_KEY = b"geo-checked"
# Modules whose code decides whether a record is valid or how it is typed.
_VALIDATOR_MODULES = ("validation.py", "schema.py", "records.py", "_csv.py", "_grid.py", "boundaries.py")


def checked_path(csv_path):
    """The checked copy of `csv_path`: ``NAME.csv.checked.arrow`` beside it."""
    csv_path = Path(csv_path)
    return csv_path.with_name(csv_path.name + SUFFIX)


def write_checked(table, csv_path, kind):
    """Write the checked copy of `csv_path`, which holds `table`'s text cells (already validated).

    Parameters
    ----------
    table : pandas.DataFrame
        The cells as written to the CSV (text), in its column order.
    csv_path : path-like
        The CSV just written.
    kind : {"incidents", "claims"}
    """
    import pyarrow as pa
    import pyarrow.feather as feather

    from ._files import atomic_path

    arrow = pa.Table.from_pandas(table, preserve_index=False)
    if not all(pa.types.is_string(kind_) or pa.types.is_large_string(kind_) for kind_ in arrow.schema.types):
        return  # not all text: the CSV's cells cannot be told from this table
    # Missing cells are written to the CSV as "", and read back so.
    arrow = pa.table([column.fill_null("") for column in arrow.columns], names=arrow.column_names)
    key = {"kind": kind, "file": file_key(csv_path), "validator": validator_fingerprint()}
    arrow = arrow.replace_schema_metadata({_KEY: json.dumps(key).encode()})
    with atomic_path(checked_path(csv_path)) as tmp:
        feather.write_feather(arrow, tmp, compression=settings.checked_compression)


def read_checked(csv_path, kind):
    """The validated cells of `csv_path` from its checked copy, or None when there is none that matches.

    Returns
    -------
    pandas.DataFrame or None
        Text columns as the CSV holds them (as :func:`geo.records.read_table`
        reads them, without ``_line`` and ``_width``), ``attrs["path"]``
        set; None when the copy is missing, unreadable or keyed to other
        bytes, another validator or another kind of record.
    """
    import pyarrow as pa
    import pyarrow.feather as feather

    copy = checked_path(csv_path)
    if not settings.checked_copies or not copy.is_file():
        return None
    try:
        arrow = feather.read_table(copy, memory_map=False)
        key = json.loads((arrow.schema.metadata or {}).get(_KEY, b"{}"))
    except (OSError, ValueError, pa.ArrowException):
        return None
    if key.get("kind") != kind or key.get("validator") != validator_fingerprint():
        return None
    if not _same_file(key.get("file") or {}, csv_path):
        return None
    table = arrow.replace_schema_metadata(None).to_pandas()
    table.attrs["path"] = str(csv_path)
    return table


def remove_checked(csv_path):
    """Remove the checked copy of `csv_path`, if any (the CSV now holds unvalidated rows)."""
    checked_path(csv_path).unlink(missing_ok=True)


def file_key(path):
    """Size, ``mtime_ns`` and sha256 of a file."""
    stat = os.stat(path)
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _sha256(path)}


def _same_file(key, path):
    """Whether `path` is the file `key` describes: size and time first (free), then its sha256."""
    try:
        stat = os.stat(path)
    except OSError:
        return False
    if (stat.st_size, stat.st_mtime_ns) != (key.get("size"), key.get("mtime_ns")):
        return False
    return _sha256(path) == key.get("sha256")


def _sha256(path, block=1 << 24):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()


@functools.cache
def validator_fingerprint():
    """A checksum of what decides a record's validity: geo's version, its validating modules and its data."""
    from . import __version__, gazetteer

    digest = hashlib.sha256(f"geo {__version__}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _VALIDATOR_MODULES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    for name in sorted(path.name for path in (here / "imports").glob("*.py")):
        digest.update(name.encode() + b"\0" + (here / "imports" / name).read_bytes())
    digest.update(gazetteer.cache_key().encode())
    return digest.hexdigest()


def is_checkable(table):
    """Whether a validated import table may get a checked copy: no article citation, no repeated event id."""
    if not len(table):
        return True
    cites_article = table["source_file"].astype(str).str.endswith(".txt").any() if "source_file" in table else False
    ids = table["event_id"] if "event_id" in table else pd.Series([], dtype=str)
    return not cites_article and not ids[ids != ""].duplicated().any()
