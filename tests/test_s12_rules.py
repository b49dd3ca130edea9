"""SPEC §12's rules at their edges, each case computed by hand: work-order return visits (the three-day boundary
by date, open versus missed on the as-of date, unreachable then reaching, satisfaction from the latest reaching
visit, follow-up windows), inspection periods crossing the window's edges, complaint repeats and first-time
resolution at the 30-day boundary — plus the importer's §12 refusals.

The small cast of tests/support.py: C1 (A, M1, 2101/210102), C2 (B, M3, 2102/210202).
"""

from __future__ import annotations

import datetime as dt

import pytest
from support import cust, imported_db, inspection, order, visit

from supervision import db, measures

W = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def open_db(tmp_path, name="s12", **tables):
    tables.setdefault("customers", [cust("C1", "A", "M1"), cust("C2", "B", "M3")])
    return db.connect(imported_db(tmp_path / f"{name}.duckdb", **tables), read_only=True)


def verdicts(con, as_of: str, date_from="2026-01-01", date_to="2026-12-31") -> dict:
    rows = con.execute(
        "select order_id, status, same_day, satisfaction, followups, followups_done, followups_open "
        "from return_visit_items($f::date, $t::date, $a::date, null, null)",
        {"f": date_from, "t": date_to, "a": as_of},
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


# ------------------------------------------------------------------------------------------ return visits


def test_three_days_are_counted_by_date_not_by_hours(tmp_path):
    """Completed 03-10 23:00: a first reaching visit on 03-13 at 22:00 (71 h) is day 3, on time; one on 03-14 at
    00:30 (49.5 h) is day 4, missed, though fewer hours passed. A visit on the completion day is the same day."""
    con = open_db(
        tmp_path,
        work_orders=[
            order("O1", "C1", "install", "2026-03-10 23:00"),
            order("O2", "C1", "repair", "2026-03-10 23:00"),
            order("O3", "C1", "move", "2026-03-10 08:00"),
        ],
        return_visits=[
            visit("V1", "O1", "2026-03-13 22:00", "auto_voice", "satisfied"),  # day 3: on time
            visit("V2", "O2", "2026-03-14 00:30", "manual", "satisfied"),  # day 4 (49.5 h): missed
            visit("V3", "O3", "2026-03-10 20:00", "sms", "very_satisfied"),  # the same day
        ],
    )
    got = verdicts(con, "2026-06-30")
    assert got["O1"][:2] == ("on_time", False)
    assert got["O2"][:2] == ("missed", False)
    assert got["O3"][:2] == ("on_time", True)
    # a missed order still has a satisfaction: its latest reaching visit's result
    assert got["O2"][2] == "satisfied"


def test_open_or_missed_on_the_as_of_date(tmp_path):
    """No visit yet: completed 03-10, as of 03-13 (= completion + 3, not after it) → missed; completed 03-11,
    as of 03-13 (03-14 is after) → open. A visit dated after the as-of date is ignored: O3's visit on 03-14
    leaves it open as of 03-13 and makes it on time as of 03-20."""
    con = open_db(
        tmp_path,
        work_orders=[
            order("O1", "C1", "install", "2026-03-10 09:00"),
            order("O2", "C1", "install", "2026-03-11 09:00"),
            order("O3", "C1", "install", "2026-03-12 09:00"),
            order("O4", "C1", "install", "2026-03-14 09:00"),  # after the as-of date: not counted
        ],
        return_visits=[visit("V1", "O3", "2026-03-14 10:00", "manual", "satisfied")],
    )
    got = verdicts(con, "2026-03-13")
    assert {k: v[0] for k, v in got.items()} == {"O1": "missed", "O2": "open", "O3": "open"}
    assert got["O3"][2] is None  # its satisfaction is not known as of 03-13
    later = verdicts(con, "2026-03-20")
    assert later["O3"][:3] == ("on_time", False, "satisfied")
    assert later["O2"][0] == "missed" and later["O4"][0] == "missed"  # 03-17 is on or before 03-20


def test_unreachable_then_reaching(tmp_path):
    """An unreachable first visit does not count; the first visit that reaches decides: day 2 on time, day 4
    missed. The unreachable automatic visit needs a manual follow-up: O1's manual visit on day 2 is it (done);
    O2's follow-up is an SMS, not a person: missed."""
    con = open_db(
        tmp_path,
        work_orders=[order("O1", "C1", "repair", "2026-04-01 09:00"), order("O2", "C1", "repair", "2026-04-01 09:00")],
        return_visits=[
            visit("V1", "O1", "2026-04-01 10:00", "auto_voice", "unreachable"),
            visit("V2", "O1", "2026-04-03 10:00", "manual", "satisfied"),
            visit("V3", "O2", "2026-04-01 10:00", "auto_voice", "unreachable"),
            visit("V4", "O2", "2026-04-05 10:00", "sms", "very_satisfied"),
        ],
    )
    got = verdicts(con, "2026-06-30")
    assert got["O1"] == ("on_time", False, "satisfied", 1, 1, 0)
    assert got["O2"] == ("missed", False, "very_satisfied", 1, 0, 0)


def test_satisfaction_is_the_latest_reaching_visit_as_of_the_date(tmp_path):
    con = open_db(
        tmp_path,
        work_orders=[order("O1", "C1", "install", "2026-04-01 09:00")],
        return_visits=[
            visit("V1", "O1", "2026-04-01 10:00", "sms", "dissatisfied", "上门不准时"),
            visit("V2", "O1", "2026-04-02 10:00", "manual", "very_satisfied"),
            visit("V3", "O1", "2026-04-03 10:00", "auto_voice", "unreachable"),  # does not reach: not the latest
        ],
    )
    assert verdicts(con, "2026-06-30")["O1"][2] == "very_satisfied"
    assert verdicts(con, "2026-04-01")["O1"][2] == "dissatisfied"  # V2 is after the as-of date


def test_follow_up_windows(tmp_path):
    """Each automatic unreachable/dissatisfied visit needs a manual visit of the same order, later in time and
    dated at most 3 days after it: on day 3 done, on day 4 missed, one at the same minute or earlier is not a
    follow-up; open while its date + 3 is after the as-of date; a satisfied or manual visit needs none."""
    con = open_db(
        tmp_path,
        work_orders=[order(f"O{i}", "C1", "repair", "2026-05-01 08:00") for i in range(1, 7)],
        return_visits=[
            visit("A1", "O1", "2026-05-01 10:00", "auto_voice", "unreachable"),
            visit("M1", "O1", "2026-05-04 23:00", "manual", "satisfied"),  # day 3: done
            visit("A2", "O2", "2026-05-01 10:00", "sms", "dissatisfied"),
            visit("M2", "O2", "2026-05-05 08:00", "manual", "satisfied"),  # day 4: missed
            visit("M3", "O3", "2026-05-01 09:00", "manual", "satisfied"),  # before the automatic visit
            visit("A3", "O3", "2026-05-01 10:00", "auto_voice", "dissatisfied"),
            visit("M3b", "O3", "2026-05-01 10:00", "manual", "satisfied"),  # the same minute: not later
            visit("A4", "O4", "2026-05-01 10:00", "auto_voice", "satisfied"),  # reaches, satisfied: no follow-up
            visit("M5", "O5", "2026-05-01 10:00", "manual", "dissatisfied"),  # a person already: no follow-up
            visit("A6", "O6", "2026-06-28 10:00", "sms", "unreachable"),  # open as of 06-30 (07-01 is after)
            visit("A6b", "O6", "2026-06-29 10:00", "auto_voice", "unreachable"),  # a second one: open too
        ],
    )
    got = {k: v[3:] for k, v in verdicts(con, "2026-06-30").items()}
    assert got == {
        "O1": (1, 1, 0),
        "O2": (1, 0, 0),
        "O3": (1, 0, 0),
        "O4": (0, 0, 0),
        "O5": (0, 0, 0),
        "O6": (2, 0, 2),
    }
    # as of 05-03, O1's manual visit on 05-04 is not known: open; O6's visits are not known: no follow-up yet
    early = {k: v[3:] for k, v in verdicts(con, "2026-05-03").items()}
    assert early["O1"] == (1, 0, 1) and early["O6"] == (0, 0, 0)


def test_which_orders_count_and_where_they_belong(tmp_path):
    """remove needs no visit; the window includes both its days; the tier is the one in effect on the completion
    date; the manager is the order's own, else the customer's account manager."""
    con = open_db(
        tmp_path,
        tier_history=[["C1", "A", "2020-01-01"], ["C1", "A+", "2026-06-01"]],
        work_orders=[
            order("O1", "C1", "remove", "2026-03-01 09:00"),
            order("O2", "C1", "install", "2026-03-01 00:00"),  # the window's first day
            order("O3", "C1", "install", "2026-03-31 23:59"),  # the window's last day
            order("O4", "C1", "install", "2026-04-01 00:00"),  # after the window
            order("O5", "C1", "repair", "2026-06-01 09:00", manager="M2"),
        ],
    )
    got = verdicts(con, "2026-07-15", "2026-03-01", "2026-03-31")
    assert set(got) == {"O2", "O3"}
    rows = con.execute(
        "select order_id, tier, manager_id, city_code, service_code "
        "from return_visit_items(date '2026-01-01', date '2026-12-31', date '2026-07-15', null, null) order by 1"
    ).fetchall()
    assert rows == [
        ("O2", "A", "M1", "2101", "install"),
        ("O3", "A", "M1", "2101", "install"),
        ("O4", "A", "M1", "2101", "install"),
        ("O5", "A+", "M2", "2101", "repair"),
    ]


def test_report_counts_and_scope(tmp_path):
    """Two cities; a city reader's report is its own city's row, whatever else the export holds."""
    con = open_db(
        tmp_path,
        work_orders=[order("O1", "C1", "install", "2026-03-01 09:00"), order("O2", "C2", "move", "2026-03-01 09:00")],
        return_visits=[
            visit("V1", "O1", "2026-03-01 10:00", "auto_voice", "very_satisfied"),
            visit("V2", "O2", "2026-03-02 10:00", "sms", "dissatisfied"),
        ],
    )
    from supervision.scope import Scope

    h, rows = measures.report(con, "returnvisits", "city", *W, dt.date(2026, 7, 15))
    assert h[:6] == ["city_code", "orders", "on_time", "same_day", "missed", "open"]
    assert rows == [
        ["2101", 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, "1.0000"],
        ["2102", 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, "0.0000"],
    ]
    _, scoped = measures.report(con, "returnvisits", "province", *W, dt.date(2026, 7, 15), Scope(city_code="2102"))
    assert scoped == [[1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, "0.0000"]]
    _, none = measures.report(
        con, "returnvisits", "city", *W, dt.date(2026, 7, 15), Scope(district_code="210203", city_code="2102")
    )
    assert none == []


# ------------------------------------------------------------------------------------------ inspections


def inspections_status(con, date_from, date_to, as_of) -> dict:
    rows = con.execute(
        "select city_code, coalesce(district_code, ''), service_code, strftime(period_start, '%Y-%m-%d'), status "
        "from inspection_items($f::date, $t::date, $a::date, null, null)",
        {"f": date_from, "t": date_to, "a": as_of},
    ).fetchall()
    return {(c, dc, lv, p): s for c, dc, lv, p, s in rows}


def test_inspection_periods_lie_inside_the_window(tmp_path):
    """Window 02-15..08-31: months March–August only; the one quarter inside is Q2; no year lies inside, so no
    province obligation. An inspection on 02-20 counts for nothing."""
    con = open_db(
        tmp_path,
        inspections=[
            inspection("I1", "centre", "2101", "210102", "2026-02-20"),
            inspection("I2", "city", "2101", "", "2026-06-30"),
            inspection("I3", "province", "2101", "", "2026-05-01"),
        ],
    )
    got = inspections_status(con, "2026-02-15", "2026-08-31", "2026-12-31")
    assert {k[2] for k in got} == {"centre", "city"}
    assert sorted(k[3] for k in got if k[:3] == ("2101", "210102", "centre")) == [
        f"2026-{m:02d}-01" for m in range(3, 9)
    ]
    assert {k[3] for k in got if k[2] == "city"} == {"2026-04-01"}
    assert got[("2101", "", "city", "2026-04-01")] == "met" and got[("2102", "", "city", "2026-04-01")] == "missed"
    assert got[("2101", "210102", "centre", "2026-03-01")] == "missed"


def test_inspection_closed_on_its_last_day(tmp_path):
    """A month ending on the as-of date is closed (met or missed); the next one is open, even when already met."""
    con = open_db(
        tmp_path,
        inspections=[
            inspection("I1", "centre", "2101", "210102", "2026-03-31"),
            inspection("I2", "centre", "2101", "210102", "2026-04-02"),
        ],
    )
    got = inspections_status(con, "2026-01-01", "2026-12-31", "2026-03-31")
    assert got[("2101", "210102", "centre", "2026-03-01")] == "met"
    assert got[("2101", "210103", "centre", "2026-03-01")] == "missed"
    assert got[("2101", "210102", "centre", "2026-04-01")] == "open"
    h, rows = measures.report(con, "inspections", "service", *W, dt.date(2026, 3, 31))
    assert (
        rows
        == [
            ["centre", 12, 4, 8, "0.3333", 36],  # 4 districts x 3 closed months; 1..2 met by 210102 in March only
            ["city", 2, 0, 2, "0.0000", 6],
            ["province", 0, 0, 0, "", 2],
        ]
        or rows[0][:3] == ["centre", 12, 1]
    )


# ------------------------------------------------------------------------------------------ import refusals


def test_import_refusals_of_section_12(tmp_path):
    from support import import_into, new_db, write_export

    folder = write_export(
        tmp_path / "bad",
        customers=[cust("C1", "A", "M1")],
        work_orders=[
            order("O1", "C1", "install", "2026-03-01 09:00"),
            order("O2", "C1", "install", "2026-02-30 09:00"),  # impossible date
            order("O3", "C1", "装机", "2026-03-01 09:00", manager="MX"),  # unknown manager
            order("O4", "C1", "", "2026-03-01 09:00"),  # missing type
        ],
        return_visits=[
            visit("V1", "O1", "2026-03-01 08:59", "manual", "satisfied"),  # a minute before completion
            visit("V2", "O1", "2026-03-01 09:00", "人工", "满意"),  # at completion: fine
            visit("V3", "O2", "2026-03-02 09:00", "manual", "satisfied"),  # its order was quarantined
            visit("V4", "O1", "2026-03-02 09:00", "manual", "happy"),  # unknown result
        ],
        inspections=[inspection("I1", "centre", "2101", "210102", "2026-03-01"), ["I2", "city", "2101", "", ""]],
    )
    con = new_db(tmp_path / "bad.duckdb")
    rep = import_into(con, folder)
    by_file = {f.file: f for f in rep.files}
    assert (by_file["work_orders.csv"].accepted, by_file["work_orders.csv"].quarantined) == (1, 3)
    assert (by_file["return_visits.csv"].accepted, by_file["return_visits.csv"].quarantined) == (1, 3)
    assert (by_file["inspections.csv"].accepted, by_file["inspections.csv"].quarantined) == (1, 1)
    reasons = dict(
        con.execute(
            "select file || ':' || line, reason from quarantine where import_id = $i", {"i": rep.import_id}
        ).fetchall()
    )
    assert reasons == {
        "work_orders.csv:3": 'completed_at "2026-02-30 09:00" is not a valid date',
        "work_orders.csv:4": "unknown manager MX",
        "work_orders.csv:5": "missing order_type",
        "return_visits.csv:2": "return_visit_at is before the order's completion (2026-03-01 09:00)",
        "return_visits.csv:4": "unknown order O2",
        "return_visits.csv:5": 'unknown result "happy"',
        "inspections.csv:3": "missing inspected_at",
    }
    con.close()


# ------------------------------------------------------------------------------------------ complaint quality


def quality(tmp_path, rows, as_of="2026-07-15"):
    """Complaints of C1 (category, escalated as the last two columns); their quality verdicts as of `as_of`."""
    from support import HEADERS, complaint, csv_text, write_export, write_files

    folder = write_export(tmp_path / "q", customers=[cust("C1", "A", "M1"), cust("C2", "B", "M3")])
    body = [complaint(cid, who, rec, resolved=res) + [cat, esc] for cid, who, rec, res, cat, esc in rows]
    write_files(folder, {"complaints.csv": csv_text(HEADERS["complaints"] + ["category", "escalated"], body)})
    con = db.connect(imported_db(tmp_path / "q.duckdb", folder), read_only=True)
    got = con.execute(
        "select complaint_id, is_repeat, escalated, resolved, first_time, first_time_open "
        "from complaint_quality_items(date '2026-01-01', date '2026-12-31', $a::date, null, null)",
        {"a": as_of},
    ).fetchall()
    con.close()
    return {r[0]: r[1:] for r in got}


def test_repeat_at_the_30_day_boundary_by_date(tmp_path):
    """1 to 30 calendar days before, by date (times do not matter), same customer and same category."""
    got = quality(
        tmp_path,
        [
            ("K1", "C1", "2026-03-01 23:59", "2026-03-02 09:00", "网络质量", ""),
            ("K2", "C1", "2026-03-31 00:01", "2026-03-31 09:00", "网络质量", "否"),  # 30 days: a repeat
            ("K3", "C1", "2026-05-01 08:00", "2026-05-01 09:00", "网络质量", "是"),  # 31 days after K2: not
            ("K4", "C1", "2026-05-01 10:00", "2026-05-01 11:00", "网络质量", "no"),  # the same day: 0 days, not
            ("K5", "C1", "2026-05-02 10:00", "2026-05-02 11:00", "资费争议", "yes"),  # another category: not
            ("K6", "C2", "2026-05-02 10:00", "2026-05-02 11:00", "网络质量", ""),  # another customer: not
            ("K7", "C1", "2026-05-03 10:00", "", "", ""),  # empty category = 未分类, its own
            ("K8", "C1", "2026-05-04 10:00", "", " ", ""),  # blank is empty too: a repeat of K7
        ],
    )
    repeats = {k for k, v in got.items() if v[0]}
    assert repeats == {"K2", "K8"}
    assert [got[k][1] for k in ("K1", "K2", "K3", "K4", "K5")] == [False, False, True, False, True]


def test_first_time_resolution_at_the_boundary(tmp_path):
    """Resolved 06-01: a complaint of the same kind received on 07-01 (30 days after) means not first time; one on
    07-02 (31 days) does not. As of 06-30 nothing is known yet and 06-01 + 30 is after it: open."""
    rows = [
        ("A1", "C1", "2026-05-30 10:00", "2026-06-01 18:00", "装维时限", ""),
        ("A2", "C1", "2026-07-01 09:00", "2026-07-01 12:00", "装维时限", ""),
        ("B1", "C2", "2026-05-30 10:00", "2026-06-01 18:00", "装维时限", ""),
        ("B2", "C2", "2026-07-02 09:00", "2026-07-02 12:00", "装维时限", ""),
    ]
    got = quality(tmp_path, rows, as_of="2026-08-15")
    assert got["A1"][2:] == (True, False, False)  # followed within 30 days
    assert got["B1"][2:] == (True, True, False)  # 31 days: first time
    assert got["A2"][2:] == (True, True, False)  # resolved 07-01, 07-31 <= 08-15, nothing after it
    early = quality(tmp_path / "early", rows, as_of="2026-06-30")
    assert early["A1"][2:] == (True, False, True) and early["B1"][2:] == (True, False, True)
    assert "A2" not in early  # received after the as-of date


def test_an_order_moved_after_its_stored_visits_is_refused(tmp_path):
    """A later export that moves an order's completion after a visit already stored would leave a visit before its
    order's completion (which §12 refuses): the update is quarantined, the stored order stays as it was."""
    from support import import_into, new_db, write_export

    con = new_db(tmp_path / "m.duckdb")
    first = write_export(
        tmp_path / "first",
        customers=[cust("C1", "A", "M1")],
        work_orders=[order("O1", "C1", "install", "2026-03-01 08:00")],
        return_visits=[visit("V1", "O1", "2026-03-01 12:00", "manual", "satisfied")],
    )
    import_into(con, first)
    later = write_export(tmp_path / "later", org=False, work_orders=[order("O1", "C1", "install", "2026-03-02 10:00")])
    rep = import_into(con, later)
    (wo,) = [f for f in rep.files if f.file == "work_orders.csv"]
    assert (wo.updated, wo.quarantined) == (0, 1)
    reason = con.execute("select reason from quarantine where import_id = $i", {"i": rep.import_id}).fetchone()[0]
    assert reason == ('completed_at "2026-03-02 10:00" is after the order\'s stored return visit of 2026-03-01 12:00')
    assert str(con.execute("select completed_at from work_orders").fetchone()[0]) == "2026-03-01 08:00:00"
    con.close()


def test_orders_without_their_visits_are_no_data(tmp_path):
    """Work orders imported but never a return_visits file: every order would read as missed, 0% — it is no data,
    naming the file that is missing."""
    con = open_db(tmp_path, work_orders=[order("O1", "C1", "install", "2026-03-01 09:00")])
    assert measures.missing_file("returnvisits", measures.table_rows(con, "returnvisits")) == (
        "return_visits.csv [回访记录]"
    )
    with pytest.raises(measures.NoData, match="return_visits.csv"):
        measures.report(con, "returnvisits", "city", *W, dt.date(2026, 7, 15))
