"""Exact steps: the normalized key, then the same words in another order."""

from .._matching import _empty_results, _tick


class ExactSteps:
    """The exact and word-order lookups (one merge each)."""

    def _exact(self, queries, match_type, progress):
        return self._lookup(queries, "key", self.names, match_type, progress)

    def _word_order(self, queries, match_type, progress):
        """Same words in another order ("Qala-i-Yangi" = "Yangi Qala")."""
        multi = queries[(queries["sorted_key"] != "")]
        if multi.empty:
            return _empty_results(0)
        return self._lookup(multi, "sorted_key", self.sorted_names, match_type, progress)

    def _lookup(self, queries, key_column, names, match_type, progress):
        """Join the queries to the name table on one key column and decide."""
        candidates = (
            queries[[key_column, "hint", "province_pcode"]]
            .reset_index()
            .merge(names, on=key_column, how="inner", suffixes=("_query", ""))
        )
        candidates["match_key"] = candidates[key_column]
        decided = self._decide(candidates, queries, match_type, score=100.0)
        _tick(progress, len(decided))
        return decided
