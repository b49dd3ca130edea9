"""客户经理 Manager scorecards (SPEC §6): rate, obligations, misses, items due now, trend; each manager opens
onto their customers, each customer onto its detail page. A second tab holds the chief account managers'
scorecard (SPEC §12, seed 003 考核), ranked, with its export."""

import streamlit as st

from supervision import charts, chiefs, periods, ui

w = ui.page_window()
sc = ui.scope()
nm = ui.names(sc)
ui.header(ui.t("managers_title"), w)

city, district, _ = ui.org_filters(sc, nm, st.columns(2))
reproduce = ui.replay_panel(ui.report_commands([("compliance", "manager")], w, city, district))
# Only the open tab runs (on_change="rerun": a click reruns the page and `.open` says which tab is shown): at
# 800,000 customers the chief scorecard is a year of obligations, complaints and work orders. ?view=chiefs opens
# the second tab (a link to it).
tab_std, tab_chief = st.tabs(
    [ui.t("tab_compliance"), ui.t("tab_chief")],
    default=ui.t("tab_chief") if st.query_params.get("view") == "chiefs" else None,
    key="manager_view",
    on_change="rerun",
)

if tab_chief.open:
    with tab_chief:
        st.caption(ui.t("chief_caption"))
        rank_by = st.selectbox(
            ui.t("rank_by"), chiefs.RANK_BY, format_func=lambda k: ui.t(f"rank_by_{k}"), key="chief_rank_by"
        )
        board, notes = chiefs.shown(
            ui.query(
                "views/chief_scorecard", sc, city=city or None, district=district or None, rank_by=rank_by, **w.params()
            ),
            ui.t("not_measured_revenue"),
        )
        for note in notes:
            st.info(ui.t(note), icon=":material/info:")
        if board.empty:
            ui.empty_state(ui.t("empty_why_window"))
        else:
            ui.table(board, rate_cols=ui.RATE_COLUMNS + chiefs.RATES, key="chief_board")
            # no `report` prints this table: its provenance names no command (the page's replay panel is the
            # compliance tab's)
            ui.export_buttons(board, "chief_scorecard", w, {"city": city, "district": district, "rank_by": rank_by})
    st.stop()  # the compliance tab is not open: none of it runs

with tab_std:
    cards = ui.query("views/scorecards", sc, city=city or None, district=district or None, **w.params())
    if cards.empty:
        ui.empty_state(ui.t("empty_why_window"))
        st.stop()
    flagged = ui.marks("manager", w)  # managers whose data is incomplete (SPEC §10): ⚠ and the reason
    cards["manager_label"] = [
        ("⚠ " if m in flagged else "") + (n if isinstance(n, str) and n else ui.t("none_manager"))
        for m, n in zip(cards.manager_id, cards.manager_name)
    ]
    cards["data_flag"] = cards.manager_id.map(lambda m: flagged.get(m, ""))
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
                "at_risk",
                "shortfall",
                "data_flag",
            ]
        ],
        on_select="rerun",
        selection_mode="single-row",
        key="cards",
        column_config={
            "at_risk": ui.at_risk_column(),
            "shortfall": st.column_config.NumberColumn(ui.t("shortfall"), help=ui.t("shortfall_help")),
            "data_flag": ui.flag_column(),
        },
    )
    ui.export_buttons(cards, "scorecards", w, {"city": city, "district": district}, reproduce)
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
    # SPEC §12 (第六十二条): this manager's complaints, how many repeat or were escalated, how many resolved first time
    cq = ui.report("complaintquality", "manager", w, sc)
    cq = cq[cq.manager_id == manager]
    if not cq.empty:
        q = cq.iloc[0]
        m = st.columns(4)
        m[0].metric(ui.t("complaints"), f"{int(q['complaints']):,}")
        m[1].metric(ui.t("first_time_rate"), ui.pct(q["first_time_rate"]), help=ui.t("cq_help"))
        m[2].metric(ui.t("repeat"), f"{int(q['repeat']):,}")
        m[3].metric(ui.t("escalated"), f"{int(q['escalated']):,}")
        if q["repeat"]:
            ui.link("audit", ui.t("quality_repeat"), view="complaints", manager=manager, concern="repeat")
    # what this manager must do now, at-risk first, in the order that saves the most (SPEC §10)
    year_from, year_to = periods.calendar_window("year", w.as_of.year, 1)
    mine = ui.query(
        "views/due",
        sc,
        date_from=year_from,
        date_to=year_to,
        as_of=w.as_of,
        manager=manager,
        within=None,
        limit=500,
        counts=False,
    )
    if not mine.empty:
        st.markdown(f"**{ui.t('due_of_manager', n=len(mine), risk=int(mine.at_risk.sum()))}**")
        ui.table(
            mine.sort_values(["save_order"])[
                [
                    "save_order",
                    "at_risk",
                    "shortfall",
                    "customer_id",
                    "customer_name",
                    "service_code",
                    "completed",
                    "n",
                    "missing",
                    "pace",
                    "days_elapsed",
                    "days_left",
                    "period_end",
                ]
            ],
            key="mine",
            column_config={
                "at_risk": st.column_config.CheckboxColumn(ui.t("at_risk"), help=ui.t("at_risk_help")),
                "pace": st.column_config.NumberColumn(ui.t("pace"), format="%.2f", help=ui.t("pace_help")),
                "save_order": st.column_config.NumberColumn(ui.t("save_order"), help=ui.t("save_order_help")),
                "shortfall": st.column_config.NumberColumn(ui.t("shortfall"), help=ui.t("shortfall_help")),
            },
        )
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
