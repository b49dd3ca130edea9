"""客户明细 Customer detail (SPEC §6): tier history, each standard's periods as a timeline of met / missed /
open, the evidence records, important members and their greetings, complaints with their times."""

import pandas as pd
import streamlit as st

from supervision import charts, ui

w = ui.page_window()
sc = ui.scope()
ui.header(ui.t("customer_title"), w)

c1, c2 = st.columns([1, 2])
typed = c1.text_input(ui.t("pick_customer"), key="customer", bind="query-params").strip()
found = ui.query("views/customer_search", sc, q=typed, limit=50, manager=None)
with c2:
    if typed and typed not in set(found.customer_id):
        pick = st.selectbox(
            ui.t("search"),
            [""] + list(found.customer_id),
            key="cust_pick",
            format_func=lambda c: "" if not c else f"{c} {found.set_index('customer_id').customer_name.get(c, '')}",
        )
        if pick:
            st.session_state["customer"] = pick
            st.rerun()
if not typed:
    st.info(ui.t("no_customer"))
    st.stop()
info = ui.query("views/customer", sc, customer=typed)
if info.empty:
    st.warning(ui.t("unknown_customer", id=typed))
    st.stop()
c = info.iloc[0]
st.subheader(f"{c.customer_name} · {c.tier}")
cards = [
    (ui.t("city"), c.city_name or c.city_code, c.district_name or c.district_code),
    (ui.t("manager"), c.manager_name or ui.t("none_manager"), c.manager_id or ""),
    (ui.t("chief_manager"), c.chief_manager_name or ui.t("none_manager"), c.chief_manager_id or ""),
    (
        ui.t("industry_members"),
        ui.label("industry", c.industry) or "—",
        f"{int(c.member_count)}" if pd.notna(c.member_count) else "—",
    ),
    (ui.t("onboarded"), str(pd.Timestamp(c.onboard_date).date()), None),
]
for col, (label_, value, sub) in zip(st.columns(len(cards)), cards):
    col.metric(label_, value, sub, delta_color="off", delta_arrow="off")
history = c.tier_history if isinstance(c.tier_history, list | tuple) else []
if len(history):
    st.caption(ui.t("tier_history") + ": " + " → ".join(f"{h['tier']} ({h['effective_from']})" for h in history))

obl = ui.query(
    "views/obligations",
    sc,
    city=None,
    district=None,
    manager=None,
    tier=None,
    service=None,
    status=None,
    customer=typed,
    limit=5000,
    **w.params(),
)
st.subheader(ui.t("timeline"))
if obl.empty:
    ui.empty_state(ui.t("empty_why_window"))
else:
    charts.timeline(obl, key="timeline")
    shown = obl[
        [
            "service_code",
            "tier",
            "n",
            "period_start",
            "period_end",
            "completed",
            "missing",
            "status",
            "manager_id",
            "manager_name",
            "days_left",
        ]
    ]
    ev = ui.table(shown, on_select="rerun", selection_mode="single-row", key="obl")
    r = ui.selected_row(ev)
    if r is None:
        st.caption(ui.t("pick_obligation"))
    else:
        ui.evidence_panel(obl.iloc[r], sc, w, {"customer": typed})

st.subheader(ui.t("members_greetings"))
gr = ui.query("views/greetings", sc, customer=typed, city=None, manager=None, status=None, **w.params())
if gr.empty:
    st.caption("—")
else:
    ui.table(gr.drop(columns=["city_code", "district_code", "customer_id"]))

st.subheader(ui.t("customer_complaints"))
cp = ui.query("views/complaints", sc, customer=typed, city=None, **w.params())
if cp.empty:
    st.caption("—")
else:
    ui.table(cp.drop(columns=["city_code", "district_code", "customer_id"]))
