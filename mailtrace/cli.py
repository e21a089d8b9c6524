"""Command line: ``mailtrace analyze PATH...`` and ``mailtrace summary PATH...`` (``docs/cli.md``).

Exit codes: 0 every input analysed; 2 usage error; 3 at least one input could
not be analysed (missing, unreadable, empty, not mail). Every input error is
reported (a line on standard error, and a record in ``json``, ``jsonl`` and
``csv`` output) and the batch goes on with the other inputs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from mailtrace import batch
from mailtrace._version import __version__
from mailtrace.abuse.commands import COMMANDS, action_settings, add_action_commands, add_action_options
from mailtrace.dns import Resolver, resolver_from_options
from mailtrace.dns.health import dns_statistics
from mailtrace.errors import ConfigurationError, InputError, UnreadableInputError
from mailtrace.load.patterns import expand
from mailtrace.load.sources import ReadOptions
from mailtrace.outputs import check_writable_target
from mailtrace.policy import Policy
from mailtrace.progress import Progress, count_files
from mailtrace.render.safe import visible
from mailtrace.render.stream import DOCS, FORMATS, StreamWriter
from mailtrace.report import Report

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_INTERRUPTED = 130  #: Ctrl-C, as shells report SIGINT


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits with 2 on usage errors
        self.print_usage(sys.stderr)
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mailtrace", description="Email header forensics.")
    build = "compiled (mypyc)" if _compiled() else "pure Python"
    parser.add_argument("--version", action="version", version=f"mailtrace {__version__} ({build})")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("analyze", help="analyse messages (.eml, mbox, Maildir, folder, or - for stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="a message file, mbox, Maildir, folder, or - (stdin)")
    p.add_argument("--format", choices=(*FORMATS, "html"), default="text", help="output format (text)")
    add_analysis_options(p)
    add_action_options(p)
    s = sub.add_parser("summary", help="counts and campaign clusters of a batch")
    s.add_argument("paths", nargs="+", metavar="PATH", help="a message file, mbox, Maildir, folder, or - (stdin)")
    s.add_argument("--format", choices=("text", "json", "csv"), default="text", help="output format (text)")
    s.add_argument("--top", type=int, default=None, metavar="N", help="entries per table (text: 15; json/csv: all)")
    s.add_argument("--min-cluster", type=int, default=2, metavar="N", help="messages that make a cluster (2)")
    add_analysis_options(s)
    add_action_commands(sub, add_analysis_options)
    w = sub.add_parser("serve", help="a local web page to paste headers into (needs mailtrace[web])")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1; another draws a warning)")
    w.add_argument("--port", type=int, default=8025, help="port to listen on (8025)")
    w.add_argument("--max-upload", type=int, metavar="BYTES", help="largest request body accepted (25 MiB)")
    add_dns_options(w)
    w.set_defaults(paths=[])
    return parser


def add_analysis_options(p: argparse.ArgumentParser) -> None:
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
    p.add_argument(
        "--trust-nothing",
        action="store_true",
        help="no hop is the recipient's own: the border is the topmost client (excludes the three above)",
    )
    p.add_argument(
        "--submission-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="a network of the author's submission servers (repeatable), as SpamAssassin's msa_networks",
    )
    p.add_argument("--now", metavar="ISO8601", help="analysis clock for DKIM expiry (default: the receiver's time)")
    p.add_argument(
        "--no-attachments", action="store_true", help="do not analyse attached messages (message/rfc822) on their own"
    )
    p.add_argument("--follow-symlinks", action="store_true", help="follow a folder's symlinks out of the folder")
    p.add_argument(
        "--mbox-variant", choices=("auto", "mboxo", "mboxrd"), default="auto", help="how mbox quotes From (auto)"
    )
    add_dns_options(p)
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="messages analysed at once (0: every core)")
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on the Dask scheduler at ADDRESS (tcp://host:8786) or 'local' (mailtrace[dask]; docs/scale.md)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar (drawn only on a terminal)")
    p.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        help="write to FILE instead of standard output (never an input); "
        "with --format html a FOLDER/ (new or empty) gets index.html and a page per message",
    )


def add_dns_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dns",
        default="offline",
        metavar="MODE",
        help="offline (default; re-checks against --zone, or nothing without it) or live (contacts the "
        "sender's DNS servers: it can tip off a phisher)",
    )
    p.add_argument("--record", metavar="FILE", help="live DNS (or --zone), every answer saved to a new FILE")
    p.add_argument("--replay", metavar="FILE", help="answers only from a recorded FILE")
    p.add_argument("--overwrite-record", action="store_true", help="let --record replace an earlier DNS evidence file")
    p.add_argument("--zone", metavar="FILE", help="offline DNS zone: zone-file text or JSON")
    p.add_argument(
        "--nameserver", action="append", default=[], metavar="IP[:PORT]", help="live DNS server (repeatable)"
    )
    p.add_argument("--dns-timeout", type=float, metavar="SECONDS", help="most one live DNS question may take (8)")


def _split_dns_mode(argv: list[str]) -> list[str]:
    """The old spellings ``--dns record FILE``, ``--dns=record FILE`` (and ``replay``) as ``--record FILE``."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out += argv[i:]
            break
        mode, skip = None, 0
        if arg == "--dns" and i + 1 < len(argv) and argv[i + 1] in ("record", "replay"):
            mode, skip = argv[i + 1], 2
        elif arg in ("--dns=record", "--dns=replay"):
            mode, skip = arg.partition("=")[2], 1
        if mode is None:
            out.append(arg)
            i += 1
            continue
        if i + skip >= len(argv) or argv[i + skip].startswith("-"):
            raise _UsageError(f"--dns {mode} needs a FILE (or use --{mode} FILE)")
        out += [f"--{mode}", argv[i + skip]]
        i += skip + 1
    return out


def _dns_mode(args: argparse.Namespace) -> tuple[str, str | None]:
    mode = args.dns.strip().lower()
    if args.record and args.replay:
        raise _UsageError("--record and --replay cannot be used together")
    if mode in ("record", "replay"):
        raise _UsageError(f"--dns {mode} needs a FILE (or use --{mode} FILE)")
    if args.record:
        if mode not in ("offline", "live"):
            raise _UsageError(f"--record records live DNS (or --zone), not --dns {mode}")
        return "record", args.record
    if args.replay:
        if mode != "offline":
            raise _UsageError(f"--replay answers from its file; drop --dns {mode}")
        return "replay", args.replay
    return mode, None


def _policy(args: argparse.Namespace, warn: Callable[[str], None]) -> Policy:
    now = None
    if args.now:
        try:
            now = datetime.fromisoformat(args.now.replace("Z", "+00:00"))
        except ValueError:
            raise _UsageError(f"--now: {args.now!r} is not an ISO 8601 time") from None
        if now.tzinfo is None:
            raise _UsageError("--now needs a time zone offset (e.g. 2024-05-01T10:00:00+00:00)")
    return Policy(
        resolver=_resolver(args, warn),
        trusted_networks=tuple(args.trusted_network),
        internal_domains=tuple(args.internal_domain),
        trusted_authserv_ids=tuple(args.trusted_authserv_id),
        trust_nothing=args.trust_nothing,
        submission_networks=tuple(args.submission_network),
        now=now,
        **action_settings(args),
    )


def _resolver(args: argparse.Namespace, warn: Callable[[str], None]) -> Resolver | None:
    """``offline`` without ``--zone`` re-checks nothing: an empty zone would claim every key is gone."""
    mode, path = _dns_mode(args)
    if getattr(args, "dask", None):
        return None  # each Dask worker builds its own (mailtrace.dask.cli.dns_spec)
    if mode == "offline" and not args.zone:
        if args.nameserver or args.dns_timeout is not None:
            raise ConfigurationError("--nameserver and --dns-timeout apply to live DNS (--dns live or --record)")
        return None
    if mode == "record" and path:
        check_writable_target(path, args.paths, what="--record")
    return resolver_from_options(
        mode,
        path,
        args.zone,
        nameservers=args.nameserver,
        timeout=args.dns_timeout,
        overwrite=args.overwrite_record,
        warn=warn,
    )


def _compiled() -> bool:
    import mailtrace

    return mailtrace.__compiled__


def _check_output(args: argparse.Namespace) -> None:
    if args.output is None:
        return
    others = [*args.paths, *(p for p in (args.record, args.replay, args.zone) if p)]
    check_writable_target(args.output, others, what="--output", folder=_html_folder(args))


def _html_folder(args: argparse.Namespace) -> bool:
    """``analyze --format html -o DIR/``: a page per message and an index (``html.md``)."""
    from mailtrace.render.html_batch import is_folder_target

    return getattr(args, "format", None) == "html" and args.output is not None and is_folder_target(args.output)


def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> int:
    err = sys.stderr
    progress = Progress(err, enabled=False)

    def warn(text: str) -> None:
        progress.write(f"mailtrace: warning: {visible(text)}")

    try:
        args = build_parser().parse_args(_split_dns_mode(list(sys.argv[1:] if argv is None else argv)))
        if hasattr(args, "paths"):  # a quoted pattern reaches past the shell's limit on arguments
            args.paths = expand(args.paths)
        if args.command == "serve":
            return _serve(args, warn)
        if args.jobs < 0:
            raise _UsageError("--jobs must be 0 (every core) or more")
        _check_output(args)
        policy = _policy(args, warn)
    except (_UsageError, ConfigurationError) as exc:
        print(f"mailtrace: error: {visible(str(exc))}", file=err)
        return EXIT_USAGE
    except (UnreadableInputError, OSError) as exc:
        print(f"mailtrace: error: {visible(str(exc))}", file=err)
        return EXIT_UNREADABLE
    folder = _html_folder(args)
    try:
        out_file = None if args.output is None or folder else open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        print(f"mailtrace: error: {args.output}: cannot write: {exc.strerror or exc}", file=err)
        return EXIT_USAGE
    out = out_file or stdout or sys.stdout
    show = not args.no_progress and err.isatty()
    progress = Progress(err, enabled=show, total=count_files(args.paths) if show else None)
    try:
        return _run(args, policy, out, progress)
    except KeyboardInterrupt:
        progress.write("mailtrace: interrupted")
        return EXIT_INTERRUPTED
    finally:
        progress.close()
        stats = dns_statistics(policy.resolver)
        if stats is not None:
            print(f"mailtrace: {stats.line()}", file=err)
        close = getattr(policy.resolver, "close", None)
        if callable(close):
            close()
        if out_file is not None:
            out_file.close()


def _results(args: argparse.Namespace, policy: Policy, render: Callable[..., Any]) -> Iterator[Any]:
    # The one place inputs become items; with the readers' errors="report" this stays one call.
    if getattr(args, "dask", None):
        from mailtrace.dask.cli import dask_results

        jobs = batch.effective_jobs(0 if args.jobs == 1 else args.jobs)
        return dask_results(args, policy, render, _dns_mode(args)[0], jobs)
    sources = ["-" if p == "-" else Path(p) for p in args.paths]  # a str would be message text
    # Attached messages are split off by the workers (batch.run(attached=True)), not while reading.
    options = ReadOptions(nested=False, follow_symlinks=args.follow_symlinks, mbox_variant=args.mbox_variant)
    items = batch.iter_items(sources, policy=policy, options=options)
    return batch.run(items, render, policy=policy, jobs=args.jobs, attached=not args.no_attachments)


def _run(args: argparse.Namespace, policy: Policy, out: TextIO, progress: Progress) -> int:
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args, policy, out)
        if args.command == "summary":
            return _summary(args, policy, out, progress)
        if args.format == "html":
            return _html(args, policy, out, progress)
        single = args.format == "json" and len(args.paths) == 1
        writer = StreamWriter(args.format, out, lambda line: progress.write(f"mailtrace: {line}"), single_object=single)
        writer.start()
        for result in _results(args, policy, DOCS[args.format]):
            if isinstance(result, InputError):
                writer.error(result, visible(batch.describe(result)))
            else:
                writer.report(result)
            progress.update()
        writer.finish()
        out.flush()
    except ConfigurationError as exc:
        progress.write(f"mailtrace: error: {visible(str(exc))}")
        return EXIT_USAGE
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_OK
    return EXIT_UNREADABLE if writer.errors else EXIT_OK


def _html(args: argparse.Namespace, policy: Policy, out: TextIO, progress: Progress) -> int:
    """One page for the batch, or with ``-o DIR/`` a page per message as it comes and an index."""
    from mailtrace.render.html import html_doc
    from mailtrace.render.html_batch import HtmlFolder, HtmlPage

    sink = HtmlFolder(args.output) if _html_folder(args) else HtmlPage(out)
    for result in _results(args, policy, html_doc):
        if isinstance(result, InputError):
            sink.error(visible(batch.describe(result)))
            progress.write(f"mailtrace: {sink.errors[-1]}")
        else:
            sink.add(result)
        progress.update()
    index = sink.finish()
    if isinstance(sink, HtmlFolder):
        progress.write(f"mailtrace: wrote {len(sink.rows)} message pages and {visible(str(index))}")
    return EXIT_UNREADABLE if sink.errors else EXIT_OK


def _serve(args: argparse.Namespace, warn: Callable[[str], None]) -> int:
    from mailtrace.web.run import serve

    resolver = _resolver(args, warn)
    live = _dns_mode(args)[0] in ("live", "record") and not args.zone
    try:
        policy = Policy(resolver=resolver)
        serve(host=args.host, port=args.port, policy=policy, live_dns=live, max_upload=args.max_upload)
    finally:
        close = getattr(resolver, "close", None)
        if callable(close):
            close()
    return EXIT_OK


def _summary(args: argparse.Namespace, policy: Policy, out: TextIO, progress: Progress) -> int:
    from mailtrace.summary import Summary
    from mailtrace.summary.render import RENDERERS

    summary = Summary(min_cluster=max(1, args.min_cluster))
    for result in _results(args, policy, Report.to_row):
        if isinstance(result, InputError):
            summary.add_error(result.to_dict())
            progress.write(f"mailtrace: {visible(batch.describe(result))}")
        else:
            summary.add(result)
        progress.update()
    top = args.top if args.top is not None else (15 if args.format == "text" else None)
    out.write(RENDERERS[args.format](summary, top=top))
    out.flush()
    return EXIT_UNREADABLE if summary.errors else EXIT_OK


def _quiet_broken_pipe() -> None:
    """After the reader of stdout went away, point stdout at /dev/null so the exit flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
