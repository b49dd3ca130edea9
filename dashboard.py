"""Entry point: page config, the shared sidebar (language, period, as-of), navigation.

Run with `streamlit run dashboard.py` (the README's run command builds the database first).
"""

import streamlit as st

from supervision import i18n, ui

st.set_page_config(page_title="分层服务监督看板", page_icon=":material/fact_check:", layout="wide")

# The language comes from the URL on first load; the sidebar widget keeps it bound there.
lang = st.query_params.get("lang", st.session_state.get("lang", "zh"))


def _t(key: str) -> str:
    return i18n.t(key, lang if lang in i18n.LANGS else "zh")


# url_path equals each file's stem (see CONVENTIONS: deep links break otherwise)
pages = {
    _t("sec_view"): [
        st.Page(
            "app_pages/overview.py", title=_t("nav_overview"), icon=":material/map:", url_path="overview", default=True
        ),
        st.Page("app_pages/city.py", title=_t("nav_city"), icon=":material/location_city:", url_path="city"),
        st.Page("app_pages/managers.py", title=_t("nav_managers"), icon=":material/badge:", url_path="managers"),
        st.Page("app_pages/customer.py", title=_t("nav_customer"), icon=":material/apartment:", url_path="customer"),
    ],
    _t("sec_work"): [
        st.Page("app_pages/due.py", title=_t("nav_due"), icon=":material/event_upcoming:", url_path="due"),
        st.Page("app_pages/audit.py", title=_t("nav_audit"), icon=":material/policy:", url_path="audit"),
    ],
    _t("sec_admin"): [
        st.Page("app_pages/standards.py", title=_t("nav_standards"), icon=":material/rule:", url_path="standards"),
        st.Page(
            "app_pages/data_import.py", title=_t("nav_import"), icon=":material/upload_file:", url_path="data_import"
        ),
    ],
}
nav = st.navigation(pages)
st.session_state["window"] = ui.sidebar()
nav.run()
