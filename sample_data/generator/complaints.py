"""The sample generator's part: complaints.

Run by sample_data/generate.py (its docstring and sample_data/README.md say what is generated)."""

from __future__ import annotations

import os

import numpy as np

from generator.helpers import csv_field, fmt_datetime, py_rng
from generator.reference import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_LEVEL_LIMITS,
    DISSATISFIED_REASONS,
    SATISFACTION,
    TIER_LEVEL,
)
from generator.small_files import write_text
from generator.world import World


def write_complaints(w: World, out: str, total: int) -> dict[str, int]:
    """Exactly `total` data lines of complaints.csv (GB18030, Chinese header, CRLF)."""
    r = py_rng(w.seed, "complaints")
    asof_end = (w.day(w.as_of) + 1) * 1440 - 1  # minutes since DATA_START
    n_dup = max(1, round(total / 1500)) if total >= 4 else 0
    n_reversed = max(1, round(total / 1500)) if total >= 4 else 0
    n = total - n_dup
    f_am = w.am_factor()
    weights = (np.array([4.0, 2.5, 1.2, 0.8])[w.tier] * np.sqrt(w.member_count + 10)).tolist()
    cust = r.choices(range(w.n), weights, k=n)
    rows = []
    for c in cust:
        lo = max(0, int(w.onboard[c]))
        day = r.randint(lo, w.day(w.as_of))
        minute = r.randint(8 * 60, 20 * 60) if r.random() < 0.88 else r.randint(0, 1439)
        rows.append((day * 1440 + minute, c))
    rows.sort()
    stats = {
        "dissatisfied": 0,
        "dissatisfied_without_reason": 0,
        "open_or_missing": 0,
        "late_any": 0,
    }
    records: list[list] = []
    seq: dict[str, int] = {}
    for received, c in rows:
        tier = _tier_on(w, c, received // 1440)
        level = TIER_LEVEL[tier]
        lim_first, lim_res = COMPLAINT_LEVEL_LIMITS[level]
        f = float(f_am[c])
        late = False

        def after(base: int, limit_h: int, p_on: float) -> int:
            nonlocal late
            x = r.random()
            if x < 0.02:
                return base + limit_h * 60  # exactly at the limit: on time
            if x < p_on:
                return base + max(5, int(r.uniform(0.05, 1.0) * limit_h * 60))
            late = True
            return base + int((limit_h + r.uniform(0.02, 1.5) * limit_h) * 60)

        first = None if r.random() < 0.015 else after(received, lim_first, min(0.995, 0.93 * f))
        resolved = None if r.random() < 0.01 else after(received, lim_res, min(0.995, 0.92 * f))
        if (
            resolved is not None
            and resolved % 1440 < 7 * 60
            and (resolved // 1440) * 1440 + 8 * 60 <= received + lim_res * 60
        ):
            resolved = (resolved // 1440) * 1440 + 8 * 60 + r.randint(0, 59)  # offices open at 8
        if resolved is not None and first is not None and resolved < first:
            resolved = first + r.randint(30, 240)
        ret = None
        if resolved is not None and r.random() > 0.04:
            rd = resolved // 1440
            x = r.random()
            if x < min(0.99, 0.93 * f):
                day_r = rd + r.choices([0, 1, 2, 3], [35, 30, 20, 15])[0]
            else:
                day_r = rd + r.randint(4, 8)
                late = True
            ret = day_r * 1440 + r.randint(9 * 60, 18 * 60)
            if ret < resolved:
                ret = resolved + r.randint(30, 180)
        # nothing after the export: still-open steps are simply missing
        if first is not None and first > asof_end:
            first = None
        if resolved is not None and resolved > asof_end:
            resolved = None
        if ret is not None and (resolved is None or ret > asof_end):
            ret = None
        if None in (first, resolved, ret):
            stats["open_or_missing"] += 1
        stats["late_any"] += late
        if ret is not None:
            sat = r.choices([0, 1, 2, 3, -1], [33, 45, 9 * (2 if late else 1), 8, 5])[0]
        else:
            sat = r.choices([-1, 3], [80, 20])[0]
        reason = ""
        if sat == 2:
            stats["dissatisfied"] += 1
            if r.random() < 0.88:
                reason = r.choice(DISSATISFIED_REASONS)
        mgr_x = r.random()
        if mgr_x < 0.85:
            mgr = w.mgr_ids[w.am[c]]
        elif mgr_x < 0.95:
            mgr = w.mgr_ids[r.choice(w.city_dh[w.city[c]])]
        else:
            mgr = ""
        d0 = w.date(received // 1440)
        key = f"TS{d0.year % 100:02d}{d0.month:02d}"
        seq[key] = seq.get(key, 0) + 1
        records.append(
            [
                f"{key}{seq[key]:05d}",
                c,
                mgr,
                received,
                first,
                resolved,
                ret,
                sat,
                reason,
            ]
        )

    # dirt: resolution before receipt; at least one dissatisfied without a reason
    picks = r.sample(range(len(records)), min(len(records), n_reversed + 1)) if records else []
    for i in picks[:n_reversed]:
        records[i][5] = records[i][3] - r.randint(60, 30 * 60)
    no_reason = [rec for rec in records if rec[7] == 2 and not rec[8]]
    if not no_reason and records:
        rec = records[picks[-1]] if len(picks) > n_reversed else records[0]
        if rec[7] != 2:
            stats["dissatisfied"] += 1
        rec[7], rec[8] = 2, ""
    stats["dissatisfied_without_reason"] = sum(1 for rec in records if rec[7] == 2 and not rec[8])
    stats["resolved_before_received"] = n_reversed
    stats["duplicates"] = n_dup

    # categories (投诉类别) from a generator of their own, so adding them changed no other value; a few
    # categories dominate, as in real complaint bulletins, and some complaints are left unclassified
    rc = py_rng(w.seed, "complaint_categories")
    # 是否越级 (SPEC §12): about 4% escalated past the account team, written 是/否 or yes/no or left empty (= no),
    # again from a stream of its own
    re_ = py_rng(w.seed, "complaint_escalated")
    names, weights = zip(*COMPLAINT_CATEGORIES)
    lines = []
    for cid, c, mgr, received, first, resolved, ret, sat, reason in records:
        category = rc.choices(names, weights)[0]
        yes = re_.random() < 0.04
        escalated = re_.choices([("是", "否"), ("yes", "no"), ("是", "")], [80, 10, 10])[0][0 if yes else 1]
        style = r.choices([0, 1, 5, 2], [70, 12, 8, 10])[0]

        def ts(t: int | None, style: int = style) -> str:
            return "" if t is None else fmt_datetime(w.date(t // 1440), t % 1440, style)

        sat_s = "" if sat < 0 else SATISFACTION[sat][1 if r.random() < 0.75 else 0]
        cust_s = w.cust_ids[c]
        if r.random() < 0.01:
            cust_s = f" {cust_s}"
        lines.append(
            ",".join(
                [
                    cid,
                    cust_s,
                    mgr,
                    ts(received),
                    ts(first),
                    ts(resolved),
                    ts(ret),
                    sat_s,
                    csv_field(reason),
                    category,
                    escalated,
                ]
            )
        )
    for _ in range(n_dup):
        i = r.randrange(len(lines) - 1) if len(lines) > 1 else 0
        lines.insert(r.randint(i + 1, len(lines)), lines[i])
    header = (
        "投诉编号,集团编码,客户经理编码,受理时间,首次联系时间,办结时间,回访时间,满意度,不满意原因,投诉类别,是否越级"
    )
    write_text(
        os.path.join(out, "complaints.csv"),
        [header] + lines,
        encoding="gb18030",
        newline="\r\n",
    )
    stats["lines"] = len(lines)
    return stats


def _tier_on(w: World, c: int, day: int) -> int:
    t = int(w.tier[c])
    if day >= w.hist_orig_day[c]:
        t = int(w.hist_old_tier[c])
    if day >= w.hist_change_day[c]:
        t = int(w.tier[c])
    return t
