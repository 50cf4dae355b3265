"""Bad input and contention end with one clear line, a non-zero exit, and nothing written.

Each case is a regression from issue 8: a run that lost a lock deleted the winner's
database, a CSV named as --db was "ingested" into memory, an unterminated quote
swallowed the next record, dates with junk after them were stored, and `trend` on a
database without articles gave a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from twentyten.cli import cli

from .conftest import write_jsonl

ROWS = [
    {"date": "2010-01-05", "outlet": "Rodong Sinmun", "title": "a", "text": "지방공업을 발전"},
    {"date": "2011-02-05", "outlet": "Minju Joson", "title": "b", "text": "군수공업"},
]
SRC = Path(__file__).resolve().parents[2] / "src"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def error_line(r) -> str:
    """The one error line; fails when there is a traceback or no error line."""
    assert "Traceback" not in r.output, r.output
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1, r.stderr
    return errors[0]


def cli_process(*args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-m", "twentyten", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def stored(db: Path) -> int:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM articles").fetchall()[0][0]


# --- the database file -------------------------------------------------------------------
def test_two_ingests_into_a_new_database_at_once_leave_it_whole(tmp_path):
    n = 20_000
    src = write_jsonl(
        tmp_path / "c.jsonl",
        [
            {
                "date": f"20{10 + i % 10}-01-0{1 + i % 9}",
                "outlet": "R",
                "title": f"t{i}",
                "text": "x",
            }
            for i in range(n)
        ],
    )
    db = tmp_path / "media.duckdb"
    procs = [
        cli_process("media", "ingest", str(src), "--db", str(db), "--format", "json")
        for _ in range(2)
    ]
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    assert db.exists() and stored(db) == n  # the winner's database is kept, whole
    inserted = 0
    for code, out, err in results:
        assert "Traceback" not in err, err
        if code == 0:
            inserted += json.loads(out)[0]["inserted"]
        else:  # the loser says so in one line and claims nothing
            assert code == 1 and out == "", (out, err)
            assert f"{db} was created by another process" in err or "in use" in err
    assert inserted == n  # exactly the rows stored were reported as inserted
    assert sorted(f.name for f in tmp_path.iterdir()) == [
        "c.jsonl",
        "media.duckdb",
    ]  # no temp files


def test_an_ingest_into_a_locked_database_fails_and_keeps_it(tmp_path):
    import duckdb

    db = tmp_path / "media.duckdb"
    assert (
        invoke(
            "media", "ingest", str(write_jsonl(tmp_path / "a.jsonl", ROWS)), "--db", str(db)
        ).exit_code
        == 0
    )
    more = write_jsonl(tmp_path / "b.jsonl", [dict(r, title=r["title"] + "2") for r in ROWS])
    holder = duckdb.connect(str(db))  # a writer in this process holds the file lock
    try:
        p = cli_process("media", "ingest", str(more), "--db", str(db))
        code = p.wait(timeout=300)
        out, err = p.communicate()
    finally:
        holder.close()
    assert code == 1 and out == "" and "Traceback" not in err
    assert [ln for ln in err.splitlines() if ln.startswith("error:")] == [
        ln for ln in err.splitlines() if "is in use by another" in ln
    ]
    assert stored(db) == 2  # nothing deleted, nothing added


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("corpus.csv", "date,outlet,title,text\n2020-01-01,R,a,b\n"),
        ("corpus.jsonl", '{"date": "2020-01-01", "outlet": "R", "title": "a", "text": "b"}\n'),
        ("empty.duckdb", ""),
    ],
)
def test_a_db_that_is_not_a_duckdb_database_is_refused(tmp_path, name, content):
    target = tmp_path / name
    target.write_text(content, encoding="utf-8")
    src = write_jsonl(tmp_path / "src.jsonl", ROWS)
    for args in (["ingest", str(src)], ["trend"], ["summary"], ["mentions", "Kimhwa"]):
        r = invoke("media", *args, "--db", str(target))
        assert r.exit_code == 2, (args, r.output)
        assert str(target) in error_line(r) and "not a DuckDB database" in error_line(r)
        assert "inserted" not in r.stdout and r.stdout == ""
    assert target.read_text(encoding="utf-8") == content  # untouched
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted([name, "src.jsonl"])


def test_trend_on_a_duckdb_file_without_articles_is_a_message(tmp_path):
    import duckdb

    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    before = db.read_bytes()
    for args in (["trend"], ["summary"], ["mentions", "Kimhwa"]):
        r = invoke("media", *args, "--db", str(db))
        assert r.exit_code == 2 and r.stdout == ""
        assert "without media articles" in error_line(r) and str(db) in error_line(r)
    assert db.read_bytes() == before


# --- readers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "line"),
    [
        # never closed: the quote runs to the end of the file
        ('2021-01-01,KCNA,"Broken title,first text\n2021-01-02,KCNA,Second,second text\n', 2),
        # closed by a quote in a later record, so the records between are swallowed
        (
            '2021-01-01,KCNA,First,"first text\n2021-01-02,KCNA,Second,second text\n'
            '2021-01-03,KCNA,Third,"third text"\n',
            2,
        ),
        ('2021-01-01,KCNA,ok,fine\n2021-01-02,KCNA,"Broken,first\n2021-01-03,KCNA,x,"y"\n', 3),
    ],
)
def test_an_unterminated_quote_is_refused_with_file_and_row(tmp_path, body, line):
    src = tmp_path / "q.csv"
    src.write_text("date,outlet,title,text\n" + body, encoding="utf-8")
    db = tmp_path / "m.duckdb"
    r = invoke("media", "ingest", str(src), "--db", str(db))
    assert r.exit_code == 2 and r.stdout == ""
    msg = error_line(r)
    assert (
        f"{src}, row {line - 1} (line {line}): a quote opened in this record is not closed" in msg
    )
    assert not db.exists()
    # --skip-bad cannot load around it: the file's records cannot be told apart
    assert invoke("media", "ingest", str(src), "--db", str(db), "--skip-bad").exit_code == 2
    assert not db.exists()


def test_quoted_values_with_line_breaks_still_load(tmp_path):
    src = tmp_path / "ok.csv"
    src.write_text(
        'date,outlet,title,text\n2021-01-01,K,"two\nlines","say ""hi""\nthere"\n2021-01-02,K,b,c\n',
        encoding="utf-8",
    )
    db = tmp_path / "m.duckdb"
    r = invoke("media", "ingest", str(src), "--db", str(db), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["inserted"] == 2


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2021-01-01 garbage", "'garbage' after the date is not a time of day"),
        ("2021-01-01T25:00", "hour 25 is not 0-23"),
        ("2021-01-01 12:61", "minute 61 is not 0-59"),
        ("2021-01-01T", "'' after the date is not a time of day"),
    ],
)
def test_dates_with_junk_or_impossible_times_are_refused(tmp_path, value, reason):
    src = tmp_path / "d.csv"
    src.write_text(f"date,outlet,title,text\n2021-01-02,R,a,x\n{value},R,b,y\n", encoding="utf-8")
    db = tmp_path / "m.duckdb"
    r = invoke("media", "ingest", str(src), "--db", str(db))
    assert r.exit_code == 2 and r.stdout == "" and not db.exists()
    error_line(r)
    assert f"{src}, row 2, column date: unreadable date {value!r}: {reason}" in r.stderr


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2021-01-01T09:30:00Z", date(2021, 1, 1)),
        ("2021-03-04 23:59:59.123+09:00", date(2021, 3, 4)),
        ("2021/3/4", date(2021, 3, 4)),
        ("2021-12", date(2021, 12, 1)),
    ],
)
def test_dates_with_real_times_are_read(tmp_path, value, day):
    from twentyten.media.dates import parse_date_text

    assert parse_date_text(value) == day


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(0, 99),
    st.integers(0, 99),
)
def test_a_time_is_accepted_exactly_when_it_is_a_time_of_day(day, hour, minute):
    from twentyten.media.dates import parse_date_text

    text = f"{day.isoformat()}T{hour:02d}:{minute:02d}"
    if hour <= 23 and minute <= 59:
        assert parse_date_text(text) == day
    else:
        with pytest.raises(ValueError, match="hour|minute"):
            parse_date_text(text)
