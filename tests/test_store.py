"""One writer and many readers (supervision/db.py, store.py): an import or a standards load lands while the
dashboard reads; readers keep the version they have until the new one has landed whole, then see it on their
next query without a restart; a failed write leaves the live file as it was; a file built by older code is
rebuilt before it is read."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
import support
from support import cust, log

from supervision import build, db, importing, store


def customers(con) -> int:
    return con.execute("select count(*) from customers").fetchone()[0]


@pytest.fixture
def live(tmp_path, export_dir) -> str:
    """A live database file with one import (two customers) done through the writer."""
    path = str(tmp_path / "live.duckdb")
    store.import_folder(path, str(export_dir(customers=[cust("C1", "A", "M1"), cust("C2", "B", "M3")])))
    return path


def test_a_reader_keeps_its_version_until_the_new_one_lands_whole(live, export_dir):
    reader = db.Reader(live)
    cur = reader.cursor()
    assert customers(cur) == 2
    first = reader.version
    with db.writing(live) as con:
        importing.run_import(con, str(export_dir(customers=[cust("C3", "A", "M2")])), private_copy=True)
        # mid-write: the live file and every reader still hold the old version
        assert customers(reader.cursor()) == 2
        assert customers(db.connect(live, read_only=True)) == 2
    assert customers(cur) == 2  # a query that started on the old version finishes on it
    assert customers(reader.cursor()) == 3  # the next query sees the new one: no restart
    assert reader.version != first


def test_a_failed_write_leaves_the_live_file_as_it_was(live, export_dir):
    before = Path(live).read_bytes()
    with pytest.raises(importing.ImportRefused):
        store.import_folder(live, str(export_dir(files={"service_logs.csv": b"\x00\x00binary"})))
    assert Path(live).read_bytes() == before
    assert not Path(live + ".next").exists()


def test_the_cli_imports_while_another_process_reads(live, export_dir):
    """The dashboard holds the file open read-only in its own process; a nightly `import` still lands."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('select count(*) from customers').fetchone()[0], flush=True); sys.stdin.read()",
            live,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "2"
        folder = export_dir(customers=[cust("C3", "A", "M2")])
        proc = subprocess.run(
            [sys.executable, "-m", "supervision", "import", str(folder), "--db", live],
            cwd=support.ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        std = Path(folder) / "standards.csv"
        std.write_text(support.standards_text("A,visit,2,1,account_manager,,2026-04-01"), encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "supervision", "standards", "load", str(std), "--db", live],
            cwd=support.ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
    finally:
        holder.stdin.close()
        holder.wait(10)
    con = store.open_reader(live)
    assert customers(con) == 3
    assert con.execute("select max(version) from standards_versions").fetchone()[0] == 2


def test_writers_queue_one_behind_the_other(live, export_dir):
    folders = [str(export_dir(customers=[cust(f"Q{i}", "A", "M1")])) for i in range(4)]
    errors = []

    def run(folder):
        try:
            store.import_folder(live, folder)
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run, args=(f,)) for f in folders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    con = store.open_reader(live)
    assert customers(con) == 6
    assert [i for (i,) in con.execute("select import_id from imports order by 1").fetchall()] == [1, 2, 3, 4, 5]


def test_many_threads_read_at_once_through_their_own_cursors(live):
    reader = db.Reader(live)
    results, errors = [], []

    def run():
        try:
            for _ in range(20):
                cur = reader.cursor()
                results.append(customers(cur))
                cur.close()
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == [2] * 160


def test_a_file_built_by_other_code_is_rebuilt_before_it_is_read(live, export_dir):
    with db.writing(live) as con:  # as if written by an older version: stale stamp, a table missing
        db.meta_set(con, "build_stamp", "older")
        con.execute("drop table obligation_counts")
    con = store.open_reader(live)
    assert db.meta_get(con, "build_stamp") == build.STAMP
    assert con.execute("select count(*) from obligation_counts").fetchone()[0] > 0


def test_reports_read_the_materialised_counts(live):
    """A report on the stored years never recounts obligations: the counts table answers it."""
    con = store.open_reader(live)
    total = con.execute("select sum(obligations) from obligation_counts").fetchone()[0]
    assert total == con.execute("select count(*) from obligations").fetchone()[0]


def test_memory_exhaustion_fails_cleanly_and_lands_nothing(tmp_path, export_dir, monkeypatch):
    path = str(tmp_path / "small.duckdb")
    folder = export_dir(
        customers=[cust(f"C{i}", "A", "M1") for i in range(300)],
        logs=[log(f"R{i}", f"C{i % 300}", "visit", "2026-03-05 10:00") for i in range(3000)],
    )
    monkeypatch.setattr(db, "MEMORY_LIMIT", "1MB")
    with pytest.raises(duckdb.OutOfMemoryException):
        store.import_folder(path, str(folder))
    assert not Path(path).exists()


def test_the_cli_says_which_memory_setting_to_raise(tmp_path, export_dir):
    folder = export_dir(
        customers=[cust(f"C{i}", "A", "M1") for i in range(300)],
        logs=[log(f"R{i}", f"C{i % 300}", "visit", "2026-03-05 10:00") for i in range(3000)],
    )
    path = str(tmp_path / "oom.duckdb")
    proc = subprocess.run(
        [sys.executable, "-m", "supervision", "import", str(folder), "--db", path],
        cwd=support.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "SUPERVISION_MEMORY_LIMIT": "1MB"},
    )
    assert proc.returncode == 3
    assert "nothing was stored" in proc.stderr and "SUPERVISION_MEMORY_LIMIT" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not Path(path).exists()


def test_a_dry_run_says_what_the_import_would_do_and_stores_nothing(live, export_dir):
    logs = [log("R1", "C9", "visit", "2026-03-05 10:00"), log("R2", "CX", "visit", "2026-03-05")]
    folder = str(export_dir(customers=[cust("C1", "A", "M1"), cust("C9", "B", "M3")], logs=logs))
    before = Path(live).read_bytes()
    dry = store.import_folder(live, folder, dry_run=True)
    assert Path(live).read_bytes() == before and not Path(live + ".next").exists()
    files = {f.file: (f.read, f.accepted, f.updated, f.quarantined, f.duplicates) for f in dry.files}
    assert files["customers.csv"] == (2, 1, 0, 0, 1) and files["service_logs.csv"] == (2, 1, 0, 1, 0)
    assert [(f, n) for f, n, _, _ in dry.quarantine] == [("service_logs.csv", 3)]
    real = store.import_folder(live, folder)
    assert {f.file: (f.read, f.accepted, f.updated, f.quarantined, f.duplicates) for f in real.files} == files
    assert real.import_id == dry.import_id


def test_the_cli_dry_run(live, export_dir):
    folder = export_dir(customers=[cust("C9", "B", "M3")], logs=[log("R2", "CX", "visit", "2026-03-05")])
    proc = subprocess.run(
        [sys.executable, "-m", "supervision", "import", str(folder), "--db", live, "--dry-run"],
        cwd=support.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "nothing was stored" in proc.stdout and "unknown customer CX" in proc.stdout
    assert customers(store.open_reader(live)) == 2
