"""QGIS styles stored in a GeoPackage, so QGIS opens the layers coloured.

QGIS reads a layer's default style from the ``layer_styles`` table of the
GeoPackage it comes from (the table QGIS itself writes with "Save as default").
:func:`add_layer_styles` writes that table, registered in ``gpkg_contents``
as an attributes table as QGIS does, with one categorized style a layer:
districts by ``status``, incidents by ``event_type``.
"""

import sqlite3
from xml.sax.saxutils import quoteattr

_LAYER_STYLES_SQL = """
CREATE TABLE IF NOT EXISTS layer_styles (
    id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
    f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
    useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME
)
"""


def categorized_qml(field, categories, *, geometry, fallback="#999999"):
    """Return a QGIS style (QML) colouring features by the values of `field`.

    Parameters
    ----------
    field : str
    categories : dict
        value -> (colour as ``#rrggbb``, label), in legend order.
    geometry : {"polygon", "point"}
    fallback : str
        Colour of any other value.
    """
    entries = list(categories.items()) + [("", (fallback, "other"))]
    category_xml = "".join(
        f'<category render="true" symbol="{index}" value={quoteattr(value)} label={quoteattr(label)}/>'
        for index, (value, (_, label)) in enumerate(entries)
    )
    symbol_xml = "".join(_symbol(index, color, geometry) for index, (_, (color, _)) in enumerate(entries))
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.22.0" styleCategories="Symbology">'
        f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(field)} symbollevels="0" enableorderby="0" forceraster="0">'
        f"<categories>{category_xml}</categories><symbols>{symbol_xml}</symbols>"
        "</renderer-v2></qgis>\n"
    )


def _symbol(index, color, geometry):
    rgba = ",".join(str(int(color[i : i + 2], 16)) for i in (1, 3, 5)) + ",255"
    if geometry == "polygon":
        layer = (
            '<layer class="SimpleFill" enabled="1" pass="0" locked="0">'
            f'<prop k="color" v="{rgba}"/><prop k="outline_color" v="255,255,255,255"/>'
            '<prop k="outline_width" v="0.2"/><prop k="style" v="solid"/></layer>'
        )
        kind = "fill"
    else:
        layer = (
            '<layer class="SimpleMarker" enabled="1" pass="0" locked="0">'
            f'<prop k="color" v="{rgba}"/><prop k="name" v="circle"/><prop k="size" v="2.6"/>'
            '<prop k="outline_color" v="255,255,255,255"/><prop k="outline_width" v="0.3"/></layer>'
        )
        kind = "marker"
    return f'<symbol type="{kind}" name="{index}" alpha="1" clip_to_extent="1" force_rhr="0">{layer}</symbol>'


def add_layer_styles(path, styles, *, timestamp):
    """Write QGIS default styles into a GeoPackage.

    Parameters
    ----------
    path : path-like
        A GeoPackage holding the styled layers.
    styles : dict
        layer name -> (geometry column, style name, QML).
    timestamp : str
        ``YYYY-MM-DDTHH:MM:SS.sssZ``, recorded as the styles' and the table's
        last change, so reruns give the same bytes.
    """
    with sqlite3.connect(path) as connection:
        connection.execute(_LAYER_STYLES_SQL)
        connection.executemany(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
            "styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
            "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', '', ?)",
            [(layer, column, name, qml, f"geo: {name}", timestamp) for layer, (column, name, qml) in styles.items()],
        )
        connection.execute(
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS default styles', ?)",
            (timestamp,),
        )
    connection.close()
