"""Hostile bodies: every bound of the MIME walk is reached with a defect and partial indicators, never an exception."""

from __future__ import annotations

import base64
import itertools

from mailtrace.indicators import extract_indicators
from mailtrace.limits import Limits
from mailtrace.parse.message import parse_message

HEAD = b"From: a@example.com\r\nTo: b@example.org\r\nSubject: t\r\nMIME-Version: 1.0\r\n"


def codes(ind: object) -> list[str]:
    return [d.code for d in ind.defects]  # type: ignore[attr-defined]


def wide(n: int) -> bytes:
    parts = [HEAD + b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\npreamble\r\n']
    for i in range(n):
        parts.append(b"--zz\r\nContent-Type: text/plain\r\n\r\nsee http://p%d.example/x\r\n" % i)
    parts.append(b"--zz--\r\n")
    return b"".join(parts)


def deep(n: int) -> bytes:
    out = [HEAD + b"Content-Type: multipart/mixed; boundary=b0\r\n\r\n"]
    for i in range(1, n):
        out.append(b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i - 1, i))
    out.append(b"--b%d\r\nContent-Type: text/plain\r\n\r\nhttp://deep.example/\r\n" % (n - 1))
    out += [b"--b%d--\r\n" % i for i in range(n - 1, -1, -1)]
    return b"".join(out)


def test_ten_thousand_parts_stop_at_the_part_limit_with_the_first_parts_read() -> None:
    ind = extract_indicators(parse_message(wide(10_000)))
    assert "mime.too_many_parts" in codes(ind)
    assert ind.parts == Limits().max_mime_parts
    urls = [u.url for u in ind.urls]
    assert urls[0] == "http://p0.example/x"
    assert len(urls) == Limits().max_mime_parts - 1  # the root multipart counts as one part


def test_a_small_multipart_is_read_whole_without_defects() -> None:
    ind = extract_indicators(parse_message(wide(3)))
    assert codes(ind) == []
    assert [u.parts for u in ind.urls] == [["1"], ["2"], ["3"]]  # IMAP section numbers


def test_deep_nesting_stops_at_the_depth_limit_without_recursion_error() -> None:
    ind = extract_indicators(parse_message(deep(5_000)))
    assert "mime.too_deep" in codes(ind)
    assert ind.parts == Limits().max_mime_depth + 1
    assert ind.urls == ()


def test_nesting_within_the_limit_reaches_the_leaf() -> None:
    ind = extract_indicators(parse_message(deep(10)))
    assert [u.url for u in ind.urls] == ["http://deep.example/"]
    assert codes(ind) == []


def test_broken_base64_gives_a_defect_and_the_decodable_part() -> None:
    good = base64.b64encode(b"visit https://broken.example/login now " * 3)
    raw = HEAD + b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n" + good + b"A*\r\n"
    ind = extract_indicators(parse_message(raw))
    assert "mime.bad_base64" in codes(ind)
    assert [u.url for u in ind.urls] == ["https://broken.example/login"]


def test_a_huge_line_is_scanned_and_the_url_after_it_found() -> None:
    raw = HEAD + b"Content-Type: text/plain\r\n\r\n" + b"a" * 5_000_000 + b" http://end.example/\r\n"
    ind = extract_indicators(parse_message(raw, Limits(max_message_bytes=8 * 1024 * 1024)))
    assert [u.url for u in ind.urls] == ["http://end.example/"]


def test_hostile_runs_for_the_scanners_finish() -> None:
    body = b"@" * 200_000 + b"1." * 200_000 + b"http://" * 50_000 + b"<a href=" * 20_000
    raw = HEAD + b"Content-Type: text/html\r\n\r\n" + body
    ind = extract_indicators(parse_message(raw))
    assert ind.emails == ()
    assert ind.ips == ()


def test_an_unclosed_quoted_tag_is_read_as_text_after_the_parser_stalls() -> None:
    # html.parser rescans an unclosed quoted attribute from every "<": quadratic without the bound
    body = (b'<a href="' * 250 + b">") * 500 + b" http://after.example/ "
    ind = extract_indicators(parse_message(HEAD + b"Content-Type: text/html\r\n\r\n" + body))
    assert "mime.html_cut" in codes(ind)
    assert [u.url for u in ind.urls] == ["http://after.example/"]


def test_decoded_bytes_limit_stops_decoding_later_parts() -> None:
    limits = Limits(max_decoded_bytes=100)
    ind = extract_indicators(parse_message(wide(10)), limits)
    assert "mime.decoded_limit" in codes(ind)
    assert ind.decoded_bytes <= 100
    assert ind.urls  # the first parts were read


def test_time_limit_stops_the_walk() -> None:
    ticks = itertools.count(0.0, 1.0)
    limits = Limits(mime_time_budget=5.0)
    ind = extract_indicators(parse_message(wide(50)), limits, clock=lambda: next(ticks))
    assert "mime.time_limit" in codes(ind)
    assert 0 < ind.parts < 50


def test_unterminated_multipart_keeps_its_parts() -> None:
    raw = HEAD + b'Content-Type: multipart/mixed; boundary="q"\r\n\r\n--q\r\n\r\nhttp://a.example/\r\n--q\r\n\r\nb'
    ind = extract_indicators(parse_message(raw))
    assert "mime.unterminated_multipart" in codes(ind)
    assert [u.url for u in ind.urls] == ["http://a.example/"]


def test_multipart_without_boundary_is_read_as_text() -> None:
    raw = HEAD + b"Content-Type: multipart/mixed\r\n\r\nhttp://nb.example/\r\n"
    ind = extract_indicators(parse_message(raw))
    assert "mime.no_boundary" in codes(ind)
    assert [u.url for u in ind.urls] == ["http://nb.example/"]


def test_multipart_whose_boundary_never_appears() -> None:
    raw = HEAD + b'Content-Type: multipart/mixed; boundary="nothere"\r\n\r\nhttp://x.example/\r\n'
    ind = extract_indicators(parse_message(raw))
    assert "mime.no_parts" in codes(ind)
    assert ind.urls == ()


def test_unknown_charset_is_read_as_utf8_with_a_defect() -> None:
    raw = HEAD + b"Content-Type: text/plain; charset=x-klingon\r\n\r\nhttp://k.example/\r\n"
    ind = extract_indicators(parse_message(raw))
    assert "mime.unknown_charset" in codes(ind)
    assert [u.url for u in ind.urls] == ["http://k.example/"]


def test_header_only_message_has_no_indicators() -> None:
    ind = extract_indicators(parse_message(HEAD))
    assert ind.urls == () and ind.attachments == () and codes(ind) == []
