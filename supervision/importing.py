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


STAGING = ("stg", "shaped", "dup_fp", "key_lines", "judged", "incoming")  # temp tables of one file


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
    """Read the file into temp table `stg` (one row per line: number, raw text, field count, the fingerprint
    of its trimmed fields, and the contract's columns trimmed). Returns (encoding, number of header fields)."""
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
    split_trim = f"""
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
    # (declared column by column: rows inserted in the same transaction into a table made by `create table as
    # ... where false` were lost by DuckDB 2.0, seen here)
    con.execute(
        "create or replace temp table stg (line integer, raw varchar, nf bigint, fp varchar, "
        + ", ".join(f"{c} varchar" for c in cols) + ")"
    )
    # The file is read in a thread of its own: while DuckDB splits one chunk (it releases the GIL), Python decodes
    # the next. Bulk lines arrive as Arrow arrays; lines read with CSV quoting rules arrive with their fields.
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
        for part in parts:
            con.register("stg_batch", part)
            con.execute(f"insert into stg {split_trim}")
            con.unregister("stg_batch")
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
                     file_name: str) -> FileReport:
    spec = contract.FILES[name]
    cols, keys = spec["columns"], spec["key"]
    con.execute(f"create or replace temp table shaped as {db.sql(f'import/shape_{name}')}")
    key_list = ", ".join(keys)
    key_present = " and ".join(f"{k} is not null" for k in keys)
    key_text = " || '/' || ".join(f"coalesce({k}::varchar, '')" for k in keys)
    # SPEC §4 order: exact duplicates out first (rows equal in every trimmed field: the first by line is kept);
    # then every remaining row sharing its key with another row is a conflict (a broken line included, when its
    # key can be read); then the field and reference checks of the shape query. Grouping finds the few
    # duplicates and conflicts; the million other rows only meet two small tables.
    con.execute(
        """
        create or replace temp table dup_fp as
        with candidates as (  -- fingerprints whose hash repeats; the fingerprints themselves decide
            select hash(fp) as h from shaped group by all having count(*) > 1
        )
        select fp, min(line) as first_line
        from shaped
        where hash(fp) in (select h from candidates)
        group by fp
        having count(*) > 1
        """
    )
    con.execute(
        f"""
        create or replace temp table key_lines as
        select {key_list}, list(s.line order by s.line) as lines
        from shaped as s
        left join dup_fp as d on d.fp = s.fp
        where {key_present} and (d.first_line is null or s.line = d.first_line)
        group by all
        having count(*) > 1
        """
    )
    con.execute(
        f"""
        create or replace temp table judged as
        with marked as (
            select s.*, coalesce(s.line > d.first_line, false) as duplicate, k.lines as same_key_lines
            from shaped as s
            left join dup_fp as d on d.fp = s.fp
            left join key_lines as k on {" and ".join(f"k.{c} = s.{c}" for c in keys)}
        )
        select *,
            case
                when duplicate then 'duplicate'
                when nf <> {width} or same_key_lines is not null or reason is not null then 'quarantined'
                else 'ok'
            end as outcome,
            case
                when duplicate then null
                when same_key_lines is not null then
                    'conflict: {key_list.replace(", ", "/")} ' || {key_text}
                    || ' appears with different content on lines ' || array_to_string(same_key_lines, ', ')
                when nf <> {width} then 'wrong number of fields: ' || nf || ', expected {width}'
                else reason
            end as why
        from marked
        """
    )
    # compare each passing row with the stored row of its key, field by field on canonical values
    match = " and ".join(f"t.{k} = i.{k}" for k in keys)
    equal = " and ".join(f"t.{c} is not distinct from i.{c}" for c in cols)
    con.execute(
        f"""
        create or replace temp table incoming as
        select i.line, {", ".join(f"i.{c}" for c in cols)},
            case when t.{keys[0]} is null then 'accepted' when {equal} then 'same' else 'updated' end as change
        from (select * from judged where outcome = 'ok') as i
        left join {name} as t on {match}
        """
    )
    rep = FileReport(file=name)
    counts = dict(con.execute("select outcome, count(*) from judged group by all").fetchall())
    changes = dict(con.execute("select change, count(*) from incoming group by all").fetchall())
    rep.read = sum(counts.values())
    rep.quarantined = counts.get("quarantined", 0)
    rep.accepted = changes.get("accepted", 0)
    rep.updated = changes.get("updated", 0)
    rep.duplicates = counts.get("duplicate", 0) + changes.get("same", 0)

    con.execute(
        "insert into quarantine select $id, $file, line, raw, why from judged "
        "where outcome = 'quarantined' order by line",
        {"id": import_id, "file": file_name},
    )
    if rep.updated:
        con.execute(
            f"delete from {name} as t using (select * from incoming where change = 'updated') as i where {match}"
        )
    provenance = name in ("service_logs", "complaints")  # kept so an auditor can trace a record to its line
    target = ", ".join(cols) + (", import_id, line" if provenance else "")
    source = ", ".join(cols) + (", $id, line" if provenance else "")
    con.execute(
        f"insert into {name} ({target}) select {source} from incoming where change <> 'same'",
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
            except readers.UnreadableFile as e:
                raise ImportError_(str(e)) from e
            rep = _judge_and_store(con, import_id, name, width, os.path.basename(path))
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
