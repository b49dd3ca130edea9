"""The five-tier switch in Chromium (SPEC §12 configuration after creation): while the dashboard runs, `config load`
switches the sample to 1A–5A; without a restart the overview's tier breakdown, the audit explorer's export (rows
and provenance) and the standards page follow, and the chief managers' tab is drawn; loading the four tiers back
brings the old names back."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from browser_support import ROOT, App, build_db, wait_ready
from playwright.sync_api import expect
from test_dashboard import open_page

FIVE = ROOT / "sample_data" / "config" / "five_tier"
FOUR = ROOT / "sample_data" / "config" / "four_tier"


@pytest.fixture(scope="module")
def switched_app(tmp_path_factory):
    path = tmp_path_factory.mktemp("config") / "config.duckdb"
    build_db(path)
    a = App(path)
    yield a
    a.stop()


def config_load(db, folder) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "supervision",
            "config",
            "load",
            str(folder / "tiers.csv"),
            str(folder / "standards.csv"),
        ]
        + ["--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def tier_ticks(page) -> set[str]:
    """The tier names on the overview's tier breakdown (a Plotly bar chart)."""
    wait_ready(page)
    ticks = page.locator(".js-plotly-plot .ytick text, .js-plotly-plot .xtick text")
    expect(ticks.first).to_be_attached(timeout=30000)
    return {t.strip() for t in ticks.all_text_contents()}


def test_five_tiers_while_the_dashboard_runs_and_back(switched_app, page):
    app = switched_app
    open_page(page, f"{app.url}/")
    assert {"A+", "A", "B", "C"} <= tier_ticks(page)

    config_load(app.db, FIVE)  # the writer swaps a new version in while this session reads
    open_page(page, f"{app.url}/")
    ticks = tier_ticks(page)
    assert {"1A", "2A", "3A", "4A"} <= ticks and not {"A+", "B", "C"} & ticks

    # the audit explorer filtered on a new tier name, exported: its rows and its provenance follow
    open_page(page, f"{app.url}/audit?tier=2A&status=missed")
    with page.expect_download() as dl:
        page.get_by_role("button", name="导出 CSV").first.click()
    text = open(dl.value.path(), encoding="utf-8-sig").read()
    head = [ln for ln in text.splitlines() if ln.startswith("# ")]
    assert "# config_version: 2" in head and "# standards_version: 2" in head
    rows = list(csv.DictReader(io.StringIO("".join(text.splitlines(keepends=True)[len(head) :]), newline="")))
    assert rows and {r["客户等级"] for r in rows} == {"2A"}

    # the standards page: the five tiers' matrix and the configuration version the numbers rest on
    open_page(page, f"{app.url}/standards")
    expect(page.get_by_text("当前数字依据配置版本 v2").first).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_contain_text("5A")

    # the chief account managers' tab of the manager page
    open_page(page, f"{app.url}/managers")
    page.get_by_role("tab", name="首席客户经理考核").click()
    expect(page.get_by_text("业务发展未衡量").first).to_be_visible()
    chief = page.get_by_role("tabpanel").filter(has_text="业务发展未衡量")
    expect(chief.get_by_test_id("stDataFrame")).to_be_visible()
    expect(chief.get_by_role("button", name="导出 CSV")).to_be_visible()

    config_load(app.db, FOUR)
    open_page(page, f"{app.url}/")
    ticks = tier_ticks(page)
    assert {"A+", "A", "B", "C"} <= ticks and not {"1A", "2A"} & ticks
