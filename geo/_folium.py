"""folium and branca, with their Jinja templates compiled when a page first renders them.

Import folium, branca's ``MacroElement`` and ``Template`` from here. folium and branca compile the template of every element they define (82 of
them) as their modules are imported: about 0.2 s of every ``geo build``,
for a page that renders a dozen. Here those templates, and the templates of
our own elements (:mod:`geo.plugins`), are compiled on first use instead.

Nothing changes in what a template does or receives: a :class:`LazyTemplate`
compiles the very same source with the very same class the first time any
attribute (``render``, ``module``) is asked for, and hands that attribute
over. Record text never reaches a template either way; see :mod:`geo.render`.
If folium was imported before this module (by other code in the process),
its templates are simply compiled already.

And nothing is compiled twice: the Python code Jinja makes of a template is
kept in ``settings.cache_dir / "templates"`` (as Python keeps ``.pyc``
files, and as Jinja's own bytecode cache does, but without its pickle), named
by a checksum of the source, the template class and the Jinja and Python
versions; a later build loads it instead of compiling (0.07 s of a build).
"""

import contextlib
import hashlib
import marshal
import sys

import jinja2

from . import settings
from ._files import write_bytes_atomic

# The template class's own constructor (jinja2.Template.__new__), kept before any patching.
_JINJA_NEW = jinja2.Template.__dict__["__new__"].__func__


class LazyTemplate:
    """A jinja2 template compiled on first use.

    Parameters
    ----------
    compile : callable
        Returns the compiled :class:`jinja2.Template`.
    """

    __slots__ = ("_compile", "_compiled")

    def __init__(self, compile):
        self._compile = compile
        self._compiled = None

    def __getattr__(self, name):
        if self._compiled is None:
            self._compiled = self._compile()
        return getattr(self._compiled, name)


def Template(source):  # named like the class it stands in for (jinja2.Template)
    """A :class:`LazyTemplate` of `source`: what ``jinja2.Template(source)`` gives, compiled on first use."""
    return LazyTemplate(lambda: compile_template(jinja2.Template, source))


def compile_template(cls, source):
    """Return ``cls(source)`` (a jinja2.Template class), its code from the cache folder when compiled before."""
    environment = _JINJA_NEW(cls, "").environment  # the environment cls(source) compiles in
    key = hashlib.sha256(
        "\0".join([jinja2.__version__, sys.implementation.cache_tag, cls.__module__, cls.__qualname__, source]).encode()
    ).hexdigest()[:32]
    path = settings.cache_dir / "templates" / f"{key}.code"
    code = _read_code(path)
    if code is None:
        code = environment.compile(source)
        _write_code(path, code)
    return cls.from_code(environment, code, environment.make_globals(None), None)


def _read_code(path):
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _write_code(path, code):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, marshal.dumps(code))
    except OSError:  # a read-only cache folder: compiled again next time
        pass


@contextlib.contextmanager
def compiled_when_used():
    """While open, every ``jinja2.Template(...)`` (subclasses too) makes a :class:`LazyTemplate`.

    Meant to surround ``import folium``: the class bodies of folium and
    branca then keep their templates uncompiled until a page renders them.
    """
    original = jinja2.Template.__dict__["__new__"]

    def lazy_new(cls, source, *args, **kwargs):
        if args or kwargs:  # options of their own: compiled as jinja2 would, on first use
            return LazyTemplate(lambda: original.__func__(cls, source, *args, **kwargs))
        return LazyTemplate(lambda: compile_template(cls, source))

    jinja2.Template.__new__ = staticmethod(lazy_new)
    try:
        yield
    finally:
        jinja2.Template.__new__ = original


with compiled_when_used():
    import folium
    from branca.element import MacroElement

__all__ = ["LazyTemplate", "MacroElement", "Template", "compiled_when_used", "folium"]
