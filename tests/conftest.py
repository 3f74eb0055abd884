"""Shared test setup: public data from the local mirror, caches in a session folder."""

import os
from pathlib import Path

import pytest

from geo import settings

# The offline copy of the public data files, beside the repository.
MIRROR = (Path(__file__).resolve().parent.parent / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session", autouse=True)
def geo_settings(tmp_path_factory):
    """Read data from the mirror (unless GEO_DATA_MIRROR says where) and cache
    downloads, the gazetteer and the map libraries in one temporary folder for
    the whole session, in this process and in the `geo` processes tests start."""
    saved = settings.data_mirror, settings.cache_dir, dict(os.environ)
    if not os.environ.get("GEO_DATA_MIRROR"):
        settings.data_mirror = MIRROR
    settings.cache_dir = tmp_path_factory.mktemp("geo-cache")
    os.environ["GEO_DATA_MIRROR"] = str(settings.data_mirror)
    os.environ["GEO_CACHE_DIR"] = str(settings.cache_dir)
    yield settings
    settings.data_mirror, settings.cache_dir = saved[:2]
    os.environ.clear()
    os.environ.update(saved[2])
