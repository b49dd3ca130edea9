"""The charts' figures, built without Streamlit: the dashboard draws them (supervision/charts.py) and the briefs
render the same figures into their HTML and PDF (supervision/brief.py), with one colour map.

Every function takes the texts it writes (labels, the rate formatter) as arguments: a page passes the reader's
language, a brief the brief's. graph_objects, not Plotly Express (see charts.py on the cost).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

# a rate from 0 to 1 on one red → green scale wherever it is drawn
RATE_SCALE = [[0.0, "#c62828"], [0.6, "#f9a825"], [0.85, "#9ccc65"], [1.0, "#2e7d32"]]
OPEN_Z = -0.1  # where a cell with no closed obligation sits on the heatmap's colour scale
MARGIN = dict(l=0, r=0, t=10, b=0)
MAIN_LINE = "#263238"
BAR_COLOR = "#1565c0"


def layout(fig: go.Figure, height: int, **kw) -> go.Figure:
    fig.update_layout(height=height, margin=MARGIN, separators=".,", **kw)
    return fig


def rate_heatmap(
    m: pd.DataFrame,
    key_col: str,
    names: dict[str, str],
    order: list[str],
    service_label: Callable[[str], str],
    pct: Callable[[object], str],
    open_text: str,
    marks: dict[str, str] | None = None,
) -> go.Figure:
    """Rows (cities, districts ...) × services from views/matrix.sql, rows in `order` (their codes). A cell with
    no closed obligation says `open_text` instead of a rate; a flagged row (`marks`: code → reason) is labelled
    with ⚠ and its cells say the reason on hover. Each cell carries (row code, service code, reason)."""
    marks = marks or {}
    names = {c: (f"⚠ {names.get(c, c)}" if c in marks else names.get(c, c)) for c in set(m[key_col]) | set(order)}
    m = m.assign(row=m[key_col].map(names).fillna(m[key_col]), svc=m.service_code.map(service_label))
    grid = m.pivot_table(index="row", columns="svc", values="rate", aggfunc="first", dropna=False)
    wanted = [names.get(c, c) for c in order]
    grid = grid.reindex([r for r in wanted if r in grid.index])
    # a cell with nothing closed yet is drawn light grey and says "open" (z = OPEN_Z, below the rate scale); a
    # cell with no obligation at all stays empty
    scale = [[0.0, "#eeeeee"], [0.09, "#eeeeee"]] + [[0.0909 + 0.9091 * p, c] for p, c in RATE_SCALE]
    present = set(zip(m.row, m.svc))
    z = [
        [(v if v == v else OPEN_Z) if (r, c) in present else None for c, v in zip(grid.columns, vals)]
        for r, vals in zip(grid.index, grid.values)
    ]
    text = [
        [(pct(v) if v == v else open_text) if (r, c) in present else "" for c, v in zip(grid.columns, vals)]
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
    return layout(
        fig,
        40 + 28 * len(grid.index),
        yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=list(grid.index)),
        xaxis=dict(categoryorder="array", categoryarray=list(grid.columns)),
        clickmode="event+select",
    )


def rate_trend(
    total: pd.DataFrame,
    total_name: str,
    pct: Callable[[object], str],
    groups: pd.DataFrame | None = None,
    group_col: str = "k1",
    names: dict[str, str] | None = None,
    picked: list[str] | None = None,
    height: int = 360,
) -> go.Figure:
    """Monthly rates from views/trend.sql: `total` (level province) as the main line, the `picked` groups of
    `groups` beside it, thinner. The axis spans the rates shown (not 0-100%), so a change of two points is
    visible; months are written 2026-03."""
    names = names or {}
    fig = go.Figure()
    rates = list(total.rate.dropna())
    if groups is not None and picked:
        for code in picked:
            g = groups[groups[group_col] == code]
            if g.empty:
                continue
            rates += list(g.rate.dropna())
            fig.add_trace(
                go.Scatter(
                    x=g.month,
                    y=g.rate,
                    mode="lines+markers",
                    name=names.get(code, code),
                    line=dict(width=1.5),
                    marker=dict(size=5),
                    customdata=[[pct(v)] for v in g.rate],
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
                [pct(r), f"{int(m):,}", f"{int(o):,}"] for r, m, o in zip(total.rate, total.met, total.obligations)
            ],
            hovertemplate="%{fullData.name} · %{x|%Y-%m} · %{customdata[0]} (%{customdata[1]}/%{customdata[2]})"
            "<extra></extra>",
        )
    )
    lo, hi = (min(rates), max(rates)) if rates else (0.0, 1.0)
    pad = max(0.02, (hi - lo) * 0.15)
    return layout(
        fig,
        height,
        yaxis=dict(tickformat=".0%", range=[max(0.0, lo - pad), min(1.0, hi + pad) + 0.005]),
        xaxis=dict(tickformat="%Y-%m", dtick="M1"),
        legend=dict(orientation="h", y=-0.15),
        hovermode="closest",
    )


def count_bars(labels: list[str], values: list[int], height: int = 300, color: str = BAR_COLOR) -> go.Figure:
    """Horizontal bars of counts, the first label on top (the brief's high-frequency problems)."""
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=color,
            text=[f"{v:,}" for v in values],
            textposition="auto",
            hovertemplate="%{y} · %{x:,}<extra></extra>",
        )
    )
    return layout(fig, height, yaxis=dict(autorange="reversed", type="category"), xaxis=dict(tickformat=","))
