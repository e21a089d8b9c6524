"""The provider table (issue 13): one operator's hosts under several registrable domains."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailtrace.trace import providers
from mailtrace.trace.hosts import same_org
from mailtrace.trace.providers import (
    PROVIDERS,
    is_entry,
    provider_of,
    same_provider,
    tenant_crossing,
    tenant_suffix_of,
)


@pytest.mark.parametrize(
    ("host", "name"),
    [
        ("DB9PR01CA0008.eurprd01.prod.exchangelabs.com", "microsoft"),  # phishing-pot-dev sample-3001
        ("DUZPR01CA0231.outlook.office365.com", "microsoft"),
        ("db5eur01ft099.mail.protection.outlook.com", "microsoft"),
        ("mail-yw1-f170.google.com", "google"),
        ("mailin8.protonmail.ch", "proton"),
        ("o1.ptr2625.sendgrid.net", "sendgrid"),
        ("mx0a-00082601.pphosted.com.", "proofpoint"),
        ("outlook.com", "microsoft"),
    ],
)
def test_provider_of_a_host_or_domain(host: str, name: str) -> None:
    found = provider_of(host)
    assert found is not None and found.name == name


@pytest.mark.parametrize(
    "name",
    [None, "", "203.0.113.9", "[2603:10a6:10:1d8::16]", "myoutlook.com", "evil-outlook.com.example", "onmicrosoft.com"],
)
def test_provider_of_needs_the_domain_or_a_subdomain(name: str | None) -> None:
    assert provider_of(name) is None


def test_a_tenant_name_is_the_customers_not_the_providers() -> None:
    # a VPS greeting as "Yaca13446.onmicrosoft.com" (phishing-pot-dev) is not a Microsoft host
    assert provider_of("Yaca13446.onmicrosoft.com") is None
    found = tenant_suffix_of("mail.Contoso.onmicrosoft.com")
    assert found is not None and found[0].name == "microsoft" and found[1] == "contoso.onmicrosoft.com"
    assert tenant_suffix_of("onmicrosoft.com") is None


def test_same_provider_and_same_org_go_through_the_table() -> None:
    assert same_provider("exchangelabs.com", "outlook.com")
    assert same_org("exchangelabs.com", "outlook.com")  # scenario 21: M365's own hops
    assert same_org("googlemail.com", "1e100.net")
    assert not same_provider("sendgrid.net", "mailgun.net")
    assert not same_org("outlook.com", "contoso.onmicrosoft.com")
    assert not same_provider(None, None)


def test_entry_hosts_are_the_tenant_front_doors() -> None:
    ms = provider_of("outlook.com")
    assert ms is not None
    assert is_entry(ms, "DB5EUR01FT099.mail.protection.outlook.com")
    assert not is_entry(ms, "NAM04-BN8-obe.outbound.protection.outlook.com")
    # tenant A's outbound host into tenant B's front door (phishing-pot-dev sample-1515) crosses ...
    assert tenant_crossing("DB5EUR01FT099.mail.protection.outlook.com", "NAM04-BN8-obe.outbound.protection.outlook.com")
    # ... a tenant's own mailbox server handing its outgoing mail to the front door does not (rspamd arcallow.eml)
    assert not tenant_crossing("vi1eur04ft008.mail.protection.outlook.com", "AM0PR09MB3876.eurprd09.prod.outlook.com")
    assert not tenant_crossing("mx.google.com", "NAM04-BN8-obe.outbound.protection.outlook.com")


def test_the_table_is_data_with_its_provenance() -> None:
    names = [p.name for p in PROVIDERS]
    assert len(names) == len(set(names))
    domains = [d for p in PROVIDERS for d in p.domains]
    assert len(domains) == len(set(domains)), "a domain belongs to one provider"
    for p in PROVIDERS:
        assert p.kind in {"mailbox", "esp", "gateway", "forwarding"} and p.seen and p.domains
        assert p.abuse is None or "@" in p.abuse
        assert all(d == d.lower() and "." in d for d in p.domains)


def _every_suffix(host: str) -> list[str]:
    labels = host.split(".")[-127:]
    return [".".join(labels[i:]) for i in range(len(labels))]


_TABLE_LABELS = sorted(
    {
        label
        for p in PROVIDERS
        for d in (*p.domains, *p.tenant_suffixes, *p.entry, *p.outbound)
        for label in d.split(".")
    }
)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(_TABLE_LABELS), st.from_regex(r"[a-z0-9-]{0,5}", fullmatch=True)),
        min_size=1,
        max_size=6,
    )
)
def test_suffix_walk_keeps_every_suffix_that_can_match(labels: list[str]) -> None:
    """The walk from the top-level domain drops only suffixes that name no domain of the table."""
    host = ".".join(labels)
    known = {*providers._BY_DOMAIN, *providers._TENANT_SUFFIX}
    assert providers._suffixes(host) == [s for s in _every_suffix(host) if s in providers._TAILS]
    assert [s for s in providers._suffixes(host) if s in known] == [s for s in _every_suffix(host) if s in known]
