"""SPEC §12's pages in Chromium on the committed sample (which carries work orders, return visits and
inspections): a province reader's 工单回访 numbers are what the page's own replay commands print, the order list
drills to an order's visits, the inspection calendar is drawn; a city reader sees only its city, and another
city's URL is refused."""

from __future__ import annotations

import csv
import io
import re
import shlex
import subprocess
import sys

from browser_support import ROOT, sign_in, wait_ready
from playwright.sync_api import expect
from test_dashboard import click_row


def replay(page) -> list[dict]:
    """Run the first command of the page's replay panel; its CSV rows."""
    page.get_by_text("复现", exact=True).click()
    code = page.get_by_test_id("stCode").first
    expect(code).to_be_visible()
    first = shlex.split([ln for ln in code.inner_text().splitlines() if ln.strip()][0])
    page.keyboard.press("Escape")
    out = subprocess.run(
        [sys.executable, *first[1:], "--format", "csv"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return list(csv.DictReader(io.StringIO(out)))


def metric(page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text=label).first
    return card.get_by_test_id("stMetricValue").inner_text().strip()


def test_province_return_visits_are_the_cli_numbers_and_drill_to_visits(app, page):
    sign_in(page, f"{app.url}/returnvisits", "prov")
    expect(page.locator("h1").first).to_contain_text("装维工单回访", timeout=30000)
    wait_ready(page)
    rows = replay(page)  # `report returnvisits --by city` for this window and as-of date
    assert len(rows) > 1
    assert metric(page, "工单数") == f"{sum(int(r['orders']) for r in rows):,}"
    done, required = (sum(int(r[c]) for r in rows) for c in ("followups_done", "followups"))
    assert metric(page, "已跟进") == f"{done:,} / {required:,}"
    expect(page.locator(".js-plotly-plot").first).to_be_visible()  # the trend by completion date
    # the missed orders, then one order's visits
    sign_in(page, f"{app.url}/returnvisits?status=missed", "prov")
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"共 [\d,]+ 张工单"))).to_be_visible()
    click_row(page, 3, 0)
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"工单 GD\d+ 的回访记录"))).to_be_visible(timeout=30000)


def test_inspection_calendar_for_a_city_reader(app, page):
    sign_in(page, f"{app.url}/inspections", "li")
    expect(page.locator("h1").first).to_contain_text("检查制度", timeout=30000)
    wait_ready(page)
    ticks = page.locator(".js-plotly-plot .ytick text")
    expect(ticks.first).to_be_attached()
    labels = ticks.all_text_contents()
    assert labels and all(t.startswith("沈阳") for t in labels), labels  # 沈阳's centres only
    expect(page.locator(".js-plotly-plot .xtick text", has_text="2026-01").first).to_be_attached()
    # another city's inspections by URL: refused, nothing drawn
    sign_in(page, f"{app.url}/inspections?city=2102", "li")
    expect(page.get_by_text(re.compile("无权查看")).first).to_be_visible(timeout=30000)
    expect(page.locator(".js-plotly-plot")).to_have_count(0)
