"""Supervision briefs (SPEC §9): the weekly 服务质量周报 and the monthly 服务简报, for the province or one city.

`compose` gathers a brief's numbers; `to_html`, `to_xlsx` and `to_pdf` write it. Every number comes from the code
path of `python -m supervision report` / `due` / `watch` (supervision/measures.py) for the window, as-of date and
scope the brief states beside it, or from a query of queries/brief/ that says which rule it reads; the brief
lists the exact `report` commands that print its numbers again.

Periods (docs/briefs.md):
* week: the ISO week (Monday–Sunday) holding the day asked for; as of its Sunday.
* month: the calendar month; compliance and greetings year to date (1 January – the month's last day), the
  month's complaints and over-service; as of the month's last day.
* default: the latest week or month that ends on or before the data's as-of date. A period that ends after it is
  not covered completely: the brief says so on its first page, is marked provisional, and is as of the data's
  as-of date instead.

The scope is the reader's (SPEC §7): a city's brief is computed with the city as the scope of every query, so it
holds no other city's rows. Quarantined lines carry no city (they could not be read as rows): only the province's
brief lists them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import shutil
import subprocess
import tempfile
import threading

import duckdb
import pandas as pd
import plotly.graph_objects as go

from supervision import build, chiefs, db, display, exports, figures, i18n, measures, periods, replay
from supervision.scope import PROVINCE, Scope

KINDS = ("week", "month")
FORMATS = ("html", "pdf", "xlsx")
DUE_DAYS = 14  # the weekly due list: open obligations with at most this many days left (SPEC §9)
WEAKEST = 5  # the monthly brief's weakest districts and managers
SHOWN = 40  # rows of a long list shown in the HTML and PDF; the workbook has them all


class BriefError(Exception):
    """A brief that cannot be written (no data, an unknown city, no PDF renderer): the message says why."""


@dataclasses.dataclass
class Table:
    sheet: str  # the workbook sheet's name (stable, English)
    title: str
    df: pd.DataFrame  # the reader's columns, every row (the workbook); the HTML shows the first `shown`
    note: str = ""
    shown: int | None = None
    rates: tuple[str, ...] = ()  # columns holding a rate (0..1): a percentage on paper, the exact value in Excel


@dataclasses.dataclass
class Section:
    title: str
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    tables: list[Table] = dataclasses.field(default_factory=list)
    figures: list[go.Figure] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Brief:
    kind: str
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    scope: Scope
    scope_name: str
    lang: str
    provisional: bool
    title: str
    sections: list[Section]
    provenance: list[tuple[str, str]]
    commands: list[str]

    def file_stem(self) -> str:
        where = self.scope.district_code or self.scope.city_code or "province"
        return f"brief_{self.kind}_{where}_{self.date_from}_{self.date_to}"


# ---------------------------------------------------------------- periods
def period(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The ISO week (Monday–Sunday) or the calendar month holding `day`."""
    if kind == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if kind == "month":
        return day.replace(day=1), periods.month_end(day.year, day.month)
    raise BriefError(f"unknown brief {kind!r}: week or month")


def default_day(kind: str, data_as_of: dt.date) -> dt.date:
    """A day of the latest complete week or month: the last one ending on or before the data's as-of date."""
    if kind == "week":
        return data_as_of - dt.timedelta(days=(data_as_of.weekday() + 1) % 7)  # the last Sunday on or before
    if data_as_of == periods.month_end(data_as_of.year, data_as_of.month):
        return data_as_of
    return data_as_of.replace(day=1) - dt.timedelta(days=1)


# ---------------------------------------------------------------- reading
class _Reader:
    """The queries of one brief on one connection, within one scope, in one language."""

    def __init__(self, con: duckdb.DuckDBPyConnection, scope: Scope, lang: str, db_path: str):
        self.con, self.scope, self.lang, self.db_path = con, scope, lang, db_path
        self.commands: list[str] = []
        sp = {"scope_city": scope.city_code, "scope_district": scope.district_code}
        org = con.execute(db.sql("views/org_units"), sp).fetchall()
        cols = [d[0] for d in con.description]
        org_rows = [dict(zip(cols, r)) for r in org]
        self.city = {r["city_code"]: r["city_name"] for r in org_rows}
        self.district = {r["district_code"]: r["district_name"] for r in org_rows}
        mgr = con.execute(db.sql("views/managers"), sp).fetchall()
        mcols = [d[0] for d in con.description]
        self.manager = {r["manager_id"]: r["manager_name"] for r in (dict(zip(mcols, m)) for m in mgr)}
        self.vocab = {k: (zh if lang == "zh" else en) for k, (zh, en) in db.vocab_labels(con).items()}

    def t(self, key: str, **kw) -> str:
        return i18n.t(key, self.lang, **kw)

    def label(self, domain: str, code) -> str:
        if code is None or code == "":
            return ""
        return self.vocab.get((domain, code), str(code))

    def report(self, measure: str, level: str, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> pd.DataFrame:
        """`report MEASURE --by LEVEL` for the brief's scope, and its command written down for the provenance."""
        header, rows = measures.report(self.con, measure, level, date_from, date_to, as_of, self.scope)
        cmd = replay.report(measure, level, self.db_path, date_from, date_to, as_of, self.scope)
        if cmd not in self.commands:
            self.commands.append(cmd)
        df = pd.DataFrame(rows, columns=header)
        for col in ("rate", "satisfaction_rate"):
            if col in df:
                df[col] = [None if v == "" else float(v) for v in df[col]]
        return df

    def query(self, name: str, window: tuple[dt.date, dt.date] | None = None, **params) -> pd.DataFrame:
        """queries/<name>.sql in the brief's scope; `window`: the years of materialised obligations it reads."""
        if window is not None:
            build.ensure_window(self.con, *window)
        params = {**params, "scope_city": self.scope.city_code, "scope_district": self.scope.district_code}
        sql = db.sql(name)
        return self.con.execute(sql, {k: v for k, v in params.items() if f"${k}" in sql}).df()

    def group_name(self, level: str, code: str) -> str:
        names = {"city": self.city, "district": self.district, "manager": self.manager}[level]
        return names.get(code, code) or self.t("none")


def _level(scope: Scope) -> str:
    """One level down from the brief's scope: cities of the province, districts of a city, managers of a district."""
    return "manager" if scope.district_code else "district" if scope.city_code else "city"


def _code_col(level: str) -> str:
    return {"city": "city_code", "district": "district_code", "manager": "manager_id"}[level]


def _with_names(r: _Reader, df: pd.DataFrame, level: str) -> pd.DataFrame:
    """A report's rows with the group's name beside its code (district reports keep the city code too)."""
    code = _code_col(level)
    df = df.copy()
    df.insert(list(df.columns).index(code) + 1, f"{level}_name", [r.group_name(level, c) for c in df[code]])
    return df


def _total_row(r: _Reader, df: pd.DataFrame, total: pd.DataFrame, level: str) -> pd.DataFrame:
    """The groups' rows, then the scope's own row (`report --by province` for the scope) as 合计."""
    row = {c: "" for c in df.columns}
    row.update({k: v for k, v in total.iloc[0].to_dict().items() if k in df.columns})
    row[f"{level}_name"] = r.t("brief_total")
    return pd.concat([df, pd.DataFrame([row], columns=df.columns)], ignore_index=True)


# ---------------------------------------------------------------- sections
def _complaints_section(r: _Reader, level: str, d0: dt.date, d1: dt.date, as_of: dt.date, title: str) -> Section:
    s = Section(title)
    comp = _with_names(r, r.report("complaints", level, d0, d1, as_of), level)
    total = r.report("complaints", "province", d0, d1, as_of)
    t = total.iloc[0]
    s.paragraphs.append(
        r.t(
            "brief_complaints_text",
            n=f"{int(t['complaints']):,}",
            first=f"{int(t['first_contact_on_time']):,}",
            resolved=f"{int(t['resolved_on_time']):,}",
            visit=f"{int(t['return_visit_on_time']):,}",
            sat=display.pct(t["satisfaction_rate"]),
            open=f"{int(t['open']):,}",
        )
    )
    s.tables.append(
        Table(
            "complaints",
            r.t("brief_complaints_by", rows=r.t(level)),
            _total_row(r, comp, total, level),
            rates=("satisfaction_rate",),
        )
    )
    topics = r.query("brief/complaint_topics", date_from=d0, date_to=d1, as_of=as_of)
    cats = topics[topics.kind == "category"][["topic", "complaints", "dissatisfied"]].reset_index(drop=True)
    cats["topic"] = [v or r.t("unclassified") for v in cats.topic]
    cats = cats.rename(columns={"topic": "category"})
    reasons = topics[topics.kind == "reason"][["topic", "complaints"]].reset_index(drop=True)
    reasons["topic"] = [v or r.t("no_reason_given") for v in reasons.topic]
    reasons = reasons.rename(columns={"topic": "dissatisfied_reason", "complaints": "dissatisfied"})
    s.tables.append(Table("categories", r.t("brief_categories"), cats))
    s.tables.append(Table("reasons", r.t("brief_reasons"), reasons))
    if not cats.empty:
        top = cats.head(10)
        s.figures.append(figures.count_bars(list(top.category), [int(v) for v in top.complaints], 40 + 28 * len(top)))
    return s


def _overservice_section(r: _Reader, level: str, d0: dt.date, d1: dt.date, as_of: dt.date, title: str) -> Section:
    s = Section(title)
    over = _with_names(r, r.report("overservice", level, d0, d1, as_of), level)
    total = r.report("overservice", "province", d0, d1, as_of)
    s.paragraphs.append(r.t("brief_overservice_text", n=f"{int(total.iloc[0]['records']):,}"))
    s.tables.append(
        Table("overservice", r.t("brief_overservice_by", rows=r.t(level)), _total_row(r, over, total, level))
    )
    return s


def _week(r: _Reader, brief_from: dt.date, brief_to: dt.date, as_of: dt.date) -> list[Section]:
    level = _level(r.scope)
    code = _code_col(level)
    out = []

    # 1. the week's completed records per group and service, against what the running periods still need
    s = Section(r.t("brief_records_title"))
    rec = r.query(
        "brief/records",
        level=level,
        date_from=brief_from,
        date_to=brief_to,
        as_of=as_of,
        year_from=dt.date(as_of.year, 1, 1),
        year_to=dt.date(as_of.year, 12, 31),
        window=(dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)),
    )
    keys = ["city_code", "district_code"] if level == "district" else [code]
    rec = rec.rename(columns={"k1": keys[0], **({"k2": keys[1]} if len(keys) > 1 else {})})
    rec = rec[[*keys, "service_code", "records", "due", "missing"]]
    rec = _with_names(r, rec, level)
    rec["service_code"] = [r.label("service", c) for c in rec.service_code]
    s.paragraphs.append(
        r.t(
            "brief_records_text",
            records=f"{int(rec.records.sum()):,}",
            due=f"{int(rec.due.sum()):,}",
            missing=f"{int(rec.missing.sum()):,}",
            as_of=as_of,
        )
    )
    s.tables.append(Table("records", r.t("brief_records_title"), rec.rename(columns={"due": "running_due"})))
    by_service = rec.groupby("service_code", sort=False)[["records"]].sum().sort_values("records", ascending=False)
    if not by_service.empty:
        s.figures.append(
            figures.count_bars(list(by_service.index), [int(v) for v in by_service.records], 40 + 28 * len(by_service))
        )
    out.append(s)

    # 2. the due list at the week's end: open obligations with at most DUE_DAYS days left
    s = Section(r.t("brief_due_title", days=DUE_DAYS))
    header, rows = measures.due(r.con, as_of, r.scope, within=DUE_DAYS)
    r.commands.append(replay.due(r.db_path, as_of, r.scope, within=DUE_DAYS))
    due = pd.DataFrame(rows, columns=header)
    due["service_code"] = [r.label("service", c) for c in due.service_code]
    due["at_risk"] = [r.t("yes") if v == "yes" else r.t("no") for v in due.at_risk]
    s.paragraphs.append(
        r.t(
            "brief_due_text",
            n=f"{len(due):,}",
            risk=f"{int((due.at_risk == r.t('yes')).sum()):,}",
            missing=f"{int(due.missing.sum()) if len(due) else 0:,}",
            days=DUE_DAYS,
            as_of=as_of,
        )
    )
    name_col = f"{level}_name"
    summary = (
        due.assign(risky=due.at_risk == r.t("yes"))
        .groupby([code, name_col], dropna=False)
        .agg(obligations_due=("missing", "size"), at_risk_count=("risky", "sum"), missing=("missing", "sum"))
        .reset_index()
        .sort_values(code, key=lambda c: c.astype(str))
    )
    s.tables.append(Table("due_summary", r.t("brief_due_summary", rows=r.t(level)), summary))
    cols = [
        "days_left",
        "period_end",
        "city_name",
        "district_name",
        "manager_name",
        "customer_id",
        "customer_name",
        "tier",
        "service_code",
        "n",
        "completed",
        "missing",
        "at_risk",
    ]
    s.tables.append(
        Table(
            "due_list",
            r.t("brief_due_list"),
            due[cols],
            shown=SHOWN,
            note=r.t("brief_more_in_workbook", shown=SHOWN, n=f"{len(due):,}") if len(due) > SHOWN else "",
        )
    )
    out.append(s)

    # 3. the week's complaints, 4. over-service records of the week
    out.append(_complaints_section(r, level, brief_from, brief_to, as_of, r.t("brief_complaints_week")))
    out.append(_overservice_section(r, level, brief_from, brief_to, as_of, r.t("brief_overservice_week")))

    # 5. data quality: completeness flags as of the week's end, findings, the quarantine of the week's imports
    out.append(_quality_section(r, brief_from, brief_to, as_of))
    return out


def _quality_section(r: _Reader, brief_from: dt.date, brief_to: dt.date, as_of: dt.date) -> Section:
    s = Section(r.t("brief_quality_title"))
    header, rows = measures.watch(r.con, as_of, r.scope)
    flags = pd.DataFrame(rows, columns=header)
    flags["reason"] = [
        measures.flag_reason(f.flag, f.week_start, f.records, f.median, f.latest, r.lang) for f in flags.itertuples()
    ]
    flags["level"] = [r.t(v) for v in flags.level]
    s.tables.append(Table("data_flags", r.t("brief_flags"), flags[["level", "code", "name", "reason"]]))
    findings = r.query("views/quality_findings")
    counts = findings.groupby("finding").size().reset_index(name="records") if not findings.empty else findings
    if not findings.empty:
        counts["finding"] = [r.t(f"finding_{v}") for v in counts.finding]
    s.tables.append(Table("findings", r.t("brief_findings"), counts))
    if r.scope.city_code is None:
        # the imports finished during the period, up to its publication (the Tuesday after a week)
        since = dt.datetime.combine(brief_from, dt.time())
        until = dt.datetime.combine(brief_to + dt.timedelta(days=3), dt.time())
        imp = r.query("brief/imports", since=since, until=until)
        s.paragraphs.append(
            r.t(
                "brief_imports_text",
                n=imp.import_id.nunique(),
                since=brief_from,
                until=brief_to + dt.timedelta(days=2),
                q=f"{int(imp.quarantined.sum()) if len(imp) else 0:,}",
            )
        )
        s.tables.append(Table("imports", r.t("brief_imports"), imp))
        q = r.query("brief/quarantine", since=since, until=until)
        q["reason"] = [display.reason_text(v, r.lang) for v in q.reason]
        s.tables.append(
            Table(
                "quarantine",
                r.t("brief_quarantine"),
                q,
                shown=SHOWN,
                note=r.t("brief_more_in_workbook", shown=SHOWN, n=f"{len(q):,}") if len(q) > SHOWN else "",
            )
        )
    else:
        s.paragraphs.append(r.t("brief_quarantine_province_only"))
    return s


def _rank(rates: list) -> list:
    """Competition ranking by rate, highest first (equal rates share a rank); no rate, no rank."""
    known = sorted((v for v in rates if v is not None and v == v), reverse=True)
    return [None if v is None or v != v else known.index(v) + 1 for v in rates]


def _month(r: _Reader, brief_from: dt.date, brief_to: dt.date, as_of: dt.date) -> list[Section]:
    level = _level(r.scope)
    code = _code_col(level)
    ytd_from = dt.date(brief_to.year, 1, 1)
    prev_to = brief_from - dt.timedelta(days=1)
    prev_from = dt.date(prev_to.year, 1, 1)
    out = []

    # 1. compliance year to date at the month's end, rank and change against the previous month's end
    s = Section(r.t("brief_compliance_title"))
    now = _with_names(r, r.report("compliance", level, ytd_from, brief_to, as_of), level)
    total = r.report("compliance", "province", ytd_from, brief_to, as_of)
    before = r.report("compliance", level, prev_from, prev_to, prev_to)
    before_total = r.report("compliance", "province", prev_from, prev_to, prev_to)
    prev_rate = dict(zip(before[code], before.rate))
    now["rank"] = _rank(list(now.rate))
    now["previous_rate"] = [prev_rate.get(c) for c in now[code]]
    now["change_points"] = [display.points(a, b) for a, b in zip(now.rate, now.previous_rate)]
    now = now.sort_values(["rank", code], na_position="last")
    tot = total.iloc[0].to_dict()
    tot.update(
        rank=None,
        previous_rate=before_total.iloc[0]["rate"],
        change_points=display.points(tot["rate"], before_total.iloc[0]["rate"]),
    )
    s.paragraphs.append(
        r.t(
            "brief_compliance_text",
            rate=display.pct(tot["rate"]),
            met=f"{int(tot['met']):,}",
            n=f"{int(tot['obligations']):,}",
            change=tot["change_points"] or "—",
            prev_to=prev_to,
            open=f"{int(tot['open']):,}",
        )
    )
    table = _total_row(r, now.reset_index(drop=True), pd.DataFrame([tot]), level)
    s.tables.append(
        Table("compliance", r.t("brief_compliance_by", rows=r.t(level)), table, rates=("rate", "previous_rate"))
    )
    m = r.query(
        "views/matrix",
        level=level,
        city=None,
        date_from=ytd_from,
        date_to=brief_to,
        as_of=as_of,
        window=(ytd_from, brief_to),
    )
    if not m.empty:
        names = {"city": r.city, "district": r.district, "manager": r.manager}[level]
        key_col = "k2" if level == "district" else "k1"
        order = [c for c in now[code] if c]
        s.figures.append(
            figures.rate_heatmap(m, key_col, names, order, lambda c: r.label("service", c), display.pct, r.t("open"))
        )
    out.append(s)

    # 2. the five weakest districts and managers, with the standards they miss most
    s = Section(r.t("brief_weakest_title", n=WEAKEST))
    for lv in ("district", "manager"):
        if lv == "district" and r.scope.district_code:
            continue
        rep = _with_names(r, r.report("compliance", lv, ytd_from, brief_to, as_of), lv)
        rep = rep[rep.rate.notna()].sort_values(["rate", "missed"], ascending=[True, False]).head(WEAKEST)
        missed = r.query(
            "brief/missed_standards",
            level=lv,
            date_from=ytd_from,
            date_to=brief_to,
            as_of=as_of,
            window=(ytd_from, brief_to),
        )
        kc = "k2" if lv == "district" else "k1"
        most = {}
        for row in missed.itertuples():
            most.setdefault(getattr(row, kc), []).append(
                f"{row.tier} · {r.label('service', row.service_code)} ({int(row.missed):,})"
            )
        rep["missed_most"] = ["; ".join(most.get(c, [])) for c in rep[_code_col(lv)]]
        s.tables.append(
            Table(f"weakest_{lv}", r.t(f"brief_weakest_{lv}", n=WEAKEST), rep.reset_index(drop=True), rates=("rate",))
        )
    out.append(s)

    # 3. greetings year to date
    s = Section(r.t("brief_greetings_title"))
    g = _with_names(r, r.report("greetings", level, ytd_from, brief_to, as_of), level)
    gt = r.report("greetings", "province", ytd_from, brief_to, as_of)
    s.paragraphs.append(
        r.t(
            "brief_greetings_text",
            rate=display.pct(gt.iloc[0]["rate"]),
            met=f"{int(gt.iloc[0]['met']):,}",
            n=f"{int(gt.iloc[0]['obligations']):,}",
        )
    )
    s.tables.append(
        Table("greetings", r.t("brief_greetings_by", rows=r.t(level)), _total_row(r, g, gt, level), rates=("rate",))
    )
    out.append(s)

    # 4. the month's complaints and over-service
    out.append(_complaints_section(r, level, brief_from, brief_to, as_of, r.t("brief_complaints_month")))
    out.append(_overservice_section(r, level, brief_from, brief_to, as_of, r.t("brief_overservice_month")))

    # 5. upgrade candidates (§3 tier check) on the month's last day
    s = Section(r.t("upgrade_candidates"))
    up = r.query("views/upgrade_candidates", as_of=as_of, limit=None)
    up["criterion"] = [
        r.t("by_members", n=int(u.member_count))
        if u.by_members
        else r.t("by_industry", industry=r.label("industry", u.industry))
        for u in up.itertuples()
    ]
    up = up[["customer_id", "customer_name", "city_code", "district_code", "held_tier", "qualifies_for", "criterion"]]
    s.paragraphs.append(r.t("brief_upgrades_text", n=f"{len(up):,}"))
    s.tables.append(
        Table(
            "upgrades",
            r.t("upgrade_candidates"),
            up,
            shown=SHOWN,
            note=r.t("brief_more_in_workbook", shown=SHOWN, n=f"{len(up):,}") if len(up) > SHOWN else "",
        )
    )
    out.append(s)

    # 6. the chief account managers' scorecard, year to date (SPEC §12, seed 003 考核)
    out.append(_chief_section(r, ytd_from, brief_to, as_of))

    # 7. the monthly trend of the compliance rate, year to date
    s = Section(r.t("monthly_trend"))
    trend = r.query(
        "views/trend",
        level="province",
        city=None,
        district=None,
        manager=None,
        date_from=ytd_from,
        date_to=brief_to,
        as_of=as_of,
        window=(ytd_from, brief_to),
    )
    if not trend.empty:
        trend = trend.sort_values("month").reset_index(drop=True)
        s.figures.append(figures.rate_trend(trend, r.t("brief_scope_line"), display.pct, height=320))
        tt = trend[["month", "obligations", "met", "rate"]].copy()
        tt["month"] = [str(v)[:7] for v in tt.month]
        s.tables.append(Table("trend", r.t("monthly_trend"), tt, rates=("rate",)))
    else:
        s.paragraphs.append(r.t("empty_why_window"))
    out.append(s)
    return out


def _chief_section(r: _Reader, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> Section:
    """Every chief account manager of the scope, ranked by chief-visit compliance; what cannot be measured said in
    words (the same columns and notes as the manager page's tab: supervision/chiefs.py)."""
    s = Section(r.t("brief_chief_title"))
    raw = r.query(
        "views/chief_scorecard",
        window=(date_from, date_to),
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        city=None,
        district=None,
        rank_by="chief_visit",
    )
    board, notes = chiefs.shown(raw, r.t("not_measured_revenue"))
    if board.empty:
        s.paragraphs.append(r.t("empty_why_window"))
        return s
    rated = board.dropna(subset=["chief_visit_rate"])
    weakest = ", ".join(
        f"{m.manager_name or m.manager_id} {display.pct(m.chief_visit_rate)}"
        for m in rated.sort_values(["chief_visit_rate", "manager_id"]).head(3).itertuples()
    ) or r.t("none")
    s.paragraphs.append(r.t("brief_chief_text", n=f"{len(board):,}", weakest=weakest))
    s.paragraphs += [r.t(n) for n in notes]
    # on paper the rates and their counts, not every count (the manager page and its export have them all)
    board = board[[c for c in chiefs.BRIEF_COLUMNS if c in board]]
    s.tables.append(
        Table(
            "chief_managers",
            r.t("brief_chief_title"),
            board,
            rates=tuple(c for c in chiefs.RATES if c in board),
            shown=SHOWN,
            note=r.t("brief_more_in_workbook", shown=SHOWN, n=f"{len(board):,}") if len(board) > SHOWN else "",
        )
    )
    return s


# ---------------------------------------------------------------- composing
def compose(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    day: dt.date | None = None,
    scope: Scope = PROVINCE,
    db_path: str = "",
    lang: str = "zh",
    now: dt.datetime | None = None,
) -> Brief:
    """The brief of `kind` for the week or month holding `day` (default: the latest complete one), in `scope`."""
    if kind not in KINDS:
        raise BriefError(f"unknown brief {kind!r}: week or month")
    data_as_of = measures.as_of_default(con)
    if data_as_of is None:
        raise BriefError("the database holds no service logs yet: import an export first")
    day = day or default_day(kind, data_as_of)
    date_from, date_to = period(kind, day)
    first = con.execute("select min(service_time)::date from service_logs").fetchone()[0]
    if date_from > data_as_of:
        raise BriefError(f"the {kind} {date_from} – {date_to} starts after the data's as-of date {data_as_of}")
    if date_to < first:
        raise BriefError(f"the {kind} {date_from} – {date_to} ends before the first service log ({first})")
    provisional = date_to > data_as_of
    as_of = min(date_to, data_as_of)
    r = _Reader(con, scope, lang, db_path)
    if scope.district_code:
        scope_name = r.district.get(scope.district_code, scope.district_code)
    elif scope.city_code:
        scope_name = r.city.get(scope.city_code, scope.city_code)
    else:
        scope_name = r.t("province")
    sections = _week(r, date_from, date_to, as_of) if kind == "week" else _month(r, date_from, date_to, as_of)
    version = con.execute("select max(version) from standards_versions").fetchone()[0]
    config_version = con.execute("select max(version) from config_versions").fetchone()[0]
    import_id = con.execute("select max(import_id) from imports where finished_at is not null").fetchone()[0]
    now = now or dt.datetime.now()
    window = f"{date_from} .. {date_to}"
    title = r.t(
        f"brief_{kind}_name",
        scope=scope_name,
        start=date_from,
        end=date_to,
        month=f"{date_from.year}-{date_from.month:02d}",
    )
    prov = [
        ("brief", kind),
        ("window", window),
        *((("window_year_to_date", f"{dt.date(date_to.year, 1, 1)} .. {date_to}"),) if kind == "month" else ()),
        ("as_of", str(as_of)),
        ("data_as_of", str(data_as_of)),
        ("provisional", "yes" if provisional else "no"),
        ("standards_version", str(version)),
        ("config_version", str(config_version)),
        ("import_id", str(import_id)),
        ("scope", scope.district_code or scope.city_code or "province"),
        ("generated_at", now.isoformat(timespec="seconds")),
        *(("reproduce", c) for c in r.commands),
    ]
    return Brief(
        kind, date_from, date_to, as_of, scope, scope_name, lang, provisional, title, sections, prov, list(r.commands)
    )


# ---------------------------------------------------------------- writing
_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       color: #1f2933; font-size: 10.5pt; line-height: 1.45; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 19pt; margin: 0 0 4pt; }
h2 { font-size: 13.5pt; margin: 18pt 0 6pt; border-bottom: 2px solid #263238; padding-bottom: 2pt;
     break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
.provisional { background: #fff3e0; border-left: 4px solid #ef6c00; padding: 6pt 8pt; font-weight: bold; }
.prov { font-size: 8.5pt; color: #52606d; border: 1px solid #cbd2d9; padding: 6pt 8pt; margin: 8pt 0; }
.prov code { font-size: 7.5pt; word-break: break-all; }
table { border-collapse: collapse; width: 100%; font-size: 8.8pt; margin: 2pt 0 6pt; }
th, td { border: 1px solid #cbd2d9; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eef2f5; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; background: #f5f7fa; }
tr { break-inside: avoid; }
.note { font-size: 8.5pt; color: #52606d; }
.figure { break-inside: avoid; margin: 4pt 0; }
"""


def _cell_text(value, rate: bool) -> tuple[str, bool]:
    """(text, numeric) of one cell as printed: rates as percentages (display.pct), counts with separators."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ("—" if rate else ""), rate
    if rate:
        return display.pct(value), True
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        v = value.item() if hasattr(value, "item") else value
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        return (f"{v:,}" if isinstance(v, int) else str(v)), True
    if isinstance(value, (dt.date, pd.Timestamp)):
        return str(value)[:10], False
    return str(value), False


def _html_table(b: Brief, t: Table) -> str:
    df = t.df if t.shown is None else t.df.head(t.shown)
    heads = "".join(f"<th>{html.escape(i18n.t(c, b.lang) if c in i18n.TEXT else c)}</th>" for c in df.columns)
    total = i18n.t("brief_total", b.lang)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, rec):
            text, num = _cell_text(v, c in t.rates)
            cells.append(f'<td class="n">{html.escape(text)}</td>' if num else f"<td>{html.escape(text)}</td>")
        cls = ' class="total"' if total in [str(v) for v in rec] else ""
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    if not rows:
        body = f'<p class="note">{html.escape(i18n.t("brief_nothing", b.lang))}</p>'
        return f"<h3>{html.escape(t.title)}</h3>{body}"
    note = f'<p class="note">{html.escape(t.note)}</p>' if t.note else ""
    table = f"<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return f"<h3>{html.escape(t.title)}</h3>{table}{note}"


def provenance_value(b: Brief, key: str, value: str) -> str:
    """A provenance value as the reader reads it on paper (the workbook keeps the codes)."""
    if key == "brief":
        return i18n.t(f"brief_kind_{value}", b.lang)
    if key == "provisional":
        return i18n.t(value, b.lang)
    if key == "scope":
        return b.scope_name if value == "province" else f"{b.scope_name} ({value})"
    return value


def to_html(b: Brief) -> str:
    """One self-contained HTML file: text, tables, and the charts inline (plotly.js embedded once)."""
    parts = [f"<h1>{html.escape(b.title)}</h1>"]
    if b.provisional:
        parts.append(f'<p class="provisional">{html.escape(i18n.t("brief_provisional", b.lang, as_of=b.as_of))}</p>')
    prov = "".join(
        f"<div><b>{html.escape(i18n.t('prov_' + k, b.lang) if 'prov_' + k in i18n.TEXT else k)}</b>: "
        + (f"<code>{html.escape(v)}</code>" if k == "reproduce" else html.escape(provenance_value(b, k, v)))
        + "</div>"
        for k, v in b.provenance
    )
    parts.append(f'<div class="prov">{prov}</div>')
    first_figure = True
    for sec in b.sections:
        parts.append(f"<h2>{html.escape(sec.title)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in sec.paragraphs]
        for fig in sec.figures:
            fig.update_layout(width=700, font=dict(family="Noto Sans CJK SC, sans-serif"))
            div = fig.to_html(
                full_html=False,
                include_plotlyjs=True if first_figure else False,
                config={"displayModeBar": False, "staticPlot": False},
            )
            parts.append(f'<div class="figure">{div}</div>')
            first_figure = False
        parts += [_html_table(b, t) for t in sec.tables]
    lang = "zh-CN" if b.lang == "zh" else "en"
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(b.title)}</title>'
        f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def to_xlsx(b: Brief) -> bytes:
    """One sheet per table (the provenance on top of each), plus the provenance sheet. Rates are the exact
    4-decimal values `report` prints (numbers), everything else as the HTML shows it."""
    sheets = []
    for sec in b.sections:
        for t in sec.tables:
            sheets.append((t.sheet, _columns_for_sheet(b, t.df)))
    return exports.workbook(sheets, b.provenance)


def _columns_for_sheet(b: Brief, df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={c: i18n.t(c, b.lang) for c in df.columns if c in i18n.TEXT})


def chromium() -> str | None:
    """The Chromium (or Chrome) that prints the PDF: $SUPERVISION_CHROMIUM, else the first one on PATH."""
    env = os.environ.get("SUPERVISION_CHROMIUM")
    if env:
        return env if os.path.exists(env) else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def to_pdf(html_text: str, timeout: float = 120) -> bytes:
    """The HTML printed to PDF by headless Chromium (docs/design.md says why): A4, the charts drawn by plotly.js
    before printing, Chinese in the Noto CJK font installed with it."""
    exe = chromium()
    if exe is None:
        raise BriefError(
            "no Chromium to print the PDF with: install it (Debian: apt-get install chromium fonts-noto-cjk) or set "
            "SUPERVISION_CHROMIUM to its path; the HTML and Excel files do not need it"
        )
    with tempfile.TemporaryDirectory(prefix="brief-") as tmp:
        src, out = os.path.join(tmp, "brief.html"), os.path.join(tmp, "brief.pdf")
        with open(src, "w", encoding="utf-8") as f:
            f.write(html_text)
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={os.path.join(tmp, 'profile')}",
            "--no-pdf-header-footer",
            "--virtual-time-budget=15000",  # plotly.js draws the charts before the page is printed
            f"--print-to-pdf={out}",
            "file://" + src,
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise BriefError(f"Chromium did not print the PDF within {timeout:.0f} s") from None
        if not os.path.exists(out) or os.path.getsize(out) == 0:
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise BriefError(f"Chromium did not print the PDF (exit {done.returncode}): {' | '.join(err)}")
        with open(out, "rb") as f:
            return f.read()


def render(b: Brief, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """The brief's files: {extension: bytes} for each format asked (html, pdf, xlsx). Chromium prints the PDF in
    a thread of its own while the workbook is written (it waits on a subprocess: the GIL is free)."""
    files: dict[str, bytes] = {}
    page = to_html(b) if ("html" in formats or "pdf" in formats) else ""
    printed: dict[str, bytes | BaseException] = {}

    def print_pdf() -> None:
        try:
            printed["pdf"] = to_pdf(page)
        except BaseException as e:  # noqa: BLE001 - raised again below, in the caller's thread
            printed["pdf"] = e

    worker = threading.Thread(target=print_pdf) if "pdf" in formats else None
    if worker is not None:
        worker.start()
    if "html" in formats:
        files["html"] = page.encode("utf-8")
    if "xlsx" in formats:
        files["xlsx"] = to_xlsx(b)
    if worker is not None:
        worker.join()
        if isinstance(printed["pdf"], BaseException):
            raise printed["pdf"]
        files["pdf"] = printed["pdf"]
    return {ext: files[ext] for ext in FORMATS if ext in files}


def write(b: Brief, out_dir: str, formats: tuple[str, ...] = FORMATS) -> list[str]:
    """Write the brief's files into `out_dir` (created); returns their paths."""
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for ext, data in render(b, formats).items():
        path = os.path.join(out_dir, f"{b.file_stem()}.{ext}")
        with open(path, "wb") as f:
            f.write(data)
        paths.append(path)
    return paths
