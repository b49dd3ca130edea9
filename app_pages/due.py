"""待办 Due list (SPEC §5 open obligations, §6): who must do what for which customer in the running periods,
and how many days remain — the view that prevents misses instead of counting them."""

import streamlit as st

from supervision import charts, periods, ui

w = ui.page_window()
sc = ui.scope()
nm = ui.names(sc)
st.title(ui.t("due_title"))
st.caption(ui.t("due_caption", as_of=w.as_of))

city, district, manager = ui.org_filters(sc, nm, st.columns(3))

year_from, year_to = periods.calendar_window("year", w.as_of.year, 1)  # every running period lies in it
due = ui.query("views/due", sc, date_from=year_from, date_to=year_to, as_of=w.as_of, city=city or None,
               district=district or None, manager=manager or None)
if due.empty:
    st.success(ui.t("due_empty"))
    st.stop()
k = st.columns(4)
k[0].metric(ui.t("due_now"), f"{len(due):,}", border=True)
k[1].metric(ui.t("missing"), f"{int(due.missing.sum()):,}", border=True)
k[2].metric(ui.t("within_7_days"), f"{int((due.days_left <= 7).sum()):,}", border=True)
k[3].metric(ui.t("customer"), f"{due.customer_id.nunique():,}", border=True)

# what is due, by days left and tier (one colour per tier, as configured)
charts.histogram(due, "days_left", "tier", ui.tier_colors(), ui.tier_order(), key="due_hist",
                 x_title=ui.t("days_left"))

shown = due[
    [
        "days_left",
        "service_code",
        "missing",
        "completed",
        "n",
        "customer_id",
        "customer_name",
        "tier",
        "manager_id",
        "manager_name",
        "district_name",
        "city_name",
        "period_start",
        "period_end",
    ]
]
ev = ui.table(
    shown.head(3000),
    on_select="rerun",
    selection_mode="single-row",
    key="due",
    column_config={"days_left": st.column_config.NumberColumn(ui.t("days_left"), format="%d")},
)
ui.export_buttons(shown, "due", w, {"city": city, "district": district, "manager": manager})
r = ui.selected_row(ev)
if r is not None:
    ui.go("customer", customer=shown.iloc[r].customer_id)
