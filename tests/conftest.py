"""Shared fixtures: the conformance export imported once, and helpers to write and import tiny exports.

The conformance export (tests/fixtures/examples/export) and its expected outputs (…/expected) are copies of
the shared examples, so the suite runs on a fresh clone with nothing else around it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import support

from supervision import db

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Path of a DuckDB file holding the conformance export, imported once per session (read-only use)."""
    # the conformance export is dirty on purpose: its quarantine is part of what is tested
    return support.imported_db(tmp_path_factory.mktemp("examples") / "examples.duckdb", support.EXPORT, clean=False)


@pytest.fixture(scope="session")
def examples_s12_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Path of a DuckDB file holding SPEC §12's conformance export (tests/fixtures/examples_s12), imported once."""
    return support.imported_db(
        tmp_path_factory.mktemp("examples_s12") / "examples_s12.duckdb", support.FIXTURES_S12 / "export", clean=False
    )


@pytest.fixture(scope="session")
def examples_con(examples_db: str) -> Iterator:
    """A read-only connection on the imported conformance export."""
    con = db.connect(examples_db, read_only=True)
    yield con
    con.close()


@pytest.fixture
def export_dir(tmp_path: Path) -> Callable[..., Path]:
    """`export_dir(**tables)` writes a small canonical CSV export (support.write_export) into a new folder
    under tmp_path and returns the folder; `export_dir(files={name: text|bytes})` writes raw files instead."""
    counter = itertools.count(1)

    def make(files: dict[str, str | bytes] | None = None, encoding: str = "utf-8", **tables) -> Path:
        folder = tmp_path / f"export{next(counter)}"
        if files is not None:
            support.write_files(folder, files, encoding=encoding)
        if tables or files is None:
            support.write_export(folder, **tables)
        return folder

    return make


@pytest.fixture
def fresh_db(tmp_path: Path) -> Iterator[Callable[[], object]]:
    """`fresh_db()` opens a new, empty database (schema + shipped defaults) under tmp_path (support.new_db);
    every database opened is closed after the test."""
    counter = itertools.count(1)
    opened = []

    def make():
        con = support.new_db(tmp_path / f"db{next(counter)}.duckdb")
        opened.append(con)
        return con

    yield make
    for con in opened:
        try:
            con.close()
        except Exception:
            pass


@pytest.fixture
def import_folder(fresh_db) -> Callable:
    """`import_folder(folder, con=None)` imports `folder` into `con` (default: a fresh database) as of the import
    day (support.import_into) and returns (con, report). Unlike support.imported_db, it keeps every row's fate
    for the test to check, and a database it imported into stays open for the next import."""

    def run(folder, con=None):
        con = con if con is not None else fresh_db()
        return con, support.import_into(con, folder)

    return run


@pytest.fixture
def build(export_dir, import_folder) -> Callable:
    """`build(**tables)`: write a tiny export (support.write_export) and import it into a fresh database."""

    def run(**tables):
        con, _ = import_folder(export_dir(**tables))
        return con

    return run


@pytest.fixture
def dashboard_db(examples_db: str) -> str:
    """The database `dashboard` opens: the conformance export (a test module may override this fixture)."""
    return examples_db


@pytest.fixture
def dashboard(dashboard_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """`dashboard(user, page, **url_params)` runs the app under Streamlit's AppTest on the conformance export,
    signed in as `user` (None: nobody), opened on `page` with `url_params`, as of 2026-07-15. The audit log and
    the users file go to tmp_path."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SUPERVISION_DB", dashboard_db)
    monkeypatch.setenv("SUPERVISION_AUDIT_LOG", str(tmp_path / "audit_log.jsonl"))
    monkeypatch.setenv("SUPERVISION_USERS", str(tmp_path / "users.json"))

    from supervision import auth

    def make(user, page: str = "overview", **params) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        if user is not None:  # a signed-in session of a user who exists in the users file (checked every run)
            auth._cache["key"] = None
            user = auth.add_user(
                user.username, "test-password-1", user.role, user.name, user.city_code, user.district_code, replace=True
            )
            at.session_state["user"] = user
        at.query_params.update({"asof": "2026-07-15", **params})
        at.run()
        if page != "overview":
            at.switch_page(f"app_pages/{page}.py")
            at.run()
        return at

    return make
