"""Tests for `geo geocode`: single names, --json, --csv, and every bad input."""

import io
import json
import os
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import settings
from geo.cli import main


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, ["geocode", *args], catch_exceptions=False)

    return invoke


def _one_line_error(result):
    """A user error: exit 1, one line on stderr, no traceback."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    assert "Traceback" not in result.output
    return lines[0]


# --- single names ---------------------------------------------------------------------------


def test_plain_output_is_one_readable_line(run):
    result = run("Taluqan")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("AF1801  Taloqan, Takhar  (district; exact match of")


def test_as_place_answers_a_province_named_place_with_its_capital(run):
    mention = json.loads(run("Ghazni", "--province", "Ghazni", "--json").stdout)
    place = json.loads(run("Ghazni", "--province", "Ghazni", "--as", "place", "--json").stdout)
    assert (mention["pcode"], mention["level"]) == ("AF11", "province")
    assert (place["pcode"], place["level"]) == ("AF1101", "district")
    assert "named like its province" in place["reason"]


def test_as_place_in_csv_mode(run, tmp_path):
    source = _write(
        tmp_path / "in.csv", "name,province\nKandahar,Kandahar\nKabul,Kabul\nHelmand province,\nTaluqan,Takhar\n"
    )
    places = run("--csv", str(source), "--as", "place")
    mentions = run("--csv", str(source))
    assert places.exit_code == 0 and mentions.exit_code == 0, places.output
    place_table = pd.read_csv(io.StringIO(places.stdout), dtype=str, keep_default_na=False)
    mention_table = pd.read_csv(io.StringIO(mentions.stdout), dtype=str, keep_default_na=False)
    assert place_table["pcode"].tolist() == ["AF2701", "AF0101", "AF30", "AF1801"]
    assert mention_table["pcode"].tolist() == ["AF27", "AF01", "AF30", "AF1801"]


def test_unknown_role_is_a_one_line_error(run):
    result = run("Ghazni", "--as", "city")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_json_output(run):
    result = run("Baharak", "--province", "Takhar", "--json")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    for field in ["pcode", "level", "district", "province", "score", "matched_name", "source", "lat", "lon"]:
        assert field in answer
    assert answer["pcode"] == "AF1803"
    assert answer["level"] == "district"
    assert answer["province"] == "Takhar"
    assert answer["score"] == 100


def test_province_level_answer_for_garbage_with_province(run):
    result = run("Qwrtzp", "-p", "Takhar", "--json")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert answer["pcode"] == "AF18" and answer["level"] == "province"
    assert "Qwrtzp" in answer["reason"]


def test_unknown_name_lists_three_closest(run):
    line = _one_line_error(run("Xyzzy"))
    assert line.startswith("Error: no place called 'Xyzzy'; closest: ")
    closest = line.split("closest: ", 1)[1].split(", ")
    assert len(closest) == 3
    assert all(item.endswith(")") and " (" in item for item in closest)


def test_ambiguous_name_lists_candidates_with_provinces(run):
    line = _one_line_error(run("Baharak"))
    assert "ambiguous" in line
    assert "Baharak (Badakhshan) AF1706" in line and "Baharak (Takhar) AF1803" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([""], "empty place name"),
        (["   "], "empty place name"),
        (["x" * 10_000], "10000 characters long"),
        ([], "give a place NAME"),
        (["Taluqan", "--out", "x.csv"], "--out is for --csv"),
    ],
)
def test_bad_single_names(run, args, message):
    assert message in _one_line_error(run(*args))


# --- CSV ----------------------------------------------------------------------------------


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_in_out_keeps_rows_columns_and_order(run, tmp_path):
    source = _write(
        tmp_path / "in.csv",
        "id,name,province\n"
        "1,Taluqan,Takhar\n"
        "2,Xyzzy,\n"
        "3,Baharak,\n"
        "4,Musa Kala,Helmand\n"
        "5,,\n"
        "6,Qwrtzp,Takhar\n"
        "7,Chah Ab,\n",
    )
    out = tmp_path / "out.csv"
    result = run("--csv", str(source), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "7 names" in result.stderr
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert table["id"].tolist() == list("1234567")
    assert table.columns[:3].tolist() == ["id", "name", "province"]
    for column in [
        "pcode",
        "level",
        "district",
        "province_pcode",
        "score",
        "matched_name",
        "source",
        "lat",
        "lon",
        "reason",
    ]:
        assert column in table.columns
    assert table["pcode"].tolist() == ["AF1801", "", "", "AF3009", "", "AF18", "AF1816"]
    reasons = table.set_index("id")["reason"]
    assert reasons["2"] == "no place called 'Xyzzy'"
    assert "ambiguous" in reasons["3"]
    assert reasons["5"] == "empty name"
    assert "answered with the province" in reasons["6"]
    assert reasons["1"] == "exact match of 'Taluqan' (alias)"
    assert table["confidence"].astype(float).between(0, 1).all()
    # Written atomically: no temporary file is left beside it.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.csv", "out.csv"]


def test_csv_to_stdout_without_province_column(run, tmp_path):
    source = _write(tmp_path / "names.csv", "name\nJalalabad\nFirozkoh City\n")
    result = run("--csv", str(source))
    assert result.exit_code == 0
    table = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert table["pcode"].tolist() == ["AF0601", "AF2301"]


def test_csv_with_bom_and_long_names(run, tmp_path):
    source = _write(tmp_path / "bom.csv", "\ufeffname\n" + "y" * 10_000 + "\nObe\n")
    result = run("--csv", str(source))
    assert result.exit_code == 0
    table = pd.read_csv(io.StringIO(result.stdout), dtype=str, keep_default_na=False)
    assert table["pcode"].tolist() == ["", "AF3212"]
    assert "longer than" in table["reason"].iloc[0]


def test_csv_without_name_column(run, tmp_path):
    source = _write(tmp_path / "places.csv", "place,province\nTaluqan,Takhar\n")
    line = _one_line_error(run("--csv", str(source)))
    assert str(source) in line and "no 'name' column" in line and "place, province" in line


def test_csv_not_utf8(run, tmp_path):
    source = _write(tmp_path / "latin1.csv", "name\nKarukh\nQal\u00e9h\n", encoding="latin-1")
    line = _one_line_error(run("--csv", str(source)))
    assert str(source) in line and "not UTF-8" in line


def test_csv_missing_file(run, tmp_path):
    missing = tmp_path / "nowhere.csv"
    line = _one_line_error(run("--csv", str(missing)))
    assert str(missing) in line and "no such file" in line


def test_csv_empty_file_and_folder(run, tmp_path):
    empty = _write(tmp_path / "empty.csv", "")
    assert "empty file" in _one_line_error(run("--csv", str(empty)))
    assert "is a folder" in _one_line_error(run("--csv", str(tmp_path)))


def test_csv_output_folder_must_exist(run, tmp_path):
    source = _write(tmp_path / "in.csv", "name\nObe\n")
    line = _one_line_error(run("--csv", str(source), "--out", str(tmp_path / "no" / "out.csv")))
    assert "does not exist" in line


def test_csv_and_name_together(run, tmp_path):
    source = _write(tmp_path / "in.csv", "name\nObe\n")
    assert "not both" in _one_line_error(run("Obe", "--csv", str(source)))


# --- the installed command ----------------------------------------------------------------


def test_installed_geo_command(tmp_path):
    """`geo geocode` as a user runs it: real process, exit codes, streams."""
    # PYTHONPATH: the code under test, whichever checkout the `geo` script was installed from.
    environment = dict(
        os.environ,
        GEO_CACHE_DIR=str(settings.cache_dir),
        GEO_DATA_MIRROR=str(settings.data_mirror),
        PYTHONPATH=os.pathsep.join(filter(None, [str(settings.PROJECT_DIR), os.environ.get("PYTHONPATH")])),
    )
    command = ["geo"]
    ok = subprocess.run([*command, "geocode", "Musa Kala", "--json"], capture_output=True, text=True, env=environment)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["pcode"] == "AF3009"
    unknown = subprocess.run([*command, "geocode", "Xyzzy"], capture_output=True, text=True, env=environment)
    assert unknown.returncode == 1
    assert unknown.stdout == ""
    assert unknown.stderr.startswith("Error: no place called 'Xyzzy'; closest: ")
    assert "Traceback" not in unknown.stderr


# --- geo gazetteer learn / forget ------------------------------------------------------------


def test_gazetteer_learn_and_forget_commands(tmp_path):
    runner = CliRunner()
    runner.invoke(main, ["gazetteer", "forget"], catch_exceptions=False)
    source = _write(tmp_path / "acled.csv", "name,province,latitude,longitude\nQarya-e Wxyzabad,Takhar,36.73,69.53\n")
    learned = runner.invoke(main, ["gazetteer", "learn", str(source)], catch_exceptions=False)
    assert learned.exit_code == 0 and "learned 1 new names" in learned.output
    answer = json.loads(runner.invoke(main, ["geocode", "Qarya-e Wxyzabad", "-p", "Takhar", "--json"]).stdout)
    assert answer["level"] == "district" and answer["source"] == "learned:acled.csv"
    forgot = runner.invoke(main, ["gazetteer", "forget"], catch_exceptions=False)
    assert forgot.exit_code == 0 and "forgot 1 learned names" in forgot.output
    answer = json.loads(runner.invoke(main, ["geocode", "Qarya-e Wxyzabad", "-p", "Takhar", "--json"]).stdout)
    assert answer["level"] == "province"


def test_gazetteer_learn_without_coordinates_is_a_one_line_error(tmp_path):
    source = _write(tmp_path / "names.csv", "name\nFoo\n")
    result = CliRunner().invoke(main, ["gazetteer", "learn", str(source)], catch_exceptions=False)
    assert "latitude" in _one_line_error(result)
