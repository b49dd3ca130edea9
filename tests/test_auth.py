"""Sign-in, users and the audit log (SPEC §7): hashed passwords only, failures logged and slowed, an
append-only log whose hash chain shows any later edit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from supervision import auditlog, auth

ROOT = Path(__file__).resolve().parent.parent

SECRET = "correct horse battery staple"


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("SUPERVISION_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("SUPERVISION_AUDIT_LOG", str(tmp_path / "audit_log.jsonl"))
    auth._failures.clear()
    auth._cache["key"] = None
    return tmp_path


def test_password_is_stored_only_as_an_argon2_hash(files):
    auth.add_user("li", SECRET, "city", "李", city_code="2101")
    text = (files / "users.json").read_text(encoding="utf-8")
    assert SECRET not in text
    assert json.loads(text)["li"]["password_hash"].startswith("$argon2id$")


def test_sign_in_succeeds_with_the_right_password_and_is_logged(files):
    auth.add_user("li", SECRET, "city", "李", city_code="2101")
    u = auth.sign_in("li", SECRET, sleep=lambda s: None)
    assert (u.username, u.name, u.role, u.city_code, u.district_code) == ("li", "李", "city", "2101", None)
    assert u.scope.city_code == "2101" and u.scope.district_code is None
    last = auditlog.verify().entries[-1]
    assert last["action"] == "sign_in" and last["user"] == "li"


def test_failed_sign_ins_are_logged_slowed_and_never_record_the_password(files):
    auth.add_user("li", SECRET, "city", "李", city_code="2101")
    slept = []
    for _ in range(4):
        assert auth.sign_in("li", "wrong password!", sleep=slept.append) is None
    assert slept == [0.5, 1.0, 2.0, 4.0]  # grows with each consecutive failure
    assert auth.sign_in("nobody", "whatever-123", sleep=slept.append) is None  # unknown users too
    log = auditlog.verify().entries
    fails = [e for e in log if e["action"] == "sign_in_failed"]
    assert [e["detail"]["consecutive_failures"] for e in fails] == [1, 2, 3, 4, 1]
    raw = (files / "audit_log.jsonl").read_text(encoding="utf-8")
    assert "wrong password!" not in raw and SECRET not in raw
    # a success resets the count
    assert auth.sign_in("li", SECRET, sleep=slept.append) is not None
    auth.sign_in("li", "wrong again!!", sleep=slept.append)
    assert slept[-1] == 0.5


def test_roles_need_their_scope(files):
    with pytest.raises(auth.AuthError):
        auth.add_user("c", SECRET, "city")
    with pytest.raises(auth.AuthError):
        auth.add_user("d", SECRET, "district", city_code="2101")
    with pytest.raises(auth.AuthError):
        auth.add_user("x", SECRET, "superuser")
    with pytest.raises(auth.AuthError):
        auth.add_user("short", "short", "province")
    d = auth.add_user("d", SECRET, "district", city_code="2101", district_code="210102")
    assert d.scope.district_code == "210102" and not d.can_write
    assert auth.add_user("a", SECRET, "auditor").scope.city_code is None
    assert not auth.User("a", "a", "auditor").can_write and auth.User("p", "p", "province").can_write


def test_the_audit_log_chain_shows_an_edited_line(files):
    for i in range(4):
        auth.log("u", "view", {"page": f"p{i}"})
    assert auditlog.verify().intact
    path = files / "audit_log.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("p1", "px")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert auditlog.verify().breaks[0][0] == 3  # the line after the edited one no longer points at it


def cli(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "supervision", *args],
        input=stdin,
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
    )


def test_cli_adds_a_user_from_stdin_without_echoing_the_password(files, examples_db):
    out = cli(
        "users",
        "add",
        "wang",
        "--role",
        "district",
        "--city",
        "2102",
        "--district",
        "210203",
        "--password-stdin",
        "--db",
        examples_db,
        stdin=SECRET + "\n",
    )
    assert out.returncode == 0, out.stderr
    assert "wang" in out.stdout and SECRET not in out.stdout + out.stderr
    assert "210203 西岗区" in out.stdout  # names beside the codes
    assert auth.sign_in("wang", SECRET, sleep=lambda s: None).scope.district_code == "210203"


@pytest.mark.parametrize(
    "args,why",
    [
        (["--role", "city", "--city", "9999"], "unknown city 9999"),
        (["--role", "district", "--city", "2101", "--district", "210203"], "belongs to city 2102"),
        (["--role", "district", "--city", "2102", "--district", "219999"], "unknown district"),
    ],
)
def test_cli_refuses_unknown_codes_and_a_district_of_another_city(files, examples_db, args, why):
    out = cli("users", "add", "x", *args, "--password-stdin", "--db", examples_db, stdin=SECRET + "\n")
    assert out.returncode == 2 and why in out.stderr
    assert not auth.has_users()


def test_cli_removes_disables_and_changes_passwords_and_sessions_end(files, examples_db):
    assert (
        cli(
            "users",
            "add",
            "li",
            "--role",
            "city",
            "--city",
            "2101",
            "--password-stdin",
            "--db",
            examples_db,
            stdin=SECRET + "\n",
        ).returncode
        == 0
    )
    u = auth.sign_in("li", SECRET, sleep=lambda s: None)
    token = auth.issue_session(u)
    assert auth.current(u) == u and auth.resume_session(token) == u
    assert (
        cli("users", "passwd", "li", "--password-stdin", "--db", examples_db, stdin="another secret 1\n").returncode
        == 0
    )
    assert auth.current(u) is None and auth.resume_session(token) is None  # the open tab and the cookie end
    assert auth.sign_in("li", SECRET, sleep=lambda s: None) is None
    u = auth.sign_in("li", "another secret 1", sleep=lambda s: None)
    assert cli("users", "disable", "li", "--db", examples_db).returncode == 0
    assert auth.current(u) is None and auth.sign_in("li", "another secret 1", sleep=lambda s: None) is None
    assert cli("users", "enable", "li", "--db", examples_db).returncode == 0
    u = auth.sign_in("li", "another secret 1", sleep=lambda s: None)
    token = auth.issue_session(u)
    assert cli("users", "remove", "li", "--db", examples_db).returncode == 0
    assert auth.current(u) is None and auth.resume_session(token) is None
    listing = cli("users", "list", "--db", examples_db).stdout
    assert "li" not in listing.split()
    actions = [e["action"] for e in auditlog.verify().entries]
    assert {"user_passwd", "user_disable", "user_enable", "user_remove"} <= set(actions)


def test_a_scope_change_or_delete_and_re_add_ends_the_old_sessions(files):
    u = auth.add_user("li", SECRET, "city", "李", city_code="2101")
    token = auth.issue_session(u)
    moved = auth.add_user("li", SECRET, "city", "李", city_code="2102", replace=True)
    assert auth.current(u) is None and auth.resume_session(token) is None and auth.current(moved) == moved
    token = auth.issue_session(moved)
    auth.remove_user("li")
    again = auth.add_user("li", SECRET, "city", "李", city_code="2102")
    assert auth.resume_session(token) is None and auth.current(moved) is None and auth.current(again) == again


def test_parallel_tabs_cannot_get_around_the_failures(files):
    """Failures are counted in a file, across sessions and server threads: after five, even the right password is
    refused for LOCK_MINUTES, and the lock is logged."""
    auth.add_user("li", SECRET, "city", "李", city_code="2101")
    import threading

    threads = [
        threading.Thread(
            target=auth.sign_in,
            args=("li", f"wrong-{i}-password"),
            kwargs={"client": f"10.0.0.{i}", "sleep": lambda s: None},
        )
        for i in range(6)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert auth.locked("li") == "user"
    assert auth.sign_in("li", SECRET, sleep=lambda s: None) is None
    actions = [e["action"] for e in auditlog.verify().entries]
    assert "account_locked" in actions and actions[-1] == "sign_in_refused"
    import time as time_

    assert auth.locked("li", now=time_.time() + auth.LOCK_MINUTES * 60 + 1) is None  # the lock ends


def test_one_client_trying_many_users_is_locked(files):
    for i in range(auth.LOCK_AFTER_CLIENT):
        auth.sign_in(f"guess{i}", "whatever-1234", client="203.0.113.9", sleep=lambda s: None)
    auth.add_user("li", SECRET, "city", "李", city_code="2101")
    assert auth.sign_in("li", SECRET, client="203.0.113.9", sleep=lambda s: None) is None
    assert auth.sign_in("li", SECRET, client="198.51.100.1", sleep=lambda s: None) is not None


def test_a_session_token_resumes_until_it_expires_or_ends(files):
    import datetime as dt

    u = auth.add_user("li", SECRET, "city", "李", city_code="2101")
    now = dt.datetime(2026, 11, 25, 9, 0)
    token = auth.issue_session(u, now=now)
    assert token not in (files / "sessions.json").read_text()  # stored as a hash only
    assert auth.resume_session(token, now=now + dt.timedelta(hours=11)) == u
    assert auth.resume_session(token, now=now + dt.timedelta(hours=12)) is None  # expired
    assert auth.resume_session("forged-token", now=now) is None
    other = auth.issue_session(u, now=now)
    auth.end_session(other)
    assert auth.resume_session(other, now=now) is None  # signed out
