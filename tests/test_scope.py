"""Scope is enforced where the data is queried (SPEC §7): every query takes the reader's scope, a city user
cannot reach another city's rows by any URL, filter, export or cached result, and auditors cannot write."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import support

from supervision import auditlog, auth, db, measures, ui
from supervision.measures import Scope

ROOT = Path(__file__).resolve().parent.parent
VIEWS = sorted((ROOT / "queries" / "views").glob("*.sql"))
CUSTOMER_DATA = re.compile(
    r"\b(customers|obligations|obligation_counts|window_counts|greeting_obligations|complaint_facts|"
    r"overservice_records|log_days|district_days|tier_spans|compliance_items|greeting_items|complaint_items|"
    r"overservice_items|service_logs|complaints|org_units|managers|work_orders|return_visits|inspections|"
    r"work_order_facts|followup_facts|return_visit_items|inspection_items|complaint_quality_items)\b"
)
UNSCOPED = {
    "customer_exists.sql",
    "imports.sql",
    "quarantine.sql",
    "standards.sql",
    "standards_versions.sql",
    "settings.sql",
    "complaint_levels.sql",
    "tiers.sql",
    "config_versions.sql",
}
CITY = auth.User("li", "李", "city", "2101")
DISTRICT = auth.User("wang", "王", "district", "2102", "210203")
AUDITOR = auth.User("audit", "审计", "auditor")
PROVINCE = auth.User("prov", "省", "province")
W = dict(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31), as_of=dt.date(2026, 7, 15))


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: p.name)
def test_every_query_on_customer_data_takes_the_scope(path):
    text = path.read_text(encoding="utf-8")
    if path.name in UNSCOPED:
        # these read no customer rows (configuration, import bookkeeping) or return an id only
        assert path.name == "customer_exists.sql" or not re.search(r"\bfrom customers\b", text)
        return
    assert CUSTOMER_DATA.search(text), f"{path.name} reads no customer data: add it to UNSCOPED"
    assert "$scope_city" in text and "$scope_district" in text


def _params(text: str, scope: Scope) -> dict:
    values = {
        **W,
        "level": "city",
        "city": None,
        "district": None,
        "a_district": "210102",  # two districts compared (district_pair.sql): one of each city
        "b_district": "210203",
        "manager": None,
        "tier": None,
        "service": None,
        "status": None,
        "customer": None,
        "concern": None,
        "q": "",
        "limit": 100000,
        "within": None,
        "counts": True,  # the due list's counts come with its rows: both from the scoped selection
        "version": 2,
        "import_id": None,
        "scope_city": scope.city_code,
        "scope_district": scope.district_code,
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 12, 31),
        "grain": "week",
        "order_id": "WO05",  # an order of city 2102 (the §12 example)
        "rank_by": "chief_visit",
    }
    if "$period_start" in text or "where c.customer_id = $customer" in text:  # one customer's evidence / card
        values.update(customer="JT2101001", service="visit")
    return {k: v for k, v in values.items() if f"${k}" in text}


# rows that are managers: their city_code is where the manager sits, and a chief account manager from another
# city appears when responsible for a customer in the scope
PLACEMENT = {"managers.sql", "scorecards.sql", "chief_scorecard.sql"}


@pytest.fixture(scope="module")
def s12_con(examples_s12_db):
    """The §12 example: the §3–§5 export plus work orders, return visits and inspections (a superset)."""
    con = db.connect(examples_s12_db, read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("path", [p for p in VIEWS if p.name not in UNSCOPED], ids=lambda p: p.name)
@pytest.mark.parametrize("scope", [Scope("2101"), Scope("2102", "210203")], ids=["city", "district"])
def test_scoped_queries_return_only_rows_of_the_scope(s12_con, path, scope):
    examples_con = s12_con
    text = path.read_text(encoding="utf-8")
    scoped = examples_con.execute(text, _params(text, scope)).df()
    everything = examples_con.execute(text, _params(text, Scope())).df()
    if path.name in PLACEMENT:
        responsible = (
            examples_con.execute(
                "select distinct unnest([manager_id, chief_manager_id]) as m from customers "
                "where city_code = $c and ($d is null or district_code = $d)",
                {"c": scope.city_code, "d": scope.district_code},
            )
            .df()
            .m
        )
        placed = (
            examples_con.execute(
                "select manager_id from managers where city_code = $c and ($d is null or district_code = $d)",
                {"c": scope.city_code, "d": scope.district_code},
            )
            .df()
            .manager_id
        )
        assert set(scoped.manager_id) - {""} <= set(responsible) | set(placed)
        return
    if "city_code" in scoped:
        assert set(scoped.city_code.dropna()) <= {scope.city_code}
    if "district_code" in scoped and scope.district_code:
        assert set(scoped.district_code.dropna()) <= {scope.district_code}
    if "customer_id" in scoped and len(everything):
        customers = (
            examples_con.execute(
                "select customer_id from customers where city_code = $c and ($d is null or district_code = $d)",
                {"c": scope.city_code, "d": scope.district_code},
            )
            .df()
            .customer_id
        )
        listed = scoped[scoped.kind == "row"] if path.name == "due.sql" else scoped  # its count rows name none
        assert set(listed.customer_id) <= set(customers)
    if path.name == "due.sql":  # its counts are of the scoped rows, not of the province's
        rows = scoped[scoped.kind == "row"]
        assert scoped[scoped.kind == "total"].obligations.tolist() == [len(rows)]
        assert len(rows) < len(everything[everything.kind == "row"])
    assert len(scoped) <= len(everything)


@pytest.mark.parametrize(
    "measure",
    ["compliance", "greetings", "complaints", "overservice", "returnvisits", "inspections", "complaintquality"],
)
def test_a_scoped_report_is_the_scope_row_of_the_province_report(s12_con, measure):
    examples_con = s12_con
    args = (W["date_from"], W["date_to"], W["as_of"])
    _, cities = measures.report(examples_con, measure, "city", *args)
    _, scoped = measures.report(examples_con, measure, "city", *args, scope=Scope("2101"))
    assert scoped == [r for r in cities if r[0] == "2101"]
    _, districts = measures.report(examples_con, measure, "district", *args, scope=Scope("2102", "210203"))
    assert {r[1] for r in districts} <= {"210203"}


def test_a_cached_province_result_is_never_served_to_a_city_user(examples_db, monkeypatch):
    monkeypatch.setenv("SUPERVISION_DB", examples_db)
    everything = ui.query("views/org_units", Scope())
    city = ui.query("views/org_units", Scope("2101"))  # same query, cached just before for the province
    assert set(everything.city_code) == {"2101", "2102"}
    assert set(city.city_code) == {"2101"}


@pytest.fixture
def app(dashboard):
    return dashboard


def test_no_sign_in_no_data(app):
    at = app(None)
    assert not at.exception
    assert not at.dataframe and not at.metric
    assert "users.json" in " ".join(w.value for w in at.warning).replace("\\", "")  # how to create the first user


def test_a_city_user_sees_only_its_city(app):
    at = app(CITY)
    assert not at.exception
    assert "沈阳" in at.title[0].value and "全省" not in at.title[0].value  # its own overview, titled for it
    ranking = at.dataframe[0].value  # its districts, ranked
    assert ranking.district_code.str.startswith("2101").all() and len(ranking)
    assert "李" in " ".join(c.value for c in at.caption)


def test_a_district_users_overview_is_its_district_and_its_rows_mean_what_they_say(app, examples_con):
    at = app(DISTRICT)
    assert not at.exception
    assert "西岗区" in at.title[0].value and "全省" not in at.title[0].value
    ranking = at.dataframe[0].value  # the district's managers, with the numbers of `report --by manager`
    _, rows = measures.report(
        examples_con, "compliance", "manager", W["date_from"], W["date_to"], W["as_of"], Scope("2102", "210203")
    )
    assert sorted(ranking.manager_id) == sorted(r[0] for r in rows)
    by_id = {r[0]: r for r in rows}
    for r in ranking.itertuples():
        assert (r.obligations, r.met, r.missed) == tuple(by_id[r.manager_id][1:4])


@pytest.mark.parametrize(
    "page,params",
    [
        ("city", {"city": "2102"}),
        ("managers", {"district": "210203"}),
        ("audit", {"manager": "JL210201"}),
        ("customer", {"customer": "JT2102001"}),
        ("due", {"city": "2102"}),
    ],
)
def test_another_citys_url_is_not_permitted_and_logged(app, page, params):
    at = app(CITY, page, **params)
    assert not at.exception
    assert any("无权查看" in e.value for e in at.error)
    assert not at.dataframe and not at.metric
    denied = [e for e in auditlog.verify().entries if e["action"] == "denied"]
    assert denied and denied[-1]["user"] == "li" and list(params.values())[0] in denied[-1]["detail"]["what"]


def test_a_district_user_cannot_open_a_sibling_district(app):
    assert any("无权查看" in e.value for e in app(DISTRICT, "managers", district="210202").error)
    at = app(DISTRICT, "managers")
    assert not at.exception and not at.error
    cards = at.dataframe[0].value
    # 210203's customers C4 and C6: account manager JL210202, chief SX210001 (who sits in 沈阳)
    assert set(cards.manager_id) == {"JL210202", "SX210001"}


def test_filters_offer_only_the_scope(app):
    at = app(CITY, "audit")
    city_box = at.selectbox(key="_url_city")
    assert set(city_box.options) - {"全部"} == {"沈阳"}


def test_auditors_cannot_import_or_load_standards(app):
    at = app(AUDITOR, "standards")
    assert not at.exception
    assert any("只读" in c.value for c in at.caption)
    assert not at.get("file_uploader")
    with pytest.raises(Exception, match="data_import"):  # the import page is not registered for an auditor
        app(AUDITOR, "data_import")
    at = app(AUDITOR, "audit_log")
    assert not at.exception


def test_every_page_view_is_logged_with_its_filters(app):
    app(PROVINCE, "audit", status="missed")
    views = [e for e in auditlog.verify().entries if e["action"] == "view"]
    assert views[-1]["user"] == "prov" and views[-1]["detail"]["params"].get("status") == "missed"


def test_writes_are_refused_to_readers_that_may_not_write(monkeypatch):
    import streamlit as st

    for who in (AUDITOR, CITY, None):
        monkeypatch.setattr(st, "session_state", {"user": who} if who else {})
        with pytest.raises(PermissionError):
            ui.require_writer()


def test_upgrade_candidates_follow_the_tier_check(examples_con):
    # C6 (medical → A by industry) held B until 2026-04-20: a candidate on the 19th, not after
    params = {"as_of": dt.date(2026, 4, 19), "scope_city": None, "scope_district": None, "limit": None}
    before = examples_con.execute(db.sql("views/upgrade_candidates"), params).df()
    assert list(before.customer_id) == ["JT2102003"]
    assert list(before.candidates) == [1]
    assert before.iloc[0].held_tier == "B" and before.iloc[0].qualifies_for == "A" and before.iloc[0].by_industry
    after = examples_con.execute(db.sql("views/upgrade_candidates"), {**params, "as_of": dt.date(2026, 7, 15)}).df()
    assert after.empty
    assert isinstance(after, pd.DataFrame)


def test_upgrade_candidates_shown_first_are_counted_in_all(tmp_path):
    # the overview shows the first rows and says how many there are in all, in its scope: both from one query
    con = support.imported_db(tmp_path / "s.duckdb", ROOT / "sample_data" / "small", clean=False, close=False)
    city = con.execute("select min(city_code) from customers").fetchone()[0]
    params = {"as_of": dt.date(2026, 11, 20), "scope_city": city, "scope_district": None}
    every = con.execute(db.sql("views/upgrade_candidates"), {**params, "limit": None}).df()
    first = con.execute(db.sql("views/upgrade_candidates"), {**params, "limit": 3}).df()
    con.close()
    assert len(every) > 3 and set(every.city_code) == {city}
    assert first.equals(every.head(3))
    assert set(first.candidates) == {len(every)}
