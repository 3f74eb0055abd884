"""Lookup keys for the short names an article holds, one string at a time.

:func:`geo._names.normalize_names` folds a Series of names in some fifty
vectorised passes: right for the gazetteer's tens of thousands of names, but
each pass has a fixed cost, and an article brings a few dozen new capitalised
runs. This is the same fold, step for step and with the same patterns
(imported from :mod:`geo._names`, so there is still one set of rules), run
with :mod:`re` on one name. ``tests/test_extract.py`` checks that both give
the same keys for every gazetteer name and every candidate of the test texts.

Candidates are ASCII (the extractor's capitalised runs), where :mod:`re` and
pandas' regular expressions agree.
"""

import functools
import re
import unicodedata

from .. import _names as names

_PATTERNS = {
    "invisible": re.compile(names.INVISIBLE),
    "marks": re.compile(names._MARKS),
    "apostrophes": re.compile(names._APOSTROPHES),
    "bracketed": re.compile(names._BRACKETED),
    "separators": re.compile(names._SEPARATORS),
    "spaces": re.compile(r"\s+"),
    "particles": re.compile(names._PARTICLES),
    "izafe": re.compile(names._ATTACHED_IZAFE),
    "izafe_any": re.compile(names._ATTACHED_IZAFE_ANY),
    "doubled": re.compile(r"(.)\1+"),
}
_GENERIC = [
    (kind, re.compile(pattern)) for kind, pattern in [*names._LEADING_GENERIC.items(), *names._TRAILING_GENERIC.items()]
]
_FAMILIES = [(re.compile(pattern), replacement) for pattern, replacement in names._WORD_FAMILIES]
_LETTERS = [(re.compile(pattern), replacement) for pattern, replacement in names._LETTER_FOLDS]


@functools.lru_cache(maxsize=100_000)
def name_keys(name):
    """Return ``(key, sorted_key, hint)`` of one name, as :func:`geo._names.normalize_names` would."""
    folded, hint = _split_hint(_fold_text(name))
    words = _fold_words(_drop_particles(folded))
    key = _fold_letters(_PATTERNS["izafe"].sub(r"\1", words).replace(" ", ""))
    return key, _sorted_key(_PATTERNS["izafe_any"].sub(r"\1", words)), hint


def _fold_text(text):
    text = _PATTERNS["invisible"].sub("", text)
    text = unicodedata.normalize("NFKD", text.lower().translate(names._LETTER_MAP))
    text = _PATTERNS["marks"].sub("", text).translate(names._LETTER_MAP)
    text = _PATTERNS["bracketed"].sub(" ", _PATTERNS["apostrophes"].sub("", text))
    text = _PATTERNS["separators"].sub(" ", text)
    return _PATTERNS["spaces"].sub(" ", text.strip())


def _split_hint(words):
    remaining, hint = words, ""
    for _ in range(2):  # twice: "Center of Farah City", "Woluswali Achin district"
        for kind, pattern in _GENERIC:
            cut = pattern.sub("", remaining).strip()
            if cut != remaining and cut:
                remaining, hint = cut, hint or kind
    return remaining, hint


def _drop_particles(words):
    dropped = _PATTERNS["spaces"].sub(" ", _PATTERNS["particles"].sub(" ", words).strip())
    return dropped or words


def _fold_words(words):
    for pattern, replacement in _FAMILIES:
        words = pattern.sub(replacement, words)
    return words


def _fold_letters(key):
    for pattern, replacement in _LETTERS:
        key = pattern.sub(replacement, key)
    return key


def _sorted_key(words):
    if " " not in words:
        return ""
    return _PATTERNS["doubled"].sub(r"\1", "".join(sorted(_fold_letters(word) for word in words.split(" "))))
