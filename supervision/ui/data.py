"""The read-only connection and the cached queries every page reads through.

Data flow: pages → ui.query(name, ...) → queries/<name>.sql on a cursor of the shared reader (db.Reader: one
DuckDB instance per version of the file, a cursor of its own for every query, so sessions never wait on each
other) → pandas → Streamlit. Every cached result is keyed by the query, all its parameters (window, as-of,
filters, the reader's scope) and the data stamp (the version of the file), so an import or a standards load
that lands while people read is seen on their next rerun, never hidden by the cache.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
import time
from contextlib import contextmanager

import duckdb
import pandas as pd
import streamlit as st

from supervision import build, db, measures, periods, store
from supervision.measures import Scope

_readers: dict[str, db.Reader] = {}


_readers_lock = threading.Lock()


def db_path() -> str:
    return os.environ.get("SUPERVISION_DB", db.DEFAULT_DB)


def _reader() -> db.Reader:
    """The process-wide reader of the database (a file built by older code is rebuilt first)."""
    path = db_path()
    reader = _readers.get(path)
    if reader is None:
        with _readers_lock:
            reader = _readers.get(path)
            if reader is None:
                reader = store.reader(path)
                reader.on_new_version = _warm
                _readers[path] = reader
                threading.Thread(target=_watch, args=(reader,), daemon=True, name="version-watch").start()
    return reader


def _watch(reader: db.Reader, every: float = 15.0) -> None:
    """Open each new version of the file as soon as a writer swaps it in (and warm it), not when the first
    reader of the morning asks."""
    while True:
        time.sleep(every)
        try:
            reader.current()
        except Exception:  # the file may be gone for a moment; the next query reports it
            pass


@contextmanager
def cursor():
    """A cursor on the current version of the database, for one query (closed afterwards)."""
    cur = _reader().cursor()
    try:
        yield cur
    finally:
        cur.close()


def _run(name: str, params: dict) -> pd.DataFrame:
    text = db.sql(name)
    # DuckDB refuses unused named parameters; the scope is offered to every query and taken by every query
    # that reads customer data (tests/test_scope.py checks that each such query names $scope_city).
    used = {k: v for k, v in params.items() if f"${k}" in text}
    with cursor() as cur:
        if "date_from" in used and "date_to" in used:
            build.ensure_window(cur, used["date_from"], used["date_to"], _years(stamp()))
        return cur.execute(text, used).df()


@functools.lru_cache(maxsize=4)
def _years(stamp_: tuple) -> tuple[int, int] | None:
    with cursor() as cur:
        return build.stored_years(cur)


@st.cache_data(ttl=3600, max_entries=2048, show_spinner=False)
def _cached(name: str, items: tuple, stamp: tuple) -> pd.DataFrame:
    return _run(name, dict(items))


_stamp: dict = {"at": 0.0, "value": None}


def stamp() -> tuple:
    """What the data depends on: the database file and the version of it that is live (a stat, no query; at most
    one every half second: a run asks hundreds of times)."""
    now = time.monotonic()
    if _stamp["value"] is None or now - _stamp["at"] > 0.5 or _stamp["value"][0] != db_path():
        _stamp["value"], _stamp["at"] = (db_path(), _reader().current()[1]), now
    return _stamp["value"]


def data_changed() -> None:
    """This session has just written a new version (an import, a standards load): read the file's version again
    at the next query instead of trusting the half-second cache of `stamp`, so the rerun that follows shows the
    new data, not a cached result of the old (a fast machine reruns well within half a second)."""
    _stamp["value"] = None


# the filters views take; one not given means "any"
FILTERS = ("city", "district", "manager", "tier", "service", "status", "customer", "concern")


def query(name: str, scope: Scope, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with `params` and the reader's scope (always passed: no query runs unscoped).
    A filter of FILTERS that is not given is null: any."""
    params = {**dict.fromkeys(FILTERS), **params, "scope_city": scope.city_code, "scope_district": scope.district_code}
    return _cached(name, tuple(sorted(params.items())), stamp()).copy()


@st.cache_data(ttl=3600, max_entries=1024, show_spinner=False)
def _report(measure: str, level: str, w: periods.Window, scope: Scope, stamp_: tuple) -> pd.DataFrame:
    with cursor() as cur:
        header, rows = measures.report(
            cur, measure, level, w.date_from, w.date_to, w.as_of, scope, _years(stamp_), extra=True
        )
    df = pd.DataFrame(rows, columns=header)
    for col in df.columns:
        if col.endswith("rate"):
            df[col] = pd.to_numeric(df[col].replace("", None))
    return df


def report(measure: str, level: str, w: periods.Window, scope: Scope) -> pd.DataFrame:
    """The same numbers as `python -m supervision report` (one code path: measures.report)."""
    return _report(measure, level, w, scope, stamp()).copy()


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _missing(measure: str, stamp_: tuple) -> str | None:
    with cursor() as cur:
        return measures.missing_file(measure, measures.table_rows(cur, measure))


def missing_file(measure: str) -> str | None:
    """The file a SPEC §12 measure reads that was never imported with a row (its pages then say "no data")."""
    return _missing(measure, stamp())


def _warm(con: duckdb.DuckDBPyConnection) -> None:
    """A new version of the data is live: read what the first visitors of the morning ask for (the reports of
    the default window, province-wide) in the background, so the first reader does not pay for a cold start."""

    def run() -> None:
        try:
            cur = con.cursor()
            as_of = measures.as_of_default(cur) or dt.date.today()
            w0, w1 = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
            for measure in ("compliance", "greetings", "complaints", "overservice"):
                for level in ("province", "city", "district", "tier"):
                    measures.report(cur, measure, level, w0, w1, as_of)
            cur.close()
        except Exception:  # warming is a courtesy: a reader will simply compute it
            pass

    threading.Thread(target=run, daemon=True, name="warm-up").start()
