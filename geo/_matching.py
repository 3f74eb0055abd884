"""What an answer is: the match types, the result table and :class:`Match`.

Every step of the geocoder (:mod:`geo._steps`) writes its answers as rows of
one result table (:data:`RESULT_COLUMNS`, indexed by query id); the helpers
here create, merge and explain those rows, and turn one into a :class:`Match`.
"""

import math
import re
import sys
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from geopy.location import Location

from . import settings
from .errors import InputError
from .schema import LEVEL_DISTRICT

# Match types, from the most to the least certain.
# Match types, from the most to the least certain.
EXACT = "exact"
WORD_ORDER = "word_order"
SKELETON = "skeleton"
FUZZY = "fuzzy"
FALLBACK = "fallback"
PROVINCE = "province"
AMBIGUOUS = "ambiguous"
NONE = "none"

RESULT_COLUMNS = [
    "pcode",
    "level",
    "district",
    "district_pcode",
    "province",
    "province_pcode",
    "score",
    "matched_name",
    "source",
    "lat",
    "lon",
    "match_type",
    "candidates",
    "reason",
    "confidence",
]
# How a name is used: a place from a location column, or a mention in prose.
ROLE_PLACE = "place"
ROLE_MENTION = "mention"
ROLES = (ROLE_PLACE, ROLE_MENTION)
# The confidence of an answer, by how it was found (a fuzzy or skeleton
# match is scaled by its score; see _confidence).
_CONFIDENCE = {
    EXACT: 0.95,
    WORD_ORDER: 0.9,
    SKELETON: 0.85,
    FUZZY: 0.8,
    FALLBACK: 0.5,
    PROVINCE: 0.9,
    AMBIGUOUS: 0.8,
    NONE: 0.0,
}
_PCODE = re.compile(r"^AF\d{2}(?:\d{2})?$", re.IGNORECASE)


@dataclass
class Match:
    """The answer for one place name.

    Attributes
    ----------
    query, province_query : str or None
        The name and province as given.
    pcode : str or None
        ``AF1801`` (district) or ``AF18`` (province); None when there is no answer.
    level : str or None
        ``"district"`` or ``"province"``.
    district, district_pcode : str or None
        The OCHA district (None for a province-level answer).
    province, province_pcode : str or None
        The OCHA province.
    score : float or None
        100 for exact and word-order matches, the rapidfuzz ratio of the keys
        for skeleton and fuzzy ones, None when no name matched.
    matched_name : str or None
        The gazetteer name that matched, as its source spells it.
    source : str or None
        The gazetteer source of that name (``ocha_district``, ``alias``, ...).
    lat, lon : float or None
        The place's own point (a town, a village) or a point inside the
        district or province.
    match_type : str
        ``exact``, ``word_order``, ``skeleton``, ``fuzzy``, ``fallback``, ``province``
        (nothing matched; the given province is the answer), ``ambiguous`` or
        ``none``.
    candidates : list of dict
        For ambiguous names: each place (``pcode``, ``name``, ``province``).
    suggestions : list of str
        For unknown names: the closest names, as "Name (Province)".
    reason : str or None
        How the answer was found, or why it is not a confident district.
    confidence : float or None
        0 to 1: how likely the answer (at its level) is right; 0 with no answer.
    """

    query: str | None
    province_query: str | None = None
    pcode: str | None = None
    level: str | None = None
    district: str | None = None
    district_pcode: str | None = None
    province: str | None = None
    province_pcode: str | None = None
    score: float | None = None
    matched_name: str | None = None
    source: str | None = None
    lat: float | None = None
    lon: float | None = None
    match_type: str = NONE
    candidates: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    reason: str | None = None
    confidence: float | None = None

    @property
    def ok(self):
        """True when there is an answer (district or province)."""
        return self.pcode is not None

    def to_dict(self):
        """Return the match as a plain dict (JSON-ready)."""
        return asdict(self)

    @property
    def address(self):
        """ "Taloqan, Takhar, Afghanistan" or "Takhar, Afghanistan"."""
        parts = [self.district if self.level == LEVEL_DISTRICT else None, self.province, "Afghanistan"]
        return ", ".join(part for part in parts if part)


def _check_role(role):
    if role not in ROLES:
        raise InputError(f"role must be one of {', '.join(ROLES)}, not {role!r}")


def _explained(results):
    """Give every answer a ``confidence`` (0-1) and a ``reason``."""
    base = results["match_type"].map(_CONFIDENCE).astype(float)
    scored = results["match_type"].isin([SKELETON, FUZZY]) & results["score"].notna()
    base = base.where(~scored, base * results["score"].astype(float).fillna(0) / 100)
    village = results["source"].isin(["village", "learned"]) & (results["level"] == LEVEL_DISTRICT)
    base = base.where(~village, base - 0.1)
    base = base.where(results["pcode"].notna(), 0.0)
    given = results["confidence"].astype(float)
    results["confidence"] = given.where(given.notna(), base).round(2)
    missing = results["reason"].isna()
    if missing.any():
        rows = results[missing]
        results.loc[missing, "reason"] = (
            rows["match_type"].astype(str).str.replace("_", "-")
            + " match of "
            + rows["matched_name"].astype(str).map(repr)
            + " ("
            + rows["source"].astype(str)
            + ")"
        )
    return results


def _check_name(name):
    if not isinstance(name, str):
        raise InputError(f"place name must be text, not {type(name).__name__}")
    if not name.strip():
        raise InputError("empty place name")
    if len(name) > settings.max_name_length:
        raise InputError(
            f"place name is {len(name)} characters long; the limit is {settings.max_name_length} (settings.max_name_length)"
        )


def _as_text(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _empty_results(length):
    frame = pd.DataFrame({column: pd.Series([None] * length, dtype=object) for column in RESULT_COLUMNS})
    frame["match_type"] = NONE
    frame["candidates"] = [[] for _ in range(length)]
    frame["suggestions"] = [[] for _ in range(length)]
    return frame


def _record(results, decided, active):
    """Write decided rows into `results`; return the rows still undecided."""
    if decided.empty:
        return active
    results.loc[decided.index, decided.columns] = decided
    return active.drop(index=decided.index.intersection(active.index))


class _Progress:
    """Counts resolved queries on a tqdm-like bar, never past its total."""

    def __init__(self, bar, total):
        self.bar, self.total, self.done = bar, total, 0
        if hasattr(bar, "total"):
            bar.total = total
            if hasattr(bar, "refresh"):
                bar.refresh()

    def update(self, count):
        count = min(count, self.total - self.done)
        if count > 0:
            self.done += count
            self.bar.update(count)

    def finish(self):
        self.update(self.total - self.done)


def _tick(progress, count):
    if progress is not None and count:
        progress.update(count)


def _progress_bar(progress, total):
    if progress is None or progress is False:
        return None
    if progress is True:
        from tqdm import tqdm

        return tqdm(total=total, desc="geocoding", unit="name", file=sys.stderr, disable=None)
    return progress


def _add_province_notes(results):
    notes = results.pop("province_note")
    has_note = notes.notna()
    if has_note.any():
        previous = results.loc[has_note, "reason"]
        results.loc[has_note, "reason"] = np.where(
            previous.notna(), previous.astype(str) + "; " + notes[has_note], notes[has_note]
        )
    return results


def _candidates_text(candidates):
    if not isinstance(candidates, list) or not candidates:
        return ""
    return ", ".join(f"{item['name']} ({item['province']}) {item['pcode']}" for item in candidates)


def _result_fields(match):
    fields = match.to_dict()
    return {column: fields[column] for column in RESULT_COLUMNS}


def _value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _match_from_row(row, name, province):
    values = {column: _value(row[column]) for column in RESULT_COLUMNS if column not in ("candidates",)}
    for column in ("score", "lat", "lon", "confidence"):
        if values[column] is not None:
            values[column] = float(values[column])
    return Match(
        query=name,
        province_query=province,
        candidates=list(row["candidates"]) if isinstance(row["candidates"], list) else [],
        suggestions=list(row["suggestions"]) if isinstance(row.get("suggestions"), list) else [],
        **values,
    )


def _location(match):
    raw = match.to_dict()
    return Location(match.address, (match.lat, match.lon), raw)
