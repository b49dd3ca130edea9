"""The dashboard's server: Streamlit (dashboard.py) plus the two endpoints that set and clear the session cookie.

    streamlit run server.py          # what scripts/run.sh starts

Streamlit has no cookie API, and a cookie written by a script on the page cannot be HttpOnly. So a page that
has just signed someone in asks this server, with a one-time code (supervision/auth.cookie_code), to set the
cookie: the response sets it HttpOnly, SameSite=Strict, and Secure when the request came over HTTPS (directly,
or through a TLS proxy that says so in X-Forwarded-Proto). No script on the page ever holds the token.
"""

from __future__ import annotations

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


app = st.App(
    "dashboard.py",
    routes=[
        Route("/session/cookie", set_cookie, methods=["POST"]),
        Route("/session/end", clear_cookie, methods=["POST"]),
    ],
)
