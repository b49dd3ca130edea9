"""The chief account manager's scorecard (SPEC §12, seed 003 考核), each number computed by hand, and the optional
lost_date [离网日期] it reads: imported like every column (bad dates quarantined with the line), retention with
customers lost on the window's first and last days, the as-of date cutting the window, "no data" without the
column or without work orders, the ranking, and the reader's scope.

The small cast of tests/support.py; S1 is the chief account manager (2101/210102); M3 (2102) serves one customer
as its chief although an account manager.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from support import (
    DEFAULT_STANDARDS_ROWS,
    HEADERS,
    STANDARDS_HEADER,
    complaint,
    csv_text,
    cust,
    imported_db,
    log,
    order,
    visit,
    write_export,
)

from supervision import auth, build, chiefs, db, importing, store

CUSTOMER_HEADER = HEADERS["customers"] + ["lost_date"]


def with_lost(row: list[str], lost: str = "") -> list[str]:
    return [*row, lost]


CUSTOMERS = [
    with_lost(cust("K1", "A", "M1"), "2026-01-01"),  # lost on the window's first day: at the start, lost
    with_lost(cust("K2", "A", "M1"), "2026-12-31"),  # lost on the window's last day: at the start, lost
    with_lost(cust("K3", "B", "M1"), "2025-12-31"),  # lost the day before the window: not served in it
    with_lost(cust("K4", "A", "M1")),  # stays
    with_lost(cust("K5", "A", "M1", onboard="2026-03-01")),  # onboarded inside the window: not at its start
    with_lost(cust("K6", "A", "M1"), "2027-01-01"),  # lost after the window: retained
    with_lost(cust("K7", "A", "M1", chief="")),  # no chief: nobody's
    with_lost(cust("K8", "B", "M3", chief="M3")),  # M3 is its chief
]


def scorecard_db(tmp_path, customers_text: str | None = None, **tables) -> str:
    folder = write_export(
        tmp_path / "export",
        customers=[r[:-1] for r in CUSTOMERS],
        logs=[
            log("L1", "K4", "chief_visit", "2026-02-10 10:00", manager="S1"),  # K4's first half: met
            log("L2", "K6", "chief_visit", "2026-08-10 10:00", manager="S1"),  # K6's second half: met
        ],
        complaints=[
            # K4, level 2 (A): resolved after 23 h (limit 48 h) on time, satisfied
            complaint(
                "Q1", "K4", "2026-03-01 10:00", "2026-03-01 11:00", "2026-03-02 09:00", "2026-03-03", "satisfied"
            ),
            # K4 again 19 days later, same (blank) category: a repeat; resolved after 5 days: late; dissatisfied
            complaint(
                "Q2",
                "K4",
                "2026-03-20 10:00",
                "2026-03-20 11:00",
                "2026-03-25 10:00",
                "2026-03-26",
                "dissatisfied",
                "慢",
            ),
            complaint("Q3", "K7", "2026-03-05 10:00", "2026-03-05 11:00", "2026-03-05 12:00"),  # no chief
        ],
        **tables,
    )
    text = customers_text if customers_text is not None else csv_text(CUSTOMER_HEADER, CUSTOMERS)
    (folder / "customers.csv").write_text(text, encoding="utf-8")
    return str(imported_db(tmp_path / "chief.duckdb", folder))


ORDERS = dict(
    work_orders=[
        order("O1", "K4", "install", "2026-04-01 10:00"),  # visited the next day: on time
        order("O2", "K5", "repair", "2026-05-01 10:00"),  # never visited: missed
        order("O3", "K7", "install", "2026-05-01 10:00"),  # no chief
        order("O4", "K4", "remove", "2026-05-02 10:00"),  # a removal needs no visit
    ],
    return_visits=[visit("V1", "O1", "2026-04-02 10:00", "manual", "satisfied")],
)


def board(path: str, as_of="2026-12-31", rank_by="chief_visit", scope=(None, None), city=None) -> pd.DataFrame:
    con = db.connect(path)
    try:
        build.ensure_window(con, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        df = con.execute(
            db.sql("views/chief_scorecard"),
            {
                "date_from": "2026-01-01",
                "date_to": "2026-12-31",
                "as_of": as_of,
                "scope_city": scope[0],
                "scope_district": scope[1],
                "city": city,
                "district": None,
                "rank_by": rank_by,
            },
        ).df()
    finally:
        con.close()
    return df.set_index("manager_id")


def test_every_dimension_of_the_chief_by_hand(tmp_path):
    got = board(scorecard_db(tmp_path, **ORDERS))
    s1 = got.loc["S1"]
    # served in the window: K1 (lost on its first day), K2, K4, K5 (onboarded in it), K6 — not K3 (lost before)
    assert s1.customers == 5
    # chief_visit, A: 1 per half year, B: 1 per year; obligations exist whatever lost_date says (SPEC §5):
    # K1, K2, K4, K6 two halves each, K5 the second half (onboarded after 1 January), K3 the year → 10;
    # met: K4's first half, K6's second half
    assert (s1.chief_visit_obligations, s1.chief_visit_met, s1.chief_visit_missed, s1.chief_visit_open) == (10, 2, 8, 0)
    assert float(s1.chief_visit_rate) == 0.2
    # K4's two complaints (K7's has no chief): one resolved on time, one satisfied of two surveyed, one repeat
    assert (s1.complaints, s1.complaints_resolved_on_time, s1.complaint_repeats) == (2, 1, 1)
    assert float(s1.complaints_on_time_rate) == 0.5 and float(s1.complaint_satisfaction_rate) == 0.5
    # retention: at the start K1, K2, K4, K6 (K5 came later, K3 had left); lost inside it K1 and K2 → 2 / 4
    assert (s1.customers_at_start, s1.customers_lost) == (4, 2)
    assert float(s1.retention_rate) == 0.5
    # work orders: O1 on time, O2 missed (O3 is K7's, O4 a removal) → 1 / 2
    assert (s1.orders, s1.orders_on_time, s1.orders_missed, s1.orders_open) == (2, 1, 1, 0)
    assert float(s1.return_visit_rate) == 0.5
    m3 = got.loc["M3"]
    assert (m3.customers, m3.chief_visit_obligations, m3.chief_visit_met, m3.customers_at_start, m3.customers_lost) == (
        1,
        1,
        0,
        1,
        0,
    )
    assert float(m3.retention_rate) == 1.0 and m3.orders == 0 and pd.isna(m3.return_visit_rate)
    assert set(got.index) == {"S1", "M3"}  # M1 is nobody's chief; K7 has none


def test_the_as_of_date_cuts_the_window(tmp_path):
    """As of 12-30, K2's lost_date (12-31) is not known yet: retained; the second half is still open."""
    s1 = board(scorecard_db(tmp_path, **ORDERS), as_of="2026-12-30").loc["S1"]
    assert (s1.customers_at_start, s1.customers_lost) == (4, 1)
    assert float(s1.retention_rate) == 0.75
    # first halves closed (K1, K2, K4, K6: K4 met), the second halves open (5), K3's year open
    assert (s1.chief_visit_obligations, s1.chief_visit_met, s1.chief_visit_open) == (4, 1, 6)


def test_ranking_follows_the_chosen_rate(tmp_path):
    path = scorecard_db(tmp_path, **ORDERS)
    by_visit = board(path, rank_by="chief_visit")
    assert (by_visit.loc["S1", "rank"], by_visit.loc["M3", "rank"]) == (1, 2)  # 20% over 0%
    by_retention = board(path, rank_by="retention")
    assert (by_retention.loc["M3", "rank"], by_retention.loc["S1", "rank"]) == (1, 2)  # 100% over 50%
    by_orders = board(path, rank_by="returnvisits")
    assert (by_orders.loc["S1", "rank"], by_orders.loc["M3", "rank"]) == (1, 2)  # M3 has no rate: last


def test_no_data_without_lost_date_or_work_orders(tmp_path):
    """A customers file without the column and no work orders: retention and return visits are no data (null,
    and the page says so), never 100% or 0%; the other dimensions are measured as before."""
    plain = csv_text(HEADERS["customers"], [r[:-1] for r in CUSTOMERS])
    got = board(scorecard_db(tmp_path, customers_text=plain))
    s1 = got.loc["S1"]
    assert not s1.retention_measured and not s1.returnvisits_measured
    assert pd.isna(s1.retention_rate) and pd.isna(s1.customers_at_start) and pd.isna(s1.return_visit_rate)
    assert s1.customers == 6  # without lost dates, K3 is a customer too
    shown, notes = chiefs.shown(got.reset_index(), "not measured")
    assert "retention_rate" not in shown and "return_visit_rate" not in shown
    assert set(shown.business_development) == {"not measured"}
    assert notes == ["chief_business_not_measured", "chief_retention_no_data", "chief_returnvisits_no_data"]
    shown, notes = chiefs.shown(board(scorecard_db(tmp_path / "b", **ORDERS)).reset_index(), "x")
    assert {"retention_rate", "return_visit_rate"} <= set(shown.columns) and notes == ["chief_business_not_measured"]


def test_a_city_reader_sees_only_chiefs_of_its_city(tmp_path):
    path = scorecard_db(tmp_path, **ORDERS)
    assert list(board(path, scope=("2102", None)).index) == ["M3"]
    shenyang = board(path, scope=("2101", None))
    assert list(shenyang.index) == ["S1"] and shenyang.loc["S1", "customers"] == 5
    # a filter cannot widen the scope: Dalian's filter inside Shenyang's scope shows no chief with customers
    crossed = board(path, scope=("2101", None), city="2102")
    assert crossed.empty


@pytest.mark.parametrize(
    ("lost", "reason"),
    [
        ("2026-02-30", 'lost_date "2026-02-30" is not a valid date'),
        ("2019-12-31", "lost_date is before onboard_date"),
        ("2099-01-01", 'lost_date "2099-01-01" is after the import date'),
    ],
)
def test_a_bad_lost_date_is_quarantined_with_its_line(tmp_path, lost, reason):
    folder = write_export(tmp_path / "export")
    rows = [with_lost(cust("K1", "A", "M1")), with_lost(cust("K2", "A", "M1"), lost)]
    (folder / "customers.csv").write_text(csv_text(CUSTOMER_HEADER, rows), encoding="utf-8")
    con = db.connect(str(tmp_path / "bad.duckdb"))
    store.prepare(con)
    rep = importing.run_import(con, str(folder), today=dt.date(2027, 6, 30))
    customers = next(f for f in rep.files if f.file == "customers.csv")
    assert (customers.accepted, customers.quarantined) == (1, 1)
    line, why = con.execute("select line, reason from quarantine where file = 'customers.csv'").fetchone()
    assert line == 3 and why.startswith(reason)
    assert db.meta_get(con, "seen:customers.lost_date") == "customers.csv"
    con.close()


def test_lost_date_accepts_every_date_shape_and_chinese_header(tmp_path):
    folder = write_export(tmp_path / "export")
    header = (
        "集团编码,集团名称,客户等级,地市编码,区县编码,客户经理编码,首席客户经理编码,行业,集团成员数,入网日期,离网日期"
    )
    rows = ["K1,甲,A,2101,210102,M1,S1,other,10,2020-01-01,2026/3/5", "K2,乙,A,2101,210102,M1,S1,other,10,2020-01-01,"]
    (folder / "customers.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    con = db.connect(imported_db(tmp_path / "zh.duckdb", folder), read_only=True)
    got = dict(con.execute("select customer_id, lost_date from customers").fetchall())
    con.close()
    assert got == {"K1": dt.date(2026, 3, 5), "K2": None}


# ------------------------------------------------------------------------------------------ the manager page's tab
PROVINCE = auth.User("prov", "省管理员", "province")
DALIAN = auth.User("dl", "大连", "city", "2102")


@pytest.fixture
def dashboard_db(tmp_path):
    return scorecard_db(tmp_path, **ORDERS)


def chief_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "chief_visit_rate" in d.value.columns).set_index("manager_id")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_manager_page_has_the_chiefs_tab(dashboard, lang):
    """As of 2026-07-15 (the dashboard fixture's date), year 2026: the first halves closed (K1, K2, K4, K6; K4's
    met) → 25%; K1 lost on 1 January, K2's 31 December not yet known → retention 3 / 4; O1 on time, O2 missed."""
    # only the open tab runs: the compliance tab by default, none of the scorecard
    first = dashboard(PROVINCE, "managers", lang=lang)
    assert not first.exception and not any("chief_visit_rate" in d.value.columns for d in first.dataframe)
    at = dashboard(PROVINCE, "managers", lang=lang, view="chiefs")
    assert not at.exception, [e.value for e in at.exception]
    assert [t.label for t in at.tabs] == (
        ["服务达标", "首席客户经理考核"] if lang == "zh" else ["Service compliance", "Chief account managers"]
    )
    got = chief_table(at)
    assert list(got.index) == ["S1", "M3"]  # ranked by chief-visit compliance: 25% before 0%
    s1 = got.loc["S1"]
    assert (s1.customers, s1.chief_visit_obligations, s1.chief_visit_met) == (5, 4, 1)
    assert (s1.chief_visit_rate, s1.retention_rate, s1.return_visit_rate) == (25.0, 75.0, 50.0)
    assert (s1.complaints, s1.complaint_repeats) == (2, 1)
    assert set(got.business_development) == {
        "未衡量：导出文件不含收入数据" if lang == "zh" else "not measured: the exports carry no revenue"
    }
    assert any(
        ("业务发展未衡量" if lang == "zh" else "Business development is not measured") in i.value for i in at.info
    )


def test_a_city_reader_ranks_only_its_chiefs(dashboard):
    at = dashboard(DALIAN, "managers", view="chiefs")
    assert not at.exception
    assert list(chief_table(at).index) == ["M3"]
    # another city asked for in the URL is refused, and nothing of it is drawn
    at = dashboard(DALIAN, "managers", city="2101", view="chiefs")
    assert any("无权查看" in e.value for e in at.error) and not at.dataframe


def test_chief_compliance_counts_what_the_chief_is_responsible_for(tmp_path):
    """Standards that give A+ visits to the chief: K10's monthly visits are S1's, as chief, beside its chief
    visits; M1, chief of K9 (A) and its account manager, answers as chief for K9's two chief visits only — not
    for K9's twelve monthly visits, which are M1's as account manager."""
    rows = [
        r if not r.startswith("A+,visit,") else "A+,visit,2,1,chief_account_manager,," for r in DEFAULT_STANDARDS_ROWS
    ]
    path = imported_db(
        tmp_path / "roles.duckdb",
        customers=[cust("K9", "A", "M1", chief="M1"), cust("K10", "A+", "M1")],
        standards="\n".join([STANDARDS_HEADER, *rows]) + "\n",
    )
    got = board(str(path))
    assert got.loc["M1", "chief_visit_obligations"] == 2
    assert got.loc["S1", "chief_visit_obligations"] == 2 + 12


def test_a_customers_file_without_lost_date_keeps_the_stored_ones(tmp_path):
    """An export without the optional column says nothing about it: the stored lost dates stay, an otherwise equal
    row is a duplicate (not an update), and a changed row keeps its lost date."""
    path = scorecard_db(tmp_path, **ORDERS)
    folder = tmp_path / "again"
    plain = [r[:-1] for r in CUSTOMERS]
    plain[0] = [*plain[0][:1], "K1改名公司", *plain[0][2:]]  # K1 renamed
    write_export(folder, customers=plain, org=False)
    con = db.connect(path)
    rep = importing.run_import(con, str(folder), today=dt.date(2027, 6, 30))
    customers = next(f for f in rep.files if f.file == "customers.csv")
    assert (customers.updated, customers.duplicates) == (1, len(CUSTOMERS) - 1)
    got = dict(con.execute("select customer_id, lost_date from customers").fetchall())
    assert got["K1"] == dt.date(2026, 1, 1) and got["K2"] == dt.date(2026, 12, 31)
    assert con.execute("select customer_name from customers where customer_id = 'K1'").fetchone()[0] == "K1改名公司"
    con.close()
