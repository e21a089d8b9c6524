"""Hostile input: each case must finish well under a second (linear scanners, bounded work).

Cases (from the issue): a 1 MB value, 10,000 Received fields in one message,
10,000 nested ``(``, NUL bytes, a line of only ``[``, each through
``parse_received``. Because ``parse_received`` cuts a value at
``MAX_RECEIVED_CHARS``, the scanner is also timed alone on uncut input at 100 kB
and 1 MB: the ratio shows it is linear. So is the one-match splitter for the common
shape (``shapes.split_simple``), on inputs built to make its pattern backtrack.

Issue 12 cases, each through ``mailtrace.analyze`` (and the text and JSON renderers where the
issue says so): 1,000 nested ``a:`` groups, Unicode digits in ports, TLS bits and DMARC
``pct=``, a year-9999 date, 60 ``Delivered-To``/``Return-Path`` fields of 16 kB of ``\\"`` or of
spaces before ``>``, a message full of control and bidi characters, 5 signatures by one
16,384-bit key with a 16,384-bit exponent and one 32,768-bit key (offline zone). The address
reader is also timed alone on uncut input at 100 kB and 1 MB (the ratio shows it is linear).

Usage::

    python benchmarks/hostile_input.py

Times are CPU seconds of the process (``time.process_time``), so that a loaded machine does
not inflate them.
"""

from __future__ import annotations

import base64
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import mailtrace  # noqa: E402
from mailtrace.dns import OfflineZone  # noqa: E402
from mailtrace.parse.address_list import read_address_list  # noqa: E402
from mailtrace.parse.message import parse_message  # noqa: E402
from mailtrace.parse.received import parse_received, parse_received_value  # noqa: E402
from mailtrace.parse.received.clauses import group  # noqa: E402
from mailtrace.parse.received.scanner import scan  # noqa: E402
from mailtrace.parse.received.shapes import split_simple  # noqa: E402
from mailtrace.policy import Policy  # noqa: E402
from mailtrace.render.text import render_text  # noqa: E402
from mailtrace.testing.hostile import CONTROL_CHARS  # noqa: E402

DATE = "; Mon, 3 Jun 2024 10:00:00 +0000"
#: CPU seconds of this process: on a shared machine, wall time measures the neighbours too.
_clock = time.process_time
MB = 1_000_000


def _ten_thousand_fields() -> int:
    raw = b"".join(
        b"Received: from h%d (h [192.0.2.1]) by x; Mon, 3 Jun 2024 10:00:00 +0000\n" % i for i in range(10_000)
    )
    message = parse_message(raw + b"\nbody\n")
    return len([parse_received(f, i) for i, f in enumerate(message.get_all("Received"))])


CASES: dict[str, Callable[[], object]] = {
    "1 MB value": lambda: parse_received_value("from " + "a" * MB + " (b [192.0.2.1]) by c" + DATE),
    "10,000 Received fields (split + parse)": _ten_thousand_fields,
    "10,000 nested '(' (closed)": lambda: parse_received_value(
        "from x " + "(" * 10_000 + ")" * 10_000 + " by y" + DATE
    ),
    "10,000 nested '(' (unclosed)": lambda: parse_received_value("from x " + "(" * 10_000 + " by y" + DATE),
    "NUL bytes": lambda: parse_received_value("from a\x00b (c [192.0.2.1]) by d\x00e" * 500 + DATE),
    "1 MB line of only '['": lambda: parse_received_value("[" * MB),
    "1 MB of '(' + quoted pairs": lambda: parse_received_value("(" + "\\(" * (MB // 2)),
}
#: The scanner alone on uncut input (parse_received cuts at MAX_RECEIVED_CHARS): time at 100 kB and
#: 1 MB; a linear scanner takes about 10 times as long for 10 times the input.
LINEARITY: dict[str, Callable[[int], str]] = {
    "words": lambda n: "a b " * (n // 4),
    "nested '(' closed": lambda n: "(" * (n // 2) + ")" * (n // 2),
    "'(' unclosed": lambda n: "(" * n,
    "'(a' unclosed": lambda n: "(a" * (n // 2),
    "'['": lambda n: "[" * n,
    "'[a'": lambda n: "[a" * (n // 2),
    "'\"<'": lambda n: '"<' * (n // 2),
    "'(' then quoted pairs '\\(' unclosed": lambda n: "(" + "\\(" * (n // 2),
    "'\"' then quoted pairs '\\\"' unclosed": lambda n: '"' + '\\"' * (n // 2),
    "mixed 'a\\(b('": lambda n: "a\\(b(" * (n // 5),
}


def _fields(line: bytes, count: int = 60) -> bytes:
    """``count`` copies of a hostile field (each made distinct, so no cache helps), then a plain message."""
    head = b"".join(line + b"%d\r\n" % i for i in range(count))
    return head + b"From: a@b.example\r\nSubject: x\r\nDate: Mon, 3 Jun 2024 10:00:00 +0000\r\n\r\nbody\r\n"


def _analyze_and_render(raw: bytes, policy: Policy | None = None) -> object:
    report = mailtrace.analyze(raw, policy=policy)
    assert not [d for d in report.defects if d.code == "mailtrace.internal_error"], report.defects
    render_text(report)
    return report.to_json()


def _rsa_record(modulus_bits: int, exponent_bits: int) -> str:
    """A DKIM key record holding an RSA public key of these sizes (numbers only: no prime is generated)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.RSAPublicNumbers((1 << (exponent_bits - 1)) + 1, (1 << modulus_bits) - 1).public_key()
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()


def _huge_keys() -> object:
    zone = OfflineZone.from_dict(
        {
            "big._domainkey.example.com": {"TXT": [_rsa_record(16384, 16384 - 8)]},
            "bigger._domainkey.example.com": {"TXT": [_rsa_record(32768, 17)]},
        }
    )
    b = base64.b64encode(b"\x01" * 2048).decode()
    sigs = "".join(
        f"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s={s}; h=from;"
        f" bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b={b}\r\n"
        for s in ["big"] * 5 + ["bigger"]
    )
    return _analyze_and_render(sigs.encode() + _fields(b"X-Pad: ", 1), Policy(resolver=zone))


def _controls() -> object:
    evil = "".join(CONTROL_CHARS) * 20
    head = "".join(f"{n}: x{evil}y\r\n" for n in ("Subject", "Reply-To", "Message-ID", "X-Mailer", "List-Id"))
    head += f'From: "{evil}" <a@b.example>\r\nReceived: from h{evil} ([192.0.2.1]) by mx{evil}; {DATE[2:]}\r\n'
    return _analyze_and_render((head + "\r\nbody\r\n").encode())


def _dmarc_pct() -> object:
    zone = OfflineZone.from_dict({"_dmarc.b.example": {"TXT": ["v=DMARC1; p=reject; pct=" + "9" * 5000]}})
    return _analyze_and_render(_fields(b"X-Pad: ", 1), Policy(resolver=zone))


#: Issue 12, through the whole analysis and both renderers.
ISSUE_12: dict[str, Callable[[], object]] = {
    "1,000 nested 'a:' groups in From": lambda: _analyze_and_render(b"From: " + b"a:" * 1000 + b"x@y\r\n\r\nx\r\n"),
    "Unicode digits in ports and TLS bits": lambda: _analyze_and_render(
        _fields(
            b"Received: from h ([203.0.113.5:\xc2\xb2]) (h [192.0.2.1] port=\xc2\xb2) "
            b"(version=TLS1_3 cipher=X bits=\xc2\xb2) by mx; Mon, 3 Jun 2024 10:00:00 +0000 ",
            100,
        )
    ),
    "date 'Fri, 31 Dec 9999 23:59:59 -2359'": lambda: _analyze_and_render(
        _fields(b"Received: from h ([192.0.2.1]) by mx; Fri, 31 Dec 9999 23:59:59 -2359 ", 3)
    ),
    "DMARC pct= of 5,000 digits": _dmarc_pct,
    "60 Delivered-To of 16 kB '\\\"'": lambda: _analyze_and_render(_fields(b"Delivered-To: " + b'\\"' * 8000)),
    "60 Return-Path of 16 kB '\"' + '\\\"'": lambda: _analyze_and_render(
        _fields(b'Return-Path: "' + b'\\"' * 8000 + b",")
    ),
    "60 Delivered-To of 16 kB spaces before '>'": lambda: _analyze_and_render(
        _fields(b"Delivered-To: a" + b" " * 16000 + b">")
    ),
    "60 To of 16 kB 'a:' groups": lambda: _analyze_and_render(_fields(b"Delivered-To: " + b"a:" * 8000)),
    "60 Delivered-To of IDN addresses (16 kB)": lambda: _analyze_and_render(
        _fields(b",".join(b"a@b%d\xc3\xbc.example" % j for j in range(1000))[:16000])
    ),
    "controls and bidi in every shown field": _controls,
    "5 x 16,384-bit key and exponent, 1 x 32,768-bit": _huge_keys,
}

#: The address-list reader alone on uncut input (parse_address_list cuts a field at 16 kB).
ADDRESS_LINEARITY: dict[str, Callable[[int], str]] = {
    "'\\\"' run": lambda n: '"' + '\\"' * (n // 2),
    "spaces before '>'": lambda n: "a" + " " * n + ">",
    "nested 'a:' groups": lambda n: "a:" * (n // 2) + "x@y",
    "'(' unclosed": lambda n: "(" * n,
    "'<' run": lambda n: "<" * n,
    "'@' run": lambda n: "@" * n,
    "'a@' run": lambda n: "a@" * (n // 2),
    "'\"' run": lambda n: '"' * n,
    "mailboxes": lambda n: 'a (b) "c" <d@e.example>, ' * (n // 25),
}


#: Inputs aimed at the one-match pattern of ``shapes.split_simple``: long runs that match part of
#: the shape and then fail, so that a backtracking pattern would retry them.
SHAPE_LINEARITY: dict[str, Callable[[int], str]] = {
    "one long word": lambda n: "by " + "x" * n + DATE,
    "comments then a stray word": lambda n: "from a " + "(c) " * (n // 4) + "x by b" + DATE,
    "many comments": lambda n: "from a " + "(c)" * (n // 3) + " by b" + DATE,
    "with words past the bound": lambda n: "from a by b with " + "w " * (n // 2) + DATE,
    "white space run": lambda n: "by b " + " " * n + "x" + DATE,
    "unclosed comment": lambda n: "by b (" + "a" * n + DATE,
    "date comments": lambda n: "by b" + DATE + " (z)" * (n // 4),
}


def _ratios(title: str, cases: dict[str, Callable[[int], str]], run: Callable[[str], object]) -> float:
    print(f"{title:42} {'100 kB':>8} {'1 MB':>8} {'ratio':>6}")
    worst_ratio = 0.0
    for name, make in cases.items():
        times = []
        for size in (MB // 10, MB):
            text = make(size)
            start = _clock()
            run(text)
            times.append(_clock() - start)
        ratio = times[1] / max(times[0], 1e-9)
        worst_ratio = max(worst_ratio, ratio)
        print(f"{name:42} {times[0]:8.3f} {times[1]:8.3f} {ratio:6.1f}")
    return worst_ratio


def _timed(title: str, cases: dict[str, Callable[[], object]]) -> float:
    """Run each case once; print its CPU seconds; return the worst."""
    print(f"{title:42} {'seconds':>8}")
    worst = 0.0
    for name, fn in cases.items():
        start = _clock()
        fn()
        secs = _clock() - start
        worst = max(worst, secs)
        print(f"{name:42} {secs:8.3f}")
    return worst


def main() -> int:
    mailtrace.analyze(b"From: a@b.example\r\n\r\nx\r\n")  # load the tables once, outside the timings
    worst = _timed("parse_received on", CASES)
    worst = max(worst, _timed("\nissue 12, analyze + text + JSON", ISSUE_12))
    print(f"worst case: {worst:.3f} s (target: well under 1 s)")
    worst_ratio = max(
        _ratios("scanner + clauses, uncut", LINEARITY, lambda text: group(scan(text).tokens)),
        _ratios("one-match splitter (shapes), uncut", SHAPE_LINEARITY, split_simple),
        _ratios("address-list reader, uncut", ADDRESS_LINEARITY, read_address_list),
    )
    print(f"largest 1 MB / 100 kB ratio: {worst_ratio:.1f} (linear: about 10; quadratic would be about 100)")
    return 0 if worst < 1.0 and worst_ratio < 30 else 1


if __name__ == "__main__":
    raise SystemExit(main())
