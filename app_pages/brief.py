"""简报 Briefs (SPEC §9): the weekly service-quality brief and the monthly service brief of the reader's own scope,
inline, with its HTML, PDF and Excel files. The same brief as `python -m supervision brief` (supervision/brief.py);
a city reader gets only its city's brief, and every generation and download is written to the audit log."""

import datetime as dt

import streamlit as st

from supervision import auditlog, brief, exports, ui
from supervision.scope import Scope

ui.page_window()  # stops with the reason when there is no data
sc = ui.scope()
nm = ui.names(sc)
info = ui.data_info()
st.title(ui.t("brief_title"))
st.caption(ui.t("brief_caption"))

c1, c2, c3 = st.columns([1, 2, 2])
with c1:
    kind = ui.choice(
        ui.t("brief_kind"),
        brief.KINDS,
        key="kind",
        format_func=lambda k: ui.t(f"brief_kind_{k}"),
        widget="segmented_control",
    )
latest = brief.default_day(kind, info["as_of"])
first = brief.period(kind, info["first"])[0]
# the periods the data reaches, latest first; the current (incomplete) one on top, marked provisional
starts = []
day = brief.period(kind, info["as_of"])[0]
while day >= first and len(starts) < 60:
    starts.append(day)
    day = brief.period(kind, day - dt.timedelta(days=1))[0]


def period_label(start: dt.date) -> str:
    d0, d1 = brief.period(kind, start)
    text = f"{d0} – {d1}" if kind == "week" else f"{d0.year}-{d0.month:02d}"
    return f"{text} ({ui.t('brief_provisional_short')})" if d1 > info["as_of"] else text


with c2:
    picked = ui.choice(
        ui.t("brief_period"),
        [str(s) for s in starts],
        key="period",
        default=str(brief.period(kind, latest)[0]),
        format_func=lambda s: period_label(dt.date.fromisoformat(s)),
    )
target = sc
if sc.city_code is None:  # province readers and auditors: the province's brief, or one city's
    with c3:
        city = ui.choice(
            ui.t("brief_for"),
            ["", *sorted(nm["city"])],
            key="city",
            format_func=lambda c: ui.t("whole_province") if c == "" else f"{nm['city'].get(c, c)} ({c})",
        )
    if city:
        target = Scope(city_code=city)


@st.cache_data(ttl=3600, max_entries=64, show_spinner=False)
def _compose(kind: str, day: str, city, district, lang: str, stamp: tuple) -> brief.Brief:
    with ui.cursor() as cur:
        return brief.compose(
            cur, kind, dt.date.fromisoformat(day), Scope(city, district), db_path=ui.db_path(), lang=lang
        )


try:
    with st.spinner(ui.t("brief_composing")):
        b = _compose(kind, picked, target.city_code, target.district_code, ui.lang(), ui.stamp())
except brief.BriefError as e:
    st.error(str(e))
    st.stop()
shown_key = (b.kind, str(b.date_from), target.city_code, target.district_code, ui.stamp())
if st.session_state.get("_brief_logged") != shown_key:  # once per brief shown, not on every rerun
    st.session_state["_brief_logged"] = shown_key
    ui.audit("brief", kind=b.kind, window=f"{b.date_from}..{b.date_to}", scope=target.city_code or "province")

u = ui.user()
who = u.username if u else None
stem = b.file_stem()


def produce(ext: str) -> bytes:
    # runs when the reader clicks (outside the script run): the brief and the reader were captured above
    data = brief.render(b, (ext,))[ext]
    brief_audit(ext, data)
    return data


def brief_audit(ext: str, data: bytes) -> None:
    auditlog.log(
        who,
        "brief",
        {
            "kind": b.kind,
            "window": f"{b.date_from}..{b.date_to}",
            "scope": b.scope.city_code or "province",
            "file": f"{stem}.{ext}",
            "bytes": len(data),
            "sha256": ui.digest(data),
        },
    )


DOWNLOADS = (  # format, MIME type, icon
    ("pdf", "application/pdf", ":material/picture_as_pdf:"),
    ("xlsx", exports.XLSX_TYPE, ":material/table:"),
    ("html", "text/html", ":material/code:"),
)
for column, (ext, mime, icon) in zip(st.columns([1, 1, 1, 3]), DOWNLOADS):
    column.download_button(
        ui.t(f"brief_download_{ext}"),
        lambda ext=ext: produce(ext),
        f"{stem}.{ext}",
        mime,
        key=f"brief_{ext}",
        icon=icon,
        on_click="ignore",
    )

st.header(b.title)
if b.provisional:
    st.warning(ui.t("brief_provisional", as_of=b.as_of), icon=":material/schedule:")
with st.expander(ui.t("brief_provenance")):
    for k, v in b.provenance:
        if k == "reproduce":
            st.code(v, language="bash")
        else:
            st.markdown(f"**{ui.t('prov_' + k)}**: {ui.plain(brief.provenance_value(b, k, v))}")

for i, sec in enumerate(b.sections):
    st.subheader(sec.title)
    for p in sec.paragraphs:
        st.markdown(ui.plain(p))
    for j, fig in enumerate(sec.figures):
        st.plotly_chart(fig, key=f"brief_fig_{i}_{j}")
    for t in sec.tables:
        st.markdown(f"**{ui.plain(t.title)}**")
        if t.df.empty:
            st.caption(ui.t("brief_nothing"))
            continue
        shown = (t.df if t.shown is None else t.df.head(t.shown)).copy()
        for col in t.rates:  # as on paper: one decimal, '—' where there is no rate
            shown[col] = [ui.pct(v) for v in shown[col]]
        ui.table(shown, rate_cols=(), key=f"brief_t_{t.sheet}")
        if t.note:
            st.caption(t.note)
