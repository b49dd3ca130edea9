"""The measures of SPEC §5 as the CLI, the pages and the tests read them: `report` is the one code path of
`python -m supervision report` and of every number a page shows beside it.

The reports read what supervision/build.py materialised at the last import or standards load; a window and an
as-of date are filters on it (build.ensure_window covers windows outside the stored years).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from supervision import build, contract, db, i18n
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
    # SPEC §12
    "returnvisits": [
        "orders",
        "on_time",
        "same_day",
        "missed",
        "open",
        "followups",
        "followups_done",
        "followups_open",
        "very_satisfied",
        "satisfied",
        "dissatisfied",
        "satisfaction_rate",
    ],
    "inspections": ["obligations", "met", "missed", "rate", "open"],
    "complaintquality": [
        "complaints",
        "repeat",
        "escalated",
        "resolved",
        "first_time",
        "first_time_open",
        "first_time_rate",
    ],
}
# columns a page shows beside a report's own (not printed by `report`): rates of the same rule
EXTRA_COLUMNS = {"complaints": ["resolved_on_time_rate"], "returnvisits": ["on_time_rate"]}
REPORT_QUERY = {
    "compliance": "reports/compliance",
    "greetings": "reports/greetings",
    "complaints": "reports/complaints",
    "overservice": "reports/overservice",
    "returnvisits": "reports/returnvisits",
    "inspections": "reports/inspections",
    "complaintquality": "reports/complaintquality",
}


class NoData(Exception):
    """A §12 measure whose file was never imported (or holds no row): "no data", never 0% or 100%."""


# what a §12 measure needs (tables, and how a reader is told which file is missing): return visits need both
# files — orders without their visits would read as every order missed, 0%
NEEDS = {
    "returnvisits": (("work_orders", "work_orders.csv [装维工单]"), ("return_visits", "return_visits.csv [回访记录]")),
    "inspections": (("inspections", "inspections.csv [质量检查]"),),
}


def missing_file(measure: str, rows: dict[str, int]) -> str | None:
    """The first file a §12 measure needs whose table holds no row (`rows`: table → rows), or None."""
    return next((label for table, label in NEEDS.get(measure, ()) if not rows.get(table)), None)


def table_rows(con: duckdb.DuckDBPyConnection, measure: str) -> dict[str, int]:
    """For each table a §12 measure needs: 1 when it holds a row, else 0."""
    return {
        t: con.execute(f"select count(*) from (select 1 from {t} limit 1)").fetchone()[0]
        for t, _ in NEEDS.get(measure, ())
    }


def no_data(measure: str, label: str) -> NoData:
    return NoData(f"no data: {label} has never been imported, so {measure} cannot be measured")


def header(measure: str, level: str) -> list[str]:
    """The columns `report` prints: the level's key columns, then the measure's (also the whole output of "no
    data")."""
    return contract.LEVEL_KEYS[level] + COUNT_COLUMNS[measure]


def report_query(measure: str, level: str, date_from, date_to, as_of, scope: Scope) -> tuple[str, dict]:
    """The report's SQL file (name) and its parameters, for either engine. A report query may also take a page's
    filters (reports/returnvisits.sql): `report` leaves them all open."""
    name = REPORT_QUERY[measure]
    text = db.sql(name)
    filters = {k: None for k in ("city", "district", "manager", "service") if f"${k}" in text}
    return name, {"level": level, **params(date_from, date_to, as_of, scope), **filters}


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


def check(measure: str, level: str) -> None:
    """Raise ValueError naming the choices for an unknown measure or level."""
    if measure not in REPORT_QUERY:
        raise ValueError(f"unknown measure {measure!r}: one of {', '.join(REPORT_QUERY)}")
    if level not in contract.LEVEL_KEYS:
        raise ValueError(f"unknown level {level!r}: one of {', '.join(contract.LEVELS)}")
    if level in contract.REFUSED_LEVELS.get(measure, ()):
        allowed = [lv for lv in contract.LEVELS if lv not in contract.REFUSED_LEVELS[measure]]
        raise ValueError(
            f"{measure} belong to places, not to managers or tiers: --by {level} is not a level of this measure "
            f"(one of {', '.join(allowed)})"
        )


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
    check(measure, level)
    missing = missing_file(measure, table_rows(con, measure))
    if missing:
        raise no_data(measure, missing)
    as_of = as_of or as_of_default(con) or date_to
    build.ensure_window(con, date_from, date_to, years)
    name, values = report_query(measure, level, date_from, date_to, as_of, scope)
    res = con.execute(db.sql(name), values)
    return shape_report(measure, level, [d[0] for d in res.description], res.fetchall(), extra)


def shape_report(
    measure: str, level: str, names: list[str], result: list[tuple], extra: bool = False
) -> tuple[list[str], list[list]]:
    """The rows of queries/reports/<measure>.sql (columns `names`) as §8 prints them: key columns, then the
    measure's counts with rates as text; one row of zeros for a province with nothing; sorted by keys as text.
    Every engine's result goes through here (DuckDB's above, Spark's in supervision/spark.py)."""
    raw = [dict(zip(names, r)) for r in result]
    keys = contract.LEVEL_KEYS[level]
    more = EXTRA_COLUMNS.get(measure, []) if extra else []
    columns = header(measure, level) + more
    zero = {c: None if c.endswith("rate") else 0 for c in names if c not in ("k1", "k2")}  # no rate without data
    if level == "province" and not raw:
        raw = [{"k1": "", "k2": "", **zero}]
    rows = []
    for r in raw:
        key_values = [r["k1"], r["k2"]][: len(keys)]
        counts = [rate_text(r.get(c)) if c.endswith("rate") else r[c] for c in COUNT_COLUMNS[measure]]
        rows.append(key_values + counts + [rate_text(r.get(c)) for c in more])
    rows.sort(key=lambda row: tuple(str(v) for v in row[: len(keys)]))
    return columns, rows


DUE_COLUMNS = [
    "at_risk",
    "shortfall",
    "days_left",
    "days_elapsed",
    "city_code",
    "city_name",
    "district_code",
    "district_name",
    "manager_id",
    "manager_name",
    "save_order",
    "customer_id",
    "customer_name",
    "tier",
    "service_code",
    "n",
    "completed",
    "missing",
    "pace",
    "need_by_end",
    "period_start",
    "period_end",
]


def due(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date | None = None,
    scope: Scope = PROVINCE,
    city: str | None = None,
    district: str | None = None,
    manager: str | None = None,
    within: int | None = None,
) -> tuple[list[str], list[list]]:
    """The due list with pace and at-risk (SPEC §10; queries/measures/due_items.sql), at-risk first, as
    `python -m supervision due` prints it: the periods running on the as-of date (default: the data's);
    `within`: only obligations with at most that many days left."""
    as_of = as_of or as_of_default(con)
    if as_of is None:
        return DUE_COLUMNS, []
    year_from, year_to = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    build.ensure_window(con, year_from, year_to, None)
    res = con.execute(
        db.sql("views/due"),
        {
            **params(year_from, year_to, as_of, scope),
            "city": city,
            "district": district,
            "manager": manager,
            "within": within,
            "limit": 2**62,
            "counts": False,
        },
    )
    names = [d[0] for d in res.description]
    rows = []
    for r in res.fetchall():
        row = dict(zip(names, r))
        row["at_risk"] = "yes" if row["at_risk"] else "no"
        row["pace"] = f"{row['pace']:.4f}"
        rows.append([row[c] for c in DUE_COLUMNS])
    return DUE_COLUMNS, rows


WATCH_COLUMNS = ["level", "code", "name", "flag", "week_start", "records", "median", "latest", "reason"]


def flag_reason(flag: str, week_start, records, median, latest, lang: str = "en") -> str:
    """A data-completeness flag in words (i18n `flag_*`): English for `watch`, the reader's language on pages.
    Plain text, not Markdown: the values are dates and counts."""
    if flag == "gap":
        return i18n.t("flag_gap", lang, week=str(week_start)[:10], median=f"{median:g}")
    if flag == "spike":
        return i18n.t("flag_spike", lang, week=str(week_start)[:10], records=int(records), median=f"{median:g}")
    if latest is None or latest != latest:  # None, or NaT from a frame
        return i18n.t("flag_never", lang)
    return i18n.t("flag_stale", lang, latest=str(latest)[:10])


def watch(
    con: duckdb.DuckDBPyConnection, as_of: dt.date | None = None, scope: Scope = PROVINCE
) -> tuple[list[str], list[list]]:
    """Data completeness (SPEC §10; queries/measures/data_flags.sql): gaps, spikes and stale districts as of the
    as-of date (default: the data's), sorted by level, code, flag and week."""
    as_of = as_of or as_of_default(con)
    if as_of is None:
        return WATCH_COLUMNS, []
    res = con.execute(
        db.sql("views/data_flags"),
        {"as_of": as_of, "scope_city": scope.city_code, "scope_district": scope.district_code},
    )
    names = [d[0] for d in res.description]
    rows = []
    for r in res.fetchall():
        row = dict(zip(names, r))
        row["reason"] = flag_reason(row["flag"], row["week_start"], row["records"], row["median"], row["latest"])
        rows.append([row[c] for c in WATCH_COLUMNS])
    return WATCH_COLUMNS, rows
