"""The XSS corpus: hostile messages written by this project, for both pages.

Each payload that could run calls ``alert()`` (the tests' dialog handler must never fire) or
would insert an element the tests look for (``script``, ``img``, ``iframe``, an ``on*``
attribute, a link that is not an in-page anchor, a second ``style``). The messages are built
here, not stored, so the payloads are readable in one place.
"""

from __future__ import annotations

import base64

CRLF = "\r\n"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
ZWSP = "\u200b"


def _received(helo: str, by: str, ip: str, when: str, extra: str = "") -> str:
    return f"Received: from {helo} ({helo} [{ip}]){extra}\r\n\tby {by} with ESMTP id 4Qx1; {when}"


def _message(*fields: str, body: str = "hello\r\n") -> bytes:
    return (CRLF.join(fields) + CRLF + CRLF + body).encode("utf-8")


def _encoded(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode() + "?="


def messages() -> dict[str, bytes]:
    """``{name: raw message}``: every hostile message of the corpus."""
    base = [
        _received("mx.attacker.example", "mx.victim.example", "192.0.2.10", "Mon, 4 Mar 2025 10:00:05 +0000"),
        _received("[10.0.0.5]", "mail.attacker.example", "198.51.100.7", "Mon, 4 Mar 2025 10:00:01 +0000"),
    ]
    out: dict[str, bytes] = {}
    out["script-tags"] = _message(
        *base,
        'From: "<script>alert(1)</script>" <ceo@victim.example>',
        "To: <img src=x onerror=alert(2)> <bob@victim.example>",
        "Subject: <script>alert(3)</script><img src=x onerror=alert(4)><body onload=alert(5)>",
        "Reply-To: \"<a href='javascript:alert(6)'>click</a>\" <x@attacker.example>",
        'Message-ID: <"><script>alert(7)</script>@attacker.example>',
        "Date: Mon, 4 Mar 2025 10:00:00 +0000",
        f"X-Encoded: {_encoded('<script>alert(8)</script>')}",
        f"Subject: {_encoded('<svg onload=alert(9)>')}",
    )
    out["event-handlers"] = _message(
        _received('x" onmouseover="alert(10)', "mx.victim.example", "192.0.2.10", "Mon, 4 Mar 2025 10:00:05 +0000"),
        _received(
            "' autofocus onfocus='alert(11)", "relay.attacker.example", "198.51.100.7", "Mon, 4 Mar 2025 10:00:01 +0000"
        ),
        "From: \"x' onclick='alert(12)\" <a@attacker.example>",
        'To: "\\"><iframe src=javascript:alert(13)>" <bob@victim.example>',
        'Subject: " autofocus onfocus=alert(14) x="',
        'Authentication-Results: <script>alert(15)</script>; spf=pass smtp.mailfrom="<b onmouseover=alert(16)>"',
        "Date: Mon, 4 Mar 2025 10:00:00 +0000",
    )
    out["urls"] = _message(
        *base,
        "From: Support <javascript:alert(17)//@attacker.example>",
        "To: bob@victim.example",
        "Subject: visit javascript:alert(18) or data:text/html;base64,PHNjcmlwdD5hbGVydCgxOSk8L3NjcmlwdD4=",
        "List-Unsubscribe: <javascript:alert(20)>, <data:text/html,<script>alert(21)</script>>",
        "List-Post: <mailto:x@attacker.example?body=<script>alert(22)</script>>",
        'X-Url: https://attacker.example/"><a href="javascript:alert(23)">x</a>',
        "Date: Mon, 4 Mar 2025 10:00:00 +0000",
    )
    out["css-injection"] = _message(
        *base,
        'From: "</style><style>body{display:none}</style>" <a@attacker.example>',
        "To: bob@victim.example",
        "Subject: x{} *{background:url(javascript:alert(24))} body{width:99999px} expression(alert(25))",
        "X-Style: <style>@import url(data:text/css,body{display:none});</style>",
        "X-Link: <link rel=stylesheet href=data:text/css,body{display:none}>",
        "Date: Mon, 4 Mar 2025 10:00:00 +0000",
    )
    out["svg-breakout"] = _message(
        _received(
            "</text></svg><script>alert(26)</script>",
            "mx.victim.example",
            "192.0.2.10",
            "Mon, 4 Mar 2025 10:00:05 +0000",
        ),
        "Received: from relay.attacker.example ([198.51.100.7])\r\n\tby </title></g></svg><img src=x onerror=alert(27)>"
        " with ESMTP id 1; Mon, 4 Mar 2025 10:00:03 +0000",
        _received(
            "[10.0.0.5]",
            "</text><foreignObject><iframe src=javascript:alert(28)>",
            "198.51.100.8",
            "Mon, 4 Mar 2025 10:00:01 +0000",
        ),
        'From: "</tspan></text></svg><svg onload=alert(29)>"'
        ' <"</text></svg><script>alert(30)</script>"@attacker.example>',
        "Delivered-To: </svg><img src=x onerror=alert(31)>@victim.example",
        "To: bob@victim.example",
        "Subject: ]]><![CDATA[<script>alert(32)</script>]]>",
        "Date: Mon, 4 Mar 2025 10:00:00 +0000",
    )
    out["rtl-and-controls"] = _message(
        *base,
        f'From: "Invoice {RLO}fdp.exe" <billing{ZWSP}@paypa{ZWSP}l.example>',
        "To: bob@victim.example",
        f"Subject: {RLO}Urgent{RLO} \x1b[31mred\x1b[0m bell\x07 nul-free \u2066isolate\u2069 \u061cmark",
        f"X-Bidi: {RLO}<script>alert(33)</script>",
        "Date: Mon, 4 Mar 2025 10:00:00 +0000",
    )
    long_token = "A" * 60_000
    out["megabyte-lines"] = _message(
        *base,
        "From: flood@attacker.example",
        "To: bob@victim.example",
        f"Subject: {long_token}<script>alert(34)</script>",
        "X-Flood: " + ("<b onmouseover=alert(35)>" + "x" * 40) * 15_000,
        "Date: Mon, 4 Mar 2025 10:00:00 +0000",
    )
    return out


#: Names a served upload may carry: shown in the page, so escaped too.
HOSTILE_FILENAME = '"><img src=x onerror=alert(36)>\u202egpj.eml'
