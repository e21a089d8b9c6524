"""Command-line glue for the action layer: ``--enrich``/``--indicators`` options and the
``report-abuse`` and ``indicators`` subcommands (``docs/cli.md``, ``docs/abuse-reports.md``).

``mailtrace.cli`` registers these with :func:`add_action_commands`, reads the
options with :func:`action_settings` and runs a subcommand through
:data:`COMMANDS`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from mailtrace.abuse.arf import FEEDBACK_TYPES, ReportOptions, write_arf, write_xarf
from mailtrace.abuse.batch import group_by_network
from mailtrace.abuse.incident import Incident, incident_of
from mailtrace.abuse.sanitize import header_value
from mailtrace.analyze import analyze_many
from mailtrace.enrich.config import Enrichment
from mailtrace.errors import ConfigurationError, InputError
from mailtrace.indicators.model import IndicatorOptions
from mailtrace.outputs import check_writable_target
from mailtrace.policy import Policy
from mailtrace.render.safe import visible
from mailtrace.render.stream import dumps
from mailtrace.report import Report


def add_action_options(p: argparse.ArgumentParser) -> None:
    """``--enrich`` and ``--indicators`` with their settings (for ``analyze``)."""
    g = p.add_argument_group("origin enrichment and indicators (docs/enrichment.md, docs/indicators.md)")
    g.add_argument("--enrich", action="store_true", help="enrich the border client through DNS (--dns decides how)")
    g.add_argument("--enrich-all", action="store_true", help="enrich every public client of the trace")
    g.add_argument("--dnsbl", action="append", default=[], metavar="ZONE", help="a DNS blocklist to ask (repeatable)")
    g.add_argument("--asn-zone", metavar="ZONE", help="IPv4 origin zone (origin.asn.cymru.com; 'none' skips)")
    g.add_argument("--asn6-zone", metavar="ZONE", help="IPv6 origin zone (origin6.asn.cymru.com; 'none' skips)")
    g.add_argument("--asname-zone", metavar="ZONE", help="AS name zone (asn.cymru.com; 'none' skips)")
    g.add_argument("--abuse-zone", metavar="ZONE", help="abuse contact zone (abuse-contacts.abusix.zone; 'none')")
    g.add_argument("--indicators", action="store_true", help="extract URLs, addresses, IPs and attachments")
    g.add_argument("--defang", action="store_true", help="write indicators defanged (hxxp://example[.]com)")


def action_settings(args: argparse.Namespace, *, enrich: bool = False, indicators: bool = False) -> dict[str, Any]:
    """``Policy`` keyword arguments for the options of :func:`add_action_options` (absent options: off)."""
    out: dict[str, Any] = {}
    if enrich or getattr(args, "enrich", False) or getattr(args, "enrich_all", False):
        zones: dict[str, Any] = {}
        for name in ("asn_zone", "asn6_zone", "asname_zone", "abuse_zone"):
            value = getattr(args, name, None)
            if value is not None:
                zones[name] = None if value.strip().lower() == "none" else value
        out["enrichment"] = Enrichment(
            all_clients=bool(getattr(args, "enrich_all", False)), dnsbl_zones=tuple(getattr(args, "dnsbl", ())), **zones
        )
    if indicators or getattr(args, "indicators", False) or getattr(args, "defang", False):
        out["indicators"] = IndicatorOptions(defang=bool(getattr(args, "defang", False)))
    return out


def add_action_commands(sub: Any, add_analysis_options: Callable[[argparse.ArgumentParser], None]) -> None:
    r = sub.add_parser("report-abuse", help="write an ARF (RFC 5965) or X-ARF abuse report; never sends it")
    r.add_argument("paths", nargs="+", metavar="MSG", help="the reported message(s): file, mbox, folder, or -")
    r.add_argument("--to", default="auto", metavar="auto|ADDRESS", help="the abuse contact (auto: from enrichment)")
    r.add_argument("--from", dest="sender", default="abuse-desk@localhost", metavar="ADDRESS", help="your address")
    r.add_argument("--format", choices=("arf", "xarf"), default="arf", help="ARF (RFC 5965) or X-ARF 0.2 (arf)")
    r.add_argument("--feedback-type", choices=FEEDBACK_TYPES, default="abuse", help="ARF Feedback-Type (abuse)")
    r.add_argument("--redact", action="store_true", help="headers only, recipients' local-parts redacted (RFC 6590)")
    r.add_argument("--redact-key", metavar="TEXT", help="key for redaction hashes (default: random per run)")
    r.add_argument("--batch-dir", metavar="DIR", help="one report per origin network, written into DIR")
    r.add_argument(
        "--attached", action="store_true", help="report the messages attached to MSG (a user's forward as attachment)"
    )
    add_analysis_options(r)
    add_action_options(r)
    i = sub.add_parser("indicators", help="URLs, domains, addresses, IPs and attachments of messages")
    i.add_argument("paths", nargs="+", metavar="PATH", help="a message file, mbox, Maildir, folder, or - (stdin)")
    i.add_argument("--format", choices=("json", "csv", "stix"), default="json", help="json, csv or a STIX 2.1 bundle")
    add_analysis_options(i)
    add_action_options(i)


def _reports(args: argparse.Namespace, policy: Policy, nested: bool = True) -> Iterator[Report | InputError]:
    for path in args.paths:
        source: object = sys.stdin.buffer.read() if path == "-" else Path(path)
        name = "<stdin>" if path == "-" else None
        yield from analyze_many(source, policy=policy, name=name, errors="report", nested=nested)


def run_indicators(args: argparse.Namespace, policy: Policy, out: TextIO) -> int:
    from mailtrace.indicators.export import to_csv, to_stix

    policy = policy.clone(**action_settings(args, indicators=True))
    items: list[tuple[str, Report]] = []
    failed = 0
    for r in _reports(args, policy):
        if isinstance(r, InputError):
            failed += 1
            print(f"mailtrace: {visible(r.message)}", file=sys.stderr)
        elif r.indicators is not None:
            items.append((_name(r), r))
    if args.format == "csv":
        out.write(to_csv((n, r.indicators) for n, r in items if r.indicators is not None))
    elif args.format == "stix":
        out.write(to_stix((n, r.indicators, _arrival(r)) for n, r in items if r.indicators is not None) + "\n")
    else:
        docs = [{"source": n, **(r.indicators.to_dict() if r.indicators else {})} for n, r in items]
        doc = docs[0] if len(docs) == 1 and len(args.paths) == 1 else docs
        out.write(dumps(doc, indent=2))
        out.write("\n")
    return 3 if failed else 0


def run_report_abuse(args: argparse.Namespace, policy: Policy, out: TextIO) -> int:
    import secrets

    policy = policy.clone(**action_settings(args, enrich=True, indicators=True))
    key = args.redact_key.encode("utf-8") if args.redact_key else secrets.token_bytes(16)
    incidents: list[Incident] = []
    failed = 0
    for r in _reports(args, policy, nested=args.attached):
        if isinstance(r, InputError):
            failed += 1
            print(f"mailtrace: {visible(r.message)}", file=sys.stderr)
        elif not args.attached or getattr(r.source, "part", None) is not None:
            incidents.append(incident_of(r))
    if not incidents:
        print("mailtrace: error: no message to report" + (" (none attached)" if args.attached else ""), file=sys.stderr)
        return 3
    write = write_xarf if args.format == "xarf" else write_arf
    groups = group_by_network(incidents)
    if len(groups) > 1 and not args.batch_dir:
        raise ConfigurationError(
            f"{len(incidents)} messages from {len(groups)} origin networks: one report each needs --batch-dir DIR"
        )
    if args.batch_dir:
        Path(args.batch_dir).mkdir(parents=True, exist_ok=True)
    for n, group in enumerate(groups, 1):
        to = _recipient(args.to, group)
        if to is None:
            print(
                "mailtrace: warning: no abuse contact found; the report has no To: (use --to ADDRESS)", file=sys.stderr
            )
        options = ReportOptions(
            sender=args.sender,
            to=to,
            feedback_type=args.feedback_type,
            redact=args.redact,
            redact_key=key,
            now=policy.now,
        )
        data = write(group, options)
        if args.batch_dir:
            target = Path(args.batch_dir) / f"report-{n:03d}-{_slug(group[0].network)}.eml"
            check_writable_target(target, args.paths, what="--batch-dir")
            target.write_bytes(data)
            print(f"mailtrace: {target}: {len(group)} message(s), to {to or 'nobody'}", file=sys.stderr)
        else:
            _write_bytes(out, data)
    return 3 if failed else 0


def _recipient(to: str, group: list[Incident]) -> str | None:
    if to.strip().lower() != "auto":
        address = header_value(to, 320)
        if "@" not in address or " " in address:
            raise ConfigurationError(f"--to: {to!r} is not an address (or 'auto')")
        return address
    for incident in group:
        if incident.contacts:
            return incident.contacts[0]
    return None


def _slug(network: str | None) -> str:
    text = network or "unknown"
    return "".join(c if c.isalnum() else "_" for c in text)[:60]


def _write_bytes(out: TextIO, data: bytes) -> None:
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8", "replace"))


def _name(report: Report) -> str:
    src = report.source
    position = getattr(src, "position", None)
    return src.name if position is None else f"{src.name}#{position}"


def _arrival(report: Report) -> Any:
    border = report.path.border if report.path is not None else None
    return border.timestamp if border is not None else None


COMMANDS: dict[str, Callable[[argparse.Namespace, Policy, TextIO], int]] = {
    "report-abuse": run_report_abuse,
    "indicators": run_indicators,
}
