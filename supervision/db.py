"""Connections to the supervision database, the schema, the shipped configuration and the query files."""

from __future__ import annotations

import csv
import functools
import os
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
DEFAULTS = Path(__file__).resolve().parent / "defaults"
DEFAULT_DB = os.environ.get("SUPERVISION_DB", str(ROOT / "data" / "supervision.duckdb"))
# DuckDB's default memory limit is 80% of RAM; an import of 1M logs peaks at ~2.3 GB without a limit and
# ~1.3 GB with 1 GB (spilling to <db>.tmp), a few percent slower. docs/benchmarks.md has the figures.
MEMORY_LIMIT = os.environ.get("SUPERVISION_MEMORY_LIMIT", "1GB")

# Scalar helpers every connection gets (temp macros: they work on read-only connections too).
#  parse_ts: the four date shapes of SPEC §4 ('2026-03-05', '2026/3/5', '20260305', each optionally with
#  ' HH:MM' or ' HH:MM:SS'), routed by one regular expression to one cast; anything else (2026-02-30,
#  24:00, text) is NULL. Measured at ~0.25 s per million values.
_MACROS = r"""
create or replace temp macro _ts_parts(s) as regexp_extract(trim(s),
    '^(\d{4})(?:-(\d{1,2})-(\d{1,2})|/(\d{1,2})/(\d{1,2})|(\d{2})(\d{2}))(?: +(\d{1,2}):(\d{2})(?::(\d{2}))?)?$',
    ['y', 'm1', 'd1', 'm2', 'd2', 'm3', 'd3', 'h', 'mi', 's']);
create or replace temp macro _ts_build(p) as case when p.y <> '' and coalesce(try_cast(p.h as integer), 0) < 24 then
    try_cast(p.y || '-' || (p.m1 || p.m2 || p.m3) || '-' || (p.d1 || p.d2 || p.d3) || ' '
             || coalesce(nullif(p.h, ''), '0') || ':' || coalesce(nullif(p.mi, ''), '00') || ':'
             || coalesce(nullif(p.s, ''), '00') as timestamp) end;
create or replace temp macro parse_ts(s) as _ts_build(_ts_parts(s));
create or replace temp macro is_leap(y) as (y % 4 = 0 and y % 100 <> 0) or y % 400 = 0;
"""

# Table macros over the stored data, one per measure: defined from queries/measures/*.sql on every
# connection, so pages, CLI and tests all read the same SQL.
MEASURE_MACROS = ("group_keys", "compliance_items", "greeting_items", "complaint_items", "overservice_items")


@functools.cache
def sql(name: str) -> str:
    """The text of queries/<name>.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_MACROS)
    for name in MEASURE_MACROS:
        con.execute(sql(f"measures/{name}"))


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor for one thread: cursors do not share temp macros, so each gets its own."""
    cur = con.cursor()
    _prepare(cur)
    return cur


def connect(path: str | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database. A writable connection creates the schema and the shipped defaults if missing."""
    path = path or DEFAULT_DB
    if read_only:
        if not os.path.exists(path):
            raise FileNotFoundError(f"database {path} does not exist: run `python -m supervision import` first")
        con = duckdb.connect(
            path, read_only=True, config={"enable_external_access": False, "memory_limit": MEMORY_LIMIT}
        )
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(path, config={"memory_limit": MEMORY_LIMIT})
        con.execute(sql("schema"))
        _seed(con)
    _prepare(con)
    return con


def _read_defaults(name: str) -> list[dict[str, str]]:
    with open(DEFAULTS / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _seed(con: duckdb.DuckDBPyConnection) -> None:
    """Load the shipped configuration and the seed standards into an empty database (SPEC §3)."""
    if con.execute("select count(*) from tiers").fetchone()[0]:
        return
    con.executemany(
        "insert into tiers values (?, ?, ?, ?, ?)",
        [
            (
                r["tier"],
                int(r["rank"]),
                int(r["complaint_level"]),
                int(r["upgrade_min_members"]) if r["upgrade_min_members"] else None,
                [x for x in r["upgrade_industries"].split(";") if x],
            )
            for r in _read_defaults("tiers.csv")
        ],
    )
    con.executemany(
        "insert into complaint_levels values (?, ?, ?, ?)",
        [
            tuple(int(r[k]) for k in ("level", "first_contact_hours", "resolve_hours", "return_visit_days"))
            for r in _read_defaults("complaint_levels.csv")
        ],
    )
    con.executemany(
        "insert into settings values (?, ?)", [(r["key"], r["value"]) for r in _read_defaults("settings.csv")]
    )
    vocab = []
    for r in _read_defaults("vocab.csv"):
        aliases = {a.strip().lower() for a in (r["code"], r["label_zh"], r["label_en"], *r["aliases"].split(";"))}
        for a in sorted(x for x in aliases if x):
            vocab.append((r["domain"], r["code"], r["label_zh"], r["label_en"], a, r["attr"] or None))
    con.executemany("insert into vocab values (?, ?, ?, ?, ?, ?)", vocab)
    from supervision import standards  # local import: standards imports db

    standards.load(con, str(DEFAULTS / "standards.csv"), source="defaults/standards.csv", rebuild=False)


def meta_get(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("select value from meta where key = $k", {"k": key}).fetchone()
    return row[0] if row else None


def meta_set(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("delete from meta where key = $k", {"k": key})
    con.execute("insert into meta values ($k, $v)", {"k": key, "v": value})
