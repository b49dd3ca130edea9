"""The dashboard's charts, drawn the same way wherever they appear: rates on a red → green scale with one
decimal, one colour per status (met / missed / open)."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from supervision import ui

OPEN_Z = -0.1  # where a cell with no closed obligation sits on the heatmap's colour scale


def rate_heatmap(m: pd.DataFrame, key_col: str, names: dict[str, str], order: list[str],
                 key: str) -> tuple[str, str] | None:
    """Rows (cities, districts ...) × services from views/matrix.sql; rows in `order` (their codes).
    A cell with no closed obligation says 'open' instead of a rate. Returns (row code, service code) of the
    cell the reader clicked, to drill down to the obligations behind it."""
    if m.empty:
        ui.empty_state(ui.t("empty_why_window"))
        return None
    m = m.assign(row=m[key_col].map(names).fillna(m[key_col]),
                 svc=m.service_code.map(lambda c: ui.label("service", c)))
    grid = m.pivot_table(index="row", columns="svc", values="rate", aggfunc="first", dropna=False)
    wanted = [names.get(c, c) for c in order]
    grid = grid.reindex([r for r in wanted if r in grid.index])
    # a cell with nothing closed yet is drawn light grey and says "open" (z = OPEN_Z, below the rate scale); a
    # cell with no obligation at all stays empty
    scale = [[0.0, "#eeeeee"], [0.09, "#eeeeee"]] + [[0.0909 + 0.9091 * p, c] for p, c in ui.RATE_SCALE]
    present = set(zip(m.row, m.svc))
    z = [[(v if v == v else OPEN_Z) if (r, c) in present else None for c, v in zip(grid.columns, vals)]
         for r, vals in zip(grid.index, grid.values)]
    text = [[(ui.pct(v) if v == v else ui.t("open")) if (r, c) in present else "" for c, v in zip(grid.columns, vals)]
            for r, vals in zip(grid.index, grid.values)]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(grid.columns), y=list(grid.index), colorscale=scale, zmin=OPEN_Z, zmax=1,
        text=text, texttemplate="%{text}",
        hoverinfo="skip", showscale=False))
    # Plotly heatmaps cannot be selected: a nearly invisible marker on each cell carries the click
    fig.add_trace(go.Scatter(
        x=m.svc, y=m.row, mode="markers", customdata=m[[key_col, "service_code"]].values,
        marker=dict(symbol="square", size=26, opacity=0.01, color="black"),
        hovertemplate="%{y} · %{x}<extra></extra>", showlegend=False))
    fig.update_layout(height=40 + 28 * len(grid.index), margin=dict(l=0, r=0, t=10, b=0),
                      yaxis=dict(autorange="reversed", categoryorder="array", categoryarray=list(grid.index)),
                      xaxis=dict(categoryorder="array", categoryarray=list(grid.columns)), clickmode="event+select")
    event = st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points")
    points = event.selection.points if event and event.selection else []
    return (points[0]["customdata"][0], points[0]["customdata"][1]) if points else None


def rate_trend(tr: pd.DataFrame, key_col: str | None, names: dict[str, str], legend: str, key: str,
               height: int = 360) -> None:
    """Monthly rates from views/trend.sql, one line per group (none when key_col is None)."""
    if tr.empty:
        ui.empty_state(ui.t("empty_why_window"))
        return
    color = None
    if key_col:
        tr = tr.assign(group=tr[key_col].map(names).fillna(tr[key_col]))
        color = "group"
    fig = px.line(tr, x="month", y="rate", color=color, markers=True,
                  labels={"month": ui.t("month"), "rate": ui.t("rate"), "group": legend})
    fig.update_layout(yaxis_tickformat=".0%", yaxis_range=[0, 1.05], height=height,
                      margin=dict(l=0, r=0, t=10, b=0))
    st.plotly_chart(fig, key=key)
