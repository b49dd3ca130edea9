"""The SPEC §12 pages under Streamlit's AppTest on the §12 conformance export: the numbers are the CLI's, drill-down
reaches the orders and their visits and the inspections behind a period, the reader's scope holds, and a province
without the files sees "no data" (tests/browser/test_s12_ui.py draws them in Chromium)."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision import auth, db, display, measures
from supervision.scope import Scope

PROVINCE = auth.User("prov", "省管理员", "province")
CITY = auth.User("li", "李", "city", "2101")
DISTRICT = auth.User("wang", "王", "district", "2102", "210203")


@pytest.fixture
def dashboard_db(examples_s12_db):
    return examples_s12_db


def cli(path, measure, level, scope=measures.PROVINCE):
    con = db.connect(path, read_only=True)
    try:
        header, rows = measures.report(
            con, measure, level, dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 7, 15), scope
        )
    finally:
        con.close()
    return [dict(zip(header, r)) for r in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", ["returnvisits", "inspections"])
def test_pages_run(dashboard, page, lang):
    at = dashboard(PROVINCE, page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.dataframe


def test_return_visit_numbers_are_the_cli_numbers(dashboard, examples_s12_db):
    at = dashboard(PROVINCE, "returnvisits")
    prov = cli(examples_s12_db, "returnvisits", "province")[0]
    shown = {m.label: m.value for m in at.metric}
    assert shown["工单数"] == str(prov["orders"]) == "8"
    assert shown["按时回访率"] == "71.4%"  # 5 on time of 7 closed (1 open): the rate macro, one decimal
    assert shown["当天回访"] == str(prov["same_day"]) == "2"
    assert shown["未达标"] == str(prov["missed"]) == "2"
    assert shown["已跟进"] == "2 / 5"
    assert shown["满意率"] == display.pct(prov["satisfaction_rate"]) == "83.3%"
    ranking = at.dataframe[0].value  # best on-time rate first
    assert list(ranking["code"]) == ["2102", "2101"] and list(ranking["name"]) == ["大连", "沈阳"]
    by_city = {r["city_code"]: r for r in cli(examples_s12_db, "returnvisits", "city")}
    for _, row in ranking.iterrows():
        want = by_city[row["code"]]
        assert [row[c] for c in ("orders", "on_time", "missed", "open", "followups_done")] == [
            want[c] for c in ("orders", "on_time", "missed", "open", "followups_done")
        ]
        assert row["satisfaction_rate"] == float(display.percent(want["satisfaction_rate"]))


def test_return_visit_order_list_and_its_visits(dashboard):
    at = dashboard(PROVINCE, "returnvisits", status="missed")
    orders = at.dataframe[-1].value
    assert list(orders["order_id"]) == ["WO02", "WO06"]  # the missed ones, oldest first
    assert orders["days_to_visit"].iloc[0] == 4 and orders["days_to_visit"].isna().iloc[1]
    at2 = dashboard(PROVINCE, "returnvisits", status="followup_open")
    assert list(at2.dataframe[-1].value["order_id"]) == ["WO05"]


def test_a_city_reader_sees_only_its_city(dashboard, examples_s12_db):
    at = dashboard(CITY, "returnvisits")
    assert not at.exception
    mine = cli(examples_s12_db, "returnvisits", "province", Scope(city_code="2101"))[0]
    assert {m.label: m.value for m in at.metric}["工单数"] == str(mine["orders"]) == "2"
    denied = dashboard(CITY, "returnvisits", city="2102")
    assert any("2102" in e.value for e in denied.error)
    assert not denied.metric
    insp = dashboard(CITY, "inspections", level="city")
    assert not insp.exception
    assert set(insp.dataframe[-1].value["city_code"]) == {"2101"}  # the inspection records
    assert len(insp.dataframe[0].value) == 3


def test_inspections_page_numbers(dashboard, examples_s12_db):
    at = dashboard(PROVINCE, "inspections")
    levels = at.dataframe[0].value
    want = {r["service_code"]: r for r in cli(examples_s12_db, "inspections", "service")}
    assert len(levels) == 3
    for _, row in levels.iterrows():
        code = {"装维中心": "centre", "地市公司": "city", "省公司": "province"}[row["inspection_level"]]
        assert (row["met"], row["missed"], row["open"]) == tuple(want[code][c] for c in ("met", "missed", "open"))
    missed = at.dataframe[1].value  # the centre months missed (the default level)
    assert sorted(zip(missed["district_code"], missed["period_start"].astype(str).str[:7])) == [
        ("210103", "2026-06"),
        ("210202", "2026-04"),
        ("210202", "2026-05"),
        ("210202", "2026-06"),
        ("210203", "2026-01"),
    ]


def test_a_district_reader_sees_its_centre_only(dashboard):
    at = dashboard(DISTRICT, "inspections")
    assert not at.exception
    records = at.dataframe[-1].value
    assert set(records["district_code"]) == {"210203"}


def test_no_data_without_the_files(dashboard, examples_db, monkeypatch):
    monkeypatch.setenv("SUPERVISION_DB", examples_db)
    for page in ("returnvisits", "inspections"):
        at = dashboard(PROVINCE, page)
        assert not at.exception
        assert any("没有数据" in i.value for i in at.info), page
        assert not at.metric and not at.dataframe


def test_overview_shows_complaint_quality_beside_the_complaints(dashboard, examples_s12_db):
    at = dashboard(PROVINCE, "overview")
    assert not at.exception
    q = cli(examples_s12_db, "complaintquality", "province")[0]
    card = next(m for m in at.metric if m.label == "一次解决率")
    assert card.value == display.pct(q["first_time_rate"]) == "60.0%"
    assert "重复 3" in card.delta and "越级 2" in card.delta


def test_audit_complaints_behind_a_repeat(dashboard):
    """The audit explorer's complaints, narrowed to the repeats, each with the earlier complaint it repeats."""
    at = dashboard(PROVINCE, "audit", view="complaints", concern="repeat")
    assert not at.exception
    rows = at.dataframe[0].value
    assert list(rows["complaint_id"]) == ["TS26020019", "TS26050003", "TS26070003"]
    assert list(rows["repeats_of"]) == ["TS26020003", "TS26040006", "TS26060021"]
    esc = dashboard(PROVINCE, "audit", view="complaints", concern="escalated").dataframe[0].value
    assert sorted(esc["complaint_id"]) == ["TS26040006", "TS26060002"]
    again = dashboard(PROVINCE, "audit", view="complaints", concern="not_first_time").dataframe[0].value
    assert sorted(again["complaint_id"]) == ["TS26020003", "TS26040006", "TS26050009", "TS26060021"]


def test_city_and_manager_pages_show_complaint_quality(dashboard, examples_s12_db):
    at = dashboard(PROVINCE, "city", city="2102")
    assert not at.exception
    want = {
        r["district_code"]: r for r in cli(examples_s12_db, "complaintquality", "district") if r["city_code"] == "2102"
    }
    table = next(d.value for d in at.dataframe if "first_time_rate" in d.value.columns)
    assert list(table["name"]) == ["中山区", "西岗区"]
    assert list(table["complaints"]) == [want["210202"]["complaints"], want["210203"]["complaints"]] == [2, 4]
    topics = next(d.value for d in at.dataframe if "topic" in d.value.columns and "repeat" in d.value.columns)
    assert dict(zip(topics["topic"], topics["complaints"])) == {"未分类": 2, "服务态度": 2, "网络质量": 2}
    assert dict(zip(topics["topic"], topics["repeat"])) == {"未分类": 0, "服务态度": 1, "网络质量": 0}
    mgr = dashboard(PROVINCE, "managers", manager="JL210202")
    assert not mgr.exception
    cards = {m.label: m.value for m in mgr.metric}
    assert (cards["投诉数"], cards["一次解决率"], cards["重复投诉"], cards["越级投诉"]) == ("3", "66.7%", "1", "1")
