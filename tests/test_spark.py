"""The same §8 reports on Apache Spark (SPEC §11): from a Parquet export, with the SQL of queries/ transpiled
(supervision/spark.py), every output byte for byte what DuckDB prints — on the shared conformance export and on
the committed sample — and a clear refusal when Java, pyspark or the export is not there.

One local Spark session serves the module (starting one takes 10–20 s on two cores)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import support

from supervision import cli, contract, lake, measures, spark, store

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = (dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 7, 15))


@pytest.fixture(scope="module")
def session():
    s = spark.session("local[2]")
    yield s
    s.stop()


def _exported(base: Path, folder) -> tuple[str, Path]:
    path = support.imported_db(base / "db.duckdb", folder, clean=False)
    lake.export_database(path, str(base / "parquet"))
    return path, base / "parquet"


@pytest.fixture(scope="module")
def conformance(tmp_path_factory, session):
    path, out = _exported(tmp_path_factory.mktemp("spark_conf"), support.EXPORT)
    return path, spark.Engine(session, str(out))


@pytest.fixture(scope="module")
def sample(tmp_path_factory, session):
    path, out = _exported(tmp_path_factory.mktemp("spark_small"), ROOT / "sample_data" / "small")
    return path, spark.Engine(session, str(out))


def _csv(header, rows) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        cli._print(header, rows, "csv")
    return buf.getvalue()


def _duckdb_csv(path: str, measure: str, level: str, window, scope=measures.PROVINCE) -> str:
    con = store.open_reader(path)
    try:
        return _csv(*measures.report(con, measure, level, *window, scope))
    finally:
        con.close()


def test_every_build_and_report_query_has_a_spark_form(session):
    """A query of the build or the reports that SQLGlot cannot write as Spark SQL, or that Spark cannot parse,
    fails here — by name."""
    params = {
        "year_from": 2026,
        "year_to": 2026,
        "version": 1,
        "level": "city",
        **measures.params(*CONFORMANCE),
        **dict.fromkeys(("city", "district", "manager", "service")),  # the pages' filters of §12's reports
    }
    parser = session._jsparkSession.sessionState().sqlParser()
    for name in (*spark.BUILD, *spark.REPORTS):
        text = spark.spark_form(name, params)
        assert "$" not in text and "INT128" not in text and " REPLACE (" not in text, name
        parser.parsePlan(text)  # raises on Spark syntax it does not know
    # the macros were expanded: no call of a stored macro is left for Spark to look up
    for name in (*spark.BUILD, *spark.REPORTS):
        text = spark.spark_form(name, params).lower()
        assert not [m for m in spark.macros() if f"{m}(" in text.replace(" ", "")], name


def test_the_24_conformance_outputs_are_byte_identical_on_spark(conformance):
    path, engine = conformance
    for measure in contract.MEASURES:
        for level in contract.LEVELS:
            got = _csv(*engine.report(measure, level, *CONFORMANCE))
            want = _duckdb_csv(path, measure, level, CONFORMANCE)
            assert got == want, (measure, level)  # DuckDB's against the shared expected: test_conformance.py


def test_the_24_sample_outputs_are_byte_identical_on_spark_with_a_scope(sample):
    path, engine = sample
    window = (dt.date(2026, 1, 1), dt.date(2026, 12, 31), None)
    scope = engine.scope("2101", None)
    for measure in contract.MEASURES:
        for level in contract.LEVELS:
            got = _csv(*engine.report(measure, level, *window))
            assert got == _duckdb_csv(path, measure, level, window), (measure, level)
            assert len(got.splitlines()) > 1
        got = _csv(*engine.report(measure, "district", *window, scope))
        assert got == _duckdb_csv(path, measure, "district", window, scope), measure
        assert {ln.split(",")[0] for ln in got.splitlines()[1:]} == {"2101"}


def test_the_16_section_12_outputs_are_byte_identical_on_spark(tmp_path_factory, session, sample, conformance):
    """SPEC §12's measures on Spark too: the §12 conformance export's 16 outputs, and the committed sample's at
    every level, byte for byte DuckDB's."""
    path, out = _exported(tmp_path_factory.mktemp("spark_s12"), support.FIXTURES_S12 / "export")
    engine = spark.Engine(session, str(out))
    for measure in contract.S12_MEASURES:
        for level in contract.LEVELS:
            if level in contract.REFUSED_LEVELS.get(measure, ()):
                with pytest.raises(ValueError, match="not a level of this measure"):
                    engine.report(measure, level, *CONFORMANCE)
                continue
            got = _csv(*engine.report(measure, level, *CONFORMANCE))
            assert got == _duckdb_csv(path, measure, level, CONFORMANCE), (measure, level)
    _, base = conformance  # the §3–§5 export has no work orders: no data, on Spark as on DuckDB
    with pytest.raises(measures.NoData, match="work_orders.csv"):
        base.report("returnvisits", "city", *CONFORMANCE)
    small, small_engine = sample
    window = (dt.date(2026, 1, 1), dt.date(2026, 12, 31), None)
    for measure in contract.S12_MEASURES:
        for level in ("province", "district", "service"):
            got = _csv(*small_engine.report(measure, level, *window))
            assert got == _duckdb_csv(small, measure, level, window), (measure, level)
            assert len(got.splitlines()) > 1


def test_a_window_outside_the_data_years_is_built_as_duckdb_builds_it(sample):
    """DuckDB builds a window beyond the stored years on the fly (build.ensure_window); Spark builds the years
    it is asked for: the same rows, all open obligations for a year with no record yet."""
    path, engine = sample
    window = (dt.date(2027, 1, 1), dt.date(2027, 6, 30), dt.date(2027, 3, 31))
    for measure in ("compliance", "greetings"):
        got = _csv(*engine.report(measure, "city", *window))
        assert got == _duckdb_csv(path, measure, "city", window), measure


def test_scope_refusals_match_duckdbs(sample):
    _, engine = sample
    with pytest.raises(ValueError, match="unknown city 9999"):
        engine.scope("9999", None)
    with pytest.raises(ValueError, match="unknown district"):
        engine.scope(None, "999999")


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "supervision", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_the_cli_prints_the_same_csv_from_spark(sample):
    path, engine = sample
    common = ["report", "complaints", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "district"]
    common += ["--city", "2101", "--format", "csv"]
    got = _cli(*common, "--engine", "spark", "--parquet", engine.folder, "--master", "local[1]")
    assert got.returncode == 0, got.stderr[-2000:]
    want = _cli(*common, "--db", path)
    assert got.stdout == want.stdout and want.stdout.count("\n") > 1


def test_spark_refuses_a_folder_that_is_not_an_export_and_a_missing_table(sample, tmp_path):
    _, engine = sample
    args = ["report", "compliance", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "city", "--engine", "spark"]
    r = _cli(*args)
    assert r.returncode == 2 and "give --parquet DIR" in r.stderr
    (tmp_path / "other").mkdir()
    r = _cli(*args, "--parquet", str(tmp_path / "other"))
    assert r.returncode == 2 and "is not an export of this tool" in r.stderr
    part = tmp_path / "part"
    shutil.copytree(engine.folder, part)
    shutil.rmtree(part / "tier_history")
    r = _cli(*args, "--parquet", str(part))
    assert r.returncode == 2 and "tier_history is missing" in r.stderr


def test_spark_says_what_to_install_without_pyspark_or_java(sample, tmp_path):
    _, engine = sample
    args = ["report", "compliance", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "city", "--engine", "spark"]
    args += ["--parquet", engine.folder]
    # pyspark absent: a module that cannot be imported
    hide = tmp_path / "hide"
    hide.mkdir()
    (hide / "pyspark").mkdir()
    (hide / "pyspark" / "__init__.py").write_text("raise ImportError('no pyspark here')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{hide}{os.pathsep}{ROOT}"}
    r = _cli(*args, env=env)
    assert r.returncode == 2 and "pyspark is not installed" in r.stderr and "requirements-spark.txt" in r.stderr
    # sqlglot absent (the default install): the same advice
    (hide / "sqlglot").mkdir()
    (hide / "sqlglot" / "__init__.py").write_text(
        "raise ImportError('no sqlglot here', name='sqlglot')\n", encoding="utf-8"
    )
    r = _cli(*args, env=env)
    assert r.returncode == 2 and "Spark engine is not installed (sqlglot)" in r.stderr
    assert "requirements-spark.txt" in r.stderr and "openjdk-17-jre-headless" in r.stderr
    # Java absent: no JAVA_HOME and no `java` on the PATH
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(tmp_path)
    r = _cli(*args, env=env)
    assert r.returncode == 2 and "Java is not installed" in r.stderr and "openjdk-17-jre-headless" in r.stderr
