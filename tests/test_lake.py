"""The Parquet export (SPEC §11, supervision/lake.py): every validated table leaves the database whole and
unchanged, in a layout a data lake takes, with a manifest that proves it; a folder that is not an export, or
an export missing a table, is refused with a message that says so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import support

from supervision import db, lake, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[str, Path]:
    """The conformance export imported, then exported to Parquet: (database path, export folder)."""
    base = tmp_path_factory.mktemp("lake")
    path = support.imported_db(base / "ex.duckdb", support.EXPORT, clean=False)
    out = base / "parquet"
    lake.export_database(path, str(out))
    return path, out


def _read(folder: Path, table: str, manifest: dict, con) -> list[tuple]:
    cols = ", ".join(f'"{c}"' for c in manifest["tables"][table]["columns"])
    hive = "true" if manifest["tables"][table]["partition_by"] else "false"
    return con.execute(
        f"select {cols} from read_parquet($g, hive_partitioning = {hive}) order by all",
        {"g": lake.parquet_glob(str(folder), table, manifest)},
    ).fetchall()


def test_every_table_reads_back_row_for_row(exported):
    path, out = exported
    manifest = lake.read_manifest(str(out))
    assert set(manifest["tables"]) == set(lake.TABLE_NAMES)
    src = db.connect(path, read_only=True)
    mem = duckdb.connect()
    try:
        for table in lake.TABLE_NAMES:
            cols = ", ".join(f'"{c}"' for c in manifest["tables"][table]["columns"])
            where = " where version = (select max(version) from standards_versions)" if "standards" in table else ""
            want = src.execute(f"select {cols} from {table}{where} order by all").fetchall()
            got = _read(out, table, manifest, mem)
            assert got == want, table
            assert manifest["tables"][table]["rows"] == len(want), table
    finally:
        src.close()
        mem.close()
    # the rows are not empty where the conformance export has data: the comparison above compared something
    assert manifest["tables"]["service_logs"]["rows"] > 0 and manifest["tables"]["complaints"]["rows"] > 0


def test_types_survive_as_a_lake_expects(exported):
    """Dates stay dates, times stay timestamps, ids stay text: a data lake reads the schema, not a guess."""
    _, out = exported
    first = lambda t: sorted((out / t).rglob("*.parquet"))[0]  # noqa: E731
    logs = pq.read_schema(first("service_logs"))
    assert str(logs.field("service_time").type).startswith("timestamp[us")
    assert str(logs.field("customer_id").type) in ("string", "large_string")
    assert "year" not in logs.names and "month" not in logs.names  # partition columns live in the path only
    assert str(pq.read_schema(first("customers")).field("onboard_date").type) == "date32[day]"
    assert str(pq.read_schema(first("members")).field("birthday").type) == "date32[day]"
    assert str(pq.read_schema(first("tiers")).field("upgrade_industries").type).startswith("list<")


def test_service_logs_are_partitioned_by_year_and_month_of_service_time(exported):
    path, out = exported
    src = db.connect(path, read_only=True)
    try:
        want = {
            (y, m): n
            for y, m, n in src.execute(
                "select year(service_time), month(service_time), count(*) from service_logs group by all"
            ).fetchall()
        }
    finally:
        src.close()
    got = {}
    for f in (out / "service_logs").rglob("*.parquet"):
        y, m = f.parent.parent.name, f.parent.name
        assert y.startswith("year=") and m.startswith("month="), f
        key = (int(y[5:]), int(m[6:]))
        got[key] = got.get(key, 0) + pq.read_metadata(f).num_rows
    assert got == want and len(want) > 1


def test_only_the_standards_in_force_are_exported(tmp_path):
    path = support.imported_db(tmp_path / "s.duckdb", support.EXPORT, clean=False)
    newer = tmp_path / "standards.csv"
    rows = [r.replace("A,visit,1,1,", "A,visit,2,1,") for r in support.DEFAULT_STANDARDS_ROWS]
    newer.write_text(support.standards_text(*rows, defaults=False), encoding="utf-8")
    version, loaded = store.load_standards(path, str(newer))
    assert loaded and version > 1  # the conformance export brings a standards file of its own: there are several
    manifest = lake.export_database(path, str(tmp_path / "pq"))
    mem = duckdb.connect()
    rows = _read(tmp_path / "pq", "standards", manifest, mem)
    versions = _read(tmp_path / "pq", "standards_versions", manifest, mem)
    assert {r[0] for r in rows} == {version} and len(rows) == manifest["tables"]["standards"]["rows"]
    assert [v[0] for v in versions] == [version] and manifest["standards_version"] == version
    src = db.connect(path, read_only=True)
    assert len(rows) == src.execute("select count(*) from standards where version = $v", {"v": version}).fetchone()[0]
    assert src.execute("select count(*) from standards where version < $v", {"v": version}).fetchone()[0] > 0
    src.close()


def test_verify_finds_a_lost_file_and_a_changed_value(exported, tmp_path):
    _, out = exported
    assert all(ok for *_, ok in lake.verify(str(out)))
    # one month of logs lost in a copy
    lost = tmp_path / "lost"
    shutil.copytree(out, lost)
    victim = sorted((lost / "service_logs").rglob("*.parquet"))[0]
    n = pq.read_metadata(victim).num_rows
    victim.unlink()
    result = {t: (want, got, ok) for t, want, got, ok in lake.verify(str(lost))}
    want, got, ok = result["service_logs"]
    assert got == want - n and n > 0 and not ok
    assert all(ok for t, (_, _, ok) in result.items() if t != "service_logs")
    # one value changed, same number of rows: the checksum differs
    changed = tmp_path / "changed"
    shutil.copytree(out, changed)
    f = changed / "customers" / "part-0.parquet"
    table = pq.read_table(f)
    tiers = table.column("tier").to_pylist()
    tiers[0] = "C" if tiers[0] != "C" else "B"
    table = table.set_column(table.schema.get_field_index("tier"), "tier", [tiers])
    pq.write_table(table, f)
    result = {t: ok for t, want, got, ok in lake.verify(str(changed))}
    assert result["customers"] is False and sum(not ok for ok in result.values()) == 1


def test_a_folder_that_is_not_an_export_is_refused_and_kept(exported, tmp_path):
    path, _ = exported
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(lake.ExportError, match="not empty and is not an earlier export"):
        lake.export_database(path, str(busy))
    assert os.listdir(busy) == ["notes.txt"]
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".partial")]
    with pytest.raises(lake.ExportError, match="no export.json"):
        lake.read_manifest(str(busy))
    with pytest.raises(lake.ExportError, match="no such folder"):
        lake.read_manifest(str(tmp_path / "nowhere"))


def test_an_export_missing_a_table_or_with_a_foreign_manifest_is_refused(exported, tmp_path):
    _, out = exported
    part = tmp_path / "part"
    shutil.copytree(out, part)
    shutil.rmtree(part / "complaints")
    with pytest.raises(lake.ExportError, match="folder of table.s. complaints is missing"):
        lake.read_manifest(str(part))
    listed = tmp_path / "listed"
    shutil.copytree(out, listed)
    manifest = json.loads((listed / "export.json").read_text(encoding="utf-8"))
    del manifest["tables"]["members"]
    (listed / "export.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(lake.ExportError, match="lists no table.s. members"):
        lake.read_manifest(str(listed))
    (listed / "export.json").write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(lake.ExportError, match="not an export manifest of this tool"):
        lake.read_manifest(str(listed))
    (listed / "export.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(lake.ExportError, match="cannot be read as an export manifest"):
        lake.read_manifest(str(listed))


def test_a_failed_export_leaves_the_previous_one_whole(exported, tmp_path, monkeypatch):
    path, out = exported
    target = tmp_path / "target"
    shutil.copytree(out, target)
    before = (target / "export.json").read_text(encoding="utf-8")
    monkeypatch.setattr(lake, "TABLES", (*lake.TABLES[:3], ("broken", "select * from no_such_table", ())))
    with pytest.raises(duckdb.CatalogException):
        lake.export_database(path, str(target))
    assert (target / "export.json").read_text(encoding="utf-8") == before
    assert all(ok for *_, ok in lake.verify(str(target)))
    assert not [p for p in os.listdir(tmp_path) if ".partial" in p]


def test_the_cli_exports_verifies_and_replaces_an_earlier_export(exported, tmp_path):
    path, _ = exported
    out = tmp_path / "cli"
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "supervision", "export", "--db", path, "--parquet", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    first = run()
    assert first.returncode == 0, first.stderr
    lines = {ln.split()[0]: ln.split() for ln in first.stdout.splitlines()[3:]}
    assert set(lines) == set(lake.TABLE_NAMES) and all(ln[-1] == "yes" for ln in lines.values())
    assert lines["service_logs"][2] == "year,month"
    before = json.loads((out / "export.json").read_text(encoding="utf-8"))
    (out / "customers" / "part-0.parquet").unlink()  # an earlier export, damaged: replaced whole, not refused
    second = run()
    assert second.returncode == 0, second.stderr
    after = json.loads((out / "export.json").read_text(encoding="utf-8"))
    assert after["tables"] == before["tables"] and all(ok for *_, ok in lake.verify(str(out)))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("x", encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "supervision", "export", "--db", path, "--parquet", str(tmp_path / "mine")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "is not an earlier export" in refused.stderr


def test_a_folder_with_a_manifest_and_files_of_its_own_is_not_deleted(exported, tmp_path):
    """Only this tool's manifest and table folders make a replaceable export: a user's file beside them, or a
    look-alike export.json, keeps the folder as it is."""
    path, out = exported
    mine = tmp_path / "mine"
    shutil.copytree(out, mine)
    (mine / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(lake.ExportError, match="not an earlier export"):
        lake.export_database(path, str(mine))
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "mine"
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "export.json").write_text("{}", encoding="utf-8")
    with pytest.raises(lake.ExportError, match="not an earlier export"):
        lake.export_database(path, str(fake))
    assert os.listdir(fake) == ["export.json"]


def test_a_database_without_service_logs_exports_and_verifies(tmp_path):
    path = support.imported_db(tmp_path / "e.duckdb", customers=[support.cust("C1", "A")], logs=[])
    manifest = lake.export_database(path, str(tmp_path / "pq"))
    assert manifest["tables"]["service_logs"]["rows"] == 0 and manifest["tables"]["customers"]["rows"] == 1
    assert all(ok for *_, ok in lake.verify(str(tmp_path / "pq")))


def test_a_mismatching_export_is_not_put_in_place(exported, tmp_path, monkeypatch):
    path, out = exported
    target = tmp_path / "target"
    shutil.copytree(out, target)
    before = (target / "export.json").read_text(encoding="utf-8")
    real = lake.verify
    monkeypatch.setattr(lake, "verify", lambda f: [(t, a, b, ok and t != "members") for t, a, b, ok in real(f)])
    with pytest.raises(lake.ExportMismatch, match="members"):
        lake.export_database(path, str(target))
    assert (target / "export.json").read_text(encoding="utf-8") == before
    assert not [p for p in os.listdir(tmp_path) if ".partial" in p]


def test_a_failed_swap_puts_the_previous_export_back(exported, tmp_path, monkeypatch):
    path, out = exported
    target = tmp_path / "target"
    shutil.copytree(out, target)
    before = (target / "export.json").read_text(encoding="utf-8")
    real = os.rename

    def rename(a, b):
        if str(a).endswith(".partial") and str(b) == str(target):
            raise OSError("directory not empty (another export got there first)")
        return real(a, b)

    monkeypatch.setattr(lake.os, "rename", rename)
    with pytest.raises(OSError, match="another export"):
        lake.export_database(path, str(target))
    assert (target / "export.json").read_text(encoding="utf-8") == before
    assert not [p for p in os.listdir(tmp_path) if ".partial" in p]
