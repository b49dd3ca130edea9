"""Importing dirty CRM exports (SPEC §4): every line is accepted, updated, quarantined (with file, line number,
raw text and reason) or dropped as an exact duplicate; an import lands whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import support
from support import HEADERS, complaint, csv_text, cust, log, member

from supervision import db, importing, measures

TABLES = (
    "org_units",
    "managers",
    "customers",
    "tier_history",
    "members",
    "service_logs",
    "complaints",
    "quarantine",
    "imports",
    "import_files",
    "standards",
    "standards_versions",
)

ZH = {  # SPEC §4 Chinese headers
    "customers": [
        "集团编码",
        "集团名称",
        "客户等级",
        "地市编码",
        "区县编码",
        "客户经理编码",
        "首席客户经理编码",
        "行业",
        "集团成员数",
        "入网日期",
    ],
    "service_logs": [
        "记录编号",
        "集团编码",
        "成员编码",
        "客户经理编码",
        "服务类型",
        "渠道",
        "服务时间",
        "状态",
        "备注",
    ],
    "complaints": [
        "投诉编号",
        "集团编码",
        "客户经理编码",
        "受理时间",
        "首次联系时间",
        "办结时间",
        "回访时间",
        "满意度",
        "不满意原因",
    ],
}

BASE_CUSTOMERS = [cust("C1", "A", "M1"), cust("C2", "B", "M3", chief="")]


def by_file(report) -> dict[str, importing.FileReport]:
    return {Path(f.file).stem: f for f in report.files}


def counts(f: importing.FileReport) -> tuple[int, int, int, int, int]:
    """(read, accepted, updated, quarantined, duplicates), after checking that nothing is lost."""
    assert f.read == f.accepted + f.updated + f.quarantined + f.duplicates, f
    return f.read, f.accepted, f.updated, f.quarantined, f.duplicates


def quarantine(con, file: str, import_id: int | None = None) -> list[tuple[int, str, str]]:
    rows = con.execute("select file, line, raw, reason, import_id from quarantine order by import_id, line").fetchall()
    return [
        (line, raw, reason)
        for f, line, raw, reason, imp in rows
        if Path(f).stem == file and (import_id is None or imp == import_id)
    ]


def snapshot(con) -> dict[str, list]:
    """Every row of every stored table (sorted), to prove an import changed nothing."""
    out = {}
    for t in TABLES:
        out[t] = sorted(map(repr, con.execute(f"select * from {t}").fetchall()))
    out["obligations"] = sorted(
        map(
            repr,
            con.execute(
                "select * from compliance_items(date '2026-01-01', date '2026-12-31', date '2026-12-31', null, null)"
            ).fetchall(),
        )
    )
    return out


def table(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


# ----------------------------------------------------------------------------------- encodings and formats


def test_gb18030_chinese_headers_crlf(export_dir, import_folder):
    customers = csv_text(
        ZH["customers"], [cust("C1", "A", "M1", industry="银行", name="沈阳和平农村商业银行")], newline="\r\n"
    )
    logs = csv_text(
        ZH["service_logs"],
        [
            log("R1", "C1", "上门拜访", "2026/1/5 10:00", "已完成", note="年度服务计划沟通"),
            log("R2", "C1", "首席拜访", "20260106", "已取消", manager="S1", note="客户改期"),
            log("R3", "C9", "上门拜访", "2026-01-07 10:00", "已完成", note="未知集团"),
        ],
        newline="\r\n",
    )
    folder = export_dir(files={"customers.csv": customers, "service_logs.csv": logs}, encoding="gb18030", org=True)
    con, rep = import_folder(folder)
    f = by_file(rep)
    assert counts(f["customers"]) == (1, 1, 0, 0, 0)
    assert counts(f["service_logs"]) == (3, 2, 0, 1, 0)
    assert f["service_logs"].encoding.replace("-", "").lower() == "gb18030"
    assert table(con, "select customer_name, industry from customers") == [("沈阳和平农村商业银行", "banking")]
    assert table(con, "select record_id, service_code, service_time, status, note from service_logs order by 1") == [
        ("R1", "visit", dt.datetime(2026, 1, 5, 10, 0), "completed", "年度服务计划沟通"),
        ("R2", "chief_visit", dt.datetime(2026, 1, 6, 0, 0), "cancelled", "客户改期"),
    ]
    [(line, raw, reason)] = quarantine(con, "service_logs")
    assert line == 4  # header = line 1
    assert raw == "R3,C9,,M1,上门拜访,上门,2026-01-07 10:00,已完成,未知集团"  # decoded, no CR
    assert "unknown customer" in reason.lower()


def test_utf8_bom_chinese_header(export_dir, import_folder):
    text = "\ufeff" + csv_text(ZH["customers"], [cust("C1", "A", "M1"), cust(" C2 ", " B ", "M3", onboard="20180620")])
    con, rep = import_folder(export_dir(files={"customers.csv": text}))
    assert counts(by_file(rep)["customers"]) == (2, 2, 0, 0, 0)
    assert table(con, "select customer_id, tier, onboard_date from customers order by 1") == [
        ("C1", "A", dt.date(2020, 1, 1)),
        ("C2", "B", dt.date(2018, 6, 20)),
    ]


def test_utf16(export_dir, import_folder):
    text = csv_text(HEADERS["customers"], [cust("C1", "A", "M1", name="西岗建工")], newline="\r\n")
    con, rep = import_folder(export_dir(files={"customers.csv": text}, encoding="utf-16"))
    assert counts(by_file(rep)["customers"]) == (1, 1, 0, 0, 0)
    assert table(con, "select customer_id, customer_name, city_code from customers") == [("C1", "西岗建工", "2101")]


def test_xlsx_numbers_and_dates_as_cells(export_dir, import_folder):
    """A workbook cell holds what its text would: 106 not 106.0, a date cell is that date, a datetime cell that
    time; each data row counts as one line read."""
    folder = export_dir()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(ZH["customers"])
    ws.append([106, "数字编码集团", "A", 2101, 210102, "M1", "S1", "银行", 620, dt.datetime(2019, 5, 8)])
    ws.append(["C2", "日期集团", "B", "2102", "210202", "M3", None, "other", 150.0, dt.date(2026, 2, 10)])
    wb.save(folder / "customers.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS["service_logs"])
    ws.append(["R1", 106, None, "M1", "visit", "上门", dt.datetime(2026, 3, 5, 14, 30), "completed", None])
    ws.append([20260101, 106, None, "M1", "visit", "上门", dt.datetime(2026, 3, 6), "completed", 12])
    ws.append(["R3", "C2", None, "M3", "visit", "上门", "2026/3/7", "已完成", None])
    wb.save(folder / "service_logs.xlsx")
    con, rep = import_folder(folder)
    f = by_file(rep)
    assert counts(f["customers"]) == (2, 2, 0, 0, 0)
    assert counts(f["service_logs"]) == (3, 3, 0, 0, 0)
    assert table(
        con,
        "select customer_id, city_code, district_code, member_count, onboard_date, industry from customers order by 1",
    ) == [
        ("106", "2101", "210102", 620, dt.date(2019, 5, 8), "banking"),
        ("C2", "2102", "210202", 150, dt.date(2026, 2, 10), "other"),
    ]
    assert table(con, "select record_id, customer_id, service_time, note from service_logs order by 1") == [
        ("20260101", "106", dt.datetime(2026, 3, 6), "12"),
        ("R1", "106", dt.datetime(2026, 3, 5, 14, 30), None),
        ("R3", "C2", dt.datetime(2026, 3, 7), None),
    ]


def test_a_workbook_is_found_by_its_canonical_name_beside_csv_files(export_dir, import_folder):
    folder = export_dir(customers=BASE_CUSTOMERS)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS["service_logs"])
    ws.append(["R1", "C1", None, "M1", "visit", "上门", "2026-03-05", "completed", None])
    wb.save(folder / "service_logs.xlsx")
    con, rep = import_folder(folder)
    assert [Path(f.file).name for f in rep.files] == [
        "org_units.csv",
        "managers.csv",
        "customers.csv",
        "service_logs.xlsx",
    ]
    assert table(con, "select record_id from service_logs") == [("R1",)]


def test_gb18030_whose_first_64kb_are_ascii(export_dir, import_folder):
    """A GB18030 export with canonical headers and code values can be pure ASCII for its first tens of
    thousands of bytes, with the first Chinese character (a note) far down. It is a table in a supported
    encoding (§4), so it must import, not be refused as undecodable."""
    rows = [
        log(f"R{i}", "C1", "visit", f"2026-01-{1 + i % 28:02d} 10:00", channel="phone", note="ok") for i in range(1500)
    ]
    rows.append(log("R9999", "C1", "visit", "2026-02-01 10:00", note="客户很满意"))
    text = csv_text(HEADERS["service_logs"], rows, newline="\r\n")
    assert len(text.encode("gb18030")) > 64 * 1024
    folder = export_dir(customers=BASE_CUSTOMERS, files={"service_logs.csv": text.encode("gb18030")})
    con, rep = import_folder(folder)
    assert counts(by_file(rep)["service_logs"]) == (1501, 1501, 0, 0, 0)
    assert table(con, "select note from service_logs where record_id = 'R9999'") == [("客户很满意",)]


def test_columns_in_any_order_extra_columns_blank_and_multiline_lines(export_dir, import_folder):
    """Columns are found by name (extra ones ignored); a blank line is not a data line but line numbers stay
    those of the file; a quoted note may span two lines and is one record."""
    text = (
        "备用,status,record_id,customer_id,member_id,manager_id,service_code,channel,service_time,note\n"
        "x,completed,R1,C1,,M1,visit,上门,2026-01-05,\n"
        "\n"
        ',已完成,R2,C1,,M1,上门拜访,上门,2026-01-06,"两行\n备注"\n'
        "y,completed,R3,C1,,M1,visit,上门,2026-02-30,\n"
    )
    con, rep = import_folder(export_dir(customers=BASE_CUSTOMERS, files={"service_logs.csv": text}))
    assert counts(by_file(rep)["service_logs"]) == (3, 2, 0, 1, 0)
    assert table(con, "select record_id, status, note from service_logs order by 1") == [
        ("R1", "completed", None),
        ("R2", "completed", "两行\n备注"),
    ]
    assert [line for line, _, _ in quarantine(con, "service_logs")] == [6]


def test_other_industries_are_accepted(export_dir, import_folder):
    con, rep = import_folder(
        export_dir(customers=[cust("C1", "A", "M1", industry="餐饮"), cust("C2", "B", "M3", industry="交通")])
    )
    assert counts(by_file(rep)["customers"]) == (2, 2, 0, 0, 0)
    assert table(con, "select industry from customers order by customer_id") == [("餐饮",), ("transport",)]


# ------------------------------------------------------------------------------------------ broken lines


def test_broken_lines_too_many_and_too_few_fields(export_dir, import_folder):
    good = "R1,C1,,M1,visit,上门,2026-01-05,completed,ok"
    too_many = "R2,C1,,M1,visit,上门,2026-01-06,completed,客户要求,下次带报价方案"
    too_few = "R3,C1,,M1,visit,上门,2026-01-07,completed"
    quoted = 'R4,C1,,M1,visit,上门,2026-01-08,completed,"沟通升级后的服务内容,确认首席经理"'
    text = "\n".join([",".join(HEADERS["service_logs"]), good, too_many, too_few, quoted, too_many, too_many]) + "\n"
    con, rep = import_folder(export_dir(customers=BASE_CUSTOMERS, files={"service_logs.csv": text}))
    # identical broken lines: one quarantined, the rest are exact duplicates
    assert counts(by_file(rep)["service_logs"]) == (6, 2, 0, 2, 2)
    q = quarantine(con, "service_logs")
    assert [(line, raw) for line, raw, _ in q] == [(3, too_many), (4, too_few)]
    assert all("field" in reason.lower() for _, _, reason in q)
    assert table(con, "select record_id, note from service_logs order by 1") == [
        ("R1", "ok"),
        ("R4", "沟通升级后的服务内容,确认首席经理"),
    ]


SPREAD_LINES = [  # every kind of line the staging treats apart: plain, trimmed, quoted over two lines, broken,
    "R1,C1,,M1,visit,上门,2026-01-05,completed,ok",  # blank, a duplicate after trimming, an over-long field
    " R2 , C1,,M1,visit,上门,2026-01-06 , completed ,\u3000备注\u3000",
    'R3,C1,,M1,visit,上门,2026-01-07,completed,"跨行的',
    '备注,有逗号"',
    "R4,C1,,M1,visit,上门,2026-01-08,completed",
    "",
    "R1 ,C1,,M1,visit,上门,2026-01-05,completed,ok",
    "R5,C1,,M1,visit,上门,2026-01-09,completed," + "长" * 1200,
    "R6,C1,,M1,visit,上门,2026-01-10,completed,最后一行",
]


@pytest.mark.parametrize("chunk", [7, 64, 1 << 24])
@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\r", "mixed"])
def test_every_line_break_and_chunk_size_imports_the_same(export_dir, import_folder, monkeypatch, breaks, chunk):
    """The reader leaves \r\n in place when every line of a chunk ends with it (and writes every break as \n
    otherwise); the staging cuts each line's break off. Whatever the breaks and wherever a chunk ends, the
    import stores and quarantines the same rows with the same line numbers and raw text."""
    from supervision import readers

    monkeypatch.setattr(readers, "CHUNK_BYTES", chunk)
    lines = [",".join(HEADERS["service_logs"]), *SPREAD_LINES]
    if breaks == "mixed":
        text = "".join(line + ("\r\n" if i % 3 else "\n") for i, line in enumerate(lines))
    else:
        text = breaks.join(lines) + breaks
    con, rep = import_folder(export_dir(customers=BASE_CUSTOMERS, files={"service_logs.csv": text.encode("gb18030")}))
    assert counts(by_file(rep)["service_logs"]) == (7, 4, 0, 2, 1)  # "R1 ," is R1 once trimmed: a duplicate
    assert table(con, "select record_id, service_time::date::varchar, note, line from service_logs order by 1") == [
        ("R1", "2026-01-05", "ok", 2),
        ("R2", "2026-01-06", "备注", 3),
        ("R3", "2026-01-07", "跨行的\n备注,有逗号", 4),
        ("R6", "2026-01-10", "最后一行", 10),
    ]
    assert quarantine(con, "service_logs") == [
        (6, SPREAD_LINES[4], "wrong number of fields: 8, expected 9"),
        (9, SPREAD_LINES[7], "field note is longer than 1,000 characters"),
    ]


@pytest.mark.parametrize(
    "first_line",
    [
        'R1,C1,,M1,visit,上门,2026-01-05,completed,客户说"好的',  # a quote inside an unquoted field
        'R1,C1,,M1,visit,上门,2026-01-05,completed,"客户说好的',  # an opening quote that never closes
        'R1,C1,,M1,visit,上门,2026-01-05,completed,"客户说,好的',  # ... with a comma after it
    ],
    ids=["quote-mid-field", "unclosed-quote", "unclosed-quote-comma"],
)
def test_stray_quote_does_not_swallow_the_following_lines(export_dir, import_folder, first_line):
    """`read` counts data lines (§8) and nothing is lost (§4): a note with an unmatched quote is at most one
    broken line; the lines after it (one of them quoting its own note with a comma, one with an odd quote
    of its own) are still read and accepted on their own, with their own line numbers."""
    lines = [
        ",".join(HEADERS["service_logs"]),
        first_line,
        "R2,C1,,M1,visit,上门,2026-01-06,completed,",
        'R3,C1,,M1,visit,上门,2026-01-07,completed,"沟通,确认"',
        'R4,C1,,M1,visit,上门,2026-01-08,completed,他说"行',
        "R5,C1,,M1,visit,上门,2026-01-09,completed,",
    ]
    con, rep = import_folder(export_dir(customers=BASE_CUSTOMERS, files={"service_logs.csv": "\n".join(lines) + "\n"}))
    f = by_file(rep)["service_logs"]
    assert f.read == 5
    assert f.accepted + f.quarantined == 5
    stored = dict(table(con, "select record_id, line from service_logs"))
    assert {k: stored.get(k) for k in ("R2", "R3", "R5")} == {"R2": 3, "R3": 4, "R5": 6}
    assert table(con, "select note from service_logs where record_id = 'R3'") == [("沟通,确认",)]
    assert all(line == 2 or line == 5 for line, _, _ in quarantine(con, "service_logs"))


def test_exact_duplicates_compare_trimmed_text(export_dir, import_folder):
    text = csv_text(
        HEADERS["service_logs"],
        [
            log("R1", "C1", "visit", "2026-01-05 10:00"),
            [" R1", "C1 ", "", "M1", "visit", "上门", " 2026-01-05 10:00", "completed", ""],
            log("R1", "C1", "visit", "2026-01-05 10:00"),
            log("R2", "C1", "visit", "2026-01-06 10:00"),
        ],
    )
    con, rep = import_folder(export_dir(customers=BASE_CUSTOMERS, files={"service_logs.csv": text}))
    assert counts(by_file(rep)["service_logs"]) == (4, 2, 0, 0, 2)
    assert table(con, "select count(*) from service_logs where record_id = 'R1'") == [(1,)]


def test_same_id_conflict_quarantines_both(export_dir, import_folder):
    """Exact duplicates are dropped first (2 of the 3 identical R1 lines), then the remaining R1 and the
    different R1 are a conflict: both quarantined, naming each other's lines."""
    rows = [
        log("R1", "C1", "visit", "2026-01-20 10:00", "completed"),
        log("R1", "C1", "visit", "2026-01-20 10:00", "completed"),
        log("R2", "C1", "visit", "2026-01-21 10:00"),
        log("R1", "C1", "visit", "2026-01-20 10:00", "已取消", note="改期"),
        log("R1", "C1", "visit", "2026-01-20 10:00", "completed"),
    ]
    con, rep = import_folder(
        export_dir(customers=BASE_CUSTOMERS, files={"service_logs.csv": csv_text(HEADERS["service_logs"], rows)})
    )
    assert counts(by_file(rep)["service_logs"]) == (5, 1, 0, 2, 2)
    q = quarantine(con, "service_logs")
    assert [line for line, _, _ in q] == [2, 5]
    assert q[1][1] == "R1,C1,,M1,visit,上门,2026-01-20 10:00,已取消,改期"
    assert all("conflict" in reason.lower() for _, _, reason in q)
    assert table(con, "select record_id from service_logs") == [("R2",)]


def test_conflicts_are_judged_before_field_checks(export_dir, import_folder):
    """§4 order: a row sharing its key with a different row is a conflict even when the other row would fail
    its own field checks — both are quarantined, the valid one included."""
    con, rep = import_folder(
        export_dir(
            customers=BASE_CUSTOMERS,
            logs=[log("R1", "C1", "visit", "2026-01-05 10:00"), log("R1", "C1", "visit", "2026-02-30 10:00")],
        )
    )
    assert counts(by_file(rep)["service_logs"]) == (2, 0, 0, 2, 0)
    assert all("conflict" in reason.lower() for _, _, reason in quarantine(con, "service_logs"))


def test_tier_history_key_compares_dates_by_value(export_dir, import_folder):
    """`2026-03-01` and `2026/3/1` for the same customer share a key: a conflict, both quarantined."""
    con, rep = import_folder(
        export_dir(
            customers=BASE_CUSTOMERS,
            tier_history=[
                ["C1", "B", "2026-03-01"],
                ["C1", "A", "2026/3/1"],
                ["C1", "B", "20200101"],
                ["C2", "A", "2026-03-01"],
            ],
        )
    )
    assert counts(by_file(rep)["tier_history"]) == (4, 2, 0, 2, 0)
    q = quarantine(con, "tier_history")
    assert [(line, raw) for line, raw, _ in q] == [(2, "C1,B,2026-03-01"), (3, "C1,A,2026/3/1")]
    assert all("conflict" in reason.lower() for _, _, reason in q)
    assert table(con, "select customer_id, tier, effective_from from tier_history order by 1") == [
        ("C1", "B", dt.date(2020, 1, 1)),
        ("C2", "A", dt.date(2026, 3, 1)),
    ]


# --------------------------------------------------------------------------------------------- references


def test_unknown_customer_and_unknown_manager(export_dir, import_folder):
    con, rep = import_folder(
        export_dir(
            customers=BASE_CUSTOMERS,
            logs=[
                log("R1", "C1", "visit", "2026-01-05"),
                log("R2", "C9", "visit", "2026-01-05"),
                log("R3", "C1", "visit", "2026-01-05", manager="MX"),
                log("R4", "C1", "visit", "2026-01-05", manager=""),
            ],
            complaints=[
                complaint("K1", "C9", "2026-01-05 10:00"),
                complaint("K2", "C1", "2026-01-05 10:00", manager="MX"),
                complaint("K3", "C1", "2026-01-05 10:00"),
            ],
            members=[member("CY1", "C9", "important_leader", "1970-01-01"), member("CY2", "C1", "重要领导", "")],
        )
    )
    f = by_file(rep)
    assert counts(f["service_logs"]) == (4, 2, 0, 2, 0)
    assert counts(f["complaints"]) == (3, 1, 0, 2, 0)
    assert counts(f["members"]) == (2, 1, 0, 1, 0)
    logs_q = {line: reason.lower() for line, _, reason in quarantine(con, "service_logs")}
    assert set(logs_q) == {3, 4}
    assert "unknown customer" in logs_q[3] and "c9" in logs_q[3]
    assert "unknown manager" in logs_q[4] and "mx" in logs_q[4]
    comp_q = {line: reason.lower() for line, _, reason in quarantine(con, "complaints")}
    assert "unknown customer" in comp_q[2] and "unknown manager" in comp_q[3]
    assert "unknown customer" in quarantine(con, "members")[0][2].lower()


def test_a_quarantined_customer_quarantines_its_rows(export_dir, import_folder):
    """C3's tier `Z` is not a configured tier: C3 is quarantined, and so are its tier_history row, member, log
    and complaint, as naming an unknown customer."""
    con, rep = import_folder(
        export_dir(
            customers=[*BASE_CUSTOMERS, cust("C3", "Z", "M2")],
            tier_history=[["C3", "A", "2026-01-01"]],
            members=[member("CY3", "C3", "important_leader", "1970-01-01")],
            logs=[log("R1", "C3", "visit", "2026-01-05"), log("R2", "C1", "visit", "2026-01-05")],
            complaints=[complaint("K1", "C3", "2026-01-05 10:00")],
        )
    )
    f = by_file(rep)
    assert counts(f["customers"]) == (3, 2, 0, 1, 0)
    assert quarantine(con, "customers")[0][0] == 4
    for name, expected in (
        ("tier_history", (1, 0, 0, 1, 0)),
        ("members", (1, 0, 0, 1, 0)),
        ("service_logs", (2, 1, 0, 1, 0)),
        ("complaints", (1, 0, 0, 1, 0)),
    ):
        assert counts(f[name]) == expected, name
        [(line, _, reason)] = quarantine(con, name)
        assert line == 2 and "unknown customer" in reason.lower(), (name, reason)


def test_stored_customer_satisfies_references_of_a_later_import(export_dir, import_folder):
    """A row naming a customer that is neither accepted in this import nor stored is quarantined; one already
    stored is fine, even when this import's copy of the customer is quarantined."""
    con, _ = import_folder(export_dir(customers=BASE_CUSTOMERS))
    _, rep = import_folder(
        export_dir(customers=[cust("C1", "Z", "M1")], logs=[log("R1", "C1", "visit", "2026-01-05")], org=False), con
    )
    f = by_file(rep)
    assert counts(f["customers"]) == (1, 0, 0, 1, 0)
    assert counts(f["service_logs"]) == (1, 1, 0, 0, 0)
    assert table(con, "select tier from customers where customer_id = 'C1'") == [("A",)]


# ------------------------------------------------------------------------------------------------ values


def test_impossible_dates_are_quarantined(export_dir, import_folder):
    con, rep = import_folder(
        export_dir(
            customers=[*BASE_CUSTOMERS, cust("C3", "A", "M2", onboard="2026-02-30")],
            members=[
                member("CY1", "C1", "important_leader", "1970-13-01"),
                member("CY2", "C1", "重要领导", "1976-02-29"),
            ],
            logs=[
                log("R1", "C1", "visit", "2026-02-30"),
                log("R2", "C1", "visit", "2026-01-05 25:00"),
                log("R3", "C1", "visit", "2026-01-05 10:61"),
                log("R4", "C1", "visit", "2026-01-05 23:59:59"),
                log("R5", "C1", "visit", "2026/2/28 9:05"),
                log("R6", "C1", "visit", ""),
                log("R7", "C1", "visit", "05/01/2026"),
            ],
        )
    )
    f = by_file(rep)
    assert counts(f["customers"]) == (3, 2, 0, 1, 0)
    assert "2026-02-30" in quarantine(con, "customers")[0][2]
    assert counts(f["members"]) == (2, 1, 0, 1, 0)
    assert counts(f["service_logs"]) == (7, 2, 0, 5, 0)
    q = {line: reason for line, _, reason in quarantine(con, "service_logs")}
    assert sorted(q) == [2, 3, 4, 7, 8]
    assert "2026-02-30" in q[2] and "25:00" in q[3] and "10:61" in q[4]
    assert table(con, "select record_id, service_time from service_logs order by 1") == [
        ("R4", dt.datetime(2026, 1, 5, 23, 59, 59)),
        ("R5", dt.datetime(2026, 2, 28, 9, 5)),
    ]


def test_complaint_times_before_the_time_they_answer(export_dir, import_folder):
    """Resolution or first contact before receipt, or a return visit dated before the resolution's date,
    quarantines the complaint; a return visit earlier on the resolution's own date is not dated before it."""
    con, rep = import_folder(
        export_dir(
            customers=BASE_CUSTOMERS,
            complaints=[
                complaint("K1", "C1", "2026-05-18 10:00", "2026-05-18 11:00", "2026-05-17 16:00", "2026-05-20 10:00"),
                complaint("K2", "C1", "2026-05-18 10:00", "2026-05-18 09:59"),
                complaint("K3", "C1", "2026-05-18 10:00", "2026-05-18 11:00", "2026-05-19 16:00", "2026-05-18 17:00"),
                complaint("K4", "C1", "2026-05-18 10:00", "2026-05-18 11:00", "2026-05-19 16:00", "2026-05-19 09:00"),
                complaint("K5", "C1", "2026-05-18 10:00", "2026-05-18 10:00", "2026-05-18 10:00", "", "非常满意"),
                complaint("K6", "C1", "2026-05-18 10:00", "", "2026-02-30 10:00"),
                complaint("K7", "C1", "", "2026-05-18 10:00"),
            ],
        )
    )
    assert counts(by_file(rep)["complaints"]) == (7, 2, 0, 5, 0)
    q = {line: (raw, reason) for line, raw, reason in quarantine(con, "complaints")}
    assert sorted(q) == [2, 3, 4, 7, 8]
    assert q[2][0].startswith("K1,C1,")
    assert "2026-02-30" in q[7][1]
    assert table(con, "select complaint_id, return_visit_at, satisfaction from complaints order by 1") == [
        ("K4", dt.datetime(2026, 5, 19, 9, 0), None),
        ("K5", None, "very_satisfied"),
    ]


# ---------------------------------------------------------------------------------------- refused imports


@pytest.fixture
def stored(export_dir, import_folder):
    """A database holding one small import, and its snapshot."""
    con, _ = import_folder(export_dir(customers=BASE_CUSTOMERS, logs=[log("R1", "C1", "visit", "2026-01-05")]))
    return con, snapshot(con)


def test_missing_required_column_refuses_the_import(stored, export_dir, import_folder):
    con, before = stored
    bad_logs = (
        "record_id,customer_id,member_id,manager_id,service_code,channel,service_time,note\n"
        "R2,C1,,M1,visit,上门,2026-01-06,\n"
    )
    folder = export_dir(customers=[cust("C3", "A", "M2")], files={"service_logs.csv": bad_logs})
    with pytest.raises(importing.ImportRefused) as e:
        import_folder(folder, con)
    assert "service_logs" in str(e.value) and "status" in str(e.value)
    assert snapshot(con) == before  # C3, org_units and managers did not land either


@pytest.mark.parametrize(
    "name,content",
    [
        ("service_logs.csv", b"\x00\x01\x02\x03PK\x00\xff\xfe\x00garbage\x00\x00"),
        ("service_logs.csv", bytes(range(0x80, 0x100)) * 4),
        ("service_logs.xlsx", b"PK\x03\x04 this is not really a workbook"),
        ("customers.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
    ],
    ids=["csv-with-nul-bytes", "csv-undecodable", "broken-xlsx", "png-named-xlsx"],
)
def test_unreadable_file_refuses_the_import_and_names_the_file(stored, export_dir, import_folder, name, content):
    con, before = stored
    tables = {"customers": [cust("C3", "A", "M2")]} if not name.startswith("customers") else {}
    folder = export_dir(files={name: content}, **tables)
    with pytest.raises(importing.ImportRefused) as e:
        import_folder(folder, con)
    assert name in str(e.value)
    assert snapshot(con) == before


def test_cli_import_exits_non_zero_naming_the_unreadable_file(tmp_path, export_dir):
    folder = export_dir(customers=BASE_CUSTOMERS, files={"service_logs.csv": b"\x00\x00binary\x00"})
    path = str(tmp_path / "cli.duckdb")
    proc = subprocess.run(
        [sys.executable, "-m", "supervision", "import", str(folder), "--db", path, "--format", "json"],
        cwd=support.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "service_logs.csv" in proc.stderr + proc.stdout
    # nothing lands: the import wrote a private copy, which was thrown away - not even an empty database is left
    assert not Path(path).exists() and not Path(path + ".next").exists()


def test_the_cli_import_and_report_load_no_dashboard_library(tmp_path, export_dir):
    """A nightly `import` and a `report` load what they use: not pandas (0.19 s; pyarrow's `pa.array` and
    `pa.table` import it to look for pandas objects, so the import builds its Arrow arrays from buffers), not
    Plotly nor Streamlit."""
    folder = export_dir(customers=BASE_CUSTOMERS, logs=[log("R1", "C1", "visit", "2026-01-05 10:00")])
    path = str(tmp_path / "light.duckdb")
    loaded = {}
    for args in (
        ["import", str(folder), "--db", path, "--no-alerts"],
        ["report", "compliance", "--db", path, "--from", "2026-01-01", "--to", "2026-03-31", "--by", "city"],
    ):
        code = (
            "import runpy, sys\n"
            f"sys.argv = {['supervision', *args]!r}\n"
            "try:\n    runpy.run_module('supervision', run_name='__main__')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in ('pandas', 'plotly', 'streamlit') if m in sys.modules))\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", code], cwd=support.ROOT, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        loaded[args[0]] = proc.stdout.strip().splitlines()[-1]
    assert loaded == {"import": "[]", "report": "[]"}


def test_invalid_standards_in_the_folder_refuses_the_import(stored, export_dir, import_folder):
    con, before = stored
    folder = export_dir(
        customers=[cust("C3", "A", "M2")], standards=support.standards_text("A,visit,2,4,account_manager,,")
    )
    with pytest.raises(importing.ImportRefused) as e:
        import_folder(folder, con)
    assert "line 30" in str(e.value)
    assert snapshot(con) == before


# ----------------------------------------------------------------------------------------- later imports


def test_incremental_import_of_service_logs_only(stored, export_dir, import_folder):
    con, before = stored
    folder = export_dir(
        org=False, logs=[log("R2", "C1", "visit", "2026-02-05"), log("R3", "C2", "visit", "2026-02-06", manager="M3")]
    )
    _, rep = import_folder(folder, con)
    assert [Path(f.file).stem for f in rep.files] == ["service_logs"]
    assert counts(rep.files[0]) == (2, 2, 0, 0, 0)
    after = snapshot(con)
    for t in ("org_units", "managers", "customers", "tier_history", "members", "complaints", "quarantine"):
        assert after[t] == before[t], t
    assert table(con, "select record_id from service_logs order by 1") == [("R1",), ("R2",), ("R3",)]


def test_reimporting_the_same_folder_changes_nothing(import_folder):
    """The conformance export twice: the second time every row that passes its checks is a duplicate, the
    quarantined rows are quarantined again, and no stored row, obligation or standards version changes."""
    con, first = import_folder(support.EXPORT)
    before = snapshot(con)
    _, second = import_folder(support.EXPORT, con)
    for f1, f2 in zip(first.files, second.files):
        assert f2.file == f1.file
        assert counts(f2) == (f1.read, 0, 0, f1.quarantined, f1.read - f1.quarantined)
    after = snapshot(con)
    for t in before:
        if t not in ("quarantine", "imports", "import_files"):
            assert after[t] == before[t], t
    q1 = [(line, raw, reason) for line, raw, reason in quarantine(con, "service_logs", first.import_id)]
    q2 = [(line, raw, reason) for line, raw, reason in quarantine(con, "service_logs", second.import_id)]
    assert q1 == q2 and len(q1) == 4


def test_corrected_record_is_updated_and_replaces_the_stored_row(stored, export_dir, import_folder):
    """R1 (C1's only January visit) is exported again, now cancelled: updated, the stored row is replaced, and
    C1's January (A, 1 visit) turns from met to missed. An unchanged row is a duplicate."""
    con, _ = stored

    def january():
        return table(
            con,
            "select completed, status from compliance_items(date '2026-01-01', date '2026-12-31', "
            "date '2026-12-31', null, null) where customer_id = 'C1' and service_code = 'visit' "
            "and period_start = date '2026-01-01'",
        )

    assert january() == [(1, "met")]
    folder = export_dir(org=False, logs=[log("R1", "C1", "上门拜访", "2026/1/5", "已取消", note="客户改期")])
    _, rep = import_folder(folder, con)
    assert counts(rep.files[0]) == (1, 0, 1, 0, 0)
    assert table(con, "select record_id, status, note from service_logs") == [("R1", "cancelled", "客户改期")]
    assert january() == [(0, "missed")]
    _, rep = import_folder(folder, con)
    assert counts(rep.files[0]) == (1, 0, 0, 0, 1)


def test_same_values_in_other_formats_are_a_duplicate_not_an_update(stored, export_dir, import_folder):
    """Rows compare on the values they stand for: `上门拜访`/`visit`, `已完成`/`completed`, `20260105`/`2026-01-05`."""
    con, before = stored
    _, rep = import_folder(export_dir(org=False, logs=[log("R1", " C1 ", "上门拜访", "20260105", "已完成")]), con)
    assert counts(rep.files[0]) == (1, 0, 0, 0, 1)
    assert snapshot(con)["service_logs"] == before["service_logs"]


def test_a_row_quarantined_before_is_quarantined_again(stored, export_dir, import_folder):
    con, _ = stored
    bad = log("R9", "C1", "visit", "2026-02-30")
    _, rep1 = import_folder(export_dir(org=False, logs=[bad]), con)
    _, rep2 = import_folder(export_dir(org=False, logs=[bad]), con)
    assert counts(rep1.files[0]) == (1, 0, 0, 1, 0)
    assert counts(rep2.files[0]) == (1, 0, 0, 1, 0)
    assert len(quarantine(con, "service_logs", rep2.import_id)) == 1
    assert table(con, "select count(*) from service_logs where record_id = 'R9'") == [(0,)]


def test_import_after_a_report_outside_the_stored_years_keeps_obligations_current(
    stored, export_dir, import_folder, tmp_path
):
    """A report on a window outside the years the stored obligations cover (here 2024) must not make a later
    import on the same connection miss the stored data: after importing R2 (C1's only February visit)
    February is met (§5), in this session and when the file is opened again."""
    con, _ = stored
    measures.report(con, "compliance", "province", dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2026, 12, 31))
    import_folder(export_dir(org=False, logs=[log("R2", "C1", "visit", "2026-02-05")]), con)

    def february(c):
        return table(
            c,
            "select completed, status from compliance_items(date '2026-01-01', date '2026-12-31', "
            "date '2026-12-31', null, null) where customer_id = 'C1' and service_code = 'visit' "
            "and period_start = date '2026-02-01'",
        )

    assert measures.report(
        con, "compliance", "service", dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 31)
    )[1][-1] == ["visit", 18, 2, 16, "0.1111", 0]
    assert february(con) == [(1, "met")]
    path = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    con.close()
    ro = db.connect(path, read_only=True)
    try:
        assert february(ro) == [(1, "met")]
    finally:
        ro.close()


def test_import_report_json_shape(stored, export_dir, import_folder):
    con, _ = stored
    _, rep = import_folder(export_dir(org=False, logs=[log("R2", "C1", "visit", "2026-02-05")]), con)
    files = rep.as_json()["files"]
    assert files == [
        {"file": "service_logs.csv", "read": 1, "accepted": 1, "updated": 0, "quarantined": 0, "duplicates": 0}
    ]
