"""A raster of the districts: the fast path of :func:`geo.boundaries.locate_points`.

The districts' bounding box is cut into square cells. A cell whose closed box
(widened by a hair, against rounding) touches no district border lies wholly
inside one district, or wholly outside them all: the raster stores that
district's row number (or ``OUTSIDE``), and a point falling in it is answered by
one array lookup. A cell touching borders stores ``-2 - k`` for its k-th entry
in a list of the districts whose border touches it (in a valid coverage, the
only districts the cell can overlap); its points get the exact polygon test
against those few candidates only, which applies the border rule. So the
raster changes speed, never answers.

The raster is built from the rings' edges with numpy alone (about 0.1 s for
the 1.3 million cells of 0.01 degree; no geometry per cell, no labelling
library) and kept as a plain ``.npz`` array file (no pickle), keyed by the
boundary file's sha256, the cell size and the layout: geo ships the raster of
its districts, and builds and caches any other.
"""

import hashlib
import zipfile

import numpy as np
import pandas as pd
import shapely

OUTSIDE = -1
# Cells are widened by this much (degrees, ~0.1 mm) before the border test, so
# a point that floating-point rounding puts in a neighbouring cell is still
# answered by the exact test whenever it is near a border.
_MARGIN = 1e-9
_FORMAT = 4  # bump when the stored layout changes
_CHUNK = 1 << 16  # points looked up at once


class Grid:
    """District row number per cell, and candidate districts of the border cells.

    Parameters
    ----------
    cells : numpy.ndarray of int32, shape (rows, columns)
        District row number, ``OUTSIDE``, or ``-2 - k`` for border cell k;
        row 0 is the south edge.
    offsets, candidates : numpy.ndarray of int32
        Border cell k's candidate district rows are
        ``candidates[offsets[k]:offsets[k + 1]]``, in increasing order.
    corner : tuple of float
        West and south edge of cell (0, 0), and the cell side, in degrees.
    covered : numpy.ndarray of bool, optional
        Whether border cell k lies wholly inside the districts' union (no
        edge of the outer outline touches it): a point there that is in none
        of the other candidates is in the last, which is then not tested.
    """

    def __init__(self, cells, offsets, candidates, corner, covered=None):
        self.cells, self.offsets, self.candidates = cells, offsets, candidates
        self.west, self.south, self.size = map(float, corner)
        if covered is None and offsets is not None:
            covered = np.zeros(len(offsets) - 1, dtype=bool)  # every candidate tested
        self.covered = covered

    def lookup(self, lon, lat):
        """Return the stored value of each point's cell (``OUTSIDE`` off the grid or not finite)."""
        values = np.empty(len(lon), dtype=np.int32)
        # In chunks: the temporaries stay small, in the processor's cache and
        # in memory the allocator already holds (a fresh process pays a page
        # fault for every new page of a million-point temporary).
        for begin in range(0, len(lon), _CHUNK):
            end = begin + _CHUNK
            values[begin:end] = self._lookup_chunk(lon[begin:end], lat[begin:end])
        return values

    def _lookup_chunk(self, lon, lat):
        rows, columns = self.cells.shape
        with np.errstate(invalid="ignore"):
            column = np.floor((lon - self.west) / self.size)
            row = np.floor((lat - self.south) / self.size)
            inside = (column >= 0) & (column < columns) & (row >= 0) & (row < rows)
        cell = np.where(inside, row * columns + column, 0).astype(np.intp)
        return np.where(inside, self.cells.ravel()[cell], OUTSIDE)

    def locate(self, lon, lat, polygons):
        """Return each point's district row: lookup, then the exact test near borders.

        `polygons` are the districts the grid was built from (prepared here);
        a point on a shared border gets the lowest row, one outside gets -1.
        """
        rows = self.lookup(lon, lat)
        border_points = np.flatnonzero(rows <= -2)
        border_cells = -2 - rows[border_points]
        starts, ends = self.offsets[border_cells], self.offsets[border_cells + 1]
        covered = self.covered[border_cells]
        # One (point, candidate) pair per candidate district of the point's
        # cell, but the last of a covered cell: a point there is in it when
        # it is in none of the others (half the tests).
        tested = ends - starts - covered
        pair_point = np.repeat(np.arange(len(border_points)), tested)
        pair_slot = np.arange(len(pair_point)) - np.repeat(np.cumsum(tested) - tested, tested)
        pair_district = self.candidates[np.repeat(starts, tested) + pair_slot]
        shapely.prepare(polygons)
        point = border_points[pair_point]
        hit = shapely.intersects_xy(polygons[pair_district], lon[point], lat[point])
        rows[border_points] = np.where(covered, self.candidates[ends - 1], OUTSIDE)
        # Candidates are in increasing order, so a point's first hit is its lowest district.
        hit_points, first = np.unique(pair_point[hit], return_index=True)
        rows[border_points[hit_points]] = pair_district[hit][first]
        return rows

    def save(self, path, key, compressed=False):
        """Write the grid as an ``.npz`` file (arrays only) tagged with `key`; `compressed` for shipping."""
        corner = np.array([self.west, self.south, self.size])
        write = np.savez_compressed if compressed else np.savez
        arrays = {"cells": self.cells, "offsets": self.offsets, "candidates": self.candidates, "covered": self.covered}
        write(path, **arrays, corner=corner, key=key)

    @classmethod
    def load(cls, path, key):
        """Read a grid written by :meth:`save`; None if it is missing, unreadable or for another key."""
        try:
            with np.load(path, allow_pickle=False) as stored:
                if str(stored["key"]) != key:
                    return None
                arrays = [stored[name] for name in ("cells", "offsets", "candidates", "corner", "covered")]
                return cls(*arrays)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return None


def grid_key(boundary_sha256, size):
    """Return the cache key of a grid: what it was built from, and how."""
    return hashlib.sha256(f"{_FORMAT}:{boundary_sha256}:{size!r}".encode()).hexdigest()[:24]


def build_grid(polygons, size):
    """Rasterise `polygons` (a valid coverage) into a :class:`Grid` of cells `size` degrees wide.

    Numpy only, no per-cell geometry: the cells a border touches come from
    the border's edges (:func:`_border_cells`), the district of every other
    cell from a scanline fill of the rings at the cells' centres
    (:func:`_fill_interiors`). A cell touching no border lies wholly in the
    district holding its centre (or outside them all).

    Parameters
    ----------
    polygons : numpy.ndarray of shapely geometries
        The districts, in row order.
    size : float
    """
    west, south, east, north = shapely.total_bounds(polygons)
    west, south = west - size, south - size
    columns = int(np.ceil((east - west) / size)) + 2
    rows = int(np.ceil((north - south) / size)) + 2
    grid = Grid(np.full((rows, columns), OUTSIDE, dtype=np.int32), None, None, (west, south, size))
    # Oriented alike (exteriors anticlockwise), neighbours run along a shared edge in opposite directions.
    start, end, district = _edges(shapely.orient_polygons(polygons, exterior_cw=False))
    grid.cells[:] = _fill_interiors(grid, start, end, district)
    border_cell, candidates = _border_cells(grid, start, end, district)
    cells_touched, first = np.unique(border_cell, return_index=True)
    grid.offsets = np.append(first, len(border_cell)).astype(np.int32)
    grid.candidates = candidates.astype(np.int32)
    grid.cells.flat[cells_touched] = -2 - np.arange(len(cells_touched))
    outline = ~_has_reversed_twin(start, end)
    outline_cells, _ = _border_cells(grid, start[outline], end[outline], district[outline])
    grid.covered = ~np.isin(cells_touched, outline_cells)
    return grid


def _has_reversed_twin(start, end):
    """Whether each edge is also an edge of another ring run the other way: a border between
    two polygons, with one on each side. The others make the outer outline (and any gap)."""
    points = np.concatenate([start[:, 0] + 1j * start[:, 1], end[:, 0] + 1j * end[:, 1]])
    point_ids = pd.factorize(points)[0].astype(np.int64)  # exact coordinates -> one id per point
    first, second = point_ids[: len(start)], point_ids[len(start) :]
    count = int(point_ids.max()) + 1 if len(point_ids) else 0
    return pd.Series(second * count + first).isin(pd.Series(first * count + second)).to_numpy()


def _edges(polygons):
    """Return the start and end points (n, 2) of every ring edge, and its polygon's row."""
    parts, part_polygon = shapely.get_parts(polygons, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coordinates, coordinate_ring = shapely.get_coordinates(rings, return_index=True)
    # Consecutive coordinates of one ring make an edge (rings are closed).
    same_ring = np.flatnonzero(coordinate_ring[:-1] == coordinate_ring[1:])
    district = part_polygon[ring_part[coordinate_ring[same_ring]]]
    return coordinates[same_ring], coordinates[same_ring + 1], district


def _fill_interiors(grid, start, end, district):
    """Return each cell's polygon row by the even-odd rule at its centre (``OUTSIDE`` if none).

    Each edge crosses the horizontal lines through the centres of the rows
    it spans (half-open in latitude, so a vertex on a line counts once);
    sorted along the line, a polygon's crossings pair up into spans of cells
    inside it. Spans are written as +row/-row steps and summed along the
    row. Cells whose centre lies within rounding of a border get a
    meaningless value here, but those cells touch a border and are
    overwritten as border cells.
    """
    rows, columns = grid.cells.shape

    def first_row_above(lat):  # index of the first row centre at or above lat
        return np.ceil((lat - grid.south) / grid.size - 0.5).astype(np.intp)

    low, high = np.minimum(start[:, 1], end[:, 1]), np.maximum(start[:, 1], end[:, 1])
    first, stop = first_row_above(low), first_row_above(high)
    count = np.maximum(stop - first, 0)
    edge = np.repeat(np.arange(len(start)), count)
    row = first[edge] + np.arange(len(edge)) - np.repeat(np.cumsum(count) - count, count)
    centre_lat = grid.south + (row + 0.5) * grid.size
    (x0, y0), (x1, y1) = start[edge].T, end[edge].T
    crossing = x0 + (centre_lat - y0) * (x1 - x0) / (y1 - y0)
    order = np.lexsort((crossing, row, district[edge]))
    row, crossing, owner = row[order], crossing[order], district[edge][order]
    # Per polygon and row the crossings are even in number: pair them in order.
    span_row, span_owner = row[0::2], owner[0::2]
    span_start = np.ceil((crossing[0::2] - grid.west) / grid.size - 0.5).astype(np.intp)
    span_stop = np.ceil((crossing[1::2] - grid.west) / grid.size - 0.5).astype(np.intp)
    steps = np.zeros((rows, columns + 1), dtype=np.int64)
    np.add.at(steps, (span_row, np.clip(span_start, 0, columns)), span_owner + 1)
    np.add.at(steps, (span_row, np.clip(span_stop, 0, columns)), -(span_owner + 1))
    return (np.cumsum(steps[:, :columns], axis=1) - 1).astype(np.int32)


def _border_cells(grid, start, end, district):
    """Return (flat cell index, polygon row) for every cell a polygon's border touches, sorted.

    Edges longer than half a cell are cut into pieces at most that long, so
    every piece's bounding box (widened by the margin) covers at most 2 x 2
    cells. Most pieces lie in one cell, which they touch; of the others, a
    cell is kept when the piece's line does not leave all four corners of
    the widened cell on one side (the separating-axis test of a segment and
    a box whose bounding boxes overlap).
    """
    rows, columns = grid.cells.shape
    a, b, district = _pieces(start, end, district, grid.size / 2)
    origin = np.array([grid.west, grid.south])
    lower = np.floor((np.minimum(a, b) - _MARGIN - origin) / grid.size).astype(np.intp)
    upper = np.floor((np.maximum(a, b) + _MARGIN - origin) / grid.size).astype(np.intp)
    single = (lower == upper).all(axis=1)
    cell_column, cell_row, owner = [lower[single, 0]], [lower[single, 1]], [district[single]]
    spread = np.flatnonzero(~single)
    for step_column, step_row in ((0, 0), (0, 1), (1, 0), (1, 1)):
        column, row = lower[spread, 0] + step_column, lower[spread, 1] + step_row
        within = (column <= upper[spread, 0]) & (row <= upper[spread, 1])
        piece = spread[within]
        touches = _segment_touches_cell(grid, a[piece], b[piece], column[within], row[within])
        cell_column.append(column[within][touches])
        cell_row.append(row[within][touches])
        owner.append(district[piece[touches]])
    cell_column, cell_row, owner = map(np.concatenate, (cell_column, cell_row, owner))
    cell = np.clip(cell_row, 0, rows - 1) * columns + np.clip(cell_column, 0, columns - 1)
    width = district.max() + 1
    pair = cell.astype(np.int64) * width + owner
    # Consecutive edges of a ring mostly share a cell: dropping repeats first
    # makes the sort of np.unique several times shorter.
    pair = pair[np.append(True, pair[1:] != pair[:-1])]
    return np.divmod(np.unique(pair), width)


def _pieces(start, end, district, longest):
    """Cut the edges longer than `longest` into equal pieces no longer; return their ends and polygons."""
    count = np.maximum(np.ceil(np.hypot(*(end - start).T) / longest), 1).astype(np.intp)
    long_edges = np.flatnonzero(count > 1)
    edge = np.repeat(long_edges, count[long_edges])
    step = np.arange(len(edge)) - np.repeat(np.cumsum(count[long_edges]) - count[long_edges], count[long_edges])
    delta = (end - start)[edge]
    piece_start = start[edge] + (step / count[edge])[:, None] * delta
    piece_end = start[edge] + ((step + 1) / count[edge])[:, None] * delta
    short = count == 1
    return (
        np.concatenate([start[short], piece_start]),
        np.concatenate([end[short], piece_end]),
        np.concatenate([district[short], district[edge]]),
    )


def _segment_touches_cell(grid, a, b, column, row):
    """Whether segment a-b meets the widened box of cell (column, row); their bounding boxes overlap."""
    west = grid.west + column * grid.size - _MARGIN
    south = grid.south + row * grid.size - _MARGIN
    east, north = west + grid.size + 2 * _MARGIN, south + grid.size + 2 * _MARGIN
    dx, dy = (b - a).T
    sides = np.stack([dx * (lat - a[:, 1]) - dy * (lon - a[:, 0]) for lon in (west, east) for lat in (south, north)])
    return ~((sides > 0).all(axis=0) | (sides < 0).all(axis=0))
