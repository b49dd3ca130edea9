"""Language and labels: the reader's language, texts from the translation table, codes named in that language,
and data made plain text inside Markdown."""

from __future__ import annotations

import functools

import streamlit as st

from supervision import db, i18n
from supervision.ui.data import cursor, stamp


def lang() -> str:
    return st.session_state.get("lang") or "zh"


def t(key: str, **kw) -> str:
    """The reader's text for `key`. Values put into it are escaped: Streamlit renders most text as Markdown, and a
    value from the data or the URL (a customer named `[点此](http://…)`) must stay plain text."""
    return i18n.t(key, lang(), **{k: plain(v) if isinstance(v, str) else v for k, v in kw.items()})


@functools.lru_cache(maxsize=4)  # per version of the data; plain lru: a label is looked up hundreds of times a run
def vocab(stamp_: tuple) -> dict:
    """(domain, code) → (Chinese label, English label), for the version of the data `stamp_` names."""
    with cursor() as cur:
        return db.vocab_labels(cur)


def label(domain: str, code: str | None) -> str:
    """A code as the reader's language names it (services, roles, satisfaction ...)."""
    if code is None or code == "" or (isinstance(code, float) and code != code):  # None, '' or NaN
        return ""
    pair = vocab(stamp()).get((domain, code))
    if pair is None:
        return str(code)
    return pair[0] if lang() == "zh" else pair[1]


def status_label(code: str) -> str:
    return t(f"status_{code}")


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def plain(value) -> str:
    """Data as plain text inside Markdown: every character Markdown could read as a link, an image, emphasis or
    HTML is escaped (a customer named `[点此](http://…)` stays those characters)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).translate(_MARKDOWN)
