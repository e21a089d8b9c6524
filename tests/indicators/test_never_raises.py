"""Property: any assembly of MIME fragments, garbage and cut-offs gives indicators and defects, never an exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.indicators import extract_indicators
from mailtrace.limits import Limits
from mailtrace.parse.message import parse_message

FRAGMENTS = [
    b"Content-Type: multipart/mixed; boundary=b\r\n",
    b'Content-Type: multipart/alternative; boundary="b"\r\n',
    b"Content-Type: multipart/mixed; boundary*0=b; boundary*1=c\r\n",
    b"Content-Type: text/html; charset=x-unknown\r\n",
    b"Content-Type: text/plain; charset=utf-8\r\n",
    b"Content-Type: message/rfc822\r\n",
    b"Content-Type: =?utf-8?q?bad?=\r\n",
    b"Content-Transfer-Encoding: base64\r\n",
    b"Content-Transfer-Encoding: quoted-printable\r\n",
    b'Content-Disposition: attachment; filename="a\x00b.exe"\r\n',
    b"\r\n",
    b"--b\r\n",
    b"--b--\r\n",
    b"--bc\r\n",
    b"http://x.example/a=\r\n",
    b"<a href='http://y.example/'>www.z.example</a>",
    b'<a href="',
    b"<!--",
    b"<style>url(",
    b"TWFuIGlzIGRp*c3Rpbmd1aXNoZWQ=",
    b"=E2=80=AE=\r\n",
    b"\xff\xfe\x00",
    b"@@@a@b.example",
    b"999.1.2.3 10.0.0.1",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=40), max_size=60))
def test_fragments_never_raise(pieces: list[bytes]) -> None:
    raw = b"From: a@example.com\r\nMIME-Version: 1.0\r\n" + b"".join(pieces)
    limits = Limits(max_mime_parts=50, max_mime_depth=5)
    ind = extract_indicators(parse_message(raw), limits)
    assert ind.parts <= 50
    doc = ind.to_dict()
    assert isinstance(doc["urls"], list) and isinstance(doc["defects"], list)
