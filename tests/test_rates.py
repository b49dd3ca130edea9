"""One rate rule everywhere (structure issue): the rate macro (queries/measures/rate.sql) gives `report`, the
heatmap, the trend and the pages the same 4-decimal rate, rounded half away from zero, and a page shows it x100
with one decimal, rounded half away from zero from those 4 decimals. The case sits on both rounding edges:
1 met of 16 closed obligations is 0.0625 exactly — a float formatted with one decimal prints 6.2%, the page
must say 6.3% — and 1 of 32 is 0.03125, which `report` prints 0.0313 (banker's rounding would print 0.0312)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import support
from support import cust, log

from supervision import auth, db, display, measures

ROOT = Path(__file__).resolve().parent.parent
JAN = (dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 1, 31))  # window 2026, as of 31 January


@pytest.fixture(scope="module")
def edge_db(tmp_path_factory):
    """District 210102 (M1): 16 customers, one January visit among them; district 210202 (M3): 32 customers, one
    visit. The only standard: tier A, one visit a month. As of 2026-01-31 only January is closed."""
    folder = tmp_path_factory.mktemp("rates") / "export"
    customers = [cust(f"E{i:02d}", "A", "M1", chief="") for i in range(16)]
    customers += [cust(f"F{i:02d}", "A", "M3", chief="") for i in range(32)]
    logs = [log("L1", "E00", "visit", "2026-01-10 10:00"), log("L2", "F00", "visit", "2026-01-12 10:00", manager="M3")]
    return support.imported_db(
        folder.parent / "rates.duckdb",
        customers=customers,
        logs=logs,
        standards=support.standards_text("A,visit,1,1,account_manager,,", defaults=False),
    )


def cli(path, level):
    con = db.connect(path, read_only=True)
    try:
        header, rows = measures.report(con, "compliance", level, *JAN)
    finally:
        con.close()
    return [dict(zip(header, r)) for r in rows]


def test_report_rounds_half_away_from_zero_at_both_edges(edge_db):
    assert [(r["obligations"], r["met"], r["rate"]) for r in cli(edge_db, "province")] == [(48, 2, "0.0417")]
    by_district = {r["district_code"]: (r["obligations"], r["met"], r["rate"]) for r in cli(edge_db, "district")}
    assert by_district == {"210102": (16, 1, "0.0625"), "210202": (32, 1, "0.0313")}


def test_the_heatmap_and_trend_queries_carry_the_same_rate(edge_db):
    con = db.connect(edge_db, read_only=True)
    params = dict(date_from=JAN[0], date_to=JAN[1], as_of=JAN[2], scope_city=None, scope_district=None)
    try:
        matrix = con.execute(db.sql("views/matrix"), {**params, "level": "district", "city": None}).df()
        trend = con.execute(
            db.sql("views/trend"), {**params, "level": "district", "city": None, "district": None, "manager": None}
        ).df()
    finally:
        con.close()
    assert dict(zip(matrix.k2, matrix.rate.map(measures.rate_text))) == {"210102": "0.0625", "210202": "0.0313"}
    assert dict(zip(trend.k2, trend.rate.map(measures.rate_text))) == {"210102": "0.0625", "210202": "0.0313"}


def test_a_page_shows_the_cli_rate_rounded_half_away_from_zero(edge_db, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    assert f"{0.0625 * 100:.1f}%" == "6.2%"  # what formatting the float would show: the edge this test guards
    monkeypatch.setenv("SUPERVISION_DB", edge_db)
    monkeypatch.setenv("SUPERVISION_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("SUPERVISION_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    user = auth.add_user("li", "test-password-1", "city", "李", "2101")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["user"] = user
    at.query_params.update({"asof": "2026-01-31", "gran": "year", "year": "2026"})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    cards = {m.label: m.value for m in at.metric}
    assert cards["服务达标率"] == display.pct(float(cli(edge_db, "district")[0]["rate"])) == "6.3%"
    ranking = at.dataframe[0].value  # the district ranking of 大连's reader: the bar's value, x100, rounded
    assert list(ranking["rate"]) == [6.3]


@pytest.mark.parametrize(
    "rate,shown",
    [
        (0.0625, "6.3%"),
        (0.0313, "3.1%"),
        (0.7835, "78.4%"),
        (0.99995, "100.0%"),
        (None, "—"),
        (1.0, "100.0%"),
        (0.0, "0.0%"),
    ],
)
def test_percent_is_half_away_from_zero_from_the_four_decimals(rate, shown):
    assert display.pct(rate) == shown


def test_points_between_two_rates():
    assert display.points(0.7835, 0.7710) == "+1.3"  # 1.25 points: half away from zero
    assert display.points(0.7710, 0.7835) == "-1.3"
    assert display.points(None, 0.5) == ""
