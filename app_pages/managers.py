"""客户经理 Manager scorecards (SPEC §6): rate, obligations, misses, items due now, trend; each manager opens
onto their customers, each customer onto its detail page."""

import streamlit as st

from supervision import charts, ui

w = ui.page_window()
sc = ui.scope()
nm = ui.names(sc)
ui.header(ui.t("managers_title"), w)

c1, c2 = st.columns(2)
cities = [""] + sorted(nm["city"])
city = ui.choice(
    ui.t("city"), cities, "city", container=c1, format_func=lambda c: nm["city"].get(c, c) if c else ui.t("all")
)
org = ui.query("views/org_units", sc)
dcodes = [""] + list(org[org.city_code == city].district_code if city else org.district_code)
district = ui.choice(
    ui.t("district"),
    dcodes,
    "district",
    container=c2,
    format_func=lambda d: nm["district"].get(d, d) if d else ui.t("all"),
)

cards = ui.query("views/scorecards", sc, city=city or None, district=district or None, **w.params())
if cards.empty:
    ui.empty_state(ui.t("empty_why_window"))
    st.stop()
cards["manager_label"] = cards.manager_name.fillna(ui.t("none_manager"))
event = ui.table(
    cards[
        [
            "manager_id",
            "manager_label",
            "role",
            "city_name",
            "district_name",
            "customers",
            "rate",
            "obligations",
            "met",
            "missed",
            "open",
            "due_now",
        ]
    ],
    on_select="rerun",
    selection_mode="single-row",
    key="cards",
)
ui.export_buttons(cards, "scorecards", w, {"city": city, "district": district})
st.caption(ui.t("pick_row_hint"))

row = ui.selected_row(event)
manager = st.query_params.get("manager") if row is None else cards.loc[row, "manager_id"]
if manager is None:
    st.stop()
st.query_params["manager"] = manager
st.subheader(ui.t("customers_of", manager=f"{nm['manager'].get(manager, ui.t('none_manager'))} ({manager})"))
c1, c2 = st.columns(2)
with c1:
    ui.link("audit", ui.t("drill_missed"), manager=manager, status="missed")
with c2:
    ui.link("due", ui.t("nav_due"), manager=manager)
left, right = st.columns([3, 2])
with left:
    custs = ui.query("views/customer_scores", sc, manager=manager, district=None, **w.params())
    ev = ui.table(
        custs,
        on_select="rerun",
        selection_mode="single-row",
        key="custs",
    )
    r = ui.selected_row(ev)
    if r is not None:
        ui.go("customer", customer=custs.loc[r, "customer_id"])
with right:
    tr = ui.query("views/trend", sc, level="province", city=None, district=None, manager=manager, **w.params())
    charts.rate_trend(tr, "mtrend", nm["manager"].get(manager, manager), height=300)
