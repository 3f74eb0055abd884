"""Names learned from the user's own records: a local gazetteer in the cache.

Imports call :func:`geo.gazetteer.learn` with the places their rows name
together with coordinates (``--no-learn`` skips it): each name is placed by
:func:`geo.locate_points` and stored, as Parquet data, in
``settings.cache_dir / "gazetteer" / "learned.parquet"``. Later geocoding
reads it, so a village a dataset located lands in its district when an
article names it with its province. ``geo gazetteer forget`` deletes it.

Learned names rank with the villages: they answer only when a province is
given, and never override a district or province name already known.
"""

import numpy as np
import pandas as pd

from .. import settings
from .._files import atomic_path
from ..errors import InputError
from .table import COLUMNS, RANK_DISTRICT_NAME, RANK_VILLAGE, frame, locate, with_keys

LEARNED_FILE = "learned.parquet"
_SOURCE_PREFIX = "learned"


def learned_path():
    """Where the learned names are kept (the file may not exist)."""
    return settings.cache_dir / "gazetteer" / LEARNED_FILE


def read_learned():
    """The learned names as name-table rows (empty when nothing was learned).

    Raises
    ------
    InputError
        The file exists but is not a learned-names table.
    """
    path = learned_path()
    if not path.exists():
        return pd.DataFrame({column: pd.Series(dtype=object) for column in COLUMNS})
    try:
        table = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several types for a damaged file
        raise InputError(
            f"{path}: unreadable learned gazetteer ({type(error).__name__}); delete it to start over"
        ) from error
    if list(table.columns) != COLUMNS:
        raise InputError(f"{path}: not a learned gazetteer (columns {', '.join(map(str, table.columns))})")
    return table


def learn(places, known):
    """Place and store `places`; return the rows added.

    Parameters
    ----------
    places : pandas.DataFrame
        ``name``, ``latitude``, ``longitude``, and optionally
        ``province_pcode`` (a point outside it is not learned) and ``source``.
    known : pandas.DataFrame
        The built name table: names it holds as district or province names
        are not learned.
    """
    missing = {"name", "latitude", "longitude"} - set(places.columns)
    if missing:
        raise InputError(f"places to learn lack column(s) {', '.join(sorted(missing))}")
    rows = _located(places)
    official = set(known.loc[known["rank"] <= RANK_DISTRICT_NAME, "key"])
    rows = rows[~rows["key"].isin(official)]
    before = read_learned()
    table = pd.concat([before, rows[COLUMNS]], ignore_index=True).drop_duplicates(["key", "sorted_key", "pcode"])
    added = table.iloc[len(before) :]
    if len(added):
        _write(table.reset_index(drop=True))
    return added.reset_index(drop=True)


def _located(places):
    names = places["name"].astype(object).where(places["name"].notna(), "").astype(str)
    names = names.where(names.str.len() <= settings.max_name_length, "")
    sources = places["source"].astype(str) if "source" in places.columns else pd.Series("", index=places.index)
    table = pd.DataFrame(
        {
            "name": names,
            "lat": places["latitude"],
            "lon": places["longitude"],
            "stated": places["province_pcode"] if "province_pcode" in places.columns else None,
            "label": (_SOURCE_PREFIX + ":" + sources).where(sources.str.strip() != "", _SOURCE_PREFIX),
        },
        index=places.index,
    )
    table = locate(table[table["name"].str.strip() != ""])
    stated = table["stated"].astype(object).where(table["stated"].notna(), "").astype(str).str.strip().str.upper()
    table = table[(stated == "") | (stated.str[:4] == table["province_pcode"])]
    rows = with_keys(frame(table["name"], table["pcode"], table["label"], RANK_VILLAGE, table["lat"], table["lon"]))
    rows["lat"] = rows["lat"].astype(float)
    rows["lon"] = rows["lon"].astype(float)
    rows["rank"] = np.int64(RANK_VILLAGE)
    return rows


def _write(table):
    path = learned_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        table.to_parquet(tmp, index=False)


def forget():
    """Delete the learned names; return how many there were."""
    path = learned_path()
    if not path.exists():
        return 0
    try:
        count = len(read_learned())
    except InputError:
        count = 0  # a damaged file is deleted all the same
    path.unlink()
    return count
