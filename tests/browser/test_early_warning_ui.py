"""Early warning and trust in Chromium, for a city user (SPEC §10): the incomplete-data warning and the ⚠ marks
on the rates of flagged districts, the at-risk count on the due list, and a replay panel whose command prints
the page's numbers. The committed sample plants a spike in 沈阳's 皇姑区 (sample_data/generator/service_logs.py)."""

from __future__ import annotations

import csv
import io
import re
import shlex
import subprocess
import sys

from browser_support import ROOT, sign_in, wait_ready
from playwright.sync_api import expect

from supervision import display


def test_a_city_user_sees_the_marks_and_can_replay_the_overview(app, page):
    sign_in(page, f"{app.url}/", "li")
    expect(page.locator("h1").first).to_be_visible(timeout=30000)
    wait_ready(page)
    expect(page.get_by_text(re.compile("数据不完整：\\d+ 个区县"))).to_be_visible()
    # the heatmap's row of the flagged district carries the mark
    expect(page.locator(".js-plotly-plot .ytick text", has_text="⚠ 皇姑区").first).to_be_attached()
    # the replay panel: the commands carry the window, the as-of date and the reader's city
    page.get_by_text("复现", exact=True).click()
    code = page.get_by_test_id("stCode").first
    expect(code).to_be_visible()
    lines = [ln for ln in code.inner_text().splitlines() if ln.strip()]
    first = shlex.split(lines[0])
    assert first[3:6] == ["report", "compliance", "--db"] and first[-2:] == ["--city", "2101"]
    assert "--as-of" in first and first[first.index("--by") + 1] == "province"
    out = subprocess.run(
        [sys.executable, *first[1:], "--format", "csv"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    rate = next(csv.DictReader(io.StringIO(out)))["rate"]
    expect(page.get_by_test_id("stMetric").first).to_contain_text(display.pct(rate))


def test_the_due_list_counts_what_is_at_risk(app, page):
    sign_in(page, f"{app.url}/due", "li")
    expect(page.locator("h1").first).to_be_visible(timeout=30000)
    wait_ready(page)
    card = page.get_by_test_id("stMetric").filter(has_text="有风险")
    expect(card).to_have_count(1)
    assert re.search(r"\d", card.inner_text())
