"""The built gazetteer in the cache folder, as Parquet data (never a pickle).

``settings.cache_dir / "gazetteer" / "<key>"`` holds ``names.parquet``,
``districts.parquet`` and ``provinces.parquet``; the key is a checksum of every
input (see :func:`geo.gazetteer.cache_key`). Each file is written atomically
and ``provinces.parquet``, written last, marks a complete copy. A damaged or
partial copy is rebuilt: the files are data, so reading one runs no code.
"""

from pathlib import Path

import pandas as pd

from .. import settings
from .._files import atomic_path

_TABLES = ("names", "districts", "provinces")
# Columns holding lists of pcodes (Parquet gives arrays back: made tuples).
_LIST_COLUMNS = {"districts": "bordering", "provinces": "neighbours"}


def cache_folder(key):
    """The folder of the copy built from inputs with checksum `key`."""
    return settings.cache_dir / "gazetteer" / key[:20]


def read(key):
    """Return ``{"names": ..., "districts": ..., "provinces": ...}`` or None."""
    folder = cache_folder(key)
    if not (folder / "provinces.parquet").exists():
        return None
    try:
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _TABLES}
    except Exception:  # a damaged copy (any pyarrow error) is rebuilt by the caller
        return None
    for name, column in _LIST_COLUMNS.items():
        if column not in tables[name].columns:
            return None
        tables[name][column] = tables[name][column].map(tuple)
    return tables


def write(key, tables):
    """Store the tables; a read-only cache only costs the next process a rebuild."""
    folder = cache_folder(key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in _TABLES:
            table = tables[name]
            if name in _LIST_COLUMNS:
                table = table.assign(**{_LIST_COLUMNS[name]: table[_LIST_COLUMNS[name]].map(list)})
            with atomic_path(Path(folder) / f"{name}.parquet") as tmp:
                table.to_parquet(tmp, index=name != "names")
    except OSError:
        pass
