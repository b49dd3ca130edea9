"""检查制度 Inspection cadence (SPEC §12, seed 004 检查制度): does the province inspect every city each year, every
city office each quarter and every installation centre (district) each month? A calendar grid per level shows
each period met, missed or not over yet, with the inspections behind each cell one click away.

The numbers are reports/inspections.sql (`report inspections`) and views over the same inspection_items; a
province that never exported inspections sees "no data", never 0% or 100%.
"""

import streamlit as st

from supervision import charts, ui

SHOW = 2000
LEVELS = ("centre", "city", "province")

w, sc, nm = ui.section12_page("inspections", "in_title", "in_caption")

with st.container(border=True):
    f = st.columns(3)
    city, district, _ = ui.org_filters(sc, nm, f[:2])
    level = ui.choice(
        ui.t("inspection_level"),
        LEVELS,
        "level",
        container=f[2],
        format_func=lambda lv: ui.label("inspection_level", lv),
    )
filters = {"city": city, "district": district, "level": level}
by = "district" if (city or sc.city_code) else "city"
reproduce = ui.replay_panel(ui.report_commands([("inspections", lv) for lv in (by, "service")], w, city, district))

st.subheader(ui.t("in_by_level"))
levels = ui.query(
    "reports/inspections", sc, level="service", city=city or None, district=district or None, **w.params()
).rename(columns={"k1": "inspection_level"})
ui.table(levels[["inspection_level", "rate", "obligations", "met", "missed", "open"]])

st.subheader(ui.t("in_grid"))
st.caption(ui.t("in_grid_help"))
grid = ui.query("views/inspection_grid", sc, city=city or None, district=district or None, service=level, **w.params())
if grid.empty:
    ui.empty_state(ui.t("no_cells"))
    st.stop()
if level == "centre":
    grid["place"] = grid.district_code
    labels = {
        d: f"{nm['city'].get(c, c)} · {nm['district'].get(d, d)}" for c, d in zip(grid.city_code, grid.district_code)
    }
else:
    grid["place"] = grid.city_code
    labels = {c: nm["city"].get(c, c) for c in grid.city_code}
fmt = {"centre": "%Y-%m", "city": "%Y-%m", "province": "%Y"}[level]
grid["period"] = [
    f"{p.year}Q{(p.month - 1) // 3 + 1}" if level == "city" else p.strftime(fmt) for p in grid.period_start
]
cell = charts.cadence_grid(grid, labels, key=f"grid_{level}")

missed = grid[grid.status == "missed"]
if not missed.empty:
    st.subheader(ui.t("in_missed"))
    ui.table(
        missed[
            ["city_code", "city_name", "district_code", "district_name", "level", "period_start", "period_end"]
        ].rename(columns={"level": "inspection_level"})
    )

st.subheader(ui.t("in_records"))
rec_args = dict(city=city or None, district=district or None, service=level)
period = {"date_from": w.date_from, "date_to": w.date_to}
if cell is not None:  # one cell: that place and period
    code, start = cell
    row = grid[(grid.place == code) & (grid.period_start.astype(str).str[:10] == start)].iloc[0]
    rec_args.update(city=row.city_code, district=row.district_code if level == "centre" else None)
    period = {"date_from": row.period_start.date(), "date_to": row.period_end.date()}
    st.markdown(f"**{labels.get(code, code)} · {row.period}** · {ui.status_label(row.status)}")
records = ui.query("views/inspection_records", sc, **rec_args, limit=SHOW, as_of=w.as_of, **period)
st.caption(
    ui.t("in_rows_shown", n=f"{len(records):,}", more=ui.t("rows_limited", limit=SHOW) if len(records) >= SHOW else "")
)
if records.empty:
    ui.empty_state(ui.t("none"))
else:
    shown = records.rename(columns={"level": "inspection_level"})
    ui.table(shown)
    ui.export_buttons(shown, "inspections", w, {**filters, **{k: str(v) for k, v in period.items()}}, reproduce)
