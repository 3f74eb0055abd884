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

Two variables are read when used, so a running process (or a test) can set
them: :func:`data_base_url` (``GEO_DATA_BASE_URL``) and
:func:`show_progress` (``GEO_PROGRESS``).
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
# A fuzzy match onto a village (or a learned name) within the given province
# needs this score: an unknown village is often one letter from a known one.
village_fuzzy_threshold = 95
# Names longer than this are rejected as input errors.
max_name_length = 200
# The geocoder keeps its answers (one per distinct name, province and role)
# in cache_dir / "geocoder", so validation does not geocode the same record
# names on every build (geo._answers); a file past this many answers starts afresh.
geocoder_max_answers = 200_000

# Public credit shown on every map.
boundary_credit = "Boundaries: AGCHO / OCHA, CC BY-IGO"

# Default incident window for `geo build`, in days up to and including --date.
default_window_days = 30

# Most maps one `geo build --from/--to` series may write (a longer step gives fewer).
max_series_maps = 1000

# Cell side, in degrees, of the raster that speeds up locate_points (about
# 1 km): cells touching a district border get the exact test.
grid_cell_size = 0.01

# `geo build` writes a window of more incidents than this as GeoParquet only,
# unless formats are named (as GeoJSON a million points are about 800 MB).
geojson_incident_limit = 100_000

# The dask cluster path (geo.cluster): workers of the LocalCluster started when
# no scheduler address is given (one per core of this machine), and seconds
# to wait for a scheduler at an address.
cluster_workers = os.cpu_count() or 1
cluster_connect_timeout = 10


def data_base_url():
    """An internal HTTP mirror of the data files (``GEO_DATA_BASE_URL``), or None."""
    return os.environ.get("GEO_DATA_BASE_URL") or None


def show_progress():
    """Whether downloads may show a progress bar (``GEO_PROGRESS=0`` hides it)."""
    return os.environ.get("GEO_PROGRESS", "1") != "0"


# Extractor (geo extract): an event sentence without date words is dated this
# many days before publication (at week precision); reports of one event
# closer than this many characters share one cited passage.
extract_undated_lag_days = 1
extract_merge_span_chars = 1500
# A claim is about the districts named within this many characters of its words of control
# (or the nearest list of them) when a sentence names several lists of districts.
extract_claim_reach_chars = 50
# A calendar day without a year up to this many days after publication is still to come (no event's day);
# further on, it is last year's ("on Dec. 30" in a report of Jan. 2).
extract_future_days = 60
# "X district" spelt far from the gazetteer ("Daraq" for Darqad), matched among the districts of the
# province in context: Jaro-Winkler at least this, a plain ratio at least this, and this clear of the next.
# The extractor reads names by this rule, and validation accepts a cited passage spelling its district so.
district_spelling_similarity = 0.88
district_spelling_ratio = 70
district_spelling_margin = 0.05

# --- geo serve: the web service --------------------------------------------------------
# Address `geo serve` binds unless told otherwise: loopback only, so nothing
# is exposed to the network by accident.
serve_host = "127.0.0.1"
serve_port = 8000
# Where the service keeps its record snapshots and the maps it builds on
# demand; it serves files from nowhere else. None: `cache_dir / "serve"`.
serve_cache_dir = None
# OGC API paging: features per page when the client does not say, and the
# most a client may ask for (a larger `limit` is a 400, not a huge page).
serve_default_limit = 100
serve_max_limit = 10000
serve_max_offset = 10_000_000
# Maps built at once (each takes a core for a few seconds), and how many
# built maps are kept on disk before the oldest are removed.
serve_build_workers = 1
serve_max_cached_maps = 200
# Answers kept in memory (district properties per date and window, about
# 150 kB each; statuses per claim date): bounded,
# so memory does not grow with requests.
serve_memory_cache_size = 256
# Seconds a changed records file must stay unchanged before it is reloaded:
# a writer that pauses mid-file is not caught half-way.
serve_reload_settle_seconds = 1.0
# Threads answering requests (the work is CPU-bound; more threads cost memory).
serve_worker_threads = 8
# Connections served at once before the server answers 503, and the longest
# request line accepted.
serve_max_connections = 500
serve_max_url_length = 2048
# Limits on `geo build` options (records: option parsing). A window or step
# longer than the span of dates records may carry (schema.EARLIEST_YEAR to
# LATEST_YEAR, about 44,000 days) is a typing error; a series of more maps
# than this is refused, so a --from/--to over all time cannot fill a disk.
max_window_days = 45_000

# Tables of at least this many rows show progress bars while they are
# checked (on a terminal only).
progress_min_rows = 100_000
# --- checked copies (geo._checked) ----------------------------------------------------
# An import writes OUT.csv.checked.arrow beside its records: their validated
# cells, keyed by the CSV's sha256, so `geo build` does not validate them
# again. GEO_CHECKED_COPIES=0 turns them off (every build validates in full).
checked_copies = os.environ.get("GEO_CHECKED_COPIES", "1") != "0"
# Compression of the copies (Arrow IPC): zstd reads back fastest here.
checked_compression = "zstd"
