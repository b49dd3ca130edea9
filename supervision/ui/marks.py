"""Data completeness marks (SPEC §10): which groups' data is not to be trusted and why, and the obligations at
risk now."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from supervision import i18n, measures, periods
from supervision.ui.data import query
from supervision.ui.labels import lang, t
from supervision.ui.session import scope


def data_flags(w: periods.Window) -> pd.DataFrame:
    """Gaps, spikes and stale districts of the reader's scope as of the window's as-of date (views/data_flags)."""
    return query("views/data_flags", scope(), as_of=w.as_of)


def marks(level: str, w: periods.Window) -> dict[str, str]:
    """code → why its data is not to be trusted (in the reader's language), for the rows of `level`: districts
    and managers by their own flags, a city by how many of its districts are flagged."""
    f = data_flags(w)
    if f.empty:
        return {}
    if level in ("district", "manager"):
        own = f[f.level == level]
        return {
            code: "；".join(
                measures.flag_reason(r.flag, r.week_start, r.records, r.median, r.latest, lang())
                for r in g.itertuples()
            )
            for code, g in own.groupby("code", sort=False)
        }
    if level == "city":
        org = query("views/org_units", scope())
        city_of = dict(zip(org.district_code, org.city_code))
        districts = f[f.level == "district"]
        per_city = districts.assign(city=districts.code.map(city_of)).groupby("city").code.nunique()
        return {city: i18n.t("flag_city", lang(), n=int(n)) for city, n in per_city.items()}
    return {}


def at_risk(level: str, w: periods.Window) -> dict[str, int]:
    """code → obligations at risk now (SPEC §10) per group of `level` (city, district or manager)."""
    year_from, year_to = periods.calendar_window("year", w.as_of.year, 1)
    df = query("views/at_risk", scope(), level=level, date_from=year_from, date_to=year_to, as_of=w.as_of)
    key = "k2" if level == "district" else "k1"
    return {k: int(v) for k, v in zip(df[key], df.at_risk)}


def at_risk_column() -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(t("at_risk"), help=t("at_risk_help"), format="%d")


def flag_column() -> st.column_config.TextColumn:
    return st.column_config.TextColumn(t("data_flag"), help=t("data_flag_help"))
