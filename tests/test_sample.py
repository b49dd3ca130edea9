"""The committed sample is what the generator writes (sample_data/README.md): regenerating `small/` with its
documented command gives the same bytes, so a change to the generator cannot silently change the sample that
the browser tests and `SAMPLE=small bash scripts/run.sh` read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_small_sample_regenerates_byte_for_byte(tmp_path):
    out = tmp_path / "small"
    subprocess.run(
        [
            sys.executable,
            "sample_data/generate.py",
            "--out",
            str(out),
            "--customers",
            "300",
            "--logs",
            "15000",
            "--complaints",
            "120",
            "--clean",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = sorted(p.name for p in (ROOT / "sample_data" / "small").iterdir())
    assert sorted(p.name for p in out.iterdir()) == committed
    for name in committed:
        assert (out / name).read_bytes() == (ROOT / "sample_data" / "small" / name).read_bytes(), name
