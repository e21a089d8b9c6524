"""DNS seam: every SPF, DKIM, ARC and DMARC lookup goes through one :class:`Resolver`.

* :class:`Answer` / :class:`Status`: typed answers (NOERROR, NXDOMAIN, NODATA,
  SERVFAIL, TIMEOUT), never an ambiguous empty list.
* :class:`OfflineZone`: answers from a dict, JSON or zone-file text (the default).
* :class:`LiveResolver` + :class:`CachingResolver`: dnspython, TTL cache.
* :class:`RecordingResolver` / :class:`ReplayResolver`: answers as evidence files.
* :class:`BudgetedResolver`: the per-message lookup and time bounds.
* :func:`resolver_from_options`: what ``--dns`` / ``--zone`` build.

See ``docs/dns-and-evidence.md``.
"""

from __future__ import annotations

from mailtrace.dns.answer import Answer, Status
from mailtrace.dns.budget import BudgetedResolver
from mailtrace.dns.cache import CachingResolver
from mailtrace.dns.evidence import RecordingResolver, ReplayResolver
from mailtrace.dns.live import LiveResolver
from mailtrace.dns.options import resolver_from_options
from mailtrace.dns.resolver import Resolver
from mailtrace.dns.zone import OfflineZone, ZoneMissError

__all__ = [
    "Answer",
    "BudgetedResolver",
    "CachingResolver",
    "LiveResolver",
    "OfflineZone",
    "RecordingResolver",
    "ReplayResolver",
    "Resolver",
    "Status",
    "ZoneMissError",
    "resolver_from_options",
]
