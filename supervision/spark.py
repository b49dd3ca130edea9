"""The §8 reports on Apache Spark (SPEC §11), from a Parquet export (supervision/lake.py), with the same SQL.

There is one source of each rule: the `.sql` files in queries/. This module runs them on Spark by
transpiling them with SQLGlot from DuckDB's dialect:

1. the stored macros DuckDB keeps in the database (queries/measures/*.sql) are expanded where they are called —
   a scalar macro's body replaces the call with its parameters substituted, a
   table macro becomes a subquery — because Spark has no macros;
2. the query's parameters ($date_from, ...) become typed literals in the syntax tree (never text pasted into
   SQL; the values are dates, integers and codes the command line has already checked);
3. SQLGlot writes the tree as Spark SQL.

The materialised tables (obligations and the rest, queries/build/) are built on Spark from the exported base
tables in the same order as supervision/build.py builds them in DuckDB, each cached for the reports that read
it; the report's rows are then shaped by the same Python as DuckDB's (measures.shape_report), so both engines
print byte-identical CSVs on the same data (tests/test_spark.py). `spark_form(name)` is what every query must
have: a test fails for a query of the build or the reports that SQLGlot cannot write as Spark SQL.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import warnings

import sqlglot
from sqlglot import exp

from supervision import build, contract, db, lake, measures
from supervision.scope import Scope

# the files Spark needs: the macros, the build, the reports
BUILD = tuple(f"build/{t}" for t, _ in build.TABLES)
REPORTS = tuple(measures.REPORT_QUERY[m] for m in contract.MEASURES + contract.S12_MEASURES)


class SparkUnavailable(RuntimeError):
    """pyspark or Java is missing: the message says what to install."""


# ------------------------------------------------------------------ transpiling
@functools.cache
def macros() -> dict[str, tuple[tuple[str, ...], exp.Expression, bool]]:
    """Every stored macro of queries/: name -> (parameter names, body, is a table macro)."""
    found = {}
    # parse_ts (the importer's time parser) is not among them: no build or report query calls it, and its DuckDB
    # struct forms have no Spark spelling; a query that called it would fail the Spark-form test by name
    for name in (n for n in build.MACRO_FILES if n != "import/parse_ts"):
        for stmt in sqlglot.parse(db.sql(name), read="duckdb"):
            if not isinstance(stmt, exp.Create) or str(stmt.args.get("kind", "")).upper() != "MACRO":
                continue
            udf = stmt.this
            params = tuple(p.name.lower() for p in udf.expressions)
            body = stmt.expression
            found[udf.this.name.lower()] = (params, body, isinstance(body, (exp.Select, exp.Union, exp.Subquery)))
    return found


def _substitute(body: exp.Expression, params: tuple[str, ...], args: list[exp.Expression]) -> exp.Expression:
    """The macro's body with each unqualified column named like a parameter replaced by the argument (DuckDB's
    macro semantics: a parameter shadows a column of the same name)."""
    values = dict(zip(params, args))

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.lower() in values:
            return exp.Paren(this=values[node.name.lower()].copy())
        return node

    return body.copy().transform(swap)


def expand(tree: exp.Expression) -> exp.Expression:
    """Expand every macro call of `tree`, again and again until none is left (macros call macros)."""
    known = macros()

    def call_of(node: exp.Expression) -> tuple[str, list[exp.Expression]] | None:
        if isinstance(node, exp.Anonymous) and node.name.lower() in known:
            return node.name.lower(), list(node.expressions)
        return None

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous):
            call = call_of(node.this)
            if call and known[call[0]][2]:
                params, body, _ = known[call[0]]
                alias = node.alias or call[0]
                return exp.Subquery(
                    this=_substitute(body, params, call[1]), alias=exp.TableAlias(this=exp.to_identifier(alias))
                )
        call = call_of(node)
        if call and not known[call[0]][2]:
            params, body, _ = known[call[0]]
            return exp.Paren(this=_substitute(body, params, call[1]))
        return node

    for _ in range(20):
        before = tree.sql(dialect="duckdb")
        tree = tree.transform(swap)
        if tree.sql(dialect="duckdb") == before:
            return tree
    raise RuntimeError("macros nest deeper than 20 levels")


def _literal(value) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, dt.date):
        return exp.Cast(this=exp.Literal.string(value.isoformat()), to=exp.DataType.build("date"))
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    raise TypeError(f"no literal for {type(value).__name__}")


def bind(tree: exp.Expression, params: dict) -> exp.Expression:
    """Replace each $name of `tree` by the typed literal of params[name]."""

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.Placeholder, exp.Parameter)):
            key = node.name
            if key not in params:
                raise KeyError(f"query parameter ${key} has no value")
            return _literal(params[key])
        return node

    return tree.transform(swap)


# DuckDB functions Spark spells differently and SQLGlot does not map (each checked against DuckDB's meaning)
def _to_months(args: list[exp.Expression]) -> exp.Expression:
    # to_months(n): an interval of n months; Spark: make_ym_interval(years, months)
    return exp.Anonymous(this="make_ym_interval", expressions=[exp.Literal.number(0), args[0]])


def _to_hours(args: list[exp.Expression]) -> exp.Expression:
    # to_hours(n): an interval of n hours; Spark: make_dt_interval(days, hours)
    return exp.Anonymous(this="make_dt_interval", expressions=[exp.Literal.number(0), args[0]])


GAPS = {"to_months": _to_months, "to_hours": _to_hours}


def _gaps(tree: exp.Expression) -> exp.Expression:
    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Anonymous) and node.name.lower() in GAPS:
            return GAPS[node.name.lower()](list(node.expressions))
        if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.INT128:
            # DuckDB's hugeint (exact integer arithmetic of the rate rule): Spark's widest exact integer type
            return exp.DataType.build("decimal(38, 0)")
        return node

    return tree.transform(swap)


def _struct_unnest(tree: exp.Expression) -> exp.Expression:
    """DuckDB's `unnest(a_struct)` in a select list spreads the struct's fields into columns; Spark writes
    that `a_struct.*`."""

    def swap(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Explode) and isinstance(node.this, exp.Column) and isinstance(node.parent, exp.Select):
            return exp.Column(this=exp.Star(), table=exp.to_identifier(node.this.name))
        return node

    return tree.transform(swap)


def spark_form(name: str, params: dict | None = None) -> str:
    """queries/<name>.sql as Spark SQL: macros expanded, parameters bound (when given), transpiled."""
    tree = sqlglot.parse_one(db.sql(name), read="duckdb")
    tree = _gaps(_struct_unnest(expand(tree)))
    if params is not None:
        tree = bind(tree, params)
    return tree.sql(dialect="spark", comments=False)


# ------------------------------------------------------------------ running
def session(master: str | None = None):
    """A Spark session: `master` (or $SPARK_MASTER; under spark-submit, its --master; local[*] otherwise) — any
    cluster through the usual setting. Raises SparkUnavailable when pyspark or Java is missing."""
    try:
        with warnings.catch_warnings():  # pyspark's own note about pandas 3 (its pandas API, which we do not use)
            warnings.simplefilter("ignore", FutureWarning)
            from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            "pyspark is not installed: `pip install -r requirements-spark.txt` (and Java 17: "
            "`apt-get install openjdk-17-jre-headless`)"
        ) from None
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SparkUnavailable("Java is not installed (Spark needs Java 17): `apt-get install openjdk-17-jre-headless`")
    master = master or os.environ.get("SPARK_MASTER")
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[*]"  # not under spark-submit (which sets the master itself): a local session
    builder = SparkSession.builder if master is None else SparkSession.builder.master(master)
    builder = (
        builder.appName("supervision report")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")  # dates and times are the export's local ones, no zone
        .config("spark.sql.shuffle.partitions", os.environ.get("SUPERVISION_SPARK_PARTITIONS", "8"))
        .config("spark.log.level", "OFF")
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("OFF")  # a failing query raises in Python, with Spark's own message
    return spark


_ACTIVE: dict[int, object] = {}  # Spark session -> the engine whose tables its temp views name now


class Engine:
    """The reports of one export on one Spark session: the base tables as views, the materialised tables built
    on Spark (for the years of the data and of every window asked), cached."""

    def __init__(self, spark, folder: str):
        self.spark = spark
        self.folder = folder
        self.manifest = lake.read_manifest(folder)
        self._frames = {}  # table name -> DataFrame: the export's tables, then the materialised ones
        for table in lake.TABLE_NAMES:
            spec = self.manifest["tables"][table]
            reader = spark.read
            path = os.path.join(os.path.abspath(folder), table)
            if spec["partition_by"]:
                reader = reader.option("basePath", path)
            self._frames[table] = reader.parquet(path).select(*spec["columns"])
        self._activate()
        self.version = self.manifest["standards_version"]
        self.years: tuple[int, int] | None = None
        row = spark.sql(
            "select year(min(service_time)), year(max(service_time)), max(service_time) from service_logs"
        ).collect()[0]
        this = dt.date.today().year
        self.data_years = (row[0] or this, row[1] or this)
        self.default_as_of = row[2].date() if row[2] is not None else None

    def _activate(self) -> None:
        """The SQL names this engine's tables (a session's temp views are shared: another engine of the same
        session may have named its own since)."""
        if _ACTIVE.get(id(self.spark)) is self:
            return
        for table, df in self._frames.items():
            df.createOrReplaceTempView(table)
        _ACTIVE[id(self.spark)] = self

    def _build(self, y0: int, y1: int) -> None:
        for table, by_year in build.TABLES:
            params = {"year_from": y0, "year_to": y1} if by_year else {}
            if table == "standard_segments":
                params = {"version": self.version}
            # materialised once, its lineage cut: every report reads the stored rows, as DuckDB's tables
            df = self.spark.sql(spark_form(f"build/{table}", params)).localCheckpoint(eager=True)
            df.createOrReplaceTempView(table)
            self._frames[table] = df
        self.years = (y0, y1)

    def ensure_years(self, date_from: dt.date, date_to: dt.date) -> None:
        self._activate()
        y0 = min(self.data_years[0], date_from.year)
        y1 = max(self.data_years[1], date_to.year)
        if self.years is None or y0 < self.years[0] or y1 > self.years[1]:
            if self.years is not None:
                y0, y1 = min(y0, self.years[0]), max(y1, self.years[1])
            self._build(y0, y1)

    def scope(self, city: str | None, district: str | None) -> Scope:
        """--city/--district as a scope, checked against the org units as the DuckDB command does."""
        if not city and not district:
            return Scope()
        rows = self._frames["org_units"].select("district_code", "city_code").collect()
        of = {r[0]: r[1] for r in rows}
        if district:
            if district not in of:
                raise ValueError(f"unknown district {district}")
            if city and city != of[district]:
                raise ValueError(f"district {district} is in city {of[district]}, not {city}")
            return Scope(city_code=of[district], district_code=district)
        if city not in set(of.values()):
            raise ValueError(f"unknown city {city}")
        return Scope(city_code=city)

    def report(
        self,
        measure: str,
        level: str,
        date_from: dt.date,
        date_to: dt.date,
        as_of: dt.date | None = None,
        scope: Scope = measures.PROVINCE,
    ) -> tuple[list[str], list[list]]:
        """One report (§8 or §12), as measures.report gives it from DuckDB."""
        measures.check(measure, level)
        missing = measures.missing_file(measure, {t: spec["rows"] for t, spec in self.manifest["tables"].items()})
        if missing:
            raise measures.no_data(measure, missing)
        as_of = as_of or self.default_as_of or date_to
        self.ensure_years(date_from, date_to)
        df = self.spark.sql(spark_form(*measures.report_query(measure, level, date_from, date_to, as_of, scope)))
        names = df.columns
        return measures.shape_report(measure, level, names, [tuple(r) for r in df.collect()])
