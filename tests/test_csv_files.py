"""Reading and writing record CSV files: byte order marks, NUL bytes, file
lines on every path through the reader, and spreadsheet-safe outputs (OWASP
CSV injection) that read back unchanged."""

import csv

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import records
from geo.cli import main
from geo.errors import InputError

FORMULAS = [
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    "'=already quoted",
    "'-alert(1)-'",
    "plain",
    "a=b",
    "",
]


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def _seed_rows():
    with open(records.INCIDENTS_FILE, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path, rows, *, prefix=b""):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=records.INCIDENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    if prefix:
        path.write_bytes(prefix + path.read_bytes())
    return path


# --- byte order marks and NUL bytes ------------------------------------------------------


def test_bom_is_accepted_by_read_table_and_validate(tmp_path):
    path = _write_rows(tmp_path / "incidents.csv", _seed_rows(), prefix=b"\xef\xbb\xbf")
    table = records.read_table(path)
    assert list(table.columns[:2]) == ["event_id", "event_date"]
    assert table.loc[0, "event_id"] == "AFG-0002"
    result = _run("validate", "--incidents", path)
    assert result.exit_code == 0, result.output
    assert "ok: 38 incidents.csv" in result.output


def test_nul_byte_is_one_line_naming_file_and_line(tmp_path):
    path = _write_rows(tmp_path / "incidents.csv", _seed_rows())
    lines = path.read_bytes().split(b"\n")
    lines[5] = lines[5].replace(b"Taliban", b"Tali\x00ban", 1) if b"Taliban" in lines[5] else lines[5] + b"\x00"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError, match=r"incidents\.csv:6: NUL byte at offset \d+"):
        records.read_table(path)
    result = _run("validate", "--incidents", path)
    assert result.exit_code == 1
    assert (
        result.output.strip().splitlines() == [result.output.strip()] and "incidents.csv:6: NUL byte" in result.output
    )


def test_geocode_csv_accepts_bom_and_refuses_nul(tmp_path):
    names = tmp_path / "names.csv"
    names.write_bytes(b"\xef\xbb\xbfname,province\nTaluqan,Takhar\n")
    out = tmp_path / "out.csv"
    result = _run("geocode", "--csv", names, "--out", out)
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out, dtype=str, keep_default_na=False).loc[0, "pcode"] == "AF1801"
    names.write_bytes(b"name,province\nTaluqan,Takhar\nBa\x00harak,Takhar\n")
    result = _run("geocode", "--csv", names, "--out", tmp_path / "out2.csv")
    assert result.exit_code == 1
    assert "names.csv:3: NUL byte" in result.output and not (tmp_path / "out2.csv").exists()


def test_import_claims_table_with_bom(tmp_path):
    table = tmp_path / "assessment.csv"
    table.write_bytes("\ufeffProvince,District,Status\nTakhar,Taloqan,Government\n".encode("utf-8"))
    out = tmp_path / "claims.csv"
    result = _run(
        "import-claims",
        table,
        "--date",
        "2019-09-30",
        "--claimant",
        "An analyst",
        "--status-column",
        "Status",
        "--out",
        out,
    )
    assert result.exit_code == 0, result.output
    claims = records.read_table(out)
    assert list(claims["pcode"]) == ["AF1801"] and list(claims["status"]) == ["government"]


# --- file lines on every path through the reader ------------------------------------------


def test_lines_of_rows_of_the_wrong_width_in_a_long_file(tmp_path):
    rows = [dict(row) for row in _seed_rows() * 50]
    for number, row in enumerate(rows):
        row["event_id"] = f"E{number}"
    path = _write_rows(tmp_path / "incidents.csv", rows)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[100] += ",extra"
    lines[1500] = lines[1500].rsplit(",", 3)[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    table = records.read_table(path)
    assert len(table) == len(rows)
    assert list(table["_line"]) == list(range(2, len(rows) + 2))
    width = len(records.INCIDENT_COLUMNS)
    assert dict(table.loc[table["_width"] != width, ["_line", "_width"]].itertuples(index=False)) == {
        101: width + 1,
        1501: width - 3,
    }
    assert table.loc[99, "event_id"] == "E99" and table.loc[1499, "event_id"] == "E1499"


def test_lines_with_crlf_blank_lines_and_quoted_newlines(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'a,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n3,w')
    table = records.read_table(path)
    assert list(table["a"]) == ["1", "2", "3"] and list(table["_line"]) == [2, 5, 6]
    assert table.loc[0, "b"] == "x\r\ny"


def test_repeated_header_column_is_one_line(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("event_id,notes,event_id\n1,a,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.csv:1: column 'event_id' appears more than once in the header"):
        records.read_table(path)


def test_lines_across_quoted_newlines_in_a_long_file(tmp_path):
    rows = [dict(row) for row in _seed_rows() * 40]
    for number, row in enumerate(rows):
        row["event_id"] = f"E{number}"
        row["notes"] = "first line\nsecond line\r\nthird" if number % 7 == 3 else row["notes"]
        row["actor2"] = "two\n\nblank lines inside" if number % 11 == 5 else row["actor2"]
    path = _write_rows(tmp_path / "incidents.csv", rows)
    text = path.read_text(encoding="utf-8")
    expected, line = [], 2
    reader = csv.reader(text.splitlines(keepends=True)[1:])
    for _ in reader:
        expected.append(line)
        line = reader.line_num + 2
    table = records.read_table(path)
    assert list(table["_line"]) == expected and expected[-1] > len(rows) + 1
    assert list(table["event_id"]) == [row["event_id"] for row in rows]
    assert table.loc[3, "notes"] == "first line\nsecond line\r\nthird"


def test_lines_with_quoted_newlines_and_rows_of_the_wrong_width(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a,b\n"x\ny",1\n2,3,"4\n4"\n"p\nq\nr",5\n6\n7,8\n', encoding="utf-8")
    table = records.read_table(path)
    assert list(table["_line"]) == [2, 4, 6, 9, 10]
    assert list(table["_width"]) == [2, 3, 2, 1, 2]
    assert list(table["a"]) == ["x\ny", "2", "p\nq\nr", "6", "7"]


def test_blank_lines_at_the_end_are_no_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b'a,b\r\n1,"x\ny"\r\n2,z\r\n\r\n\n\n')
    table = records.read_table(path)
    assert list(table["a"]) == ["1", "2"] and list(table["_line"]) == [2, 4]


def test_header_only_and_empty_files(tmp_path):
    header = tmp_path / "header.csv"
    header.write_text(",".join(records.INCIDENT_COLUMNS) + "\n", encoding="utf-8")
    assert len(records.read_table(header)) == 0
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\xef\xbb\xbf")
    with pytest.raises(InputError, match="empty file"):
        records.read_table(empty)


# --- spreadsheet-safe outputs ---------------------------------------------------------------


def test_write_table_escapes_formulas_in_text_only(tmp_path):
    rows = _seed_rows()[: len(FORMULAS)]
    for row, text in zip(rows, FORMULAS):
        row["notes"] = text
        row["actor2"] = text
    rows[0]["latitude"], rows[0]["longitude"] = "-33.5", "-70.25"  # numbers: never escaped
    frame = pd.DataFrame(rows, columns=records.INCIDENT_COLUMNS)
    path = tmp_path / "out.csv"
    records.write_table(frame, path, records.INCIDENT_COLUMNS)
    with open(path, newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    expected = ["'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text for text in FORMULAS]
    assert [row["notes"] for row in written] == expected
    assert [row["actor2"] for row in written] == expected
    assert (written[0]["latitude"], written[0]["longitude"]) == ("-33.5", "-70.25")
    # Reading is verbatim (a quote breakout such as '-alert(1)-' is text, not an escape) ...
    back = records.read_table(path)
    assert list(back["notes"]) == expected and back.loc[0, "longitude"] == "-70.25"
    # ... and writing again adds nothing: escaping is idempotent.
    again = tmp_path / "again.csv"
    records.write_table(back, again, records.INCIDENT_COLUMNS)
    assert again.read_bytes() == path.read_bytes()


def test_geocode_csv_output_is_spreadsheet_safe(tmp_path):
    names = tmp_path / "names.csv"
    names.write_text(
        'name,province,note,value\nTaluqan,Takhar,=HYPERLINK("http://x"),-5\n@Baharak,Takhar,ok,3\n', encoding="utf-8"
    )
    out = tmp_path / "out.csv"
    result = _run("geocode", "--csv", names, "--out", out)
    assert result.exit_code == 0, result.output
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["note"] == '\'=HYPERLINK("http://x")' and rows[1]["name"] == "'@Baharak"
    assert [row["value"] for row in rows] == ["-5", "3"]  # a column of numbers is left alone
    assert float(rows[0]["lat"]) > 0 and rows[0]["pcode"] == "AF1801"
