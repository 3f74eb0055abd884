"""Step 4 of the extractor: deaths a sentence reports, by ACLED's conservative rule.

Vague counts take ACLED's figures ("tens" 10, "dozens" 12, "scores" 20,
"hundreds" 100); "at least 15" and "more than 15" give 15; a range ("10 to
15", "10-15") its low end; "nearly 90" fewer than 90 (the next lower ten,
80); lists add up ("a U.S. soldier, a Romanian soldier and at least 10
civilians" = 12). Only numbers tied to death words count; the wounded do not.
"""

import functools
import re

_UNITS = {
    "a": 1,
    "an": 1,
    "the": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
}
# ACLED's figures for vague counts.
VAGUE = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "several": 3, "a dozen": 12, "a few": 3}
_NUMBER = (
    r"(?:\d[\d,]*|"
    + "|".join(sorted(_UNITS, key=len, reverse=True))
    + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_QUALIFIER = r"(?P<qualifier>at least|more than|over|nearly|almost|about|around|some|up to|roughly|approximately)?\s*"
_COUNT = (
    _QUALIFIER
    + r"(?P<count>(?:a dozen|a few|dozens|tens|scores|hundreds|several)|"
    + _NUMBER
    + r")(?:\s*(?:-|to|and)\s*(?P<high>\d[\d,]*))?"
)
_PEOPLE = (
    r"(?:[\w’'.-]+\s+){0,4}?(?:people|persons|civilians|soldiers|troops|policemen|police(?:\s+officers)?|officers|"
    r"members|fighters|militants|insurgents|terrorists|taliban|commanders?|children|women|men|guards|worshippers|"
    r"personnel|service\s?members?|soldier|policeman|officer|civilian|member|fighter|militant|insurgent|child|woman|man|"
    r"guard|others|staff|employees|students|gunmen|attackers|bombers?|deputies|militiamen|forces|of them|of whom)"
)
_DEATH_BEFORE = re.compile(
    r"\b(?:killing|killed|kills|left|leaving|claimed the lives of|death toll (?:rose|climbed|reached) to)\s+"
    + _COUNT
    + r"\b",
    re.IGNORECASE,
)
_DEATH_AFTER = re.compile(
    r"\b"
    + _COUNT
    + r"\s+"
    + _PEOPLE
    + r"(?:[^.;]{0,80}?)\s(?:were|was|have been|had been|are|being)\s+(?:killed|dead|slain|martyred)",
    re.IGNORECASE,
)
_DEAD = re.compile(
    r"\b" + _COUNT + r"\s+(?:people\s+|civilians\s+|others\s+)?(?:dead|killed|deaths|fatalities|bodies)\b",
    re.IGNORECASE,
)
_DIED = re.compile(r"\b" + _COUNT + r"\s+" + _PEOPLE + r"\s+(?:died|lost their lives)", re.IGNORECASE)
_LIST_ITEM = re.compile(r"(?:,\s*|\s+and\s+)" + _COUNT + r"\s+" + _PEOPLE, re.IGNORECASE)
_PERSON_AFTER_ONE = re.compile(
    r"^\s*(?:[\w’'.-]+\s+){0,3}?(?:soldier|member|officer|policeman|civilian|commander|governor|child|woman|man|fighter|guard|chief|leader|deputy|contractor|journalist|student|teacher|official|trainer|judge|employee|worker|cleric|elder)s?\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=8192)  # a sentence is read several times (clauses, merges)
def count_deaths(text):
    """Return ``(fatalities, qualifier)`` for a sentence: 0 and "" when no death count is given.

    The qualifier is the source's own word for an uncertain count ("at
    least", "dozens", "nearly").
    """
    best = None
    for pattern in (_DEATH_BEFORE, _DEATH_AFTER, _DEAD, _DIED):
        for match in pattern.finditer(text):
            value, qualifier = _value(match)
            if value is None:
                continue
            single = match.group("count").lower() in ("a", "an", "the", "one")
            if single and (pattern is not _DEATH_BEFORE or not _PERSON_AFTER_ONE.match(text[match.end() :])):
                continue
            if pattern is _DEATH_BEFORE:
                value += _list_total(text[match.end() :])
            if best is None:
                best = (value, qualifier)
    return best if best is not None else (0, "")


def _list_total(rest):
    """Deaths added by the rest of a list after the first item ("..., a Romanian soldier and 10 civilians")."""
    rest = re.split(
        r";|\.(?:\s+[A-Z“\"]|\s*$)|\b(?:wounding|injuring|wounded|injured|in|on|at(?!\s+least)|when|after|while|who|which)\b",
        rest,
        maxsplit=1,
    )[0]
    total = 0
    for match in _LIST_ITEM.finditer(rest):
        value, _ = _value(match)
        total += value or 0
    return total


def _value(match):
    count = match.group("count").lower()
    qualifier = (match.group("qualifier") or "").lower()
    if count in VAGUE:
        return VAGUE[count], count
    value = _number(count)
    if value is None:
        return None, ""
    if qualifier in ("nearly", "almost"):
        value = value - 1 if value <= 10 else (value - 1) // 10 * 10
    return value, qualifier


def _number(text):
    text = text.replace(",", "")
    if text.isdigit():
        return int(text)
    parts = re.split(r"[- ]", text)
    if all(part in _UNITS for part in parts):
        return sum(_UNITS[part] for part in parts)
    return None
