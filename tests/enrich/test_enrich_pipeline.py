"""Enrichment inside analyze(): off by default, through the policy's resolver and budget, recorded and replayed."""

from __future__ import annotations

import io
import json
from pathlib import Path

from mailtrace import analyze
from mailtrace.dns import OfflineZone, RecordingResolver, ReplayResolver
from mailtrace.enrich import Enrichment
from mailtrace.limits import Limits
from mailtrace.policy import Policy

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"
RAW = (EXAMPLES / "plain.eml").read_bytes()
ENRICH_ZONE = {
    "10.100.51.198.in-addr.arpa": {"PTR": ["mail.sender.example"]},
    "mail.sender.example": {"A": ["198.51.100.10"]},
    "10.100.51.198.origin.asn.cymru.com": {"TXT": ["64500 | 198.51.100.0/24 | NL | ripencc | 2010-05-05"]},
    "as64500.asn.cymru.com": {"TXT": ["64500 | NL | ripencc | 2010-05-05 | SENDER-AS Sender Hosting, NL"]},
    "10.100.51.198.abuse-contacts.abusix.zone": {"TXT": ["abuse@sender-hosting.example"]},
    "10.100.51.198.bl.example": {"A": ["127.0.0.3"]},
}


def zone() -> OfflineZone:
    data = json.loads((EXAMPLES / "plain.zone.json").read_text())
    data.update(ENRICH_ZONE)
    return OfflineZone.from_dict(data)


def test_off_by_default_no_key_and_no_question() -> None:
    asked: list[str] = []
    inner = zone()

    class Spy:
        def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> object:
            asked.append(name)
            return inner.resolve(name, rtype, timeout=timeout)

    report = analyze(RAW, policy=Policy(resolver=Spy()))  # type: ignore[arg-type]
    doc = report.to_dict()
    assert "enrichment" not in doc and "indicators" not in doc
    assert not any("cymru" in n or "abusix" in n or n.endswith(".arpa") for n in asked)


def test_every_fact_with_its_method_and_evidence() -> None:
    policy = Policy(resolver=zone(), enrichment=Enrichment(dnsbl_zones=("bl.example",)))
    doc = analyze(RAW, policy=policy).to_dict()["enrichment"]
    (host,) = doc["hosts"]
    assert (host["ip"], host["role"]) == ("198.51.100.10", "border")
    facts = {f["kind"]: f for f in host["facts"]}
    assert facts["fcrdns"]["status"] == "confirmed" and facts["fcrdns"]["name"] == "mail.sender.example"
    assert facts["origin"]["asn"] == 64500 and facts["origin"]["prefix"] == "198.51.100.0/24"
    assert facts["origin"]["method"] == "txt:origin.asn.cymru.com"
    assert facts["origin"]["evidence"][0]["name"] == "10.100.51.198.origin.asn.cymru.com"
    assert facts["as_name"]["name"] == "SENDER-AS Sender Hosting, NL"
    assert facts["abuse_contact"]["contacts"] == ["abuse@sender-hosting.example"]
    assert facts["dnsbl"]["status"] == "listed" and facts["dnsbl"]["codes"] == ["127.0.0.3"]
    assert doc["abuse_contacts"] == [
        {"address": "abuse@sender-hosting.example", "scope": "network", "source": "txt:abuse-contacts.abusix.zone"}
    ]
    assert (
        doc["dns"]["checked"] is True and doc["dns"]["lookups"] == 7
    )  # PTR, A, origin, AS name, abuse, DNSBL A and TXT


def test_without_a_resolver_nothing_is_asked_and_the_stamps_are_still_read() -> None:
    doc = analyze(RAW, policy=Policy(enrichment=Enrichment())).to_dict()["enrichment"]
    assert doc["dns"] == {"checked": False, "lookups": 0, "refused": 0}
    assert doc["hosts"] == [{"ip": "198.51.100.10", "role": "border", "received_index": 1, "facts": []}]


def test_enrichment_counts_against_the_dns_budget() -> None:
    full = analyze(RAW, policy=Policy(resolver=zone())).to_dict()["verification"]["dns"]["lookups"]
    limits = Limits(max_dns_lookups=full + 2)
    report = analyze(RAW, policy=Policy(resolver=zone(), enrichment=Enrichment(), limits=limits))
    doc = report.to_dict()["enrichment"]
    assert doc["dns"]["lookups"] == 2 and doc["dns"]["refused"] > 0
    facts = {f["kind"]: f for f in doc["hosts"][0]["facts"]}
    assert facts["origin"]["status"] == "unknown"
    assert "budget" in facts["origin"]["reason"]
    assert [d["code"] for d in doc["defects"]] == ["dns.budget_exhausted"]


def test_record_then_replay_gives_byte_identical_json() -> None:
    sink = io.StringIO()
    enrichment = Enrichment(dnsbl_zones=("bl.example",), all_clients=True)
    recorded = analyze(RAW, policy=Policy(resolver=RecordingResolver(zone(), sink), enrichment=enrichment))
    replay = ReplayResolver.from_lines(sink.getvalue().splitlines(), strict=True)
    replayed = analyze(RAW, policy=Policy(resolver=replay, enrichment=enrichment))
    first, second = recorded.to_dict(), replayed.to_dict()
    assert json.dumps(first["enrichment"]).encode() == json.dumps(second["enrichment"]).encode()
    assert "sender-hosting" in json.dumps(second["enrichment"])
    # the rest of the report too, but for the line that names the resolver ("recorded" / "replayed")
    first["verification"]["dns"].pop("resolver", None)
    second["verification"]["dns"].pop("resolver", None)
    assert json.dumps(first, indent=2) == json.dumps(second, indent=2)
