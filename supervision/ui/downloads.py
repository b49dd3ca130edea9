"""Exports with provenance (SPEC §6) and the commands that reproduce a page's numbers (SPEC §10)."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from supervision import auth, display, exports, periods, replay
from supervision.ui.data import db_path, stamp
from supervision.ui.labels import lang, t, vocab
from supervision.ui.session import data_info, scope, user


def provenance(w: periods.Window, filters: dict, reproduce: list[str] | tuple = ()) -> list[tuple[str, str]]:
    info = data_info()
    sc = scope()
    return [
        ("filter", "; ".join(f"{k}={v}" for k, v in filters.items() if v not in (None, "")) or "(none)"),
        ("window", f"{w.date_from} .. {w.date_to}"),
        ("as_of", str(w.as_of)),
        ("data_as_of", str(info["as_of"])),
        ("standards_version", str(info["version"])),
        ("config_version", str(info["config_version"])),
        ("import_id", str(info["import_id"])),
        ("scope", sc.district_code or sc.city_code or "province"),
        ("exported_at", dt.datetime.now().isoformat(timespec="seconds")),
        *(("reproduce", c) for c in reproduce),
    ]


def report_commands(
    reports: list[tuple[str, str]], w: periods.Window, city: str | None = None, district: str | None = None
) -> list[str]:
    """The `report` commands (measure, level) that print a page's numbers for this reader and window, narrowed
    to the page's own city / district filter ('' or None: not picked)."""
    return [
        replay.report(m, lv, db_path(), w.date_from, w.date_to, w.as_of, scope(), city or None, district or None)
        for m, lv in reports
    ]


def replay_panel(commands: list[str]) -> list[str]:
    """The page's "复现 / Reproduce" panel (SPEC §10): the exact commands whose output holds its numbers.
    Returns them, for the page's exports to carry in their provenance (`export_buttons(..., reproduce=)`).
    A popover, not an expander: the browser draws a popover's content only when it is opened, so the code
    highlighter (≈0.75 s of a 2-core machine's browser, docs/benchmarks.md) is not loaded on every page view."""
    with st.popover(t("reproduce"), icon=":material/terminal:", width="stretch"):
        st.caption(t("reproduce_help"))
        st.code("\n".join(commands), language="bash", wrap_lines=True)
    return commands


def export_buttons(data, name: str, w: periods.Window, filters: dict, reproduce: list[str] | tuple = ()) -> None:
    """CSV and Excel downloads of what the reader sees (their language, labels, codes beside them), with
    provenance (supervision/exports). `data` is a DataFrame or a function returning one: a function runs only
    when the reader clicks (large selections are not rendered on every rerun). Every export is written to the
    audit log with its rows and the SHA-256 of the file."""
    prov = provenance(w, filters, reproduce)
    fetch = data if callable(data) else (lambda: data)
    u = user()
    who = u.username if u else None
    language = lang()
    labels = dict(vocab(stamp()))
    sc = scope()

    def name_of(domain: str, code: str) -> str:  # runs outside the script: no session state to read
        pair = labels.get((domain, code))
        return str(code) if pair is None else pair[0] if language == "zh" else pair[1]

    def produce(kind: str, convert) -> bytes:
        # runs on click, outside the script run: the reader and the language were captured above
        df = fetch()
        out = convert(display.readable(df, language, name_of, keep_codes=True), prov)
        auth.log(
            who,
            "export",
            {
                "name": name,
                "format": kind,
                "rows": len(df),
                "sha256": digest(out),
                "filter": dict(prov)["filter"],
                "scope": dict(prov)["scope"],
            },
        )
        return out

    scope_label = sc.district_code or sc.city_code or "province"
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        t("export_csv"),
        lambda: produce("csv", exports.to_csv),
        exports.file_name(name, scope_label, w.as_of, "csv"),
        "text/csv",
        key=f"csv_{name}",
        icon=":material/download:",
        on_click="ignore",
    )
    c2.download_button(
        t("export_xlsx"),
        lambda: produce("xlsx", exports.to_xlsx),
        exports.file_name(name, scope_label, w.as_of, "xlsx"),
        exports.XLSX_TYPE,
        key=f"xlsx_{name}",
        icon=":material/table:",
        on_click="ignore",
    )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
