import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twentyten.media.ingest import IngestError, IngestOptions, date_from_name, ingest
from twentyten.media.store import open_store

from .conftest import write_jsonl


def count(db):
    with open_store(db, read_only=True) as s:
        return s.article_count()


def rows(db, sql="SELECT outlet, date::VARCHAR, title, text, link FROM articles ORDER BY id"):
    with open_store(db, read_only=True) as s:
        return s.con.execute(sql).fetchall()


def test_csv_with_bom_crlf_and_fullwidth_is_normalised(tmp_path):
    src = tmp_path / "a.csv"
    src.write_bytes(
        '\ufeffdate,outlet,title,text\r\n2011-01-01,Rodong Sinmun,제목,"２０１１년\r\n지방공업"\r\n'.encode()
    )
    db = tmp_path / "m.duckdb"
    report = ingest([src], db)
    assert (report.rows_read, report.inserted, report.duplicates, len(report.rejected)) == (
        1,
        1,
        0,
        0,
    )
    assert rows(db) == [("Rodong Sinmun", "2011-01-01", "제목", "2011년\n지방공업", None)]


def test_jsonl_json_parquet_and_text_folder_give_the_same_articles(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = [
        {"date": "2011-03-01", "outlet": "Rodong Sinmun", "title": "가", "text": "지방공업"},
        {"date": "2012-03-01", "outlet": "Rodong Sinmun", "title": "나", "text": "국방공업"},
    ]
    write_jsonl(tmp_path / "a.jsonl", data)
    (tmp_path / "a.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(data), tmp_path / "a.parquet")
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "2011-03-01.txt").write_text("가\n지방공업", encoding="utf-8")
    (folder / "rodong_20120301.txt").write_text("나\n국방공업", encoding="utf-8")
    got = {}
    for name in ("a.jsonl", "a.json", "a.parquet"):
        db = tmp_path / f"{name}.duckdb"
        assert ingest([tmp_path / name], db).inserted == 2
        got[name] = rows(db, "SELECT date::VARCHAR, title FROM articles ORDER BY date")
    db = tmp_path / "txt.duckdb"
    assert ingest([folder], db, IngestOptions(outlet="Rodong Sinmun")).inserted == 2
    got["txt"] = rows(db, "SELECT date::VARCHAR, title FROM articles ORDER BY date")
    assert len({tuple(v) for v in got.values()}) == 1
    assert got["txt"] == [("2011-03-01", "가"), ("2012-03-01", "나")]


def test_duplicates_by_link_and_by_outlet_date_title(tmp_path):
    data = [
        {"date": "2024-08-01", "outlet": "KCNA", "title": "A", "text": "x", "link": "http://k/1"},
        {
            "date": "2024-08-01",
            "outlet": "KCNA",
            "title": "A again",
            "text": "x",
            "link": "http://k/1",
        },  # same link
        {"date": "2024-08-02", "outlet": "KCNA", "title": "B", "text": "y"},
        {
            "date": "2024-08-02",
            "outlet": "KCNA",
            "title": "b",
            "text": "y2",
        },  # same outlet+date+title (case)
        {"date": "2024-08-02", "outlet": "Other", "title": "B", "text": "y"},  # other outlet: kept
        {"date": "2024-08-03", "outlet": "KCNA", "title": "", "text": "body only"},
        {
            "date": "2024-08-03",
            "outlet": "KCNA",
            "title": "",
            "text": "another body",
        },  # no title: by text
    ]
    src = write_jsonl(tmp_path / "d.jsonl", data)
    db = tmp_path / "m.duckdb"
    report = ingest([src], db)
    assert (report.rows_read, report.inserted, report.duplicates) == (7, 5, 2)
    assert [r[2] for r in rows(db)] == ["A", "B", "B", "", ""]
    # a second ingest of the same file stores nothing new
    again = ingest([src], db)
    assert (again.inserted, again.duplicates, again.duplicates_in_store) == (0, 7, 5)
    assert count(db) == 5


def test_malformed_rows_are_rejected_with_reasons_and_nothing_is_loaded(tmp_path):
    src = tmp_path / "bad.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps(
                    {"date": "2011-01-01", "outlet": "R", "title": "ok", "text": "지방공업"}
                ),
                json.dumps({"date": "not a date", "outlet": "R", "title": "t", "text": "x"}),
                "{broken json",
                json.dumps({"date": "2011-01-02", "outlet": "", "title": "t", "text": "x"}),
                json.dumps({"date": "2011-01-03", "outlet": "R", "title": "", "text": "  "}),
                json.dumps({"date": "1066-10-14", "outlet": "R", "title": "h", "text": "x"}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "m.duckdb"
    report = ingest([src], db)
    assert not report.loaded and report.inserted == 0
    got = {(r.row, r.column): r.reason for r in report.rejected}
    assert got[(2, "date")] == "unreadable date 'not a date': expected YYYY-MM-DD"
    assert got[(3, "*")].startswith("invalid JSON")
    assert got[(4, "outlet")].startswith("empty outlet")
    assert got[(5, "text")] == "no title and no text"
    assert "outside" in got[(6, "date")]
    assert all(r.source == str(src) for r in report.rejected)
    assert not db.exists()  # nothing half-loaded: not even an empty database
    # with skip_bad the one good row is stored and the five are still reported
    report = ingest([src], db, IngestOptions(skip_bad=True))
    assert (report.loaded, report.inserted, len(report.rejected)) == (True, 1, 5)


def test_rejects_in_one_file_stop_the_whole_batch(tmp_path):
    good = write_jsonl(
        tmp_path / "good.jsonl", [{"date": "2011-01-01", "outlet": "R", "title": "a", "text": "b"}]
    )
    bad = write_jsonl(
        tmp_path / "bad.jsonl", [{"date": "", "outlet": "R", "title": "a", "text": "b"}]
    )
    db = tmp_path / "m.duckdb"
    report = ingest([good, bad], db)
    assert not report.loaded
    assert [str(r) for r in report.rejected] == [f"{bad}, row 1, column date: missing date"]
    assert not db.exists()


def test_csv_with_a_short_row_is_rejected_with_its_line(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("date,outlet,title,text\n2011-01-01,R,a,b\n2011-01-02,R\n", encoding="utf-8")
    report = ingest([src], tmp_path / "m.duckdb")
    assert not report.loaded
    assert len(report.rejected) == 1 and "expected 4 fields, found 2" in report.rejected[0].reason


def test_whole_file_problems_raise(tmp_path):
    nodate = write_jsonl(tmp_path / "n.jsonl", [{"outlet": "R", "title": "a", "text": "b"}])
    with pytest.raises(IngestError, match="no date column"):
        ingest([nodate], tmp_path / "m.duckdb")
    nooutlet = write_jsonl(
        tmp_path / "o.jsonl", [{"date": "2011-01-01", "title": "a", "text": "b"}]
    )
    with pytest.raises(IngestError, match="pass --outlet"):
        ingest([nooutlet], tmp_path / "m.duckdb")
    assert ingest([nooutlet], tmp_path / "m.duckdb", IngestOptions(outlet="R")).inserted == 1
    (tmp_path / "n.jsonl.gz").touch()
    with pytest.raises(IngestError, match="unknown format"):
        ingest([tmp_path / "n.jsonl.gz"], tmp_path / "m.duckdb")
    with pytest.raises(IngestError, match="no such file"):
        ingest([tmp_path / "missing.csv"], tmp_path / "m.duckdb")


def test_date_forms(tmp_path):
    data = [
        {"date": d, "outlet": "R", "title": f"t{i}", "text": "x"}
        for i, d in enumerate(
            ["2011", "2011-06", "2011/06/05", "2011-06-05T10:00:00Z", " 2011-06-07 "]
        )
    ]
    db = tmp_path / "m.duckdb"
    assert ingest([write_jsonl(tmp_path / "d.jsonl", data)], db).inserted == 5
    assert [r[0] for r in rows(db, "SELECT date::VARCHAR FROM articles ORDER BY id")] == [
        "2011-01-01",
        "2011-06-01",
        "2011-06-05",
        "2011-06-05",
        "2011-06-07",
    ]
    assert date_from_name("2016.txt").isoformat() == "2016-01-01"
    assert date_from_name("rodong_2024-07-15.txt").isoformat() == "2024-07-15"
    assert date_from_name("notes.txt") is None


def test_text_folder_without_dates_in_names_reports_the_files(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "2011.txt").write_text("지방공업", encoding="utf-8")
    (folder / "readme.txt").write_text("x", encoding="utf-8")
    (folder / "2012.txt").write_bytes(b"\xff\xfe bad")
    report = ingest([folder], tmp_path / "m.duckdb", IngestOptions(outlet="NY"))
    assert not report.loaded
    reasons = {r.source.rsplit("/", 1)[-1]: r.reason for r in report.rejected}
    assert reasons["readme.txt"].startswith("no date")
    assert reasons["2012.txt"].startswith("not UTF-8")


def test_headline_only_rows_are_matched_on_their_title(build_store):
    db = build_store([{"date": "2011-01-01", "outlet": "R", "title": "지방공업 발전", "text": ""}])
    assert rows(db, "SELECT text FROM articles") == [("지방공업 발전",)]


def test_csv_columns_are_read_as_text_so_mixed_date_forms_work(tmp_path):
    src = tmp_path / "m.csv"
    src.write_text(
        "date,outlet,title,text\n"
        + "".join(f"2011,R,t{i},x\n" for i in range(5))
        + "2012-03-04,R,u,y\n",
        encoding="utf-8",
    )
    db = tmp_path / "m.duckdb"
    report = ingest([src], db)
    assert report.inserted == 6
    assert rows(db, "SELECT max(date)::VARCHAR, min(title) FROM articles") == [("2012-03-04", "t0")]


def test_large_files_are_stored_in_parts_with_right_row_numbers(tmp_path, monkeypatch):
    import twentyten.media.readers as readers

    monkeypatch.setattr(readers, "CHUNK_ROWS", 3)
    data = [
        {"date": "2011-01-01", "outlet": "R", "title": f"t{i % 4}", "text": "x"} for i in range(10)
    ]
    data[8]["date"] = "bad"
    src = write_jsonl(tmp_path / "p.jsonl", data)
    db = tmp_path / "m.duckdb"
    report = ingest([src], db)
    assert not report.loaded and [r.row for r in report.rejected] == [9] and not db.exists()
    report = ingest([src], db, IngestOptions(skip_bad=True))
    # 9 valid rows, titles t0..t3 repeat: duplicates across parts are found too
    assert (report.inserted, report.duplicates) == (4, 5)


def test_a_failure_while_storing_rolls_everything_back(tmp_path, monkeypatch):
    import twentyten.media.readers as readers
    from twentyten.media.store import IngestWriter

    monkeypatch.setattr(readers, "CHUNK_ROWS", 2)
    data = [{"date": "2011-01-01", "outlet": "R", "title": f"t{i}", "text": "x"} for i in range(9)]
    src = write_jsonl(tmp_path / "p.jsonl", data)
    db = tmp_path / "m.duckdb"
    assert ingest([src], db).inserted == 9
    real_insert = IngestWriter.insert
    calls = []

    def failing(self, chunk, prepare=None):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_insert(self, chunk, prepare)

    monkeypatch.setattr(IngestWriter, "insert", failing)
    other = write_jsonl(tmp_path / "q.jsonl", [dict(d, title=f"u{i}") for i, d in enumerate(data)])
    with pytest.raises(RuntimeError, match="disk full"):
        ingest([other], db)
    assert count(db) == 9  # the two parts stored before the failure were rolled back


def test_impossible_calendar_dates_are_rejected_not_rolled_over(tmp_path):
    src = tmp_path / "d.csv"
    src.write_text(
        "date,outlet,title,text\n"
        "2011-02-30,R,a,x\n2011-02-28,R,b,x\n2012-02-29,R,c,x\n2011-2-3,R,d,x\n2011-04-31,R,e,x\n",
        encoding="utf-8",
    )
    db = tmp_path / "m.duckdb"
    report = ingest([src], db)
    assert [(r.row, r.reason) for r in report.rejected] == [
        (1, "unreadable date '2011-02-30': day is out of range for month"),
        (5, "unreadable date '2011-04-31': day is out of range for month"),
    ]
    assert not report.loaded and not db.exists()
    assert ingest([src], db, IngestOptions(skip_bad=True)).inserted == 3
    assert [r[0] for r in rows(db, "SELECT date::VARCHAR FROM articles ORDER BY id")] == [
        "2011-02-28",
        "2012-02-29",
        "2011-02-03",
    ]


def test_rows_after_a_malformed_csv_row_keep_their_numbers(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text(
        "date,outlet,title,text\n"
        '2011-01-01,R,a,b\n2011-01-02,R,b\n2011-01-03,R,"multi\nline",d,e\nbad,R,x,y\n'
        "2011-01-05,R,z,\n",
        encoding="utf-8",
    )
    report = ingest([src], tmp_path / "m.duckdb")
    assert [str(r) for r in report.rejected] == [
        f"{src}, row 2, column *: expected 4 fields, found 3",
        f"{src}, row 3, column *: expected 4 fields, found 5",
        f"{src}, row 4, column date: unreadable date 'bad': expected YYYY-MM-DD",
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("header.csv", "date,outlet,title,text\n"),
        ("empty.jsonl", ""),
        ("blank.jsonl", "\n\n"),
        ("empty.json", "[]"),
    ],
)
def test_a_file_without_rows_is_an_error_and_creates_nothing(tmp_path, name, content):
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    db = tmp_path / "m.duckdb"
    with pytest.raises(IngestError, match=rf"{name}: no rows"):
        ingest([src], db, IngestOptions(outlet="R"))
    assert not db.exists()


def test_a_jsonl_file_of_only_broken_lines_names_the_first(tmp_path):
    src = tmp_path / "b.jsonl"
    src.write_text("{broken\n{also broken\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"b.jsonl: no readable rows.*row 1.*invalid JSON"):
        ingest([src], tmp_path / "m.duckdb")


def test_latin1_csv_names_the_line_and_what_to_do(tmp_path):
    src = tmp_path / "l.csv"
    src.write_bytes(b"date,outlet,title,text\n2011-01-01,R,ok,x\n2011-01-02,R,caf\xe9,x\n")
    with pytest.raises(IngestError, match=r"l.csv, line 3: not UTF-8 \(byte 0xe9.*iconv"):
        ingest([src], tmp_path / "m.duckdb")
    assert not (tmp_path / "m.duckdb").exists()


def test_latin1_line_in_jsonl_is_rejected_with_its_line_not_a_traceback(tmp_path):
    src = tmp_path / "l.jsonl"
    src.write_bytes(
        b'{"date":"2011-01-01","outlet":"R","title":"caf\xe9","text":"x"}\n'
        b'{"date":"2011-01-02","outlet":"R","title":"b","text":"x"}\n'
    )
    report = ingest([src], tmp_path / "m.duckdb")
    assert [str(r) for r in report.rejected] == [f"{src}, row 1, column *: not UTF-8 (byte 0xe9)"]
    assert not report.loaded and not (tmp_path / "m.duckdb").exists()


def test_a_schema_1_database_gets_its_key_hashes_and_still_finds_duplicates(tmp_path):
    import duckdb

    data = [{"date": "2011-01-01", "outlet": "R", "title": f"t{i}", "text": "x"} for i in range(5)]
    src = write_jsonl(tmp_path / "p.jsonl", data)
    db = tmp_path / "m.duckdb"
    assert ingest([src], db).inserted == 5
    with duckdb.connect(str(db)) as con:  # as written by the version before the key index
        con.execute("ALTER TABLE articles DROP COLUMN key_hash")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    more = write_jsonl(tmp_path / "q.jsonl", data + [dict(data[0], title="new")])
    again = ingest([more], db)
    assert (again.inserted, again.duplicates_in_store) == (1, 5)
    assert count(db) == 6
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.integers(0, 2**64 - 1), max_size=30), max_size=12), st.data())
def test_key_hashes_hold_exactly_what_was_added(batches, data):
    import numpy as np

    from twentyten.media.store import KeyHashes

    keys = KeyHashes()
    for batch in batches:
        keys.add(np.array(batch, dtype=np.uint64))
    added = {x for b in batches for x in b}
    probe = data.draw(st.lists(st.integers(0, 2**64 - 1), max_size=20)) + sorted(added)[:20]
    got = keys.contains(np.array(probe, dtype=np.uint64))
    assert got.tolist() == [x in added for x in probe]
    assert len(keys.runs) <= max(1, 2 * len(batches).bit_length())  # merged, not one per batch


def test_a_hash_match_is_only_a_candidate_the_full_key_decides(tmp_path):
    import duckdb

    data = [{"date": "2011-01-01", "outlet": "R", "title": f"t{i}", "text": "x"} for i in range(6)]
    src = write_jsonl(tmp_path / "p.jsonl", data[:3])
    db = tmp_path / "m.duckdb"
    assert ingest([src], db).inserted == 3
    # make every new key's hash look stored: as if each collided with a stored article
    import numpy as np

    from twentyten.media.store import KeyHashes

    real_add = KeyHashes.add
    with duckdb.connect() as con:
        keys = [f"odt:R\x1f2011-01-01\x1ft{i}" for i in range(6)]
        collide = np.array(
            [con.execute("SELECT md5_number_lower(?)", [k]).fetchall()[0][0] for k in keys],
            dtype=np.uint64,
        )

    def add_all(self, values):
        real_add(self, values)
        real_add(self, collide)

    KeyHashes.add = add_all
    try:
        report = ingest([write_jsonl(tmp_path / "q.jsonl", data)], db)
    finally:
        KeyHashes.add = real_add
    assert (report.inserted, report.duplicates, report.duplicates_in_store) == (3, 3, 3)
    assert count(db) == 6
