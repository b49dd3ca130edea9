"""Replay (SPEC §10, 可复现): the exact `python -m supervision ...` commands that print a page's numbers, for the
page's "复现 / Reproduce" panel and every export's provenance. A leaf module: it only writes text.

The window, the as-of date and the reader's scope (`--city`, and `--district` for a district reader) are always
written out, never left to defaults: the command prints the same numbers tomorrow, after another import only if
the data of that window did not change (the provenance names the import id the numbers rest on)."""

from __future__ import annotations

import datetime as dt
import shlex

from supervision.scope import Scope


def _scope_args(scope: Scope, city: str | None = None, district: str | None = None) -> list[str]:
    """The reader's scope, narrowed by a page's own city / district filter (within it)."""
    city = scope.city_code or city
    district = scope.district_code or district
    return (["--city", city] if city else []) + (["--district", district] if district else [])


def report(
    measure: str,
    level: str,
    db: str,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    scope: Scope,
    city: str | None = None,
    district: str | None = None,
) -> str:
    """`python -m supervision report MEASURE ...` for one level, as the reader sees it."""
    args = [
        "python",
        "-m",
        "supervision",
        "report",
        measure,
        "--db",
        db,
        "--from",
        str(date_from),
        "--to",
        str(date_to),
        "--as-of",
        str(as_of),
        "--by",
        level,
        *_scope_args(scope, city, district),
    ]
    return shlex.join(args)


def due(
    db: str,
    as_of: dt.date,
    scope: Scope,
    city: str | None = None,
    district: str | None = None,
    manager: str | None = None,
    within: int | None = None,
) -> str:
    """`python -m supervision due ...`: the due list with pace and at-risk, as the due page shows it."""
    args = [
        "python",
        "-m",
        "supervision",
        "due",
        "--db",
        db,
        "--as-of",
        str(as_of),
        *_scope_args(scope, city, district),
        *(["--manager", manager] if manager else []),
        *(["--within", str(within)] if within is not None else []),
    ]
    return shlex.join(args)
