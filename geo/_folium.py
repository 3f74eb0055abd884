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
"""

import contextlib

import jinja2


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
    return LazyTemplate(lambda: jinja2.Template(source))


@contextlib.contextmanager
def compiled_when_used():
    """While open, every ``jinja2.Template(...)`` (subclasses too) makes a :class:`LazyTemplate`.

    Meant to surround ``import folium``: the class bodies of folium and
    branca then keep their templates uncompiled until a page renders them.
    """
    original = jinja2.Template.__dict__["__new__"]

    def lazy_new(cls, source, *args, **kwargs):
        return LazyTemplate(lambda: original.__func__(cls, source, *args, **kwargs))

    jinja2.Template.__new__ = staticmethod(lazy_new)
    try:
        yield
    finally:
        jinja2.Template.__new__ = original


with compiled_when_used():
    import folium
    from branca.element import MacroElement

__all__ = ["LazyTemplate", "MacroElement", "Template", "compiled_when_used", "folium"]
