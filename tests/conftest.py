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
    downloads and the gazetteer in one temporary folder for the whole session."""
    saved = settings.data_mirror, settings.cache_dir
    if not os.environ.get("GEO_DATA_MIRROR"):
        settings.data_mirror = MIRROR
    settings.cache_dir = tmp_path_factory.mktemp("geo-cache")
    yield settings
    settings.data_mirror, settings.cache_dir = saved
