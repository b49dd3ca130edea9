"""The rules of SPEC §3 and §5, each decided by a record placed on purpose in a tiny export.

Every expected value below was worked out by hand from the SPEC (the reasoning is in each docstring).
The organisation is the fixed cast of tests/support.py: M1 → 2101/210102, M2 → 2101/210103,
M3 → 2102/210202, M4 → 2102/210203; S1 is the only chief account manager, P1 a phone manager.
"""

from __future__ import annotations

import pytest
import support
from support import complaint, cust, d, log, member

from supervision import measures, store

Y_FROM, Y_TO = d("2026-01-01"), d("2026-12-31")


# ---------------------------------------------------------------------------------------------- helpers


def items(
    con,
    macro: str,
    as_of: str,
    date_from: str = "2026-01-01",
    date_to: str = "2026-12-31",
    city: str | None = None,
    district: str | None = None,
) -> list[dict]:
    assert macro in ("compliance_items", "greeting_items", "complaint_items", "overservice_items")
    res = con.execute(
        f"select * from {macro}($f::date, $t::date, $a::date, $c, $dd)",
        {"f": date_from, "t": date_to, "a": as_of, "c": city, "dd": district},
    )
    names = [c[0] for c in res.description]
    return [dict(zip(names, r)) for r in res.fetchall()]


def obligations(con, customer: str, service: str, as_of: str, **kw) -> list[tuple]:
    """(period_start, period_end, tier, n, period_months, completed, status) of one customer and service,
    sorted by period_start, dates as ISO text."""
    rows = [
        r
        for r in items(con, "compliance_items", as_of, **kw)
        if r["customer_id"] == customer and r["service_code"] == service
    ]
    return sorted(
        (
            r["period_start"].isoformat(),
            r["period_end"].isoformat(),
            r["tier"],
            r["n"],
            r["period_months"],
            r["completed"],
            r["status"],
        )
        for r in rows
    )


def by_start(rows: list[tuple]) -> dict[str, tuple]:
    """period_start → (completed, status)."""
    return {r[0]: (r[5], r[6]) for r in rows}


def report(
    con,
    measure: str,
    level: str,
    date_from: str = "2026-01-01",
    date_to: str = "2026-12-31",
    as_of: str | None = None,
    scope: measures.Scope | None = None,
) -> list[list]:
    header, rows = measures.report(
        con, measure, level, d(date_from), d(date_to), d(as_of) if as_of else None, scope or measures.Scope()
    )
    return [header, *rows]


def db_from(tmp_path_factory, name: str, today=support.IMPORT_DAY, **tables):
    """A module's tiny export imported into an open database (support.imported_db: every row must be accepted)."""
    return support.imported_db(tmp_path_factory.mktemp(name) / f"{name}.duckdb", today=today, close=False, **tables)


# ---------------------------------------------------------------------------------- frequency standards


@pytest.fixture(scope="module")
def calendar(tmp_path_factory):
    """Default standards (§3 seed) only."""
    con = db_from(
        tmp_path_factory,
        "calendar",
        customers=[
            cust("K1", "A+", "M1"),
            cust("K2", "C", "M2", chief=""),
            cust("K3", "A", "M3", chief=""),
            cust("K4", "B", "M4"),
            cust("K5", "B", "M1", onboard="2026/2/10"),
            cust("K6", "B", "M1", onboard="20260301"),
            cust("K7", "A", "M4"),
            cust("K8", "B", "M3"),
            cust("K14", "A", "M2"),
            cust("K15", "A+", "M2"),
        ],
        tier_history=[["K7", "B", "2020-01-01"], ["K7", "A", "2026/4/20"], ["K8", "A", "2026-05-01"]],
        logs=[
            log("V101", "K1", "visit", "2026-03-31 23:59"),
            log("V102", "K1", "visit", "2026-04-01 00:00"),
            log("V103", "K1", "上门拜访", "2026-04-30 23:59"),
            log("V104", "K1", "visit", "2026-05-01 00:00"),
            log("V201", "K2", "visit", "2026-06-30 23:59", manager="M2"),
            log("V301", "K3", "visit", "2026-07-01 00:00", manager="M3"),
            log("V302", "K3", "visit", "2026-03-05 10:00", manager="M3"),
            log("V303", "K3", "首席拜访", "2026-06-30 15:00", manager="S1"),
            log("V401", "K4", "visit", "2026-03-01 09:00", manager="M4"),
            log("V402", "K4", "visit", "2026-06-30 12:00", manager="M4"),
            log("V403", "K4", "training", "2026-05-13 10:00", manager="M4"),
            log("V501", "K5", "visit", "2026-02-20 10:00"),
            log("V502", "K5", "visit", "2026-04-16 10:00"),
            log("V601", "K6", "visit", "2026-03-01 10:00"),
            log("V701", "K7", "visit", "2026-02-05 09:00", manager="M4"),
            log("V702", "K7", "visit", "2026-04-27 09:00", manager="M4"),
            log("V703", "K7", "visit", "2026-05-06 09:00", manager="M4"),
            log("V704", "K7", "visit", "2026-05-20 09:00", manager="M4"),
            log("V705", "K7", "visit", "2026-06-10 09:00", manager="M4"),
            log("V1401", "K14", "visit", "2026-01-10 10:00", status="cancelled", manager="M2"),
            log("V1402", "K14", "visit", "2026-01-11 10:00", status="已取消", manager="M2"),
            log("V1403", "K14", "visit", "2026-02-03 10:00", manager="M2"),
            log("V1404", "K14", "visit", "2026-02-04 10:00", status="cancelled", manager="M2"),
            log("V1501", "K15", "visit", "2026-03-05 10:00", manager="M2"),
            log("V1502", "K15", "visit", "2026-03-20 10:00", manager="M2"),
        ],
    )
    yield con
    con.close()


def test_first_and_last_day_of_a_period_belong_to_it(calendar):
    """A+ needs 2 visits a month. April has 04-01 00:00 and 04-30 23:59: both inside, met. 03-31 23:59 is
    March's (1 of 2: missed); 05-01 00:00 is May's (1 of 2: missed)."""
    got = by_start(obligations(calendar, "K1", "visit", "2026-07-31"))
    assert got["2026-03-01"] == (1, "missed")
    assert got["2026-04-01"] == (2, "met")
    assert got["2026-05-01"] == (1, "missed")
    assert got["2026-06-01"] == (0, "missed")


def test_a_record_at_2359_on_the_last_day_of_a_quarter(calendar):
    """C: 1 visit per 3 months. 2026-06-30 23:59 meets Q2 and does not leak into Q3."""
    got = obligations(calendar, "K2", "visit", "2026-07-31")
    assert got == [
        ("2026-01-01", "2026-03-31", "C", 1, 3, 0, "missed"),
        ("2026-04-01", "2026-06-30", "C", 1, 3, 1, "met"),
        ("2026-07-01", "2026-09-30", "C", 1, 3, 0, "open"),
        ("2026-10-01", "2026-12-31", "C", 1, 3, 0, "open"),
    ]


def test_the_day_after_a_period_counts_for_the_next_one(calendar):
    """A: 1 visit a month. K3's only summer visit is 07-01 00:00: June is missed, July (closed on the as-of
    date 07-31, its last day) is met."""
    got = by_start(obligations(calendar, "K3", "visit", "2026-07-31"))
    assert got["2026-06-01"] == (0, "missed")
    assert got["2026-07-01"] == (1, "met")
    assert got["2026-03-01"] == (1, "met")


def test_two_month_standard_periods(calendar):
    """B visits: 1 per 2 months, periods Jan–Feb, Mar–Apr, … (calendar-aligned from Jan 1)."""
    assert obligations(calendar, "K4", "visit", "2026-07-31") == [
        ("2026-01-01", "2026-02-28", "B", 1, 2, 0, "missed"),
        ("2026-03-01", "2026-04-30", "B", 1, 2, 1, "met"),
        ("2026-05-01", "2026-06-30", "B", 1, 2, 1, "met"),
        ("2026-07-01", "2026-08-31", "B", 1, 2, 0, "open"),
        ("2026-09-01", "2026-10-31", "B", 1, 2, 0, "open"),
        ("2026-11-01", "2026-12-31", "B", 1, 2, 0, "open"),
    ]


@pytest.mark.parametrize("as_of,status", [("2026-07-15", "open"), ("2026-12-30", "open"), ("2026-12-31", "met")])
def test_twelve_month_standard_is_open_until_december_31(calendar, as_of, status):
    """B training: 1 per 12 months. The 05-13 record is inside, but the period is open until the as-of date
    reaches its last day, 12-31 (a period ending exactly on the as-of date is closed)."""
    assert obligations(calendar, "K4", "training", as_of) == [("2026-01-01", "2026-12-31", "B", 1, 12, 1, status)]


def test_market_cells_make_no_obligation(calendar):
    """B network_test and B vip_event are `market`: K4 has no obligation for them; B social_event and
    chief_visit are measured (1 per 12 months)."""
    services = {
        r["service_code"] for r in items(calendar, "compliance_items", "2026-12-31") if r["customer_id"] == "K4"
    }
    assert services == {"visit", "training", "social_event", "chief_visit"}


def test_customer_onboarded_mid_period_has_no_obligation_for_that_period(calendar):
    """K5 (B) onboarded 2026-02-10: no Jan–Feb visit obligation (its 02-20 visit counts for nothing) and no
    12-month obligations in 2026 (they start Jan 1). K6 onboarded exactly on 03-01 has the Mar–Apr one."""
    k5 = obligations(calendar, "K5", "visit", "2026-07-31")
    assert [r[0] for r in k5] == ["2026-03-01", "2026-05-01", "2026-07-01", "2026-09-01", "2026-11-01"]
    assert by_start(k5)["2026-03-01"] == (1, "met")
    assert by_start(k5)["2026-05-01"] == (0, "missed")
    k5_services = {
        r["service_code"] for r in items(calendar, "compliance_items", "2026-12-31") if r["customer_id"] == "K5"
    }
    assert k5_services == {"visit"}
    k6 = obligations(calendar, "K6", "visit", "2026-07-31")
    assert k6[0] == ("2026-03-01", "2026-04-30", "B", 1, 2, 1, "met")
    assert len(k6) == 5


def test_tier_change_mid_year_the_periods_first_day_decides(calendar):
    """K7: tier_history B from 2020-01-01, A from 2026/4/20 (customers.csv says A). Tier is B on Jan 1 … Apr 1
    and A from May 1: B visits (1/2 months) Jan–Feb and Mar–Apr — the 04-27 record, after the upgrade, still
    meets the B Mar–Apr period — then A monthly from May. No A April, no B May–Jun."""
    visits = obligations(calendar, "K7", "visit", "2026-07-15")
    assert [(r[0], r[2], r[4]) for r in visits] == [
        ("2026-01-01", "B", 2),
        ("2026-03-01", "B", 2),
        ("2026-05-01", "A", 1),
        ("2026-06-01", "A", 1),
        ("2026-07-01", "A", 1),
        ("2026-08-01", "A", 1),
        ("2026-09-01", "A", 1),
        ("2026-10-01", "A", 1),
        ("2026-11-01", "A", 1),
        ("2026-12-01", "A", 1),
    ]
    got = by_start(visits)
    assert got["2026-01-01"] == (1, "met")
    assert got["2026-03-01"] == (1, "met")
    assert got["2026-05-01"] == (2, "met")
    assert got["2026-06-01"] == (1, "met")
    others = sorted(
        (r["service_code"], r["tier"], r["period_start"].isoformat(), r["period_months"])
        for r in items(calendar, "compliance_items", "2026-07-15")
        if r["customer_id"] == "K7" and r["service_code"] != "visit"
    )
    # 12-month B obligations start on Jan 1 (B then); A's 6-month ones only from Jul 1 (A on Jul 1, B on Jan 1).
    assert others == [
        ("chief_visit", "A", "2026-07-01", 6),
        ("chief_visit", "B", "2026-01-01", 12),
        ("network_test", "A", "2026-07-01", 6),
        ("social_event", "B", "2026-01-01", 12),
        ("training", "A", "2026-07-01", 6),
        ("training", "B", "2026-01-01", 12),
    ]


def test_tier_without_history_row_before_the_day_is_the_customers_tier(calendar):
    """K8: customers.csv says B, tier_history only has A from 2026-05-01 (exactly a period's first day).
    Before May no history row applies, so B (2-month visits); from May 1 on, A (monthly)."""
    visits = obligations(calendar, "K8", "visit", "2026-07-15")
    assert [(r[0], r[2]) for r in visits][:4] == [
        ("2026-01-01", "B"),
        ("2026-03-01", "B"),
        ("2026-05-01", "A"),
        ("2026-06-01", "A"),
    ]


def test_cancelled_records_never_count(calendar):
    """K14 (A, 1 visit a month): January has two cancelled visits (`cancelled`, `已取消`): missed with 0
    completed; February has one completed and one cancelled: met with 1 completed."""
    got = by_start(obligations(calendar, "K14", "visit", "2026-07-15"))
    assert got["2026-01-01"] == (0, "missed")
    assert got["2026-02-01"] == (1, "met")


@pytest.mark.parametrize(
    "as_of,march,december",
    [
        ("2026-03-31", "met", "open"),  # March ends on the as-of date: closed
        ("2026-03-30", "open", "open"),  # one day earlier: open, never met before it closes
        ("2026-12-31", "met", "missed"),
    ],
)
def test_open_and_closed_around_the_as_of_date(calendar, as_of, march, december):
    got = by_start(obligations(calendar, "K3", "visit", as_of))
    assert got["2026-03-01"][1] == march
    assert got["2026-12-01"][1] == december  # a period that has not started yet is open


def test_open_obligation_counts_only_records_up_to_the_as_of_date(calendar):
    """§5 "Everything is judged as of the as-of date: records after it are ignored"; the examples'
    obligations.csv defines `completed` as the records counted up to the as-of date. K15 (A+, 2 a month) has
    March visits on 03-05 and 03-20; as of 03-15 March is open with 1 completed (1 still missing), not 2."""
    assert obligations(calendar, "K15", "visit", "2026-03-15")[2] == ("2026-03-01", "2026-03-31", "A+", 2, 1, 1, "open")


@pytest.mark.parametrize("as_of,r1,r2", [("2026-03-19", 1, 0), ("2026-03-20", 2, 1), ("2026-03-21", 2, 1)])
def test_running_periods_around_the_last_record_day(tmp_path_factory, as_of, r1, r2):
    """compliance_items takes a shortcut when the as-of date is on or after the last record day (every record
    of a running period is then known); before it, it counts the records up to the as-of date. R1 (A+, visits
    2 a month) has March visits on 03-05 and 03-20, R2 only on 03-20, the last record day of the data: as of
    03-19 March is open with 1 and 0 completed, as of 03-20 and later with 2 and 1."""
    con = db_from(
        tmp_path_factory,
        f"last_day_{as_of}",
        customers=[cust("R1", "A+", "M1"), cust("R2", "A+", "M1")],
        logs=[
            log("L1", "R1", "visit", "2026-03-05 10:00"),
            log("L2", "R1", "visit", "2026-03-20 18:00"),
            log("L3", "R2", "visit", "2026-03-20 09:00"),
        ],
    )
    for customer, want in (("R1", r1), ("R2", r2)):
        got = obligations(con, customer, "visit", as_of)
        assert len(got) == 12 and got[2] == ("2026-03-01", "2026-03-31", "A+", 2, 1, want, "open")


def test_responsible_manager_and_any_recorder_counts(calendar):
    """chief_visit belongs to the chief (S1) — or to an empty manager_id when the customer has none (K3) —
    and any completed record of the customer counts, whoever recorded it (V303 by S1 for K3)."""
    rows = [r for r in items(calendar, "compliance_items", "2026-07-15") if r["service_code"] == "chief_visit"]
    k3 = sorted((r["period_start"].isoformat(), r["manager_id"], r["status"]) for r in rows if r["customer_id"] == "K3")
    assert k3 == [("2026-01-01", None, "met"), ("2026-07-01", None, "open")]
    k1 = {r["manager_id"] for r in rows if r["customer_id"] == "K1"}
    assert k1 == {"S1"}
    visit_managers = {
        r["manager_id"]
        for r in items(calendar, "compliance_items", "2026-07-15")
        if r["customer_id"] == "K1" and r["service_code"] == "visit"
    }
    assert visit_managers == {"M1"}
    rep = report(calendar, "compliance", "manager", as_of="2026-07-15")
    assert rep[1][:1] == [""]  # the empty manager_id sorts first, as text
    assert rep[1][1:] == [1, 1, 0, "1.0000", 1]


def test_window_only_counts_periods_lying_entirely_inside(calendar):
    """A window 2026-02-15..2026-05-10 holds only the March and April months of K1 (A+ monthly visits)."""
    got = obligations(calendar, "K1", "visit", "2026-07-31", date_from="2026-02-15", date_to="2026-05-10")
    assert [r[0] for r in got] == ["2026-03-01", "2026-04-01"]
    b = obligations(calendar, "K4", "visit", "2026-07-31", date_from="2026-02-15", date_to="2026-05-10")
    assert [r[0] for r in b] == ["2026-03-01"]


# --------------------------------------------------------------------- standards as data: versions, overrides

OVERRIDES = support.standards_text(
    "A,visit,2,1,account_manager,,2026-04-01",  # line 30: later province version
    "C,training,1,6,account_manager,2101,",  # line 31: 沈阳 switches a measure on
    "B,social_event,not_entitled,,account_manager,2102,2026-01-01",  # line 32: 大连 makes it not_entitled
    "C,visit,1,1,account_manager,2102,2026-07-01",  # line 33: 大连 monthly C visits from July
    "A+,network_test,market,,account_manager,2102,",  # line 34: 大连 switches a measure off
    "A,visit,1,1,account_manager,2102,",  # line 35: 大连 keeps 1 A visit a month
)


@pytest.fixture(scope="module")
def overrides(tmp_path_factory):
    con = db_from(
        tmp_path_factory,
        "overrides",
        customers=[
            cust("S9", "C", "M1", chief=""),
            cust("S10", "C", "M3", chief=""),
            cust("S11", "B", "M4"),
            cust("S12", "B", "M1"),
            cust("S13", "A", "M2"),
            cust("S14", "A+", "M3"),
            cust("S15", "A", "M3", chief=""),
        ],
        logs=[
            log("W901", "S9", "移动业务培训", "2026-06-12 10:00"),
            log("W1001", "S10", "training", "2026-06-12 10:00", manager="M3"),
            log("W1002", "S10", "visit", "2026-02-01 10:00", manager="M3"),
            log("W1003", "S10", "visit", "2026-07-10 10:00", manager="M3"),
            log("W1101", "S11", "联谊活动", "2026-05-29 10:00", manager="M4"),
            log("W1201", "S12", "social_event", "2026-05-29 10:00"),
            log("W1301", "S13", "visit", "2026-03-10 10:00", manager="M2"),
            log("W1302", "S13", "visit", "2026-04-10 10:00", manager="M2"),
            log("W1401", "S14", "network_test", "2026-02-10 10:00", manager="M3"),
            log("W1501", "S15", "visit", "2026-04-10 10:00", manager="M3"),
        ],
        standards=OVERRIDES,
    )
    yield con
    con.close()


def test_city_override_switches_a_measure_on_for_its_city_only(overrides):
    """C training is `market` in the province; 沈阳 (2101) requires 1 per 6 months. S9 (沈阳) has H1 met by the
    06-12 record and H2 missed; S10 (大连) has no training obligation and its training is not over-service."""
    assert obligations(overrides, "S9", "training", "2026-12-31") == [
        ("2026-01-01", "2026-06-30", "C", 1, 6, 1, "met"),
        ("2026-07-01", "2026-12-31", "C", 1, 6, 0, "missed"),
    ]
    assert obligations(overrides, "S10", "training", "2026-12-31") == []
    assert "S10" not in {r["customer_id"] for r in items(overrides, "overservice_items", "2026-12-31")}


def test_city_override_with_effective_from(overrides):
    """大连 C visits: the province's 1 per 3 months until June, the override's 1 a month from 2026-07-01."""
    got = obligations(overrides, "S10", "visit", "2026-12-31")
    assert [(r[0], r[3], r[4], r[6]) for r in got] == [
        ("2026-01-01", 1, 3, "met"),
        ("2026-04-01", 1, 3, "missed"),
        ("2026-07-01", 1, 1, "met"),
        ("2026-08-01", 1, 1, "missed"),
        ("2026-09-01", 1, 1, "missed"),
        ("2026-10-01", 1, 1, "missed"),
        ("2026-11-01", 1, 1, "missed"),
        ("2026-12-01", 1, 1, "missed"),
    ]


def test_city_override_not_entitled_removes_the_obligation_and_makes_over_service(overrides):
    """大连 makes B social_event not_entitled: S11 (大连) has no social_event obligation and its record is
    over-service (tier B, its manager M4); S12 (沈阳, B) keeps the province's 1 per 12 months, met, and is
    not over-service."""
    assert obligations(overrides, "S11", "social_event", "2026-12-31") == []
    assert obligations(overrides, "S12", "social_event", "2026-12-31") == [
        ("2026-01-01", "2026-12-31", "B", 1, 12, 1, "met")
    ]
    assert report(overrides, "overservice", "province", as_of="2026-12-31") == [["records"], [1]]
    assert report(overrides, "overservice", "district", as_of="2026-12-31") == [
        ["city_code", "district_code", "records"],
        ["2102", "210203", 1],
    ]
    assert report(overrides, "overservice", "manager", as_of="2026-12-31")[1:] == [["M4", 1]]
    assert report(overrides, "overservice", "service", as_of="2026-12-31")[1:] == [["social_event", 1]]


def test_later_province_version_governs_periods_from_its_effective_from(overrides):
    """A visits become 2 a month from 2026-04-01: March needs 1 (met by 03-10), April needs 2 (missed, 1)."""
    got = obligations(overrides, "S13", "visit", "2026-12-31")
    assert got[2] == ("2026-03-01", "2026-03-31", "A", 1, 1, 1, "met")
    assert got[3] == ("2026-04-01", "2026-04-30", "A", 2, 1, 1, "missed")
    assert {r[3] for r in got[3:]} == {2}


def test_city_override_market_switches_a_measure_off(overrides):
    """大连 makes A+ network_test `market`: S14 (A+, 大连) has no network_test obligation (its record is not
    over-service either), but keeps its other A+ obligations."""
    assert obligations(overrides, "S14", "network_test", "2026-12-31") == []
    assert len(obligations(overrides, "S14", "training", "2026-12-31")) == 4
    assert "S14" not in {r["customer_id"] for r in items(overrides, "overservice_items", "2026-12-31")}


def test_city_override_wins_over_a_later_province_version(overrides):
    """大连's A visit override (1 a month, always) is in effect on 04-01, so the province's 2-a-month version of
    2026-04-01 does not apply to S15 (大连): April needs 1 and is met; 沈阳's S13 needs 2 (above)."""
    got = obligations(overrides, "S15", "visit", "2026-12-31")
    assert {r[3] for r in got} == {1}
    assert by_start(got)["2026-04-01"] == (1, "met")


def test_loading_a_standards_version_rebuilds_the_obligations(build, tmp_path):
    """Imported with the seed standards, S13's April (1 visit) is met; after `standards.load` of a file with
    the later province version it needs 2 and is missed — without re-importing anything."""
    con = build(
        customers=[cust("S13", "A", "M2")],
        logs=[
            log("W1301", "S13", "visit", "2026-03-10 10:00", manager="M2"),
            log("W1302", "S13", "visit", "2026-04-10 10:00", manager="M2"),
        ],
    )
    assert obligations(con, "S13", "visit", "2026-12-31")[3][3:] == (1, 1, 1, "met")
    path = tmp_path / "standards_v2.csv"
    path.write_text(support.standards_text("A,visit,2,1,account_manager,,2026-04-01"), encoding="utf-8")
    version, loaded = store.apply_standards(con, str(path))
    assert loaded and version == 2
    assert obligations(con, "S13", "visit", "2026-12-31")[3][3:] == (2, 1, 1, "missed")
    assert obligations(con, "S13", "visit", "2026-12-31")[2][3:] == (1, 1, 1, "met")


def test_tier_scheme_is_data(fresh_db, export_dir, import_folder):
    """No tier name is code (§3): with a fifth tier `1A` configured, its standards load, a customer of that
    tier gets obligations from them, and its complaints use the configured level."""
    con = fresh_db()
    con.execute("insert into tiers values ('1A', 5, 1, null, [])")
    folder = export_dir(
        customers=[cust("T1", "1A", "M1", chief="")],
        logs=[log("X1", "T1", "visit", "2026-01-10 10:00"), log("X2", "T1", "visit", "2026-02-10 10:00")],
        complaints=[
            complaint(
                "Q1", "T1", "2026-02-02 08:00", "2026-02-02 10:00", "2026-02-03 08:00", "2026-02-03 09:00", "满意"
            )
        ],
        standards=support.standards_text("1A,visit,1,2,account_manager,,"),
    )
    _, rep = import_folder(folder, con)
    assert all(f.quarantined == 0 for f in rep.files)
    got = obligations(con, "T1", "visit", "2026-04-30")
    assert [(r[0], r[2], r[6]) for r in got[:2]] == [("2026-01-01", "1A", "met"), ("2026-03-01", "1A", "missed")]
    # level 1 (2 h / 24 h): first contact after exactly 2 h, resolution after exactly 24 h are on time
    assert report(con, "complaints", "tier", as_of="2026-04-30")[1] == ["1A", 1, 1, 1, 1, 0, 1, 0, 0, "1.0000", 0]


# -------------------------------------------------------------------------------------------- greetings


@pytest.fixture(scope="module")
def greetings(tmp_path_factory):
    con = db_from(
        tmp_path_factory,
        "greetings",
        today=d("2028-12-31"),  # the leap-day cases greet in 2028: imported after it
        customers=[cust("G1", "A", "M1"), cust("G2", "A", "M3"), cust("G3", "B", "M2", onboard="2026-02-10")],
        tier_history=[["G2", "B", "2020-01-01"], ["G2", "A", "2026-05-01"]],
        members=[
            member("GM1", "G1", "important_leader", "1976-02-29"),
            member("GM2", "G1", "重要领导", "1980-02-29"),
            member("GM3", "G1", "important_contact", "1968-03-18"),
            member("GM4", "G1", "一般领导", "1975/4/9"),
            member("GM5", "G1", "信息化联系人", "1980-01-03"),
            member("GM6", "G1", "重要普通成员", "19820630"),
            member("GM7", "G1", "重要核心成员", "1979-06-12"),
            member("GM8", "G1", "普通正式成员", "1990-05-05"),
            member("GM9", "G1", "VIP客户", "1983-02-14"),
            member("GM10", "G1", "important_leader", ""),
            member("GM11", "G3", "important_leader", "1970-01-25"),
            member("GM12", "G3", "important_leader", "1970-02-10"),
            member("GM13", "G1", "important_leader", "1988-09-10"),
            member("GM14", "G1", "important_leader", "1972-07-15"),
            member("GM15", "G2", "important_leader", "1970-04-30"),
            member("GM16", "G2", "important_leader", "1970-05-01"),
        ],
        logs=[
            log("R01", "G1", "生日问候", "2026-02-21 10:00", member="GM1"),
            log("R02", "G1", "greeting", "2028-02-22 10:00", member="GM1"),
            log("R03", "G1", "greeting", "2026-02-20 18:00", member="GM2"),
            log("R04", "G1", "greeting", "2028-02-21 10:00", member="GM2"),
            log("R05", "G1", "greeting", "2026-03-11 09:30", member="GM3", manager="S1"),
            log("R06", "G1", "greeting", "2026-04-01 10:00", member="GM4"),
            log("R07", "G1", "生日问候", "2025/12/29 10:30", member="GM5"),
            log("R08", "G1", "greeting", "2026-06-30 23:10", member="GM6"),
            log("R09", "G1", "greeting", "2026-06-10 10:00", member="GM7", status="已取消"),
            log("R10", "G1", "visit", "2026-06-12 10:00", member="GM7"),
            log("R11", "G1", "greeting", "2026-05-05 10:00", member="GM8"),
            log("R12", "G1", "greeting", "2026-07-15 08:40", member="GM14"),
            log("R13", "G2", "greeting", "2026-05-02 10:00", member="GM16", manager="M3"),
        ],
    )
    yield con
    con.close()


def greeting_status(con, as_of="2026-07-15", **kw) -> dict[str, str]:
    return {r["member_id"]: r["status"] for r in items(con, "greeting_items", as_of, **kw)}


def test_greeting_statuses(greetings):
    """One obligation per important member per birthday in the window, as of 2026-07-15:
    GM1 (29 Feb → 02-28 in 2026, greeted 02-21, the window's first day) met; GM2 (greeted 02-20) missed;
    GM3 (03-18, greeted 03-11 09:30 by the chief) met; GM4 (04-09, greeted 04-01) missed; GM5 (01-03, greeted
    2025-12-29, before the evaluation window) met; GM6 (06-30, greeted 23:10 on the day) met; GM7 (cancelled
    greeting, and a visit that is not a greeting) missed; GM12 (birthday = onboarding day) missed; GM13
    (09-10) open; GM14 (07-15 = as-of) met, closed; GM15, GM16 missed (a greeting the day after the birthday
    does not count). No obligation: GM8/GM9 (not important), GM10 (no birthday), GM11 (birthday before
    onboarding)."""
    assert greeting_status(greetings) == {
        "GM1": "met",
        "GM2": "missed",
        "GM3": "met",
        "GM4": "missed",
        "GM5": "met",
        "GM6": "met",
        "GM7": "missed",
        "GM12": "missed",
        "GM13": "open",
        "GM14": "met",
        "GM15": "missed",
        "GM16": "missed",
    }


def test_greeting_29_february_falls_on_28_february_in_2026(greetings):
    assert set(greeting_status(greetings, date_from="2026-02-28", date_to="2026-02-28")) == {"GM1", "GM2"}
    assert greeting_status(greetings, date_from="2026-03-01", date_to="2026-03-01") == {}


def test_greeting_29_february_in_a_leap_year(greetings):
    """2028 is a leap year: the birthday is 02-29, the window 02-22..02-29: GM1 (02-22) met, GM2 (02-21)
    missed."""
    got = greeting_status(greetings, as_of="2028-12-31", date_from="2028-02-29", date_to="2028-02-29")
    assert got == {"GM1": "met", "GM2": "missed"}
    assert greeting_status(greetings, as_of="2028-12-31", date_from="2028-02-28", date_to="2028-02-28") == {}


def test_greeting_report_levels(greetings):
    """Totals 11 closed, 5 met, 6 missed, 1 open. Manager = customer's account manager (GM3's greeting was
    recorded by S1 but counts for M1). Tier = tier on the birthday: GM15 (04-30) is B, GM16 (05-01) is A."""
    assert report(greetings, "greetings", "province", as_of="2026-07-15") == [
        ["obligations", "met", "missed", "rate", "open"],
        [11, 5, 6, "0.4545", 1],
    ]
    assert report(greetings, "greetings", "manager", as_of="2026-07-15")[1:] == [
        ["M1", 8, 5, 3, "0.6250", 1],
        ["M2", 1, 0, 1, "0.0000", 0],
        ["M3", 2, 0, 2, "0.0000", 0],
    ]
    assert report(greetings, "greetings", "tier", as_of="2026-07-15")[1:] == [
        ["A", 9, 5, 4, "0.5556", 1],
        ["B", 2, 0, 2, "0.0000", 0],
    ]
    assert report(greetings, "greetings", "service", as_of="2026-07-15")[1:] == [["greeting", 11, 5, 6, "0.4545", 1]]
    assert report(greetings, "greetings", "district", as_of="2026-07-15")[1:] == [
        ["2101", "210102", 8, 5, 3, "0.6250", 1],
        ["2101", "210103", 1, 0, 1, "0.0000", 0],
        ["2102", "210202", 2, 0, 2, "0.0000", 0],
    ]


def test_greeting_window_first_day_and_one_day_earlier(greetings):
    """Birthday 03-18: 03-11 (birthday − 7) is the window's first day → met. Birthday 04-09: 04-01 (birthday − 8)
    is one day too early → missed."""
    assert greeting_status(greetings, date_from="2026-03-18", date_to="2026-03-18") == {"GM3": "met"}
    assert greeting_status(greetings, date_from="2026-04-09", date_to="2026-04-09") == {"GM4": "missed"}


def test_greeting_window_reaches_before_the_evaluation_windows_start(greetings):
    assert greeting_status(greetings, date_from="2026-01-01", date_to="2026-01-31") == {"GM5": "met"}


# ------------------------------------------------------------------------------------------- complaints


@pytest.fixture(scope="module")
def complaints_db(tmp_path_factory):
    con = db_from(
        tmp_path_factory,
        "complaints",
        customers=[cust("Q1", "A+", "M1"), cust("Q2", "C", "M2"), cust("Q3", "A", "M4"), cust("Q4", "A", "M3")],
        tier_history=[["Q3", "B", "2020-01-01"], ["Q3", "A", "2026-05-01"]],
        logs=[log("L1", "Q1", "visit", "2026-07-15 08:00")],
        complaints=[
            complaint(
                "K01", "Q1", "2026-02-03 09:15", "2026-02-03 11:15", "2026-02-04 09:15", "2026-02-07 23:00", "非常满意"
            ),
            complaint(
                "K02", "Q1", "2026-02-10 09:15", "2026-02-10 11:16", "2026-02-11 09:16", "2026-02-15 00:00", "满意"
            ),
            complaint(
                "K03", "Q3", "2026-04-30 10:00", "2026-04-30 16:00", "2026-05-02 10:00", "2026-05-02 12:00", "satisfied"
            ),
            complaint(
                "K04",
                "Q3",
                "2026-05-01 10:00",
                "2026-05-01 16:00",
                "2026-05-03 10:00",
                "2026-05-06 09:00",
                "未接通",
                manager="P1",
            ),
            complaint("K05", "Q2", "2026-07-15 16:00", "", "2026-07-15 20:00", "2026-07-15 21:00"),
            complaint("K06", "Q2", "2026-07-14 15:59", "", "2026-07-14 20:00", "2026-07-14 21:00"),
            complaint("K07", "Q4", "2026-07-10 08:00", "2026-07-10 09:00", "2026-07-12 08:00", ""),
            complaint("K08", "Q4", "2026-07-11 08:00", "2026-07-11 09:00", "2026-07-13 08:00", "", "不满意"),
            complaint("K09", "Q4", "2026-07-05 08:00", "2026-07-05 09:00", "", ""),
            complaint(
                "K10", "Q1", "2025-12-30 10:00", "2025-12-30 11:00", "2025-12-31 10:00", "2026-01-02 10:00", "满意"
            ),
            complaint("K11", "Q2", "2026-07-16 09:00", "2026-07-16 10:00", "", "", ""),
            complaint("K12", "Q2", "2026-07-13 09:00", "2026-07-13 10:00", "", ""),
        ],
    )
    yield con
    con.close()


COMPLAINT_COLUMNS = [
    "complaints",
    "first_contact_on_time",
    "resolved_on_time",
    "return_visit_on_time",
    "very_satisfied",
    "satisfied",
    "dissatisfied",
    "unreachable",
    "satisfaction_rate",
    "open",
]


def one_day(con, day: str, as_of: str = "2026-07-15", level: str = "province") -> list:
    rep = report(con, "complaints", level, date_from=day, date_to=day, as_of=as_of)
    assert len(rep) == 2, rep
    return rep[1]


@pytest.mark.parametrize(
    "day,as_of,expected",
    [
        # K01 level 1: first contact after exactly 2 h, resolved after exactly 24 h, return visit on day 3 at 23:00
        ("2026-02-03", "2026-07-15", [1, 1, 1, 1, 1, 0, 0, 0, "1.0000", 0]),
        # K02: one minute over each limit, return visit on day 4 → late, late, late
        ("2026-02-10", "2026-07-15", [1, 0, 0, 0, 0, 1, 0, 0, "1.0000", 0]),
        # K03: Q3 is B on 04-30 → level 3 (8 h): 6 h is on time; resolved after 48 h
        ("2026-04-30", "2026-07-15", [1, 1, 1, 1, 0, 1, 0, 0, "1.0000", 0]),
        # K04: Q3 is A on 05-01 → level 2 (4 h): 6 h is late; resolved at exactly 48 h; unreachable, out of the rate
        ("2026-05-01", "2026-07-15", [1, 0, 1, 1, 0, 0, 0, 1, "", 0]),
        # K05: no first contact; its limit 07-16 00:00 is at 00:00 of the day after the as-of date → open
        ("2026-07-15", "2026-07-15", [1, 0, 1, 1, 0, 0, 0, 0, "", 1]),
        # K06: no first contact; limit 07-14 23:59 is before 00:00 of the day after the as-of date → late
        ("2026-07-14", "2026-07-14", [1, 0, 1, 1, 0, 0, 0, 0, "", 0]),
        # K07: resolved 07-12, no return visit: its last on-time day 07-15 is not after the as-of date → late
        ("2026-07-10", "2026-07-15", [1, 1, 1, 0, 0, 0, 0, 0, "", 0]),
        # K08: resolved 07-13, no return visit: last on-time day 07-16 is after the as-of date → open; dissatisfied
        ("2026-07-11", "2026-07-15", [1, 1, 1, 0, 0, 0, 1, 0, "0.0000", 1]),
        # K09: no resolution, its limit (07-07 08:00) passed → late; the missing return visit is open, not late:
        # its resolution is itself still missing (§5), so a return visit could still come within 3 days of it
        ("2026-07-05", "2026-07-15", [1, 1, 0, 0, 0, 0, 0, 0, "", 1]),
        # K12: no resolution, its limit 07-16 09:00 has not passed by the end of 07-15 → open
        ("2026-07-13", "2026-07-15", [1, 1, 0, 0, 0, 0, 0, 0, "", 1]),
    ],
)
def test_complaint_time_limits(complaints_db, day, as_of, expected):
    assert one_day(complaints_db, day, as_of) == expected


def test_complaint_levels_follow_the_tier_on_the_day_received(complaints_db):
    assert one_day(complaints_db, "2026-04-30", level="tier")[0] == "B"
    assert one_day(complaints_db, "2026-05-01", level="tier")[0] == "A"


def test_complaint_manager_is_its_own_else_the_customers_account_manager(complaints_db):
    assert one_day(complaints_db, "2026-05-01", level="manager")[0] == "P1"
    assert one_day(complaints_db, "2026-04-30", level="manager")[0] == "M4"


def test_complaints_province_and_satisfaction_rate(complaints_db):
    """10 complaints received in 2026 up to the as-of date (K10 is 2025, K11 after the as-of date).
    Satisfaction = (very 1 + satisfied 2) / (1 + 2 + dissatisfied 1) = 0.7500: the unreachable K04 and the
    not-yet-surveyed ones are outside the rate."""
    assert report(complaints_db, "complaints", "province", as_of="2026-07-15") == [
        COMPLAINT_COLUMNS,
        [10, 6, 7, 5, 1, 2, 1, 1, "0.7500", 4],
    ]
    assert report(complaints_db, "complaints", "manager", as_of="2026-07-15")[1:] == [
        ["M1", 2, 1, 1, 1, 1, 1, 0, 0, "1.0000", 0],
        ["M2", 3, 1, 2, 2, 0, 0, 0, 0, "", 2],
        ["M3", 3, 3, 2, 0, 0, 0, 1, 0, "0.0000", 2],
        ["M4", 1, 1, 1, 1, 0, 1, 0, 0, "1.0000", 0],
        ["P1", 1, 0, 1, 1, 0, 0, 0, 1, "", 0],
    ]
    assert report(complaints_db, "complaints", "service", as_of="2026-07-15")[1][0] == "complaint"


def test_dissatisfied_without_reason_is_accepted(complaints_db):
    row = complaints_db.execute(
        "select satisfaction, dissatisfied_reason from complaints where complaint_id = 'K08'"
    ).fetchone()
    assert row == ("dissatisfied", None)


# ----------------------------------------------------------------------------------------- over-service


@pytest.fixture(scope="module")
def overservice(tmp_path_factory):
    con = db_from(
        tmp_path_factory,
        "overservice",
        customers=[cust("O1", "B", "M4"), cust("O2", "A+", "M1"), cust("O3", "A", "M4"), cust("O4", "C", "M2")],
        tier_history=[["O3", "B", "2020-01-01"], ["O3", "A", "2026-05-01"]],
        logs=[
            log("T1", "O1", "业务优先试用", "2026-03-16 10:00", manager="M4"),
            log("T2", "O1", "trial", "2026-06-01 10:00", status="已取消", manager="M4"),
            log("T3", "O2", "trial", "2026-02-16 10:00"),
            log("T4", "O3", "trial", "2026-04-30 23:00", manager="P1"),
            log("T5", "O3", "trial", "2026-05-01 08:00", manager="M4"),
            log("T6", "O4", "trial", "2025-12-31 10:00", manager="M2"),
            log("T7", "O4", "trial", "2026-08-01 10:00", manager="M2"),
            log("T8", "O1", "network_test", "2026-03-01 10:00", manager="M4"),
            log("T9", "O4", "trial", "2026-07-15 23:59", manager="M2"),
        ],
    )
    yield con
    con.close()


def test_over_service_records(overservice):
    """B/C trials are not_entitled: T1 (B), T4 (O3 still B on 04-30, recorded by P1) and T9 (C, on the as-of
    date) are over-service. Not: T2 cancelled, T3 A+ (entitled), T5 (O3 is A on 05-01), T6 before the window,
    T7 after the as-of date, T8 (B network_test is `market`)."""
    got = sorted(r["record_id"] for r in items(overservice, "overservice_items", "2026-07-15"))
    assert got == ["T1", "T4", "T9"]
    assert report(overservice, "overservice", "province", as_of="2026-07-15") == [["records"], [3]]
    assert report(overservice, "overservice", "manager", as_of="2026-07-15")[1:] == [["M2", 1], ["M4", 1], ["P1", 1]]
    assert report(overservice, "overservice", "tier", as_of="2026-07-15")[1:] == [["B", 2], ["C", 1]]
    assert report(overservice, "overservice", "city", as_of="2026-07-15")[1:] == [["2101", 1], ["2102", 2]]
    assert report(overservice, "overservice", "service", as_of="2026-07-15")[1:] == [["trial", 3]]
    assert report(overservice, "overservice", "province", as_of="2026-12-31") == [["records"], [4]]


# ---------------------------------------------------------------------------------------------- rates


@pytest.mark.parametrize(
    "num,den,expected",
    [
        (1, 8, "0.1250"),
        (2, 3, "0.6667"),
        (1, 6, "0.1667"),
        (1, 3, "0.3333"),
        (5, 16, "0.3125"),
        (1, 32, "0.0313"),  # 0.03125: half away from zero (banker's rounding would give 0.0312)
        (5, 20000, "0.0003"),  # 0.00025 → 0.0003 (banker's: 0.0002)
        (1, 20000, "0.0001"),  # 0.00005 → 0.0001
        (3, 80000, "0.0000"),  # 0.0000375
        (1, 40000, "0.0000"),  # 0.000025
        (19999, 20000, "1.0000"),  # 0.99995
        (9999, 10000, "0.9999"),
        (0, 7, "0.0000"),
        (7, 7, "1.0000"),
        (0, 0, ""),
    ],
)
def test_rate_rounds_half_away_from_zero(num, den, expected):
    """The rate macro (queries/measures/rate.sql), the one rule behind every rate, as `report` prints it."""
    import duckdb

    from supervision import db

    con = duckdb.connect()
    con.execute(db.sql("measures/rate"))
    assert measures.rate_text(con.execute("select rate($n, $d)", {"n": num, "d": den}).fetchone()[0]) == expected


def test_report_rate_half_away_from_zero_and_empty(build):
    """One A+ customer (24 obligations in 2026: 12 visits, 4 training, 4 network tests, 2 chief visits,
    1 social event, 1 VIP event) and two C customers (4 quarterly visits each) make 32 closed obligations as
    of 12-31; one met → 1/32 = 0.03125 → 0.0313."""
    con = build(
        customers=[cust("R1", "A+", "M1"), cust("R2", "C", "M1", chief=""), cust("R3", "C", "M3", chief="")],
        logs=[log("Z1", "R2", "visit", "2026-02-01 10:00")],
    )
    assert report(con, "compliance", "province", as_of="2026-12-31") == [
        ["obligations", "met", "missed", "rate", "open"],
        [32, 1, 31, "0.0313", 0],
    ]
    # every obligation still open: zero closed obligations → empty rate, the province row is still there
    assert report(con, "compliance", "province", as_of="2026-01-15") == [
        ["obligations", "met", "missed", "rate", "open"],
        [0, 0, 0, "", 32],
    ]


def test_province_row_with_nothing_to_count(fresh_db):
    con = fresh_db()
    assert report(con, "compliance", "province", as_of="2026-12-31") == [
        ["obligations", "met", "missed", "rate", "open"],
        [0, 0, 0, "", 0],
    ]
    assert report(con, "compliance", "city", as_of="2026-12-31") == [
        ["city_code", "obligations", "met", "missed", "rate", "open"]
    ]
    assert report(con, "overservice", "province", as_of="2026-12-31") == [["records"], [0]]
