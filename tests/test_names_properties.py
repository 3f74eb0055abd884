"""Property-based tests (hypothesis): arbitrary names to the normaliser and the geocoder.

Whatever text arrives, the normaliser returns keys and the geocoder answers or
raises one of geo's own errors; zero-width and bidi characters never change
what a name matches.
"""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import _names, geocoder
from geo.errors import GeoError

INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2060",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
    "\u00ad",
    "\u061c",
]
PLACES = [
    "Taluqan",
    "Chah Ab",
    "Qala-i-Yangi",
    "Musa Kala",
    "Nijreb",
    "Baharak",
    "Farah City",
    "Lashkar Gah",
    "Sar-e Pol",
    "Khost (Matun)",
    "چاه آب",
    "Łoś Øy",
]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(TEXT)
def test_the_normaliser_takes_any_text(text):
    keys = _names.normalize_names(pd.Series([text]))
    assert list(keys.columns) == ["key", "sorted_key", "hint", "words"]
    assert isinstance(keys.loc[0, "key"], str)


@SLOW
@given(TEXT, st.one_of(st.none(), TEXT))
def test_the_geocoder_answers_or_raises_geos_errors(name, province):
    try:
        match = geocoder.resolve(name, province, role="place")
    except GeoError:
        return
    assert match.reason and 0 <= match.confidence <= 1


@SLOW
@given(st.lists(st.one_of(TEXT, st.none(), st.integers(), st.floats()), min_size=1, max_size=8))
def test_frames_of_anything_give_one_answer_per_row(values):
    frame = pd.DataFrame({"name": pd.Series(values, dtype=object), "province": None})
    result = geocoder.geocode_frame(frame)
    assert len(result) == len(values) and result["reason"].notna().all()


@SLOW
@given(st.sampled_from(PLACES), st.lists(st.tuples(st.integers(0, 30), st.sampled_from(INVISIBLE)), max_size=4))
def test_invisible_characters_never_change_what_a_name_matches(place, insertions):
    text = place
    for position, character in insertions:
        at = position % (len(text) + 1)
        text = text[:at] + character + text[at:]
    assert _names.normalize_name(text) == _names.normalize_name(place)
    assert geocoder.resolve(text).pcode == geocoder.resolve(place).pcode


@pytest.mark.parametrize(("upper", "lower"), [("ŁODZ", "łodz"), ("ØSTER", "øster"), ("İSTALIF", "istalif")])
def test_upper_case_letters_outside_nfkd_keep_their_key(upper, lower):
    assert _names.normalize_name(upper) == _names.normalize_name(lower) != ""
