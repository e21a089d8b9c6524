"""Hostile mail for fuzzing: mutations of real messages and hostile header fields.

Shared by the Hypothesis suite (``tests/fuzz/``) and the campaign
(``benchmarks/fuzz_campaign.py``), so both exercise the same attacks. Everything is
driven by a :class:`random.Random`, so a ``(message, seed)`` pair replays exactly::

    data, steps = mutate(raw, random.Random(seed))

:data:`HOSTILE_FIELDS` are the structures issue 12 found: deep nesting, long runs,
Unicode digits where ASCII digits are expected, control and bidi characters, extreme
dates.
"""

from __future__ import annotations

import random
from collections.abc import Callable

#: Digits that ``str.isdigit()`` accepts but ``int()`` rejects or reads differently.
UNICODE_DIGITS = ("\u00b2", "\u00b3", "\u00b9", "\u2460", "\u0663", "\u0967", "\uff11", "\U0001d7d9")
#: Characters that must never reach a terminal raw: C0, DEL, C1, bidi controls, invisible formatting.
CONTROL_CHARS = (
    "\x1b[2J\x1b[H",  # clear screen, cursor home
    "\x1b]0;pwned\x07",  # OSC: window title
    "\x07",
    "\x08",
    "\r",
    "\x7f",
    "\x9b31m",  # C1 CSI
    "\x85",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u061c",
    "\u200b",
    "\ufeff",
    "\u2060",
)
EXTREME_DATES = (
    "Fri, 31 Dec 9999 23:59:59 -2359",
    "Sat, 1 Jan 0001 00:00:00 +2359",
    "Mon, 1 Jan 99999999999999999999 00:00:00 +0000",
    "Mon, 99999999999 Jan 2024 99:99:99 +9999",
    "Thu, 1 Jan 1970 00:00:00 +0000",
    "Tue, 19 Jan 2038 03:14:08 +0000",
    "Mon, 3 Jun 2024 10:00:00 +\u00b2\u00b2\u00b2\u00b2",
)


def _nested_groups(rng: random.Random) -> str:
    return "From: " + "a:" * rng.choice((50, 1000, 5000)) + "x@y"


def _unicode_port(rng: random.Random) -> str:
    digit = rng.choice(UNICODE_DIGITS)
    form = rng.choice(("[203.0.113.5:{d}]", "[203.0.113.5]:{d}", "port={d}"))
    return f"Received: from h (h {form.format(d=digit * rng.randint(1, 6))}) by mx.example; {rng.choice(EXTREME_DATES)}"


def _tls_bits(rng: random.Random) -> str:
    digit = rng.choice(UNICODE_DIGITS)
    return (
        "Received: from h (h [192.0.2.1]) (using TLSv1.3 with cipher X (256/"
        f"{digit}{digit} bits)) by mx.example with ESMTPS (bits={digit}); Mon, 3 Jun 2024 10:00:00 +0000"
    )


def _extreme_date(rng: random.Random) -> str:
    name = rng.choice(("Date", "Resent-Date", "Received"))
    if name == "Received":
        return f"Received: from h ([192.0.2.1]) by mx.example; {rng.choice(EXTREME_DATES)}"
    return f"{name}: {rng.choice(EXTREME_DATES)}"


def _controls(rng: random.Random) -> str:
    name = rng.choice(("Subject", "From", "Reply-To", "Message-ID", "X-Mailer", "List-Id", "Received"))
    evil = "".join(rng.choice(CONTROL_CHARS) for _ in range(rng.randint(1, 8)))
    if name == "From":
        return f'From: "Bank{evil}" <a{evil}@example.com>'
    if name == "Received":
        date = "Mon, 3 Jun 2024 10:00:00 +0000"
        return f"Received: from helo{evil}.example (h{evil} [192.0.2.1]) by mx{evil}.example; {date}"
    return f"{name}: x{evil}y"


def _long_run(rng: random.Random) -> str:
    name = rng.choice(("Delivered-To", "Return-Path", "From", "To", "Reply-To", "X-Original-To"))
    size = rng.choice((1_000, 16_000, 64_000))
    run = rng.choice(('\\"', " ", "<", "(", '"', "@", ",", "a:", "\\"))
    return f"{name}: <" + run * (size // len(run)) + ">"


def _dmarc_pct(rng: random.Random) -> str:
    pct = rng.choice(("\u00b2", "9" * 5000, "-1", "101", "", "50\u0663"))
    return f"Authentication-Results: mx.example; dmarc=fail (p=reject pct={pct}) header.from=example.com"


def _dkim_tags(rng: random.Random) -> str:
    value = rng.choice(("\u00b2", "9" * 5000, "-1", "1e9", "\U0001d7d9" * 3))
    return f"DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s; t={value}; x={value}; l={value}; h=from; bh=; b="


#: Builders of one hostile header line each (without the line ending).
HOSTILE_FIELDS: dict[str, Callable[[random.Random], str]] = {
    "nested_groups": _nested_groups,
    "unicode_port": _unicode_port,
    "tls_bits": _tls_bits,
    "extreme_date": _extreme_date,
    "controls": _controls,
    "long_run": _long_run,
    "dmarc_pct": _dmarc_pct,
    "dkim_tags": _dkim_tags,
}


def _lines(raw: bytes) -> list[bytes]:
    return raw.splitlines(keepends=True)


def _header_end(lines: list[bytes]) -> int:
    for i, line in enumerate(lines):
        if not line.strip():
            return i
    return len(lines)


def _truncate(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    cut = rng.randrange(len(raw) + 1)
    return raw[:cut], f"truncate@{cut}"


def _flip(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    if not raw:
        return raw, "flip(empty)"
    data = bytearray(raw)
    count = rng.randint(1, 16)
    # Flips mostly in the header block, where the parsers are.
    end = max(1, min(len(data), raw.find(b"\n\n") + 2 if b"\n\n" in raw else len(data)))
    for _ in range(count):
        data[rng.randrange(end)] = rng.randrange(256)
    return bytes(data), f"flip x{count}"


def _duplicate(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    lines = _lines(raw)
    if not lines:
        return raw, "duplicate(empty)"
    i = rng.randrange(max(1, _header_end(lines)))
    times = rng.choice((1, 2, 10, 200))
    lines[i:i] = [lines[i]] * times
    return b"".join(lines), f"duplicate line {i} x{times}"


def _shuffle(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    lines = _lines(raw)
    end = _header_end(lines)
    head = lines[:end]
    rng.shuffle(head)
    return b"".join(head + lines[end:]), f"shuffle {end} header lines"


def _insert(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    name = rng.choice(sorted(HOSTILE_FIELDS))
    text = HOSTILE_FIELDS[name](rng)
    newline = b"\r\n" if b"\r\n" in raw[:4096] else b"\n"
    lines = _lines(raw)
    at = rng.randrange(_header_end(lines) + 1)
    line = text.encode("utf-8", "surrogateescape") + newline
    lines[at:at] = [line] * rng.choice((1, 1, 1, 5, 60))
    return b"".join(lines), f"insert {name} at {at}"


def _splice(raw: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A piece of the message copied into a random place (crossing field boundaries)."""
    if len(raw) < 2:
        return raw, "splice(short)"
    a = rng.randrange(len(raw))
    b = min(len(raw), a + rng.randint(1, 400))
    at = rng.randrange(len(raw))
    return raw[:at] + raw[a:b] + raw[at:], f"splice {a}:{b}@{at}"


MUTATIONS: dict[str, Callable[[bytes, random.Random], tuple[bytes, str]]] = {
    "truncate": _truncate,
    "flip": _flip,
    "duplicate": _duplicate,
    "shuffle": _shuffle,
    "insert": _insert,
    "splice": _splice,
}


def mutate(raw: bytes, rng: random.Random, *, steps: int | None = None) -> tuple[bytes, list[str]]:
    """``raw`` with 1 to 3 random mutations applied (or ``steps``), and what was done."""
    done: list[str] = []
    for _ in range(steps if steps is not None else rng.randint(1, 3)):
        name = rng.choice(sorted(MUTATIONS))
        raw, what = MUTATIONS[name](raw, rng)
        done.append(what)
    return raw, done
