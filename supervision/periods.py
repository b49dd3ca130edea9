"""Evaluation windows for the period picker (SPEC §5 periods are calendar-aligned; a window is [from, to])."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

GRANULARITIES = ("month", "quarter", "half", "year", "custom")
MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


@dataclass(frozen=True)
class Window:
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    label: str = ""

    def params(self) -> dict:
        return {"date_from": self.date_from, "date_to": self.date_to, "as_of": self.as_of}


def month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def calendar_window(gran: str, year: int, index: int) -> tuple[dt.date, dt.date]:
    """The index-th (1-based) period of `gran` in `year`: month 1..12, quarter 1..4, half 1..2, year 1."""
    months = MONTHS[gran]
    first_month = (index - 1) * months + 1
    return dt.date(year, first_month, 1), month_end(year, first_month + months - 1)


def previous(gran: str, date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The window just before this one, of the same kind (a custom window: the same number of days)."""
    if gran in MONTHS:
        months = MONTHS[gran]
        y, m = date_from.year, date_from.month - months
        if m < 1:
            y, m = y - 1, m + 12
        return dt.date(y, m, 1), month_end(y, m + months - 1)
    days = (date_to - date_from).days + 1
    return date_from - dt.timedelta(days=days), date_from - dt.timedelta(days=1)


def previous_comparable(
    gran: str, date_from: dt.date, date_to: dt.date, first_day: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    """The previous window (`previous`) when a change against it means something: it starts in or after the month
    of the first record (`first_day`). Before that it would compare against months with no records: None."""
    if first_day is None:
        return None
    p_from, p_to = previous(gran, date_from, date_to)
    return (p_from, p_to) if p_from >= first_day.replace(day=1) else None


def current_index(gran: str, day: dt.date) -> int:
    """Which period of its year `day` falls in."""
    return (day.month - 1) // MONTHS.get(gran, 12) + 1


def default_period(gran: str, day: dt.date) -> tuple[int, int]:
    """(year, index) a picker opens on: for months, quarters and halves the latest period that has ended on or
    before `day` (the running one has nothing closed yet: its rates would be empty); for a year, the year of
    `day` (the year to date: what a province manager reads first)."""
    if gran not in MONTHS or gran == "year":
        return day.year, 1
    months = MONTHS[gran]
    index = current_index(gran, day)
    if calendar_window(gran, day.year, index)[1] <= day:  # the running period ends on `day` itself: closed
        return day.year, index
    if index > 1:
        return day.year, index - 1
    return day.year - 1, 12 // months
