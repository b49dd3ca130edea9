"""Alerts (SPEC §9): rules refused whole with line numbers; each alert is a group that `report` / `due` shows past
the rule's threshold; a real SMTP server receives one message per alert, none on a re-run, and the alert kept
while the server was down arrives on the next run; readers see only the alerts their scope holds."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
from pathlib import Path

import pytest
import support
from aiosmtpd.controller import Controller

from supervision import alerts, auth, cli, measures, store
from supervision.scope import PROVINCE, Scope

ROOT = Path(__file__).resolve().parents[1]
HEADER = "rule,measure,level,condition,threshold,every,recipients,note\n"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("alerts") / "sample.duckdb"
    return str(support.imported_db(path, ROOT / "sample_data" / "small", clean=False))


@pytest.fixture
def home(tmp_path, monkeypatch):
    """Users, the audit log, the alerts folder and their configuration in tmp_path."""
    monkeypatch.setenv("SUPERVISION_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("SUPERVISION_AUDIT_LOG", str(tmp_path / "audit_log.jsonl"))
    monkeypatch.setenv("SUPERVISION_ALERTS_DIR", str(tmp_path / "alerts"))
    monkeypatch.setenv("SUPERVISION_ALERTS_CONFIG", str(tmp_path / "alerts.toml"))
    auth._cache["key"] = None
    return tmp_path


def _rules(tmp_path: Path, *rows: str) -> Path:
    p = tmp_path / "rules.csv"
    p.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


def test_the_shipped_rules_are_valid():
    rules = alerts.load_rules(alerts.DEFAULT_RULES)
    assert {r.measure for r in rules} == set(alerts.CONDITIONS)


def test_a_wrong_rules_file_is_refused_whole_with_every_line_named(home):
    auth.add_user("prov", "password-123", "province")
    path = _rules(
        home,
        "ok_rule,compliance,district,rate_below,0.8,month,@scope,",
        "bad_measure,visits,district,rate_below,0.8,month,@scope,",
        "bad_rate,compliance,district,rate_below,85,month,@scope,",
        "bad_condition,overservice,city,rate_below,0.5,week,@scope,",
        "ok_rule,greetings,city,rate_below,0.8,week,prov,",
        "bad_user,due,city,due_within,7,week,prov;nobody,",
        "bad_every,due,city,due_within,7,day,@scope,",
    )
    with pytest.raises(alerts.AlertRulesError) as e:
        alerts.load_rules(path, {u.username for u in auth.list_users()})
    problems = "\n".join(e.value.problems)
    for line, what in (
        (3, "measure 'visits'"),
        (4, "threshold '85'"),
        (5, "condition 'rate_below' for overservice"),
        (6, "rule 'ok_rule' is already defined on line 2"),
        (7, "recipients: unknown user(s) nobody"),
        (8, "every 'day'"),
    ):
        assert f"line {line}: {what}" in problems, problems
    assert not [p for p in e.value.problems if p.startswith("line 2:")]  # the good line is not blamed
    rc = cli.main(["alerts", "check", str(path), "--db", str(home / "x.duckdb")])
    assert rc == 2


def test_an_alert_is_raised_exactly_for_the_groups_report_shows_below_the_threshold(sample_db, home):
    rules = alerts.load_rules(_rules(home, "low,compliance,district,rate_below,0.8,month,@scope,低于80%"))
    con = store.open_reader(sample_db)
    try:
        as_of = measures.as_of_default(con)
        found = alerts.evaluate(con, rules, db_path=sample_db)
        header, rows = measures.report(
            con, "compliance", "district", dt.date(as_of.year, 1, 1), dt.date(as_of.year, 12, 31), as_of, PROVINCE
        )
    finally:
        con.close()
    below = {r[1]: r[5] for r in rows if r[5] != "" and float(r[5]) < 0.8}
    assert below and {a.group: a.value for a in found} == below
    assert all(a.period == f"{as_of.year}-{as_of.month:02d}" for a in found)
    assert all("report compliance" in a.command and "--by district" in a.command for a in found)


def test_a_due_alert_counts_the_due_list_s_obligations_within_n_days(sample_db, home):
    rules = alerts.load_rules(_rules(home, "due7,due,city,due_within,7,week,@scope,"))
    con = store.open_reader(sample_db)
    try:
        found = alerts.evaluate(con, rules, as_of=dt.date(2026, 9, 24), db_path=sample_db)
        header, rows = measures.due(con, dt.date(2026, 9, 24), PROVINCE)
    finally:
        con.close()
    want: dict[str, int] = {}
    for r in (dict(zip(header, row)) for row in rows):
        if r["days_left"] <= 7:
            want[r["city_code"]] = want.get(r["city_code"], 0) + 1
    assert want and {a.group: int(a.value) for a in found} == want
    assert {a.period for a in found} == {"2026-W39"}


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler API
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_smtp_server_gets_each_alert_once_and_the_kept_one_after_an_outage(sample_db, home):
    auth.add_user("prov", "password-123", "province", email="prov@example.cn")
    auth.add_user("li", "password-123", "city", city_code="2101", email="li@example.cn")
    auth.add_user("nomail", "password-123", "city", city_code="2102")
    port = _free_port()
    (home / "alerts.toml").write_text(
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\nsender = "alerts@example.cn"\n',
        encoding="utf-8",
    )
    rules = _rules(home, "low,compliance,city,rate_below,0.9,month,@scope,地市达标率低于90%")
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        rep = alerts.run(sample_db, rules, dt.date(2026, 10, 31))
        assert rep.new == rep.sent == len(inbox.messages) > 0 and rep.failed == 0
        keys = [m["X-Supervision-Alert"] for _, m in inbox.messages]
        assert len(set(keys)) == len(keys)
        for to, m in inbox.messages:
            city = m["X-Supervision-Alert"].split("|")[1].split(":")[1]
            assert ("li@example.cn" in to) == (city == "2101")  # @scope: the city's reader only for its city
            assert "prov@example.cn" in to
            assert "python -m supervision report compliance" in m.get_content()
        # a re-run (or another import) sends nothing again
        again = alerts.run(sample_db, rules, dt.date(2026, 10, 31))
        assert (again.new, again.sent) == (0, 0) and len(inbox.messages) == rep.sent
    finally:
        server.stop()
    # the server is down: the next month's alerts are kept, shown as failed, never dropped
    down = alerts.run(sample_db, rules, dt.date(2026, 11, 20))
    assert down.new > 0 and down.failed == down.new and down.sent == 0
    state = alerts.read_state(home / "alerts")
    failed = {k for k, v in state.items() if v["status"] == "failed"}
    assert len(failed) == down.new and all(v["last_error"] for k, v in state.items() if k in failed)
    assert all((home / "alerts" / "outbox" / alerts._file_name(k)).exists() for k in failed)
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        before = len(inbox.messages)
        back = alerts.run(sample_db, rules, dt.date(2026, 11, 20))
        assert (back.new, back.sent, back.failed) == (0, down.new, 0)
        assert {m["X-Supervision-Alert"] for _, m in inbox.messages[before:]} == failed
    finally:
        server.stop()
    log = (home / "audit_log.jsonl").read_text(encoding="utf-8")
    assert log.count('"action": "alert"') + log.count('"action":"alert"') == rep.new + down.new


def test_a_reader_lists_only_the_alerts_their_scope_holds(sample_db, home):
    alerts.run(sample_db, _rules(home, "low,compliance,district,rate_below,0.9,month,@scope,"), dt.date(2026, 10, 31))
    everything = alerts.listing(sample_db, PROVINCE)
    city = alerts.listing(sample_db, Scope(city_code="2101"))
    district = alerts.listing(sample_db, Scope(city_code="2101", district_code=city[0]["district_code"]))
    assert len(everything) > len(city) > len(district) >= 1
    assert {a["city_code"] for a in city} == {"2101"}
    assert {a["district_code"] for a in district} == {city[0]["district_code"]}


def test_a_password_in_the_configuration_file_is_refused(sample_db, home):
    (home / "alerts.toml").write_text('[smtp]\nhost = "h"\nsender = "a@b.cn"\npassword = "x"\n', encoding="utf-8")
    rc = cli.main(["alerts", "run", "--db", sample_db])
    assert rc == 2


def test_an_import_evaluates_the_alerts(home, capsys):
    db = home / "fresh.duckdb"
    rc = cli.main(["import", str(ROOT / "sample_data" / "small"), "--db", str(db)])
    out = capsys.readouterr().out
    assert rc == 0 and "alerts: " in out and " new" in out
    assert alerts.read_state(home / "alerts")
