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
import pyarrow as pa

from supervision import contract, db, readers, standards

BATCH = 200_000
# what "stray whitespace" means when fields are trimmed: ASCII blanks, no-break and ideographic spaces
WHITESPACE_SQL = "' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(12288)"


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
    """Tokenise the file into temp table `stg`. Returns (encoding, number of header fields)."""
    cols = contract.FILES[name]["columns"]
    fname = os.path.basename(path)
    encoding, lines = readers.iter_file(path)
    try:
        header = next(lines)
    except StopIteration:
        raise ImportError_(f"{fname}: the file is empty (no header line)") from None
    mapped = [contract.canonical_header(h) for h in header.fields]
    missing = [c for c in cols if c not in mapped]
    if missing:
        labels = ", ".join(f"{c} [{contract.CHINESE_HEADERS[c]}]" for c in missing)
        raise ImportError_(f"{fname}: line {header.number}: missing column(s) {labels}; header was: {header.raw}")
    pos = [mapped.index(c) for c in cols]
    width = len(header.fields)
    xlsx = encoding == "xlsx"

    # Python hands over the raw line (and its fields only when quoting rules apply); DuckDB splits the
    # common unquoted line, trims every field and builds the exact-duplicate fingerprint.
    con.execute("create or replace temp table stg_lines (line integer, raw varchar, split varchar[])")
    numbers: list[int] = []
    raws: list[str] = []
    splits: list[list[str] | None] = []

    def flush() -> None:
        if not numbers:
            return
        con.register(
            "stg_batch",
            pa.table(
                {"line": pa.array(numbers, pa.int32()), "raw": raws, "split": pa.array(splits, pa.list_(pa.string()))}
            ),
        )
        con.execute("insert into stg_lines select * from stg_batch")
        con.unregister("stg_batch")
        numbers.clear()
        raws.clear()
        splits.clear()

    for number, raw, split in lines:
        if xlsx:  # a workbook row is as wide as the sheet: blank cells past the header are not fields
            split = list(split)
            while len(split) > width and split[-1] == "":
                split.pop()
            split += [""] * (width - len(split))
        numbers.append(number)
        raws.append(raw)
        splits.append(split)
        if len(numbers) >= BATCH:
            flush()
    flush()
    picks = ", ".join(f"coalesce(f[{p + 1}], '') as {c}" for c, p in zip(cols, pos))
    # trim(x) strips blanks fast; the rare line with a tab, no-break or ideographic space takes the slow path
    con.execute(
        f"""
        create or replace temp table stg as
        select line, raw, len(f) as nf, array_to_string(f, chr(31)) as fp, {picks}
        from (
            select line, raw,
                case when contains(raw, chr(9)) or contains(raw, chr(160)) or contains(raw, chr(12288))
                    then list_transform(coalesce(split, string_split(raw, ',')), lambda x: trim(x, {WHITESPACE_SQL}))
                    else list_transform(coalesce(split, string_split(raw, ',')), lambda x: trim(x))
                end as f
            from stg_lines
        )
        """
    )
    con.execute("drop table stg_lines")
    return encoding, width


def _judge_and_store(con: duckdb.DuckDBPyConnection, import_id: int, name: str, width: int,
                     file_name: str) -> FileReport:
    spec = contract.FILES[name]
    cols, keys = spec["columns"], spec["key"]
    con.execute(f"create or replace temp table shaped as {db.sql(f'import/shape_{name}')}")
    key_list = ", ".join(keys)
    key_present = " and ".join(f"{k} is not null" for k in keys)
    key_text = " || '/' || ".join(f"coalesce({k}::varchar, '')" for k in keys)
    con.execute(
        f"""
        create or replace temp table judged as
        with d as (
            select *, row_number() over (partition by fp order by line) as dup_rank from shaped
        ),
        c as (
            -- SPEC §4 order: exact duplicates out first; then every remaining row sharing its key with another
            -- row is a conflict (a broken line included, when its key can be read); then field checks
            select *,
                case when dup_rank = 1 and {key_present}
                    then list(line) filter (where dup_rank = 1) over (partition by {key_list})
                end as same_key_lines
            from d
        )
        select *,
            case
                when dup_rank > 1 then 'duplicate'
                when nf <> {width} or len(same_key_lines) > 1 or reason is not null then 'quarantined'
                else 'ok'
            end as outcome,
            case
                when dup_rank > 1 then null
                when len(same_key_lines) > 1 then
                    'conflict: {key_list.replace(", ", "/")} ' || {key_text}
                    || ' appears with different content on lines ' || array_to_string(list_sort(same_key_lines), ', ')
                when nf <> {width} then 'wrong number of fields: ' || nf || ', expected {width}'
                else reason
            end as why
        from c
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
        f"insert into {name} ({target}) select {source} from incoming where change <> 'same' order by line",
        {"id": import_id} if provenance else None,
    )
    return rep


def run_import(con: duckdb.DuckDBPyConnection, folder: str, username: str | None = None, progress=None) -> ImportReport:
    """Import every contract file found in `folder` in one transaction. Raises ImportError_ (nothing lands)."""
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
                    con, std_path, source=std_path, username=username, rebuild=False
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
        from supervision import measures

        if progress:
            progress(0.95, "obligations")
        measures.rebuild(con)
        con.execute("update imports set finished_at = now()::timestamp where import_id = $id", {"id": import_id})
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for t in ("stg", "shaped", "judged", "incoming"):
            con.execute(f"drop table if exists temp.{t}")
    return report
