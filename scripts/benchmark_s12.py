"""Benchmark SPEC §12 at a real province's size: the import with and without the work orders, return visits and
inspections, and the 16 outputs of `report returnvisits|inspections|complaintquality` (fresh and warm).

    .venv/bin/python scripts/benchmark_s12.py --size province --runs 3 --write

The export is sample_data/bench_<size>/ (sample_data/generate.py, fixed seed; regenerated when it has no
work_orders.csv: the §4 files come out byte-identical, §12's are added). "without" imports a folder of links to
the §4 files only, so the difference is what §12 adds to an import. With --write the block between
`<!-- bench12:SIZE -->` markers in docs/benchmarks.md is replaced. Measured, never asserted in the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import PY, SIZES, WINDOW, run_child, section4  # noqa: E402

from supervision import contract, db, measures, store  # noqa: E402

OUTPUTS = [(m, lv) for m in ("returnvisits", "complaintquality") for lv in contract.LEVELS] + [
    ("inspections", lv) for lv in ("province", "city", "district", "service")
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=SIZES, default="province")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="replace this size's block in docs/benchmarks.md")
    a = ap.parse_args()
    customers, logs, complaints = SIZES[a.size]
    src = ROOT / "sample_data" / f"bench_{a.size}"
    if not (src / "work_orders.csv").exists():
        subprocess.run(
            [PY, "sample_data/generate.py", "--out", str(src), "--customers", str(customers), "--logs", str(logs)]
            + ["--complaints", str(complaints)],
            cwd=ROOT,
            check=True,
        )
    subprocess.run([PY, "-m", "compileall", "-q", "supervision"], cwd=ROOT, check=True)
    lines = {f.name: sum(1 for _ in f.open("rb")) - 1 for f in src.iterdir() if f.suffix == ".csv"}
    with tempfile.TemporaryDirectory(dir=ROOT / "data") as tmp:
        base = section4(src)
        dbfile = Path(tmp) / "s12.duckdb"
        imports = {}
        for label, folder in (("§4 files only", base), ("with §12's three files", src)):
            walls, peaks = [], []
            for _ in range(a.runs):
                for p in Path(tmp).glob("s12.duckdb*"):
                    p.unlink()
                wall, peak = run_child(
                    [PY, "-m", "supervision", "import", str(folder), "--db", str(dbfile)] + ["--no-alerts"]
                )
                walls.append(wall)
                peaks.append(peak)
            imports[label] = (walls, peaks)
        window = ["--from", str(WINDOW[0]), "--to", str(WINDOW[1])]
        con = store.open_reader(str(dbfile))
        counts = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("work_orders", "return_visits", "inspections", "complaints")
        }
        results = []
        for m, lv in OUTPUTS:
            cold = [
                run_child([PY, "-m", "supervision", "report", m, "--db", str(dbfile), *window, "--by", lv])[0]
                for _ in range(a.runs)
            ]
            measures.report(con, m, lv, *WINDOW)
            warm = []
            for _ in range(max(a.runs, 5)):
                t = time.perf_counter()
                measures.report(con, m, lv, *WINDOW)
                warm.append(time.perf_counter() - t)
            results.append((m, lv, statistics.median(cold), statistics.median(warm)))
        con.close()

    out = [
        f"<!-- bench12:{a.size} -->",
        f"### SPEC §12 at {a.size} size: {customers:,} customers, {counts['work_orders']:,} work orders, "
        f"{counts['return_visits']:,} return visits, {counts['inspections']:,} inspections, "
        f"{counts['complaints']:,} complaints",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, DuckDB "
        f"{__import__('duckdb').__version__}, memory_limit {db.MEMORY_LIMIT}; medians of {a.runs} runs; "
        f"{dt.date.today()}. Export lines: "
        + ", ".join(f"{n} {lines[n]:,}" for n in ("work_orders.csv", "return_visits.csv", "inspections.csv")),
        "",
        "| import into a new file | median s | runs, s | peak RSS |",
        "|---|---|---|---|",
    ]
    for label, (walls, peaks) in imports.items():
        out.append(
            f"| {label} | {statistics.median(walls):.2f} | {', '.join(f'{w:.1f}' for w in walls)} | {max(peaks)} MB |"
        )
    out += [
        "",
        "| report, window 2026 | fresh CLI process, s | warm, in process, ms |",
        "|---|---|---|",
    ]
    for m in ("returnvisits", "inspections", "complaintquality"):
        mine = [r for r in results if r[0] == m]
        out.append(
            f"| **{m}: median of {len(mine)}** | **{statistics.median(c for *_, c, _ in mine):.2f}** | "
            f"**{statistics.median(w for *_, w in mine) * 1000:.1f}** |"
        )
    out += [f"| {m} --by {lv} | {c:.2f} | {w * 1000:.1f} |" for m, lv, c, w in results]
    out.append(f"<!-- /bench12:{a.size} -->")
    block = "\n".join(out)
    print(block)
    if a.write:
        doc = ROOT / "docs" / "benchmarks.md"
        text = doc.read_text(encoding="utf-8")
        start, end = f"<!-- bench12:{a.size} -->", f"<!-- /bench12:{a.size} -->"
        if start in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        doc.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
