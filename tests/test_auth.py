"""Sign-in, users and the audit log (SPEC §7): hashed passwords only, failures logged and slowed, an
append-only log whose hash chain shows any later edit."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from supervision import auth

SECRET = "correct horse battery staple"


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv("SUPERVISION_USERS", str(tmp_path / "users.json"))
    monkeypatch.setenv("SUPERVISION_AUDIT_LOG", str(tmp_path / "audit_log.jsonl"))
    auth._failures.clear()
    return tmp_path


def test_password_is_stored_only_as_an_argon2_hash(files):
    auth.add_user("li", SECRET, "city", "李", city_code="2101")
    text = (files / "users.json").read_text(encoding="utf-8")
    assert SECRET not in text
    assert json.loads(text)["li"]["password_hash"].startswith("$argon2id$")


def test_sign_in_succeeds_with_the_right_password_and_is_logged(files):
    auth.add_user("li", SECRET, "city", "李", city_code="2101")
    u = auth.sign_in("li", SECRET, sleep=lambda s: None)
    assert u == auth.User("li", "李", "city", "2101", None)
    assert u.scope.city_code == "2101" and u.scope.district_code is None
    last = auth.read_log()[-1]
    assert last["action"] == "sign_in" and last["user"] == "li"


def test_failed_sign_ins_are_logged_slowed_and_never_record_the_password(files):
    auth.add_user("li", SECRET, "city", "李", city_code="2101")
    slept = []
    for _ in range(5):
        assert auth.sign_in("li", "wrong password!", sleep=slept.append) is None
    assert slept == [0.5, 1.0, 2.0, 4.0, 8.0]  # grows with each consecutive failure
    assert auth.sign_in("nobody", "whatever-123", sleep=slept.append) is None  # unknown users too
    log = auth.read_log()
    fails = [e for e in log if e["action"] == "sign_in_failed"]
    assert [e["detail"]["consecutive_failures"] for e in fails] == [1, 2, 3, 4, 5, 1]
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
    assert auth.verify_chain() is None
    path = files / "audit_log.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("p1", "px")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert auth.verify_chain() == 3  # the line after the edited one no longer points at it


def test_cli_adds_a_user_from_stdin_without_echoing_the_password(files, tmp_path):
    root = __import__("pathlib").Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-m", "supervision", "users", "add", "wang", "--role", "district", "--city", "2102",
         "--district", "210203", "--password-stdin", "--db", str(tmp_path / "x.duckdb")],
        input=SECRET + "\n", cwd=root, capture_output=True, text=True, check=True,
        env={**__import__("os").environ})
    assert "wang" in out.stdout and SECRET not in out.stdout + out.stderr
    assert auth.sign_in("wang", SECRET, sleep=lambda s: None).scope.district_code == "210203"


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
