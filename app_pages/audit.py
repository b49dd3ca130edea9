"""稽核 Audit explorer (SPEC §1 auditors, §6): filters for city, district, manager, tier, service, period, status
and customer — all in the URL — select exactly the obligations counted, each with the records that met it or
the gap that missed it; exports carry the filter, the as-of date, the standards version and the export time."""

import streamlit as st

from supervision import ui

SHOW = 2000  # rows drawn in the browser; exports always carry every selected row

w = ui.page_window()
sc = ui.scope()
nm = ui.names(sc)
ui.header(ui.t("audit_title"), w)

with st.container(border=True):
    f = st.columns(4)
    city, district, manager = ui.org_filters(sc, nm, f)
    customer = f[3].text_input(ui.t("customer_id"), key="customer", bind="query-params").strip()
    g = st.columns(4)
    tiers = ui.report("compliance", "tier", w, sc).tier.tolist()
    tier = ui.choice(ui.t("tier"), [""] + tiers, "tier", container=g[0], format_func=lambda x: x or ui.t("all"))
    services = ui.report("compliance", "service", w, sc).service_code.tolist()
    service = ui.choice(
        ui.t("service"),
        [""] + services,
        "service",
        container=g[1],
        format_func=lambda s: ui.label("service", s) if s else ui.t("all"),
    )
    status = ui.choice(
        ui.t("status"),
        ["", "met", "missed", "open"],
        "status",
        container=g[2],
        format_func=lambda s: ui.status_label(s) if s else ui.t("all"),
    )

filters = {"city": city, "district": district, "manager": manager, "tier": tier, "service": service,
           "status": status, "customer": customer}
args = {k: (v or None) for k, v in filters.items()}


def obligations_tab() -> None:
    shown = ui.query("views/obligations", sc, **args, limit=SHOW, **w.params())
    total = int(shown.total_rows.iloc[0]) if len(shown) else 0
    more = ui.t("rows_limited", limit=SHOW) if total > SHOW else ""
    st.caption(ui.t("rows_shown", n=f"{total:,}", more=more))
    if shown.empty:
        ui.empty_state(", ".join(f"{k}={v}" for k, v in filters.items() if v) or ui.t("empty_why_window"))
        return
    shown = shown.drop(columns="total_rows")
    ev = st.dataframe(ui.localise(shown), hide_index=True, on_select="rerun", selection_mode="single-row",
                      key="obl", height=420)
    ui.export_buttons(
        lambda: ui.query("views/obligations", sc, **args, limit=10**9, **w.params()).drop(columns="total_rows"),
        "obligations", w, filters)
    r = ui.selected_row(ev)
    if r is None:
        st.caption(ui.t("pick_obligation"))
        return
    o = shown.iloc[r]
    st.markdown(f"**{ui.t('evidence')}** · {o.customer_id} {o.customer_name} · "
                f"{ui.label('service', o.service_code)} {o.period_start.date()} – {o.period_end.date()} · "
                f"{o.completed}/{o.n} · {ui.status_label(o.status)}")
    evid = ui.query("views/evidence", sc, customer=o.customer_id, service=o.service_code,
                    period_start=o.period_start.date(), period_end=o.period_end.date(), as_of=w.as_of)
    if evid.empty:
        ui.empty_state(f"{ui.t('missing')} {o.missing}")
    else:
        evid["counted"] = evid.counted.map(lambda b: ui.t("counted") if b else ui.t("not_counted"))
        st.dataframe(ui.localise(evid), hide_index=True)


def records_tab(name: str, df) -> None:
    st.caption(ui.t("rows_records", n=f"{len(df):,}"))
    st.dataframe(ui.localise(df.head(SHOW)), hide_index=True)
    ui.export_buttons(df, name, w, filters)


# lazy tabs: only the open tab's queries run and only its rows travel to the browser
tabs = st.tabs([ui.t("tab_obligations"), ui.t("tab_greetings"), ui.t("complaints"), ui.t("overservice")],
               key="audit_tab", on_change="rerun")
draw = [
    obligations_tab,
    lambda: records_tab("greetings", ui.query("views/greetings", sc, customer=customer or None, city=city or None,
                                              manager=manager or None, status=status or None, **w.params())),
    lambda: records_tab("complaints", ui.query("views/complaints", sc, customer=customer or None,
                                               city=city or None, **w.params())),
    lambda: records_tab("overservice", ui.query("views/overservice", sc, customer=customer or None,
                                                city=city or None, **w.params())),
]
for tab, fn in zip(tabs, draw):
    if tab.open:
        with tab:
            fn()
