"""A reporter's spelling of a district: the one near-spelling rule.

News drops or swaps letters of district names ("Daraq" for Darqad, "Yumgan"
for Yamgan). Among one province's fifteen or so districts such a spelling is
read as the district whose name key it is near: Jaro-Winkler at least
``settings.district_spelling_similarity`` with the same first letter, a plain
ratio at least ``settings.district_spelling_ratio``, and clearly nearer
(``settings.district_spelling_margin``) than to any other district.
:mod:`geo.extract` reads names by this rule and :mod:`geo.validation` accepts
a cited passage spelling its district so, so what one proposes the other
accepts.
"""

import functools

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from . import settings
from .gazetteer import RANK_TOWN, load_gazetteer


@functools.cache
def district_keys_by_province():
    """Province pcode → {district name key: district pcode}, from the gazetteer's district names."""
    names = load_gazetteer().names
    names = names[(names["level"] == "district") & (names["rank"] <= RANK_TOWN) & (names["key"] != "")]
    table = {}
    for key, pcode, province in zip(names["key"], names["pcode"], names["province_pcode"]):
        table.setdefault(province, {})[key] = pcode
    return table


@functools.lru_cache(maxsize=10_000)
def near_district(key, province_pcode):
    """The pcode of the district of `province_pcode` that the name key `key` spells, or None.

    Parameters
    ----------
    key : str
        A name's lookup key (:func:`geo._names.normalize_names`).
    province_pcode : str
    """
    choices = district_keys_by_province().get(province_pcode, {})
    if not key or not choices:
        return None
    best = process.extract(key, list(choices), scorer=JaroWinkler.similarity, limit=5)
    if not best or best[0][1] < settings.district_spelling_similarity or key[0] != best[0][0][0]:
        return None
    if fuzz.ratio(key, best[0][0]) < settings.district_spelling_ratio:
        return None
    chosen = choices[best[0][0]]
    others = [score for name, score, _ in best[1:] if choices[name] != chosen]
    if others and best[0][1] - others[0] < settings.district_spelling_margin:
        return None
    return chosen
