"""数据导入 Import and data quality (SPEC §4): check an upload or a server folder first — what the import would do,
file by file (new, updated, quarantined, duplicates) and every line it would quarantine, with nothing stored —
then import it on confirmation; the import report, the quarantine (searchable), data-quality findings and the
import history with who imported what."""

import os
import shutil
import tempfile

import pandas as pd
import streamlit as st

from supervision import alerts, contract, importing, store, ui

sc = ui.scope()
st.title(ui.t("import_title"))
if "import_flash" in st.session_state:  # the result of the last import, shown once after the page redrew
    st.success(st.session_state.pop("import_flash"))

KNOWN = set(contract.FILES) | {"standards"}
c1, c2 = st.columns([3, 2])
uploads = c1.file_uploader(
    ui.t("upload"),
    type=["csv", "xlsx", "xls"],
    accept_multiple_files=True,
    key=f"uploads_{st.session_state.get('imports_done', 0)}",
    help=ui.t("upload_hint"),
)
c1.caption(ui.t("upload_hint"))
folder = c2.text_input(ui.t("or_folder"), key="import_folder", placeholder=ui.t("folder_hint"))


def _stage_uploads() -> tuple[str, str]:
    """The uploads in a temporary folder of their own (kept until the import is confirmed or dropped), and the
    names they are imported under."""
    tmp = tempfile.mkdtemp(prefix="import_")
    for u in uploads:
        with open(os.path.join(tmp, os.path.basename(u.name)), "wb") as fh:
            fh.write(u.getvalue())
    return tmp, ", ".join(u.name for u in uploads)


def _drop_pending() -> None:
    pending = st.session_state.pop("import_pending", None)
    if pending and pending["tmp"]:
        shutil.rmtree(pending["tmp"], ignore_errors=True)


def _report_table(files) -> None:
    ui.table(
        pd.DataFrame(
            [[f.file, f.encoding, f.read, f.accepted, f.updated, f.quarantined, f.duplicates] for f in files],
            columns=["file", "encoding", "read", "accepted", "updated", "quarantined", "duplicates"],
        )
    )


if st.button(ui.t("check_import"), type="primary", disabled=not uploads and not folder, icon=":material/search:"):
    _drop_pending()
    try:
        ui.require_writer()
        if uploads:
            unknown = [u.name for u in uploads if os.path.splitext(u.name)[0].lower() not in KNOWN]
            if unknown:
                st.warning(ui.t("bad_names", names=", ".join(unknown)))
            tmp, source = _stage_uploads()
        else:
            tmp, source = None, folder
        rep = store.import_folder(ui.db_path(), tmp or folder, username=ui.user().username, source=source, dry_run=True)
        st.session_state["import_pending"] = {"tmp": tmp, "folder": tmp or folder, "source": source, "report": rep}
    except importing.ImportRefused as e:
        st.error(ui.t("import_refused", msg=e))
        _drop_pending()
    except PermissionError:
        st.error(ui.t("read_only"))

pending = st.session_state.get("import_pending")
if pending:
    rep = pending["report"]
    with st.container(border=True):
        st.subheader(ui.t("import_preview", source=pending["source"]))
        st.caption(ui.t("import_preview_hint"))
        _report_table(rep.files)
        if rep.ignored:
            st.warning(ui.t("files_ignored", names=", ".join(rep.ignored)))
        for f in rep.files:
            for note in f.notes:
                st.info(f"{f.file}: {ui.t('sheets_ignored', names=note.split(': ', 1)[-1])}")
        if rep.quarantine:
            st.markdown(f"**{ui.t('would_quarantine', n=sum(f.quarantined for f in rep.files))}**")
            ui.table(pd.DataFrame(rep.quarantine, columns=["file", "line", "reason", "raw"]), height=240)
        go, cancel, _ = st.columns([1, 1, 4])
        if go.button(ui.t("confirm_import"), type="primary", icon=":material/upload:"):
            try:
                writer = ui.require_writer()
                bar = st.progress(0.0)
                done = store.import_folder(
                    ui.db_path(),
                    pending["folder"],
                    username=writer.username,
                    source=pending["source"],
                    progress=lambda f, name: bar.progress(min(f, 1.0), name),
                )
                ui.audit("import", import_id=done.import_id, source=pending["source"], report=done.as_json()["files"])
                ui.data_changed()
                st.session_state["last_import"] = done.import_id
                st.session_state["import_flash"] = ui.t("import_done", id=done.import_id)
                try:  # SPEC §9: the alerts are evaluated after every import
                    ar = alerts.run(ui.db_path(), username=writer.username)
                    st.session_state["import_flash"] += " " + ui.t(
                        "alerts_after_import", new=ar.new, sent=ar.sent, failed=ar.failed
                    )
                except (alerts.AlertRulesError, alerts.AlertConfigError) as e:
                    st.session_state["import_flash"] += " " + ui.t("alerts_not_evaluated", msg=str(e).splitlines()[0])
                st.session_state["imports_done"] = st.session_state.get("imports_done", 0) + 1
            except importing.ImportRefused as e:
                ui.audit("import_refused", source=pending["source"], message=str(e))
                st.error(ui.t("import_refused", msg=e))
            except PermissionError:
                st.error(ui.t("read_only"))
            finally:
                _drop_pending()
            st.rerun()  # the sidebar's data stamp and import number, and the history below, from the new data
        if cancel.button(ui.t("cancel")):
            _drop_pending()
            st.rerun()

if not os.path.exists(ui.db_path()):
    st.stop()
hist = ui.query("views/imports", sc)
if hist.empty:
    st.info(ui.t("no_data"))
    st.stop()
last = st.session_state.get("last_import", int(hist.import_id.max()))
row = hist[hist.import_id == last].iloc[0]
st.subheader(f"{ui.t('import_report')} · #{last}")
ui.table(
    pd.DataFrame(
        [
            {
                "username": row.username or ui.t("unknown_user"),
                "os_user": row.os_user,
                "finished_at": row.finished_at,
                "source": row.source,
            }
        ]
    )
)
ui.table(hist[hist.import_id == last][["file", "encoding", "read", "accepted", "updated", "quarantined", "duplicates"]])

st.subheader(ui.t("quarantine"))
q = st.text_input(ui.t("search"), key="q", bind="query-params")
qr = ui.query("views/quarantine", sc, import_id=None, q=q, limit=5000)
ui.table(qr, column_config={"raw": st.column_config.TextColumn(ui.t("raw"), width="large")})

st.subheader(ui.t("findings"))
ui.table(ui.query("views/quality_findings", sc))

st.subheader(ui.t("history"))
ui.table(
    hist[
        [
            "import_id",
            "started_at",
            "finished_at",
            "source",
            "username",
            "os_user",
            "file",
            "read",
            "accepted",
            "updated",
            "quarantined",
            "duplicates",
        ]
    ]
)
