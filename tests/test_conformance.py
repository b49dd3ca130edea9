"""Conformance with the shared worked examples (SPEC §3–§5, §8), through the command line as a batch job runs it.

The export in tests/fixtures/examples/export is imported by `python -m supervision import`, then the 24
`report MEASURE --by LEVEL --format csv` outputs are compared with tests/fixtures/examples/expected (integers
exactly, rates to 4 decimals, rows in the same order), and the obligations behind the compliance numbers are
compared one by one with expected/obligations.csv.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from support import EXPECTED, EXPORT, ROOT

from supervision import db

MEASURES = ["compliance", "complaints", "greetings", "overservice"]
LEVELS = ["province", "city", "district", "manager", "tier", "service"]
WINDOW = ["--from", "2026-01-01", "--to", "2026-12-31", "--as-of", "2026-07-15"]
RATE_COLUMNS = {"rate", "satisfaction_rate"}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "supervision", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory) -> tuple[str, subprocess.CompletedProcess]:
    path = str(tmp_path_factory.mktemp("conformance") / "conform.duckdb")
    return path, cli("import", str(EXPORT), "--db", path, "--format", "json")


def parse_csv(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text)) if row]


def normalise(header: list[str], row: list[str]) -> list:
    """Rates to 4 decimals (Decimal, so 0.6 == 0.6000), an empty rate stays empty, other cells as text."""
    return [Decimal(v).quantize(Decimal("0.0001")) if h in RATE_COLUMNS and v != "" else v for h, v in zip(header, row)]


def test_import_report_json_equals_expected(cli_db):
    _, proc = cli_db
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    want = json.loads((EXPECTED / "import_report.json").read_text(encoding="utf-8"))
    # §8: one JSON object with "files", one entry per file in import order with exactly these counts.
    assert got["files"] == want["files"]


def test_import_report_json_accounts_for_every_line(cli_db):
    _, proc = cli_db
    for f in json.loads(proc.stdout)["files"]:
        assert f["read"] == f["accepted"] + f["updated"] + f["quarantined"] + f["duplicates"], f


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("measure", MEASURES)
def test_report_csv_equals_expected(cli_db, measure, level):
    path, imported = cli_db
    assert imported.returncode == 0, imported.stderr
    proc = cli("report", measure, "--db", path, *WINDOW, "--by", level, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    got = parse_csv(proc.stdout)
    want = parse_csv((EXPECTED / f"{measure}_{level}.csv").read_text(encoding="utf-8"))
    assert got[0] == want[0], "header"
    header = want[0]
    assert [normalise(header, r) for r in got[1:]] == [normalise(header, r) for r in want[1:]]


def test_default_as_of_is_latest_service_time(cli_db):
    """§8: without --as-of the date of the latest service_time (2026-07-15 08:40) is used: same province
    numbers as the explicit --as-of 2026-07-15."""
    path, _ = cli_db
    proc = cli(
        "report",
        "compliance",
        "--db",
        path,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--by",
        "province",
        "--format",
        "csv",
    )
    assert proc.returncode == 0, proc.stderr
    assert parse_csv(proc.stdout) == [
        ["obligations", "met", "missed", "rate", "open"],
        ["43", "31", "12", "0.7209", "59"],
    ]


def test_obligations_equal_expected(cli_db):
    """expected/obligations.csv: all 102 frequency obligations (43 closed, 59 open), one per line."""
    path, _ = cli_db
    con = db.connect(path, read_only=True)
    try:
        got = con.execute(
            """select customer_id, coalesce(manager_id, ''), tier, service_code, n, period_months,
                      strftime(period_start, '%Y-%m-%d'), strftime(period_end, '%Y-%m-%d'), completed, status,
                      city_code, district_code
               from compliance_items(date '2026-01-01', date '2026-12-31', date '2026-07-15', null, null)"""
        ).fetchall()
    finally:
        con.close()
    with open(EXPECTED / "obligations.csv", encoding="utf-8", newline="") as f:
        want_rows = list(csv.DictReader(f))
    want = sorted(
        (
            r["customer_id"],
            r["manager_id"],
            r["tier"],
            r["service_code"],
            int(r["requirement"]),
            int(r["P"]),
            r["start"],
            r["end"],
            int(r["completed"]),
            r["status"],
            r["city_code"],
            r["district_code"],
        )
        for r in want_rows
    )
    assert len(want) == 102
    assert sum(r[9] == "open" for r in want) == 59
    assert sorted(got) == want


def test_quarantine_lines_of_the_examples(cli_db):
    """README: the quarantine list has 5 lines — service_logs 8, 17, 27, 51 and complaints 7 — each with its
    raw text and a reason."""
    path, _ = cli_db
    con = db.connect(path, read_only=True)
    try:
        rows = con.execute("select file, line, raw, reason from quarantine order by file, line").fetchall()
    finally:
        con.close()
    assert [(Path(f).stem, line) for f, line, _, _ in rows] == [
        ("complaints", 7),
        ("service_logs", 8),
        ("service_logs", 17),
        ("service_logs", 27),
        ("service_logs", 51),
    ]
    by_line = {(Path(f).stem, line): (raw, reason) for f, line, raw, reason in rows}
    assert by_line[("service_logs", 27)][0].startswith("FW26030016,JT2102009,")
    assert "unknown customer" in by_line[("service_logs", 27)][1]
    assert "客户要求,下次带报价方案" in by_line[("service_logs", 51)][0]
    assert by_line[("complaints", 7)][0].startswith("TS26050014,")
    for raw, reason in by_line.values():
        assert raw and reason
        assert "\r" not in raw and "\n" not in raw


# ------------------------------------------------------------ the same export through the Python API


@pytest.mark.parametrize("measure", MEASURES)
def test_python_api_reports_equal_expected(examples_con, measure):
    """measures.report (what the pages call) gives the same 6 outputs per measure as the CLI's expected files."""
    import datetime as dt

    from supervision import measures

    for level in LEVELS:
        header, rows = measures.report(
            examples_con, measure, level, dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 7, 15)
        )
        want = parse_csv((EXPECTED / f"{measure}_{level}.csv").read_text(encoding="utf-8"))
        assert header == want[0], level
        got = [normalise(header, ["" if v is None else str(v) for v in r]) for r in rows]
        assert got == [normalise(header, r) for r in want[1:]], level


def customer_summary(con, customer: str) -> tuple[int, int, int]:
    """(closed, met, open) frequency obligations of one customer in the README's window and as-of date."""
    return con.execute(
        "select count(*) filter (where status <> 'open'), count(*) filter (where status = 'met'), "
        "count(*) filter (where status = 'open') "
        "from compliance_items(date '2026-01-01', date '2026-12-31', date '2026-07-15', null, null) "
        "where customer_id = $c",
        {"c": customer},
    ).fetchone()


@pytest.mark.parametrize(
    "customer,expected",
    [
        ("JT2101001", (11, 7, 13)),  # case 16: C1 in full
        ("JT2101004", (2, 1, 3)),  # case 5: C7 onboarded mid-period
        ("JT2102003", (4, 3, 11)),  # case 6: C6 changes tier mid-year
    ],
)
def test_readme_named_customer_totals(examples_con, customer, expected):
    assert customer_summary(examples_con, customer) == expected


def test_readme_named_greetings(examples_con):
    """Cases 17–23: the status of every greeting obligation of the examples."""
    rows = examples_con.execute(
        "select member_id, status from greeting_items(date '2026-01-01', date '2026-12-31', date '2026-07-15', "
        "null, null) order by member_id"
    ).fetchall()
    assert rows == [
        ("CY001", "met"),
        ("CY002", "missed"),
        ("CY004", "met"),
        ("CY005", "met"),
        ("CY006", "open"),
        ("CY007", "met"),
        ("CY008", "missed"),
        ("CY009", "missed"),
        ("CY012", "met"),
        ("CY015", "open"),
    ]


def test_readme_dissatisfied_without_reason_is_stored(examples_con):
    """Case 26: TS26040006 is accepted as dissatisfied with no reason (a data-quality finding, not a rejection)."""
    assert examples_con.execute(
        "select satisfaction, dissatisfied_reason from complaints where complaint_id = 'TS26040006'"
    ).fetchone() == ("dissatisfied", None)
