"""geo.locate_points (the raster path) against geopandas.sjoin on the real boundaries."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import geo
from geo import _grid, boundaries, settings


@pytest.fixture(scope="module")
def districts():
    return boundaries.load_districts()


def sjoin_within(points, districts):
    """geopandas' answer: the district a point lies strictly within, NaN if none."""
    joined = gpd.sjoin(
        gpd.GeoDataFrame(geometry=points), districts[["district_pcode", "geometry"]], predicate="within", how="left"
    )
    return joined[~joined.index.duplicated()]["district_pcode"]


def exact(points, districts):
    """The exact path (the same function, every point tested against the polygons)."""
    return boundaries.locate_points(points, districts=districts)


def border_and_vertex_points(districts):
    """Every 50th vertex of every district, and points halfway along border edges."""
    rings = shapely.get_coordinates(shapely.boundary(districts.geometry.to_numpy()))
    vertices = rings[::50]
    midpoints = (rings[:-1:97] + rings[1::97]) / 2
    return gpd.GeoSeries(shapely.points(np.vstack([vertices, midpoints])), crs=boundaries.CRS)


def test_random_points_match_sjoin(districts):
    rng = np.random.default_rng(9)
    west, south, east, north = districts.total_bounds
    points = gpd.GeoSeries.from_xy(
        rng.uniform(west, east, 200_000), rng.uniform(south, north, 200_000), crs=boundaries.CRS
    )
    located = geo.locate_points(points)
    expected = sjoin_within(points, districts)
    placed = expected.notna()
    assert placed.sum() > 80_000
    assert (located[placed] == expected[placed]).all()
    # The points sjoin leaves out are outside every district (no border lies on a random point).
    assert (located[~placed] == "").all()


def test_points_sampled_inside_districts_match_sjoin(districts):
    points = districts.geometry.sample_points(150, rng=3).explode(index_parts=False).reset_index(drop=True)
    expected = sjoin_within(points, districts)
    assert expected.notna().all()
    assert (geo.locate_points(points) == expected).all()


def test_border_and_vertex_points_follow_the_border_rule(districts):
    points = border_and_vertex_points(districts)
    located = geo.locate_points(points)
    # The raster gives the exact test's answer: lowest pcode on a shared border.
    assert (located == exact(points, districts)).all()
    expected = sjoin_within(points, districts)
    placed = expected.notna()
    assert (located[placed] == expected[placed]).all()
    assert (located != "").mean() > 0.9  # the border points are placed, not dropped


def test_shared_vertex_gets_lowest_pcode(districts):
    takhar = districts.set_index("district_pcode").geometry
    shared = shapely.intersection(shapely.boundary(takhar["AF1801"]), shapely.boundary(takhar["AF1802"]))
    vertex = shapely.get_coordinates(shared)[0]
    located = geo.locate_points([vertex[0]], [vertex[1]])
    assert located.tolist() == [min(code for code in takhar.index if takhar[code].intersects(shapely.Point(vertex)))]


def test_lon_lat_arrays_keep_a_series_index(districts):
    lon = pd.Series([69.17, np.nan, 0.0, 69.17], index=[10, 11, 12, 13])
    lat = pd.Series([34.53, 34.5, 0.0, np.inf], index=[10, 11, 12, 13])
    located = geo.locate_points(lon, lat)
    assert located.index.tolist() == [10, 11, 12, 13]
    assert located.tolist() == ["AF0101", "", "", ""]  # Kabul; not finite and far away are outside


def test_grid_is_cached_as_arrays_and_reused(districts, tmp_path):
    polygons = districts.geometry.to_numpy()
    grid = _grid.build_grid(polygons, 0.05)
    path = tmp_path / "grid.npz"
    grid.save(path, "key-a")
    assert _grid.Grid.load(path, "key-b") is None
    loaded = _grid.Grid.load(path, "key-a")
    assert np.array_equal(loaded.cells, grid.cells) and loaded.size == 0.05
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(60, 75, 20_000), rng.uniform(29, 39, 20_000)
    assert np.array_equal(loaded.covered, grid.covered) and 0 < grid.covered.sum() < len(grid.covered)
    assert np.array_equal(loaded.locate(lon, lat, polygons), boundaries._exact_rows(lon, lat, polygons))


def test_raster_matches_shapely_cell_by_cell(districts):
    """The numpy raster against shapely on every cell of a coarse grid.

    A cell is a border cell exactly when a district border meets its widened
    box, with those districts as its candidates; any other cell holds the
    district containing its centre (or OUTSIDE).
    """
    polygons = districts.geometry.to_numpy()
    grid = _grid.build_grid(polygons, 0.1)
    rows, columns = grid.cells.shape
    row, column = np.divmod(np.arange(rows * columns), columns)
    west, south = grid.west + column * grid.size, grid.south + row * grid.size
    margin = _grid._MARGIN
    boxes = shapely.box(west - margin, south - margin, west + grid.size + margin, south + grid.size + margin)
    district, cell = shapely.STRtree(boxes).query(shapely.boundary(polygons), predicate="intersects")
    touched = np.zeros(rows * columns, dtype=bool)
    touched[cell] = True
    assert np.array_equal(grid.cells.ravel() <= -2, touched)
    for flat in np.flatnonzero(touched)[::7]:
        k = -2 - grid.cells.flat[flat]
        assert grid.candidates[grid.offsets[k] : grid.offsets[k + 1]].tolist() == sorted(district[cell == flat])
    # Covered border cells: those the outline of the districts' union does not touch.
    outline = shapely.boundary(shapely.union_all(polygons))
    border_boxes = boxes[np.flatnonzero(touched)]
    assert np.array_equal(
        grid.covered[-2 - grid.cells.flat[np.flatnonzero(touched)]], ~outline.intersects(border_boxes)
    )
    inner = np.flatnonzero(~touched)
    centres = (west[inner] + grid.size / 2, south[inner] + grid.size / 2)
    assert np.array_equal(grid.cells.flat[inner], boundaries._exact_rows(*centres, polygons))
    assert (grid.cells >= 0).sum() > 1000 and (grid.cells == _grid.OUTSIDE).sum() > 1000


def test_first_load_of_the_districts_keeps_their_raster_for_later_lookups(monkeypatch, tmp_path, districts):
    """The raster is derived data: never shipped, made with the districts' cached copy and reused from it."""
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    boundaries.district_grid.cache_clear()
    boundaries._load_districts.cache_clear()
    try:
        boundaries._load_districts()
        (kept,) = (tmp_path / "cache" / "grid").glob("districts-*.npz")
        grid = boundaries.district_grid()
        assert list((tmp_path / "cache" / "grid").glob("districts-*.npz")) == [kept]
        built = _grid.build_grid(districts.geometry.to_numpy(), settings.grid_cell_size)
        for name in ("cells", "offsets", "candidates", "covered"):
            assert np.array_equal(getattr(grid, name), getattr(built, name)), name
        monkeypatch.setattr(settings, "grid_cell_size", 0.05)  # another key: the kept raster does not fit
        boundaries.district_grid.cache_clear()
        assert boundaries.district_grid().size == 0.05
        assert len(list((tmp_path / "cache" / "grid").glob("districts-*.npz"))) == 2
    finally:
        boundaries.district_grid.cache_clear()
        boundaries._load_districts.cache_clear()


def test_a_fresh_process_locates_from_the_polygon_file_without_loading_the_layer(districts):
    boundaries._district_polygons.cache_clear()
    boundaries._district_polygons()  # districts loaded: their polygons, and the file written
    boundaries._district_polygons.cache_clear()
    boundaries._load_districts.cache_clear()
    try:
        polygons, pcodes = boundaries._district_polygons()
        assert boundaries._load_districts.cache_info().currsize == 0  # read from the file alone
        assert pcodes.tolist() == districts["district_pcode"].tolist()
        assert shapely.equals_exact(polygons, districts.geometry.to_numpy(), tolerance=0).all()
        rng = np.random.default_rng(4)
        lon, lat = rng.uniform(60, 75, 20_000), rng.uniform(29, 39, 20_000)
        expected = boundaries.locate_points(lon, lat, districts=districts)
        assert (geo.locate_points(lon, lat) == expected).all()
    finally:
        boundaries._district_polygons.cache_clear()
        boundaries._load_districts.cache_clear()


def run(*args):
    from click.testing import CliRunner

    from geo.cli import main

    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_geo_locate_adds_districts_and_provinces(tmp_path, districts):
    table = tmp_path / "points.csv"
    table.write_text(
        "name,Latitude,Longitude\nKabul,34.53,69.17\nblank,,\nsea,0,0\nTaloqan,36.73,69.53\n", encoding="utf-8"
    )
    result = run("locate", table, "--out", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    located = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert located.columns.tolist() == [
        "name",
        "Latitude",
        "Longitude",
        "district_pcode",
        "district",
        "province_pcode",
        "province",
    ]
    assert located["district_pcode"].tolist() == ["AF0101", "", "", "AF1801"]
    assert located.loc[3, ["district", "province_pcode", "province"]].tolist() == ["Taloqan", "AF18", "Takhar"]


def test_geo_locate_matches_sjoin_on_many_points(tmp_path, districts):
    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(60, 75, 50_000).round(5), rng.uniform(29, 39, 50_000).round(5)
    pd.DataFrame({"LAT": lat, "LON": lon}).to_csv(tmp_path / "many.csv", index=False)
    result = run(
        "locate", tmp_path / "many.csv", "--lat-column", "LAT", "--lon-column", "LON", "--out", tmp_path / "out.csv"
    )
    assert result.exit_code == 0, result.output
    located = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)["district_pcode"]
    expected = sjoin_within(gpd.GeoSeries.from_xy(lon, lat, crs=boundaries.CRS), districts)
    placed = expected.notna()
    assert (located[placed] == expected[placed]).all() and (located[~placed] == "").all()


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        ("name,a,b\nx,1,2\n", [], "no latitude column found"),
        ("name,lat,lon\nx,34.5,69\ny,north,69\n", [], "line 3: lat: 'north' is not a number"),
        ("lat,lon\n34,69\n", ["--lat-column", "LAT"], "no column 'LAT'"),
    ],
)
def test_geo_locate_bad_input_is_one_line_and_writes_nothing(tmp_path, content, options, message):
    (tmp_path / "in.csv").write_text(content, encoding="utf-8")
    result = run("locate", tmp_path / "in.csv", "--out", tmp_path / "out.csv", *options)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.csv").exists()


def test_layer_tables_and_district_points_from_the_cache_folder_match_the_loaded_layers(districts):
    provinces = boundaries.load_provinces()
    points = boundaries.district_points()  # with the layer loaded: placed, and kept in the cache folder
    for cached in (boundaries._layer_table, boundaries._district_point_coordinates):
        cached.cache_clear()
    boundaries._load_districts.cache_clear()
    try:
        table = boundaries.district_table()
        from_file = boundaries.district_points()
        assert boundaries._load_districts.cache_info().currsize == 0  # neither needed the shapes
        pd.testing.assert_frame_equal(table, pd.DataFrame(districts.drop(columns="geometry")))
        pd.testing.assert_frame_equal(boundaries.province_table(), pd.DataFrame(provinces.drop(columns="geometry")))
        assert from_file.index.equals(points.index) and from_file.geom_equals_exact(points, tolerance=0).all()
        assert shapely.contains(districts.geometry.to_numpy(), from_file.to_numpy()).all()
    finally:
        for cached in (boundaries._layer_table, boundaries._district_point_coordinates, boundaries._load_districts):
            cached.cache_clear()
