"""The web service: maps for any date, and live layers over OGC API - Features.

``geo serve`` serves one records folder (``incidents.csv``, ``claims.csv``)
to browsers and GIS clients, read-only:

- ``/`` (in a browser): a date picker and the claim dates; ``/maps/DATE``:
  the map ``geo build`` would write, built on demand and cached by its inputs
  (:mod:`geo.serve.maps`);
- ``/``, ``/conformance``, ``/api``, ``/collections`` and the ``districts``
  and ``incidents`` collections: OGC API - Features Part 1 Core with GeoJSON,
  which QGIS, ArcGIS and GDAL read natively (:mod:`geo.serve.features`).

It is built on Starlette and run by uvicorn. Records are served from
validated snapshots that are reloaded when the files change
(:mod:`geo.serve._snapshots`); every parameter is checked
(:mod:`geo.serve._params`) and every path guarded (:mod:`geo.serve._safety`).
The pipeline is reached through one adapter, :mod:`geo.serve._pipeline`.
"""

from .app import create_app, run

__all__ = ["create_app", "run"]
