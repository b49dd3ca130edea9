"""Workbooks as office suites write them (first-use issue, item 11; SPEC §4): an export saved by LibreOffice Calc
as .xlsx or as .xls (Excel 97-2003) imports exactly as the same export in CSV — ids keep their leading zeros,
whole numbers stay whole, date and date-time cells mean their day and time. LibreOffice (Debian's
libreoffice-calc-nogui, installed by scripts/test.sh) writes the workbooks here from typed cells."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import support
from support import cust, log, member

from supervision import importing

CUSTOMERS = [cust("0012345", "A", "M1"), cust("JT2", "B", "M3", onboard="2021-06-30")]
LOGS = [
    log("R001", "0012345", "visit", "2026-03-05 10:30"),
    log("R002", "JT2", "training", "2026-04-01"),
    log("R003", "0012345", "greeting", "2026-05-02 09:00", member="0099"),
]
MEMBERS = [member("0099", "0012345", "important_leader", "1960-05-03")]


def typed(value: str):
    """A cell as a clerk's workbook holds it: dates as dates, whole numbers as numbers, the rest as text."""
    if value[:4].isdigit() and len(value) >= 10 and value[4] == "-":
        return dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
    if value.isdigit() and not value.startswith("0"):
        return int(value)
    return value


def write_workbooks(folder: Path) -> None:
    """Each export file of `folder` (CSV, canonical headers) as an .xlsx with typed cells, beside it."""
    import csv

    for path in folder.glob("*.csv"):
        if path.stem == "standards":
            continue
        wb = openpyxl.Workbook()
        ws = wb.active
        with open(path, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.reader(fh)):
                ws.append(row if i == 0 else [typed(v) for v in row])
        wb.save(folder / f"{path.stem}.xlsx")


def libreoffice(src: Path, fmt: str, out: Path, profile: Path) -> Path:
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(profile)},
    )
    return out / f"{src.stem}.{fmt}"


def stored(con) -> dict[str, list]:
    return {
        t: con.execute(f"select * exclude (import_id, line) from {t} order by all").fetchall()
        if t in ("service_logs", "complaints")
        else con.execute(f"select * from {t} order by all").fetchall()
        for t in ("customers", "members", "service_logs")
    }


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("workbooks")
    csv_dir = support.write_export(root / "csv", customers=CUSTOMERS, logs=LOGS, members=MEMBERS)
    typed_dir = root / "typed"
    shutil.copytree(csv_dir, typed_dir)
    write_workbooks(typed_dir)
    out = {"csv": Path(csv_dir)}
    for fmt in ("xlsx", "xls"):
        folder = root / f"libreoffice_{fmt}"
        folder.mkdir()
        for book in typed_dir.glob("*.xlsx"):
            libreoffice(book, fmt, folder, root / "profile")
        out[fmt] = folder
    return out


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_workbook_written_by_libreoffice_imports_like_the_csv(exports, import_folder, fmt):
    assert sorted(p.suffix for p in exports[fmt].iterdir()) == [f".{fmt}"] * 5
    con_csv, rep_csv = import_folder(exports["csv"])
    con_book, rep_book = import_folder(exports[fmt])
    assert stored(con_book) == stored(con_csv)
    assert [(f.read, f.accepted, f.quarantined) for f in rep_book.files] == [
        (f.read, f.accepted, f.quarantined) for f in rep_csv.files
    ]
    assert {f.encoding for f in rep_book.files} == {fmt}
    # the id that starts with zeros, the whole number and the time of day survived the workbook
    assert con_book.execute("select customer_id from customers order by 1").fetchall()[0] == ("0012345",)
    assert con_book.execute("select service_time from service_logs where record_id = 'R001'").fetchone() == (
        dt.datetime(2026, 3, 5, 10, 30),
    )


def test_an_xls_file_is_found_in_the_import_folder(exports):
    assert importing.find_files(str(exports["xls"]))["customers"].endswith("customers.xls")
