"""The serial runs that are the reference of the Dask tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mailtrace import analyze_many
from mailtrace.dask import DnsSpec, Job
from mailtrace.dns import OfflineZone
from mailtrace.errors import InputError
from mailtrace.policy import Policy
from mailtrace.render.row import error_row, row_from_dict

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


def serial_rows(paths: list[str]) -> list[dict[str, str]]:
    """Input by input, as ``analyze_many`` reads each (an input's error as its record's row)."""
    items = [item for path in paths for item in analyze_many(Path(path), errors="report")]
    return [error_row(i.to_dict()) if isinstance(i, InputError) else row_from_dict(i.to_dict()) for i in items]


def zone_job() -> tuple[Job, list[str], list[dict[str, Any]]]:
    """A job with an offline zone, 24 inputs given one by one, and the serial reports with that zone."""
    zone = EXAMPLES / "forwarded.zone.json"
    files = [str(EXAMPLES / "forwarded.eml"), str(EXAMPLES / "plain.eml")] * 12
    resolver = OfflineZone.from_json(zone.read_text(encoding="utf-8"))
    resolver.source = str(zone)
    serial = [r.to_dict() for f in files for r in analyze_many(Path(f), policy=Policy(resolver=resolver))]
    assert serial[0]["verification"]["dkim"], "the zone's keys are used"
    return Job(dns=DnsSpec.from_files("offline", zone=str(zone))), files, serial
