"""geo extract: incident and control-claim records proposed from news articles.

One module per step: :mod:`.sentences` (split with offsets), :mod:`.places`
(gazetteer names, the geocoder), :mod:`.dates` (relative to publication),
:mod:`.events` (ACLED kinds, actors), :mod:`.fatalities` (ACLED's
conservative counts), :mod:`.claims` (status, claimant), :mod:`.pipeline`
(sentences to merged records) and :mod:`.review` (the review page).

Public functions:

* :func:`extract_text` for one text in memory;
* :func:`extract_files` for files or folders, writing ``incidents.csv``,
  ``claims.csv`` and ``review.html``;
* :func:`district_in_notes` for dataset events placed only by province
  (the imports: ``placed_by = "notes"``).

Everything runs offline on rules over the gazetteer; nothing is downloaded.
"""

import datetime as dt
from pathlib import Path

import pandas as pd

from .. import articles as articles_stage
from .._files import write_text_atomic
from ..errors import InputError
from ..records import write_table
from ..schema import CLAIM_COLUMNS, INCIDENT_COLUMNS
from .pipeline import read_article
from .places import district_in_notes
from .review import review_page

__all__ = ["district_in_notes", "extract_files", "extract_text", "find_texts"]


def extract_text(text, published, *, source_file, source="", url=""):
    """Propose records for one article file's text.

    A file holding several articles (a compilation with dated headers, as
    :mod:`geo.articles` reads them) is read article by article, each with its
    own header date; `published` is used where a header has none.

    Parameters
    ----------
    text : str
    published : datetime.date
    source_file : str
        The file name the records cite.
    source, url : str, optional
        The outlet and the article's link.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Incidents and claims in geo's record columns, as strings.
    """
    found = articles_stage.articles_in_text(source_file, text)
    if len(found) > 1:
        spans = [(article.start, article.end) for article in found]
        dates = [article.published or published for article in found]
    else:
        spans, dates = [(0, len(text))], [published]
    titles = [article.title for article in found] if len(found) > 1 or (found and found[0].title) else None
    # Records must name their source: the outlet given, the header's, or the file.
    sources = [source or article.outlet or source_file for article in found] if len(found) > 1 else None
    source = source or (found[0].outlet if len(found) == 1 else "") or source_file
    return read_article(
        text, dates, source_file=source_file, spans=spans, source=sources or source, url=url, titles=titles
    )


def find_texts(paths):
    """Return the article files named: ``*.txt`` files, and those inside folders, sorted."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(path.glob("*.txt"))
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    if not files:
        raise InputError("no article files (*.txt) given")
    return files


def extract_files(paths, published, out_dir, *, source="", url=""):
    """Propose records for articles and write them into `out_dir`.

    Writes ``incidents.csv`` and ``claims.csv`` (geo's record format, each
    record citing its file and passage) and ``review.html``; each written
    whole or not at all.

    Parameters
    ----------
    paths : list of path-like
        Article files (plain text: headline, then body) or folders of them.
    published : datetime.date
        Publication date.
    out_dir : path-like
    source, url : str, optional

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The incidents and claims written.
    """
    if not isinstance(published, dt.date):
        raise InputError(f"publication date must be a date, not {published!r}")
    texts = {path.name: articles_stage.read_text(path) for path in find_texts(paths)}
    found = [extract_text(text, published, source_file=name, source=source, url=url) for name, text in texts.items()]
    incidents = pd.concat([pair[0] for pair in found], ignore_index=True)
    claims = pd.concat([pair[1] for pair in found], ignore_index=True)
    page = review_page(texts, incidents, claims)  # everything made before anything is written
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_table(incidents, out_dir / "incidents.csv", INCIDENT_COLUMNS)
    write_table(claims, out_dir / "claims.csv", CLAIM_COLUMNS)
    write_text_atomic(out_dir / "review.html", page)
    return incidents, claims
