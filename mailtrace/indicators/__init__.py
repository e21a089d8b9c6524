"""Indicators in a message's bodies: URLs, domains, addresses, IPs and attachments (``docs/indicators.md``)."""

from __future__ import annotations

from mailtrace.indicators.extract import extract_indicators
from mailtrace.indicators.model import Attachment, IndicatorOptions, Indicators, Url, defang_host, defang_url

__all__ = ["Attachment", "IndicatorOptions", "Indicators", "Url", "defang_host", "defang_url", "extract_indicators"]
