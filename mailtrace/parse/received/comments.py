"""What the comments of a ``Received:`` line say about TLS, authentication and the envelope.

Comment conventions read here (RFC 5321 section 4.4 leaves comments free-form):

* TLS: Postfix ``(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))``,
  Exchange ``(version=TLS1_2, cipher=TLS_ECDHE_...)``, Gmail/Sendmail
  ``(version=TLS1_3 cipher=... bits=256/256)`` (Sendmail adds ``verify=``),
  ``(Google Transport Security)``, Exim ``(TLS1.3) tls CIPHER``, older Exim
  ``(TLS1.2:CIPHER:256)`` and the log form ``X=TLS1.3:CIPHER:256``, Courier
  ``(TLS: TLSv1.2,256bits,CIPHER)``, Exchange ``(TLS)``.
* Authentication: Postfix ``(Authenticated sender: user)``, Sendmail
  ``(authenticated bits=0)`` / ``(authenticated as user)``, Courier
  ``(AUTH: LOGIN user)``, ``(authenticated-user ...)``, ``auth=...``.
* Envelope: Exim/Sendmail ``(envelope-from <addr>)``, ``(envelope-sender <addr>)``.
"""

from __future__ import annotations

import re

from mailtrace.parse.numbers import ascii_int
from mailtrace.parse.received.draft import Draft

_USING = re.compile(r"using\s+(\S{1,32})\s+with\s+cipher\s+(\S{1,100})(?:\s+\((\d{1,5})/\d{1,5}\s+bits\))?", re.I)
_KV = re.compile(r"\b(version|cipher|bits|verify|x)=([^\s,;()]{1,120})", re.I)
_EXIM_TLS = re.compile(r"^(TLS(?:v?1(?:\.\d)?(?:_\d)?)?|SSLv3)(?::([^:\s]{1,100})(?::(\d{1,5}))?)?$", re.I)
_COURIER_TLS = re.compile(r"^TLS:\s*([^,\s]{1,32}),\s*(\d{1,5})bits,\s*([^,\s]{1,100})", re.I)
_KEYX = re.compile(r"(key-exchange|server-signature|server-digest|client-signature|client-digest)\s+([^\s()]{1,60})")
_AUTH_SENDER = re.compile(r"^authenticated[\s-]+(?:sender|user|as|id)\s*+(?:[:=]\s*+)?(\S{1,256})", re.I)
_ENVFROM = re.compile(r"^envelope-(?:from|sender)\s*+(?::\s*+)?<?([^\s<>]{0,512})", re.I)
_AUTH_COLON = re.compile(r"^auth:\s*+(\S.{0,255})", re.I | re.S)
_AUTH_KV = re.compile(r"\bauth=([^\s,;()]{1,256})", re.I)
#: The first letters (lower-cased) of the comments the readers below look at by their start.
_READ_FIRST = frozenset("uvtgnaex")


def read_comments(comments: list[str], draft: Draft) -> None:
    """Fill TLS, authentication and envelope-from facts from ``comments``."""
    for comment in comments:
        text = comment.strip()
        if not text:
            continue
        low = text[:32].lower()
        c0 = low[0]
        if c0 not in _READ_FIRST:
            # No reader below starts with this letter: only an "auth=" anywhere can count.
            if "auth=" in low:
                _auth_kv(text, draft)
            continue
        if c0 == "u" and low.startswith("using "):
            _using(text, draft)
        elif c0 == "v" and low.startswith("version="):
            _kv_tls(text, draft)
        elif c0 == "t" and low.startswith("tls"):
            _exim_or_courier_tls(text, draft)
        elif c0 == "g" and low.startswith("google transport security"):
            draft.tls = True
            draft.tls_details.append(("transport", "Google Transport Security"))
        elif c0 == "n" and low.startswith("no client certificate"):
            draft.tls_details.append(("client_certificate", "not requested"))
        elif c0 == "a":
            _auth(text, low, draft)
        elif c0 == "e" and low.startswith("envelope-"):
            m = _ENVFROM.match(text)
            if m and draft.envelope_from is None:
                draft.envelope_from = m.group(1)
        elif c0 == "x" and low.startswith("x=tls"):
            _exim_or_courier_tls(text[2:], draft)
        elif "auth=" in low:
            _auth_kv(text, draft)


def _auth_kv(text: str, draft: Draft) -> None:
    m = _AUTH_KV.search(text)
    if m:
        draft.authenticated = True
        draft.auth = draft.auth or m.group(1)


def _using(text: str, draft: Draft) -> None:
    m = _USING.match(text)
    if not m:
        return
    draft.tls = True
    draft.tls_version = draft.tls_version or m.group(1)
    draft.tls_cipher = draft.tls_cipher or m.group(2)
    if m.group(3):
        draft.tls_bits = draft.tls_bits or int(m.group(3))
    for k in _KEYX.finditer(text):
        draft.tls_details.append((k.group(1), k.group(2)))


def _kv_tls(text: str, draft: Draft) -> None:
    draft.tls = True
    for m in _KV.finditer(text):
        key = m.group(1).lower()
        value = m.group(2)
        if key == "version":
            draft.tls_version = draft.tls_version or value
        elif key == "cipher":
            draft.tls_cipher = draft.tls_cipher or value
        elif key == "bits":
            draft.tls_bits = draft.tls_bits or ascii_int(value.split("/", 1)[0], 5)
        else:
            draft.tls_details.append((key, value))


def _exim_or_courier_tls(text: str, draft: Draft) -> None:
    m = _COURIER_TLS.match(text)
    if m:
        draft.tls = True
        draft.tls_version = draft.tls_version or m.group(1)
        draft.tls_bits = draft.tls_bits or int(m.group(2))
        draft.tls_cipher = draft.tls_cipher or m.group(3)
        return
    m = _EXIM_TLS.match(text.strip())
    if m:
        draft.tls = True
        if m.group(1).upper() != "TLS":
            draft.tls_version = draft.tls_version or m.group(1)
        if m.group(2):
            draft.tls_cipher = draft.tls_cipher or m.group(2)
        if m.group(3):
            draft.tls_bits = draft.tls_bits or int(m.group(3))


def _auth(text: str, low: str, draft: Draft) -> None:
    if low.startswith("authenticated"):
        draft.authenticated = True
        m = _AUTH_SENDER.match(text)
        if m:
            draft.auth = draft.auth or m.group(1)
        elif low.startswith("authenticated bits="):
            draft.auth = draft.auth or text[len("authenticated ") :].strip()[:64]
        return
    if low.startswith("auth:"):
        m = _AUTH_COLON.match(text.strip())
        if m:
            draft.authenticated = True
            draft.auth = draft.auth or m.group(1).strip()
        return
    if low.startswith("auth=") or " auth=" in low:
        _auth_kv(text, draft)
