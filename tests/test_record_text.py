"""Record text is data: template, script and breakout payloads in every text
field of incidents and claims are accepted as text or refused with one line,
and are never evaluated. Property-based: arbitrary text in any field gives
one-line problems or records that load, never an exception other than geo's.

Which fields refuse a payload, and why:

- names checked against the boundaries and the gazetteer (``location``,
  ``admin1``, ``admin2``; a claim's ``district`` and ``province``): a payload
  is not a place, so it is one problem line (for a record placed by its
  coordinates the point decides and the name is kept as text);
- ``url``: only http(s) links (a ``javascript:`` link would run when clicked);
- an incident's ``source_file`` without a dataset: not an article, not a
  dataset: one line (with ``dataset`` named, it is text);
- every other text field (ids, actors, notes, sources, qualifiers, claimant,
  article titles of dataset records, ...) is free text: accepted verbatim.

The page side (the map shows every payload verbatim in a real browser) is
tested with the page.
"""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from geo import records, schema, validation
from geo.cli import main
from geo.errors import GeoError

PWNED = Path("/tmp/geo-payload-pwned")
PAYLOADS = [
    "JJ{{7*7}}JJ",
    "{% raw %}",
    "{#",
    "{{ lipsum.__globals__.os.popen('touch " + str(PWNED) + "').read() }}",
    "{{ cycler.__init__.__globals__.os.system('touch " + str(PWNED) + "') }}",
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "\"'><svg onload=alert(1)>",
    "'-alert(1)-'",
    '";alert(1);//',
    "</script><script>document.title='pwned'</script>",
    "${7*7} #{7*7} %(x)s {0}",
]

INCIDENT_TEXT = [column.name for column in schema.INCIDENT_SCHEMA if column.kind == "text"]
CLAIM_TEXT = [column.name for column in schema.CLAIM_SCHEMA if column.kind == "text"]
# Fields where a payload is refused with one line (see the module docstring).
INCIDENT_REFUSED = {"location", "admin1", "admin2", "url"}
CLAIM_REFUSED = {"district", "province", "url"}


def _incident(**changes):
    row = dict.fromkeys(schema.INCIDENT_COLUMNS, "")
    row.update(
        event_id="AFG1",
        event_date="2019-09-28",
        time_precision="1",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Taliban",
        actor2="Military Forces of Afghanistan",
        location="Musa Qala",
        admin1="Hilmand",
        admin2="Musa Qala",
        pcode="AF3009",
        geo_precision="district",
        fatalities="4",
        notes="An attack.",
        source="A newspaper",
        dataset="ACLED",
        placed_by="geocoder",
    )
    row.update(changes)
    return row


def _claim(**changes):
    with open(records.CLAIMS_FILE, newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    row.update(changes)
    return row


def _write(path, rows, columns):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(autouse=True)
def no_pwned_file():
    PWNED.unlink(missing_ok=True)
    yield
    assert not PWNED.exists(), "a payload ran a shell command"


@pytest.mark.parametrize("field", INCIDENT_TEXT)
def test_incident_payloads(tmp_path, field):
    # Only hand-placed records have their location geocoded again (an import
    # keeps a disagreeing name in location_check), so that field's rows are.
    placed_by = {"placed_by": "record"} if field == "location" else {}
    rows = [_incident(**{"event_id": f"AFG{n}", field: payload, **placed_by}) for n, payload in enumerate(PAYLOADS)]
    path = _write(tmp_path / "incidents.csv", rows, schema.INCIDENT_COLUMNS)
    problems = validation.incident_problems(records.read_table(path))
    if field in INCIDENT_REFUSED:
        assert [p.split(": ")[:2] for p in problems] == [
            [f"incidents.csv:{n + 2}", field] for n in range(len(PAYLOADS))
        ] or (field == "location" and all(f": {field}: " in p for p in problems) and len(problems) == len(PAYLOADS)), (
            problems
        )
        assert all("\n" not in p for p in problems)
        return
    # source_file is text when a dataset is named (the rows name ACLED).
    assert problems == []
    incidents = records.load_incidents([path])
    assert list(incidents[field]) == PAYLOADS  # verbatim, nothing evaluated
    result = CliRunner().invoke(
        main, ["validate", "--incidents", str(path), "--claims", str(records.CLAIMS_FILE)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output


def test_incident_names_placed_by_coordinates_are_text(tmp_path):
    rows = [
        _incident(
            event_id=f"AFG{n}",
            location=payload,
            admin2=payload,
            latitude="32.42786",
            longitude="64.75441",
            placed_by="coordinates",
        )
        for n, payload in enumerate(PAYLOADS)
    ]
    path = _write(tmp_path / "incidents.csv", rows, schema.INCIDENT_COLUMNS)
    assert validation.incident_problems(records.read_table(path)) == []
    assert list(records.load_incidents([path])["location"]) == PAYLOADS


@pytest.mark.parametrize("field", CLAIM_TEXT)
def test_claim_payloads(tmp_path, field):
    rows = [_claim(**{"claim_id": f"C{n}", field: payload}) for n, payload in enumerate(PAYLOADS)]
    path = _write(tmp_path / "claims.csv", rows, schema.CLAIM_COLUMNS)
    problems = validation.claim_problems(records.read_table(path))
    if field in CLAIM_REFUSED or field == "article":
        # district/province are names; the article title is checked against
        # the cited article (the seed claim cites one). A source_file that is
        # not an article (.txt) is the name of a table: text.
        assert problems and all(
            ": " + ("pcode" if field == "district" else field) + ": " in p or f": {field}: " in p for p in problems
        ), problems
        assert all("\n" not in p for p in problems)
        return
    assert problems == []
    claims = records.load_claims([path])
    assert list(claims[field]) == PAYLOADS


def test_payload_options_of_import_claims_are_text(tmp_path):
    table = tmp_path / "assessment.csv"
    table.write_text("Province,District,Status\nTakhar,Taloqan,Government\n", encoding="utf-8")
    out = tmp_path / "claims.csv"
    payload = PAYLOADS[3]
    result = CliRunner().invoke(
        main,
        [
            "import-claims",
            str(table),
            "--date",
            "2019-09-30",
            "--claimant",
            payload,
            "--source",
            PAYLOADS[6],
            "--status-column",
            "Status",
            "--out",
            str(out),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    claims = records.load_claims([out])
    assert list(claims["claimant"]) == [payload] and list(claims["source"]) == [PAYLOADS[6]]


# --- property-based ----------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def _check_arbitrary(tmp_path, row, columns, kind):
    path = _write(tmp_path / f"{kind}.csv", [row], columns)
    try:
        table = records.read_table(path)
        problems = (validation.incident_problems if kind == "incidents" else validation.claim_problems)(table)
    except GeoError as error:
        assert "\n" not in str(error)
        return
    assert all(isinstance(p, str) and "\n" not in p and "\r" not in p for p in problems), problems
    if not problems:
        loaded = records.load_incidents([path]) if kind == "incidents" else records.load_claims([path])
        assert len(loaded) == 1


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(schema.INCIDENT_COLUMNS), text=TEXT)
def test_arbitrary_text_in_any_incident_field(tmp_path, field, text):
    _check_arbitrary(tmp_path, _incident(**{field: text}), schema.INCIDENT_COLUMNS, "incidents")


@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(schema.CLAIM_COLUMNS), text=TEXT)
def test_arbitrary_text_in_any_claim_field(tmp_path, field, text):
    _check_arbitrary(tmp_path, _claim(**{field: text}), schema.CLAIM_COLUMNS, "claims")


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_as_a_record_file(tmp_path, data):
    path = tmp_path / "incidents.csv"
    path.write_bytes(",".join(schema.INCIDENT_COLUMNS).encode() + b"\n" + data)
    try:
        problems = validation.incident_problems(records.read_table(path))
    except GeoError as error:
        assert "\n" not in str(error)
        return
    assert all("\n" not in p for p in problems)
