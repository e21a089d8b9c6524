"""Building the resolver the command line asks for (``--dns``, ``--zone``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mailtrace.dns.cache import CachingResolver
from mailtrace.dns.evidence import RecordingResolver, ReplayResolver
from mailtrace.dns.health import HealthMonitor
from mailtrace.dns.live import LiveResolver
from mailtrace.dns.resolver import Resolver
from mailtrace.dns.zone import OfflineZone
from mailtrace.errors import ConfigurationError

MODES = ("offline", "live", "record", "replay")


def resolver_from_options(
    mode: str,
    path: str | None,
    zone: str | None,
    *,
    nameservers: Sequence[str] = (),
    timeout: float | None = None,
    overwrite: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Resolver:
    """The resolver for ``--dns MODE [FILE]`` and ``--zone FILE``.

    * ``offline`` (the default): answers from ``--zone FILE`` (JSON or
      zone-file text), or an empty zone where every name is NXDOMAIN. Never
      touches the network.
    * ``live``: the system's name servers (or ``nameservers``, ``IP[:PORT]``)
      through a TTL cache shared by every message of the run, and a
      :class:`~mailtrace.dns.health.HealthMonitor` that stops asking a resolver
      that no longer answers (``warn`` gets its one warning). ``timeout`` is the
      most one question may take (seconds; default 8).
    * ``record FILE``: live (or ``--zone`` when given), every answer written
      to the evidence file ``FILE``: a new file, or with ``overwrite`` an earlier
      evidence file; a file holding a message is always refused.
    * ``replay FILE``: answers only from the evidence file ``FILE``.
    """
    mode = mode.strip().lower()
    if mode not in MODES:
        raise ConfigurationError(f"--dns must be one of {', '.join(MODES)}, not {mode!r}")
    if mode in ("record", "replay") and not path:
        raise ConfigurationError(f"--dns {mode} needs a FILE")
    if mode in ("offline", "live") and path:
        raise ConfigurationError(f"--dns {mode} takes no FILE")
    if timeout is not None and not 0 < timeout <= 300:
        raise ConfigurationError(f"--dns-timeout must be between 0 and 300 seconds, not {timeout:g}")
    live_wanted = mode == "live" or (mode == "record" and not zone)
    if (nameservers or timeout is not None) and not live_wanted:
        raise ConfigurationError("--nameserver and --dns-timeout apply to live DNS (--dns live or --record)")
    if mode == "replay":
        if zone:
            raise ConfigurationError("--dns replay answers only from the evidence file; drop --zone")
        return ReplayResolver.from_file(path or "")
    if mode == "offline":
        return OfflineZone.from_file(zone) if zone else OfflineZone({})
    if mode == "live":
        if zone:
            raise ConfigurationError("--zone is for offline (or record) mode, not live")
        return _live(nameservers, timeout, warn)
    inner: Resolver = OfflineZone.from_file(zone) if zone else _live(nameservers, timeout, warn)
    return RecordingResolver(inner, path or "", overwrite=overwrite)


def _live(nameservers: Sequence[str], timeout: float | None, warn: Callable[[str], None] | None) -> Resolver:
    lifetime = 8.0 if timeout is None else timeout
    live = LiveResolver(nameservers=list(nameservers) or None, timeout=min(3.0, lifetime), lifetime=lifetime)
    return CachingResolver(HealthMonitor(live, warn=warn))
