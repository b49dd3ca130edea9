"""Data completeness (SPEC §10 数据完整性): gaps, spikes and stale districts, each decided by records placed on
purpose. As of 2026-03-25 (a Wednesday) the 8 full weeks are those starting 01-26, 02-02, ..., 03-16; records
are on each week's Tuesday, and C1, C3 and C4 have one more on 03-24 (the as-of date's own week: not counted in
the weeks, but it keeps their districts fresh).

C1 (M1, district 210102): 5 records a week, none in the week of 02-16: the median week is 5 -> a gap.
C3 (M3, 210202): 7 a week, 21 in the week of 03-16: exactly 3 x the median and >= 20 -> no spike (more than).
C4 (M4, 210203): 6 a week, 21 in the week of 03-16: more than 18 and at least 20 -> a spike.
C2 (M2, 210103): one record, on 03-18: 7 days before 03-25 -> not stale; as of 03-26, 8 days -> stale; as of
03-17, before it, the district has no record at all -> stale."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import support
from support import cust, log

from supervision import db, measures
from supervision.scope import Scope

ROOT = Path(__file__).resolve().parent.parent
WEEKS = [dt.date(2026, 1, 26) + dt.timedelta(days=7 * i) for i in range(8)]


def week_logs(prefix: str, customer: str, manager: str, counts: list[int]) -> list[list[str]]:
    """counts[i] records on the Tuesday of WEEKS[i]."""
    return [
        log(f"{prefix}{i}_{k}", customer, "visit", f"{WEEKS[i] + dt.timedelta(days=1)} 1{k % 10}:00", manager=manager)
        for i, n in enumerate(counts)
        for k in range(n)
    ]


@pytest.fixture(scope="module")
def watch_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("watch") / "export"
    logs = (
        week_logs("A", "C1", "M1", [5, 5, 5, 0, 5, 5, 5, 5])
        + week_logs("B", "C3", "M3", [7] * 7 + [21])
        + week_logs("D", "C4", "M4", [6] * 7 + [21])
        + [log("E1", "C2", "visit", "2026-03-18 09:00", manager="M2")]
        + [
            log(f"N{c}", c, "visit", "2026-03-24 09:00", manager=m)
            for c, m in (("C1", "M1"), ("C3", "M3"), ("C4", "M4"))
        ]
    )
    return support.imported_db(
        folder.parent / "watch.duckdb",
        customers=[cust(c, "A", m) for c, m in (("C1", "M1"), ("C2", "M2"), ("C3", "M3"), ("C4", "M4"))],
        logs=logs,
    )


def flags(path, as_of: str, scope: Scope | None = None) -> set[tuple]:
    con = db.connect(path, read_only=True)
    try:
        header, rows = measures.watch(con, dt.date.fromisoformat(as_of), scope or Scope())
    finally:
        con.close()
    return {(r[0], r[1], r[3], str(r[4]) if r[4] else None) for r in rows}


def test_gaps_spikes_and_staleness_at_their_edges(watch_db):
    assert flags(watch_db, "2026-03-25") == {
        ("district", "210102", "gap", "2026-02-16"),
        ("manager", "M1", "gap", "2026-02-16"),
        ("district", "210203", "spike", "2026-03-16"),
        ("manager", "M4", "spike", "2026-03-16"),
    }


def test_eight_days_without_a_record_is_stale(watch_db):
    assert ("district", "210103", "stale", None) in flags(watch_db, "2026-03-26")


def test_no_record_at_all_is_stale(watch_db):
    got = flags(watch_db, "2026-03-17")
    assert ("district", "210103", "stale", None) in got


def test_the_weeks_follow_the_as_of_date(watch_db):
    """As of 03-30 (the next Monday) the weeks are 02-02 .. 03-23: the week of 01-26 left, 03-23 came in with one
    record for C1, C3 and C4 (no gap: not 0); the gap and the spike stay; C2's district is 12 days quiet."""
    assert flags(watch_db, "2026-03-30") == {
        ("district", "210102", "gap", "2026-02-16"),
        ("manager", "M1", "gap", "2026-02-16"),
        ("district", "210203", "spike", "2026-03-16"),
        ("manager", "M4", "spike", "2026-03-16"),
        ("district", "210103", "stale", None),
    }


def test_a_scoped_reader_sees_only_its_groups(watch_db):
    assert flags(watch_db, "2026-03-25", Scope("2102")) == {
        ("district", "210203", "spike", "2026-03-16"),
        ("manager", "M4", "spike", "2026-03-16"),
    }


def test_the_cli_lists_the_flags_with_their_reasons(watch_db):
    out = subprocess.run(
        [sys.executable, "-m", "supervision", "watch", "--db", watch_db, "--as-of", "2026-03-25", "--format", "csv"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = out.splitlines()
    assert lines[0] == "level,code,name,flag,week_start,records,median,latest,reason"
    assert any(
        ln.startswith("district,210102,") and ",gap,2026-02-16,0,5.0,," in ln and "no record" in ln for ln in lines
    )
    assert len(lines) == 5
