"""geo: maps of conflict incidents and district control in Afghanistan.

The package is laid out by pipeline stage, and data flows one way through it::

    data -> boundaries -> gazetteer -> geocoder -> records -> join -> render/export

The ``geo`` command (:mod:`geo.cli`) is a thin layer on top.
"""

__version__ = "0.1.0"


def locate_points(points, lat=None, *, districts=None):
    """Return the district code of each point; see :func:`geo.boundaries.locate_points`."""
    from .boundaries import locate_points as _locate_points

    return _locate_points(points, lat, districts=districts)
