"""Sign-in and the scope guard (SPEC §7): the sign-in page, sessions resumed from their cookie and ended when
the user changes, the reader's name and scope on every page, URLs naming what lies outside the scope, and one
audit entry per page view."""

from __future__ import annotations

import json

import streamlit as st

from supervision import auth, measures
from supervision.ui.data import query
from supervision.ui.labels import lang, t
from supervision.ui.session import audit, scope, user


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def sign_in_form() -> None:
    """The sign-in page: password sign-in against users.json; the company identity provider when configured."""
    st.title(t("app_title"))
    if st.session_state.pop("_ended", False):
        st.warning(t("session_ended"))
    if not auth.has_users():
        st.warning(t("no_users", path=str(auth.users_path())))
        st.code("python -m supervision users add admin --role province --name 管理员", language="bash")
        return
    if _oidc_configured():
        if getattr(st.user, "is_logged_in", False):
            email = getattr(st.user, "email", None)
            u = auth.oidc_user(email)
            if u is None:
                auth.log(email, "sign_in_failed", {"via": "oidc", "why": "no such user"})
                st.error(t("oidc_unknown"))
                st.button(t("sign_out"), on_click=st.logout)
                return
            st.session_state["user"] = u
            auth.log(u.username, "sign_in", {"via": "oidc", "role": u.role, "scope": u.scope_label()})
            st.rerun()
        st.button(t("sign_in_oidc"), on_click=st.login, type="primary")
    with st.form("sign_in", border=True, width=420):
        name = st.text_input(t("username"))
        password = st.text_input(t("password"), type="password")
        if st.form_submit_button(t("sign_in"), type="primary"):
            u = auth.sign_in(name, password, client=client())
            if u is None:
                st.error(t("sign_in_failed"))
            else:
                st.session_state["user"] = u
                # the cookie is set HttpOnly by the server's own endpoint (server.py), asked by the next run
                st.session_state["_cookie"] = auth.cookie_code(auth.issue_session(u))
                st.rerun()
    _preload_front_end()


def _preload_front_end() -> None:
    """While the reader types, the browser loads the code that draws tables and charts: Streamlit fetches and
    compiles each kind on its first use, which cost the first page after signing in ≈0.7 s (measured on the
    overview, docs/benchmarks.md). A one-row table and an empty chart, never shown.

    After the form, so the form shows first (drawn before it, they delayed the form by 0.85 s). Two elements hidden
    by their own keys, not a hidden container: the sign-in run ends by rerunning, and until the next page's run
    has finished Streamlit lets a container of that page at the same position take over a container's contents
    (they would show there for a moment); an element is only replaced, and keeps its key meanwhile. A table gets
    its key's class only as a selectable table: nobody can select in a table that is not shown."""
    import pandas as pd
    import plotly.graph_objects as go

    st.html("<style>.st-key-preload_table, .st-key-preload_chart {display: none}</style>")
    st.dataframe(pd.DataFrame({"_": [0]}), key="preload_table", on_select="rerun")
    st.plotly_chart(go.Figure(), config={"displayModeBar": False}, key="preload_chart")


def client() -> str | None:
    """The reader's address, as the server saw it (failed sign-ins are counted per client too)."""
    try:
        return st.context.ip_address
    except Exception:  # AppTest has no client
        return None


def sign_out(reason: str = "sign_out") -> None:
    audit(reason)
    auth.end_session(st.context.cookies.get(auth.COOKIE))
    st.session_state["_cookie"] = ""  # cleared in the browser by the next run
    st.session_state.pop("user", None)
    st.session_state.pop("_last_view", None)
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def who_panel() -> None:
    """The reader's name, role and scope, on every page (SPEC §7), and the way out."""
    u = user()
    with st.sidebar:
        st.caption(t("signed_in_as", name=u.name, role=t(f"role_{u.role}"), scope=scope_name(u)))
        st.button(t("sign_out"), on_click=sign_out, key="sign_out", icon=":material/logout:")


def scope_name(u: auth.User) -> str:
    if u.role in ("province", "auditor"):
        return t("whole_province")
    org = query("views/org_units", u.scope)
    if u.district_code:
        row = org[org.district_code == u.district_code]
        return f"{row.city_name.iloc[0]} {row.district_name.iloc[0]}" if len(row) else u.district_code
    row = org[org.city_code == u.city_code]
    return row.city_name.iloc[0] if len(row) else (u.city_code or "")


def outside_scope() -> str | None:
    """The URL parameter naming a city, district, manager or customer outside the reader's scope, if any."""
    sc = scope()
    if sc.city_code is None and sc.district_code is None:
        return None
    params = st.query_params
    org = query("views/org_units", sc)
    if params.get("city") and params["city"] not in set(org.city_code):
        return f"city={params['city']}"
    for key in ("district", "da", "db"):
        if params.get(key) and params[key] not in set(org.district_code):
            return f"{key}={params[key]}"
    if params.get("manager") and params["manager"] not in set(query("views/managers", sc).manager_id):
        return f"manager={params['manager']}"
    customer = params.get("customer")
    if customer and query("views/customer", sc, customer=customer).empty:
        if not query("views/customer_exists", measures.PROVINCE, customer=customer).empty:
            return f"customer={customer}"
    return None


def log_view(page: str) -> None:
    """One audit entry per page view: a page with its filters, logged again only when either changes."""
    view = (page, tuple(sorted(st.query_params.to_dict().items())))
    if st.session_state.get("_last_view") != view:
        st.session_state["_last_view"] = view
        audit("view", page=page, params=dict(view[1]))


def current_user() -> auth.User | None:
    """The signed-in reader, checked against the users file on every run: a session whose user was removed,
    disabled or changed (scope, role, password) ends here, with a message on the sign-in page."""
    u = user()
    if u is not None and auth.current(u) is None:
        sign_out("session_ended")
        st.session_state["_ended"] = True
        return None
    return u


def resume() -> auth.User | None:
    """A new browser session (a reload, a pasted link) signed in again from its session cookie, if valid."""
    u = auth.resume_session(st.context.cookies.get(auth.COOKIE))
    if u is not None:
        st.session_state["user"] = u
        auth.log(u.username, "session_resumed", {"role": u.role, "scope": u.scope_label()})
    return u


def chrome_text() -> None:
    """Streamlit's own widget text that has no parameter (the file uploader's size and type line
    "Browse files") in the reader's language: hidden by a style rule, our own words shown instead."""
    if lang() != "zh":
        return
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] {display: none;}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {display: none;}'
        '[data-testid="stFileUploaderDropzone"] button::after {content: "选择文件"; font-size: 0.875rem;}'
        "</style>"
    )


def sync_cookie() -> None:
    """Set or clear the session cookie in the browser: a script posts the one-time code to the server's own
    endpoint (server.py), whose response sets the cookie HttpOnly — the token never reaches a script."""
    code = st.session_state.pop("_cookie", None)
    if code is None:
        return
    if code:
        body = f"new URLSearchParams({{code: {json.dumps(code)}}})"
        script = f"fetch('/session/cookie', {{method: 'POST', credentials: 'same-origin', body: {body}}});"
    else:
        script = "fetch('/session/end', {method: 'POST', credentials: 'same-origin'});"
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
