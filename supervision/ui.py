"""What every page shares: the read-only connection, cached queries, the sidebar (language, period, as-of),
translations, labels, exports and drill-down navigation. Pages hold no SQL and no business rules.

Data flow: pages → ui.query(name, ...) → queries/<name>.sql on a cursor of the shared reader (db.Reader: one
DuckDB instance per version of the file, a cursor of its own for every query, so sessions never wait on each
other) → pandas → Streamlit. Every cached result is keyed by the query, all its parameters (window, as-of,
filters, the reader's scope) and the data stamp (the version of the file), so an import or a standards load
that lands while people read is seen on their next rerun, never hidden by the cache.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import threading
import time
from contextlib import contextmanager

import duckdb
import pandas as pd
import streamlit as st

from supervision import auth, build, db, display, exports, i18n, measures, periods, replay, store
from supervision.measures import Scope

_readers: dict[str, db.Reader] = {}
_readers_lock = threading.Lock()

TIER_PALETTE = ["#6a1b9a", "#1565c0", "#00897b", "#ef6c00", "#8d6e63", "#546e7a", "#c0ca33", "#d81b60"]
STATUS_COLORS = {"met": "#2e7d32", "missed": "#c62828", "open": "#9e9e9e"}
# a diverging scale for rates: red (0) → amber → green (1)
RATE_SCALE = [[0.0, "#c62828"], [0.6, "#f9a825"], [0.85, "#9ccc65"], [1.0, "#2e7d32"]]


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


def require_writer() -> auth.User:
    """Only a province user may import or load standards (SPEC §7: auditors are read-only)."""
    u = user()
    if u is None or not u.can_write:
        audit("denied", what="write")
        raise PermissionError("only a province user may import or load standards")
    return u


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


# the filters views take; one not given means "any"
FILTERS = ("city", "district", "manager", "tier", "service", "status", "customer")


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
    for col in ("rate", "satisfaction_rate", *measures.EXTRA_COLUMNS.get(measure, ())):
        if col in df:
            df[col] = pd.to_numeric(df[col].replace("", None))
    return df


def report(measure: str, level: str, w: periods.Window, scope: Scope) -> pd.DataFrame:
    """The same numbers as `python -m supervision report` (one code path: measures.report)."""
    return _report(measure, level, w, scope, stamp()).copy()


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


# ---------------------------------------------------------------- language and labels
def lang() -> str:
    return st.session_state.get("lang") or "zh"


def t(key: str, **kw) -> str:
    """The reader's text for `key`. Values put into it are escaped: Streamlit renders most text as Markdown, and a
    value from the data or the URL (a customer named `[点此](http://…)`) must stay plain text."""
    return i18n.t(key, lang(), **{k: plain(v) if isinstance(v, str) else v for k, v in kw.items()})


@functools.lru_cache(maxsize=4)  # per version of the data; plain lru: a label is looked up hundreds of times a run
def _vocab(stamp_: tuple) -> dict:
    with cursor() as cur:
        rows = cur.execute("select distinct domain, code, label_zh, label_en from vocab").fetchall()
    return {(d, c): (zh, en) for d, c, zh, en in rows}


def label(domain: str, code: str | None) -> str:
    """A code as the reader's language names it (services, roles, satisfaction ...)."""
    if code is None or code == "" or (isinstance(code, float) and code != code):  # None, '' or NaN
        return ""
    pair = _vocab(stamp()).get((domain, code))
    if pair is None:
        return str(code)
    return pair[0] if lang() == "zh" else pair[1]


def status_label(code: str) -> str:
    return t(f"status_{code}")


# ---------------------------------------------------------------- the reader and the data
def user() -> auth.User | None:
    return st.session_state.get("user")


def scope() -> Scope:
    """The reader's scope (SPEC §7). No signed-in user, no data: a scope that matches nothing."""
    u = user()
    return u.scope if u is not None else Scope(city_code="\x00none", district_code="\x00none")


def audit(action: str, **detail) -> None:
    u = user()
    auth.log(u.username if u else None, action, detail)


def data_info() -> dict:
    """As-of default, standards version, last import; None values when the database is empty."""
    return dict(_data_info(stamp()))


@functools.lru_cache(maxsize=4)
def _data_info(stamp_: tuple) -> dict:
    with cursor() as cur:
        as_of = measures.as_of_default(cur)
        version = cur.execute("select max(version) from standards_versions").fetchone()[0]
        imp = cur.execute("select max(import_id) from imports where finished_at is not null").fetchone()[0]
        first = cur.execute("select min(service_time)::date from service_logs").fetchone()[0]
    return {"as_of": as_of, "version": version, "import_id": imp, "first": first}


# ---------------------------------------------------------------- widgets bound to the URL
def choice(
    label_: str, options, key: str, default=None, format_func=str, container=None, widget: str = "selectbox", **kw
):
    """A selectbox (or segmented control) whose value lives in the URL as its canonical code (?key=code).

    Streamlit's own bind="query-params" writes the *formatted* option to the URL ("沈阳 (2101)", "English"),
    so a link would change with the reader's language; here the URL always carries the code. The URL is
    read when the widget first appears; the default is left out of the URL to keep links short.
    """
    options = list(options)
    if not options:
        return None
    default = default if default in options else options[0]
    wkey = f"_url_{key}"
    if wkey not in st.session_state or st.session_state[wkey] not in options:
        raw = st.query_params.get(key)
        st.session_state[wkey] = next((o for o in options if str(o) == raw), default)
    box = container or st
    # labels are computed now, in the reader's language: a format_func that looked the language up later would
    # run outside the script (AppTest) or after a language switch and name options differently
    labels = {o: format_func(o) for o in options}
    format_func = labels.__getitem__
    if widget == "segmented_control":
        value = box.segmented_control(label_, options, key=wkey, format_func=format_func, required=True, **kw)
    else:
        value = box.selectbox(label_, options, key=wkey, format_func=format_func, **kw)
    if value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)
    return value


# ---------------------------------------------------------------- the sidebar
def sidebar() -> periods.Window | None:
    """Language, period and as-of date, all bound to the URL so that a pasted link reproduces the view."""
    with st.sidebar:
        st.session_state["lang"] = choice(
            i18n.t("language", "zh"),
            ["zh", "en"],
            "lang",
            format_func=lambda x: "中文" if x == "zh" else "English",
            widget="segmented_control",
        )
        if not os.path.exists(db_path()):
            st.error(t("no_db", path=db_path()))
            return None
        info = data_info()
        data_as_of = info["as_of"] or dt.date.today()
        gran = choice(t("period"), periods.GRANULARITIES, "gran", default="year", format_func=lambda g: t(f"gran_{g}"))
        if gran == "custom":
            c1, c2 = st.columns(2)
            date_from = c1.date_input(t("from"), dt.date(data_as_of.year, 1, 1), key="from", bind="query-params")
            date_to = c2.date_input(t("to"), dt.date(data_as_of.year, 12, 31), key="to", bind="query-params")
            label_ = ""
        else:
            years = list(range(data_as_of.year - 3, data_as_of.year + 2))
            default_year, default_index = periods.default_period(gran, data_as_of)
            year = choice(t("year"), years, "year", default=default_year)
            count = 12 // periods.MONTHS[gran]
            index = 1
            if count > 1:
                options = list(range(1, count + 1))
                index = choice(
                    t("which"),
                    options,
                    gran,
                    default=default_index if year == default_year else periods.current_index(gran, data_as_of),
                    format_func=lambda i, g=gran: _period_name(g, i),
                )
            date_from, date_to = periods.calendar_window(gran, year, index)
            label_ = _period_name(gran, index, year)
        as_of = st.date_input(t("as_of"), data_as_of, key="asof", bind="query-params", help=t("as_of_help"))
        if date_to < date_from:
            st.error(f"{t('to')} < {t('from')}")
            return None
        st.caption(t("window", from_=date_from, to=date_to))
        if info["as_of"] is not None:
            st.caption(t("data_as_of", as_of=info["as_of"], version=info["version"], import_id=info["import_id"]))
    if info["as_of"] is None:
        st.info(t("no_data"))
    return periods.Window(date_from, date_to, as_of, label_ or t("window", from_=date_from, to=date_to))


def _period_name(gran: str, index: int, year: int | None = None) -> str:
    y = f"{year}" if year else ""
    zh = lang() == "zh"
    if gran == "month":
        return f"{y}年{index}月" if zh and y else (f"{index}月" if zh else f"{y}-{index:02d}".lstrip("-"))
    if gran == "quarter":
        return f"{y}年第{index}季度" if zh else f"{y} Q{index}".strip()
    if gran == "half":
        return f"{y}年{'上' if index == 1 else '下'}半年" if zh else f"{y} H{index}".strip()
    return f"{y}年" if zh else y


def window_params() -> dict:
    """The window's URL parameters, carried along by drill-down links."""
    keep = ("lang", "gran", "year", "month", "quarter", "half", "from", "to", "asof")
    return {k: st.query_params[k] for k in keep if k in st.query_params}


def link(page: str, label_: str, icon: str = ":material/arrow_forward:", **params) -> None:
    """A link to another page with the window and `params` in its URL (a drill-down that can be bookmarked)."""
    st.page_link(
        f"app_pages/{page}.py",
        label=label_,
        icon=icon,
        query_params={**window_params(), **{k: v for k, v in params.items() if v}},
    )


def go(page: str, **params) -> None:
    """Drill down to another page, keeping the window and adding `params` to the URL."""
    st.switch_page(f"app_pages/{page}.py", query_params={**window_params(), **{k: v for k, v in params.items() if v}})


# ---------------------------------------------------------------- display helpers
pct = display.pct  # a rate as text: one decimal, half away from zero, from the rate's 4 decimals
points = display.points  # the change between two rates in percentage points


RATE_COLUMNS = ("rate", "satisfaction_rate")


def rate_column(label_: str) -> st.column_config.ProgressColumn:
    """Rates are drawn as bars with one decimal; `table` scales rate columns to 0-100 for it."""
    return st.column_config.ProgressColumn(
        label_, format="%.1f%%", min_value=0.0, max_value=100.0, color="#1565c0"
    )  # neutral: red/green would judge at 50%


def readable(df: pd.DataFrame, keep_codes: bool = False, rename: bool = True) -> pd.DataFrame:
    """`df` as the reader reads it: labels for codes, dates without 00:00, no None/nan (supervision/display)."""
    return display.readable(df, lang(), label, keep_codes=keep_codes, rename=rename)


def table(df: pd.DataFrame, column_config: dict | None = None, rate_cols: tuple = RATE_COLUMNS, **kw):
    """st.dataframe of `df` as the reader reads it (`readable`): columns named from the translation table, codes
    as labels, and rate columns (0..1) shown as percentage bars with one decimal. `column_config` (by the
    original column names) only for what differs. The table toolbar's own download and copy are off
    (client.disableDataExport): exports go through `export_buttons`, which writes provenance and the audit log."""
    shown = readable(df, rename=False)
    config = {c: t(c) for c in shown.columns if c in i18n.TEXT}
    config.update(column_config or {})
    for col in shown.columns:
        if col in rate_cols:
            # x100 and rounded here (half away from zero), so the bar's "%.1f" never rounds a float again
            shown[col] = [None if p is None else float(p) for p in map(display.percent, df[col])]
            config[col] = rate_column(config[col] if isinstance(config.get(col), str) else t("rate"))
    kw.setdefault("hide_index", True)
    return st.dataframe(shown, column_config=config, **kw)


def tier_order() -> list[str]:
    return list(_tiers(stamp()))


@functools.lru_cache(maxsize=4)
def _tiers(stamp_: tuple) -> tuple[str, ...]:
    with cursor() as cur:
        return tuple(row[0] for row in cur.execute(db.sql("views/tiers")).fetchall())


def tier_colors() -> dict[str, str]:
    """One colour per tier, by the configured tier order (the scheme is data)."""
    return {tr: TIER_PALETTE[i % len(TIER_PALETTE)] for i, tr in enumerate(tier_order())}


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def plain(value) -> str:
    """Data as plain text inside Markdown: every character Markdown could read as a link, an image, emphasis or
    HTML is escaped (a customer named `[点此](http://…)` stays those characters)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).translate(_MARKDOWN)


def empty_state(why: str) -> None:
    st.info(t("empty_filter", why=why))


# ---------------------------------------------------------------- exports with provenance (SPEC §6)
def provenance(w: periods.Window, filters: dict, reproduce: list[str] | tuple = ()) -> list[tuple[str, str]]:
    info = data_info()
    sc = scope()
    return [
        ("filter", "; ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, "")) or "(none)"),
        ("window", f"{w.date_from} .. {w.date_to}"),
        ("as_of", str(w.as_of)),
        ("data_as_of", str(info["as_of"])),
        ("standards_version", str(info["version"])),
        ("import_id", str(info["import_id"])),
        ("scope", sc.district_code or sc.city_code or "province"),
        ("exported_at", dt.datetime.now().isoformat(timespec="seconds")),
        *(("reproduce", c) for c in reproduce),
    ]


def report_commands(
    reports: list[tuple[str, str]], w: periods.Window, city: str | None = None, district: str | None = None
) -> list[str]:
    """The `report` commands (measure, level) that print a page's numbers for this reader and window, narrowed
    to the page's own city / district filter ('' or None: not picked)."""
    return [
        replay.report(m, lv, db_path(), w.date_from, w.date_to, w.as_of, scope(), city or None, district or None)
        for m, lv in reports
    ]


def replay_panel(commands: list[str]) -> list[str]:
    """The page's "复现 / Reproduce" panel (SPEC §10): the exact commands whose output holds its numbers.
    Returns them, for the page's exports to carry in their provenance (`export_buttons(..., reproduce=)`)."""
    with st.expander(t("reproduce"), icon=":material/terminal:"):
        st.caption(t("reproduce_help"))
        st.code("\n".join(commands), language="bash", wrap_lines=True)
    return commands


def export_buttons(data, name: str, w: periods.Window, filters: dict, reproduce: list[str] | tuple = ()) -> None:
    """CSV and Excel downloads of what the reader sees (their language, labels, codes beside them), with
    provenance (supervision/exports). `data` is a DataFrame or a function returning one: a function runs only
    when the reader clicks (large selections are not rendered on every rerun). Every export is written to the
    audit log with its rows and the SHA-256 of the file."""
    prov = provenance(w, filters, reproduce)
    fetch = data if callable(data) else (lambda: data)
    u = user()
    who = u.username if u else None
    language = lang()
    labels = dict(_vocab(stamp()))
    sc = scope()

    def name_of(domain: str, code: str) -> str:  # runs outside the script: no session state to read
        pair = labels.get((domain, code))
        return str(code) if pair is None else pair[0] if language == "zh" else pair[1]

    def produce(kind: str, convert) -> bytes:
        # runs on click, outside the script run: the reader and the language were captured above
        df = fetch()
        out = convert(display.readable(df, language, name_of, keep_codes=True), prov)
        auth.log(
            who,
            "export",
            {
                "name": name,
                "format": kind,
                "rows": len(df),
                "sha256": digest(out),
                "filter": dict(prov)["filter"],
                "scope": dict(prov)["scope"],
            },
        )
        return out

    scope_label = sc.district_code or sc.city_code or "province"
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        t("export_csv"),
        lambda: produce("csv", exports.to_csv),
        exports.file_name(name, scope_label, w.as_of, "csv"),
        "text/csv",
        key=f"csv_{name}",
        icon=":material/download:",
        on_click="ignore",
    )
    c2.download_button(
        t("export_xlsx"),
        lambda: produce("xlsx", exports.to_xlsx),
        exports.file_name(name, scope_label, w.as_of, "xlsx"),
        exports.XLSX_TYPE,
        key=f"xlsx_{name}",
        icon=":material/table:",
        on_click="ignore",
    )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- page scaffolding
def org_filters(sc: Scope, nm: dict, columns: list) -> tuple[str, str, str]:
    """City, district and manager pickers (URL-bound, within the scope), each narrowing the next, one per
    column given (two columns: no manager picker). Returns the picked codes, '' for "all"."""
    org = query("views/org_units", sc)
    city = choice(
        t("city"),
        [""] + sorted(nm["city"]),
        "city",
        container=columns[0],
        format_func=lambda c: nm["city"].get(c, c) if c else t("all"),
    )
    districts = [""] + list(org[org.city_code == city].district_code if city else org.district_code)
    district = choice(
        t("district"),
        districts,
        "district",
        container=columns[1],
        format_func=lambda d: f"{nm['district'].get(d, d)} ({d})" if d else t("all"),
    )
    if len(columns) < 3:
        return city, district, ""
    managers = query("views/managers", sc)
    if district:
        managers = managers[managers.district_code == district]
    elif city:
        managers = managers[managers.city_code == city]
    manager = choice(
        t("manager"),
        [""] + list(managers.manager_id),
        "manager",
        container=columns[2],
        format_func=lambda m: f"{nm['manager'].get(m, '')} ({m})" if m else t("all"),
    )
    return city, district, manager


def ranking(
    rows: pd.DataFrame,
    code_col: str,
    names: dict[str, str],
    label: str,
    key: str,
    marks: dict[str, str] | None = None,
    extra: dict[str, dict] | None = None,
) -> tuple[pd.DataFrame, str | None]:
    """A report's groups ranked best rate first (groups with nothing closed last) as a selectable table, named
    in the reader's language; a group whose data is flagged (`marks`, SPEC §10) carries ⚠ and the reason.
    `extra`: more columns, each code → value (the at-risk counts). Returns the ranked rows and the code of the
    row the reader picked (or None)."""
    marks = marks or {}
    extra = extra or {}

    def name(c):
        return ("⚠ " if c in marks else "") + (names.get(c) or (c if c else t("no_manager")))

    rows = rows.assign(
        name=rows[code_col].map(name),
        data_flag=rows[code_col].map(lambda c: marks.get(c, "")),
        **{col: rows[code_col].map(lambda c, v=values: v.get(c, 0)) for col, values in extra.items()},
    )
    ranked = rows.sort_values("rate", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    columns = [
        "name",
        "rate",
        "obligations",
        "met",
        "missed",
        "open",
        *extra,
        *(["data_flag"] if marks else []),
        code_col,
    ]
    event = table(
        ranked[columns],
        column_config={"name": label, "data_flag": flag_column(), "at_risk": at_risk_column()},
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    row = selected_row(event)
    return ranked, (None if row is None else ranked.loc[row, code_col])


# ---------------------------------------------------------------- data completeness marks (SPEC §10)
def data_flags(w: periods.Window) -> pd.DataFrame:
    """Gaps, spikes and stale districts of the reader's scope as of the window's as-of date (views/data_flags)."""
    return query("views/data_flags", scope(), as_of=w.as_of)


def marks(level: str, w: periods.Window) -> dict[str, str]:
    """code → why its data is not to be trusted (in the reader's language), for the rows of `level`: districts
    and managers by their own flags, a city by how many of its districts are flagged."""
    f = data_flags(w)
    if f.empty:
        return {}
    if level in ("district", "manager"):
        own = f[f.level == level]
        return {
            code: "；".join(
                measures.flag_reason(r.flag, r.week_start, r.records, r.median, r.latest, lang())
                for r in g.itertuples()
            )
            for code, g in own.groupby("code", sort=False)
        }
    if level == "city":
        org = query("views/org_units", scope())
        city_of = dict(zip(org.district_code, org.city_code))
        districts = f[f.level == "district"]
        per_city = districts.assign(city=districts.code.map(city_of)).groupby("city").code.nunique()
        return {city: i18n.t("flag_city", lang(), n=int(n)) for city, n in per_city.items()}
    return {}


def at_risk(level: str, w: periods.Window) -> dict[str, int]:
    """code → obligations at risk now (SPEC §10) per group of `level` (city, district or manager)."""
    year_from, year_to = periods.calendar_window("year", w.as_of.year, 1)
    df = query("views/at_risk", scope(), level=level, date_from=year_from, date_to=year_to, as_of=w.as_of)
    key = "k2" if level == "district" else "k1"
    return {k: int(v) for k, v in zip(df[key], df.at_risk)}


def at_risk_column() -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(t("at_risk"), help=t("at_risk_help"), format="%d")


def flag_column() -> st.column_config.TextColumn:
    return st.column_config.TextColumn(t("data_flag"), help=t("data_flag_help"))


def page_window() -> periods.Window:
    """The sidebar's window, or stop the page with the reason shown (no database, no data, bad window)."""
    w = st.session_state.get("window")
    if w is None or data_info()["as_of"] is None:
        st.stop()
    first = data_info()["first"]
    if first is not None and w.as_of < first:  # nothing was recorded yet: no rate, no pace, no flag to show
        st.info(t("as_of_before_data", as_of=str(w.as_of), first=str(first)), icon=":material/event_busy:")
        st.stop()
    return w


def names(sc: Scope) -> dict[str, dict[str, str]]:
    """Display names: cities, districts (by code) and managers, within the scope."""
    org = query("views/org_units", sc)
    mgr = query("views/managers", sc)
    return {
        "city": dict(zip(org.city_code, org.city_name)),
        "district": dict(zip(org.district_code, org.district_name)),
        "manager": dict(zip(mgr.manager_id, mgr.manager_name)),
    }


def evidence_panel(o, sc: Scope, w: periods.Window, filters: dict) -> None:
    """The records behind one obligation `o` (a row of views/obligations): which counted, which did not and why,
    and their export (SPEC §6: every obligation links to its evidence)."""
    st.markdown(
        f"**{t('evidence')}** · {o.customer_id} {plain(getattr(o, 'customer_name', '') or '')} · "
        f"{label('service', o.service_code)} {o.period_start.date()} – {o.period_end.date()} · "
        f"{int(o.completed)}/{int(o.n)} · {status_label(o.status)}"
    )
    evid = query(
        "views/evidence",
        sc,
        customer=o.customer_id,
        service=o.service_code,
        period_start=o.period_start.date(),
        period_end=o.period_end.date(),
        as_of=w.as_of,
    )
    if evid.empty:
        empty_state(f"{t('missing')} {int(o.n) - int(o.completed)}")
        return
    evid["counted"] = evid.counted.map(lambda b: t("counted") if b else t("not_counted"))
    table(evid)
    export_buttons(
        evid,
        "evidence",
        w,
        {
            **filters,
            "customer": o.customer_id,
            "service": o.service_code,
            "period": f"{o.period_start.date()}..{o.period_end.date()}",
        },
    )


def selected_row(event) -> int | None:
    """The index of the row picked in an `st.dataframe(on_select='rerun')`, if any."""
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    return rows[0] if rows else None


def header(title: str, w: periods.Window) -> None:
    st.title(title)
    st.caption(f"{w.label} · {t('as_of')} {w.as_of}")


# ---------------------------------------------------------------- sign-in and the scope guard (SPEC §7)
def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_in_form() -> None:
    """The sign-in page: password sign-in against users.json; the company identity provider when configured."""
    st.title(t("app_title"))
    if st.session_state.pop("_ended", False):
        st.warning(t("session_ended"))
    if not auth.has_users():
        st.warning(t("no_users", path=str(auth.users_path())))
        st.code("python -m supervision users add admin --role province --name 管理员", language="bash")
        return
    if _oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            email = getattr(st.user, "email", None)
            u = auth.oidc_user(email)
            if u is None:
                auth.log(email, "sign_in_failed", {"via": "oidc", "why": "no such user"})
                st.error(t("oidc_unknown"))
                st.button(t("sign_out"), on_click=st.logout)
                return
            st.session_state["user"] = u
            auth.log(u.username, "sign_in", {"via": "oidc", "role": u.role, "scope": u.scope_label()})
            st.rerun()
        st.button(t("sign_in_oidc"), on_click=st.login, type="primary")
    with st.form("sign_in", border=True, width=420):
        name = st.text_input(t("username"))
        password = st.text_input(t("password"), type="password")
        if st.form_submit_button(t("sign_in"), type="primary"):
            u = auth.sign_in(name, password, client=client())
            if u is None:
                st.error(t("sign_in_failed"))
            else:
                st.session_state["user"] = u
                # the cookie is set HttpOnly by the server's own endpoint (server.py), asked by the next run
                st.session_state["_cookie"] = auth.cookie_code(auth.issue_session(u))
                st.rerun()


def client() -> str | None:
    """The reader's address, as the server saw it (failed sign-ins are counted per client too)."""
    try:
        return st.context.ip_address
    except Exception:  # AppTest has no client
        return None


def sign_out(reason: str = "sign_out") -> None:
    audit(reason)
    auth.end_session(st.context.cookies.get(auth.COOKIE))
    st.session_state["_cookie"] = ""  # cleared in the browser by the next run
    st.session_state.pop("user", None)
    st.session_state.pop("_last_view", None)
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def who_panel() -> None:
    """The reader's name, role and scope, on every page (SPEC §7), and the way out."""
    u = user()
    with st.sidebar:
        st.caption(t("signed_in_as", name=u.name, role=t(f"role_{u.role}"), scope=scope_name(u)))
        st.button(t("sign_out"), on_click=sign_out, key="sign_out", icon=":material/logout:")


def scope_name(u: auth.User) -> str:
    if u.role in ("province", "auditor"):
        return t("whole_province")
    org = query("views/org_units", u.scope)
    if u.district_code:
        row = org[org.district_code == u.district_code]
        return f"{row.city_name.iloc[0]} {row.district_name.iloc[0]}" if len(row) else u.district_code
    row = org[org.city_code == u.city_code]
    return row.city_name.iloc[0] if len(row) else (u.city_code or "")


def outside_scope() -> str | None:
    """The URL parameter naming a city, district, manager or customer outside the reader's scope, if any."""
    sc = scope()
    if sc.city_code is None and sc.district_code is None:
        return None
    params = st.query_params
    org = query("views/org_units", sc)
    if params.get("city") and params["city"] not in set(org.city_code):
        return f"city={params['city']}"
    for key in ("district", "da", "db"):
        if params.get(key) and params[key] not in set(org.district_code):
            return f"{key}={params[key]}"
    if params.get("manager") and params["manager"] not in set(query("views/managers", sc).manager_id):
        return f"manager={params['manager']}"
    customer = params.get("customer")
    if customer and query("views/customer", sc, customer=customer).empty:
        if not query("views/customer_exists", measures.PROVINCE, customer=customer).empty:
            return f"customer={customer}"
    return None


def log_view(page: str) -> None:
    """One audit entry per page view: a page with its filters, logged again only when either changes."""
    view = (page, tuple(sorted(st.query_params.to_dict().items())))
    if st.session_state.get("_last_view") != view:
        st.session_state["_last_view"] = view
        audit("view", page=page, params=dict(view[1]))


def current_user() -> auth.User | None:
    """The signed-in reader, checked against the users file on every run: a session whose user was removed,
    disabled or changed (scope, role, password) ends here, with a message on the sign-in page."""
    u = user()
    if u is not None and auth.current(u) is None:
        sign_out("session_ended")
        st.session_state["_ended"] = True
        return None
    return u


def resume() -> auth.User | None:
    """A new browser session (a reload, a pasted link) signed in again from its session cookie, if valid."""
    u = auth.resume_session(st.context.cookies.get(auth.COOKIE))
    if u is not None:
        st.session_state["user"] = u
        auth.log(u.username, "session_resumed", {"role": u.role, "scope": u.scope_label()})
    return u


def chrome_text() -> None:
    """Streamlit's own widget text that has no parameter (the file uploader's size and type line
    "Browse files") in the reader's language: hidden by a style rule, our own words shown instead."""
    if lang() != "zh":
        return
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] {display: none;}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}'
        '[data-testid="stFileUploaderDropzone"] button::after {content: "选择文件"; font-size: 0.875rem;}'
        "</style>"
    )


def sync_cookie() -> None:
    """Set or clear the session cookie in the browser: a script posts the one-time code to the server's own
    endpoint (server.py), whose response sets the cookie HttpOnly — the token never reaches a script."""
    code = st.session_state.pop("_cookie", None)
    if code is None:
        return
    if code:
        body = f"new URLSearchParams({{code: {json.dumps(code)}}})"
        script = f"fetch('/session/cookie', {{method: 'POST', credentials: 'same-origin', body: {body}}});"
    else:
        script = "fetch('/session/end', {method: 'POST', credentials: 'same-origin'});"
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
