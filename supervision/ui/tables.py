"""Display helpers: tables as the reader reads them, rates as bars with one decimal, the tier order and the
colours of tiers, statuses and rates, and the empty state."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from supervision import db, display, figures, i18n
from supervision.ui.data import cursor, stamp
from supervision.ui.labels import label, lang, t

TIER_PALETTE = ["#6a1b9a", "#1565c0", "#00897b", "#ef6c00", "#8d6e63", "#546e7a", "#c0ca33", "#d81b60"]


STATUS_COLORS = {"met": "#2e7d32", "missed": "#c62828", "open": "#9e9e9e"}


# a diverging scale for rates: red (0) → amber → green (1)
RATE_SCALE = figures.RATE_SCALE  # one colour scale for rates, wherever they are drawn (figures.py)


pct = display.pct  # a rate as text: one decimal, half away from zero, from the rate's 4 decimals


points = display.points  # the change between two rates in percentage points


RATE_COLUMNS = ("rate", "satisfaction_rate", "on_time_rate", "first_time_rate")


def rate_column(label_: str) -> st.column_config.ProgressColumn:
    """Rates are drawn as bars with one decimal; `table` scales rate columns to 0-100 for it."""
    return st.column_config.ProgressColumn(
        label_, format="%.1f%%", min_value=0.0, max_value=100.0, color="#1565c0"
    )  # neutral: red/green would judge at 50%


def readable(df: pd.DataFrame, keep_codes: bool = False, rename: bool = True) -> pd.DataFrame:
    """`df` as the reader reads it: labels for codes, dates without 00:00, no None/nan (supervision/display)."""
    return display.readable(df, lang(), label, keep_codes=keep_codes, rename=rename)


def table(df: pd.DataFrame, column_config: dict | None = None, rate_cols: tuple = RATE_COLUMNS, **kw):
    """st.dataframe of `df` as the reader reads it (`readable`): columns named from the translation table, codes
    as labels, and rate columns (0..1) shown as percentage bars with one decimal. `column_config` (by the
    original column names) only for what differs. The table toolbar's own download and copy are off
    (client.disableDataExport): exports go through `export_buttons`, which writes provenance and the audit log."""
    shown = readable(df, rename=False)
    config = {c: t(c) for c in shown.columns if c in i18n.TEXT}
    config.update(column_config or {})
    for col in shown.columns:
        if col in rate_cols:
            # x100 and rounded here (half away from zero), so the bar's "%.1f" never rounds a float again
            shown[col] = [None if p is None else float(p) for p in map(display.percent, df[col])]
            config[col] = rate_column(config[col] if isinstance(config.get(col), str) else t("rate"))
    kw.setdefault("hide_index", True)
    return st.dataframe(shown, column_config=config, **kw)


def tier_order() -> list[str]:
    return list(_tiers(stamp()))


@functools.lru_cache(maxsize=4)
def _tiers(stamp_: tuple) -> tuple[str, ...]:
    with cursor() as cur:
        return tuple(row[0] for row in cur.execute(db.sql("views/tiers")).fetchall())


def tier_colors() -> dict[str, str]:
    """One colour per tier, by the configured tier order (the scheme is data)."""
    return {tr: TIER_PALETTE[i % len(TIER_PALETTE)] for i, tr in enumerate(tier_order())}


def empty_state(why: str) -> None:
    st.info(t("empty_filter", why=why))
