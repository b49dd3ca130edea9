"""Tier standards as data (SPEC §3): validate a standards file, store it as a new version, rebuild what
depends on it (supervision.store).

A file is refused whole when any row is wrong; the message names every bad row by its line number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass

import duckdb

from supervision import db, readers

COLUMNS = ["tier", "service_code", "requirement", "period_months", "responsible_role", "city_code", "effective_from"]
# what a stored row holds (Row.content order)
CONTENT = [
    "tier",
    "service_code",
    "requirement",
    "n",
    "period_months",
    "responsible_role",
    "city_code",
    "effective_from",
]
PERIODS = {1, 2, 3, 6, 12}  # calendar-aligned period lengths of SPEC §5
ROLES = {"account_manager", "chief_account_manager"}
KINDS = {"market", "entitled", "not_entitled"}


class StandardsError(ValueError):
    """A standards file that cannot be loaded; `.problems` lists one message per bad row."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"standards file {source} refused ({len(problems)} problem(s)):\n  " + "\n  ".join(problems))


@dataclass(frozen=True)
class Row:
    line: int
    tier: str
    service_code: str
    requirement: str  # count | market | entitled | not_entitled
    n: int | None
    period_months: int | None
    responsible_role: str
    city_code: str | None
    effective_from: dt.date | None

    def content(self) -> tuple:
        return (
            self.tier,
            self.service_code,
            self.requirement,
            self.n,
            self.period_months,
            self.responsible_role,
            self.city_code,
            self.effective_from,
        )


def _lookup(con: duckdb.DuckDBPyConnection, domain: str) -> dict[str, tuple[str, str | None]]:
    rows = con.execute("select alias, code, attr from vocab where domain = $d", {"d": domain}).fetchall()
    return {a: (c, attr) for a, c, attr in rows}


def _parse_date(con: duckdb.DuckDBPyConnection, text: str) -> dt.date | None:
    value = con.execute("select parse_ts($s)", {"s": text}).fetchone()[0]
    return value.date() if value is not None else None


def _period_start(day: dt.date, months: int) -> bool:
    return day.day == 1 and (day.month - 1) % months == 0


def parse(con: duckdb.DuckDBPyConnection, path: str) -> list[Row]:
    """Read and validate a standards file against the configured tiers and services. Raises StandardsError."""
    name = os.path.basename(path)
    try:
        _, header, batches = readers.read_file(path)
        lines = [header, *readers.iter_lines(batches)]
    except readers.UnreadableFile as e:
        raise StandardsError(name, [str(e)]) from e
    if not lines:
        raise StandardsError(name, ["the file is empty"])
    header = [h.strip().lstrip("\ufeff").lower() for h in lines[0].fields]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise StandardsError(name, [f"line {lines[0].number}: missing column(s) {', '.join(missing)}"])
    idx = {c: header.index(c) for c in COLUMNS}
    tiers = {t for (t,) in con.execute("select tier from tiers").fetchall()}
    services = _lookup(con, "service")
    kinds = _lookup(con, "requirement")
    roles = _lookup(con, "manager_role")

    problems: list[str] = []
    rows: list[Row] = []
    for ln in lines[1:]:
        if len(ln.fields) != len(header):
            problems.append(f"line {ln.number}: {len(ln.fields)} fields, expected {len(header)}: {ln.raw}")
            continue
        f = {c: ln.fields[i].strip() for c, i in idx.items()}
        bad: list[str] = []
        if f["tier"] not in tiers:
            bad.append(f"unknown tier '{f['tier']}' (configured tiers: {', '.join(sorted(tiers))})")
        svc = services.get(f["service_code"].lower())
        if svc is None or svc[1] not in ("frequency", "eligibility"):
            bad.append(f"unknown service_code '{f['service_code']}'")
        req, n = f["requirement"], None
        if req.isdigit():
            n = int(req)
            if n < 1:
                bad.append(f"requirement '{req}' must be at least 1")
            req = "count"
        elif req.lower() in kinds:
            req = kinds[req.lower()][0]
        else:
            bad.append(
                f"requirement '{f['requirement']}' is not a whole number N >= 1, market, entitled or not_entitled"
            )
        period = None
        if f["period_months"]:
            if f["period_months"].isdigit() and int(f["period_months"]) in PERIODS:
                period = int(f["period_months"])
            else:
                bad.append(f"period_months '{f['period_months']}' is not one of 1, 2, 3, 6, 12")
        elif req == "count":
            bad.append("period_months is required for a whole-number requirement")
        role = roles.get(f["responsible_role"].lower(), (None, None))[0]
        if role not in ROLES:
            bad.append(f"responsible_role '{f['responsible_role']}' is not account_manager or chief_account_manager")
        eff = None
        if f["effective_from"]:
            eff = _parse_date(con, f["effective_from"])
            if eff is None:
                bad.append(f"effective_from '{f['effective_from']}' is not a valid date")
        if bad:
            problems.append(f"line {ln.number}: " + "; ".join(bad))
            continue
        rows.append(Row(ln.number, f["tier"], svc[0], req, n, period, role, f["city_code"] or None, eff))

    problems += _check_consistency(rows)
    if problems:
        raise StandardsError(name, problems)
    unique: dict[tuple, Row] = {}
    for r in rows:  # a row repeated word for word says nothing new: keep its first line
        unique.setdefault(r.content(), r)
    return list(unique.values())


def _check_consistency(rows: list[Row]) -> list[str]:
    """Contradicting rows, and effective dates that do not start a period (SPEC §3)."""
    problems: list[str] = []
    seen: dict[tuple, Row] = {}
    for r in rows:
        k = (r.tier, r.service_code, r.city_code, r.effective_from)
        if k in seen and seen[k].content() != r.content():
            problems.append(
                f"lines {seen[k].line} and {r.line}: two rows for tier {r.tier}, service {r.service_code}, "
                f"city {r.city_code or '(province)'}, effective_from {r.effective_from or '(always)'}"
            )
        else:
            seen[k] = r
    lo = dt.date.min

    def chain(tier: str, svc: str, city: str | None) -> list[Row]:
        return sorted(
            (r for r in rows if (r.tier, r.service_code, r.city_code) == (tier, svc, city)),
            key=lambda r: r.effective_from or lo,
        )

    for r in rows:
        if r.effective_from is None:
            continue
        d = r.effective_from
        if r.period_months and not _period_start(d, r.period_months):
            problems.append(
                f"line {r.line}: effective_from {d} is not the first day of a {r.period_months}-month period"
            )
            continue
        before = [x for x in chain(r.tier, r.service_code, r.city_code) if (x.effective_from or lo) < d]
        if not before and r.city_code is not None:  # a city's first override replaces the province row
            before = [x for x in chain(r.tier, r.service_code, None) if (x.effective_from or lo) < d]
        if before and before[-1].period_months and not _period_start(d, before[-1].period_months):
            problems.append(
                f"line {r.line}: effective_from {d} is not the first day of a {before[-1].period_months}-month "
                f"period of the row it replaces (line {before[-1].line})"
            )
    return problems


def diff(con: duckdb.DuckDBPyConnection, rows: list[Row]) -> list[dict]:
    """What loading `rows` would change against the current version: one entry per row added or removed
    (a changed row is one removed and one added), each with `change` = 'added' | 'removed' and the row's
    content; sorted by tier, service, city, effective_from."""
    current = current_version(con)
    stored = (
        con.execute(
            "select tier, service_code, requirement, n, period_months, responsible_role, city_code, effective_from "
            "from standards where version = $v",
            {"v": current},
        ).fetchall()
        if current is not None
        else []
    )
    old = {tuple(r) for r in stored}
    new = {r.content() for r in rows}
    out = [dict(zip(CONTENT, r), change="removed") for r in old - new]
    out += [dict(zip(CONTENT, r), change="added") for r in new - old]

    def key(d: dict) -> tuple:
        return (d["tier"], d["service_code"], d["city_code"] or "", str(d["effective_from"] or ""), d["change"])

    return sorted(out, key=key)


def current_version(con: duckdb.DuckDBPyConnection) -> int | None:
    return con.execute("select max(version) from standards_versions").fetchone()[0]


def load(
    con: duckdb.DuckDBPyConnection,
    path: str,
    source: str | None = None,
    username: str | None = None,
) -> tuple[int, bool]:
    """Validate and store `path` as a new standards version. Returns (version, loaded); a file equal to the
    current version is not stored again (re-importing a folder changes nothing). What depends on the standards
    is rebuilt by the caller (supervision.store.apply_standards, or the import that carried the file)."""
    rows = parse(con, path)
    current = current_version(con)
    if current is not None:
        stored = con.execute(
            "select tier, service_code, requirement, n, period_months, responsible_role, city_code, effective_from "
            "from standards where version = $v",
            {"v": current},
        ).fetchall()
        if sorted(map(repr, stored)) == sorted(repr(r.content()) for r in rows):
            return current, False
    version = (current or 0) + 1
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    db.insert_rows(con, "standards", [(version, r.line, *r.content()) for r in rows])
    con.execute(
        "insert into standards_versions values ($v, now()::timestamp, $s, $h, $n, $u)",
        {"v": version, "s": source or os.path.basename(path), "h": digest, "n": len(rows), "u": username},
    )
    return version, True
