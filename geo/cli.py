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
            raise click.ClickException(f"{_output_of(kwargs)}could not write the output ({detail}); is the disk full?") from error

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


@data.command("list")
def data_list():
    """List the public data files with their licence and source."""
    from . import data as data_stage

    for entry in data_stage.manifest().values():
        click.echo(f"{entry.name}\t{entry.licence}\t{entry.url}")


# Commands of the later stages are registered below, one block per stage.


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
@click.option("--incidents", "incident_files", multiple=True, type=click.Path(path_type=Path), help="Incident CSV (repeatable; default seeds/incidents.csv).")
@click.option("--claims", "claim_files", multiple=True, type=click.Path(path_type=Path), help="Claim CSV (repeatable; default seeds/claims.csv).")
@_report_errors
def validate(incident_files, claim_files):
    """Check every record; report each problem as file:line: field: problem."""
    from . import records, validation

    incident_tables = [records.read_table(path) for path in incident_files or [records.INCIDENTS_FILE]]
    claim_tables = [records.read_table(path) for path in claim_files or [records.CLAIMS_FILE]]
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


@main.command("import-claims")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("--date", "date_text", required=True, help="The assessment's date, YYYY-MM-DD.")
@click.option("--claimant", required=True, help="Who made the assessment, e.g. 'Long War Journal'.")
@click.option("--out", "out_path", required=True, type=click.Path(path_type=Path), help="Claims CSV to write (not into seeds/ unless you say so).")
@click.option("--source", default=None, help="Citation for every claim (default: claimant and file name).")
@click.option("--district-column", default=None, help="Column of district names.")
@click.option("--province-column", default=None, help="Column of province names.")
@click.option("--status-column", default=None, help="Column of control status, in the table's own words.")
@_report_errors
def import_claims(table, date_text, claimant, out_path, source, district_column, province_column, status_column):
    """Import a whole district-control assessment table as claims of one date.

    Example: geo import-claims lwj_district_control_2018-09-24.csv --date 2018-09-24
    --claimant "Long War Journal" --out maps/lwj-claims.csv
    """
    from . import assessments, records

    claims = assessments.import_assessment(
        table,
        date=_parse_date(date_text, "--date"),
        claimant=claimant,
        source=source,
        district_column=district_column,
        province_column=province_column,
        status_column=status_column,
    )
    records.write_table(claims, out_path, records.CLAIM_COLUMNS)
    counts = claims["status"].value_counts()
    click.echo(f"{len(claims)} claims written to {out_path}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


@main.command()
@click.option("--date", "date_text", help="Map as of this date, YYYY-MM-DD.")
@click.option("--from", "from_text", help="First date of a series.")
@click.option("--to", "to_text", help="Last date of a series.")
@click.option("--every", default="7d", show_default=True, help="Step of a series, in days (7d).")
@click.option("--window", "window_text", default=str(settings.default_window_days), show_default=True, help="Days of incidents up to the date, or 'all'.")
@click.option("--out", "out_dir", default="maps", show_default=True, type=click.Path(path_type=Path), help="Output folder.")
@click.option("--claims", "claim_files", multiple=True, type=click.Path(path_type=Path), help="Extra claim CSV, e.g. an imported assessment (repeatable).")
@click.option("--incidents", "incident_files", multiple=True, type=click.Path(path_type=Path), help="Incident CSV instead of seeds/incidents.csv (repeatable).")
@click.option("--cdn", is_flag=True, help="Link the map's libraries from CDNs instead of inlining them (smaller file, needs internet).")
@_report_errors
def build(date_text, from_text, to_text, every, window_text, out_dir, claim_files, incident_files, cdn):
    """Build the map and GIS files as of a date (or a series of dates).

    Writes DATE.html, DATE-districts.geojson, DATE-incidents.geojson and
    DATE.gpkg into --out.
    """
    from tqdm import tqdm

    from . import build as build_stage
    from . import records

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
    if not date_text:
        _check_series(dates[0], dates[1], _parse_every(every))
    inputs = build_stage.Inputs.load(incident_files, [records.CLAIMS_FILE, *claim_files])
    if date_text:
        output = build_stage.build(inputs, dates[0], out_dir, window_days=window_days, self_contained=not cdn)
        outputs = [output]
    else:
        outputs = build_stage.build_series(
            inputs,
            dates[0],
            dates[1],
            _parse_every(every),
            out_dir,
            window_days=window_days,
            self_contained=not cdn,
            progress=lambda items: tqdm(items, desc="maps", unit="map", disable=None),
        )
    for output in outputs:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(output.status_counts.items()))
        click.echo(f"{output.html}  ({output.incident_count} incidents; {statuses})")
    if len(outputs) > 1:
        click.echo(Path(out_dir) / "index.html")


# --- geocode: the gazetteer and geocoder stage -------------------------------------------


@main.command("geocode")
@click.argument("name", required=False)
@click.option("--province", "-p", default=None, help="Province the place was reported in (any spelling, or a pcode such as AF30).")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path), help="Geocode every row of a UTF-8 CSV with a 'name' column (and an optional 'province' column).")
@click.option("--out", "out_path", type=click.Path(path_type=Path), help="Where --csv writes its result (default: stdout).")
@_report_errors
def geocode(name, province, as_json, csv_path, out_path):
    """Resolve a place NAME to its OCHA district (or province).

    \b
    geo geocode Taluqan
    geo geocode Baharak --province Takhar --json
    geo geocode --csv places.csv --out places-geocoded.csv

    A name that matches nothing, or several districts in different provinces,
    exits non-zero with the closest names or the candidates. With --csv every
    row is answered (exit 0): the rows keep their columns and order, and gain
    pcode, level, district, province_pcode, score, matched_name, source, lat,
    lon, match_type, candidates and reason (empty pcode when unresolved).
    """
    from .errors import GeocodeError, InputError

    if csv_path is not None:
        if name is not None:
            raise InputError("give a place NAME or --csv FILE, not both")
        _geocode_csv(csv_path, out_path)
        return
    if name is None:
        raise InputError("give a place NAME to geocode, or --csv FILE")
    if out_path is not None:
        raise InputError("--out is for --csv results; a single name is printed")

    from . import geocoder

    match = geocoder.resolve(name, province)
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
    details = [match.level]
    if match.matched_name:
        score = f", score {match.score:.0f}" if match.score is not None else ""
        details.append(f"{match.match_type} match of {match.matched_name!r} ({match.source}){score}")
    if match.reason:
        details.append(match.reason)
    click.echo(f"{match.pcode}  {match.address.removesuffix(', Afghanistan')}  ({'; '.join(details)})")


def _geocode_csv(csv_path, out_path):
    """`geo geocode --csv`: read, geocode every row, write atomically."""
    from . import _csv, geocoder
    from ._files import atomic_path
    from .errors import InputError

    frame = _read_names_csv(csv_path)
    if out_path is not None and not Path(out_path).parent.is_dir():
        raise InputError(f"{out_path}: folder {Path(out_path).parent} does not exist")
    province_column = "province" if "province" in frame.columns else None
    # A progress bar for big files only; tqdm hides it when stderr is not a terminal.
    result = geocoder.geocode_frame(frame, "name", province_column, progress=len(frame) >= 1000)
    for column in ("lat", "lon"):
        result[column] = result[column].astype(float).round(6)
    # Spreadsheet-safe text cells (OWASP CSV injection); numbers untouched.
    written = _csv.escape_cells(result, _csv.text_columns(result, numeric=("score", "lat", "lon")))
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

    from .errors import InputError

    from ._csv import read_bytes

    path = Path(path)
    # Missing file, a folder, NUL bytes and non-UTF-8 text: one line each.
    text = read_bytes(path).decode("utf-8-sig")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise InputError(f"{path}: empty file; expected a header row with a 'name' column") from None
    except pd.errors.ParserError as error:
        detail = str(error).strip().splitlines()[-1]
        raise InputError(f"{path}: not a readable CSV ({detail})") from None
    if "name" not in frame.columns:
        columns = ", ".join(map(str, frame.columns)) or "none"
        raise InputError(f"{path}: no 'name' column (columns: {columns})")
    return frame
