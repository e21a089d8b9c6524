"""``mailtrace analyze --dask ADDRESS`` and ``mailtrace summary --dask ADDRESS``.

The command line reads its inputs, DNS and trust options as for a local run; the
analysis runs on the Dask scheduler at ADDRESS (``local``: a LocalCluster of this
machine, one worker process per ``--jobs``, every core by default) and the results come
back in input order, so every output format is the same as a local run's.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from functools import partial
from typing import Any

from mailtrace.dask import Job, collect
from mailtrace.dask.worker import DnsSpec
from mailtrace.errors import ConfigurationError, InputError
from mailtrace.load.sources import ReadOptions
from mailtrace.policy import Policy


def render_item(render: Callable[[Any], Any], item: Any) -> Any:
    """``render(report)`` on the worker; an input's error record passes through unchanged."""
    return item if isinstance(item, InputError) else render(item)


def dns_spec(args: argparse.Namespace, mode: str) -> DnsSpec:
    """What each worker builds from the ``--dns``, ``--zone``, ``--replay``, ``--nameserver`` options."""
    nameservers, timeout = tuple(args.nameserver), args.dns_timeout
    if mode == "replay":
        return DnsSpec.from_files("replay", replay=args.replay)
    if mode == "record":
        return DnsSpec.from_files(
            "offline" if args.zone else "live", zone=args.zone, nameservers=nameservers, timeout=timeout
        )
    return DnsSpec.from_files(mode, zone=args.zone, nameservers=nameservers, timeout=timeout)


def dask_results(
    args: argparse.Namespace, policy: Policy, render: Callable[[Any], Any], mode: str, jobs: int
) -> Iterator[Any]:
    """The results of a ``--dask`` run, in input order (reports rendered by the workers)."""
    import distributed

    if "-" in args.paths:
        raise ConfigurationError("--dask reads files the workers can open: standard input (-) cannot be sent")
    options = ReadOptions(
        nested=not args.no_attachments, follow_symlinks=args.follow_symlinks, mbox_variant=args.mbox_variant
    )
    job = Job(policy=policy, dns=dns_spec(args, mode), options=options)
    with ExitStack() as stack:
        if args.dask == "local":
            cluster = stack.enter_context(
                distributed.LocalCluster(
                    n_workers=jobs,
                    threads_per_worker=1,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",
                    silence_logs=40,
                )
            )
            stack.enter_context(distributed.Client(cluster))
        else:
            stack.enter_context(distributed.Client(args.dask))
        record = args.record if mode == "record" else None
        if record is not None and args.overwrite_record:
            from pathlib import Path

            from mailtrace.dns.evidence import open_evidence_file

            record = stack.enter_context(open_evidence_file(Path(record), overwrite=True))
        yield from collect(list(args.paths), job, product=partial(render_item, render), record=record)
