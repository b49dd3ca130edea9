"""Page scaffolding: the window or a stop, the title, display names, organisation pickers, ranked tables with
row selection, and an obligation's evidence panel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from supervision import periods
from supervision.measures import Scope
from supervision.ui.data import missing_file, query
from supervision.ui.downloads import export_buttons
from supervision.ui.labels import label, plain, status_label, t
from supervision.ui.marks import at_risk_column, flag_column
from supervision.ui.session import data_info, scope
from supervision.ui.tables import empty_state, table
from supervision.ui.url import choice


def org_filters(sc: Scope, nm: dict, columns: list) -> tuple[str, str, str]:
    """City, district and manager pickers (URL-bound, within the scope), each narrowing the next, one per
    column given (two columns: no manager picker). Returns the picked codes, '' for "all"."""
    org = query("views/org_units", sc)
    city = choice(
        t("city"),
        [""] + sorted(nm["city"]),
        "city",
        container=columns[0],
        format_func=lambda c: nm["city"].get(c, c) if c else t("all"),
    )
    districts = [""] + list(org[org.city_code == city].district_code if city else org.district_code)
    district = choice(
        t("district"),
        districts,
        "district",
        container=columns[1],
        format_func=lambda d: f"{nm['district'].get(d, d)} ({d})" if d else t("all"),
    )
    if len(columns) < 3:
        return city, district, ""
    managers = query("views/managers", sc)
    if district:
        managers = managers[managers.district_code == district]
    elif city:
        managers = managers[managers.city_code == city]
    manager = choice(
        t("manager"),
        [""] + list(managers.manager_id),
        "manager",
        container=columns[2],
        format_func=lambda m: f"{nm['manager'].get(m, '')} ({m})" if m else t("all"),
    )
    return city, district, manager


def ranking(
    rows: pd.DataFrame,
    code_col: str,
    names: dict[str, str],
    label: str,
    key: str,
    marks: dict[str, str] | None = None,
    extra: dict[str, dict] | None = None,
) -> tuple[pd.DataFrame, str | None]:
    """A report's groups ranked best rate first (groups with nothing closed last) as a selectable table, named
    in the reader's language; a group whose data is flagged (`marks`, SPEC §10) carries ⚠ and the reason.
    `extra`: more columns, each code → value (the at-risk counts). Returns the ranked rows and the code of the
    row the reader picked (or None)."""
    marks = marks or {}
    extra = extra or {}

    def name(c):
        return ("⚠ " if c in marks else "") + (names.get(c) or (c if c else t("no_manager")))

    rows = rows.assign(
        name=rows[code_col].map(name),
        data_flag=rows[code_col].map(lambda c: marks.get(c, "")),
        **{col: rows[code_col].map(lambda c, v=values: v.get(c, 0)) for col, values in extra.items()},
    )
    ranked = rows.sort_values("rate", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    columns = [
        "name",
        "rate",
        "obligations",
        "met",
        "missed",
        "open",
        *extra,
        *(["data_flag"] if marks else []),
        code_col,
    ]
    event = table(
        ranked[columns],
        column_config={"name": label, "data_flag": flag_column(), "at_risk": at_risk_column()},
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    row = selected_row(event)
    return ranked, (None if row is None else ranked.loc[row, code_col])


def page_window() -> periods.Window:
    """The sidebar's window, or stop the page with the reason shown (no database, no data, bad window)."""
    w = st.session_state.get("window")
    if w is None or data_info()["as_of"] is None:
        st.stop()
    first = data_info()["first"]
    if first is not None and w.as_of < first:  # nothing was recorded yet: no rate, no pace, no flag to show
        st.info(t("as_of_before_data", as_of=str(w.as_of), first=str(first)), icon=":material/event_busy:")
        st.stop()
    return w


def names(sc: Scope) -> dict[str, dict[str, str]]:
    """Display names: cities, districts (by code) and managers, within the scope."""
    org = query("views/org_units", sc)
    mgr = query("views/managers", sc)
    return {
        "city": dict(zip(org.city_code, org.city_name)),
        "district": dict(zip(org.district_code, org.district_name)),
        "manager": dict(zip(mgr.manager_id, mgr.manager_name)),
    }


def evidence_panel(o, sc: Scope, w: periods.Window, filters: dict) -> None:
    """The records behind one obligation `o` (a row of views/obligations): which counted, which did not and why,
    and their export (SPEC §6: every obligation links to its evidence)."""
    st.markdown(
        f"**{t('evidence')}** · {o.customer_id} {plain(getattr(o, 'customer_name', '') or '')} · "
        f"{label('service', o.service_code)} {o.period_start.date()} – {o.period_end.date()} · "
        f"{int(o.completed)}/{int(o.n)} · {status_label(o.status)}"
    )
    evid = query(
        "views/evidence",
        sc,
        customer=o.customer_id,
        service=o.service_code,
        period_start=o.period_start.date(),
        period_end=o.period_end.date(),
        as_of=w.as_of,
    )
    if evid.empty:
        empty_state(f"{t('missing')} {int(o.n) - int(o.completed)}")
        return
    evid["counted"] = evid.counted.map(lambda b: t("counted") if b else t("not_counted"))
    table(evid)
    export_buttons(
        evid,
        "evidence",
        w,
        {
            **filters,
            "customer": o.customer_id,
            "service": o.service_code,
            "period": f"{o.period_start.date()}..{o.period_end.date()}",
        },
    )


def selected_row(event) -> int | None:
    """The index of the row picked in an `st.dataframe(on_select='rerun')`, if any."""
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    return rows[0] if rows else None


def header(title: str, w: periods.Window) -> None:
    st.title(title)
    st.caption(f"{w.label} · {t('as_of')} {w.as_of}")


def place_name(sc: Scope, nm: dict) -> str:
    """The reader's scope by name: their district, their city, or the province."""
    return nm["district"].get(sc.district_code) or nm["city"].get(sc.city_code) or t("province")


def section12_page(measure: str, title: str, caption: str):
    """The start of a SPEC §12 page: its window, the reader's scope and names, title and rule; or, when a file
    `measure` reads was never imported, "no data" naming it, and a stop. Returns (window, scope, names)."""
    w = page_window()
    sc = scope()
    nm = names(sc)
    header(t(title, scope=place_name(sc, nm)), w)
    st.caption(t(caption))
    missing = missing_file(measure)
    if missing:
        st.info(t("no_file_data", file=missing), icon=":material/info:")
        st.stop()
    return w, sc, nm
