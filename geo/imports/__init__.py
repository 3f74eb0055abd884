"""Bring your own data: ACLED and UCDP GED exports, any table, dated control series.

One format a module: :mod:`~geo.imports.acled`, :mod:`~geo.imports.ucdp`,
:mod:`~geo.imports.table` (any CSV of incidents) and
:mod:`~geo.imports.claims` (district-control tables and series). Each returns
an :class:`ImportResult`; :func:`write_result` writes it (merged by dataset
and event id with what the output already holds) and its rejects beside it.

Every event is placed by its own point where it has one
(:func:`geo.locate_points`), else by its names through the geocoder; see
:mod:`geo.imports._place`.
"""

from ._finish import ImportResult, rejects_path_for, write_result
from .acled import import_acled
from .table import import_table
from .ucdp import import_ucdp

__all__ = ["ImportResult", "import_acled", "import_table", "import_ucdp", "rejects_path_for", "write_result"]
