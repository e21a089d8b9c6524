"""The border on modern mail (issue 13): provider internals, tenants, trust settings that match nothing,
submission networks, the real recipient.

The Microsoft 365 lines follow the shapes of the phishing-pot-dev messages (sample-1152, sample-1373),
with documentation addresses (RFC 5737, RFC 3849) for the clients.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import mailtrace
from mailtrace.errors import ConfigurationError
from mailtrace.policy import Policy
from mailtrace.trace.model import BorderMethod
from mailtrace.trace.tenants import sender_tenant
from mailtrace.verdict import VerdictResult
from tests.trace._mail import BORDER, DATE, DELIVERED, LMTP, MSGID, ORIGINATOR, RETURN_PATH, SUBJECT, SUBMISSION, run

_SMTP = "Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384)"
M365 = (
    "Received: from MN0PR19MB5681.namprd19.prod.outlook.com (::1) by\n MN0PR19MB6312.namprd19.prod.outlook.com "
    "with HTTPS; Tue, 4 Mar 2025 09:15:14 +0000",
    "Received: from DB9PR01CA0011.eurprd01.prod.exchangelabs.com\n (2001:db8:10:1d8::16) by "
    f"MN0PR19MB5681.namprd19.prod.outlook.com\n (2001:db8:5:22b::21) with {_SMTP} id 15.20.6699.24; "
    "Tue, 4 Mar 2025 09:15:13 +0000",
    "Received: from HE1EUR04FT015.eop-eur04.prod.protection.outlook.com\n (2001:db8:10:1d8:cafe::96) by "
    f"DB9PR01CA0011.outlook.office365.com\n (2001:db8:10:1d8::16) with {_SMTP} id 15.20.6699.20 via Frontend\n "
    "Transport; Tue, 4 Mar 2025 09:15:12 +0000",
)
FRONT_DOOR = (
    "Received: from mail.sender.example (198.51.100.10) by\n HE1EUR04FT015.mail.protection.outlook.com "
    "(10.152.26.74) with Microsoft SMTP\n Server id 15.20.5791.20 via Frontend Transport; "
    "Tue, 4 Mar 2025 09:15:11 +0000"
)
#: Tenant A's outbound host hands the message to tenant B's front door (scenario 23).
TENANT_A = (
    "Received: from NAM04-BN8-obe.outbound.protection.outlook.com (203.0.113.201) by\n "
    f"HE1EUR04FT015.mail.protection.outlook.com (10.152.26.74) with {_SMTP} id 15.20.6838.14 via Frontend "
    "Transport; Tue, 4 Mar 2025 09:15:11 +0000",
    "Received: from BN0PR07MB8911.namprd07.prod.outlook.com (2001:db8:408:16e::11) by\n "
    f"SA0PR07MB7529.namprd07.prod.outlook.com (2001:db8:806:bc::11) with {_SMTP} id 15.20.6838.28; "
    "Tue, 4 Mar 2025 09:15:09 +0000",
    "Received: from BN0PR07MB8911.namprd07.prod.outlook.com\n ([fe80::b0b7:675d:bce2:817]) by "
    "BN0PR07MB8911.namprd07.prod.outlook.com\n ([fe80::b0b7:675d:bce2:817%5]) with mapi id 15.20.6838.029; "
    "Tue, 4 Mar 2025 09:15:08 +0000",
)
TENANT_ID = "X-MS-Exchange-CrossTenant-Id: 84df9e7f-e9f6-40af-b435-0123456789ab"


def test_hops_inside_microsoft_365_are_never_a_crossing() -> None:
    # scenario 21: *.exchangelabs.com -> *.prod.outlook.com over IPv6 is the recipient's provider, one crossing
    report = run(*M365, FRONT_DOOR, *ORIGINATOR)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.method) == (3, "198.51.100.10", BorderMethod.ORGANISATION)
    assert len(report.path.borders) == 1
    assert report.verdict.result is not VerdictResult.FORWARDED


def test_one_tenant_relaying_into_another_crosses_at_the_front_door() -> None:
    # scenario 23, without Microsoft's stamp: the outbound host of tenant A is another organisation
    report = run(TENANT_ID, *M365, *TENANT_A, "DKIM-Signature: v=1; a=rsa-sha256; d=contoso.onmicrosoft.com; s=s1;"
                 " h=from; bh=x; b=y", *ORIGINATOR)  # fmt: skip
    border = report.path.border
    assert border is not None and (border.index, border.ip) == (3, "203.0.113.201")
    assert len(report.path.borders) == 1  # tenant A's own hops below are the author's side, no forward
    assert report.verdict.result is not VerdictResult.FORWARDED
    tenant = border.tenant
    assert tenant is not None and tenant.provider == "microsoft"
    assert tenant.id == "84df9e7f-e9f6-40af-b435-0123456789ab" and tenant.domain == "recipient.example"
    sender = sender_tenant(report.message, report.path.hops, border, ["contoso.onmicrosoft.com"])
    assert sender is not None and sender.domain == "contoso.onmicrosoft.com"
    assert report.path.to_dict()["border"]["tenant"]["provider"] == "microsoft"


def test_a_relay_named_webmail_is_no_web_submission() -> None:
    line = FRONT_DOOR.replace("mail.sender.example", "webmail.sender.example")
    report = run(*M365, line, *ORIGINATOR)
    assert report.received[3].kind == "smtp"
    assert report.path.border is not None and report.path.border.ip == "198.51.100.10"


@pytest.mark.parametrize(
    ("policy", "setting"),
    [
        (Policy(internal_domains=("example.org",)), "internal_domains (example.org)"),
        (Policy(trusted_networks=("192.0.2.0/24",)), "trusted_networks (192.0.2.0/24)"),
        (Policy(trusted_authserv_ids=("mx.example.org",)), "trusted_authserv_ids (mx.example.org)"),
    ],
)
def test_a_setting_that_matches_nothing_is_a_defect_and_leaves_the_border(policy: Policy, setting: str) -> None:
    for fields in ((*M365, FRONT_DOOR, *ORIGINATOR), (RETURN_PATH, DELIVERED, LMTP, BORDER, SUBMISSION, *ORIGINATOR)):
        plain = run(*fields).path.border
        report = run(*fields, policy=policy)
        border = report.path.border
        assert plain is not None and border is not None
        assert (border.index, border.ip, border.method) == (plain.index, plain.ip, plain.method)
        found = [d for d in report.path.defects if d.code == "policy.unmatched"]
        assert len(found) == 1 and found[0].message.startswith(setting)
        assert found[0] in report.defects  # a defect of the message, shown with the others


def test_trusted_network_shown_below_the_provider_keeps_provider_hops_inside() -> None:
    # the organisation's own gateway 192.0.2.25 relays into Microsoft 365; the client before it is the border
    gateway = FRONT_DOOR.replace("mail.sender.example (198.51.100.10)", "gw.recipient.example (192.0.2.25)")
    into_gateway = BORDER.replace("mx.recipient.example", "gw.recipient.example")
    report = run(*M365, gateway, into_gateway, *ORIGINATOR, policy=Policy(trusted_networks=("192.0.2.0/24",)))
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.method) == (4, "198.51.100.10", BorderMethod.TRUSTED_NETWORKS)
    assert not [d for d in report.path.defects if d.code == "policy.unmatched"]


def test_trust_nothing_is_said_explicitly() -> None:
    report = run(*M365, FRONT_DOOR, *ORIGINATOR, policy=Policy(trust_nothing=True))
    border = report.path.border
    assert border is not None and border.index == 1 and border.method is BorderMethod.TRUSTED_NETWORKS
    assert "trust_nothing" in border.evidence[0].text
    assert (
        run(*M365, FRONT_DOOR, *ORIGINATOR, policy=Policy(trusted_networks=())).path.border
        == run(*M365, FRONT_DOOR, *ORIGINATOR).path.border
    )  # an empty list is no setting at all
    with pytest.raises(ConfigurationError, match="trust_nothing"):
        Policy(trust_nothing=True, trusted_networks=("192.0.2.0/24",))


@pytest.mark.parametrize(
    ("changes", "value"),
    [
        ({"internal_domains": ("exa mple.org",)}, "exa mple.org"),
        ({"trusted_networks": ("192.0.2.0/33",)}, "192.0.2.0/33"),
        ({"submission_networks": ("not-a-net",)}, "not-a-net"),
    ],
)
def test_a_malformed_setting_is_a_configuration_error_naming_it(
    changes: dict[str, tuple[str, ...]], value: str
) -> None:
    with pytest.raises(ConfigurationError, match=value.replace(".", r"\.")):
        Policy(**changes)  # type: ignore[arg-type]


SUBMIT_HOME = (
    "Received: from laptop (dsl-7.isp.example [203.0.113.77])\n\tby smtp.recipient.example (Postfix) with ESMTP "
    "id 4Yx0Q1\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:02 +0100"
)
MSA_TO_MX = (
    "Received: from smtp.recipient.example (smtp.recipient.example [192.0.2.25])\n\tby mx.recipient.example "
    "(Postfix) with ESMTP id 4Yx0Q2\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:03 +0100"
)


def test_submission_networks_make_the_hop_into_them_a_submission() -> None:
    author = ("From: Alice <alice@recipient.example>", "To: bob@recipient.example", SUBJECT, DATE, MSGID)
    fields = (DELIVERED, LMTP, MSA_TO_MX, SUBMIT_HOME, *author)
    plain = run(*fields)
    assert plain.path.border is not None and plain.path.border.ip == "203.0.113.77"
    report = run(*fields, policy=Policy(submission_networks=("192.0.2.16/28",)))
    assert report.path.border is None and report.path.internal


BCC = ("From: Juan <juan@sender.example>", "To: Juan <juan@sender.example>", SUBJECT, DATE, MSGID)
HELO_RECIPIENT = (
    "Received: from mail.sender.example (bot.isp.example [198.51.100.66])\n\tby mx.recipient.example (Postfix) "
    "with ESMTP id 4Yx1B2; Tue, 4 Mar 2025 10:15:10 +0100"
)


def test_bcc_phishing_reads_no_recipient_from_the_senders_own_to() -> None:
    # scenario 28: To: is the sender's own address; HELO mail.sender.example is no claim of the recipient's domain
    report = run(LMTP.replace("\n\tfor <bob@recipient.example>", ""), HELO_RECIPIENT, *BCC)
    recipient = report.path.recipient
    assert recipient.domain is None and recipient.note is not None and "sender's own address" in recipient.note
    assert "trace.helo_recipient_domain" not in {f.code for f in report.findings}
    assert report.path.to_dict()["recipient"]["domain"] is None


def test_the_delivery_evidence_names_the_recipient() -> None:
    report = run(DELIVERED, LMTP, HELO_RECIPIENT, *BCC)
    assert (report.path.recipient.domain, report.path.recipient.source) == ("recipient.example", "delivered_to")
    undisclosed = run(LMTP, HELO_RECIPIENT, BCC[0], "To: undisclosed-recipients:;", *BCC[2:])
    assert (undisclosed.path.recipient.domain, undisclosed.path.recipient.source) == ("recipient.example", "for")


def test_a_for_clause_below_the_border_is_the_senders_and_names_no_recipient() -> None:
    below = SUBMISSION.replace("bob@recipient.example", "list@other.example")
    report = run(LMTP.replace("\n\tfor <bob@recipient.example>", ""), HELO_RECIPIENT, below, *BCC)
    assert report.path.recipient.domain is None


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "ip"),
    [
        ("sample-1152.eml", "80.96.157.110"),  # exchangelabs -> prod.outlook.com over IPv6: internal (scenario 21)
        ("sample-1373.eml", "40.107.215.117"),  # tenant to tenant: the outbound host is the client (scenario 23)
        ("sample-884.eml", "189.50.144.104"),  # a relay named webmail.* crossing into the front door
    ],
)
def test_corpus_border_is_the_client_microsoft_stamped(corpus: Path, name: str, ip: str) -> None:
    path = corpus / "phishing-pot-dev" / name
    if not path.exists():
        pytest.skip(f"{name} absent")
    report = mailtrace.analyze(path)
    assert report.path.border is not None and report.path.border.ip == ip
    assert report.verdict.result is not VerdictResult.FORWARDED


@pytest.mark.corpus
def test_corpus_bcc_phishing_has_no_recipient_claims(corpus: Path) -> None:
    # From: and To: are both juanjose.torres@salud.madrid.org; the relays below the border are the sender's
    path = corpus / "phishing-pot-dev" / "sample-5854.eml"
    if not path.exists():
        pytest.skip("sample-5854.eml absent")
    report = mailtrace.analyze(path)
    assert report.path.recipient.domain is None
    assert not {"trace.claims_recipient_relay", "trace.helo_recipient_domain"} & {f.code for f in report.findings}


AOL_OUT = (
    "Received: from Grlygrl201@aol.com\n\tby imo-d08.mx.aol.com (mail_out_v32.21.) id b.13.eda34f4 (5710); "
    "Thu, 25 Jul 2002 00:04:42 -0400 (EDT)"
)
AOL_WEBMAIL = (
    "Received: from aol.com (mow-m22.webmail.aol.com [64.12.180.138])\n\tby air-id04.mx.aol.com (v86_r1.16) "
    "with ESMTP id MAILINID43-0725000442; Thu, 25 Jul 2002 00:04:42 -0400"
)


def test_a_relay_named_webmail_handing_over_by_smtp_links_to_the_account_line() -> None:
    # SpamAssassin easy-ham-2/00882: AOL's webmail front end hands the message to its MX by SMTP, and AOL's
    # outbound line names the sending account (user@aol.com): the same organisation, no broken link
    report = run(BORDER.replace("mail.sender.example", "imo-d08.mx.aol.com"), AOL_OUT, AOL_WEBMAIL, *ORIGINATOR)
    assert report.received[2].kind == "smtp"
    hop = report.path.hop(1)
    assert hop is not None and hop.link.value == "same_organisation"
    assert "trace.link_broken" not in {f.code for f in report.findings}


def test_a_resent_copy_went_to_resent_to_not_to() -> None:
    # SpamAssassin t-data nice/mime4: To: is the original's recipient, Resent-To: this copy's
    resent = ("Resent-From: Nat <nsb@sender.example>", "Resent-To: Mark <mrc@recipient.example>",
              "Resent-Date: Tue, 4 Mar 2025 10:14:55 +0100")  # fmt: skip
    fields = (*resent, "From: Stephen <sau@origin.example>", "To: nsb@origin.example", SUBJECT, DATE, MSGID)
    report = run(LMTP.replace("\n\tfor <bob@recipient.example>", ""), HELO_RECIPIENT, *fields)
    assert (report.path.recipient.domain, report.path.recipient.source) == ("recipient.example", "resent_to")


INTO_TENANT_A = (
    "Received: from SG2PR01CA0178.apcprd01.prod.exchangelabs.com (2001:db8:4:28::34) by\n "
    f"SI2PR01MB4546.apcprd01.prod.exchangelabs.com (2001:db8:4:28::35) with {_SMTP} id 15.20.6838.28; "
    "Tue, 4 Mar 2025 09:15:09 +0000",
    "Received: from SG1PEPF000082E6.apcprd02.prod.outlook.com (2001:db8:4:28:cafe::70) by\n "
    f"SG2PR01CA0178.outlook.office365.com (2001:db8:4:28::34) with {_SMTP} id 15.20.6838.27 via Frontend "
    "Transport; Tue, 4 Mar 2025 09:15:08 +0000",
    "Received: from osc19654326.onmicrosoft.com (203.0.113.222) by\n SG1PEPF000082E6.mail.protection.outlook.com "
    "(10.167.240.9) with Microsoft SMTP Server id 15.20.6838.14 via Frontend Transport; "
    "Tue, 4 Mar 2025 09:15:07 +0000",
)
#: tenant A's own receiver stamped the VPS (phishing-pot-dev sample-6349 keeps it below the crossing line)
STAMP_A = (
    "Received-SPF: None (protection.outlook.com: example.com does not designate\n permitted sender hosts) "
    "client-ip=203.0.113.222; helo=osc19654326.onmicrosoft.com;"
)


def test_a_vps_injecting_into_a_tenant_is_the_authors_submission_not_a_crossing() -> None:
    # scenario 23: VPS -> tenant A's front door (stamped by tenant A) -> tenant A's outbound -> tenant B
    report = run(*M365, TENANT_A[0], *INTO_TENANT_A[:2], STAMP_A, INTO_TENANT_A[2], *ORIGINATOR)
    border = report.path.border
    assert border is not None and border.ip == "203.0.113.201"
    assert len(report.path.borders) == 1
    assert "Forwarder" not in report.path.notation
    # with an SRS envelope at another domain (a tenant forwarding the message on) the first crossing stays
    srs = "Return-Path: <SRS0=abcd=XY=sender.example=alice@forwarder.example>"
    forwarded = run(srs, *M365, TENANT_A[0], *INTO_TENANT_A[:2], STAMP_A, INTO_TENANT_A[2], *ORIGINATOR)
    assert len(forwarded.path.borders) == 2


def test_each_setting_that_matches_nothing_is_named_even_when_another_decides() -> None:
    gateway = FRONT_DOOR.replace("mail.sender.example (198.51.100.10)", "gw.recipient.example (192.0.2.25)")
    into_gateway = BORDER.replace("mx.recipient.example", "gw.recipient.example")
    policy = Policy(trusted_networks=("192.0.2.0/24",), internal_domains=("example.org",))
    report = run(*M365, gateway, into_gateway, *ORIGINATOR, policy=policy)
    assert report.path.border is not None and report.path.border.method is BorderMethod.TRUSTED_NETWORKS
    assert [d.message.split(" (")[0] for d in report.path.defects] == ["internal_domains"]
