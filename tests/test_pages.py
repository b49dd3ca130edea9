"""Every page under Streamlit's AppTest: it runs without an exception, and the numbers it shows are the CLI's
(measures.report) for the same window and as-of date. The browser tests in tests/browser do the rest."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision import auth, db, display, measures, pages

ROOT_SCRIPT = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "dashboard.py")
PAGES = list(pages.PATHS)
AS_OF = "2026-07-15"


PROVINCE = auth.User("prov", "省管理员", "province")


@pytest.fixture
def app(dashboard):
    """app(page, lang, user=PROVINCE, **params): a page as a province reader by default."""
    return lambda page, lang="zh", user=PROVINCE, **params: dashboard(user, page, lang=lang, **params)


def cli(examples_db: str, measure: str, level: str) -> dict:
    con = db.connect(examples_db, read_only=True)
    try:
        header, rows = measures.report(
            con, measure, level, dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 7, 15)
        )
    finally:
        con.close()
    return [dict(zip(header, r)) for r in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs(app, page, lang):
    at = app(page, lang, customer="JT2101001", city="2101", manager="JL210101")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"


def test_overview_numbers_are_the_cli_numbers(app, examples_db):
    at = app("overview")
    prov = cli(examples_db, "compliance", "province")[0]
    greet = cli(examples_db, "greetings", "province")[0]
    comp = cli(examples_db, "complaints", "province")[0]
    over = cli(examples_db, "overservice", "province")[0]
    shown = {m.label: m.value for m in at.metric}
    assert shown["服务达标率"] == display.pct(prov["rate"]) == "72.1%"
    assert shown["达标"] == str(prov["met"]) == "31"
    assert shown["未达标"] == str(prov["missed"]) == "12"
    assert shown["进行中"] == str(prov["open"]) == "59"
    assert shown["生日问候达标率"] == display.pct(greet["rate"]) == "62.5%"
    assert shown["办结及时"] == f"{comp['resolved_on_time'] / comp['complaints'] * 100:.1f}%" == "85.7%"
    assert shown["超标准服务记录"] == str(over["records"]) == "3"


def test_city_ranking_is_the_cli_city_report(app, examples_db):
    at = app("overview")
    table = at.dataframe[0].value
    by_city = {r["city_code"]: r for r in cli(examples_db, "compliance", "city")}
    assert set(table["city_code"]) == set(by_city)
    for _, row in table.iterrows():
        want = by_city[row["city_code"]]
        assert (row["obligations"], row["met"], row["missed"], row["open"]) == (
            want["obligations"],
            want["met"],
            want["missed"],
            want["open"],
        )
        assert row["rate"] == float(display.percent(want["rate"]))  # the CLI's rate x100, one decimal
    # ranked best first
    assert list(table["rate"]) == sorted(table["rate"], reverse=True)


def test_manager_scorecards_match_the_cli(app, examples_db):
    at = app("managers")
    cards = at.dataframe[0].value.set_index("manager_id")
    for r in cli(examples_db, "compliance", "manager"):
        row = cards.loc[r["manager_id"]]
        assert (row["obligations"], row["met"], row["missed"], row["open"]) == (
            r["obligations"],
            r["met"],
            r["missed"],
            r["open"],
        )


def test_audit_selects_exactly_the_missed_obligations(app, examples_db):
    at = app("audit", status="missed", city="2101")
    table = at.dataframe[0].value
    con = db.connect(examples_db, read_only=True)
    want = con.execute(
        "select count(*) from compliance_items(date '2026-01-01', date '2026-12-31', date '2026-07-15', null, null)"
        " where status = 'missed' and city_code = '2101'"
    ).fetchone()[0]
    con.close()
    assert len(table) == want > 0
    assert not any("上海" in str(v) for v in table.iloc[:, 0])  # nothing from elsewhere


def test_an_unknown_customer_says_so(app):
    at = app("customer", customer="JT0000000")
    assert not at.exception
    assert any("JT0000000" in w.value for w in at.warning)


def test_due_list_counts_what_is_missing_now(app, examples_db):
    at = app("due")
    table = at.dataframe[0].value
    con = db.connect(examples_db, read_only=True)
    params = {
        "as_of": dt.date(2026, 7, 15),
        "date_from": dt.date(2026, 1, 1),
        "date_to": dt.date(2026, 12, 31),
        "scope_city": None,
        "scope_district": None,
        "city": None,
        "district": None,
        "manager": None,
        "within": None,
        "limit": 10**9,
        "counts": False,
    }
    want = con.execute(db.sql("views/due"), params).df()
    both = con.execute(db.sql("views/due"), {**params, "limit": 3, "counts": True}).df()
    con.close()
    assert set(want.kind) == {"row"}
    assert len(table) == len(want) == 25
    assert int(table.iloc[:, table.columns.get_loc("missing")].sum()) == int(want.missing.sum())
    assert list(want.at_risk) == sorted(want.at_risk, reverse=True)  # at risk first
    # the cards and the chart are counted in SQL by the same query (kind 'total', 'count'): the same selection
    assert list(both.kind) == ["row"] * 3 + ["count"] * (len(both) - 4) + ["total"]
    counted = both[both.kind == "count"].set_index(["days_left", "tier"])
    by_group = want.groupby(["days_left", "tier"])
    assert counted.obligations.to_dict() == by_group.size().to_dict()
    assert counted.missing_records.to_dict() == by_group.missing.sum().to_dict()
    assert counted.at_risk_obligations.to_dict() == by_group.at_risk.sum().to_dict()
    cards = [m.value for m in at.metric]
    assert cards == [
        f"{len(want):,}",
        f"{int(want.at_risk.sum()):,}",
        f"{int(want.missing.sum()):,}",
        f"{int((want.days_left <= 7).sum()):,}",
        f"{want.customer_id.nunique():,}",
    ]


@pytest.mark.parametrize("page", ["overview", "due", "managers", "city"])
def test_an_as_of_date_before_the_first_record_is_a_clear_empty_state(app, page):
    """SPEC §10 bad input: nothing was recorded yet, so no rate, pace or flag is shown — a sentence says why."""
    at = app(page, asof="2020-01-01")
    assert not at.exception
    assert any("早于第一条服务记录" in i.value for i in at.info)
    assert not at.dataframe and not at.metric
