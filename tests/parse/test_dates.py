from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from mailtrace.parse.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tue, 14 May 2024 09:12:35 +0200 (CEST)",
            datetime(2024, 5, 14, 9, 12, 35, tzinfo=timezone(timedelta(hours=2))),
        ),
        ("Mon, 13 May 2024 10:00:00 GMT", datetime(2024, 5, 13, 10, 0, tzinfo=UTC)),
        ("2023-12-04T10:00:00Z", datetime(2023, 12, 4, 10, 0, tzinfo=UTC)),
        # The numeric offset wins over a contradicting comment (dateutil would take the comment).
        ("Fri, 1 Jan 2021 00:00:00 +0100 (GMT+03:00)", datetime(2021, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=1)))),
        ("Dec 2 2023 10:00 EST", datetime(2023, 12, 2, 10, 0, tzinfo=timezone(timedelta(hours=-5)))),
    ],
)
def test_parse_date_reads_real_world_forms(text: str, expected: datetime) -> None:
    value, defects = parse_date(text)
    assert value == expected
    assert value is not None and value.utcoffset() == expected.utcoffset()
    assert defects == ()


@pytest.mark.parametrize("text", ["Sat Dec  2 10:00:00 2023", "Mon, 1 Jan 2024 10:00:00 -0000", "4 Jan 2024 10:00 CET"])
def test_parse_date_without_usable_zone_is_utc_with_defect(text: str) -> None:
    value, defects = parse_date(text)
    assert value is not None and value.tzinfo is not None and value.utcoffset() == timedelta(0)
    assert "date.zone_unknown" in [d.code for d in defects]


@pytest.mark.parametrize("text", ["garbage", "10:00:00 EST", "", "(((("])
def test_parse_date_never_invents_a_date(text: str) -> None:
    value, defects = parse_date(text)
    assert value is None
    assert defects and defects[0].code in {"date.unparseable", "date.missing"}


def test_parse_date_bounds_hostile_length() -> None:
    value, defects = parse_date("Mon, 13 May 2024 10:00:00 +0000" + " (x" * 100_000)
    assert "date.too_long" in [d.code for d in defects]
    assert value is None or value.year == 2024
