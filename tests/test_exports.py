"""Exports that do not attack their reader, and show what the reader sees (first-use issue item 6, hardening
issue): labels and dates in the reader's language with the codes beside them, provenance on every file, every
text cell that begins with = + - @, a tab or a carriage return neutralised in CSV and stored as text in Excel;
Markdown in data and in URL parameters shown as plain text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
import support
from support import cust

from supervision import auth, display, exports

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent

EVIL = ['=HYPERLINK("http://evil.example","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"]


def labels(domain: str, code: str) -> str:
    return {("service", "visit"): "上门拜访", ("status", "missed"): "未达标"}.get((domain, code), code)


def test_every_formula_like_text_is_neutralised_in_csv():
    df = pd.DataFrame({"customer_name": EVIL + ["正常名称"], "n": list(range(7))})
    text = exports.to_csv(df, [("filter", "=1+1")]).decode("utf-8-sig")
    head, body = text.split("\n", 1)
    assert head == "# filter: =1+1"  # provenance lines are comments, never cells
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    assert [r["customer_name"] for r in rows[:6]] == ["'" + v for v in EVIL]
    assert rows[6]["customer_name"] == "正常名称" and rows[0]["n"] == "0"  # numbers stay numbers


def test_excel_stores_text_as_text_never_a_formula(tmp_path):
    df = pd.DataFrame({"customer_name": EVIL, "n": range(6)})
    path = tmp_path / "x.xlsx"
    path.write_bytes(exports.to_xlsx(df, [("scope", "province")]))
    ws = openpyxl.load_workbook(path)["data"]
    cells = [ws.cell(row=r, column=1) for r in range(4, 10)]
    assert all(c.data_type == "s" for c in cells)  # strings, not formulas ("f")
    assert cells[0].value == EVIL[0]
    assert ws.cell(row=4, column=2).data_type == "n"


def test_an_export_is_what_the_reader_sees_with_the_codes_beside_it():
    df = pd.DataFrame(
        {
            "service_code": ["visit"],
            "status": ["missed"],
            "period_start": [pd.Timestamp(2026, 3, 1)],
            "service_time": [pd.Timestamp(2026, 3, 5, 14, 30, 5, 123456)],
            "note": [None],
        }
    )
    out = display.readable(df, "zh", labels, keep_codes=True)
    assert list(out.columns) == ["服务", "服务 (编码)", "状态", "状态 (编码)", "周期开始", "服务时间", "备注"]
    assert out.iloc[0].tolist() == ["上门拜访", "visit", "未达标", "missed", "2026-03-01", "2026-03-05 14:30", ""]


def test_file_names_say_view_scope_and_date():
    assert exports.file_name("due", "2101", dt.date(2026, 7, 15), "xlsx") == "due_2101_2026-07-15.xlsx"


def test_six_thousand_rows_to_excel_keep_every_row_and_cell_as_text(tmp_path):
    # speed is measured in scripts/benchmark.py, not here; this checks the size that took openpyxl 4.1 s is whole
    df = pd.DataFrame({f"c{i}": [f"=值{j}" if j % 1000 == 0 else f"值{j}" for j in range(6000)] for i in range(15)})
    path = tmp_path / "big.xlsx"
    path.write_bytes(exports.to_xlsx(df, [("k", "v")]))
    ws = openpyxl.load_workbook(path)["data"]
    assert ws.max_row == 3 + 6000 and ws.max_column == 15  # provenance, a blank line, the header, the rows
    assert ws.cell(row=4, column=1).value == "=值0" and ws.cell(row=4, column=1).data_type == "s"
    assert ws.cell(row=6003, column=15).value == "值5999"


@pytest.fixture
def named_db(tmp_path, export_dir, monkeypatch):
    """A database with a customer named with Markdown, for the page tests."""
    evil = cust("JT2101001", "A", "M1")
    evil[1] = "[请点此重新登录](http://evil.example) ![x](http://evil.example/p.png)"
    path = support.imported_db(tmp_path / "named.duckdb", export_dir(customers=[evil]), clean=False)
    monkeypatch.setenv("SUPERVISION_DB", path)
    monkeypatch.setenv("SUPERVISION_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("SUPERVISION_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    return path


def test_markdown_in_data_and_in_the_url_is_shown_as_plain_text(named_db):
    from streamlit.testing.v1 import AppTest

    user = auth.add_user("li", "test-password-1", "city", "李", "2101")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["user"] = user
    at.query_params.update({"asof": "2026-07-15", "customer": "JT2101001"})
    at.run()
    at.switch_page("app_pages/customer.py")
    at.run()
    assert not at.exception
    shown = " ".join(str(e.value) for kind in ("markdown", "title", "subheader", "caption") for e in getattr(at, kind))
    assert "](http://evil.example)" not in shown  # a live link would be this, unescaped
    assert "\\[请点此重新登录\\]" in shown or "请点此重新登录" not in shown
    # a URL parameter naming another scope is quoted plainly in the refusal
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["user"] = user
    at.query_params.update({"city": "[点此](http://evil.example)"})
    at.run()
    assert at.error and "](http://evil.example)" not in at.error[0].value
