import json

import pytest
from click.testing import CliRunner

from twentyten.cli import cli

from .conftest import write_jsonl

ROWS = [
    {"date": "2010-01-05", "outlet": "Rodong Sinmun", "title": "a", "text": "지방공업을 발전"},
    {"date": "2010-02-05", "outlet": "Rodong Sinmun", "title": "b", "text": "군수공업"},
    {
        "date": "2011-01-05",
        "outlet": "Rodong Sinmun",
        "title": "c",
        "text": "김화군 지방공업공장 준공식이 진행되였다",
    },
    {
        "date": "2011-02-05",
        "outlet": "Minju Joson",
        "title": "d",
        "text": "Kimhwa County factories: ground-breaking ceremony held",
    },
]


@pytest.fixture
def env(tmp_path, monkeypatch):
    db = tmp_path / "media.duckdb"
    monkeypatch.setenv("TWENTYTEN_MEDIA_DB", str(db))
    return tmp_path, db


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_ingest_then_trend_json_csv_html(env):
    tmp, db = env
    src = write_jsonl(tmp / "c.jsonl", ROWS)
    r = run("media", "ingest", str(src), "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)[0]["inserted"] == 4 and db.exists()  # --db defaults to the setting

    r = run(
        "media",
        "trend",
        "--groups",
        "regional,munitions",
        "--outlet",
        "Rodong Sinmun",
        "--format",
        "json",
        "--html",
        str(tmp / "r.html"),
    )
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    reg = [x for x in d["rows"] if x["group"] == "regional"]
    assert [(x["period"], x["articles"], x["total"]) for x in reg] == [
        ("2010", 1, 2),
        ("2011", 1, 1),
    ]
    html = (tmp / "r.html").read_text(encoding="utf-8")
    # the Vega-Lite chart of the shared spec, drawn by the libraries inlined in the file
    assert '<script type="application/json" id="chart-share">' in html
    assert "<script src=" not in html and "<link" not in html

    r = run(
        "media",
        "trend",
        "--groups",
        "regional",
        "--format",
        "csv",
        "--by",
        "month",
        "--from",
        "2010-02",
        "--to",
        "2011",
    )
    assert r.stdout.splitlines()[0] == "period,group,articles,occurrences,total,share,peak,chars,per10k"
    assert r.stdout.splitlines()[1].startswith("2010-02,regional,0,0,1,0.0")

    r = run("media", "trend", "--groups", "regional", "--exact-spacing")
    assert r.exit_code == 0 and "exact spacing" in r.stdout


def test_ingest_rejects_exit_nonzero_with_file_row_column_reason(env):
    tmp, db = env
    src = write_jsonl(
        tmp / "bad.jsonl",
        [ROWS[0], {"date": "13/45/2011", "outlet": "R", "title": "x", "text": "y"}],
    )
    r = CliRunner().invoke(cli, ["media", "ingest", str(src)])
    assert r.exit_code == 2 and r.stdout == ""  # bad input; no report of a load that did not happen
    assert "nothing was loaded" in r.stderr
    assert f"{src}, row 2, column date: unreadable date '13/45/2011'" in r.stderr
    assert not db.exists()
    r = CliRunner().invoke(cli, ["media", "ingest", str(src), "--skip-bad"])
    assert r.exit_code == 0 and "rejected and skipped" in r.stderr


def test_cli_errors_are_clear(env):
    tmp, _ = env
    r = CliRunner().invoke(cli, ["media", "trend"])
    assert r.exit_code == 2 and "no media database" in r.stderr
    src = write_jsonl(tmp / "c.jsonl", ROWS)
    run("media", "ingest", str(src))
    r = CliRunner().invoke(cli, ["media", "trend", "--groups", "regonal"])
    assert r.exit_code == 2 and "no group 'regonal'" in r.stderr
    bad = tmp / "g.yaml"
    bad.write_text("groups:\n  x:\n    any: []\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["media", "trend", "--groups-file", str(bad), "--groups", "x"])
    assert r.exit_code == 2 and "g.yaml: groups.x: a group needs at least one term" in r.stderr
    r = CliRunner().invoke(cli, ["media", "trend", "--outlet", "Nobody"])
    assert r.exit_code == 2 and "no articles match" in r.stderr
    r = CliRunner().invoke(cli, ["media", "ingest", str(tmp / "nope.csv")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    r = CliRunner().invoke(cli, ["media", "ingest", "--corpus", "nope", str(src)])
    assert r.exit_code == 2 and "unknown corpus" in r.stderr


def test_mentions_groups_summary_corpora(env):
    tmp, _ = env
    run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS)))
    r = run("media", "mentions", "Kimhwa", "--variant", "김화군", "--no-atlas", "--format", "json")
    found = json.loads(r.stdout)
    assert [m["title"] for m in found] == ["d", "c"]  # newest first
    assert found[1]["county"] == "김화군" and "준공" in found[1]["milestones"]
    assert found[0]["milestones"] == ["ground-breaking"]
    r = run("media", "mentions", "Kimhwa", "--no-atlas", "--format", "json")
    assert [m["title"] for m in json.loads(r.stdout)] == ["d"]
    assert json.loads(r.stdout)[0]["county"] == "Kimhwa"  # as given, not lower-cased
    r = run(
        "media",
        "mentions",
        "김화군",
        "--no-atlas",
        "--milestone",
        "진행",
        "--within",
        "3",
        "--format",
        "json",
    )
    assert json.loads(r.stdout) == []  # 김화군 ... 진행 are further apart than 3 characters
    r = run("media", "mentions", "김화군", "--no-atlas", "--milestone", "진행", "--format", "json")
    assert "진행" in json.loads(r.stdout)[0]["milestones"]
    r = run("media", "groups", "--format", "json")
    assert {g["group"] for g in json.loads(r.stdout)} >= {
        "regional",
        "munitions",
        "defence_science",
        "(milestones)",
    }
    r = run("media", "summary", "--format", "json")
    assert sum(x["articles"] for x in json.loads(r.stdout)) == 4
    r = run("media", "corpora", "--format", "json")
    assert {c["name"] for c in json.loads(r.stdout)} == {
        "new-year-addresses",
        "kcna-stiles",
        "kcna-xmarquez",
        "rodong-denney",
    }


def test_a_foreign_database_is_refused_cleanly(env):
    tmp, db = env
    db.write_bytes(b"not a duckdb file at all" * 100)
    r = CliRunner().invoke(cli, ["media", "summary"])
    assert r.exit_code == 2 and f"{db} is not a DuckDB database" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2011-13"], "bad date in --from: '2011-13': month must be in 1..12"),
        (["--to", "soon"], "bad date in --to: 'soon': expected YYYY, YYYY-MM or YYYY-MM-DD"),
        (["--from", "2012", "--to", "2010"], "--from 2012 is after --to 2010"),
        (["--groups", ","], "--groups names no group"),
        (["--groups", "regionl"], "no group 'regionl'; did you mean 'regional'?"),
    ],
)
def test_trend_argument_errors_are_clear(env, args, message):
    tmp, _ = env
    assert run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS))).exit_code == 0
    r = run("media", "trend", *args)
    assert r.exit_code == 2 and message in r.stderr and "Traceback" not in r.output


@pytest.mark.parametrize(
    ("county", "note"),
    [
        ("Xyzzy", "'Xyzzy' is not in the atlas"),
        (
            "Unsan",
            "'Unsan' names 2 counties: Unsan, North Pyongan (운산군); Unsan, South Pyongan (은산군)",
        ),
        ("Kimhwaaa", "'Kimhwaaa' read as Kimhwa, Kangwon (김화군)"),
    ],
)
def test_mentions_say_what_the_atlas_made_of_the_name(env, county, note):
    tmp, _ = env
    assert run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS))).exit_code == 0
    r = run("media", "mentions", county)
    assert r.exit_code == 0 and f"note: {note}" in r.stderr


def test_mentions_of_a_known_county_need_no_note(env):
    tmp, _ = env
    assert run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS))).exit_code == 0
    r = run("media", "mentions", "Kimhwa", "--format", "json")
    assert r.exit_code == 0 and "note:" not in r.stderr
    assert "naming Kimhwa / 김화군" in r.stderr
    assert {m["title"] for m in json.loads(r.stdout)} == {"c", "d"}


def test_a_filter_that_matches_nothing_lists_what_is_stored(env):
    tmp, _ = env
    assert run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS))).exit_code == 0
    r = run("media", "trend", "--outlet", "Rodong")
    assert r.exit_code == 2 and "no articles match" in r.stderr
    assert "stored outlets: Minju Joson, Rodong Sinmun" in r.stderr
    assert "stored languages: ko" in r.stderr


def test_ingest_into_a_file_that_is_not_a_database_is_refused_cleanly(env):
    tmp, _ = env
    other = tmp / "notes.duckdb"
    other.write_text("my notes", encoding="utf-8")
    src = write_jsonl(tmp / "c.jsonl", ROWS)
    r = CliRunner().invoke(cli, ["media", "ingest", str(src), "--db", str(other)])
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)  # a message, no traceback
    assert f"{other} is not a DuckDB database" in r.stderr and "nothing was loaded" in r.stderr
    assert other.read_text(encoding="utf-8") == "my notes"  # untouched


def test_a_groups_file_of_ones_own_defaults_to_all_its_groups(env):
    tmp, _ = env
    assert run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS))).exit_code == 0
    q = tmp / "q.yaml"
    q.write_text(
        'groups:\n  factories: ["{지방|군수}공업"]\n  kimhwa: [김화군]\n', encoding="utf-8"
    )
    r = run("media", "trend", "--groups-file", str(q), "--format", "json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert [g["name"] for g in d["groups"]] == ["factories", "kimhwa"]
    assert {(x["period"], x["group"]): x["articles"] for x in d["rows"]} == {
        ("2010", "factories"): 2,
        ("2010", "kimhwa"): 0,
        ("2011", "factories"): 1,
        ("2011", "kimhwa"): 1,
    }


def test_an_unwritable_html_path_is_a_message_not_a_traceback(env):
    tmp, _ = env
    assert run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS))).exit_code == 0
    target = tmp / "no" / "such" / "folder" / "r.html"
    r = CliRunner().invoke(cli, ["media", "trend", "--html", str(target)])
    # bad input, refused before the trend is computed: exit 2, one line, nothing on stdout
    assert r.exit_code == 2 and isinstance(r.exception, SystemExit)
    assert r.stderr.splitlines() == [f"error: --html {target}: folder {target.parent} does not exist"]
    assert r.stdout == "" and not target.parent.exists()


def test_mentions_limit_is_checked_and_zero_means_all(env):
    tmp, _ = env
    assert run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS))).exit_code == 0
    r = CliRunner().invoke(cli, ["media", "mentions", "Kimhwa", "--limit", "-1"])
    assert r.exit_code == 2 and "Invalid value for '--limit'" in r.stderr
    one = run("media", "mentions", "Kimhwa", "--limit", "1", "--format", "json")
    every = run("media", "mentions", "Kimhwa", "--limit", "0", "--format", "json")
    assert len(json.loads(one.stdout)) == 1 and len(json.loads(every.stdout)) == 2


@pytest.mark.parametrize(
    ("command", "fmt", "check"),
    [
        (["summary"], "csv", lambda text: text.splitlines()[0].startswith("outlet,lang,period")),
        (["trend", "--groups", "regional"], "json", lambda text: json.loads(text)["rows"]),
        (["trend", "--groups", "regional"], "csv", lambda text: text.startswith("period,group")),
        (["trend", "--groups", "regional"], "table", lambda text: "attention by year" in text),
        (["mentions", "Kimhwa"], "json", lambda text: len(json.loads(text)) == 2),
        (["groups"], "json", lambda text: json.loads(text)[0]["group"] == "regional"),
        (["corpora"], "csv", lambda text: text.startswith("name,outlet,what,command")),
    ],
)
def test_every_data_command_writes_format_to_out_and_status_to_stderr(env, command, fmt, check):
    tmp, _ = env
    assert run("media", "ingest", str(write_jsonl(tmp / "c.jsonl", ROWS))).exit_code == 0
    target = tmp / f"out.{fmt}"
    r = run("media", *command, "--format", fmt, "--out", str(target))
    assert r.exit_code == 0, r.output
    assert r.stdout == "" and f"wrote {target}" in r.stderr
    assert check(target.read_text(encoding="utf-8"))
    # the same data on stdout without --out
    r = run("media", *command, "--format", fmt)
    if fmt != "table":
        assert r.stdout == target.read_text(encoding="utf-8")
    assert not [f for f in tmp.iterdir() if f.name.startswith(".")]  # no temp files left


def test_an_out_path_in_a_missing_folder_is_refused_before_any_work(env):
    tmp, db = env
    src = write_jsonl(tmp / "c.jsonl", ROWS)
    target = tmp / "no" / "such" / "r.json"
    r = CliRunner().invoke(cli, ["media", "ingest", str(src), "--out", str(target)])
    assert r.exit_code == 2 and "folder" in r.stderr and not db.exists()
    assert not target.parent.exists()


def test_ingest_prints_its_report_on_stdout_and_its_status_on_stderr(env):
    tmp, db = env
    src = write_jsonl(tmp / "c.jsonl", ROWS)
    r = run("media", "ingest", str(src), "--format", "json")
    assert json.loads(r.stdout)[0]["inserted"] == 4
    assert r.stderr.strip() == f"4 article(s) stored in {db}"
    r = run("media", "ingest", str(src), "--format", "csv")
    assert r.stdout.splitlines()[1].startswith("4,0,4,0,True")  # read 4, none new, 4 duplicates
    assert r.stderr.strip() == f"0 article(s) stored in {db}"
