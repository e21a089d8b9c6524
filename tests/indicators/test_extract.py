"""What indicator extraction finds: links and their visible text, addresses, IPs, attachments, defanging, exports."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from mailtrace.indicators import IndicatorOptions, defang_url, extract_indicators
from mailtrace.indicators.export import to_csv, to_stix
from mailtrace.parse.message import parse_message

HEAD = b"From: a@example.com\r\nTo: b@example.org\r\nSubject: t\r\nMIME-Version: 1.0\r\n"

HTML = b"""<html><body>
<p>Your account: <a href="https://evil.example.net/login?x=1">https://www.paypal.com/signin</a></p>
<p><a href="https://shop.example.com/a">shop.example.com</a> and
<a href="mailto:help@example.com?subject=x">mail</a></p>
<a href="#top">top</a> <a href="cid:img1">img</a>
<script>var u = "http://script.example/";</script>
<p>Or copy www.visible.example/path. Server 203.0.113.9, version 1.2.3.4.5, not 999.1.1.1.</p>
<form action="http://post.example/collect"></form><img src="//cdn.example/p.png">
<a href="https://redirect.example/r" title="https://bank.example/home">Click</a>
<table background="https://bg.example/b.jpg" style="background:url('https://css.example/a.png')"></table>
<style>@font-face { src: url(https://fonts.example/f.woff) }</style>
</body></html>
"""


def multipart(*parts: bytes) -> bytes:
    body = b"".join(b"--B\r\n" + p + b"\r\n" for p in parts)
    return HEAD + b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n' + body + b"--B--\r\n"


def html_message() -> bytes:
    return multipart(
        b"Content-Type: text/plain\r\n\r\nPlain: http://plain.example/a), contact x.y+z@Example.ORG.",
        b"Content-Type: text/html; charset=utf-8\r\n\r\n" + HTML,
    )


def test_links_their_text_and_where_they_differ() -> None:
    ind = extract_indicators(parse_message(html_message()))
    by_url = {u.url: u for u in ind.urls}
    evil = by_url["https://evil.example.net/login?x=1"]
    assert evil.sources == ["html_href"]
    assert evil.shown_host == "www.paypal.com"
    assert evil.link_text == "https://www.paypal.com/signin"
    assert evil.to_dict(False)["text_mismatch"] is True
    shop = by_url["https://shop.example.com/a"]
    assert shop.shown_host is None  # the text names the target's own host
    assert by_url["http://plain.example/a"].parts == ["1"]  # the closing parenthesis is not part of it
    assert by_url["http://post.example/collect"].sources == ["html_form"]
    assert by_url["http://cdn.example/p.png"].sources == ["html_src"]  # protocol-relative: http
    assert by_url["https://bank.example/home"].sources == ["html_text"]  # a title is shown on hover
    for loaded in ("https://bg.example/b.jpg", "https://css.example/a.png", "https://fonts.example/f.woff"):
        assert by_url[loaded].sources == ["html_src"]  # what the client loads
    assert "http://www.visible.example/path" in by_url
    assert "https://www.paypal.com/signin" in by_url  # the shown URL is itself an indicator (visible text)
    assert "http://script.example/" not in by_url  # script content is not visible text
    assert not any(u.startswith(("#", "cid:")) for u in by_url)


def test_addresses_and_ips() -> None:
    ind = extract_indicators(parse_message(html_message()))
    assert set(ind.emails) == {"x.y+z@example.org", "help@example.com"}
    assert ind.ips == ("203.0.113.9",)


def test_domains_are_organisational_and_unique() -> None:
    ind = extract_indicators(parse_message(html_message()))
    assert ind.domains[:2] == ("example.net", "paypal.com") or "example.net" in ind.domains
    assert len(ind.domains) == len(set(ind.domains))


def test_attachments_declared_sniffed_size_and_hash() -> None:
    exe = b"MZ\x90\x00" + b"\x00" * 60
    zipped = b"PK\x03\x04" + b"\x00" * 30
    inner = b"From: x@example.com\r\nSubject: inner\r\n\r\nhttp://inner.example/\r\n"
    raw = multipart(
        b"Content-Type: text/plain\r\n\r\nsee attached",
        b'Content-Type: application/pdf; name="invoice.pdf"\r\nContent-Disposition: attachment; '
        b'filename="invoice.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + base64.b64encode(exe),
        b'Content-Type: application/zip; name="a.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + base64.b64encode(zipped),
        b"Content-Type: message/rfc822\r\n\r\n" + inner,
    )
    ind = extract_indicators(parse_message(raw))
    pdf, zipf, msg = ind.attachments
    assert (pdf.filename, pdf.declared_type, pdf.sniffed_type, pdf.kind) == (
        "invoice.pdf",
        "application/pdf",
        "application/x-dosexec",
        "executable",
    )
    assert pdf.size == len(exe) and pdf.sha256 == hashlib.sha256(exe).hexdigest()
    assert pdf.to_dict()["type_mismatch"] is True
    assert (zipf.kind, zipf.to_dict()["type_mismatch"]) == ("archive", False)
    assert msg.kind == "message" and msg.declared_type == "message/rfc822"
    assert "http://inner.example/" not in {u.url for u in ind.urls}  # nested messages are listed, not opened


def test_a_file_name_with_control_characters_is_cleaned() -> None:
    raw = multipart(b'Content-Type: application/octet-stream; name="a\x1b[31mb.exe"\r\n\r\nxx')
    (att,) = extract_indicators(parse_message(raw)).attachments
    assert att.filename == "a[31mb.exe"


def test_defanged_output() -> None:
    assert defang_url("https://a.b.example/x.y?q=1.2") == "hxxps://a[.]b[.]example/x.y?q=1.2"
    assert defang_url("ftp://f.example") == "fxp://f[.]example"
    ind = extract_indicators(parse_message(html_message()), options=IndicatorOptions(defang=True))
    doc = ind.to_dict()
    assert doc["defanged"] is True
    assert "hxxps://evil[.]example[.]net/login?x=1" in [u["url"] for u in doc["urls"]]
    assert "help[@]example[.]com" in doc["emails"]
    assert "203[.]0[.]113[.]9" in doc["ips"]
    text = json.dumps(doc)
    assert "http://" not in text and "https://" not in text and "example.com" not in text


def test_csv_cells_are_safe() -> None:
    raw = HEAD + b"Content-Type: text/html\r\n\r\n<a href='http://x.example/'>=HYPERLINK(\"http://y\")</a>"
    ind = extract_indicators(parse_message(raw))
    text = to_csv([("=cmd|' /C calc'!A0", ind)])
    lines = text.splitlines()
    assert lines[0] == "source,type,value,domain,context,part,sha256"
    assert all(line.startswith("'=cmd") for line in lines[1:])


def test_stix_bundle_is_valid_and_deterministic() -> None:
    stix2 = pytest.importorskip("stix2")
    exe = b"MZ" + b"\x00" * 10
    raw = multipart(
        b"Content-Type: text/plain\r\n\r\nhttp://bad.example/a\\b 'q'",
        b'Content-Type: application/octet-stream; name="x.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
        + base64.b64encode(exe),
    )
    ind = extract_indicators(parse_message(raw))
    first = to_stix([("m.eml", ind, None)])
    assert first == to_stix([("m.eml", ind, None)])
    bundle = stix2.parse(first, allow_custom=False)
    types = sorted({o.type for o in bundle.objects})
    assert types == ["domain-name", "file", "indicator", "url"]
    patterns = sorted(o.pattern for o in bundle.objects if o.type == "indicator")
    assert r"[url:value = 'http://bad.example/a\\b']" in patterns  # the backslash escaped in the literal
    assert f"[file:hashes.'SHA-256' = '{hashlib.sha256(exe).hexdigest()}']" in patterns
