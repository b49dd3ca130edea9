"""The city page's two districts compared service by service (queries/views/district_pair.sql): each district's
numbers are those of the heatmap matrix at the district level, side by side.

The tiny case, worked out by hand. Standards: tier A one visit a month and one network test a half-year; tier B
one visit every two months. C1 (tier A, M1 → 2101/210102) was visited on 5 January and 10 March; C2 (tier B, M2
→ 2101/210103) on 10 February. Window 2026, as of 31 March:
  210102 visit: January, February and March are closed (3), April..December open (9); January and March met,
    February missed → 2 met, 1 missed, rate 2/3 = 0.6667.
  210102 network test: both half-years end after 31 March → nothing closed, 2 open, no rate.
  210103 visit: January–February closed and met (1), the five later two-month periods open → rate 1.0000.
  210103 network test: tier B has none → that side is empty.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import support
from support import cust, log

from supervision import db, measures

WINDOW = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 12, 31)}
SIDE = ("obligations", "met", "missed", "open", "rate")


@pytest.fixture(scope="module")
def pair_con(tmp_path_factory):
    path = support.imported_db(
        tmp_path_factory.mktemp("pair") / "pair.duckdb",
        customers=[cust("C1", "A", "M1"), cust("C2", "B", "M2")],
        logs=[
            log("L1", "C1", "visit", "2026-01-05 10:00"),
            log("L2", "C1", "visit", "2026-03-10 10:00"),
            log("L3", "C2", "visit", "2026-02-10 10:00", manager="M2"),
        ],
        standards=support.standards_text(
            "A,visit,1,1,account_manager,,",
            "A,network_test,1,6,account_manager,,",
            "B,visit,1,2,account_manager,,",
            defaults=False,
        ),
    )
    con = db.connect(path, read_only=True)
    yield con
    con.close()


def compare(con, a, b, city="2101", as_of=dt.date(2026, 3, 31), scope=measures.PROVINCE) -> dict:
    """service → ((a's obligations, met, missed, open, rate), (b's ...)), rates as `report` prints them."""
    res = con.execute(
        db.sql("views/district_pair"),
        {
            **WINDOW,
            "as_of": as_of,
            "city": city,
            "a_district": a,
            "b_district": b,
            "scope_city": scope.city_code,
            "scope_district": scope.district_code,
        },
    )
    names = [c[0] for c in res.description]
    rows = [dict(zip(names, r)) for r in res.fetchall()]

    def side(r, p):
        return tuple(measures.rate_text(r[f"{p}_{c}"]) if c == "rate" else r[f"{p}_{c}"] for c in SIDE)

    return {r["service_code"]: (side(r, "a"), side(r, "b")) for r in rows}


NONE = (None, None, None, None, "")
VISIT_102 = (3, 2, 1, 9, "0.6667")
VISIT_103 = (1, 1, 0, 5, "1.0000")
NETWORK_102 = (0, 0, 0, 2, "")


def test_two_districts_side_by_side_by_hand(pair_con):
    assert compare(pair_con, "210102", "210103") == {
        "network_test": (NETWORK_102, NONE),
        "visit": (VISIT_102, VISIT_103),
    }
    # the sides follow the pickers, rows stay in service order
    assert list(compare(pair_con, "210103", "210102").items()) == [
        ("network_test", (NONE, NETWORK_102)),
        ("visit", (VISIT_103, VISIT_102)),
    ]


def test_the_same_district_twice_fills_both_sides(pair_con):
    assert compare(pair_con, "210103", "210103") == {"visit": (VISIT_103, VISIT_103)}


def test_outside_the_city_or_the_scope_there_is_nothing(pair_con):
    assert compare(pair_con, "210102", "210103", city="2102") == {}
    assert compare(pair_con, "210102", "210103", scope=measures.Scope("2102")) == {}
    # a district reader sees its own side only
    assert compare(pair_con, "210102", "210103", scope=measures.Scope("2101", "210103")) == {"visit": (NONE, VISIT_103)}


def test_each_side_is_the_heatmap_row_of_its_district(examples_con):
    """On the conformance export, for every two districts of a city: the matrix's numbers, service by service."""
    params = {**WINDOW, "as_of": dt.date(2026, 7, 15), "scope_city": None, "scope_district": None}
    matrix = examples_con.execute(db.sql("views/matrix"), {**params, "level": "district", "city": None}).fetchall()
    cells = {(k2, service): tuple(rest) for _, k2, service, *rest in matrix}
    cities = {}
    for k1, k2, *_ in matrix:
        cities.setdefault(k1, set()).add(k2)
    checked = 0
    for city, districts in cities.items():
        for a, b in itertools.product(sorted(districts), repeat=2):
            res = examples_con.execute(
                db.sql("views/district_pair"), {**params, "city": city, "a_district": a, "b_district": b}
            ).fetchall()
            assert [r[0] for r in res] == sorted({s for d, s in cells if d in (a, b)})
            for service, *values in res:
                assert tuple(values[:5]) == cells.get((a, service), (None,) * 5)
                assert tuple(values[5:]) == cells.get((b, service), (None,) * 5)
                checked += 1
    assert checked > 20
