#!/usr/bin/env python3
"""Deterministic generator of a realistic, deliberately dirty CRM export (SPEC §2–§4).

It writes the seven export files of SPEC §4 for a Liaoning-sized province — org_units.csv,
managers.csv, customers.csv, tier_history.csv, members.csv, service_logs.csv and complaints.csv —
into an output folder.  No standards.csv: the app ships its own defaults (SPEC §3).

    python sample_data/generate.py --out DIR [--customers 20000] [--logs 1000000]
        [--complaints 3000] [--seed 20261125] [--as-of 2026-11-20] [--clean]

`--logs` and `--complaints` are the exact numbers of data lines (header excluded) written to
service_logs.csv and complaints.csv, dirt included.  The same arguments always give byte-identical
files: every random draw comes from generators seeded by (seed, component name); nothing reads the
clock or the global random state.  See sample_data/README.md for what is generated and where the
dirt is.

Standard library + numpy only.  service_logs.csv is produced month by month and written in chunks,
so memory stays flat whatever `--logs` is (10,000,000 works).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

from generator.complaints import write_complaints
from generator.service_logs import write_service_logs
from generator.small_files import write_customers, write_managers, write_members, write_org_units, write_tier_history
from generator.work_orders import write_inspections, write_work_orders
from generator.world import build_world

EXPORT_FILES = [
    "org_units.csv",
    "managers.csv",
    "customers.csv",
    "tier_history.csv",
    "members.csv",
    "service_logs.csv",
    "complaints.csv",
    "work_orders.csv",
    "return_visits.csv",
    "inspections.csv",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a deterministic, realistic and dirty CRM export (SPEC §4).")
    ap.add_argument("--out", required=True, help="output folder (created if missing)")
    ap.add_argument(
        "--customers",
        type=int,
        default=20000,
        help="number of customers (default 20000)",
    )
    ap.add_argument(
        "--logs",
        type=int,
        default=1_000_000,
        help="data lines of service_logs.csv (default 1000000)",
    )
    ap.add_argument(
        "--complaints",
        type=int,
        default=None,
        help="data lines of complaints.csv (default 0.15 per customer: 3000 at 20000 customers)",
    )
    ap.add_argument(
        "--orders",
        type=int,
        default=None,
        help="about this many work orders (SPEC §12; default one per customer per month of data)",
    )
    ap.add_argument("--seed", type=int, default=20261125, help="random seed (default 20261125)")
    ap.add_argument(
        "--as-of",
        default="2026-11-20",
        help="date of the export: latest service_time (default 2026-11-20)",
    )
    ap.add_argument("--clean", action="store_true", help="delete the files already in --out first")
    args = ap.parse_args(argv)
    if args.complaints is None:  # in proportion to the customers, like members and tier changes
        args.complaints = round(args.customers * 0.15)

    as_of = dt.date.fromisoformat(args.as_of)
    if as_of < dt.date(2026, 1, 1):
        ap.error("--as-of must be on or after 2026-01-01 (the logs start on 2025-12-01)")
    if args.customers < 20:
        ap.error("--customers must be at least 20")
    os.makedirs(args.out, exist_ok=True)
    if args.clean:
        for name in sorted(os.listdir(args.out)):
            p = os.path.join(args.out, name)
            if os.path.isfile(p) or os.path.islink(p):
                os.remove(p)

    t0 = time.perf_counter()
    w = build_world(args.seed, args.customers, as_of)
    report = {
        "org_units.csv": write_org_units(w, args.out),
        "managers.csv": write_managers(w, args.out),
        "customers.csv": write_customers(w, args.out),
        "tier_history.csv": write_tier_history(w, args.out),
        "members.csv": write_members(w, args.out),
    }
    log_stats = write_service_logs(w, args.out, args.logs)
    report["service_logs.csv"] = log_stats["lines"]
    comp_stats = write_complaints(w, args.out, args.complaints)
    report["complaints.csv"] = comp_stats["lines"]
    if args.orders is None:
        args.orders = round(args.customers * (as_of - dt.date(2025, 12, 1)).days / 30.4)
    wo_stats = write_work_orders(w, args.out, args.orders)
    report["work_orders.csv"] = wo_stats["work_orders"]["lines"]
    report["return_visits.csv"] = wo_stats["return_visits"]["lines"]
    insp_stats = write_inspections(w, args.out)
    report["inspections.csv"] = insp_stats["lines"]
    elapsed = time.perf_counter() - t0

    print(f"wrote {args.out} in {elapsed:.1f} s (seed {args.seed}, as-of {as_of})")
    for name in EXPORT_FILES:
        size = os.path.getsize(os.path.join(args.out, name))
        print(f"  {name:18s} {report[name]:>10,d} data lines  {size / 1e6:8.2f} MB")
    print("  service_logs dirt: " + ", ".join(f"{k}={v}" for k, v in log_stats.items() if k != "lines"))
    print("  complaints dirt:   " + ", ".join(f"{k}={v}" for k, v in comp_stats.items() if k != "lines"))
    for name, st in (*wo_stats.items(), ("inspections", insp_stats)):
        print(f"  {name + ':':18s} " + ", ".join(f"{k}={v}" for k, v in st.items() if k != "lines"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
