"""Path reconstruction on real mail from the corpus (skipped when the corpus is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailtrace import analyze
from mailtrace.trace.model import BorderMethod

pytestmark = pytest.mark.corpus

LIST_DIRS = (
    "etnaviv.lists.freedesktop.org.0",
    "jailhouse-dev.googlegroups.com.0",
    "kexec.lists.infradead.org.0",
    "kgdb-bugreport.lists.sourceforge.net.0",
    "linux-aspeed.lists.ozlabs.org.0",
    "ntb.lists.linux.dev.0",
)


def _sample(corpus: Path, name: str, n: int) -> list[Path]:
    files = sorted((corpus / "lfdr-list-archives" / name).glob("*.eml"))
    return files[:: max(1, len(files) // n)][:n]


@pytest.mark.parametrize("name", LIST_DIRS)
def test_list_archive_mail_is_never_forged_and_shows_the_list(corpus: Path, name: str) -> None:
    files = _sample(corpus, name, 12)
    assert files
    mediated = 0
    for f in files:
        report = analyze(f)
        assert report.verdict is not None
        assert report.verdict.result.value != "forged", f.name
        if len(report.path.borders) >= 2 or report.verdict.result.value == "forwarded":
            mediated += 1
    assert mediated >= len(files) - 1


def test_ozlabs_list_message_has_two_crossings_and_the_list_as_forwarder(corpus: Path) -> None:
    files = sorted((corpus / "lfdr-list-archives" / "linux-aspeed.lists.ozlabs.org.0").glob("*.eml"))
    report = analyze(files[0])
    path = report.path
    assert [b.receiver for b in path.borders] == ["lists.ozlabs.org", "mail.lfdr.de"]
    assert path.borders[0].ip == "52.95.48.154"
    assert path.borders[0].method is BorderMethod.AUTHENTICATION_RESULTS
    assert path.border is not None and path.border.ip == "203.11.71.2"
    assert "Receiver/Forwarder ~~> / ~~> Receiver/MDA" in path.notation
    forwarder = next(a for a in path.actors if a.name == "ozlabs.org")
    assert [r.role.value for r in forwarder.roles] == ["Receiver", "Forwarder"]


def test_gmail_delivery_border_equals_the_stamped_client_ip(corpus: Path) -> None:
    report = analyze(corpus / "mimekit-testdata" / "dkim" / "gmail.msg")
    border = report.path.border
    assert border is not None
    assert border.ip == "2a00:1450:4010:c03::241"
    assert border.receiver == "mx.google.com"
    assert border.method in (BorderMethod.RECEIVED_SPF, BorderMethod.AUTHENTICATION_RESULTS)
    assert report.verdict is not None and report.verdict.result.value == "authentic"


def test_arc_instances_tie_to_the_sealing_hop(corpus: Path) -> None:
    files = sorted((corpus / "lfdr-list-archives" / "ntb.lists.linux.dev.0").glob("*.eml"))
    ties = []
    for f in files[:10]:
        ties.extend(analyze(f).path.arc)
    assert ties, "no ARC sets in the sample"
    tied = [t for t in ties if t.hop is not None]
    assert len(tied) >= len(ties) // 2
    assert all(t.domain for t in tied)
