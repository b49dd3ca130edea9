"""Import a folder of CRM exports (SPEC §4) into the database, atomically, losing nothing.

Flow per file, in contract order (org_units → … → complaints):
  read + tokenise (readers.py) → a chunk of lines at a time: `stg` (one row per line: line number, raw text,
  field count, trimmed fields) → queries/import/shape_<file>.sql (typed values, first failing field/reference
  check) into temp table `shaped` → for the whole file: judge (exact duplicates, wrong field counts, key
  conflicts, field reasons) → compare with the stored row of each key (new → accepted, different → updated,
  equal → duplicate) → store.
The whole import is one transaction: a file that cannot be read stops it and nothing lands.

The generic judging/storing SQL below is assembled from the contract's own column names (contract.py), never
from input text; the per-file rules are plain .sql files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import asdict, dataclass, field

import duckdb

from supervision import build, contract, db, readers, standards

# what "stray whitespace" means when fields are trimmed: ASCII blanks, no-break and ideographic spaces
WHITESPACE_SQL = "' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288)"


MAX_FIELD = 1000  # characters of one field; a longer one quarantines its row (names and notes are far shorter)


def plausible_dates(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> dict:
    """The bounds an imported date must keep (hardening issue): an event time no later than the import's own day
    plus one day of clock slack and not before the configured earliest year (settings.earliest_year, 2000);
    an onboarding day, an effective_from or a birthday may be old, never after the import's day plus the slack."""
    today = today or dt.date.today()
    row = con.execute("select max(value) from settings where key = 'earliest_year'").fetchone()
    earliest = int(row[0]) if row and row[0] else 2000
    return {
        "latest_event": dt.datetime.combine(today + dt.timedelta(days=2), dt.time()),
        "earliest_event": dt.datetime(earliest, 1, 1),
        "import_day": str(today),
    }


STAGING = ("shaped", "dup_lines", "key_lines", "judged", "rejected")  # temp tables of one file


def _os_user() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (a container): the uid then
        return str(os.getuid())


class ImportRefused(Exception):
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
    notes: list[str] = field(default_factory=list)  # e.g. the sheets of a workbook that were not read


@dataclass
class ImportReport:
    import_id: int
    files: list[FileReport] = field(default_factory=list)
    standards_version: int | None = None
    standards_loaded: bool = False
    quarantine: list[tuple] = field(default_factory=list)  # of a dry run: (file, line, reason, raw), first 1000
    ignored: list[str] = field(default_factory=list)  # files in the folder that are not export files

    def as_json(self) -> dict:
        return {
            "import_id": self.import_id,
            "files": [{k: v for k, v in asdict(f).items() if k not in ("encoding", "notes")} for f in self.files],
            "standards_version": self.standards_version,
            "standards_loaded": self.standards_loaded,
            **({"ignored": self.ignored} if self.ignored else {}),
        }


def find_files(folder: str) -> dict[str, str]:
    """The contract files present in `folder` by canonical name (any case); .csv preferred over a workbook."""
    if not os.path.isdir(folder):
        raise ImportRefused(f"import folder {folder} does not exist")
    found: dict[str, str] = {}
    names = {n.lower(): n for n in os.listdir(folder)}
    for name in contract.FILES:
        for ext in (".csv", ".xlsx", ".xlsm", ".xls"):
            if name + ext in names:
                found[name] = os.path.join(folder, names[name + ext])
                break
    return found


def _stage(con: duckdb.DuckDBPyConnection, name: str, path: str, dates: dict) -> tuple[str, int, list[str], list[str]]:
    """Read the file into temp table `shaped`: one row per line with its number, raw text, field count, the
    fingerprint of its trimmed fields, the typed values of the contract's columns and the first field or
    reference check it fails (queries/import/shape_<file>.sql, reading `stg`: the trimmed text of each line, a
    chunk of lines at a time).
    Returns (encoding, number of header fields, notes, the optional columns the file lacks)."""
    import numpy as np  # here, not at the top: `report` never needs them
    import pyarrow as pa

    required, cols = contract.FILES[name]["columns"], contract.columns(name)
    fname = os.path.basename(path)
    encoding, header, batches = readers.read_file(path)
    mapped = [contract.canonical_header(h) for h in header.fields]
    missing = [c for c in required if c not in mapped]
    if missing:
        labels = ", ".join(f"{c} [{contract.CHINESE_HEADERS[c]}]" for c in missing)
        raise ImportRefused(f"{fname}: line {header.number}: missing column(s) {labels}; header was: {header.raw}")
    pos = [mapped.index(c) if c in mapped else None for c in cols]  # None: an optional column the file lacks
    # an optional column once imported is measured from then on (SPEC §12: retention needs customers' lost_date;
    # before a file with it arrives, retention is "no data", not 100%)
    for c in contract.FILES[name].get("optional", []):
        if c in mapped and db.meta_get(con, f"seen:{name}.{c}") is None:
            db.meta_set(con, f"seen:{name}.{c}", fname)
    width = len(header.fields)

    picks = ", ".join(f"coalesce(f[{p + 1}], '') as {c}" if p is not None else f"'' as {c}" for c, p in zip(cols, pos))
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
            from (select line, left(raw, -cut) as raw, split from $source)
        )
    """
    # `stg` as the shape query reads it: the query is described over it (`shaped` below), and a chunk with a long
    # line is stored in it. Declared column by column: rows inserted in the same transaction into a table made by
    # `create table as ... where false` were lost by DuckDB 2.0 (seen here)
    con.execute(
        "create or replace temp table stg (line integer, raw varchar, nf bigint, fp varchar, "
        + ", ".join(f"{c} varchar" for c in cols)
        + ")"
    )
    # lines quarantined as they were read (undecodable, a NUL character, too long): no fields to judge
    con.execute("create or replace temp table rejected (line integer, raw varchar, why varchar)")
    # typed values and the first check each line fails: `shaped` is declared with the shape query's own columns,
    # read from it over the empty `stg`
    shape = db.sql(f"import/shape_{name}")
    params = {k: v for k, v in dates.items() if f"${k}" in shape} or None
    out = con.execute(f"select * from ({shape}) limit 0", params).description
    con.execute("create or replace temp table shaped (" + ", ".join(f'"{d[0]}" {d[1]}' for d in out) + ")")

    rejects: list[tuple[int, str, str]] = []
    notes: list[str] = []
    schema = pa.schema(
        [
            ("line", pa.int32()),
            ("raw", pa.large_string()),
            ("split", pa.large_list(pa.large_string())),
            ("cut", pa.int8()),
        ]
    )

    def arrow_batches():
        """The file's lines as Arrow tables, a chunk at a time: bulk lines with their line break (`cut` bytes of
        it), lines read with CSV quoting rules with their fields (and a line break to cut). The file is read in a
        thread of its own (_prefetch): while DuckDB splits and shapes one chunk, Python decodes the next."""
        for batch in _prefetch(batches):
            rejects.extend(batch.rejects)
            notes.extend(batch.notes)
            if batch.raws is not None and len(batch.raws):
                n = len(batch.raws)
                part = pa.Table.from_arrays(
                    [
                        readers.arrow_ints(batch.numbers),
                        batch.raws,
                        pa.nulls(n, pa.large_list(pa.large_string())),
                        readers.arrow_ints(np.full(n, batch.break_bytes), bits=8),
                    ],
                    schema=schema,
                )
                yield part, batch.break_bytes
            if batch.records:
                part = pa.Table.from_arrays(
                    [
                        readers.arrow_ints([r.number for r in batch.records]),
                        readers.arrow_strings([r.raw + "\n" for r in batch.records]),
                        readers.arrow_string_lists([r.split for r in batch.records]),
                        readers.arrow_ints(np.ones(len(batch.records)), bits=8),
                    ],
                    schema=schema,
                )
                yield part, 1

    # Each chunk of lines is split and trimmed (stg), then typed and checked (shape) by one statement: `stg` is
    # not stored (storing every chunk, then shaping the whole file, took 0.3 s more for the 1M service logs).
    # The chunk reaches DuckDB as record batches of 32,768 lines (as one batch of 150,000 the statement took
    # 0.6 s more). One statement over a stream of every chunk was tried: DuckDB, not knowing the stream's size,
    # built its hash joins on it.
    chunk_lines = lines_sql.replace("$source", "stg_batch")
    shape_chunk = f"insert into shaped select * from (with stg as ({chunk_lines}) select * from ({shape}))"
    # A field longer than MAX_FIELD quarantines its line before it is judged (it is never stored as a value). Only
    # a line of more than MAX_FIELD bytes can have one: a chunk with such a line is stored in `stg` (DuckDB's, so
    # it may spill), and its long fields are looked for before it is shaped, once for all such chunks (as a filter
    # inside the one statement, DuckDB split every long line once per column: 5x slower on a file of long lines).
    stored = False
    for part, cut in arrow_batches():
        stg_batch = pa.Table.from_batches(part.to_batches(max_chunksize=32768))  # noqa: F841 - read by name
        if _longest(part) - cut <= MAX_FIELD:
            con.execute(shape_chunk, params)
        else:
            con.execute(f"insert into stg {chunk_lines}")
            stored = True
    if stored:
        long_field = " ".join(f"when length({c}) > {MAX_FIELD} then '{c}'" for c in cols)
        con.execute(f"""
            insert into rejected
            select line, left(raw, 2000), 'field ' || f || ' is longer than {MAX_FIELD:,} characters'
            from (select line, raw, case {long_field} end as f from stg) where f is not null""")
        con.execute(f"delete from stg where greatest({', '.join(f'length({c})' for c in cols)}) > {MAX_FIELD}")
        con.execute(f"insert into shaped select * from ({shape})", params)
    if rejects:
        db.insert_rows(con, "rejected", rejects)
    con.execute("drop table stg")
    return encoding, width, notes, [c for c, p in zip(cols, pos) if p is None]


def _longest(part) -> int:
    """The length in bytes of the longest raw text of `part` (an Arrow table of one chunk), from its offsets (each
    of the column's arrays read where it lies: combining them first copied the chunk, 0.2 s of the 1M logs)."""
    import numpy as np

    longest = 0
    for raw in part.column("raw").chunks:
        if len(raw):
            offsets = np.frombuffer(raw.buffers()[1], np.int64)[raw.offset : raw.offset + len(raw) + 1]
            longest = max(longest, int(np.diff(offsets).max()))
    return longest


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


def _judge_and_store(
    con: duckdb.DuckDBPyConnection,
    import_id: int,
    name: str,
    width: int,
    file_name: str,
    step=lambda: None,
    absent: list[str] | tuple = (),
) -> FileReport:
    """Judge every staged line of one file (SPEC §4) and store what passed. `step()` is called between
    statements: on a private copy it commits, so DuckDB frees what the previous statement no longer needs.
    `absent`: optional columns the file does not carry. A stored row keeps its value of each (an export without
    lost_date or category says nothing about them: it neither changes a row nor erases what an earlier file
    gave); a new row has none."""
    spec = contract.FILES[name]
    cols, keys = contract.columns(name), spec["key"]
    compared = [c for c in cols if c not in absent]
    key_list = ", ".join(keys)
    key_present = " and ".join(f"s.{k} is not null" for k in keys)
    key_text = " || '/' || ".join(f"coalesce(s.{k}::varchar, '')" for k in keys)
    match = " and ".join(f"t.{k} = s.{k}" for k in keys)
    equal = " and ".join(f"t.{c} is not distinct from s.{c}" for c in compared)

    # SPEC §4 order: exact duplicates out first (rows equal in every trimmed field: the first by line is kept);
    # then every remaining row sharing its key with another row is a conflict (a broken line included, when its
    # key can be read); then the field and reference checks of the shape query. Grouping finds the few
    # duplicates and conflicts (the hash of the fingerprint first, the fingerprints whose hash repeats then);
    # the other rows only meet two small tables. The wide columns (raw text, fingerprint) stay in `shaped`.
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
    rejected = con.execute("select count(*) from rejected").fetchone()[0]
    rep = FileReport(file=name)
    rep.read = sum(counts.values()) + rejected
    rep.quarantined = counts.get("quarantined", 0) + rejected
    rep.accepted = counts.get("accepted", 0)
    rep.updated = counts.get("updated", 0)
    rep.duplicates = counts.get("duplicate", 0) + counts.get("same", 0)

    con.execute(
        "insert into quarantine select $id, $file, line, raw, why from ("
        "select j.line, s.raw, j.why from judged as j inner join shaped as s on s.line = j.line "
        "where j.outcome = 'quarantined' union all select line, raw, why from rejected) order by line",
        {"id": import_id, "file": file_name},
    )
    passed = "(select s.* from shaped as s inner join judged as j on j.line = s.line where j.outcome = '{}')"
    if rep.updated and absent:
        # the stored values of the columns this file lacks, kept for the rows it updates
        con.execute(
            f"create or replace temp table kept as select {', '.join(f't.{c}' for c in keys + list(absent))} "
            f"from {name} as t inner join {passed.format('updated')} as s on {match}"
        )
    if rep.updated:
        con.execute(f"delete from {name} as t using {passed.format('updated')} as s where {match}")
    provenance = name in (
        "service_logs",
        "complaints",
        *contract.S12_FILES,
    )  # kept so an auditor can trace a record to its line
    target = ", ".join(cols) + (", import_id, line" if provenance else "")
    kept = rep.updated and absent
    source = ", ".join(f"coalesce(k.{c}, s.{c})" if kept and c in absent else f"s.{c}" for c in cols) + (
        ", $id, s.line" if provenance else ""
    )
    join_kept = f"left join kept as k on {' and '.join(f'k.{c} = s.{c}' for c in keys)} " if kept else ""
    con.execute(
        f"insert into {name} ({target}) select {source} from shaped as s inner join judged as j on j.line = s.line "
        f"{join_kept}where j.outcome in ('accepted', 'updated')",
        {"id": import_id} if provenance else None,
    )
    if kept:
        con.execute("drop table kept")
    return rep


def run_import(
    con: duckdb.DuckDBPyConnection,
    folder: str,
    username: str | None = None,
    progress=None,
    private_copy: bool = False,
    source: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    """Import every contract file found in `folder`; raises ImportRefused and then nothing lands.

    In place (the default), the import is one transaction. On a private copy that is thrown away on failure
    (`db.writing`, how the CLI and the dashboard import) each file and the rebuild commit on their own: DuckDB then
    frees each file's staging tables at once and plans the rebuild with the statistics of committed tables
    (inside the one big transaction the 1M-row rebuild ran 8x slower)."""
    files = find_files(folder)
    std_path = next((os.path.join(folder, n) for n in os.listdir(folder) if n.lower() == "standards.csv"), None)
    if not files and not std_path:
        raise ImportRefused(
            f"no export file found in {folder} (expected {', '.join(n + '.csv' for n in contract.FILES)} or .xlsx)"
        )
    import_id = con.execute("select coalesce(max(import_id), 0) + 1 from imports").fetchone()[0]
    report = ImportReport(import_id)
    used = {os.path.basename(p) for p in files.values()} | ({os.path.basename(std_path)} if std_path else set())
    report.ignored = sorted(
        n
        for n in os.listdir(folder)
        if n not in used and not n.startswith(".") and os.path.isfile(os.path.join(folder, n))
    )
    dates = plausible_dates(con, today)

    def step() -> None:
        if private_copy:
            con.execute("commit")
            con.execute("begin transaction")

    con.execute("begin transaction")
    try:
        con.execute(
            "insert into imports (import_id, started_at, finished_at, source, username, os_user) "
            "values ($id, now()::timestamp, null, $src, $u, $os)",
            {"id": import_id, "src": source or os.path.abspath(folder), "u": username, "os": _os_user()},
        )
        if std_path:
            try:
                report.standards_version, report.standards_loaded = standards.load(
                    con, std_path, source=std_path, username=username
                )
            except standards.StandardsError as e:
                raise ImportRefused(str(e)) from e
        for i, (name, path) in enumerate(files.items()):
            if progress:
                progress(i / max(len(files), 1), os.path.basename(path))
            try:
                encoding, width, notes, absent = _stage(con, name, path, dates)
                step()
            except readers.UnreadableFile as e:
                raise ImportRefused(str(e)) from e
            rep = _judge_and_store(con, import_id, name, width, os.path.basename(path), step, absent)
            for t in STAGING:
                con.execute(f"drop table if exists temp.{t}")
            rep.file = os.path.basename(path)
            rep.encoding = encoding
            rep.notes = notes
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
        if dry_run:  # what the import would do is known: the caller throws the copy away
            report.quarantine = con.execute(
                "select file, line, reason, raw from quarantine where import_id = $id order by file, line limit 1000",
                {"id": import_id},
            ).fetchall()
            con.execute("commit")
            return report
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
