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
import re
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
    commas itself; `records` for lines read with CSV quoting rules; `rejects` for lines quarantined as they were
    read (undecodable, a NUL character, longer than MAX_LINE_CHARS). Blank lines are in none of them."""

    numbers: object = None
    raws: object = None  # each line followed by its line break: \n, or \r\n when `break_bytes` is 2
    break_bytes: int = 1
    records: list[Line] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, text kept, why)
    notes: list[str] = field(default_factory=list)  # said about the file in the import report


def detect_encoding(path: str) -> str:
    """BOM first; then UTF-8 or GB18030 (a superset of GBK), by the lines of the first 64 KB with non-ASCII text."""
    with open(path, "rb") as f:
        head = f.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if head.count(b"\x00") > max(16, len(head) // 100):  # a few NUL characters quarantine their lines; many are
        raise UnreadableFile(f"{os.path.basename(path)}: binary content (NUL bytes), not a CSV table")  # binary
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
    # UTF-8 or GB18030: the one in which more of the sample's non-ASCII lines decode (a UTF-8 export with one line
    # saved in GB18030 is UTF-8, and that line is quarantined, not the file)
    lines = sample[: 2 * SNIFF_BYTES].split(b"\n")[:-1] or [sample[: 2 * SNIFF_BYTES]]
    votes = [_decodes(line, "utf-8") for line in lines if not line.isascii()]
    return "utf-8" if sum(votes) * 2 >= len(votes) else "gb18030"  # no vote: plain ASCII, read as UTF-8


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
        return True
    except UnicodeDecodeError:
        return False


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


MAX_LINE_CHARS = 65_536  # a longer line is quarantined (its first characters kept), never stored as a value
MAX_BAD_LINES = 1000  # undecodable lines quarantined one by one; beyond this the file is refused
LINE_SAFE = ("utf-8", "utf-8-sig", "gb18030")  # encodings in which a byte 0x0A or 0x0D is always a line break


def _shown(raw: bytes | str, limit: int = 2000) -> str:
    """A line as it is kept in the quarantine: decoded as best we can, NUL shown as ␀, cut at `limit`."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    text = text.replace("\x00", "\u2400")
    return text if len(text) <= limit else text[:limit] + f"…[{len(text):,} characters]"


def _utf8_chunks(path: str, encoding: str) -> Iterator[tuple[bytes, bool, list[tuple[int, str, str]]]]:
    """(UTF-8 bytes, final, bad lines) of the decoded file, each chunk ending at a line break (\n, \r\n or a lone
    \r, as in the file; all written as \n in a chunk with a line that does not decode). A line that does not decode
    is left empty in the chunk (its number kept) and listed in `bad` as (index of the line in the chunk, its text as
    well as it decodes, why): it is quarantined, not the file."""
    name = os.path.basename(path)
    if encoding not in LINE_SAFE:  # UTF-16: decoded as a stream; an undecodable byte refuses the file
        yield from ((data, final, []) for data, final in _stream_chunks(path, encoding))
        return
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    carry = b""
    first = True
    bad_total = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(CHUNK_BYTES)
            final = not block
            raw = carry + block
            if first and encoding == "utf-8-sig":
                raw = raw.removeprefix(codecs.BOM_UTF8)
            first = False
            if final:
                complete, carry = raw, b""
            else:  # up to the last complete line break (a \r as the last byte may be half of \r\n: wait)
                cut = max(raw.rfind(b"\n"), raw.rfind(b"\r", 0, len(raw) - 1)) + 1
                complete, carry = raw[:cut], raw[cut:]
            data = complete  # line breaks as they are: _Chunk finds them
            bad: list[tuple[int, str, str]] = []
            try:
                text = data.decode(codec)
                if codec != "utf-8":
                    data = text.encode("utf-8")
            except UnicodeDecodeError:
                lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
                for i, line in enumerate(lines):
                    try:
                        decoded = line.decode(codec)
                    except UnicodeDecodeError as e:
                        lines[i] = b""
                        bad.append(
                            (
                                i,
                                _shown(line.decode(codec, errors="replace")),
                                f"cannot be decoded as {encoding} (byte {e.start + 1} of the line): not "
                                f"{encoding} text, saved in another encoding?",
                            )
                        )
                        continue
                    if codec != "utf-8":
                        lines[i] = decoded.encode("utf-8")
                data = b"\n".join(lines)
                bad_total += len(bad)
                if bad_total > MAX_BAD_LINES:
                    raise UnreadableFile(
                        f"{name}: more than {MAX_BAD_LINES} lines cannot be decoded as {encoding} (first: "
                        f"{bad[0][2]}): not UTF-8, UTF-8 with BOM, UTF-16 or GB18030"
                    ) from None
            if final:
                if data and not data.endswith(b"\n"):
                    data += b"\n"
                yield data, True, bad
                return
            if data:
                yield data, False, bad


def _stream_chunks(path: str, encoding: str) -> Iterator[tuple[bytes, bool]]:
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

    def __init__(self, data: bytes, bad: dict[int, tuple[str, str]] | None = None):
        import numpy as np

        arr = np.frombuffer(data, np.uint8)
        self.breaks = np.flatnonzero(arr == 10)  # each line's \n
        # where each line's text ends: before its \r\n or its \n. A chunk whose line breaks are all \r\n (the
        # common Windows export) or all \n is left as it is (rewriting every \r\n as \n was 0.19 s of the 88 MB
        # service logs); in any other (a lone \r ends a line too) every line break is written as \n first
        self.ends = self.breaks
        self.break_bytes = 1  # of every line's break
        crs = data.count(b"\r")
        if crs:
            before = (self.breaks > 0) & (arr[np.maximum(self.breaks - 1, 0)] == 13)
            if crs == len(self.breaks) and np.all(before):
                self.ends = self.breaks - 1
                self.break_bytes = 2
            else:
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
                arr = np.frombuffer(data, np.uint8)
                self.breaks = self.ends = np.flatnonzero(arr == 10)
        self.data = data
        self.starts = np.empty(len(self.breaks), np.int64)
        if len(self.breaks):
            self.starts[0] = 0
            self.starts[1:] = self.breaks[:-1] + 1
        # lines quarantined as read: undecodable (found by the decoder), with a NUL character, too long
        self.rejects: dict[int, tuple[str, str]] = dict(bad or {})
        for i in np.unique(np.searchsorted(self.ends, np.flatnonzero(arr == 0))).tolist():
            self.rejects.setdefault(i, (_shown(self.line_bytes(i)), "the line contains a NUL character"))
        for i in np.flatnonzero(self.ends - self.starts > MAX_LINE_CHARS).tolist():
            n = len(self.line_bytes(i).decode("utf-8", errors="replace"))
            if n > MAX_LINE_CHARS:
                self.rejects.setdefault(
                    i, (_shown(self.line_bytes(i)), f"the line is {n:,} characters long: more than {MAX_LINE_CHARS:,}")
                )
        self.quoted = [
            i
            for i in np.unique(np.searchsorted(self.ends, np.flatnonzero(arr == 34))).tolist()
            if i not in self.rejects
        ]
        # blank lines (empty, or str.isspace) are numbered but are not rows. A line that starts with an ASCII
        # byte that is not whitespace is not blank; the few others are looked at in Python.
        lead = np.append(arr, np.uint8(10))[self.starts]
        maybe = (lead >= 128) | ((lead >= 9) & (lead <= 13)) | ((lead >= 28) & (lead <= 32))
        self.blank = [i for i in np.flatnonzero(maybe).tolist() if i not in self.rejects and _is_blank(self.text(i))]

    def __len__(self) -> int:
        return len(self.breaks)

    def line_bytes(self, i: int) -> bytes:
        return self.data[self.starts[i] : self.ends[i]]

    def rejected(self, first: int, upto: int) -> list[tuple[int, str, str]]:
        return [(first + i, raw, why) for i, (raw, why) in sorted(self.rejects.items()) if i < upto]

    def carried_rejects(self, cut: int) -> dict[int, tuple[str, str]]:
        """The rejects of the lines carried into the next chunk, by their index there."""
        return {i - cut: v for i, v in self.rejects.items() if i >= cut}

    def text(self, i: int) -> str:
        return self.data[self.starts[i] : self.ends[i]].decode("utf-8")

    def tail(self, i: int) -> bytes:
        """The bytes from line i to the end (carried into the next chunk)."""
        return self.data[self.starts[i] :] if i < len(self) else b""

    def bulk(self, first_number: int, drop: list[int], upto: int) -> Batch:
        """Lines [0, upto) without those in `drop` and the blank ones, as arrays for DuckDB: each line's text is
        followed by its line break (`break_bytes` of them), which the reader of the batch strips. The chunk's own
        bytes are the array's values (no copy); the kept lines are taken out of it."""
        import numpy as np
        import pyarrow as pa

        keep = np.ones(upto, bool)
        for gone in (drop, self.blank, list(self.rejects)):
            if gone:
                gone = np.asarray(gone, np.int64)
                keep[gone[gone < upto]] = False
        idx = np.flatnonzero(keep)
        if not upto:
            return Batch(numbers=idx, raws=arrow_strings([]), break_bytes=self.break_bytes)
        offsets = np.append(self.starts[:upto], self.breaks[upto - 1] + 1)
        raws = pa.LargeStringArray.from_buffers(upto, pa.py_buffer(offsets), pa.py_buffer(self.data))
        if len(idx) < upto:
            raws = raws.filter(arrow_bools(keep))
        return Batch(numbers=idx + first_number, raws=raws, break_bytes=self.break_bytes)


# Arrow arrays built from their buffers: pyarrow's own `pa.array`/`pa.table` import pandas (0.19 s) to check
# whether they were given pandas objects, and an import needs no pandas.
def arrow_ints(values, bits: int = 32):
    """An Arrow int32 (or int8) array of a NumPy integer array or a list of ints (OverflowError when one does
    not fit: NumPy would wrap it round)."""
    import numpy as np
    import pyarrow as pa

    kind = np.int32 if bits == 32 else np.int8
    values = np.asarray(values)
    if values.size and (values.max() > np.iinfo(kind).max or values.min() < np.iinfo(kind).min):
        raise OverflowError(f"a value does not fit in {bits} bits")
    values = np.ascontiguousarray(values, kind)
    return pa.Array.from_buffers(pa.int32() if bits == 32 else pa.int8(), len(values), [None, pa.py_buffer(values)])


def arrow_bools(values):
    """An Arrow boolean array of a NumPy boolean array."""
    import numpy as np
    import pyarrow as pa

    bits = np.packbits(np.asarray(values, bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(values), [None, pa.py_buffer(bits)])


def _offsets(lengths: list[int]):
    """Arrow offsets (int64: no wrap-around, whatever the text's size) of values of these lengths."""
    import numpy as np

    offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def arrow_strings(values: list[str]):
    """An Arrow large_string array of Python strings."""
    import pyarrow as pa

    data = [v.encode("utf-8") for v in values]
    return pa.LargeStringArray.from_buffers(
        len(data), pa.py_buffer(_offsets([len(d) for d in data])), pa.py_buffer(b"".join(data))
    )


def arrow_string_lists(values: list[list[str]]):
    """An Arrow large_list<large_string> array of lists of Python strings."""
    import pyarrow as pa

    strings = arrow_strings([x for v in values for x in v])
    starts = _offsets([len(v) for v in values])
    return pa.LargeListArray.from_buffers(
        pa.large_list(pa.large_string()), len(values), [None, pa.py_buffer(starts)], children=[strings]
    )


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
    carry, carried = b"", {}
    skipped: list[tuple[int, str, str]] = []
    for data, final, bad in chunks:  # find the header: the first line that is not blank
        chunk = _Chunk(carry + data, {**carried, **{i + _count_lines(carry): (r, w) for i, r, w in bad}})
        start = 0
        while start < len(chunk) and (start in chunk.rejects or _is_blank(chunk.text(start))):
            start += 1
        if start == len(chunk):
            skipped += chunk.rejected(number, len(chunk))
            carry, carried, number = b"", {}, number + len(chunk)
            continue
        got = _record_at(chunk, number, start, None, final)
        if got is None:
            skipped += chunk.rejected(number, start)
            carry, carried, number = chunk.tail(start), chunk.carried_rejects(start), number + start
            continue
        header, last = got
        break
    else:
        raise UnreadableFile(f"{os.path.basename(path)}: the file is empty (no header line)")
    width = len(header.fields)
    if skipped:  # lines above the header that could not be read: the file's first line is its header
        raise UnreadableFile(f"{os.path.basename(path)}: line {skipped[0][0]} above the header: {skipped[0][2]}")

    def batches() -> Iterator[Batch]:
        nonlocal chunk, number, final
        taken, records, cut = _scan(chunk, number, last + 1, width, final)
        batch = chunk.bulk(number, list(range(last + 1)) + taken, cut)
        batch.records = records
        batch.rejects = chunk.rejected(number, cut)
        yield batch
        carry, carried = chunk.tail(cut), chunk.carried_rejects(cut)
        number += cut
        for data, final, bad in chunks:
            chunk = _Chunk(carry + data, {**carried, **{i + _count_lines(carry): (r, w) for i, r, w in bad}})
            taken, records, cut = _scan(chunk, number, 0, width, final)
            batch = chunk.bulk(number, taken, cut)
            batch.records = records
            batch.rejects = chunk.rejected(number, cut)
            yield batch
            carry, carried = chunk.tail(cut), chunk.carried_rejects(cut)
            number += cut

    return encoding, header, batches()


def _count_lines(data: bytes) -> int:
    return data.count(b"\n")


def iter_lines(batches: Iterator[Batch]) -> Iterator[Line]:
    """The data lines of `batches` one by one, in file order, blank lines left out (small files: standards).
    A line that could not be read raises UnreadableFile naming it."""
    for b in batches:
        if b.rejects:
            n, _, why = b.rejects[0]
            raise UnreadableFile(f"line {n}: {why}")
        lines = (
            [Line(int(n), r[: -b.break_bytes], None) for n, r in zip(b.numbers.tolist(), b.raws.to_pylist())]
            if b.raws
            else []
        )
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
    if isinstance(value, dt.timedelta):  # a duration cell: as Excel writes it, [h]:mm:ss
        total = int(value.total_seconds())
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return str(value)


def _csv_raw(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


WORKBOOKS = (".xlsx", ".xlsm", ".xls")
MAX_WORKBOOK_BYTES = 256 * 1024 * 1024  # what an .xlsx may expand to (its zip members), or an .xls may weigh
MAX_CELLS = 20_000_000  # rows x columns of the first sheet's used range (a CSV of 1M rows x 20 columns)
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_VALUE = re.compile(rb"<v>[^<]")  # a stored value (an empty <v/> is none)
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*>((?:(?!</c>).){0,4000}?)</c>', re.S)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _first_sheet_xml(zf) -> str:
    """The path inside an .xlsx of the workbook's first sheet (by the workbook's own order)."""
    import xml.etree.ElementTree as ET

    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    first = book.find("m:sheets/m:sheet", ns)
    rid = first.get(f"{{{ns['r']}}}id")
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels.findall("p:Relationship", ns) if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _check_xlsx(path: str) -> dict[int, str]:
    """Refuse an .xlsx that expands beyond MAX_WORKBOOK_BYTES or whose first sheet spans more than MAX_CELLS (a
    single cell at XFD15000 is 245 million cells to a reader: 16 s and 7.5 GB, measured) — read in one streaming
    pass over the sheet's XML, before any reader builds the sheet. Returns the rows holding a formula without a
    stored value (written by a program that does not compute formulas) and why."""
    import zipfile

    name = os.path.basename(path)
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
            if total > MAX_WORKBOOK_BYTES:
                raise UnreadableFile(
                    f"{name}: the workbook expands to {total / 2**20:,.0f} MB, more than the limit of "
                    f"{MAX_WORKBOOK_BYTES / 2**20:,.0f} MB: export it as CSV"
                )
            sheet = _first_sheet_xml(zf)
            max_row = max_col = 0
            formulas: dict[int, str] = {}
            tail = b""
            with zf.open(sheet) as fh:
                while block := fh.read(4 * 1024 * 1024):
                    data = tail + block
                    cut = data.rfind(b"</c>") + 4 if b"</c>" in data else 0
                    part, tail = data[:cut], data[cut:]
                    for col, row in _CELL.findall(part):
                        max_row, max_col = max(max_row, int(row)), max(max_col, _column_number(col))
                    if b"<f" in part:
                        for col, row, inner in _FORMULA_CELL.findall(part):
                            if b"<f" in inner and not _VALUE.search(inner):
                                formulas.setdefault(int(row), col.decode())
                    if max_row * max_col > MAX_CELLS:
                        raise UnreadableFile(
                            f"{name}: the first sheet reaches row {max_row:,} and column {max_col:,} "
                            f"({max_row * max_col:,} cells, more than {MAX_CELLS:,}): a stray cell far away? "
                            "Delete it, or export the sheet as CSV"
                        )
    except (zipfile.BadZipFile, KeyError, StopIteration, OSError, AttributeError) as e:
        raise UnreadableFile(f"{name}: not a readable Excel workbook ({e})") from e
    except Exception as e:
        if isinstance(e, UnreadableFile):
            raise
        raise UnreadableFile(f"{name}: not a readable Excel workbook ({e})") from e
    return {
        row: f"a formula without a stored value in column {col} (saved by a program that does not compute "
        "formulas: open and save the workbook in Excel or LibreOffice)"
        for row, col in formulas.items()
    }


def read_workbook(path: str) -> tuple[str, Line, Iterator[Batch]]:
    """First sheet, header in its first row; each data row is one line (SPEC §4). `.xlsx` and `.xls` (Excel
    97-2003) alike, read by calamine (python-calamine, Rust): typed cells, the cached value of a formula.
    Quarantined as read: a row with a formula that has no stored value, and a row whose cells are merged with the
    row above (the value stands only in the first row of the merge). The other sheets are named in `notes`."""
    from python_calamine import CalamineWorkbook  # imported here: only workbooks need it

    name = os.path.basename(path)
    kind = "xls" if path.lower().endswith(".xls") else "xlsx"
    if os.path.getsize(path) > MAX_WORKBOOK_BYTES:
        raise UnreadableFile(
            f"{name}: {os.path.getsize(path) / 2**20:,.0f} MB, more than the limit of "
            f"{MAX_WORKBOOK_BYTES / 2**20:,.0f} MB for a workbook: export it as CSV"
        )
    rejects = _check_xlsx(path) if kind == "xlsx" else {}
    try:
        wb = CalamineWorkbook.from_path(path)
        others = wb.sheet_names[1:]
        sheet = wb.get_sheet_by_index(0)
        if kind == "xls" and sheet.total_height * sheet.total_width > MAX_CELLS:
            raise UnreadableFile(
                f"{name}: the first sheet spans {sheet.total_height * sheet.total_width:,} cells, "
                f"more than {MAX_CELLS:,}"
            )
        first_row = sheet.start[0] if sheet.start else 0
        first_col = sheet.start[1] if sheet.start else 0
        merged = list(sheet.merged_cell_ranges or [])
        rows = sheet.iter_rows()
    except UnreadableFile:
        raise
    except Exception as e:  # CalamineError, ZipError, XmlError, a file that is not a workbook ...
        raise UnreadableFile(f"{name}: not a readable Excel workbook ({e})") from e
    for (r1, c1), (r2, c2) in merged:  # 0-based, inclusive: rows below the first of a merge hold no value
        for r in range(r1 + 2, r2 + 2):
            rejects.setdefault(
                r,
                f"cells merged with row {r1 + 1} (columns {c1 + 1}-{c2 + 1}): the value stands "
                "only in the first row of the merge",
            )
    del first_col

    def lines() -> Iterator[Line]:
        try:
            for number, row in enumerate(rows, start=first_row + 1):
                fields = [cell_text(v) for v in row]
                if not any(f.strip() for f in fields) and number not in rejects:
                    continue
                yield Line(number, _csv_raw(fields), fields)
        except Exception as e:
            raise UnreadableFile(f"{name}: not a readable Excel workbook ({e})") from e

    it = lines()
    header = next(it, None)
    if header is None:
        raise UnreadableFile(f"{name}: the file is empty (no header line)")
    width = len(header.fields)

    def batches() -> Iterator[Batch]:
        batch = Batch(notes=[f"sheets ignored (only the first is read): {', '.join(others)}"] if others else [])
        for line in it:
            if line.number in rejects:
                batch.rejects.append((line.number, _shown(line.raw), rejects[line.number]))
                continue
            fields = list(line.split)  # a workbook row is as wide as the sheet: blank cells past the header
            while len(fields) > width and fields[-1] == "":  # are not fields
                fields.pop()
            fields += [""] * (width - len(fields))
            batch.records.append(Line(line.number, line.raw, fields))
            if len(batch.records) >= 100_000:
                yield batch
                batch = Batch()
        yield batch

    return kind, header, batches()


def read_file(path: str) -> tuple[str, Line, Iterator[Batch]]:
    """(encoding, header, batches) of a CSV file or a workbook."""
    if path.lower().endswith(WORKBOOKS):
        return read_workbook(path)
    return read_csv(path)
