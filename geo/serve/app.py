"""The Starlette application: routes, error handlers, and running it with uvicorn."""

import contextlib
import logging
import sys
from pathlib import Path

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Route

from .. import errors, settings
from . import _layers, features, maps
from ._safety import ApiError, PathGuard, error_response
from ._snapshots import RecordStore

log = logging.getLogger("geo.serve")


async def root(request):
    """``/``: the OGC API landing page as JSON, or the front page for a browser."""
    from . import _params

    query = _params.checked(request, features.DOCUMENT_PARAMETERS)
    _params.tolerated(query)
    if _params.output_format(query, request) == "html":
        return await maps.front_page(request)
    return features.landing(request)


async def _api_error(request, error):
    return error_response(error.status, str(error), error.code)


async def _http_error(request, error):
    messages = {
        404: f"no such resource: {request.url.path[:100]}",
        405: f"method {request.method} not allowed; the service is read-only",
    }
    return error_response(error.status_code, messages.get(error.status_code, error.detail))


async def _geo_error(request, error):
    # Records that never loaded: the service has nothing to serve.
    return error_response(503, str(error), "RecordsUnavailable")


async def _server_error(request, error):
    log.exception("error answering %s", request.url.path, exc_info=error)
    return error_response(500, "internal error; see the server's log", "ServerError")


@contextlib.asynccontextmanager
async def _lifespan(app):
    # Few worker threads: the work is CPU-bound on a few cores, and each
    # thread holds its own memory arena, so more threads only cost memory.
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.serve_worker_threads
    yield


def create_app(records_dir=None, cache_dir=None):
    """Return the service's ASGI app over the records in `records_dir`.

    Parameters
    ----------
    records_dir : path-like, optional
        Holds ``incidents.csv`` and ``claims.csv`` (default: the seeds).
    cache_dir : path-like, optional
        Record snapshots and built maps (default ``settings.serve_cache_dir``,
        else ``settings.cache_dir / "serve"``).
    """
    records_dir = Path(records_dir or settings.SEEDS_DIR)
    cache_dir = Path(cache_dir or settings.serve_cache_dir or settings.cache_dir / "serve")
    store = RecordStore(records_dir, cache_dir, prepare=_layers.prepare)
    routes = [Route("/", root), *features.ROUTES, *maps.ROUTES]
    handlers = {ApiError: _api_error, HTTPException: _http_error, errors.GeoError: _geo_error, Exception: _server_error}
    middleware = [Middleware(PathGuard)]
    app = Starlette(routes=routes, exception_handlers=handlers, middleware=middleware, lifespan=_lifespan)
    app.state.store = store
    app.state.maps = maps.MapCache(cache_dir / "maps")
    return app


def run(host=None, port=None, records_dir=None):
    """Load the records, then serve them until interrupted.

    Raises
    ------
    GeoError
        The records folder lacks a file, or its records do not validate.
    """
    import uvicorn

    app = create_app(records_dir)
    app.state.store.current()  # fail now, with the records' problem, rather than on the first request
    host = host or settings.serve_host
    port = settings.serve_port if port is None else port
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"geo serve: listening on {host}, not loopback only: anyone who can reach it can read the records",
            file=sys.stderr,
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    print(
        f"geo serve: http://{host}:{port}/  (add to QGIS as OGC API - Features: http://{host}:{port})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        limit_concurrency=settings.serve_max_connections,
        timeout_keep_alive=5,
    )
