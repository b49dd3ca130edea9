"""The 简报 page in Chromium (SPEC §9): a province reader reads the monthly brief and downloads its PDF (Chinese
text, the same numbers as the page); a city reader reads only its city's brief."""

from __future__ import annotations

import re
import subprocess

from browser_support import sign_in, wait_ready
from playwright.sync_api import expect


def test_a_province_reader_reads_the_monthly_brief_and_downloads_its_pdf(app, page, tmp_path):
    sign_in(page, f"{app.url}/brief?kind=month", "prov")
    expect(page.locator("h2", has_text="全省服务简报").first).to_be_visible(timeout=60000)
    wait_ready(page)
    expect(page.get_by_text("年初至月末达标率", exact=True).first).to_be_visible()
    sentence = page.get_by_text(re.compile(r"^年初至月末达标率 \d+\.\d%")).first.inner_text()
    rate = re.search(r"(\d+\.\d%)", sentence).group(1)
    expect(page.locator(".js-plotly-plot").first).to_be_attached()  # the heatmap and the trend are drawn
    with page.expect_download(timeout=120000) as dl:
        page.get_by_role("button", name="下载 PDF").click()
    assert re.fullmatch(r"brief_month_province_\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.pdf", dl.value.suggested_filename)
    path = tmp_path / "brief.pdf"
    dl.value.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "全省服务简报" in text and f"年初至月末达标率 {rate}" in text


def test_a_city_reader_reads_only_its_city_s_brief(app, page):
    sign_in(page, f"{app.url}/brief", "li")
    expect(page.locator("h2", has_text="沈阳服务质量周报").first).to_be_visible(timeout=60000)
    wait_ready(page)
    body = page.get_by_test_id("stMain").inner_text()
    assert "大连" not in body and "鞍山" not in body
    expect(page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="范围")).to_have_count(0)
