"""The optional complaints column `category` [投诉类别] (SPEC §4): read under either header, absent = empty,
stored as free text, compared like every other field, and too long a value quarantines its row."""

from __future__ import annotations

from support import HEADERS, MANAGERS, ORG_UNITS, complaint, csv_text, cust
from test_import import ZH

from supervision import importing


def _files(rows, header):
    return {
        "org_units.csv": csv_text(HEADERS["org_units"], ORG_UNITS),
        "managers.csv": csv_text(HEADERS["managers"], MANAGERS),
        "customers.csv": csv_text(HEADERS["customers"], [cust("C1", "A"), cust("C2", "B", manager="M3")]),
        "complaints.csv": csv_text(header, rows),
    }


def test_a_category_is_read_under_its_chinese_header_and_stored(export_dir, import_folder):
    header = HEADERS["complaints"] + ["category"]
    zh = ZH["complaints"] + ["投诉类别"]  # SPEC §4 headers, and the optional category's
    rows = [complaint("T1", "C1", "2026-03-02 10:00") + ["网络质量"], complaint("T2", "C2", "2026-03-03 10:00") + [""]]
    folder = export_dir(files=_files(rows, zh))
    con, rep = import_folder(folder)
    f = {x.file: x for x in rep.files}["complaints.csv"]
    assert (f.read, f.accepted, f.quarantined) == (2, 2, 0)
    assert con.execute("select complaint_id, category from complaints order by 1").fetchall() == [
        ("T1", "网络质量"),
        ("T2", None),
    ]
    # the canonical header means the same; a changed category is an update, the same one a duplicate
    rows2 = [complaint("T1", "C1", "2026-03-02 10:00") + ["资费争议"], complaint("T2", "C2", "2026-03-03 10:00") + [""]]
    _, rep2 = import_folder(export_dir(files={"complaints.csv": csv_text(header, rows2)}), con)
    f2 = {x.file: x for x in rep2.files}["complaints.csv"]
    assert (f2.read, f2.updated, f2.duplicates) == (2, 1, 1)
    assert con.execute("select category from complaints where complaint_id = 'T1'").fetchone()[0] == "资费争议"


def test_an_export_without_the_column_imports_as_before(export_dir, import_folder):
    rows = [complaint("T1", "C1", "2026-03-02 10:00")]
    con, rep = import_folder(export_dir(files=_files(rows, HEADERS["complaints"])))
    assert {x.file: x.accepted for x in rep.files}["complaints.csv"] == 1
    assert con.execute("select category from complaints").fetchall() == [(None,)]


def test_a_category_longer_than_a_field_may_be_is_quarantined_with_its_line(export_dir, import_folder):
    long = "网" * (importing.MAX_FIELD + 1)
    rows = [
        complaint("T1", "C1", "2026-03-02 10:00") + [long],
        complaint("T2", "C1", "2026-03-02 11:00") + ["服务态度"],
    ]
    con, rep = import_folder(export_dir(files=_files(rows, HEADERS["complaints"] + ["category"])))
    f = {x.file: x for x in rep.files}["complaints.csv"]
    assert (f.read, f.accepted, f.quarantined) == (2, 1, 1)
    line, reason = con.execute("select line, reason from quarantine where file = 'complaints.csv'").fetchone()
    assert line == 2 and "category" in reason
