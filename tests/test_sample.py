"""The committed sample is what the generator writes (sample_data/README.md): regenerating `small/` with its
documented command gives the same bytes, so a change to the generator cannot silently change the sample that
the browser tests and `SAMPLE=small bash scripts/run.sh` read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_small_sample_regenerates_byte_for_byte(tmp_path):
    out = tmp_path / "small"
    subprocess.run(
        [
            sys.executable,
            "sample_data/generate.py",
            "--out",
            str(out),
            "--customers",
            "300",
            "--logs",
            "15000",
            "--complaints",
            "120",
            "--clean",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = sorted(p.name for p in (ROOT / "sample_data" / "small").iterdir())
    assert sorted(p.name for p in out.iterdir()) == committed
    for name in committed:
        assert (out / name).read_bytes() == (ROOT / "sample_data" / "small" / name).read_bytes(), name


def test_the_sample_carries_the_cases_of_section_12(tmp_path):
    """sample_data/generator/work_orders.py plants the cases SPEC §12 turns on; the committed sample has each."""
    import datetime as dt

    import support

    from supervision import db

    con = db.connect(
        support.imported_db(tmp_path / "s.duckdb", ROOT / "sample_data" / "small", clean=False), read_only=True
    )
    as_of = dt.date(2026, 11, 20)
    try:
        rows = con.execute(
            "select o.first_reach_at::date - o.completed_date as day, i.status, i.same_day, i.followups,"
            " i.followups_done from return_visit_items(date '2026-01-01', date '2026-12-31', $a, null, null) as i"
            " inner join work_order_facts as o using (order_id)",
            {"a": as_of},
        ).fetchall()
        assert any(same for _, _, same, _, _ in rows)  # a visit on the completion day
        assert any(day == 3 and s == "on_time" for day, s, *_ in rows)  # day 3: still on time
        assert any(day == 4 and s == "missed" for day, s, *_ in rows)  # day 4: missed
        assert any(f and d == f for *_, f, d in rows) and any(f > d for *_, f, d in rows)  # followed, and not
        assert any(s == "open" for _, s, *_ in rows)
        later, removes = con.execute(
            "select count(*) filter (where completed_at::date > $a), count(*) filter (where order_type = 'remove')"
            " from work_orders",
            {"a": as_of},
        ).fetchone()
        assert later >= 1 and removes >= 1  # completed after the as-of date; a removal
        status = con.execute(
            "select service_code, status, count(*) from inspection_items(date '2025-01-01', date '2025-12-31', $a,"
            " null, null) group by all",
            {"a": as_of},
        ).fetchall()
        missed = {lv: n for lv, s, n in status if s == "missed"}
        assert missed.get("province", 0) >= 1  # a city without its yearly province inspection
        assert missed.get("centre", 0) >= 1  # a centre's month without an inspection
        # 离网日期 and 是否越级 (SPEC §12): a chief's customer lost on 1 January, others during the last two years;
        # a few escalated complaints
        lost = con.execute(
            "select count(*), count(*) filter (where lost_date = date '2026-01-01' and chief_manager_id is not null)"
            " from customers where lost_date is not null"
        ).fetchone()
        assert lost[0] >= 5 and lost[1] >= 1
        assert con.execute("select count(*) from complaints where escalated").fetchone()[0] >= 1
    finally:
        con.close()
