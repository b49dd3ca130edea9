"""What is materialised in the database, and the macros stored in it (SPEC §5; docs/design.md).

Every import and standards load rebuilds, in this order (each a query in queries/build/):
  standard_segments  which standard applies to each (city, tier, service) from which day on
  tier_spans         the tier of each customer on each day
  log_days           completed records per customer, service and day
  district_days      completed records per district and day (the data flags' latest record of a district)
  obligations        every frequency obligation of the covered years, with its period's completed records
  obligation_counts  obligations and met ones per (city, district, manager, tier, service, period)
  greeting_obligations  every birthday greeting obligation of the covered years, with its evidence
  complaint_facts    every complaint with its place, manager, tier, level and time limits, and (SPEC §12) its
                     category key, whether it repeats an earlier one and when the next of its kind came
  overservice_records  every completed record of a service the customer's tier is not entitled to
  followup_facts     every automatic return visit that needs a manual follow-up, with the first one after it
  work_order_facts   every work order (SPEC §12) with its place, manager, tier, first and latest reaching return
                     visit and its follow-ups as any later as-of date reads them
A window and an as-of date are only filters on these (periods are calendar-aligned). The year-bound tables hold
the years of the service data; a window that reaches outside them is computed on the fly, for its own years,
into temp tables of the same names on that connection.

The measure macros (queries/measures/*.sql) and the date parser (queries/import/parse_ts.sql) are stored in the
database, so a read-only connection or a cursor needs no preparation. `STAMP` names the code that built a file;
a file built by other code is rebuilt before it is read (supervision.store.open_reader).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb

from supervision import db

# scalar macros (the build uses them), then the table macros over the built tables (DuckDB checks a table
# macro's tables when it is created)
SCALAR_MACROS = ("import/parse_ts", "measures/dates", "measures/group_keys", "measures/rate", "measures/status_counts")
TABLE_MACROS = (
    "measures/window_counts",
    "measures/compliance_items",
    "measures/due_items",
    "measures/data_flags",
    "measures/greeting_items",
    "measures/complaint_items",
    "measures/overservice_items",
    "measures/return_visit_items",
    "measures/inspection_items",
    "measures/complaint_quality_items",
)
MACRO_FILES = SCALAR_MACROS + TABLE_MACROS
# (table, takes the covered years): built in this order, each from queries/build/<table>.sql
TABLES = (
    ("standard_segments", False),
    ("tier_spans", False),
    ("log_days", False),
    ("district_days", False),
    ("obligations", True),
    ("obligation_counts", False),
    ("greeting_obligations", True),
    ("complaint_facts", False),
    ("overservice_records", False),
    ("followup_facts", False),
    ("work_order_facts", False),
)
YEAR_TABLES = ("obligations", "obligation_counts", "greeting_obligations")  # what a window outside the years needs


def _stamp() -> str:
    h = hashlib.sha256()
    for name in ("schema", *MACRO_FILES, *(f"build/{t}" for t, _ in TABLES)):
        h.update(name.encode())
        h.update(db.sql(name).encode())
    return h.hexdigest()[:16]


STAMP = _stamp()


def define_macros(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = SCALAR_MACROS) -> None:
    for name in names:
        con.execute(db.sql(name))


def covered_years(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Years to materialise: from the first to the last year with service data (this year when none). A later
    year has no record yet (every obligation open): a window on it is built on the fly when someone asks."""
    lo, hi = con.execute("select year(min(service_time)), year(max(service_time)) from service_logs").fetchone()
    if lo is None:
        this = dt.date.today().year
        return this, this
    return int(lo), int(hi)


def rebuild(con: duckdb.DuckDBPyConnection, commit_steps: bool = False) -> None:
    """Rebuild every materialised table from the current standards version and the stored data.

    With `commit_steps` (only inside an open transaction on a private copy, see db.writing) each table is
    committed before the next reads it: DuckDB plans a query over a table created in the same transaction
    without its statistics, and the obligations build then ran twice as slow."""
    version = con.execute("select max(version) from standards_versions").fetchone()[0]
    y0, y1 = covered_years(con)
    define_macros(con, SCALAR_MACROS)
    for table in YEAR_TABLES:  # a report outside the stored years may have left temp tables on this connection
        con.execute(f"drop table if exists temp.{table}")
    con.execute("drop table if exists temp.window_years")
    for table, by_year in TABLES:
        params = {"year_from": y0, "year_to": y1} if by_year else {}
        if table == "standard_segments":
            params = {"version": version}
        con.execute(f"create or replace table main.{table} as {db.sql(f'build/{table}')}", params or None)
        if commit_steps:
            con.execute("commit")
            con.execute("begin transaction")
    define_macros(con, TABLE_MACROS)
    db.meta_set(con, "obligation_years", f"{y0}-{y1}")
    db.meta_set(con, "obligation_standards_version", str(version))
    db.meta_set(con, "data_version", str(con.execute("select coalesce(max(import_id), 0) from imports").fetchone()[0]))
    db.meta_set(con, "build_stamp", STAMP)


def stored_years(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    """The calendar years the year-bound tables hold."""
    stored = db.meta_get(con, "obligation_years")
    return tuple(int(x) for x in stored.split("-")) if stored else None


def ensure_window(
    con: duckdb.DuckDBPyConnection, date_from: dt.date, date_to: dt.date, years: tuple[int, int] | None = None
) -> None:
    """Make the year-bound tables cover the window's years on this connection: nothing to do inside the stored
    years; otherwise temp tables of the same names are built for the years needed (and reused while they do).
    `years`: the stored years when the caller knows them (a fresh cursor then needs no query at all)."""
    if years is not None and years[0] <= date_from.year and date_to.year <= years[1]:
        return
    stored = db.meta_get(con, "obligation_years")
    lo, hi = (int(x) for x in stored.split("-")) if stored else (0, -1)
    temp = con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = 'window_years'"
    ).fetchone()[0]
    if lo <= date_from.year and date_to.year <= hi:
        if temp:
            for table in (*YEAR_TABLES, "window_years"):
                con.execute(f"drop table if exists temp.{table}")
        return
    # the temp tables shadow the stored ones on this connection: they need only the window's own years
    y0, y1 = date_from.year, date_to.year
    if (
        temp
        and con.execute(
            "select count(*) from temp.window_years where y0 = $a and y1 = $b", {"a": y0, "b": y1}
        ).fetchone()[0]
    ):
        return
    for table in (*YEAR_TABLES, "window_years"):  # rebuilt from the stored tables, not from older temp ones
        con.execute(f"drop table if exists temp.{table}")
    for table in YEAR_TABLES:
        by_year = dict(TABLES)[table]
        params = {"year_from": y0, "year_to": y1} if by_year else None
        con.execute(f"create temp table {table} as {db.sql(f'build/{table}')}", params)
    con.execute("create temp table window_years as select $a::int as y0, $b::int as y1", {"a": y0, "b": y1})
