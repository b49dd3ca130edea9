"""The database's validated tables as a Parquet export a data lake can take (SPEC §11): the input of the same
measures on Apache Spark.

    python -m supervision export --db PATH --parquet DIR

Layout of DIR (one folder per table, as Hive, Spark and DuckDB read a table):

    DIR/export.json                          the manifest: what was exported, from which version, rows, checksums
    DIR/org_units/part-0.parquet             ... one folder per table
    DIR/service_logs/year=2026/month=3/...   service logs partitioned by the year and month of service_time

What is exported is what the measures are built from, nothing else: the tables of the export contract (SPEC §4 and §12)
as the importer stored them (codes, typed dates; `import_id` and `line` kept so that a number can still be
traced to its line), the standards version in force with its row of `standards_versions`, and the
configuration (tiers, complaint levels, settings, vocabularies). Not exported: the import accounting, the
quarantine (raw text of rejected lines), the audit anchors and the materialised tables — the engine that reads
the export builds its own.

An export is written into a folder beside DIR, read back and compared, and only then renamed into place whole: a
failed, interrupted or mismatching export leaves the previous one (or nothing). DIR must be empty, absent, or an
earlier export holding nothing but this tool's manifest and table folders (which is replaced).

The manifest's checksum of a table is its row count and the sum of DuckDB's 64-bit hash of every row: the same
rows in any order and any file layout give the same checksum, so `verify` proves the files hold exactly the
rows the database held.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid

import duckdb

from supervision import db, store

FORMAT = "supervision-parquet-export"
FORMAT_VERSION = 1
MANIFEST = "export.json"

# (table, the query that selects its rows, partition columns). The standards are the version in force only.
TABLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("org_units", "select * from org_units", ()),
    ("managers", "select * from managers", ()),
    ("customers", "select * from customers", ()),
    ("tier_history", "select * from tier_history", ()),
    ("members", "select * from members", ()),
    (
        "service_logs",
        "select *, year(service_time)::integer as year, month(service_time)::integer as month from service_logs",
        ("year", "month"),
    ),
    ("complaints", "select * from complaints", ()),
    # SPEC §12 (empty tables when the files were never imported)
    ("work_orders", "select * from work_orders", ()),
    ("return_visits", "select * from return_visits", ()),
    ("inspections", "select * from inspections", ()),
    ("standards", "select * from standards where version = (select max(version) from standards_versions)", ()),
    (
        "standards_versions",
        "select * from standards_versions where version = (select max(version) from standards_versions)",
        (),
    ),
    ("tiers", "select * from tiers", ()),
    ("complaint_levels", "select * from complaint_levels", ()),
    ("settings", "select * from settings", ()),
    ("vocab", "select * from vocab", ()),
)
TABLE_NAMES = tuple(t for t, _, _ in TABLES)


class ExportError(RuntimeError):
    """The export cannot be written, or a folder is not a (complete) export; the message says which and why."""


def _checksum_sql(source: str, columns: list[str]) -> str:
    cols = ", ".join(f'"{c}"' for c in columns)
    return f"select count(*), coalesce(sum(hash({cols})::hugeint), 0)::varchar from ({source})"


class ExportMismatch(ExportError):
    """The files written read back different from the database: the export was not put in place."""


def _replaceable(folder: str) -> bool:
    """An earlier export, and nothing else: this tool's manifest and table folders only (a folder where a user or
    another job has put files of their own is never deleted)."""
    try:
        with open(os.path.join(folder, MANIFEST), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return False
    return (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and set(os.listdir(folder)) <= {MANIFEST, *TABLE_NAMES}
    )


def export(con: duckdb.DuckDBPyConnection, out_dir: str, source_db: str = "", check: bool = True) -> dict:
    """Write every table of TABLES from `con` (a read-only connection to one version of the database) as Parquet
    into `out_dir`, with the manifest. With `check`, every table is read back and compared before the export is
    put in place (ExportMismatch otherwise: the previous export stays). Returns the manifest."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    out_dir = os.path.abspath(out_dir)
    if os.path.exists(out_dir):
        if not os.path.isdir(out_dir):
            raise ExportError(f"{out_dir} is a file, not a folder")
        if os.listdir(out_dir) and not _replaceable(out_dir):
            raise ExportError(
                f"{out_dir} is not empty and is not an earlier export (an {MANIFEST} of this tool and the table "
                "folders, nothing else): it is not replaced. Name an empty or new folder."
            )
    parent = os.path.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    work = os.path.join(parent, f".{os.path.basename(out_dir)}.{uuid.uuid4().hex[:8]}.partial")
    os.makedirs(work)
    try:
        tables = {}
        for name, query, partition in TABLES:
            cur = con.cursor()  # a cursor per table: its streamed result is closed with it
            rel = cur.sql(query)
            data_columns = [c for c in rel.columns if c not in partition]
            reader = rel.to_arrow_reader(500_000)  # streamed: a province's 10M logs never sit in memory whole
            folder = os.path.join(work, name)
            if partition:
                ds.write_dataset(
                    reader,
                    folder,
                    format="parquet",
                    partitioning=list(partition),
                    partitioning_flavor="hive",
                    basename_template="part-{i}.parquet",
                    max_rows_per_group=500_000,
                    existing_data_behavior="error",
                )
                if not os.path.exists(folder):  # no rows: the folder still says the table is there, empty
                    os.makedirs(folder)
                    pq.write_table(reader.schema.empty_table().drop_columns(list(partition)), f"{folder}/empty.parquet")
            else:
                os.makedirs(folder)
                with pq.ParquetWriter(os.path.join(folder, "part-0.parquet"), reader.schema) as w:
                    for batch in reader:
                        w.write_batch(batch)
            reader.close()
            cur.close()
            rows, checksum = con.execute(_checksum_sql(query, data_columns)).fetchone()
            tables[name] = {
                "rows": rows,
                "checksum": checksum,
                "columns": data_columns,
                "partition_by": list(partition),
            }
        meta = dict(con.execute("select key, value from meta").fetchall())
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": dt.datetime.now().isoformat(timespec="seconds"),
            "source_database": os.path.abspath(source_db) if source_db else "",
            "data_version": meta.get("data_version"),
            "standards_version": con.execute("select max(version) from standards_versions").fetchone()[0],
            "duckdb_version": duckdb.__version__,
            "checksum": "count(*) and sum(hash(<every column>)::hugeint) in DuckDB, over the table's rows",
            "tables": tables,
        }
        with open(os.path.join(work, MANIFEST), "w", encoding="utf-8") as f:
            json.dump(manifest, f, ensure_ascii=False, indent=2)
            f.write("\n")
        if check:
            wrong = [t for t, _, _, ok in verify(work) if not ok]
            if wrong:
                raise ExportMismatch(
                    f"the files written read back different from the database for {', '.join(wrong)}: "
                    f"the export was not put in place ({out_dir} is as it was)"
                )
        old = None
        if os.path.exists(out_dir):
            old = work + ".old"
            os.rename(out_dir, old)
        try:
            os.rename(work, out_dir)
        except BaseException:
            if old and not os.path.exists(out_dir):
                os.rename(old, out_dir)  # the previous export back in place
            raise
        if old:
            shutil.rmtree(old, ignore_errors=True)
        return manifest
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def export_database(path: str, out_dir: str, check: bool = True) -> dict:
    """`export` from the live version of the database at `path` (a consistent snapshot while imports land)."""
    con = store.open_reader(path)
    try:
        return export(con, out_dir, source_db=path, check=check)
    finally:
        con.close()


def read_manifest(folder: str) -> dict:
    """The manifest of the export in `folder`, every table's folder checked present. Raises ExportError saying
    what is missing."""
    folder = os.path.abspath(folder)
    if not os.path.isdir(folder):
        raise ExportError(f"{folder}: no such folder (write one with `python -m supervision export --parquet`)")
    path = os.path.join(folder, MANIFEST)
    if not os.path.exists(path):
        raise ExportError(
            f"{folder} is not an export of this tool: it has no {MANIFEST} "
            "(write one with `python -m supervision export --db PATH --parquet DIR`)"
        )
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise ExportError(f"{path} cannot be read as an export manifest: {e}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ExportError(f"{path} is not an export manifest of this tool (format is not {FORMAT!r})")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ExportError(
            f"{path}: export format version {manifest.get('format_version')}, this tool reads version "
            f"{FORMAT_VERSION}: export again with this version"
        )
    tables = manifest.get("tables") or {}
    missing = [t for t in TABLE_NAMES if t not in tables]
    if missing:
        raise ExportError(f"{path} lists no table(s) {', '.join(missing)}: the export is incomplete, export again")
    absent = [t for t in TABLE_NAMES if not os.path.isdir(os.path.join(folder, t))]
    if absent:
        raise ExportError(
            f"{folder}: the folder of table(s) {', '.join(absent)} is missing (the manifest lists them): "
            "the export was copied in part, copy it whole or export again"
        )
    return manifest


def parquet_glob(folder: str, table: str, manifest: dict) -> str:
    """The files of one exported table, as a glob DuckDB and Spark both read."""
    # any depth: a partitioned table with no rows is one empty file at the top of its folder
    return os.path.join(os.path.abspath(folder), table, "**", "*.parquet")


def verify(folder: str) -> list[tuple[str, int, int, bool]]:
    """Read every table of the export back (DuckDB) and compare its row count and checksum with the manifest:
    [(table, rows in the manifest, rows read, checksum equal)]. Raises ExportError as read_manifest."""
    manifest = read_manifest(folder)
    out = []
    con = duckdb.connect(":memory:", config={"memory_limit": db.MEMORY_LIMIT})
    try:
        for table in TABLE_NAMES:
            spec = manifest["tables"][table]
            source = (
                f"select * from read_parquet($glob, hive_partitioning = {'true' if spec['partition_by'] else 'false'})"
            )
            try:
                rows, checksum = con.execute(
                    _checksum_sql(source, spec["columns"]), {"glob": parquet_glob(folder, table, manifest)}
                ).fetchone()
            except duckdb.Error as e:
                raise ExportError(f"{folder}: table {table} cannot be read: {str(e).splitlines()[0]}") from None
            out.append((table, spec["rows"], rows, checksum == spec["checksum"] and rows == spec["rows"]))
    finally:
        con.close()
    return out
