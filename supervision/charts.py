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

from supervision import ui

OPEN_Z = -0.1  # where a cell with no closed obligation sits on the heatmap's colour scale
MARGIN = dict(l=0, r=0, t=10, b=0)
MAIN_LINE = "#263238"


def _layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(height=height, margin=MARGIN, separators=".,", **kw)
    return fig


def rate_heatmap(
    m: pd.DataFrame,
    key_col: str,
    names: dict[str, str],
    order: list[str],
    key: str,
    marks: dict[str, str] | None = None,
) -> tuple[str, str] | None:
    """Rows (cities, districts ...) × services from views/matrix.sql; rows in `order` (their codes).
    A cell with no closed obligation says 'open' instead of a rate. A row whose data is flagged (`marks`: code
    → reason, SPEC §10) is labelled with ⚠ and its cells say the reason on hover. Returns (row code, service
    code) of the cell the reader clicked, to drill down to the obligations behind it."""
    if m.empty:
        ui.empty_state(ui.t("empty_why_window"))
        return None
    marks = marks or {}
    names = {c: (f"⚠ {names.get(c, c)}" if c in marks else names.get(c, c)) for c in set(m[key_col]) | set(order)}
    m = m.assign(row=m[key_col].map(names).fillna(m[key_col]), svc=m.service_code.map(lambda c: ui.label("service", c)))
    grid = m.pivot_table(index="row", columns="svc", values="rate", aggfunc="first", dropna=False)
    wanted = [names.get(c, c) for c in order]
    grid = grid.reindex([r for r in wanted if r in grid.index])
    # a cell with nothing closed yet is drawn light grey and says "open" (z = OPEN_Z, below the rate scale); a
    # cell with no obligation at all stays empty
    scale = [[0.0, "#eeeeee"], [0.09, "#eeeeee"]] + [[0.0909 + 0.9091 * p, c] for p, c in ui.RATE_SCALE]
    present = set(zip(m.row, m.svc))
    z = [
        [(v if v == v else OPEN_Z) if (r, c) in present else None for c, v in zip(grid.columns, vals)]
        for r, vals in zip(grid.index, grid.values)
    ]
    text = [
        [(ui.pct(v) if v == v else ui.t("open")) if (r, c) in present else "" for c, v in zip(grid.columns, vals)]
        for r, vals in zip(grid.index, grid.values)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(grid.columns),
            y=list(grid.index),
            colorscale=scale,
            zmin=OPEN_Z,
            zmax=1,
            text=text,
            texttemplate="%{text}",
            hoverinfo="skip",
            showscale=False,
        )
    )
    # Plotly heatmaps cannot be selected: a nearly invisible marker on each cell carries the click
    fig.add_trace(
        go.Scatter(
            x=m.svc,
            y=m.row,
            mode="markers",
            customdata=[[c, s, marks.get(c, "")] for c, s in zip(m[key_col], m.service_code)],
            marker=dict(symbol="square", size=26, opacity=0.01, color="black"),
            hovertemplate="%{y} · %{x}<br>%{customdata[2]}<extra></extra>",
            showlegend=False,
        )
    )
    _layout(
        fig,
        40 + 28 * len(grid.index),
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=list(grid.index)),
        xaxis=dict(categoryorder="array", categoryarray=list(grid.columns)),
        clickmode="event+select",
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
    """Monthly rates from views/trend.sql: the reader's whole scope as the main line (`total`, level
    province), and the lines of the `picked` groups of `groups` beside it, thinner. The axis spans the rates
    shown (not 0-100%), so a change of two points is visible; months are written 2026-03."""
    if total.empty:
        ui.empty_state(ui.t("empty_why_window"))
        return
    names = names or {}
    fig = go.Figure()
    rates = list(total.rate)
    if groups is not None and picked:
        for code in picked:
            g = groups[groups[group_col] == code]
            if g.empty:
                continue
            rates += list(g.rate)
            fig.add_trace(
                go.Scatter(
                    x=g.month,
                    y=g.rate,
                    mode="lines+markers",
                    name=names.get(code, code),
                    line=dict(width=1.5),
                    marker=dict(size=5),
                    customdata=[[ui.pct(v)] for v in g.rate],
                    hovertemplate="%{fullData.name} · %{x|%Y-%m} · %{customdata[0]}<extra></extra>",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=total.month,
            y=total.rate,
            mode="lines+markers",
            name=total_name,
            line=dict(width=3.5, color=MAIN_LINE),
            marker=dict(size=7),
            customdata=[
                [ui.pct(r), f"{int(m):,}", f"{int(o):,}"] for r, m, o in zip(total.rate, total.met, total.obligations)
            ],
            hovertemplate="%{fullData.name} · %{x|%Y-%m} · %{customdata[0]} (%{customdata[1]}/%{customdata[2]})"
            "<extra></extra>",
        )
    )
    lo, hi = min(rates), max(rates)
    pad = max(0.02, (hi - lo) * 0.15)
    _layout(
        fig,
        height,
        yaxis=dict(tickformat=".0%", range=[max(0.0, lo - pad), min(1.0, hi + pad) + 0.005]),
        xaxis=dict(tickformat="%Y-%m", dtick="M1"),
        legend=dict(orientation="h", y=-0.15),
        hovermode="closest",
    )
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
