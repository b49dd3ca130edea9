"""The audit log (SPEC §7): one JSON line per event — sign-ins, views, exports, imports, standards loads, user
changes — each line carrying the SHA-256 of the line before it, so that an edit breaks the chain.

What makes it trustworthy (hardening issue):
* One writer at a time, across processes: the dashboard and the CLI append under an exclusive lock on the log
  file (`fcntl.flock`), so two writers never chain to the same line.
* Entries are bounded (every value cut at MAX_VALUE characters, a line at MAX_LINE bytes): the previous line is
  always within the last MAX_LINE bytes, however long a username an attacker types.
* An anchor outside the log: at every import and standards load (and whenever `python -m supervision audit
  anchor` runs, e.g. daily from cron) the number of lines and the hash of the last one are written into the
  database. `verify` then also detects a cut of the last lines, an edit of the last line, and a chain recomputed
  from an edit onwards — anything that no longer matches an anchor.
* Reading never crashes: a line that is not a valid entry is reported, with its number, as a break.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from supervision import db

GENESIS = "0" * 64
MAX_VALUE = 500  # characters of any one value in an entry
MAX_LINE = 8192  # bytes of one line, at most


def path() -> Path:
    return Path(
        os.environ.get(
            "SUPERVISION_AUDIT_LOG",
            Path(os.environ.get("SUPERVISION_DB", db.DEFAULT_DB)).resolve().parent / "audit_log.jsonl",
        )
    )


def _bounded(value, depth: int = 0):
    if isinstance(value, dict) and depth < 3:
        return {str(k)[:60]: _bounded(v, depth + 1) for k, v in list(value.items())[:40]}
    if isinstance(value, (list, tuple)) and depth < 3:
        return [_bounded(v, depth + 1) for v in list(value)[:40]]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + f"…[{len(text)} characters]"


def _last_line(fh) -> tuple[bytes, int]:
    """(the last line that is not empty, b"" when none; the line breaks after it), read back from the end of the
    file as far as that line reaches (an entry is at most MAX_LINE bytes; an edited last line may be longer)."""
    size = fh.seek(0, os.SEEK_END)
    window = 2 * MAX_LINE
    while True:
        fh.seek(max(0, size - window))
        tail = fh.read()
        body = tail.rstrip(b"\n")
        if b"\n" in body or window >= size:
            return body.rsplit(b"\n", 1)[-1], len(tail) - len(body)
        window *= 4


def digest(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def log(username: str | None, action: str, detail: dict | None = None) -> None:
    """Append one entry: time, user, action, detail, and the SHA-256 of the previous line."""
    p = path()
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # one writer at a time, across processes
        try:
            last, _ = _last_line(fh)
            entry = {
                "at": dt.datetime.now().isoformat(timespec="milliseconds"),
                "user": _bounded(username),
                "action": _bounded(action),
                "detail": _bounded(detail or {}),
                "prev": digest(last) if last else GENESIS,
            }
            line = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
            if len(line) > MAX_LINE:  # a detail too large even after the cut: keep who, what and when
                entry["detail"] = {"truncated": len(line)}
                line = json.dumps(entry, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
            fh.seek(0, os.SEEK_END)
            fh.write(line + b"\n")
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass
class Check:
    """What `verify` found: the entries, the lines that break the chain or do not parse, and the anchors
    that no longer match."""

    entries: list[dict] = field(default_factory=list)
    lines: int = 0
    last_hash: str = GENESIS
    breaks: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)

    @property
    def intact(self) -> bool:
        return not self.breaks


def verify(anchors: list[tuple[int, str]] | None = None) -> Check:
    """Read the whole log; report every line whose `prev` does not match the line before it, every line that is
    not an entry, and every anchor (line count, hash of that line) the log no longer matches."""
    out = Check()
    p = path()
    raw = p.read_bytes() if p.exists() else b""
    prev = GENESIS
    hashes: dict[int, str] = {}
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line:
            continue
        out.lines = number
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict) or "prev" not in entry:
                raise ValueError("not an entry")
        except ValueError:
            out.breaks.append((number, "not a valid entry"))
            prev = digest(line)
            hashes[number] = prev
            continue
        if entry.get("prev") != prev:
            out.breaks.append(
                (number, "the previous line's hash does not match (a line was edited, added or removed before it)")
            )
        out.entries.append({**entry, "_line": number})
        prev = digest(line)
        hashes[number] = prev
    out.last_hash = prev
    for count, h in anchors or []:
        if count == 0:  # anchored while the log was still empty: nothing to compare
            continue
        if count > out.lines:
            out.breaks.append((count, f"the log was cut: it had {count} lines when anchored, it has {out.lines}"))
        elif hashes.get(count) != h:
            out.breaks.append((count, f"line {count} is not the line anchored then (edited, or the chain recomputed)"))
    return out


def state() -> tuple[int, str]:
    """(lines, hash of the last line) now: what an anchor records — `verify()`'s `lines` and `last_hash`, found
    without parsing the log: its line breaks are counted and only its last line is read (every import and
    standards load anchors the log; parsing 75,000 lines took 0.85 s of each, and the log only grows). Read under
    a shared lock, so that a line being appended is never half read."""
    p = path()
    if not p.exists():
        return 0, GENESIS
    with open(p, "rb") as fh:
        fcntl.flock(fh, fcntl.LOCK_SH)
        try:
            breaks = 0
            while block := fh.read(1 << 24):
                breaks += block.count(b"\n")
            last, trailing = _last_line(fh)
            if not last:  # only empty lines (or none)
                return 0, GENESIS
            return breaks - trailing + 1, digest(last)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
