"""审计日志 Audit log (SPEC §7): sign-ins and failed sign-ins, page views with their filters, exports (rows,
SHA-256), standards loads and imports. Append-only; auditors and province users browse and export it."""

import pandas as pd
import streamlit as st

from supervision import auth, ui

u = ui.user()
if u.role not in ("auditor", "province"):
    ui.audit("denied", page="audit_log")
    st.error(ui.t("not_permitted", what="audit_log"))
    st.stop()
st.title(ui.t("audit_log_title"))
broken = auth.verify_chain()
if broken:
    st.error(ui.t("chain_broken", line=broken))
else:
    st.success(ui.t("chain_ok"), icon=":material/verified:")

rows = pd.DataFrame(auth.read_log())
if rows.empty:
    st.stop()
rows["detail"] = rows.detail.map(lambda d: ", ".join(f"{k}={v}" for k, v in d.items()))
c = st.columns(3)
users = ui.choice(ui.t("username"), [""] + sorted(rows.user.dropna().unique()), "who", container=c[0],
                  format_func=lambda x: x or ui.t("all"))
actions = ui.choice("action", [""] + sorted(rows.action.unique()), "action", container=c[1],
                    format_func=lambda x: x or ui.t("all"))
q = c[2].text_input(ui.t("search"), key="log_q")
view = rows
if users:
    view = view[view.user == users]
if actions:
    view = view[view.action == actions]
if q:
    view = view[view.detail.str.contains(q, case=False, regex=False)]
view = view.iloc[::-1][["at", "user", "action", "detail", "prev"]]
st.caption(ui.t("rows_records", n=f"{len(view):,}"))
st.dataframe(view, hide_index=True, column_config={"detail": st.column_config.TextColumn(width="large")})
w = st.session_state.get("window")
if w is not None:
    ui.export_buttons(view, "audit_log", w, {"user": users, "action": actions, "q": q})
