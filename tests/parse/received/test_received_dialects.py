"""Each dialect module on short synthetic lines (and its own documented example line)."""

from __future__ import annotations

import pytest

from mailtrace.parse.received import parse_received_value
from mailtrace.parse.received.dialects import ALL, FAMILIES


def codes(hop: object) -> set[str]:
    return {d.code for d in hop.defects}  # type: ignore[attr-defined]


@pytest.mark.parametrize("dialect", FAMILIES, ids=lambda d: d.name)
def test_family_example_is_recognised(dialect: object) -> None:
    hop = parse_received_value(dialect.example)  # type: ignore[attr-defined]
    # amavisd-new hops are reported as "amavisd" by the Zimbra/amavisd module
    expected = "amavisd" if "amavisd" in dialect.example else dialect.name  # type: ignore[attr-defined]
    assert hop.software == expected
    assert hop.timestamp is not None
    assert "received.unparseable" not in codes(hop)


@pytest.mark.parametrize("dialect", ALL, ids=lambda d: d.name)
def test_every_dialect_documents_an_example(dialect: object) -> None:
    assert dialect.example  # type: ignore[attr-defined]


def test_postfix_tls_and_rdns() -> None:
    hop = parse_received_value(
        "from mail.example.net (mail.example.net [192.0.2.25]) (using TLSv1.3 with cipher "
        "TLS_AES_256_GCM_SHA384 (256/256 bits)) by mx.example.org (Postfix) with ESMTPS id 4ABC123 "
        "for <bob@example.org>; Wed, 15 May 2024 10:00:03 +0000 (UTC)"
    )
    assert (hop.from_.helo, hop.from_.rdns, hop.from_.ip) == ("mail.example.net", "mail.example.net", "192.0.2.25")
    assert hop.by.host == "mx.example.org"
    assert hop.with_ == "ESMTPS"
    assert hop.tls is not None and hop.tls.version == "TLSv1.3" and hop.tls.bits == 256
    assert hop.for_ == "bob@example.org"
    assert hop.kind == "smtp"
    assert hop.timestamp is not None and hop.timestamp.isoformat() == "2024-05-15T10:00:03+00:00"


def test_postfix_unknown_rdns_and_authenticated_sender() -> None:
    hop = parse_received_value(
        "from laptop (unknown [198.51.100.9]) (Authenticated sender: alice@example.org) "
        "by smtp.example.org (Postfix) with ESMTPSA id 1A2B; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert hop.from_.rdns is None
    assert hop.from_.helo == "laptop"
    assert hop.authenticated and hop.auth == "alice@example.org"
    assert hop.tls is not None


def test_postfix_userid_is_local() -> None:
    hop = parse_received_value(
        "by mail.example.org (Postfix, from userid 1000) id 4F00; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert hop.software == "postfix"
    assert hop.kind == "local"
    assert hop.from_.ip is None


def test_exim_helo_is_a_claim_not_the_address() -> None:
    hop = parse_received_value(
        "from [198.51.100.7] (helo=[192.168.1.50]) by smtp.example.com with esmtpsa (TLS1.3) tls "
        "TLS_AES_128_GCM_SHA256 (Exim 4.96) (envelope-from <carol@example.com>) id 1s6xyy-000DEF-1A "
        "for dave@example.org; Wed, 15 May 2024 10:00:01 +0000"
    )
    assert hop.from_.ip == "198.51.100.7"
    assert hop.from_.helo == "[192.168.1.50]"
    assert hop.software == "exim"
    assert hop.with_ == "ESMTPSA" and hop.authenticated
    assert hop.tls is not None and hop.tls.cipher == "TLS_AES_128_GCM_SHA256"
    assert hop.envelope_from == "carol@example.com"
    assert "received.helo_ip_mismatch" in codes(hop)


def test_exim_port_and_rdns() -> None:
    hop = parse_received_value(
        "from mail.example.com ([203.0.113.50]:41234 helo=smtp.example.com) by mx.example.org with esmtps "
        "(Exim 4.96) id 1s6xyz-000ABC-2D; Wed, 15 May 2024 10:00:03 +0000"
    )
    assert (hop.from_.rdns, hop.from_.helo, hop.from_.port) == ("mail.example.com", "smtp.example.com", 41234)


def test_exim_local_keeps_user_as_ident() -> None:
    hop = parse_received_value(
        "from carol by smtp.example.com with local (Exim 4.96) id 1s6; Wed, 15 May 2024 10:00:00 +0000"
    )
    assert hop.kind == "local" and hop.from_.ident == "carol" and hop.from_.helo is None


def test_sendmail_ident_and_forged() -> None:
    hop = parse_received_value(
        "from helo.example (IDENT:joe@host.example.net [192.0.2.3] (may be forged)) by mx.example.org "
        "(8.15.2/8.15.2) with ESMTP id x1; Mon, 3 Jun 2024 10:00:00 -0700"
    )
    assert (hop.from_.helo, hop.from_.rdns, hop.from_.ident, hop.from_.ip) == (
        "helo.example",
        "host.example.net",
        "joe",
        "192.0.2.3",
    )
    assert hop.software == "sendmail"
    assert "received.rdns_unverified" in codes(hop)


def test_qmail_helo_and_invoked_lines() -> None:
    hop = parse_received_value(
        "from unknown (HELO mail.example.net) (192.0.2.7) by mx.example.org with SMTP; 7 Jan 2003 12:01:04 -0000"
    )
    assert hop.software == "qmail"
    assert (hop.from_.rdns, hop.from_.helo, hop.from_.ip) == (None, "mail.example.net", "192.0.2.7")
    local = parse_received_value("(qmail 1234 invoked by uid 500); 7 Jan 2003 12:01:04 -0000")
    assert local.kind == "local" and "received.unparseable" not in codes(local)
    network = parse_received_value(
        "(qmail 20521 messnum 1 invoked from network[192.0.2.8/host.example]); 7 Jan 2003 12:01:04 -0000"
    )
    assert network.kind == "smtp" and network.from_.ip == "192.0.2.8" and network.from_.rdns == "host.example"


def test_exchange_helo_ipv6_and_via() -> None:
    hop = parse_received_value(
        "from AM6PR04MB1234.eurprd04.prod.outlook.com (2603:10a6:20b:f0::18) "
        "by DB9PR04MB5678.eurprd04.prod.outlook.com (2603:10a6:10:2c5::9) with Microsoft SMTP Server "
        "(version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7544.41 via Frontend Transport;"
        " Tue, 7 May 2024 01:39:47 +0000"
    )
    assert hop.software == "exchange"
    assert hop.from_.helo == "AM6PR04MB1234.eurprd04.prod.outlook.com" and hop.from_.rdns is None
    assert hop.from_.ip == "2603:10a6:20b:f0::18" and hop.by.ip == "2603:10a6:10:2c5::9"
    assert hop.with_ == "ESMTPS" and hop.tls is not None and hop.tls.version == "TLS1_2"
    assert hop.via == "Frontend Transport" and hop.id == "15.20.7544.41"


def test_exchange_mapi_is_internal_and_zone_dropped() -> None:
    hop = parse_received_value(
        "from PH0PR10MB4759.namprd10.prod.outlook.com ([fe80::5c74:6a24:843e:e8f7]) "
        "by PH0PR10MB4759.namprd10.prod.outlook.com ([fe80::5c74:6a24:843e:e8f7%4]) with mapi id 15.20.7544.041;"
        " Tue, 7 May 2024 01:39:47 +0000"
    )
    assert hop.kind == "internal" and hop.with_ == "MAPI"
    assert hop.by.ip == "fe80::5c74:6a24:843e:e8f7"


def test_gmail_internal_hop_without_from() -> None:
    hop = parse_received_value(
        "by 2002:a05:6000:1a8f:b0:21f:f0a1:1234 with SMTP id x12csp1; Wed, 23 Nov 2022 04:21:54 -0800 (PST)"
    )
    assert hop.software == "gmail" and hop.kind == "internal"
    assert "received.no_by" not in codes(hop) and hop.from_.ip is None


def test_gmail_mx_transport_security() -> None:
    hop = parse_received_value(
        "from mail-wr1-f54.google.com (mail-wr1-f54.google.com. [209.85.221.54]) by mx.google.com with ESMTPS "
        "id ffacd0b85a97d for <bob@example.org> (Google Transport Security); Thu, 20 Nov 2025 07:02:53 -0800 (PST)"
    )
    assert hop.from_.rdns == "mail-wr1-f54.google.com"
    assert hop.tls is not None and ("transport", "Google Transport Security") in hop.tls.details


def test_gmail_ipv6_question_marks() -> None:
    hop = parse_received_value(
        "from [?IPv6:2001:db8::5?] ([2001:db8::5]) by smtp.gmail.com with ESMTPSA id a1; Mon, 3 Jun 2024 10:00:00 -0700"
    )
    assert hop.from_.ip == "2001:db8::5"


def test_sendgrid_date_without_semicolon() -> None:
    hop = parse_received_value(
        "by filter0225p1mdw1.sendgrid.net with SMTP id filter0225p1mdw1-13879-5AE1D5A8-2 "
        "2018-04-26 13:39:20.563478155 +0000 UTC m=+1210283.823745690"
    )
    assert hop.software == "sendgrid"
    assert hop.id == "filter0225p1mdw1-13879-5AE1D5A8-2"
    assert hop.timestamp is not None and hop.timestamp.isoformat().startswith("2018-04-26T13:39:20.563478")


def test_mapped_ipv4_and_courier_auth() -> None:
    hop = parse_received_value(
        "from laptop (host.example.net [::ffff:192.0.2.7]) (AUTH: LOGIN alice) by mail.example.org with ESMTPA; "
        "Mon, 03 Jun 2024 10:00:00 +0000"
    )
    assert hop.from_.ip == "192.0.2.7" and hop.authenticated and hop.auth == "LOGIN alice"


def test_fetchmail_is_fetch() -> None:
    hop = parse_received_value(
        "from jalapeno [127.0.0.1] by localhost with IMAP (fetchmail-5.9.0) for jm@localhost (single-drop); "
        "Wed, 28 Aug 2002 17:56:47 +0100 (IST)"
    )
    assert hop.kind == "fetch" and hop.software == "fetchmail" and hop.from_.ip == "127.0.0.1"


def test_webmail_http() -> None:
    hop = parse_received_value(
        "from 192.0.2.8 (SquirrelMail authenticated user alice) by webmail.example.org with HTTP;"
        " Mon, 3 Jun 2024 10:00:00 -0000"
    )
    assert hop.kind == "http" and hop.from_.ip == "192.0.2.8" and hop.authenticated and hop.auth == "alice"


def test_lmtp_and_qmqp_kinds() -> None:
    lmtp = parse_received_value(
        "from mx.example.org by imap.example.org (Dovecot) with LMTPA id x; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert lmtp.kind == "lmtp" and lmtp.authenticated
    qmqp = parse_received_value(
        "from localhost (localhost [127.0.0.1]) by x.example (Postfix) with QMQP id 1; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert qmqp.kind == "internal"


def test_with_keyword_normalised() -> None:
    hop = parse_received_value("from a (a [192.0.2.1]) by b with utf8smtpsa id 1; Mon, 3 Jun 2024 10:00:00 +0000")
    assert hop.with_ == "UTF8SMTPSA" and hop.authenticated and hop.tls is not None


def test_unknown_dialect_still_gives_fields() -> None:
    hop = parse_received_value(
        "from relay.example (relay.example [192.0.2.44]) by mx.example with SMTP id Q1; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert hop.software is None
    assert (hop.from_.ip, hop.by.host, hop.id) == ("192.0.2.44", "mx.example", "Q1")


def test_date_missing_and_no_by_defects() -> None:
    hop = parse_received_value("from relay.example (relay.example [192.0.2.44])")
    assert {"received.date_missing", "received.no_by"} <= codes(hop)
    assert "received.unparseable" in codes(parse_received_value("apparently"))


def test_exim_tls_forms() -> None:
    log_form = parse_received_value(
        "from a ([192.0.2.1] helo=b) by c with esmtps X=TLS1.3:ECDHE_RSA_AES_256_GCM_SHA384:256 (Exim 4.9) "
        "id 1s6xyz-000ABC-2D; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert log_form.tls is not None and (log_form.tls.version, log_form.tls.bits) == ("TLS1.3", 256)
    old_form = parse_received_value(
        "from a ([192.0.2.1] helo=b) by c with esmtps (TLS1.2:ECDHE_RSA_AES_256_GCM_SHA384:256) (Exim 4.9) "
        "id 1s6xyz-000ABC-2D; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert old_form.tls is not None and old_form.tls.cipher == "ECDHE_RSA_AES_256_GCM_SHA384"


def test_authenticated_user_and_sendmail_bits() -> None:
    user = parse_received_value(
        "from a (a [192.0.2.1]) (authenticated-user alice) by c with ESMTP; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert user.authenticated and user.auth == "alice"
    bits = parse_received_value(
        "from a (a [192.0.2.1]) (authenticated bits=0) by c (8.15.2/8.15.2) with ESMTP id x;"
        " Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert bits.authenticated and bits.software == "sendmail"


def test_ipv6_zone_and_prefix_removed() -> None:
    hop = parse_received_value(
        "from x (x [IPv6:2001:db8::1%eth0]) by y with ESMTP id 1; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert hop.from_.ip == "2001:db8::1"


def test_unknown_rdns_is_null_and_port_kept() -> None:
    hop = parse_received_value(
        "from h (unknown [198.51.100.4]:2525) by y (Postfix) with ESMTP id 1; Mon, 3 Jun 2024 10:00:00 +0000"
    )
    assert hop.from_.rdns is None and hop.from_.port == 2525 and hop.from_.helo == "h"
