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
        raise UnreadableFile(f"{os.path.basename(path)}: binary content (NUL bytes), not a CSV table")
    sample = head
    if head.isascii():  # the first 64 KB tell nothing: look at the first non-ASCII bytes further on
        sample = b""
        with open(path, "rb") as f:
            f.seek(len(head))
            while chunk := f.read(4 * SNIFF_BYTES):
                if not chunk.isascii():
                    first = next(i for i, b in enumerate(chunk) if b > 127)
                    sample = chunk[first:] + f.read(SNIFF_BYTES)
                    break
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample[: 2 * SNIFF_BYTES], final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _split(text: str) -> list[str] | None:
    """None for the common unquoted line (the importer splits those in SQL); CSV rules otherwise."""
    if '"' not in text:
        return None
    return next(csv.reader([text]), [""])


MAX_SPAN = 100  # physical lines one quoted field may span before the opening quote is judged a stray


def _open_quote(text: str, in_quotes: bool = False) -> bool:
    """Whether `text` ends inside a quoted field (RFC 4180: a quote opens a field only at its start; a quote
    inside an unquoted field is a literal character; "" inside a quoted field is an escaped quote)."""
    at_start = not in_quotes
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if in_quotes:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                else:
                    in_quotes = False
        elif ch == '"' and at_start:
            in_quotes = True
        at_start = ch == "," and not in_quotes
        i += 1
    return in_quotes


def iter_csv(path: str) -> tuple[str, Iterator[Line]]:
    """Return (encoding, lines). Blank lines are skipped; a quoted field may span lines (up to MAX_SPAN)."""
    encoding = detect_encoding(path)

    def physical_lines(enc: str) -> Iterator[tuple[int, str]]:
        with open(path, "rb") as fb:
            text = io.TextIOWrapper(fb, encoding=enc, errors="strict", newline="")
            for number, physical in enumerate(text, start=1):
                yield number, physical.rstrip("\r\n")

    def logical(source: Iterator[tuple[int, str]]) -> Iterator[Line]:
        pending: list[tuple[int, str]] = []
        backlog: list[tuple[int, str]] = []  # lines to read again after a stray opening quote
        width: int | None = None
        source = iter(source)
        while True:
            if backlog:
                number, body = backlog.pop(0)
            else:
                nxt = next(source, None)
                if nxt is None:
                    if not pending:
                        return
                    # the quote never closed: the first line stands alone (its field count will flag it),
                    # the rest are read again as lines of their own
                    (number, body), backlog = pending[0], pending[1:]
                    pending = []
                    yield Line(number, body, body.split(","))
                    continue
                number, body = nxt
            if pending:
                pending.append((number, body))
                raw = "\n".join(b for _, b in pending)
                if not _open_quote(body, in_quotes=True):  # the quoted field closes on this line
                    fields = _split(raw) or raw.split(",")
                    if width is None or len(fields) == width:
                        yield Line(pending[0][0], raw, fields)
                    else:  # the joined lines do not make a record: the opening quote was a stray
                        (number, body), backlog = pending[0], pending[1:] + backlog
                        yield Line(number, body, body.split(","))
                    pending = []
                elif len(pending) >= MAX_SPAN:
                    (number, body), backlog = pending[0], pending[1:] + backlog
                    pending = []
                    yield Line(number, body, body.split(","))
                continue
            if '"' in body and _open_quote(body):
                pending = [(number, body)]
                continue
            if not body.strip():
                continue
            line = Line(number, body, _split(body))
            if width is None:  # the header: a record spanning lines must give this many fields
                width = len(line.fields)
            yield line

    return encoding, _guard(logical(physical_lines(encoding)), path, encoding)


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
