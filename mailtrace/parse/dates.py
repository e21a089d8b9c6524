"""Date parsing for ``Date:``, ``Received:`` and ``Resent-Date:`` values.

RFC 5322 section 3.3 ``date-time`` first (``email.utils``: about 3 µs and it
always trusts the numeric offset), ISO 8601 second, ``dateutil`` last after the
``(comments)`` are removed (a comment such as ``(GMT+03:00)`` would otherwise
override the numeric offset; see the dependency notes). The result is always
timezone-aware: a date without a usable zone is taken as UTC and carries the
defect ``date.zone_unknown``.

Nine in ten real dates have the exact RFC 5322 section 3.3 shape
``[day-name ","] day month year hour ":" minute [":" second] zone`` with a
numeric ``zone``; :func:`_fast_read` reads that shape directly (about 3x cheaper than
``email.utils``) and gives up (``None``) on anything else, so the full chain
runs. It only accepts what the chain reads to the very same value, with no
defect but ``date.zone_unknown`` for ``-0000`` (:func:`usual_date` adds it, as the
chain does); ``tests/parse/test_dates.py`` checks that on generated dates.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from itertools import product

from mailtrace.defects import Defect
from mailtrace.memo import bounded_cache

#: Longest date text looked at; longer text is cut first (hostile input bound).
MAX_DATE_CHARS = 256

_COMMENT = re.compile(r"\([^()]*\)")
_SPACES = re.compile(r"\s+")

# RFC 5322 section 4.3 obsolete zones plus the common North-American ones.
_ZONES: dict[str, int] = {
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
}
_TZINFOS = {name: timezone(timedelta(hours=h), name) for name, h in _ZONES.items()}

_MIN_YEAR = 1970
_NO_DATE = datetime(1, 1, 1)
_MAX_YEAR = 2200
#: A date is kept only inside these years (with ``date.implausible`` outside the plausible range):
#: a year away from datetime's own range, so that any conversion or delay computed later is total.
_SAFE_MIN_YEAR = 2
_SAFE_MAX_YEAR = 9998


def _strip_comments(text: str) -> str:
    # Innermost comments first; each pass is linear and removes at least one
    # nesting level, and the text is already bounded to MAX_DATE_CHARS.
    prev = None
    while prev != text and "(" in text:
        prev = text
        text = _COMMENT.sub(" ", text)
    return _SPACES.sub(" ", text.replace("(", " ").replace(")", " ")).strip()


# The fast shape: an optional 3-letter day name with or without a comma, 1-2 digit day,
# 3-letter month, 4-digit year, H:MM or H:MM:SS, a numeric +HHMM/-HHMM zone, then a space
# or the end. Single ASCII spaces only (anything else goes the full way). Linear: no
# quantifier nests.
_FAST = re.compile(
    r"(?:([A-Za-z]{3})(,?) +)?([0-9]{1,2}) +([A-Za-z]{3}) +([0-9]{4}) +"
    r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))? +([+-][0-9]{4})(?: |$)"
)
#: Month number by its three letters, in any mix of upper and lower case (96 keys: no ``lower()``).
_MONTHS = {
    "".join(letters): i
    for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
    for letters in product(*((c, c.upper()) for c in m))
}
#: The one- and two-digit numbers the fast shape has (day, hour, minute, second) by their text:
#: one lookup instead of an ``int()`` call each.
_SMALL = {**{str(i): i for i in range(10)}, **{f"{i:02d}": i for i in range(100)}}
#: The plausible years (``_MIN_YEAR`` to ``_MAX_YEAR``) by their four digits; any other year is not read here.
_YEARS = {str(y): y for y in range(_MIN_YEAR, _MAX_YEAR + 1)}
# email.utils drops a first word ending in "," or naming a day; any other word there fails it.
_DAY_NAMES = frozenset(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
#: Zone text (``+0530``) to tzinfo, for the offsets :func:`_fast` accepts; at most
#: 2 * 24 * 100 distinct keys (sign, hours under 24, two minute digits), so bounded.
_OFFSETS: dict[str, timezone] = {}
#: RFC 5322 section 3.3: "-0000" says the local zone is not known.
_UNKNOWN_ZONE = "-0000"


def _zone(text: str) -> timezone | None:
    """``+HHMM``/``-HHMM`` as a fixed offset; ``None`` for ``-0000`` (unknown) and 24 hours or more."""
    offset = int(text[1:3]) * 60 + int(text[3:5])
    if (offset == 0 and text[0] == "-") or offset >= 1440:
        return None
    tz = _OFFSETS[text] = timezone(timedelta(minutes=-offset if text[0] == "-" else offset))
    return tz


def _fast(raw: str) -> datetime | None:
    """The usual RFC 5322 date with a known zone read directly, or ``None`` (use the full chain)."""
    got = _fast_read(raw)
    return got[0] if got is not None and got[1] != _UNKNOWN_ZONE else None


def _fast_read(raw: str) -> tuple[datetime, str] | None:
    """The usual RFC 5322 date read directly, with its zone text; ``None``: not that exact shape.

    Returns a value only where :func:`_parse_full` gives the same datetime (same offset):
    4-digit years in the plausible range, offsets under 24 hours, and a valid calendar date
    and time (else the chain falls through to dateutil). ``-0000`` (zone unknown) is read as
    UTC, as the chain reads it (with its defect, which :func:`usual_date` adds).
    """
    m = _FAST.match(raw)
    if m is None:
        return None
    day_name, comma, day, mon, year, hour, minute, second, zone = m.groups()
    if day_name is not None and not comma and day_name.lower() not in _DAY_NAMES:
        return None
    month = _MONTHS.get(mon)
    y = _YEARS.get(year)
    if month is None or y is None:
        return None
    tz = _OFFSETS.get(zone)
    if tz is None:
        tz = UTC if zone == _UNKNOWN_ZONE else _zone(zone)
        if tz is None:
            return None
    try:
        return datetime(y, month, _SMALL[day], _SMALL[hour], _SMALL[minute], _SMALL[second or "0"], 0, tz), zone
    except ValueError:
        return None


def usual_date(text: str) -> tuple[datetime, tuple[Defect, ...]] | None:
    """:func:`parse_date`'s answer for ``text`` when the fast path reads it, else ``None``.

    Uncached: for texts that rarely repeat (``Received:`` dates), where the cache lookup
    costs more than it saves; :func:`parse_date` caches it."""
    raw = text.strip()
    if len(raw) > MAX_DATE_CHARS:
        return None
    got = _fast_read(raw)
    if got is None:
        return None
    return got[0], (() if got[1] != _UNKNOWN_ZONE else (_zone_unknown(raw),))


def _zone_unknown(raw: str) -> Defect:
    return Defect("date.zone_unknown", f"no usable time zone in {raw[:80]!r}; read as UTC")


@bounded_cache(maxsize=4096, max_len=MAX_DATE_CHARS)
def parse_date(text: str) -> tuple[datetime | None, tuple[Defect, ...]]:
    """Parse ``text`` into an aware datetime, or ``None`` with a defect saying why."""
    return usual_date(text) or _parse_full(text)


def _parse_full(text: str) -> tuple[datetime | None, tuple[Defect, ...]]:
    """The whole chain (RFC 5322, ISO 8601, dateutil), for every shape :func:`_fast` declines."""
    raw = text.strip()
    if not raw:
        return None, (Defect("date.missing", "no date text"),)
    defects: list[Defect] = []
    if len(raw) > MAX_DATE_CHARS:
        raw = raw[:MAX_DATE_CHARS]
        defects.append(Defect("date.too_long", f"date text cut to {MAX_DATE_CHARS} characters"))
    value = _rfc5322(raw)
    if value is None:
        value = _iso(raw)
    if value is None:
        value = _dateutil(_strip_comments(raw))
    if value is None:
        defects.append(Defect("date.unparseable", f"cannot read a date in {raw[:80]!r}"))
        return None, tuple(defects)
    if value.tzinfo is None or value.utcoffset() is None:
        defects.append(_zone_unknown(raw))
        value = value.replace(tzinfo=UTC)
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        defects.append(Defect("date.implausible", f"year {value.year} is outside {_MIN_YEAR}..{_MAX_YEAR}"))
        if not _SAFE_MIN_YEAR <= value.year <= _SAFE_MAX_YEAR:
            # Year 1 or 9999: converting to UTC or adding a day would overflow datetime's range,
            # and no check can use such a date anyway. Not kept (the defect says which year).
            return None, tuple(defects)
    return value, tuple(defects)


def _rfc5322(text: str) -> datetime | None:
    try:
        value = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    if value.tzinfo is None:
        # ``-0000`` (RFC 5322: zone unknown) or no zone at all: keep naive so the
        # caller records the defect.
        return value
    return value


def _iso(text: str) -> datetime | None:
    if len(text) < 10 or not text[:4].isdigit() or text[4] != "-":
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _dateutil(text: str) -> datetime | None:
    if not text or not any(ch.isdigit() for ch in text):
        return None
    from dateutil import parser as du_parser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = du_parser.parse(text, fuzzy=True, tzinfos=_TZINFOS, default=_NO_DATE)
        except (ValueError, OverflowError, TypeError, du_parser.ParserError):
            return None
    # dateutil fills missing parts from ``default``: a text without a year is
    # not a date (never invent one from today's).
    if value.year == _NO_DATE.year:
        return None
    try:
        value.utcoffset()
    except ValueError:
        # dateutil builds a tzoffset of 24 hours or more ("+2400") that datetime then
        # refuses to use: keep the wall-clock time, zone unknown.
        return value.replace(tzinfo=None)
    return value


def clear_caches() -> None:
    """Empty the date caches (``parse_date``'s results and the zone objects of :func:`_fast`)."""
    parse_date.cache_clear()
    _OFFSETS.clear()


def isoformat(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
