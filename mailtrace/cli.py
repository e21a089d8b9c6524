"""Command line: ``mailtrace analyze PATH... [--format text|json|jsonl]``.

Exit codes: 0 every input analysed; 2 usage error; 3 an input could not be
read (missing, unreadable, or an unsupported format such as an Outlook .msg);
the other inputs are still analysed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from mailtrace._version import __version__
from mailtrace.analyze import analyze_many
from mailtrace.dns import Resolver, resolver_from_options
from mailtrace.errors import ConfigurationError, MailtraceError, UnreadableInputError
from mailtrace.policy import Policy
from mailtrace.render.text import render_text
from mailtrace.report import Report

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNREADABLE = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits with 2 on usage errors
        self.print_usage(sys.stderr)
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mailtrace", description="Email header forensics.")
    parser.add_argument("--version", action="version", version=f"mailtrace {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("analyze", help="analyse messages (.eml, mbox, Maildir, folder, or - for stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a message file, mbox, Maildir, folder, or - (stdin)")
    p.add_argument("--format", choices=("text", "json", "jsonl"), default="text", help="output format (text)")
    p.add_argument(
        "--trusted-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="a network of the recipient side (repeatable), as SpamAssassin's trusted_networks",
    )
    p.add_argument(
        "--internal-domain", action="append", default=[], metavar="DOMAIN", help="a domain of the recipient side"
    )
    p.add_argument(
        "--trusted-authserv-id",
        action="append",
        default=[],
        metavar="ID",
        help="an authserv-id whose Authentication-Results the recipient side wrote",
    )
    p.add_argument("--now", metavar="ISO8601", help="analysis clock for DKIM expiry (default: the receiver's time)")
    add_dns_options(p)
    return parser


def add_dns_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dns",
        default="offline",
        metavar="MODE",
        help="offline (default; re-checks against --zone, or nothing without it), live (contacts the "
        "sender's DNS servers: it can tip off a phisher), record FILE (live, answers saved), replay FILE",
    )
    p.add_argument("--dns-file", metavar="FILE", help=argparse.SUPPRESS)
    p.add_argument("--zone", metavar="FILE", help="offline DNS zone: zone-file text or JSON")


def _policy(args: argparse.Namespace) -> Policy:
    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now.replace("Z", "+00:00"))
        except ValueError:
            raise _UsageError(f"--now: {args.now!r} is not an ISO 8601 time") from None
        if now.tzinfo is None:
            raise _UsageError("--now needs a time zone offset (e.g. 2024-05-01T10:00:00+00:00)")
    resolver = _resolver(args)
    return Policy(
        resolver=resolver,
        trusted_networks=tuple(args.trusted_network),
        internal_domains=tuple(args.internal_domain),
        trusted_authserv_ids=tuple(args.trusted_authserv_id),
        now=now,
    )


def _resolver(args: argparse.Namespace) -> Resolver | None:
    """``offline`` without ``--zone`` re-checks nothing: an empty zone would claim every key is gone."""
    if args.dns == "offline" and not args.zone and not args.dns_file:
        return None
    return resolver_from_options(args.dns, args.dns_file, args.zone)


def _split_dns_mode(argv: list[str]) -> list[str]:
    """Accept ``--dns record FILE`` / ``--dns replay FILE`` (two words) as argparse cannot."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--dns" and i + 1 < len(argv) and argv[i + 1] in ("record", "replay"):
            if i + 2 >= len(argv):
                raise _UsageError(f"--dns {argv[i + 1]} needs a FILE")
            out += ["--dns", argv[i + 1], "--dns-file", argv[i + 2]]
            i += 3
            continue
        out.append(arg)
        i += 1
    return out


def _reports(args: argparse.Namespace, policy: Policy, errors: list[str]) -> Iterator[Report]:
    for path in args.paths:
        try:
            if path == "-":
                yield from analyze_many(sys.stdin.buffer.read(), policy=policy, name="<stdin>")
            else:
                yield from analyze_many(Path(path), policy=policy)
        except ConfigurationError:
            raise
        except (MailtraceError, OSError) as exc:
            errors.append(str(exc))
            print(f"mailtrace: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    try:
        args = build_parser().parse_args(_split_dns_mode(list(sys.argv[1:] if argv is None else argv)))
        policy = _policy(args)
    except _UsageError as exc:
        print(f"mailtrace: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ConfigurationError as exc:
        print(f"mailtrace: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (UnreadableInputError, OSError) as exc:
        print(f"mailtrace: error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        return _run(args, policy, out)
    finally:
        close = getattr(policy.resolver, "close", None)
        if callable(close):
            close()


def _run(args: argparse.Namespace, policy: Policy, out: TextIO) -> int:
    errors: list[str] = []
    try:
        if args.format == "json":
            docs = [r.to_dict() for r in _reports(args, policy, errors)]
            if len(docs) == 1 and len(args.paths) == 1:
                json.dump(docs[0], out, indent=2, ensure_ascii=False)
            else:
                json.dump(docs, out, indent=2, ensure_ascii=False)
            out.write("\n")
        elif args.format == "jsonl":
            for r in _reports(args, policy, errors):
                out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        else:
            first = True
            for r in _reports(args, policy, errors):
                if not first:
                    out.write("\n" + "#" * 100 + "\n\n")
                out.write(render_text(r))
                first = False
    except ConfigurationError as exc:
        print(f"mailtrace: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_UNREADABLE if errors else EXIT_OK
