"""Builders for tiny purpose-built CRM exports (SPEC §4), shared by the test modules.

A test writes only the rows its case needs; the organisation (two cities, four districts, a handful of
managers) is always the same small cast so that hand-computed answers stay short:

    city 2101 沈阳: districts 210102 和平区, 210103 沈河区
    city 2102 大连: districts 210202 中山区, 210203 西岗区
    managers M1 (2101/210102), M2 (2101/210103), M3 (2102/210202), M4 (2102/210203) account managers,
             S1 chief account manager, P1 phone manager
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

from supervision import contract, importing, store

ROOT = Path(__file__).resolve().parent.parent
# the day tests import on: dates up to the end of 2026 are never "after the import date", whatever the clock says
IMPORT_DAY = dt.date(2027, 6, 30)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "examples"
FIXTURES_S12 = Path(__file__).resolve().parent / "fixtures" / "examples_s12"  # SPEC §12's (../shared/examples/s12)
EXPORT = FIXTURES / "export"
EXPECTED = FIXTURES / "expected"

# SPEC §3 seed defaults, written out here (not read from supervision/defaults) so that a change to the
# shipped file cannot silently change what these tests expect.
STANDARDS_HEADER = "tier,service_code,requirement,period_months,responsible_role,city_code,effective_from"
DEFAULT_STANDARDS_ROWS = [
    "A+,visit,2,1,account_manager,,",
    "A,visit,1,1,account_manager,,",
    "B,visit,1,2,account_manager,,",
    "C,visit,1,3,account_manager,,",
    "A+,training,1,3,account_manager,,",
    "A,training,1,6,account_manager,,",
    "B,training,1,12,account_manager,,",
    "C,training,market,,account_manager,,",
    "A+,network_test,1,3,account_manager,,",
    "A,network_test,1,6,account_manager,,",
    "B,network_test,market,,account_manager,,",
    "C,network_test,market,,account_manager,,",
    "A+,social_event,1,12,account_manager,,",
    "A,social_event,1,12,account_manager,,",
    "B,social_event,1,12,account_manager,,",
    "C,social_event,market,,account_manager,,",
    "A+,vip_event,1,12,account_manager,,",
    "A,vip_event,1,12,account_manager,,",
    "B,vip_event,market,,account_manager,,",
    "C,vip_event,market,,account_manager,,",
    "A+,chief_visit,1,6,chief_account_manager,,",
    "A,chief_visit,1,6,chief_account_manager,,",
    "B,chief_visit,1,12,chief_account_manager,,",
    "C,chief_visit,market,,chief_account_manager,,",
    "A+,trial,entitled,,account_manager,,",
    "A,trial,entitled,,account_manager,,",
    "B,trial,not_entitled,,account_manager,,",
    "C,trial,not_entitled,,account_manager,,",
]


def standards_text(*extra_rows: str, defaults: bool = True) -> str:
    """A standards file: the §3 defaults (lines 2..29) followed by `extra_rows` (lines 30, 31, ...)."""
    rows = (DEFAULT_STANDARDS_ROWS if defaults else []) + list(extra_rows)
    return "\n".join([STANDARDS_HEADER, *rows]) + "\n"


HEADERS = {
    "org_units": ["city_code", "city_name", "district_code", "district_name"],
    "managers": ["manager_id", "manager_name", "role", "city_code", "district_code"],
    "customers": [
        "customer_id",
        "customer_name",
        "tier",
        "city_code",
        "district_code",
        "manager_id",
        "chief_manager_id",
        "industry",
        "member_count",
        "onboard_date",
    ],
    "tier_history": ["customer_id", "tier", "effective_from"],
    "members": ["member_id", "customer_id", "member_name", "member_role", "birthday"],
    "service_logs": [
        "record_id",
        "customer_id",
        "member_id",
        "manager_id",
        "service_code",
        "channel",
        "service_time",
        "status",
        "note",
    ],
    "complaints": [
        "complaint_id",
        "customer_id",
        "manager_id",
        "received_at",
        "first_contact_at",
        "resolved_at",
        "return_visit_at",
        "satisfaction",
        "dissatisfied_reason",
    ],
    # SPEC §12
    "work_orders": ["order_id", "customer_id", "manager_id", "order_type", "completed_at"],
    "return_visits": ["visit_id", "order_id", "return_visit_at", "method", "result", "dissatisfied_reason"],
    "inspections": ["inspection_id", "level", "city_code", "district_code", "inspected_at"],
}

ORG_UNITS = [
    ["2101", "沈阳", "210102", "和平区"],
    ["2101", "沈阳", "210103", "沈河区"],
    ["2102", "大连", "210202", "中山区"],
    ["2102", "大连", "210203", "西岗区"],
]
MANAGERS = [
    ["M1", "张伟", "account_manager", "2101", "210102"],
    ["M2", "李娜", "客户经理", "2101", "210103"],
    ["M3", "王强", "account_manager", "2102", "210202"],
    ["M4", "刘洋", "account_manager", "2102", "210203"],
    ["S1", "陈静", "首席客户经理", "2101", "210102"],
    ["P1", "赵磊", "phone_manager", "2102", "210203"],
]
DISTRICT_OF_MANAGER = {
    "M1": ("2101", "210102"),
    "M2": ("2101", "210103"),
    "M3": ("2102", "210202"),
    "M4": ("2102", "210203"),
}


def cust(
    customer_id: str,
    tier: str,
    manager: str = "M1",
    chief: str = "S1",
    onboard: str = "2020-01-01",
    industry: str = "other",
    members: str = "10",
    name: str | None = None,
) -> list[str]:
    """A customers row placed in its account manager's city and district."""
    city, district = DISTRICT_OF_MANAGER[manager]
    return [customer_id, name or f"{customer_id}公司", tier, city, district, manager, chief, industry, members, onboard]


def log(
    record_id: str,
    customer_id: str,
    service: str,
    time: str,
    status: str = "completed",
    member: str = "",
    manager: str = "M1",
    channel: str = "上门",
    note: str = "",
) -> list[str]:
    return [record_id, customer_id, member, manager, service, channel, time, status, note]


def member(member_id: str, customer_id: str, role: str, birthday: str, name: str = "成员") -> list[str]:
    return [member_id, customer_id, name, role, birthday]


def complaint(
    complaint_id: str,
    customer_id: str,
    received: str,
    first: str = "",
    resolved: str = "",
    return_visit: str = "",
    satisfaction: str = "",
    reason: str = "",
    manager: str = "",
) -> list[str]:
    return [complaint_id, customer_id, manager, received, first, resolved, return_visit, satisfaction, reason]


def order(order_id: str, customer_id: str, order_type: str, completed: str, manager: str = "") -> list[str]:
    """A work_orders row (SPEC §12)."""
    return [order_id, customer_id, manager, order_type, completed]


def visit(visit_id: str, order_id: str, time: str, method: str, result: str, reason: str = "") -> list[str]:
    """A return_visits row (SPEC §12)."""
    return [visit_id, order_id, time, method, result, reason]


def inspection(inspection_id: str, level: str, city: str, district: str, day: str) -> list[str]:
    """An inspections row (SPEC §12)."""
    return [inspection_id, level, city, district, day]


def csv_text(header: list[str], rows: list[list[str]], newline: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows([header, *rows])
    return buf.getvalue()


def write_files(folder: str | os.PathLike, files: dict[str, str | bytes], encoding: str = "utf-8") -> Path:
    """Write `files` ({name: text or bytes}) into `folder` (created). Text is written as given (no newline
    translation) in `encoding`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode(encoding)
        (folder / name).write_bytes(data)
    return folder


def write_export(
    folder: str | os.PathLike,
    customers: list[list[str]] | None = None,
    logs: list[list[str]] | None = None,
    members: list[list[str]] | None = None,
    complaints: list[list[str]] | None = None,
    tier_history: list[list[str]] | None = None,
    standards: str | None = None,
    org: bool = True,
    work_orders: list[list[str]] | None = None,
    return_visits: list[list[str]] | None = None,
    inspections: list[list[str]] | None = None,
) -> Path:
    """A canonical UTF-8 export: org_units + managers (the fixed cast) unless org=False, and each given table."""
    files: dict[str, str] = {}
    if org:
        files["org_units.csv"] = csv_text(HEADERS["org_units"], ORG_UNITS)
        files["managers.csv"] = csv_text(HEADERS["managers"], MANAGERS)
    for name, rows in (
        ("customers", customers),
        ("tier_history", tier_history),
        ("members", members),
        ("service_logs", logs),
        ("complaints", complaints),
        ("work_orders", work_orders),
        ("return_visits", return_visits),
        ("inspections", inspections),
    ):
        if rows is not None:
            files[f"{name}.csv"] = csv_text(HEADERS[name], rows)
    if standards is not None:
        files["standards.csv"] = standards
    return write_files(folder, files)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# ---------------------------------------------------------------- what a Chinese page may show (first-use issue)
MISSING = re.compile(r"\b(None|nan|NaN|NaT|<NA>)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
EXPORT_FILES = {*contract.FILES, "standards", "csv", "xlsx", "xls"}  # file names a page may show
ALLOWED_WORDS = {"CSV", "PDF", "HTML", "Excel", "UTF", "BOM", "SHA", "Language", "English"} | EXPORT_FILES


def offending(text: str) -> list[str]:
    """`None`/`nan`/`NaT` and English words in a Chinese text, but for ids (they hold digits), the export files'
    names, hex digests and the few words allowed (CSV, Excel, encodings, the language switch's own name)."""
    bad = MISSING.findall(text)
    bad += [w for w in WORD.findall(text) if w not in ALLOWED_WORDS and not re.fullmatch(r"[0-9a-f]{6,}", w)]
    return bad


def new_db(path):
    """A new, empty database file at `path` (schema and shipped defaults), open read-write."""
    return store.open_direct(str(path))


def import_into(con, folder, today=IMPORT_DAY) -> importing.ImportReport:
    """Import the export in `folder` into the open database `con` as of the import day `today`."""
    return importing.run_import(con, str(folder), today=today)


def imported_db(path, folder=None, today=IMPORT_DAY, clean: bool = True, close: bool = True, **tables):
    """The one database factory of the tests: a new database file at `path` holding the export in `folder` —
    or, given `tables` (customers=..., logs=..., standards=...), a tiny export written beside it first —
    imported as of the import day `today`. With `clean`, every row must be accepted (a typo in a fixture would
    otherwise silently change a case). Returns the path, or the open connection when `close` is False.
    Built from `new_db` and `import_into`, which the fixtures of conftest.py use for a database they import
    into more than once."""
    path = Path(path)
    if folder is None:
        folder = write_export(path.parent / f"{path.stem}_export", **tables)
    con = new_db(path)
    try:
        rep = import_into(con, folder, today)
    except BaseException:
        con.close()
        raise
    if clean:
        assert all(f.quarantined == 0 and f.duplicates == 0 for f in rep.files), rep.files
    if close:
        con.close()
        return str(path)
    return con
