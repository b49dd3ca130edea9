"""Benchmark: import, every `report`, and (optionally) page loads in a real browser. Prints Markdown.

    .venv/bin/python scripts/benchmark.py                      # default dataset: 20,000 customers, 1M logs
    .venv/bin/python scripts/benchmark.py --logs 10000000      # the 10M-log run
    .venv/bin/python scripts/benchmark.py --browser            # also page loads and filter changes

Timings are medians of --runs runs; peak memory is the import process's maximum RSS (os.wait4). Figures go
to docs/benchmarks.md by hand, with the machine they were measured on. Speed is measured here, never asserted
in the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from supervision import contract, db, measures  # noqa: E402

PY = sys.executable


def run_child(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one child process."""
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.read().decode()[-500:]}")
    return wall, usage.ru_maxrss // 1024


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def bench_import(src: Path, dbfile: Path, runs: int) -> tuple[float, int]:
    walls, peaks = [], []
    for _ in range(runs):
        dbfile.unlink(missing_ok=True)
        wall, peak = run_child([PY, "-m", "supervision", "import", str(src), "--db", str(dbfile)])
        walls.append(wall)
        peaks.append(peak)
    return median(walls), max(peaks)


def bench_reports(dbfile: Path, runs: int) -> list[tuple[str, str, float, float]]:
    window = ["--from", "2026-01-01", "--to", "2026-12-31"]
    con = db.connect(str(dbfile), read_only=True)
    out = []
    for m in contract.MEASURES:
        for lv in contract.LEVELS:
            cold = [run_child([PY, "-m", "supervision", "report", m, "--db", str(dbfile), *window, "--by", lv,
                               "--format", "csv"])[0] for _ in range(runs)]
            measures.report(con, m, lv, dt.date(2026, 1, 1), dt.date(2026, 12, 31))  # warm-up
            warm = []
            for _ in range(runs):
                t = time.perf_counter()
                measures.report(con, m, lv, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
                warm.append(time.perf_counter() - t)
            out.append((m, lv, median(cold), median(warm)))
    con.close()
    return out


def bench_browser(dbfile: Path, runs: int) -> list[tuple[str, float, float]]:
    """Each page opened from the sidebar in a signed-in session (first visit, then again), and a filter change.
    A Streamlit session does not outlive a page load, so pages are reached the way a reader does: by link."""
    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    from browser_support import CHROMIUM_ARGS, USERS, App, sign_in  # noqa: PLC0415
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    for name, (password, args) in USERS.items():
        subprocess.run([PY, "-m", "supervision", "users", "add", name, *args, "--password-stdin", "--replace",
                        "--db", str(dbfile)], input=password + "\n", cwd=ROOT, check=True, capture_output=True,
                       text=True)
    links = ["全省总览", "地市对比", "客户经理", "客户明细", "待办", "稽核", "服务标准", "数据导入"]
    app = App(dbfile)
    rows = []

    def ready(pg) -> None:
        expect(pg.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60000)
        pg.wait_for_timeout(50)  # a rerun that starts right after the click
        expect(pg.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60000)

    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            times: dict[str, list[tuple[float, float]]] = {k: [] for k in links}
            signin = []
            for _ in range(runs):
                pg = b.new_page(viewport={"width": 1500, "height": 1000})
                t = time.perf_counter()
                sign_in(pg, f"{app.url}/", "prov")
                signin.append(time.perf_counter() - t)
                for name in links:
                    pair = []
                    for _ in range(2):  # first visit in this session, then again (warm caches)
                        t = time.perf_counter()
                        pg.get_by_test_id("stSidebarNav").get_by_role("link", name=name).click()
                        expect(pg.locator("h1").first).to_be_visible(timeout=60000)
                        ready(pg)
                        pair.append(time.perf_counter() - t - 0.05)
                    times[name].append(tuple(pair))
                pg.close()
            rows.append(("open the app and sign in", median(signin), float("nan")))
            for name in links:
                rows.append((name, median([a for a, _ in times[name]]), median([b_ for _, b_ in times[name]])))
            # a filter change on the audit page: pick a status, wait for the rerun to finish
            pg = b.new_page(viewport={"width": 1500, "height": 1000})
            sign_in(pg, f"{app.url}/audit", "prov")
            changes = []
            for status in ["未达标", "达标", "进行中", "全部"] * max(1, runs):
                pg.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text="状态").click()
                t = time.perf_counter()
                pg.get_by_role("option", name=status, exact=True).click()
                ready(pg)
                changes.append(time.perf_counter() - t - 0.05)
            rows.append(("audit: change the status filter", median(changes), float("nan")))
            b.close()
    finally:
        app.stop()
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=20000)
    ap.add_argument("--logs", type=int, default=1_000_000)
    ap.add_argument("--complaints", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--browser", action="store_true")
    ap.add_argument("--skip-import", action="store_true", help="reuse the benchmark database")
    a = ap.parse_args()

    src = ROOT / "sample_data" / f"bench_{a.customers}_{a.logs}"
    if not (src / "service_logs.csv").exists():
        subprocess.run([PY, "sample_data/generate.py", "--out", str(src), "--customers", str(a.customers),
                        "--logs", str(a.logs), "--complaints", str(a.complaints)], cwd=ROOT, check=True)
    dbfile = ROOT / "data" / f"bench_{a.customers}_{a.logs}.duckdb"
    dbfile.parent.mkdir(exist_ok=True)
    print(f"## {a.customers:,} customers, {a.logs:,} service logs, {a.complaints:,} complaints\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"DuckDB {__import__('duckdb').__version__}, memory_limit {db.MEMORY_LIMIT}; "
          f"medians of {a.runs} runs; {dt.date.today()}.\n")
    if not a.skip_import:
        wall, peak = bench_import(src, dbfile, a.runs)
        size = sum(f.stat().st_size for f in src.iterdir()) / 1e6
        print(f"| import ({size:.0f} MB of export files) | seconds | peak RSS |\n|---|---|---|")
        print(f"| `python -m supervision import` into a new file | {wall:.2f} | {peak} MB |\n")
    con = db.connect(str(dbfile), read_only=True)
    n_obl = con.execute("select count(*) from obligations").fetchone()[0]
    con.close()
    print(f"Materialised obligations: {n_obl:,}.\n")
    print("| report (full year 2026) | fresh CLI process, s | warm, in process, s |\n|---|---|---|")
    for m, lv, cold, warm in bench_reports(dbfile, a.runs):
        print(f"| {m} --by {lv} | {cold:.2f} | {warm:.3f} |")
    if a.browser:
        print("\n| page (Chromium, headless, via the sidebar) | first visit, s | again, s |\n|---|---|---|")
        for path, first, again in bench_browser(dbfile, a.runs):
            again_s = "" if again != again else f"{again:.2f}"
            print(f"| {path} | {first:.2f} | {again_s} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
