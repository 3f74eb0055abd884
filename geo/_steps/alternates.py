"""Second names: "KHOST (MATON)", "TALOQAN - CENTER OF TALOQAN", "MUQUR BADGHIS"."""

import pandas as pd

from .._matching import EXACT, FUZZY, SKELETON, WORD_ORDER, _empty_results
from ..schema import LEVEL_DISTRICT, LEVEL_PROVINCE


class AlternatesStep:
    """Trying the other part of a two-part name."""

    def _refine_by_alternates(self, queries, results, active):
        """Second names: for rows with no answer, and for rows answered only
        with a province ("KHOST (MATON)": Khost is the province, Maton its
        capital district), when the second name is a district inside it."""
        province_only = results.index[(results["level"] == LEVEL_PROVINCE).to_numpy()].intersection(queries.index)
        decided = self._alternates(queries.loc[active.index.union(province_only)])
        if decided.empty:
            return decided
        earlier = results.loc[decided.index, "pcode"]
        refines = (decided["level"] == LEVEL_DISTRICT) & (decided["pcode"].str[:4] == earlier.str[:4])
        return decided[refines | decided.index.isin(active.index)]

    def _alternates(self, active):
        """Try the second name of "X (Y)", "X - Y" and "X <province>" forms."""
        with_alternate = active[active["alt_name"].notna()]
        if with_alternate.empty:
            return _empty_results(0)
        sub = pd.DataFrame(
            {
                "name": with_alternate["alt_name"].to_numpy(),
                "province": with_alternate["alt_province"].to_numpy(),
                "qid": with_alternate.index.to_numpy(),
            }
        )
        found = self._resolve_unique(sub, fallback=None, progress=None, suggest=False, alternates=False)
        found = found[found["pcode"].notna() & found["match_type"].isin([EXACT, WORD_ORDER, SKELETON, FUZZY])]
        return found
