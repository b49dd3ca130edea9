"""The reader and the data: who is signed in to this session, their scope, the audit log of what they do, and
what data is live (as-of date, standards version, last import)."""

from __future__ import annotations

import functools

import streamlit as st

from supervision import auth, measures
from supervision.measures import Scope
from supervision.ui.data import cursor, stamp


def user() -> auth.User | None:
    return st.session_state.get("user")


def scope() -> Scope:
    """The reader's scope (SPEC §7). No signed-in user, no data: a scope that matches nothing."""
    u = user()
    return u.scope if u is not None else Scope(city_code="\x00none", district_code="\x00none")


def audit(action: str, **detail) -> None:
    u = user()
    auth.log(u.username if u else None, action, detail)


def require_writer() -> auth.User:
    """Only a province user may import or load standards (SPEC §7: auditors are read-only)."""
    u = user()
    if u is None or not u.can_write:
        audit("denied", what="write")
        raise PermissionError("only a province user may import or load standards")
    return u


def data_info() -> dict:
    """As-of default, standards and configuration versions, last import; None values when the database is empty."""
    return dict(_data_info(stamp()))


@functools.lru_cache(maxsize=4)
def _data_info(stamp_: tuple) -> dict:
    with cursor() as cur:
        as_of = measures.as_of_default(cur)
        version = cur.execute("select max(version) from standards_versions").fetchone()[0]
        config_version = cur.execute("select max(version) from config_versions").fetchone()[0]
        imp = cur.execute("select max(import_id) from imports where finished_at is not null").fetchone()[0]
        first = cur.execute("select min(service_time)::date from service_logs").fetchone()[0]
    return {"as_of": as_of, "version": version, "config_version": config_version, "import_id": imp, "first": first}
