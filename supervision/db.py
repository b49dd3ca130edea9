"""The database file: paths, query files, connections, and how one writer and many readers share it.

One writer, many readers, no waiting (docs/design.md, "Readers and the writer"):
* A writer never changes the live file. `writing(path)` takes an exclusive lock (`<db>.lock`, so writers queue),
  copies the live file to `<db>.next`, hands out a read-write connection to the copy, and when the work is done
  checkpoints it and renames it over the live file in one step. A failure removes the copy: nothing lands.
* Readers open the live file read-only. A reader that is already open keeps reading the version it opened
  (on Linux an open file survives being renamed over), so readers never see half an import and never block the
  writer; `Reader` notices a new version by its inode and opens it for the next query, without a restart.
* DuckDB caches one database instance per path in a process, so a reader opens each version under a path of
  its own (a hard link named after the inode, removed at once); otherwise it would be handed the old instance.

This module imports nothing else of the project: it is the bottom layer.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
DEFAULTS = Path(__file__).resolve().parent / "defaults"
DEFAULT_DB = os.environ.get("SUPERVISION_DB", str(ROOT / "data" / "supervision.duckdb"))
# DuckDB's default memory limit is 80% of RAM. With a limit it spills to <db>.tmp instead of growing; an import
# that still does not fit fails cleanly (nothing lands) and says which setting to raise.
MEMORY_LIMIT = os.environ.get("SUPERVISION_MEMORY_LIMIT", "1GB")
WRITE_LOCK_TIMEOUT = float(os.environ.get("SUPERVISION_WRITE_LOCK_TIMEOUT", "600"))


@contextlib.contextmanager
def file_lock(path: str | os.PathLike) -> Iterator[None]:
    """An exclusive lock across processes on `path` (created), held until the block ends; waits for it."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def vocab_labels(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, str]]:
    """(domain, code) → (Chinese label, English label) of the shipped vocabulary (supervision/defaults/vocab.csv)."""
    rows = con.execute("select distinct domain, code, label_zh, label_en from vocab").fetchall()
    return {(d, c): (zh, en) for d, c, zh, en in rows}


class _Discard(Exception):
    """Ends a dry run: the copy is thrown away."""


class StoreError(RuntimeError):
    """The database cannot be opened or written as asked; the message says why and what to do."""


@functools.cache
def sql(name: str) -> str:
    """The text of queries/<name>.sql."""
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


def _config(read_only: bool, temp_dir: str) -> dict:
    if read_only:  # no reading or writing of other files; spills go to <path>.tmp (DuckDB's default)
        return {"memory_limit": MEMORY_LIMIT, "enable_external_access": False}
    return {"memory_limit": MEMORY_LIMIT, "temp_directory": temp_dir}


def connect(path: str | None = None, read_only: bool = False, temp_dir: str | None = None) -> duckdb.DuckDBPyConnection:
    """A plain connection to `path`: read-only, or read-write in place (tests, and the writer's copy).
    The schema and stored macros are created by `supervision.store`, not here. A writer spills to `temp_dir`
    (default `<path>.tmp`) beyond the memory limit."""
    path = str(path or DEFAULT_DB)
    temp_dir = temp_dir or (path + ".tmp" if path != ":memory:" else "")
    if read_only and path != ":memory:" and not os.path.exists(path):
        raise FileNotFoundError(f"database {path} does not exist: run `python -m supervision import` first")
    if not read_only and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(path, read_only=read_only, config=_config(read_only, temp_dir))
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise StoreError(
                f"database {path} is held by another program that opened it for writing in place "
                "(an older version of this tool?): stop it, or wait for it to finish"
            ) from e
        raise


# ---------------------------------------------------------------- the writer
@contextlib.contextmanager
def _write_lock(path: str) -> Iterator[None]:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path + ".lock", "a+") as fh:
        deadline = time.monotonic() + WRITE_LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"another import or standards load is writing {path} (lock {path}.lock held for more "
                        f"than {WRITE_LOCK_TIMEOUT:.0f} s): try again when it has finished"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove(path: str) -> None:
    for p in (path, path + ".wal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(p)
    shutil.rmtree(path + ".tmp", ignore_errors=True)


@contextlib.contextmanager
def writing(path: str | None = None, keep: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection to a private copy of the database; the copy replaces the live file when the
    block ends without an exception (readers switch to it on their next query), and is thrown away otherwise —
    or always, with `keep=False` (a dry run: what an import would do, nothing stored)."""
    path = str(path or DEFAULT_DB)
    nxt = path + ".next"
    with _write_lock(path):
        _remove(nxt)  # left over by a writer that was killed
        if os.path.exists(path):
            if os.path.exists(path + ".wal"):
                raise StoreError(
                    f"{path}.wal exists: the database was last written in place and not closed cleanly. Stop every "
                    f"program using {path}, then open it once for writing (python -m supervision upgrade --db "
                    f"{path}) to replay it"
                )
            shutil.copyfile(path, nxt)
        con = connect(nxt)
        try:
            yield con
            if not keep:
                raise _Discard
            con.execute("checkpoint")
            con.close()
        except _Discard:
            con.close()
            _remove(nxt)
            return
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            _remove(nxt)
            raise
        with open(nxt, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(nxt, path)
        dir_fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        shutil.rmtree(nxt + ".tmp", ignore_errors=True)


# ---------------------------------------------------------------- readers
def version_of(path: str) -> tuple[int, int] | None:
    """(inode, mtime in ns) of the live file: a new value means a writer swapped in a new version."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def open_version(path: str) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
    """A read-only connection to the version of `path` that is live now, under a path of its own (see above)."""
    for _ in range(5):
        ver = version_of(path)
        if ver is None:
            raise FileNotFoundError(f"database {path} does not exist: run `python -m supervision import` first")
        # in a folder of their own: a read-only connection spills to <alias>.tmp (DuckDB forbids choosing
        # another temp directory once external access is off)
        folder = path + ".readers"
        os.makedirs(folder, exist_ok=True)
        alias = os.path.join(folder, f"v{ver[0]}-{os.getpid()}-{threading.get_ident()}.duckdb")
        try:
            os.link(path, alias)
        except FileNotFoundError:  # swapped between stat and link: look again
            continue
        try:
            if version_of(alias) is None or os.stat(alias).st_ino != ver[0]:
                continue
            return connect(alias, read_only=True), ver
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(alias)
    raise StoreError(f"database {path} keeps changing: could not open a stable version")


class Reader:
    """The dashboard's shared read-only access: one DuckDB instance per version of the file, one cursor per
    query (a cursor is a connection of its own, so sessions never wait on each other)."""

    def __init__(self, path: str):
        self.path = str(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self.version: tuple[int, int] | None = None
        self.on_new_version = None  # called with the new connection after a switch (warm-up)

    def current(self) -> tuple[duckdb.DuckDBPyConnection, tuple[int, int]]:
        ver = version_of(self.path)
        if self._con is None or ver != self.version:
            with self._lock:
                if self._con is None or version_of(self.path) != self.version:
                    # the old instance is not closed here: queries still running on its cursors finish on the
                    # old version, and it is freed when the last of them is done
                    self._con, self.version = open_version(self.path)
                    if self.on_new_version is not None:
                        self.on_new_version(self._con)
        return self._con, self.version

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.current()[0].cursor()


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows, chunk: int = 500) -> None:
    """Insert `rows` (tuples of every column of `table`, in order) with one statement per `chunk` rows. DuckDB's
    executemany runs one statement per row: the few hundred vocabulary rows of a new database took 0.12 s.
    `table` is a name from the code, never from input."""
    rows = [tuple(r) for r in rows]
    for i in range(0, len(rows), chunk):
        part = rows[i : i + chunk]
        marks = ", ".join("(" + ", ".join("?" * len(r)) + ")" for r in part)
        con.execute(f"insert into {table} values {marks}", [v for r in part for v in r])  # noqa: S608


def meta_get(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("select value from meta where key = $k", {"k": key}).fetchone()
    return row[0] if row else None


def meta_set(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("delete from meta where key = $k", {"k": key})
    con.execute("insert into meta values ($k, $v)", {"k": key, "v": value})
