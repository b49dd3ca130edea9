"""Replay (SPEC §10, 可复现): a page names the exact `report` commands that print its numbers, with the window,
the as-of date and the reader's scope written out; running them gives the page's numbers; exports carry them."""

from __future__ import annotations

import csv
import io
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from supervision import auth, display, replay
from supervision.scope import Scope

ROOT = Path(__file__).resolve().parent.parent
CITY = auth.User("li", "李", "city", "2101")


def commands(at) -> list[list[str]]:
    """The commands of the page's replay panel, as argument lists."""
    shown = [c.value for c in at.code]
    assert shown, "the page has a replay panel"
    return [shlex.split(line) for block in shown for line in block.splitlines() if line.strip()]


def run(args: list[str]) -> list[dict]:
    assert args[:3] == ["python", "-m", "supervision"]
    out = subprocess.run(
        [sys.executable, *args[1:], "--format", "csv"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return list(csv.DictReader(io.StringIO(out)))


def test_a_city_readers_overview_replays_to_its_numbers(dashboard):
    at = dashboard(CITY, "overview")
    assert not at.exception
    cmds = commands(at)
    assert all(c[c.index("--city") + 1] == "2101" for c in cmds), "the reader's scope is in every command"
    assert all("--as-of" in c and "--from" in c and "--to" in c for c in cmds)
    by = {(c[4], c[c.index("--by") + 1]): c for c in cmds}
    province = run(by[("compliance", "province")])[0]
    cards = {m.label: m.value for m in at.metric}
    assert cards["服务达标率"] == display.pct(province["rate"])
    assert cards["达标"] == f"{int(province['met']):,}" and cards["未达标"] == f"{int(province['missed']):,}"
    greetings = run(by[("greetings", "province")])[0]
    assert cards["生日问候达标率"] == display.pct(greetings["rate"])
    districts = {r["district_code"]: r for r in run(by[("compliance", "district")])}
    ranking = at.dataframe[0].value
    assert set(ranking.district_code) == set(districts)
    for _, row in ranking.iterrows():
        want = districts[row.district_code]
        assert (row.obligations, row.met, row.missed, row.open) == tuple(
            int(want[k]) for k in ("obligations", "met", "missed", "open")
        )
        assert row.rate == float(display.percent(want["rate"]))


def test_the_city_page_replays_with_the_picked_city(dashboard):
    at = dashboard(auth.User("p", "省", "province"), "city", city="2102")
    assert not at.exception
    cmds = commands(at)
    district = next(c for c in cmds if c[c.index("--by") + 1] == "district")
    assert district[district.index("--city") + 1] == "2102"
    rows = run(district)
    assert rows and all(r["district_code"].startswith("2102") for r in rows)


def test_report_takes_a_scope_and_refuses_unknown_codes(examples_db):
    base = [
        sys.executable,
        "-m",
        "supervision",
        "report",
        "compliance",
        "--db",
        examples_db,
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--as-of",
        "2026-07-15",
        "--by",
        "district",
        "--format",
        "csv",
    ]
    whole = list(
        csv.DictReader(io.StringIO(subprocess.run(base, cwd=ROOT, check=True, capture_output=True, text=True).stdout))
    )
    city = list(
        csv.DictReader(
            io.StringIO(
                subprocess.run(base + ["--city", "2101"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
            )
        )
    )
    assert city == [r for r in whole if r["district_code"].startswith("2101")] and city
    one = subprocess.run(base + ["--district", "210102"], cwd=ROOT, check=True, capture_output=True, text=True)
    assert [r["district_code"] for r in csv.DictReader(io.StringIO(one.stdout))] == ["210102"]
    for bad, why in (
        (["--city", "9999"], "unknown city 9999"),
        (["--district", "999999"], "unknown district"),
        (["--city", "2102", "--district", "210102"], "is in city 2101"),
    ):
        got = subprocess.run(base + bad, cwd=ROOT, capture_output=True, text=True)
        assert got.returncode == 2 and why in got.stderr, (bad, got.stderr)


@pytest.mark.parametrize(
    "scope,tail",
    [
        (Scope(), []),
        (Scope("2101"), ["--city", "2101"]),
        (Scope("2101", "210102"), ["--city", "2101", "--district", "210102"]),
    ],
)
def test_commands_write_the_scope_out(scope, tail):
    import datetime as dt

    cmd = shlex.split(
        replay.report(
            "compliance",
            "city",
            "/data/x y.duckdb",
            dt.date(2026, 1, 1),
            dt.date(2026, 12, 31),
            dt.date(2026, 7, 15),
            scope,
        )
    )
    assert cmd[:5] == ["python", "-m", "supervision", "report", "compliance"]
    assert cmd[cmd.index("--db") + 1] == "/data/x y.duckdb"  # quoted: a path with a space survives
    assert cmd[-len(tail) or len(cmd) :] == tail
