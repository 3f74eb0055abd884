"""Absurd option values and failed writes: one line, a non-zero exit, nothing written.

Options are checked before any record is read (click's BadParameter, exit 2,
naming the option). Write failures are real: a `geo build` process whose
file-size limit (RLIMIT_FSIZE) is far below the size of a map, so the
operating system refuses the writes as it would on a full disk.
"""

import os
import resource
import shutil
import signal
import subprocess

import pytest
from click.testing import CliRunner

from geo import settings
from geo.cli import main


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def _error_lines(result):
    return [line for line in result.output.splitlines() if line.startswith("Error")]


ABSURD = [
    (["--date", "0001-01-01"], "--date", "0001-01-01 is outside 1979-2100"),
    (["--date", "9999-12-31"], "--date", "9999-12-31 is outside 1979-2100"),
    (["--date", "2019-02-30"], "--date", "'2019-02-30' is not a date as YYYY-MM-DD"),
    (["--date", "2019-09-30", "--window", "99999999999"], "--window", "99999999999 is more than 45,000 days"),
    (["--date", "2019-09-30", "--window", "9" * 40], "--window", "is more than 45,000 days"),
    (["--date", "2019-09-30", "--window", "0"], "--window", "'0' is not a number of days or 'all'"),
    (["--date", "2019-09-30", "--window", "-5"], "--window", "'-5' is not a number of days or 'all'"),
    (["--date", "2019-09-30", "--window", "\u0663"], "--window", "is not a number of days or 'all'"),
    (["--from", "2019-01-01", "--to", "2019-02-01", "--every", "9" * 30 + "d"], "--every", "is more than 45,000 days"),
    (["--from", "2019-01-01", "--to", "2019-02-01", "--every", "0d"], "--every", "'0d' is not a number of days"),
    (["--from", "1979-01-01", "--to", "2100-12-31"], "--from/--to", "is 6,366 maps, more than 1,000"),
    (["--from", "1979-01-01", "--to", "2100-12-31", "--every", "1"], "--from/--to", "is 44,560 maps, more than 1,000"),
    (["--from", "2019-02-01", "--to", "2019-01-01"], "--from/--to", "--from 2019-02-01 is after --to 2019-01-01"),
]


@pytest.mark.parametrize("args, option, message", ABSURD, ids=[" ".join(case[0])[:40] for case in ABSURD])
def test_absurd_option_is_one_line_naming_the_option(tmp_path, args, option, message):
    out = tmp_path / "maps"
    result = _run("build", *args, "--out", out)
    assert result.exit_code == 2, result.output
    (line,) = _error_lines(result)
    assert line.startswith(f"Error: Invalid value for {option}: ") and message in line, line
    assert "Traceback" not in result.output
    assert not out.exists()


def test_series_limit_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "max_series_maps", 3)
    result = _run("build", "--from", "2019-09-01", "--to", "2019-09-30", "--every", "7d", "--out", tmp_path / "maps")
    assert result.exit_code == 2
    assert "is 5 maps, more than 3" in _error_lines(result)[0]


def _limited_build(out, limit_bytes):
    """`geo build` in a process that may not write a file larger than `limit_bytes`."""

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    geo = shutil.which("geo")
    assert geo, "the geo console script is not installed (pip install -e .)"
    return subprocess.run(
        [geo, "build", "--date", "2019-09-30", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limit,
        env=dict(os.environ),
    )


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory):
    """One whole build first: the data cache and the gazetteer are written
    without the limit, so the limited build fails writing its maps only."""
    result = _run("build", "--date", "2019-09-30", "--out", tmp_path_factory.mktemp("warm"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("limit_bytes", [50_000, 3_000_000])
def test_failed_write_is_one_line_and_leaves_no_partial_file(tmp_path, warm_cache, limit_bytes):
    """50 kB: the first GeoJSON fails inside GDAL; 3 MB: a later file fails."""
    out = tmp_path / "maps"
    out.mkdir()
    done = _limited_build(out, limit_bytes)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {out}"), done.stderr
    assert "Traceback" not in done.stderr
    # No file of the failed map is left, whole or cut short (the files that
    # were written before the failing one are not kept either), and no
    # temporary file.
    assert sorted(path.name for path in out.iterdir()) == []


def test_build_failing_at_its_last_file_leaves_none_of_its_files(tmp_path, warm_cache):
    """The page is written last: when it cannot be (a folder holds its name), the
    GeoJSON, GeoPackage and GeoParquet written before it are not left either."""
    out = tmp_path / "maps"
    (out / "2019-09-30.html").mkdir(parents=True)
    result = _run("build", "--date", "2019-09-30", "--out", out)
    assert result.exit_code == 1
    lines = _error_lines(result)
    assert len(lines) == 1 and "2019-09-30.html" in lines[0], result.output
    assert sorted(path.name for path in out.iterdir()) == ["2019-09-30.html"]
