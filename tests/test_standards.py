"""Standards are data (SPEC §3): a standards file is validated as a whole, refused with messages naming its bad
rows, and otherwise stored as a new version; loading the current version again changes nothing.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import support

from supervision import standards, store


def write(tmp_path, *extra_rows: str, defaults: bool = True, name: str = "standards.csv"):
    path = tmp_path / name
    path.write_text(support.standards_text(*extra_rows, defaults=defaults), encoding="utf-8")
    return str(path)


def versions(con) -> list[int]:
    return [v for (v,) in con.execute("select version from standards_versions order by version").fetchall()]


def refused(con, path) -> list[str]:
    """Load `path`, expect a refusal, check nothing was stored, return the problems."""
    before = versions(con)
    rows_before = con.execute("select count(*) from standards").fetchone()[0]
    with pytest.raises(standards.StandardsError) as e:
        store.apply_standards(con, path)
    assert versions(con) == before
    assert con.execute("select count(*) from standards").fetchone()[0] == rows_before
    assert e.value.problems, "a refusal names its problems"
    return e.value.problems


def names_line(problems: list[str], *lines: int) -> bool:
    """Some single problem message names every one of `lines` as a number."""
    return any(all(re.search(rf"(?<!\d){n}(?!\d)", p) for n in lines) for p in problems)


@pytest.fixture
def con(fresh_db):
    return fresh_db()


def test_seed_defaults_are_version_1(con):
    assert versions(con) == [1]
    rows = con.execute(
        "select tier, service_code, requirement, n, period_months, responsible_role "
        "from standards where version = 1 and tier = 'A+' and service_code = 'visit'"
    ).fetchall()
    assert rows == [("A+", "visit", "count", 2, 1, "account_manager")]


@pytest.mark.parametrize(
    "row,why",
    [
        ("D,visit,1,1,account_manager,,", "unknown tier"),
        ("a+,visit,1,1,account_manager,,", "tier names are exact"),
        ("A,dinner,1,1,account_manager,,", "unknown service"),
        ("A,visit,0,1,account_manager,,", "N must be at least 1"),
        ("A,visit,-1,1,account_manager,,", "negative N"),
        ("A,visit,two,1,account_manager,,", "not a number or a keyword"),
        ("A,visit,1.5,1,account_manager,,", "not a whole number"),
        ("A,visit,2,,account_manager,,", "integer requirement without a period"),
        ("A,visit,2,4,account_manager,,", "period 4 is not one of 1, 2, 3, 6, 12"),
        ("A,visit,2,24,account_manager,,", "period 24"),
        ("A,visit,2,0,account_manager,,", "period 0"),
        ("A,visit,2,1,phone_manager,,", "a role that cannot be responsible"),
        ("A,visit,2,1,boss,,", "unknown role"),
        ("A,visit,2,1,,,", "empty role"),
        ("A,visit,2,1,account_manager,,2026-13-01", "impossible date"),
        ("A,visit,2,1,account_manager,,2026-04-15", "not the first day of a 1-month period"),
        ("B,visit,1,2,account_manager,,2026-04-01", "April does not start a 2-month period"),
        ("A,visit,2,1,account_manager", "too few fields"),
    ],
)
def test_bad_row_refuses_the_whole_file_naming_the_line(con, tmp_path, row, why):
    problems = refused(con, write(tmp_path, "A,visit,2,1,account_manager,,2026-04-01", row))
    assert names_line(problems, 31), (why, problems)
    assert not names_line(problems, 30), ("the valid line 30 is not blamed", problems)


def test_every_bad_row_is_named(con, tmp_path):
    problems = refused(
        con,
        write(
            tmp_path,
            "D,visit,1,1,account_manager,,",
            "A,visit,1,1,account_manager,,2026-01-01",
            "A,visit,2,4,account_manager,,",
            "A,visit,2,1,sa,,",
        ),
    )
    assert names_line(problems, 30) and names_line(problems, 32) and names_line(problems, 33)


def test_contradicting_rows_name_both_lines(con, tmp_path):
    """Line 3 is `A,visit,1,1,account_manager,,`; line 30 says A needs 3 a month, also always, province-wide."""
    problems = refused(con, write(tmp_path, "A,visit,3,1,account_manager,,"))
    assert names_line(problems, 3, 30)


def test_contradicting_city_rows_name_both_lines(con, tmp_path):
    problems = refused(
        con,
        write(
            tmp_path,
            "C,training,1,6,account_manager,2101,2026-01-01",
            "C,training,market,,account_manager,2101,2026/1/1",
        ),
    )
    assert names_line(problems, 30, 31)


def test_same_service_for_two_cities_or_two_dates_does_not_contradict(con, tmp_path):
    version, loaded = store.apply_standards(
        con,
        write(
            tmp_path,
            "C,training,1,6,account_manager,2101,",
            "C,training,1,3,account_manager,2102,",
            "A,visit,2,1,account_manager,,2026-04-01",
            "A,visit,3,1,account_manager,,2026-07-01",
        ),
    )
    assert (version, loaded) == (2, True)


@pytest.mark.parametrize(
    "row",
    [
        "B,training,1,3,account_manager,,2026-04-01",  # replaces B training 1/12: 04-01 starts no 12-month period
        "B,training,1,6,account_manager,,2026-07-01",  # 07-01 starts a 6-month period, but not a 12-month one
        "B,social_event,market,,account_manager,,2026-04-01",  # no length of its own; the replaced row's is 12
        "B,social_event,not_entitled,,account_manager,2102,2026-04-01",  # a first override replaces the province row
        "A,training,1,1,account_manager,,2026-02-01",  # A training is 1/6: 02-01 starts a month, not a half-year
    ],
)
def test_effective_from_must_start_a_period_of_the_replaced_row(con, tmp_path, row):
    assert names_line(refused(con, write(tmp_path, row)), 30)


@pytest.mark.parametrize(
    "row",
    [
        "B,social_event,not_entitled,,account_manager,2102,2026-01-01",  # the examples' 大连 override
        "A,training,1,3,account_manager,,2026-07-01",  # 07-01 starts both a 3- and a 6-month period
        "B,training,1,6,account_manager,,2027-01-01",
        "C,training,1,6,account_manager,2101,2026-07-01",  # replaces `market` (no length): only its own length counts
        "A,visit,2,1,account_manager,,2026/4/1",
    ],
)
def test_effective_from_on_a_common_period_start_is_accepted(con, tmp_path, row):
    assert store.apply_standards(con, write(tmp_path, row)) == (2, True)


def test_a_later_row_is_checked_against_the_row_it_replaces_not_the_first(con, tmp_path):
    """B training: 1/12 always, 1/6 from 2027-01-01, then 1/3 from 2027-04-01 (not a 6-month start: refused)."""
    problems = refused(
        con, write(tmp_path, "B,training,1,6,account_manager,,2027-01-01", "B,training,1,3,account_manager,,2027-04-01")
    )
    assert names_line(problems, 31)
    assert store.apply_standards(
        con,
        write(
            tmp_path,
            "B,training,1,6,account_manager,,2027-01-01",
            "B,training,1,3,account_manager,,2027-07-01",
            name="ok.csv",
        ),
    ) == (2, True)


def test_valid_file_becomes_a_new_version_and_the_same_file_again_does_not(con, tmp_path):
    path = write(tmp_path, "A,visit,2,1,account_manager,,2026-04-01", "C,training,1,6,account_manager,2101,")
    assert store.apply_standards(con, path) == (2, True)
    assert versions(con) == [1, 2]
    stored = con.execute(
        "select count(*), count(*) filter (where city_code = '2101'), "
        "count(*) filter (where effective_from = date '2026-04-01') "
        "from standards where version = 2"
    ).fetchone()
    assert stored == (30, 1, 1)
    assert store.apply_standards(con, path) == (2, False)
    assert versions(con) == [1, 2]
    # the seed defaults again differ from version 2: a new version 3
    assert store.apply_standards(con, write(tmp_path, name="defaults.csv")) == (3, True)
    assert versions(con) == [1, 2, 3]


def test_labels_map_to_codes(con, tmp_path):
    """service_code may be the Chinese name; the keywords `market`, `entitled`, `not_entitled` are stored as such."""
    path = write(tmp_path, "C,网络监测,1,3,客户经理,2102,")
    assert store.apply_standards(con, path) == (2, True)
    assert con.execute(
        "select service_code, requirement, n, period_months, responsible_role from standards "
        "where version = 2 and line = 30"
    ).fetchone() == ("network_test", "count", 1, 3, "account_manager")


def test_a_tier_not_in_the_configured_scheme_is_refused_until_configured(con, tmp_path):
    """Tiers are configuration: `1A` is refused with the seed tiers and accepted once it is a configured tier."""
    path = write(tmp_path, "1A,visit,1,1,account_manager,,", "1A,trial,not_entitled,,account_manager,,")
    problems = refused(con, path)
    assert names_line(problems, 30) and names_line(problems, 31)
    con.execute("insert into tiers values ('1A', 5, 3, null, [])")
    assert store.apply_standards(con, path) == (2, True)


def test_parse_returns_rows_without_storing(con, tmp_path):
    rows = standards.parse(con, write(tmp_path, "A,visit,2,1,account_manager,,2026-04-01"))
    assert len(rows) == 29
    assert versions(con) == [1]


def test_missing_column_is_refused(con, tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        "tier,service_code,requirement,period_months,city_code,effective_from\nA,visit,1,1,,\n", encoding="utf-8"
    )
    problems = refused(con, str(path))
    assert any("responsible_role" in p for p in problems)


def test_cli_standards_load(tmp_path):
    db_path = str(tmp_path / "cli.duckdb")

    def run(path):
        return subprocess.run(
            [sys.executable, "-m", "supervision", "standards", "load", path, "--db", db_path],
            cwd=support.ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    bad = run(write(tmp_path, "A,visit,2,1,account_manager,,2026-04-15", name="bad.csv"))
    assert bad.returncode != 0
    assert "30" in bad.stderr
    good = run(write(tmp_path, "A,visit,2,1,account_manager,,2026-04-01", name="good.csv"))
    assert good.returncode == 0, good.stderr
    assert re.search(r"\b2\b", good.stdout)
    from supervision import db

    c = db.connect(db_path, read_only=True)
    try:
        assert [v for (v,) in c.execute("select version from standards_versions order by 1").fetchall()] == [1, 2]
    finally:
        c.close()


def test_a_load_after_a_report_outside_the_stored_years_is_persisted(build, tmp_path):
    """The obligations of a new standards version must reach the database file even when the same connection
    has just reported on a window outside the stored years (2024 here): S13's April (1 visit) needs 2 visits
    under the new version and is missed — also when the file is opened again."""
    import datetime as dt

    from supervision import db, measures

    con = build(
        customers=[support.cust("S13", "A", "M2")],
        logs=[support.log("W1", "S13", "visit", "2026-04-10 10:00", manager="M2")],
    )
    path = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]

    def april(c):
        return c.execute(
            "select n, status from compliance_items(date '2026-04-01', date '2026-04-30', "
            "date '2026-12-31', null, null) where service_code = 'visit'"
        ).fetchall()

    assert april(con) == [(1, "met")]
    measures.report(con, "compliance", "province", dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2026, 12, 31))
    assert store.apply_standards(con, write(tmp_path, "A,visit,2,1,account_manager,,2026-04-01")) == (2, True)
    assert april(con) == [(2, "missed")]
    con.close()
    ro = db.connect(path, read_only=True)
    try:
        assert april(ro) == [(2, "missed")]
    finally:
        ro.close()
