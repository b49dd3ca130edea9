"""工单回访 Return visits (SPEC §12, seed 004 第五十至五十五条): how many install, move and repair orders got their
return visit on time (same day, within three days), which were missed or are still open, whether automatic visits
that did not reach or heard a complaint were followed up by a person, the customers' satisfaction and the reasons
they gave — by city, district, manager and order type, by day, week or month, down to each order and its visits.

Every number is reports/returnvisits.sql (the `report returnvisits` query, with this page's filters) or a view over
the same return_visit_items; a province that never exported work orders sees "no data", never 0% or 100%.
"""

import streamlit as st

from supervision import charts, ui

SHOW = 2000  # orders drawn in the browser; the export carries every selected order
TYPES = ("", "install", "move", "repair")  # remove orders need no return visit
SHOWN_APART = {"k1", "k2", "name", "code", "on_time_rate", "satisfaction_rate"}  # the counts are the rest
STATUSES = ("", "missed", "open", "on_time", "followup_missed", "followup_open")

w, sc, nm = ui.section12_page("returnvisits", "rv_title", "rv_caption")

with st.container(border=True):
    f = st.columns(4)
    city, district, manager = ui.org_filters(sc, nm, f)
    kind = ui.choice(
        ui.t("order_type"),
        TYPES,
        "service",
        container=f[3],
        format_func=lambda k: ui.label("order_type", k) if k else ui.t("all"),
    )
filters = {"city": city, "district": district, "manager": manager, "service": kind}
args = {k: (v or None) for k, v in filters.items()}
# the rows of the ranking: the cities of the province, the districts of a city, the managers of a district
by = "manager" if (district or sc.district_code) else "district" if (city or sc.city_code) else "city"
reproduce = ui.replay_panel(ui.report_commands([("returnvisits", lv) for lv in (by, "service")], w, city, district))


def groups(level: str):
    return ui.query("reports/returnvisits", sc, level=level, **args, **w.params())


total = groups("province")
if total.empty:
    ui.empty_state(", ".join(f"{k}={v}" for k, v in filters.items() if v) or ui.t("empty_why_window"))
    st.stop()
t = total.iloc[0]
k = st.columns(6)
k[0].metric(ui.t("orders"), f"{int(t.orders):,}")
k[1].metric(ui.t("on_time_rate"), ui.pct(t.on_time_rate), help=ui.t("rv_caption"))
k[2].metric(ui.t("same_day"), f"{int(t.same_day):,}")
k[3].metric(ui.t("missed"), f"{int(t.missed):,}")
k[4].metric(ui.t("followups_done"), f"{int(t.followups_done):,} / {int(t.followups):,}")
k[5].metric(ui.t("satisfaction_rate"), ui.pct(t.satisfaction_rate))

left, right = st.columns([7, 4])
with left:
    st.subheader(ui.t({"city": "city", "district": "district", "manager": "manager"}[by]))
    rows = groups(by)
    names = nm[by]
    rows = rows.assign(
        name=rows.k1.map(lambda c: names.get(c) or (c if c else ui.t("no_manager")))
        if by != "district"
        else rows.k2.map(lambda c: names.get(c, c)),
        code=rows.k2 if by == "district" else rows.k1,
    ).sort_values(["on_time_rate", "orders"], ascending=[False, False], na_position="last", kind="stable")
    rows = rows.reset_index(drop=True)
    ev = ui.table(
        rows[["name", "on_time_rate", *(c for c in rows.columns if c not in SHOWN_APART), "satisfaction_rate", "code"]],
        column_config={"name": ui.t(by), "code": ui.t("code")},
        on_select="rerun",
        selection_mode="single-row",
        key="rv_rank",
    )
    st.caption(ui.t("pick_row_hint"))
    picked = ui.selected_row(ev)
    if picked is not None:
        code = rows.loc[picked, "code"]
        if by == "city":
            ui.go("returnvisits", city=code, service=kind or None)
        elif by == "district":
            ui.go("returnvisits", city=city or sc.city_code, district=code, service=kind or None)
        else:
            ui.go(
                "returnvisits",
                city=city or sc.city_code,
                district=district or sc.district_code,
                manager=code or None,
                service=kind or None,
            )
with right:
    st.subheader(ui.t("rv_by_type"))
    types = groups("service").assign(order_type=lambda d: d.k1)
    ui.table(types[["order_type", "on_time_rate", "orders", "missed", "open", "satisfaction_rate"]])
    st.subheader(ui.t("rv_reasons"))
    reasons = ui.query("views/returnvisit_reasons", sc, **args, limit=10, **w.params())
    if reasons.empty:
        ui.empty_state(ui.t("none"))
    else:
        reasons["reason"] = reasons.reason.map(lambda r: r or ui.t("no_reason_given"))
        ui.table(reasons)

st.subheader(ui.t("rv_trend"))
grain = ui.choice(
    ui.t("grain"),
    ("month", "week", "day"),
    "grain",
    format_func=lambda g: ui.t(f"grain_{g}"),
    widget="segmented_control",
)
trend = ui.query("views/returnvisit_trend", sc, grain=grain, **args, **w.params())
charts.visit_trend(trend, key="rv_trend")

st.subheader(ui.t("rv_orders"))
status = ui.choice(
    ui.t("rv_status_pick"),
    STATUSES,
    "status",
    format_func=lambda s: ui.t(f"status_{s}") if s else ui.t("all"),
)
query_args = {**args, "status": status or None}
orders = ui.query("views/returnvisit_orders", sc, **query_args, limit=SHOW, **w.params())
n = int(orders.total_rows.iloc[0]) if len(orders) else 0
st.caption(ui.t("rv_rows_shown", n=f"{n:,}", more=ui.t("rows_limited", limit=SHOW) if n > SHOW else ""))
if orders.empty:
    ui.empty_state(ui.t("empty_why_window"))
    st.stop()
orders = orders.drop(columns="total_rows").rename(columns={"service_code": "order_type"})
ev = ui.table(orders, on_select="rerun", selection_mode="single-row", key="rv_orders", height=380)
ui.export_buttons(
    lambda: (
        ui.query("views/returnvisit_orders", sc, **query_args, limit=10**9, **w.params())
        .drop(columns="total_rows")
        .rename(columns={"service_code": "order_type"})
    ),
    "return_visits",
    w,
    {**filters, "status": status},
    reproduce,
)
r = ui.selected_row(ev)
if r is None:
    st.caption(ui.t("rv_pick_order"))
    st.stop()
o = orders.iloc[r]
st.markdown(f"**{ui.t('rv_visits_of', order=o.order_id)}** · {o.customer_id} {ui.plain(o.customer_name or '')}")
visits = ui.query("views/return_visits", sc, order_id=o.order_id, as_of=w.as_of)
if visits.empty:
    ui.empty_state(ui.t("none"))
else:
    ui.table(visits)
