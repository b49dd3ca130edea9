"""Windows and periods as the pages pick them (supervision/periods.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from supervision import periods

D = dt.date


@pytest.mark.parametrize(
    "gran,window,first,want",
    [
        # the previous quarter lies inside the data (records since 2026-01-05: its month counts whole)
        ("quarter", (D(2026, 4, 1), D(2026, 6, 30)), D(2026, 1, 5), (D(2026, 1, 1), D(2026, 3, 31))),
        # the first quarter has nothing before it in the data: no "vs previous"
        ("quarter", (D(2026, 1, 1), D(2026, 3, 31)), D(2026, 1, 5), None),
        # a month: the previous month crosses the year
        ("month", (D(2026, 1, 1), D(2026, 1, 31)), D(2025, 12, 1), (D(2025, 12, 1), D(2025, 12, 31))),
        # a custom window: the same number of days before it
        ("custom", (D(2026, 3, 10), D(2026, 3, 19)), D(2026, 1, 1), (D(2026, 2, 28), D(2026, 3, 9))),
        # no data at all
        ("year", (D(2026, 1, 1), D(2026, 12, 31)), None, None),
    ],
)
def test_previous_window_only_inside_the_data(gran, window, first, want):
    assert periods.previous_comparable(gran, *window, first) == want


def test_default_period_is_the_last_closed_one():
    assert periods.default_period("month", D(2026, 7, 15)) == (2026, 6)
    assert periods.default_period("quarter", D(2026, 7, 15)) == (2026, 2)
    assert periods.default_period("quarter", D(2026, 2, 1)) == (2025, 4)
    assert periods.default_period("year", D(2026, 7, 15)) == (2026, 1)
