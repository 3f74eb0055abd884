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
"""

import os
from pathlib import Path

import platformdirs

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
BOUNDARIES_DIR = PROJECT_DIR / "boundaries"
SEEDS_DIR = PROJECT_DIR / "seeds"

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

# Limits on `geo build` options (records: option parsing). A window or step
# longer than the span of dates records may carry (schema.EARLIEST_YEAR to
# LATEST_YEAR, about 44,000 days) is a typing error; a series of more maps
# than this is refused, so a --from/--to over all time cannot fill a disk.
max_window_days = 45_000
max_series_maps = 1_000

# Tables of at least this many rows show progress bars while they are
# checked (on a terminal only).
progress_min_rows = 100_000
