"""Fallback: ask a geopy geocoder, and place its point in a district (:func:`geo.locate_points`)."""

import numpy as np
import pandas as pd

from .._matching import FALLBACK, RESULT_COLUMNS, _empty_results, _result_fields


class FallbackStep:
    """An optional geopy geocoder for names no table holds."""

    def _fallback(self, queries, fallback):
        """Ask the fallback geocoder; keep points inside Afghanistan (and the province).

        Returns the decided rows and a Series of failure messages by ``qid``.
        """
        rows = []
        for qid, query in queries.iterrows():
            province_name = self.provinces.loc[query["province_pcode"], "province"] if query["province_pcode"] else None
            text = ", ".join(part for part in (query["name"], province_name, "Afghanistan") if part)
            try:
                location = _call_geocoder(fallback, text)
            except Exception as error:  # the fallback's own failures (network, quota) are a reason, not a crash
                rows.append({"qid": qid, "reason": f"fallback geocoder failed: {type(error).__name__}: {error}"[:300]})
                continue
            if location is None:
                continue
            rows.append(
                {
                    "qid": qid,
                    "lat": float(location.latitude),
                    "lon": float(location.longitude),
                    "address": getattr(location, "address", None) or text,
                }
            )
        located = pd.DataFrame(rows, columns=["qid", "lat", "lon", "address", "reason"])
        failures = located.dropna(subset=["reason"]).set_index("qid")["reason"]
        placed = located.dropna(subset=["lat"])
        if placed.empty:
            return _empty_results(0), failures
        placed = placed.assign(pcode=districts_at(placed["lat"], placed["lon"]).to_numpy())
        expected = queries.loc[placed["qid"], "province_pcode"].to_numpy()
        inside = placed["pcode"].notna() & (
            pd.isna(expected) | (placed["pcode"].fillna("").str[:4].to_numpy() == np.asarray(expected, dtype=object))
        )
        placed = placed[inside.to_numpy()]
        decided = [
            self.place_match(
                row.pcode,
                query=None,
                source=f"fallback:{_geocoder_name(fallback)}",
                lat=row.lat,
                lon=row.lon,
                matched_name=row.address,
                match_type=FALLBACK,
            )
            for row in placed.itertuples()
        ]
        frame = pd.DataFrame([_result_fields(match) for match in decided], index=placed["qid"].to_numpy())
        return frame.reindex(columns=RESULT_COLUMNS), failures


def districts_at(lats, lons):
    """Return the OCHA district pcode holding each point (None outside).

    Parameters
    ----------
    lats, lons : pandas.Series of float

    Returns
    -------
    pandas.Series of str or None, same index as `lats`.
    """
    from .. import boundaries

    pcodes = boundaries.locate_points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    codes = pcodes.to_numpy(dtype=object)
    codes[codes == ""] = None
    return pd.Series(codes, index=lats.index, dtype=object)


def _call_geocoder(geocoder, text):
    function = geocoder.geocode if hasattr(geocoder, "geocode") else geocoder
    location = function(text)
    if isinstance(location, list):
        location = location[0] if location else None
    return location


def _geocoder_name(geocoder):
    inner = getattr(geocoder, "func", None)  # geopy's RateLimiter keeps the wrapped function here
    target = getattr(inner, "__self__", None) or getattr(geocoder, "__self__", None) or geocoder
    return type(target).__name__
