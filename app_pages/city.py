"""地市对比 City and districts (SPEC §6): one city's districts side by side, two compared point by point,
the weakest managers and standards named."""

import streamlit as st

from supervision import charts, ui

w = ui.page_window()
sc = ui.scope()
nm = ui.names(sc)
cities = sorted(nm["city"])
if not cities:
    ui.empty_state(ui.t("no_data"))
    st.stop()
city = ui.choice(ui.t("pick_city"), cities, "city", format_func=lambda c: f"{nm['city'].get(c, c)} ({c})")
ui.header(ui.t("city_title", city=nm["city"].get(city, city)), w)
ui.replay_panel(ui.report_commands([("compliance", lv) for lv in ("district", "manager", "service")], w, city))

districts = ui.report("compliance", "district", w, sc)
districts = districts[districts.city_code == city].copy()
if districts.empty:
    ui.empty_state(ui.t("empty_why_window"))
    st.stop()

left, right = st.columns([5, 6])
with left:
    st.subheader(ui.t("district_ranking"))
    flagged = ui.marks("district", w)  # districts whose data is incomplete (SPEC §10)
    ranked, picked_district = ui.ranking(
        districts,
        "district_code",
        nm["district"],
        ui.t("district"),
        key="district_rank",
        marks=flagged,
        extra={"at_risk": ui.at_risk("district", w)},
    )
    st.caption(ui.t("pick_row_hint"))
    ui.link("audit", ui.t("drill_missed"), city=city, status="missed")
    ui.link("due", ui.t("nav_due"), city=city)
    if picked_district is not None:
        ui.go("managers", city=city, district=picked_district)
with right:
    st.subheader(ui.t("district_service_heatmap"))
    m = ui.query("views/matrix", sc, level="district", city=city, **w.params())
    cell = charts.rate_heatmap(m, "k2", nm["district"], list(ranked.district_code), key="heat", marks=flagged)
    st.caption(ui.t("pick_cell_hint"))
    if cell:
        ui.go("audit", city=city, district=cell[0], service=cell[1])
    m = m.assign(svc=m.service_code.map(lambda c: ui.label("service", c)))

st.subheader(ui.t("monthly_trend"))
total = ui.query("views/trend", sc, level="province", city=city, district=None, manager=None, **w.params())
picked = st.multiselect(
    ui.t("trend_compare", rows=ui.t("district")),
    list(ranked.district_code),
    key="trend_groups",
    format_func=lambda c: nm["district"].get(c, c),
    placeholder=ui.t("trend_compare_hint"),
)
groups = (
    ui.query("views/trend", sc, level="district", city=city, district=None, manager=None, **w.params())
    if picked
    else None
)
charts.rate_trend(total, "trend", nm["city"].get(city, city), groups, "k2", nm["district"], picked)

st.subheader(ui.t("compare_two"))
codes = list(ranked.district_code)
c1, c2 = st.columns(2)
fmt = lambda c: nm["district"].get(c, c)  # noqa: E731
a = ui.choice(ui.t("district_a"), codes, "da", container=c1, format_func=fmt)
b = ui.choice(ui.t("district_b"), codes, "db", default=codes[min(1, len(codes) - 1)], container=c2, format_func=fmt)
pair = m[m.k2.isin([a, b])].copy()
pair["district"] = pair.k2.map(fmt)
charts.rate_bars(pair, "svc", "district", key="pair")
side = pair.pivot_table(index="svc", columns="district", values=["rate", "missed"], aggfunc="first", dropna=False)
side = side.apply(lambda col: col.map(ui.pct) if col.name[0] == "rate" else col.astype("Int64"))
side.columns = [f"{d} · {ui.t(v)}" for v, d in side.columns]
ui.table(side.reset_index(), column_config={"svc": ui.t("service"), **{c: c for c in side.columns}})

c1, c2 = st.columns(2)
with c1:
    st.subheader(ui.t("weakest_managers"))
    sc_df = ui.query("views/scorecards", sc, city=city, district=None, **w.params())
    weak = sc_df[sc_df.obligations > 0].nsmallest(5, "rate")
    ui.table(
        weak[["manager_id", "manager_name", "district_name", "rate", "missed", "obligations"]],
    )
with c2:
    st.subheader(ui.t("weakest_standards"))
    svc = ui.query("views/matrix", sc, level="city", city=city, **w.params())
    svc = svc[svc.obligations > 0].assign(svc=lambda d: d.service_code.map(lambda c: ui.label("service", c)))
    ui.table(
        svc.nsmallest(5, "rate")[["svc", "rate", "missed", "obligations"]],
        column_config={"svc": ui.t("service")},
    )
