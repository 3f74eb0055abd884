"""The ``geo`` command line: a thin layer over the pipeline stages.

Each command parses its options, calls one stage's public functions and prints
the result. Errors derived from :class:`geo.errors.GeoError` become one line on
stderr and a non-zero exit; nothing here holds pipeline logic.
"""

import functools
from pathlib import Path

import click

from . import __version__, settings
from .errors import GeoError, ValidationError


def _report_errors(command):
    """Turn GeoError, bad files and failed writes into one line on stderr and exit 1.

    Every command is wrapped, so any OSError (a full disk, a folder that
    cannot be written) and any GDAL/pyogrio write error becomes one line
    naming the output, never a traceback. Outputs are written atomically
    (geo._files), so a failed write leaves no half-written file.
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ValidationError as error:
            for problem in error.problems:
                click.echo(problem, err=True)
            raise click.ClickException(f"{_problems(len(error.problems))} in the records; nothing written") from error
        except GeoError as error:
            raise click.ClickException(str(error)) from error
        except UnicodeDecodeError as error:
            raise click.ClickException(f"input is not UTF-8 text ({error.reason} at byte {error.start})") from error
        except OSError as error:
            raise click.ClickException(_os_error_line(error, kwargs)) from error
        except _write_errors() as error:
            detail = " ".join(str(error).split()) or type(error).__name__
            raise click.ClickException(
                f"{_output_of(kwargs)}could not write the output ({detail}); is the disk full?"
            ) from error

    return wrapper


def _os_error_line(error, kwargs):
    import errno

    where = f"{error.filename}: " if error.filename else _output_of(kwargs)
    reason = error.strerror or str(error) or type(error).__name__
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason += "; nothing half-written (free some space and run again)"
    return f"{where}{reason}"


def _output_of(kwargs):
    """'OUT: ' for the command's output path or folder, if it has one."""
    out = kwargs.get("out_dir") or kwargs.get("out_path")
    return f"{out}: " if out else ""


def _write_errors():
    """The exception types of the GDAL writers (pyogrio), without importing
    them for commands that never write a GIS file."""
    import sys

    errors = sys.modules.get("pyogrio.errors")
    return (errors.DataSourceError, errors.DataLayerError) if errors else ()


def _problems(count):
    return f"{count} problem" + ("" if count == 1 else "s")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geo")
@click.option(
    "--mirror",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="GEO_DATA_MIRROR",
    help="Folder holding the public data files by name, used instead of downloading (env GEO_DATA_MIRROR).",
)
def main(mirror):
    """Maps of conflict incidents and district control in Afghanistan."""
    if mirror is not None:
        settings.data_mirror = mirror


@main.group()
def data():
    """Public data files: download and verify."""


@data.command("fetch")
@_report_errors
def data_fetch():
    """Download every public data file into the cache, checking its sha256."""
    from tqdm import tqdm

    from . import data as data_stage

    paths = data_stage.fetch_all(progress=lambda items: tqdm(items, desc="data files", unit="file", disable=None))
    for path in paths:
        click.echo(path)
    from . import boundaries

    boundaries.district_grid()  # the locate_points raster, built once here rather than on first use


@data.command("list")
def data_list():
    """List the public data files with their licence and source."""
    from . import data as data_stage

    for entry in data_stage.manifest().values():
        click.echo(f"{entry.name}\t{entry.licence}\t{entry.url}")


# Commands of the later stages are registered below, one block per stage.


# Where the records come from (see geo.settings.seed_records_dir).
def _csv_files_option(flag, name, help_text):
    """A repeatable option naming record CSV files (--incidents, --claims)."""
    return click.option(flag, name, multiple=True, type=click.Path(path_type=Path), help=help_text)


_records_option = click.option(
    "--records",
    "records_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of incidents.csv and claims.csv to map (default: ./seeds/ if present, "
    "else GEO_RECORDS_DIR, else the seed records shipped with geo).",
)


def _seed_files(records_dir):
    """The default incidents.csv and claims.csv: --records, ./seeds/, GEO_RECORDS_DIR or geo's own."""
    from .errors import InputError

    folder = settings.seed_records_dir(records_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder of records (incidents.csv, claims.csv)")
    return folder / "incidents.csv", folder / "claims.csv"


def _parse_date(value, option):
    """A date as YYYY-MM-DD within the years records may carry."""
    import datetime as dt

    from .schema import EARLIEST_YEAR, LATEST_YEAR

    try:
        date = dt.date.fromisoformat(value.strip())
    except (AttributeError, TypeError, ValueError):
        raise click.BadParameter(f"{value!r} is not a date as YYYY-MM-DD", param_hint=option) from None
    if not EARLIEST_YEAR <= date.year <= LATEST_YEAR:
        raise click.BadParameter(f"{value} is outside {EARLIEST_YEAR}-{LATEST_YEAR}", param_hint=option)
    return date


def _parse_window(value):
    """Days of incidents up to the date (1 to settings.max_window_days), or None for 'all'."""
    text = value.strip().lower()
    if text == "all":
        return None
    return _parse_days(text.removesuffix("d"), value, "--window", "a number of days or 'all'")


def _parse_every(value):
    """The step of a series in days, e.g. 7 or 7d."""
    return _parse_days(value.strip().lower().removesuffix("d"), value, "--every", "a number of days such as 7d")


def _parse_days(text, value, option, expected):
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        raise click.BadParameter(f"{value!r} is not {expected}", param_hint=option)
    # Compare the digits first: a 30-digit number is refused, never converted.
    if len(text.lstrip("0")) > len(str(settings.max_window_days)) or int(text) > settings.max_window_days:
        raise click.BadParameter(f"{value} is more than {settings.max_window_days:,} days", param_hint=option)
    return int(text)


def _check_series(start, end, every_days):
    """Refuse a series that runs backwards or holds more than settings.max_series_maps maps."""
    if end < start:
        raise click.BadParameter(f"--from {start} is after --to {end}", param_hint="--from/--to")
    count = (end - start).days // every_days + 1
    if count > settings.max_series_maps:
        raise click.BadParameter(
            f"{start} to {end} every {every_days} days is {count:,} maps, more than {settings.max_series_maps:,} "
            "(the limit is settings.max_series_maps); shorten the range or lengthen --every",
            param_hint="--from/--to",
        )
    return count


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@_report_errors
def articles(paths, as_json):
    """List the articles in the seed files (default: the seed articles folder).

    Each line: file, character span, publication date, outlet, author, title.
    Articles without a readable date are listed as 'no date' and reported on
    stderr: dates are never guessed.
    """
    import json

    from . import articles as articles_stage

    table = articles_stage.index_articles(paths or [settings.articles_dir])
    for row in table.itertuples(index=False):
        published = row.published.isoformat() if row.published else None
        if as_json:
            click.echo(json.dumps({**row._asdict(), "published": published}, ensure_ascii=False))
        else:
            click.echo(
                f"{row.source_file}\t{row.start}-{row.end}\t{published or 'no date'}\t"
                f"{row.outlet or '-'}\t{row.author or '-'}\t{row.title or '(untitled)'}"
            )
    undated = table[table["published"].isna()]
    for row in undated.itertuples(index=False):
        click.echo(f"{row.source_file}:{row.start}: no readable date in the article's header", err=True)


@main.command()
@_csv_files_option("--incidents", "incident_files", "Incident CSV (repeatable; default seeds/incidents.csv).")
@_csv_files_option("--claims", "claim_files", "Claim CSV (repeatable; default seeds/claims.csv).")
@_records_option
@_report_errors
def validate(incident_files, claim_files, records_dir):
    """Check every record; report each problem as file:line: field: problem."""
    from . import records, validation

    seed_incidents, seed_claims = _seed_files(records_dir)
    incident_tables = [records.read_table(path) for path in incident_files or [seed_incidents]]
    claim_tables = [records.read_table(path) for path in claim_files or [seed_claims]]
    problems = [p for table in incident_tables for p in validation.incident_problems(table)]
    problems += [p for table in claim_tables for p in validation.claim_problems(table)]
    note = validation.skipped_checks()
    if note:
        click.echo(f"note: {note}", err=True)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{_problems(len(problems))} in the records")
    counts = ", ".join(f"{len(t)} {Path(t.attrs['path']).name}" for t in [*incident_tables, *claim_tables])
    click.echo(f"ok: {counts}")


# Options shared by the import commands (geo.imports).
_strict_option = click.option("--strict", is_flag=True, help="Any problem is fatal: nothing is written.")
_out_option = click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Incident CSV to write; an existing one is updated (same dataset and event id: the newer timestamp wins).",
)
_no_learn_option = click.option(
    "--no-learn",
    is_flag=True,
    help="Do not add the places the rows name with coordinates to the local gazetteer ('geo gazetteer forget' clears it).",
)


@main.command("import-claims")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--claimant", required=True, help="Who made the assessment, e.g. 'Long War Journal'.")
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Claims CSV to write (not into seeds/ unless you say so).",
)
@click.option(
    "--date", "date_text", default=None, help="The assessment's date, YYYY-MM-DD, for every row (else --date-column)."
)
@click.option("--date-column", default=None, help="Column of each row's date, for a dated series.")
@click.option(
    "--date-format", default=None, help="strptime format of --date-column, e.g. %m/%d/%Y (default YYYY-MM-DD)."
)
@click.option("--source", default=None, help="Citation for every claim (default: claimant and file name).")
@click.option("--district-column", default=None, help="Column of district names.")
@click.option("--province-column", default=None, help="Column of province names.")
@click.option("--status-column", default=None, help="Column of control status, in the table's own words or codes.")
@click.option(
    "--status-map",
    default=None,
    help="Codes of the status column: VALUE=STATUS,... with STATUS taliban, contested, government or skip (e.g. 1=taliban,0=government,2=contested).",
)
@_strict_option
@_report_errors
def import_claims(
    table,
    claimant,
    out_path,
    date_text,
    date_column,
    date_format,
    source,
    district_column,
    province_column,
    status_column,
    status_map,
    strict,
):
    """Import a district-control assessment (one date) or a dated series as claims.

    \b
    geo import-claims lwj_district_control_2018-09-24.csv --date 2018-09-24 --claimant "Long War Journal" --out maps/lwj-claims.csv
    geo import-claims control-2021.csv --date-column Date --date-format %m/%d/%Y --status-column Control
        --status-map 1=taliban,0=government,2=contested --claimant "Analyst" --out control-claims.csv

    Rows that cannot be used (unknown district or status, bad date) are
    reported as file:line: field: problem and written to OUT-rejects.csv.
    """
    from .imports import write_result
    from .imports.claims import import_claims as read_claims
    from .imports.claims import parse_status_map
    from .schema import CLAIM_COLUMNS

    if date_text is not None and date_column is not None:
        raise click.UsageError("give --date (one date for every row) or --date-column, not both")
    result = read_claims(
        table,
        claimant=claimant,
        date=_parse_date(date_text, "--date") if date_text is not None else None,
        date_column=date_column,
        date_format=date_format,
        source=source,
        district_column=district_column,
        province_column=province_column,
        status_column=status_column,
        status_map=parse_status_map(status_map) if status_map else None,
    )
    out, rejects, _ = write_result(result, out_path, [table], columns=CLAIM_COLUMNS, strict=strict, key=None)
    for problem in result.problems:
        click.echo(problem, err=True)
    claims = result.records
    counts = claims["status"].value_counts().sort_index()
    click.echo(
        f"{len(claims)} claims written to {out}"
        + "".join(f"{', ' if i else ': '}{k} {v}" for i, (k, v) in enumerate(counts.items()))
        + (f"; {len(result.rejects)} rows rejected ({rejects})" if len(result.rejects) else "")
    )


@main.command()
@click.option("--date", "date_text", help="Map as of this date, YYYY-MM-DD.")
@click.option("--from", "from_text", help="First date of a series.")
@click.option("--to", "to_text", help="Last date of a series.")
@click.option("--every", default="7d", show_default=True, help="Step of a series, in days (7d).")
@click.option(
    "--window",
    "window_text",
    default=str(settings.default_window_days),
    show_default=True,
    help="Days of incidents up to the date, or 'all'.",
)
@click.option(
    "--out", "out_dir", default="maps", show_default=True, type=click.Path(path_type=Path), help="Output folder."
)
@_csv_files_option("--claims", "claim_files", "Extra claim CSV, e.g. an imported assessment (repeatable).")
@_csv_files_option("--incidents", "incident_files", "Incident CSV instead of seeds/incidents.csv (repeatable).")
@click.option(
    "--cdn",
    is_flag=True,
    help="Link the map's libraries from CDNs instead of inlining them (smaller file, needs internet).",
)
@click.option(
    "--since",
    "since_text",
    help="Also show and write (DATE-changes.geojson) the districts whose status changed since this date.",
)
@click.option(
    "--formats",
    "formats_text",
    default=None,
    help="Files to write, comma-separated from html,geojson,gpkg,parquet (default: all; over 100k incidents their layer as parquet only).",
)
@_records_option
@_report_errors
def build(
    date_text,
    from_text,
    to_text,
    every,
    window_text,
    out_dir,
    claim_files,
    incident_files,
    cdn,
    since_text,
    formats_text,
    records_dir,
):
    """Build the map and GIS files as of a date (or a series of dates).

    Writes DATE.html, DATE-districts.geojson, DATE-incidents.geojson,
    DATE-incidents.parquet and DATE.gpkg into --out (DATE-7d.* for --window 7,
    DATE-all.* for --window all; --formats chooses), and DATE-changes.geojson
    with --since.
    """
    from . import build as build_stage

    window_days = _parse_window(window_text)
    if date_text and (from_text or to_text):
        raise click.UsageError("give --date, or --from and --to, not both")
    if not date_text and not (from_text and to_text):
        raise click.UsageError("give --date YYYY-MM-DD, or --from and --to for a series")
    dates = (
        [_parse_date(date_text, "--date")]
        if date_text
        else [_parse_date(from_text, "--from"), _parse_date(to_text, "--to")]
    )
    since = _parse_date(since_text, "--since") if since_text else None
    if since is not None and not date_text:
        raise click.UsageError("--since goes with --date (a series shows each step's changes by itself)")
    if since is not None and since > dates[0]:
        raise click.UsageError(f"--since {since} is after --date {dates[0]}")
    formats = None if formats_text is None else [name.strip() for name in formats_text.split(",") if name.strip()]
    if formats is not None and (not formats or set(formats) - set(build_stage.FORMATS)):
        raise click.BadParameter(
            f"{formats_text!r}: choose from {', '.join(build_stage.FORMATS)}", param_hint="--formats"
        )
    if not date_text:
        _check_series(dates[0], dates[1], _parse_every(every))
    seed_incidents, seed_claims = _seed_files(records_dir)
    inputs = build_stage.Inputs.load(incident_files or [seed_incidents], [seed_claims, *claim_files])
    if date_text:
        output = build_stage.build(
            inputs, dates[0], out_dir, window_days=window_days, self_contained=not cdn, since=since, formats=formats
        )
        outputs = [output]
    else:
        from tqdm import tqdm  # a series only (20 ms of a one-date build)

        outputs = build_stage.build_series(
            inputs,
            dates[0],
            dates[1],
            _parse_every(every),
            out_dir,
            window_days=window_days,
            self_contained=not cdn,
            progress=lambda items: tqdm(items, desc="maps", unit="map", disable=None),
            formats=formats,
        )
    for output in outputs:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(output.status_counts.items()))
        first_file = next(path for path in (output.html, output.districts, output.geopackage, output.parquet) if path)
        click.echo(f"{first_file}  ({output.incident_count} incidents; {statuses})")
        for note in output.notes:
            click.echo(f"note: {note}", err=True)
    if len(outputs) > 1:
        click.echo(Path(out_dir) / "index.html")


# --- geocode: the gazetteer and geocoder stage -------------------------------------------


@main.command("geocode")
@click.argument("name", required=False)
@click.option(
    "--province", "-p", default=None, help="Province the place was reported in (any spelling, or a pcode such as AF30)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path),
    help="Geocode every row of a UTF-8 CSV with a 'name' column (and an optional 'province' column).",
)
@click.option(
    "--out", "out_path", type=click.Path(path_type=Path), help="Where --csv writes its result (default: stdout)."
)
@click.option(
    "--as",
    "role",
    type=click.Choice(["mention", "place"]),
    default="mention",
    show_default=True,
    help="'place' for names from a dataset's location or district column (a name like its province is the provincial capital); 'mention' for names in prose (the province).",
)
@_report_errors
def geocode(name, province, as_json, csv_path, out_path, role):
    """Resolve a place NAME to its OCHA district (or province).

    \b
    geo geocode Taluqan
    geo geocode Baharak --province Takhar --json
    geo geocode --csv places.csv --out places-geocoded.csv
    geo geocode Ghazni --province Ghazni --as place

    A name that matches nothing, or several districts in different provinces,
    exits non-zero with the closest names or the candidates. With --csv every
    row is answered (exit 0): the rows keep their columns and order, and gain
    pcode, level, district, province_pcode, score, matched_name, source, lat,
    lon, match_type, candidates, reason and confidence (empty pcode when
    unresolved).
    """
    from .errors import GeocodeError, InputError

    if csv_path is not None:
        if name is not None:
            raise InputError("give a place NAME or --csv FILE, not both")
        _geocode_csv(csv_path, out_path, role)
        return
    if name is None:
        raise InputError("give a place NAME to geocode, or --csv FILE")
    if out_path is not None:
        raise InputError("--out is for --csv results; a single name is printed")

    from . import geocoder

    match = geocoder.resolve(name, province, role=role)
    if match.pcode is None:
        if match.candidates:
            listed = ", ".join(f"{item['name']} ({item['province']}) {item['pcode']}" for item in match.candidates)
            raise GeocodeError(f"{name!r} is ambiguous: {listed}; give --province")
        closest = ", ".join(match.suggestions) or "nothing similar"
        raise GeocodeError(f"no place called {name!r}; closest: {closest}")
    if as_json:
        import json

        click.echo(json.dumps(match.to_dict(), ensure_ascii=False))
        return
    details = [match.level, match.reason, f"confidence {match.confidence:.2f}"]
    if match.score is not None and match.match_type in ("skeleton", "fuzzy"):
        details.append(f"score {match.score:.0f}")
    click.echo(f"{match.pcode}  {match.address.removesuffix(', Afghanistan')}  ({'; '.join(details)})")


def _geocode_csv(csv_path, out_path, role="mention"):
    """`geo geocode --csv`: read, geocode every row, write atomically."""
    from . import _csv, geocoder
    from ._files import atomic_path
    from .errors import InputError

    frame = _read_names_csv(csv_path)
    if out_path is not None and not Path(out_path).parent.is_dir():
        raise InputError(f"{out_path}: folder {Path(out_path).parent} does not exist")
    province_column = "province" if "province" in frame.columns else None
    # A progress bar for big files only; tqdm hides it when stderr is not a terminal.
    result = geocoder.geocode_frame(frame, "name", province_column, progress=len(frame) >= 1000, role=role)
    for column in ("lat", "lon"):
        result[column] = result[column].astype(float).round(6)
    # Spreadsheet-safe text cells (OWASP CSV injection); numbers untouched.
    written = _csv.escape_cells(result, _csv.text_columns(result, numeric=("score", "confidence", "lat", "lon")))
    if out_path is None:
        click.echo(_csv.to_csv(written), nl=False)
    else:
        with atomic_path(out_path) as tmp:
            _csv.to_csv(written, tmp)
    levels = result["level"].value_counts()
    unresolved = int(result["pcode"].isna().sum())
    click.echo(
        f"{len(result)} names: {levels.get('district', 0)} districts, {levels.get('province', 0)} provinces, "
        f"{unresolved} unresolved" + (f"; wrote {out_path}" if out_path else ""),
        err=True,
    )


def _read_names_csv(path):
    """Read a CSV of names; every problem is an InputError naming the file."""
    import io

    import pandas as pd

    from ._csv import read_bytes
    from .errors import InputError

    path = Path(path)
    # Missing file, a folder, NUL bytes and non-UTF-8 text: one line each.
    text = read_bytes(path).decode("utf-8-sig")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError as error:
        raise InputError(f"{path}: empty file; expected a header row with a 'name' column") from error
    except pd.errors.ParserError as error:
        detail = str(error).strip().splitlines()[-1]
        raise InputError(f"{path}: not a readable CSV ({detail})") from error
    if "name" not in frame.columns:
        columns = ", ".join(map(str, frame.columns)) or "none"
        raise InputError(f"{path}: no 'name' column (columns: {columns})")
    return frame


# --- gazetteer: names learned from the user's data -------------------------------------------


@main.group("gazetteer")
def gazetteer_group():
    """The local gazetteer of names learned from your data.

    Imports learn the places their rows name with coordinates by default
    (--no-learn skips it), so the same village named later in an article,
    with its province, is placed in its district.
    """


@gazetteer_group.command("learn")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--source", default=None, help="Label kept with the names (default: the file name).")
@_report_errors
def gazetteer_learn(table, source):
    """Learn names from a CSV with name, latitude, longitude (and optional province) columns."""
    from . import gazetteer
    from .errors import InputError

    frame = _read_names_csv(table)
    missing = {"latitude", "longitude"} - set(frame.columns)
    if missing:
        raise InputError(f"{table}: no {', '.join(sorted(missing))} column(s)")
    if "province" in frame.columns:
        from . import geocoder

        pcodes, _ = geocoder._resolver().resolve_provinces(frame["province"].where(frame["province"] != "", None))
        frame["province_pcode"] = pcodes
    frame["source"] = source or Path(table).name
    added = gazetteer.learn(frame)
    click.echo(f"learned {len(added)} new names from {len(frame)} rows of {table}")


@gazetteer_group.command("forget")
@_report_errors
def gazetteer_forget():
    """Delete every learned name (the built-in gazetteer stays)."""
    from . import gazetteer

    click.echo(f"forgot {gazetteer.forget()} learned names")


# --- locate: points to districts (the scale helper) ---------------------------------------


@main.command("locate")
@click.argument("table", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(path_type=Path),
    help="CSV to write: the input's columns plus district and province pcodes and names.",
)
@click.option("--lat-column", default=None, help="Column of latitudes (default: guessed, e.g. latitude, lat, y).")
@click.option(
    "--lon-column", default=None, help="Column of longitudes (default: guessed, e.g. longitude, lon, lng, x)."
)
@click.option(
    "--engine",
    type=click.Choice(["memory", "dask"]),
    default="memory",
    show_default=True,
    help="dask: TABLE is a folder of (Geo)Parquet partitions, located on a dask cluster into the folder --out.",
)
@click.option(
    "--scheduler",
    default=None,
    help="With --engine dask: address of a dask scheduler (tcp://host:8786); default a local cluster.",
)
@_report_errors
def locate(table, out_path, lat_column, lon_column, engine, scheduler):
    """Give each row of a CSV of coordinates (EPSG:4326) its district and province.

    \b
    geo locate points.csv --out points-located.csv
    geo locate events.csv --lat-column LAT --lon-column LON --out located.csv

    Adds district_pcode, district, province_pcode and province (empty outside
    Afghanistan or without coordinates). A point on a border shared by several
    districts gets the lowest pcode (see geo.locate_points).
    """
    import pandas as pd

    from . import boundaries
    from ._files import atomic_path
    from .errors import InputError

    if engine == "dask":
        from . import cluster

        rows = cluster.locate_dataset(table, out_path, scheduler=scheduler)
        click.echo(f"{rows} rows located; wrote {out_path}", err=True)
        return
    if not Path(table).is_file():
        raise InputError(f"{table}: no such file")
    if not Path(out_path).parent.is_dir():
        raise InputError(f"{out_path}: folder {Path(out_path).parent} does not exist")
    try:
        frame = pd.read_csv(table, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as error:
        raise InputError(f"{table}: not a readable CSV ({str(error).strip().splitlines()[-1]})") from error
    try:
        lat_name, lon_name = boundaries.coordinate_columns(list(frame.columns), lat_column, lon_column)
        located = boundaries.locate_table(frame, lat_name, lon_name)
    except InputError as error:
        raise InputError(f"{table}: {error}") from error
    with atomic_path(out_path) as tmp:
        located.to_csv(tmp, index=False, encoding="utf-8")
    placed = int((located["district_pcode"] != "").sum())
    click.echo(f"{len(located)} rows: {placed} in a district, {len(located) - placed} not; wrote {out_path}", err=True)


@main.command("aggregate")
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(path_type=Path),
    help="CSV of district_pcode, date, incidents, fatalities.",
)
@click.option(
    "--engine",
    type=click.Choice(["memory", "dask"]),
    default="memory",
    show_default=True,
    help="memory: pandas in this process; dask: partition by partition on a dask cluster.",
)
@click.option(
    "--scheduler",
    default=None,
    help="With --engine dask: address of a dask scheduler (tcp://host:8786); default a local cluster of this machine's cores.",
)
@_report_errors
def aggregate(dataset, out_path, engine, scheduler):
    """Incidents and fatalities per district and day of a (Geo)Parquet DATASET.

    \b
    geo aggregate incidents.parquet --out daily.csv
    geo aggregate parts/ --engine dask --scheduler tcp://10.0.0.5:8786 --out daily.csv

    DATASET is a Parquet file or a folder of them, with point geometries or
    longitude/latitude columns, event_date and (optional) fatalities. Each
    point is placed with geo.locate_points; points outside every district are
    left out.
    """
    from . import cluster
    from ._files import atomic_path
    from .errors import InputError

    if scheduler and engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    if not Path(out_path).parent.is_dir():
        raise InputError(f"{out_path}: folder {Path(out_path).parent} does not exist")
    totals = cluster.daily_totals(dataset, engine=engine, scheduler=scheduler)
    with atomic_path(out_path) as tmp:
        totals.assign(date=totals["date"].dt.strftime("%Y-%m-%d")).to_csv(tmp, index=False, encoding="utf-8")
    click.echo(f"{len(totals)} district-days, {int(totals['incidents'].sum())} incidents; wrote {out_path}", err=True)


# --- extract (issue 11) ---------------------------------------------------------------


@main.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--date",
    "date_text",
    required=True,
    help="The articles' publication date, YYYY-MM-DD (a compilation's dated headers win).",
)
@click.option("--source", default="", help="The outlet, cited by every record (default: the article header's).")
@click.option("--url", default="", help="Link to the article, cited by every record.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for incidents.csv, claims.csv and review.html.",
)
@_report_errors
def extract(paths, date_text, source, url, out_dir):
    """Propose incident and control-claim records from news articles (text files or folders)."""
    from . import extract as extract_stage

    published = _parse_date(date_text, "--date")
    incidents, claims = extract_stage.extract_files(paths, published, out_dir, source=source, url=url)
    click.echo(f"{len(incidents)} incidents, {len(claims)} claims proposed; review {out_dir / 'review.html'}")


# --- serve: the web service --------------------------------------------------------------


@main.command()
@click.option(
    "--host",
    default=settings.serve_host,
    show_default=True,
    help="Address to bind; loopback unless you mean to share it.",
)
@click.option("--port", default=settings.serve_port, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@click.option(
    "--records",
    "records_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding incidents.csv and claims.csv (default: the project's seeds).",
)
@_report_errors
def serve(host, port, records_dir):
    """Serve the maps and OGC API - Features layers of the records (read-only).

    \b
    geo serve                          # http://127.0.0.1:8000/
    geo serve --records /srv/records --port 8080

    In QGIS: Layer > Add Layer > Add WFS / OGC API - Features Layer, and paste
    http://127.0.0.1:8000 as the URL. The records are reloaded when their
    files change; records that do not validate are not served.
    """
    from . import serve as serve_stage

    serve_stage.run(host=host, port=port, records_dir=records_dir)


# --- import: bring your own data (geo.imports) -----------------------------------------------


@main.group("import")
def import_group():
    """Bring your own incidents: ACLED and UCDP GED exports, or any CSV table.

    Each event is placed in its district by its own coordinates, else by its
    names through the geocoder. Rows that cannot be used are reported as
    file:line: field: problem and written to OUT-rejects.csv beside the output.
    """


def _finish_import(result, source, out_path, strict, learn=True):
    """Report problems, write the records and rejects, print the counts; learn the places unless told not to."""
    from .imports import write_result
    from .schema import INCIDENT_COLUMNS

    out, rejects, total = write_result(result, out_path, [source], columns=INCIDENT_COLUMNS, strict=strict)
    for problem in result.problems:
        click.echo(problem, err=True)
    counts = result.counts()
    click.echo(
        f"{counts['read']} rows read: {counts['district']} placed in a district, "
        f"{counts['province']} at province level only, {counts['rejected']} rejected"
        f" ({rejects}); {out} holds {total} records"
    )
    if learn:
        added = result.learn()
        click.echo(f"learned {len(added)} new place names into the local gazetteer (--no-learn skips this)")


@import_group.command("acled")
@click.argument("source", type=click.Path(path_type=Path))
@_out_option
@_strict_option
@_no_learn_option
@_report_errors
def import_acled(source, out_path, strict, no_learn):
    """Import an ACLED export (CSV as ACLED's export tool writes it).

    Example: geo import acled acled-afghanistan.csv --out my-incidents.csv
    """
    from .imports import import_acled as read_acled

    _finish_import(read_acled(source), source, out_path, strict, learn=not no_learn)


@import_group.command("ucdp")
@click.argument("source", type=click.Path(path_type=Path))
@_out_option
@_strict_option
@_no_learn_option
@_report_errors
def import_ucdp(source, out_path, strict, no_learn):
    """Import a UCDP GED export (CSV).

    Example: geo import ucdp GEDEvent_v24_1.csv --out my-incidents.csv
    """
    from .imports import import_ucdp as read_ucdp

    _finish_import(read_ucdp(source), source, out_path, strict, learn=not no_learn)


@import_group.command("csv")
@click.argument("source", type=click.Path(path_type=Path))
@_out_option
@click.option("--date-column", help="Column of event dates (guessed: event_date, date, ...).")
@click.option(
    "--date-format", help="strptime format of the dates, e.g. %d/%m/%Y (default: YYYY-MM-DD or '28 September 2019')."
)
@click.option("--place-column", help="Column of place names (guessed: location, place, village, ...).")
@click.option("--district-column", help="Column of district names (guessed: admin2, district, ...).")
@click.option("--province-column", help="Column of province names (guessed: admin1, province, ...).")
@click.option("--lat-column", help="Column of latitudes (guessed: latitude, lat).")
@click.option("--lon-column", help="Column of longitudes (guessed: longitude, lon, lng).")
@click.option("--type-column", help="Column of ACLED event or sub-event types (guessed: event_type, type, ...).")
@click.option("--fatalities-column", help="Column of death counts (guessed: fatalities, deaths, killed, ...).")
@click.option("--notes-column", help="Column of descriptions (guessed: notes, description, ...).")
@click.option("--source-column", help="Column of sources (guessed: source, outlet).")
@click.option("--id-column", help="Column of the table's own event ids (guessed: event_id, id; else line-N).")
@click.option("--actor-column", help="Column of the acting party (guessed: actor1, actor, ...).")
@click.option("--dataset", help="Name the records cite as their dataset (default: the file name).")
@_strict_option
@_no_learn_option
@_report_errors
def import_csv(source, out_path, date_format, dataset, strict, no_learn, **column_options):
    """Import any CSV table of incidents; columns are named or guessed from the header.

    Example: geo import csv my-incidents.csv --date-column Day --date-format %d/%m/%Y
    --place-column Village --province-column Province --out my-records.csv
    """
    from .imports import import_table

    columns = {name.removesuffix("_column"): value for name, value in column_options.items() if value}
    result = import_table(source, columns=columns, date_format=date_format, dataset=dataset)
    _finish_import(result, source, out_path, strict, learn=not no_learn)
