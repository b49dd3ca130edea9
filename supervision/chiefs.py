"""The chief account manager's scorecard (SPEC §12, seed 003 考核): which of queries/views/chief_scorecard.sql's
columns a reader sees, and what is said instead of a number that cannot be measured. The manager page's tab, its
exports and the monthly brief all show it through `shown`, so they never disagree on what is "no data".
A leaf module: no Streamlit."""

from __future__ import annotations

import pandas as pd

RANK_BY = ("chief_visit", "complaints", "retention", "returnvisits")  # the rates a ranking may use

COLUMNS = (
    "rank",
    "manager_id",
    "manager_name",
    "city_name",
    "district_name",
    "customers",
    "chief_visit_obligations",
    "chief_visit_met",
    "chief_visit_missed",
    "chief_visit_open",
    "chief_visit_rate",
    "complaints",
    "complaints_resolved_on_time",
    "complaints_on_time_rate",
    "complaint_satisfaction_rate",
    "complaint_repeats",
    "customers_at_start",
    "customers_lost",
    "retention_rate",
    "orders",
    "orders_on_time",
    "orders_missed",
    "orders_open",
    "return_visit_rate",
    "business_development",
)
# a brief is of one scope: every chief in it serves customers there, wherever the chief sits (no placement shown)
BRIEF_COLUMNS = (
    "rank",
    "manager_id",
    "manager_name",
    "customers",
    "chief_visit_obligations",
    "chief_visit_rate",
    "complaints",
    "complaints_on_time_rate",
    "complaint_satisfaction_rate",
    "complaint_repeats",
    "customers_at_start",
    "retention_rate",
    "orders",
    "return_visit_rate",
)
RATES = (
    "chief_visit_rate",
    "complaints_on_time_rate",
    "complaint_satisfaction_rate",
    "retention_rate",
    "return_visit_rate",
)
RETENTION = ("customers_at_start", "customers_lost", "retention_rate")
RETURN_VISITS = ("orders", "orders_on_time", "orders_missed", "orders_open", "return_visit_rate")


def shown(df: pd.DataFrame, not_measured: str) -> tuple[pd.DataFrame, list[str]]:
    """The scorecard's columns as shown and exported, and the keys of the notes to show above it: a dimension
    that cannot be measured is left out ("no data": never 0% nor 100%) and said in words; business development,
    which no export carries, is a column that says `not_measured` on every row."""
    notes = ["chief_business_not_measured"]
    drop: list[str] = []
    if df.empty or not bool(df["retention_measured"].iloc[0]):
        drop += RETENTION
        notes.append("chief_retention_no_data")
    if df.empty or not bool(df["returnvisits_measured"].iloc[0]):
        drop += RETURN_VISITS
        notes.append("chief_returnvisits_no_data")
    out = df.assign(business_development=not_measured)
    return out[[c for c in COLUMNS if c not in drop]], notes
