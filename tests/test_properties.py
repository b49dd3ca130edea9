"""Properties over random small exports (hypothesis): the numbers add up at every level, a scoped report equals
its city's row, re-importing changes nothing, and the frequency obligations and over-service agree with a
straightforward Python reading of SPEC §3/§5 (an independent oracle written from the SPEC, not from the SQL).

Random exports: 2 to 5 customers in 2 cities / 3 districts with random tiers, onboarding dates (some inside
2026), tier_history, members with birthdays, service logs across 2026 (random services, statuses, managers,
times up to 23:59) and complaints; sometimes with the examples' later province version and city overrides.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path

import support
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import complaint, log, member

from supervision import measures

MEASURES = ("compliance", "greetings", "complaints", "overservice")
LEVELS = ("province", "city", "district", "manager", "tier", "service")
W_FROM, W_TO = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
TIERS = ["A+", "A", "B", "C"]
SERVICES = ["visit", "training", "network_test", "social_event", "vip_event", "chief_visit", "trial", "greeting"]
PLACES = {"M1": ("2101", "210102"), "M2": ("2101", "210103"), "M3": ("2102", "210202")}
EXTRA_STANDARDS = [  # the examples' lines 30–32
    "A,visit,2,1,account_manager,,2026-04-01",
    "C,training,1,6,account_manager,2101,",
    "B,social_event,not_entitled,,account_manager,2102,2026-01-01",
]

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ------------------------------------------------------------------------------------------ generation

days_2026 = st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def exact_rate(num: int, den: int) -> str:
    """The oracle for every rate: num/den with 4 decimals, half away from zero, in Python's exact integers."""
    if not den:
        return ""
    q = (num * 20000 + den) // (2 * den)
    return f"{q // 10000}.{q % 10000:04d}"


def at(draw, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 30, 59]))))


@st.composite
def exports(draw):
    n = draw(st.integers(2, 5))
    customers, history, members, logs, complaints = [], [], [], [], []
    for i in range(n):
        cid = f"C{i}"
        manager = draw(st.sampled_from(sorted(PLACES)))
        onboard = draw(st.one_of(st.just(dt.date(2020, 1, 1)), st.dates(dt.date(2025, 6, 1), dt.date(2026, 12, 31))))
        customers.append(
            {
                "id": cid,
                "tier": draw(st.sampled_from(TIERS)),
                "manager": manager,
                "chief": draw(st.sampled_from(["S1", ""])),
                "onboard": onboard,
            }
        )
        for day in sorted(draw(st.sets(st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)), max_size=2))):
            history.append({"customer": cid, "tier": draw(st.sampled_from(TIERS)), "from": day})
        for j in range(draw(st.integers(0, 2))):
            members.append(
                {
                    "id": f"{cid}M{j}",
                    "customer": cid,
                    "role": draw(st.sampled_from(["important_leader", "重要联系人", "一般领导", "regular"])),
                    "birthday": draw(st.one_of(st.none(), st.dates(dt.date(1960, 1, 1), dt.date(1999, 12, 31)))),
                }
            )
    member_ids = [m["id"] for m in members]
    weighted = [
        "visit",
        "visit",
        "visit",
        "training",
        "network_test",
        "social_event",
        "vip_event",
        "chief_visit",
        "trial",
        "trial",
        "greeting",
    ]
    k = 0
    for c in customers:
        for _ in range(draw(st.integers(2, 10))):
            service = draw(st.sampled_from(weighted))
            day = draw(days_2026)
            logs.append(
                {
                    "id": f"R{k}",
                    "customer": c["id"],
                    "service": service,
                    "time": at(draw, day),
                    "status": draw(st.sampled_from(["completed", "completed", "cancelled", "已完成"])),
                    "manager": draw(st.sampled_from([c["manager"], "S1", "P1", ""])),
                    "member": draw(st.sampled_from(member_ids)) if member_ids and service == "greeting" else "",
                }
            )
            k += 1
    for m in members:  # greetings placed around the 2026 birthday (the 8-day window and just outside it)
        if m["birthday"] and draw(st.booleans()):
            b = m["birthday"]
            due = dt.date(2026, b.month, 28) if (b.month, b.day) == (2, 29) else dt.date(2026, b.month, b.day)
            day = due - dt.timedelta(days=draw(st.integers(-1, 9)))
            logs.append(
                {
                    "id": f"R{k}",
                    "customer": m["customer"],
                    "service": "greeting",
                    "time": at(draw, day),
                    "status": draw(st.sampled_from(["completed", "completed", "cancelled"])),
                    "manager": "",
                    "member": m["id"],
                }
            )
            k += 1
    for k in range(draw(st.integers(0, 4))):
        c = draw(st.sampled_from(customers))
        received = dt.datetime.combine(draw(days_2026), dt.time(draw(st.integers(0, 23)), 0))
        first = received + dt.timedelta(hours=draw(st.integers(0, 12)))
        resolved = received + dt.timedelta(hours=draw(st.integers(1, 100)))
        ret = resolved + dt.timedelta(days=draw(st.integers(0, 6)))
        complaints.append(
            {
                "id": f"K{k}",
                "customer": c["id"],
                "received": received,
                "first": draw(st.sampled_from([first, None])),
                "resolved": draw(st.sampled_from([resolved, None])),
                "return": ret,
                "satisfaction": draw(st.sampled_from(["", "满意", "非常满意", "不满意", "未接通"])),
                "manager": draw(st.sampled_from(["", "P1"])),
            }
        )
    return {
        "customers": customers,
        "history": history,
        "members": members,
        "logs": logs,
        "complaints": complaints,
        "extra_standards": draw(st.booleans()),
        "duplicate_first_log": draw(st.booleans()),
        "as_of": draw(st.one_of(st.sampled_from([dt.date(2026, 12, 31), dt.date(2026, 7, 15)]), days_2026)),
    }


def ts(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def write(folder: Path, ex: dict) -> None:
    cust_rows = [
        [
            c["id"],
            f"{c['id']}公司",
            c["tier"],
            *PLACES[c["manager"]],
            c["manager"],
            c["chief"],
            "other",
            "10",
            c["onboard"].isoformat(),
        ]
        for c in ex["customers"]
    ]
    log_rows = [
        log(r["id"], r["customer"], r["service"], ts(r["time"]), r["status"], member=r["member"], manager=r["manager"])
        for r in ex["logs"]
    ]
    if ex["duplicate_first_log"] and log_rows:
        log_rows.append(list(log_rows[0]))
    # a resolved_at that is missing drops the return visit too (a return visit without resolution is not generated)
    comp_rows = [
        complaint(
            k["id"],
            k["customer"],
            ts(k["received"]),
            ts(k["first"]),
            ts(k["resolved"]),
            ts(k["return"]) if k["resolved"] else "",
            k["satisfaction"],
            "",
            k["manager"],
        )
        for k in ex["complaints"]
    ]
    support.write_export(
        folder,
        customers=cust_rows,
        tier_history=[[h["customer"], h["tier"], h["from"].isoformat()] for h in ex["history"]],
        members=[
            member(m["id"], m["customer"], m["role"], m["birthday"].isoformat() if m["birthday"] else "")
            for m in ex["members"]
        ],
        logs=log_rows,
        complaints=comp_rows,
        standards=support.standards_text(*EXTRA_STANDARDS) if ex["extra_standards"] else None,
    )


# ----------------------------------------------------------------------------------------------- oracle


def standards_rows(extra: bool) -> list[dict]:
    rows = []
    for text in support.DEFAULT_STANDARDS_ROWS + (EXTRA_STANDARDS if extra else []):
        tier, service, req, period, role, city, eff = text.split(",")
        rows.append(
            {
                "tier": tier,
                "service": service,
                "req": req,
                "period": int(period) if period else None,
                "role": role,
                "city": city or None,
                "eff": dt.date.fromisoformat(eff) if eff else dt.date.min,
            }
        )
    return rows


def standard_on(rows: list[dict], city: str, tier: str, service: str, day: dt.date) -> dict | None:
    """§5: the city's override in effect on `day` (latest effective_from <= day), else the province row."""
    for scope in (city, None):
        candidates = [
            r for r in rows if r["city"] == scope and r["tier"] == tier and r["service"] == service and r["eff"] <= day
        ]
        if candidates:
            return max(candidates, key=lambda r: r["eff"])
    return None


def tier_on(ex: dict, customer: dict, day: dt.date) -> str:
    rows = [h for h in ex["history"] if h["customer"] == customer["id"] and h["from"] <= day]
    return max(rows, key=lambda h: h["from"])["tier"] if rows else customer["tier"]


def oracle_obligations(ex: dict) -> Counter:
    """(customer, service, period_start, period_end, tier, n, status, manager) of every frequency obligation in
    2026; the manager is the account manager, or the chief (None when there is none) for a chief's standard."""
    rows = standards_rows(ex["extra_standards"])
    as_of = ex["as_of"]
    done = [r for r in ex["logs"] if r["status"] in ("completed", "已完成")]
    out = Counter()
    for c in ex["customers"]:
        city = PLACES[c["manager"]][0]
        for service in SERVICES[:6]:
            for months in (1, 2, 3, 6, 12):
                for m in range(1, 13, months):
                    start = dt.date(2026, m, 1)
                    end = (dt.date(2026, m + months, 1) if m + months <= 12 else dt.date(2027, 1, 1)) - dt.timedelta(1)
                    if c["onboard"] > start:
                        continue
                    tier = tier_on(ex, c, start)
                    std = standard_on(rows, city, tier, service, start)
                    if not std or not std["req"].isdigit() or std["period"] != months:
                        continue
                    n = int(std["req"])
                    count = sum(
                        1
                        for r in done
                        if r["customer"] == c["id"] and r["service"] == service and start <= r["time"].date() <= end
                    )
                    status = "open" if end > as_of else ("met" if count >= n else "missed")
                    manager = (c["chief"] or None) if std["role"] == "chief_account_manager" else c["manager"]
                    out[(c["id"], service, start, end, tier, n, status, manager)] += 1
    return out


def oracle_overservice(ex: dict) -> int:
    rows = standards_rows(ex["extra_standards"])
    by_id = {c["id"]: c for c in ex["customers"]}
    total = 0
    for r in ex["logs"]:
        day = r["time"].date()
        if r["status"] not in ("completed", "已完成") or not (W_FROM <= day <= min(W_TO, ex["as_of"])):
            continue
        c = by_id[r["customer"]]
        std = standard_on(rows, PLACES[c["manager"]][0], tier_on(ex, c, day), r["service"], day)
        total += bool(std and std["req"] == "not_entitled")
    return total


# ----------------------------------------------------------------------------------------------- checks


def all_reports(con, as_of: dt.date) -> dict:
    return {(m, lv): measures.report(con, m, lv, W_FROM, W_TO, as_of) for m in MEASURES for lv in LEVELS}


def count_columns(header: list[str], keys: int) -> list[int]:
    return [i for i, h in enumerate(header) if i >= keys and h not in ("rate", "satisfaction_rate")]


def totals(header, rows, keys, group=None) -> dict:
    """Sum of the count columns per group key (rows grouped by `group(row)`, default: one group)."""
    cols = count_columns(header, keys)
    out: dict = {}
    for r in rows:
        g = group(r) if group else ()
        acc = out.setdefault(g, [0] * len(cols))
        for j, i in enumerate(cols):
            acc[j] += r[i]
    return out


def check_counts_add_up(reps: dict) -> None:
    for m in MEASURES:
        header, prov = reps[(m, "province")]
        assert len(prov) == 1, (m, prov)
        province = totals(header, prov, 0)[()]
        for lv in ("city", "manager", "tier", "service"):
            h, rows = reps[(m, lv)]
            got = totals(h, rows, 1).get((), [0] * len(province))
            assert got == province, f"{m}: {lv} rows do not sum to the province row: {got} != {province}"
        h_city, city_rows = reps[(m, "city")]
        h_dist, dist_rows = reps[(m, "district")]
        by_city = totals(h_dist, dist_rows, 2, group=lambda r: r[0])
        cities = {r[0]: [r[i] for i in count_columns(h_city, 1)] for r in city_rows}
        assert by_city == cities, f"{m}: district rows do not sum to their city rows"
        for lv in LEVELS:
            h, rows = reps[(m, lv)]
            keys = len(h) - len(measures.COUNT_COLUMNS[m])
            assert [r[:keys] for r in rows] == sorted(r[:keys] for r in rows), f"{m}/{lv}: rows not sorted by key"
            if m in ("compliance", "greetings"):
                for r in rows:
                    obligations, met, missed, rate, _open = r[keys:]
                    assert met + missed == obligations, (m, lv, r)
                    assert rate == exact_rate(met, obligations), (m, lv, r)
            if m == "complaints":
                for r in rows:
                    c = dict(zip(h, r))
                    assert (
                        max(
                            c["first_contact_on_time"],
                            c["resolved_on_time"],
                            c["return_visit_on_time"],
                            c["open"],
                            c["very_satisfied"] + c["satisfied"] + c["dissatisfied"] + c["unreachable"],
                        )
                        <= c["complaints"]
                    ), (lv, r)


def check_scope(con, as_of: dt.date, reps: dict) -> None:
    for m in MEASURES:
        header, city_rows = reps[(m, "city")]
        for row in city_rows:
            _, scoped = measures.report(con, m, "province", W_FROM, W_TO, as_of, measures.Scope(city_code=row[0]))
            assert scoped == [row[1:]], f"{m}: Scope(city_code={row[0]}) {scoped} != city row {row}"
            _, scoped_districts = measures.report(
                con, m, "district", W_FROM, W_TO, as_of, measures.Scope(city_code=row[0])
            )
            assert {r[0] for r in scoped_districts} <= {row[0]}, f"{m}: another city's rows in a city scope"
        header, district_rows = reps[(m, "district")]
        for row in district_rows:
            _, scoped = measures.report(
                con, m, "province", W_FROM, W_TO, as_of, measures.Scope(city_code=row[0], district_code=row[1])
            )
            assert scoped == [row[2:]], f"{m}: Scope(district_code={row[1]}) {scoped} != district row {row}"


def snapshot(con) -> dict:
    tables = ("customers", "tier_history", "members", "service_logs", "complaints", "standards", "standards_versions")
    return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in tables}


@PROPERTY_SETTINGS
@given(ex=exports())
def test_random_exports(ex):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        write(folder, ex)
        con = support.new_db(":memory:")
        try:
            first = support.import_into(con, folder)
            for f in first.files:
                assert f.read == f.accepted + f.updated + f.quarantined + f.duplicates, f
                assert f.quarantined == 0, (f, con.execute("select * from quarantine").fetchall())
            as_of = ex["as_of"]
            reps = all_reports(con, as_of)

            # 1. every level adds up to the province; met + missed = obligations; districts sum to cities
            check_counts_add_up(reps)

            # 2. a city- (district-) scoped report is exactly that city's (district's) row of the province-wide one
            check_scope(con, as_of, reps)

            # 3. frequency obligations and over-service agree with the SPEC read directly (oracle above)
            got = Counter(
                tuple(r)
                for r in con.execute(
                    "select customer_id, service_code, period_start, period_end, tier, n, status, manager_id "
                    "from compliance_items($f, $t, $a, null, null)",
                    {"f": W_FROM, "t": W_TO, "a": as_of},
                ).fetchall()
            )
            want = oracle_obligations(ex)
            assert got == want, f"obligations differ: extra {got - want}, missing {want - got}"
            assert reps[("overservice", "province")][1] == [[oracle_overservice(ex)]]

            # 4. importing the same folder again: all duplicates, nothing stored changes, every report identical
            before = snapshot(con)
            second = support.import_into(con, folder)
            for f1, f2 in zip(first.files, second.files):
                assert (f2.file, f2.read, f2.accepted, f2.updated, f2.quarantined, f2.duplicates) == (
                    f1.file,
                    f1.read,
                    0,
                    0,
                    f1.quarantined,
                    f1.read - f1.quarantined,
                ), (f1, f2)
            assert snapshot(con) == before
            assert all_reports(con, as_of) == reps
        finally:
            con.close()
