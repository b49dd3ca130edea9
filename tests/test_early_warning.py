"""Early warning (SPEC §10 进度预警): pace, at-risk, shortfall and the order that saves the most, each decided
by records placed on purpose (the reasoning is in each docstring), and a property on the conformance export.

The cast: the only standard is tier A, 4 visits a month. M1 (2101/210102) serves Q1, P1 and P2; M3 serves R1.
M1 made 28 visits for Q1 in February: 7 a day on 02-24, 02-25, 02-26 and 02-27 (February is closed and met).
In March nobody visited Q1 or P1; M2 visited P2 once (03-05: it counts for P2, but it is not M1's pace).
So M1's March need is 4 (Q1) + 4 (P1) + 3 (P2) = 11, and M1's pace as of 03-20 is 28 records / 28 days = 1."""

from __future__ import annotations

import datetime as dt

import pytest
import support
from support import cust, log

from supervision import db, measures

FEB = [log(f"F{d}{i}", "Q1", "visit", f"2026-02-{d} 1{i}:00") for d in (24, 25, 26, 27) for i in range(7)]


@pytest.fixture(scope="module")
def pace_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pace") / "export"
    return support.imported_db(
        folder.parent / "pace.duckdb",
        customers=[
            cust("Q1", "A", "M1", chief=""),
            cust("P1", "A", "M1", chief=""),
            cust("P2", "A", "M1", chief=""),
            cust("R1", "A", "M3", chief=""),
        ],
        logs=[*FEB, log("V1", "P2", "visit", "2026-03-05 10:00", manager="M2")],
        standards=support.standards_text("A,visit,4,1,account_manager,,", defaults=False),
    )


def due(path, as_of: str, **kw) -> dict[str, dict]:
    con = db.connect(path, read_only=True)
    try:
        header, rows = measures.due(con, dt.date.fromisoformat(as_of), **kw)
    finally:
        con.close()
    return {r[header.index("customer_id")]: dict(zip(header, r)) for r in rows}


def test_pace_exactly_equal_to_the_need_is_not_at_risk(pace_db):
    """As of 03-20: 11 days left (03-21..03-31), pace 1 a day: 11 records can be made, 11 are needed."""
    got = due(pace_db, "2026-03-20")
    m1 = {
        c: (r["missing"], r["need_by_end"], r["days_elapsed"], r["days_left"], r["pace"], r["at_risk"], r["shortfall"])
        for c, r in got.items()
        if r["manager_id"] == "M1"
    }
    assert m1 == {
        "Q1": (4, 11, 20, 11, "1.0000", "no", 0),
        "P1": (4, 11, 20, 11, "1.0000", "no", 0),
        "P2": (3, 11, 20, 11, "1.0000", "no", 0),
    }


def test_one_day_later_the_same_need_is_at_risk_by_one_record(pace_db):
    """As of 03-21: the window 02-22..03-21 still holds the 28 records; 10 days left: 11 > 10, shortfall 1."""
    got = due(pace_db, "2026-03-21")
    assert {c: (r["at_risk"], r["shortfall"]) for c, r in got.items() if r["manager_id"] == "M1"} == {
        "Q1": ("yes", 1),
        "P1": ("yes", 1),
        "P2": ("yes", 1),
    }


def test_records_leave_the_28_day_window(pace_db):
    """As of 03-24 the window starts 02-25: the 7 records of 02-24 left it, pace 21/28; 7 days left: 21 x 7 / 28 =
    5.25 records can be made, 11 are needed: shortfall ceil(11 - 5.25) = 6."""
    got = due(pace_db, "2026-03-24")
    assert got["P1"]["pace"] == "0.7500" and got["P1"]["shortfall"] == 6 and got["P1"]["at_risk"] == "yes"


def test_a_manager_without_records_has_no_pace(pace_db):
    """R1's manager M3 recorded nothing: pace 0, so anything missing is at risk, the shortfall is all of it."""
    r1 = due(pace_db, "2026-03-20")["R1"]
    assert (r1["pace"], r1["missing"], r1["at_risk"], r1["shortfall"]) == ("0.0000", 4, "yes", 4)


def test_the_order_that_saves_the_most(pace_db):
    """Same last day for all of M1's: fewest missing first (P2, 3), then by customer (P1, Q1)."""
    got = due(pace_db, "2026-03-20")
    assert sorted((r["save_order"], c) for c, r in got.items() if r["manager_id"] == "M1") == [
        (1, "P2"),
        (2, "P1"),
        (3, "Q1"),
    ]


def test_at_risk_first(pace_db):
    """R1 (at risk) comes before M1's (not at risk) although all end on the same day."""
    con = db.connect(pace_db, read_only=True)
    try:
        header, rows = measures.due(con, dt.date(2026, 3, 20))
    finally:
        con.close()
    assert [r[header.index("customer_id")] for r in rows][0] == "R1"


def test_a_period_ending_on_the_as_of_date_is_not_due(pace_db):
    """As of 03-31 March is closed and April has not started: nothing runs, the due list is empty."""
    assert due(pace_db, "2026-03-31") == {}


def test_the_city_and_manager_filters(pace_db):
    from supervision.scope import Scope

    assert set(due(pace_db, "2026-03-20", scope=Scope("2101"))) == {"Q1", "P1", "P2"}
    assert set(due(pace_db, "2026-03-20", manager="M3")) == {"R1"}


@pytest.mark.parametrize(
    "as_of", ["2026-01-15", "2026-03-31", "2026-06-30", "2026-07-01", "2026-07-15", "2026-09-30", "2026-12-30"]
)
def test_the_due_list_never_holds_a_met_or_closed_obligation(examples_db, as_of):
    """On the conformance export at many as-of dates: every row runs on the as-of date and misses records; at
    risk exactly when the need exceeds the pace; the save order numbers each manager's rows 1..k."""
    day = dt.date.fromisoformat(as_of)
    orders: dict[str, list[int]] = {}
    con = db.connect(examples_db, read_only=True)
    try:
        header, table = measures.due(con, day)
    finally:
        con.close()
    for row in table:
        r = dict(zip(header, row))
        assert r["period_start"] <= day < r["period_end"], r
        assert 0 < r["missing"] == r["n"] - r["completed"], r
        pace = float(r["pace"])
        assert (r["at_risk"] == "yes") == (r["need_by_end"] > pace * r["days_left"] + 1e-9), r
        assert r["need_by_end"] >= r["missing"]
        orders.setdefault(r["manager_id"], []).append(r["save_order"])
    assert all(sorted(o) == list(range(1, len(o) + 1)) for o in orders.values())
