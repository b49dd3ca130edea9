"""Command line (SPEC §8): `python -m supervision import|report|standards load|config load ...`.

Each command imports only what it needs: a report starts in about the time `import duckdb` takes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import getpass
import json
import os
import sys

import duckdb

from supervision import contract, db


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _table(header: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in header]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def out_of_memory(e: Exception) -> str:
    return (
        f"it needs more memory than SUPERVISION_MEMORY_LIMIT={db.MEMORY_LIMIT} allows "
        f"(DuckDB: {str(e).splitlines()[0]}). Raise the limit, e.g. SUPERVISION_MEMORY_LIMIT=2GB, "
        "or import the export in smaller parts."
    )


def cmd_import(a: argparse.Namespace) -> int:
    from supervision import auditlog, importing, store

    try:
        rep = store.import_folder(a.db, a.dir, username=a.user, dry_run=a.dry_run)
    except importing.ImportRefused as e:
        print(f"import refused, nothing was stored: {e}", file=sys.stderr)
        return 2
    except duckdb.OutOfMemoryException as e:
        print(f"import stopped, nothing was stored: {out_of_memory(e)}", file=sys.stderr)
        return 3
    if not a.dry_run:
        auditlog.log(
            a.user,
            "import",
            {"import_id": rep.import_id, "source": os.path.abspath(a.dir), "report": rep.as_json()["files"], **_who()},
        )
    if a.format == "json":
        print(json.dumps(rep.as_json(), ensure_ascii=False, indent=1))
    else:
        rows = [[f.file, f.encoding, f.read, f.accepted, f.updated, f.quarantined, f.duplicates] for f in rep.files]
        print(
            f"dry run: what import {rep.import_id} would do to {a.db} (nothing was stored)"
            if a.dry_run
            else f"import {rep.import_id} into {a.db}"
        )
        print(_table(["file", "encoding", "read", "accepted", "updated", "quarantined", "duplicates"], rows))
        for f in rep.files:
            for note in f.notes:
                print(f"{f.file}: {note}")
        if rep.ignored:
            print(f"ignored (not an export file name): {', '.join(rep.ignored)}")
        if rep.standards_version is not None:
            state = "loaded as new version" if rep.standards_loaded else "unchanged, version"
            print(f"standards.csv: {state} {rep.standards_version}")
        q = sum(f.quarantined for f in rep.files)
        if q and a.dry_run:
            print(f"{q} line(s) would be quarantined:")
            print(_table(["file", "line", "reason"], [[f, n, r] for f, n, r, _ in rep.quarantine[:50]]))
        elif q:
            print(
                f"{q} line(s) quarantined: see the import page or `select * from quarantine where import_id = "
                f"{rep.import_id}`"
            )
    if a.dry_run or a.no_alerts:
        return 0
    # SPEC §9: the alerts are evaluated after every import (in --format json their summary goes to stderr)
    if _alerts_run(a.db, None, None, a.user, out=sys.stderr if a.format == "json" else sys.stdout):
        print("the import landed; the alerts above did not all go through (see the messages)", file=sys.stderr)
        return 5
    return 0


def _report_scope(con, a: argparse.Namespace):
    """--city / --district: the rows of one city or district, as a reader of that scope sees them (SPEC §10
    replay). Unknown codes, or a district of another city, are refused (ValueError)."""
    from supervision.scope import Scope

    if not a.city and not a.district:
        return Scope()
    if a.district:
        row = con.execute("select city_code from org_units where district_code = $d", {"d": a.district}).fetchone()
        if row is None:
            raise ValueError(f"unknown district {a.district}")
        if a.city and a.city != row[0]:
            raise ValueError(f"district {a.district} is in city {row[0]}, not {a.city}")
        return Scope(city_code=row[0], district_code=a.district)
    if con.execute("select 1 from org_units where city_code = $c limit 1", {"c": a.city}).fetchone() is None:
        raise ValueError(f"unknown city {a.city}")
    return Scope(city_code=a.city)


def _scoped_listing(a: argparse.Namespace, produce) -> int:
    """Open the database, resolve --city/--district (a reader's scope, _report_scope), print what
    `produce(con, scope)` returns as (header, rows) in --format. Unknown codes exit 2."""
    from supervision import store

    con = store.open_reader(a.db)
    try:
        header, rows = produce(con, _report_scope(con, a))
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    finally:
        con.close()
    _print(header, rows, a.format)
    return 0


def cmd_report(a: argparse.Namespace) -> int:
    if a.engine == "spark":
        return _spark_report(a)
    from supervision import measures

    def produce(con, scope):
        try:
            return measures.report(con, a.measure, a.by, a.date_from, a.date_to, a.as_of, scope)
        except measures.NoData as e:  # SPEC §12: a file never exported is "no data", not zeros
            print(str(e), file=sys.stderr)
            return measures.header(a.measure, a.by), []

    return _scoped_listing(a, produce)


def _spark_report(a: argparse.Namespace) -> int:
    """SPEC §11: the same report computed on Spark from a Parquet export (supervision/spark.py)."""
    if not a.parquet:
        print("--engine spark reads a Parquet export: give --parquet DIR (written by `export`)", file=sys.stderr)
        return 2
    from supervision import lake, measures

    try:
        from supervision import spark
    except ImportError as e:  # sqlglot (or pyspark's dependencies): the default install has neither
        print(
            f"the Spark engine is not installed ({e.name or e}): `bash scripts/setup.sh --spark` "
            "(pip install -r requirements-spark.txt) and Java 17 (apt-get install openjdk-17-jre-headless)",
            file=sys.stderr,
        )
        return 2
    try:
        lake.read_manifest(a.parquet)  # before Spark starts: a wrong folder is said at once
        session = spark.session(a.master)
    except (lake.ExportError, spark.SparkUnavailable) as e:
        print(str(e), file=sys.stderr)
        return 2
    try:
        engine = spark.Engine(session, a.parquet)
        header, rows = engine.report(a.measure, a.by, a.date_from, a.date_to, a.as_of, engine.scope(a.city, a.district))
    except measures.NoData as e:  # as the embedded engine: the header alone, the reason on stderr
        print(str(e), file=sys.stderr)
        header, rows = measures.header(a.measure, a.by), []
    except (ValueError, lake.ExportError) as e:
        print(str(e), file=sys.stderr)
        return 2
    finally:
        session.stop()
    _print(header, rows, a.format)
    return 0


def _print(header: list[str], rows: list[list], fmt: str) -> None:
    if fmt == "csv":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    elif fmt == "json":
        print(json.dumps([dict(zip(header, r)) for r in rows], ensure_ascii=False, indent=1, default=str))
    else:
        print(_table(header, rows))


def cmd_due(a: argparse.Namespace) -> int:
    from supervision import measures

    return _scoped_listing(a, lambda con, scope: measures.due(con, a.as_of, scope, manager=a.manager, within=a.within))


def cmd_watch(a: argparse.Namespace) -> int:
    from supervision import measures

    return _scoped_listing(a, lambda con, scope: measures.watch(con, a.as_of, scope))


def _formats(text: str) -> tuple[str, ...]:
    from supervision.brief import FORMATS

    asked = tuple(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
    wrong = [x for x in asked if x not in FORMATS]
    if wrong or not asked:
        raise argparse.ArgumentTypeError(f"formats are a comma-separated list of {', '.join(FORMATS)}: {text!r}")
    return asked


def cmd_export(a: argparse.Namespace) -> int:
    """SPEC §11: the validated tables as Parquet (supervision/lake.py), read back and checked unless --no-verify."""
    from supervision import lake

    try:
        manifest = lake.export_database(a.db, a.parquet, check=not a.no_verify)
    except lake.ExportMismatch as e:
        print(str(e), file=sys.stderr)
        return 3
    except lake.ExportError as e:
        print(str(e), file=sys.stderr)
        return 2
    checked = {} if a.no_verify else dict.fromkeys(manifest["tables"], True)
    rows = [
        [t, spec["rows"], ",".join(spec["partition_by"]), "" if not checked else "yes" if checked[t] else "NO"]
        for t, spec in manifest["tables"].items()
    ]
    print(
        f"exported {a.db} (data version {manifest['data_version']}, standards version "
        f"{manifest['standards_version']}) to {os.path.abspath(a.parquet)}"
    )
    print(_table(["table", "rows", "partitioned_by", "read_back_equal"], rows))
    return 0


def cmd_brief(a: argparse.Namespace) -> int:
    """SPEC §9: the weekly or monthly brief as HTML, PDF and Excel files in --out."""
    from supervision import auditlog, brief, store

    con = store.open_reader(a.db)
    try:
        scope = _report_scope(con, a)
        b = brief.compose(con, a.kind, a.date, scope, db_path=a.db, lang=a.lang)
        paths = brief.write(b, a.out, a.format)
    except ValueError as e:  # an unknown city or district
        print(f"brief not written: {e}", file=sys.stderr)
        return 2
    except brief.BriefError as e:
        print(f"brief not written: {e}", file=sys.stderr)
        return 3
    finally:
        con.close()
    auditlog.log(
        a.user,
        "brief",
        {
            "kind": a.kind,
            "window": f"{b.date_from}..{b.date_to}",
            "as_of": str(b.as_of),
            "scope": b.scope.city_code or "province",
            "provisional": b.provisional,
            "files": [os.path.basename(p) for p in paths],
            **_who(),
        },
    )
    if b.provisional:
        print(f"provisional: the data reaches only {b.as_of}", file=sys.stderr)
    for path in paths:
        print(path)
    return 0


def _alerts_run(db_path: str, rules: str | None, as_of, user: str | None, out=None) -> int:
    """Evaluate and deliver the alerts (SPEC §9); print what happened. 0 when every alert was kept and every
    delivery that could be tried went through; 4 when a delivery failed (kept, retried on the next run)."""
    from supervision import alerts

    try:
        rep = alerts.run(db_path, rules, as_of, username=user)
    except (alerts.AlertRulesError, alerts.AlertConfigError) as e:
        print(f"alerts not evaluated: {e}", file=sys.stderr)
        return 2
    print(
        f"alerts: {rep.new} new, {rep.sent} sent, {rep.failed} failed (kept, retried on the next run), "
        f"{rep.unsent} kept in the outbox only ({alerts.home(db_path) / 'outbox'})",
        file=out or sys.stdout,
    )
    for err in rep.errors:
        print(f"delivery failed: {err}", file=sys.stderr)
    return 4 if rep.failed else 0


def cmd_alerts_run(a: argparse.Namespace) -> int:
    return _alerts_run(a.db, a.rules, a.as_of, a.user)


def cmd_alerts_check(a: argparse.Namespace) -> int:
    from supervision import alerts, auth

    try:
        rules = alerts.load_rules(a.file, {u.username for u in auth.list_users()})
    except alerts.AlertRulesError as e:
        print(str(e), file=sys.stderr)
        return 2
    print(f"{a.file}: {len(rules)} rule(s), valid")
    return 0


def cmd_standards_load(a: argparse.Namespace) -> int:
    from supervision import auditlog, standards, store

    try:
        version, loaded = store.load_standards(a.db, a.file, username=a.user)
    except standards.StandardsError as e:
        print(str(e), file=sys.stderr)
        return 2
    except duckdb.OutOfMemoryException as e:
        print(f"standards load stopped, nothing was stored: {out_of_memory(e)}", file=sys.stderr)
        return 3
    auditlog.log(
        a.user, "standards_load", {"file": os.path.abspath(a.file), "version": version, "loaded": loaded, **_who()}
    )
    print(f"standards version {version} {'loaded' if loaded else 'unchanged (same as the current version)'}")
    return 0


def cmd_config_load(a: argparse.Namespace) -> int:
    from supervision import auditlog, config, store

    try:
        loaded = store.load_config(a.db, a.files, username=a.user)
    except config.ConfigError as e:
        print(str(e), file=sys.stderr)
        return 2
    except duckdb.OutOfMemoryException as e:
        print(f"config load stopped, nothing was stored: {out_of_memory(e)}", file=sys.stderr)
        return 3
    auditlog.log(
        a.user,
        "config_load",
        {
            "files": [os.path.abspath(f) for f in a.files],
            "version": loaded.version,
            "changed": loaded.changed,
            "standards_version": loaded.standards_version,
            **_who(),
        },
    )
    if not loaded.changed:
        print(f"configuration unchanged (same as version {loaded.version})")
        return 0
    print(f"configuration version {loaded.version} loaded ({', '.join(loaded.parts)}); obligations rebuilt")
    if loaded.standards_loaded:
        print(f"standards version {loaded.standards_version} loaded with it")
    if loaded.relabelled:
        print(f"{loaded.relabelled:,} stored customers/tier_history row(s) took their tier's new name")
    return 0


def cmd_config_show(a: argparse.Namespace) -> int:
    from supervision import store

    con = store.open_reader(a.db)
    try:
        rows = con.execute(
            "select version, loaded_at, source, sha256, username, standards_version from config_versions "
            "order by version"
        ).fetchall()
        header = ["version", "loaded_at", "source", "sha256", "user", "standards_version"]
        print(_table(header, [[v, str(t)[:19], s, h[:12], u or "", sv] for v, t, s, h, u, sv in rows]))
        version = a.version or (rows[-1][0] if rows else None)
        for part, text in con.execute(
            "select part, content from config_parts where version = $v order by part", {"v": version}
        ).fetchall():
            print(f"\n# {part}.csv (configuration version {version})\n{text}", end="")
    finally:
        con.close()
    return 0


def cmd_config_export(a: argparse.Namespace) -> int:
    from supervision import store

    con = store.open_reader(a.db)
    try:
        version = a.version or con.execute("select max(version) from config_versions").fetchone()[0]
        parts = con.execute("select part, content from config_parts where version = $v", {"v": version}).fetchall()
    finally:
        con.close()
    if not parts:
        print(f"no configuration version {version}", file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    for part, text in parts:
        with open(os.path.join(a.out, f"{part}.csv"), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    print(f"configuration version {version} written to {os.path.abspath(a.out)} ({len(parts)} files)")
    return 0


def _org(db_path: str) -> dict[str, tuple[str, str, str]] | None:
    """district code → (city code, city name, district name) of the imported organisation; None without data."""
    from supervision import store

    if not os.path.exists(db_path):
        return None
    con = store.open_reader(db_path)
    try:
        rows = con.execute("select district_code, city_code, city_name, district_name from org_units").fetchall()
    finally:
        con.close()
    return {d: (c, cn or "", dn or "") for d, c, cn, dn in rows}


def _scope_text(u, org: dict | None) -> str:
    """A user's scope with names beside the codes: `2102 大连 / 210203 西岗区`."""
    if u.role in ("province", "auditor"):
        return "province (全省)"
    cities = {c: cn for c, cn, _ in (org or {}).values()}
    text = f"{u.city_code} {cities.get(u.city_code, '?')}"
    if u.district_code:
        text += f" / {u.district_code} {(org or {}).get(u.district_code, ('', '', '?'))[2]}"
    return text


def _password(a: argparse.Namespace, username: str) -> str | None:
    from supervision import auth

    if getattr(a, "generate_password", False):
        return auth.generate_password()
    if getattr(a, "password_stdin", False):
        return sys.stdin.readline().rstrip("\n")
    if getattr(a, "oidc_only", False):
        return None
    password = getpass.getpass(f"password for {username} (10+ characters): ")
    if getpass.getpass("again: ") != password:
        raise SystemExit("the two passwords differ")
    return password


def _who() -> dict:
    import getpass as gp

    try:
        return {"by": "cli", "os_user": gp.getuser()}
    except Exception:
        return {"by": "cli", "os_user": str(os.getuid())}


def cmd_users_add(a: argparse.Namespace) -> int:
    from supervision import auth

    org = _org(a.db)
    if a.role in ("city", "district") and org is None:
        print(
            f"import the organisation first: {a.db} does not exist, so city {a.city} cannot be checked", file=sys.stderr
        )
        return 2
    password = _password(a, a.username)
    try:
        u = auth.add_user(
            a.username,
            password,
            a.role,
            a.name,
            a.city,
            a.district,
            replace=a.replace,
            org={d: c for d, (c, _, _) in (org or {}).items()} if org is not None else None,
            email=a.email,
        )
    except auth.AuthError as e:
        print(str(e), file=sys.stderr)
        return 2
    auth.log(None, "user_added", {"username": u.username, "role": u.role, "scope": u.scope_label(), **_who()})
    print(f"user {u.username}: role {u.role}, scope {_scope_text(u, org)} ({auth.users_path()})")
    if a.generate_password:
        print(f"password (shown once, not stored in clear): {password}")
    return 0


def cmd_users_change(a: argparse.Namespace) -> int:
    """users remove | disable | enable | passwd NAME: the user's open sessions end at their next page."""
    from supervision import auth

    try:
        if a.action == "remove":
            auth.remove_user(a.username)
        elif a.action in ("disable", "enable"):
            auth.set_disabled(a.username, a.action == "disable")
        else:
            password = _password(a, a.username)
            auth.set_password(a.username, password)
            if a.generate_password:
                print(f"password (shown once, not stored in clear): {password}")
    except auth.AuthError as e:
        print(str(e), file=sys.stderr)
        return 2
    auth.log(None, f"user_{a.action}", {"username": a.username, **_who()})
    print(f"user {a.username}: {a.action} done; their open sessions end at their next page")
    return 0


def cmd_users_list(a: argparse.Namespace) -> int:
    from supervision import auth

    org = _org(a.db)
    rows = [
        [u.username, u.name, u.role, _scope_text(u, org), "disabled" if auth.disabled(u.username) else ""]
        for u in auth.list_users()
    ]
    print(_table(["username", "name", "role", "scope", "state"], rows))
    return 0


def cmd_audit(a: argparse.Namespace) -> int:
    """audit verify: check the audit log's chain and anchors (exit 1 on any break); audit anchor: record the
    log's state in the database (e.g. daily, from cron)."""
    from supervision import auditlog, store

    if a.action == "anchor":
        lines, last = store.anchor_audit_log(a.db)
        print(f"anchored: {lines} lines, last line's SHA-256 {last}")
        return 0
    anchors = store.audit_anchors(a.db) if os.path.exists(a.db) else []
    check = auditlog.verify(anchors)
    if check.intact:
        print(f"audit log intact: {check.lines} lines, {len(anchors)} anchor(s) matched ({auditlog.path()})")
        return 0
    print(f"audit log broken ({auditlog.path()}):", file=sys.stderr)
    for line, why in check.breaks:
        print(f"  line {line}: {why}", file=sys.stderr)
    return 1


ROLES = ("province", "city", "district", "auditor")  # auth.ROLES, named here so a report does not load argon2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m supervision", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    i = sub.add_parser("import", help="import every export file found in DIR")
    i.add_argument("dir")
    i.add_argument("--db", default=db.DEFAULT_DB)
    i.add_argument("--format", choices=["table", "json"], default="table")
    i.add_argument("--user", default=None, help="recorded as who imported (the OS account is recorded too)")
    i.add_argument("--dry-run", action="store_true", help="say what the import would do; store nothing")
    i.add_argument("--no-alerts", action="store_true", help="do not evaluate the alerts after the import")
    i.set_defaults(func=cmd_import)

    ex = sub.add_parser("export", help="the validated tables as Parquet, for a data lake and Spark (SPEC §11)")
    ex.add_argument("--db", default=db.DEFAULT_DB)
    ex.add_argument("--parquet", required=True, metavar="DIR", help="an empty or new folder, or an earlier export")
    ex.add_argument("--no-verify", action="store_true", help="do not read the files back to check them")
    ex.set_defaults(func=cmd_export)

    r = sub.add_parser("report", help="one measure grouped by one level")
    r.add_argument("measure", choices=contract.MEASURES + contract.S12_MEASURES)
    r.add_argument("--db", default=db.DEFAULT_DB)
    r.add_argument("--from", dest="date_from", type=_date, required=True)
    r.add_argument("--to", dest="date_to", type=_date, required=True)
    r.add_argument("--by", choices=contract.LEVELS, required=True)
    r.add_argument("--as-of", dest="as_of", type=_date, default=None)
    r.add_argument("--format", choices=["csv", "table", "json"], default="table")
    r.add_argument("--city", default=None, help="only this city's rows, as its readers see them")
    r.add_argument("--district", default=None, help="only this district's rows, as its readers see them")
    r.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb", help="spark: from --parquet (SPEC §11)")
    r.add_argument("--parquet", default=None, metavar="DIR", help="the export --engine spark reads")
    r.add_argument("--master", default=None, help="Spark master (default $SPARK_MASTER, else local[*])")
    r.set_defaults(func=cmd_report)

    d = sub.add_parser("due", help="the due list: open obligations of the running periods, pace and at-risk first")
    d.add_argument("--db", default=db.DEFAULT_DB)
    d.add_argument("--as-of", dest="as_of", type=_date, default=None, help="default: the data's latest record day")
    d.add_argument("--city", default=None, help="only this city's obligations")
    d.add_argument("--district", default=None, help="only this district's obligations")
    d.add_argument("--manager", default=None, help="only this manager's obligations ('' for those without one)")
    d.add_argument("--within", type=int, default=None, help="only obligations with at most this many days left")
    d.add_argument("--format", choices=["csv", "table", "json"], default="table")
    d.set_defaults(func=cmd_due)

    wa = sub.add_parser("watch", help="data completeness: gaps, spikes and stale districts (SPEC §10)")
    wa.add_argument("--db", default=db.DEFAULT_DB)
    wa.add_argument("--as-of", dest="as_of", type=_date, default=None, help="default: the data's latest record day")
    wa.add_argument("--city", default=None, help="only this city's districts and records")
    wa.add_argument("--district", default=None, help="only this district and its records")
    wa.add_argument("--format", choices=["csv", "table", "json"], default="table")
    wa.set_defaults(func=cmd_watch)

    b = sub.add_parser("brief", help="the weekly or monthly brief as HTML, PDF and Excel (SPEC §9)")
    b.add_argument("kind", choices=["week", "month"])
    b.add_argument("--db", default=db.DEFAULT_DB)
    b.add_argument(
        "--date", type=_date, default=None, help="any day of the week or month (default: the latest complete one)"
    )
    b.add_argument("--city", default=None, help="this city's brief (default: the province's)")
    b.add_argument("--district", default=None, help="this district's brief")
    b.add_argument("--out", default="briefs", help="folder the files are written to (created)")
    b.add_argument("--format", type=_formats, default=("html", "pdf", "xlsx"), help="html,pdf,xlsx (default: all)")
    b.add_argument("--lang", choices=["zh", "en"], default="zh")
    b.add_argument("--user", default=None, help="recorded in the audit log as who wrote it")
    b.set_defaults(func=cmd_brief)

    al = sub.add_parser("alerts", help="alerts (SPEC §9): evaluate the rules and deliver, or check a rules file")
    alsub = al.add_subparsers(dest="action", required=True)
    ar = alsub.add_parser("run", help="evaluate the rules on the data and deliver what is new or failed before")
    ar.add_argument("--db", default=db.DEFAULT_DB)
    ar.add_argument("--rules", default=None, help="rules file (default: alerts.csv beside the database, else shipped)")
    ar.add_argument("--as-of", dest="as_of", type=_date, default=None, help="default: the data's latest record day")
    ar.add_argument("--user", default=None, help="recorded in the audit log")
    ar.set_defaults(func=cmd_alerts_run)
    ac = alsub.add_parser("check", help="validate a rules file (refused whole, with line numbers)")
    ac.add_argument("file")
    ac.add_argument("--db", default=db.DEFAULT_DB, help="the users file beside it names the recipients")
    ac.set_defaults(func=cmd_alerts_check)

    s = sub.add_parser("standards", help="tier standards")
    ssub = s.add_subparsers(dest="action", required=True)
    sl = ssub.add_parser("load", help="validate and load a standards file as a new version")
    sl.add_argument("file")
    sl.add_argument("--db", default=db.DEFAULT_DB)
    sl.add_argument("--user", default=None)
    sl.set_defaults(func=cmd_standards_load)
    cf = sub.add_parser("config", help="tier scheme, complaint levels, settings and vocabularies (SPEC §12)")
    cfsub = cf.add_subparsers(dest="action", required=True)
    cl = cfsub.add_parser(
        "load",
        help="validate and load configuration files (tiers, complaint_levels, settings, vocab; a standards file "
        "may come with them) as a new version, refused whole with line numbers",
    )
    cl.add_argument("files", nargs="+", metavar="FILE")
    cl.add_argument("--db", default=db.DEFAULT_DB)
    cl.add_argument("--user", default=None)
    cl.set_defaults(func=cmd_config_load)
    cs = cfsub.add_parser("show", help="every configuration version, and the parts of one (default: in force)")
    cs.add_argument("--db", default=db.DEFAULT_DB)
    cs.add_argument("--version", type=int, default=None)
    cs.set_defaults(func=cmd_config_show)
    ce = cfsub.add_parser("export", help="write a configuration version's four files into a folder, to edit them")
    ce.add_argument("out")
    ce.add_argument("--db", default=db.DEFAULT_DB)
    ce.add_argument("--version", type=int, default=None)
    ce.set_defaults(func=cmd_config_export)
    us = sub.add_parser("users", help="dashboard users (SPEC §7)")
    usub = us.add_subparsers(dest="action", required=True)
    ua = usub.add_parser("add", help="add a user with a role and a scope")
    ua.add_argument("username")
    ua.add_argument("--role", choices=ROLES, required=True)
    ua.add_argument("--name", default="")
    ua.add_argument("--city", default=None, help="city_code (city and district users)")
    ua.add_argument("--district", default=None, help="district_code (district users)")
    ua.add_argument("--db", default=db.DEFAULT_DB, help="users.json and audit_log.jsonl live beside it")
    how = ua.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    how.add_argument("--generate-password", action="store_true", help="generate one and print it once")
    how.add_argument("--oidc-only", action="store_true", help="no password: company identity provider only")
    ua.add_argument("--email", default=None, help="where the user's alerts are sent (SPEC §9)")
    ua.add_argument("--replace", action="store_true", help="change an existing user")
    ua.set_defaults(func=cmd_users_add)
    ul = usub.add_parser("list", help="list users")
    ul.add_argument("--db", default=db.DEFAULT_DB)
    ul.set_defaults(func=cmd_users_list)
    for action, text in (
        ("remove", "remove a user"),
        ("disable", "disable a user (no sign-in)"),
        ("enable", "enable a disabled user"),
        ("passwd", "set a new password"),
    ):
        uc = usub.add_parser(action, help=f"{text}; their open sessions end")
        uc.add_argument("username")
        uc.add_argument("--db", default=db.DEFAULT_DB)
        if action == "passwd":
            how = uc.add_mutually_exclusive_group()
            how.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
            how.add_argument("--generate-password", action="store_true", help="generate one and print it once")
        uc.set_defaults(func=cmd_users_change)
    au = sub.add_parser("audit", help="the audit log: verify its chain and anchors, or anchor it now")
    au.add_argument("action", choices=["verify", "anchor"])
    au.add_argument("--db", default=db.DEFAULT_DB, help="the audit log lives beside it; anchors are in it")
    au.set_defaults(func=cmd_audit)
    return p


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    if getattr(a, "db", None):  # the users, the sessions and the audit log live beside the database named here
        os.environ["SUPERVISION_DB"] = os.path.abspath(a.db)
    if getattr(a, "date_from", None) and a.date_to < a.date_from:
        print("--to is before --from", file=sys.stderr)
        return 2
    try:
        return a.func(a)
    except (FileNotFoundError, db.StoreError) as e:
        print(str(e), file=sys.stderr)
        return 2
    except BrokenPipeError:  # `... | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
