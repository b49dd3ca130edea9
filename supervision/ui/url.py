"""Widgets bound to the URL: a picker whose value lives in the link as its canonical code."""

from __future__ import annotations

import streamlit as st


def choice(
    label_: str, options, key: str, default=None, format_func=str, container=None, widget: str = "selectbox", **kw
):
    """A selectbox (or segmented control) whose value lives in the URL as its canonical code (?key=code).

    Streamlit's own bind="query-params" writes the *formatted* option to the URL ("沈阳 (2101)", "English"),
    so a link would change with the reader's language; here the URL always carries the code. The URL is
    read when the widget first appears; the default is left out of the URL to keep links short.
    """
    options = list(options)
    if not options:
        return None
    default = default if default in options else options[0]
    wkey = f"_url_{key}"
    if wkey not in st.session_state or st.session_state[wkey] not in options:
        raw = st.query_params.get(key)
        st.session_state[wkey] = next((o for o in options if str(o) == raw), default)
    box = container or st
    # labels are computed now, in the reader's language: a format_func that looked the language up later would
    # run outside the script (AppTest) or after a language switch and name options differently
    labels = {o: format_func(o) for o in options}
    format_func = labels.__getitem__
    if widget == "segmented_control":
        value = box.segmented_control(label_, options, key=wkey, format_func=format_func, required=True, **kw)
    else:
        value = box.selectbox(label_, options, key=wkey, format_func=format_func, **kw)
    if value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)
    return value
