"""待办 Due list (SPEC §5 open obligations, §6): who must do what for which customer in the running periods,
and how many days remain — the view that prevents misses instead of counting them."""

import streamlit as st

from supervision import charts, periods, replay, ui

w = ui.page_window()
sc = ui.scope()
nm = ui.names(sc)
st.title(ui.t("due_title"))
st.caption(ui.t("due_caption", as_of=w.as_of))

city, district, manager = ui.org_filters(sc, nm, st.columns(3))

year_from, year_to = periods.calendar_window("year", w.as_of.year, 1)  # every running period lies in it
args = dict(
    date_from=year_from,
    date_to=year_to,
    as_of=w.as_of,
    city=city or None,
    district=district or None,
    manager=manager or None,
)
reproduce = ui.replay_panel(
    [replay.due(ui.db_path(), w.as_of, sc, city=city or None, district=district or None, manager=manager or None)]
)
SHOW = 3000  # rows on the page; the export takes the whole list
# the first rows and the list's counts in one query (due_items computed once): kind 'row', 'count', 'total'
page = ui.query("views/due", sc, **args, within=None, limit=SHOW, counts=True)
total, groups, due = (page[page.kind == k] for k in ("total", "count", "row"))
if total.empty or int(total.obligations.iloc[0]) == 0:
    st.success(ui.t("due_empty"))
    st.stop()
total = total.iloc[0]
k = st.columns(5)
k[0].metric(ui.t("due_now"), f"{int(total.obligations):,}", border=True)
k[1].metric(ui.t("at_risk"), f"{int(total.at_risk_obligations):,}", border=True, help=ui.t("at_risk_help"))
k[2].metric(ui.t("missing"), f"{int(total.missing_records):,}", border=True)
k[3].metric(ui.t("within_7_days"), f"{int(groups.loc[groups.days_left <= 7, 'obligations'].sum()):,}", border=True)
k[4].metric(ui.t("customer"), f"{int(total.customers):,}", border=True)

# what is due, by days left and tier (one colour per tier, as configured)
charts.histogram(
    groups,
    "days_left",
    "tier",
    ui.tier_colors(),
    ui.tier_order(),
    key="due_hist",
    x_title=ui.t("days_left"),
    weight_col="obligations",
)

if int(total.obligations) > SHOW:
    st.caption(ui.t("rows_shown", n=f"{int(total.obligations):,}", more=ui.t("rows_limited", limit=f"{SHOW:,}")))
shown = due[
    [
        "at_risk",
        "shortfall",
        "days_left",
        "service_code",
        "missing",
        "completed",
        "n",
        "pace",
        "save_order",
        "customer_id",
        "customer_name",
        "tier",
        "manager_id",
        "manager_name",
        "district_name",
        "city_name",
        "period_start",
        "period_end",
        "days_elapsed",
    ]
]
ev = ui.table(
    shown,
    on_select="rerun",
    selection_mode="single-row",
    key="due",
    column_config={
        "days_left": st.column_config.NumberColumn(ui.t("days_left"), format="%d"),
        "at_risk": st.column_config.CheckboxColumn(ui.t("at_risk"), help=ui.t("at_risk_help")),
        "pace": st.column_config.NumberColumn(ui.t("pace"), format="%.2f", help=ui.t("pace_help")),
        "save_order": st.column_config.NumberColumn(ui.t("save_order"), help=ui.t("save_order_help")),
        "shortfall": st.column_config.NumberColumn(ui.t("shortfall"), help=ui.t("shortfall_help")),
    },
)
everything = lambda: ui.query("views/due", sc, **args, within=None, limit=10**9, counts=False)[shown.columns]  # noqa: E731 (on click)
ui.export_buttons(everything, "due", w, {"city": city, "district": district, "manager": manager}, reproduce)
r = ui.selected_row(ev)
if r is not None:
    ui.go("customer", customer=shown.iloc[r].customer_id)
