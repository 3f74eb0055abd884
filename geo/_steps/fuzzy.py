"""Fuzzy step: rapidfuzz scores against the names of the scope.

The scope is the given province's names (villages included), or, without a
province, every district, province and town name. Every key within
``FUZZY_MARGIN`` points of the best is considered too, so a name halfway
between two readings is ambiguous rather than guessed."""

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .. import settings
from .._matching import _empty_results, _tick
from ..gazetteer import RANK_TOWN, RANK_VILLAGE

# Fuzzy keys within this many points of the best are considered together:
# when they point to different places the name is ambiguous, not guessed.
FUZZY_MARGIN = 8
# Shorter keys are not fuzzy-matched: one letter off in four is another name.
FUZZY_MIN_LENGTH = 5
# Without a province, keys shorter than FUZZY_SHORT_KEY need
# FUZZY_SHORT_THRESHOLD to match fuzzily.
FUZZY_SHORT_KEY = 8
FUZZY_SHORT_THRESHOLD = 95
# Query rows per rapidfuzz cdist call (bounds the score matrix's memory).
FUZZY_CHUNK = 2000


class FuzzyStep:
    """Fuzzy matching of the leftovers, one scope at a time."""

    def _fuzzy(self, queries, match_type, progress):
        """Fuzzy-match the leftovers, scope by scope (a province, or all)."""
        threshold = settings.fuzzy_threshold
        long_enough = queries[queries["key"].str.len() >= FUZZY_MIN_LENGTH]
        found = []
        scopes = long_enough["province_pcode"].fillna("")
        for scope, group in long_enough.groupby(scopes, sort=False):
            keys, _ = self._scope_choices(scope or None)
            if len(keys) == 0:
                continue
            for start in range(0, len(group), FUZZY_CHUNK):
                chunk = group.iloc[start : start + FUZZY_CHUNK]
                scores = process.cdist(
                    chunk["key"].tolist(),
                    keys,
                    scorer=fuzz.ratio,
                    dtype=np.uint8,
                    workers=-1,
                    score_cutoff=max(threshold - FUZZY_MARGIN, 0),
                )
                best = scores.max(axis=1).astype(int)
                # Every key within FUZZY_MARGIN of a row's best, when the best
                # reaches the threshold: near-equal rivals make it ambiguous.
                floor = best - FUZZY_MARGIN
                # Nationally, one letter more or less in a short name is often
                # another name (Armul/Marmul, Dehak/Deh Yak): short keys need a
                # higher score unless a province narrows the choice.
                short = (chunk["key"].str.len().to_numpy() < FUZZY_SHORT_KEY) & (not scope)
                needed = np.where(short, max(threshold, FUZZY_SHORT_THRESHOLD), threshold)
                near = (scores >= floor[:, None]) & (scores > 0) & (best[:, None] >= needed[:, None])
                rows, columns = np.nonzero(near)
                if len(rows):
                    found.append(
                        pd.DataFrame(
                            {
                                "qid": chunk.index.to_numpy()[rows],
                                "key": np.asarray(keys, dtype=object)[columns],
                                "score": scores[rows, columns].astype(float),
                            }
                        )
                    )
                _tick(progress, len(chunk))
        if not found:
            return _empty_results(0)
        hits = pd.concat(found, ignore_index=True)
        query_info = queries[["hint", "province_pcode"]]
        candidates = hits.join(query_info, on="qid").merge(self.names, on="key", how="inner", suffixes=("_query", ""))
        candidates["match_key"] = candidates["key"]
        candidates = _sure_enough(candidates)
        return self._decide(candidates, queries.loc[candidates["qid"].unique()], match_type)

    def _scope_choices(self, province_pcode, villages=True):
        """Unique keys to fuzzy-match against: a province's names (villages
        and learned names included unless `villages` is False), or all
        district, province and town names."""
        cache_key = (province_pcode, villages)
        if cache_key not in self._choices:
            # Nationally, villages are matched exactly only: a fuzzy village
            # hit is more often a misspelt district than the village. Within a
            # province the district names compete with them, and the margin
            # rule leaves a name between two readings at the province.
            scope = self.names[self.names["rank"] <= RANK_TOWN]
            if province_pcode is not None:
                scope = self.names if villages else scope
                scope = scope[scope["province_pcode"] == province_pcode]
            keys = scope.loc[scope["key"].str.len() >= 3, "key"].drop_duplicates().tolist()
            self._choices[cache_key] = (keys, scope)
        return self._choices[cache_key]


def _sure_enough(candidates):
    """Drop the queries whose fuzzy hits reach the threshold only on a village
    or learned name and stay below ``settings.village_fuzzy_threshold`` there:
    an unknown village is often one letter from a known one. A short town
    name counts as a village here ("China" is not the town Chinar: of such
    hits on held-out villages most were wrong, see
    benchmarks/realistic_accuracy.py)."""
    short_town = (candidates["rank"] == RANK_TOWN) & (candidates["key"].str.len() < FUZZY_SHORT_KEY)
    village = (candidates["rank"] >= RANK_VILLAGE) | short_town
    best_named = candidates["score"].where(~village, 0).groupby(candidates["qid"]).transform("max")
    best_village = candidates["score"].where(village, 0).groupby(candidates["qid"]).transform("max")
    sure = (best_named >= settings.fuzzy_threshold) | (best_village >= settings.village_fuzzy_threshold)
    return candidates[sure]
