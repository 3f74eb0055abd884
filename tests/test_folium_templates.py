"""geo._folium: folium's and our templates compiled on first use, rendering as before."""

import subprocess
import sys

import jinja2

from geo import _folium, settings


def test_lazy_template_renders_as_jinja_does():
    source = "{% macro header(this, kwargs) %}<b>{{ this.name }}</b>{% endmacro %}{{ 1 + 2 }}"
    lazy, eager = _folium.Template(source), jinja2.Template(source)
    assert isinstance(lazy, _folium.LazyTemplate) and lazy._compiled is None
    assert lazy.render() == eager.render() == "3"
    assert lazy.module.header(type("E", (), {"name": "x"})(), {}) == "<b>x</b>"


def test_jinja_template_class_is_restored_after_the_import_window():
    with _folium.compiled_when_used():
        assert isinstance(jinja2.Template("{{ 2 }}"), _folium.LazyTemplate)
    template = jinja2.Template("{{ 2 }}")
    assert isinstance(template, jinja2.Template) and template.render() == "2"


def test_a_fresh_geo_render_leaves_folium_templates_uncompiled_until_a_page_uses_them():
    script = (
        "import geo.render, folium, folium.features\n"
        "print(type(folium.features.Choropleth._template).__name__, folium.features.Choropleth._template._compiled)\n"
        "html = folium.Map(location=[34.5, 69.2], zoom_start=6, tiles=None).get_root().render()\n"
        "print(type(folium.Map._template._compiled).__name__, 'leaflet' in html)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=settings.PROJECT_DIR,
        env={"PYTHONPATH": str(settings.PROJECT_DIR), "PATH": ""},
    )
    assert done.stdout.split("\n")[:2] == ["LazyTemplate None", "Template True"]


def test_compiled_code_is_kept_and_a_damaged_copy_is_compiled_again():
    source = "{{ this | upper }} {{ 6 * 7 }}"
    folder = settings.cache_dir / "templates"
    before = set(folder.glob("*.code")) if folder.exists() else set()
    assert _folium.compile_template(jinja2.Template, source).render(this="kabul") == "KABUL 42"
    (kept,) = set(folder.glob("*.code")) - before
    assert _folium.compile_template(jinja2.Template, source).render(this="herat") == "HERAT 42"  # from the file
    kept.write_bytes(b"\x00not code")
    assert _folium.compile_template(jinja2.Template, source).render(this="farah") == "FARAH 42"
    assert kept.read_bytes() != b"\x00not code"  # written again


def test_folium_templates_keep_their_own_class_and_filters():
    import folium.template

    template = _folium.compile_template(folium.template.Template, "{{ value | tojavascript }}")
    assert isinstance(template, folium.template.Template)
    assert template.render(value={"a_b": "<x>"}) == '{\n  "aB": "\\u003cx\\u003e",\n}'
