"""The sample generator's part: small files.

Run by sample_data/generate.py (its docstring and sample_data/README.md say what is generated)."""

from __future__ import annotations

import datetime as dt
import os
import random

from generator.helpers import date_formats, person_name, py_rng
from generator.reference import IND_CODE, MANAGER_ROLE_LABELS, ROLE_LABELS, ROLE_M2M, TIERS
from generator.world import World


def write_text(
    path: str,
    lines: list[str],
    encoding: str = "utf-8",
    newline: str = "\n",
    bom: bool = False,
) -> None:
    data = newline.join(lines) + newline
    with open(path, "wb") as fh:
        if bom:
            fh.write(b"\xef\xbb\xbf")
        fh.write(data.encode(encoding))


def write_org_units(w: World, out: str) -> int:
    lines = ["city_code,city_name,district_code,district_name"]
    lines += [f"{c},{cn},{d},{dn}" for c, cn, d, dn in w.districts]
    write_text(os.path.join(out, "org_units.csv"), lines)
    return len(lines) - 1


def write_managers(w: World, out: str) -> int:
    r = py_rng(w.seed, "managers.csv")
    lines = ["manager_id,manager_name,role,city_code,district_code"]
    for i, mid in enumerate(w.mgr_ids):
        code, zh = MANAGER_ROLE_LABELS[w.mgr_role[i]]
        role = zh if r.random() < 0.6 else code
        if r.random() < 0.03:
            role = f" {role} "
        ccode, _, dcode, _ = w.districts[w.mgr_district[i]]
        lines.append(f"{mid},{w.mgr_names[i]},{role},{ccode},{dcode}")
    write_text(os.path.join(out, "managers.csv"), lines)
    return len(lines) - 1


def _date_any(d: dt.date, r: random.Random, p: tuple[float, float, float] = (0.7, 0.15, 0.15)) -> str:
    return date_formats(d)[r.choices([0, 1, 2], p)[0]]


def _lost_days(w: World) -> dict[int, int]:
    """离网日期 (SPEC §12): about 3% of the customers left during the data's last two years, from a random stream
    of their own (every other value of every file is unchanged by it). The other files do not know: a lost
    customer's records and obligations go on, as only the chief manager's retention reads lost_date. Planted:
    the first customer with a chief left on the as-of year's 1 January (a window's first day)."""
    r = py_rng(w.seed, "customers_lost")
    first = w.day(dt.date(w.as_of.year - 1, 1, 1))
    last = w.day(w.as_of) - 1
    lost: dict[int, int] = {}
    for i in range(w.n):
        if r.random() < 0.03:
            lo = max(first, int(w.onboard[i]) + 30)
            if lo <= last:
                lost[i] = r.randint(lo, last)
    planted = next(
        (i for i in range(w.n) if w.chief[i] >= 0 and w.onboard[i] < w.day(dt.date(w.as_of.year, 1, 1))), None
    )
    if planted is not None:
        lost[planted] = w.day(dt.date(w.as_of.year, 1, 1))
    return lost


def write_customers(w: World, out: str) -> int:
    r = py_rng(w.seed, "customers.csv")
    lost = _lost_days(w)
    lines = [
        "集团编码,集团名称,客户等级,地市编码,区县编码,客户经理编码,首席客户经理编码,行业,集团成员数,入网日期,离网日期"
    ]
    for i in range(w.n):
        ccode, _, dcode, _ = w.districts[w.district[i]]
        cid, name, tier = w.cust_ids[i], w.cust_names[i], TIERS[w.tier[i]]
        am = w.mgr_ids[w.am[i]]
        chief = w.mgr_ids[w.chief[i]] if w.chief[i] >= 0 else ""
        ind = w.industry[i]
        x = r.random()
        if ind == "交通运输" and x < 0.25:
            ind = "交通"
        elif ind in IND_CODE and x > 0.98:
            ind = IND_CODE[ind]
        if r.random() < 0.01:
            name = f" {name} "
        if r.random() < 0.005:
            am = f"{am} "
        if r.random() < 0.003:
            tier = f" {tier}"
        onboard = _date_any(w.date(int(w.onboard[i])), r)
        gone = w.date(lost[i]).isoformat() if i in lost else ""
        lines.append(f"{cid},{name},{tier},{ccode},{dcode},{am},{chief},{ind},{w.member_count[i]},{onboard},{gone}")
    write_text(os.path.join(out, "customers.csv"), lines, bom=True)
    return len(lines) - 1


def write_tier_history(w: World, out: str) -> int:
    r = py_rng(w.seed, "tier_history.csv")
    lines = ["customer_id,tier,effective_from"]
    for i in range(w.n):
        if w.hist_orig_day[i] < 10**6:
            lines.append(f"{w.cust_ids[i]},{TIERS[w.hist_old_tier[i]]},{_date_any(w.date(int(w.hist_orig_day[i])), r)}")
        if w.hist_change_day[i] < 10**6:
            lines.append(f"{w.cust_ids[i]},{TIERS[w.tier[i]]},{_date_any(w.date(int(w.hist_change_day[i])), r)}")
    write_text(os.path.join(out, "tier_history.csv"), lines)
    return len(lines) - 1


def write_members(w: World, out: str) -> int:
    r = py_rng(w.seed, "members.csv")
    lines = ["member_id,customer_id,member_name,member_role,birthday"]
    m2m = 0
    for j, mid in enumerate(w.mem_ids):
        role = w.mem_role[j]
        labels, p = ROLE_LABELS[role]
        label = r.choices(labels, p)[0]
        if role == ROLE_M2M:
            m2m += 1
            name = f"{r.choice(['物联网卡', 'M2M终端', '车载终端'])}{m2m:04d}"
        else:
            name = person_name(r)
        b = w.mem_birth[j]
        bday = "" if b is None else date_formats(b)[r.choices([0, 1, 2], [0.7, 0.15, 0.15])[0]]
        if bday and r.random() < 0.02:
            bday = f" {bday}"
        lines.append(f"{mid},{w.cust_ids[w.mem_cust[j]]},{name},{label},{bday}")
    write_text(os.path.join(out, "members.csv"), lines)
    return len(lines) - 1
