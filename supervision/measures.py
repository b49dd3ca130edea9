"""The measures of SPEC §5 as the CLI, the pages and the tests read them.

Obligations are materialised (table `obligations`, built by queries/build/obligations.sql) for the calendar
years the data covers, whenever an import or a standards load changes what they depend on; a window or an
as-of date is only a filter on them. A window reaching outside the covered years is computed on the fly
into a temp table of the same name (it shadows the stored one for that connection only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from supervision import contract, db, standards

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
REPORT_QUERY = {
    "compliance": "reports/compliance",
    "greetings": "reports/greetings",
    "complaints": "reports/complaints",
    "overservice": "reports/overservice",
}


@dataclass(frozen=True)
class Scope:
    """Who is reading (SPEC §7): None = whole province."""

    city_code: str | None = None
    district_code: str | None = None


PROVINCE = Scope()


def rate(num: int, den: int) -> str:
    """num/den with 4 decimals, rounded half away from zero, in exact integer arithmetic; '' when den = 0."""
    if not den:
        return ""
    q = (num * 20000 + den) // (2 * den)
    return f"{q // 10000}.{q % 10000:04d}"


def _covered_years(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Years of obligations to materialise: from the first to one past the last year with service data."""
    lo, hi = con.execute("select year(min(service_time)), year(max(service_time)) from service_logs").fetchone()
    if lo is None:
        this = dt.date.today().year
        return this, this
    return int(lo), int(hi) + 1


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild standard_segments and obligations from the current standards version and stored data."""
    version = standards.current_version(con)
    con.execute("delete from main.standard_segments")
    con.execute(f"insert into main.standard_segments {db.sql('build/standard_segments')}", {"version": version})
    # a report outside the stored years leaves a temp table named obligations on this connection: drop it, so
    # that what is rebuilt is the stored table
    con.execute("drop table if exists temp.obligations")
    con.execute("drop table if exists temp.obligations_range")
    con.execute("delete from main.log_days")
    con.execute(f"insert into main.log_days {db.sql('build/log_days')}")
    y0, y1 = _covered_years(con)
    con.execute("delete from main.obligations")
    con.execute(f"insert into main.obligations {db.sql('build/obligations')}", {"year_from": y0, "year_to": y1})
    db.meta_set(con, "obligation_years", f"{y0}-{y1}")
    db.meta_set(con, "obligation_standards_version", str(version))
    db.meta_set(con, "data_version", str(con.execute("select coalesce(max(import_id), 0) from imports").fetchone()[0]))


def ensure_window(con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date) -> None:
    """Make `obligations` cover the window's years on this connection (temp table when outside the stored)."""
    stored = db.meta_get(con, "obligation_years")
    lo, hi = (int(x) for x in stored.split("-")) if stored else (0, -1)
    temp = con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = 'obligations'"
    ).fetchone()[0]
    if lo <= date_from.year and date_to.year <= hi:
        if temp:
            con.execute("drop table temp.obligations")
        return
    y0 = min(lo, date_from.year) if stored else date_from.year
    y1 = max(hi, date_to.year)
    if (
        temp
        and con.execute(
            "select count(*) from temp.obligations_range where y0 = $a and y1 = $b", {"a": y0, "b": y1}
        ).fetchone()[0]
    ):
        return
    con.execute(
        f"create or replace temp table obligations as {db.sql('build/obligations')}", {"year_from": y0, "year_to": y1}
    )
    con.execute(
        "create or replace temp table obligations_range as select $a::int as y0, $b::int as y1", {"a": y0, "b": y1}
    )


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
) -> tuple[list[str], list[list]]:
    """One §8 report: (header, rows) with key columns first, rows sorted by keys as text."""
    if measure not in REPORT_QUERY:
        raise ValueError(f"unknown measure {measure!r}: one of {', '.join(contract.MEASURES)}")
    if level not in contract.LEVEL_KEYS:
        raise ValueError(f"unknown level {level!r}: one of {', '.join(contract.LEVELS)}")
    as_of = as_of or as_of_default(con) or date_to
    ensure_window(con, date_from, date_to)
    res = con.execute(db.sql(REPORT_QUERY[measure]), {"level": level, **params(date_from, date_to, as_of, scope)})
    names = [d[0] for d in res.description]
    raw = [dict(zip(names, r)) for r in res.fetchall()]
    keys = contract.LEVEL_KEYS[level]
    header = keys + COUNT_COLUMNS[measure]
    zero = {c: 0 for c in names if c not in ("k1", "k2")}
    if level == "province" and not raw:
        raw = [{"k1": "", "k2": "", **zero}]
    rows = []
    for r in raw:
        key_values = [r["k1"], r["k2"]][: len(keys)]
        if measure in ("compliance", "greetings"):
            counts = [r["obligations"], r["met"], r["missed"], rate(r["met"], r["obligations"]), r["open"]]
        elif measure == "complaints":
            sat = r["very_satisfied"] + r["satisfied"]
            counts = [r[c] for c in COUNT_COLUMNS[measure][:-2]] + [rate(sat, sat + r["dissatisfied"]), r["open"]]
        else:
            counts = [r["records"]]
        rows.append(key_values + counts)
    rows.sort(key=lambda row: tuple(str(v) for v in row[: len(keys)]))
    return header, rows
