"""Dialects pinned on real lines from the corpus (referenced by path through the ``corpus`` fixture)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailtrace.model.received import Received
from mailtrace.parse.message import parse_message
from mailtrace.parse.received import parse_received

pytestmark = pytest.mark.corpus


def hop(corpus: Path, rel: str, marker: str) -> Received:
    """The first Received hop of corpus file ``rel`` whose text contains ``marker``."""
    message = parse_message((corpus / rel).read_bytes())
    for i, field in enumerate(message.get_all("Received")):
        parsed = parse_received(field, i)
        if marker in parsed.raw:
            return parsed
    raise AssertionError(f"{rel}: no Received line contains {marker!r}")


def test_exchange_online_hop(corpus: Path) -> None:
    h = hop(corpus, "mimekit-testdata/messages/bounce.txt", "Microsoft SMTP Server (version")
    assert h.software == "exchange" and h.kind == "smtp"
    assert h.from_.helo == "LO4P123CA0318.GBRP123.PROD.OUTLOOK.COM" and h.from_.rdns is None
    assert h.from_.ip == "2603:10a6:600:197::17" and h.by.ip == "2603:10a6:600:21c::9"
    assert h.tls is not None and h.tls.cipher == "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"


def test_exchange_https_submission(corpus: Path) -> None:
    h = hop(corpus, "mimekit-testdata/messages/bounce.txt", "with HTTPS")
    assert h.kind == "http" and h.with_ == "HTTPS"


def test_exchange_mapi(corpus: Path) -> None:
    h = hop(corpus, "mimekit-testdata/messages/issue358.txt", "with mapi id")
    assert h.software == "exchange" and h.kind == "internal" and h.id == "15.20.0218.015"


def test_gmail_internal_2002_hop(corpus: Path) -> None:
    h = hop(corpus, "rspamd-functional-messages/arcallow.eml", "by 2002:")
    assert h.software == "gmail" and h.kind == "internal" and h.id == "r196csp1333505lff"
    assert h.timestamp is not None and h.timestamp.isoformat() == "2020-09-25T10:19:08-07:00"


def test_gmail_mx_hop(corpus: Path) -> None:
    h = hop(corpus, "mailauth-fixtures/fixtures/arc-fail.eml", "Google Transport Security")
    assert (h.from_.rdns, h.from_.ip, h.by.host) == ("mail-sor-f41.google.com", "209.85.220.41", "mx.google.com")
    assert h.with_ == "SMTPS" and h.tls is not None and h.for_ == "andris.reinman@gmail.com"


def test_exim_esmtpa(corpus: Path) -> None:
    h = hop(corpus, "rspamd-functional-messages/received2.eml", "(Exim 4")
    assert h.software == "exim"
    assert (h.from_.rdns, h.from_.helo, h.from_.ip) == ("ca-18-193-131.service.infuturo.it", "User", "151.18.193.131")
    assert h.authenticated and h.envelope_from == "upwest201diana@outlook.com" and h.id == "1ZC1sl-0006b4-TU"


def test_postfix_authenticated_sender(corpus: Path) -> None:
    h = hop(corpus, "mail-parser-tests/mail_test_1", "Authenticated sender:")
    assert h.software == "postfix" and h.from_.rdns is None and h.from_.ip == "43.230.105.145"
    assert h.authenticated and h.auth == "jdazey@alexandersmith.com"


def test_postfix_from_userid(corpus: Path) -> None:
    rel = "dkim_verifier-testdata/original/Fastmail from Fastmail - Welcome! Get set up in 3 steps..eml"
    h = hop(corpus, rel, "from userid")
    assert h.software == "postfix" and h.kind == "local" and h.from_.ip is None


def test_qmail_invoked_from_network(corpus: Path) -> None:
    h = hop(corpus, "mimekit-testdata/messages/issue358.txt", "invoked from network")
    assert h.software == "qmail" and h.kind == "smtp"
    assert not any(d.code == "received.unparseable" for d in h.defects)


def test_fetchmail_imap(corpus: Path) -> None:
    h = hop(corpus, "spamassassin-t-data/spam/005", "fetchmail")
    assert h.kind == "fetch" and h.from_.ip == "212.17.35.15" and h.with_ == "IMAP"


def test_dovecot_lmtp(corpus: Path) -> None:
    h = hop(corpus, "rspamd-functional-messages/bad_message.eml", "with LMTP")
    assert h.kind == "lmtp" and h.by.host == "mx.mezon.local"


def test_amavisd(corpus: Path) -> None:
    h = hop(corpus, "rspamd-functional-messages/received7.eml", "amavisd-new")
    assert h.software == "amavisd" and h.from_.ip == "198.51.100.233"


def test_proofpoint_filter_hop(corpus: Path) -> None:
    h = hop(corpus, "mail-parser-tests/mail_test_10", "pps.filterd")
    assert h.software == "proofpoint" and h.kind == "internal" and h.from_.ip == "127.0.0.1"


def test_google_http_submission(corpus: Path) -> None:
    h = hop(corpus, "mimekit-testdata/dkim/related.msg", "with HTTP;")
    assert h.kind == "http" and h.by.ip == "10.36.73.24"


def test_communigate(corpus: Path) -> None:
    h = hop(corpus, "mikel-mail-fixtures/plain_emails/raw_email_incorrect_header.eml", "CommuniGate")
    assert h.software == "communigate" and h.id == "2532598"


def test_domino(corpus: Path) -> None:
    rel = "spamassassin-public-corpus/spam-1/00029.de865ad8d5ad0df985ae2f72388befba.txt"
    h = hop(corpus, rel, "Lotus Domino")
    assert h.software == "domino" and h.from_.ip == "172.191.119.34"


def test_mimecast(corpus: Path) -> None:
    h = hop(corpus, "lfdr-list-archives/linux-sparse.vger.kernel.org.0/01028-3ea21308405d.eml", "mimecast.com with")
    assert h.software == "mimecast" and h.from_.ip == "209.132.183.4"


def test_sendmail(corpus: Path) -> None:
    h = hop(corpus, "spamassassin-t-data/spam/007", "(8.11.6/8.11.6)")
    assert h.software == "sendmail"
    assert (h.from_.helo, h.from_.rdns, h.from_.ip) == ("mail.netnoteinc.com", "gw.netnoteinc.com", "193.120.149.226")


def test_exim_with_local(corpus: Path) -> None:
    h = hop(corpus, "spamassassin-t-data/nice/007", "with local")
    assert h.kind == "local" and h.from_.ident == "daf" and h.from_.helo is None


def test_postfix_qmqp(corpus: Path) -> None:
    h = hop(corpus, "spamassassin-t-data/nice/cjk/gb2312.2", "with QMQP")
    assert h.kind == "internal" and h.software == "postfix"


def test_every_corpus_line_parses_without_raising(corpus: Path) -> None:
    """The whole mailing-list archive sample: every hop has a by host or a defect saying why not."""
    folder = corpus / "lfdr-list-archives" / "kexec.lists.infradead.org.0"
    count = 0
    for path in sorted(folder.glob("*.eml"))[:60]:
        message = parse_message(path.read_bytes())
        for i, field in enumerate(message.get_all("Received")):
            h = parse_received(field, i)
            count += 1
            assert h.by.host is not None or h.defects or h.kind is not None
            assert h.timestamp is not None
    assert count > 100


def test_zmailer_vger(corpus: Path) -> None:
    h = hop(corpus, "lfdr-list-archives/linux-sparse.vger.kernel.org.0/00744-fb6bb690baf9.eml", "rhost-flags")
    assert h.software == "zmailer" and h.by.host == "vger.kernel.org"
    assert h.from_.ip is not None and h.from_.port is not None and h.from_.helo is not None


def test_proofpoint_pps(corpus: Path) -> None:
    h = hop(corpus, "lfdr-list-archives/ntb.lists.linux.dev.0/01255-a16b4682f50e.eml", "(PPS)")
    assert h.software == "proofpoint" and h.tls is not None and h.with_ == "ESMTPS"
