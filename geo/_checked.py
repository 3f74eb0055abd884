"""Checked copies: the validated cells of a record CSV an import wrote, so a build does not validate them again.

An import validates every record it writes (:func:`geo.validation.problem_table`)
and then writes, beside ``OUT.csv``, ``OUT.csv.checked.arrow``: the same text
cells (an Arrow IPC file, zstd-compressed in a thread while the CSV is
written) with a key in the custom metadata of its last record batch:

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


class CopyWriter:
    """Writes a checked copy while the CSV itself is written, then keys it to the finished CSV.

    The cells are compressed into a temporary Arrow IPC file in a thread
    (zstd and the file writes release the GIL); :meth:`finish` hashes the
    CSV meanwhile, and writes the key as the custom metadata of a last,
    empty record batch, then renames the file into place. Made by
    :func:`start_copy`.
    """

    def __init__(self, arrow, csv_path, kind):
        import pyarrow as pa

        self.csv_path, self.kind = Path(csv_path), kind
        self.copy = checked_path(csv_path)
        self.tmp = self.copy.with_name(f".{self.copy.name}.{os.getpid()}.tmp")
        options = pa.ipc.IpcWriteOptions(compression=settings.checked_compression, use_threads=False)
        self.writer = pa.ipc.new_file(str(self.tmp), arrow.schema, options=options)
        self.schema = arrow.schema
        self.thread = _Thread(self.writer.write_table, arrow)

    def discard(self):
        """Stop and remove the unfinished copy (the CSV could not be written)."""
        try:
            self.thread.join()
            self.writer.close()
        except Exception:  # the copy is being thrown away; the CSV's own error is the one raised
            pass
        self.tmp.unlink(missing_ok=True)

    def finish(self):
        """Key the copy to the CSV as it is now and put it in place; on any failure, leave no copy."""
        import pyarrow as pa

        try:
            key = {"kind": self.kind, "file": file_key(self.csv_path), "validator": validator_fingerprint()}
            self.thread.join()
            empty = pa.RecordBatch.from_pylist([], schema=self.schema)
            self.writer.write_batch(empty, custom_metadata={_KEY: json.dumps(key).encode()})
            self.writer.close()
            os.replace(self.tmp, self.copy)
        finally:
            self.tmp.unlink(missing_ok=True)


def start_copy(table, csv_path, kind):
    """Start writing the checked copy of `csv_path` (about to hold `table`'s validated text cells).

    Parameters
    ----------
    table : pandas.DataFrame
        The cells as the CSV will hold them (text), in its column order.
    csv_path : path-like
    kind : {"incidents", "claims"}

    Returns
    -------
    CopyWriter or None
        Call its ``finish()`` once the CSV is written; None when `table` is
        not all text (its CSV's cells cannot be told from it: no copy).
    """
    import pyarrow as pa

    arrow = pa.Table.from_pandas(table, preserve_index=False)
    if not all(pa.types.is_string(type_) or pa.types.is_large_string(type_) for type_ in arrow.schema.types):
        return None
    # Missing cells are written to the CSV as "", and read back so.
    arrow = pa.table([column.fill_null("") for column in arrow.columns], names=arrow.column_names)
    return CopyWriter(arrow, csv_path, kind)


class _Thread:
    """A function run in a thread; ``join`` waits for it and raises what it raised."""

    def __init__(self, function, *args):
        import threading

        self.error = None

        def run():
            try:
                function(*args)
            except BaseException as error:  # re-raised in the caller's thread by join
                self.error = error

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self):
        self.thread.join()
        if self.error is not None:
            raise self.error


def read_checked(csv_path, kind):
    """The validated cells of `csv_path` from its checked copy, or None when there is none that matches.

    The key (in the copy's last record batch) is read first; when kind,
    validator, size and time match, the CSV is hashed in a thread while the
    cells are read.

    Returns
    -------
    pandas.DataFrame or None
        Text columns as the CSV holds them (as :func:`geo.records.read_table`
        reads them, without ``_line`` and ``_width``), ``attrs["path"]``
        set; None when the copy is missing, unreadable or keyed to other
        bytes, another validator or another kind of record.
    """
    import pyarrow as pa

    copy = checked_path(csv_path)
    if not settings.checked_copies or not copy.is_file():
        return None
    try:
        with pa.ipc.open_file(pa.OSFile(str(copy))) as reader:
            key = _key_of(reader)
            if not _key_fits(key, kind, csv_path):
                return None
            digest = _Digest(csv_path)
            arrow = reader.read_all()
    except (OSError, ValueError, pa.ArrowException):
        return None
    if digest.hexdigest() != key["file"].get("sha256"):
        return None
    table = arrow.to_pandas(self_destruct=True, split_blocks=True)
    table.attrs["path"] = str(csv_path)
    return table


def _key_of(reader):
    """The key in the custom metadata of the copy's last record batch ({} when there is none)."""
    if reader.num_record_batches == 0:
        return {}
    _, metadata = reader.get_batch_with_custom_metadata(reader.num_record_batches - 1)
    key = json.loads((metadata or {}).get(_KEY, b"{}"))
    return key if isinstance(key, dict) else {}


def _key_fits(key, kind, csv_path):
    """Kind, validator, size and time (all free to check) match; the sha256 is checked after."""
    if key.get("kind") != kind or key.get("validator") != validator_fingerprint():
        return False
    try:
        stat = os.stat(csv_path)
    except OSError:
        return False
    described = key.get("file") or {}
    return (stat.st_size, stat.st_mtime_ns) == (described.get("size"), described.get("mtime_ns"))


class _Digest:
    """The sha256 of a file, computed in a thread (hashlib releases the GIL)."""

    def __init__(self, path):
        self.value = None
        self.thread = _Thread(self._compute, path)

    def _compute(self, path):
        self.value = _sha256(path)

    def hexdigest(self):
        self.thread.join()
        return self.value


def remove_checked(csv_path):
    """Remove the checked copy of `csv_path`, if any (the CSV now holds unvalidated rows)."""
    checked_path(csv_path).unlink(missing_ok=True)


def file_key(path):
    """Size, ``mtime_ns`` and sha256 of a file."""
    stat = os.stat(path)
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": _sha256(path)}


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
