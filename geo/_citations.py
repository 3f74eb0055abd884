"""Readable citations for records: outlet, headline and date of the article.

A record cites a passage of a seed file by name and character offsets, which
machines follow and people cannot. Where the seed articles are at hand
(``settings.articles_dir``), the passage's article gives the outlet, the
headline and the publication date; otherwise the record's own ``source`` is
shown. A record citing a dataset reads as the dataset and its event id.
"""

import functools

import pandas as pd

from . import articles, settings
from .errors import InputError


@functools.lru_cache(maxsize=4)
def _article_index(folder):
    try:
        return articles.index_articles([folder])
    except (InputError, OSError):  # the articles are optional: without them the record's source is shown
        return pd.DataFrame(columns=["source_file", "start", "end", "title", "outlet", "published"])


def readable_citations(frame):
    """Return one readable citation per record of `frame`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Incidents or claims: ``source``, ``source_file``, ``source_start``,
        optionally ``dataset`` and ``event_id``.

    Returns
    -------
    pandas.Series of str
        e.g. ``Long War Journal: "Taliban overrun Darqad district", 2019-09-11``
        (the record's ``source``, then the article's outlet where it differs,
        headline and date), or the record's ``source`` alone where its
        article is not known.
    """
    source = _column(frame, "source")
    citation = source.copy()
    dataset = _column(frame, "dataset")
    has_dataset = dataset != ""
    citation[has_dataset] = dataset[has_dataset] + ", event " + _column(frame, "event_id")[has_dataset]
    folder = settings.articles_dir
    if not len(frame) or folder is None or not folder.is_dir():
        return citation
    index = _article_index(str(folder))
    wanted = pd.DataFrame(
        {
            "source_file": _column(frame, "source_file").to_numpy(),
            "start": pd.to_numeric(_column(frame, "source_start"), errors="coerce").astype(float).to_numpy(),
            "position": range(len(frame)),
        }
    )
    wanted = wanted[wanted["start"].notna() & ~has_dataset.to_numpy()].sort_values("start")
    articles_by_start = index.assign(start=index["start"].astype(float)).sort_values("start")
    found = pd.merge_asof(wanted, articles_by_start, on="start", by="source_file", direction="backward")
    found = found[found["end"].notna() & (found["start"] < found["end"])]
    for row in found.itertuples():  # one per record citing a known article; a cheap string join each
        citation.iloc[row.position] = _article_text(row, source.iloc[row.position])
    return citation


def _article_text(article, source):
    """``source: outlet, "headline", date``; the record's own source is always kept."""
    outlet = article.outlet if isinstance(article.outlet, str) else ""
    parts = [outlet] if outlet and outlet.casefold() != source.casefold() else []
    if isinstance(article.title, str) and article.title:
        parts.append(f"\u201c{article.title}\u201d")
    if article.published is not None and not pd.isna(article.published):
        parts.append(str(article.published))
    described = ", ".join(part for part in parts if part)
    return f"{source}: {described}" if source and described else source or described


def _column(frame, name):
    if name not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    values = frame[name]
    if isinstance(values.dtype, pd.StringDtype):  # already text: no Python object per cell
        return values.fillna("")
    return values.astype(object).where(values.notna(), "").astype(str)
