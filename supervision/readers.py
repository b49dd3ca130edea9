"""Read one export file (CSV in any supported encoding, or an Excel workbook) into lines of fields.

Why not DuckDB's `read_csv` for this step: DuckDB 2.0 reads UTF-8/UTF-16/Latin-1 only, so GB18030 exports
must pass through Python's codecs anyway; and SPEC §4 needs, for *every* physical line, its exact line
number, its raw text and its field count (a broken line is quarantined with its raw text, and identical
broken lines are counted as duplicates). Its reject table splits a bad line into one row per bad column and
keeps no line numbers for good rows, so we tokenise the decoded stream here (a C-speed `str.split` on the
common unquoted line, the `csv` module when a quote appears) and hand DuckDB Arrow batches. Everything after
this — typing, the four date shapes, label mapping, duplicates, conflicts, references — is SQL.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from collections.abc import Iterator
from typing import NamedTuple

SNIFF_BYTES = 64 * 1024


class UnreadableFile(Exception):
    """A file that is not a table in any supported encoding: it stops the whole import (SPEC §4)."""


class Line(NamedTuple):
    number: int  # physical line number in the decoded file, header = 1 (first line of a multi-line record)
    raw: str  # the text as it stood (line terminator removed)
    split: list[str] | None  # the fields when the line needs CSV quoting rules; None = split raw on commas

    @property
    def fields(self) -> list[str]:
        return self.split if self.split is not None else self.raw.split(",")


def detect_encoding(path: str) -> str:
    """BOM first; then strict UTF-8 on the first 64 KB; otherwise GB18030 (a superset of GBK)."""
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in head:
        raise UnreadableFile("binary content (NUL bytes): not a CSV table")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _split(text: str) -> list[str] | None:
    """None for the common unquoted line (the importer splits those in SQL); CSV rules otherwise."""
    if '"' not in text:
        return None
    return next(csv.reader([text]), [""])


def iter_csv(path: str) -> tuple[str, Iterator[Line]]:
    """Return (encoding, lines). Blank lines are skipped; a quoted field may span lines."""
    encoding = detect_encoding(path)

    def gen(enc: str) -> Iterator[Line]:
        with open(path, "rb") as fb:
            text = io.TextIOWrapper(fb, encoding=enc, errors="strict", newline="")
            pending: list[str] = []
            start = 0
            for number, physical in enumerate(text, start=1):
                body = physical.rstrip("\r\n")
                if pending:
                    pending.append(body)
                    if body.count('"') % 2 == 1:  # the quote opened earlier closes here
                        raw = "\n".join(pending)
                        pending = []
                        yield Line(start, raw, _split(raw))
                    continue
                if body.count('"') % 2 == 1:
                    pending, start = [body], number
                    continue
                if not body.strip():
                    continue
                yield Line(number, body, _split(body))
            if pending:  # an unclosed quote: keep the text, the field count will flag it
                raw = "\n".join(pending)
                yield Line(start, raw, raw.split(","))

    return encoding, _guard(gen(encoding), path, encoding)


def _guard(lines: Iterator[Line], path: str, encoding: str) -> Iterator[Line]:
    try:
        yield from lines
    except UnicodeDecodeError as e:
        raise UnreadableFile(
            f"{os.path.basename(path)}: cannot be decoded as {encoding} (byte {e.start} of a chunk): "
            "not UTF-8, UTF-8 with BOM, UTF-16 or GB18030"
        ) from e


def cell_text(value: object) -> str:
    """An Excel cell as the text it stands for: 106 not 106.0, dates as YYYY-MM-DD[ HH:MM:SS]."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _csv_raw(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


def iter_xlsx(path: str) -> tuple[str, Iterator[Line]]:
    """First sheet, header in the first row; each data row is one line (SPEC §4)."""
    import openpyxl  # imported lazily: only workbooks need it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise UnreadableFile(f"{os.path.basename(path)}: not a readable Excel workbook ({e})") from e

    def gen() -> Iterator[Line]:
        try:
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                fields = [cell_text(v) for v in row]
                if not any(f.strip() for f in fields):
                    continue
                yield Line(number, _csv_raw(fields), fields)
        finally:
            wb.close()

    return "xlsx", gen()


def iter_file(path: str) -> tuple[str, Iterator[Line]]:
    if path.lower().endswith(".xlsx"):
        return iter_xlsx(path)
    return iter_csv(path)
