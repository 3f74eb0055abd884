"""Tests for geo.validation and ``geo validate``, on the real records.

Each broken case is a copy of the real ``seeds/incidents.csv`` or
``seeds/claims.csv`` written into tmp_path with one cell changed; the
validator must report it as ``file:line: field: problem`` with the line of
the changed row (the header is line 1).
"""

import csv
import datetime as dt
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from geo import articles, records, settings, validation
from geo.cli import main

SEEDS = settings.articles_dir
TODAY = dt.date.today()
IN_A_MONTH = (TODAY + dt.timedelta(days=30)).isoformat()


def _read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


@pytest.fixture(scope="module")
def seed_dir():
    assert SEEDS.is_dir(), f"the seed articles are missing: {SEEDS} (set GEO_ARTICLES_DIR)"
    return SEEDS


@pytest.fixture(scope="module")
def incident_rows():
    return _read_rows(records.INCIDENTS_FILE)


@pytest.fixture(scope="module")
def claim_rows():
    return _read_rows(records.CLAIMS_FILE)


def _write(path, rows, columns):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _edited(rows, key, record_id, **changes):
    """A copy of `rows` with `changes` made to the row whose `key` is `record_id`;
    return it with that row's file line."""
    copy = [dict(row) for row in rows]
    (position,) = [i for i, row in enumerate(copy) if row[key] == record_id]
    for column, value in changes.items():
        assert column in copy[position], column
        copy[position][column] = value
    return copy, position + 2


def _incident_problems(path, seed_dir):
    return validation.incident_problems(records.read_table(path), articles_dir=seed_dir)


def _claim_problems(path, seed_dir):
    return validation.claim_problems(records.read_table(path), articles_dir=seed_dir)


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=True)


# --- the real records -----------------------------------------------------------


def test_real_records_have_no_problems(seed_dir):
    assert validation.incident_problems(records.read_table(records.INCIDENTS_FILE), articles_dir=seed_dir) == []
    assert validation.claim_problems(records.read_table(records.CLAIMS_FILE), articles_dir=seed_dir) == []
    assert validation.skipped_checks(seed_dir) is None


def test_geo_validate_passes_on_the_real_records(seed_dir):
    geo = shutil.which("geo")
    assert geo, "the geo console script is not installed (pip install -e .)"
    env = {**os.environ, "GEO_ARTICLES_DIR": str(seed_dir)}
    done = subprocess.run([geo, "validate"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok: 38 incidents.csv, 21 claims.csv"
    assert done.stderr == ""


def test_record_counts_per_source_file(incident_rows, claim_rows):
    def counts(rows):
        found = {}
        for row in rows:
            found[row["source_file"]] = found.get(row["source_file"], 0) + 1
        return found

    assert counts(incident_rows) == {
        "001_1560744f44b8fd0a.txt": 34,
        "002_8b599e44ea774687.txt": 1,
        "003_f96d2cdf8d5ce355.txt": 2,
        "000_247e2533b1a1208e.txt": 1,
    }
    assert counts(claim_rows) == {"001_1560744f44b8fd0a.txt": 21}
    # The audit of issue 11 dropped or merged these; the others keep their ids.
    dropped_incidents = {1, 17, 22, 23, 27, 31, 37, 40}
    assert [row["event_id"] for row in incident_rows] == [
        f"AFG-{n:04d}" for n in range(1, 47) if n not in dropped_incidents
    ]
    assert [row["claim_id"] for row in claim_rows] == [f"CLM-{n:04d}" for n in range(1, 25) if n not in {2, 3, 4}]


def test_named_records_are_there(incident_rows, claim_rows):
    def incident(event_date, location):
        found = [r for r in incident_rows if r["event_date"] == event_date and r["location"] == location]
        assert found, (event_date, location)
        return found

    def claim(date, district, claimant):
        found = [r for r in claim_rows if (r["date"], r["district"], r["claimant"]) == (date, district, claimant)]
        assert len(found) == 1, (date, district, claimant)
        return found[0]

    for district, pcode in (("Baharak", "AF1803"), ("Chahab", "AF1816"), ("Khwaja Ghar", "AF1809")):
        assert (
            claim("2019-09-29", district, "Taliban")["pcode"],
            claim("2019-09-29", district, "Taliban")["status"],
        ) == (pcode, "taliban")
    for location, district, pcode in (
        ("Qala-i-Yangi", "Yangi Qala", "AF1817"),
        ("Darqad", "Darqad", "AF1815"),
        ("Chah Ab", "Chahab", "AF1816"),
    ):
        (row,) = incident("2019-09-11", location)
        assert (row["admin2"], row["pcode"], row["sub_event_type"]) == (
            district,
            pcode,
            "Non-state actor overtakes territory",
        )
        assert claim("2019-09-11", district, "Afghan government")["status"] == "taliban"
    raid = [r for r in incident_rows if r["pcode"] == "AF3009" and r["event_date"] in ("2019-09-22", "2019-09-23")]
    assert {r["admin1"] for r in raid} == {"Hilmand"} and len(raid) == 2
    (kabul,) = [r for r in incident("2019-09-05", "Kabul") if r["sub_event_type"] == "Suicide bomb"]
    assert (kabul["pcode"], kabul["actor1"]) == ("AF0101", "Taliban")
    taloqan = incident("2019-09-30", "Taluqan")
    assert {r["pcode"] for r in taloqan} == {"AF1801"} and len(taloqan) == 2
    assert claim("2019-09-30", "Taloqan", "Afghan government")["status"] == "government"


# --- one broken cell at a time: incidents ----------------------------------------

# (case id, event_id, changes, field, start of the problem after "field: ")
INCIDENT_CASES = [
    ("empty-actor1", "AFG-0039", {"actor1": " "}, "actor1", "is empty"),
    ("empty-actor1", "AFG-0039", {"actor1": ""}, "actor1", "is empty"),
    ("unknown-event-type", "AFG-0039", {"event_type": "Battle"}, "event_type", "'Battle' is not an ACLED event type"),
    (
        "sub-type-of-other-type",
        "AFG-0039",
        {"sub_event_type": "Suicide bomb"},
        "sub_event_type",
        "'Suicide bomb' is not a sub-event type of 'Battles'",
    ),
    (
        "impossible-date",
        "AFG-0039",
        {"event_date": "2019-09-31"},
        "event_date",
        "'2019-09-31' is not a date as YYYY-MM-DD",
    ),
    (
        "day-first-date",
        "AFG-0039",
        {"event_date": "29/09/2019"},
        "event_date",
        "'29/09/2019' is not a date as YYYY-MM-DD",
    ),
    ("future-date", "AFG-0039", {"event_date": IN_A_MONTH}, "event_date", f"{IN_A_MONTH} is in the future"),
    ("before-1979", "AFG-0039", {"event_date": "1978-09-29"}, "event_date", "1978-09-29 is before 1979-01-01"),
    ("year-one", "AFG-0039", {"event_date": "0001-01-01"}, "event_date", "0001-01-01 is before 1979-01-01"),
    ("year-9999", "AFG-0039", {"event_date": "9999-12-31"}, "event_date", "9999-12-31 is in the future"),
    ("fatalities-30-digits", "AFG-0039", {"fatalities": "1" * 30}, "fatalities", "1" * 20 + " is more than 100,000"),
    ("fatalities-over-cap", "AFG-0039", {"fatalities": "100001"}, "fatalities", "100001 is more than 100,000"),
    (
        "offset-30-digits",
        "AFG-0039",
        {"source_start": "9" * 30},
        "source_start",
        "9" * 20 + " is more than 1,000,000,000",
    ),
    ("latitude-infinite", "AFG-0043", {"latitude": "inf"}, "latitude", "is not a number from -90 to 90: 'inf'"),
    ("latitude-off-globe", "AFG-0043", {"latitude": "136.7"}, "latitude", "is not a number from -90 to 90: '136.7'"),
    ("time-precision", "AFG-0039", {"time_precision": "4"}, "time_precision", "must be 1 (day), 2 (week) or 3 (month)"),
    (
        "geo-precision",
        "AFG-0039",
        {"geo_precision": "village"},
        "geo_precision",
        "must be one of place, district, province",
    ),
    ("unknown-pcode", "AFG-0039", {"pcode": "AF1899"}, "pcode", "'AF1899' is not an OCHA district or province code"),
    (
        "admin2-not-of-pcode",
        "AFG-0039",
        {"admin2": "Chahab"},
        "admin2",
        "'Chahab' is not the district of AF1803 ('Baharak')",
    ),
    ("geocodes-elsewhere", "AFG-0039", {"location": "Taluqan"}, "location", "'Taluqan' geocodes to AF1801, not AF1803"),
    (
        "point-outside-district",
        "AFG-0043",
        {"latitude": "34.52813", "longitude": "69.17233"},
        "latitude",
        "34.52813, 69.17233 lies outside AF1801",
    ),
    ("latitude-not-a-number", "AFG-0043", {"latitude": "36.7N"}, "latitude", "is not a number"),
    ("half-a-point", "AFG-0043", {"longitude": ""}, "latitude", "latitude and longitude go together"),
    ("fatalities-words", "AFG-0039", {"fatalities": "about 20"}, "fatalities", "must be a whole number of 0 or more"),
    ("fatalities-negative", "AFG-0039", {"fatalities": "-3"}, "fatalities", "must be a whole number of 0 or more"),
    ("fatalities-decimal", "AFG-0039", {"fatalities": "2.5"}, "fatalities", "must be a whole number of 0 or more"),
    (
        "unknown-seed-file",
        "AFG-0039",
        {"source_file": "005_0000000000000000.txt"},
        "source_file",
        "'005_0000000000000000.txt' is not a file in",
    ),
    (
        "offset-not-a-number",
        "AFG-0039",
        {"source_start": "49x"},
        "source_start",
        "must be a whole number of 0 or more, not '49x'",
    ),
    (
        "offset-past-the-end",
        "AFG-0010",
        {"source_end": "99999"},
        "source_end",
        "99999 is past the end of 000_247e2533b1a1208e.txt ({000} characters)",
    ),
    (
        "start-after-end",
        "AFG-0039",
        {"source_start": "593", "source_end": "497"},
        "source_end",
        "must be greater than source_start",
    ),
    (
        "start-equals-end",
        "AFG-0039",
        {"source_start": "593", "source_end": "593"},
        "source_end",
        "must be greater than source_start",
    ),
    # The 11 September paragraph names Qala-i-Yangi, Darqad and Chah Ab, not Baharak.
    (
        "passage-elsewhere",
        "AFG-0039",
        {"source_start": "1369", "source_end": "1487"},
        "location",
        "the cited passage does not mention 'Baharak'",
    ),
    (
        "wrong-article",
        "AFG-0039",
        {"article": "election blues"},
        "article",
        "'election blues' is not the article at source_start ('taliban attack northern provincial capital')",
    ),
    ("duplicate-id", "AFG-0041", {"event_id": "AFG-0039"}, "event_id", "'AFG-0039' is used by an earlier row"),
]


@pytest.mark.parametrize("case, event_id, changes, field, problem", INCIDENT_CASES, ids=[c[0] for c in INCIDENT_CASES])
def test_broken_incident_cell(tmp_path, seed_dir, incident_rows, case, event_id, changes, field, problem):
    rows, line = _edited(incident_rows, "event_id", event_id, **changes)
    path = _write(tmp_path / "incidents.csv", rows, records.INCIDENT_COLUMNS)
    problems = _incident_problems(path, seed_dir)
    problem = problem.replace("{000}", str(len(articles.read_text(seed_dir / "000_247e2533b1a1208e.txt"))))
    assert problems == [f"incidents.csv:{line}: {field}: {problem}"] or (
        len(problems) == 1 and problems[0].startswith(f"incidents.csv:{line}: {field}: {problem}")
    ), problems


# Cases that are rightly reported under more than one field: the named one
# must be among them, and every problem must be on the changed line.
INCIDENT_MULTI_CASES = [
    # The province row AFG-0030 names Takhar only: admin2 and location disagree too.
    (
        "district-code-on-province-row",
        "AFG-0030",
        {"pcode": "AF1801"},
        "pcode",
        "AF1801 is a district but geo_precision is province",
    ),
    (
        "province-code-on-district-row",
        "AFG-0039",
        {"pcode": "AF18"},
        "pcode",
        "AF18 is a province but geo_precision is place or district",
    ),
    (
        "admin1-not-of-pcode",
        "AFG-0039",
        {"admin1": "Badakhshan"},
        "admin1",
        "Badakhshan is not the province of AF1803 (Takhar)",
    ),
]


@pytest.mark.parametrize(
    "case, event_id, changes, field, problem", INCIDENT_MULTI_CASES, ids=[c[0] for c in INCIDENT_MULTI_CASES]
)
def test_broken_incident_cell_several_fields(
    tmp_path, seed_dir, incident_rows, case, event_id, changes, field, problem
):
    rows, line = _edited(incident_rows, "event_id", event_id, **changes)
    path = _write(tmp_path / "incidents.csv", rows, records.INCIDENT_COLUMNS)
    problems = _incident_problems(path, seed_dir)
    assert problems, case
    assert all(p.startswith(f"incidents.csv:{line}: ") for p in problems), problems
    assert any(p.startswith(f"incidents.csv:{line}: {field}: {problem}") for p in problems), problems


def test_shindand_on_a_takhar_row_is_not_placed_in_takhar(tmp_path, seed_dir, incident_rows):
    rows, line = _edited(incident_rows, "event_id", "AFG-0039", location="Shindand")
    path = _write(tmp_path / "incidents.csv", rows, records.INCIDENT_COLUMNS)
    problems = _incident_problems(path, seed_dir)
    assert len(problems) == 2, problems
    # Takhar has no Shindand (a Hirat district): the geocoder answers the province at most.
    assert re.fullmatch(
        rf"incidents\.csv:{line}: location: 'Shindand' (geocodes to (AF18|AF3214), not AF1803|does not geocode in Takhar .*)",
        problems[0],
    ), problems
    assert problems[1] == f"incidents.csv:{line}: location: the cited passage does not mention 'Shindand'"


def test_missing_incident_column(tmp_path, seed_dir, incident_rows):
    columns = [c for c in records.INCIDENT_COLUMNS if c != "fatalities"]
    path = _write(tmp_path / "incidents.csv", incident_rows, columns)
    assert _incident_problems(path, seed_dir) == ["incidents.csv:1: fatalities: missing column"]


def test_every_problem_is_reported_at_once(tmp_path, seed_dir, incident_rows):
    rows, first = _edited(incident_rows, "event_id", "AFG-0005", fatalities="many")
    rows, second = _edited(rows, "event_id", "AFG-0020", event_date="2019-02-30")
    rows, third = _edited(rows, "event_id", "AFG-0046", event_type="Battels")
    path = _write(tmp_path / "incidents.csv", rows, records.INCIDENT_COLUMNS)
    problems = _incident_problems(path, seed_dir)
    assert [p.split(": ")[0] + ": " + p.split(": ")[1] for p in problems] == [
        f"incidents.csv:{first}: fatalities",
        f"incidents.csv:{second}: event_date",
        f"incidents.csv:{third}: event_type",
    ]
    result = _run("validate", "--incidents", path, "--claims", records.CLAIMS_FILE)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert [line for line in result.stderr.splitlines() if line.startswith("incidents.csv:")] == problems
    assert result.stderr.strip().splitlines()[-1] == "Error: 3 problems in the records"


def test_geo_validate_broken_file_exits_non_zero_without_traceback(tmp_path, seed_dir, incident_rows):
    geo = shutil.which("geo")
    assert geo
    rows, line = _edited(incident_rows, "event_id", "AFG-0041", sub_event_type="Air/drone strike")
    path = _write(tmp_path / "broken.csv", rows, records.INCIDENT_COLUMNS)
    env = {**os.environ, "GEO_ARTICLES_DIR": str(seed_dir)}
    done = subprocess.run(
        [geo, "validate", "--incidents", str(path)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"broken.csv:{line}: sub_event_type: 'Air/drone strike' is not a sub-event type of 'Battles'",
        "Error: 1 problem in the records",
    ]


def test_non_utf8_file_is_one_clear_line(tmp_path):
    text = records.INCIDENTS_FILE.read_text(encoding="utf-8").replace("Keshk Rabat Sangi", "Keshk Rab\u00e2t Sangi", 1)
    path = tmp_path / "latin.csv"
    path.write_bytes(text.encode("latin-1", errors="replace"))
    result = _run("validate", "--incidents", path)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and "latin.csv:16: not UTF-8 text (byte 0xe2 at offset" in lines[0]


@pytest.mark.parametrize("ragged", ["unquoted-comma", "cut-short", "extra-cell"])
def test_ragged_row_is_one_clear_line(tmp_path, seed_dir, ragged):
    lines = records.INCIDENTS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[4].startswith("AFG-0005,") and "in Musa Qala; casualties" in lines[4]  # file line 5
    if ragged == "unquoted-comma":
        # A comma in an unquoted note shifts the provenance cells one to the right.
        lines[4] = lines[4].replace("in Musa Qala; casualties", "in Musa Qala, casualties", 1)
        expected = "incidents.csv:5: row: has 33 cells, the header has 32"
    elif ragged == "cut-short":
        lines[4] = lines[4].rsplit(",", 3)[0] + "\n"
        expected = "incidents.csv:5: row: has 29 cells, the header has 32"
    else:
        lines[4] = lines[4].rstrip("\n") + ",\n"
        expected = "incidents.csv:5: row: has 33 cells, the header has 32"
    path = tmp_path / "incidents.csv"
    path.write_text("".join(lines), encoding="utf-8")
    assert _incident_problems(path, seed_dir) == [expected]
    result = _run("validate", "--incidents", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == expected


def test_provenance_skipped_without_articles(tmp_path, incident_rows, monkeypatch):
    rows, _ = _edited(incident_rows, "event_id", "AFG-0039", source_start="1369", source_end="1487")
    path = _write(tmp_path / "incidents.csv", rows, records.INCIDENT_COLUMNS)
    missing = tmp_path / "no-articles"
    assert validation.incident_problems(records.read_table(path), articles_dir=missing) == []
    assert "provenance not checked" in validation.skipped_checks(missing)
    monkeypatch.setattr(settings, "articles_dir", missing)
    result = _run("validate", "--incidents", path)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("note: provenance not checked: no seed articles at ")
    assert result.stdout.strip() == "ok: 38 incidents.csv, 21 claims.csv"


# --- claims ---------------------------------------------------------------------

CLAIM_CASES = [
    ("unknown-status", "CLM-0017", {"status": "fallen"}, "status", "must be one of taliban, contested, government"),
    (
        "capitalised-status",
        "CLM-0017",
        {"status": "Taliban"},
        "status",
        "must be one of taliban, contested, government",
    ),
    ("empty-claimant", "CLM-0017", {"claimant": ""}, "claimant", "is empty"),
    ("bad-date", "CLM-0017", {"date": "2019-9-29"}, "date", "'2019-9-29' is not a date as YYYY-MM-DD"),
    ("future-date", "CLM-0017", {"date": IN_A_MONTH}, "date", f"{IN_A_MONTH} is in the future"),
    ("unknown-pcode", "CLM-0017", {"pcode": "AF1830"}, "pcode", "'AF1830' is not an OCHA district or province code"),
    (
        "district-not-of-pcode",
        "CLM-0019",
        {"district": "Baharak"},
        "district",
        "'Baharak' is not the district of AF1809 ('Khwaja Ghar')",
    ),
    (
        "province-not-of-pcode",
        "CLM-0019",
        {"province": "Kunduz"},
        "province",
        "Kunduz is not the province of AF1809 (Takhar)",
    ),
    (
        "passage-elsewhere",
        "CLM-0017",
        {"source_start": "1369", "source_end": "1487"},
        "pcode",
        "the cited passage mentions no name of AF1803 (Baharak)",
    ),
    (
        "offset-past-the-end",
        "CLM-0017",
        {"source_end": "70000"},
        "source_end",
        "70000 is past the end of 001_1560744f44b8fd0a.txt",
    ),
    (
        "wrong-article",
        "CLM-0017",
        {"article": "the pre-election raid ~ southern helmand"},
        "article",
        "'the pre-election raid ~ southern helmand' is not the article at source_start",
    ),
    ("duplicate-id", "CLM-0018", {"claim_id": "CLM-0017"}, "claim_id", "'CLM-0017' is used by an earlier row"),
]


@pytest.mark.parametrize("case, claim_id, changes, field, problem", CLAIM_CASES, ids=[c[0] for c in CLAIM_CASES])
def test_broken_claim_cell(tmp_path, seed_dir, claim_rows, case, claim_id, changes, field, problem):
    rows, line = _edited(claim_rows, "claim_id", claim_id, **changes)
    path = _write(tmp_path / "claims.csv", rows, records.CLAIM_COLUMNS)
    problems = _claim_problems(path, seed_dir)
    assert len(problems) == 1 and problems[0].startswith(f"claims.csv:{line}: {field}: {problem}"), problems


def test_claim_with_a_province_code(tmp_path, seed_dir, claim_rows):
    rows, line = _edited(claim_rows, "claim_id", "CLM-0017", pcode="AF18", district="")
    path = _write(tmp_path / "claims.csv", rows, records.CLAIM_COLUMNS)
    problems = _claim_problems(path, seed_dir)
    assert f"claims.csv:{line}: pcode: AF18 is a province; a claim needs a district code" in problems
    assert all(p.startswith(f"claims.csv:{line}: ") for p in problems), problems


def test_missing_claim_column(tmp_path, seed_dir, claim_rows):
    columns = [c for c in records.CLAIM_COLUMNS if c != "status"]
    path = _write(tmp_path / "claims.csv", claim_rows, columns)
    assert _claim_problems(path, seed_dir) == ["claims.csv:1: status: missing column"]


def test_geo_validate_broken_claims(tmp_path, seed_dir, claim_rows):
    rows, line = _edited(claim_rows, "claim_id", "CLM-0010", status="retaken")
    path = _write(tmp_path / "claims.csv", rows, records.CLAIM_COLUMNS)
    result = _run("validate", "--claims", path)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == [
        f"claims.csv:{line}: status: must be one of taliban, contested, government",
        "Error: 1 problem in the records",
    ]


@pytest.mark.parametrize(
    "sentence, pcode, district, province, accepted",
    [
        ("The Taliban overran Daraq district of Takhar on Monday.", "AF1815", "Darqad", "Takhar", True),
        ("Officials said Yumgan district was retaken on Monday.", "AF1718", "Yamgan", "Badakhshan", True),
        ("Fighting went on in Dahan-e-Ghori district on Monday.", "AF0902", "Dahana-e-Ghori", "Baghlan", True),
        # Another district of Takhar is named: no mention of Darqad, nor Daraq one of Khwaja Ghar.
        ("The Taliban overran Dashte Qala district on Monday.", "AF1815", "Darqad", "Takhar", False),
        ("The Taliban overran Daraq district of Takhar on Monday.", "AF1809", "Khwaja Ghar", "Takhar", False),
    ],
)
def test_a_reporters_spelling_of_the_district_counts_as_a_mention(
    tmp_path, claim_rows, sentence, pcode, district, province, accepted
):
    """News spells districts its own way: a near spelling of the record's district, nearer to it
    than to any other district of its province, is a mention (geo extract reads names so)."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "report.txt").write_text("A report\n\n" + sentence + "\n", encoding="utf-8")
    start = len("A report\n\n")
    row = dict(claim_rows[0])
    row.update(
        claim_id="CLM-1",
        source_file="report.txt",
        source_start=str(start),
        source_end=str(start + len(sentence)),
        article="",
        pcode=pcode,
        district=district,
        province=province,
        date="2019-09-02",
    )
    path = _write(tmp_path / "claims.csv", [row], records.CLAIM_COLUMNS)
    problems = validation.claim_problems(records.read_table(path), articles_dir=articles)
    expected = [] if accepted else [f"claims.csv:2: pcode: the cited passage mentions no name of {pcode} ({district})"]
    assert problems == expected
