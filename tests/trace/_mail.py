"""Short synthetic messages for path and verdict tests (written for these tests, RFC 5737 addresses)."""

from __future__ import annotations

from mailtrace import analyze
from mailtrace.policy import Policy
from mailtrace.report import Report

BODY = "Hello Bob,\r\n\r\nsee you on Tuesday.\r\n"


def message(*fields: str, body: str = BODY) -> bytes:
    """Header fields (each ``Name: value``, folded with ``\\n\\t``) plus a body, CRLF line ends."""
    head = "\r\n".join(f.replace("\n", "\r\n") for f in fields)
    return (head + "\r\n\r\n" + body).encode()


def run(*fields: str, policy: Policy | None = None) -> Report:
    return analyze(message(*fields), policy=policy)


FROM = "From: Alice Example <alice@sender.example>"
TO = "To: Bob <bob@recipient.example>"
SUBJECT = "Subject: Minutes of Tuesday's meeting"
DATE = "Date: Tue, 4 Mar 2025 10:14:50 +0100"
MSGID = "Message-ID: <20250304091450.1234@mail.sender.example>"
ORIGINATOR = (FROM, TO, SUBJECT, DATE, MSGID)

#: Delivery into the mailbox (LMTP) at the recipient.
LMTP = (
    "Received: from mx.recipient.example\n\tby imap.recipient.example with LMTP id aB3dE\n\t"
    "for <bob@recipient.example>; Tue, 4 Mar 2025 10:15:13 +0100"
)
#: The recipient's border: mx.recipient.example accepts from the sender's outbound relay.
BORDER = (
    "Received: from mail.sender.example (mail.sender.example [198.51.100.10])\n\t"
    "by mx.recipient.example (Postfix) with ESMTPS id 4Yx1B2b3C4\n\t"
    "for <bob@recipient.example>; Tue, 4 Mar 2025 10:15:10 +0100"
)
#: Authenticated submission from the author's client.
SUBMISSION = (
    "Received: from [192.168.1.23] (unknown [203.0.113.201])\n\t(Authenticated sender: alice@sender.example)\n\t"
    "by mail.sender.example (Postfix) with ESMTPSA id 4Yx0Z9y8X7\n\t"
    "for <bob@recipient.example>; Tue, 4 Mar 2025 10:15:02 +0100"
)
STAMP_PASS = (
    "Authentication-Results: mx.recipient.example;\n\tspf=pass (mx.recipient.example: domain of "
    "alice@sender.example designates 198.51.100.10 as permitted sender) smtp.mailfrom=alice@sender.example;\n\t"
    "dmarc=pass header.from=sender.example"
)
STAMP_FAIL = (
    "Authentication-Results: mx.recipient.example;\n\tspf=fail (mx.recipient.example: domain of "
    "alice@sender.example does not designate 198.51.100.10 as permitted sender) smtp.mailfrom=alice@sender.example;\n\t"
    "dkim=none;\n\tdmarc=fail header.from=sender.example"
)
RETURN_PATH = "Return-Path: <alice@sender.example>"
DELIVERED = "Delivered-To: bob@recipient.example"
