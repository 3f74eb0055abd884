"""Step 2 of the extractor: find the Afghan places a sentence names.

Candidates are runs of capitalised words ("Keshk Rabat Sangi", "Qala-i-Yangi",
"Nad-e Ali") and their sub-runs, compared with the gazetteer's district,
province and town names as lookup keys (:func:`geo._names.normalize_names`);
village names are left out (too many are English words or personal names).
Each hit is then resolved by the geocoder (:func:`geo.geocoder.geocode_frame`)
with the province named nearest before it in the article, which decides between
same-named districts (Baharak in Takhar, not in Badakhshan).
"""

import functools
import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .. import geocoder, settings
from .._spelling import district_keys_by_province, near_district
from .._steps.fuzzy import FUZZY_MARGIN
from ..gazetteer import RANK_TOWN, load_gazetteer
from ._keys import name_keys

# A capitalised word, with inner hyphens and apostrophes ("Qala-i-Yangi",
# "Pul-e-Khumri"); runs may hold the particles of Dari names ("Nad-e Ali").
_WORD = r"[A-Z][A-Za-z]*(?:[-‐’'][A-Za-z]+)*"
_RUN = re.compile(rf"{_WORD}(?:[ -](?:(?:e|i|ye|e-|i-|wa\s|va\s)\s?)?{_WORD})*")  # "Kuran wa Munjan"
MAX_WORDS = 4
_POSSESSIVE = re.compile(r"[’']s$")
# Capitalised English words, names and titles that are also place keys in
# the gazetteer; never a place when seen alone.
_NOT_PLACES = {
    "afghan",
    "afghans",
    "afghanistan",
    "taliban",
    "islamic",
    "state",
    "police",
    "army",
    "national",
    "president",
    "government",
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "and",
    "but",
    "said",
    "says",
    "u",
    "us",
    "u.s",
    "american",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "may",
    "march",
    "august",
    "general",
    "gen",
    "governor",
    "district",
    "province",
    "city",
    "capital",
    "minister",
    "ministry",
    "defense",
    "defence",
    "interior",
    "council",
    "security",
    "forces",
    "force",
    "special",
    "resolute",
    "support",
    "nato",
    "reuters",
    "associated",
    "press",
    "tolonews",
    "pajhwok",
    "al",
    "qaeda",
    "isis",
    "isil",
    "daesh",
    "mullah",
    "haji",
    "khan",
    "ahmad",
    "mohammad",
    "muhammad",
    "abdul",
    "ali",
    "gul",
    "shah",
    "noor",
    "nur",
    "zabihullah",
    "mujahid",
    "qari",
    "yousuf",
    "ahmadi",
    "khalilzad",
    "ghani",
    "trump",
    "pakistan",
    "iran",
    "india",
    "china",
    "qatar",
    "doha",
    "washington",
    "kabul government",
    "high",
    "peace",
    "eid",
    "ramadan",
    "helmand river",
    "by",
}
# Given names and titles: a capitalised word right after one of these is part of a person's name.
_GIVEN_NAMES = {
    "abdul",
    "abdel",
    "mohammad",
    "muhammad",
    "mohammed",
    "mohammadullah",
    "ahmad",
    "ahmed",
    "mullah",
    "mawlawi",
    "maulvi",
    "mawlavi",
    "qari",
    "haji",
    "sayed",
    "syed",
    "mr",
    "gen",
    "general",
    "col",
    "colonel",
    "spokesman",
    "commander",
    "engineer",
    "dr",
    "ghulam",
    "ustad",
}


_TITLES = {"chief", "spokesman", "governor", "commander", "minister", "general", "gen", "colonel", "col", "president"}


def _is_given_name(word):
    word = word.lower().rstrip(".")
    return word in _GIVEN_NAMES or word.endswith(("ullah", "ulla"))  # Attaullah, Zabihullah, Hayatullah


_CONFIDENT = (geocoder.EXACT, geocoder.WORD_ORDER, geocoder.SKELETON, geocoder.FUZZY)
COLUMNS = [
    "sentence",
    "start",
    "end",
    "name",
    "pcode",
    "level",
    "district",
    "province",
    "province_pcode",
    "lat",
    "lon",
]


@functools.cache
def _place_keys():
    """Gazetteer keys of district, province and town names, as a set."""
    names = load_gazetteer().names
    names = names[names["rank"] <= RANK_TOWN]
    return frozenset(names["key"][names["key"] != ""]) | frozenset(names["sorted_key"][names["sorted_key"] != ""])


def candidate_names(sentences):
    """Return every run of capitalised words (and sub-run) that is a place key.

    Parameters
    ----------
    sentences : pandas.DataFrame
        From :func:`geo.extract.sentences.split_sentences`.

    Returns
    -------
    pandas.DataFrame
        ``sentence`` (index label), ``start``, ``end`` (file offsets), ``name``;
        overlapping hits keep the longest.
    """
    rows = []
    # "2. Daykundi: ...": a bulletin's numbered section names its province, where a dateline names a seat.
    sections = sentences["text"].str.fullmatch(r"\d{1,2}\.").shift(fill_value=False).to_numpy()
    for label, start, text, section in zip(sentences.index, sentences["start"], sentences["text"], sections):
        for run in _RUN.finditer(text):
            if run.start() == 0 and not section and _DATELINE.match(text, run.end()):
                continue  # "Kabul, Afghanistan: The Taliban ...": where the reporter filed
            if _TITLE_BEFORE.search(text[max(0, run.start() - 20) : run.start()]):
                continue  # "spokesman Col. Qais Mangal", "Gen. Abdul Raziq": a man's name after his title
            words = list(re.finditer(r"\S+", run.group()))
            appositive = bool(_APPOSITION.match(text, run.end()))
            for size in range(min(MAX_WORDS, len(words)), 0, -1):
                for first in range(len(words) - size + 1):
                    if first and _is_given_name(words[first - 1].group()):
                        continue  # "Spokesman Abdul Maruf Azar": a man's name, not Maruf district
                    if first >= 2 and words[first - 2].group().lower().rstrip(".,") in _TITLES:
                        continue  # "Police Chief Khalid Wardak said": a title, a given name, a surname
                    a, b = run.start() + words[first].start(), run.start() + words[first + size - 1].end()
                    if _names_other(words, first, size, appositive):
                        continue
                    rest = [word.group() for word in words[:first] + words[first + size :]]
                    rows.append((label, start + a, start + b, text[a:b], _inside_name(rest)))
    found = pd.DataFrame(rows, columns=["sentence", "start", "end", "name", "inside"])
    if found.empty:
        return found
    # Plain Python over a few hundred short strings: faster here than pandas' string arrays.
    # "Badakhshan's Kohistan district": the possessive is no part of the name.
    names = [_POSSESSIVE.sub("", name.strip("’'.,;:")) for name in found["name"]]
    known, major = _place_keys(), _major_keys()
    keep = [
        _is_place_name(name, known) and (not inside or name_keys(name)[0] in major)
        for name, inside in zip(names, found["inside"])
    ]
    found = found.assign(name=names)[keep].drop(columns="inside")
    return _longest(found)


# A title or rank right before a run of capitalised words: the run is the man's name.
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:Col|Gen|Lt|Maj|Capt|Brig|Sgt|Dr|Mr|Mrs|Ms|Sen|Rep|Eng)\.|\b(?:spokes(?:man|woman|person)|Colonel|General))\s+$"
)
# What follows a dateline's place at the start of a sentence: "Kabul, Afghanistan:", "Kabul -".
_DATELINE = re.compile(r"(?:,?\s*Afghanistan)?\s*(?:\([^)]{0,30}\))?\s*(?::|—|–|-\s)")
# Words after a name that make it a village's ("Ghazni Abad", "Mangal Kalay"): -abad is "town of".
_VILLAGE_SUFFIXES = {"abad", "kalay", "kalai", "kelay", "kili", "khel", "khil", "kheyl", "kot"}
# "Naeem Mangal, head of the hospital": a man named by his post right after his name.
_APPOSITION = re.compile(
    r",\s+(?:a|an|the)?\s*(?:[\w-]+\s+){0,3}?(?:head|chief|spokes(?:man|person|woman)|governor|commander|member|"
    r"official|director|deputy|doctor|resident|elder|lawmaker|MP|senator|analyst|adviser|advisor|owner|driver)\b",
    re.IGNORECASE,
)


def _names_other(words, first, size, appositive):
    """Whether the capitalised words around a place name make it another's name: a village's
    ("Ghazni Abad police checkpoint") or a man's ("Naeem Mangal, head of the hospital", where
    `appositive` says a post follows the run)."""
    end = first + size
    if end < len(words) and words[end].group().lower().strip("’'.,;:") in _VILLAGE_SUFFIXES:
        return True
    if end != len(words) or first == 0 or not appositive:
        return False
    before = words[first - 1].group().strip("’'.,;:")
    return before.lower() not in _NOT_PLACES and before.lower() not in _AROUND_PLACES and not before.endswith("s")


# Words around a place name in a capitalised run that leave it a place ("Kunduz City", "In Kunduz").
_AROUND_PLACES = {"district", "province", "city", "village", "area", "valley", "highway", "airport", "provincial"}


def _inside_name(rest):
    """Whether the other capitalised words of a run make a longer name ("Khwaja Yahya Alawi")."""
    return any(
        word.lower().strip("’'.,;:") not in _NOT_PLACES and word.lower().strip("’'.,;:") not in _AROUND_PLACES
        for word in rest
    )


@functools.cache
def _major_keys():
    """Keys of district and province names (not towns): the only names read inside a longer run
    of capitalised words, where a town's name is more often part of a person's."""
    names = load_gazetteer().names
    names = names[names["rank"] < RANK_TOWN]
    return frozenset(names["key"][names["key"] != ""])


def _is_place_name(name, known):
    # "KABUL, Afghanistan —" is a dateline: where the reporter filed, not where it happened.
    if name.lower() in _NOT_PLACES or (name.isupper() and len(name) > 3):
        return False
    key, sorted_key, _ = name_keys(name)
    return bool(key) and (key in known or (bool(sorted_key) and sorted_key in known))


def _longest(found):
    """Drop hits inside a longer hit of the same sentence."""
    found = found.assign(length=found["end"] - found["start"]).sort_values(
        ["sentence", "start", "length"], ascending=[True, True, False]
    )
    keep, reach, current = [], -1, None
    for sentence, start, end in zip(found["sentence"], found["start"], found["end"]):
        if sentence != current:
            current, reach = sentence, -1
        keep.append(start >= reach)
        reach = max(reach, end)
    return found[np.array(keep, dtype=bool)].drop(columns="length").reset_index(drop=True)


def find_places(sentences):
    """Return the places each sentence names, resolved to districts or provinces.

    Parameters
    ----------
    sentences : pandas.DataFrame
        From :func:`geo.extract.sentences.split_sentences`, in text order.

    Returns
    -------
    pandas.DataFrame
        :data:`COLUMNS`: one row per resolved mention; ``level`` is
        ``district`` or ``province``. Unknown and ambiguous names (with no
        province to decide) are left out.
    """
    names = candidate_names(sentences)
    if names.empty:
        return pd.DataFrame(columns=COLUMNS)
    alone = [place_of(name) for name in names["name"]]
    hints = _province_context(names, alone)
    hinted = [place_of(name, hint) if hint else None for name, hint in zip(names["name"], hints)]
    # The hint only decides between places: a name it does not hold keeps its own answer.
    chosen = [first or second for first, second in zip(hinted, alone)]
    texts, starts = sentences["text"].to_dict(), sentences["start"].to_dict()
    chosen = [
        _capital(answer, texts[label], start - starts[label], end - starts[label])
        for answer, label, start, end in zip(chosen, names["sentence"], names["start"], names["end"])
    ]
    keep = [answer is not None for answer in chosen]
    found = names[keep].reset_index(drop=True)
    answers = pd.DataFrame([answer for answer in chosen if answer is not None], columns=_ANSWER)
    found = pd.concat([found, answers], axis=1)[COLUMNS]
    return _with_unknown_districts(sentences, found)


_NAME = rf"{_WORD}(?:[ -](?:(?:e|i|ye|e-|i-|wa|va|o)[ -]?)?{_WORD}){{0,3}}"
# "Daraq district", "the district of Bal Murgahb", "Yamgan and Karan wa Munjan districts": a name
# written as a district's.
# "in Charakar, the provincial capital", "Charakar city": a capital's name, spelled the reporter's way.
_NAMED_DISTRICT = re.compile(
    rf"({_NAME})\s+districts?\b|\bdistrict of (?:the )?({_NAME})|"
    rf"({_NAME}),?\s+(?:the\s+)?(?:provincial\s+capital|capital\s+of)\b|({_NAME})\s+city\b|"
    # "captured Darqad, another district in the province", "Warsaj, a remote district of Takhar"
    rf"({_NAME}),\s+(?:a|an|another)\s+(?:[a-z-]+\s+){{0,2}}district\b|"
    # a typo that glues the word on: "killed in air strikes conducted in Baharkdestrict"
    r"\b([A-Z][a-z]{2,})(?:district|destrict|distict)\b|"
    # "attacked Qarghan and Qaramqul districts": the names listed before the last one are districts too
    rf"({_NAME})(?=(?:,\s+{_NAME})*,?\s+and\s+{_NAME}\s+districts\b)|"
    # "Seh Chenar post in Chahar Darreh", "Deh Yek town": a place the text puts events in, spelt the reporter's way
    # (a village's or an area's name is left alone: "in Qarluq, an area in Archi district", "in Shah-wa-Harrus village")
    rf"(?:(?<=\bin )|(?<=\bat )|(?<=\bnear ))({_NAME})(?=[\s,.;:])(?![ -][A-Z])"
    r"(?!,?\s+(?:an?\s+)?(?:area|village|locality|region|valley)\b)|"
    rf"({_NAME})\s+town\b"
)


def _with_unknown_districts(sentences, found):
    """Add "X district" names the gazetteer lacks in that spelling ("Daraq district",
    "Dawolat Abad district"), resolved by the geocoder's fuzzy rules inside the province
    the article is talking about; a name no district of that province resembles is left out."""
    rows = []
    # (numpy arrays: this runs once per name-like match of every sentence)
    starts, ends = found["start"].to_numpy(), found["end"].to_numpy()
    provincial = (found["level"] == "province").to_numpy()
    for label, start, text in zip(sentences.index, sentences["start"], sentences["text"]):
        for match in _NAMED_DISTRICT.finditer(text):
            group = next(number for number in range(1, 10) if match.group(number))
            name = _POSSESSIVE.sub("", match.group(group).split("’s ")[-1].split("'s ")[-1])
            first = start + match.end(group) - len(name)
            inside = (starts < start + match.end(group)) & (ends > first)
            # "Khoja Ghor district": a province's name inside a longer district name is no mention of it
            shorter = provincial & (ends - starts < len(name))
            if name.lower() not in _NOT_PLACES and not (inside & ~shorter).any():
                rows.append((label, first, start + match.end(group), name, tuple(found.index[inside])))
    if not rows:
        return found
    unknown = pd.DataFrame(rows, columns=["sentence", "start", "end", "name", "covers"])
    covered = [index for covers in unknown["covers"] for index in covers]
    context = found.drop(index=covered)
    context = (context["sentence"].to_numpy(), context["start"].to_numpy(), context["province_pcode"].to_numpy())
    provinces = [_province_before(context, label, start) for label, start in zip(unknown["sentence"], unknown["start"])]
    answers = [
        _fuzzy_district(name, province) if province else None for name, province in zip(unknown["name"], provinces)
    ]
    keep = [answer is not None for answer in answers]
    if not any(keep):
        return found
    found = found.drop(index=[index for covers in unknown["covers"][keep] for index in covers])
    unknown = unknown.drop(columns="covers")
    added = pd.concat(
        [unknown[keep].reset_index(drop=True), pd.DataFrame([answer for answer in answers if answer], columns=_ANSWER)],
        axis=1,
    )[COLUMNS]
    # Read by the extractor's own fuzzy rule: the validator's keys may not see the district in the
    # passage, so such a name places events but makes no claim.
    # A name whose key is the district's own ("Kuran wa Munjan", only its small "wa" kept it from
    # the capitalised runs) is no looser than any other.
    exact = [
        district_keys_by_province().get(pcode[:4], {}).get(name_keys(name)[0]) == pcode
        for name, pcode in zip(added["name"], added["pcode"])
    ]
    found, added = found.assign(loose=False), added.assign(loose=[not same for same in exact])
    return pd.concat([found, added], ignore_index=True).sort_values("start", kind="stable").reset_index(drop=True)


@functools.lru_cache(maxsize=10_000)
def _fuzzy_district(name, province_pcode):
    """The district of that province whose name key is near the name's (the geocoder's threshold,
    one clear best), or None."""
    key = name_keys(name)[0]
    choices = district_keys_by_province().get(province_pcode, {})
    if not key or not choices:
        return None
    best = process.extract(key, list(choices), scorer=fuzz.ratio, limit=2)
    if not best or best[0][1] < settings.fuzzy_threshold:
        pcode = near_district(key, province_pcode)
        return None if pcode is None else _answer(pcode, None)
    if len(best) > 1 and choices[best[1][0]] != choices[best[0][0]] and best[0][1] - best[1][1] < FUZZY_MARGIN:
        return None  # halfway between two districts
    return _answer(choices[best[0][0]], None)


def _province_before(context, label, start):
    """The province named in the sentence, else the one named last before it; `context` holds the
    mentions' sentence labels, starts and province pcodes as arrays, in text order."""
    sentence_labels, starts, provinces = context
    same = np.flatnonzero(sentence_labels == label)
    if len(same):
        return provinces[same[0]]
    before = np.flatnonzero(starts < start)
    return provinces[before[-1]] if len(before) else ""


# "insurgents assaulted Kunduz", "the attack on Ghazni": one storms a city, not a province.
_ASSAULTED = re.compile(
    r"\b(?:assaulted|stormed|overran|besieged|(?:attacks?|assaults?|offensive) on)\s+(?:the\s+)?$", re.IGNORECASE
)
_PROVINCE_AFTER = re.compile(r"^[’']?s?\s+province", re.IGNORECASE)
_CAPITAL_AFTER = re.compile(r"^,?\s+(?:the\s+)?(?:provincial\s+capital|capital\s+of|city\b)", re.IGNORECASE)
# "the southern city of Kandahar", "provincial capital Farah city", "the capital, Kabul".
_CAPITAL_BEFORE = re.compile(
    r"\b(?:city\s+of|(?:provincial\s+)?capital(?:\s+city)?(?:\s+of\s+\w+\s+province)?,?)\s+(?:the\s+)?$", re.IGNORECASE
)
_DISTRICT_AFTER = re.compile(r"^[’']?\s+district\b", re.IGNORECASE)
# "stormed a police headquarters in the capital of northern Baghlan province": the capital's district.
_CAPITAL_OF = re.compile(
    r"\b(?:provincial\s+)?capital\s+(?:city\s+)?of\s+(?:the\s+)?(?:(?:north|south|east|west|central)\w*\s+)?$",
    re.IGNORECASE,
)


def _capital(answer, text, start, end):
    """ "Kunduz, the provincial capital" and "Kunduz city" are the capital's district, not the province;
    "Kabul province" is the province, though "Kabul" alone is the city. `start` and `end` are offsets
    into the sentence `text`."""
    if answer is None or (answer[1] != "province" and answer[0] not in _capital_pcodes()):
        return answer
    after = text[end:][:40]
    if answer[1] != "province":
        return _answer(answer[5], None) if _PROVINCE_AFTER.search(after) else answer
    before = text[:start][-30:]
    if _DISTRICT_AFTER.search(after):
        # "Balkh district, Balkh province": the district of the province's name.
        return _district_named(answer) or answer
    capital = (
        _CAPITAL_AFTER.search(after)
        or (_CAPITAL_BEFORE.search(before) and not _PROVINCE_AFTER.search(after))
        or _CAPITAL_OF.search(text[:start][-45:])
    )
    if not capital and not (_ASSAULTED.search(before) and not _PROVINCE_AFTER.search(after)):
        return answer
    capital = load_gazetteer().provinces.at[answer[0], "capital_pcode"]
    return _answer(capital, None)


@functools.cache
def _capital_pcodes():
    return frozenset(load_gazetteer().provinces["capital_pcode"])


def _district_named(answer):
    """The district of a province that bears the province's name, or None."""
    districts = load_gazetteer().districts
    same = districts.index[(districts["province_pcode"] == answer[0]) & (districts["district"] == answer[3])]
    return _answer(same[0], None) if len(same) == 1 else None


def _province_context(names, alone):
    """The province each mention is read in: named in its sentence, else the last one named before it."""
    province = pd.Series(
        [answer[5] if answer is not None and answer[1] == "province" else None for answer in alone], index=names.index
    )
    in_sentence = province.groupby(names["sentence"]).transform("first")
    return in_sentence.fillna(province.ffill()).fillna("").to_numpy()


_ANSWER = ["pcode", "level", "district", "province", "province_pcode_", "province_pcode", "lat", "lon"]


def place_fields(pcode):
    """A district's or province's fields as a mention holds them (pcode, level, names, province, lat, lon)."""
    fields = dict(zip(_ANSWER, _answer(pcode, None)))
    del fields["province_pcode_"]
    return fields


def place_of(name, province_pcode=None):
    """Resolve one name by the geocoder's exact and word-order rules, fast and cached.

    The same decisions as :func:`geo.geocoder.resolve` for names that are
    gazetteer keys: the given province keeps only its own places; the best
    gazetteer rank wins; "X City" is the provincial capital; a province and
    districts inside it give the province; several districts are ambiguous
    (None).

    Returns
    -------
    tuple or None
        ``(pcode, level, district, province, province_pcode, province_pcode,
        lat, lon)``; None for unknown or ambiguous names.
    """
    return _place_of(name, province_pcode or None)


@functools.lru_cache(maxsize=100_000)
def _place_of(name, province_pcode):
    key, sorted_key, hint = name_keys(name)
    table = _key_table()
    rows = table.get(key) or (table.get("sorted:" + sorted_key) if sorted_key else None)
    if not rows:
        return None
    if province_pcode:
        rows = [row for row in rows if row[2] == province_pcode]
        if not rows:
            return None
    rows = _hinted(rows, hint)
    best = min(row[3] for row in rows)
    pcodes = {row[0]: row for row in rows if row[3] == best}
    provinces = [pcode for pcode in pcodes if len(pcode) == 4]
    if len(pcodes) > 1:
        if len(provinces) != 1 or not all(pcode.startswith(provinces[0]) for pcode in pcodes):
            return None
        # A province with its own districts is the province, unless (no province
        # given) a curated alias names one district: "Kabul" alone is the city.
        aliased = {row[0] for row in rows if row[4] == "alias" and len(row[0]) == 6}
        chosen = aliased.pop() if not province_pcode and len(aliased) == 1 else provinces[0]
        pcodes = {chosen: pcodes[chosen]}
    ((pcode, row),) = pcodes.items()
    return _answer(pcode, row)


def _hinted(rows, hint):
    if hint == "city":
        capitals = load_gazetteer().provinces["capital_pcode"]
        rows = [(capitals[row[0]], "district", *row[2:]) if row[1] == "province" else row for row in rows]
    wanted = {"district": "district", "city": "district", "province": "province"}.get(hint)
    if wanted and any(row[1] == wanted for row in rows):
        rows = [row for row in rows if row[1] == wanted]
    return rows


def _answer(pcode, row):
    gazetteer = load_gazetteer()
    if len(pcode) == 4:
        province = gazetteer.provinces.loc[pcode]
        return (pcode, "province", None, province["province"], pcode, pcode, province["lat"], province["lon"])
    district = gazetteer.districts.loc[pcode]
    return (
        pcode,
        "district",
        district["district"],
        district["province"],
        district["province_pcode"],
        district["province_pcode"],
        district["lat"],
        district["lon"],
    )


@functools.cache
def _key_table():
    """Gazetteer keys (villages left out) → their places as (pcode, level, province_pcode, rank, source)."""
    names = load_gazetteer().names
    names = names[names["rank"] <= RANK_TOWN]
    table = {}
    for key, sorted_key, pcode, level, province, rank, source in zip(
        names["key"],
        names["sorted_key"],
        names["pcode"],
        names["level"],
        names["province_pcode"],
        names["rank"],
        names["source"],
    ):
        row = (pcode, level, province, int(rank), source)
        if key:
            table.setdefault(key, []).append(row)
        if sorted_key:
            table.setdefault("sorted:" + sorted_key, []).append(row)
    return table


def district_in_notes(notes, province_pcodes):
    """Return the district a dataset event's notes name inside its province.

    For events placed only at province level (ACLED, UCDP): "... clashed in
    Nad-e Ali district of Helmand" gives Nad-e Ali's pcode when the event's
    province is Helmand.

    Parameters
    ----------
    notes : pandas.Series of str
    province_pcodes : pandas.Series of str
        The province of each event (``AF30``), same index.

    Returns
    -------
    pandas.Series of str
        Same index: the pcode of the first district named in the notes that
        lies in the event's province, "" where there is none.
    """
    notes = pd.Series(notes).fillna("").astype(str)
    provinces = pd.Series(province_pcodes, index=notes.index).fillna("").astype(str).str.upper()
    sentences = pd.DataFrame({"start": 0, "end": notes.str.len(), "paragraph": 0, "text": notes}, index=notes.index)
    names = candidate_names(sentences)
    result = pd.Series("", index=notes.index, dtype=object)
    if names.empty:
        return result
    names["province"] = names["sentence"].map(provinces)
    resolved = geocoder.geocode_frame(names, "name", "province")
    inside = (resolved["level"] == "district") & (resolved["province_pcode"] == resolved["province"])
    inside &= resolved["match_type"].isin(_CONFIDENT)
    first = resolved[inside].groupby("sentence")["pcode"].first()
    result.loc[first.index] = first.to_numpy()
    return result
