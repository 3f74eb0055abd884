"""Pinned JavaScript and CSS libraries, inlined so a map is one offline file.

Folium links its libraries from public CDNs. Analysts open maps without
internet access and mail them as a single file, so by default every script and
stylesheet is copied into the page instead. The copies come from npm, at the
exact versions folium 0.20 links, pinned by ``geo/js/package.json`` and
``geo/js/package-lock.json``; :func:`ensure_installed` installs them once per
lockfile into ``settings.cache_dir / "js"``.

:func:`inline_assets` then rewrites the HTML folium renders: each
``<script src=...>`` and ``<link rel="stylesheet" href=...>`` becomes an inline
``<script>`` or ``<style>`` holding the pinned file, and images and fonts that a
stylesheet refers to become ``data:`` URIs. Map tiles are the only thing left
on the internet.

Attributes
----------
LEAN_MAP_JS, LEAN_MAP_CSS : tuple of (str, str)
    The ``(name, url)`` pairs a map keeps from ``folium.Map.default_js`` and
    ``default_css``: Leaflet and jQuery, without Bootstrap, Font Awesome,
    Glyphicons or awesome-markers. Use ``list(LEAN_MAP_JS)`` when assigning to a
    folium class, since folium's ``add_js_link`` edits the list in place.
UNUSED_ASSET_NAMES : frozenset of str
    Names of folium assets a map never needs (highlight.js's stylesheet, which
    ``TimestampedGeoJson`` links, and the Bootstrap family ``folium.Map``
    links). Drop them before rendering; :func:`inline_assets` has no pinned
    copy of them and raises :class:`~geo.errors.AssetError`.
"""

import base64
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from geo import settings
from geo.errors import AssetError

# No script of the map uses jQuery (folium links it by default; the plugins
# and leaflet-timedimension are plain JavaScript), so it is left out.
LEAN_MAP_JS = (("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"),)
LEAN_MAP_CSS = (("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"),)

UNUSED_ASSET_NAMES = frozenset(
    {
        # TimestampedGeoJson's stylesheet for code highlighting; nothing uses it.
        "highlight.js_css",
        # jQuery and jQuery UI: linked by folium and TimestampedGeoJson, called by nothing.
        "jquery",
        "jquery3.7.1",
        "jqueryui1.10.2",
        # folium.Map's defaults that LEAN_MAP_JS / LEAN_MAP_CSS leave out.
        "bootstrap",
        "awesome_markers",
        "bootstrap_css",
        "glyphicons_css",
        "awesome_markers_font_css",
        "awesome_markers_css",
        "awesome_rotate_css",
    }
)

# The folder holding package.json and package-lock.json.
_JS_DIR = Path(__file__).resolve().parent / "js"
_NPM_CI = ("ci", "--ignore-scripts", "--no-audit", "--no-fund")
# Seconds `npm ci` may take before it is abandoned.
_NPM_TIMEOUT = 900

# Every URL folium links that a map may use -> (npm package, file in it).
# Stylesheets' remote url() references are looked up here too.
_CDN_FILES = {
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": ("leaflet", "dist/leaflet.js"),
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": ("leaflet", "dist/leaflet.css"),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": ("jquery", "dist/jquery.min.js"),
    # npm has no browser build of jQuery UI 1.10; jquery-ui-dist starts at 1.12.
    "https://cdnjs.cloudflare.com/ajax/libs/jqueryui/1.10.2/jquery-ui.min.js": (
        "jquery-ui-dist",
        "jquery-ui.min.js",
    ),
    # The npm package ships no .min.js (the CDN minifies on the fly).
    "https://cdn.jsdelivr.net/npm/iso8601-js-period@0.2.1/iso8601.min.js": ("iso8601-js-period", "iso8601.js"),
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.min.js": (
        "leaflet-timedimension",
        "dist/leaflet.timedimension.min.js",
    ),
    "https://cdn.jsdelivr.net/npm/leaflet-timedimension@1.1.1/dist/leaflet.timedimension.control.css": (
        "leaflet-timedimension",
        "dist/leaflet.timedimension.control.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/moment.js/2.18.1/moment.min.js": ("moment", "min/moment.min.js"),
    "https://d3js.org/d3.v4.min.js": ("d3", "build/d3.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        "leaflet.markercluster",
        "dist/leaflet.markercluster.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
        "leaflet.markercluster",
        "dist/MarkerCluster.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
        "leaflet.markercluster",
        "dist/MarkerCluster.Default.css",
    ),
    # leaflet.timedimension.control.css draws its play/pause/step buttons with
    # the Glyphicons font from Bootstrap 3.0's CDN; npm's oldest Bootstrap 3
    # build has the same glyphs at the same code points. Only the font is used.
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/fonts/glyphicons-halflings-regular.woff": (
        "bootstrap",
        "dist/fonts/glyphicons-halflings-regular.woff",
    ),
}

# Leaflet finds its default marker images by reading a path out of
# leaflet.css; a data: URI defeats that, so the images are given directly.
_LEAFLET_ICONS = {
    "iconUrl": "dist/images/marker-icon.png",
    "iconRetinaUrl": "dist/images/marker-icon-2x.png",
    "shadowUrl": "dist/images/marker-shadow.png",
}

# Fixed rather than from `mimetypes`, whose answers vary by platform.
_MEDIA_TYPES = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}

# Font formats a browser can use, best first; EOT and SVG fonts are dropped.
_FONT_FORMATS = ("woff2", "woff", "truetype", "opentype")
_FONT_FORMAT_BY_SUFFIX = {".woff2": "woff2", ".woff": "woff", ".ttf": "truetype", ".otf": "opentype"}

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
_FONT_FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}", re.IGNORECASE)
_FONT_SRC_RE = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)(?:\s*format\(\s*["']?([\w-]+)["']?\s*\))?""",
    re.IGNORECASE,
)
_SOURCE_MAP_RE = re.compile(r"^[ \t]*//[#@] sourceMappingURL=[^\r\n]*$|/\*[#@] sourceMappingURL=[^*]*\*/", re.MULTILINE)


def ensure_installed():
    """Install the pinned libraries if they are not installed yet.

    The packages are installed with ``npm ci`` into
    ``settings.cache_dir / "js" / <lockfile hash>``, once per lockfile. The
    install runs in a temporary folder that is renamed into place when it
    succeeds, so an interrupted install leaves nothing half-done.

    Returns
    -------
    pathlib.Path
        The ``node_modules`` folder holding the packages.

    Raises
    ------
    AssetError
        If npm is not installed, or ``npm ci`` fails or times out.
    """
    lockfile = (_JS_DIR / "package-lock.json").read_bytes()
    root = Path(settings.cache_dir) / "js"
    target = root / hashlib.sha256(lockfile).hexdigest()[:16]
    node_modules = target / "node_modules"
    if node_modules.is_dir():
        return node_modules

    npm = shutil.which("npm")
    if npm is None:
        raise AssetError(
            "cannot install the map's JavaScript libraries: npm not found; install Node.js, or build with --cdn"
        )
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=root))
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(_JS_DIR / name, staging / name)
        _run_npm_ci(npm, staging)
        if not (staging / "node_modules").is_dir():
            raise AssetError(
                f"cannot install the map's JavaScript libraries: npm ci created no node_modules in {staging}; "
                "check npm's configuration, or build with --cdn"
            )
        try:
            os.rename(staging, target)
        except OSError:
            # Another process finished the same install first; use its copy.
            if not node_modules.is_dir():
                raise
    except OSError as error:
        raise AssetError(
            f"cannot install the map's JavaScript libraries into {root}: {error}; "
            "check that the folder is writable (GEO_CACHE_DIR), or build with --cdn"
        ) from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return node_modules


def _run_npm_ci(npm, folder):
    """Run ``npm ci`` in `folder`; raise AssetError with npm's reason on failure."""
    try:
        result = subprocess.run(
            [npm, *_NPM_CI],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=_NPM_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssetError(
            f"cannot install the map's JavaScript libraries: npm ci took more than {_NPM_TIMEOUT} s; "
            "check the network or npm's registry setting, or build with --cdn"
        ) from None
    if result.returncode != 0:
        raise AssetError(
            f"cannot install the map's JavaScript libraries: npm ci failed ({_npm_reason(result.stderr)}); "
            "check the network or npm's registry setting, or build with --cdn"
        )


def _npm_reason(stderr):
    """Return the telling part of npm's error output, as one line.

    npm prints ``npm error code X``, a few ``syscall``/``errno`` lines, then the
    message, then advice, a stack or usage text, and a line pointing at its log
    file; its last line is rarely the reason. This returns ``"X: message"``,
    falling back to the last line that is not the log pointer.
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = []
    for line in lines:
        prefix = next((p for p in ("npm error", "npm ERR!") if line.startswith(p)), None)
        if prefix is not None:
            errors.append(line[len(prefix) :].strip())
    code = next((e.split(None, 1)[1] for e in errors if e.startswith("code ") and " " in e), None)
    messages = [
        e for e in errors if e and not re.match(r"(code|syscall|errno)\b", e) and "complete log of this run" not in e
    ]
    if messages:
        return f"{code}: {messages[0]}" if code else messages[0]
    useful = [line for line in lines if "complete log of this run" not in line]
    return (useful or lines or ["no error output"])[-1]


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
        ``<style>``, holding the pinned copy of the file. Images and fonts a
        stylesheet uses become ``data:`` URIs. A library linked twice (folium
        links jQuery under two URLs) is inlined once, where it first appears.
        The same input always gives the same output.

    Raises
    ------
    AssetError
        If a script or stylesheet has no pinned copy (the URL is named), or the
        libraries cannot be installed or read.
    """
    elements = list(_ELEMENT_RE.finditer(html_text))
    wanted = [asset for asset in map(_linked_asset, elements) if asset is not None]
    for _, url in wanted:
        _pinned_file(url)  # Fail on an unknown URL before installing anything.
    if not wanted:
        return html_text
    node_modules = ensure_installed()

    done = set()
    parts = []
    last = 0
    for match in elements:
        asset = _linked_asset(match)
        if asset is None:
            continue
        kind, url = asset
        parts.append(html_text[last : match.start()])
        last = match.end()
        package, path = _pinned_file(url)
        label = f"{_package_version(node_modules, package)} {path}"
        if (package, path) in done:
            parts.append(f"<!-- {_comment_safe(label)}: inlined above -->")
            continue
        done.add((package, path))
        text = _read_text(node_modules, package, path, url)
        if kind == "script":
            parts.append(f"<script>/* {label} */\n{_script_safe(text)}\n</script>")
            if (package, path) == ("leaflet", "dist/leaflet.js"):
                parts.append(_leaflet_icon_script(node_modules))
        else:
            css = _inline_css_urls(text, node_modules, package, path)
            parts.append(f"<style>/* {label} */\n{_style_safe(css)}\n</style>")
    parts.append(html_text[last:])
    return "".join(parts)


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
    """Return the (package, path) pinned for a CDN `url`, or raise AssetError."""
    key = "https:" + url if url.startswith("//") else url
    try:
        return _CDN_FILES[key]
    except KeyError:
        raise AssetError(
            f"cannot inline {url}: no pinned copy of this library for offline maps; "
            "add it to geo/js/package.json and geo/_assets.py, or build with --cdn"
        ) from None


def _package_file(node_modules, package, path):
    """Return the file `path` inside `package`, refusing paths that leave it."""
    package_dir = (node_modules / package).resolve()
    file = (package_dir / path).resolve()
    if not file.is_relative_to(package_dir):
        raise AssetError(f"cannot inline {package}/{path}: the path leaves the package; fix the reference")
    return file


def _read_bytes(node_modules, package, path, reference):
    """Read a file from an installed package; AssetError names `reference` if missing."""
    file = _package_file(node_modules, package, path)
    try:
        return file.read_bytes()
    except OSError as error:
        raise AssetError(
            f"cannot inline {reference}: {file} unreadable ({error.strerror or error}); "
            f"delete {node_modules.parent} to reinstall, or build with --cdn"
        ) from error


def _read_text(node_modules, package, path, reference):
    """Read a UTF-8 text file from an installed package, without a BOM or source map link."""
    data = _read_bytes(node_modules, package, path, reference)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AssetError(f"cannot inline {reference}: {package}/{path} is not UTF-8 text ({error.reason})") from None
    return _SOURCE_MAP_RE.sub("", text)


def _package_version(node_modules, package):
    """Return "name@version" for an installed package."""
    try:
        manifest = json.loads(_read_bytes(node_modules, package, "package.json", package))
        return f"{package}@{manifest['version']}"
    except (ValueError, KeyError):
        return package


def _data_uri(node_modules, package, path, reference):
    """Return a base64 ``data:`` URI holding a file from an installed package."""
    suffix = PurePosixPath(path).suffix.lower()
    media_type = _MEDIA_TYPES.get(suffix)
    if media_type is None:
        raise AssetError(f"cannot inline {reference}: unknown file type {suffix or '(none)'} in {package}/{path}")
    data = _read_bytes(node_modules, package, path, reference)
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _inline_css_urls(css, node_modules, package, path):
    """Turn a stylesheet's url() references into data: URIs.

    Relative references resolve inside the stylesheet's package; remote ones
    must have a pinned copy in the URL table. Each @font-face keeps only its
    best usable font format, so one font file is embedded rather than five.
    """
    css_dir = PurePosixPath(path).parent
    css = _FONT_FACE_RE.sub(lambda m: _one_font_source(m.group(1), f"{package}/{path}"), css)

    def replace(match):
        ref = next(group for group in match.groups() if group is not None)
        if not ref or ref.startswith(("data:", "#")):
            return match.group(0)
        if ref.startswith(("http:", "https:", "//")):
            file_package, file_path = _pinned_file(ref.split("#")[0].split("?")[0])
        elif ":" in ref.split("/")[0]:
            raise AssetError(f"cannot inline {package}/{path}: unsupported url({ref}); fix the stylesheet mapping")
        else:
            file_package, file_path = package, str(css_dir / ref.split("#")[0].split("?")[0])
        return f'url("{_data_uri(node_modules, file_package, file_path, ref)}")'

    return _CSS_URL_RE.sub(replace, css)


def _one_font_source(body, where):
    """Rewrite an @font-face body so its only src is its best usable font."""
    declarations = [d.strip() for d in body.split(";") if d.strip()]
    sources = [d for d in declarations if re.match(r"src\s*:", d, re.IGNORECASE)]
    others = [d for d in declarations if d not in sources]
    candidates = []
    for match in _FONT_SRC_RE.finditer(" ".join(sources)):
        url = next(group for group in match.groups()[:3] if group is not None)
        suffix = PurePosixPath(url.split("#")[0].split("?")[0]).suffix.lower()
        font_format = (match.group(4) or _FONT_FORMAT_BY_SUFFIX.get(suffix, "")).lower()
        if font_format in _FONT_FORMATS:
            candidates.append((_FONT_FORMATS.index(font_format), url, font_format))
    if not candidates:
        raise AssetError(f"cannot inline {where}: an @font-face has no woff2, woff, ttf or otf font; fix the mapping")
    _, url, font_format = min(candidates)
    return "@font-face {" + "; ".join([*others, f'src: url("{url}") format("{font_format}")']) + "}"


def _leaflet_icon_script(node_modules):
    """Return a <script> giving Leaflet's default marker its images as data: URIs."""
    options = {
        option: _data_uri(node_modules, "leaflet", path, f"leaflet/{path}")
        for option, path in _LEAFLET_ICONS.items()
    }
    return (
        "\n<script>/* geo: Leaflet's default marker images, inlined */\n"
        'L.Icon.Default.imagePath = "";\n'
        f"L.Icon.Default.mergeOptions({json.dumps(options, sort_keys=True)});\n"
        "</script>"
    )


def _script_safe(js):
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


def _comment_safe(text):
    """Make `text` safe inside an HTML comment."""
    return text.replace("--", "- -")
