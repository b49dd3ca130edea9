"""服务标准 Standards (SPEC §3): tiers × services as a matrix, city overrides marked, not-measured cells marked as
such; a new standards file shows its validation and its difference from the current version before it is
applied."""

import os
import tempfile

import pandas as pd
import streamlit as st

from supervision import standards as std_mod
from supervision import store, ui

sc = ui.scope()
st.title(ui.t("standards_title"))
versions = ui.query("views/standards_versions", sc)
if versions.empty:
    st.stop()
cur = versions.iloc[0]
st.caption(
    ui.t(
        "standards_version",
        version=cur.version,
        loaded_at=str(cur.loaded_at)[:16],
        source=os.path.basename(str(cur.source)),
    )
)
rows = ui.query("views/standards", sc, version=int(cur.version))


def cell(r) -> str:
    if r.requirement == "count":
        return ui.t("per_months", n=int(r.n), p=int(r.period_months))
    return {
        "market": ui.t("not_measured"),
        "entitled": ui.label("requirement", "entitled"),
        "not_entitled": ui.label("requirement", "not_entitled"),
    }[r.requirement]


def dated(r) -> str:
    return cell(r) + (ui.t("from_day", day=r.effective_from.date()) if pd.notna(r.effective_from) else "")


rows["svc"] = rows.service_code.map(lambda s: ui.label("service", s))
province = rows[rows.city_code.isna()].copy()
province["text"] = province.apply(dated, axis=1)
tiers = list(dict.fromkeys(province.tier))
matrix = province.groupby(["svc", "tier"]).text.agg(" → ".join).unstack("tier").reindex(columns=tiers).fillna("")
matrix.index.name = ui.t("service")
matrix.columns.name = None
st.subheader(ui.t("standards_matrix"))
st.dataframe(matrix.style.map(lambda v: "color: #9e9e9e; font-style: italic" if ui.t("not_measured") in str(v) else ""))
st.caption(ui.t("legend_not_measured"))

over = rows[rows.city_code.notna()].copy()
if not over.empty:
    st.subheader(ui.t("overrides"))
    over["text"] = over.apply(dated, axis=1)
    ui.table(
        over[["city_code", "tier", "svc", "text", "responsible_role", "line"]],
        column_config={"svc": ui.t("service"), "text": ui.t("n")},
    )

c1, c2 = st.columns(2)
with c1:
    st.subheader(ui.t("complaint_levels"))
    ui.table(ui.query("views/complaint_levels", sc))
with c2:
    st.subheader(ui.t("nav_standards") + " · " + ui.t("greeting_rate"))
    days = int(ui.query("views/settings", sc).set_index("key").value.get("greeting_window_days", 8))
    st.write(ui.t("greeting_rule", days=days - 1, window=days))

# which configuration the numbers rest on, and every earlier one (SPEC §12: config load)
st.subheader(ui.t("config_title"))
configs = ui.query("views/config_versions", sc)
if not configs.empty:
    # version 1 is what the database was created with (or held when versioning began): named in words
    named = {
        "defaults": ui.t("config_defaults"),
        "before_versioning": ui.t("config_before_versioning"),
        "upgrade": ui.t("config_upgrade"),
    }
    configs["source"] = [named.get(s, s) for s in configs.source]
    configs["sha256"] = [str(h)[:12] for h in configs.sha256]
    now = configs.iloc[0]
    st.caption(
        ui.t(
            "config_in_force",
            version=int(now.version),
            loaded_at=str(now.loaded_at)[:16],
            source=now.source,
            sha=now.sha256,
            standards=now.standards_version,
        )
    )
    st.caption(ui.t("config_help"))
    with st.popover(ui.t("config_command")):  # drawn only when opened: a command is not Chinese text
        st.code(f"python -m supervision config load tiers.csv standards.csv ... --db {ui.db_path()}", language="bash")
    ui.table(
        configs[["version", "loaded_at", "source", "sha256", "username", "standards_version"]],
        column_config={"standards_version": ui.t("standards_version_col")},
        key="config_versions",
    )
    pick = st.selectbox(ui.t("config_pick"), list(configs.version), key="config_pick")
    parts = configs[configs.version == pick].iloc[0].parts
    earlier = configs[configs.version == pick - 1]
    before = {p["part"]: p["sha256"] for p in earlier.iloc[0].parts} if not earlier.empty else {}
    for part in parts:
        changed = before and before.get(part["part"]) != part["sha256"]
        note = ui.t("config_changed") if changed else ui.t("config_same") if before else ui.t("config_defaults")
        with st.expander(f"{ui.t('config_part_' + part['part'])} · {note}", expanded=bool(changed)):
            st.code(part["content"], language=None)

if not ui.user().can_write:
    st.caption(ui.t("read_only"))
    st.stop()
st.subheader(ui.t("load_standards"))
# a new key after each load empties the uploader
up = st.file_uploader(
    ui.t("standards_file"), type=["csv", "xlsx", "xls"], key=f"std_upload_{st.session_state.get('std_loads', 0)}"
)
st.caption(ui.t("upload_hint"))
if "std_flash" in st.session_state:  # the result of the last load, shown once after the page redrew
    st.success(st.session_state.pop("std_flash"))
if up is not None:
    suffix = os.path.splitext(up.name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as fh:
        fh.write(up.getvalue())
        path = fh.name
    try:
        with ui.cursor() as cur:
            try:
                parsed = std_mod.parse(cur, path)
                changes = std_mod.diff(cur, parsed)
            except std_mod.StandardsError as e:
                st.error("\n".join([str(e).splitlines()[0]] + [f"- {p}" for p in e.problems]))
                parsed = None
        if parsed is not None:
            st.success(ui.t("standards_valid", n=len(parsed)))
            st.markdown(f"**{ui.t('standards_diff')}**")
            if not changes:
                st.info(ui.t("standards_same"))
            else:
                shown = pd.DataFrame(changes)
                shown["change"] = shown.change.map({"added": ui.t("added"), "removed": ui.t("removed")})
                shown["service_code"] = shown.service_code.map(lambda c: ui.label("service", c))
                shown["effective_from"] = shown.effective_from.map(lambda d: "" if d is None else str(d))
                shown = shown[["change", *std_mod.CONTENT]].astype(str).replace({"None": "", "<NA>": ""})
                st.dataframe(shown.rename(columns={c: ui.t(c) for c in shown.columns}), hide_index=True)
                if st.button(ui.t("apply"), type="primary"):
                    writer = ui.require_writer()
                    version, _ = store.load_standards(ui.db_path(), path, source=up.name, username=writer.username)
                    ui.data_changed()
                    ui.audit(
                        "standards_load",
                        file=up.name,
                        version=version,
                        rows=len(parsed),
                        sha256=ui.digest(up.getvalue()),
                    )
                    st.session_state["std_flash"] = ui.t("standards_loaded", version=version)
                    st.session_state["std_loads"] = st.session_state.get("std_loads", 0) + 1
                    st.rerun()
    finally:
        os.unlink(path)
