"""The sample generator's part: SPEC §12's work orders, their return visits, and inspections.

Run by sample_data/generate.py (its docstring and sample_data/README.md say what is generated). Every draw comes
from streams of their own ("work_orders", "return_visits", "inspections"), so adding these files changed no value
of the other files.

What a supervisor would see in a real province: about one order per customer per month (repairs most often),
most return visits on the completion day by automatic voice or SMS, some late, some never made; automatic visits
that do not reach or hear a complaint mostly followed up by a person within three days; inspections on the
seed's cadence with a few gaps. Plus a fixed cast of orders for the edges SPEC §12 turns on (see `_cast`) and the
dirt of SPEC §4 (duplicates, a conflict, unknown ids and codes, an impossible date, a visit before its order).
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np

from generator.helpers import csv_field, np_rng, py_rng
from generator.reference import CITIES, DISSATISFIED_REASONS
from generator.small_files import write_text
from generator.world import World

TYPES = ["install", "move", "remove", "repair"]
TYPE_LABELS = {"install": "装机", "move": "移机", "remove": "拆机", "repair": "修障"}
TYPE_P = [0.22, 0.13, 0.10, 0.55]
METHODS = ["auto_voice", "sms", "manual"]
METHOD_LABELS = {"auto_voice": "自动语音", "sms": "短信", "manual": "人工"}
RESULTS = ["very_satisfied", "satisfied", "dissatisfied", "unreachable"]
RESULT_LABELS = {"very_satisfied": "非常满意", "satisfied": "满意", "dissatisfied": "不满意", "unreachable": "未接通"}
# result of a visit by its method: very satisfied, satisfied, dissatisfied, unreachable
RESULT_P = {
    "auto_voice": [0.33, 0.50, 0.04, 0.13],
    "sms": [0.30, 0.50, 0.04, 0.16],
    "manual": [0.38, 0.52, 0.06, 0.04],
}
LEVEL_LABELS = {"province": "省公司", "city": "地市公司", "centre": "装维中心"}


def write_work_orders(w: World, out: str, total: int) -> dict[str, int]:
    """work_orders.csv (about `total` lines; GB18030, Chinese headers, CRLF) and return_visits.csv (UTF-8 with
    BOM, Chinese headers, CRLF). Returns the line counts and the dirt. Drawn with numpy, a column at a time: one
    order per customer per month at 800,000 customers is nearly ten million orders."""
    rn = np_rng(w.seed, "work_orders")
    as_day = w.day(w.as_of)
    n = max(total - 12, 0)  # room for the cast and the dirt
    weights = np.sqrt(w.member_count + 5.0)
    cust = rn.choice(w.n, size=n, p=weights / weights.sum())
    lo = np.clip(w.onboard[cust], 0, as_day)
    day = lo + np.floor(rn.random(n) * (as_day - lo + 1)).astype(np.int64)
    minute = np.where(rn.random(n) < 0.95, rn.integers(8 * 60, 21 * 60, n), rn.integers(0, 1440, n))
    kind = rn.choice(4, size=n, p=TYPE_P)
    mgr_pick = rn.random(n)
    t = day * 1440 + minute
    order = np.lexsort((cust, t))
    t, cust, kind, mgr_pick = t[order], cust[order], kind[order], mgr_pick[order]
    am = np.asarray(w.am)[cust]
    dh = np.array([w.city_dh[ci][0] for ci in range(len(w.city_dh))])[np.asarray(w.city)[cust]]
    mgr = np.where(mgr_pick < 0.25, am, np.where(mgr_pick < 0.28, dh, -1))

    # the cast of SPEC §12's edges, appended after the drawn orders
    cast = _cast(w, as_day)
    cast_visits = []
    for j, (ct, *_, vs) in enumerate(cast):
        cast_visits += [(n + j, ct + dm, METHODS.index(m), RESULTS.index(r)) for dm, m, r in vs]
    t = np.concatenate([t, [c[0] for c in cast]]).astype(np.int64)
    cust = np.concatenate([cust, [c[1] for c in cast]]).astype(np.int64)
    kind = np.concatenate([kind, [TYPES.index(c[2]) for c in cast]]).astype(np.int64)
    mgr = np.concatenate([mgr, [-1] * len(cast)]).astype(np.int64)

    v_order, v_t, v_method, v_result = _visits(
        np_rng(w.seed, "return_visits"), t[:n], kind[:n], w.am_factor()[cust[:n]]
    )
    if cast_visits:
        co, ct_, cm, cr = (np.array(x, dtype=np.int64) for x in zip(*cast_visits))
        v_order, v_t = np.concatenate([v_order, co]), np.concatenate([v_t, ct_])
        v_method, v_result = np.concatenate([v_method, cm]), np.concatenate([v_result, cr])
    keep = v_t // 1440 <= as_day  # nothing after the export
    v_order, v_t, v_method, v_result = v_order[keep], v_t[keep], v_method[keep], v_result[keep]

    # ids: by completion time, a sequence per month (GD2603000123); the visits' by visit time
    by_time = np.lexsort((np.arange(len(t)), t))
    stamp = _Stamps(w)
    ids = np.empty(len(t), dtype=object)
    seq: dict[str, int] = {}
    for i in by_time.tolist():
        key = stamp.month_key(int(t[i]) // 1440)
        seq[key] = seq.get(key, 0) + 1
        ids[i] = f"GD{key}{seq[key]:06d}"

    rf = np_rng(w.seed, "work_order_format")
    m = len(t)
    labels = np.where(rf.random(m) < 0.7, np.array([TYPE_LABELS[x] for x in TYPES])[kind], np.array(TYPES)[kind])
    labels = np.where((kind == 3) & (rf.random(m) < 0.15), "故障处理", labels)
    styles = rf.choice([0, 1, 2, 5], size=m, p=[0.70, 0.12, 0.10, 0.08])
    mgr_ids = np.array(w.mgr_ids + [""], dtype=object)[mgr]
    cust_ids = np.asarray(w.cust_ids, dtype=object)[cust]
    lines = [
        f"{ids[i]},{cust_ids[i]},{mgr_ids[i]},{labels[i]},{stamp.text(int(t[i]), int(styles[i]))}"
        for i in by_time.tolist()
    ]
    stats = {"orders": m, "cast": len(cast)}
    # dirt, at least one of each: exact duplicates, a conflict, an unknown customer, an unknown type, an impossible
    # date (the importer quarantines every one, the duplicates aside)
    rd = py_rng(w.seed, "work_order_dirt")
    n_dup = max(1, len(lines) // 2000)
    for _ in range(n_dup):
        j = rd.randrange(len(lines))
        lines.insert(rd.randint(j + 1, len(lines)), lines[j])
    victim = lines[rd.randrange(len(lines))].split(",")
    other = "移机" if victim[3] != "移机" else "装机"
    lines.append(",".join([victim[0], victim[1], victim[2], other, victim[4]]))
    base = lines[rd.randrange(len(lines))].split(",")
    lines.append(",".join([f"{base[0][:6]}999991", "JT9999999", "", "装机", base[4]]))
    lines.append(",".join([f"{base[0][:6]}999992", base[1], "", "换机", base[4]]))
    lines.append(",".join([f"{base[0][:6]}999993", base[1], "", "修障", "2026-02-30 10:00"]))
    stats.update(duplicates=n_dup, conflict=2, unknown_customer=1, unknown_type=1, impossible_date=1)
    header = "工单编号,集团编码,客户经理编码,工单类型,竣工时间"
    write_text(os.path.join(out, "work_orders.csv"), [header] + lines, encoding="gb18030", newline="\r\n")
    stats["lines"] = len(lines)

    k = len(v_t)
    vo = np.lexsort((v_order, v_t))
    method_text = np.where(
        rf.random(k) < 0.6, np.array([METHOD_LABELS[x] for x in METHODS])[v_method], np.array(METHODS)[v_method]
    )
    result_text = np.where(
        rf.random(k) < 0.6, np.array([RESULT_LABELS[x] for x in RESULTS])[v_result], np.array(RESULTS)[v_result]
    )
    v_styles = rf.choice([0, 1, 2], size=k, p=[0.8, 0.1, 0.1])
    reasons = np.array([""] + [csv_field(x) for x in DISSATISFIED_REASONS], dtype=object)
    pick = rf.integers(1, len(reasons), k)
    reason = np.where((v_result == RESULTS.index("dissatisfied")) & (rf.random(k) < 0.85), reasons[pick], "")
    vlines = [
        f"HF{j + 1:09d},{ids[v_order[i]]},{stamp.text(int(v_t[i]), int(v_styles[i]))},{method_text[i]},"
        f"{result_text[i]},{reason[i]}"
        for j, i in enumerate(vo.tolist())
    ]
    v_stats = {"visits": k}
    n_vdup = max(1, len(vlines) // 4000)
    for _ in range(n_vdup):
        j = rd.randrange(len(vlines))
        vlines.insert(rd.randint(j + 1, len(vlines)), vlines[j])
    first = int(v_order[vo[0]])
    before = int(t[first]) - 60  # a visit of that order an hour before its completion
    vlines.append(f"HF{k + 1:09d},GD0000999999,2026-03-01 10:00,人工,满意,")  # an order nobody exported
    vlines.append(f"HF{k + 2:09d},{ids[first]},{stamp.text(before, 0)},人工,满意,")
    vlines.append(f"HF{k + 3:09d},{ids[first]},{stamp.text(int(v_t[vo[0]]), 0)},邮件,满意,")  # no such method
    v_stats.update(duplicates=n_vdup, unknown_order=1, before_completion=1, unknown_method=1)
    header = "回访编号,工单编号,回访时间,回访方式,回访结果,不满意原因"
    write_text(os.path.join(out, "return_visits.csv"), [header] + vlines, encoding="utf-8", newline="\r\n", bom=True)
    v_stats["lines"] = len(vlines)
    return {"work_orders": stats, "return_visits": v_stats}


class _Stamps:
    """Timestamps as the export writes them (helpers.fmt_datetime's styles), each day's texts made once."""

    def __init__(self, w: World):
        self.w = w
        self.days: dict[int, tuple[str, str, str]] = {}

    def _day(self, day: int) -> tuple[str, str, str]:
        if day not in self.days:
            d = self.w.date(day)
            self.days[day] = (f"{d.year:04d}-{d.month:02d}-{d.day:02d}", f"{d.year}/{d.month}/{d.day}", f"{d:%Y%m%d}")
        return self.days[day]

    def month_key(self, day: int) -> str:
        iso = self._day(day)[0]
        return iso[2:4] + iso[5:7]

    def text(self, minute: int, style: int) -> str:
        iso, slash, compact = self._day(minute // 1440)
        hm = f"{minute % 1440 // 60:02d}:{minute % 60:02d}"
        return (f"{iso} {hm}", f"{slash} {hm}", f"{iso} {hm}:00", compact, slash, f"{compact} {hm}")[style]


def _visits(r: np.random.Generator, t: np.ndarray, kind: np.ndarray, diligence: np.ndarray):
    """The return visits of the drawn orders (completed at minutes `t`): (order index, minute, method, result)
    arrays. Most on the completion day, some late, a few never; automatic visits that do not reach or hear a
    complaint mostly followed up by a person, sometimes by a second automatic attempt instead."""
    n = len(t)
    idx = np.arange(n)
    remove = kind == TYPES.index("remove")
    never = r.random(n) < 0.025 / np.maximum(diligence, 0.5)
    visited = ~remove & ~never
    # removals: 3% get an automatic visit anyway (it counts for nothing)
    rm = remove & (r.random(n) < 0.03)
    parts = [
        (
            idx[rm],
            t[rm] + r.integers(60, 601, rm.sum()),
            np.zeros(rm.sum(), np.int64),
            _results(r, np.zeros(rm.sum(), np.int64)),
        )
    ]
    o = idx[visited]
    method = r.choice(3, size=len(o), p=[0.55, 0.25, 0.20])
    p0 = 55 * diligence[o] / (55 * diligence[o] + 45)
    late = r.choice(np.arange(1, 8), size=len(o), p=np.array([20, 10, 7, 3, 2, 2, 1]) / 45)
    delay = np.where(r.random(len(o)) < p0, 0, late)
    first = _at(r, t[o], delay)
    result = _results(r, method)
    parts.append((o, first, method, result))
    # a person follows up most automatic visits that did not reach or heard a complaint
    asks = (method != 2) & (result >= 2)
    follow = asks & (r.random(len(o)) < 0.8 * np.minimum(diligence[o], 1.1))
    d2 = r.choice(7, size=len(o), p=np.array([40, 30, 15, 7, 4, 2, 2]) / 100)
    res2 = np.where(
        result == RESULTS.index("dissatisfied"),
        r.choice(4, size=len(o), p=[0.25, 0.45, 0.25, 0.05]),
        _results(r, np.full(len(o), 2)),
    )
    parts.append((o[follow], _at(r, first[follow], d2[follow]), np.full(follow.sum(), 2), res2[follow]))
    # or an automatic second attempt the next day, for half of the unreachable ones nobody followed
    again = asks & ~follow & (result == RESULTS.index("unreachable")) & (r.random(len(o)) < 0.5)
    parts.append(
        (
            o[again],
            _at(r, first[again], np.ones(again.sum(), np.int64)),
            np.zeros(again.sum(), np.int64),
            _results(r, np.zeros(again.sum(), np.int64)),
        )
    )
    return tuple(np.concatenate([p[i] for p in parts]).astype(np.int64) for i in range(4))


def _results(r: np.random.Generator, method: np.ndarray) -> np.ndarray:
    """A result per visit, by its method's probabilities (RESULT_P)."""
    cum = np.cumsum(np.array([RESULT_P[m] for m in METHODS]), axis=1)
    u = r.random(len(method))
    return np.minimum((u[:, None] > cum[method]).sum(axis=1), 3)


def _at(r: np.random.Generator, t: np.ndarray, days: np.ndarray) -> np.ndarray:
    """A visit `days` calendar days after minute t: later the same day, or in office hours of that day."""
    later = t + r.integers(20, 361, len(t))
    same = np.where(later // 1440 == t // 1440, later, t + 1)
    other = (t // 1440 + days) * 1440 + r.integers(9 * 60, 20 * 60 + 1, len(t))
    return np.where(days == 0, same, other)


def _cast(w: World, as_day: int) -> list[tuple]:
    """Orders placed on purpose, about a month before the export, each showing one edge of SPEC §12:
    (completed minute, customer, type, manager id, [(minutes after completion, method, result)])."""
    d = as_day - 30
    picks = [c for c in range(w.n) if w.onboard[c] <= d - 5][:8]
    c = picks + [0] * (8 - len(picks))
    at = d * 1440 + 10 * 60  # 10:00
    day = 1440
    return [
        (at, c[0], "install", "", [(6 * 60, "auto_voice", "satisfied")]),  # visited on the completion day
        (at, c[1], "repair", "", [(3 * day, "manual", "very_satisfied")]),  # day 3: on time
        (at, c[2], "move", "", [(4 * day, "manual", "satisfied")]),  # day 4: missed
        (  # an unreachable voice visit, then a person on day 3: on time, follow-up done
            at,
            c[3],
            "repair",
            "",
            [(60, "auto_voice", "unreachable"), (3 * day, "manual", "satisfied")],
        ),
        (at, c[4], "repair", "", [(60, "auto_voice", "unreachable")]),  # never followed: both missed
        (at, c[5], "remove", "", []),  # a removal: no visit needed
        ((as_day + 1) * 1440 + 7 * 60 + 30, c[6], "install", "", []),  # completed after the as-of date
    ]


def write_inspections(w: World, out: str) -> dict[str, int]:
    """inspections.csv (UTF-8, canonical headers, LF): the seed's cadence from 2025-01-01 to the export date —
    the province inspects each city once or twice a year, each city office inspects every quarter and each
    installation centre (district) every month — with a few gaps, among them one city the province never
    inspected in 2025 and one centre's month without an inspection; plus three refused rows."""
    r = py_rng(w.seed, "inspections")
    end = w.as_of
    cities = [ccode for ccode, _, _ in CITIES]
    rows: list[tuple[dt.date, str, str, str]] = []
    skipped_city = cities[r.randrange(len(cities))]

    def day_in(first: dt.date, last: dt.date) -> dt.date | None:
        last = min(last, end)
        if last < first:
            return None
        return first + dt.timedelta(days=r.randint(0, (last - first).days))

    for year in (2025, 2026):
        for ccode in cities:
            if ccode == skipped_city:
                continue
            for _ in range(r.choice([1, 1, 2])):
                if (d := day_in(dt.date(year, 3, 1), dt.date(year, 11, 30))) is not None:
                    rows.append((d, "province", ccode, ""))
            for q in range(4):
                first = dt.date(year, 3 * q + 1, 1)
                last = (dt.date(year + (q == 3), (3 * q + 3) % 12 + 1, 1)) - dt.timedelta(days=1)
                if r.random() < 0.03:
                    continue
                for _ in range(r.choice([1, 1, 2, 3])):
                    if (d := day_in(first, last)) is not None:
                        rows.append((d, "city", ccode, ""))
    gap = (w.districts[r.randrange(len(w.districts))][2], r.randint(1, max(1, end.month - 1)))
    for year in (2025, 2026):
        for ccode, _, dcode, _ in w.districts:
            for m in range(1, 13):
                first = dt.date(year, m, 1)
                last = dt.date(year + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
                if (dcode, m) == gap and year == 2026 or r.random() < 0.04:
                    continue
                for _ in range(r.choice([1, 2, 2, 3, 4])):
                    if (d := day_in(first, last)) is not None:
                        rows.append((d, "centre", ccode, dcode))
    rows.sort()
    lines = ["inspection_id,level,city_code,district_code,inspected_at"]
    for j, (d, level, ccode, dcode) in enumerate(rows):
        label = LEVEL_LABELS[level] if r.random() < 0.5 else level
        text = (f"{d.year}-{d.month:02d}-{d.day:02d}", f"{d.year}/{d.month}/{d.day}", d.strftime("%Y%m%d"))[
            r.choices([0, 1, 2], [80, 12, 8])[0]
        ]
        lines.append(f"JC{j + 1:07d},{label},{ccode},{dcode},{text}")
    other_city_district = next(dc for cc, _, dc, _ in w.districts if cc != w.districts[0][0])
    k = len(rows)
    lines += [
        f"JC{k + 1:07d},centre,{w.districts[0][0]},,2026-03-03",  # a centre inspection without its district
        f"JC{k + 2:07d},city,2199,,2026-03-03",  # a city that does not exist
        f"JC{k + 3:07d},centre,{w.districts[0][0]},{other_city_district},2026-03-03",  # a district of another city
    ]
    write_text(os.path.join(out, "inspections.csv"), lines)
    return {
        "lines": len(lines) - 1,
        "refused": 3,
        "city_without_province_2025": int(skipped_city),
        "centre_gap_2026_month": gap[1],
    }
