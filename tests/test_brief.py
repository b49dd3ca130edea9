"""The briefs (SPEC §9): every number equals `report` (or `due`) for the window, as-of date and scope the brief
states, read back from the workbook and from the PDF's text; a city's brief holds no other city; the PDF carries
Chinese in a real CJK font; periods, provisional briefs and refusals."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import shlex
import subprocess
from pathlib import Path

import openpyxl
import pytest
import support

from supervision import brief, cli, display, i18n, measures, store
from supervision.scope import Scope

ROOT = Path(__file__).resolve().parents[1]


# the columns a brief's tables carry (their Chinese headers read back)
COLUMNS = [
    *measures.COUNT_COLUMNS["complaints"],
    *measures.COUNT_COLUMNS["compliance"],
    *measures.DUE_COLUMNS,
    "records",
    "city_code",
    "district_code",
    "manager_id",
    "rank",
    "previous_rate",
    "change_points",
    "category",
    "dissatisfied",
]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> str:
    """The committed sample (sample_data/small, with complaint categories) imported once."""
    path = tmp_path_factory.mktemp("brief") / "sample.duckdb"
    return str(support.imported_db(path, ROOT / "sample_data" / "small", clean=False))


def _cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = cli.main(argv)
    return rc, out.getvalue(), err.getvalue()


def _replay(command: str) -> list[dict[str, str]]:
    """Run one of the brief's `python -m supervision report ...` commands as CSV; its rows as dicts."""
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "supervision"]
    rc, out, err = _cli([*argv[3:], "--format", "csv"])
    assert rc == 0, err
    lines = out.splitlines()
    header = lines[0].split(",")
    return [dict(zip(header, line.split(","))) for line in lines[1:]]


def _sheet(path: Path, name: str) -> list[dict]:
    """A brief sheet's rows under their canonical column names (the provenance line and the header skipped)."""
    ws = openpyxl.load_workbook(path)[name]
    rows = list(ws.iter_rows(values_only=True))
    back = {i18n.t(k, "zh"): k for k in COLUMNS}
    header = [back.get(h, h) for h in rows[2]]
    return [dict(zip(header, r)) for r in rows[3:]]


def _provenance(path: Path) -> list[tuple[str, str]]:
    ws = openpyxl.load_workbook(path)["provenance"]
    return [(k, v) for k, v in ws.iter_rows(values_only=True)]


def _same(sheet_value, report_text: str) -> bool:
    """A workbook cell equals what `report` prints: counts as integers, rates as the 4-decimal text."""
    if report_text == "":
        return sheet_value in (None, "")
    if "." in report_text:
        return f"{sheet_value:.4f}" == report_text
    return int(sheet_value) == int(report_text)


@pytest.fixture(scope="module")
def month_files(sample_db, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("month")
    rc, printed, err = _cli(["brief", "month", "--db", sample_db, "--date", "2026-10-15", "--out", str(out)])
    assert rc == 0, err
    return {Path(p).suffix[1:]: Path(p) for p in printed.split()}


def test_the_monthly_brief_reproduces_with_the_report_commands_it_lists(month_files):
    xlsx = month_files["xlsx"]
    prov = dict((k, v) for k, v in _provenance(xlsx) if k != "reproduce")
    assert prov["window"] == "2026-10-01 .. 2026-10-31" and prov["as_of"] == "2026-10-31"
    assert prov["scope"] == "province" and prov["provisional"] == "no"
    commands = [v for k, v in _provenance(xlsx) if k == "reproduce"]
    ytd_city = next(
        c
        for c in commands
        if "compliance" in c and "--from 2026-01-01 --to 2026-10-31" in c and c.endswith("--by city")
    )
    want = {r["city_code"]: r for r in _replay(ytd_city)}
    got = {r["city_code"]: r for r in _sheet(xlsx, "compliance") if r["city_code"]}
    assert set(got) == set(want) and len(want) > 5
    for code, r in want.items():
        for col in ("obligations", "met", "missed", "rate", "open"):
            assert _same(got[code][col], r[col]), (code, col, got[code][col], r[col])
    total = next(r for r in _sheet(xlsx, "compliance") if not r["city_code"])
    (prov_row,) = _replay(ytd_city.replace("--by city", "--by province"))
    assert all(_same(total[c], prov_row[c]) for c in ("obligations", "met", "missed", "rate", "open"))

    # the change against the previous month's end: the same report at 2026-09-30
    before = {r["city_code"]: r for r in _replay(ytd_city.replace("2026-10-31", "2026-09-30"))}
    for code, r in got.items():
        assert r["change_points"] == display.points(float(want[code]["rate"]), float(before[code]["rate"]))
    # ranks follow the rate, highest first
    ranked = sorted(got.values(), key=lambda r: r["rank"])
    assert [r["rate"] for r in ranked] == sorted((r["rate"] for r in ranked), reverse=True)

    # the month's complaints and greetings year to date, group by group
    for sheet, measure, window, cols in (
        ("complaints", "complaints", "--from 2026-10-01 --to 2026-10-31", measures.COUNT_COLUMNS["complaints"]),
        ("greetings", "greetings", "--from 2026-01-01 --to 2026-10-31", measures.COUNT_COLUMNS["greetings"]),
        ("overservice", "overservice", "--from 2026-10-01 --to 2026-10-31", ["records"]),
    ):
        cmd = next(c for c in commands if f"report {measure} " in c and window in c and c.endswith("--by city"))
        want = {r["city_code"]: r for r in _replay(cmd)}
        got = {r["city_code"]: r for r in _sheet(xlsx, sheet) if r["city_code"]}
        assert set(got) == set(want), sheet
        for code, r in want.items():
            assert all(_same(got[code][c], r[c]) for c in cols), (sheet, code)


def test_the_html_brief_is_one_self_contained_file(month_files):
    page = month_files["html"].read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\ssrc=|<link[^>]*href=|<img[^>]*src=\"?http", page)  # nothing fetched
    assert page.count("Plotly.newPlot") >= 2 and "plotly.js" in page.lower()  # the charts, drawn by inline code
    assert "@page" in page  # prints on A4


def test_the_monthly_brief_s_high_frequency_problems_count_the_month_s_complaints(month_files, sample_db):
    cats = _sheet(month_files["xlsx"], "categories")
    con = store.open_reader(sample_db)
    try:
        want = con.execute(
            "select coalesce(category, ''), count(*) from complaints "
            "where received_at >= '2026-10-01' and received_at < '2026-11-01' group by all"
        ).fetchall()
    finally:
        con.close()
    got = {("" if r["category"] == "未分类" else r["category"]): r["complaints"] for r in cats}
    assert got == dict(want)
    assert [r["complaints"] for r in cats] == sorted((r["complaints"] for r in cats), reverse=True)


def test_the_pdf_states_the_report_s_numbers_in_a_cjk_font(month_files):
    pdf = month_files["pdf"]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    rows = {r["city_code"]: r for r in _sheet(month_files["xlsx"], "compliance") if r["city_code"]}
    for code, r in rows.items():
        # one line of the ranking per city: code, name, the counts, the rate as the page shows it, open, rank
        want = [
            code,
            r["city_name"],
            f"{r['obligations']:,}",
            f"{r['met']:,}",
            f"{r['missed']:,}",
            display.pct(r["rate"]),
            f"{r['open']:,}",
            str(r["rank"]),
        ]
        assert any(line.split()[: len(want)] == want for line in text.splitlines()), want
    assert "年初至月末达标率" in text and "复现命令" in text
    # the font the brief asks for is a real CJK font on this machine (Chromium embeds its glyphs as Type 3
    # fonts, which carry no name), and the PDF embeds fonts with a Unicode map (the text above came from it)
    font = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True).stdout
    assert re.search(r"NotoSansCJK|NotoSerifCJK", font), font
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Type 3\s+Custom\s+yes\s+no\s+yes", fonts), fonts
    # it renders: the first page as an image that is not blank
    png = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(png)], check=True)
    page = next(pdf.parent.glob(png.name + "*.png"))
    assert page.stat().st_size > 5_000


def test_a_city_s_brief_holds_no_other_city(sample_db, tmp_path):
    con = store.open_reader(sample_db)
    try:
        cities = dict(con.execute("select distinct city_code, city_name from org_units").fetchall())
        b = brief.compose(con, "month", dt.date(2026, 10, 1), Scope(city_code="2101"), db_path=sample_db)
        w = brief.compose(con, "week", dt.date(2026, 9, 16), Scope(city_code="2101"), db_path=sample_db)
    finally:
        con.close()
    for each in (b, w):
        text = brief.to_html(each)
        book = brief.to_xlsx(each)
        cells = " ".join(
            str(v)
            for ws in openpyxl.load_workbook(io.BytesIO(book)).worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
        others = {c: n for c, n in cities.items() if c != "2101"}
        assert "沈阳" in text
        for code, name in others.items():
            assert name not in text and name not in cells, (each.kind, name)
            assert f"--city {code}" not in text
        assert all("--city 2101" in c for c in each.commands)
        # every district row of the ranking is one of the city's districts
        for sec in each.sections:
            for t in sec.tables:
                if "city_code" in t.df:
                    assert set(t.df.city_code) <= {"2101", ""}, t.sheet


def test_the_weekly_brief_lists_the_due_list_and_the_week_s_complaints_as_the_cli_does(sample_db, tmp_path):
    rc, printed, err = _cli(
        ["brief", "week", "--db", sample_db, "--date", "2026-09-16", "--out", str(tmp_path), "--format", "xlsx"]
    )
    assert rc == 0, err
    (xlsx,) = [Path(p) for p in printed.split()]
    prov = dict((k, v) for k, v in _provenance(xlsx) if k != "reproduce")
    assert prov["window"] == "2026-09-14 .. 2026-09-20" and prov["as_of"] == "2026-09-20"
    # the due list: `due --as-of` the week's Sunday, the obligations with at most 14 days left
    rc, out, _ = _cli(["due", "--db", sample_db, "--as-of", "2026-09-20", "--format", "csv"])
    lines = out.splitlines()
    header = lines[0].split(",")
    due = [dict(zip(header, line.split(","))) for line in lines[1:]]
    due = [d for d in due if int(d["days_left"]) <= 14]
    # `due --within 14` (the command the brief lists) prints exactly those
    rc, out, _ = _cli(["due", "--db", sample_db, "--as-of", "2026-09-20", "--within", "14", "--format", "csv"])
    assert out.splitlines()[1:] == [
        line for line in lines[1:] if int(dict(zip(header, line.split(",")))["days_left"]) <= 14
    ]
    got = _sheet(xlsx, "due_list")
    assert len(got) == len(due) > 0
    assert sorted((r["customer_id"], r["missing"]) for r in got) == sorted(
        (d["customer_id"], int(d["missing"])) for d in due
    )
    # the week's complaints: window = the week, as of its Sunday
    want = {
        r["city_code"]: r
        for r in _replay(
            f"python -m supervision report complaints --db {sample_db} --from 2026-09-14 --to 2026-09-20 "
            "--as-of 2026-09-20 --by city"
        )
    }
    got = {r["city_code"]: r for r in _sheet(xlsx, "complaints") if r["city_code"]}
    assert set(got) == set(want)
    for code, r in want.items():
        assert all(_same(got[code][c], r[c]) for c in measures.COUNT_COLUMNS["complaints"])


def test_the_weekly_records_count_the_completed_logs_of_the_week(sample_db, tmp_path):
    con = store.open_reader(sample_db)
    try:
        b = brief.compose(con, "week", dt.date(2026, 9, 16), db_path=sample_db)
        completed = con.execute(
            "select count(*) from service_logs where status = 'completed' "
            "and service_time >= '2026-09-14' and service_time < '2026-09-21'"
        ).fetchone()[0]
        cancelled = con.execute(
            "select count(*) from service_logs where status = 'cancelled' "
            "and service_time >= '2026-09-14' and service_time < '2026-09-21'"
        ).fetchone()[0]
    finally:
        con.close()
    records = next(t for s in b.sections for t in s.tables if t.sheet == "records")
    assert int(records.df.records.sum()) == completed and cancelled > 0


@pytest.mark.parametrize(
    "kind, day, start, end",
    [
        ("week", "2026-11-20", "2026-11-16", "2026-11-22"),
        ("week", "2026-11-16", "2026-11-16", "2026-11-22"),
        ("week", "2026-11-22", "2026-11-16", "2026-11-22"),
        ("week", "2027-01-01", "2026-12-28", "2027-01-03"),  # an ISO week across the new year
        ("month", "2024-02-10", "2024-02-01", "2024-02-29"),
        ("month", "2026-12-31", "2026-12-01", "2026-12-31"),
    ],
)
def test_a_brief_covers_the_iso_week_or_the_calendar_month_of_the_day(kind, day, start, end):
    assert brief.period(kind, support.d(day)) == (support.d(start), support.d(end))


@pytest.mark.parametrize(
    "kind, data_as_of, day",
    [
        ("week", "2026-11-20", "2026-11-15"),  # a Friday: the week before is the latest complete one
        ("week", "2026-11-22", "2026-11-22"),  # a Sunday completes its own week
        ("week", "2026-11-23", "2026-11-22"),
        ("month", "2026-11-20", "2026-10-31"),
        ("month", "2026-11-30", "2026-11-30"),
        ("month", "2027-01-05", "2026-12-31"),
    ],
)
def test_the_default_brief_is_the_latest_complete_period(kind, data_as_of, day):
    assert brief.default_day(kind, support.d(data_as_of)) == support.d(day)


def test_a_period_the_data_does_not_cover_is_provisional_and_says_so(sample_db):
    con = store.open_reader(sample_db)
    try:
        as_of = measures.as_of_default(con)  # 2026-11-20, a Friday
        b = brief.compose(con, "week", as_of, db_path=sample_db)
    finally:
        con.close()
    assert b.provisional and b.as_of == as_of and b.date_to == dt.date(2026, 11, 22)
    page = brief.to_html(b)
    first = page[: page.index("<h2>")]
    assert "暂定" in first and str(as_of) in first
    assert ("provisional", "yes") in b.provenance


def test_briefs_that_cannot_be_written_exit_non_zero_with_the_reason(sample_db, tmp_path):
    rc, _, err = _cli(["brief", "month", "--db", sample_db, "--date", "2030-01-01", "--out", str(tmp_path)])
    assert rc == 3 and "starts after the data's as-of date" in err
    rc, _, err = _cli(["brief", "week", "--db", sample_db, "--city", "9999", "--out", str(tmp_path)])
    assert rc == 2 and "unknown city 9999" in err
    empty = tmp_path / "empty.duckdb"
    store.open_direct(str(empty)).close()
    rc, _, err = _cli(["brief", "week", "--db", str(empty), "--out", str(tmp_path)])
    assert rc == 3 and "no service logs" in err
    assert not list(tmp_path.glob("brief_*"))


def test_without_chromium_the_pdf_is_refused_clearly_and_the_other_files_need_none(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("SUPERVISION_CHROMIUM", str(tmp_path / "no-such-chromium"))
    rc, _, err = _cli(["brief", "week", "--db", sample_db, "--format", "pdf", "--out", str(tmp_path)])
    assert rc == 3 and "no Chromium" in err
    rc, printed, err = _cli(["brief", "week", "--db", sample_db, "--format", "html,xlsx", "--out", str(tmp_path)])
    assert rc == 0 and len(printed.split()) == 2
