"""Helpers of the browser tests: a `streamlit run` of the dashboard on its own port and database."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "small"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# test accounts, created beside each test database (never shipped: the README's run command generates the
# first administrator's password)
USERS = {
    "prov": ("province-password-1", ["--role", "province", "--name", "省管理员"]),
    "li": ("city-password-2101", ["--role", "city", "--city", "2101", "--name", "李沈阳"]),
    "audit": ("auditor-password-3", ["--role", "auditor", "--name", "审计员"]),
    "wang": (
        "district-password-4",
        ["--role", "district", "--city", "2102", "--district", "210203", "--name", "王西岗"],
    ),
}


def build_db(path: Path, source: Path = SAMPLE) -> None:
    subprocess.run(
        [sys.executable, "-m", "supervision", "import", str(source), "--db", str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    add_users(path, USERS)


def add_users(db: Path, users: dict[str, tuple[str, list[str]]]) -> None:
    """Add (or replace) each `name: (password, users-add arguments)` through the CLI, beside the database `db`."""
    for name, (password, args) in users.items():
        subprocess.run(
            [sys.executable, "-m", "supervision", "users", "add", name, *args, "--password-stdin", "--replace"]
            + ["--db", str(db)],
            input=password + "\n",
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )


class App:
    """A running `streamlit run dashboard.py` on its own port and database."""

    def __init__(self, db: Path):
        self.db = db
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SUPERVISION_")}
        env["SUPERVISION_DB"] = str(db)  # users.json and audit_log.jsonl live beside it
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "server.py",
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().decode() == "ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not become healthy within 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def data_tables(page: Page):
    """The page's data tables: every st.dataframe but the sign-in page's hidden one-row table, drawn there only so
    the browser loads the table code while the reader types (supervision/ui/guard.py)."""
    return page.locator("[data-testid='stDataFrame']:not(.st-key-preload_table *)")


def wait_ready(page: Page) -> None:
    """Streamlit has finished running the script: the status widget is gone and no exception is shown."""
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)  # e.g. Streamlit's "Page not found"


def open_options(page: Page, box) -> None:
    """Open a select box's list of options. A click that lands while Streamlit swaps a rerun's elements in
    (the old copy is still on the page, marked stale) opens nothing: try again, up to three times."""
    for attempt in range(3):
        box.click()
        try:
            expect(page.get_by_role("option").first).to_be_visible(timeout=5000)
            return
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_ready(page)


def copy_db(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    return dst


def sign_in(page: Page, url: str, username: str = "prov") -> None:
    """Open `url` (any deep link), sign in on the form it shows — unless this browser's session cookie
    already signed it in — and wait for the page it asked for."""
    page.goto(url)
    form = page.get_by_test_id("stForm").get_by_label(re.compile("^(用户名|Username)$"))
    out = sign_out_button(page)
    expect(form.or_(out)).to_be_visible(timeout=30000)
    if out.is_visible():
        wait_ready(page)
        return
    fill_sign_in(page, username).click()
    expect(sign_out_button(page)).to_be_visible(timeout=30000)
    wait_ready(page)


def fill_sign_in(page: Page, username: str):
    """Fill the sign-in form shown on `page` with `username` and its test password; returns the sign-in button."""
    form = page.get_by_test_id("stForm")
    form.get_by_label(re.compile("^(用户名|Username)$")).fill(username)
    form.get_by_label(re.compile("^(密码|Password)$")).fill(USERS[username][0])
    return page.get_by_role("button", name=re.compile("^(登录|Sign in)$"))


def sign_out_button(page: Page):
    """The sign-out button: shown on every page of a signed-in session."""
    return page.get_by_role("button", name=re.compile("退出登录|Sign out"))
