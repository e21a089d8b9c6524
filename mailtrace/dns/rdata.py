"""Turning dnspython rdata into the presentation strings an :class:`Answer` holds."""

from __future__ import annotations

from typing import Any

import dns.rdatatype


def rdata_text(rdtype: int, rdata: Any) -> str:
    """One record as text: TXT strings concatenated (RFC 7208 section 3.3), names without the final dot."""
    if rdtype in (dns.rdatatype.TXT, dns.rdatatype.SPF):
        return b"".join(rdata.strings).decode("utf-8", "replace")
    if rdtype == dns.rdatatype.MX:
        return f"{rdata.preference} {rdata.exchange.to_text(omit_final_dot=True).lower()}"
    if rdtype in (dns.rdatatype.PTR, dns.rdatatype.CNAME, dns.rdatatype.NS):
        return str(rdata.target.to_text(omit_final_dot=True).lower())
    return str(rdata.to_text())
