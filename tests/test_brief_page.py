"""The 简报 page (SPEC §9, §7): the reader's own brief inline; a province reader may pick a city, a city reader
gets only its city's brief whatever the URL says; every brief shown is written to the audit log."""

from __future__ import annotations

import json
import os

from test_page_text import texts

from supervision import auth

CITY = auth.User("li", "李", "city", "2101")
DISTRICT = auth.User("wang", "王", "district", "2102", "210203")
PROVINCE = auth.User("prov", "省", "province")


def _log() -> list[dict]:
    with open(os.environ["SUPERVISION_AUDIT_LOG"], encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _all_text(at) -> str:
    return "\n".join(text for _, text in texts(at))


def test_a_province_reader_sees_the_province_brief_and_may_pick_a_city(dashboard):
    at = dashboard(PROVINCE, "brief", kind="month")
    assert not at.exception
    assert "全省服务简报" in at.header[0].value
    assert "大连" in _all_text(at) and "沈阳" in _all_text(at)
    at = dashboard(PROVINCE, "brief", kind="month", city="2102")
    assert "大连服务简报" in at.header[0].value
    assert "沈阳" not in _all_text(at)
    briefs = [e for e in _log() if e["action"] == "brief"]
    assert [e["detail"]["scope"] for e in briefs][-2:] == ["province", "2102"]


def test_a_city_reader_gets_only_its_city_s_brief_whatever_the_url_says(dashboard):
    for params in ({}, {"kind": "month"}):
        at = dashboard(CITY, "brief", **params)
        assert not at.exception
        assert at.header[0].value.startswith("沈阳")
        shown = _all_text(at)
        assert "大连" not in shown and "2102" not in shown, params
        assert not [s for s in at.selectbox if s.label == "范围"]  # no scope picker for a city reader
    # another city in the URL is refused by the scope guard before the page runs
    for params in ({"city": "2102"}, {"kind": "month", "city": "2102"}):
        at = dashboard(CITY, "brief", **params)
        assert not at.header and at.error and "大连" not in _all_text(at)
    assert {e["detail"]["scope"] for e in _log() if e["action"] == "brief"} == {"2101"}
    assert all(e["user"] == "li" for e in _log() if e["action"] == "brief")


def test_a_district_reader_gets_its_district_s_brief(dashboard):
    at = dashboard(DISTRICT, "brief", kind="month")
    assert not at.exception
    assert at.header[0].value.startswith("西岗区")
    shown = _all_text(at)
    assert "沈阳" not in shown and "中山区" not in shown
