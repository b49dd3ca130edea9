"""The sample generator's part: helpers.

Run by sample_data/generate.py (its docstring and sample_data/README.md say what is generated)."""

from __future__ import annotations

import datetime as dt
import random
import zlib

import numpy as np

from generator.reference import GIVEN, SURNAMES


def np_rng(seed: int, name: str) -> np.random.Generator:
    """A numpy Generator of its own for one component (stable across runs and platforms)."""
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def py_rng(seed: int, name: str) -> random.Random:
    """A random.Random of its own for one component (string seeds hash with sha512: stable)."""
    return random.Random(f"{seed}:{name}")


def csv_field(text: str) -> str:
    """Quote a field the way a CSV writer would (only when needed)."""
    if any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def date_formats(d: dt.date) -> tuple[str, str, str]:
    """`2026-03-05`, `2026/3/5`, `20260305` for one date."""
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year:04d}{d.month:02d}{d.day:02d}",
    )


def fmt_datetime(d: dt.date, minute: int, style: int) -> str:
    """One timestamp in one of the export's styles (see DATETIME_STYLES)."""
    iso, slash, compact = date_formats(d)
    hm = f"{minute // 60:02d}:{minute % 60:02d}"
    return [
        f"{iso} {hm}",
        f"{slash} {hm}",
        f"{iso} {hm}:00",
        compact,
        slash,
        f"{compact} {hm}",
    ][style]


# Timestamp styles: 0 `2026-03-05 14:30`, 1 `2026/3/5 14:30`, 2 `2026-03-05 14:30:00`,
# 3 `20260305`, 4 `2026/3/5`, 5 `20260305 14:30`.
DATETIME_STYLE_P = np.array([0.62, 0.14, 0.12, 0.03, 0.03, 0.06])


def minute_weights() -> np.ndarray:
    """Probability of each minute of the day for a service record (office hours, round times)."""
    w = np.zeros(1440)
    for m in range(1440):
        h = m // 60
        if 9 <= h < 12 or (13 <= h < 18 and m >= 13 * 60 + 30):
            base = 4.0
        elif h == 8:
            base = 1.0
        elif h == 12 or h == 13:
            base = 0.7
        elif 18 <= h < 21:
            base = 0.6
        elif h >= 21:
            base = 0.1
        else:
            base = 0.02
        mm = m % 60
        q = 8.0 if mm == 0 else 4.0 if mm == 30 else 2.0 if mm % 10 == 0 else 1.2 if mm % 5 == 0 else 0.3
        w[m] = base * q
    return w / w.sum()


def person_name(r: random.Random) -> str:
    return r.choice(SURNAMES) + r.choice(GIVEN)


def short_district(name: str) -> str:
    special = {
        "喀喇沁左翼蒙古族自治县": "喀左",
        "阜新蒙古族自治县": "阜蒙",
        "沈北新区": "沈北",
    }
    if name in special:
        return special[name]
    for suffix in ("满族自治县", "蒙古族自治县"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name[:-1] if len(name) > 2 else name


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (exact sum, deterministic)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out
