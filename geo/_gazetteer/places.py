"""The places names point to: one row per OCHA district and per province."""

import geopandas as gpd
import pandas as pd
import shapely

from .. import boundaries

# A district within this many degrees (about 40 km) of another province is
# near it: sources sometimes give a district its neighbour's province
# (Paktika's Barmal, 30 km from Paktya, in Paktya).
NEAR_DEGREES = 0.4


def district_info(districts):
    """One row per district, indexed by ``pcode``: ``district``,
    ``province_pcode``, ``province``, ``is_provincial_capital``, ``lat``,
    ``lon`` (a point inside the district) and ``bordering`` (the pcodes of the
    other provinces within :data:`NEAR_DEGREES` of its border)."""
    points = boundaries.district_points()
    return pd.DataFrame(
        {
            "district": districts["district"].to_numpy(),
            "province_pcode": districts["province_pcode"].to_numpy(),
            "province": districts["province"].to_numpy(),
            "is_provincial_capital": districts["is_provincial_capital"].to_numpy(),
            "lat": points.y.reindex(districts["district_pcode"]).to_numpy(),
            "lon": points.x.reindex(districts["district_pcode"]).to_numpy(),
            "bordering": _bordering_provinces(districts),
        },
        index=pd.Index(districts["district_pcode"].to_numpy(), name="pcode"),
    )


def province_info(provinces):
    """One row per province, indexed by ``pcode``: ``province``,
    ``capital_pcode``, ``neighbours`` (the bordering provinces' pcodes),
    ``lat``, ``lon`` (a point inside the province)."""
    points = provinces.geometry.representative_point()
    return pd.DataFrame(
        {
            "province": provinces["province"].to_numpy(),
            "capital_pcode": (provinces["province_pcode"] + boundaries._CAPITAL_SUFFIX).to_numpy(),
            "neighbours": _touching(provinces, "province_pcode", provinces),
            "lat": points.y.to_numpy(),
            "lon": points.x.to_numpy(),
        },
        index=pd.Index(provinces["province_pcode"].to_numpy(), name="pcode"),
    )


def _bordering_provinces(districts):
    """Each district's nearby provinces: those of the districts within NEAR_DEGREES."""
    # Simplified shapes (about 500 m) are plenty for a 40 km rule, and fast.
    shapes = shapely.simplify(districts.geometry.to_numpy(), 0.005)
    tree = shapely.STRtree(shapes)
    left, right = tree.query(shapes, predicate="dwithin", distance=NEAR_DEGREES)
    province = districts["province_pcode"].to_numpy()
    pairs = pd.DataFrame({"district_pcode": districts["district_pcode"].to_numpy()[left], "other": province[right]})
    pairs = pairs[province[left] != province[right]]
    by_district = pairs.groupby("district_pcode")["other"].agg(lambda codes: sorted(set(codes)))
    return districts["district_pcode"].map(by_district).map(_as_list).to_numpy()


def _touching(frame, code_column, others):
    """Each row's touching rows of `others` (by ``province_pcode``), sorted."""
    pairs = gpd.sjoin(
        frame[[code_column, "geometry"]],
        others[["province_pcode", "geometry"]].rename(columns={"province_pcode": "other"}),
        predicate="intersects",
    )
    pairs = pairs[pairs[code_column] != pairs["other"]]
    by_row = pairs.groupby(code_column)["other"].agg(lambda codes: sorted(set(codes)))
    return frame[code_column].map(by_row).map(_as_list).to_numpy()


def _as_list(codes):
    return list(codes) if isinstance(codes, list) else []
