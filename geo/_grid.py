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

The raster is built once with shapely and kept in the cache folder as a plain
``.npz`` array file (no pickle), keyed by the boundary file's sha256 and the cell
size.
"""

import hashlib

import numpy as np
import shapely

OUTSIDE = -1
# Cells are widened by this much (degrees, ~0.1 mm) before the border test, so
# a point that floating-point rounding puts in a neighbouring cell is still
# answered by the exact test whenever it is near a border.
_MARGIN = 1e-9
_FORMAT = 2  # bump when the stored layout changes


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
    """

    def __init__(self, cells, offsets, candidates, corner):
        self.cells, self.offsets, self.candidates = cells, offsets, candidates
        self.west, self.south, self.size = map(float, corner)

    def lookup(self, lon, lat):
        """Return the stored value of each point's cell (``OUTSIDE`` off the grid or not finite)."""
        with np.errstate(invalid="ignore"):
            column = np.floor((lon - self.west) / self.size)
            row = np.floor((lat - self.south) / self.size)
        rows, columns = self.cells.shape
        inside = (column >= 0) & (column < columns) & (row >= 0) & (row < rows)
        values = np.full(len(lon), OUTSIDE, dtype=np.int32)
        values[inside] = self.cells[row[inside].astype(np.intp), column[inside].astype(np.intp)]
        return values

    def locate(self, lon, lat, polygons):
        """Return each point's district row: lookup, then the exact test near borders.

        `polygons` are the districts the grid was built from (prepared here);
        a point on a shared border gets the lowest row, one outside gets -1.
        """
        rows = self.lookup(lon, lat).astype(np.intp)
        border_points = np.flatnonzero(rows <= -2)
        border_cells = -2 - rows[border_points]
        starts, ends = self.offsets[border_cells], self.offsets[border_cells + 1]
        # One (point, candidate) pair per candidate district of the point's cell.
        pair_point = np.repeat(np.arange(len(border_points)), ends - starts)
        pair_slot = np.arange(len(pair_point)) - np.repeat(np.cumsum(ends - starts) - (ends - starts), ends - starts)
        pair_district = self.candidates[np.repeat(starts, ends - starts) + pair_slot]
        shapely.prepare(polygons)
        point = border_points[pair_point]
        hit = shapely.intersects_xy(polygons[pair_district], lon[point], lat[point])
        rows[border_points] = OUTSIDE
        # Candidates are in increasing order, so a point's first hit is its lowest district.
        hit_points, first = np.unique(pair_point[hit], return_index=True)
        rows[border_points[hit_points]] = pair_district[hit][first]
        return rows

    def save(self, path, key):
        """Write the grid as an ``.npz`` file (arrays only) tagged with `key`."""
        corner = np.array([self.west, self.south, self.size])
        np.savez(path, cells=self.cells, offsets=self.offsets, candidates=self.candidates, corner=corner, key=key)

    @classmethod
    def load(cls, path, key):
        """Read a grid written by :meth:`save`; None if it is missing, unreadable or for another key."""
        try:
            with np.load(path, allow_pickle=False) as stored:
                if str(stored["key"]) != key:
                    return None
                return cls(stored["cells"], stored["offsets"], stored["candidates"], stored["corner"])
        except (OSError, ValueError, KeyError):
            return None


def grid_key(boundary_sha256, size):
    """Return the cache key of a grid: what it was built from, and how."""
    return hashlib.sha256(f"{_FORMAT}:{boundary_sha256}:{size!r}".encode()).hexdigest()[:24]


def build_grid(polygons, size, exact_locate):
    """Rasterise `polygons` (a valid coverage) into a :class:`Grid` of cells `size` degrees wide.

    Parameters
    ----------
    polygons : numpy.ndarray of shapely geometries
        The districts, in row order.
    size : float
    exact_locate : callable
        ``exact_locate(lon, lat) -> row numbers (OUTSIDE if none)``: the exact
        test, used for one cell of each patch that touches no border.
    """
    west, south, east, north = shapely.total_bounds(polygons)
    west, south = west - size, south - size
    columns = int(np.ceil((east - west) / size)) + 2
    rows = int(np.ceil((north - south) / size)) + 2
    grid = Grid(np.full((rows, columns), OUTSIDE, dtype=np.int32), None, None, (west, south, size))
    border_cell, district = _border_cells(grid, shapely.boundary(polygons))
    order = np.lexsort((district, border_cell))
    border_cell, district = border_cell[order], district[order]
    cells_touched, first = np.unique(border_cell, return_index=True)
    grid.offsets = np.append(first, len(border_cell)).astype(np.int32)
    grid.candidates = district.astype(np.int32)
    grid.cells.flat[cells_touched] = -2 - np.arange(len(cells_touched))
    _fill_patches(grid, exact_locate)
    return grid


def _fill_patches(grid, exact_locate):
    # Cells that touch no border and share an edge touch no border between
    # them either: each connected patch lies in one district (or outside all),
    # so one exact test, of any of its cells' centre, answers the whole patch.
    import scipy.ndimage  # only when the raster is built (a cold start): 0.55 s to import

    patches, _ = scipy.ndimage.label(grid.cells == OUTSIDE)
    first_cells = np.unique(patches.ravel(), return_index=True)[1][1:]  # label 0: the border cells
    row, column = np.divmod(first_cells, grid.cells.shape[1])
    centre_lon = grid.west + (column + 0.5) * grid.size
    patch_rows = exact_locate(centre_lon, grid.south + (row + 0.5) * grid.size)
    pure = patches > 0
    grid.cells[pure] = patch_rows[patches[pure] - 1]


def _border_cells(grid, borders):
    """Return (flat cell index, district row) for every cell a district's border touches.

    Candidates first, cheaply: the borders are cut into pieces at most a
    quarter cell long, so every border point lies within an eighth of a cell
    of a piece's end; the cells under the square of that half-width (plus the
    margin) around each end are the candidates. The exact test of the widened
    boxes then keeps the ones a border touches.
    """
    pieces = shapely.segmentize(borders, grid.size / 4)
    ends = shapely.get_coordinates(pieces)
    rows, columns = grid.cells.shape
    reach = grid.size / 8 + 2 * _MARGIN
    near = np.zeros((rows, columns), dtype=bool)
    for step_lon in (-reach, reach):
        for step_lat in (-reach, reach):
            column = np.floor((ends[:, 0] + step_lon - grid.west) / grid.size).astype(np.intp)
            row = np.floor((ends[:, 1] + step_lat - grid.south) / grid.size).astype(np.intp)
            near[np.clip(row, 0, rows - 1), np.clip(column, 0, columns - 1)] = True
    candidates = np.flatnonzero(near)
    row, column = np.divmod(candidates, columns)
    boxes = shapely.box(
        grid.west + column * grid.size - _MARGIN,
        grid.south + row * grid.size - _MARGIN,
        grid.west + (column + 1) * grid.size + _MARGIN,
        grid.south + (row + 1) * grid.size + _MARGIN,
    )
    district, box = shapely.STRtree(boxes).query(borders, predicate="intersects")
    return candidates[box], district
