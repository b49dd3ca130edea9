"""A table as its reader reads it (first-use issue, items 5 and 6): codes as labels in the reader's language,
calendar days without 00:00, times to the minute, nothing shown as None/nan, yes/no in words, quarantine
reasons in the reader's language, and column names from the translation table. Pure functions (no Streamlit):
the pages draw what `readable` returns, and the exports write the same thing.

The codes stay available: `readable(..., keep_codes=True)` adds, after each column whose values were
replaced by labels, a column with the codes (exports carry both; the screen shows labels only).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from supervision import i18n

# column → vocabulary domain of its codes (supervision/defaults/vocab.csv)
VOCAB_COLUMNS = {
    "service_code": "service",
    "service": "service",
    "member_role": "member_role",
    "role": "manager_role",
    "responsible_role": "manager_role",
    "satisfaction": "satisfaction",
    "requirement": "requirement",
    "industry": "industry",
    "order_type": "order_type",
    "method": "visit_method",
    "result": "satisfaction",
    "inspection_level": "inspection_level",
}
# column → prefix of its values' keys in the translation table
TEXT_COLUMNS = {
    "status": "status_",
    "first_contact_status": "step_",
    "resolve_status": "step_",
    "return_visit_status": "step_",
    "finding": "finding_",
    "action": "action_",
    "change": "change_",
    "outcome": "outcome_",
    "followup": "followup_",
    "first_time": "ft_",
}
REASON_COLUMNS = ("reason", "why")
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 BOM",
    "utf-16": "UTF-16",
    "gb18030": "GB18030",
    "xlsx": "Excel",
    "xls": "Excel 97-2003",
}
DAY_COLUMNS = (
    "period_start",
    "period_end",
    "due_day",
    "window_start",
    "onboard_date",
    "birthday",
    "effective_from",
    "day",
    "month",
)

Labeller = Callable[[str, str], str]


def _is_missing(v) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and v != v) or v is pd.NA


def reason_text(reason: str | None, lang: str) -> str:
    """A quarantine reason (stored in English, as data) in the reader's language."""
    if _is_missing(reason) or reason == "":
        return ""
    if lang != "zh":
        return str(reason)
    for pattern, template in i18n.REASONS:
        m = re.fullmatch(pattern, str(reason), re.S)
        if m:
            parts = {k: i18n.COLUMN_ZH.get(v, v) if k == "col" else v for k, v in m.groupdict().items()}
            return template.format(**parts)
    return str(reason)


def _when(v) -> str:
    if _is_missing(v):
        return ""
    ts = pd.Timestamp(v)
    if ts.hour == 0 and ts.minute == 0 and ts.second == 0:
        return ts.strftime("%Y-%m-%d")
    return ts.strftime("%Y-%m-%d %H:%M")


def readable(
    df: pd.DataFrame, lang: str, label: Labeller, keep_codes: bool = False, rename: bool = True
) -> pd.DataFrame:
    """`df` as the reader reads it (see the module doc). `label(domain, code)` names a vocabulary code."""
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s = df[col]
        coded = False
        if col in VOCAB_COLUMNS:
            domain = VOCAB_COLUMNS[col]
            names = {v: label(domain, v) for v in s.dropna().unique()}
            values, coded = s.map(lambda v, names=names: "" if _is_missing(v) else names.get(v, str(v))), True
        elif col in TEXT_COLUMNS:
            prefix = TEXT_COLUMNS[col]
            values = s.map(
                lambda v, p=prefix: (
                    "" if _is_missing(v) else i18n.t(f"{p}{v}", lang) if f"{p}{v}" in i18n.TEXT else str(v)
                )
            )
            coded = True
        elif col in REASON_COLUMNS:
            values = s.map(lambda v: reason_text(v, lang))
        elif col == "encoding":
            values = s.map(lambda v: "" if _is_missing(v) else ENCODINGS.get(v, str(v)))
        elif pd.api.types.is_bool_dtype(s) or (
            s.dtype == object and s.dropna().map(type).eq(bool).all() and s.notna().any()
        ):
            values = s.map(lambda v: "" if _is_missing(v) else i18n.t("yes" if v else "no", lang))
        elif pd.api.types.is_datetime64_any_dtype(s) or col in DAY_COLUMNS:
            values = s.map(_when)
        elif (
            pd.api.types.is_float_dtype(s)
            and s.dropna().map(float.is_integer).all()
            and col not in ("rate", "satisfaction_rate")
        ):
            values = s.astype("Int64")  # counts that only became floats because of a missing value
        elif pd.api.types.is_numeric_dtype(s):
            values = s
        else:
            values = s.map(lambda v: "" if _is_missing(v) else str(v))
        out[col] = values
        if coded and keep_codes:
            out[f"{col}__code"] = s.map(lambda v: "" if _is_missing(v) else str(v))
    if rename:
        names = {}
        for col in out.columns:
            if col.endswith("__code"):
                base = col[: -len("__code")]
                names[col] = f"{i18n.t(base, lang)} ({i18n.t('code', lang)})"
            elif col in i18n.TEXT:
                names[col] = i18n.t(col, lang)
        out = out.rename(columns=names)
    return out


CSV_INJECTION = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell as a spreadsheet shows it, never as a formula (OWASP's CSV-injection rule): text beginning
    with = + - @, a tab or a carriage return gets a leading apostrophe. Numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(CSV_INJECTION):
        return "'" + value
    return value


def neutralised(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


# ---------------------------------------------------------------- rates as the reader reads them
# A rate is the rate macro's 4-decimal fraction (queries/measures/rate.sql), the number `report` prints. A page
# shows it x100 with one decimal, rounded half away from zero from those 4 decimals, never from a float: 0.0625
# is 6.3%, as the reader of `report`'s 0.0625 expects (a float format would print 6.2%).
_TENTH = Decimal("0.1")


def _exact(value) -> Decimal | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def percent(value) -> Decimal | None:
    """A rate (0..1) as a percentage with one decimal, rounded half away from zero; None when there is none."""
    v = _exact(value)
    return None if v is None else (v * 100).quantize(_TENTH, rounding=ROUND_HALF_UP)


def pct(value) -> str:
    """A rate as text: '78.4%', or '—' when there is none (nothing closed)."""
    p = percent(value)
    return "—" if p is None else f"{p}%"


def points(now, before) -> str:
    """The change between two rates in percentage points, one decimal, signed: '+1.3'."""
    a, b = _exact(now), _exact(before)
    if a is None or b is None:
        return ""
    return f"{((a - b) * 100).quantize(_TENTH, rounding=ROUND_HALF_UP):+}"
