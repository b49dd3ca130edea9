"""The dashboard's charts, drawn the same way wherever they appear: rates on a red → green scale with one
decimal, one colour per status (met / missed / open) and per tier.

Figures are built with plotly.graph_objects, not Plotly Express: Express spent 0.3-0.5 s of server CPU per
chart (measured: px.line of 14 lines 0.48 s, the same figure with graph_objects 8 ms), which eight readers
opening the overview together paid eight times.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from supervision import figures, ui

_layout = figures.layout


def rate_heatmap(
    m: pd.DataFrame,
    key_col: str,
    names: dict[str, str],
    order: list[str],
    key: str,
    marks: dict[str, str] | None = None,
) -> tuple[str, str] | None:
    """Rows (cities, districts ...) × services from views/matrix.sql (figures.rate_heatmap); rows in `order`.
    Returns (row code, service code) of the cell the reader clicked, to drill down to the obligations behind it."""
    if m.empty:
        ui.empty_state(ui.t("empty_why_window"))
        return None
    fig = figures.rate_heatmap(
        m, key_col, names, order, lambda c: ui.label("service", c), ui.pct, ui.t("open"), marks=marks
    )
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points")
    points = event.selection.points if event and event.selection else []
    return (points[0]["customdata"][0], points[0]["customdata"][1]) if points else None


def rate_trend(
    total: pd.DataFrame,
    key: str,
    total_name: str,
    groups: pd.DataFrame | None = None,
    group_col: str = "k1",
    names: dict[str, str] | None = None,
    picked: list[str] | None = None,
    height: int = 360,
) -> None:
    """Monthly rates from views/trend.sql: the reader's whole scope as the main line, the `picked` groups beside
    it (figures.rate_trend)."""
    if total.empty:
        ui.empty_state(ui.t("empty_why_window"))
        return
    fig = figures.rate_trend(total, total_name, ui.pct, groups, group_col, names, picked, height)
    st.plotly_chart(fig, key=key)


def status_bars(counts: pd.DataFrame, x_col: str, order: list[str], key: str, height: int = 380):
    """Stacked met / missed / open bars per `x_col` value (tiers ...), in `order`. A click on a segment returns
    (x value, status) to drill down to those obligations."""
    counts = counts.set_index(x_col).reindex([o for o in order if o in set(counts[x_col])]).reset_index()
    fig = go.Figure()
    for status in ("met", "missed", "open"):
        fig.add_trace(
            go.Bar(
                x=counts[x_col],
                y=counts[status],
                name=ui.status_label(status),
                marker_color=ui.STATUS_COLORS[status],
                customdata=[[x, status] for x in counts[x_col]],
                hovertemplate="%{x} · %{fullData.name} · %{y:,}<extra></extra>",
            )
        )
    _layout(
        fig,
        height,
        barmode="stack",
        clickmode="event+select",
        legend=dict(orientation="h", y=-0.12),
        yaxis=dict(title=ui.t("obligations"), tickformat=","),
        xaxis=dict(title=ui.t("tier"), type="category"),
    )
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points")
    points = event.selection.points if event and event.selection else []
    return (points[0]["customdata"][0], points[0]["customdata"][1]) if points else None


def rate_bars(df: pd.DataFrame, x_col: str, groups: dict[str, str], key: str, height: int = 340) -> None:
    """Rates of groups side by side per `x_col` value (one colour per group, labels with one decimal), from one row
    per `x_col` value holding each group's numbers under a prefix (`a_rate`, `a_obligations`: views/district_pair).
    `groups`: prefix → the group's name, in drawing order; a group has a bar where it has obligations."""
    fig = go.Figure()
    for prefix, name in groups.items():
        g = df[df[f"{prefix}_obligations"].notna()]
        rates = g[f"{prefix}_rate"]
        fig.add_trace(
            go.Bar(
                x=g[x_col],
                y=rates,
                name=str(name),
                text=[ui.pct(v) for v in rates],
                textposition="auto",
                hovertemplate="%{x} · %{fullData.name} · %{text}<extra></extra>",
            )
        )
    _layout(fig, height, barmode="group", yaxis=dict(tickformat=".0%"), legend=dict(orientation="h", y=-0.15))
    st.plotly_chart(fig, key=key)


def histogram(
    df: pd.DataFrame,
    x_col: str,
    color_col: str,
    colors: dict[str, str],
    order: list[str],
    key: str,
    x_title: str,
    height: int = 260,
    weight_col: str | None = None,
) -> None:
    """Counts of `x_col` values, stacked by `color_col` (one colour per tier ...). With `weight_col`, each row
    stands for that many (rows counted in SQL)."""
    fig = go.Figure()
    for value in [o for o in order if o in set(df[color_col])]:
        part = df.loc[df[color_col] == value]
        weights = dict(y=part[weight_col], histfunc="sum") if weight_col else {}
        fig.add_trace(
            go.Histogram(x=part[x_col], name=str(value), marker_color=colors.get(value), nbinsx=40, **weights)
        )
    _layout(fig, height, barmode="stack", bargap=0.05, xaxis=dict(title=x_title), legend=dict(orientation="h"))
    st.plotly_chart(fig, key=key)


def timeline(obl: pd.DataFrame, key: str) -> None:
    """One bar per obligation period (views/obligations rows), a row per service, coloured by status."""
    obl = obl.assign(svc=obl.service_code.map(lambda c: ui.label("service", c)))
    fig = go.Figure()
    for status in ("met", "missed", "open"):
        part = obl[obl.status == status]
        if part.empty:
            continue
        start = pd.to_datetime(part.period_start)
        end = pd.to_datetime(part.period_end) + pd.Timedelta(days=1)
        fig.add_trace(
            go.Bar(
                base=start,
                x=(end - start).dt.total_seconds() * 1000,
                y=part.svc,
                orientation="h",
                name=ui.status_label(status),
                marker=dict(color=ui.STATUS_COLORS[status], line=dict(color="white", width=2)),
                customdata=list(
                    zip(
                        part.period_start.astype(str).str[:10],
                        part.period_end.astype(str).str[:10],
                        part.completed.astype(int),
                        part.n.astype(int),
                        part.tier,
                    )
                ),
                hovertemplate="%{y} · %{customdata[0]} – %{customdata[1]} · %{customdata[2]}/%{customdata[3]} · "
                "%{customdata[4]}<extra>%{fullData.name}</extra>",
            )
        )
    _layout(
        fig,
        80 + 40 * obl.svc.nunique(),
        barmode="overlay",
        xaxis=dict(type="date", tickformat="%Y-%m"),
        legend=dict(orientation="h", y=-0.2),
    )
    st.plotly_chart(fig, key=key)


def visit_trend(df: pd.DataFrame, key: str, height: int = 340) -> None:
    """Return visits per day / week / month (views/returnvisit_trend.sql): orders on time, missed and open as
    stacked bars, the on-time rate (of the closed orders) as a line on its own axis."""
    fig = go.Figure()
    for col, status in (("on_time", "met"), ("missed", "missed"), ("open", "open")):
        fig.add_trace(
            go.Bar(
                x=df.bucket,
                y=df[col],
                name=ui.t(col),
                marker_color=ui.STATUS_COLORS[status],
                hovertemplate="%{x|%Y-%m-%d} · %{fullData.name} · %{y:,}<extra></extra>",
            )
        )
    rate = [None if v is None or v != v else float(v) for v in df.on_time_rate]
    fig.add_trace(
        go.Scatter(
            x=df.bucket,
            y=rate,
            name=ui.t("on_time_rate"),
            yaxis="y2",
            mode="lines+markers",
            line=dict(color=figures.MAIN_LINE),
            text=[ui.pct(v) for v in df.on_time_rate],
            hovertemplate="%{x|%Y-%m-%d} · %{fullData.name} · %{text}<extra></extra>",
        )
    )
    _layout(
        fig,
        height,
        barmode="stack",
        legend=dict(orientation="h", y=-0.15),
        yaxis=dict(title=ui.t("orders"), tickformat=","),
        xaxis=dict(tickformat="%Y-%m-%d"),  # numbers, not English month names
        yaxis2=dict(overlaying="y", side="right", range=[0, 1.02], tickformat=".0%", showgrid=False),
    )
    st.plotly_chart(fig, key=key)


def cadence_grid(df: pd.DataFrame, row_label: dict[str, str], key: str) -> tuple[str, str] | None:
    """The inspection calendar (views/inspection_grid.sql, one level): a row per place, a column per period,
    each cell met (green), missed (red) or open (grey) with its number of inspections. Returns (place code,
    period start) of the clicked cell, to list its inspections."""
    rows = list(dict.fromkeys(df.place))
    cols = sorted(set(df.period))
    cell = {(r.place, r.period): r for r in df.itertuples()}
    z_of = {"missed": 0, "open": 1, "met": 2}
    z, text, custom, hover = [], [], [], []
    for p in rows:
        zr, tr, cr, hr = [], [], [], []
        for c in cols:
            r = cell.get((p, c))
            zr.append(None if r is None else z_of[r.status])
            tr.append("" if r is None else str(r.inspections))
            cr.append([p, "" if r is None else str(r.period_start)[:10]])
            hr.append(
                "" if r is None else f"{row_label.get(p, p)} · {c} · {ui.status_label(r.status)} · {r.inspections}"
            )
        z.append(zr)
        text.append(tr)
        custom.append(cr)
        hover.append(hr)
    scale = [[0.0, ui.STATUS_COLORS["missed"]], [0.5, ui.STATUS_COLORS["open"]], [1.0, ui.STATUS_COLORS["met"]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=cols,
            y=[row_label.get(p, p) for p in rows],
            text=text,
            texttemplate="%{text}",
            customdata=custom,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            colorscale=scale,
            zmin=0,
            zmax=2,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    _layout(
        fig,
        max(160, 60 + 24 * len(rows)),
        xaxis=dict(type="category", side="top"),
        yaxis=dict(type="category", autorange="reversed"),
        clickmode="event+select",
    )
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points")
    points = event.selection.points if event and event.selection else []
    return (points[0]["customdata"][0], points[0]["customdata"][1]) if points else None
