"""Safety of the service: one-line JSON errors, a path guard, response headers, escaping.

- Every error a client can cause is an :class:`ApiError`, answered as one
  line of JSON (``{"code": ..., "description": ...}``) with its status.
- :class:`PathGuard` refuses, before any route runs, a request path that
  could name something outside what the service serves: ``..`` or ``.``
  segments, backslashes, NUL, and percent-encoded slashes, backslashes, dots
  and NULs (which some stacks decode after routing). It also bounds the
  length of the URL.
- Every response carries headers that stop a browser sniffing types or
  framing the pages; the service's own HTML pages also get a Content
  Security Policy that allows no script at all.
- :func:`text` is the only way record text enters the service's HTML.
"""

import html
import json
import re

from starlette.responses import Response

from .. import settings

# Percent-encoded "/", "\", "." and NUL, and any "%" not followed by two hex digits.
_ENCODED_DANGER = re.compile(rb"%(2f|5c|2e|00)|%(?![0-9a-f]{2})", re.IGNORECASE)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
# The service's own pages (landing page, feature tables) run no script.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'"


class ApiError(Exception):
    """A request the service refuses: HTTP `status` with a one-line `message`."""

    def __init__(self, status, message, code=None):
        super().__init__(message)
        self.status = status
        self.code = code or {400: "InvalidParameterValue", 404: "NotFound"}.get(status, "Error")


def error_response(status, message, code=None):
    """One line of JSON: ``{"code": ..., "description": ...}``."""
    code = code or {400: "InvalidParameterValue", 404: "NotFound", 405: "MethodNotAllowed"}.get(status, "Error")
    body = json.dumps({"code": code, "description": one_line(message)}, ensure_ascii=False)
    return Response(body + "\n", status_code=status, media_type="application/json")


def one_line(message):
    """Collapse any line breaks, so an error is always a single line."""
    return " ".join(str(message).split())


def text(value):
    """Record or user text, escaped for an HTML element or quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


class PathGuard:
    """ASGI middleware: refuse dangerous paths, long URLs; add security headers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        problem = path_problem(scope)
        if problem:
            return await error_response(*problem)(scope, receive, send_with_headers)
        return await self.app(scope, receive, send_with_headers)


def path_problem(scope):
    """Return (status, message) when the request path must be refused, else None."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
    query = scope.get("query_string", b"")
    if len(raw) + len(query) > settings.serve_max_url_length:
        return 414, f"URL longer than {settings.serve_max_url_length} characters"
    if _ENCODED_DANGER.search(raw):
        return 400, "path holds an encoded slash, backslash, dot or NUL; not allowed"
    segments = scope["path"].split("/")
    if any(segment in ("..", ".") for segment in segments) or "\\" in scope["path"] or "\0" in scope["path"]:
        return 400, "path holds '..', '.', a backslash or NUL; not allowed"
    return None
