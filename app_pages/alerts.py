"""预警 Alerts (SPEC §9): the alerts the rules raised whose group the reader's scope holds (SPEC §7), newest
first, with how each was delivered. Raised after every import and by `python -m supervision alerts run`
(supervision/alerts.py); a failed delivery is shown as failed and tried again on the next run."""

import pandas as pd
import streamlit as st

from supervision import alerts, ui

# the delivery notes alerts.run writes for what is not an error of the server (those are shown as they came)
ERRORS = {"no SMTP server configured": "alert_err_no_smtp", "no recipient has an address": "alert_err_no_address"}

ui.page_window()
sc = ui.scope()
st.title(ui.t("alerts_title"))
st.caption(ui.t("alerts_caption"))

rows = alerts.listing(ui.db_path(), sc)
if not rows:
    st.success(ui.t("alerts_none"))
    st.stop()
df = pd.DataFrame(rows)
counts = df.status.value_counts()
k = st.columns(4)
k[0].metric(ui.t("alerts_count"), f"{len(df):,}", border=True)
k[1].metric(ui.t("alert_status_sent"), f"{int(counts.get('sent', 0)):,}", border=True)
k[2].metric(ui.t("alert_status_failed"), f"{int(counts.get('failed', 0)):,}", border=True)
k[3].metric(ui.t("alert_status_unsent"), f"{int(counts.get('unsent', 0)):,}", border=True)

statuses = ["", *sorted(set(df.status))]
status = ui.choice(
    ui.t("status"),
    statuses,
    key="alert_status",
    format_func=lambda s: ui.t("all") if s == "" else ui.t(f"alert_status_{s}"),
)
if status:
    df = df[df.status == status]
shown = pd.DataFrame(
    {
        "created_at": df.created_at.str.replace("T", " "),
        "alert_period": df.period,
        "alert_rule": [n or r for n, r in zip(df.note, df.rule)],
        "alert_group": [f"{n} ({c})" for n, c in zip(df.group_name, df.group)],
        "alert_value": df.value,
        "alert_threshold": df.threshold,
        "alert_status": [ui.t(f"alert_status_{s}") for s in df.status],
        "alert_error": [ui.t(ERRORS[e]) if e in ERRORS else e for e in df.last_error],
        "alert_command": df.command,
    }
)
ui.table(shown, key="alerts_table")
