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
#: The ``From `` line that starts each message of the test archives.
SEPARATOR = b"From list@archive.example Mon Jan  1 00:00:00 2024\n"


def list_mbox(
    corpus: Path, out: Path, *, at_least: int, messages: int | None = None, max_bytes: int | None = None
) -> Path | None:
    """``out``: an mbox of the corpus's list mail (the first ``messages``, or until ``max_bytes``), with the
    ``From `` lines inside bodies quoted as mboxrd does; ``None`` when the corpus has fewer than ``at_least``."""
    lists = sorted((corpus / "lfdr-list-archives").glob("*/*.eml"))[:messages]
    if len(lists) < at_least:
        return None
    with out.open("wb") as f:
        for path in lists:
            if max_bytes is not None and f.tell() > max_bytes:
                break
            data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
            f.write(SEPARATOR + data.rstrip(b"\n") + b"\n\n")
    return out


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
