"""Building the resolver the command line asks for (``--dns``, ``--zone``)."""

from __future__ import annotations

from mailtrace.dns.cache import CachingResolver
from mailtrace.dns.evidence import RecordingResolver, ReplayResolver
from mailtrace.dns.live import LiveResolver
from mailtrace.dns.resolver import Resolver
from mailtrace.dns.zone import OfflineZone
from mailtrace.errors import ConfigurationError

MODES = ("offline", "live", "record", "replay")


def resolver_from_options(mode: str, path: str | None, zone: str | None) -> Resolver:
    """The resolver for ``--dns MODE [FILE]`` and ``--zone FILE``.

    * ``offline`` (the default): answers from ``--zone FILE`` (JSON or
      zone-file text), or an empty zone where every name is NXDOMAIN. Never
      touches the network.
    * ``live``: the system's name servers through a TTL cache. This contacts
      the sender's DNS servers.
    * ``record FILE``: live (or ``--zone`` when given), every answer written
      to the evidence file ``FILE``.
    * ``replay FILE``: answers only from the evidence file ``FILE``.
    """
    mode = mode.strip().lower()
    if mode not in MODES:
        raise ConfigurationError(f"--dns must be one of {', '.join(MODES)}, not {mode!r}")
    if mode in ("record", "replay") and not path:
        raise ConfigurationError(f"--dns {mode} needs a FILE")
    if mode in ("offline", "live") and path:
        raise ConfigurationError(f"--dns {mode} takes no FILE")
    if mode == "replay":
        if zone:
            raise ConfigurationError("--dns replay answers only from the evidence file; drop --zone")
        return ReplayResolver.from_file(path or "")
    if mode == "offline":
        return OfflineZone.from_file(zone) if zone else OfflineZone({})
    if mode == "live":
        if zone:
            raise ConfigurationError("--zone is for offline (or record) mode, not live")
        return CachingResolver(LiveResolver())
    inner: Resolver = OfflineZone.from_file(zone) if zone else CachingResolver(LiveResolver())
    return RecordingResolver(inner, path or "")
