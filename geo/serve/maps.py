"""The maps: the front page, and the map of any date built on demand.

``/maps/2019-09-30`` is the page ``geo build --date 2019-09-30`` writes, built
the first time it is asked for into the service's cache and kept there,
keyed by everything it depends on (the records' content, geo's version, the
date and the build options ``window`` and ``cdn``). A build goes to a
temporary folder that is renamed into place when whole, so no request sees a
half-built map. Files are served only from that cache, only by the names the
build reported, and never through a symbolic link.
"""

import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import stat
import threading
import uuid
from pathlib import Path

import anyio
import anyio.to_thread
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, RedirectResponse
from starlette.routing import Route

from .. import errors, settings
from . import _html, _params, _pipeline
from ._safety import ApiError, text

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".geojson": "application/geo+json",
    ".gpkg": "application/geopackage+sqlite3",
    ".parquet": "application/vnd.apache.parquet",
}
MANIFEST = "outputs.json"
BUILD_PARAMETERS = {"window", "cdn"}


class MapCache:
    """Maps built on demand, on disk under `root`, at most ``serve_max_cached_maps`` of them."""

    def __init__(self, root):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._builds = threading.BoundedSemaphore(settings.serve_build_workers)
        # A fixed set of locks (a key picks one), so the locks do not grow with requests.
        self._locks = [threading.Lock() for _ in range(64)]

    def find(self, snapshot, as_of, window_days, self_contained):
        """Return (folder, manifest) of the map if it is built, else None."""
        folder = self.root / self._key(snapshot, as_of, window_days, self_contained)
        if (folder / MANIFEST).is_file():
            return folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return None

    def get(self, snapshot, as_of, window_days, self_contained):
        """Return (folder, manifest) of the map, building it if needed."""
        key = self._key(snapshot, as_of, window_days, self_contained)
        folder = self.root / key
        with self._locks[int(key[:8], 16) % len(self._locks)], self._builds:
            if not (folder / MANIFEST).is_file():
                self._build(snapshot, as_of, window_days, self_contained, folder)
                self._prune()
        return folder, json.loads((folder / MANIFEST).read_text(encoding="utf-8"))

    @staticmethod
    def _key(snapshot, as_of, window_days, self_contained):
        # Everything the map depends on: the records' content, geo's code, the date and the options.
        text = f"{snapshot.key}|{_pipeline.VERSION}|{as_of}|{window_days}|{self_contained}"
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def _build(self, snapshot, as_of, window_days, self_contained, folder):
        staging = self.root / f".build-{uuid.uuid4().hex}"
        try:
            result = _pipeline.build_map(
                snapshot.inputs, as_of, staging, window_days=window_days, self_contained=self_contained
            )
            manifest = {
                "as_of": as_of.isoformat(),
                "files": {kind: path.name for kind, path in result["files"].items()},
                "incident_count": result["incident_count"],
                "status_counts": result["status_counts"],
            }
            (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            os.replace(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _prune(self):
        built = sorted((p for p in self.root.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
        for folder in built[: max(0, len(built) - settings.serve_max_cached_maps)]:
            shutil.rmtree(folder, ignore_errors=True)

    def file(self, folder, name):
        """The path of a built file, refusing anything outside the cache or not a plain file."""
        path = folder / name
        resolved = Path(os.path.realpath(path))
        if resolved.parent != folder or self.root not in resolved.parents:
            raise ApiError(404, f"no file {name[:60]!r} in this map")
        try:
            info = os.lstat(path)
        except OSError:
            raise ApiError(404, f"no file {name[:60]!r} in this map") from None
        if not stat.S_ISREG(info.st_mode):
            raise ApiError(404, f"no file {name[:60]!r} in this map")
        return path


async def front_page(request):
    """The front page: a date picker, the dates of the records, the OGC API links."""
    snapshot = await run_in_threadpool(request.app.state.store.current)
    base = str(request.base_url).rstrip("/")
    last = snapshot.last_date or dt.date.today()
    picker = (
        '<form action="/maps" method="get"><label>Map as of <input type="date" name="date" required '
        f'value="{text(last)}" min="{text(_pipeline.EARLIEST_DATE)}" max="{text(_pipeline.LATEST_DATE)}"></label> '
        f'<label>incidents of the last <input type="text" name="window" value="{_pipeline.DEFAULT_WINDOW_DAYS}" size="5"> days (or all)</label> '
        "<button>Open the map</button></form>"
    )
    dates = "".join(
        f"<li>{_html.link(f'/maps/{date.isoformat()}', date.isoformat())}: {count} claim{'s' if count != 1 else ''}</li>"
        for date, count in snapshot.claim_dates
    )
    problem = request.app.state.store.problem
    warning = (
        f"<p><strong>The records on disk were not reloaded:</strong> {text(problem)}. Serving the last good version.</p>"
        if problem
        else ""
    )
    inputs = snapshot.inputs
    body = (
        "<h1>Afghanistan: district control and incidents</h1>"
        f"{warning}<p>{len(inputs.incidents)} incidents and {len(inputs.claims)} control claims, "
        f"{text(snapshot.first_date)} to {text(snapshot.last_date)}.</p>{picker}"
        "<h2>Live layers for QGIS</h2><p>In QGIS: Layer → Add Layer → Add WFS / OGC API - Features Layer, "
        f"New connection, URL <code>{text(base)}</code>. GDAL: <code>ogrinfo OAPIF:{text(base)}</code>.</p><ul>"
        f"<li>{_html.link('/collections?f=html', 'Collections')}</li>"
        f"<li>{_html.link('/collections/districts/items?f=html&limit=500', 'Districts, status today')}</li>"
        f"<li>{_html.link('/collections/incidents/items?f=html', 'Incidents')}</li>"
        f"<li>{_html.link('/api', 'API definition (OpenAPI)')}, {_html.link('/conformance', 'conformance')}</li></ul>"
        f"<h2>Maps on the dates of the claims</h2><ul>{dates}</ul>"
    )
    return _html.page("geo: Afghanistan maps", body)


def picker(request):
    """``/maps?date=...``: the date picker's form, sent on to ``/maps/DATE``."""
    query = _params.checked(request, {"date"} | BUILD_PARAMETERS)
    as_of = map_date(query.get("date", ""))
    options = _build_options(query)
    window = "all" if options[0] is None else options[0]
    suffix = f"?window={window}" + ("&cdn=1" if not options[1] else "")
    return RedirectResponse(f"/maps/{as_of.isoformat()}{suffix}", status_code=303)


async def map_page(request):
    folder, manifest = await _built(request)
    return _send(request, folder, manifest["files"]["html"])


async def map_file(request):
    folder, manifest = await _built(request)
    name = request.path_params["name"]
    if name not in manifest["files"].values():
        listed = ", ".join(sorted(manifest["files"].values()))
        raise ApiError(404, f"no file {name[:60]!r} in the map of {manifest['as_of']}; files: {listed}")
    return _send(request, folder, name)


async def _built(request):
    query = _params.checked(request, BUILD_PARAMETERS)
    as_of = map_date(request.path_params["date"])
    window_days, self_contained = _build_options(query)
    state = request.app.state
    snapshot = await run_in_threadpool(state.store.current)
    built = await run_in_threadpool(state.maps.find, snapshot, as_of, window_days, self_contained)
    if built is not None:
        return built
    # Builds wait for their own few threads, so the feature requests never queue behind them.
    if getattr(state, "build_limiter", None) is None:
        state.build_limiter = anyio.CapacityLimiter(settings.serve_build_workers)
    build = functools.partial(state.maps.get, snapshot, as_of, window_days, self_contained)
    try:
        return await anyio.to_thread.run_sync(build, limiter=state.build_limiter)
    except errors.GeoError as error:
        raise ApiError(400, str(error)) from error


def _send(request, folder, name):
    path = request.app.state.maps.file(folder, name)
    return FileResponse(path, media_type=MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream"))


def map_date(value):
    """A map date: exactly YYYY-MM-DD within the years records may have."""
    try:
        if len(value) != 10:
            raise ValueError
        as_of = dt.date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, f"date {value[:40]!r} is not a date as YYYY-MM-DD") from None
    if not _pipeline.EARLIEST_DATE <= as_of <= _pipeline.LATEST_DATE:
        raise ApiError(400, f"date {value!r} is outside {_pipeline.EARLIEST_DATE.year}-{_pipeline.LATEST_DATE.year}")
    return as_of


def _build_options(query):
    """(window_days or None for all, self_contained) from ``window`` and ``cdn``, as ``geo build``."""
    window = query.get("window", str(_pipeline.DEFAULT_WINDOW_DAYS))
    longest = (_pipeline.LATEST_DATE - _pipeline.EARLIEST_DATE).days + 1
    window_days = None if window == "all" else _params.integer({"window": window}, "window", None, 1, longest)
    cdn = query.get("cdn", "0").lower()
    if cdn not in ("0", "1", "true", "false"):
        raise ApiError(400, f"cdn={cdn[:20]!r} is not 0, 1, true or false")
    return window_days, cdn in ("0", "false")


ROUTES = [
    Route("/maps", picker),
    Route("/maps/{date}", map_page),
    Route("/maps/{date}/{name}", map_file),
]
