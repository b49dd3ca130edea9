"""The dashboard's server: Streamlit (dashboard.py) plus the two endpoints that set and clear the session cookie.

    streamlit run server.py          # what scripts/run.sh starts

Streamlit has no cookie API, and a cookie written by a script on the page cannot be HttpOnly. So a page that
has just signed someone in asks this server, with a one-time code (supervision/auth.cookie_code), to set the
cookie: the response sets it HttpOnly, SameSite=Strict, and Secure when the request came over HTTPS (directly,
or through a TLS proxy that says so in X-Forwarded-Proto). No script on the page ever holds the token.
"""

from __future__ import annotations

import contextlib
import threading

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from supervision import auth


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


async def set_cookie(request: Request) -> Response:
    form = await request.form()
    token = auth.redeem_code(form.get("code"))
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        auth.COOKIE,
        token,
        max_age=auth.SESSION_HOURS * 3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


async def clear_cookie(request: Request) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(auth.COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


def _preload() -> None:
    """What the first script run would otherwise pay for, done as the server starts (before anyone connects):
    the page modules and the libraries they draw with (pandas, pyarrow, Plotly's figure classes and JSON
    encoder), and the database opened — which starts the warm-up of the default window's reports
    (supervision/ui/data.py). The first reader of the morning then waits only for their own numbers."""
    try:
        import plotly.graph_objects as go
        import pyarrow  # noqa: F401  (Streamlit's dataframes travel as Arrow)

        from supervision import charts, ui  # noqa: F401

        for trace in (go.Heatmap(z=[[1.0]]), go.Bar(x=[1], y=["a"]), go.Scatter(x=[1], y=[1])):
            go.Figure(trace).to_json()  # Plotly builds each trace type's validators on first use
        ui.data.stamp()  # opens the live version of the database and warms it
    except Exception:  # a courtesy: the first script run loads whatever is missing, and reports what fails
        pass


@contextlib.asynccontextmanager
async def _lifespan(_app):
    threading.Thread(target=_preload, daemon=True, name="preload").start()
    yield None


app = st.App(
    "dashboard.py",
    lifespan=_lifespan,
    routes=[
        Route("/session/cookie", set_cookie, methods=["POST"]),
        Route("/session/end", clear_cookie, methods=["POST"]),
    ],
)
