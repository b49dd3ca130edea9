"""The sidebar (language, period, as-of date) and the drill-down links that carry its window along."""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from supervision import i18n, periods
from supervision.ui.data import db_path
from supervision.ui.labels import lang, t
from supervision.ui.session import data_info
from supervision.ui.url import choice


def sidebar() -> periods.Window | None:
    """Language, period and as-of date, all bound to the URL so that a pasted link reproduces the view."""
    with st.sidebar:
        st.session_state["lang"] = choice(
            i18n.t("language", "zh"),
            ["zh", "en"],
            "lang",
            format_func=lambda x: "中文" if x == "zh" else "English",
            widget="segmented_control",
        )
        if not os.path.exists(db_path()):
            st.error(t("no_db", path=db_path()))
            return None
        info = data_info()
        data_as_of = info["as_of"] or dt.date.today()
        gran = choice(t("period"), periods.GRANULARITIES, "gran", default="year", format_func=lambda g: t(f"gran_{g}"))
        if gran == "custom":
            c1, c2 = st.columns(2)
            date_from = c1.date_input(t("from"), dt.date(data_as_of.year, 1, 1), key="from", bind="query-params")
            date_to = c2.date_input(t("to"), dt.date(data_as_of.year, 12, 31), key="to", bind="query-params")
            label_ = ""
        else:
            years = list(range(data_as_of.year - 3, data_as_of.year + 2))
            default_year, default_index = periods.default_period(gran, data_as_of)
            year = choice(t("year"), years, "year", default=default_year)
            count = 12 // periods.MONTHS[gran]
            index = 1
            if count > 1:
                options = list(range(1, count + 1))
                index = choice(
                    t("which"),
                    options,
                    gran,
                    default=default_index if year == default_year else periods.current_index(gran, data_as_of),
                    format_func=lambda i, g=gran: _period_name(g, i),
                )
            date_from, date_to = periods.calendar_window(gran, year, index)
            label_ = _period_name(gran, index, year)
        as_of = st.date_input(t("as_of"), data_as_of, key="asof", bind="query-params", help=t("as_of_help"))
        if date_to < date_from:
            st.error(f"{t('to')} < {t('from')}")
            return None
        st.caption(t("window", from_=date_from, to=date_to))
        if info["as_of"] is not None:
            st.caption(
                t(
                    "data_as_of",
                    as_of=info["as_of"],
                    version=info["version"],
                    config=info["config_version"],
                    import_id=info["import_id"],
                )
            )
    if info["as_of"] is None:
        st.info(t("no_data"))
    return periods.Window(date_from, date_to, as_of, label_ or t("window", from_=date_from, to=date_to))


def _period_name(gran: str, index: int, year: int | None = None) -> str:
    y = f"{year}" if year else ""
    zh = lang() == "zh"
    if gran == "month":
        return f"{y}年{index}月" if zh and y else (f"{index}月" if zh else f"{y}-{index:02d}".lstrip("-"))
    if gran == "quarter":
        return f"{y}年第{index}季度" if zh else f"{y} Q{index}".strip()
    if gran == "half":
        return f"{y}年{'上' if index == 1 else '下'}半年" if zh else f"{y} H{index}".strip()
    return f"{y}年" if zh else y


def window_params() -> dict:
    """The window's URL parameters, carried along by drill-down links."""
    keep = ("lang", "gran", "year", "month", "quarter", "half", "from", "to", "asof")
    return {k: st.query_params[k] for k in keep if k in st.query_params}


def link(page: str, label_: str, icon: str = ":material/arrow_forward:", **params) -> None:
    """A link to another page with the window and `params` in its URL (a drill-down that can be bookmarked)."""
    st.page_link(
        f"app_pages/{page}.py",
        label=label_,
        icon=icon,
        query_params={**window_params(), **{k: v for k, v in params.items() if v}},
    )


def go(page: str, **params) -> None:
    """Drill down to another page, keeping the window and adding `params` to the URL."""
    st.switch_page(f"app_pages/{page}.py", query_params={**window_params(), **{k: v for k, v in params.items() if v}})
