"""DuckDB versus Spark (local, this machine) on the same data: the Parquet export, then all 24 §8 outputs.

    .venv/bin/python scripts/benchmark_spark.py --size province --write   # 80,000 customers, 1.035M logs
    SPARK_DRIVER_MEMORY=8g .venv/bin/python scripts/benchmark_spark.py --size large --write   # 800,000, 10.2M

Uses the benchmark database of scripts/benchmark.py (data/bench_<size>.duckdb; run that first). Measures, on
the window 2026 with the default as-of date:
* `export --parquet` (fresh process, with the read-back check);
* DuckDB: the 24 reports as fresh `report` processes (sum), and in one process (sum, warm);
* Spark local[*]: one session — start, read the export and build the materialised tables, then the 24 reports
  (sum) — and, with --fresh, one fresh `report --engine spark` process (what one command costs).
Checks on the way that every Spark output equals DuckDB's. Writes a block into docs/benchmarks.md with --write.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable

from supervision import cli, contract, measures, spark, store  # noqa: E402

SIZES = {"province": "80,000 customers, 1.035M logs", "large": "800,000 customers, 10.2M logs"}
WINDOW = ("--from", "2026-01-01", "--to", "2026-12-31")


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([PY, "-m", "supervision", *args], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - t


def csv_of(header, rows) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        cli._print(header, rows, "csv")
    return buf.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", choices=SIZES, default="province")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--fresh", action="store_true", help="also time one fresh `report --engine spark` process")
    a = ap.parse_args()
    dbfile = ROOT / "data" / f"bench_{a.size}.duckdb"
    out = ROOT / "data" / f"bench_{a.size}_parquet"
    store.open_reader(str(dbfile)).close()  # rebuilt first if built by older code: not part of any figure
    export_s = timed(["export", "--db", str(dbfile), "--parquet", str(out)])
    size_mb = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 1e6

    pairs = [(m, lv) for m in contract.MEASURES for lv in contract.LEVELS]
    d_fresh = sum(timed(["report", m, "--db", str(dbfile), *WINDOW, "--by", lv, "--format", "csv"]) for m, lv in pairs)
    con = store.open_reader(str(dbfile))
    w0, w1 = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    want = {}
    t = time.perf_counter()
    for m, lv in pairs:
        want[(m, lv)] = csv_of(*measures.report(con, m, lv, w0, w1))
    d_warm = time.perf_counter() - t
    con.close()

    t = time.perf_counter()
    session = spark.session()
    s_start = time.perf_counter() - t
    t = time.perf_counter()
    engine = spark.Engine(session, str(out))
    engine.ensure_years(w0, w1)
    s_build = time.perf_counter() - t
    t = time.perf_counter()
    same = 0
    for m, lv in pairs:
        same += csv_of(*engine.report(m, lv, w0, w1)) == want[(m, lv)]
    s_reports = time.perf_counter() - t
    session.stop()
    s_one = (
        timed(["report", "compliance", "--engine", "spark", "--parquet", str(out), *WINDOW, "--by", "city"])
        if a.fresh
        else None
    )
    shutil.rmtree(out, ignore_errors=True)

    block = "\n".join(
        [
            f"<!-- spark:{a.size} -->",
            f"#### {SIZES[a.size]}",
            "",
            f"{platform.machine()}, {os.cpu_count()} cores, Spark local[*] (pyspark "
            f"{__import__('pyspark').__version__}, driver memory "
            f"{os.environ.get('SPARK_DRIVER_MEMORY', '1g (default)')}), DuckDB "
            f"{__import__('duckdb').__version__}; {dt.date.today()}; one run each. "
            f"Spark's outputs equal to DuckDB's: {same} of {len(pairs)}.",
            "",
            "| what | DuckDB | Spark local |",
            "|---|---|---|",
            f"| `export --parquet` ({size_mb:.0f} MB written, read back) | {export_s:.1f} s | |",
            f"| session start | | {s_start:.1f} s |",
            f"| read the export, build the materialised tables | (at import) | {s_build:.1f} s |",
            f"| the 24 reports, one process (sum) | {d_warm:.2f} s | {s_reports:.1f} s |",
            f"| the 24 reports as 24 fresh `report` processes (sum) | {d_fresh:.1f} s | |",
            f"| one fresh `report compliance --by city` process | {d_fresh / len(pairs):.2f} s (mean) | "
            + (f"{s_one:.1f} s |" if s_one is not None else "not run (≈ start + build + one report) |"),
            f"<!-- /spark:{a.size} -->",
        ]
    )
    print(block)
    if a.write:
        doc = ROOT / "docs" / "benchmarks.md"
        text = doc.read_text(encoding="utf-8")
        pattern = re.compile(rf"<!-- spark:{a.size} -->.*?<!-- /spark:{a.size} -->", re.S)
        text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block + "\n"
        doc.write_text(text, encoding="utf-8")
    return 0 if same == len(pairs) else 1


if __name__ == "__main__":
    sys.exit(main())
