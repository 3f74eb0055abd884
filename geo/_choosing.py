"""Choosing among candidates: which place a matched name means.

Among the places a key points to, the province (when given) keeps only its
own; a lower gazetteer rank wins (official names and aliases over other
district names, over towns, over villages); "X City" is the provincial capital
and "X District" prefers a district; a province and districts inside it (the
province Kunduz and its capital district Kunduz) resolve to the province. If
that still leaves several districts, the answer is *ambiguous*: the province
when they all lie in one, else nothing, and the candidates are listed.
"""

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from . import _names
from ._matching import AMBIGUOUS, EXACT, NONE, PROVINCE, Match, _candidates_text, _empty_results
from .gazetteer import RANK_VILLAGE
from .schema import LEVEL_DISTRICT, LEVEL_PROVINCE


class Choosing:
    """Deciding each query's answer among its candidate rows (a mixin of the resolver)."""

    def _decide(self, candidates, queries, match_type, score=None):
        """Pick each query's answer among its candidate rows (vectorised).

        `candidates` has one row per (query, gazetteer name) with the query's
        ``qid``, ``hint_query`` (or ``hint``), ``province_pcode_query`` and the
        gazetteer columns (and ``score`` for fuzzy hits).
        """
        if candidates.empty:
            return _empty_results(0)
        candidates = candidates.rename(columns={"hint": "hint_query"}) if "hint_query" not in candidates else candidates
        if "province_pcode_query" not in candidates:
            candidates = candidates.join(queries["province_pcode"].rename("province_pcode_query"), on="qid")
        if score is not None:
            candidates = candidates.assign(score=score)
        # The given province keeps only its own places; villages need one
        # (a village name alone is too often another place's misspelling).
        given = candidates["province_pcode_query"].notna()
        keep = (given & (candidates["province_pcode"] == candidates["province_pcode_query"])) | (
            ~given & (candidates["rank"] < RANK_VILLAGE)
        )
        candidates = self._apply_hints(candidates[keep])
        if candidates.empty:
            return _empty_results(0)
        # For each matched key the best rank wins (an official name over
        # another district's variant); different keys (fuzzy hits within the
        # margin) that point to different places make the name ambiguous.
        best_rank = candidates.groupby(["qid", "match_key"])["rank"].transform("min")
        candidates = candidates[candidates["rank"] == best_rank]
        candidates = candidates.sort_values(["qid", "score", "rank"], ascending=[True, False, True], kind="stable")

        # Whether a curated alias names the place (see _contained_or_ambiguous).
        aliased = (candidates["source"] == "alias").groupby([candidates["qid"], candidates["pcode"]]).transform("any")
        places = candidates.assign(aliased=aliased).drop_duplicates(["qid", "pcode"])
        counts = places.groupby("qid")["pcode"].transform("size")
        single = places[counts == 1]
        several = places[counts > 1]
        decided = [self._answers(single, match_type)]
        if not several.empty:
            decided.append(self._contained_or_ambiguous(several, match_type, queries["name"]))
        return pd.concat([frame for frame in decided if not frame.empty] or [_empty_results(0)])

    def _apply_hints(self, candidates):
        """ "X City" → the provincial capital; "X District"/"X Province" prefer that level."""
        hint = candidates["hint_query"]
        city = (hint == _names.HINT_CITY) & (candidates["level"] == LEVEL_PROVINCE)
        if city.any():
            capitals = candidates.loc[city, "pcode"].map(self.provinces["capital_pcode"])
            candidates = candidates.copy()
            candidates.loc[city, "pcode"] = capitals
            candidates.loc[city, "level"] = LEVEL_DISTRICT
            candidates.loc[city, "lat"] = capitals.map(self.districts["lat"])
            candidates.loc[city, "lon"] = capitals.map(self.districts["lon"])
        for wanted, level in (
            (_names.HINT_DISTRICT, LEVEL_DISTRICT),
            (_names.HINT_CITY, LEVEL_DISTRICT),
            (_names.HINT_PROVINCE, LEVEL_PROVINCE),
        ):
            asks = candidates["hint_query"] == wanted
            if not asks.any():
                continue
            has_level = (candidates["level"] == level) & asks
            qids_with_level = candidates.loc[has_level, "qid"].unique()
            drop = asks & candidates["qid"].isin(qids_with_level) & (candidates["level"] != level)
            candidates = candidates[~drop]
        return candidates

    def _answers(self, rows, match_type):
        if rows.empty:
            return _empty_results(0)
        results = _empty_results(len(rows))
        results.index = rows["qid"].to_numpy()
        self._fill_places(results, results.index, pd.Series(rows["pcode"].to_numpy(), index=results.index))
        results["score"] = rows["score"].to_numpy()
        results["matched_name"] = rows["name"].to_numpy()
        results["source"] = rows["source"].to_numpy()
        results["lat"] = rows["lat"].to_numpy()
        results["lon"] = rows["lon"].to_numpy()
        results["match_type"] = match_type
        return results

    def _contained_or_ambiguous(self, places, match_type, query_names):
        """Several places: a province and districts inside it → the province;
        districts of one province → that province, flagged ambiguous; else none."""
        groups = places.groupby("qid")
        provinces = places[places["level"] == LEVEL_PROVINCE]
        province_count = provinces.groupby("qid")["pcode"].nunique().reindex(list(groups.groups), fill_value=0)
        province_of_district = places["pcode"].str[:4]
        n_province_prefixes = province_of_district.groupby(places["qid"]).nunique()

        # A province with only its own districts: the province ("Kunduz") ...
        contained = province_count[(province_count == 1) & (n_province_prefixes == 1)].index
        # ... unless no province was given and a curated alias names one of
        # the districts: "Kabul" alone is the capital city in the news.
        aliased_districts = places[
            places["aliased"] & (places["level"] == LEVEL_DISTRICT) & places["province_pcode_query"].isna()
        ]
        alias_count = aliased_districts.groupby("qid")["pcode"].nunique()
        by_alias = alias_count[alias_count == 1].index.intersection(contained)
        answers = [
            self._answers(aliased_districts[aliased_districts["qid"].isin(by_alias)].drop_duplicates("qid"), match_type)
        ]
        contained = contained.difference(by_alias)
        answers.append(self._answers(provinces[provinces["qid"].isin(contained)].drop_duplicates("qid"), match_type))
        contained = contained.union(by_alias)

        rest = places[~places["qid"].isin(contained)]
        if not rest.empty:
            listed = rest.groupby("qid").apply(self._candidate_list, include_groups=False)
            results = _empty_results(len(listed))
            results.index = listed.index
            results["candidates"] = listed.to_numpy()
            results["match_type"] = AMBIGUOUS
            same_province = n_province_prefixes.reindex(listed.index) == 1
            first = rest.drop_duplicates("qid").set_index("qid").reindex(listed.index)
            texts = listed.map(_candidates_text)
            asked = query_names.reindex(listed.index).map(repr)
            results["reason"] = np.where(
                same_province,
                asked + " is ambiguous: " + texts + "; answered with their province",
                asked + " is ambiguous: " + texts + "; give a province",
            )
            one = listed.index[same_province.to_numpy()]
            if len(one):
                self._fill_places(results, one, first.loc[one, "pcode"].str[:4])
                results.loc[one, "score"] = first.loc[one, "score"]
                results.loc[one, "matched_name"] = first.loc[one, "name"]
                results.loc[one, "source"] = first.loc[one, "source"]
            answers.append(results)
        return pd.concat([frame for frame in answers if not frame.empty] or [_empty_results(0)])

    def _candidate_list(self, rows):
        return [
            {"pcode": pcode, "name": self._place_label(pcode), "province": self.provinces["province"].get(pcode[:4])}
            for pcode in sorted(rows["pcode"].unique())
        ]

    def _place_label(self, pcode):
        if pcode in self.districts.index:
            return self.districts.at[pcode, "district"]
        return self.provinces.at[pcode, "province"]

    def _fill_places(self, results, index, pcodes):
        """Write pcode, level, district and province columns for `index`."""
        pcodes = pd.Series(np.asarray(pcodes, dtype=object), index=index)
        is_district = pcodes.str.len() == 6
        province_pcodes = pcodes.str[:4]
        results.loc[index, "pcode"] = pcodes
        results.loc[index, "level"] = np.where(is_district, LEVEL_DISTRICT, LEVEL_PROVINCE)
        results.loc[index, "district"] = pcodes.map(self.districts["district"]).where(is_district, None)
        results.loc[index, "district_pcode"] = pcodes.where(is_district, None)
        results.loc[index, "province_pcode"] = province_pcodes
        results.loc[index, "province"] = province_pcodes.map(self.provinces["province"])
        # A point inside the district, or inside the province for a province.
        for column in ("lat", "lon"):
            district_value = pcodes.map(self.districts[column])
            results.loc[index, column] = district_value.where(is_district, province_pcodes.map(self.provinces[column]))

    def place_match(
        self, pcode, *, query=None, source=None, score=None, matched_name=None, lat=None, lon=None, match_type=EXACT
    ):
        """A :class:`Match` for a known pcode (used by reverse and the fallback)."""
        results = _empty_results(1)
        results.index = [0]
        self._fill_places(results, results.index, pd.Series([pcode], index=results.index))
        row = results.iloc[0]
        return Match(
            query=query,
            pcode=pcode,
            level=row["level"],
            district=row["district"],
            district_pcode=row["district_pcode"],
            province=row["province"],
            province_pcode=row["province_pcode"],
            score=score,
            matched_name=matched_name,
            source=source,
            lat=float(lat) if lat is not None else float(row["lat"]),
            lon=float(lon) if lon is not None else float(row["lon"]),
            match_type=match_type,
        )

    def _unmatched(self, queries, *, suggest):
        """No name matched: the province if one was given, else nothing."""
        results = _empty_results(len(queries))
        results.index = queries.index
        has_province = queries["province_pcode"].notna()
        reasons = np.where(
            has_province,
            "no place called "
            + queries["name"].map(repr)
            + " in "
            + queries["province_pcode"].map(self.provinces["province"]).fillna("")
            + "; answered with the province",
            "no place called " + queries["name"].map(repr),
        )
        results["reason"] = reasons
        results["match_type"] = np.where(has_province, PROVINCE, NONE)
        results.loc[queries["problem"].notna(), "reason"] = queries["problem"]
        province_rows = queries.index[has_province.to_numpy()]
        if len(province_rows):
            pcodes = queries.loc[province_rows, "province_pcode"]
            self._fill_places(results, province_rows, pcodes)
        if suggest:
            results["suggestions"] = [self.suggestions(key) for key in queries["key"]]
        return results

    def suggestions(self, key, limit=3):
        """The closest district, province and town names, as "Name (Province)"."""
        keys, scope = self._scope_choices(None)
        if not key or not keys:
            return []
        found = process.extract(key, keys, scorer=fuzz.ratio, limit=limit * 4)
        labels = []
        for choice, _score, _index in found:
            row = scope[scope["key"] == choice].sort_values("rank").iloc[0]
            label = f"{self._place_label(row['pcode'])} ({self.provinces['province'].get(row['province_pcode'])})"
            if row["level"] == LEVEL_PROVINCE:
                label = f"{self._place_label(row['pcode'])} (province)"
            if label not in labels:
                labels.append(label)
            if len(labels) == limit:
                break
        return labels
