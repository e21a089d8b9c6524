"""``with`` protocol keywords (RFC 5321 section 4.4, RFC 3848, RFC 8314, RFC 6531) and hop kinds.

RFC 3848 registers ``ESMTPA``/``ESMTPS``/``ESMTPSA`` and ``LMTPA``/``LMTPS``/
``LMTPSA`` (``S``: TLS, ``A``: SMTP AUTH); RFC 6531 adds the ``UTF8`` forms
(``UTF8SMTPSA``...); RFC 8314 section 4.3 says implicit TLS is recorded the same
way. Keywords are compared case-insensitively and reported upper-case. Two
Microsoft spellings are not keywords at all and are normalised: ``Microsoft
SMTP Server`` and ``Microsoft SMTPSVC(...)`` become ``ESMTP`` (``ESMTPS`` when
the line records TLS), the original text staying in ``raw``.
"""

from __future__ import annotations

#: kind of handover for each normalised keyword (see ``Received.kind``)
_KIND = {
    "SMTP": "smtp",
    "ESMTP": "smtp",
    "SMTPS": "smtp",
    "ESMTPA": "smtp",
    "ESMTPS": "smtp",
    "ESMTPSA": "smtp",
    "SMTPSA": "smtp",
    "SMTPA": "smtp",
    "ASMTP": "smtp",
    "SUBMISSION": "smtp",
    "UTF8SMTP": "smtp",
    "UTF8SMTPA": "smtp",
    "UTF8SMTPS": "smtp",
    "UTF8SMTPSA": "smtp",
    "UTF8ESMTP": "smtp",
    "ESMTPX": "smtp",
    "BSMTP": "local",
    "LMTP": "lmtp",
    "LMTPA": "lmtp",
    "LMTPS": "lmtp",
    "LMTPSA": "lmtp",
    "UTF8LMTP": "lmtp",
    "UTF8LMTPA": "lmtp",
    "UTF8LMTPS": "lmtp",
    "UTF8LMTPSA": "lmtp",
    "HTTP": "http",
    "HTTPS": "http",
    "HTTPSA": "http",
    "WEBMAIL": "http",
    "LOCAL": "local",
    "LOCAL-ESMTP": "local",
    "LOCAL-SMTP": "local",
    "LOCAL-BSMTP": "local",
    "LOCAL-ESMTPA": "local",
    "MAPI": "internal",
    "SENDMAIL": "local",
    "QMQP": "internal",
    "INTERNAL": "internal",
    "SPOOL": "local",
    "IMAP": "fetch",
    "IMAPS": "fetch",
    "IMAP4": "fetch",
    "POP3": "fetch",
    "POP3S": "fetch",
    "POP": "fetch",
    "ODMR": "fetch",
    "ETRN": "fetch",
}
_TLS = frozenset({"ESMTPS", "ESMTPSA", "SMTPS", "SMTPSA", "UTF8SMTPS", "UTF8SMTPSA", "LMTPS", "LMTPSA"})
_TLS |= {"UTF8LMTPS", "UTF8LMTPSA", "HTTPS", "HTTPSA", "IMAPS", "POP3S"}
_AUTH = frozenset({"ESMTPA", "ESMTPSA", "SMTPSA", "SMTPA", "ASMTP", "UTF8SMTPA", "UTF8SMTPSA", "LMTPA", "LMTPSA"})
_AUTH |= {"UTF8LMTPA", "UTF8LMTPSA", "HTTPSA", "LOCAL-ESMTPA"}


def normalise_with(words: list[str]) -> str | None:
    """The protocol keyword of a ``with`` clause, upper-case, or ``None``."""
    if not words:
        return None
    first = words[0].upper().rstrip(",;")
    if first == "MICROSOFT" and len(words) > 1:
        return "ESMTP"
    if first.startswith("SMTPSVC"):
        return "ESMTP"
    return first[:64] or None


def kind_of(keyword: str | None) -> str | None:
    return None if keyword is None else _KIND.get(keyword)


def implies_tls(keyword: str | None) -> bool:
    return keyword in _TLS


def implies_auth(keyword: str | None) -> bool:
    return keyword in _AUTH
