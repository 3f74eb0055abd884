"""Step 8 of the extractor: the review page, the article beside its proposed records.

The page is built from escaped strings and one JSON block, never a template
engine: article text is data. Each record's passage is a highlighted ``<mark>``
in the article (overlapping passages are cut at each other's edges), linked
to its row in the table beside it; clicking either shows the other.
"""

import html
import itertools

from .._script_json import script_json

_STYLE = """
body{font:14px/1.5 system-ui,sans-serif;margin:0;display:flex;height:100vh}
#article{flex:1;overflow:auto;padding:1em 2em;white-space:pre-wrap;border-right:1px solid #ccc}
#records{flex:1;overflow:auto;padding:1em}
mark{background:#fde68a;cursor:pointer}mark.claim{background:#bfdbfe}mark.active,tr.active{outline:2px solid #dc2626}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:2px 4px;vertical-align:top;font-size:12px}
"""
_SCRIPT = """
document.addEventListener('click', function (event) {
  var id = event.target.dataset && event.target.dataset.record;
  if (!id) { var row = event.target.closest('tr[data-record]'); id = row && row.dataset.record; }
  if (!id) return;
  document.querySelectorAll('.active').forEach(function (node) { node.classList.remove('active'); });
  document.querySelectorAll('[data-record="' + CSS.escape(id) + '"]').forEach(function (node) {
    node.classList.add('active'); node.scrollIntoView({block: 'nearest'});
  });
});
"""
INCIDENT_FIELDS = [
    "event_id",
    "event_date",
    "time_precision",
    "sub_event_type",
    "actor1",
    "actor2",
    "location",
    "admin2",
    "admin1",
    "fatalities",
]
CLAIM_FIELDS = ["claim_id", "date", "district", "province", "status", "claimant"]


def review_page(texts, incidents, claims, *, title="geo extract: review"):
    """Return the review page as HTML text.

    Parameters
    ----------
    texts : dict of str to str
        Each article file's name and text.
    incidents, claims : pandas.DataFrame
        The proposed records (record columns as strings).
    title : str

    Returns
    -------
    str
    """
    passages = _passages(incidents, "event_id", "incident") + _passages(claims, "claim_id", "claim")
    articles = "".join(
        f"<h2>{html.escape(name)}</h2><div class='text'>{_marked(text, [p for p in passages if p[0] == name])}</div>"
        for name, text in texts.items()
    )
    tables = _table(incidents, INCIDENT_FIELDS, "event_id", "Incidents") + _table(
        claims, CLAIM_FIELDS, "claim_id", "Claims"
    )
    # No record text can close the script block or open a comment in it (geo._script_json).
    data = script_json({"incidents": incidents.to_dict("records"), "claims": claims.to_dict("records")})
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<div id='article'>{articles}</div><div id='records'>{tables}</div>"
        f"<script type='application/json' id='records-data'>{data}</script><script>{_SCRIPT}</script></body></html>"
    )


def _passages(frame, id_column, kind):
    return [
        (row["source_file"], int(row["source_start"]), int(row["source_end"]), row[id_column], kind)
        for _, row in frame.iterrows()
        if row["source_start"] != ""
    ]


def _marked(text, passages):
    """The text with each passage in a <mark>, cut where passages overlap."""
    edges = sorted({0, len(text), *(p[1] for p in passages), *(p[2] for p in passages)})
    pieces = []
    for start, end in itertools.pairwise(edges):
        covering = [p for p in passages if p[1] <= start and end <= p[2]]
        piece = html.escape(text[start:end])
        if covering:
            record, kind = covering[-1][3], covering[-1][4]
            titles = html.escape(", ".join(p[3] for p in covering), quote=True)
            piece = (
                f"<mark class='{kind}' data-record='{html.escape(record, quote=True)}' title='{titles}'>{piece}</mark>"
            )
        pieces.append(piece)
    return "".join(pieces)


def _table(frame, fields, id_column, heading):
    head = "".join(f"<th>{html.escape(field)}</th>" for field in fields)
    rows = "".join(
        f"<tr data-record='{html.escape(row[id_column], quote=True)}'>"
        + "".join(f"<td>{html.escape(str(row[field]))}</td>" for field in fields)
        + "</tr>"
        for _, row in frame.iterrows()
    )
    return f"<h2>{html.escape(heading)} ({len(frame)})</h2><table><tr>{head}</tr>{rows}</table>"
