"""Alerts (SPEC §9 预警): rules as data, evaluated after every import and by `python -m supervision alerts run`;
each alert once per (rule, group, period), written to the outbox folder and sent by e-mail; a delivery that fails
is kept and tried again on the next run, never dropped. docs/alerts.md says it in the project's words.

* The rules file (CSV, UTF-8 or GB18030): `rule,measure,level,condition,threshold,every,recipients,note`. It is
  refused whole when a row is wrong, every problem named by its line (`AlertRulesError`). The shipped default is
  supervision/defaults/alerts.csv; a province's own file sits beside the database as `alerts.csv`.
* Conditions, with the numbers `report` / `due` print for them (the alert carries the command):
  - `rate_below` T (compliance, greetings: rate; complaints: satisfaction_rate) — the year to date as of the
    as-of date (`report --from <year>-01-01 --to <year>-12-31 --as-of D`), a group with a rate (something closed)
    below T;
  - `due_within` N (due) — open obligations of the running periods with at most N days left that still miss
    records (`due --as-of D`), at least one in the group;
  - `any_record` N (overservice) — at least N over-service records in the alert's period up to the as-of date;
  - `open_past_limit` N (complaints) — at least N complaints of the year with a step past its limit and still
    missing on the as-of date.
* `every` week | month: the alert's period, the ISO week or the month of the as-of date. The key (rule, group,
  period) is kept in the state file: a re-run or a re-import never creates or sends it again.
* `recipients`: `;`-separated usernames and/or `@scope` (every enabled user whose scope holds the group). Their
  e-mail addresses come from the users file (`users add --email`; an identity-provider user's name is its address).
* Delivery: SMTP from `alerts.toml` beside the database ([smtp] host, port, starttls, sender, username); the
  password from $SUPERVISION_SMTP_PASSWORD or Streamlit's secrets ([smtp] password), never from the repository.
  Every alert is also written to outbox/<key>.eml whether or not it can be sent.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import email.message
import email.utils
import io
import json
import os
import re
import smtplib
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

from supervision import auditlog, auth, db, i18n, measures, replay, store
from supervision.scope import PROVINCE, Scope

COLUMNS = ["rule", "measure", "level", "condition", "threshold", "every", "recipients", "note"]
CONDITIONS = {
    "compliance": ("rate_below",),
    "greetings": ("rate_below",),
    "complaints": ("rate_below", "open_past_limit"),
    "overservice": ("any_record",),
    "due": ("due_within",),
}
LEVELS = ("city", "district", "manager")
EVERY = ("week", "month")
SCOPE_WORD = "@scope"
DEFAULT_RULES = db.DEFAULTS / "alerts.csv"


class AlertRulesError(ValueError):
    """A rules file that cannot be used; `.problems` lists one message per bad line."""

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        super().__init__(f"alert rules {source} refused ({len(problems)} problem(s)):\n  " + "\n  ".join(problems))


class AlertConfigError(ValueError):
    """alerts.toml cannot be read or says something impossible."""


@dataclasses.dataclass(frozen=True)
class Rule:
    line: int
    rule: str
    measure: str
    level: str
    condition: str
    threshold: Decimal
    every: str
    recipients: tuple[str, ...]
    note: str


@dataclasses.dataclass
class Alert:
    key: str
    rule: str
    measure: str
    level: str
    condition: str
    group: str
    group_name: str
    city_code: str | None
    district_code: str | None
    period: str
    as_of: str
    value: str
    threshold: str
    note: str
    recipients: list[str]
    command: str
    created_at: str = ""
    status: str = "new"
    attempts: int = 0
    last_error: str = ""
    sent_at: str = ""
    addresses: list[str] = dataclasses.field(default_factory=list)


# ---------------------------------------------------------------- where things live
def home(db_path: str | None = None) -> Path:
    """The alerts folder: $SUPERVISION_ALERTS_DIR, else `alerts/` beside the database."""
    env = os.environ.get("SUPERVISION_ALERTS_DIR")
    if env:
        return Path(env)
    return Path(db_path or os.environ.get("SUPERVISION_DB", db.DEFAULT_DB)).resolve().parent / "alerts"


def rules_path(db_path: str | None = None) -> Path:
    """The province's rules file beside the database when there is one, else the shipped default."""
    own = Path(db_path or os.environ.get("SUPERVISION_DB", db.DEFAULT_DB)).resolve().parent / "alerts.csv"
    return own if own.exists() else DEFAULT_RULES


def config_path(db_path: str | None = None) -> Path:
    env = os.environ.get("SUPERVISION_ALERTS_CONFIG")
    if env:
        return Path(env)
    return Path(db_path or os.environ.get("SUPERVISION_DB", db.DEFAULT_DB)).resolve().parent / "alerts.toml"


# ---------------------------------------------------------------- the rules file
def _decode(data: bytes) -> str:
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise AlertRulesError("file", ["line 1: neither UTF-8 nor GB18030 text"])


def load_rules(path: str | os.PathLike, known_users: set[str] | None = None) -> list[Rule]:
    """Validate a rules file; every problem is named by its line, and one problem refuses the whole file."""
    source = str(path)
    try:
        text = _decode(Path(path).read_bytes())
    except OSError as e:
        raise AlertRulesError(source, [f"cannot be read: {e.strerror}"]) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise AlertRulesError(source, ["line 1: empty file (header expected: " + ",".join(COLUMNS) + ")"])
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS[:-1] if c not in header]
    if missing:
        raise AlertRulesError(source, [f"line 1: missing column(s) {', '.join(missing)}"])
    problems: list[str] = []
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for number, fields in enumerate(rows[1:], start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            problems.append(f"line {number}: {len(fields)} fields, expected {len(header)}")
            continue
        r = {h: f.strip() for h, f in zip(header, fields)}
        bad = _check(r, known_users)
        if r["rule"] in seen:
            bad.append(f"rule {r['rule']!r} is already defined on line {seen[r['rule']]}")
        seen.setdefault(r["rule"], number)
        if bad:
            problems += [f"line {number}: {b}" for b in bad]
            continue
        rules.append(
            Rule(
                number,
                r["rule"],
                r["measure"],
                r["level"],
                r["condition"],
                _threshold(r),
                r["every"],
                tuple(x.strip() for x in r["recipients"].split(";") if x.strip()),
                r.get("note", ""),
            )
        )
    if problems:
        raise AlertRulesError(source, problems)
    return rules


def _threshold(r: dict) -> Decimal:
    if r["threshold"] == "" and r["condition"] in ("any_record", "open_past_limit"):
        return Decimal(1)
    return Decimal(r["threshold"])


def _check(r: dict, known_users: set[str] | None) -> list[str]:
    bad = []
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", r["rule"]):
        bad.append(f"rule {r['rule']!r}: 1 to 40 letters, digits, '_', '.' or '-'")
    if r["measure"] not in CONDITIONS:
        bad.append(f"measure {r['measure']!r}: one of {', '.join(CONDITIONS)}")
    elif r["condition"] not in CONDITIONS[r["measure"]]:
        bad.append(f"condition {r['condition']!r} for {r['measure']}: one of {', '.join(CONDITIONS[r['measure']])}")
    if r["level"] not in LEVELS:
        bad.append(f"level {r['level']!r}: one of {', '.join(LEVELS)}")
    if r["every"] not in EVERY:
        bad.append(f"every {r['every']!r}: week or month")
    try:
        t = _threshold(r)
    except InvalidOperation:
        bad.append(f"threshold {r['threshold']!r} is not a number")
    else:
        if r["condition"] == "rate_below" and not (0 < t <= 1):
            bad.append(f"threshold {r['threshold']!r}: a rate above 0 and at most 1 (0.85 = 85%)")
        if r["condition"] in ("due_within", "any_record", "open_past_limit") and (t != int(t) or t < 0 or t > 366):
            bad.append(f"threshold {r['threshold']!r}: a whole number from 0 to 366")
    who = [x.strip() for x in r["recipients"].split(";") if x.strip()]
    if not who:
        bad.append("recipients: at least one username or @scope")
    if known_users is not None:
        unknown = [x for x in who if x != SCOPE_WORD and x not in known_users]
        if unknown:
            bad.append(f"recipients: unknown user(s) {', '.join(unknown)}")
    return bad


# ---------------------------------------------------------------- evaluation
def period_of(every: str, day: dt.date) -> tuple[str, dt.date, dt.date]:
    """The alert period holding `day`: (label, first day, last day), e.g. ('2026-W47', ...) or ('2026-11', ...)."""
    if every == "week":
        y, w, _ = day.isocalendar()
        start = day - dt.timedelta(days=day.weekday())
        return f"{y}-W{w:02d}", start, start + dt.timedelta(days=6)
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return f"{day.year}-{day.month:02d}", start, end


def _places(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str | None, str | None, str]]:
    rows = con.execute(db.sql("alerts/group_places")).fetchall()
    return {(lv, code): (city, district, name) for lv, code, city, district, name in rows}


def _group_code(level: str, row: dict) -> str:
    return {"city": row.get("city_code"), "district": row.get("district_code"), "manager": row.get("manager_id")}[
        level
    ] or ""


def evaluate(
    con: duckdb.DuckDBPyConnection, rules: list[Rule], as_of: dt.date | None = None, db_path: str = ""
) -> list[Alert]:
    """The alerts the rules raise on the as-of date (default: the data's), one per (rule, group, period)."""
    as_of = as_of or measures.as_of_default(con)
    if as_of is None:
        return []
    places = _places(con)
    year_from, year_to = dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31)
    out = []
    for rule in rules:
        label, p_from, p_to = period_of(rule.every, as_of)
        hits: list[tuple[str, str]] = []  # (group code, value as text)
        if rule.condition == "rate_below":
            header, rows = measures.report(con, rule.measure, rule.level, year_from, year_to, as_of, PROVINCE)
            col = "satisfaction_rate" if rule.measure == "complaints" else "rate"
            cmd = replay.report(rule.measure, rule.level, db_path, year_from, year_to, as_of, PROVINCE)
            for r in (dict(zip(header, row)) for row in rows):
                if r[col] != "" and Decimal(r[col]) < rule.threshold:
                    hits.append((_group_code(rule.level, r), r[col]))
        elif rule.condition == "any_record":
            header, rows = measures.report(con, "overservice", rule.level, p_from, p_to, as_of, PROVINCE)
            cmd = replay.report("overservice", rule.level, db_path, p_from, p_to, as_of, PROVINCE)
            for r in (dict(zip(header, row)) for row in rows):
                if int(r["records"]) >= rule.threshold:
                    hits.append((_group_code(rule.level, r), str(r["records"])))
        elif rule.condition == "due_within":
            within = int(rule.threshold)
            header, rows = measures.due(con, as_of, PROVINCE, within=within)
            cmd = replay.due(db_path, as_of, PROVINCE, within=within)
            counts: dict[str, int] = {}  # the due list holds only obligations still missing records
            for r in (dict(zip(header, row)) for row in rows):
                code = _group_code(rule.level, r)
                counts[code] = counts.get(code, 0) + 1
            hits = [(c, str(n)) for c, n in sorted(counts.items())]
        else:  # open_past_limit
            res = con.execute(
                db.sql("alerts/complaints_past_limit"),
                {"level": rule.level, "date_from": year_from, "date_to": year_to, "as_of": as_of},
            ).fetchall()
            cmd = replay.report("complaints", rule.level, db_path, year_from, year_to, as_of, PROVINCE)
            hits = [((k2 if rule.level == "district" else k1), str(n)) for k1, k2, n in res if n >= rule.threshold]
        for code, value in hits:
            city, district, name = places.get((rule.level, code), (None, None, code))
            key = f"{rule.rule}|{rule.level}:{code}|{label}"
            out.append(
                Alert(
                    key,
                    rule.rule,
                    rule.measure,
                    rule.level,
                    rule.condition,
                    code,
                    name or code,
                    city,
                    district,
                    label,
                    str(as_of),
                    value,
                    str(rule.threshold),
                    rule.note,
                    list(rule.recipients),
                    cmd,
                )
            )
    return out


# ---------------------------------------------------------------- recipients and messages
def holds(user_scope: Scope, alert: Alert) -> bool:
    """Whether a reader's scope holds the alert's group (SPEC §7): a city reader its city's groups, a district
    reader its district's (a city-level group is wider than a district)."""
    if user_scope.city_code is None:
        return True
    if alert.city_code != user_scope.city_code:
        return False
    if user_scope.district_code is None:
        return True
    return alert.level != "city" and alert.district_code == user_scope.district_code


def recipients(alert: Alert, users: list[auth.User]) -> list[auth.User]:
    """The enabled users an alert goes to: those named, and with @scope every one whose scope holds the group."""
    named = set(alert.recipients) - {SCOPE_WORD}
    scoped = SCOPE_WORD in alert.recipients
    return [
        u
        for u in users
        if not auth.disabled(u.username) and (u.username in named or (scoped and holds(u.scope, alert)))
    ]


def message(alert: Alert, sender: str, to: list[str], lang: str = "zh") -> email.message.EmailMessage:
    m = email.message.EmailMessage()
    m["Subject"] = i18n.t(
        "alert_subject", lang, note=alert.note or alert.rule, group=alert.group_name, period=alert.period
    )
    m["From"] = sender
    m["To"] = ", ".join(to) if to else "undisclosed-recipients:;"
    m["Date"] = email.utils.formatdate(localtime=True)
    m["Message-ID"] = email.utils.make_msgid(domain="supervision.local")
    m["X-Supervision-Alert"] = alert.key
    m.set_content(
        i18n.t(
            "alert_body",
            lang,
            note=alert.note or alert.rule,
            group=f"{alert.group_name} ({alert.group})",
            value=alert.value,
            threshold=alert.threshold,
            condition=alert.condition,
            as_of=alert.as_of,
            period=alert.period,
            rule=alert.rule,
            command=alert.command,
        )
    )
    return m


# ---------------------------------------------------------------- state, outbox and delivery
def _state_path(base: Path) -> Path:
    return base / "state.json"


def read_state(base: Path) -> dict[str, dict]:
    p = _state_path(base)
    if not p.exists():
        return {}
    with open(p, encoding="utf-8") as f:
        return json.load(f)


def _write_state(base: Path, state: dict[str, dict]) -> None:
    tmp = _state_path(base).with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(state, f, ensure_ascii=False, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, _state_path(base))


def _file_name(key: str) -> str:
    return re.sub(r"[^\w.-]+", "_", key) + ".eml"


@dataclasses.dataclass
class SMTPConfig:
    host: str
    port: int
    starttls: bool
    sender: str
    username: str | None
    password: str | None


def load_config(path: Path) -> SMTPConfig | None:
    """alerts.toml's [smtp], or None when there is no such file (alerts then only reach the outbox)."""
    if not path.exists():
        return None
    try:
        with open(path, "rb") as f:
            conf = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise AlertConfigError(f"{path}: {e}") from None
    smtp = conf.get("smtp")
    if not isinstance(smtp, dict) or not smtp.get("host") or not smtp.get("sender"):
        raise AlertConfigError(f"{path}: an [smtp] table with at least host and sender is needed")
    if "password" in smtp:
        raise AlertConfigError(
            f"{path}: no password in the configuration file: set SUPERVISION_SMTP_PASSWORD or Streamlit's secrets"
        )
    try:
        port = int(smtp.get("port", 587))
    except (TypeError, ValueError):
        raise AlertConfigError(f"{path}: port {smtp.get('port')!r} is not a number") from None
    return SMTPConfig(
        str(smtp["host"]),
        port,
        bool(smtp.get("starttls", True)),
        str(smtp["sender"]),
        smtp.get("username"),
        _password(),
    )


def _password() -> str | None:
    """$SUPERVISION_SMTP_PASSWORD, else [smtp] password in Streamlit's secrets file (never the repository)."""
    env = os.environ.get("SUPERVISION_SMTP_PASSWORD")
    if env:
        return env
    for p in (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml"):
        try:
            with open(p, "rb") as f:
                value = tomllib.load(f).get("smtp", {}).get("password")
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if value:
            return str(value)
    return None


def _send(conf: SMTPConfig, m: email.message.EmailMessage, to: list[str]) -> None:
    with smtplib.SMTP(conf.host, conf.port, timeout=20) as s:
        if conf.starttls:
            s.starttls()
        if conf.username:
            s.login(conf.username, conf.password or "")
        s.send_message(m, from_addr=conf.sender, to_addrs=to)


@dataclasses.dataclass
class RunReport:
    new: int = 0
    sent: int = 0
    failed: int = 0
    unsent: int = 0  # kept in the outbox: no SMTP configured or no address
    errors: list[str] = dataclasses.field(default_factory=list)


def run(
    db_path: str,
    rules_file: str | os.PathLike | None = None,
    as_of: dt.date | None = None,
    username: str | None = None,
) -> RunReport:
    """Evaluate the rules on the live database, keep every new alert (state + outbox), and deliver every alert
    not yet sent: the new ones and those that failed before. Raises AlertRulesError / AlertConfigError."""
    users = auth.list_users()
    rules = load_rules(rules_file or rules_path(db_path), {u.username for u in users})
    conf = load_config(config_path(db_path))
    base = home(db_path)
    (base / "outbox").mkdir(parents=True, exist_ok=True)
    con = store.open_reader(db_path)
    try:
        found = evaluate(con, rules, as_of, db_path)
    finally:
        con.close()
    rep = RunReport()
    with db.file_lock(base / ".lock"):  # one alerts run at a time (a cron run, an import)
        state = read_state(base)
        now = dt.datetime.now().isoformat(timespec="seconds")
        for a in found:
            if a.key in state:
                continue  # once per (rule, group, period)
            a.created_at = now
            state[a.key] = dataclasses.asdict(a)
            rep.new += 1
            auditlog.log(username, "alert", {k: state[a.key][k] for k in ("key", "group", "value", "as_of")})
        _write_state(base, state)
        dirty = False
        for key, rec in state.items():
            if rec["status"] == "sent":
                continue
            before = (rec["status"], rec.get("last_error"), rec.get("addresses"))
            alert = Alert(**rec)
            addresses = sorted({auth.email_of(u.username) for u in recipients(alert, users)} - {None})
            sender = conf.sender if conf else "supervision@localhost"
            rec["addresses"] = addresses
            outbox = base / "outbox" / _file_name(key)
            m = None  # composed only when written or sent (≈1 ms each: Python's e-mail header registry)
            if not outbox.exists() or before[2] != addresses:
                m = message(alert, sender, addresses)
                outbox.write_bytes(bytes(m))
            tried = False
            if conf is None or not addresses:
                rec["status"] = "unsent"
                rec["last_error"] = "no SMTP server configured" if conf is None else "no recipient has an address"
                rep.unsent += 1
            else:
                tried = True
                rec["attempts"] = int(rec.get("attempts", 0)) + 1
                try:
                    _send(conf, m or message(alert, sender, addresses), addresses)
                except (OSError, smtplib.SMTPException) as e:
                    rec["status"], rec["last_error"] = "failed", f"{type(e).__name__}: {e}"
                    rep.failed += 1
                    rep.errors.append(f"{key}: {rec['last_error']}")
                else:
                    rec["status"], rec["last_error"] = "sent", ""
                    rec["sent_at"] = dt.datetime.now().isoformat(timespec="seconds")
                    rep.sent += 1
            if tried or before != (rec["status"], rec["last_error"], rec["addresses"]):  # not every idle run
                auditlog.log(
                    username,
                    "alert_delivery",
                    {"key": key, "status": rec["status"], "to": addresses, "error": rec["last_error"]},
                )
                dirty = True
            if tried:
                _write_state(base, state)  # after each message sent: a crash never forgets a sent one
                dirty = False
        if dirty:
            _write_state(base, state)
    return rep


def listing(db_path: str, scope: Scope) -> list[dict]:
    """Every kept alert whose group the reader's scope holds, newest first (the dashboard's list)."""
    state = read_state(home(db_path))
    shown = [rec for rec in state.values() if holds(scope, Alert(**rec))]
    return sorted(shown, key=lambda r: (r["created_at"], r["key"]), reverse=True)
