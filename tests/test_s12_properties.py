"""Properties of SPEC §12's return-visit measure over random small exports (hypothesis): the SQL agrees order by
order with a straightforward Python reading of §12 (an oracle written from the SPEC's words, not from the SQL);
every counted order is in exactly one of on time / missed / open; the groups of every level add up to the
province; a city reader's province row is the city's row.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import cust, imported_db, order, visit
from test_properties import PROPERTY_SETTINGS

from supervision import db, measures
from supervision.scope import Scope

TYPES = ["install", "move", "remove", "repair"]
METHODS = ["auto_voice", "sms", "manual"]
RESULTS = ["very_satisfied", "satisfied", "dissatisfied", "unreachable"]
CUSTOMERS = [cust("C1", "A", "M1"), cust("C2", "B", "M2"), cust("C3", "C", "M3")]
W_FROM, W_TO = dt.date(2026, 3, 1), dt.date(2026, 5, 31)


@st.composite
def exports(draw):
    orders, visits = [], []
    for i in range(draw(st.integers(1, 8))):
        done = dt.datetime(2026, 2, 20) + dt.timedelta(minutes=30 * draw(st.integers(0, 5500)))  # 02-20 .. mid-June
        oid = f"O{i}"
        orders.append((oid, draw(st.sampled_from(["C1", "C2", "C3"])), draw(st.sampled_from(TYPES)), done))
        for j in range(draw(st.integers(0, 4))):
            at = done + dt.timedelta(minutes=30 * draw(st.integers(0, 300)))  # up to ~6 days later
            visits.append((f"V{i}_{j}", oid, at, draw(st.sampled_from(METHODS)), draw(st.sampled_from(RESULTS))))
    as_of = dt.date(2026, 3, 1) + dt.timedelta(days=draw(st.integers(0, 110)))
    return orders, visits, as_of


def oracle(orders, visits, as_of):
    """SPEC §12, read literally: {order: (status, same_day, satisfaction, followups, done, open)}."""
    out = {}
    for oid, _, kind, done in orders:
        day = done.date()
        if kind == "remove" or not (W_FROM <= day <= W_TO) or day > as_of:
            continue
        known = [v for v in visits if v[1] == oid and v[2].date() <= as_of]
        reach = sorted((v for v in known if v[4] != "unreachable"), key=lambda v: v[2])
        if reach and reach[0][2].date() <= day + dt.timedelta(days=3):
            status = "on_time"
        elif reach or day + dt.timedelta(days=3) <= as_of:
            status = "missed"
        else:
            status = "open"
        same_day = status == "on_time" and reach[0][2].date() == day
        satisfaction = max(reach, key=lambda v: (v[2], v[0]))[4] if reach else None
        need = [v for v in known if v[3] in ("auto_voice", "sms") and v[4] in ("unreachable", "dissatisfied")]
        done_n = open_n = 0
        for a in need:
            if any(
                m[3] == "manual" and m[2] > a[2] and m[2].date() <= a[2].date() + dt.timedelta(days=3) for m in known
            ):
                done_n += 1
            elif a[2].date() + dt.timedelta(days=3) > as_of:
                open_n += 1
        out[oid] = (status, same_day, satisfaction, len(need), done_n, open_n)
    return out


def fmt(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M")


@PROPERTY_SETTINGS
@given(exports())
def test_return_visits_agree_with_the_oracle(case):
    orders, visits, as_of = case
    with tempfile.TemporaryDirectory() as tmp:
        path = imported_db(
            Path(tmp) / "p.duckdb",
            customers=CUSTOMERS,
            work_orders=[order(o, c, k, fmt(t)) for o, c, k, t in orders],
            return_visits=[visit(v, o, fmt(t), m, r) for v, o, t, m, r in visits],
        )
        con = db.connect(path, read_only=True)
        try:
            rows = con.execute(
                "select order_id, status, same_day, satisfaction, followups, followups_done, followups_open "
                "from return_visit_items($f, $t, $a, null, null)",
                {"f": W_FROM, "t": W_TO, "a": as_of},
            ).fetchall()
            got = {r[0]: tuple(r[1:]) for r in rows}
            assert got == oracle(orders, visits, as_of)

            if not visits:  # orders without a single visit imported: no data, never 0% (test_s12_rules.py)
                with pytest.raises(measures.NoData):
                    measures.report(con, "returnvisits", "province", W_FROM, W_TO, as_of)
                return
            reports = {
                lv: measures.report(con, "returnvisits", lv, W_FROM, W_TO, as_of)[1]
                for lv in ("province", "city", "district", "manager", "tier", "service")
            }
            (prov,) = reports["province"]
            orders_n, on_time, same_day, missed, open_, fu, fu_done, fu_open = prov[:8]
            assert orders_n == on_time + missed + open_ == len(got)  # each counted order in exactly one
            assert same_day <= on_time and fu_done + fu_open <= fu
            for lv, rows_ in reports.items():  # every level adds up to the province, column by column
                keys = {"province": 0, "district": 2}.get(lv, 1)
                sums = [sum(r[keys + i] for r in rows_) for i in range(11)]
                assert sums == list(prov[:11]), lv
            for r in reports["city"]:
                _, scoped = measures.report(con, "returnvisits", "province", W_FROM, W_TO, as_of, Scope(city_code=r[0]))
                assert scoped == [r[1:]]
        finally:
            con.close()
