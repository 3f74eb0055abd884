"""The source articles: find each article in the seed text files and read its header.

A seed file holds one article, or (a compilation) several separated by runs of
blank lines. Each article starts with a short header: a title line, usually a
byline ("by AUTHOR" or "news agencies"), the outlet and a date line. Dates come
in many forms ("sep. 14, 2019", "29 Jun 2019", "September 6, 2019 (3 days
ago)", " date 2019-08-06"); a header without a readable date gives
``published = None`` and is reported, never guessed from dates in the body.

Records cite articles by file name and character offsets (Python ``str``
indices into the file read as UTF-8), which is what :class:`Article` spans use.
"""

import datetime as dt
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError

# Four or more blank lines separate the articles of a compilation (lines may
# end "\r\n": read_text keeps the "\r").
_ARTICLE_BREAK = re.compile(r"\n(?:[ \t\u00a0]*\r?\n){4,}")
_BYLINE = re.compile(r"^(?:by\s+(?P<author>.+)|(?P<agencies>news agencies))$", re.IGNORECASE)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# A header date stands at the start of its line: "date 2019-08-06 ...",
# "Sept. 9, 2019", "29 Jun 2019 Japan Times", "september 29, 2019 (sunday)".
_DATE_PATTERNS = [
    re.compile(r"^(?:date\s+)?(?P<year>\d{4})-(?P<month_number>\d{2})-(?P<day>\d{2})\b", re.IGNORECASE),
    re.compile(rf"^{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"^(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
]
# Lines longer than this are body text, not header lines.
_HEADER_LINE_MAX = 100
_HEADER_LINES = 12
_OUTLET_MAX = 60
_REPUBLISHED = re.compile(r"originally\s+published\s+by\s+(?P<outlet>.+?)(?:\s+and\s+|\.|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """One article of a seed file.

    Attributes
    ----------
    source_file : str
        The seed file's name.
    start, end : int
        Character span of the article within the file.
    title, outlet, author : str
        From the header; empty when the header does not say.
    published : datetime.date or None
        The publication date, or None when the header has no readable date.
    date_text : str
        The header line the date was read from (empty when none).
    """

    source_file: str
    start: int
    end: int
    title: str
    outlet: str
    author: str
    published: dt.date | None
    date_text: str


def read_text(path):
    """Return a seed file's text exactly as offsets count it.

    Raises
    ------
    InputError
        The file is missing or not UTF-8.
    """
    path = Path(path)
    try:
        # newline="" keeps "\r\n" as two characters, as other tools count them.
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start})") from None


def find_articles(path):
    """Return the articles of one seed file, in file order.

    Parameters
    ----------
    path : path-like
        A seed text file.

    Returns
    -------
    list of Article
    """
    path = Path(path)
    return articles_in_text(path.name, read_text(path))


def articles_in_text(source_file, text):
    """Return the articles of a seed file's text (see :func:`find_articles`)."""
    return [_read_header(source_file, text, start, end) for start, end in _article_spans(text)]


def index_articles(paths):
    """Return a DataFrame of the articles of several seed files.

    Parameters
    ----------
    paths : iterable of path-like
        Seed files; folders are expanded to their ``*.txt`` files.

    Returns
    -------
    pandas.DataFrame
        One row per article with the :class:`Article` fields as columns.
    """
    rows = [asdict(article) for path in seed_files(paths) for article in find_articles(path)]
    return pd.DataFrame(rows, columns=list(Article.__dataclass_fields__))


def seed_files(paths):
    """Expand folders to their sorted ``*.txt`` files; keep files as given."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(path.glob("*.txt")))
        elif path.exists():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def article_at(articles, source_file, offset):
    """Return the article of `source_file` whose span holds `offset`, or None."""
    for article in articles:
        if article.source_file == source_file and article.start <= offset < article.end:
            return article
    return None


def _article_spans(text):
    spans = []
    position = 0
    for match in [*_ARTICLE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((position + lead, position + len(chunk.rstrip())))
        position = match.end() if match else end
    return spans


def _read_header(source_file, text, start, end):
    lines = [line.strip() for line in text[start:end].splitlines()]
    header = _header_lines(lines)
    published, date_text, outlet_after_date = _find_date(header)
    byline_at = next((i for i, line in enumerate(header) if _BYLINE.match(line)), None)
    if byline_at is not None:
        title = header[0] if byline_at > 0 else ""
        byline = _BYLINE.match(header[byline_at])
        author = (byline.group("author") or "").strip()
        outlet = next(
            (
                line
                for line in header[byline_at + 1 : byline_at + 2]
                if len(line) <= _OUTLET_MAX and not _is_date_line(line)
            ),
            outlet_after_date,
        )
    else:
        title = _untitled_header_title(header)
        author = ""
        outlet = outlet_after_date or _republished_outlet(text[start:end])
    return Article(source_file, start, end, _clean(title), _clean(outlet), _clean(author), published, date_text)


def _header_lines(lines):
    """Non-empty lines up to and including the first line of body text.

    A long line ends the header once a byline or date has been seen (before
    that it is a subtitle), or when it is the second long line.
    """
    header = []
    long_lines = 0
    for line in filter(None, lines):
        header.append(line)
        if len(line) > _HEADER_LINE_MAX:
            long_lines += 1
            seen_header_marks = any(_BYLINE.match(seen) or _is_date_line(seen) for seen in header)
            if seen_header_marks or long_lines > 1:
                break
        if len(header) >= _HEADER_LINES:
            break
    return header


def _find_date(header):
    for line in header:
        parsed = _parse_date_prefix(line)
        if parsed is not None:
            published, rest = parsed
            outlet = "" if rest.startswith("(") or len(rest) > 40 else rest
            return published, line[: len(line) - len(rest)].strip(), outlet
    return None, "", ""


def _parse_date_prefix(line):
    """Return (date, rest of line) when `line` starts with a date, else None."""
    for pattern in _DATE_PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        fields = match.groupdict()
        month = int(fields["month_number"]) if fields.get("month_number") else _MONTHS[fields["month"].lower()]
        try:
            return dt.date(int(fields["year"]), month, int(fields["day"])), line[match.end() :].strip()
        except ValueError:
            return None
    return None


def _is_date_line(line):
    return _parse_date_prefix(line) is not None


def _untitled_header_title(header):
    """Without a byline, the title is the longest short header line that is
    not a sentence (titles carry no closing punctuation) nor a date."""
    candidates = [
        line
        for line in header
        if len(line) <= _HEADER_LINE_MAX and not line.endswith((".", "!", "?")) and not _is_date_line(line)
    ]
    return max(candidates, key=len, default="")


def _republished_outlet(body):
    match = _REPUBLISHED.search(body[:2000])
    return match.group("outlet") if match else ""


def _clean(value):
    return " ".join(value.replace("\u00a0", " ").split())
