"""Pinned JavaScript and CSS libraries, inlined so a map is one offline file.

Folium links its libraries from public CDNs. Analysts open maps without
internet access and mail them as a single file, so by default every script and
stylesheet is copied into the page instead. The page uses one library,
Leaflet 1.9.3 (the version folium 0.20 links); its files come from the PyPI
package ``xstatic-leaflet`` (pinned in ``pyproject.toml``), which ``pip
install`` puts beside geo: no npm, no Node, no download at build time. Each
file's sha256 is pinned below and checked before it is inlined, so a changed
package is refused rather than mailed to someone.

:func:`inline_assets` rewrites the HTML folium renders: each ``<script
src=...>`` and ``<link rel="stylesheet" href=...>`` becomes an inline
``<script>`` or ``<style>`` holding the pinned file, and the images the
stylesheet refers to become ``data:`` URIs. Map tiles are the only thing left
on the internet.

Attributes
----------
LEAN_MAP_JS, LEAN_MAP_CSS : tuple of (str, str)
    The ``(name, url)`` pairs a map keeps from ``folium.Map.default_js`` and
    ``default_css``: Leaflet alone. Use ``list(LEAN_MAP_JS)`` when assigning
    to a folium class, since folium's ``add_js_link`` edits the list in place.
"""

import base64
import hashlib
import html
import importlib
import json
import re
from pathlib import Path, PurePosixPath

from geo.errors import AssetError

LEAFLET_JS_URL = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
LEAFLET_CSS_URL = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"
LEAN_MAP_JS = (("leaflet", LEAFLET_JS_URL),)
LEAN_MAP_CSS = (("leaflet_css", LEAFLET_CSS_URL),)

# The Python package shipping the files, and its folder of them.
_PACKAGE = "xstatic.pkg.leaflet"
_LABEL = "leaflet@1.9.3 (PyPI xstatic-leaflet 1.9.3.0)"

# Every file the page may inline -> sha256, as shipped by xstatic-leaflet 1.9.3.0.
PINNED_SHA256 = {
    "leaflet.js": "5819285cec137b229c94e1ee5ad73e8b6b84345a4367d60f75fe477fe0fb7b03",
    "leaflet.css": "90b693d86392a4779c861b28cf307e7e59c3fb35328c4d8b95f58f814d38c722",
    "images/layers.png": "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
    "images/layers-2x.png": "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
    "images/marker-icon.png": "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
    "images/marker-icon-2x.png": "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528",
    "images/marker-shadow.png": "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da",
}

# Every URL a map may link -> the file of the package that replaces it.
_CDN_FILES = {LEAFLET_JS_URL: "leaflet.js", LEAFLET_CSS_URL: "leaflet.css"}

# Leaflet finds its default marker images by reading a path out of
# leaflet.css; a data: URI defeats that, so the images are given directly.
_LEAFLET_ICONS = {
    "iconUrl": "images/marker-icon.png",
    "iconRetinaUrl": "images/marker-icon-2x.png",
    "shadowUrl": "images/marker-shadow.png",
}

# A comment, a whole <script>/<style> element, or a <link> tag. Matching whole
# elements means tag-like text inside a script or style is never touched.
_ELEMENT_RE = re.compile(
    r"<!--.*?-->"
    r"|<(?P<raw>script|style)\b(?P<raw_attrs>[^>]*)>(?P<body>.*?)</(?P=raw)\s*>"
    r"|<link\b(?P<link_attrs>[^>]*)>",
    re.IGNORECASE | re.DOTALL,
)
_ATTR_RE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_CSS_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
_SOURCE_MAP_RE = re.compile(r"^[ \t]*//[#@] sourceMappingURL=[^\r\n]*$|/\*[#@] sourceMappingURL=[^*]*\*/", re.MULTILINE)


def package_dir():
    """Return the folder of Leaflet's files installed by ``xstatic-leaflet``.

    Raises
    ------
    AssetError
        If the package is not installed.
    """
    try:
        module = importlib.import_module(_PACKAGE)
    except ImportError as error:
        raise AssetError(
            "cannot inline the map's libraries: the Python package xstatic-leaflet is not installed; "
            "reinstall geo with pip, or build with --cdn"
        ) from error
    return Path(module.BASE_DIR)


def read_pinned(path):
    """Return the bytes of a pinned file, checked against its sha256.

    Raises
    ------
    AssetError
        If the file is not pinned, missing, or its checksum differs.
    """
    expected = PINNED_SHA256.get(path)
    if expected is None:
        raise AssetError(f"cannot inline {path}: not one of the pinned library files")
    file = package_dir() / path
    try:
        data = file.read_bytes()
    except OSError as error:
        raise AssetError(
            f"cannot inline {path}: {file} unreadable ({error.strerror or error}); reinstall geo"
        ) from error
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise AssetError(f"cannot inline {path}: {file} has sha256 {actual}, not the pinned {expected}; reinstall geo")
    return data


def inline_assets(html_text):
    """Replace the CDN scripts and stylesheets in a folium page with inline copies.

    Parameters
    ----------
    html_text : str
        A page rendered by folium.

    Returns
    -------
    str
        The same page with each ``<script src=...>`` replaced by an inline
        ``<script>`` and each ``<link rel="stylesheet" href=...>`` by a
        ``<style>``, holding the pinned copy of the file; the stylesheet's
        images become ``data:`` URIs. A file linked twice is inlined once.

    Raises
    ------
    AssetError
        If a script or stylesheet has no pinned copy (the URL is named), or
        the pinned files are missing or changed.
    """
    elements = list(_ELEMENT_RE.finditer(html_text))
    for match in elements:
        asset = _linked_asset(match)
        if asset is not None:
            _pinned_file(asset[1])  # Fail on an unknown URL before reading anything.
    done = set()
    parts = []
    last = 0
    for match in elements:
        asset = _linked_asset(match)
        if asset is None:
            continue
        parts.append(html_text[last : match.start()])
        last = match.end()
        path = _pinned_file(asset[1])
        if path not in done:
            done.add(path)
            parts.append(_inline_element(asset[0], path))
    parts.append(html_text[last:])
    return "".join(parts)


def _inline_element(kind, path):
    text = _SOURCE_MAP_RE.sub("", read_pinned(path).decode("utf-8-sig"))
    if kind == "script":
        return f"<script>/* {_LABEL} {path} */\n{script_safe(text)}\n</script>" + _leaflet_icon_script()
    css = _CSS_URL_RE.sub(_css_data_uri, text)
    return f"<style>/* {_LABEL} {path} */\n{_style_safe(css)}\n</style>"


def _linked_asset(match):
    """Return ("script" or "style", url) if `match` links an external file, else None."""
    if match.group("raw"):
        if match.group("raw").lower() != "script":
            return None
        kind, url = "script", _attributes(match.group("raw_attrs")).get("src")
    elif match.group("link_attrs") is not None:
        attrs = _attributes(match.group("link_attrs"))
        if "stylesheet" not in attrs.get("rel", "").lower().split():
            return None
        kind, url = "style", attrs.get("href")
    else:
        return None  # A comment.
    if url is None or url.strip().lower().startswith("data:"):
        return None  # Inline already.
    return kind, url.strip()


def _attributes(text):
    """Parse an HTML tag's attributes into a dict of lower-case name -> value."""
    attrs = {}
    for name, double, single, bare in _ATTR_RE.findall(text):
        attrs.setdefault(name.lower(), html.unescape(double or single or bare))
    return attrs


def _pinned_file(url):
    """Return the pinned file replacing a CDN `url`, or raise AssetError."""
    key = "https:" + url if url.startswith("//") else url
    try:
        return _CDN_FILES[key]
    except KeyError:
        raise AssetError(
            f"cannot inline {url}: no pinned copy of this library for offline maps; build with --cdn"
        ) from None


def _data_uri(path):
    media_type = {".png": "image/png"}.get(PurePosixPath(path).suffix.lower())
    if media_type is None:
        raise AssetError(f"cannot inline {path}: not an image the page can embed")
    return f"data:{media_type};base64,{base64.b64encode(read_pinned(path)).decode('ascii')}"


def _css_data_uri(match):
    """A stylesheet's url(images/...) as a data: URI; VML behaviours and anchors kept."""
    ref = next(group for group in match.groups() if group is not None)
    if not ref or ref.startswith(("data:", "#")):
        return match.group(0)
    return f'url("{_data_uri(str(PurePosixPath(ref)))}")'


def _leaflet_icon_script():
    """Return a <script> giving Leaflet's default marker its images as data: URIs."""
    options = {option: _data_uri(path) for option, path in _LEAFLET_ICONS.items()}
    return (
        "\n<script>/* geo: Leaflet's default marker images, inlined */\n"
        'L.Icon.Default.imagePath = "";\n'
        f"L.Icon.Default.mergeOptions({json.dumps(options, sort_keys=True)});\n"
        "</script>"
    )


def script_safe(js):
    """Escape what would end or derail a <script> element early.

    ``</script`` becomes ``<\\/script`` and ``<!--`` becomes ``\\x3C!--``;
    both mean the same inside the JavaScript strings, regular expressions and
    comments where such text occurs.
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "\\x3C!--")


def _style_safe(css):
    """Escape ``</style`` so a stylesheet cannot end its <style> element early."""
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
