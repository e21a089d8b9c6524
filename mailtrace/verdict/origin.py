"""Where the message entered the recipient's side (``verdict.origin``).

The client at the recipient's border is the one sender-side fact the sender could not choose
(``docs/concepts.md``, "The border"): its IP, the reverse name the receiver looked up and the
HELO it gave. The provider comes from the provider table (:mod:`mailtrace.trace.providers`, by
reverse name, else HELO). Below the border, a hop that shows an authenticated submission
(RFC 4954 / RFC 3848 ``ESMTPA``, "Authenticated sender") names the submission user. The
identities that authenticated at the border are the SPF domain and the DKIM ``d=`` of the
evidence the verdict uses, each marked aligned with the From: domain or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from mailtrace.model.frozen import fast_init, fast_maker
from mailtrace.model.received import Received
from mailtrace.trace.model import Evidence, Path
from mailtrace.trace.providers import PROVIDERS, provider_of, tenant_suffix_of
from mailtrace.verdict.evidence import AuthView
from mailtrace.verdict.from_auth import Identity, identities


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Provider:
    name: str
    kind: str | None = None
    abuse: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "abuse": self.abuse}


@fast_init
@dataclass(frozen=True, slots=True, kw_only=True)
class Origin:
    ip: str | None
    rdns: str | None
    helo: str | None
    receiver: str | None  #: the recipient's host that accepted it
    provider: Provider | None = None
    tenant: str | None = None
    submission_user: str | None = None
    authenticated: tuple[Identity, ...] = ()
    summary: str = ""
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "ip": self.ip,
            "rdns": self.rdns,
            "helo": self.helo,
            "receiver": self.receiver,
            "provider": None if self.provider is None else self.provider.to_dict(),
            "tenant": self.tenant,
            "submission_user": self.submission_user,
            "authenticated": [i.to_dict() for i in self.authenticated],
            "summary": self.summary,
            "evidence": [e.to_dict() for e in self.evidence],
        }


def origin(
    path: Path,
    received: Sequence[Received],
    view: AuthView,
    from_domain: str | None,
    idents: list[Identity] | None = None,
) -> Origin | None:
    """The origin, or ``None`` when no border was crossed (internal mail, no trace).

    ``idents``: :func:`~mailtrace.verdict.from_auth.identities` of the view when the caller has them already.
    """
    border = path.border
    if border is None:
        return None
    line = received[border.index] if 0 <= border.index < len(received) else None
    rdns = line.from_.rdns if line is not None else None
    helo = line.from_.helo if line is not None else None
    provider = _provider(rdns or border.client) or _provider(helo)
    tenant = _tenant(from_domain, rdns, helo)
    user = _submission_user(path, received, border.index)
    if idents is None:
        idents = identities(view.spf, view.dkim, from_domain)
    where = border.ip or "an unknown address"
    name = rdns or border.client
    text = f"The message entered the recipient's side at {border.receiver or '?'} from {where}"
    if name:
        text += f" ({name})"
    if helo and helo != name:
        text += f", HELO {helo}"
    if provider is not None:
        text += f", a host of {provider.name}"
    if user:
        text += f"; submitted by the authenticated user {user}"
    text += "."
    # every field in order: ip, rdns, helo, receiver, provider, tenant, submission_user, authenticated, summary,
    # evidence
    return _make_origin(
        border.ip, rdns, helo, border.receiver, provider, tenant, user, tuple(idents), text, border.evidence[:2]
    )


#: ``Origin(...)`` with every field given in order (one per message with a border).
_make_origin: Callable[..., Origin] = fast_maker(Origin)


def _provider(name: str | None) -> Provider | None:
    """The provider table's entry for a host name (:mod:`mailtrace.trace.providers`)."""
    found = provider_of(name)
    if found is None:
        return None
    return Provider(name=found.name, kind=found.kind, abuse=found.abuse)


#: Every tenant suffix of the provider table: a name holds one (lower case) before it can fall under it.
_TENANT_TEXT = re.compile("|".join(re.escape(s) for s in sorted({s for p in PROVIDERS for s in p.tenant_suffixes})))


def _tenant(*names: str | None) -> str | None:
    """The customer tenant a name falls under (``contoso.onmicrosoft.com``), where one does."""
    for n in names:
        if not n or _TENANT_TEXT.search(n.lower()) is None:
            continue
        t = tenant_suffix_of(n)
        if t is not None:
            return t[1]
    return None


#: ``auth`` values that name a mechanism or protocol, not a user.
_MECHANISMS = frozenset({"esmtpa", "esmtpsa", "lmtpa", "lmtpsa", "login", "plain", "cram-md5", "xoauth2", "auth"})


def _submission_user(path: Path, received: Sequence[Received], border_index: int) -> str | None:
    """The user of an authenticated submission at or below the border, where a line shows one."""
    for r in reversed(received):
        if r.index < border_index:
            break
        if r.authenticated and r.auth:
            words = [w for w in r.auth.replace("=", " ").split() if w.lower().strip(":;()") not in _MECHANISMS]
            return words[-1][:120] if words else None
    return None
