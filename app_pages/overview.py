"""全省总览 Province overview (SPEC §6): the province manager's first minute."""

import plotly.express as px
import streamlit as st

from supervision import charts, periods, ui

w = ui.page_window()
sc = ui.scope()
ui.header(ui.t("overview_title"), w)
nm = ui.names(sc)

prov = ui.report("compliance", "province", w, sc).iloc[0]
gran = st.query_params.get("gran", "year")
p_from, p_to = periods.previous(gran, w.date_from, w.date_to)
prev = ui.report("compliance", "province", periods.Window(p_from, p_to, w.as_of), sc).iloc[0]
greet = ui.report("greetings", "province", w, sc).iloc[0]
comp = ui.report("complaints", "province", w, sc).iloc[0]
over = ui.report("overservice", "province", w, sc).iloc[0]

delta = None
first = ui.data_info()["first"]
if prov["obligations"] and prev["obligations"] and first is not None and p_from >= first.replace(day=1):
    delta = f"{(prov['rate'] - prev['rate']) * 100:+.1f} pp {ui.t('vs_previous')}"
k = st.columns(7)
k[0].metric(
    ui.t("compliance_rate"), ui.pct(prov["rate"]), delta, border=True, help=f"{ui.t('met')} / {ui.t('obligations')}"
)
k[1].metric(ui.t("met"), f"{int(prov['met']):,}", border=True)
k[2].metric(ui.t("missed"), f"{int(prov['missed']):,}", border=True)
k[3].metric(ui.t("open"), f"{int(prov['open']):,}", border=True)
k[4].metric(
    ui.t("greeting_rate"),
    ui.pct(greet["rate"]),
    f"{int(greet['met'])}/{int(greet['obligations'])}",
    delta_color="off",
    delta_arrow="off",
    border=True,
)
resolved = comp["resolved_on_time"] / comp["complaints"] if comp["complaints"] else None
k[5].metric(
    ui.t("resolved_on_time"),
    ui.pct(resolved),
    f"{int(comp['resolved_on_time'])}/{int(comp['complaints'])} · {ui.t('satisfaction_rate')} "
    f"{ui.pct(comp['satisfaction_rate'])}",
    delta_color="off",
    delta_arrow="off",
    border=True,
)
k[6].metric(ui.t("overservice_records"), f"{int(over['records']):,}", border=True)

if not prov["obligations"] and not prov["open"]:
    ui.empty_state(ui.t("empty_why_window"))
    st.stop()

cities = ui.report("compliance", "city", w, sc)
cities["city_name"] = cities.city_code.map(nm["city"]).fillna(cities.city_code)
ranked = cities.sort_values("rate", ascending=False, na_position="last").reset_index(drop=True)

left, right = st.columns([5, 6])
with left:
    st.subheader(ui.t("city_ranking"))
    event = ui.table(
        ranked[["city_name", "rate", "obligations", "met", "missed", "open", "city_code"]],
        on_select="rerun",
        selection_mode="single-row",
        key="city_rank",
    )
    st.caption(ui.t("pick_row_hint"))
    ui.link("audit", ui.t("drill_missed"), status="missed")
    row = ui.selected_row(event)
    if row is not None:
        ui.go("city", city=ranked.loc[row, "city_code"])

with right:
    st.subheader(ui.t("city_service_heatmap"))
    m = ui.query("views/matrix", sc, level="city", city=None, **w.params())
    cell = charts.rate_heatmap(m, "k1", nm["city"], list(ranked.city_code), key="heat")
    st.caption(ui.t("pick_cell_hint"))
    if cell:
        ui.go("audit", city=cell[0], service=cell[1])

c1, c2 = st.columns([3, 2])
with c1:
    st.subheader(ui.t("monthly_trend"))
    tr = ui.query("views/trend", sc, level="city", city=None, district=None, **w.params())
    charts.rate_trend(tr, "k1", nm["city"], ui.t("city"), key="trend", height=380)
with c2:
    st.subheader(ui.t("tier_breakdown"))
    order = ui.tier_order()
    tiers = ui.report("compliance", "tier", w, sc)
    tiers = tiers.assign(_o=tiers.tier.map(order.index)).sort_values("_o").drop(columns="_o")
    long = tiers.melt(id_vars="tier", value_vars=["met", "missed", "open"], var_name="status", value_name="n")
    long["status_label"] = long.status.map(ui.status_label)
    fig = px.bar(
        long,
        x="tier",
        y="n",
        color="status",
        barmode="stack",
        category_orders={"tier": order},
        color_discrete_map=ui.STATUS_COLORS,
        custom_data=["tier", "status"],
        labels={"tier": ui.t("tier"), "n": ui.t("obligations"), "status": ui.t("status")},
    )
    fig.for_each_trace(lambda tr_: tr_.update(name=ui.status_label(tr_.name)))
    fig.update_layout(height=380, margin=dict(l=0, r=0, t=10, b=0), clickmode="event+select")
    event = st.plotly_chart(fig, key="tiers", on_select="rerun", selection_mode="points")
    st.caption(ui.t("pick_bar_hint"))
    points = event.selection.points if event and event.selection else []
    if points:  # a bar segment: the obligations of that tier with that status
        ui.go("audit", tier=points[0]["customdata"][0], status=points[0]["customdata"][1])
    ui.table(
        tiers[["tier", "rate", "obligations", "met", "missed", "open"]],
    )
