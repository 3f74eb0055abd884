"""Tests for geo.articles and ``geo articles``: the article index of the seed files.

Everything runs on the real seed articles (``settings.articles_dir``, by
default ../shared/seeds) and on small text files written into tmp_path.
"""

import datetime as dt
import json
import os
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from geo import articles, settings
from geo.cli import main
from geo.errors import InputError

SEEDS = settings.articles_dir
LWJ_TAKHAR = "001_1560744f44b8fd0a.txt"
BREAK = re.compile(r"\n(?:[ \t\u00a0]*\r?\n){4,}")

# Every article of every seed file, in file order:
# (file, title, outlet, author, published, date_text).
EXPECTED = [
    ("000_247e2533b1a1208e.txt", "", "", "", "2019-08-06", "date 2019-08-06"),
    (
        LWJ_TAKHAR,
        "taliban attack northern provincial capital",
        "long war journal",
        "bill roggio",
        "2019-10-02",
        "october 2, 2019",
    ),
    (
        LWJ_TAKHAR,
        "the pre-election raid ~ southern helmand",
        "long war journal",
        "thomas joscelyn",
        "2019-09-23",
        "september 23, 2019",
    ),
    (LWJ_TAKHAR, "election blues", "voice of america", "ayesha tanzeem", "2019-09-29", "september 29, 2019"),
    (LWJ_TAKHAR, "taliban body count skyrocketing", "Salaam Times", "Omar", None, ""),
    (
        LWJ_TAKHAR,
        "afghan gov\u2019ment says elections first",
        "associated press",
        "rahim faiez",
        "2019-09-14",
        "sep. 14, 2019",
    ),
    (
        LWJ_TAKHAR,
        "afghans wonder ~ what happens now?",
        "Associated Press",
        "Rahim Faiez",
        "2019-09-09",
        "September 9, 2019",
    ),
    (
        LWJ_TAKHAR,
        "taliban attacks killing troop withdrawel",
        "The Associated Press",
        "Deb Riechmann",
        "2019-09-06",
        "September 6, 2019",
    ),
    (
        LWJ_TAKHAR,
        "trump says peace talks are dead",
        "Associated Press",
        "Deb Riechmann, Matthew Lee, Robert Burns",
        "2019-09-09",
        "Sept. 9, 2019",
    ),
    (
        LWJ_TAKHAR,
        "trump calls off secret meeting",
        "The Associated Press",
        "Jonathan Lemire and Deb Riechmann",
        "2019-09-08",
        "Sept. 8, 2019",
    ),
    (
        LWJ_TAKHAR,
        "u.s. envoy returning to doha for new round of peace talks with taliban",
        "Al Jazeera",
        "",
        "2019-08-20",
        "Aug 20, 2019",
    ),
    (LWJ_TAKHAR, "afghan rivals to meet in bid for peace", "", "", "2019-07-01", "1 Jul 2019"),
    (LWJ_TAKHAR, "a synopsis of the u.s./taliban peace talks", "", "Shereena Qazi", "2019-06-29", "29 June 2019"),
    (
        "002_8b599e44ea774687.txt",
        "U.S. envoy Khalilzad in Kabul to press peace, reconciliation efforts",
        "Radio Free Europe/Radio Liberty",
        "",
        None,
        "",
    ),
    (
        "003_f96d2cdf8d5ce355.txt",
        "U.S.-Taliban peace talks to end Afghan war enter 'make-or-break moment'",
        "Japan Times",
        "",
        "2019-06-29",
        "29 Jun 2019",
    ),
    (
        "004_fd7abcdb7bc74801.txt",
        "Khalilzad Hails \u2018Excellent Progress\u2019 in Talks With the Taliban",
        "",
        "",
        None,
        "",
    ),
]
SALAAM_TIMES_START = 13833


def _date(text):
    return None if text is None else dt.date.fromisoformat(text)


@pytest.fixture(scope="module")
def seed_dir():
    assert SEEDS.is_dir(), f"the seed articles are missing: {SEEDS} (set GEO_ARTICLES_DIR)"
    return SEEDS


@pytest.fixture(scope="module")
def index(seed_dir):
    return articles.index_articles([seed_dir])


@pytest.fixture(scope="module")
def texts(seed_dir):
    return {path.name: articles.read_text(path) for path in sorted(seed_dir.glob("*.txt"))}


def _run(*args):
    """Run ``geo ARGS`` in-process; stdout and stderr apart."""
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=True)


def _assert_clean_error(result, *needles):
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


# --- the real seed files -----------------------------------------------------


def test_sixteen_articles_in_five_files(index):
    assert len(index) == 16
    assert index["source_file"].value_counts().sort_index().to_dict() == {
        "000_247e2533b1a1208e.txt": 1,
        LWJ_TAKHAR: 12,
        "002_8b599e44ea774687.txt": 1,
        "003_f96d2cdf8d5ce355.txt": 1,
        "004_fd7abcdb7bc74801.txt": 1,
    }
    assert list(index.columns) == ["source_file", "start", "end", "title", "outlet", "author", "published", "date_text"]


@pytest.mark.parametrize("position", range(len(EXPECTED)), ids=lambda i: f"{EXPECTED[i][0][:3]}-{EXPECTED[i][1][:24]}")
def test_article_header(index, position):
    source_file, title, outlet, author, published, date_text = EXPECTED[position]
    row = index.iloc[position]
    assert row["source_file"] == source_file
    assert row["title"] == title
    assert row["outlet"] == outlet
    assert row["author"] == author
    assert row["published"] == _date(published)
    assert row["date_text"] == date_text


def test_first_takhar_article_is_roggio_long_war_journal_of_2_october(index):
    first = index[index["source_file"] == LWJ_TAKHAR].iloc[0]
    assert (first["start"], first["published"], first["outlet"], first["author"]) == (
        0,
        dt.date(2019, 10, 2),
        "long war journal",
        "bill roggio",
    )


def test_date_forms_of_the_seed_headers(index, texts):
    by_text = dict(zip(index["date_text"], index["published"]))
    assert by_text["sep. 14, 2019"] == dt.date(2019, 9, 14)
    assert by_text["29 Jun 2019"] == dt.date(2019, 6, 29)
    assert by_text["date 2019-08-06"] == dt.date(2019, 8, 6)
    assert by_text["September 6, 2019"] == dt.date(2019, 9, 6)
    assert by_text["september 29, 2019"] == dt.date(2019, 9, 29)
    # The header lines really read so, trailing notes and all.
    assert texts["000_247e2533b1a1208e.txt"].startswith(" date 2019-08-06 ")
    assert "\nSeptember 6, 2019 (3 days ago)\n" in texts[LWJ_TAKHAR]
    assert "\nseptember 29, 2019 (sunday)\n" in texts[LWJ_TAKHAR]
    assert "\n29 Jun 2019 Japan Times\n" in texts["003_f96d2cdf8d5ce355.txt"]


def test_japan_times_date_and_outlet_share_a_line(index):
    row = index[index["source_file"] == "003_f96d2cdf8d5ce355.txt"].iloc[0]
    assert (row["published"], row["outlet"]) == (dt.date(2019, 6, 29), "Japan Times")


def test_undated_articles_are_none_not_guessed_from_the_body(index, texts):
    undated = index[index["published"].isna()]
    assert list(zip(undated["source_file"], undated["start"])) == [
        (LWJ_TAKHAR, SALAAM_TIMES_START),
        ("002_8b599e44ea774687.txt", 0),
        ("004_fd7abcdb7bc74801.txt", 0),
    ]
    assert (undated["date_text"] == "").all()
    # Their bodies hold dates a guesser would have taken.
    for row in undated.itertuples():
        body = texts[row.source_file][row.start : row.end]
        assert re.search(r"(January|July|September) \d{1,2}(, \d{4})?", body), row.source_file
    salaam = index[index["start"] == SALAAM_TIMES_START].iloc[0]
    assert salaam["outlet"] == "Salaam Times"


def test_spans_lie_inside_their_file_and_do_not_overlap(index, texts):
    assert set(index["source_file"]) == set(texts)
    for name, group in index.groupby("source_file"):
        text = texts[name]
        spans = list(zip(group["start"], group["end"]))
        assert spans == sorted(spans)
        for start, end in spans:
            assert 0 <= start < end <= len(text)
            assert not text[start].isspace() and not text[end - 1].isspace()
        for (_, end), (start, _) in zip(spans, spans[1:]):
            assert end < start
            gap = text[end:start]
            assert not gap.strip(), f"{name}: text between {end} and {start}"
            assert BREAK.search(gap), f"{name}: articles at {end}/{start} are not separated by blank lines"
        # Nothing but whitespace is left outside the spans.
        covered = " ".join(text[start:end] for start, end in spans)
        assert len(covered.split()) == len(text.split())


def test_000_starts_after_its_leading_space(index, texts):
    row = index[index["source_file"] == "000_247e2533b1a1208e.txt"].iloc[0]
    text = texts["000_247e2533b1a1208e.txt"]
    assert (row["start"], row["end"]) == (1, len(text.rstrip()))


def test_article_at_maps_record_offsets_to_their_article(seed_dir):
    found = articles.find_articles(seed_dir / LWJ_TAKHAR)
    assert articles.article_at(found, LWJ_TAKHAR, 1369).title == "taliban attack northern provincial capital"
    assert articles.article_at(found, LWJ_TAKHAR, 14623).title == "taliban body count skyrocketing"
    assert articles.article_at(found, LWJ_TAKHAR, 48785).title == "afghan rivals to meet in bid for peace"
    # Between two articles, past the end and in another file: none.
    assert articles.article_at(found, LWJ_TAKHAR, 2502) is None
    assert articles.article_at(found, LWJ_TAKHAR, 10**6) is None
    assert articles.article_at(found, "003_f96d2cdf8d5ce355.txt", 100) is None


# --- geo articles -------------------------------------------------------------


def test_geo_articles_lists_every_article_and_reports_the_undated(seed_dir):
    result = _run("articles", seed_dir)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 16
    assert lines[1].split("\t") == [
        LWJ_TAKHAR,
        "0-2500",
        "2019-10-02",
        "long war journal",
        "bill roggio",
        "taliban attack northern provincial capital",
    ]
    assert sum("\tno date\t" in line for line in lines) == 3
    assert result.stderr.splitlines() == [
        f"{LWJ_TAKHAR}:{SALAAM_TIMES_START}: no readable date in the article's header",
        "002_8b599e44ea774687.txt:0: no readable date in the article's header",
        "004_fd7abcdb7bc74801.txt:0: no readable date in the article's header",
    ]


def test_geo_articles_json_parses(index, seed_dir):
    result = _run("articles", "--json", seed_dir)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 16
    assert set(rows[0]) == {"source_file", "start", "end", "title", "outlet", "author", "published", "date_text"}
    assert [row["published"] for row in rows] == [e[4] for e in EXPECTED]
    assert [(row["source_file"], row["start"], row["end"]) for row in rows] == list(
        zip(index["source_file"], index["start"].astype(int), index["end"].astype(int))
    )
    assert rows[-1]["title"] == "Khalilzad Hails \u2018Excellent Progress\u2019 in Talks With the Taliban"


def test_installed_geo_articles_defaults_to_the_articles_dir(seed_dir):
    geo = shutil.which("geo")
    assert geo, "the geo console script is not installed (pip install -e .)"
    env = {**os.environ, "GEO_ARTICLES_DIR": str(seed_dir)}
    done = subprocess.run([geo, "articles", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len([json.loads(line) for line in done.stdout.splitlines()]) == 16
    assert done.stderr.count("no readable date") == 3


def test_geo_articles_missing_path_is_one_line(tmp_path):
    result = _run("articles", tmp_path / "nowhere.txt")
    _assert_clean_error(result, "nowhere.txt", "no such file")


def test_geo_articles_non_utf8_file_is_one_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Kabul news\n\nby someone\n\nsept. 9, 2019\n\nHerat \u2014 caf\u00e9\n".encode("cp1252"))
    result = _run("articles", path)
    _assert_clean_error(result, "latin1.txt", "not UTF-8")
    with pytest.raises(InputError, match="not UTF-8"):
        articles.find_articles(path)


# --- written files: odd forms -------------------------------------------------

BODY = (
    "KABUL \u2014 The Taliban attacked two districts overnight on September 3, 2019, officials said, "
    "and fighting went on into the morning across the province.\n\nMore text follows here.\n"
)


def _article(date_line, title="A story", byline="by Jane Doe", outlet="Some Outlet"):
    head = "\n\n".join(line for line in (title, byline, outlet, date_line) if line is not None)
    return f"{head}\n\n\n{BODY}"


@pytest.mark.parametrize(
    "date_line, published, date_text",
    [
        ("29 Sept. 2019", "2019-09-29", "29 Sept. 2019"),
        ("SEPT. 9, 2019", "2019-09-09", "SEPT. 9, 2019"),
        ("Sept 9 2019", "2019-09-09", "Sept 9 2019"),
        ("  Date 2019-09-30   (updated)", "2019-09-30", "Date 2019-09-30"),
        ("2019-09-30", "2019-09-30", "2019-09-30"),
        ("december 1, 2018 (saturday)", "2018-12-01", "december 1, 2018"),
        # Not a real day, or a form that cannot be read without guessing.
        ("Feb. 30, 2019", None, ""),
        ("9/10/2019", None, ""),
        ("Sept. 2019", None, ""),
    ],
)
def test_odd_header_date_forms(tmp_path, date_line, published, date_text):
    path = tmp_path / "odd.txt"
    path.write_text(_article(date_line), encoding="utf-8")
    (article,) = articles.find_articles(path)
    assert article.published == _date(published)
    assert article.date_text == date_text
    assert (article.title, article.author, article.outlet) == ("A story", "Jane Doe", "Some Outlet")


def test_outlet_on_the_date_line(tmp_path):
    path = tmp_path / "outlet.txt"
    path.write_text(_article("3 Sep 2019 Pajhwok News", byline=None, outlet=None), encoding="utf-8")
    (article,) = articles.find_articles(path)
    assert (article.published, article.outlet, article.title) == (dt.date(2019, 9, 3), "Pajhwok News", "A story")


def test_compilation_with_undated_article_is_reported_by_geo_articles(tmp_path):
    first = _article("Sept. 1, 2019", title="First story")
    second = _article(None, title="Second story")
    path = tmp_path / "compilation.txt"
    path.write_text(first + "\n" * 6 + second, encoding="utf-8")
    found = articles.find_articles(path)
    assert [(a.title, a.published) for a in found] == [("First story", dt.date(2019, 9, 1)), ("Second story", None)]
    text = path.read_text(encoding="utf-8")
    assert text[found[1].start :].startswith("Second story")
    result = _run("articles", path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"compilation.txt:{found[1].start}: no readable date in the article's header"]
    assert result.stdout.splitlines()[1].split("\t")[2] == "no date"


def test_three_blank_lines_do_not_split_an_article(tmp_path):
    path = tmp_path / "paragraphs.txt"
    # BODY ends its line: three more newlines make three blank lines.
    path.write_text(_article("Sept. 1, 2019") + "\n" * 3 + "A later paragraph of the same story.\n", encoding="utf-8")
    assert len(articles.find_articles(path)) == 1


def test_crlf_compilation_splits_and_keeps_offsets(tmp_path):
    first = _article("Sept. 1, 2019", title="First story")
    second = _article("Sept. 2, 2019", title="Second story")
    text = (first + "\n" * 6 + second).replace("\n", "\r\n")
    path = tmp_path / "windows.txt"
    path.write_bytes(text.encode("utf-8"))
    found = articles.find_articles(path)
    assert [(a.title, a.published) for a in found] == [
        ("First story", dt.date(2019, 9, 1)),
        ("Second story", dt.date(2019, 9, 2)),
    ]
    # Offsets count "\r\n" as two characters, as the file holds them.
    assert articles.read_text(path) == text
    assert text[found[1].start :].startswith("Second story")
    assert text[: found[0].end].endswith("More text follows here.")


def test_folder_expands_to_txt_files_only(tmp_path):
    (tmp_path / "b.txt").write_text(_article("Sept. 2, 2019", title="B story"), encoding="utf-8")
    (tmp_path / "a.txt").write_text(_article("Sept. 1, 2019", title="A story"), encoding="utf-8")
    (tmp_path / "README.md").write_text("# not an article\n", encoding="utf-8")
    table = articles.index_articles([tmp_path])
    assert list(table["source_file"]) == ["a.txt", "b.txt"]
    with pytest.raises(InputError, match="no such file"):
        articles.index_articles([tmp_path / "missing"])
