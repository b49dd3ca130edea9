"""An audit trail that is what it claims (hardening issue): one writer at a time across processes, entries of
bounded size, anchors kept in the database that expose a cut, an edit of the last line or a recomputed chain,
a `verify` command, and a page that reports every break without crashing."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervision import auditlog, auth, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log_file(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SUPERVISION_AUDIT_LOG", str(tmp_path / "audit_log.jsonl"))
    monkeypatch.setenv("SUPERVISION_USERS", str(tmp_path / "users.json"))
    return tmp_path / "audit_log.jsonl"


def test_a_huge_username_neither_breaks_the_chain_nor_bloats_the_log(log_file):
    auditlog.log("a", "view")
    auditlog.log("x" * 70_000, "sign_in_failed", {"note": "y" * 100_000})
    auditlog.log("b", "view")
    check = auditlog.verify()
    assert check.intact and check.lines == 3
    assert max(len(line) for line in log_file.read_bytes().splitlines()) <= auditlog.MAX_LINE


def test_writers_in_several_processes_never_fork_the_chain(log_file):
    code = (
        "import sys; from supervision import auditlog\nfor i in range(40): auditlog.log(sys.argv[1], 'view', {'i': i})"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, f"w{n}"], cwd=ROOT, env={**os.environ}) for n in range(4)]
    for _ in range(40):
        auditlog.log("main", "view")
    for p in procs:
        assert p.wait(60) == 0
    check = auditlog.verify()
    assert check.intact, check.breaks[:3]
    assert check.lines == 200


def rewrite(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_an_anchor_exposes_an_edit_of_the_last_line_a_cut_and_a_recomputed_chain(log_file):
    for i in range(5):
        auditlog.log("u", "export", {"rows": i})
    anchor = auditlog.state()
    assert anchor[0] == 5 and auditlog.verify([anchor]).intact
    original = log_file.read_bytes().splitlines()

    # the last line edited: the chain alone cannot see it (no line follows it); the anchor does
    edited = [*original[:-1], original[-1].replace(b'"rows": 4', b'"rows": 0')]
    rewrite(log_file, edited)
    assert auditlog.verify().intact
    assert not auditlog.verify([anchor]).intact

    # the last two lines cut
    rewrite(log_file, original[:-2])
    assert auditlog.verify().intact
    assert any("cut" in why for _, why in auditlog.verify([anchor]).breaks)

    # an early line edited and every hash after it recomputed: the chain is consistent again, the anchor is not
    entries = [json.loads(x) for x in original]
    entries[1]["detail"]["rows"] = 99
    prev, lines = auditlog.GENESIS, []
    for e in entries:
        e["prev"] = prev
        line = json.dumps(e, ensure_ascii=False, sort_keys=True).encode()
        lines.append(line)
        prev = hashlib.sha256(line).hexdigest()
    rewrite(log_file, lines)
    assert auditlog.verify().intact
    assert not auditlog.verify([anchor]).intact


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.one_of(st.just(b""), st.just(b"not json"), st.binary(max_size=40).filter(lambda b: b"\n" not in b)),
        max_size=12,
    ),
    last=st.integers(0, 3 * auditlog.MAX_LINE),
    ending=st.sampled_from([b"", b"\n", b"\n\n\n"]),
)
def test_the_anchored_state_is_what_a_full_verification_finds(tmp_path_factory, lines, last, ending):
    """`state()` counts line breaks and reads the last line only (an import anchors the log, which only grows);
    it gives the line count and last hash that reading and checking every line gives, whatever the log holds:
    empty lines, lines that are not entries, no final break, a last line longer than any entry."""
    p = tmp_path_factory.mktemp("log") / "audit_log.jsonl"
    body = b"\n".join([*lines, b"x" * last] if last else lines)
    p.write_bytes(body + ending if body else ending)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SUPERVISION_AUDIT_LOG", str(p))
        check = auditlog.verify()
        assert auditlog.state() == (check.lines, check.last_hash)


def test_an_invalid_line_is_reported_not_a_crash(log_file):
    auditlog.log("u", "view")
    with open(log_file, "ab") as fh:
        fh.write(b"{not json at all\n")
    auditlog.log("u", "view")
    check = auditlog.verify()
    assert [n for n, _ in check.breaks] == [2]
    assert len(check.entries) == 2


def test_imports_anchor_the_log_and_the_cli_verifies_it(log_file, tmp_path, export_dir):
    from support import cust

    db_path = str(tmp_path / "a.duckdb")
    auditlog.log("u", "view")
    store.import_folder(db_path, str(export_dir(customers=[cust("C1", "A", "M1")])))
    assert store.audit_anchors(db_path) == [(1, auditlog.state()[1])]
    ok = subprocess.run(
        [sys.executable, "-m", "supervision", "audit", "verify", "--db", db_path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert ok.returncode == 0 and "intact" in ok.stdout
    log_file.write_bytes(b"")  # the whole log removed: the anchor knows it had a line
    bad = subprocess.run(
        [sys.executable, "-m", "supervision", "audit", "verify", "--db", db_path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert bad.returncode == 1 and "cut" in bad.stderr


def test_cli_imports_and_standards_loads_are_logged_with_the_os_user(log_file, tmp_path, export_dir):
    from support import cust, standards_text

    folder = export_dir(customers=[cust("C1", "A", "M1")])
    db_path = str(tmp_path / "b.duckdb")
    subprocess.run(
        [sys.executable, "-m", "supervision", "import", str(folder), "--db", db_path, "--user", "anyone"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ},
    )
    std = Path(folder) / "standards.csv"
    std.write_text(standards_text("A,visit,2,1,account_manager,,2026-04-01"), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "supervision", "standards", "load", str(std), "--db", db_path],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={**os.environ},
    )
    entries = {e["action"]: e for e in auditlog.verify().entries}
    assert entries["import"]["user"] == "anyone" and entries["import"]["detail"]["os_user"]
    assert entries["standards_load"]["detail"]["os_user"] and entries["standards_load"]["detail"]["version"] == 2


def test_the_audit_log_page_reports_a_break_without_crashing(dashboard, log_file):
    auditlog.log("u", "view")
    with open(log_file, "ab") as fh:
        fh.write(b"garbage\n")
    at = dashboard(auth.User("prov", "省", "province"), "audit_log")
    assert not at.exception
    assert at.error and "1" in at.error[0].value
