"""The audit explorer applies every filter it shows (first-use issue, item 2): for each view and each filter,
the rows shown are exactly the unfiltered rows that satisfy the filter; a filter a view cannot apply is not
shown for it."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision import auth, db

W = dict(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31), as_of=dt.date(2026, 7, 15))
COLUMN = {
    "city": "city_code",
    "district": "district_code",
    "manager": "manager_id",
    "tier": "tier",
    "service": "service_code",
    "status": "status",
    "customer": "customer_id",
}
APPLIES = {  # the audit page's own table, repeated here on purpose: the test states what must hold
    "obligations": ("city", "district", "manager", "customer", "tier", "service", "status"),
    "greetings": ("city", "district", "manager", "customer", "tier", "status"),
    "complaints": ("city", "district", "manager", "customer", "tier", "status"),
    "overservice": ("city", "district", "manager", "customer", "tier", "service"),
}
PROVINCE = auth.User("prov", "省", "province")


def run(con, view: str, **filters):
    text = db.sql(f"views/{view}")
    params = {
        **W,
        **dict.fromkeys(COLUMN),
        "concern": None,
        "limit": 10**9,
        "scope_city": None,
        "scope_district": None,
        **filters,
    }
    return con.execute(text, {k: v for k, v in params.items() if f"${k}" in text}).df()


CASES = [(view, f) for view, fs in APPLIES.items() for f in fs]


@pytest.mark.parametrize("view,filt", CASES, ids=[f"{v}-{f}" for v, f in CASES])
def test_every_filter_selects_exactly_the_rows_that_satisfy_it(examples_con, view, filt):
    everything = run(examples_con, view)
    col = COLUMN[filt]
    assert col in everything.columns, f"{view} rows carry no {col}: the filter could not be checked"
    values = everything[col].dropna().value_counts()
    assert len(values), f"the example data has no {view} to filter by {filt}"
    for value in list(values.index[:2]):
        got = run(examples_con, view, **{filt: value})
        want = everything[everything[col] == value]
        key = [
            c
            for c in (
                "customer_id",
                "service_code",
                "period_start",
                "member_id",
                "due_day",
                "complaint_id",
                "record_id",
            )
            if c in everything.columns
        ]
        assert sorted(map(tuple, got[key].astype(str).values)) == sorted(map(tuple, want[key].astype(str).values))
        assert len(got) < len(everything) or values.size == 1


def test_a_complaints_status_is_open_missed_or_met_by_its_steps(examples_con):
    rows = run(examples_con, "complaints")
    for r in rows.itertuples():
        steps = {r.first_contact_status, r.resolve_status, r.return_visit_status}
        assert r.status == ("open" if "open" in steps else "missed" if "late" in steps else "met")


@pytest.mark.parametrize(
    "view,shown,hidden",
    [
        ("obligations", {"客户等级", "服务", "状态"}, set()),
        ("greetings", {"客户等级", "状态"}, {"服务"}),
        ("complaints", {"客户等级", "状态"}, {"服务"}),
        ("overservice", {"客户等级", "服务"}, {"状态"}),
    ],
)
def test_the_page_shows_only_the_filters_a_view_applies(dashboard, view, shown, hidden):
    at = dashboard(PROVINCE, "audit", view=view)
    assert not at.exception
    labels = {s.label for s in at.selectbox}
    assert shown <= labels and not (hidden & labels)


def test_the_complaint_quality_filter_selects_exactly_its_complaints(examples_s12_db):
    """SPEC §12: repeats, escalations, and resolved complaints followed by another of their kind within 30 days."""
    con = db.connect(examples_s12_db, read_only=True)
    try:
        everything = run(con, "complaints")
        for concern, keep in (
            ("repeat", everything.repeat),
            ("escalated", everything.escalated),
            ("not_first_time", everything.first_time == "followed"),
        ):
            got = run(con, "complaints", concern=concern)
            assert sorted(got.complaint_id) == sorted(everything[keep].complaint_id), concern
            assert 0 < len(got) < len(everything)
    finally:
        con.close()


def test_the_district_and_status_filters_reach_the_records_views(dashboard, examples_con):
    """The defect as reported: with district and status set, the complaints and over-service views listed
    the whole city."""
    at = dashboard(PROVINCE, "audit", view="complaints", city="2102", district="210203", status="missed")
    assert not at.exception
    shown = at.dataframe[0].value if at.dataframe else None
    want = run(examples_con, "complaints", city="2102", district="210203", status="missed")
    assert (0 if shown is None else len(shown)) == len(want)
    everything = run(examples_con, "complaints", city="2102")
    assert len(want) < len(everything)
