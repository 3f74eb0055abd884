"""Configuration for geo, in one place.

Values are read from the environment when the module is imported; code that
needs one reads it from here rather than from ``os.environ``.

Attributes
----------
cache_dir : pathlib.Path
    Where downloaded public data and JavaScript libraries are kept.
    ``GEO_CACHE_DIR`` overrides the per-user default.
data_mirror : pathlib.Path or None
    A folder holding the public data files by name, used instead of the
    internet (``GEO_DATA_MIRROR``). ``geo --mirror DIR`` sets it too.
articles_dir : pathlib.Path
    The seed articles that records cite (``GEO_ARTICLES_DIR``; default
    ``../shared/seeds`` beside the project).
records_dir : pathlib.Path or None
    Where ``geo build`` and ``geo validate`` find incidents.csv and
    claims.csv when neither ``--records`` nor ``./seeds/`` gives them
    (``GEO_RECORDS_DIR``); see :func:`seed_records_dir`.
"""

import os
from pathlib import Path

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
# The repository's top-level boundaries/ and seeds/ folders are the source of
# truth; a built wheel carries copies of them in geo/_shipped/ (setup.py's
# build step), so an installed geo works from any folder. A source checkout
# (or an editable install) reads the repository's own folders.
SHIPPED_DIR = PACKAGE_DIR / "_shipped"


def _source_or_shipped(name, probe):
    folder = PROJECT_DIR / name
    return folder if (folder / probe).is_file() else SHIPPED_DIR / name


BOUNDARIES_DIR = _source_or_shipped("boundaries", "manifest.csv")
SEEDS_DIR = _source_or_shipped("seeds", "incidents.csv")
# Records to map when no --records is given and the current folder has no
# seeds/ (GEO_RECORDS_DIR); see seed_records_dir.
records_dir = Path(os.environ["GEO_RECORDS_DIR"]) if os.environ.get("GEO_RECORDS_DIR") else None


def seed_records_dir(records=None):
    """The folder whose incidents.csv and claims.csv a build maps by default.

    In order: `records` (``--records DIR``, the most explicit); the current
    folder's ``seeds/`` when it has one (a project folder); ``GEO_RECORDS_DIR``;
    else the seed records that ship with geo.
    """
    if records is not None:
        return Path(records)
    here = Path.cwd() / "seeds"
    if (here / "incidents.csv").is_file() or (here / "claims.csv").is_file():
        return here
    return records_dir or SEEDS_DIR


cache_dir = Path(os.environ.get("GEO_CACHE_DIR") or platformdirs.user_cache_dir("geo"))
data_mirror = Path(os.environ["GEO_DATA_MIRROR"]) if os.environ.get("GEO_DATA_MIRROR") else None
# The source articles that records cite. They are not part of the project;
# where this folder is absent, the provenance checks are skipped with a note.
articles_dir = Path(os.environ.get("GEO_ARTICLES_DIR") or PROJECT_DIR.parent / "shared" / "seeds")

# Seconds to wait for a download before giving up with a clear error.
download_timeout = 60

# Geocoder: rapidfuzz scores (0-100) at or above which a fuzzy match is
# accepted. Tuned for precision: a wrong district is worse than a
# province-level answer.
fuzzy_threshold = 90
# Names longer than this are rejected as input errors.
max_name_length = 200

# Public credit shown on every map.
boundary_credit = "Boundaries: AGCHO / OCHA, CC BY-IGO"

# Default incident window for `geo build`, in days up to and including --date.
default_window_days = 30
