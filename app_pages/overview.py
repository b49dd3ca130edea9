"""总览 Overview (SPEC §6): the reader's own scope at a glance — the province for province users and auditors,
their city for a city office, their district for a district user — ranked one level down."""

import streamlit as st

from supervision import charts, periods, ui

w = ui.page_window()
sc = ui.scope()
nm = ui.names(sc)

# what the reader's scope is made of, one level down: cities, districts or managers
if sc.district_code:
    level, key_col, row_names, title = (
        "manager",
        "k1",
        nm["manager"],
        ui.t("overview_title_scope", name=nm["district"].get(sc.district_code, sc.district_code)),
    )
    rank_title, row_label = ui.t("manager_ranking"), ui.t("manager")
elif sc.city_code:
    level, key_col, row_names, title = (
        "district",
        "k2",
        nm["district"],
        ui.t("overview_title_scope", name=nm["city"].get(sc.city_code, sc.city_code)),
    )
    rank_title, row_label = ui.t("district_ranking"), ui.t("district")
else:
    level, key_col, row_names, title = "city", "k1", nm["city"], ui.t("overview_title")
    rank_title, row_label = ui.t("city_ranking"), ui.t("city")
ui.header(title, w)
ui.replay_panel(
    ui.report_commands(
        [(m, "province") for m in ("compliance", "greetings", "complaints", "complaintquality", "overservice")], w
    )
    + ui.report_commands([("compliance", level)], w)
)

prov = ui.report("compliance", "province", w, sc).iloc[0]
greet = ui.report("greetings", "province", w, sc).iloc[0]
comp = ui.report("complaints", "province", w, sc).iloc[0]
over = ui.report("overservice", "province", w, sc).iloc[0]
quality = ui.report("complaintquality", "province", w, sc).iloc[0]

delta = None  # "vs previous" only where the previous window lies inside the data (periods.previous_comparable)
before = periods.previous_comparable(
    st.query_params.get("gran", "year"), w.date_from, w.date_to, ui.data_info()["first"]
)
if before is not None and prov["obligations"]:
    prev = ui.report("compliance", "province", periods.Window(*before, w.as_of), sc).iloc[0]
    if prev["obligations"]:
        delta = f"{ui.points(prov['rate'], prev['rate'])} {ui.t('points')} {ui.t('vs_previous')}"
k = st.columns(8)
k[0].metric(
    ui.t("compliance_rate"), ui.pct(prov["rate"]), delta, border=True, help=f"{ui.t('met')} / {ui.t('obligations')}"
)
k[1].metric(ui.t("met"), f"{int(prov['met']):,}", border=True)
k[2].metric(ui.t("missed"), f"{int(prov['missed']):,}", border=True)
k[3].metric(ui.t("open"), f"{int(prov['open']):,}", border=True)
k[4].metric(
    ui.t("greeting_rate"),
    ui.pct(greet["rate"]),
    f"{int(greet['met']):,}/{int(greet['obligations']):,}",
    delta_color="off",
    delta_arrow="off",
    border=True,
)
k[5].metric(
    ui.t("resolved_on_time"),
    ui.pct(comp["resolved_on_time_rate"]),
    f"{int(comp['resolved_on_time']):,}/{int(comp['complaints']):,} · {ui.t('satisfaction_rate')} "
    f"{ui.pct(comp['satisfaction_rate'])}",
    delta_color="off",
    delta_arrow="off",
    border=True,
)
k[6].metric(  # SPEC §12 (第六十二条): first-time resolution, repeats, escalations
    ui.t("first_time_rate"),
    ui.pct(quality["first_time_rate"]),
    ui.t("cq_card_delta", repeat=int(quality["repeat"]), escalated=int(quality["escalated"])),
    delta_color="off",
    delta_arrow="off",
    border=True,
    help=ui.t("cq_help"),
)
k[7].metric(ui.t("overservice_records"), f"{int(over['records']):,}", border=True)

if not prov["obligations"] and not prov["open"]:
    ui.empty_state(ui.t("empty_why_window"))
    st.stop()

code_col = {"city": "city_code", "district": "district_code", "manager": "manager_id"}[level]
flagged = ui.marks(level, w)  # groups whose data is incomplete (SPEC §10): marked wherever their rate is shown
flags = ui.data_flags(w)
if not flags.empty:
    st.warning(
        ui.t(
            "flagged_groups",
            districts=flags[flags.level == "district"].code.nunique(),
            managers=flags[flags.level == "manager"].code.nunique(),
        ),
        icon=":material/warning:",
    )

left, right = st.columns([5, 6])
with left:
    st.subheader(rank_title)
    ranked, code = ui.ranking(
        ui.report("compliance", level, w, sc),
        code_col,
        row_names,
        row_label,
        key="rank",
        marks=flagged,
        extra={"at_risk": ui.at_risk(level, w)},
    )
    st.caption(ui.t("pick_row_hint"))
    ui.link("audit", ui.t("drill_missed"), status="missed")
    if code is not None:
        if level == "city":
            ui.go("city", city=code)
        elif level == "district":
            ui.go("managers", city=sc.city_code, district=code)
        else:
            ui.go("managers", city=sc.city_code, district=sc.district_code, manager=code)

with right:
    st.subheader(ui.t("service_heatmap", rows=row_label))
    m = ui.query("views/matrix", sc, level=level, city=None, **w.params())
    cell = charts.rate_heatmap(m, key_col, row_names, list(ranked[code_col]), key="heat", marks=flagged)
    st.caption(ui.t("pick_cell_hint"))
    if cell:
        target = {"city": {"city": cell[0]}, "district": {"district": cell[0]}, "manager": {"manager": cell[0]}}
        ui.go("audit", service=cell[1], **target[level])

c1, c2 = st.columns([3, 2])
with c1:
    st.subheader(ui.t("monthly_trend"))
    total = ui.query("views/trend", sc, level="province", city=None, district=None, manager=None, **w.params())
    picked = st.multiselect(
        ui.t("trend_compare", rows=row_label),
        list(ranked[code_col]),
        key="trend_groups",
        format_func=lambda c: row_names.get(c, c),
        placeholder=ui.t("trend_compare_hint"),
    )
    groups = None
    if picked:
        groups = ui.query("views/trend", sc, level=level, city=None, district=None, manager=None, **w.params())
    charts.rate_trend(total, "trend", ui.scope_name(ui.user()), groups, key_col, row_names, picked, height=380)
with c2:
    st.subheader(ui.t("tier_breakdown"))
    order = ui.tier_order()
    tiers = ui.report("compliance", "tier", w, sc)
    bar = charts.status_bars(tiers, "tier", order, key="tiers")
    st.caption(ui.t("pick_bar_hint"))
    if bar:  # a bar segment: the obligations of that tier with that status
        ui.go("audit", tier=bar[0], status=bar[1])
    ui.table(
        tiers.set_index("tier")
        .reindex(order)
        .dropna(how="all")
        .reset_index()[["tier", "rate", "obligations", "met", "missed", "open"]]
    )

st.subheader(ui.t("upgrade_candidates"))
up = ui.query("views/upgrade_candidates", sc, as_of=w.as_of, limit=200)  # the first 200 (53,000 at 800,000 customers)
if up.empty:
    st.caption(ui.t("no_upgrade_candidates"))
else:
    st.caption(ui.t("upgrade_hint", n=f"{int(up.candidates.iloc[0]):,}"))
    up["criterion"] = [
        ui.t("by_members", n=int(r.member_count))
        if r.by_members
        else ui.t("by_industry", industry=ui.label("industry", r.industry))
        for r in up.itertuples()
    ]
    ui.table(
        up[
            [
                "customer_id",
                "customer_name",
                "city_code",
                "district_code",
                "held_tier",
                "qualifies_for",
                "criterion",
                "member_count",
            ]
        ],
        key="upgrades",
    )
