"""客户明细 Customer detail (SPEC §6): tier history, each standard's periods as a timeline of met / missed /
open, the evidence records, important members and their greetings, complaints with their times."""

import datetime as dt

import pandas as pd
import plotly.express as px
import streamlit as st

from supervision import ui

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
    (ui.t("industry_members"), ui.label("industry", c.industry) or "—",
     f"{int(c.member_count)}" if pd.notna(c.member_count) else "—"),
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
    tl = obl.copy()
    tl["svc"] = tl.service_code.map(lambda s: ui.label("service", s))
    tl["end"] = pd.to_datetime(tl.period_end) + dt.timedelta(days=1)
    tl["status_label"] = tl.status.map(ui.status_label)
    tl["detail"] = tl.completed.astype(str) + "/" + tl.n.astype(str)
    fig = px.timeline(
        tl,
        x_start="period_start",
        x_end="end",
        y="svc",
        color="status",
        color_discrete_map=ui.STATUS_COLORS,
        hover_data={"detail": True, "tier": True},
        labels={"svc": ui.t("service"), "status": ui.t("status")},
    )
    fig.for_each_trace(lambda tr: tr.update(name=ui.status_label(tr.name)))
    fig.update_traces(marker_line_color="white", marker_line_width=2)
    fig.update_layout(height=80 + 40 * tl.svc.nunique(), margin=dict(l=0, r=0, t=10, b=0))
    st.plotly_chart(fig, key="timeline")
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
    ev = st.dataframe(ui.localise(shown), hide_index=True, on_select="rerun", selection_mode="single-row", key="obl")
    r = ui.selected_row(ev)
    if r is None:
        st.caption(ui.t("pick_obligation"))
    else:
        o = obl.iloc[r]
        st.markdown(
            f"**{ui.t('evidence')}** · {ui.label('service', o.service_code)} "
            f"{o.period_start.date()} – {o.period_end.date()}"
        )
        evid = ui.query(
            "views/evidence",
            sc,
            customer=typed,
            service=o.service_code,
            period_start=o.period_start.date(),
            period_end=o.period_end.date(),
            as_of=w.as_of,
        )
        if evid.empty:
            ui.empty_state(f"{ui.t('missing')}: {o.n}")
        else:
            evid["counted"] = evid.counted.map(lambda b: ui.t("counted") if b else ui.t("not_counted"))
            st.dataframe(ui.localise(evid), hide_index=True)

st.subheader(ui.t("members_greetings"))
gr = ui.query("views/greetings", sc, customer=typed, city=None, manager=None, status=None, **w.params())
if gr.empty:
    st.caption("—")
else:
    gr["member_role"] = gr.member_role.map(lambda r: ui.label("member_role", r))
    st.dataframe(ui.localise(gr), hide_index=True)

st.subheader(ui.t("customer_complaints"))
cp = ui.query("views/complaints", sc, customer=typed, city=None, **w.params())
if cp.empty:
    st.caption("—")
else:
    cp["satisfaction"] = cp.satisfaction.map(lambda s: ui.label("satisfaction", s))
    st.dataframe(cp, hide_index=True)
