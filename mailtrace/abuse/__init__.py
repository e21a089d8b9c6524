"""Abuse reports: ARF (RFC 5965, RFC 6590 redaction) and X-ARF, written, never sent (``docs/abuse-reports.md``)."""

from __future__ import annotations

from mailtrace.abuse.arf import ReportOptions, write_arf, write_xarf
from mailtrace.abuse.batch import group_by_network
from mailtrace.abuse.incident import Incident, incident_of

__all__ = ["Incident", "ReportOptions", "group_by_network", "incident_of", "write_arf", "write_xarf"]
