"""Brands that phishing names in ``From:`` display names, and the domains they really send from.

Data only (read by :mod:`mailtrace.verdict.display_name`). Each entry: the brand as printed, a
pattern matched (case-insensitively unless ``case=True``) against the display name reduced to
Latin letters (homoglyphs mapped, styled letters and combining marks removed), the keys that
the registrable label of a domain of the brand's own is (or its first ``-`` part: ``paypal``
covers ``paypal.de`` and ``paypal-communication.com``, while ``paypalsecure.com`` only borrows
the name), other domains it sends from, domains under its name that are its customers'
(``*.onmicrosoft.com``), and where the entry was seen.

"Seen" names phishing-pot-dev messages (``../shared/corpus/phishing-pot-dev``) whose display
name names the brand from an unrelated domain, with the count of such display names in that
corpus (measured by ``benchmarks/display_name.py``). A brand whose name is also a common word
is matched only where the display name *presents itself* as the brand (at its start, or
followed by a service word), so that "Lockergnome Apple Core" (SpamAssassin ham) does not
match Apple.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Brand:
    name: str
    pattern: re.Pattern[str]
    keys: tuple[str, ...]
    domains: tuple[str, ...] = ()
    seen: str = ""
    foreign: tuple[str, ...] = ()  #: domains under the brand's name that belong to its customers


def _b(
    name: str,
    pattern: str,
    keys: tuple[str, ...],
    domains: tuple[str, ...] = (),
    seen: str = "",
    *,
    case: bool = False,
    foreign: tuple[str, ...] = (),
) -> Brand:
    return Brand(name, re.compile(pattern, 0 if case else re.IGNORECASE), keys, domains, seen, foreign)


_SERVICE = r"(?:\s+(?:id|support|team|service|services|account|security|pay|store|news|wallet|live|alert|notice))"

BRANDS: tuple[Brand, ...] = (
    _b(
        "Microsoft",
        r"\bmicrosoft\b|\boffice\s*365\b|\bonedrive\b|\bsharepoint\b|\boutlook" + _SERVICE,
        ("microsoft", "office", "office365", "outlook", "live", "hotmail", "onedrive", "sharepoint", "msn"),
        ("microsoftonline.com", "sharepointonline.com"),
        "43 (sample-1063 'Microsoft account team ,_<no-reply@access-accsecurity.com>', "
        "sample-3236 'Outlook Support Team')",
        foreign=("onmicrosoft.com",),  # Microsoft 365 tenants: customers (sample-1757), not Microsoft
    ),
    _b("PayPal", r"\bpaypal\b", ("paypal",), (), "5 (sample-1638, sample-1907, sample-4115)"),
    _b("Venmo", r"\bvenmo\b", ("venmo",), (), "sample-408 'Venmo Support' (with 30 zero-width joiners)"),
    _b("Evri", r"^\W*evri\b", ("evri", "hermes"), (), "sample-3550 'EVRi Notification'"),
    _b(
        "Apple",
        r"^\W*apple\b|\bapple" + _SERVICE + r"|\bicloud\b|\bitunes\b",
        ("apple", "icloud", "me", "mac", "itunes"),
        (),
        "4 (sample-3682 'iCloud')",
    ),
    _b("Amazon", r"\bamazon\b", ("amazon", "amazonses", "amazonaws"), (), "10 (sample-1335 'Amazon Prime, jehd')"),
    _b("Netflix", r"\bnetflix\b|\bn\.e\.t\.f\.l\.i\.x\b", ("netflix",), (), "9 (sample-2865 'N.E.T.F.L.I.X')"),
    _b(
        "Facebook",
        r"\bfacebook\b|\bmeta\s+(?:support|business|security)\b|\binstagram\b|\bwhatsapp\b",
        ("facebook", "facebookmail", "meta", "instagram", "whatsapp"),
        (),
        "10 (sample-1666 'Facebook ,_<...>')",
    ),
    _b("Google", r"\bgoogle\b|\bgmail\b", ("google", "gmail", "googlemail", "youtube"), (), "1 (sample-1043)"),
    _b("DHL", r"\bdhl\b", ("dhl",), ("deutschepost.de",), "19 (sample-3500 'DHL Paket')"),
    _b("UPS", r"\bUPS\b", ("ups",), (), "5 (sample-2691 'UPS')", case=True),
    _b("FedEx", r"\bfedex\b", ("fedex",), (), "4 (sample-3711 'Fedex')"),
    _b("GLS", r"\bGLS\b", ("gls",), (), "3 (sample-1244 'GLS-Benachrichtigung')", case=True),
    _b("DocuSign", r"\bdocusign\b", ("docusign",), (), "3 (sample-5185 'DocuSign via files')"),
    _b("McAfee", r"\bmcafee\b", ("mcafee",), (), "22 (sample-5226 'Mcafee™')"),
    _b("Norton", r"^\W*norton\b|\bnorton\s*(?:360|lifelock|antivirus)\b", ("norton", "nortonlifelock", "gen"), ()),
    _b(
        "Ledger",
        r"^\W*ledger\b|\bledger\s+(?:live|wallet|news|support)\b",
        ("ledger",),
        (),
        "31 (sample-2446 'Ledger News')",
    ),
    _b("MetaMask", r"\bmetamask\b", ("metamask", "consensys"), (), "7 (sample-15 'MetaMask')"),
    _b("Coinbase", r"\bcoinbase\b", ("coinbase",), (), "1 (sample-1288)"),
    _b("Binance", r"\bbinance\b", ("binance",), ()),
    _b("Tether", r"\btether\.to\b|^\W*tether\b", ("tether",), (), "7 (sample-1059 'Tether.to')"),
    _b("Ripple", r"^\W*ripple\b", ("ripple",), (), "14 (sample-1507 'Ripple News')"),
    _b("Bradesco", r"\bbradesco\b", ("bradesco", "bradescoprime", "bradescard"), (), "49 (sample-1286)"),
    _b("Correios", r"\bcorreios\b", ("correios",), (), "37 (sample-2026 'Correios~')"),
    _b("Receita Federal", r"\breceita\s+federal\b", ("receita",), ("gov.br",), "12 (sample-5149)"),
    _b("Santander", r"\bsantander\b", ("santander",), (), "1 (sample-4675, from santander.com.br: not fired)"),
    _b("Nubank", r"\bnubank\b", ("nubank", "nu"), (), "1 (sample-3028)"),
    _b(
        "Mercado Livre",
        r"\bmercado\s*(?:livre|libre|pago)\b",
        ("mercadolivre", "mercadolibre", "mercadopago"),
        (),
        "6 (sample-1084 'Mercado Livre')",
    ),
    _b("Livelo", r"\blivelo\b", ("livelo",), (), "2 (sample-1192)"),
    _b("Costco", r"\bcostco\b", ("costco",), (), "8 (sample-1714 'Costco ,_<...>')"),
    _b("Temu", r"\btemu\b", ("temu",), (), "10 (sample-2000 'Temu, jehd')"),
    _b("Zalando", r"\bzalando\b", ("zalando",), (), "4 (sample-1790 'Zalando , <noreply@zdf.de>')"),
    _b("ADAC", r"\bADAC\b", ("adac",), (), "5 (sample-4458 'ADAC Auto-Notfallset')", case=True),
    _b("Deutsche Bahn", r"\bdeutsche\s+bahn\b", ("bahn", "db"), (), "4 (sample-4068 'Deutsche Bahn, Deutsche Bahn')"),
    _b("Wells Fargo", r"\bwells\s*fargo\b", ("wellsfargo", "wf"), ()),
    _b("Bank of America", r"\bbank\s+of\s+america\b", ("bankofamerica", "bofa", "ml"), ()),
    _b("Chase", r"^\W*chase\b|\bjp\s*morgan\s+chase\b", ("chase", "jpmorgan", "jpmchase"), ()),
)
