"""Live DNS for batches: --nameserver, --dns-timeout, a dead resolver detected once, a sinkhole named.

The dead-resolver test talks to a UDP socket the test opens on 127.0.0.1 and never answers
(the conftest lets sockets reach the loopback only).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailtrace.cli import main
from mailtrace.dns import Answer, OfflineZone, Status, resolver_from_options
from mailtrace.dns.health import HealthMonitor, dns_statistics
from mailtrace.dns.live import LiveResolver, parse_nameserver
from mailtrace.errors import ConfigurationError
from mailtrace.testing.silent_dns import dns_asking_message, silent_dns_server


class _Scripted:
    """A resolver that answers every question with one status, counting the questions."""

    def __init__(self, status: Status) -> None:
        self.status = status
        self.asked: list[tuple[str, str]] = []

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        self.asked.append((name, rtype))
        return Answer(name=name, rtype=rtype, status=self.status, detail="scripted")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("192.0.2.53", ("192.0.2.53", 53)),
        ("192.0.2.53:5353", ("192.0.2.53", 5353)),
        ("2001:db8::53", ("2001:db8::53", 53)),
        ("[2001:db8::53]:5353", ("2001:db8::53", 5353)),
    ],
)
def test_nameserver_spellings(text: str, parsed: tuple[str, int]) -> None:
    assert parse_nameserver(text) == parsed


@pytest.mark.parametrize("text", ["ns.example.com", "192.0.2.1:99999", "192.0.2.1:x", "[2001:db8::1]x", "1.2.3.4:²"])
def test_nameserver_refuses_names_and_bad_ports(text: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_nameserver(text)


def test_live_resolver_uses_the_given_server_and_port() -> None:
    live = LiveResolver(nameservers=["127.0.0.1:5353"], timeout=0.5, lifetime=1.0)
    (server,) = live._resolver.nameservers
    assert (server.address, server.port) == ("127.0.0.1", 5353)  # type: ignore[union-attr]


def test_options_refuse_nameserver_without_live_dns(tmp_path: Path) -> None:
    zone = tmp_path / "z.json"
    zone.write_text("{}")
    with pytest.raises(ConfigurationError, match="live DNS"):
        resolver_from_options("offline", None, str(zone), nameservers=["192.0.2.1"])
    with pytest.raises(ConfigurationError, match="dns-timeout"):
        resolver_from_options("live", None, None, nameservers=["192.0.2.1"], timeout=0)


def test_monitor_declares_a_dead_resolver_once_and_stops_asking() -> None:
    inner = _Scripted(Status.TIMEOUT)
    warnings: list[str] = []
    monitor = HealthMonitor(inner, dead_after=3, warn=warnings.append)
    answers = [monitor.resolve(f"x{i}.example", "TXT") for i in range(50)]
    assert len(inner.asked) == 3
    assert all(a.status is Status.TIMEOUT for a in answers)
    assert "not asked" in answers[-1].detail
    assert len(warnings) == 1 and "did not answer 3 questions in a row" in warnings[0]
    assert (monitor.queries, monitor.skipped, monitor.failures, monitor.dead) == (3, 47, 50, True)


def test_a_dead_resolver_is_probed_again_and_revived_when_it_answers() -> None:
    inner = _Scripted(Status.TIMEOUT)
    now = [0.0]
    warnings: list[str] = []
    monitor = HealthMonitor(inner, dead_after=3, warn=warnings.append, retry_after=30.0, clock=lambda: now[0])
    for i in range(3):
        monitor.resolve(f"x{i}.example", "TXT")
    assert monitor.dead and "first in 30 s" in warnings[0]
    now[0] = 29.0
    assert "not asked" in monitor.resolve("a.example", "TXT").detail and len(inner.asked) == 3
    now[0] = 30.0  # the first probe goes through, times out: the next waits twice as long
    assert monitor.resolve("b.example", "TXT").detail == "scripted" and len(inner.asked) == 4
    now[0] = 89.0
    monitor.resolve("c.example", "TXT")
    assert len(inner.asked) == 4 and monitor.dead
    now[0] = 90.0
    inner.status = Status.NOERROR  # the server is back
    assert monitor.resolve("d.example", "TXT").status is Status.NODATA
    assert not monitor.dead and len(warnings) == 2 and "answers again" in warnings[1]
    monitor.resolve("e.example", "TXT")
    assert len(inner.asked) == 6
    stats = dns_statistics(monitor)
    assert stats is not None and (stats.dead, stats.skipped, stats.outages) == (False, 2, 1)
    assert "not answering 1 time(s) (2 questions not asked), answering again" in stats.line()


def test_probes_back_off_to_the_cap_and_only_one_is_in_flight() -> None:
    inner = _Scripted(Status.TIMEOUT)
    now = [0.0]
    monitor = HealthMonitor(inner, dead_after=1, warn=lambda _m: None, retry_after=30.0, clock=lambda: now[0])
    monitor.resolve("x.example", "TXT")
    probes = []
    for _ in range(8):  # each probe fails: waits 30, 60, 120, 240, then 300 s at most
        before = len(inner.asked)
        while len(inner.asked) == before:
            now[0] += 1.0
            monitor.resolve("y.example", "TXT")
        probes.append(now[0])
    gaps = [b - a for a, b in zip([0.0, *probes], probes, strict=False)]
    assert gaps == [30.0, 60.0, 120.0, 240.0, 300.0, 300.0, 300.0, 300.0]


def test_while_a_probe_waits_other_threads_are_not_sent() -> None:
    class Slow(_Scripted):
        def __init__(self) -> None:
            super().__init__(Status.TIMEOUT)
            self.entered, self.release = threading.Event(), threading.Event()

        def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
            if name == "probe.example":
                self.entered.set()
                self.release.wait(10)
            return super().resolve(name, rtype, timeout=timeout)

    inner = Slow()
    now = [0.0]
    monitor = HealthMonitor(inner, dead_after=1, warn=lambda _m: None, retry_after=30.0, clock=lambda: now[0])
    monitor.resolve("x.example", "TXT")
    now[0] = 31.0
    probe = threading.Thread(target=monitor.resolve, args=("probe.example", "TXT"))
    probe.start()
    assert inner.entered.wait(10)
    assert "not asked" in monitor.resolve("other.example", "TXT").detail  # the probe is still out
    inner.release.set()
    probe.join(10)
    assert [name for name, _ in inner.asked] == ["x.example", "probe.example"]


def test_monitor_one_answer_resets_the_count() -> None:
    inner = _Scripted(Status.TIMEOUT)
    monitor = HealthMonitor(inner, dead_after=3, warn=lambda _m: None)
    monitor.resolve("a.example", "TXT")
    monitor.resolve("b.example", "TXT")
    inner.status = Status.NOERROR  # becomes NODATA (no records): an answer all the same
    monitor.resolve("c.example", "TXT")
    inner.status = Status.TIMEOUT
    monitor.resolve("d.example", "TXT")
    monitor.resolve("e.example", "TXT")
    assert not monitor.dead and len(inner.asked) == 5


def test_timeouts_of_questions_cut_short_by_a_spent_budget_do_not_count() -> None:
    inner = _Scripted(Status.TIMEOUT)
    monitor = HealthMonitor(inner, dead_after=3, warn=lambda _m: None)
    for i in range(10):
        monitor.resolve(f"x{i}.example", "TXT", timeout=0.01)
    assert not monitor.dead and len(inner.asked) == 10
    for i in range(3):
        monitor.resolve(f"y{i}.example", "TXT", timeout=5.0)
    assert monitor.dead


def test_monitor_names_a_sinkhole() -> None:
    monitor = HealthMonitor(_Scripted(Status.NXDOMAIN), warn=lambda _m: None)
    monitor.resolve("gmail.com", "TXT")
    assert monitor.sinkhole is not None and "TXT gmail.com" in monitor.sinkhole
    everything = HealthMonitor(_Scripted(Status.NXDOMAIN), warn=lambda _m: None)
    for i in range(19):
        everything.resolve(f"n{i}.example", "TXT")
    assert everything.sinkhole is None  # too few questions to tell
    everything.resolve("n19.example", "TXT")
    assert everything.sinkhole == "every one of 20 answers was NXDOMAIN"


def test_healthy_answers_are_no_sinkhole_and_statistics_walk_the_chain() -> None:
    resolver = resolver_from_options("offline", None, None)
    assert dns_statistics(resolver) is None
    zone = OfflineZone.from_dict({"example.com": {"TXT": ["v=spf1 -all"]}})
    from mailtrace.dns import CachingResolver

    chain = CachingResolver(HealthMonitor(zone, warn=lambda _m: None))
    for _ in range(3):
        chain.resolve("example.com", "TXT")
    chain.resolve("gone.example", "TXT")
    stats = dns_statistics(chain)
    assert stats is not None
    assert (stats.queries, stats.cache_hits, stats.failures, stats.sinkhole) == (2, 2, 0, None)
    assert stats.line() == "DNS: 2 queries sent, 2 cache hits, 0 failures, no sign of a sinkhole"


# -- a real dead server on the loopback ----------------------------------------------------------


@pytest.fixture
def dead_server() -> Iterator[tuple[int, list[bytes]]]:
    with silent_dns_server() as server:
        yield server


@pytest.mark.parametrize("jobs", [1, 3])
def test_dead_resolver_costs_a_few_queries_not_a_budget_per_message(
    dead_server: tuple[int, list[bytes]], tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: int
) -> None:
    port, received = dead_server
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(40):
        (folder / f"m{i:03d}.eml").write_bytes(dns_asking_message(i))
    out = io.StringIO()
    argv = ["analyze", "--format", "csv", "--dns", "live", "--nameserver", f"127.0.0.1:{port}"]
    code = main([*argv, "--dns-timeout", "0.2", "--jobs", str(jobs), str(folder)], stdout=out)
    err = capsys.readouterr().err
    assert code == 0
    assert out.getvalue().count("\r\n") == 41  # header + 40 rows: every message analysed
    assert err.count("did not answer") == 1
    # Three timeouts in a row end the asking; questions already in flight on other workers may add a few.
    assert 3 <= len(received) <= 3 + 2 * jobs
    summary = [line for line in err.splitlines() if line.startswith("mailtrace: DNS:")]
    assert len(summary) == 1 and f"{len(received)} queries sent" in summary[0]
    assert "resolver not answering" in summary[0]
    assert "temperror" in out.getvalue()  # the re-checks say "unverifiable now"
