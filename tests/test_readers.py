"""The chunked reader (supervision/readers.py) gives exactly the lines of the line-by-line reading it replaced:
the same line numbers, raw text and fields for every input — quoted fields over several lines, stray quotes,
blank lines, \\r\\n / \\r / \\n line breaks, a record cut by a chunk boundary — in every encoding.

The oracle below is the original algorithm (Python's universal newlines, then a quote-aware state machine),
kept here as the specification the fast reader must match.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervision import readers
from supervision.readers import MAX_SPAN, Line, _open_quote, _split


def oracle(text: str) -> list[Line]:
    """Every logical line of `text` (header included), as the original reader produced them."""
    stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline="")
    source = iter([(n, physical.rstrip("\r\n")) for n, physical in enumerate(stream, start=1)])
    out: list[Line] = []
    pending: list[tuple[int, str]] = []
    backlog: list[tuple[int, str]] = []
    width = None
    while True:
        if backlog:
            number, body = backlog.pop(0)
        else:
            nxt = next(source, None)
            if nxt is None:
                if not pending:
                    return out
                (number, body), backlog = pending[0], pending[1:]
                pending = []
                out.append(Line(number, body, body.split(",")))
                continue
            number, body = nxt
        if pending:
            pending.append((number, body))
            raw = "\n".join(b for _, b in pending)
            if not _open_quote(body, in_quotes=True):
                fields = _split(raw) or raw.split(",")
                if width is None or len(fields) == width:
                    out.append(Line(pending[0][0], raw, fields))
                else:
                    (number, body), backlog = pending[0], pending[1:] + backlog
                    out.append(Line(number, body, body.split(",")))
                pending = []
            elif len(pending) >= MAX_SPAN:
                (number, body), backlog = pending[0], pending[1:] + backlog
                pending = []
                out.append(Line(number, body, body.split(",")))
            continue
        if '"' in body and _open_quote(body):
            pending = [(number, body)]
            continue
        if not body.strip():
            continue
        line = Line(number, body, _split(body))
        if width is None:
            width = len(line.fields)
        out.append(line)


def read_all(path: Path) -> list[Line]:
    _, header, batches = readers.read_file(str(path))
    return [header, *readers.iter_lines(batches)]


def norm(lines: list[Line]) -> list[tuple[int, str, list[str]]]:
    return [(ln.number, ln.raw, ln.fields) for ln in lines]


PIECES = ["a", "b", "中文", " ", ",", ",", ",", '"', '""', "\n", "\r\n", "\r", "\u3000", "\t"]


@settings(max_examples=300, deadline=None)
@given(
    header_width=st.integers(1, 4),
    body=st.lists(st.sampled_from(PIECES), max_size=60),
    chunk=st.sampled_from([3, 7, 16, 1 << 20]),
)
def test_chunked_reader_equals_the_line_by_line_reading(tmp_path_factory, header_width, body, chunk):
    text = ",".join(f"h{i}" for i in range(header_width)) + "\r\n" + "".join(body)
    path = tmp_path_factory.mktemp("r") / "x.csv"
    path.write_bytes(text.encode("utf-8"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(readers, "CHUNK_BYTES", chunk)  # tiny chunks: records cut at every possible place
        assert norm(read_all(path)) == norm(oracle(text))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_every_encoding_gives_the_same_lines(tmp_path, monkeypatch, encoding):
    monkeypatch.setattr(readers, "CHUNK_BYTES", 64)
    text = '记录编号,备注\r\nR1,"跨行\r\n的备注"\r\n\r\nR2,普通\r\nR3,"未闭合\r\nR4,后续\r\n' * 3 + "R5,最后一行"
    path = tmp_path / "x.csv"
    path.write_bytes(text.encode(encoding))
    assert readers.detect_encoding(str(path)) == encoding
    assert norm(read_all(path)) == norm(oracle(text))


def test_a_field_spanning_more_lines_than_allowed_is_a_stray_quote(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "CHUNK_BYTES", 50)
    text = 'a,b\n1,"never closed\n' + "x,y\n" * (MAX_SPAN + 5)
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    lines = read_all(path)
    assert norm(lines) == norm(oracle(text))
    assert lines[1] == Line(2, '1,"never closed', ["1", '"never closed'])
    assert len(lines) == 2 + MAX_SPAN + 5


def test_blank_lines_are_numbered_but_not_rows(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("a,b\n\n \t\n\u3000\n1,2\n".encode())
    assert norm(read_all(path)) == [(1, "a,b", ["a", "b"]), (5, "1,2", ["1", "2"])]


def test_an_empty_file_is_unreadable(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\r\n  \r\n")
    with pytest.raises(readers.UnreadableFile, match="empty"):
        readers.read_file(str(path))
