"""Normalise Afghan place names into lookup keys.

The same place reaches geo in many spellings: "Taluqan" and "Taloqan",
"Qala-i-Yangi" and "Yangi Qala", "Chah Ab" and "Chahab", "Musa Kala" and
"Musa Qala", "Sholgareh" and "Sholgara". This module folds such variants into
one *key*, so that the gazetteer can be a plain table lookup. The same
function builds the gazetteer's keys and the queries' keys, so any fold is
applied on both sides.

A name is folded in these steps (each is a vectorised ``Series.str`` pass):

1. Unicode: accents and diacritics dropped (``ā``, ``ḩ``, ``ṟ``), Arabic-script
   letters unified (Arabic and Persian ``ye`` and ``kaf``, ``ta marbuta``),
   zero-width and direction marks removed.
2. Case, quotes and apostrophes (``Qal‘ah``, ``Esma'il``), brackets and
   punctuation; hyphens become spaces.
3. Generic words that say what kind of place it is are cut off and kept as a
   *hint*: "Farah City" → ``farah`` + city, "Obe District" → ``obe`` +
   district, "Helmand province" → ``helmand`` + province, "Musa Kala bazaar",
   "Woluswali Achin", "Center of Bamyan".
4. Connecting particles are dropped: the izafe (``-e-``, ``-i-``, ``-ye-``),
   ``wa``/``o``/``and`` and the Arabic article (``Jabal-us-Saraj``). An izafe
   written onto the first word ("Puli Khumri", "Qalai Zal", "Sare Pul") is cut
   off too, but only from words that are not last: "Shinwari" and "Shinwar"
   are two districts.
5. The words are joined without spaces ("Chah Ab" = "Chahab"), and common
   transliteration variants are folded: ``e``→``i``, ``o``/``ou``/``oo``→``u``,
   ``ee``→``i``, ``y``→``i``, ``ai``→``i`` (Khail/Khel, Shaikh/Sheikh),
   ``q``→``k``, ``v``→``w``, ``aw``/``ow`` before a consonant → ``u`` (Lowgar,
   Jowzjan), a silent ``h`` after a vowel (Qalah, Darah Nur, Obeh),
   ``chahar`` → ``char``, the many spellings of ``Khwaja`` and ``Muhammad``,
   and doubled letters (Jabbar, Taloqaan).

The *sorted key* additionally ignores word order ("Qala-i-Yangi" = "Yangi
Qala", "Kohistan Hesa Awal" = "Hisa-e-Awal-e-Kohistan"); the geocoder uses it
only when the ordered key finds nothing, and only for names of two or more
words.

The folds were chosen by checking that no two of the 399 official district
names (nor their alternative names) collide unless they are the same name;
``tests/test_gazetteer.py`` keeps it that way.
"""

import pandas as pd

# Hints: what kind of place a generic word says the name is.
HINT_CITY = "city"
HINT_DISTRICT = "district"
HINT_PROVINCE = "province"
HINT_VILLAGE = "village"

# Characters NFKD does not decompose into a base letter plus a mark.
_LETTER_MAP = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        # Arabic-script variants: Arabic ye/alef maqsura/kaf, ta marbuta, heh
        # with hamza, alef with hamza or madda -> the Persian letters.
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
    }
)
# Zero-width, direction (bidi) and other invisible format characters: ignored
# for matching, so they never change what a name matches.
INVISIBLE = r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
# Combining marks, Arabic harakat and tatweel.
_MARKS = r"[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
# Apostrophes, quotes and modifier letters written for ayn/hamza: dropped so
# that "Esma'il" and "Esmail" agree.
_APOSTROPHES = r"[\'\u2018\u2019\u201a\u201b\u2032\u0060\u00b4\u02b9-\u02bf\u02c8\u02bb\u02bc\"\u201c\u201d]"
_BRACKETED = r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}"
# Anything else that is not a letter or digit separates words.
_SEPARATORS = r"[^\w]+|_"

# Generic words, matched on the lower-cased, space-separated name.
_LEADING_GENERIC = {
    HINT_CITY: r"^(?:provincial (?:center|centre|capital) |(?:center|centre|capital|city) of (?:the )?)",
    HINT_DISTRICT: r"^(?:(?:markaz )?(?:e |i |ye )?(?:(?:w[ou]|u)l[eu]s+[wv]al[iy]|hukumat|hukumati|a*l+a+q+a*h?d+a*i?r+(?:i|y|ee)?|alaqa dari)(?: e| i| ye)? |bazaa?r (?:e |i |ye )|district cent(?:er|re) of |district (?:of (?:the )?)?)",
    HINT_PROVINCE: r"^(?:province of (?:the )?|wilayat (?:e |i )?|welayat (?:e |i )?)",
}
_TRAILING_GENERIC = {
    HINT_DISTRICT: r"(?: district (?:center|centre|headquarters|hq|capital)| (?:district|districts|distt|dist|(?:w[ou]|u)l[eu]s+[wv]al[iy]|bazaar|bazar|bazzar))$",
    HINT_PROVINCE: r"(?: (?:province|provinces|provincial|prov|wilayat|welayat))$",
    HINT_CITY: r"(?: (?:city|town|center|centre|provincial capital|provincial center|provincial centre|capital|municipality|shahr e kuhna))$",
    HINT_VILLAGE: r"(?: (?:village|villages|area|areas|valley|region))$",
}
# Connecting particles written as their own word.
_PARTICLES = r"\b(?:e|i|ye|yi|y|wa|va|o|and|ul|ol|us|os|ud|ur)\b"
# An izafe written onto a word that is not the last: "Puli Khumri", "Qalai Zal".
_ATTACHED_IZAFE = r"\b([a-z]{3,}?)(?:ye|yi|e|i|y)(?= [a-z0-9])"
# Same, on every word (for the order-free key).
_ATTACHED_IZAFE_ANY = r"\b([a-z]{3,}?)(?:ye|yi|e|i|y)\b"
# Whole-word spelling families, folded before the letters are.
_WORD_FAMILIES = [
    (r"\bkh(?:w|u|o|ow|aw|ua|wa)?a?j[ae]h?\b", "khaja"),  # Khwaja, Khoja, Khawaja, Khaja
    (r"\bm[ou]h?am+[ae]d\b", "muhamad"),  # Mohammad, Muhammad, Mohammed
    (r"\bch[ae]h?ar", "char"),  # Chahar Asyab = Char Asiab = Chaharasyab
]
# Letter folds on the joined key, in order.
_LETTER_FOLDS = [
    # ou/oo, and aw/ow/au before a consonant: Lowgar = Logar, Jowzjan = Jawzjan.
    (r"ou|oo|[ao]w(?=[^aeiouy]|$)|au(?=[^aeiouy]|$)", "u"),
    (r"[eiy]", "i"),
    (r"ai", "i"),
    (r"o", "u"),
    (r"q", "k"),
    (r"v", "w"),
    (r"ph", "f"),
    # A silent h after a vowel, before a consonant or at the end.
    (r"(?<=[aiu])h(?=[^aiu]|$)", ""),
    (r"(.)\1+", r"\1"),
]
# Skeletons with fewer consonants than this are not used.
MIN_SKELETON = 3


def fold_text(names):
    """Return `names` lower-cased, without accents, marks and punctuation.

    Parameters
    ----------
    names : pandas.Series of str

    Returns
    -------
    pandas.Series of str
        Words separated by single spaces; bracketed text removed.
    """
    text = strip_invisible(names.fillna("").astype(str))
    # Lower-case first, so that the letter map sees "Ł" and "Ø" as "ł" and
    # "ø"; map again after NFKD for letters a decomposition exposes.
    text = text.str.lower().str.translate(_LETTER_MAP).str.normalize("NFKD")
    text = text.str.replace(_MARKS, "", regex=True).str.translate(_LETTER_MAP)
    text = text.str.replace(_APOSTROPHES, "", regex=True).str.replace(_BRACKETED, " ", regex=True)
    text = text.str.replace(_SEPARATORS, " ", regex=True)
    return text.str.strip().str.replace(r"\s+", " ", regex=True)


def strip_invisible(text):
    """Return `text` (a Series of str) without zero-width and bidi-control characters."""
    return text.str.replace(INVISIBLE, "", regex=True)


def split_hint(words):
    """Cut generic words ("district", "city", "center of") off folded names.

    Parameters
    ----------
    words : pandas.Series of str
        Output of :func:`fold_text`.

    Returns
    -------
    (pandas.Series, pandas.Series)
        The names without their generic words, and the hint each carried
        (``"city"``, ``"district"``, ``"province"``, ``"village"`` or "").
        A name made only of generic words ("Center", "District") is kept whole.
    """
    remaining = words.copy()
    hint = pd.Series("", index=words.index, dtype=object)
    # Twice: "Center of Farah City", "Woluswali Achin district".
    for _ in range(2):
        for kind, pattern in [*_LEADING_GENERIC.items(), *_TRAILING_GENERIC.items()]:
            cut = remaining.str.replace(pattern, "", regex=True).str.strip()
            changed = (cut != remaining) & (cut.str.len() > 0)
            remaining = remaining.where(~changed, cut)
            hint = hint.where(~changed | (hint != ""), kind)
    return remaining, hint.astype(str)


def _drop_particles(words):
    dropped = words.str.replace(_PARTICLES, " ", regex=True).str.strip().str.replace(r"\s+", " ", regex=True)
    # Keep names that are nothing but particles ("O", "E") as they were.
    return dropped.where(dropped.str.len() > 0, words)


def _fold_letters(keys):
    for pattern, replacement in _LETTER_FOLDS:
        keys = keys.str.replace(pattern, replacement, regex=True)
    return keys


def _fold_words(words):
    for pattern, replacement in _WORD_FAMILIES:
        words = words.str.replace(pattern, replacement, regex=True)
    return words


def _sorted_key(words):
    """Fold each word, sort the words, join them; "" for one-word names."""
    several = words[words.str.contains(" ", regex=False)]
    exploded = several.str.split(" ").explode()
    folded = _fold_letters(exploded.astype(str))
    # Sort the words within each name, then concatenate them (a vectorised sum).
    words_table = pd.DataFrame({"row": folded.index, "word": folded.to_numpy()}).sort_values(["row", "word"])
    joined = words_table.groupby("row")["word"].sum()
    keys = pd.Series("", index=words.index, dtype=object)
    keys.loc[joined.index] = joined.to_numpy()
    return keys.str.replace(r"(.)\1+", r"\1", regex=True).astype(str)


def normalize_names(names):
    """Return lookup keys for place names.

    Parameters
    ----------
    names : pandas.Series of str
        Place names as written, e.g. ``"Qala-i-Yangi"``, ``"Farah City"``.

    Returns
    -------
    pandas.DataFrame
        Same index as `names`, with columns

        ``key``
            the folded name, e.g. ``"kalayangi"``; "" when nothing is left;
        ``sorted_key``
            the folded words in alphabetical order, e.g. ``"kalayang"``; ""
            for one-word names;
        ``hint``
            ``"city"``, ``"district"``, ``"province"``, ``"village"`` or "";
        ``words``
            the number of words the key was made of.

    Examples
    --------
    >>> normalize_names(pd.Series(["Chah Ab", "Chahab"]))["key"].tolist()
    ['chahab', 'chahab']
    """
    names = pd.Series(names)
    unique = pd.Series(names.dropna().astype(str).unique())
    folded, hint = split_hint(fold_text(unique))
    words = _fold_words(_drop_particles(folded))
    ordered = words.str.replace(_ATTACHED_IZAFE, r"\1", regex=True)
    key = _fold_letters(ordered.str.replace(" ", "", regex=False))
    any_izafe = words.str.replace(_ATTACHED_IZAFE_ANY, r"\1", regex=True)
    sorted_key = _sorted_key(any_izafe)
    table = pd.DataFrame(
        {
            "key": key.to_numpy(),
            "sorted_key": sorted_key.to_numpy(),
            "hint": hint.to_numpy(),
            "words": words.str.count(" ").add(1).where(words.str.len() > 0, 0).to_numpy(),
        },
        index=unique.to_numpy(),
    )
    lookup = names.fillna("").astype(str)
    result = table.reindex(lookup.to_numpy())
    result.index = names.index
    empty = names.isna()
    result.loc[empty, ["key", "sorted_key", "hint"]] = ""
    result.loc[empty, "words"] = 0
    result["words"] = result["words"].fillna(0).astype(int)
    return result.fillna("")


def skeletons(keys):
    """Return Latin keys with every vowel masked ("nijrab" -> "n_jr_b").

    Short vowels are the least stable part of a transliterated name (Nijrab,
    Nejrab, Najrab; Tagab, Tageb): two names with the same skeleton differ
    only in vowels at the same places. Skeletons with fewer than
    `MIN_SKELETON` consonants, and non-Latin keys, give "".
    """
    keys = pd.Series(keys, dtype=object).fillna("").astype(str)
    skeleton = keys.str.replace(r"[aiu]", "_", regex=True)
    consonants = skeleton.str.count(r"[^_]")
    usable = keys.str.fullmatch(r"[a-z0-9]+") & (consonants >= MIN_SKELETON)
    return skeleton.where(usable, "")


def normalize_name(name):
    """Return the key of one name (see :func:`normalize_names`)."""
    return normalize_names(pd.Series([name]))["key"].iloc[0]


def is_latin_or_arabic(keys):
    """Return a boolean Series: the key is Latin/digits or Arabic script.

    Names in other scripts (Cyrillic, Chinese, ...) from GeoNames are of no
    use for news in English or Dari and only add noise.
    """
    latin = keys.str.fullmatch(r"[a-z0-9]+")
    arabic = keys.str.fullmatch(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff0-9 ]+")
    return (latin | arabic).fillna(False).astype(bool)
