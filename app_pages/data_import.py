"""数据导入 Import and data quality (SPEC §4): import exports from an upload or a server folder, the import
report, the quarantine (searchable), data-quality findings, upgrade candidates and the import history."""

import os
import shutil
import tempfile

import pandas as pd
import streamlit as st

from supervision import contract, importing, store, ui

sc = ui.scope()
st.title(ui.t("import_title"))

c1, c2 = st.columns([3, 2])
uploads = c1.file_uploader(ui.t("upload"), type=["csv", "xlsx"], accept_multiple_files=True, key="uploads")
folder = c2.text_input(ui.t("or_folder"), key="import_folder", placeholder="sample_data/small")
if st.button(ui.t("run_import"), type="primary", disabled=not uploads and not folder):
    tmp = tempfile.mkdtemp(prefix="import_")
    try:
        source = folder
        if uploads:
            known = set(contract.FILES) | {"standards"}
            bad = [u.name for u in uploads if os.path.splitext(u.name)[0].lower() not in known]
            if bad:
                st.warning(ui.t("bad_names", names=", ".join(bad)))
            for u in uploads:
                with open(os.path.join(tmp, os.path.basename(u.name)), "wb") as fh:
                    fh.write(u.getvalue())
            source = tmp
        writer = ui.require_writer()
        bar = st.progress(0.0)
        rep = store.import_folder(ui.db_path(), source, username=writer.username,
                                  progress=lambda f, name: bar.progress(min(f, 1.0), name))
        bar.progress(1.0)
        ui.audit("import", import_id=rep.import_id, source=", ".join(u.name for u in uploads) or folder,
                 report=rep.as_json()["files"])
        st.session_state["last_import"] = rep.import_id
        st.success(ui.t("import_done", id=rep.import_id))
    except importing.ImportError_ as e:
        ui.audit("import_refused", source=", ".join(u.name for u in uploads) or folder, message=str(e))
        st.error(ui.t("import_refused", msg=e))
    except PermissionError:
        st.error(ui.t("read_only"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

if not os.path.exists(ui.db_path()):
    st.stop()
hist = ui.query("views/imports", sc)
if hist.empty:
    st.info(ui.t("no_data"))
    st.stop()
last = st.session_state.get("last_import", int(hist.import_id.max()))
st.subheader(f"{ui.t('import_report')} · #{last}")
rep = hist[hist.import_id == last][["file", "encoding", "read", "accepted", "updated", "quarantined", "duplicates"]]
st.dataframe(rep.rename(columns={c: ui.t(c) for c in rep.columns}), hide_index=True)

st.subheader(ui.t("quarantine"))
q = st.text_input(ui.t("search"), key="q", bind="query-params")
qr = ui.query("views/quarantine", sc, import_id=None, q=q, limit=5000)
st.dataframe(
    qr.rename(columns={c: ui.t(c) for c in qr.columns if c in ("file", "line", "reason", "raw")}),
    hide_index=True,
    column_config={ui.t("raw"): st.column_config.TextColumn(width="large")},
)

c1, c2 = st.columns(2)
with c1:
    st.subheader(ui.t("findings"))
    st.dataframe(ui.query("views/quality_findings", sc), hide_index=True)
with c2:
    st.subheader(ui.t("upgrade_candidates"))
    info = ui.data_info()
    up = ui.query("views/upgrade_candidates", sc, as_of=info["as_of"] or pd.Timestamp.today().date())
    st.dataframe(up, hide_index=True)

st.subheader(ui.t("history"))
st.dataframe(hist, hide_index=True)
