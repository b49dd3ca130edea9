"""Import a folder of CRM exports (SPEC §4) into the database, atomically, losing nothing.

Flow per file, in contract order (org_units → … → complaints):
  read + tokenise (readers.py) → temp table `stg` (one row per line: line number, raw text, field count,
  trimmed fields) → queries/import/shape_<file>.sql (typed values, first failing field/reference check)
  → judge (exact duplicates, wrong field counts, key conflicts, field reasons) → compare with the stored row
  of each key (new → accepted, different → updated, equal → duplicate) → store.
The whole import is one transaction: a file that cannot be read stops it and nothing lands.

The generic judging/storing SQL below is assembled from the contract's own column names (contract.py), never
from input text; the per-file rules are plain .sql files.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field

import duckdb

from supervision import build, contract, db, readers, standards

# what "stray whitespace" means when fields are trimmed: ASCII blanks, no-break and ideographic spaces
WHITESPACE_SQL = "' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288)"


STAGING = ("shaped", "dup_lines", "key_lines", "judged")  # temp tables of one file


class ImportError_(Exception):
    """The import was refused as a whole (unreadable file, missing columns, invalid standards)."""


@dataclass
class FileReport:
    file: str
    read: int = 0
    accepted: int = 0
    updated: int = 0
    quarantined: int = 0
    duplicates: int = 0
    encoding: str = ""


@dataclass
class ImportReport:
    import_id: int
    files: list[FileReport] = field(default_factory=list)
    standards_version: int | None = None
    standards_loaded: bool = False

    def as_json(self) -> dict:
        return {
            "import_id": self.import_id,
            "files": [{k: v for k, v in asdict(f).items() if k != "encoding"} for f in self.files],
            "standards_version": self.standards_version,
            "standards_loaded": self.standards_loaded,
        }


def find_files(folder: str) -> dict[str, str]:
    """The contract files present in `folder` by canonical name; .csv preferred over .xlsx."""
    if not os.path.isdir(folder):
        raise ImportError_(f"import folder {folder} does not exist")
    found: dict[str, str] = {}
    names = {n.lower(): n for n in os.listdir(folder)}
    for name in contract.FILES:
        for ext in (".csv", ".xlsx"):
            if name + ext in names:
                found[name] = os.path.join(folder, names[name + ext])
                break
    return found


def _stage(con: duckdb.DuckDBPyConnection, name: str, path: str) -> tuple[str, int]:
    """Read the file into temp table `shaped`: one row per line with its number, raw text, field count, the
    fingerprint of its trimmed fields, the typed values of the contract's columns and the first field or
    reference check it fails (queries/import/shape_<file>.sql, reading temp table `stg` of the trimmed text).
    Returns (encoding, number of header fields)."""
    import pyarrow as pa  # here, not at the top: `report` never needs it

    cols = contract.FILES[name]["columns"]
    fname = os.path.basename(path)
    encoding, header, batches = readers.read_file(path)
    mapped = [contract.canonical_header(h) for h in header.fields]
    missing = [c for c in cols if c not in mapped]
    if missing:
        labels = ", ".join(f"{c} [{contract.CHINESE_HEADERS[c]}]" for c in missing)
        raise ImportError_(f"{fname}: line {header.number}: missing column(s) {labels}; header was: {header.raw}")
    pos = [mapped.index(c) for c in cols]
    width = len(header.fields)

    picks = ", ".join(f"coalesce(f[{p + 1}], '') as {c}" for c, p in zip(cols, pos))
    # One row per line: its fields trimmed of blanks (a line with a tab, no-break or ideographic space takes the
    # slower full trim; a plain line with no blank next to a comma or at either end needs no trim at all).
    lines_sql = f"""
        select line, raw, len(f) as nf, array_to_string(f, chr(31)) as fp, {picks}
        from (
            select line, raw,
                case
                    when contains(raw, chr(160)) or contains(raw, chr(12288)) or contains(raw, chr(9))
                        then list_transform(coalesce(split, string_split(raw, ',')),
                                            lambda x: trim(x, {WHITESPACE_SQL}))
                    when split is null and not regexp_matches(raw, '(^\\s|\\s,|,\\s|\\s$)')
                        then string_split(raw, ',')
                    else list_transform(coalesce(split, string_split(raw, ',')), lambda x: trim(x))
                end as f
            from stg_batch
        )
    """
    # declared column by column: rows inserted in the same transaction into a table made by `create table as
    # ... where false` were lost by DuckDB 2.0 (seen here)
    con.execute("create or replace temp table stg (line integer, raw varchar, nf bigint, fp varchar, "
                + ", ".join(f"{c} varchar" for c in cols) + ")")
    # The file is read in a thread of its own: while DuckDB splits one chunk (it releases the GIL), Python
    # decodes the next. Bulk lines arrive as Arrow arrays; lines read with CSV quoting rules arrive with their
    # fields. Batches reach DuckDB by its replacement scan of the local name `stg_batch` (con.register kept every
    # registered batch's memory alive: 1.3 GB more at 10M lines, measured).
    for batch in _prefetch(batches):
        parts = []
        if batch.raws is not None and len(batch.raws):
            parts.append(pa.table({"line": pa.array(batch.numbers, pa.int32()), "raw": batch.raws,
                                   "split": pa.nulls(len(batch.raws), pa.list_(pa.string()))}))
        if batch.records:
            parts.append(pa.table({
                "line": pa.array([r.number for r in batch.records], pa.int32()),
                "raw": pa.array([r.raw for r in batch.records], pa.large_string()),
                "split": pa.array([r.split for r in batch.records], pa.list_(pa.string())),
            }))
        for stg_batch in parts:  # noqa: B007
            con.execute(f"insert into stg {lines_sql}")
        del parts, batch
    # typed values and the first check each line fails, for the whole file at once (the reference checks join
    # the customers once, not once per chunk); the wide staging table goes at once
    con.execute(f"create or replace temp table shaped as {db.sql(f'import/shape_{name}')}")
    con.execute("drop table stg")
    return encoding, width


def _prefetch(items, ahead: int = 2):
    """Iterate `items` in a background thread, at most `ahead` items in advance; its exceptions re-raised here."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=ahead)
    done = object()

    def run() -> None:
        try:
            for item in items:
                q.put(item)
            q.put(done)
        except BaseException as e:  # noqa: BLE001 - handed to the consumer
            q.put(e)

    threading.Thread(target=run, daemon=True).start()
    while True:
        item = q.get()
        if item is done:
            return
        if isinstance(item, BaseException):
            raise item
        yield item


def _judge_and_store(con: duckdb.DuckDBPyConnection, import_id: int, name: str, width: int,
                     file_name: str, step=lambda: None) -> FileReport:
    """Judge every staged line of one file (SPEC §4) and store what passed. `step()` is called between
    statements: on a private copy it commits, so DuckDB frees what the previous statement no longer needs."""
    spec = contract.FILES[name]
    cols, keys = spec["columns"], spec["key"]
    key_list = ", ".join(keys)
    key_present = " and ".join(f"s.{k} is not null" for k in keys)
    key_text = " || '/' || ".join(f"coalesce(s.{k}::varchar, '')" for k in keys)
    match = " and ".join(f"t.{k} = s.{k}" for k in keys)
    equal = " and ".join(f"t.{c} is not distinct from s.{c}" for c in cols)

    # SPEC §4 order: exact duplicates out first (rows equal in every trimmed field: the first by line is kept);
    # then every remaining row sharing its key with another row is a conflict (a broken line included, when its
    # key can be read); then the field and reference checks of the shape query. Grouping finds the few
    # duplicates and conflicts (the hash of the fingerprint first, the fingerprints whose hash repeats then);
    # the other rows only meet two small tables. The wide staging columns (raw text, fingerprint) stay in `stg`.
    con.execute(
        """
        create or replace temp table dup_lines as
        with candidates as (
            select hash(fp) as h from shaped group by all having count(*) > 1
        ),
        repeated as (
            select fp, min(line) as first_line
            from shaped
            where hash(fp) in (select h from candidates)
            group by fp
            having count(*) > 1
        )
        select s.line from shaped as s inner join repeated as r on r.fp = s.fp where s.line > r.first_line
        """
    )
    step()
    con.execute(
        f"""
        create or replace temp table key_lines as
        select {", ".join(f"s.{k}" for k in keys)}, list(s.line order by s.line) as lines
        from shaped as s
        where {key_present} and s.line not in (select line from dup_lines)
        group by all
        having count(*) > 1
        """
    )
    step()
    # one row per line: its outcome and why when quarantined; a passing row is compared with the stored row of
    # its key, field by field on canonical values: new, an update, or the same as stored
    con.execute(
        f"""
        create or replace temp table judged as
        with marked as (
            select s.*, d.line is not null as duplicate, k.lines as same_key_lines
            from shaped as s
            left join dup_lines as d on d.line = s.line
            left join key_lines as k on {" and ".join(f"k.{c} = s.{c}" for c in keys)}
        )
        select
            s.line,
            case
                when s.duplicate then 'duplicate'
                when s.nf <> {width} or s.same_key_lines is not null or s.reason is not null then 'quarantined'
                when t.{keys[0]} is null then 'accepted'
                when {equal} then 'same'
                else 'updated'
            end as outcome,
            case
                when s.duplicate then null
                when s.same_key_lines is not null then
                    'conflict: {key_list.replace(", ", "/")} ' || {key_text}
                    || ' appears with different content on lines ' || array_to_string(s.same_key_lines, ', ')
                when s.nf <> {width} then 'wrong number of fields: ' || s.nf || ', expected {width}'
                else s.reason
            end as why
        from marked as s
        left join {name} as t
            on {match} and not s.duplicate and s.nf = {width} and s.same_key_lines is null and s.reason is null
        """
    )
    step()
    counts = dict(con.execute("select outcome, count(*) from judged group by all").fetchall())
    rep = FileReport(file=name)
    rep.read = sum(counts.values())
    rep.quarantined = counts.get("quarantined", 0)
    rep.accepted = counts.get("accepted", 0)
    rep.updated = counts.get("updated", 0)
    rep.duplicates = counts.get("duplicate", 0) + counts.get("same", 0)

    con.execute(
        "insert into quarantine select $id, $file, j.line, s.raw, j.why "
        "from judged as j inner join shaped as s on s.line = j.line "
        "where j.outcome = 'quarantined' order by j.line",
        {"id": import_id, "file": file_name},
    )
    passed = "(select s.* from shaped as s inner join judged as j on j.line = s.line where j.outcome = '{}')"
    if rep.updated:
        con.execute(f"delete from {name} as t using {passed.format('updated')} as s where {match}")
    provenance = name in ("service_logs", "complaints")  # kept so an auditor can trace a record to its line
    target = ", ".join(cols) + (", import_id, line" if provenance else "")
    source = ", ".join(f"s.{c}" for c in cols) + (", $id, s.line" if provenance else "")
    con.execute(
        f"insert into {name} ({target}) select {source} from shaped as s inner join judged as j on j.line = s.line "
        "where j.outcome in ('accepted', 'updated')",
        {"id": import_id} if provenance else None,
    )
    return rep


def run_import(
    con: duckdb.DuckDBPyConnection,
    folder: str,
    username: str | None = None,
    progress=None,
    private_copy: bool = False,
) -> ImportReport:
    """Import every contract file found in `folder`; raises ImportError_ and then nothing lands.

    In place (the default), the import is one transaction. On a private copy that is thrown away on failure
    (`db.writing`, how the CLI and the dashboard import) each file and the rebuild commit on their own: DuckDB then
    frees each file's staging tables at once and plans the rebuild with the statistics of committed tables
    (inside the one big transaction the 1M-row rebuild ran 8x slower)."""
    files = find_files(folder)
    std_path = next((os.path.join(folder, n) for n in os.listdir(folder) if n.lower() == "standards.csv"), None)
    if not files and not std_path:
        raise ImportError_(
            f"no export file found in {folder} (expected {', '.join(n + '.csv' for n in contract.FILES)} or .xlsx)"
        )
    import_id = con.execute("select coalesce(max(import_id), 0) + 1 from imports").fetchone()[0]
    report = ImportReport(import_id)

    def step() -> None:
        if private_copy:
            con.execute("commit")
            con.execute("begin transaction")

    con.execute("begin transaction")
    try:
        con.execute(
            "insert into imports values ($id, now()::timestamp, null, $src, $u)",
            {"id": import_id, "src": os.path.abspath(folder), "u": username},
        )
        if std_path:
            try:
                report.standards_version, report.standards_loaded = standards.load(
                    con, std_path, source=std_path, username=username
                )
            except standards.StandardsError as e:
                raise ImportError_(str(e)) from e
        for i, (name, path) in enumerate(files.items()):
            if progress:
                progress(i / max(len(files), 1), os.path.basename(path))
            try:
                encoding, width = _stage(con, name, path)
                step()
            except readers.UnreadableFile as e:
                raise ImportError_(str(e)) from e
            rep = _judge_and_store(con, import_id, name, width, os.path.basename(path), step)
            for t in STAGING:
                con.execute(f"drop table if exists temp.{t}")
            rep.file = os.path.basename(path)
            rep.encoding = encoding
            con.execute(
                "insert into import_files values ($id, $f, $e, $r, $a, $u, $q, $d)",
                {
                    "id": import_id,
                    "f": rep.file,
                    "e": encoding,
                    "r": rep.read,
                    "a": rep.accepted,
                    "u": rep.updated,
                    "q": rep.quarantined,
                    "d": rep.duplicates,
                },
            )
            report.files.append(rep)
            if private_copy:
                con.execute("commit")
                con.execute("begin transaction")
        if progress:
            progress(0.95, "obligations")
        if private_copy:  # compressed, with statistics: the rebuild reads the new data twice as fast
            con.execute("commit")
            con.execute("checkpoint")
            con.execute("begin transaction")
        build.rebuild(con, commit_steps=private_copy)
        con.execute("update imports set finished_at = now()::timestamp where import_id = $id", {"id": import_id})
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for t in STAGING:
            con.execute(f"drop table if exists temp.{t}")
    return report
