"""Conformance with SPEC §12's worked examples (tests/fixtures/examples_s12, a copy of ../shared/examples/s12),
through the command line as a batch job runs it, and through the Python API the pages call.

The export is the §3–§5 example plus work orders, return visits, inspections and the complaints' 投诉类别/是否越级
columns. Expected: the import report of all ten files and the 16 outputs of `report returnvisits|complaintquality
--by province..service` and `report inspections --by province|city|district|service` for 2026 as of 2026-07-15;
`inspections --by manager|tier` is refused. The README's per-record verdicts are checked one by one below.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support import FIXTURES_S12
from test_conformance import WINDOW, cli, normalise, parse_csv

from supervision import db, measures

EXPORT, EXPECTED = FIXTURES_S12 / "export", FIXTURES_S12 / "expected"
ALL = ["province", "city", "district", "manager", "tier", "service"]
OUTPUTS = [(m, lv) for m in ("returnvisits", "complaintquality") for lv in ALL] + [
    ("inspections", lv) for lv in ("province", "city", "district", "service")
]
AS_OF = dt.date(2026, 7, 15)


@pytest.fixture(scope="module")
def s12_db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("conformance12") / "conform12.duckdb")
    proc = cli("import", str(EXPORT), "--db", path, "--format", "json", "--no-alerts")
    assert proc.returncode == 0, proc.stderr
    return path, json.loads(proc.stdout)


@pytest.fixture(scope="module")
def s12_con(s12_db):
    con = db.connect(s12_db[0], read_only=True)
    yield con
    con.close()


def test_import_report_of_all_ten_files(s12_db):
    want = json.loads((EXPECTED / "import_report.json").read_text(encoding="utf-8"))["files"]
    got = s12_db[1]["files"]
    assert got == want
    for f in got:
        assert f["read"] == f["accepted"] + f["updated"] + f["quarantined"] + f["duplicates"], f


def test_quarantine_reasons_name_the_rule(s12_con):
    """Every §12 refusal of the README, on its line, with a reason that says what was wrong."""
    rows = s12_con.execute(
        "select file, line, reason from quarantine where file in "
        "('work_orders.csv', 'return_visits.csv', 'inspections.csv', 'complaints.csv') order by file, line"
    ).fetchall()
    got = {(Path(f).stem, line): reason for f, line, reason in rows}
    assert got[("work_orders", 13)] == "unknown customer JT2109999"
    assert got[("work_orders", 14)] == 'unknown order_type "换机"'
    assert got[("work_orders", 16)].startswith("conflict: order_id WO14") and got[("work_orders", 17)]
    assert got[("return_visits", 12)].startswith("return_visit_at is before the order's completion (2026-06-15 10:00")
    assert got[("return_visits", 15)] == "unknown order WO99"
    assert got[("return_visits", 16)] == 'unknown method "邮件"'
    assert got[("inspections", 27)].startswith("missing district_code")
    assert got[("inspections", 28)] == "district_code must be empty for a province inspection"
    assert got[("inspections", 29)] == "unknown city 2109"
    assert got[("inspections", 30)] == "district 210202 is in city 2102, not 2101"
    assert got[("inspections", 31)] == 'unknown level "总部"'
    assert got[("inspections", 32)] == 'inspected_at "2026-02-30" is not a valid date'
    assert got[("complaints", 14)] == 'escalated "maybe" is neither yes/no nor 是/否'
    assert len([k for k in got if k[0] != "complaints"]) == 4 + 3 + 6


@pytest.mark.parametrize(("measure", "level"), OUTPUTS)
def test_report_csv_equals_expected(s12_db, measure, level):
    proc = cli("report", measure, "--db", s12_db[0], *WINDOW, "--by", level, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    got = parse_csv(proc.stdout)
    want = parse_csv((EXPECTED / f"{measure}_{level}.csv").read_text(encoding="utf-8"))
    header = want[0]
    assert got[0] == header
    assert [normalise_s12(header, r) for r in got[1:]] == [normalise_s12(header, r) for r in want[1:]]


def normalise_s12(header, row):
    return normalise([("rate" if h.endswith("rate") else h) for h in header], row)


@pytest.mark.parametrize("level", ["manager", "tier"])
def test_inspections_refuse_manager_and_tier(s12_db, level):
    proc = cli("report", "inspections", "--db", s12_db[0], *WINDOW, "--by", level, "--format", "csv")
    assert proc.returncode == 2
    assert "not a level of this measure" in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize("measure", ["returnvisits", "complaintquality", "inspections"])
def test_python_api_equals_expected(s12_con, measure):
    for level in ALL if measure != "inspections" else ["province", "city", "district", "service"]:
        header, rows = measures.report(s12_con, measure, level, dt.date(2026, 1, 1), dt.date(2026, 12, 31), AS_OF)
        want = parse_csv((EXPECTED / f"{measure}_{level}.csv").read_text(encoding="utf-8"))
        assert header == want[0], level
        got = [normalise_s12(header, ["" if v is None else str(v) for v in r]) for r in rows]
        assert got == [normalise_s12(header, r) for r in want[1:]], level


def items(con, macro: str, cols: str) -> dict:
    rows = con.execute(
        f"select {cols} from {macro}(date '2026-01-01', date '2026-12-31', date '2026-07-15', null, null)"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_each_order_of_the_readme(s12_con):
    """The README's table, order by order: (status, same day, satisfaction, follow-ups, done, open, tier, manager)."""
    got = items(
        s12_con,
        "return_visit_items",
        "order_id, status, same_day, satisfaction, followups, followups_done, followups_open, tier, manager_id",
    )
    assert got == {
        "WO01": ("on_time", True, "satisfied", 0, 0, 0, "A+", "JL210101"),
        "WO02": ("missed", False, "very_satisfied", 1, 1, 0, "A", "JL210102"),
        "WO03": ("on_time", False, "dissatisfied", 1, 0, 0, "B", "JL210202"),
        "WO05": ("open", False, None, 1, 0, 1, "A", "JL210201"),
        "WO06": ("missed", False, None, 0, 0, 0, "A", "JL210202"),
        "WO08": ("on_time", False, "satisfied", 0, 0, 0, "C", "JL210201"),
        "WO10": ("on_time", True, "satisfied", 1, 1, 0, "A", "JL210202"),
        "WO11": ("on_time", False, "satisfied", 1, 0, 0, "B", "DH210201"),
    }  # WO04 (remove), WO07 (after the as-of date), WO09 (before the window) are not counted


def test_each_complaint_of_the_readme(s12_con):
    got = items(
        s12_con, "complaint_quality_items", "complaint_id, is_repeat, escalated, resolved, first_time, first_time_open"
    )
    assert got["TS26020003"] == (False, False, True, False, False)  # followed within 30 days of its resolution
    assert got["TS26020019"] == (True, False, True, True, False)  # 17 days after the first: a repeat
    assert got["TS26020027"][0] is False  # another category
    assert got["TS26040006"] == (False, True, True, False, False)  # escalated; followed 27 days after
    assert got["TS26050003"][0] is True  # a repeat at exactly 30 days
    assert got["TS26050009"][3] is False  # followed exactly 30 days after its resolution
    assert got["TS26060005"] == (False, False, True, True, False)  # 31 days: not a repeat; first time
    assert got["TS26070003"] == (True, False, True, False, True)  # first time still open; TS26070020 not known
    assert got["TS26070008"] == (False, False, False, False, False)  # not resolved
    assert "TS26070020" not in got and "TS26030025" not in got


def test_inspection_obligations_of_the_readme(s12_con):
    rows = s12_con.execute(
        "select city_code, coalesce(district_code, ''), service_code, strftime(period_start, '%Y-%m'), status "
        "from inspection_items(date '2026-01-01', date '2026-12-31', date '2026-07-15', null, null)"
    ).fetchall()
    status = {(c, dc, lv, p): s for c, dc, lv, p, s in rows}
    assert status[("2101", "", "province", "2026-01")] == "open"  # met on 05-10, but the year is not over
    assert status[("2102", "", "city", "2026-01")] == "met"  # IN04 on 03-31, the quarter's last day
    assert status[("2102", "", "city", "2026-04")] == "missed"
    assert status[("2101", "", "city", "2026-04")] == "met"  # IN03 on 04-01
    assert [status[("2101", "210103", "centre", f"2026-{m:02d}")] for m in range(1, 8)] == ["met"] * 5 + [
        "missed",
        "open",
    ]
    assert [status[("2102", "210202", "centre", f"2026-{m:02d}")] for m in range(1, 7)] == ["met"] * 3 + ["missed"] * 3
    assert status[("2102", "210203", "centre", "2026-01")] == "missed"
    assert status[("2102", "210203", "centre", "2026-02")] == "met"  # two inspections count once
    assert len(rows) == 2 * 1 + 2 * 4 + 4 * 12


def test_no_data_without_the_file(tmp_path):
    """The §3–§5 export has no §12 files: no data, never zeros (exit 0, the header alone, the reason on stderr)."""
    from support import EXPORT as BASE

    path = str(tmp_path / "base.duckdb")
    assert cli("import", str(BASE), "--db", path, "--no-alerts").returncode == 0
    for measure, file in (("returnvisits", "work_orders.csv"), ("inspections", "inspections.csv")):
        proc = cli("report", measure, "--db", path, *WINDOW, "--by", "province", "--format", "csv")
        assert proc.returncode == 0, proc.stderr
        assert parse_csv(proc.stdout) == [measures.COUNT_COLUMNS[measure]]
        assert f"no data: {file}" in proc.stderr
    con = db.connect(path, read_only=True)
    try:
        with pytest.raises(measures.NoData):
            measures.report(con, "returnvisits", "city", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        assert measures.missing_file("inspections", measures.table_rows(con, "inspections"))
    finally:
        con.close()
