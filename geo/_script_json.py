"""JSON for an HTML ``<script>`` element: the one way record text enters a page's script."""

import json

_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value):
    """Return `value` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>``, ``&`` and the line separators U+2028/U+2029 are written as
    ``\\uXXXX`` escapes, so no text can close the element (``</script>``),
    open a comment (``<!--``) or end a JavaScript line; JSON reads them back
    as the same characters.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, sort_keys=True)
    return text.translate(_SCRIPT_ESCAPES)
