"""The interval grammar of schedules (`--every 15m`, re-check ages): minutes, not months."""

from datetime import timedelta

import pytest

from crawler.window import WindowError, parse_duration


@pytest.mark.parametrize(("text", "expected"), [
    ("30s", timedelta(seconds=30)), ("15m", timedelta(minutes=15)),
    ("15min", timedelta(minutes=15)), ("6h", timedelta(hours=6)), ("3d", timedelta(days=3)),
    ("1w", timedelta(weeks=1)), (" 72H ", timedelta(hours=72)),
])
def test_durations_read_as_people_write_them(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["0m", "15", "6mo", "1y", "-5m", "m", ""])
def test_what_is_no_duration_is_one_clear_error(text: str) -> None:
    with pytest.raises(WindowError, match="not a duration"):
        parse_duration(text)
