from datetime import datetime, timedelta, timezone

import pytest

from crawler.dates import parse_date

JST = timezone(timedelta(hours=9))
NOW = datetime(2018, 3, 19, 10, 0, tzinfo=timezone.utc)  # 19:00 JST


@pytest.mark.parametrize(("raw", "expected"), [
    ("2018-03-19 18:40", datetime(2018, 3, 19, 18, 40, tzinfo=JST)),
    ("2024-10-13T09:00:00+09:00", datetime(2024, 10, 13, 9, 0, tzinfo=JST)),
    ("2024-10-13T00:00:00Z", datetime(2024, 10, 13, 0, 0, tzinfo=timezone.utc)),
    ("Sun, 19 Mar 2018 18:40:00 +0900", datetime(2018, 3, 19, 18, 40, tzinfo=JST)),
    ("Today 06:40 pm JST", datetime(2018, 3, 19, 18, 40, tzinfo=JST)),
    ("Today | 12:05 am JST", datetime(2018, 3, 19, 0, 5, tzinfo=JST)),
    ("Yesterday 11:05 am JST", datetime(2018, 3, 18, 11, 5, tzinfo=JST)),
    ("6 hours ago", datetime(2018, 3, 19, 13, 0, tzinfo=JST)),
    ("an hour ago", datetime(2018, 3, 19, 18, 0, tzinfo=JST)),
    ("45 minutes ago", datetime(2018, 3, 19, 18, 15, tzinfo=JST)),
    ("Mar. 18", datetime(2018, 3, 18, tzinfo=JST)),
    ("Dec. 30", datetime(2017, 12, 30, tzinfo=JST)),  # a future month is last year's
    ("Sept. 3, 2019", datetime(2019, 9, 3, tzinfo=JST)),
    ("2025年1月13日 18時05分", datetime(2025, 1, 13, 18, 5, tzinfo=JST)),
])
def test_printed_dates_resolve_in_japan_time(raw: str, expected: datetime) -> None:
    assert parse_date(raw, tz="Asia/Tokyo", now=NOW) == expected


def test_naive_time_is_read_in_the_outlets_zone() -> None:
    parsed = parse_date("2018-03-19 18:40", tz="Asia/Tokyo", now=NOW)
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=9)
    assert parsed.astimezone(timezone.utc) == datetime(2018, 3, 19, 9, 40, tzinfo=timezone.utc)


@pytest.mark.parametrize("raw", [None, "", "   ", "not a date", "Comments"])
def test_non_dates_give_none(raw: str | None) -> None:
    assert parse_date(raw, now=NOW) is None
