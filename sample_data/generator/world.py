"""The sample generator's part: the model: organisation, managers, customers, members.

Run by sample_data/generate.py (its docstring and sample_data/README.md say what is generated)."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np

from generator.helpers import largest_remainder, np_rng, person_name, py_rng, short_district
from generator.reference import (
    A_IND,
    A_PLUS_IND,
    B_IND,
    BANKS,
    CITIES,
    CITY_WEIGHT,
    DATA_START,
    DEPTS,
    KEYWORDS,
    NAME_TEMPLATES,
    OTHER_IND,
    ROLE_GL,
    ROLE_IC,
    ROLE_IL,
    ROLE_INF,
    ROLE_IT,
    ROLE_M2M,
    ROLE_REG,
    ROLE_VIP,
    TIER_SHARE,
)


@dataclass
class World:
    seed: int
    as_of: dt.date
    # organisation
    districts: list[tuple[str, str, str, str]] = field(default_factory=list)  # city code, city, dcode, dname
    # managers
    mgr_ids: list[str] = field(default_factory=list)
    mgr_names: list[str] = field(default_factory=list)
    mgr_role: list[str] = field(default_factory=list)  # am / chief / dh / sa
    mgr_city: list[int] = field(default_factory=list)
    mgr_district: list[int] = field(default_factory=list)
    mgr_factor: np.ndarray | None = None  # own diligence
    mgr_generosity: np.ndarray | None = None  # over-service propensity
    city_chiefs: list[list[int]] = field(default_factory=list)
    city_dh: list[list[int]] = field(default_factory=list)
    city_sa: list[list[int]] = field(default_factory=list)
    city_ams: list[list[int]] = field(default_factory=list)
    city_factor: np.ndarray | None = None
    district_factor: np.ndarray | None = None
    # customers (arrays of length n)
    n: int = 0
    cust_ids: list[str] = field(default_factory=list)
    cust_names: list[str] = field(default_factory=list)
    tier: np.ndarray | None = None  # current tier index
    city: np.ndarray | None = None
    district: np.ndarray | None = None
    am: np.ndarray | None = None  # manager index
    chief: np.ndarray | None = None  # manager index or -1
    industry: list[str] = field(default_factory=list)
    member_count: np.ndarray | None = None
    onboard: np.ndarray | None = None  # day index relative to DATA_START
    # tier history (per customer; sentinel 10**6 when absent)
    hist_orig_day: np.ndarray | None = None
    hist_old_tier: np.ndarray | None = None
    hist_change_day: np.ndarray | None = None
    # members
    mem_ids: list[str] = field(default_factory=list)
    mem_cust: list[int] = field(default_factory=list)
    mem_role: list[int] = field(default_factory=list)
    mem_birth: list[dt.date | None] = field(default_factory=list)
    mem_start: np.ndarray | None = None  # first member index of each customer
    mem_n_imp: np.ndarray | None = None  # important members (listed first)

    def day(self, d: dt.date) -> int:
        return d.toordinal() - DATA_START.toordinal()

    def date(self, day: int) -> dt.date:
        return dt.date.fromordinal(DATA_START.toordinal() + day)

    def tier_at(self, day: int) -> np.ndarray:
        """Tier index of every customer on a day, by the rule of SPEC §5 and the rows we write."""
        t = self.tier.copy()
        t = np.where(day >= self.hist_orig_day, self.hist_old_tier, t)
        t = np.where(day >= self.hist_change_day, self.tier, t)
        return t

    def am_factor(self) -> np.ndarray:
        """Diligence behind each customer's account-manager work (city × district × manager)."""
        return self.city_factor[self.city] * self.district_factor[self.district] * self.mgr_factor[self.am]


def build_world(seed: int, n_customers: int, as_of: dt.date) -> World:
    w = World(seed=seed, as_of=as_of)
    rn = np_rng(seed, "world")
    rp = py_rng(seed, "names")

    # --- organisation
    city_district_idx: list[list[int]] = []
    for ccode, cname, dists in CITIES:
        idxs = []
        for dcode, dname in dists:
            idxs.append(len(w.districts))
            w.districts.append((ccode, cname, dcode, dname))
        city_district_idx.append(idxs)
    n_dist = len(w.districts)

    # --- diligence: cities get a clear ranking, districts and managers vary around it
    city_levels = np.linspace(0.84, 1.05, len(CITIES))
    w.city_factor = rn.permutation(city_levels)
    w.district_factor = np.clip(rn.normal(1.0, 0.05, n_dist), 0.86, 1.10)

    # --- customers per city and district
    per_city = largest_remainder(n_customers, CITY_WEIGHT)
    cust_city: list[int] = []
    cust_dist: list[int] = []
    per_district = np.zeros(n_dist, dtype=int)
    for ci, n_c in enumerate(per_city):
        idxs = city_district_idx[ci]
        dw = np.array([(1.6 if w.districts[i][3].endswith("区") else 1.0) for i in idxs])
        dw = dw * rn.uniform(0.6, 1.4, len(idxs))
        alloc = rn.multinomial(n_c, dw / dw.sum())
        for i, k in zip(idxs, alloc):
            per_district[i] += k
            cust_dist.extend([i] * int(k))
            cust_city.extend([ci] * int(k))
    n = len(cust_city)
    w.n = n
    w.city = np.array(cust_city, dtype=np.int64)
    w.district = np.array(cust_dist, dtype=np.int64)
    # shuffle customers inside each city so that ids do not follow districts
    order = np.lexsort((rn.random(n), w.city))
    w.city = w.city[order]
    w.district = w.district[order]

    # --- managers
    def add_mgr(mid: str, role: str, ci: int, di: int) -> int:
        w.mgr_ids.append(mid)
        w.mgr_names.append(person_name(rp))
        w.mgr_role.append(role)
        w.mgr_city.append(ci)
        w.mgr_district.append(di)
        return len(w.mgr_ids) - 1

    district_ams: list[list[int]] = [[] for _ in range(n_dist)]
    for ci, (ccode, _, _) in enumerate(CITIES):
        seq = 0
        ams = []
        for di in city_district_idx[ci]:
            for _ in range(max(1, round(per_district[di] / 82))):
                seq += 1
                m = add_mgr(f"JL{ccode}{seq:03d}", "am", ci, di)
                district_ams[di].append(m)
                ams.append(m)
        w.city_ams.append(ams)
        n_c = per_city[ci]
        main_district = city_district_idx[ci][0]
        w.city_chiefs.append(
            [
                add_mgr(f"SX{ccode}{k + 1:02d}", "chief", ci, main_district)
                for k in range(max(1, min(5, 1 + round(n_c / 1500))))
            ]
        )
        w.city_dh.append(
            [
                add_mgr(
                    f"DH{ccode}{k + 1:02d}",
                    "dh",
                    ci,
                    int(rn.choice(city_district_idx[ci])),
                )
                for k in range(1 + (n_c >= 1500))
            ]
        )
        w.city_sa.append(
            [
                add_mgr(
                    f"SA{ccode}{k + 1:02d}",
                    "sa",
                    ci,
                    int(rn.choice(city_district_idx[ci])),
                )
                for k in range(1 + (n_c >= 3000))
            ]
        )
    n_mgr = len(w.mgr_ids)
    kind = rn.random(n_mgr)
    w.mgr_factor = np.where(
        kind < 0.09,
        rn.uniform(0.55, 0.75, n_mgr),  # clearly weak
        np.where(
            kind < 0.24,
            rn.uniform(1.03, 1.08, n_mgr),  # stars
            np.clip(rn.normal(1.0, 0.04, n_mgr), 0.88, 1.08),
        ),
    )
    w.mgr_generosity = np.where(rn.random(n_mgr) < 0.10, rn.uniform(5, 12, n_mgr), 1.0)

    # --- customer attributes
    w.tier = rn.permutation(np.repeat(np.arange(4), largest_remainder(n, TIER_SHARE)))
    am = np.empty(n, dtype=np.int64)
    chief = np.full(n, -1, dtype=np.int64)
    u = rn.random((n, 3))
    for i in range(n):
        ams = district_ams[w.district[i]]
        am[i] = ams[int(u[i, 0] * len(ams))]
        t = w.tier[i]
        if (t == 0) or (t == 1 and u[i, 1] < 0.95) or (t == 2 and u[i, 1] < 0.80) or (t == 3 and u[i, 1] < 0.03):
            chiefs = w.city_chiefs[w.city[i]]
            chief[i] = chiefs[int(u[i, 2] * len(chiefs))]
    w.am, w.chief = am, chief

    # industry and member count: mostly what the tier implies, some upgrade candidates
    ra = py_rng(seed, "attributes")
    members = np.zeros(n, dtype=np.int64)
    for i in range(n):
        t = int(w.tier[i])
        x = ra.random()
        if t > 0 and x < 0.07:
            q = t - 1 if (t == 1 or ra.random() < 0.85) else t - 2  # qualifies higher
        elif t < 3 and x < 0.15:
            q = t + 1  # holds more than it qualifies
        else:
            q = t
        ind, mc = _attributes_for(q, ra)
        w.industry.append(ind)
        members[i] = mc
    w.member_count = members

    # onboard dates: mostly years ago, ~3% during 2026
    start_2026 = w.day(dt.date(2026, 1, 1))
    asof_day = w.day(as_of)
    early_lo = w.day(dt.date(2004, 1, 1))
    early_hi = w.day(dt.date(2025, 12, 31))
    recent = rn.random(n) < 0.03
    yrs = rn.beta(2.0, 1.4, n)  # more customers won in recent years
    w.onboard = np.where(
        recent,
        start_2026 + (rn.random(n) * max(1, asof_day - start_2026 - 10)).astype(np.int64),
        early_lo + (yrs * (early_hi - early_lo)).astype(np.int64),
    )

    # ids and names
    seq_in_city = [0] * len(CITIES)
    used: set[str] = set()
    for i in range(n):
        ci = int(w.city[i])
        seq_in_city[ci] += 1
        w.cust_ids.append(f"JT{CITIES[ci][0]}{seq_in_city[ci]:06d}")
        w.cust_names.append(_company_name(w.industry[i], CITIES[ci][1], w.districts[w.district[i]][3], rp, used))

    # tier history: ~5% change tier during 2026
    sentinel = 10**6
    w.hist_orig_day = np.full(n, sentinel, dtype=np.int64)
    w.hist_old_tier = w.tier.copy()
    w.hist_change_day = np.full(n, sentinel, dtype=np.int64)
    rh = np_rng(seed, "tier_history")
    cand = np.nonzero(w.onboard < start_2026)[0]
    cw = np.array([1.0, 1.5, 1.5, 0.35])[w.tier[cand]]  # mostly upgrades: few current C customers
    chosen = np.sort(rh.choice(cand, size=min(len(cand), round(0.05 * n)), replace=False, p=cw / cw.sum()))
    for i in chosen:
        t = int(w.tier[i])
        if t == 0:
            old = 1
        elif t == 3:
            old = 2
        else:
            old = t + 1 if rh.random() < 0.7 else t - 1  # mostly upgrades (old tier is lower)
        if rh.random() < 0.3:  # on the first of a month
            month = int(rh.integers(1, as_of.month + 1))
            change = dt.date(2026, month, 1)
        else:
            change = w.date(int(rh.integers(start_2026, asof_day + 1)))
        w.hist_change_day[i] = w.day(change)
        if rh.random() < 0.75:  # with a row for the original tier
            w.hist_orig_day[i] = w.onboard[i]
            w.hist_old_tier[i] = old

    _build_members(w, seed)
    return w


def _attributes_for(q: int, r: random.Random) -> tuple[str, int]:
    """An industry and member count whose highest qualifying tier (SPEC §3) is q."""
    if q == 0:
        if r.random() < 0.55:
            return r.choice(A_PLUS_IND), int(r.lognormvariate(6.3, 0.8))
        return r.choice(A_IND + B_IND + OTHER_IND), r.randint(500, 4000)
    if q == 1:
        if r.random() < 0.55:
            return r.choice(A_IND), r.randint(40, 499)
        return r.choice(B_IND + OTHER_IND), r.randint(300, 499)
    if q == 2:
        if r.random() < 0.5:
            return r.choice(B_IND), r.randint(20, 299)
        return r.choice(OTHER_IND), r.randint(100, 299)
    return r.choice(OTHER_IND), r.randint(5, 99)


def _company_name(ind: str, city: str, dist: str, r: random.Random, used: set[str]) -> str:
    sd = short_district(dist)
    for _attempt in range(8):
        tpl = r.choice(NAME_TEMPLATES[ind])
        name = tpl.format(
            city=city,
            dist=sd,
            kw=r.choice(KEYWORDS),
            bank=r.choice(BANKS),
            n=r.randint(1, 60),
            dept=r.choice(DEPTS),
        )
        if name not in used:
            used.add(name)
            return name
    k = 2
    while f"{name}第{k}分公司" in used:
        k += 1
    name = f"{name}第{k}分公司"
    used.add(name)
    return name


def _build_members(w: World, seed: int) -> None:
    r = py_rng(seed, "members")
    starts = np.zeros(w.n, dtype=np.int64)
    n_imp = np.zeros(w.n, dtype=np.int64)
    leap_years = [1964, 1968, 1972, 1976, 1980, 1984, 1988, 1992]
    feb29_forced = 0
    for i in range(w.n):
        t = int(w.tier[i])
        k = r.choices(
            [[5, 6], [4, 5, 6], [3, 4, 5], [3, 4]][t],
            [[0.4, 0.6], [0.3, 0.4, 0.3], [0.3, 0.4, 0.3], [0.6, 0.4]][t],
        )[0]
        roles = [ROLE_IL]
        if t <= 1 and r.random() < 0.5:
            roles.append(ROLE_IL)
        if r.random() < (0.4 if t == 3 else 0.75):
            roles.append(ROLE_IC)
        if r.random() < 0.4:
            roles.append(ROLE_GL)
        if r.random() < 0.4:
            roles.append(ROLE_IT)
        roles = roles[:k]
        while len(roles) < k:
            roles.append(r.choices([ROLE_REG, ROLE_VIP, ROLE_INF, ROLE_M2M], [0.5, 0.25, 0.15, 0.10])[0])
        starts[i] = len(w.mem_ids)
        n_imp[i] = sum(1 for x in roles if x <= ROLE_IT)
        for role in roles:
            w.mem_ids.append(f"CY{len(w.mem_ids) + 1:08d}")
            w.mem_cust.append(i)
            w.mem_role.append(role)
            if role == ROLE_M2M:
                w.mem_birth.append(None)
                continue
            if r.random() < (0.03 if role <= ROLE_IT else 0.08):
                w.mem_birth.append(None)
                continue
            lo, hi = (1960, 1980) if role in (ROLE_IL, ROLE_GL) else (1965, 1998)
            if role <= ROLE_IT and (r.random() < 0.003 or (feb29_forced < 2 and i >= w.n // 3 * (feb29_forced + 1))):
                feb29_forced += 1
                w.mem_birth.append(dt.date(r.choice([y for y in leap_years if lo <= y <= hi]), 2, 29))
                continue
            y = r.randint(lo, hi)
            w.mem_birth.append(dt.date(y, 1, 1) + dt.timedelta(days=r.randrange(366 if calendar.isleap(y) else 365)))
    w.mem_start = starts
    w.mem_n_imp = n_imp
