"""A DNS server that never answers, for testing how a batch copes with a dead resolver.

:func:`silent_dns_server` opens a UDP socket on 127.0.0.1, reads every query
sent to it and answers none; it yields the port and the list of datagrams
received (so a test can count the questions actually sent).
:func:`dns_asking_message` is a message whose re-check asks four questions
(MX, SPF TXT, DKIM key, DMARC) about a domain of its own, so no cache helps.
Used by ``tests/dns/test_dns_live_batch.py`` and ``benchmarks/dead_resolver.py``.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def dns_asking_message(i: int) -> bytes:
    """Message number ``i``: its domain is ``d{i}.example.net``."""
    return (
        b"Received: from mx.example.net (mx.example.net [192.0.2.9])\n\tby mx.example.org (Postfix) with ESMTPS id A1;"
        b" Mon, 13 May 2024 10:00:05 +0000\n"
        b"Received: from client (unknown [198.51.100.4])\n\tby mx.example.net with ESMTPSA id B2;"
        b" Mon, 13 May 2024 10:00:00 +0000\n"
        b"Return-Path: <bounce@d%d.example.net>\n"
        b"DKIM-Signature: v=1; a=rsa-sha256; d=d%d.example.net; s=sel; h=from; bh=abc=; b=def=\n"
        b"From: Alice <alice@d%d.example.net>\nTo: bob@example.org\nSubject: hi\n"
        b"Date: Mon, 13 May 2024 09:59:59 +0000\nMessage-ID: <%d@example.net>\n\nbody\n" % (i, i, i, i)
    )


@contextmanager
def silent_dns_server() -> Iterator[tuple[int, list[bytes]]]:
    """``(port, received)``: a UDP socket on 127.0.0.1 that reads every datagram and answers none."""
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    sink.settimeout(0.05)
    received: list[bytes] = []
    stop = threading.Event()

    def drain() -> None:
        while not stop.is_set():
            try:
                received.append(sink.recv(4096))
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=drain, name="silent-dns", daemon=True)
    thread.start()
    try:
        yield sink.getsockname()[1], received
    finally:
        stop.set()
        thread.join()
        sink.close()
