"""The dashboard in a real browser (SPEC §6): every page in both languages, a drill-down from the province to
the evidence, a pasted URL reproducing a view, both exports with provenance, and a dirty upload."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import openpyxl
import pytest
from browser_support import ROOT, App, build_db, data_tables, open_options, sign_in, wait_ready
from playwright.sync_api import Page, expect

from supervision import display, pages

# the default page lives at "/" (Streamlit gives the default page the root URL)
PAGES = ["" if p == pages.DEFAULT else p for p in pages.PATHS]  # every page of the registry
TITLES = {
    "zh": [
        "全省服务达标总览",
        "区县对比",
        "客户经理积分卡",
        "客户明细",
        "装维工单回访",
        "检查制度",
        "待办",
        "稽核",
        "服务简报",
        "预警",
        "服务标准",
        "数据导入",
        "审计日志",
    ],
    "en": [
        "Province compliance",
        "districts compared",
        "Manager scorecards",
        "Customer detail",
        "Work-order return visits",
        "Inspection cadence",
        "Due:",
        "Audit:",
        "Supervision briefs",
        "Alerts",
        "Tier standards",
        "Import and data quality",
        "Audit log",
    ],
}


def open_page(page: Page, url: str, user: str = "prov") -> None:
    """Open `url` as a new browser session does: sign in on the form it shows (a Streamlit session does not
    outlive a page load, so every loaded URL asks again), then wait for the page the URL named."""
    sign_in(page, url, user)
    expect(page.locator("h1").first).to_be_visible(timeout=30000)
    wait_ready(page)


def cli_report(db, measure: str, level: str, as_of: str | None = None) -> list[dict]:
    args = [
        sys.executable,
        "-m",
        "supervision",
        "report",
        measure,
        "--db",
        str(db),
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--by",
        level,
        "--format",
        "csv",
    ]
    if as_of:
        args += ["--as-of", as_of]
    out = subprocess.run(args, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def click_row(page: Page, grid_index: int, row: int) -> None:
    """Tick a row's selection box in the n-th data grid (a canvas): row marker column, row `row` (0-based)."""
    grid = page.get_by_test_id("stDataFrameResizable").nth(grid_index)
    expect(grid).to_be_visible()
    # charts and notes above may still be laying out: let the grid settle where it will be clicked
    grid.scroll_into_view_if_needed()
    box = None
    for _ in range(20):
        now = grid.bounding_box()
        if now == box:
            break
        box = now
        page.wait_for_timeout(100)
    grid.click(position={"x": 18, "y": 35 + 35 * row + 17})


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("i", range(len(PAGES)))
def test_every_page_opens_in_both_languages(app: App, page: Page, lang: str, i: int):
    open_page(page, f"{app.url}/{PAGES[i]}?lang={lang}&customer=JT2101000001")
    expect(page.locator("h1").first).to_contain_text(TITLES[lang][i])
    # the other language's title must not leak in
    other = TITLES["en" if lang == "zh" else "zh"][i]
    expect(page.locator("h1").first).not_to_contain_text(other)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_overview_shows_the_cli_numbers(app: App, page: Page):
    open_page(page, f"{app.url}/")
    prov = cli_report(app.db, "compliance", "province")[0]
    rate = display.pct(prov["rate"])  # the CLI's 4 decimals x100, one decimal, half away from zero
    metric = page.get_by_test_id("stMetric").first
    expect(metric).to_contain_text(rate)
    expect(page.get_by_test_id("stMetric").nth(1)).to_contain_text(f"{int(prov['met']):,}")
    quality = cli_report(app.db, "complaintquality", "province")[0]  # SPEC §12: first-time resolution
    expect(page.get_by_test_id("stMetric").nth(6)).to_contain_text(display.pct(quality["first_time_rate"]))
    over = cli_report(app.db, "overservice", "province")[0]
    expect(page.get_by_test_id("stMetric").nth(7)).to_contain_text(f"{int(over['records']):,}")


def test_drill_down_from_province_to_evidence(app: App, page: Page):
    open_page(page, f"{app.url}/")
    click_row(page, 0, 0)  # the best-ranked city
    expect(page).to_have_url(re.compile(r"/city\?.*city=\d+"), timeout=30000)
    wait_ready(page)
    city = re.search(r"city=(\d+)", page.url).group(1)
    click_row(page, 0, 0)  # its best-ranked district
    expect(page).to_have_url(re.compile(r"/managers\?.*district=\d+"), timeout=30000)
    wait_ready(page)
    assert f"city={city}" in page.url
    click_row(page, 0, 0)  # the weakest manager of the district
    expect(page.get_by_text(re.compile("的客户"))).to_be_visible(timeout=30000)
    wait_ready(page)
    click_row(page, 1, 0)  # the manager's weakest customer
    expect(page).to_have_url(re.compile(r"/customer\?.*customer=JT\d+"), timeout=30000)
    wait_ready(page)
    expect(page.get_by_text("各服务标准的周期")).to_be_visible()
    click_row(page, 0, 0)  # its first obligation
    expect(page.get_by_text("佐证记录")).to_be_visible(timeout=30000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_a_pasted_url_reproduces_the_audit_view(app: App, browser, page: Page):
    open_page(page, f"{app.url}/audit")
    before = page.get_by_text(re.compile(r"共 [\d,]+ 条考核项")).first.inner_text()
    # pick a city and a status through the widgets: the URL must carry them
    main = page.get_by_test_id("stMain")
    open_options(page, main.get_by_test_id("stSelectbox").filter(has_text="地市"))
    page.get_by_role("option").nth(2).click()
    wait_ready(page)
    open_options(page, page.locator(".st-key-_url_status:not([data-stale='true'])").first)
    page.get_by_role("option", name="未达标").click()
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"city=\d+.*status=missed|status=missed.*city=\d+"))
    wait_ready(page)  # the URL changes before the rerun that it starts has drawn the table
    caption = page.get_by_text(re.compile(r"共 [\d,]+ 条考核项")).first.inner_text()
    assert caption != before
    url = page.url
    other = browser.new_page(viewport={"width": 1500, "height": 1000})
    try:
        open_page(other, url)  # a new browser: signs in on the pasted URL, which survives the sign-in
        assert other.url == url
        expect(other.get_by_text(re.compile(r"共 [\d,]+ 条考核项")).first).to_have_text(caption)
    finally:
        other.close()


def test_exports_carry_rows_and_provenance(app: App, page: Page, tmp_path):
    open_page(page, f"{app.url}/audit?status=missed&service=visit")
    caption = page.get_by_text(re.compile(r"共 [\d,]+ 条考核项")).first.inner_text()
    n = int(re.search(r"共 ([\d,]+) 条", caption).group(1).replace(",", ""))
    with page.expect_download() as dl:
        page.get_by_role("button", name="导出 CSV").first.click()
    text = open(dl.value.path(), encoding="utf-8-sig").read()
    head = [ln for ln in text.splitlines() if ln.startswith("# ")]
    assert any(ln.startswith("# filter:") and "status=missed" in ln and "service=visit" in ln for ln in head)
    assert any(ln.startswith("# as_of: 2026-") for ln in head)
    assert any(ln.startswith("# standards_version: 1") for ln in head)
    assert any(ln.startswith("# exported_at: ") for ln in head)
    # the command that reproduces the counts behind the selection (SPEC §10 replay)
    assert any(
        ln.startswith("# reproduce: python -m supervision report compliance ") and "--by service" in ln for ln in head
    )
    body = "".join(ln for ln in text.splitlines(keepends=True)[len(head) :])  # the provenance lines come first
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    assert len(rows) == n and n > 0
    # what the reader sees (Chinese headers, labels), with the codes beside the labels
    assert {r["状态"] for r in rows} == {"未达标"} and {r["状态 (编码)"] for r in rows} == {"missed"}
    assert {r["服务"] for r in rows} == {"上门拜访"} and {r["服务 (编码)"] for r in rows} == {"visit"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["周期开始"]) for r in rows)  # a day, not 00:00:00
    assert re.fullmatch(r"obligations_province_2026-\d{2}-\d{2}\.csv", dl.value.suggested_filename)
    with page.expect_download() as dl:
        page.get_by_role("button", name="导出 Excel").first.click()
    dl.value.save_as(tmp_path / "export.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "export.xlsx", read_only=True)
    assert wb["data"].max_row == n + 3  # the provenance line, a blank line, the header
    prov = {k: v for k, v in wb["provenance"].iter_rows(values_only=True)}
    assert "status=missed" in prov["filter"] and prov["standards_version"] == "1"


def test_uploading_a_dirty_export_shows_the_quarantine(tmp_path, browser):
    db = tmp_path / "upload.duckdb"
    build_db(db)
    app = App(db)
    page = browser.new_page(viewport={"width": 1500, "height": 1400})
    try:
        open_page(page, f"{app.url}/data_import")
        dirty = tmp_path / "service_logs.csv"
        dirty.write_bytes(
            "记录编号,集团编码,成员编码,客户经理编码,服务类型,渠道,服务时间,状态,备注\r\n"
            "FWX0000001,JT9999999999,,,上门拜访,上门,2026-03-05 10:00,已完成,未知客户\r\n"
            "FWX0000002,JT2101000001,,,上门拜访,上门,2026-02-30,已完成,不存在的日期\r\n"
            "FWX0000003,JT2101000001,,,上门拜访,上门,2026-03-05,已完成,多了,一个逗号\r\n".encode("gb18030")
        )
        page.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(dirty))
        page.get_by_role("button", name="检查（不写入）").click()
        # a look first: what the import would do, nothing stored yet
        expect(page.get_by_text(re.compile(r"将被隔离的 3 行"))).to_be_visible(timeout=60000)
        expect(page.get_by_text(re.compile(r"导入预览：service_logs\.csv"))).to_be_visible()
        page.get_by_role("button", name="确认导入").click()
        expect(page.get_by_text(re.compile(r"导入完成"))).to_be_visible(timeout=60000)
        expect(page.get_by_text(re.compile(r"导入完成"))).to_be_visible()
        expect(page.get_by_test_id("stSidebar").get_by_text(re.compile(r"导入批次 2$"))).to_be_visible()  # at once
        wait_ready(page)
        page.get_by_label("搜索").fill("FWX")
        page.keyboard.press("Enter")
        wait_ready(page)
        quarantine = page.get_by_test_id("stDataFrame").nth(1)
        expect(quarantine).to_be_visible()
        page.screenshot(path=str(ROOT / "artifacts" / "screenshots" / "upload_quarantine.png"), full_page=True)
    finally:
        page.close()
        app.stop()
    # what the page showed is what was stored: three lines, three reasons
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("select line, reason from quarantine where raw like 'FWX%' order by line").fetchall()
    assert [g[0] for g in got] == [2, 3, 4]
    # recorded as the file the user uploaded and the user who imported it, not a temporary folder
    assert con.execute("select source, username from imports order by import_id desc limit 1").fetchone() == (
        "service_logs.csv",
        "prov",
    )
    assert "unknown customer" in got[0][1] and "not a valid date" in got[1][1] and "fields" in got[2][1]


def test_a_city_user_stays_inside_its_city(app: App, browser, tmp_path):
    # a province user first, so that the province's results are in the cache
    prov = browser.new_page(viewport={"width": 1500, "height": 1000})
    open_page(prov, f"{app.url}/audit")
    prov_total = prov.get_by_text(re.compile(r"共 [\d,]+ 条考核项")).first.inner_text()
    prov.close()
    page = browser.new_page(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    try:
        open_page(page, f"{app.url}/", user="li")
        expect(page.get_by_text(re.compile("李沈阳 · 地市公司 · 沈阳"))).to_be_visible()
        # the ranking lists one city, and the import page is not there
        expect(page.get_by_role("link", name="数据导入")).to_have_count(0)
        # another city's URL: not permitted, no rows
        sign_in(page, f"{app.url}/city?city=2102", "li")
        expect(page.get_by_text(re.compile("无权查看"))).to_be_visible(timeout=30000)
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
        sign_in(page, f"{app.url}/audit?customer=JT2102000001", "li")
        expect(page.get_by_text(re.compile("无权查看"))).to_be_visible(timeout=30000)
        # the filter offers only its own city
        open_page(page, f"{app.url}/audit", user="li")
        city_total = page.get_by_text(re.compile(r"共 [\d,]+ 条考核项")).first.inner_text()
        assert city_total != prov_total  # not the province's cached result
        open_options(page, page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="地市"))
        options = [o.inner_text() for o in page.get_by_role("option").all()]
        assert set(options) == {"全部", "沈阳"}
        page.keyboard.press("Escape")
        # the export holds only its city's rows
        with page.expect_download() as dl:
            page.get_by_role("button", name="导出 CSV").first.click()
        text = open(dl.value.path(), encoding="utf-8-sig").read()
        assert "# scope: 2101" in text
        body = [ln for ln in text.splitlines() if not ln.startswith("# ")]
        rows = list(csv.DictReader(io.StringIO("\n".join(body))))
        assert rows and {r["地市编码"] for r in rows} == {"2101"}
    finally:
        page.close()
    log = [__import__("json").loads(x) for x in (app.db.parent / "audit_log.jsonl").read_text().splitlines()]
    assert any(e["action"] == "denied" and e["user"] == "li" and "2102" in e["detail"]["what"] for e in log)
    assert any(e["action"] == "export" and e["user"] == "li" and e["detail"]["rows"] == len(rows) for e in log)


def test_a_wrong_password_is_refused_and_logged(app: App, page: Page):
    page.goto(f"{app.url}/")
    page.get_by_label("用户名").fill("li")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码不正确。")).to_be_visible(timeout=30000)
    expect(data_tables(page)).to_have_count(0)
    log = (app.db.parent / "audit_log.jsonl").read_text()
    assert '"sign_in_failed"' in log and "not-the-password" not in log


def test_the_language_switch_changes_the_page_and_the_url(app: App, page: Page):
    open_page(page, f"{app.url}/city?city=2102")
    expect(page.locator("h1").first).to_contain_text("大连 区县对比")
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    expect(page.locator("h1").first).to_contain_text("districts compared", timeout=30000)
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"lang=en"))
    assert "city=2102" in page.url  # the view is kept (the default city, 2101, is left out of URLs)
    expect(page.get_by_text("Districts ranked")).to_be_visible()


def test_a_heatmap_cell_and_a_bar_lead_to_the_obligations_behind_them(app: App, page: Page):
    open_page(page, f"{app.url}/")
    heat = page.get_by_test_id("stPlotlyChart").first
    heat.locator(".scatterlayer .point").first.click(force=True)
    expect(page).to_have_url(
        re.compile(r"/audit\?.*city=\d+.*service=\w+|/audit\?.*service=\w+.*city=\d+"), timeout=30000
    )
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"共 [\d,]+ 条考核项")).first).to_be_visible()
    open_page(page, f"{app.url}/")
    bars = page.get_by_test_id("stPlotlyChart").nth(2)  # heatmap, trend, tiers
    bars.locator(".barlayer .point").first.click(force=True)
    expect(page).to_have_url(re.compile(r"/audit\?.*(tier=.*status=|status=.*tier=)"), timeout=30000)
    wait_ready(page)


def test_a_district_user_stays_inside_its_district(app: App, page: Page):
    open_page(page, f"{app.url}/managers", user="wang")
    expect(page.get_by_text(re.compile("王西岗 · 区县分公司 · 大连 西岗区"))).to_be_visible()
    main = page.get_by_test_id("stMain")
    open_options(page, main.get_by_test_id("stSelectbox").filter(has_text="区县"))
    assert {o.inner_text() for o in page.get_by_role("option").all()} == {"全部", "西岗区 (210203)"}
    page.keyboard.press("Escape")
    for url in (f"{app.url}/managers?district=210202", f"{app.url}/city?city=2101", f"{app.url}/due?manager=JL2101001"):
        sign_in(page, url, "wang")
        expect(page.get_by_text(re.compile("无权查看"))).to_be_visible(timeout=30000)
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    log = (app.db.parent / "audit_log.jsonl").read_text()
    assert log.count('"denied"') >= 3


def test_an_auditor_reads_everything_and_writes_nothing(app: App, page: Page):
    open_page(page, f"{app.url}/standards", user="audit")
    expect(page.get_by_text("您的角色为只读，不能导入数据或载入标准。")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    expect(page.get_by_role("link", name="数据导入")).to_have_count(0)
    page.goto(f"{app.url}/data_import")  # not a page for auditors at all: Streamlit says "Page not found"
    expect(page.get_by_role("dialog")).to_contain_text("Page not found", timeout=30000)
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    page.keyboard.press("Escape")
    open_page(page, f"{app.url}/audit_log", user="audit")
    expect(page.get_by_text(re.compile("日志完整"))).to_be_visible()


def test_the_sign_in_page_loads_the_table_and_chart_code_unseen(app: App, page: Page):
    # while the reader types, the browser fetches and compiles what draws tables and charts (a hidden one-row
    # table and empty chart), so the first page after signing in does not pay for it (docs/benchmarks.md)
    page.goto(f"{app.url}/")
    expect(page.get_by_label("用户名")).to_be_visible(timeout=30000)
    expect(page.locator(".st-key-preload_chart .js-plotly-plot")).to_have_count(1, timeout=30000)
    expect(page.locator(".st-key-preload_table").get_by_test_id("stDataFrame")).to_have_count(1)
    for hidden in (".st-key-preload_chart", ".st-key-preload_table"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(data_tables(page)).to_have_count(0)
    expect(page.locator(".js-plotly-plot").locator("visible=true")).to_have_count(0)
    sign_in(page, f"{app.url}/", "li")
    expect(page.locator(".st-key-preload_chart, .st-key-preload_table")).to_have_count(0)  # signed-in pages: none


def test_a_reload_keeps_the_sign_in_until_sign_out(app: App, page: Page):
    open_page(page, f"{app.url}/due", user="li")
    page.reload()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible(timeout=30000)
    expect(page.locator("h1").first).to_contain_text("待办")
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_label("用户名")).to_be_visible(timeout=30000)
    page.reload()
    expect(page.get_by_label("用户名")).to_be_visible(timeout=30000)  # the cookie is gone, the token revoked
    log = (app.db.parent / "audit_log.jsonl").read_text()
    assert '"session_resumed"' in log and '"sign_out"' in log


def test_the_session_cookie_is_http_only_and_no_script_can_read_it(app: App, page: Page):
    open_page(page, f"{app.url}/due", user="li")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    page.wait_for_function("() => true")  # the page's cookie request has been sent by now; wait for it below
    cookies = []
    for _ in range(50):
        cookies = [c for c in page.context.cookies() if c["name"] == "supervision_session"]
        if cookies:
            break
        page.wait_for_timeout(100)
    assert cookies and cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Strict"
    assert cookies[0]["secure"] is False  # served over plain HTTP here; behind TLS the server marks it Secure
    assert "supervision_session" not in page.evaluate("() => document.cookie")


def test_a_removed_user_is_signed_out_of_the_open_tab(tmp_path, browser):
    db = tmp_path / "removal.duckdb"
    build_db(db)
    app = App(db)
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    try:
        open_page(page, f"{app.url}/due", user="li")
        subprocess.run(
            [sys.executable, "-m", "supervision", "users", "disable", "li", "--db", str(db)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="全省总览").click()
        expect(page.get_by_text("本次会话已结束")).to_be_visible(timeout=30000)
        expect(data_tables(page)).to_have_count(0)
        page.reload()  # and the cookie no longer signs it in
        expect(page.get_by_label("用户名")).to_be_visible(timeout=30000)
    finally:
        page.close()
        app.stop()
