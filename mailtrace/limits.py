"""Size and count bounds that hostile input cannot exceed.

Every bound is enforced with a defect, never an exception; ``docs/schema.md``
("Bounds") documents them. Change them through :class:`Limits` on the
:class:`~mailtrace.policy.Policy`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    #: Bytes of header block read; the rest is treated as body (defect ``message.header_too_large``).
    max_header_bytes: int = 1024 * 1024
    #: Header fields kept; more are dropped (defect ``message.too_many_fields``).
    max_fields: int = 2000
    #: Bytes of one unfolded field value kept; the rest is cut (defect ``header.too_long``).
    max_field_bytes: int = 64 * 1024
    #: ``Received:`` fields parsed into hops; older ones are dropped (defect ``received.too_many``).
    max_hops: int = 200
    #: Bytes of one message read from any source (larger messages are truncated with a defect).
    max_message_bytes: int = 64 * 1024 * 1024
    #: DNS lookups one analysis may make across SPF, DKIM, ARC and DMARC.
    max_dns_lookups: int = 60
    #: Seconds of DNS time one analysis may spend in total.
    dns_time_budget: float = 20.0
    #: DKIM signatures verified per message; the rest are ``not_checked`` (defect ``dkim.too_many``).
    max_dkim_signatures: int = 10
    #: ARC sets (instances) a chain may have to be validated; a longer chain is ``not_checked``
    #: (defect ``arc.too_many_sets``). RFC 8617 allows 50; real chains have 1 to 4.
    max_arc_sets: int = 10
    #: Largest RSA key (modulus bits) used for DKIM or ARC; a larger one (or an exponent above
    #: 2**32 + 1) is refused before verification: DKIM ``key_too_large``, ARC ``arc.key_too_large``.
    max_rsa_key_bits: int = 8192
    #: CPU seconds DKIM and ARC verification may spend on one message, beside the DNS budget;
    #: signatures past it are ``not_checked`` (defect ``dkim.cpu_budget`` / ``arc.cpu_budget``).
    verify_cpu_budget: float = 2.0
    #: CPU seconds the address parsers may spend on one message's fields; past it, addresses are read
    #: but not validated (defect ``address.not_checked``) and a list's general reader stops
    #: (defect ``address.time_limit``).
    address_time_budget: float = 0.3
    #: MIME parts the indicator walk visits; the rest are skipped (defect ``mime.too_many_parts``).
    max_mime_parts: int = 1000
    #: Multipart/message nesting the indicator walk descends (defect ``mime.too_deep``).
    max_mime_depth: int = 20
    #: Decoded body bytes the indicator walk keeps across all parts (defect ``mime.decoded_limit``).
    max_decoded_bytes: int = 32 * 1024 * 1024
    #: Seconds one message's indicator walk may take (defect ``mime.time_limit``).
    mime_time_budget: float = 5.0
    #: URLs, addresses and IPs kept per message, each (defect ``indicators.too_many``).
    max_indicators: int = 5000

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if value <= 0:
                from mailtrace.errors import ConfigurationError

                raise ConfigurationError(f"Limits.{name} must be positive, got {value!r}")


DEFAULT_LIMITS = Limits()
