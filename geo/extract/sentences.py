"""Step 1 of the extractor: split an article into sentences with character offsets.

Offsets are Python ``str`` indices into the whole file, as records cite them
(:mod:`geo.articles`). A sentence ends at ``.``, ``!`` or ``?`` followed by
a space and a capital or a quote, unless the word before is an abbreviation
("Sept.", "Gen.", "U.S."); a blank line always ends one (headline, paragraphs).
"""

import re

import pandas as pd

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "sgt",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "u.s",
    "u.n",
    "u.k",
    "sen",
    "rep",
}
# A blank line, or a line break after a sentence's end (outlets that put paragraphs on single lines).
_PARAGRAPH = re.compile(r"\n[ \t\u00a0\r]*\n|(?<=[.!?\"”’'])[ \t\r]*\n")
_SENTENCE_END = re.compile(r"[.!?][\"”’']?(?=\s+[\"“‘']?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")

_BLANKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\u00a0": " "})

COLUMNS = ["start", "end", "paragraph", "text"]


def split_sentences(text, start=0, end=None):
    """Return the sentences of ``text[start:end]``.

    Parameters
    ----------
    text : str
        The whole file, so offsets are file offsets.
    start, end : int
        The article's span (default: the whole text).

    Returns
    -------
    pandas.DataFrame
        One row per sentence: ``start``, ``end`` (file offsets, end
        exclusive, surrounding blanks trimmed), ``paragraph`` (running number
        of the paragraph) and ``text``.
    """
    end = len(text) if end is None else end
    rows = []
    for paragraph, (first, last) in enumerate(_paragraphs(text, start, end)):
        for sentence_start, sentence_end in _sentences(text, first, last):
            # Line breaks and odd blanks inside a sentence read as spaces (one character for one, so
            # offsets into the sentence stay offsets into the file).
            rows.append((sentence_start, sentence_end, paragraph, text[sentence_start:sentence_end].translate(_BLANKS)))
    return pd.DataFrame(rows, columns=COLUMNS)


# A headline followed by the body after a single line break: a line with no end punctuation.
_HEADLINE = re.compile(r"[ \t]*[^\n]{1,300}?(?<![.!?:;,\"”’'])[ \t\r]*\n(?=[ \t]*\S)")


def _paragraphs(text, start, end):
    position = start
    headline = _HEADLINE.match(text, start, end)
    if headline:
        # ("Roadside bomb kills 6 in Laghman\nKABUL - ...": the headline is no part of the first sentence)
        yield start, headline.end() - 1
        position = headline.end()
    for match in _PARAGRAPH.finditer(text, start, end):
        yield position, match.start()
        position = match.end()
    yield position, end


def _sentences(text, first, last):
    position = first
    for match in _SENTENCE_END.finditer(text, first, last):
        before = _LAST_WORD.search(text, max(first, match.start() - 12), match.start() + 1)
        if before and before.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        yield from _trimmed(text, position, match.end())
        position = match.end()
    yield from _trimmed(text, position, last)


def _trimmed(text, start, end):
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + len(piece) - len(piece.lstrip())
        yield offset, offset + len(stripped)
