"""Step 3 of the extractor: the date of an event, resolved against the publication date.

Rules over the words news reports use, with ACLED's time precision (1 day,
2 week, 3 month) saying how sure the date is:

- a calendar date ("on Sept. 11", "September 6", "6 September", "Dec. 1,
  2017"): that day (1); without a year, the latest such day not after
  publication;
- a weekday ("on Tuesday", "Tuesday night"): the latest such day up to the
  publication date (1);
- "today", "this morning" (1); "yesterday", "last night" the day before (1);
  "overnight" the publication day (1);
- "two days later", "the next day": counted from the article's previous
  date (2);
- "last week", "earlier this week" (2); "last month", "in August 2017" (3,
  mid-month); "a week ago" (2), "two months ago" (3), counted back from publication.

When a sentence has several date words, the day of the event wins over the
day it was reported: date words right after a verb of speech ("officials
said Sunday", "told Xinhua on Monday") or in a wire dateline ("KABUL, Sept.
23 (Xinhua) --") are read only when the sentence has no other.

A sentence with no date words has none (the caller decides what to assume).
"""

import datetime as dt
import functools
import re

from .. import settings
from ..articles import _MONTHS

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBER_WORDS = {
    "a few": 3,
    "few": 3,
    "a": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "several": 3,
}

_CALENDAR = [
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?", re.IGNORECASE),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?",
        re.IGNORECASE,
    ),
]
_MONTH_YEAR = re.compile(
    # ("at the beginning of July": as vague as "in early July")
    rf"\b(?:(?:in|during|since)\s+(?:early\s+|late\s+|mid-?)?|the\s+(?:beginning|start|end|middle)\s+of\s+)"
    rf"{_MONTH}(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE = [
    (re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", re.IGNORECASE), 0, 1),
    # ("in the early hours of Monday", "overnight Saturday": the day named, not the report's)
    (
        re.compile(
            r"\b(?:overnight|early hours)\b(?!\s+(?:of\s+|on\s+|into\s+)?(?:the\s+)?(?:"
            + "|".join(_WEEKDAYS)
            + r"|"
            + "|".join(sorted(_MONTHS, key=len, reverse=True))
            + r")\b)",
            re.IGNORECASE,
        ),
        0,
        1,
    ),
    (re.compile(r"\b(?:yesterday|last night|last evening)\b", re.IGNORECASE), -1, 1),
    (re.compile(r"\b(?:earlier this week|this week)\b", re.IGNORECASE), -2, 2),
    (re.compile(r"\blast week(?:end)?\b", re.IGNORECASE), -7, 2),
    (re.compile(r"\b(?:earlier this month|this month)\b", re.IGNORECASE), -7, 3),
    (re.compile(r"\blast month\b", re.IGNORECASE), -30, 3),
]
_LATER = re.compile(
    r"\b(?P<count>a|one|two|three|four|five|six|seven|several|\d+)\s+days?\s+(?P<way>later|after(?:wards)?|earlier|ago)\b|\b(?:the\s+)?(?P<next>next|following)\s+day\b"
    # "the previous day", "the day before": a day before the date just told
    r"|\b(?P<before>(?:the\s+)?(?:previous|preceding)\s+(?:day|night)|the\s+day\s+before(?!\s+yesterday))\b",
    re.IGNORECASE,
)
# "a week ago", "nearly two months ago": counted back from publication (week or month precision).
_AGO = re.compile(
    r"\b(?:about |nearly |almost |some |around |over |more than )?(?P<count>a few|few|a|one|two|three|four|five|six|several|\d+)\s+"
    r"(?P<unit>weeks?|months?|years?)\s+ago\b",
    re.IGNORECASE,
)
# Words saying a span of time, not a day: such sentences report totals.
SPAN_WORDS = re.compile(
    # ("over the past 24 hours" is one day's operations, as a day is)
    r"\b(?:since|(?:over|in|during|within) the (?:past|last)(?! 24 hours| twenty-four hours)|in recent (?:days|weeks|months)|"
    r"so far this year|this year|last year|every (?:day|week)|past (?:two|three|few|several) (?:days|weeks|months)|"
    # "300 civilians in three weeks", "over two days of fighting", "the first half of the year": totals.
    r"(?:in|over|within|during) (?:the )?(?:a|two|three|four|five|six|several|few|\d+) (?:days|weeks|months)|"
    r"(?:first|second) half of (?:the|this|last) year|"
    # "so far this year" is a tally; "strikes two days ago and so far 45 rebels have been killed" is
    # the toll of one operation.
    r"so far(?!\s+(?:at least\s+)?\d)|"
    # "a weeklong battle", "days-long fighting", "for the past two days": fighting over a span, not one day's event.
    r"week-?long|days-long|months-long|for the (?:past|last)|"
    # "battles that raged for three days", "in last one month": fighting over a span, or a tally.
    r"(?:raged|lasted|continued|went on|dragged on)\s+for\s+(?:\w+\s+)?(?:days|weeks|months)|"
    r"in (?:the )?(?:past|last) (?:one |two |three |few |several )?(?:days?|weeks?|months?|years?)|"
    # "The bombing occurred days after the Taliban attacked Baghlan": earlier events, undated.
    r"(?:comes?|came|occurred|happened|took place)\s+(?:just\s+|only\s+)?(?:days|weeks|months)\s+after|"
    # "killed in recent Afghan air strikes": many events, told together.
    r"recent (?:\w+ )?(?:air ?strikes|airstrikes|attacks|clashes|fighting|violence|operations|bombings))\b",
    re.IGNORECASE,
)


# "the deadliest attack since the deal was signed": a comparison, not fighting since a day.
_SUPERLATIVE = re.compile(r"\b(?:\w{3,}est|worst|first|most \w+|biggest)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


def is_span(text):
    """Whether a text tells a span of time ("since Saturday", "over the past week"), so totals, not one
    day's event; "the deadliest attack since ..." compares, and is no span."""
    return any(
        not (hit.group().lower() == "since" and _SUPERLATIVE.search(text[max(0, hit.start() - 40) : hit.start()]))
        for hit in SPAN_WORDS.finditer(text)
    )


@functools.lru_cache(maxsize=8192)  # a sentence is read several times (clauses, merges)
def resolve_date(text, published, previous=None):
    """Return ``(date, precision)`` for the first date words of a sentence, or None.

    Parameters
    ----------
    text : str
        The sentence.
    published : datetime.date
        The article's publication date.
    previous : datetime.date, optional
        The last date resolved earlier in the article ("two days later").

    Returns
    -------
    tuple of (datetime.date, int) or None
        The day and ACLED's time precision (1 day, 2 week, 3 month).
    """
    found = _dates_in(text, published, previous)
    if not found:
        return None
    told = [_is_report_date(text, item[0]) for item in found]
    _, day, precision = min(found, key=lambda item: (told[found.index(item)], item[0]))
    return day, precision


@functools.lru_cache(maxsize=8192)
def last_date(text, published, previous=None):
    """Return ``(date, precision)`` of the last date words of a sentence that say when something
    happened (not when it was said), or None: the day a following sentence goes on about
    ("Kohistan fell on Thursday and was retaken on Saturday. The Taliban were also pushed back in
    Teshkan")."""
    found = [item for item in _dates_in(text, published, previous) if not _is_report_date(text, item[0])]
    return max(found, key=lambda item: item[0])[1:] if found else None


# "the election is slated for September 28", "talks will resume on Monday": a day still to come
# is no event's day (read as the last such day it would put the event a year back).
_FUTURE_BEFORE = re.compile(
    r"\b(?:slated|scheduled|set|planned|due|expected|postponed|delayed|rescheduled|will (?:\w+ ){0,3}?\w+|"
    r"(?:is|are) to (?:\w+ ){0,2}?\w+)\s+(?:for|on|until|till|by|to)?\s*(?:next\s+)?$",
    re.IGNORECASE,
)


def _is_future(text, position):
    return bool(_FUTURE_BEFORE.search(text[max(0, position - 40) : position]))


@functools.lru_cache(maxsize=8192)
def _dates_in(text, published, previous):
    """Every date of a sentence as ``(position, date, precision)``."""
    found = []
    for pattern in _CALENDAR:
        for match in pattern.finditer(text):
            day = _calendar_day(match, published)
            if day is not None and not _is_future(text, match.start()):
                found.append((match.start(), day, 1))
    for match in _MONTH_YEAR.finditer(text):
        found.append((match.start(), _mid_month(match, published), 3))
    for match in _WEEKDAY.finditer(text):
        if not _is_future(text, match.start()):
            found.append((match.start(), _last_weekday(match.group("weekday").lower(), published), 1))
    for pattern, days, precision in _RELATIVE:
        for match in pattern.finditer(text):
            found.append((match.start(), published + dt.timedelta(days=days), precision))
    for match in _LATER.finditer(text):
        found.append((match.start(), *_counted(match, published, previous)))
    for match in _AGO.finditer(text):
        count = match.group("count").lower()
        number = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        unit = match.group("unit").lower()
        # ("a few years ago": background, dated only to be left out as an event)
        days, precision = {"w": (7 * number, 2), "m": (30 * number, 3), "y": (365 * number, 3)}[unit[0]]
        found.append((match.start(), published - dt.timedelta(days=days), precision))
    return tuple(found)


# "officials said Sunday", "a spokesman told AFP on Monday", "the ministry said in a statement on Friday".
_SPOKEN_BEFORE = re.compile(
    r"\b(?:said|says|told|announced|confirmed|reported|added|stated|claimed|tweeted|informed)"
    r"(?:\s+(?:[A-Z][\w.]*|in a statement|to (?:the )?(?:[A-Z]\w*|reporters|journalists|media))){0,3}?"
    r"\s+(?:on\s+|late\s+|early\s+)?$"
)
# "LASHKAR GAH, Afghanistan, Sept. 23 (Xinhua) --": the wire's dateline.
_DATELINE_AFTER = re.compile(r"^[^()\n]{0,12}\((?:Xinhua|AFP|AP|Reuters|IANS|dpa|Pajhwok|AA)\)", re.IGNORECASE)


@functools.lru_cache(maxsize=8192)  # a sentence is read several times (clauses, merges)
def is_reported(text):
    """Whether every date word of a sentence says when something was said ("officials said
    Sunday"), so the event's own day is not given."""
    positions = _date_positions(text)
    return bool(positions) and all(_is_report_date(text, position) for position in positions)


def _date_positions(text):
    patterns = [*_CALENDAR, _MONTH_YEAR, _WEEKDAY, *(pattern for pattern, _, _ in _RELATIVE), _LATER]
    return [match.start() for pattern in patterns for match in pattern.finditer(text)]


def _is_report_date(text, position):
    """Whether the date words at `position` say when something was said, not when it happened."""
    return bool(_SPOKEN_BEFORE.search(text[max(0, position - 50) : position])) or bool(
        _DATELINE_AFTER.match(text[position : position + 30])
    )


def _calendar_day(match, published):
    month = _MONTHS[match.group("month").lower().rstrip(".")]
    year = int(match.group("year")) if match.group("year") else published.year
    try:
        day = dt.date(year, month, int(match.group("day")))
    except ValueError:
        return None
    if not match.group("year") and day > published + dt.timedelta(days=1):
        if (day - published).days <= settings.extract_future_days:
            return None  # "the election on Sept. 28" in a report of Sept. 23: a day to come, no event's day
        day = day.replace(year=year - 1) if not (month == 2 and day.day == 29) else None
    return day


def _mid_month(match, published):
    month = _MONTHS[match.group("month").lower().rstrip(".")]
    year = int(match.group("year")) if match.group("year") else published.year
    day = dt.date(year, month, 15)
    if not match.group("year") and day > published:
        day = day.replace(year=year - 1)
    return day


def _last_weekday(name, published):
    back = (published.weekday() - _WEEKDAYS.index(name)) % 7
    return published - dt.timedelta(days=back)


_COMES_AFTER = re.compile(r"\b(?:comes?|came|follows?|followed)\s+(?:just\s+|only\s+)?$", re.IGNORECASE)


def _counted(match, published, previous):
    if match.group("next"):
        return (previous or published) + dt.timedelta(days=1), 2
    if match.group("before"):
        return (previous or published) - dt.timedelta(days=1), 2
    count = match.group("count").lower()
    days = int(count) if count.isdigit() else _NUMBER_WORDS[count]
    way = match.group("way").lower()
    if way == "ago":
        return published - dt.timedelta(days=days), 2
    sign = 1 if way.startswith(("later", "after")) else -1
    if _COMES_AFTER.search(match.string[max(0, match.start() - 30) : match.start()]):
        sign = -1  # "the assault comes one day after soldiers shot a colonel": the shooting was earlier
    return (previous or published) + dt.timedelta(days=sign * days), 2
