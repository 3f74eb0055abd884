"""The resolver: query preparation and the pipeline of matching steps.

A query is a (name, province) pair. :meth:`Resolver.resolve_table` prepares
the distinct queries (split "X (Y)" forms, normalize the name, resolve the
province), runs the steps of :mod:`geo._steps` in order on those still
without an answer, answers the rest with their province (or nothing), and
gives every answer a confidence and a reason.
"""

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from . import _names, settings
from ._choosing import Choosing
from ._matching import (
    _PCODE,
    EXACT,
    FUZZY,
    ROLE_MENTION,
    ROLE_PLACE,
    SKELETON,
    WORD_ORDER,
    _add_province_notes,
    _as_text,
    _check_role,
    _empty_results,
    _explained,
    _Progress,
    _record,
    _tick,
)
from ._steps.alternates import AlternatesStep
from ._steps.exact import ExactSteps
from ._steps.fallback import FallbackStep
from ._steps.fuzzy import FUZZY_MIN_LENGTH, FuzzyStep
from ._steps.neighbours import NeighbourStep
from ._steps.skeleton import SkeletonStep
from .gazetteer import RANK_DISTRICT_NAME, RANK_OFFICIAL, RANK_TOWN, load_gazetteer
from .schema import LEVEL_DISTRICT, LEVEL_PROVINCE

_RESOLVERS = {}


_PROVINCIAL_CENTER = re.compile(r"^(?:provincial|province)\s+cent(?:er|re)\s*[(:\-]\s*([^)]*?)\s*\)?$", re.IGNORECASE)
_BRACKETED_NAME = re.compile(r"^(.*?)\s*[(\[]([^)\]]*)[)\]]\s*(.*)$")
_DASHED_NAME = re.compile(r"^(.*?\S)\s+[-\u2013\u2014]\s+(\S.*)$")


def _resolver(gazetteer=None):
    gazetteer = gazetteer or load_gazetteer()
    resolver = _RESOLVERS.get(id(gazetteer))
    if resolver is None or resolver.gazetteer is not gazetteer:
        _RESOLVERS.clear()  # one gazetteer at a time: old ones are freed
        resolver = _RESOLVERS[id(gazetteer)] = Resolver(gazetteer)
    return resolver


class Resolver(ExactSteps, SkeletonStep, FuzzyStep, AlternatesStep, NeighbourStep, FallbackStep, Choosing):
    """Lookup structures over one gazetteer; resolves tables of queries."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer
        names = gazetteer.names
        self.names = names
        self.districts = gazetteer.districts
        self.provinces = gazetteer.provinces
        self.province_keys = names.loc[names["level"] == LEVEL_PROVINCE, ["key", "pcode"]].drop_duplicates()
        self.sorted_names = names[names["sorted_key"] != ""]
        # District and province names (no towns or villages) by consonant skeleton.
        named = names[names["rank"] <= RANK_DISTRICT_NAME]
        self.skeleton_names = named.assign(skeleton=_names.skeletons(named["key"]).to_numpy())
        self.skeleton_names = self.skeleton_names[self.skeleton_names["skeleton"] != ""]
        self._choices = {}
        self.province_namesakes = _province_namesakes(names)

    def resolve_table(self, queries, *, fallback=None, progress=None, suggest=False, role=ROLE_MENTION):
        """Resolve a DataFrame with columns ``name`` and ``province``.

        Returns a DataFrame of :data:`RESULT_COLUMNS` (plus ``suggestions``),
        same index and order as `queries`.
        """
        _check_role(role)
        names = queries["name"].astype(object).where(queries["name"].notna(), None)
        provinces = queries["province"].astype(object).where(queries["province"].notna(), None)
        pairs = pd.DataFrame({"name": names.map(_as_text), "province": provinces.map(_as_text)})
        unique = pairs.drop_duplicates(ignore_index=True)
        unique["qid"] = np.arange(len(unique))
        tracker = _Progress(progress, len(unique)) if progress is not None else None
        results = self._resolve_unique(unique, fallback=fallback, progress=tracker, suggest=suggest, role=role)
        results = _explained(results)
        if tracker is not None:
            tracker.finish()
        positions = pairs.merge(unique, on=["name", "province"], how="left")["qid"].to_numpy()
        out = results.iloc[positions].reset_index(drop=True)
        out.index = queries.index
        return out

    def _resolve_unique(self, unique, *, fallback, progress, suggest, alternates=True, role=ROLE_MENTION):
        """Resolve distinct (name, province) rows; index ``qid``."""
        queries = self._prepare(unique)
        results = _empty_results(len(queries))
        results.index = queries.index
        invalid = queries["problem"].notna()
        results.loc[invalid, "reason"] = queries.loc[invalid, "problem"]
        _tick(progress, int(invalid.sum()))
        active = queries[~invalid]
        for match_type, step in (
            (EXACT, self._exact),
            (WORD_ORDER, self._word_order),
            (SKELETON, self._skeleton),
            (FUZZY, self._fuzzy),
        ):
            if active.empty:
                break
            active = _record(results, step(active, match_type, progress), active)
        if alternates:
            active = _record(results, self._refine_by_alternates(queries[~invalid], results, active), active)
            active = _record(results, self._neighbouring(active, role=role), active)
            if role == ROLE_PLACE:
                self._as_places(queries[~invalid], results)
        failures = pd.Series(dtype=object)
        if fallback is not None and not active.empty:
            decided, failures = self._fallback(active, fallback)
            active = _record(results, decided, active)
        if not active.empty:
            results.loc[active.index, results.columns] = self._unmatched(active, suggest=suggest)
        if len(failures):
            # The fallback's own failure (network, quota) is part of the reason.
            failed = failures.index.intersection(active.index)
            results.loc[failed, "reason"] = results.loc[failed, "reason"] + "; " + failures[failed]
        results["province_note"] = queries["province_note"]
        return _add_province_notes(results)

    def _as_places(self, queries, results):
        """A place named like its province is its capital ("Ghazni" in a location
        column is the city), unless the name says "province"."""
        named = results.loc[queries.index]
        is_place = (
            named["match_type"].isin([EXACT, WORD_ORDER, SKELETON, FUZZY])
            & (named["level"] == LEVEL_PROVINCE)
            & (queries["hint"] != _names.HINT_PROVINCE)
        )
        rows = named.index[is_place.to_numpy()]
        if not len(rows):
            return
        provinces = results.loc[rows, "pcode"]
        # The town Balkh is Balkh district, not Mazar-e-Sharif: a district
        # named like its province is the place; else the capital is.
        namesake = provinces.map(self.province_namesakes)
        capitals = provinces.map(self.provinces["capital_pcode"])
        self._fill_places(results, rows, namesake.fillna(capitals))
        results.loc[rows, "reason"] = np.where(
            namesake.notna(),
            "a place named like its province: the town or district of that name, in " + results.loc[rows, "district"],
            "a place named like its province: the provincial capital, " + results.loc[rows, "district"],
        )
        results.loc[rows, "confidence"] = 0.8

    def _prepare(self, unique):
        """Normalize names, resolve provinces, flag bad input."""
        queries = unique.set_index("qid")
        text = _names.strip_invisible(queries["name"].fillna("").astype(str)).str.strip()
        parts = pd.DataFrame(
            [_split_query(value) for value in text], index=queries.index, columns=["main", "alt_name", "hinted"]
        )
        keys = _names.normalize_names(parts["main"])
        queries = queries.join(keys)
        problem = pd.Series(None, index=queries.index, dtype=object)
        limit = settings.max_name_length
        problem[queries["key"] == ""] = "no letters in name"
        problem[text == ""] = "empty name"
        problem[text.str.len() > limit] = f"name longer than {limit} characters"
        problem[queries["name"].isna()] = "empty name"
        queries["problem"] = problem
        # A bracketed or trailing province name: "Baharak (Takhar)", "Muqur Badghis".
        hinted_key = _names.normalize_names(parts["hinted"].fillna(""))["key"]
        is_province = hinted_key.isin(set(self.province_keys["key"])) & (hinted_key != "")
        bracketed = text.str.contains(r"[\(\[]", regex=True)
        given = queries["province"]
        queries["alt_name"] = parts["alt_name"].where(~(is_province & bracketed), None)
        queries["alt_province"] = given.where(given.notna(), parts["hinted"].where(is_province, None))
        # Trailing words that are not a province give no alternate name.
        trailing = ~bracketed & ~text.str.contains(r"\s[-\u2013\u2014]\s", regex=True)
        queries.loc[trailing & ~is_province, "alt_name"] = None
        province_text = given.where(given.notna(), parts["hinted"].where(is_province & bracketed, None))
        pcodes, notes = self.resolve_provinces(province_text)
        queries["province_pcode"] = pcodes
        queries["province_note"] = notes
        return queries

    def resolve_provinces(self, provinces):
        """Map province strings to pcodes; return (pcodes, notes) Series."""
        unique = pd.Series(provinces.dropna().unique(), dtype=object)
        unique = unique[unique.astype(str).str.strip() != ""]
        mapping, notes = {}, {}
        if len(unique):
            text = unique.astype(str).str.strip()
            keys = _names.normalize_names(text)["key"]
            exact = self.province_keys.groupby("key")["pcode"].agg(lambda codes: sorted(set(codes)))
            for original, stripped, key in zip(unique, text, keys):
                mapping[original], notes[original] = self._province_of(stripped, key, exact)
        pcodes = provinces.map(lambda value: mapping.get(value) if value is not None else None)
        note_series = provinces.map(lambda value: notes.get(value) if value is not None else None)
        return pcodes.astype(object), note_series.astype(object)

    def _province_of(self, text, key, exact):
        if _PCODE.match(text):
            pcode = text[:4].upper()
            if pcode in self.provinces.index:
                return pcode, None
            return None, f"province {text!r} is not an OCHA province code; ignored"
        codes = exact.get(key)
        if codes is not None and len(codes) == 1:
            return codes[0], None
        if len(key) >= FUZZY_MIN_LENGTH:
            found = process.extractOne(key, list(exact.index), scorer=fuzz.ratio, score_cutoff=settings.fuzzy_threshold)
            if found is not None and len(exact[found[0]]) == 1:
                return exact[found[0]][0], None
        return None, f"province {text!r} not recognised; ignored"


def _split_query(name):
    """Split a name into (main name, alternate name, possible province).

    "PROVINCIAL CENTER (KABUL)" is "KABUL city"; "Baharak (Takhar)" and
    "KHOST (MATON)" have a bracketed second part, "TALOQAN - CENTER OF
    TALOQAN" a dashed one; "MUQUR BADGHIS" may end with a province.
    """
    matched = _PROVINCIAL_CENTER.match(name)
    if matched and matched.group(1):
        return f"{matched.group(1)} city", None, None
    matched = _BRACKETED_NAME.match(name)
    if matched:
        outer = f"{matched.group(1)} {matched.group(3)}".strip()
        inner = matched.group(2).strip()
        if not outer:
            return inner, None, None
        return outer, inner or None, inner or None
    matched = _DASHED_NAME.match(name)
    if matched:
        return matched.group(1), matched.group(2), None
    words = name.split()
    if len(words) >= 2:
        return name, " ".join(words[:-1]), words[-1]
    return name, None, None


def _province_namesakes(names):
    """Province pcode -> the one district holding a district or town of the
    province's name (the town Baghlan is in Baghlan-e-Jadid, Balkh in Balkh
    district, not in the provincial capitals); the best rank decides."""
    provinces = names[(names["level"] == LEVEL_PROVINCE) & (names["rank"] == RANK_OFFICIAL)][["key", "pcode"]]
    places = names[(names["level"] == LEVEL_DISTRICT) & (names["rank"] <= RANK_TOWN)][["key", "pcode", "rank"]]
    same = provinces.merge(places, on="key", suffixes=("", "_district"))
    same = same[same["pcode_district"].str[:4] == same["pcode"]]
    same = same[same["rank"] == same.groupby("pcode")["rank"].transform("min")]
    districts = same.groupby("pcode")["pcode_district"].agg(
        lambda codes: codes.iloc[0] if codes.nunique() == 1 else None
    )
    return districts.dropna()
