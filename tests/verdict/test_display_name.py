"""Display-name deception (issue 14): invisible characters, homoglyphs, a brand beside an unrelated domain."""

from __future__ import annotations

import pytest

from mailtrace.parse.headers import extract_headers
from mailtrace.parse.message import parse_message
from mailtrace.verdict import display_name as dn
from mailtrace.verdict.display_name import display_name_findings, skeleton
from mailtrace.verdict.from_identity import from_identity


def findings(from_value: str, *, list_rewrite: bool = False) -> dict[str, str]:
    raw = f"From: {from_value}\r\nTo: a@recipient.example\r\n\r\nbody\r\n".encode()
    ident = from_identity(extract_headers(parse_message(raw)))
    return {f.code: f.message for f in display_name_findings(ident, list_rewrite=list_rewrite)}


def test_plain_names_raise_nothing() -> None:
    assert findings('"Alice Example" <alice@example.org>') == {}
    assert findings('"Jürgen Müller" <j@example.de>') == {}
    assert findings('"Иван Петров" <ivan@example.ru>') == {}  # one script, no brand
    assert findings('"KetoXplode Gummies Diet 🤸\u200d♂️🌟" <a@shop.example>') == {}  # emoji ZWJ sequence
    assert findings('"Paypal ❗️" <service@paypal.com>') == {}  # emoji presentation selector, brand's own domain


def test_mixed_script_word_names_the_code_points() -> None:
    # phishing-pot-dev sample-82: 'Мetаmаsk' (Cyrillic Em and a)
    got = findings('"\u041cet\u0430m\u0430sk" <support@wallet-help.example>')
    msg = got["header.display_name_homoglyph"]
    assert "U+041C CYRILLIC CAPITAL LETTER EM for 'M'" in msg
    assert "U+0430 CYRILLIC SMALL LETTER A for 'a'" in msg
    assert "it reads 'Metamask'" in msg
    assert "names MetaMask" in got["header.display_name_brand"]


def test_whole_word_in_another_script_spelling_a_brand() -> None:
    got = findings('"\u0420\u0430\u0443\u0420\u0430l" <x@attacker.example>')  # РауРаl: Cyrillic + Latin l
    assert "header.display_name_homoglyph" in got
    assert "PayPal" in got["header.display_name_brand"]


def test_styled_letters_spelling_a_brand() -> None:
    got = findings('"\U0001d40f\U0001d41a\U0001d432\U0001d40f\U0001d41a\U0001d425" <x@attacker.example>')  # 𝐏𝐚𝐲𝐏𝐚𝐥
    assert "spells PayPal in look-alikes" in got["header.display_name_homoglyph"]
    assert "header.display_name_brand" in got


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u034f", "U+034F COMBINING GRAPHEME JOINER"),  # sample-3550 'EVRi Notification'
        ("\U000e0139", "U+E0139 VARIATION SELECTOR-74"),  # sample-6058 'Microsoft Billing 365'
    ],
)
def test_invisible_characters_are_listed(char: str, shown: str) -> None:
    got = findings(f'"Ser{char}vice Desk" <desk@helpdesk.example>')
    msg = got["header.display_name_invisible"]
    assert shown in msg and "'Service Desk'" in msg


def test_brand_beside_unrelated_domain() -> None:
    # sample-1063: Microsoft account team ,_<no-reply@access-accsecurity.com>
    got = findings("Microsoft account team ,_<no-reply@access-security.example>")
    assert "names Microsoft, but the mail is from access-security.example" in got["header.display_name_brand"]


@pytest.mark.parametrize(
    "value",
    [
        '"Microsoft" <account-security-noreply@accountprotection.microsoft.com>',
        '"PayPal" <service@paypal-communication.com>',  # a label part starting with the brand key
        '"Apple" <no_reply@email.apple.com>',
        '"DHL Paket" <noreply@dhl.de>',
        '"Lockergnome Apple Core" <news@lockergnome.com>',  # SpamAssassin ham: "Apple" not presented as the brand
        '"Netflix" <info@mailer.netflix.com>',
    ],
)
def test_brand_at_its_own_domain_or_not_presented_as_brand(value: str) -> None:
    assert "header.display_name_brand" not in findings(value)


def test_tenant_of_the_brand_provider_is_not_the_brand() -> None:
    # sample-1757 and kin: *.onmicrosoft.com tenants are Microsoft's customers, not Microsoft
    got = findings('"Microsoft Billing" <x@tenant.onmicrosoft.com>')
    assert "header.display_name_brand" in got


def test_list_rewrite_suppresses_the_brand_check() -> None:
    assert findings('"Alice via Microsoft Users" <list@lists.example>', list_rewrite=True) == {}


def test_short_brand_keys_need_an_exact_label() -> None:
    # Apple's key "me" (me.com) must not make news.meteocity.com an Apple domain
    assert "header.display_name_brand" in findings('"iCloud" <eglantine@news.meteocity.com>')


def test_fallback_table_without_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    dn._package.cache_clear()
    monkeypatch.setattr(dn, "_package", lambda: None)
    assert skeleton("\u041cet\u0430m\u0430sk") == "Metamask"
    got = findings('"P\u0430yP\u0430l" <x@attacker.example>')
    assert "U+0430 CYRILLIC SMALL LETTER A for 'a'" in got["header.display_name_homoglyph"]


def test_package_is_used_when_installed() -> None:
    pytest.importorskip("confusable_homoglyphs")
    dn._package.cache_clear()
    assert dn.latin_lookalike("\u13a0") == "D"  # CHEROKEE LETTER A: not in the fallback table


def test_hostile_length_is_bounded() -> None:
    got = findings('"' + "\u0430a" * 5000 + '" <x@attacker.example>')
    msg = got["header.display_name_homoglyph"]
    assert len(msg) < 2000
