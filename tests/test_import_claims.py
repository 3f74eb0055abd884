"""Tests for geo.imports.claims and ``geo import-claims`` on an assessment: the Long War
Journal's district-control assessment of 2018-09-24 (public data mirror).
"""

import csv
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import boundaries, records, settings, validation
from geo.cli import main
from geo.errors import InputError
from geo.imports import claims as assessments

LWJ_NAME = "lwj_district_control_2018-09-24.csv"


def _snapshot(folder):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=True)


@pytest.fixture(scope="module")
def lwj_table():
    path = Path(os.environ["GEO_DATA_MIRROR"]) / LWJ_NAME
    assert path.is_file(), f"the assessment is missing from the data mirror: {path}"
    return path


@pytest.fixture(scope="module")
def imported(lwj_table, tmp_path_factory):
    """Run the installed ``geo import-claims`` once; return (process, output path, seeds before)."""
    geo = shutil.which("geo")
    assert geo, "the geo console script is not installed (pip install -e .)"
    seeds_before = _snapshot(settings.SEEDS_DIR)
    out = tmp_path_factory.mktemp("tmp") / "lwj.csv"
    done = subprocess.run(
        [
            geo,
            "import-claims",
            str(lwj_table),
            "--date",
            "2018-09-24",
            "--claimant",
            "Long War Journal",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done, out, seeds_before


@pytest.fixture(scope="module")
def claims(imported):
    done, out, _ = imported
    assert done.returncode == 0, done.stderr
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def _copy_with(lwj_table, folder, line, **changes):
    """A copy of the assessment with `changes` made to the row on file `line`."""
    with open(lwj_table, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for column, value in changes.items():
        rows[line - 1][header.index(column)] = value
    path = folder / "assessment.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path, rows[line - 1]


def test_import_reports_the_counts(imported):
    done, out, _ = imported
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"399 claims written to {out}: contested 212, government 138, taliban 49"


def test_399_claims_with_the_assessments_statuses(claims):
    assert len(claims) == 399
    assert list(claims.columns) == records.CLAIM_COLUMNS
    assert claims["status"].value_counts().to_dict() == {"contested": 212, "government": 138, "taliban": 49}
    assert set(claims["date"]) == {"2018-09-24"}
    assert set(claims["claimant"]) == {"Long War Journal"}
    assert set(claims["source"]) == {f"Long War Journal, {LWJ_NAME}"}
    assert set(claims["source_file"]) == {LWJ_NAME}
    assert claims["claim_id"].is_unique and claims["claim_id"].iloc[0] == "LWJ20180924-0001"
    assert claims["claim_id"].iloc[-1] == "LWJ20180924-0399"


def test_every_district_once_and_real(claims):
    districts = boundaries.load_districts().set_index("district_pcode")
    assert claims["pcode"].is_unique
    assert set(claims["pcode"]) == set(districts.index)
    assert (claims["district"] == claims["pcode"].map(districts["district"])).all()
    assert (claims["province"] == claims["pcode"].map(districts["province"])).all()


def test_each_row_is_placed_at_the_district_it_names(claims, lwj_table):
    """The table uses OCHA names, so every row must land on exactly its own name."""
    table = pd.read_csv(lwj_table, dtype=str, keep_default_na=False)
    assert list(claims["district"]) == list(table["ADM2_EN"])
    assert list(claims["province"]) == list(table["ADM1_EN"])
    words = {"Taliban-Controlled": "taliban", "Contested": "contested", "Government": "government"}
    assert list(claims["status"]) == list(table["Control Under"].map(words))
    assert claims["notes"].iloc[0] == f"row 2: {table['Control Under'].iloc[0]}"


def test_takhar_on_the_eve_of_the_2019_fighting(claims):
    takhar = claims[claims["province"] == "Takhar"].set_index("district")["status"]
    assert len(takhar) == 17
    assert takhar["Taloqan"] == "government"
    assert claims.set_index("pcode").at["AF3009", "status"] == "taliban"  # Musa Qala


def test_output_validates(imported, claims):
    _, out, _ = imported
    assert validation.claim_problems(records.read_table(out)) == []
    result = _run("validate", "--claims", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok: 38 incidents.csv, 399 lwj.csv"
    both = records.load_claims([records.CLAIMS_FILE, out])
    assert len(both) == 21 + 399
    assert both["claim_file"].value_counts().to_dict() == {"lwj.csv": 399, "claims.csv": 21}
    assert pd.api.types.is_datetime64_dtype(both["date"])


def test_nothing_is_written_into_seeds(imported, claims):
    _, out, seeds_before = imported
    assert _snapshot(settings.SEEDS_DIR) == seeds_before
    assert out.parent != settings.SEEDS_DIR
    assert sorted(path.name for path in out.parent.iterdir()) == ["lwj.csv"]


def test_refuses_without_out(lwj_table, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = _snapshot(settings.SEEDS_DIR)
    result = _run("import-claims", lwj_table, "--date", "2018-09-24", "--claimant", "Long War Journal")
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert _snapshot(settings.SEEDS_DIR) == before


def test_refuses_a_bad_date(lwj_table, tmp_path):
    out = tmp_path / "lwj.csv"
    result = _run("import-claims", lwj_table, "--date", "24/09/2018", "--claimant", "Long War Journal", "--out", out)
    assert result.exit_code == 2
    assert "'24/09/2018' is not a date as YYYY-MM-DD" in result.stderr
    assert not out.exists()


def test_unknown_status_word_reports_file_line(lwj_table, tmp_path):
    path, row = _copy_with(lwj_table, tmp_path, 57, **{"Control Under": "Unknown"})
    out = tmp_path / "out.csv"
    result = _run(
        "import-claims", path, "--date", "2018-09-24", "--claimant", "Long War Journal", "--out", out, "--strict"
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "assessment.csv:57: Control Under: 'Unknown' names no status (taliban, contested, government)",
        "Error: 1 problem in the records; nothing written",
    ]
    assert not out.exists()
    # Without --strict the row goes to the rejects and the rest is imported.
    result = _run("import-claims", path, "--date", "2018-09-24", "--claimant", "Long War Journal", "--out", out)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "assessment.csv:57: Control Under: 'Unknown' names no status (taliban, contested, government)"
    ]
    assert len(pd.read_csv(out, dtype=str)) == 398
    rejects = pd.read_csv(tmp_path / "out-rejects.csv", dtype=str, keep_default_na=False)
    assert rejects[["line", "Control Under"]].values.tolist() == [["57", "Unknown"]]


def test_unknown_district_reports_file_line(lwj_table, tmp_path):
    path, row = _copy_with(lwj_table, tmp_path, 120, ADM2_EN="Atlantis")
    out = tmp_path / "out.csv"
    result = _run(
        "import-claims", path, "--date", "2018-09-24", "--claimant", "Long War Journal", "--out", out, "--strict"
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith(
        f"assessment.csv:120: ADM2_EN: 'Atlantis' ({row[1]}) is not a district the geocoder knows ("
    )
    assert "'Atlantis District'" not in lines[0]
    assert lines[1] == "Error: 1 problem in the records; nothing written"
    assert not out.exists()


def test_every_bad_row_is_listed_in_file_order(lwj_table, tmp_path):
    path, _ = _copy_with(lwj_table, tmp_path, 300, **{"Control Under": "Unclear"})
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[9][0] = "Nowhere Valley"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = assessments.import_claims(path, date=pd.Timestamp("2018-09-24").date(), claimant="Long War Journal")
    assert len(result.records) == 397
    assert [p.split(": ")[0] + ": " + p.split(": ")[1] for p in result.problems] == [
        "assessment.csv:10: ADM2_EN",
        "assessment.csv:300: Control Under",
    ]


def test_a_table_naming_one_district_twice_is_refused(lwj_table, tmp_path):
    # Line 3 (Argo, Badakhshan) renamed to the district of line 2.
    with open(lwj_table, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[2][0] = rows[1][0]
    path = tmp_path / "twice.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    result = assessments.import_claims(path, date=pd.Timestamp("2018-09-24").date(), claimant="Long War Journal")
    code = boundaries.load_districts().set_index("district")["district_pcode"][rows[1][0]]
    assert result.problems == [
        f"twice.csv:3: ADM2_EN: '{rows[1][0]}' ({rows[1][1]}) names the same district ({code}) as line 2"
    ]


def test_named_columns_and_missing_columns(lwj_table, tmp_path):
    renamed = tmp_path / "renamed.csv"
    text = lwj_table.read_text(encoding="utf-8").replace("ADM2_EN,ADM1_EN,Control Under", "Wuluswali,Wilayat,Rating", 1)
    renamed.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"no district column .*--district-column"):
        assessments.import_claims(renamed, date=pd.Timestamp("2018-09-24").date(), claimant="LWJ")
    with pytest.raises(InputError, match=r"no column 'Districts'"):
        assessments.import_claims(
            renamed, date=pd.Timestamp("2018-09-24").date(), claimant="LWJ", district_column="Districts"
        )
    out = tmp_path / "renamed-claims.csv"
    result = _run(
        "import-claims",
        renamed,
        "--date",
        "2018-09-24",
        "--claimant",
        "FDD Long War Journal",
        "--out",
        out,
        "--district-column",
        "Wuluswali",
        "--province-column",
        "Wilayat",
        "--status-column",
        "Rating",
    )
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(written) == 399 and written["claim_id"].iloc[0] == "FLWJ20180924-0001"


@pytest.mark.parametrize(
    "words, status",
    [
        ("Taliban-Controlled", "taliban"),
        ("Taliban controlled", "taliban"),
        ("Insurgent activity", "taliban"),
        ("Contested", "contested"),
        ("CONTESTED", "contested"),
        ("Government", "government"),
        ("Gov't", "government"),
        ("Government-Controlled or Influenced", "government"),
        ("", None),
        ("Unknown", None),
    ],
)
def test_status_words(words, status):
    assert assessments.status_from_words(words) == status
