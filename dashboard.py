"""Entry point: page config, sign-in, the shared sidebar (language, period, as-of), navigation by role.

Run with `streamlit run dashboard.py` (the README's run command builds the database and the first user).
"""

import streamlit as st

from supervision import i18n, ui

st.set_page_config(page_title="分层服务监督看板", page_icon=":material/fact_check:", layout="wide")

# The language comes from the URL on first load; the sidebar widget keeps it there.
lang = st.query_params.get("lang", st.session_state.get("lang", "zh"))
lang = lang if lang in i18n.LANGS else "zh"
st.session_state.setdefault("lang", lang)


def _t(key: str) -> str:
    return i18n.t(key, lang)


PATHS = ["overview", "city", "managers", "customer", "due", "audit", "standards", "data_import", "audit_log"]


def _sign_in_page(path: str) -> st.Page:
    def page() -> None:
        ui.sign_in_form()

    page.__name__ = f"sign_in_{path}"  # one page per path: a deep link keeps its path and filters through sign-in
    return st.Page(page, title=_t("sign_in"), icon=":material/login:", url_path=path, default=path == "overview")


user = ui.current_user() or ui.resume()
ui.sync_cookie()
ui.chrome_text()
if user is None:
    st.navigation([_sign_in_page(p) for p in PATHS], position="hidden").run()
    st.stop()

# url_path equals each file's stem (CONVENTIONS); the default page is served at "/"
pages = {
    _t("sec_view"): [
        st.Page("app_pages/overview.py", title=_t("nav_overview"), icon=":material/map:", url_path="overview",
                default=True),
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
    ],
}
if user.can_write:  # imports change the data: province users only (SPEC §7)
    pages[_t("sec_admin")].append(st.Page("app_pages/data_import.py", title=_t("nav_import"),
                                          icon=":material/upload_file:", url_path="data_import"))
if user.role in ("auditor", "province"):
    pages[_t("sec_admin")].append(st.Page("app_pages/audit_log.py", title=_t("nav_audit_log"),
                                          icon=":material/history:", url_path="audit_log"))
nav = st.navigation(pages)
ui.who_panel()
st.session_state["window"] = ui.sidebar()
ui.log_view(nav.url_path or "overview")
blocked = ui.outside_scope()
if blocked:
    ui.audit("denied", page=nav.url_path or "overview", what=blocked)
    st.error(ui.t("not_permitted", what=blocked), icon=":material/block:")
    st.stop()
nav.run()
