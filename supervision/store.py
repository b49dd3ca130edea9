"""Every change to the database has its one home here: create, import, load standards, upgrade (SPEC §3, §4).

Each goes through `db.writing`: a private copy is written and swapped in whole, so the dashboard keeps serving
the previous version meanwhile and sees the new one on its next query (a cron import while people read works).
Each change is also one transaction that ends with the materialised tables rebuilt (`build.rebuild`).
The CLI, the dashboard's import and standards pages and the tests all call these functions.
"""

from __future__ import annotations

import os

import duckdb

from supervision import auditlog, build, config, db, importing, standards


def _seed(con: duckdb.DuckDBPyConnection) -> None:
    """The shipped configuration and the seed standards, in an empty database (SPEC §3)."""
    parts = config.shipped(str(db.DEFAULTS))
    config.write(con, parts, given=parts)
    standards.load(con, str(db.DEFAULTS / "standards.csv"), source="defaults/standards.csv")


def _seed_vocab(con: duckdb.DuckDBPyConnection) -> bool:
    """The shipped vocabularies (code, labels and aliases of each value) of every domain the database does not
    have yet: in an older database, the domains added since (e.g. SPEC §12's order types). A domain the database
    has is left as it is. Returns whether any was added."""
    have = {d for (d,) in con.execute("select distinct domain from vocab").fetchall()}
    rows = config.vocab_rows(
        [r for r in config.shipped(str(db.DEFAULTS), ("vocab",))["vocab"].rows if r["domain"] not in have]
    )
    if rows:
        db.insert_rows(con, "vocab", rows)
    return bool(rows)


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Schema, stored macros and (in a new database) the shipped defaults and an empty build."""
    con.execute(db.sql("schema"))
    build.define_macros(con)
    if not con.execute("select count(*) from tiers").fetchone()[0]:
        _seed(con)
        config.seed_version(con, "defaults")
        build.rebuild(con)
    else:
        config.seed_version(con, "before_versioning")
        added = _seed_vocab(con)
        if added:  # vocabularies new in this version of the code: a configuration version of their own
            config.record_in_force(con, "upgrade")
        if added or db.meta_get(con, "build_stamp") != build.STAMP:
            build.rebuild(con)


def open_direct(path: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-write connection in place, prepared: for tests and scripts that own the file (no readers)."""
    con = db.connect(path)
    prepare(con)
    return con


def _anchor(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    lines, last = auditlog.state()
    con.execute("insert into audit_anchors values (now()::timestamp, $n, $h)", {"n": lines, "h": last})
    return lines, last


def anchor_audit_log(path: str) -> tuple[int, str]:
    """Record the audit log's state (lines, hash of the last) in the database (`audit anchor`, e.g. daily)."""
    with db.writing(path) as con:
        prepare(con)
        return _anchor(con)


def audit_anchors(path: str) -> list[tuple[int, str]]:
    """Every anchor recorded in the database: (lines, hash of the last line then)."""
    con = open_reader(path)
    try:
        rows = con.execute('select "lines", hash from audit_anchors order by anchored_at').fetchall()
        return [(n, h) for n, h in rows]
    finally:
        con.close()


def import_folder(
    path: str, folder: str, username: str | None = None, progress=None, source: str | None = None, dry_run: bool = False
) -> importing.ImportReport:
    """Import every export file in `folder` (SPEC §4) and swap the result in whole. Raises importing.ImportRefused.
    With `dry_run`, the report says what the import would do (per file: new, updated, quarantined, duplicates)
    and nothing is stored. `source` names what was imported (the uploaded file names) when `folder` is a
    temporary folder."""
    with db.writing(path, keep=not dry_run) as con:
        prepare(con)
        if not dry_run:
            _anchor(con)
        return importing.run_import(
            con, folder, username=username, progress=progress, private_copy=True, source=source, dry_run=dry_run
        )


def apply_standards(
    con: duckdb.DuckDBPyConnection,
    file: str,
    source: str | None = None,
    username: str | None = None,
    private_copy: bool = False,
) -> tuple[int, bool]:
    """Validate `file`, store it as a new standards version and rebuild, in one transaction on `con` (on a
    private copy, the rebuild commits step by step: see build.rebuild). Returns (version, loaded); a file equal
    to the current version is not stored again."""
    con.execute("begin transaction")
    try:
        version, loaded = standards.load(con, file, source=source, username=username)
        if loaded:
            build.rebuild(con, commit_steps=private_copy)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return version, loaded


def load_standards(path: str, file: str, source: str | None = None, username: str | None = None) -> tuple[int, bool]:
    """`apply_standards` on the live database, swapped in whole. Raises standards.StandardsError."""
    with db.writing(path) as con:
        prepare(con)
        _anchor(con)
        return apply_standards(con, file, source=source or os.path.basename(file), username=username, private_copy=True)


def apply_config(
    con: duckdb.DuckDBPyConnection, files: list[str], username: str | None = None, private_copy: bool = False
) -> config.Loaded:
    """Validate the configuration `files` (and a standards file among them), put them in force, record the new
    version and rebuild, in one transaction on `con`. Raises config.ConfigError and then nothing changed."""
    con.execute("begin transaction")
    try:
        loaded = config.load(con, files, username=username)
        if loaded.changed:
            build.rebuild(con, commit_steps=private_copy)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return loaded


def load_config(path: str, files: list[str], username: str | None = None) -> config.Loaded:
    """`apply_config` on the live database, swapped in whole (readers keep the previous version meanwhile)."""
    with db.writing(path) as con:
        prepare(con)
        _anchor(con)
        return apply_config(con, files, username=username, private_copy=True)


def upgrade(path: str) -> None:
    """Rebuild what this version of the code materialises (after an upgrade of the code)."""
    with db.writing(path) as con:
        prepare(con)


def _current(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return db.meta_get(con, "build_stamp") == build.STAMP
    except duckdb.CatalogException:
        return False


def open_reader(path: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the live database, rebuilt first if it was built by other code."""
    path = str(path or db.DEFAULT_DB)
    con, _ = db.open_version(path)
    if _current(con):
        return con
    con.close()
    upgrade(path)
    return db.open_version(path)[0]


def reader(path: str | None = None) -> db.Reader:
    """The dashboard's shared reader of the live database (rebuilt first if it was built by other code)."""
    path = str(path or db.DEFAULT_DB)
    open_reader(path).close()
    return db.Reader(path)
