"""Read one export file (CSV in any supported encoding, or an Excel workbook) into numbered lines.

SPEC §4 needs, for *every* physical line, its exact line number, its raw text and its field count: a broken
line is quarantined with its raw text, identical broken lines count as duplicates, and "read" counts lines.
DuckDB's own CSV reader cannot give that (its reject table splits one bad line into one row per bad column,
keeps no line numbers for good rows, and DuckDB 2.0 reads UTF-8/UTF-16/Latin-1 only, so GB18030 must pass
through Python's codecs anyway). So this module decodes the file in chunks and hands DuckDB whole chunks of
lines at C speed, as Arrow string arrays cut out of the decoded bytes with NumPy (no Python object per line):

* The common line (no double quote) goes to DuckDB as it stands; DuckDB splits it on commas and trims it.
* A line with a double quote follows RFC 4180 in Python (`csv`): a quoted field may hold commas and may span
  up to MAX_SPAN physical lines. A quote that never closes, or whose joined lines do not give a record as wide
  as the header, was a stray: that line stands alone (split on commas) and the lines after it are read again.
* Line breaks are \\n, \\r\\n or a lone \\r; blank lines are numbered but are not rows.

Everything after this - typing, the four date shapes, label mapping, duplicates, conflicts, references - is SQL.
numpy and pyarrow are imported where they are used, so that `python -m supervision report` starts light.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

SNIFF_BYTES = 64 * 1024
CHUNK_BYTES = 16 * 1024 * 1024  # decoded and handed to DuckDB this much at a time: memory stays flat
MAX_SPAN = 100  # physical lines one quoted field may span before the opening quote is judged a stray


class UnreadableFile(Exception):
    """A file that is not a table in any supported encoding: it stops the whole import (SPEC §4)."""


class Line(NamedTuple):
    number: int  # physical line number in the decoded file, header = 1 (first line of a multi-line record)
    raw: str  # the text as it stood (line terminator removed; the lines of a multi-line record joined by \n)
    split: list[str] | None  # the fields when the line needs CSV quoting rules; None = split raw on commas

    @property
    def fields(self) -> list[str]:
        return self.split if self.split is not None else self.raw.split(",")


@dataclass
class Batch:
    """Lines of one chunk: `numbers`/`raws` (NumPy int array, Arrow string array) for lines DuckDB splits on
    commas itself; `records` for lines read with CSV quoting rules. Blank lines are in neither."""

    numbers: object = None
    raws: object = None
    records: list[Line] = field(default_factory=list)


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
    """None for the common unquoted line (split on commas); CSV rules otherwise."""
    if '"' not in text:
        return None
    return next(csv.reader([text]), [""])


def _open_quote(text: str, in_quotes: bool = False) -> bool:
    """Whether `text` ends inside a quoted field (RFC 4180: a quote opens a field only at its start; a quote
    inside an unquoted field is a literal character; "" inside a quoted field is an escaped quote)."""
    i, n = 0, len(text)
    if not in_quotes:  # nothing before the first quote matters but the character just before it
        i = text.find('"')
        if i < 0:
            return False
    at_start = not in_quotes and (i == 0 or text[i - 1] == ",")
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


def _utf8_chunks(path: str, encoding: str) -> Iterator[tuple[bytes, bool]]:
    """(UTF-8 bytes, final) of the decoded file, each ending at a line break, every line break written as \\n."""
    name = os.path.basename(path)
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    carry = b""
    offset = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(CHUNK_BYTES)
            final = not block
            try:
                text = decoder.decode(block, final=final)
            except UnicodeDecodeError as e:
                raise UnreadableFile(
                    f"{name}: cannot be decoded as {encoding} (byte {offset + e.start}): "
                    "not UTF-8, UTF-8 with BOM, UTF-16 or GB18030"
                ) from e
            offset += len(block)
            data = carry + text.encode("utf-8")
            held = b""
            if not final and data.endswith(b"\r"):  # may be the first half of \r\n: decide with the next chunk
                data, held = data[:-1], b"\r"
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            if final:
                if data and not data.endswith(b"\n"):
                    data += b"\n"
                yield data, True
                return
            cut = data.rfind(b"\n") + 1
            carry = data[cut:] + held
            if cut:
                yield data[:cut], False


class _Chunk:
    """One decoded chunk of whole lines: their boundaries, and which lines hold a double quote."""

    def __init__(self, data: bytes):
        import numpy as np

        self.data = data
        arr = np.frombuffer(data, np.uint8)
        self.ends = np.flatnonzero(arr == 10)
        self.starts = np.empty(len(self.ends), np.int64)
        if len(self.ends):
            self.starts[0] = 0
            self.starts[1:] = self.ends[:-1] + 1
        self.quoted = np.unique(np.searchsorted(self.ends, np.flatnonzero(arr == 34))).tolist()
        # blank lines (empty, or str.isspace) are numbered but are not rows. A line that starts with an ASCII
        # byte that is not whitespace is not blank; the few others are looked at in Python.
        lead = np.append(arr, np.uint8(10))[self.starts]
        maybe = (lead >= 128) | ((lead >= 9) & (lead <= 13)) | ((lead >= 28) & (lead <= 32))
        self.blank = [i for i in np.flatnonzero(maybe).tolist() if _is_blank(self.text(i))]

    def __len__(self) -> int:
        return len(self.ends)

    def text(self, i: int) -> str:
        return self.data[self.starts[i] : self.ends[i]].decode("utf-8")

    def tail(self, i: int) -> bytes:
        """The bytes from line i to the end (carried into the next chunk)."""
        return self.data[self.starts[i] :] if i < len(self) else b""

    def bulk(self, first_number: int, drop: list[int], upto: int) -> Batch:
        """Lines [0, upto) without those in `drop` and the blank ones, as arrays for DuckDB."""
        import numpy as np
        import pyarrow as pa

        keep = np.ones(upto, bool)
        for gone in (drop, self.blank):
            if gone:
                gone = np.asarray(gone, np.int64)
                keep[gone[gone < upto]] = False
        idx = np.flatnonzero(keep)
        lengths = (self.ends[:upto] - self.starts[:upto])[idx]
        offsets = np.zeros(len(idx) + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        # the kept lines' bytes without their line breaks: runs of consecutive kept lines are cut out whole
        edges = np.flatnonzero(np.diff(np.concatenate(([0], keep.view(np.int8), [0]))))
        runs = zip(edges[0::2].tolist(), edges[1::2].tolist())
        values = b"".join(self.data[self.starts[a] : self.ends[b - 1]].replace(b"\n", b"") for a, b in runs)
        raws = pa.LargeStringArray.from_buffers(len(idx), pa.py_buffer(offsets), pa.py_buffer(values))
        return Batch(numbers=idx + first_number, raws=raws)


def _is_blank(text: str) -> bool:
    return not text or text.isspace()


def _record_at(chunk: _Chunk, first: int, s: int, width: int | None, final: bool) -> tuple[Line, int] | None:
    """The logical line that starts with quoted line `s`, and its last physical line; None when a quoted field
    is still open at the end of a chunk that is not the last (the caller reads it again with the next chunk)."""
    body = chunk.text(s)
    if not _open_quote(body):
        return Line(first + s, body, _split(body)), s
    parts = [body]
    j = s + 1
    while j < len(chunk):
        nxt = chunk.text(j)
        parts.append(nxt)
        if not _open_quote(nxt, in_quotes=True):  # the quoted field closes on this line
            raw = "\n".join(parts)
            fields = _split(raw) or raw.split(",")
            if width is None or len(fields) == width:
                return Line(first + s, raw, fields), j
            break  # the joined lines do not make a record
        if len(parts) >= MAX_SPAN:
            break
        j += 1
    else:
        if not final:
            return None
    # a stray opening quote: this line stands alone, and the lines after it are read again
    return Line(first + s, body, body.split(",")), s


def _scan(chunk: _Chunk, first: int, start: int, width: int | None, final: bool) -> tuple[list[int], list[Line], int]:
    """Read the quoted lines of a chunk from line `start` on. Returns (lines taken out of the bulk, records read
    with CSV rules, the line where the chunk is cut: a record still open at its end is read with the next chunk)."""
    drop: list[int] = []
    records: list[Line] = []
    quoted = chunk.quoted
    qi = 0
    pos = start
    while True:
        while qi < len(quoted) and quoted[qi] < pos:
            qi += 1
        if qi == len(quoted):
            return drop, records, len(chunk)
        s = quoted[qi]
        got = _record_at(chunk, first, s, width, final)
        if got is None:
            return drop, records, s
        line, last = got
        records.append(line)
        drop.extend(range(s, last + 1))
        pos = last + 1


def read_csv(path: str) -> tuple[str, Line, Iterator[Batch]]:
    """(encoding, header line, batches of the data lines). Raises UnreadableFile (also while iterating)."""
    encoding = detect_encoding(path)
    chunks = _utf8_chunks(path, encoding)
    number = 1  # physical number of the first line of the current chunk
    carry = b""
    for data, final in chunks:  # find the header: the first line that is not blank
        chunk = _Chunk(carry + data)
        start = 0
        while start < len(chunk) and _is_blank(chunk.text(start)):
            start += 1
        if start == len(chunk):
            carry, number = b"", number + len(chunk)
            continue
        got = _record_at(chunk, number, start, None, final)
        if got is None:
            carry, number = chunk.tail(start), number + start
            continue
        header, last = got
        break
    else:
        raise UnreadableFile(f"{os.path.basename(path)}: the file is empty (no header line)")
    width = len(header.fields)

    def batches() -> Iterator[Batch]:
        nonlocal chunk, number, final
        taken, records, cut = _scan(chunk, number, last + 1, width, final)
        batch = chunk.bulk(number, list(range(last + 1)) + taken, cut)
        batch.records = records
        yield batch
        carry = chunk.tail(cut)
        number += cut
        for data, final in chunks:
            chunk = _Chunk(carry + data)
            taken, records, cut = _scan(chunk, number, 0, width, final)
            batch = chunk.bulk(number, taken, cut)
            batch.records = records
            yield batch
            carry = chunk.tail(cut)
            number += cut

    return encoding, header, batches()


def iter_lines(batches: Iterator[Batch]) -> Iterator[Line]:
    """The data lines of `batches` one by one, in file order, blank lines left out (small files: standards)."""
    for b in batches:
        lines = [Line(int(n), r, None) for n, r in zip(b.numbers.tolist(), b.raws.to_pylist())]
        yield from sorted(lines + b.records)


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


def read_xlsx(path: str) -> tuple[str, Line, Iterator[Batch]]:
    """First sheet, header in the first row; each data row is one line (SPEC §4)."""
    import openpyxl  # imported lazily: only workbooks need it

    name = os.path.basename(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise UnreadableFile(f"{name}: not a readable Excel workbook ({e})") from e

    def lines() -> Iterator[Line]:
        try:
            for number, row in enumerate(rows, start=1):
                fields = [cell_text(v) for v in row]
                if not any(f.strip() for f in fields):
                    continue
                yield Line(number, _csv_raw(fields), fields)
        finally:
            wb.close()

    it = lines()
    header = next(it, None)
    if header is None:
        raise UnreadableFile(f"{name}: the file is empty (no header line)")
    width = len(header.fields)

    def batches() -> Iterator[Batch]:
        batch = Batch()
        for line in it:
            fields = list(line.split)  # a workbook row is as wide as the sheet: blank cells past the header
            while len(fields) > width and fields[-1] == "":  # are not fields
                fields.pop()
            fields += [""] * (width - len(fields))
            batch.records.append(Line(line.number, line.raw, fields))
            if len(batch.records) >= 100_000:
                yield batch
                batch = Batch()
        yield batch

    return "xlsx", header, batches()


def read_file(path: str) -> tuple[str, Line, Iterator[Batch]]:
    """(encoding, header, batches) of a CSV file or a workbook."""
    if path.lower().endswith(".xlsx"):
        return read_xlsx(path)
    return read_csv(path)
