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
pair = ui.query("views/district_pair", sc, city=city, a_district=a, b_district=b, **w.params())
pair["svc"] = pair.service_code.map(lambda c: ui.label("service", c))
sides = dict(sorted({a: "a", b: "b"}.items()))  # district → prefix of its columns (a_rate ...), one when a = b
charts.rate_bars(pair, "svc", {p: fmt(d) for d, p in sides.items()}, key="pair")
# the table: per service, the missed obligations of each district (by name), then their rates
by_name = sorted(sides.items(), key=lambda s: fmt(s[0]))
columns = {f"{p}_{v}": f"{fmt(d)} · {ui.t(v)}" for v in ("missed", "rate") for d, p in by_name}
side = pair.assign(**{c: pair[c].map(ui.pct) for c in columns if c.endswith("_rate")})
side = side.sort_values("svc", ignore_index=True)[["svc", *columns]].rename(columns=columns)
ui.table(side, column_config={"svc": ui.t("service"), **{c: c for c in columns.values()}})

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

# SPEC §12 (第六十二条): complaint quality per district, and what the city's customers complain about most
st.subheader(ui.t("quality"))
c1, c2 = st.columns([3, 2])
with c1:
    cq = ui.report("complaintquality", "district", w, sc)
    cq = cq[cq.city_code == city].assign(name=lambda d: d.district_code.map(lambda c: nm["district"].get(c, c)))
    if cq.empty:
        ui.empty_state(ui.t("empty_why_window"))
    else:
        ui.table(
            cq[["name", "first_time_rate", "complaints", "repeat", "escalated", "resolved", "first_time"]],
            column_config={"name": ui.t("district")},
        )
    ui.link("audit", ui.t("quality_repeat"), view="complaints", city=city, concern="repeat")
with c2:
    topics = ui.query("views/complaint_topics", sc, city=city, **w.params())
    cats = topics[topics.kind == "category"].head(10)
    if not cats.empty:
        ui.table(
            cats.assign(topic=cats.topic.map(lambda c: c or ui.t("unclassified")))[
                ["topic", "complaints", "repeat", "escalated"]
            ],
            column_config={"topic": ui.t("category")},
        )
    why = topics[topics.kind == "reason"].head(10)
    if not why.empty:
        ui.table(
            why.assign(topic=why.topic.map(lambda c: c or ui.t("no_reason_given")))[["topic", "complaints"]],
            column_config={"topic": ui.t("dissatisfied_reason"), "complaints": ui.t("dissatisfied")},
        )
