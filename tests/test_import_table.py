"""``geo import csv``: a user's own table, columns named or guessed."""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import records, validation
from geo.cli import main
from geo.errors import InputError
from geo.imports import import_table

FIXTURE = Path(__file__).parent / "data" / "own_incidents.csv"
NAMED = [
    "--date-format",
    "%d/%m/%Y",
    "--place-column",
    "Village",
    "--lat-column",
    "Lat",
    "--lon-column",
    "Lon",
    "--type-column",
    "Kind",
    "--fatalities-column",
    "Killed",
    "--notes-column",
    "What happened",
    "--source-column",
    "Reported by",
    "--actor-column",
    "Perpetrator",
    "--dataset",
    "My notebook",
]


def test_named_columns(tmp_path):
    out = tmp_path / "mine.csv"
    result = CliRunner().invoke(main, ["import", "csv", str(FIXTURE), "--out", str(out), *NAMED])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("5 rows read: 3 placed in a district, 0 at province level only, 2 rejected")
    assert result.stderr.splitlines() == [
        "own_incidents.csv:5: Day: '31/09/2019' is not a date as %d/%m/%Y (set --date-format)",
        "own_incidents.csv:6: Kind: 'Parade' is not an ACLED event or sub-event type",
    ]
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert validation.incident_problems(records.read_table(out)) == []
    assert table["event_id"].tolist() == ["line-2", "line-3", "line-4"]
    assert table["pcode"].tolist() == ["AF3002", "AF1801", "AF0601"]
    assert table["placed_by"].tolist() == ["coordinates", "geocoder", "coordinates"]
    assert table.loc[2, ["event_type", "sub_event_type"]].tolist() == ["Explosions/Remote violence", "Suicide bomb"]
    assert table.loc[0, ["event_date", "fatalities", "actor1", "source", "dataset"]].tolist() == [
        "2019-09-28",
        "3",
        "Taliban",
        "Local reporter",
        "My notebook",
    ]


def test_guessed_columns(tmp_path):
    path = tmp_path / "guess.csv"
    path.write_text(
        "id,date,location,province,latitude,longitude,event_type,deaths\n"
        "a1,2019-09-28,Taloqan,Takhar,36.7433,69.6285,Battles,2\n"
        "a2,2019-09-27,Kunduz,Kunduz,,,battles,0\n",
        encoding="utf-8",
    )
    result = import_table(path)
    assert result.problems == []
    assert result.records[["event_id", "pcode", "fatalities", "dataset"]].values.tolist() == [
        ["a1", "AF1801", "2", "guess.csv"],
        # A location named like its province is the provincial capital (issue 12, place role).
        ["a2", "AF1901", "0", "guess.csv"],
    ]


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("when,where\n2019-09-28,Taloqan\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bare.csv: no date column .*--date-column"):
        import_table(path)
    with pytest.raises(InputError, match=r"no column 'Day'"):
        import_table(path, columns={"date": "Day"})
