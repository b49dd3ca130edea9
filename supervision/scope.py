"""Who is reading (SPEC §7): the rows a reader may see. A leaf module: every layer may import it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """None = no limit: the whole province; a city code; a city and a district code."""

    city_code: str | None = None
    district_code: str | None = None


PROVINCE = Scope()
