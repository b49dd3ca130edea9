"""What Chromium shows on every page reads in Chinese (first-use issue, item 5): no `None`, `nan`, no code or
English word outside ids, the export files' names and a few allowed words (tests/support.offending). Streamlit's
own material icons (their ligature names are text in the page) are left out; table cells are drawn on a canvas
and are checked by tests/test_page_text.py on the frames the pages hand to the table."""

from __future__ import annotations

import pytest
from browser_support import sign_in, wait_ready
from playwright.sync_api import expect
from support import offending

PAGES = [
    "",
    "city",
    "managers?manager=JL2101001",
    "customer?customer=JT2101000001",
    "managers?view=chiefs",
    "returnvisits",
    "returnvisits?status=missed",
    "inspections",
    "inspections?level=city",
    "due",
    "audit?view=obligations",
    "audit?view=greetings",
    "audit?view=complaints",
    "audit?view=overservice",
    "brief",
    "brief?kind=month",
    "alerts",
    "standards",
    "data_import",
    "audit_log",
]
# the text a reader sees: visible text nodes (not the 1-pixel texts kept for screen readers, not text styled away)
TEXT = """() => {
    const seen = el => {
        if (el.closest('[data-testid="stIconMaterial"], [aria-hidden="true"], script, style, noscript')) return false;
        if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
        const r = el.getBoundingClientRect();
        return r.width > 1 && r.height > 1 && parseFloat(getComputedStyle(el).fontSize) > 0;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const out = [];
    while (walker.nextNode()) {
        const n = walker.currentNode;
        if (n.textContent.trim() && seen(n.parentElement)) out.push(n.textContent.trim());
    }
    document.querySelectorAll('input[placeholder], textarea[placeholder]').forEach(e => {
        if (seen(e) && !e.value) out.push(e.placeholder);
    });
    return out;
}"""


@pytest.mark.parametrize("path", PAGES)
def test_every_page_reads_in_chinese(app, page, path):
    sign_in(page, f"{app.url}/{path}", "prov")
    expect(page.locator("h1").first).to_be_visible(timeout=30000)
    wait_ready(page)
    problems = [(t[:80], bad) for t in page.evaluate(TEXT) if (bad := offending(t))]
    assert not problems, problems[:10]
