"""The ``geo`` command line: a thin layer over the pipeline stages.

Each command parses its options, calls one stage's public functions and prints
the result. Errors derived from :class:`geo.errors.GeoError` become one line on
stderr and a non-zero exit; nothing here holds pipeline logic.
"""

import functools
import sys
from pathlib import Path

import click

from . import __version__, settings
from .errors import GeoError


def _report_errors(command):
    """Turn GeoError (and bad files) into one line on stderr and exit 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except GeoError as error:
            raise click.ClickException(str(error)) from None
        except UnicodeDecodeError as error:
            raise click.ClickException(f"input is not UTF-8 text ({error.reason} at byte {error.start})") from None
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            raise click.ClickException(f"{where}{error.strerror or error}") from None

    return wrapper


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
