"""SPF re-check (RFC 7208) with pyspf, every lookup through our resolver.

pyspf looks DNS up through the module-level function ``spf.DNSLookup``. We
install one dispatcher there, once, which asks the resolver held in a
:class:`contextvars.ContextVar` set for the duration of one check. Two
threads, two asyncio tasks or two analyses with different resolvers never
see each other's resolver (no module-global state that leaks). Outside one
of our checks the dispatcher hands the question to pyspf's original backend,
so other users of pyspf in the same process are unaffected.

Limits: pyspf enforces RFC 7208 section 4.6.4 (10 DNS-querying terms, 2
void lookups, 10 MX/PTR names); the per-message budget
(:class:`~mailtrace.dns.budget.BudgetedResolver`) bounds the rest, and the
time left is handed to pyspf as its ``querytime``.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import spf as pyspf

from mailtrace.auth.results import SpfCheck, SpfResult
from mailtrace.defects import Defect
from mailtrace.dns.answer import normalize_name
from mailtrace.dns.resolver import Resolver
from mailtrace.errors import MailtraceError
from mailtrace.model.frozen import fast_maker
from mailtrace.parse.numbers import ascii_int

_current: contextvars.ContextVar[_Counting | None] = contextvars.ContextVar("mailtrace_spf_resolver", default=None)
_install_lock = threading.Lock()
_original: Callable[..., Any] | None = None


class _Counting:
    """The resolver for one check, counting the questions asked."""

    __slots__ = ("queries", "resolver")

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.queries = 0


def _dispatch(name: str, qtype: str, strict: Any = True, timeout: float = 20) -> list[tuple[tuple[str, str], Any]]:
    """pyspf's ``DNSLookup`` contract: ``[((name, type), value)]``; ``[]`` when none; TempError when temporary."""
    current = _current.get()
    if current is None:
        if _original is None:  # pragma: no cover - _install() always sets it
            raise pyspf.TempError("no resolver")
        return _original(name, qtype, strict, timeout)  # type: ignore[no-any-return]
    current.queries += 1
    answer = current.resolver.resolve(name, qtype, timeout=timeout)
    if answer.temporary:
        raise pyspf.TempError(f"DNS {answer.describe()}")
    key = (normalize_name(name), qtype)
    out: list[tuple[tuple[str, str], Any]] = []
    for record in answer.records:
        if qtype in ("TXT", "SPF"):
            out.append((key, (record.encode("utf-8"),)))
        elif qtype == "MX":
            pref, _, host = record.partition(" ")
            out.append((key, (ascii_int(pref, 5) or 0, host)))
        else:
            out.append((key, record))
    return out


def _install() -> None:
    global _original
    with _install_lock:
        if _original is None:
            _original = pyspf.DNSLookup
            pyspf.DNSLookup = _dispatch


class _Query(pyspf.query):  # type: ignore[misc]
    """A pyspf query whose lookups go to one resolver (see the module docstring)."""

    def __init__(self, *args: Any, counting: _Counting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._counting = counting

    def check(self, *args: Any, **kwargs: Any) -> Any:
        # Set for the whole evaluation (every lookup happens inside check(), in this thread/context).
        token = _current.set(self._counting)
        try:
            return super().check(*args, **kwargs)
        finally:
            _current.reset(token)


_RESULTS = {r.value: r for r in SpfResult}


def check_spf(
    resolver: Resolver,
    *,
    ip: str | None,
    mail_from: str | None,
    helo: str | None,
    clock: datetime | None = None,
    time_budget: float = 20.0,
    timeout: float = 5.0,
    border_note: str | None = None,
    receiver: str = "mailtrace",
) -> SpfCheck:
    """RFC 7208 ``check_host()`` for ``ip`` and the sender identity; never raises for bad input.

    ``mail_from`` is the envelope sender (``Return-Path``); when it is empty
    (the null sender ``<>``) the HELO identity is checked as
    ``postmaster@<helo>`` (RFC 7208 section 2.4). ``clock`` (the delivery
    time) feeds the ``%{t}`` macro so a replay gives the same explanation.
    """
    if _original is None:
        _install()
    mail_from = (mail_from or "").strip().strip("<>")
    helo = (helo or "").strip().strip("[]") or None
    identity = "mailfrom" if mail_from else "helo"
    base: dict[str, Any] = {"ip": ip, "mail_from": mail_from or None, "helo": helo, "border_note": border_note}
    if not ip:
        return SpfCheck(result=SpfResult.NONE, identity=identity, explanation="no client IP to check", **base)
    if not mail_from and not helo:
        return SpfCheck(result=SpfResult.NONE, identity=identity, explanation="neither sender nor HELO", **base)
    sender = mail_from or f"postmaster@{helo}"
    domain = sender.rpartition("@")[2].lower() or None
    counting = _Counting(resolver)
    try:
        query = _Query(
            i=ip,
            s=sender,
            h=helo or "unknown",
            receiver=receiver,
            strict=True,
            timeout=timeout,
            querytime=max(0.001, time_budget),
            counting=counting,
        )
    except (ValueError, pyspf.PermError):  # pyspf parses the client IP when the query is made
        return SpfCheck(
            result=SpfResult.PERMERROR,
            identity=identity,
            explanation=f"client IP {ip!r} is not an IP address",
            defects=(Defect("spf.bad_ip", f"client IP {ip!r} is not an IP address"),),
            **base,
        )
    try:
        if clock is not None:
            query.t = str(int(clock.timestamp()))
        result, _code, explanation = query.check()
    except MailtraceError:
        raise
    except Exception as exc:  # pyspf raises on some hostile input (NameTooLong, bad labels)
        return SpfCheck(
            result=SpfResult.PERMERROR,
            identity=identity,
            domain=domain,
            dns_queries=counting.queries,
            explanation=f"{type(exc).__name__}: {exc}",
            defects=(Defect("spf.check_failed", f"SPF evaluation failed: {type(exc).__name__}: {exc}"),),
            **base,
        )
    word = _RESULTS.get(str(result).lower(), SpfResult.PERMERROR)
    mechanism = getattr(query, "mechanism", None)
    return SpfCheck(
        result=word,
        identity=identity,
        domain=domain,
        mechanism=None if mechanism is None else str(mechanism),
        lookups=int(getattr(query, "lookups", 0) or 0),
        dns_queries=counting.queries,
        explanation=str(explanation) if explanation else None,
        **base,
    )


def not_checked_spf(ip: str | None, mail_from: str | None, helo: str | None, note: str | None) -> SpfCheck:
    # every field in order: result, ip, mail_from, helo, identity, domain, mechanism, lookups, dns_queries,
    # explanation, border_note, defects (tests/auth/test_auth_verify_makers.py compares the constructor)
    return _make_spf(
        SpfResult.NOT_CHECKED,
        ip,
        (mail_from or "").strip("<>") or None,
        helo,
        "mailfrom" if mail_from else "helo",
        None,
        None,
        0,
        0,
        "no resolver: SPF not re-checked",
        note,
        (),
    )


#: ``SpfCheck(...)`` with every field given in order (a twin-class maker: one per message without a resolver).
_make_spf: Callable[..., SpfCheck] = fast_maker(SpfCheck)
