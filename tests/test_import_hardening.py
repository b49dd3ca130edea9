"""Bad input that used to be accepted and hurt (hardening issue): implausible dates, NUL characters, over-long
lines and fields, lines in another encoding. Each is quarantined with its line and a reason (or, for a file
over a limit, refuses the import naming the file), and nothing else is lost. The attack data is made here."""

from __future__ import annotations

import datetime as dt

import pytest
import support
from support import HEADERS, complaint, csv_text, cust, log

from supervision import importing, measures

TODAY = support.IMPORT_DAY  # 2027-06-30


def quarantine(con) -> list[tuple]:
    return con.execute("select file, line, reason from quarantine order by file, line").fetchall()


@pytest.mark.parametrize(
    "when,why",
    [
        ("2035-12-31 10:00", "is after the import date (2027-06-30)"),
        ("9999-12-31", "is after the import date"),
        ("1999-12-31", "is before 2000"),
        ("0001-01-01", "is before 2000"),
    ],
)
def test_an_implausible_service_time_is_quarantined(build, when, why):
    con = build(
        customers=[cust("C1", "A", "M1")],
        logs=[log("R1", "C1", "visit", "2026-03-05 10:00"), log("R2", "C1", "visit", when)],
    )
    assert [(line, why in reason) for _, line, reason in quarantine(con)] == [(3, True)]
    # the data's as-of date and the stored years follow only the data that passed
    assert measures.as_of_default(con) == dt.date(2026, 3, 5)
    assert con.execute("select value from meta where key = 'obligation_years'").fetchone() == ("2026-2026",)


def test_a_day_of_clock_slack_is_allowed(build):
    con = build(
        customers=[cust("C1", "A", "M1")],
        logs=[log("R1", "C1", "visit", "2027-07-01 23:59"), log("R2", "C1", "visit", "2027-07-02 00:00")],
    )
    assert [line for _, line, _ in quarantine(con)] == [3]


def test_complaint_times_after_the_import_date_are_quarantined(build):
    con = build(
        customers=[cust("C1", "A", "M1")],
        complaints=[
            support.complaint("K1", "C1", "2026-03-05 10:00", resolved="2030-01-01 10:00"),
            support.complaint("K2", "C1", "2031-03-05 10:00"),
        ],
    )
    reasons = [r for _, _, r in quarantine(con)]
    assert any("resolved_at" in r and "after the import date" in r for r in reasons)
    assert any("received_at" in r and "after the import date" in r for r in reasons)


def test_old_onboarding_and_birthdays_are_fine_future_ones_are_not(build):
    con = build(
        customers=[cust("C1", "A", "M1", onboard="1995-03-01"), cust("C2", "A", "M1", onboard="2030-01-01")],
        members=[
            support.member("P1", "C1", "important_leader", "1960-05-03"),
            support.member("P2", "C1", "important_leader", "2040-05-03"),
        ],
    )
    got = {(f, line): r for f, line, r in quarantine(con)}
    assert list(got) == [("customers.csv", 3), ("members.csv", 3)]
    assert all("after the import date" in r for r in got.values())


def test_a_nul_character_in_a_field_quarantines_its_line(export_dir, import_folder):
    text = (
        csv_text(HEADERS["service_logs"], [log("R1", "C1", "visit", "2026-03-05")])
        + "R2,C1,,M1,visit,上门,2026-03-06,completed,bad\x00note\n"
    )
    folder = export_dir(customers=[cust("C1", "A", "M1")], files={"service_logs.csv": text})
    con, rep = import_folder(folder)
    assert [(line, r) for _, line, r in quarantine(con)] == [(3, "the line contains a NUL character")]
    raw = con.execute("select raw from quarantine").fetchone()[0]
    assert raw == "R2,C1,,M1,visit,上门,2026-03-06,completed,bad\u2400note"
    assert con.execute("select count(*) from service_logs where contains(note, chr(0))").fetchone() == (0,)


def test_a_ten_megabyte_line_is_quarantined_not_stored(export_dir, import_folder):
    huge = "R2,C1,,M1,visit,上门,2026-03-06,completed," + "x" * 10_000_000
    text = csv_text(HEADERS["service_logs"], [log("R1", "C1", "visit", "2026-03-05")]) + huge + "\n"
    folder = export_dir(customers=[cust("C1", "A", "M1")], files={"service_logs.csv": text})
    con, rep = import_folder(folder)
    [(f, line, reason)] = quarantine(con)
    assert line == 3 and "more than 65,536" in reason
    assert len(con.execute("select raw from quarantine").fetchone()[0]) < 3000
    files = {x.file: x for x in rep.files}
    assert files["service_logs.csv"].read == 2 and files["service_logs.csv"].accepted == 1


def test_a_field_longer_than_the_limit_quarantines_its_row(build):
    con = build(
        customers=[cust("C1", "A", "M1")],
        logs=[log("R1", "C1", "visit", "2026-03-05", note="n" * 1001), log("R2", "C1", "visit", "2026-03-06")],
    )
    assert [(line, r) for _, line, r in quarantine(con)] == [(2, "field note is longer than 1,000 characters")]


def test_long_lines_in_every_chunk_are_all_judged(export_dir, import_folder, monkeypatch):
    """A line of more than 1,000 bytes (a note of 400 Chinese characters) is checked for an over-long field
    apart from the others, chunk by chunk: with every line long and chunks of a few lines, each is still
    stored, or quarantined when a field passes the limit, with its own line number."""
    from supervision import readers

    monkeypatch.setattr(readers, "CHUNK_BYTES", 4096)
    rows = [log(f"R{i}", "C1", "visit", f"2026-03-{i % 28 + 1:02d}", note="长" * 400) for i in range(40)]
    rows[7] = log("R7", "C1", "visit", "2026-03-08", note="长" * 1001)
    rows[33] = log("R33", "C1", "visit", "2026-03-06", note=" " + "长" * 1000 + " ")  # 1,000 once trimmed
    folder = export_dir(
        customers=[cust("C1", "A", "M1")], files={"service_logs.csv": csv_text(HEADERS["service_logs"], rows)}
    )
    con, rep = import_folder(folder)
    assert [(line, r) for _, line, r in quarantine(con)] == [(9, "field note is longer than 1,000 characters")]
    stored = con.execute("select record_id, line, length(note) from service_logs order by line").fetchall()
    assert [(r, n) for r, n, _ in stored] == [(f"R{i}", i + 2) for i in range(40) if i != 7]
    assert {length for *_, length in stored} == {400, 1000}


def test_a_complaint_category_longer_than_the_limit_quarantines_its_row(export_dir, import_folder):
    """SPEC §12: the optional category [投诉类别] obeys the field limit like every field (issue 14's bad input)."""
    header = HEADERS["complaints"] + ["category"]
    rows = [
        [*complaint("Q1", "C1", "2026-03-05 10:00"), "网络质量"],
        [*complaint("Q2", "C1", "2026-03-06 10:00"), "类" * 1001],
    ]
    folder = export_dir(customers=[cust("C1", "A", "M1")], files={"complaints.csv": csv_text(header, rows)})
    con, rep = import_folder(folder)
    assert [(line, r) for _, line, r in quarantine(con)] == [(3, "field category is longer than 1,000 characters")]
    assert con.execute("select complaint_id, category from complaints").fetchall() == [("Q1", "网络质量")]


def test_a_utf8_file_with_one_gb18030_line_keeps_the_rest(export_dir, import_folder):
    good = csv_text(HEADERS["service_logs"], [log("R1", "C1", "visit", "2026-03-05", note="上门拜访")])
    bad = "R2,C1,,M1,visit,上门,2026-03-06,completed,广东话备注\n".encode("gb18030")
    tail = csv_text(HEADERS["service_logs"], [log("R3", "C1", "visit", "2026-03-07", note="第三行")]).split("\n", 1)[1]
    folder = export_dir(
        customers=[cust("C1", "A", "M1")], files={"service_logs.csv": good.encode() + bad + tail.encode()}
    )
    con, rep = import_folder(folder)
    [(f, line, reason)] = quarantine(con)
    assert f == "service_logs.csv" and line == 3 and "cannot be decoded as utf-8" in reason
    assert {x.file: x.encoding for x in rep.files}["service_logs.csv"] == "utf-8"  # which encoding was used
    assert [r for (r,) in con.execute("select record_id from service_logs order by 1").fetchall()] == ["R1", "R3"]


def test_a_file_mostly_in_another_encoding_is_refused_naming_it(export_dir, import_folder, monkeypatch):
    from supervision import readers

    monkeypatch.setattr(readers, "MAX_BAD_LINES", 3)
    monkeypatch.setattr(readers, "SNIFF_BYTES", 80)  # the sample that decides the encoding: the UTF-8 lines only
    head = csv_text(HEADERS["service_logs"], [log(f"U{i}", "C1", "visit", "2026-03-05") for i in range(50)]).encode()
    rows = "".join(f"R{i},C1,,M1,visit,上门,2026-03-06,completed,备注{i}\n" for i in range(1, 10)).encode("gb18030")
    folder = export_dir(customers=[cust("C1", "A", "M1")], files={"service_logs.csv": head + rows})
    with pytest.raises(importing.ImportRefused, match="service_logs.csv.*cannot be decoded as utf-8"):
        import_folder(folder)


# ---------------------------------------------------------------- workbooks (the attack files are made here)
def workbook(folder, name: str, rows: list[list], extra=None) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    if extra:
        extra(wb, ws)
    folder.mkdir(parents=True, exist_ok=True)
    wb.save(folder / name)


def test_a_formula_without_a_value_a_merged_cell_and_a_second_sheet(tmp_path, export_dir, import_folder):
    folder = export_dir(customers=[cust("C1", "A", "M1"), cust("C2", "A", "M1")])
    rows = [
        HEADERS["service_logs"],
        ["R1", "C1", "", "M1", "visit", "上门", "2026-03-05", "completed", ""],
        ["R2", "C1", "", "M1", "visit", "上门", "2026-03-06", "completed", "=100+1"],
        ["R3", "C2", "", "M1", "visit", "上门", "2026-03-07", "completed", ""],
        ["R4", None, "", "M1", "visit", "上门", "2026-03-08", "completed", ""],
    ]

    def extra(wb, ws):
        ws.merge_cells("B4:B5")  # R4's customer stands only in R3's row
        wb.create_sheet("说明").append(["这个工作表不是数据"])

    workbook(folder, "service_logs.xlsx", rows, extra)
    con, rep = import_folder(folder)
    got = {line: reason for f, line, reason in quarantine(con) if f == "service_logs.xlsx"}
    assert "formula without a stored value in column I" in got[3]
    assert "merged with row 4" in got[5]
    files = {f.file: f for f in rep.files}
    assert files["service_logs.xlsx"].notes == ["sheets ignored (only the first is read): 说明"]
    assert (files["service_logs.xlsx"].read, files["service_logs.xlsx"].accepted) == (4, 2)


def test_a_cell_far_away_refuses_the_workbook_quickly(tmp_path, export_dir, import_folder):
    import time

    folder = export_dir(customers=[cust("C1", "A", "M1")])
    workbook(
        folder,
        "service_logs.xlsx",
        [HEADERS["service_logs"], ["R1", "C1", "", "M1", "visit", "上门", "2026-03-05", "completed", ""]],
        lambda wb, ws: ws.__setitem__("XFD15000", "boom"),
    )
    start = time.perf_counter()
    with pytest.raises(importing.ImportRefused, match=r"service_logs.xlsx.*row 15,000 and column 16,384"):
        import_folder(folder)
    assert time.perf_counter() - start < 10


def test_a_workbook_that_inflates_is_refused(tmp_path, export_dir, import_folder, monkeypatch):
    from supervision import readers

    monkeypatch.setattr(readers, "MAX_WORKBOOK_BYTES", 200_000)
    folder = export_dir(customers=[cust("C1", "A", "M1")])
    workbook(
        folder,
        "service_logs.xlsx",
        [HEADERS["service_logs"]]
        + [[f"R{i}", "C1", "", "M1", "visit", "上门", "2026-03-05", "completed", "x" * 50] for i in range(3000)],
    )
    assert (folder / "service_logs.xlsx").stat().st_size < 200_000  # small on disk, large inside
    with pytest.raises(importing.ImportRefused, match=r"service_logs.xlsx: the workbook expands to"):
        import_folder(folder)


def test_files_that_are_not_exports_are_named_as_ignored(export_dir, import_folder):
    folder = export_dir(customers=[cust("C1", "A", "M1")], files={"readme.txt": "not data", "Customers_old.CSV": "x"})
    con, rep = import_folder(folder)
    assert rep.ignored == ["Customers_old.CSV", "readme.txt"]
    assert rep.as_json()["ignored"] == ["Customers_old.CSV", "readme.txt"]
