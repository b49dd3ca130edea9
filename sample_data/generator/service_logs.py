"""The sample generator's part: service logs, planned per customer × service × month, then written month by month.

Run by sample_data/generate.py (its docstring and sample_data/README.md say what is generated)."""

from __future__ import annotations

import calendar
import datetime as dt
import os
from dataclasses import dataclass

import numpy as np

from generator.helpers import DATETIME_STYLE_P, csv_field, date_formats, minute_weights, np_rng, py_rng
from generator.reference import (
    BASE_MET,
    BROKEN_NOTES,
    CANCEL_NOTES,
    CHANNELS,
    CHIEF,
    CHUNK,
    CITIES,
    COMMA_NOTE_SHARE,
    COMMA_NOTES,
    CONFLICT_NOTES,
    DATA_START,
    GREETING,
    GREETING_ON_TIME,
    N_SERV,
    NETWORK,
    NOTES,
    OPTIONAL_RATE,
    REQUIRED,
    ROLE_INF,
    ROLE_M2M,
    ROLE_REG,
    ROLE_VIP,
    SERVICE_CODES,
    SERVICE_ZH,
    TIER_VISIT_WEIGHT,
    TRAINING,
    TRIAL,
    VISIT,
)
from generator.world import World


@dataclass
class Month:
    year: int
    month: int
    first: int  # day index of its first day
    last: int  # day index of its last day (calendar)
    days: int


def data_months(w: World) -> list[Month]:
    out = []
    y, m = DATA_START.year, DATA_START.month
    while (y, m) <= (w.as_of.year, w.as_of.month):
        nd = calendar.monthrange(y, m)[1]
        first = w.day(dt.date(y, m, 1))
        out.append(Month(y, m, first, first + nd - 1, nd))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def plan_services(w: World, months: list[Month]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Records to write per (customer, service, month) for the standards of §3, driven by diligence.

    Returns counts[n, 7, M], visit_met[n, M] (the month's visit period was met or had no
    obligation: extra visits may go there), valid_frac[n, M] (share of the month on or after
    onboarding and up to the as-of date) and tier_month[n, M] (tier on each month's first day).
    """
    rn = np_rng(w.seed, "plan")
    n, nm = w.n, len(months)
    asof = w.day(w.as_of)
    month_index = {(mo.year, mo.month): k for k, mo in enumerate(months)}
    lo = np.maximum.outer(w.onboard, np.array([mo.first for mo in months]))
    hi = np.minimum(np.array([mo.last for mo in months]), asof)[None, :].repeat(n, 0)
    valid_frac = np.clip(hi - lo + 1, 0, None) / np.array([mo.days for mo in months])[None, :]
    tier_month = np.stack([w.tier_at(mo.first) for mo in months], axis=1)

    counts = np.zeros((n, N_SERV, nm), dtype=np.int64)
    visit_met = np.ones((n, nm), dtype=bool)
    f_am = w.am_factor()
    has_chief = w.chief >= 0
    f_chief = np.where(has_chief, w.city_factor[w.city] * w.mgr_factor[np.maximum(w.chief, 0)], 0.4)

    for (s, t), (need, period) in REQUIRED.items():
        y, mo = DATA_START.year, 1
        while (y, mo) <= (w.as_of.year, w.as_of.month):
            cal = [(y, mo + k) for k in range(period)]
            if cal[-1] < (DATA_START.year, DATA_START.month):
                y, mo = (y + 1, 1) if mo + period > 12 else (y, mo + period)
                continue
            first = w.day(dt.date(y, mo, 1))
            idx = np.nonzero(w.tier_at(first) == t)[0]
            if len(idx):
                f = (f_chief if s == CHIEF else f_am)[idx]
                p = np.clip(BASE_MET[s] * f, 0.02, 0.995)
                met = rn.random(len(idx)) < p
                k = np.where(met, need, rn.integers(0, need, len(idx)))
                if s != VISIT:
                    k = k + (met & (rn.random(len(idx)) < 0.10))
                days = np.array([calendar.monthrange(yy, mm)[1] for yy, mm in cal], dtype=float)
                alloc = rn.multinomial(k, days / days.sum())
                for j, ym in enumerate(cal):
                    dm = month_index.get(ym)
                    if dm is None:
                        continue
                    a = alloc[:, j]
                    vf = valid_frac[idx, dm]
                    a = np.where(vf >= 1.0, a, rn.binomial(a, np.clip(vf, 0, 1)))
                    counts[idx, s, dm] += a
                    if s == VISIT:
                        visit_met[idx, dm] = met | (w.onboard[idx] > first)
            y, mo = (y + 1, 1) if mo + period > 12 else (y, mo + period)

    am_generosity = w.mgr_generosity[w.am]
    for (s, t), rate in OPTIONAL_RATE.items():
        for dm in range(nm):
            idx = np.nonzero(tier_month[:, dm] == t)[0]
            if not len(idx):
                continue
            lam = rate / 12.0 * valid_frac[idx, dm]
            if s == TRIAL and t >= 2:
                lam = lam * am_generosity[idx]
            counts[idx, s, dm] += rn.poisson(lam)
    return counts, visit_met, valid_frac, tier_month


def plan_greetings(w: World) -> list[tuple[int, int, int, int, int]]:
    """Greeting records (day, minute, customer, member, cancelled) around important birthdays."""
    r = py_rng(w.seed, "greetings")
    asof = w.day(w.as_of)
    f_am = w.am_factor()
    out: list[tuple[int, int, int, int, int]] = []
    minute_choices = list(range(8 * 60, 21 * 60, 10))
    for j, b in enumerate(w.mem_birth):
        role = w.mem_role[j]
        if b is None or role in (ROLE_REG, ROLE_INF, ROLE_M2M):
            continue
        c = w.mem_cust[j]
        onboard = int(w.onboard[c])
        for year in range(DATA_START.year, w.as_of.year + 1):
            month, day = b.month, b.day
            if month == 2 and day == 29 and not calendar.isleap(year):
                day = 28
            bday = w.day(dt.date(year, month, day))
            if bday < 0 - 8 or bday > asof + 10 or bday < onboard:
                continue
            if role == ROLE_VIP:  # not a standard, but VIPs are sometimes greeted
                if r.random() < 0.2:
                    _add_greeting(
                        out,
                        bday - r.randint(0, 5),
                        r.choice(minute_choices),
                        c,
                        j,
                        0,
                        onboard,
                        asof,
                    )
                continue
            p = min(0.995, GREETING_ON_TIME * float(f_am[c]))
            x = r.random()
            if r.random() < 0.03:
                _add_greeting(
                    out,
                    bday - r.randint(0, 7),
                    r.choice(minute_choices),
                    c,
                    j,
                    1,
                    onboard,
                    asof,
                )
            if x < p:
                back = r.choices(range(8), [20, 18, 16, 14, 10, 8, 7, 7])[0]
                minute = r.choice(minute_choices) if back or r.random() < 0.7 else r.randint(18 * 60, 23 * 60 + 50)
                _add_greeting(out, bday - back, minute, c, j, 0, onboard, asof)
            elif x < p + (1 - p) * 0.45:
                _add_greeting(
                    out,
                    bday + r.randint(1, 10),
                    r.choice(minute_choices),
                    c,
                    j,
                    0,
                    onboard,
                    asof,
                )
            elif x < p + (1 - p) * 0.65:
                _add_greeting(
                    out,
                    bday - r.randint(8, 20),
                    r.choice(minute_choices),
                    c,
                    j,
                    0,
                    onboard,
                    asof,
                )
    return out


def _add_greeting(out: list, day: int, minute: int, c: int, j: int, canc: int, onboard: int, asof: int) -> None:
    if 0 <= day <= asof and day >= onboard:
        out.append((day, minute, c, j, canc))


@dataclass
class DirtPlan:
    duplicates: int
    conflicts: int
    unknown_customer: int
    unknown_manager: int
    impossible_date: int
    broken_extra_field: int
    broken_truncated: int
    padded: float = 0.003


def dirt_for(total: int) -> DirtPlan:
    s = total / 1_000_000
    return DirtPlan(
        duplicates=max(3, round(0.002 * total)),
        conflicts=max(2, round(36 * s)),
        unknown_customer=max(2, round(30 * s)),
        unknown_manager=max(1, round(6 * s)),
        impossible_date=max(2, round(8 * s)),
        broken_extra_field=max(1, round(20 * s)),
        broken_truncated=max(1, round(18 * s)),
    )


@dataclass
class WatchPlants:
    """What the data-completeness watch (SPEC §10) must find in the sample, planted by moving record days (no
    random draw changes, so every other line stays as it was): with this_monday the Monday of the as-of date's
    week and Wk the k-th full week before it,
      * a gap: the records of the district with the most customers in weeks W3 and W4 move 14 days later (into
        W1 and W2): two weeks without a record;
      * a stale district: the records of the largest district of another city in the last 10 days move 14 days
        earlier: its latest record is more than 7 days before the as-of date;
      * a spike: the records an account manager (the one with the most customers elsewhere) made in the 12
        weeks before W8 move into the weekdays of W2: a batch typed in late."""

    gap_district: int
    stale_district: int
    spike_manager: int
    this_monday: int
    asof: int

    @classmethod
    def choose(cls, w: World, asof: int, weekday0: int) -> WatchPlants:
        per_district = np.bincount(w.district, minlength=len(w.districts))
        ranked = sorted(range(len(w.districts)), key=lambda d: (-per_district[d], d))
        gap = ranked[0]
        stale = next(d for d in ranked if w.districts[d][0] != w.districts[gap][0])
        elsewhere = ~np.isin(w.district, [gap, stale])
        per_am = np.bincount(w.am[elsewhere], minlength=len(w.mgr_ids))
        return cls(gap, stale, int(np.argmax(per_am)), asof - (asof + weekday0) % 7, asof)

    def move(self, day: np.ndarray, cust: np.ndarray, mgr: np.ndarray, district: np.ndarray, keep: int) -> None:
        """Move the days of this month's records in place; index `keep` (the as-of date's record) stays."""
        real = cust < len(district)
        d_of = np.where(real, district[np.minimum(cust, len(district) - 1)], -1)
        w4, w3_end = self.this_monday - 28, self.this_monday - 14
        gap = (d_of == self.gap_district) & (day >= w4) & (day < w3_end)
        stale = (d_of == self.stale_district) & (day > self.asof - 10)
        w8 = self.this_monday - 56
        spike = (mgr == self.spike_manager) & (day >= w8 - 84) & (day < w8)
        for mask in (gap, stale, spike):
            if 0 <= keep < len(mask):
                mask[keep] = False
        day[gap] += 14
        day[stale] -= 14
        day[spike] = self.this_monday - 14 + (day[spike] - (w8 - 84)) % 5


def write_service_logs(w: World, out: str, total: int) -> dict[str, int]:
    """Write exactly `total` data lines of service_logs.csv (GB18030, Chinese header, CRLF)."""
    rn = np_rng(w.seed, "logs")
    months = data_months(w)
    nm = len(months)
    asof = w.day(w.as_of)
    counts, visit_met, valid_frac, tier_month = plan_services(w, months)
    greetings = plan_greetings(w)
    dirt = dirt_for(total)
    cancelled_n = round(0.03 * total)
    added = dirt.duplicates + dirt.conflicts + dirt.unknown_customer
    base = int(counts.sum()) + len(greetings)
    budget = total - cancelled_n - added - 1  # 1: the record forced onto the as-of date
    if base > 0.9 * budget:  # tiny --logs: thin the plan to fit
        keep = max(0.0, 0.85 * budget / max(base, 1))
        counts = rn.binomial(counts, keep)
        rg = py_rng(w.seed, "greetings-thin")
        greetings = [g for g in greetings if rg.random() < keep]
        base = int(counts.sum()) + len(greetings)
    if budget - base < 0:
        raise SystemExit(f"--logs {total} is too small for this many customers")

    # extra visits in periods already met, by tier and diligence
    f_am = w.am_factor()
    wt = visit_met * valid_frac * TIER_VISIT_WEIGHT[tier_month] * (f_am**2)[:, None]
    extra = rn.multinomial(budget - base, (wt / wt.sum()).ravel()).reshape(wt.shape)
    counts[:, VISIT, :] += extra
    # cancelled records anywhere the customer exists
    wc = valid_frac * TIER_VISIT_WEIGHT[tier_month]
    cancelled = rn.multinomial(cancelled_n, (wc / wc.sum()).ravel()).reshape(wc.shape)

    # greetings per month
    g_by_month: list[list[tuple[int, int, int, int, int]]] = [[] for _ in range(nm)]
    month_of_day = np.zeros(asof + 1, dtype=np.int64)
    for k, mo in enumerate(months):
        month_of_day[mo.first : min(mo.last, asof) + 1] = k
    for g in greetings:
        g_by_month[int(month_of_day[g[0]])].append(g)

    # spread the added dirt lines and replacements over months by volume
    vol = counts.sum(axis=(0, 1)) + cancelled.sum(axis=0) + np.array([len(g) for g in g_by_month])
    pv = vol / vol.sum()

    def spread(k: int, exclude_last: bool = False) -> np.ndarray:
        p = pv.copy()
        if exclude_last and nm > 1:
            p[-1] = 0
        return rn.multinomial(k, p / p.sum())

    per_month = {
        "duplicates": spread(dirt.duplicates),
        "conflicts": spread(dirt.conflicts),
        "unknown_customer": spread(dirt.unknown_customer),
        "unknown_manager": spread(dirt.unknown_manager),
        "impossible_date": spread(dirt.impossible_date, exclude_last=True),
        "broken_extra_field": spread(dirt.broken_extra_field),
        "broken_truncated": spread(dirt.broken_truncated),
    }

    # lookup tables
    ghost_n = max(2, dirt.unknown_customer // 3)
    ghost_city = rn.integers(0, len(CITIES), ghost_n)
    cust_tbl = list(w.cust_ids) + [f"JT{CITIES[c][0]}9{int(rn.integers(10000, 99999)):05d}" for c in ghost_city]
    mem_tbl = list(w.mem_ids) + [""]
    no_member = len(w.mem_ids)
    ghost_mgrs = [
        f"JL{CITIES[c][0]}9{k:02d}" for k, c in enumerate(rn.integers(0, len(CITIES), max(1, dirt.unknown_manager)))
    ]
    svc_tbl = [x for s in range(8) for x in (SERVICE_ZH[s], SERVICE_CODES[s])]
    status_tbl = ["已完成", "completed", "已取消", "cancelled"]
    note_tbl = [""]
    note_range: dict[int, tuple[int, int]] = {}
    for s in range(8):
        note_range[s] = (len(note_tbl), len(NOTES[s]))
        note_tbl += [csv_field(x) for x in NOTES[s]]
    comma_range: dict[int, tuple[int, int]] = {}
    for s in range(8):
        comma_range[s] = (len(note_tbl), len(COMMA_NOTES[s]))
        note_tbl += [csv_field(x) for x in COMMA_NOTES[s]]
    cancel_range = (len(note_tbl), len(CANCEL_NOTES))
    note_tbl += [csv_field(x) for x in CANCEL_NOTES]
    date_tbl = [date_formats(w.date(d)) for d in range(asof + 1)]
    hm = [f" {m // 60:02d}:{m % 60:02d}" for m in range(1440)]
    hms = [f"{x}:00" for x in hm]
    nothing = [""] * 1440
    iso = [d[0] for d in date_tbl]
    slash = [d[1] for d in date_tbl]
    compact = [d[2] for d in date_tbl]
    style_date = [iso, slash, iso, compact, slash, compact]
    style_time = [hm, hm, hms, nothing, nothing, hm]
    minute_p = minute_weights()
    weekday0 = DATA_START.weekday()
    city_arr = np.concatenate([w.city, ghost_city])
    am_arr = np.concatenate([w.am, [w.city_ams[c][0] for c in ghost_city]])
    chief_city = [np.array(x) for x in w.city_chiefs]
    dh_city = [np.array(x) for x in w.city_dh]
    sa_city = [np.array(x) for x in w.city_sa]
    mem_start = np.concatenate([w.mem_start, np.zeros(ghost_n, dtype=np.int64)])
    mem_imp = np.concatenate([w.mem_n_imp, np.zeros(ghost_n, dtype=np.int64)])
    onboard = np.concatenate([w.onboard, np.full(ghost_n, -(10**6))])
    # channel choice per service: (main, alternative, probability of alternative)
    chan_main = np.array([0, 1, 1, 1, 1, 0, 1, 0])
    chan_alt = np.array([0, 3, 1, 1, 1, 0, 2, 0])
    chan_alt_p = np.array([0.0, 0.2, 0.0, 0.0, 0.0, 0.0, 0.3, 0.0])
    note_start = np.array([note_range[s][0] for s in range(8)])
    note_len = np.array([note_range[s][1] for s in range(8)])
    comma_start = np.array([comma_range[s][0] for s in range(8)])
    comma_len = np.array([comma_range[s][1] for s in range(8)])

    plants = WatchPlants.choose(w, asof, weekday0)

    stats = {k: 0 for k in per_month}
    stats.update(quoted_comma_notes=0, cancelled=0, lines=0, padded=0, greeting=0)
    path = os.path.join(out, "service_logs.csv")
    with open(path, "wb") as fh:
        fh.write("记录编号,集团编码,成员编码,客户经理编码,服务类型,渠道,服务时间,状态,备注\r\n".encode("gb18030"))
        for k, mo in enumerate(months):
            # ---- the month's records as arrays
            cm = counts[:, :, k]
            ci, si = np.nonzero(cm)
            reps = cm[ci, si]
            c_arr = [np.repeat(ci, reps)]
            s_arr = [np.repeat(si, reps)]
            canc = [np.zeros(int(reps.sum()), dtype=np.int64)]
            cc = cancelled[:, k]
            cci = np.repeat(np.nonzero(cc)[0], cc[cc > 0])
            c_arr.append(cci)
            s_arr.append(rn.choice(7, size=len(cci), p=[0.80, 0.06, 0.05, 0.02, 0.01, 0.02, 0.04]))
            canc.append(np.ones(len(cci), dtype=np.int64))
            n_ghost = int(per_month["unknown_customer"][k])
            c_arr.append(w.n + rn.integers(0, ghost_n, n_ghost))
            s_arr.append(np.full(n_ghost, VISIT))
            canc.append(np.zeros(n_ghost, dtype=np.int64))
            c = np.concatenate(c_arr)
            s = np.concatenate(s_arr)
            cn = np.concatenate(canc)
            m_ = len(c)
            # days inside the customer's valid part of the month; weekends mostly avoided
            lo = np.maximum(mo.first, onboard[c])
            hi = np.full(m_, min(mo.last, asof))
            span = hi - lo + 1
            day = lo + (rn.random(m_) * span).astype(np.int64)
            weekend = ((day + weekday0) % 7) >= 5
            redraw = weekend & (rn.random(m_) < 0.85)
            day = np.where(redraw, lo + (rn.random(m_) * span).astype(np.int64), day)
            minute = rn.choice(1440, size=m_, p=minute_p)
            member = np.full(m_, no_member)
            with_member = (s == VISIT) & (mem_imp[c] > 0) & (rn.random(m_) < 0.04)
            member[with_member] = (mem_start[c] + (rn.random(m_) * np.maximum(mem_imp[c], 1)).astype(np.int64))[
                with_member
            ]
            mgr = am_arr[c].copy()
            u = rn.random(m_)
            cities = city_arr[c]
            for sv, share, pools in (
                (TRIAL, 0.2, dh_city),
                (NETWORK, 0.25, sa_city),
                (TRAINING, 0.1, sa_city),
            ):
                sel = np.nonzero((s == sv) & (u < share))[0]
                for i in sel:
                    pool = pools[cities[i]]
                    mgr[i] = pool[int(u[i] * 997) % len(pool)]
            sel = np.nonzero(s == CHIEF)[0]
            chief_of = np.concatenate([w.chief, np.full(ghost_n, -1)])[c[sel]]
            for i, ch in zip(sel, chief_of):
                if ch >= 0 and u[i] < 0.97:
                    mgr[i] = ch
                else:
                    pool = chief_city[cities[i]]
                    mgr[i] = pool[int(u[i] * 997) % len(pool)]
            # greetings of the month
            gm = g_by_month[k]
            if gm:
                ga = np.array(gm, dtype=np.int64)
                c = np.concatenate([c, ga[:, 2]])
                s = np.concatenate([s, np.full(len(ga), GREETING)])
                cn = np.concatenate([cn, ga[:, 4]])
                day = np.concatenate([day, ga[:, 0]])
                minute = np.concatenate([minute, ga[:, 1]])
                member = np.concatenate([member, ga[:, 3]])
                gmgr = w.am[ga[:, 2]].copy()
                gchief = w.chief[ga[:, 2]]
                by_chief = (gchief >= 0) & (rn.random(len(ga)) < 0.05)
                gmgr[by_chief] = gchief[by_chief]
                mgr = np.concatenate([mgr, gmgr])
                stats["greeting"] += len(ga)
            forced = -1
            if k == nm - 1:  # the as-of date holds the latest record
                cands = np.nonzero((s == VISIT) & (cn == 0) & (c < w.n))[0]
                forced_src = int(cands[0]) if len(cands) else 0
                c = np.append(c, c[forced_src])
                s = np.append(s, VISIT)
                cn = np.append(cn, 0)
                day = np.append(day, asof)
                minute = np.append(minute, 16 * 60 + 30)
                member = np.append(member, no_member)
                mgr = np.append(mgr, mgr[forced_src])
            m_ = len(c)
            plants.move(day, c, mgr, w.district, m_ - 1 if k == nm - 1 else -1)
            # labels
            style = rn.choice(6, size=m_, p=DATETIME_STYLE_P)
            sv_lbl = s * 2 + (rn.random(m_) < 0.3)
            st_lbl = cn * 2 + (rn.random(m_) < 0.3)
            chan = np.where(rn.random(m_) < chan_alt_p[s], chan_alt[s], chan_main[s])
            has_note = rn.random(m_) < np.where(cn == 1, 0.75, 0.45)
            note = np.where(
                cn == 1,
                cancel_range[0] + (rn.random(m_) * cancel_range[1]).astype(np.int64),
                note_start[s] + (rn.random(m_) * note_len[s]).astype(np.int64),
            )
            comma = (cn == 0) & (rn.random(m_) < COMMA_NOTE_SHARE)
            note = np.where(
                comma,
                comma_start[s] + (rn.random(m_) * comma_len[s]).astype(np.int64),
                note,
            )
            note = np.where(has_note | comma, note, 0)
            # order as the CRM would export them: by time, ids in that order
            order = np.argsort(day * 1440 + minute, kind="stable")
            if k == nm - 1:
                forced = int(np.nonzero(order == m_ - 1)[0][0])
                style[m_ - 1] = 0
            cols = [
                a[order].tolist()
                for a in (
                    c,
                    member,
                    mgr,
                    sv_lbl,
                    chan,
                    style,
                    day,
                    minute,
                    st_lbl,
                    note,
                )
            ]
            stats["cancelled"] += int(cn.sum())

            # ---- dirt decided on positions in the month
            kinds = [
                "unknown_manager",
                "impossible_date",
                "broken_extra_field",
                "broken_truncated",
                "conflicts",
                "duplicates",
            ]
            want = [int(per_month[x][k]) for x in kinds]
            eligible = np.nonzero(c[order] < w.n)[0]
            eligible = eligible[eligible != forced]
            picks = rn.choice(eligible, size=min(sum(want), len(eligible)), replace=False)
            role_at: dict[int, str] = {}
            pos = 0
            for kind, n_k in zip(kinds, want):
                for i in picks[pos : pos + n_k]:
                    role_at[int(i)] = kind
                pos += n_k
            pad = set(np.nonzero(rn.random(m_) < dirt.padded)[0].tolist()) - set(role_at) - {forced}
            ym = f"FW{mo.year % 100:02d}{mo.month:02d}"

            def fields(i: int, ym: str = ym, cols: list = cols) -> list[str]:
                return [
                    f"{ym}{i + 1:07d}",
                    cust_tbl[cols[0][i]],
                    mem_tbl[cols[1][i]],
                    w.mgr_ids[cols[2][i]],
                    svc_tbl[cols[3][i]],
                    CHANNELS[cols[4][i]],
                    style_date[cols[5][i]][cols[6][i]] + style_time[cols[5][i]][cols[7][i]],
                    status_tbl[cols[8][i]],
                    note_tbl[cols[9][i]],
                ]

            # ---- lines, chunk by chunk; insertions (duplicates, conflicts) stay inside their chunk
            for a in range(0, m_, CHUNK):
                b = min(m_, a + CHUNK)
                lines = [
                    f"{ym}{q + 1:07d},{cust_tbl[c_]},{mem_tbl[mm]},{w.mgr_ids[g]},{svc_tbl[sv]},{CHANNELS[ch]},"
                    f"{style_date[f][d]}{style_time[f][mi]},{status_tbl[st]},{note_tbl[nt]}"
                    for q, c_, mm, g, sv, ch, f, d, mi, st, nt in zip(range(a, b), *(col[a:b] for col in cols))
                ]
                stats["quoted_comma_notes"] += sum(1 for nt in cols[9][a:b] if note_tbl[nt].startswith('"'))
                inserts: list[tuple[int, str]] = []
                for i in sorted(x for x in role_at if a <= x < b):
                    kind = role_at[i]
                    fl = fields(i)
                    if kind == "unknown_manager":
                        fl[3] = ghost_mgrs[stats[kind] % len(ghost_mgrs)]
                        lines[i - a] = ",".join(fl)
                    elif kind == "impossible_date":
                        bad_day = mo.days + (1 if mo.month != 2 else 2)
                        hhmm = hm[cols[7][i]]
                        fl[6] = [
                            f"{mo.year}-{mo.month:02d}-{bad_day:02d}{hhmm}",
                            f"{mo.year}/{mo.month}/{bad_day}{hhmm}",
                            f"{mo.year}{mo.month:02d}{bad_day:02d}",
                        ][stats[kind] % 3]
                        lines[i - a] = ",".join(fl)
                    elif kind == "broken_extra_field":
                        fl[8] = BROKEN_NOTES[stats[kind] % len(BROKEN_NOTES)]  # unquoted comma: 10 fields
                        lines[i - a] = ",".join(fl)
                    elif kind == "broken_truncated":
                        line = ",".join(fl[:7])
                        cut = len(",".join(fl[:6])) + 1 + 1 + stats[kind] % 8  # cut inside service_time
                        lines[i - a] = line[:cut]
                    elif kind == "conflicts":
                        fl2 = list(fl)
                        variant = stats[kind] % 3
                        if variant == 0:
                            fl2[7] = "已取消" if cols[8][i] < 2 else "已完成"
                        elif variant == 1:
                            d2 = max(0, min(asof, cols[6][i] + 1))
                            d2 = d2 if d2 != cols[6][i] else cols[6][i] - 1
                            fl2[6] = iso[d2] + hm[cols[7][i]]
                        else:
                            fl2[8] = CONFLICT_NOTES[stats[kind] % len(CONFLICT_NOTES)]
                        p_ = int(rn.integers(i + 1, b + 1))
                        inserts.append((p_, ",".join(fl2)))
                    elif kind == "duplicates":
                        p_ = int(rn.integers(i + 1, b + 1))
                        inserts.append((p_, lines[i - a]))
                    stats[kind] += 1
                for i in sorted(x for x in pad if a <= x < b):
                    fl = fields(i)
                    j = (i * 7) % 4
                    target = [1, 7, 3, 4][j]
                    fl[target] = (" " + fl[target]) if j % 2 == 0 else (fl[target] + " ")
                    lines[i - a] = ",".join(fl)
                    stats["padded"] += 1
                if inserts:
                    inserts.sort(key=lambda x: x[0])
                    merged: list[str] = []
                    prev = 0
                    for p_, text in inserts:
                        merged.extend(lines[prev : p_ - a])
                        merged.append(text)
                        prev = p_ - a
                    merged.extend(lines[prev:])
                    lines = merged
                stats["lines"] += len(lines)
                fh.write(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    stats["unknown_customer"] = int(per_month["unknown_customer"].sum())
    stats["unknown_customer_ids"] = ghost_n
    if stats["lines"] != total:
        raise SystemExit(f"internal error: wrote {stats['lines']} service-log lines, expected {total}")
    return stats
