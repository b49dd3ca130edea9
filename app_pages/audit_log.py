"""审计日志 Audit log (SPEC §7): sign-ins and failed sign-ins, page views with their filters, exports (rows,
SHA-256), imports, standards loads and user changes — checked against its hash chain and the anchors kept in the
database, every break reported with its line (never a crash); auditors and province users browse and export it.
"""

import pandas as pd
import streamlit as st

from supervision import auditlog, i18n, pages, store, ui

u = ui.user()
if not pages.may_open(u.role, "audit_log"):
    ui.audit("denied", page="audit_log")
    st.error(ui.t("not_permitted", what="audit_log"))
    st.stop()
st.title(ui.t("audit_log_title"))
check = auditlog.verify(store.audit_anchors(ui.db_path()))
if check.intact:
    st.success(ui.t("chain_ok", lines=f"{check.lines:,}"), icon=":material/verified:")
else:
    st.error(ui.t("chain_broken", n=len(check.breaks)), icon=":material/gpp_bad:")
    ui.table(pd.DataFrame(check.breaks, columns=["line", "why"]))

rows = pd.DataFrame(check.entries)
if rows.empty:
    st.stop()
rows["detail"] = rows.detail.map(
    lambda d: (
        ", ".join(f"{ui.t(k) if k in i18n.TEXT else k}={v}" for k, v in d.items()) if isinstance(d, dict) else str(d)
    )
)
rows["user"] = rows.user.map(lambda x: "" if x is None else str(x))
rows["prev"] = rows.prev.astype(str).str[:16]
c = st.columns(3)
users = ui.choice(
    ui.t("username"),
    [""] + sorted(set(rows.user) - {""}),
    "who",
    container=c[0],
    format_func=lambda x: x or ui.t("all"),
)
actions = ui.choice(
    ui.t("action"),
    [""] + sorted(rows.action.astype(str).unique()),
    "action",
    container=c[1],
    format_func=lambda x: (ui.t(f"action_{x}") if f"action_{x}" in i18n.TEXT else x) if x else ui.t("all"),
)
q = c[2].text_input(ui.t("search"), key="log_q")
view = rows
if users:
    view = view[view.user == users]
if actions:
    view = view[view.action == actions]
if q:
    view = view[view.detail.str.contains(q, case=False, regex=False)]
view = view.iloc[::-1][["_line", "at", "user", "action", "detail", "prev"]].rename(columns={"_line": "line"})
st.caption(ui.t("rows_records", n=f"{len(view):,}"))
ui.table(view, column_config={"detail": st.column_config.TextColumn(ui.t("detail"), width="large")})
w = st.session_state.get("window")
if w is not None:
    ui.export_buttons(view, "audit_log", w, {"user": users, "action": actions, "q": q})
