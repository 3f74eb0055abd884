"""Checked copies (geo._checked): an import's validated records are not validated again by the build,
unless the CSV changed; then the full validation runs and catches what was planted."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import _checked, records, settings
from geo.cli import main
from geo.errors import ValidationError

FIXTURE = Path(__file__).parent / "data" / "acled_fixture.csv"


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=True)


@pytest.fixture()
def imported(tmp_path):
    out = tmp_path / "incidents.csv"
    result = _run("import", "acled", FIXTURE, "--out", out, "--no-learn")
    assert result.exit_code == 0, result.output
    return out


def _frames_equal(left, right):
    pd.testing.assert_frame_equal(
        pd.DataFrame(left.drop(columns="geometry")), pd.DataFrame(right.drop(columns="geometry")), check_dtype=True
    )
    assert left.geometry.geom_equals(right.geometry).all()


def test_import_writes_a_copy_the_build_reads_with_the_same_result(imported, monkeypatch):
    copy = _checked.checked_path(imported)
    assert copy.is_file() and copy.name == "incidents.csv.checked.arrow"
    table = _checked.read_checked(imported, "incidents")
    assert table is not None and len(table) == 12
    assert _checked.read_checked(imported, "claims") is None
    from_copy = records.load_incidents([imported])
    monkeypatch.setattr(settings, "checked_copies", False)
    assert _checked.read_checked(imported, "incidents") is None
    _frames_equal(from_copy, records.load_incidents([imported]))


def _plant(path, old, new):
    """Replace `old` by `new` (same length) in the file, keeping its size and modification time."""
    stat = os.stat(path)
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old) == len(new)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert os.stat(path).st_size == stat.st_size and os.stat(path).st_mtime_ns == stat.st_mtime_ns


def test_an_edited_csv_is_validated_in_full_even_with_its_size_and_time_kept(imported):
    first_date = pd.read_csv(imported, dtype=str)["event_date"].iloc[0]
    _plant(imported, f",{first_date},", ",2019-02-30,")
    assert _checked.read_checked(imported, "incidents") is None
    with pytest.raises(ValidationError) as error:
        records.load_incidents([imported])
    assert "incidents.csv:2: event_date: '2019-02-30' is not a date" in str(error.value)
    result = _run("build", "--date", "2019-12-31", "--window", "all", "--incidents", imported, "--out", imported.parent)
    assert result.exit_code == 1 and "incidents.csv:2: event_date" in result.output


def test_a_copy_of_another_validator_or_of_an_unvalidated_file_is_ignored(imported, monkeypatch):
    monkeypatch.setattr(_checked, "validator_fingerprint", lambda: "another geo")
    assert _checked.read_checked(imported, "incidents") is None
    monkeypatch.undo()
    # A file written without `checked` (nobody validated it) loses its copy.
    table = records.read_table(imported).drop(columns=["_line", "_width"])
    records.write_table(table, imported, records.INCIDENT_COLUMNS)
    assert not _checked.checked_path(imported).exists()


def test_re_import_merges_from_the_copy_and_keeps_it(imported, tmp_path):
    before = _checked.read_checked(imported, "incidents")
    result = _run("import", "acled", FIXTURE, "--out", imported, "--no-learn")
    assert result.exit_code == 0, result.output
    after = _checked.read_checked(imported, "incidents")
    assert after is not None
    pd.testing.assert_frame_equal(before, after)
    # An out file the user wrote (no copy) is merged, and its rows are not vouched for.
    hand = tmp_path / "hand.csv"
    shutil.copy(imported, hand)
    result = _run("import", "acled", FIXTURE, "--out", hand, "--no-learn")
    assert result.exit_code == 0, result.output
    assert not _checked.checked_path(hand).exists()
    assert len(records.load_incidents([hand])) == 12


def test_repeated_event_ids_or_article_citations_get_no_copy():
    assert not _checked.is_checkable(pd.DataFrame({"event_id": ["a", "a"], "source_file": ["", ""]}))
    assert not _checked.is_checkable(pd.DataFrame({"event_id": ["a", "b"], "source_file": ["x.txt", ""]}))
    assert _checked.is_checkable(pd.DataFrame({"event_id": ["a", "b"], "source_file": ["", ""]}))
