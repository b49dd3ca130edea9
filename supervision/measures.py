"""The measures of SPEC §5 as the CLI, the pages and the tests read them: `report` is the one code path of
`python -m supervision report` and of every number a page shows beside it.

The reports read what supervision/build.py materialised at the last import or standards load; a window and an
as-of date are filters on it (build.ensure_window covers windows outside the stored years).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from supervision import build, contract, db
from supervision.scope import PROVINCE, Scope

COUNT_COLUMNS = {
    "compliance": ["obligations", "met", "missed", "rate", "open"],
    "greetings": ["obligations", "met", "missed", "rate", "open"],
    "complaints": [
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
    ],
    "overservice": ["records"],
}
# columns a page shows beside a report's own (not printed by `report`): rates of the same rule
EXTRA_COLUMNS = {"complaints": ["resolved_on_time_rate"]}
REPORT_QUERY = {
    "compliance": "reports/compliance",
    "greetings": "reports/greetings",
    "complaints": "reports/complaints",
    "overservice": "reports/overservice",
}


def rate_text(value) -> str:
    """A rate as `report` prints it: the rate macro's DECIMAL(18,4) (queries/measures/rate.sql) with its 4
    decimals; '' when there is none (nothing closed)."""
    return "" if value is None else f"{value:.4f}"


def as_of_default(con: duckdb.DuckDBPyConnection) -> dt.date | None:
    """SPEC §8: the date of the latest service_time among stored service logs."""
    v = con.execute("select max(service_time)::date from service_logs").fetchone()[0]
    return v


def params(date_from: dt.date, date_to: dt.date, as_of: dt.date, scope: Scope = PROVINCE) -> dict:
    return {
        "date_from": date_from,
        "date_to": date_to,
        "as_of": as_of,
        "scope_city": scope.city_code,
        "scope_district": scope.district_code,
    }


def report(
    con: duckdb.DuckDBPyConnection,
    measure: str,
    level: str,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date | None = None,
    scope: Scope = PROVINCE,
    years: tuple[int, int] | None = None,
    extra: bool = False,
) -> tuple[list[str], list[list]]:
    """One §8 report: (header, rows) with key columns first, rows sorted by keys as text. `years`: the stored
    years when the caller knows them (see build.ensure_window). `extra`: also EXTRA_COLUMNS, at the end (the
    dashboard's; `report` prints exactly §8's columns)."""
    if measure not in REPORT_QUERY:
        raise ValueError(f"unknown measure {measure!r}: one of {', '.join(contract.MEASURES)}")
    if level not in contract.LEVEL_KEYS:
        raise ValueError(f"unknown level {level!r}: one of {', '.join(contract.LEVELS)}")
    as_of = as_of or as_of_default(con) or date_to
    build.ensure_window(con, date_from, date_to, years)
    res = con.execute(db.sql(REPORT_QUERY[measure]), {"level": level, **params(date_from, date_to, as_of, scope)})
    names = [d[0] for d in res.description]
    raw = [dict(zip(names, r)) for r in res.fetchall()]
    keys = contract.LEVEL_KEYS[level]
    more = EXTRA_COLUMNS.get(measure, []) if extra else []
    header = keys + COUNT_COLUMNS[measure] + more
    zero = {c: None if c.endswith("rate") else 0 for c in names if c not in ("k1", "k2")}  # no rate without data
    if level == "province" and not raw:
        raw = [{"k1": "", "k2": "", **zero}]
    rows = []
    for r in raw:
        key_values = [r["k1"], r["k2"]][: len(keys)]
        if measure in ("compliance", "greetings"):
            counts = [r["obligations"], r["met"], r["missed"], rate_text(r.get("rate")), r["open"]]
        elif measure == "complaints":
            counts = [r[c] for c in COUNT_COLUMNS[measure][:-2]] + [rate_text(r.get("satisfaction_rate")), r["open"]]
        else:
            counts = [r["records"]]
        rows.append(key_values + counts + [rate_text(r.get(c)) for c in more])
    rows.sort(key=lambda row: tuple(str(v) for v in row[: len(keys)]))
    return header, rows
