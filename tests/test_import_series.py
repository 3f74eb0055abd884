"""``geo import-claims`` of a dated control series (hand-made, in the shape of a
published 2021 series: names as its source spells them, M/D/YYYY dates, codes
1/0/2), then ``geo build --from --to --every`` shows districts changing hands."""

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import records, validation
from geo.cli import main
from geo.errors import InputError
from geo.imports.claims import parse_status_map

FIXTURE = Path(__file__).parent / "data" / "control_series_2021.csv"
OPTIONS = [
    "--date-column",
    "Date",
    "--date-format",
    "%m/%d/%Y",
    "--status-column",
    "Control",
    "--status-map",
    "1=taliban,0=government,2=contested",
    "--district-column",
    "District",
    "--province-column",
    "Province",
    "--claimant",
    "Made-up analyst",
]


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("series") / "control.csv"
    result = _run("import-claims", FIXTURE, "--out", out, *OPTIONS)
    assert result.exit_code == 0, result.output
    return result, out, pd.read_csv(out, dtype=str, keep_default_na=False)


def test_one_command_imports_the_series(imported):
    result, out, claims = imported
    assert result.stdout.strip() == (
        f"56 claims written to {out}: contested 11, government 17, taliban 28; "
        f"2 rows rejected ({out.with_name('control-rejects.csv')})"
    )
    assert result.stderr.splitlines() == [
        (
            "control_series_2021.csv:30: District: 'Dand' (Kandahar) is not a district the geocoder knows "
            "(no place called 'Dand' in Kandahar; answered with the province)"
        ),
        "control_series_2021.csv:31: Control: '' names no status (taliban, contested, government)",
    ]
    assert sorted(set(claims["date"])) == ["2021-04-15", "2021-06-15", "2021-07-15", "2021-08-15"]
    assert claims["claim_id"].is_unique and claims["claim_id"].iloc[0] == "MUA20210415-0001"
    assert validation.claim_problems(records.read_table(out)) == []


def test_spellings_are_placed(imported):
    _, _, claims = imported
    first = claims[claims["date"] == "2021-04-15"].set_index("notes")
    placed = dict(zip(claims["pcode"], claims["district"]))
    assert placed["AF3002"] == "Nad-e-Ali"  # "Nad Ali"
    assert placed["AF2705"] == "Zheray"  # "Zhari"
    assert placed["AF1710"] == "Jorm"  # "Jurm"
    assert placed["AF0901"] == "Pul-e-Khumri"  # "Pul-i-Khumri"
    assert placed["AF2801"] == "Shiberghan"  # "Sheberghan"
    assert len(first) == 14


def test_build_series_shows_districts_changing_hands(imported, tmp_path):
    _, out, _ = imported
    result = _run(
        "build",
        "--from",
        "2021-04-15",
        "--to",
        "2021-08-15",
        "--every",
        "61d",
        "--window",
        "all",
        "--claims",
        out,
        "--out",
        tmp_path,
    )
    assert result.exit_code == 0, result.output

    def statuses(date):
        layer = json.loads((tmp_path / f"{date}-all-districts.geojson").read_text(encoding="utf-8"))  # --window all
        return {feature["properties"]["pcode"]: feature["properties"]["status"] for feature in layer["features"]}

    april, june, august = statuses("2021-04-15"), statuses("2021-06-15"), statuses("2021-08-15")
    assert [april["AF2711"], june["AF2711"], august["AF2711"]] == ["government", "contested", "taliban"]  # Spin Boldak
    assert [april["AF1901"], june["AF1901"], august["AF1901"]] == ["government", "government", "taliban"]  # Kunduz
    assert [april["AF3001"], august["AF3001"]] == ["government", "contested"]  # Lashkargah


def test_skip_and_bad_maps(tmp_path):
    assert parse_status_map("1=taliban, 0=Government ,9=skip") == {"1": "taliban", "0": "government", "9": "skip"}
    with pytest.raises(InputError, match="'3=unclear' is not VALUE=STATUS"):
        parse_status_map("1=taliban,3=unclear")
    out = tmp_path / "skip.csv"
    result = _run(
        "import-claims",
        FIXTURE,
        "--out",
        out,
        *OPTIONS[:-2],
        "--claimant",
        "X",
        "--status-map",
        "1=taliban,0=skip,2=skip,=skip",
    )
    assert result.exit_code == 0, result.output
    assert set(pd.read_csv(out, dtype=str)["status"]) == {"taliban"}


def test_refuses_out_that_is_its_input_and_two_dates(tmp_path):
    copy = tmp_path / "series.csv"
    copy.write_bytes(FIXTURE.read_bytes())
    result = _run("import-claims", copy, "--out", copy, *OPTIONS)
    assert result.exit_code == 1 and "is one of the input files" in result.stderr
    assert copy.read_bytes() == FIXTURE.read_bytes()
    result = _run("import-claims", copy, "--out", tmp_path / "x.csv", "--date", "2021-01-01", *OPTIONS)
    assert result.exit_code == 2 and "not both" in result.stderr
