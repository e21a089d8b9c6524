"""The border: configuration first, then the receiver's stamps, then heuristics; every crossing listed."""

from __future__ import annotations

from mailtrace.policy import Policy
from mailtrace.trace.model import BorderMethod, Role
from tests.trace._mail import BORDER, DELIVERED, LMTP, ORIGINATOR, RETURN_PATH, STAMP_PASS, SUBMISSION, run

FILTER = (
    "Received: from filter.recipient-filter.example (filter.recipient-filter.example [192.0.2.40])\n\t"
    "by mail.recipient.example (Postfix) with ESMTP id 7Qa1\n\tfor <bob@recipient.example>; "
    "Tue, 4 Mar 2025 10:15:12 +0100"
)
INTO_FILTER = (
    "Received: from mail.sender.example (mail.sender.example [198.51.100.10])\n\t"
    "by filter.recipient-filter.example (Postfix) with ESMTPS id 7Qa0\n\tfor <bob@recipient.example>; "
    "Tue, 4 Mar 2025 10:15:10 +0100"
)


def test_heuristic_border_is_the_first_client_outside_the_receiving_organisation() -> None:
    report = run(RETURN_PATH, DELIVERED, LMTP, BORDER, SUBMISSION, *ORIGINATOR)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.receiver) == (1, "198.51.100.10", "mx.recipient.example")
    assert border.method is BorderMethod.ORGANISATION
    assert border.recipient
    assert report.path.borders == (border,)
    assert report.path.to_dict()["border"]["method"] == "organisation"


def test_receiver_stamp_decides_the_border_and_names_its_header() -> None:
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, SUBMISSION, *ORIGINATOR)
    border = report.path.border
    assert border is not None and border.index == 1
    assert border.method is BorderMethod.AUTHENTICATION_RESULTS
    assert border.evidence[0].header == "Authentication-Results"


def test_stamp_above_a_filtering_service_moves_the_border_below_it() -> None:
    stamp = (
        "Received-SPF: pass (filter: domain of alice@sender.example designates 198.51.100.10 as permitted "
        "sender) client-ip=198.51.100.10; envelope-from=alice@sender.example; receiver=mail.recipient.example"
    )
    report = run(RETURN_PATH, DELIVERED, LMTP, stamp, FILTER, INTO_FILTER, SUBMISSION, *ORIGINATOR)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.method) == (2, "198.51.100.10", BorderMethod.RECEIVED_SPF)
    without = run(RETURN_PATH, DELIVERED, LMTP, FILTER, INTO_FILTER, SUBMISSION, *ORIGINATOR).path.border
    assert without is not None and without.index == 1  # heuristics alone stop at the filter's hand-off


def test_trusted_networks_configuration_wins_over_heuristics() -> None:
    policy = Policy(trusted_networks=("192.0.2.0/24",))
    report = run(RETURN_PATH, DELIVERED, LMTP, FILTER, INTO_FILTER, SUBMISSION, *ORIGINATOR, policy=policy)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.method) == (2, "198.51.100.10", BorderMethod.TRUSTED_NETWORKS)


def test_internal_domains_configuration() -> None:
    policy = Policy(internal_domains=("recipient.example", "recipient-filter.example"))
    report = run(RETURN_PATH, DELIVERED, LMTP, FILTER, INTO_FILTER, SUBMISSION, *ORIGINATOR, policy=policy)
    border = report.path.border
    assert border is not None
    assert (border.index, border.method) == (2, BorderMethod.INTERNAL_DOMAINS)


def test_trusted_authserv_id_places_the_border_below_its_stamp() -> None:
    policy = Policy(trusted_authserv_ids=("mx.recipient.example",))
    report = run(RETURN_PATH, DELIVERED, LMTP, STAMP_PASS, BORDER, SUBMISSION, *ORIGINATOR, policy=policy)
    border = report.path.border
    assert border is not None
    assert (border.index, border.method) == (1, BorderMethod.TRUSTED_AUTHSERV_ID)


def test_private_and_loopback_clients_are_inside() -> None:
    content_filter = (
        "Received: from localhost (localhost [127.0.0.1])\n\tby mx.recipient.example (Postfix) with ESMTP id 9Zz\n\t"
        "for <bob@recipient.example>; Tue, 4 Mar 2025 10:15:12 +0100"
    )
    internal = (
        "Received: from mx.recipient.example (mx.recipient.example [10.0.0.5])\n\t"
        "by store.recipient.example (Postfix) with ESMTP id 9Zy\n\tfor <bob@recipient.example>; "
        "Tue, 4 Mar 2025 10:15:12 +0100"
    )
    report = run(RETURN_PATH, DELIVERED, internal, content_filter, BORDER, SUBMISSION, *ORIGINATOR)
    border = report.path.border
    assert border is not None and border.index == 2
    assert [h.trusted for h in report.path.hops] == [False, True, True, True]


def test_no_received_lines_give_no_border_and_a_note() -> None:
    report = run(*ORIGINATOR)
    assert report.path.border is None
    assert report.path.borders == ()
    assert report.path.notes


def test_broken_link_at_the_border_makes_the_lines_below_claims() -> None:
    fake = (
        "Received: from smtp1.bank.example (smtp1.bank.example [203.0.113.201])\n\tby mail2.bank.example (Postfix) "
        "with ESMTP id 4GGv\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:14:00 +0100"
    )
    bot = (
        "Received: from dsl.attacker.example (dsl.attacker.example [192.0.2.10])\n\tby mx.recipient.example "
        "(Postfix) with ESMTP id 4Nk\n\tfor <bob@recipient.example>; Tue, 4 Mar 2025 10:15:02 +0100"
    )
    report = run(RETURN_PATH, DELIVERED, LMTP, bot, fake, *ORIGINATOR)
    path = report.path
    assert path.border is not None and path.border.index == 1
    claims = [h.received_index for h in path.hops if h.claim]
    assert claims == [2]
    assert path.notation == "Author/Transmitter --> / --> Receiver/MDA ==> Recipient"
    assert Role.TRANSMITTER in path.actors[0].role_names


def test_mx_hosts_of_the_recipient_domain_place_the_border_when_a_resolver_is_given() -> None:
    from mailtrace.dns import OfflineZone

    zone = OfflineZone.from_dict({"recipient.example": {"MX": ["10 filter.recipient-filter.example."]}})
    policy = Policy(resolver=zone)
    report = run(RETURN_PATH, DELIVERED, LMTP, FILTER, INTO_FILTER, SUBMISSION, *ORIGINATOR, policy=policy)
    border = report.path.border
    assert border is not None
    assert (border.index, border.ip, border.method) == (2, "198.51.100.10", BorderMethod.MX_HOSTS)


def test_mx_lookup_failure_is_a_note_not_an_exception() -> None:
    from mailtrace.dns import OfflineZone

    policy = Policy(resolver=OfflineZone.from_dict({"recipient.example": "TIMEOUT"}))
    report = run(RETURN_PATH, DELIVERED, LMTP, BORDER, SUBMISSION, *ORIGINATOR, policy=policy)
    assert report.path.border is not None and report.path.border.method is BorderMethod.ORGANISATION
    assert any("MX" in n for n in report.path.notes)
