"""Skeleton step: same consonants as a district or province name ("Nijreb" = Nijrab)."""

import numpy as np
from rapidfuzz import fuzz

from .. import _names
from .._matching import _empty_results, _tick

# Skeleton matches without a province need this many consonants, and all
# need this rapidfuzz ratio between the keys.
SKELETON_MIN_NATIONAL = 4
SKELETON_MIN_SCORE = 75


class SkeletonStep:
    """Vowel-blind matching against district and province names."""

    def _skeleton(self, queries, match_type, progress):
        """Same consonants as a district or province name ("Nijreb" = Nijrab).

        Only unambiguous answers are kept; the others go on to fuzzy matching.
        """
        skeleton = _names.skeletons(queries["key"])
        # Without a province the whole country is the scope: short skeletons
        # (Farsa/Farsi, Chaki/Chawkay) are too often another district's.
        consonants = skeleton.str.count(r"[^_]")
        enough = (consonants >= SKELETON_MIN_NATIONAL) | queries["province_pcode"].notna()
        usable = queries.assign(skeleton=skeleton.to_numpy())[(skeleton != "").to_numpy() & enough.to_numpy()]
        if usable.empty:
            return _empty_results(0)
        candidates = (
            usable[["key", "skeleton", "hint", "province_pcode"]]
            .reset_index()
            .merge(self.skeleton_names, on="skeleton", how="inner", suffixes=("_query", ""))
        )
        if candidates.empty:
            return _empty_results(0)
        candidates["match_key"] = candidates["skeleton"]
        scores = [fuzz.ratio(a, b) for a, b in zip(candidates["key_query"], candidates["key"])]
        candidates["score"] = np.asarray(scores, dtype=float)
        # Several vowels changed is another name ("Buz Ariq" is not Bazarak).
        candidates = candidates[candidates["score"] >= SKELETON_MIN_SCORE]
        decided = self._decide(candidates.drop(columns=["key_query"]), usable, match_type)
        decided = decided[decided["pcode"].notna()]
        _tick(progress, len(decided))
        return decided
