"""The service's own HTML: a page shell and tables, every value escaped.

No template engine is used: each value passes through
:func:`geo.serve._safety.text` as it is placed, so record text (a note
holding ``<script>`` or ``{{7*7}}``) is shown as the characters it is. Pages
are served with a Content Security Policy that runs no script.
"""

from starlette.responses import HTMLResponse

from ._safety import PAGE_POLICY, text

STYLE = (
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top;text-align:left}"
    "code{background:#f4f4f4;padding:0 .25em}"
)


def page(title, body, status=200):
    """An HTML response: `title` is escaped here; `body` must already be safe HTML."""
    document = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{text(title)}</title><style>{STYLE}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
    return HTMLResponse(document, status_code=status, headers={"content-security-policy": PAGE_POLICY})


def link(href, label):
    return f'<a href="{text(href)}">{text(label)}</a>'


def properties_table(properties):
    """A two-column table of one feature's properties."""
    rows = "".join(f"<tr><th>{text(name)}</th><td>{text(value)}</td></tr>" for name, value in properties.items())
    return f"<table>{rows}</table>"


def features_table(features, columns):
    """One row per feature, the given property columns."""
    head = "".join(f"<th>{text(column)}</th>" for column in ["id", *columns])
    rows = "".join(
        "<tr>"
        + f"<td>{text(feature['id'])}</td>"
        + "".join(f"<td>{text(feature['properties'].get(column))}</td>" for column in columns)
        + "</tr>"
        for feature in features
    )
    return f"<table><tr>{head}</tr>{rows}</table>"
