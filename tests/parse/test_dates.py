from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.defects import Defect
from mailtrace.parse.dates import _fast, _parse_full, parse_date


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


# --- The fast path (dates._fast) must agree with the full chain on every input. ---

_DAY = st.sampled_from(["", "Mon, ", "Tue ", "mon,", "WED, ", "Xyz, ", "Xyz ", "Fri,  ", "Sun\t", "1, ", "Thu,"])
_MON = st.sampled_from(["Jan", "feb", "MAR", "Sep", "Dec", "Jun", "Foo", "June", "jan"])
_YEAR = st.sampled_from(["2024", "1969", "1970", "2200", "2201", "0099", "0000", "9999", "99", "24", "20245"])
_ZONE = st.sampled_from(
    ["+0000", "-0000", "+0530", "-0800", "+2359", "+2400", "-2400", "+9999", "+0099", "+00000", "GMT", "EST", "0000"]
)
_TAIL = st.sampled_from(["", " (UTC)", " (GMT+03:00)", " x", "x", "\t(CET)", " ", "  extra words here", ":00"])
_SEP = st.sampled_from([" ", "  ", "\t", ""])


@st.composite
def _near_rfc5322_dates(draw: st.DrawFn) -> str:
    day = draw(st.integers(0, 40))
    hour, minute, second = draw(st.integers(0, 30)), draw(st.integers(0, 70)), draw(st.integers(0, 70))
    clock = draw(
        st.sampled_from(
            [f"{hour}:{minute:02d}:{second:02d}", f"{hour:02d}:{minute:02d}", f"{hour}:{minute}", "10:00:00.5"]
        )
    )
    sep = draw(_SEP)
    parts = [f"{day:02d}" if draw(st.booleans()) else str(day), draw(_MON), draw(_YEAR), clock, draw(_ZONE)]
    return draw(_DAY) + sep.join(parts) + draw(_TAIL)


def _same(a: tuple[datetime | None, tuple[Defect, ...]], b: tuple[datetime | None, tuple[Defect, ...]]) -> bool:
    (va, da), (vb, db) = a, b
    if va is None or vb is None:
        return va is vb and da == db
    return va == vb and va.utcoffset() == vb.utcoffset() and va.tzname() == vb.tzname() and da == db


@settings(max_examples=600, deadline=None)
@given(_near_rfc5322_dates())
def test_fast_path_agrees_with_full_chain_on_generated_dates(text: str) -> None:
    assert _same(parse_date.__wrapped__(text), _parse_full(text)), text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 :+-,()JanFebMonTueGMTUTCSepDec\t", max_size=40))
def test_fast_path_agrees_with_full_chain_on_random_text(text: str) -> None:
    assert _same(parse_date.__wrapped__(text), _parse_full(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Wed, 15 May 2024 10:00:03 +0000 (UTC)",
        "3 Jun 2024 7:05 -0430",
        "Mon, 1 Jan 2024 10:00:00 -0000",  # zone unknown: the chain's defect
        "Xyz 3 Jun 2024 10:00:00 +0000",  # not a day name: email.utils rejects it, dateutil reads it
        "Mon, 31 Feb 2024 10:00:00 +0000",  # no such day
        "Mon, 3 Jun 2024 10:00:60 +0000",  # leap second
        "Mon, 3 Jun 2024 10:00:00 +2400",  # offset out of range
        "Mon, 3 Jun 1969 10:00:00 +0000",  # implausible year
        "Mon, 3 Jun 1970 00:00:00 +0000",  # first and last years of the fast path's year table
        "Mon, 3 Jun 2200 23:59:59 +0000",
        "Mon, 3 Jun 2201 10:00:00 +0000",
        "Mon, 3 Jun 0197 10:00:00 +0000",
        "Mon, 3 Jun 2024 24:00:00 +0000",  # hour out of range (the number table reads it)
        "Mon, 03 Jun 2024 09:07:09 +0000",  # leading zeros everywhere
        "Mon, 0 Jun 2024 9:07 +0000",  # day 0
    ],
)
def test_fast_path_agrees_with_full_chain_on_edge_cases(text: str) -> None:
    assert _same(parse_date.__wrapped__(text), _parse_full(text))


def test_fast_path_reads_the_usual_form() -> None:
    assert _fast("Wed, 15 May 2024 10:00:03 +0530 (IST)") == datetime(
        2024, 5, 15, 10, 0, 3, tzinfo=timezone(timedelta(hours=5, minutes=30))
    )
    assert _fast("Mon, 1 Jan 2024 10:00:00 -0000") is None


def test_offset_of_24_hours_is_a_defect_not_an_error() -> None:
    value, defects = parse_date("Mon, 3 Jun 2024 10:00:00 +2400")
    assert value == datetime(2024, 6, 3, 10, 0, tzinfo=UTC)
    assert [d.code for d in defects] == ["date.zone_unknown"]
