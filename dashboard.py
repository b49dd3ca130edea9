"""Entry point: page config, sign-in, the shared sidebar (language, period, as-of), navigation by role.

Run with `streamlit run dashboard.py` (the README's run command builds the database and the first user).
"""

import streamlit as st

from supervision import i18n, pages, ui

st.set_page_config(page_title="分层服务监督看板", page_icon=":material/fact_check:", layout="wide")

# The language comes from the URL on first load; the sidebar widget keeps it there.
lang = st.query_params.get("lang", st.session_state.get("lang", "zh"))
lang = lang if lang in i18n.LANGS else "zh"
st.session_state.setdefault("lang", lang)


def _t(key: str) -> str:
    return i18n.t(key, lang)


def _sign_in_page(path: str) -> st.Page:
    def page() -> None:
        ui.sign_in_form()

    page.__name__ = f"sign_in_{path}"  # one page per path: a deep link keeps its path and filters through sign-in
    return st.Page(page, title=_t("sign_in"), icon=":material/login:", url_path=path, default=path == pages.DEFAULT)


user = ui.current_user() or ui.resume()
ui.sync_cookie()
ui.chrome_text()
if user is None:
    st.navigation([_sign_in_page(p) for p in pages.PATHS], position="hidden").run()
    st.stop()

# the pages this reader's role may open (supervision/pages.py); url_path equals each file's stem (CONVENTIONS),
# and the default page is served at "/"
sections: dict[str, list[st.Page]] = {}
for p in pages.for_role(user.role):
    sections.setdefault(_t(p.section), []).append(
        st.Page(p.file, title=_t(p.title), icon=p.icon, url_path=p.path, default=p.path == pages.DEFAULT)
    )
nav = st.navigation(sections, expanded=True)  # every page listed: no English "View more" behind a fold
ui.who_panel()
st.session_state["window"] = ui.sidebar()
ui.log_view(nav.url_path or "overview")
blocked = ui.outside_scope()
if blocked:
    ui.audit("denied", page=nav.url_path or "overview", what=blocked)
    st.error(ui.t("not_permitted", what=blocked), icon=":material/block:")
    st.stop()
nav.run()
