"""geo: maps of conflict incidents and district control in Afghanistan.

The package is laid out by pipeline stage, and data flows one way through it::

    data -> boundaries -> gazetteer -> geocoder -> records -> join -> render/export

The ``geo`` command (:mod:`geo.cli`) is a thin layer on top.
"""

__version__ = "0.1.0"
