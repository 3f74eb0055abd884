"""Neighbouring province: a district named exactly, across the border of the given province."""

import numpy as np
from rapidfuzz import fuzz, process

from .. import _names
from .._matching import EXACT, ROLE_PLACE, _empty_results
from ..gazetteer import RANK_DISTRICT_NAME, RANK_OFFICIAL
from ..schema import LEVEL_DISTRICT

# A district name of a neighbouring province is not taken when the name
# scores this much against a name of the given province.
NEIGHBOUR_RESEMBLANCE = 75
# For a dataset's place, an official district name of at least this many
# letters crosses the border unwritten as a district ("Ghormach" in Faryab):
# shorter ones (Andar, Aqcha, Chora, Tani) are as often villages.
NEIGHBOUR_PLACE_MIN_KEY = 6


class NeighbourStep:
    """Districts near the given province, in a neighbouring one."""

    def _neighbouring(self, active, role=None):
        """A district name exactly, but in a province bordering the given one.

        Sources place districts in the province they belonged to once (Gizab
        was Uruzgan's before Daykundi's); an exact district name across the
        border, of a district touching the given province, is answered with
        the reason saying so. Only official names,
        aliases and other district names count (no towns or villages), and
        only when they point to one district.

        A place of a dataset's location column (`role` ``"place"``) comes
        with the province its own point lies in, so a name across the border
        is as often another place of that name (a village "Andar" in Wardak,
        not Ghazni's Andar): there the rule answers a name written as a
        district ("Gizab District"), or a long official name ("Ghormach",
        Badghis's in OCHA's map, Faryab's in datasets).
        """
        given = active[active["province_pcode"].notna()]
        if given.empty:
            return _empty_results(0)
        names = self.names[(self.names["rank"] <= RANK_DISTRICT_NAME) & (self.names["level"] == LEVEL_DISTRICT)]
        candidates = (
            given[["key", "hint", "province_pcode"]]
            .rename(columns={"province_pcode": "given_pcode"})
            .reset_index()
            .merge(names, on="key", how="inner")
        )
        if role == ROLE_PLACE:
            long_official = (candidates["rank"] == RANK_OFFICIAL) & (
                candidates["key"].str.len() >= NEIGHBOUR_PLACE_MIN_KEY
            )
            # Every reading of a kept query stays, so rivals still make it ambiguous.
            kept = candidates.loc[long_official | (candidates["hint"] == _names.HINT_DISTRICT), "qid"]
            candidates = candidates[candidates["qid"].isin(kept)]
        # The district itself must lie near the given province: a district of
        # a neighbouring province far from the border is another place.
        bordering = candidates["pcode"].map(self.districts["bordering"])
        across = [given in near for given, near in zip(candidates["given_pcode"], bordering)]
        candidates = candidates[np.asarray(across, dtype=bool)]
        if candidates.empty:
            return _empty_results(0)
        candidates = candidates.assign(match_key=candidates["key"], province_pcode_query=None)
        decided = self._decide(candidates, given, EXACT, score=100.0)
        decided = decided[(decided["level"] == LEVEL_DISTRICT).to_numpy()]
        # Not when the name resembles a name of the given province ("Khenj"
        # in Baghlan may be Baghlan's Khinjan, not Panjsher's Khenj).
        resembles = [
            self._resembles_in_province(given.at[qid, "key"], given.at[qid, "province_pcode"]) for qid in decided.index
        ]
        decided = decided[~np.asarray(resembles, dtype=bool)]
        if decided.empty:
            return decided
        asked = given.loc[decided.index, "province_pcode"].map(self.provinces["province"])
        decided["reason"] = (
            "not in " + asked + "; " + decided["district"] + " is in the neighbouring " + decided["province"]
        )
        decided["confidence"] = 0.6
        return decided

    def _resembles_in_province(self, key, province_pcode, threshold=NEIGHBOUR_RESEMBLANCE):
        keys, _ = self._scope_choices(province_pcode, villages=False)
        found = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=threshold) if keys else None
        return found is not None
