"""Every text a Chinese reader reads is Chinese (first-use issue, item 5): no `None`, `nan` or `NaT`, no code or
English word where a label belongs — in titles, captions, metrics, pickers and every table cell. Ids, file names,
encodings and the free text of the data itself (raw lines, notes, paths, usernames) are allowed; so are the names
of the seven export files. The browser test (tests/browser/test_visible_text.py) checks what Chromium draws."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from support import offending

from supervision import auth

PROVINCE = auth.User("prov", "省管理员", "province")
# columns whose cells are the data's own free text or identifiers, shown as exported
DATA_COLUMNS = {
    "raw",
    "source",
    "detail",
    "note",
    "dissatisfied_reason",
    "file",
    "user",
    "prev",
    "username",
    "customer_name",
    "member_name",
    "manager_name",
    "manager_label",
    "os_user",
    "channel",
}
PAGES = [
    ("overview", {}),
    ("city", {}),
    ("managers", {"manager": "JL210101"}),
    ("managers", {"view": "chiefs"}),
    ("customer", {"customer": "JT2101001"}),
    ("due", {}),
    ("audit", {"view": "obligations"}),
    ("audit", {"view": "greetings"}),
    ("audit", {"view": "complaints"}),
    ("audit", {"view": "overservice"}),
    ("standards", {}),
    ("data_import", {}),
    ("audit_log", {}),
    ("brief", {}),
    ("brief", {"kind": "month"}),
    ("alerts", {}),
]


def texts(at) -> list[tuple[str, str]]:
    out = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        out += [(kind, str(el.value)) for el in getattr(at, kind)]
    out += [("metric", f"{m.label} {m.value} {m.delta or ''}") for m in at.metric]
    for s in at.selectbox:
        out.append(("selectbox", f"{s.label} {s.format_func(s.value) if s.value is not None else ''}"))
    for df in at.dataframe:
        value = df.value.data if hasattr(df.value, "data") else df.value
        if not isinstance(value, pd.DataFrame):
            continue
        config = json.loads(df.proto.columns) if df.proto.columns else {}
        for col in value.columns:
            conf = config.get(f"col:{col}") or config.get(str(col)) or {}
            out.append(("column", str(conf.get("label") or col)))
            if str(col) not in DATA_COLUMNS and not conf.get("hidden"):
                out += [(f"cell[{col}]", str(v)) for v in value[col].tolist()[:200]]
        if value.index.name:
            out.append(("index", str(value.index.name)))
    return out


@pytest.mark.parametrize("page,params", PAGES, ids=[f"{p}-{q.get('view', '')}" for p, q in PAGES])
def test_a_chinese_page_reads_in_chinese(dashboard, page, params):
    at = dashboard(PROVINCE, page, **params)
    assert not at.exception
    problems = [(kind, text[:80], bad) for kind, text in texts(at) if (bad := offending(text))]
    assert not problems, problems[:10]


def test_the_check_itself_catches_codes_and_missing_values():
    assert offending("状态 status_completed") and offending("None") and offending("on_time")
    assert not offending("JT2101001 · service_logs.csv · GB18030 · 导出 Excel")
