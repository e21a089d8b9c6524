"""mailtrace.batch: error records in place, input order with any number of workers, bounded windows."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import mailtrace
from mailtrace import batch
from mailtrace.dns import Answer, CachingResolver, OfflineZone
from mailtrace.errors import InputError
from mailtrace.load.sources import ReadOptions
from mailtrace.report import Report
from tests.batch._mail import junk_folder, message


def source_name(report: Report) -> str:
    return report.source.name


def _names(results: list[object]) -> list[str]:
    return [Path(r.source if isinstance(r, InputError) else str(r)).name for r in results]


def test_items_keep_errors_in_place(tmp_path: Path) -> None:
    items = list(batch.iter_items([junk_folder(tmp_path), b"From: a@b.example\n\nx\n", tmp_path / "missing.eml"]))
    kinds = ["error" if isinstance(i, InputError) else "message" for i in items]
    assert kinds == ["message"] * 3 + ["error"] * 4 + ["message"] * 4 + ["error"]


@pytest.mark.parametrize("jobs", [1, 2, 3, 0])
def test_run_yields_in_input_order_with_errors_in_place(tmp_path: Path, jobs: int) -> None:
    folder = junk_folder(tmp_path, messages=50)
    results = list(batch.run(batch.iter_items([folder]), source_name, jobs=jobs))
    names = _names(results)
    assert len(names) == 54
    assert names == sorted(names)  # the folder is read in name order; nothing overtakes
    assert sum(isinstance(r, InputError) for r in results) == 4


def test_processes_are_used_when_the_policy_pickles_and_threads_otherwise() -> None:
    zone = OfflineZone.from_dict({"example.net": {"TXT": ["v=spf1 -all"]}})
    assert batch.policy_pickles(mailtrace.Policy())
    assert batch.policy_pickles(mailtrace.Policy(resolver=zone))
    assert not batch.policy_pickles(mailtrace.Policy(resolver=CachingResolver(zone)))


class _CountingResolver:
    """Not picklable (a lock): the batch runs it in threads, all sharing this one object."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.threads: set[str] = set()
        self.zone = OfflineZone({})

    def resolve(self, name: str, rtype: str, *, timeout: float | None = None) -> Answer:
        with self.lock:
            self.threads.add(threading.current_thread().name)
        return self.zone.resolve(name, rtype)


def test_an_unpicklable_resolver_is_shared_by_worker_threads(tmp_path: Path) -> None:
    resolver = _CountingResolver()
    policy = mailtrace.Policy(resolver=resolver)
    messages = [message(message_id=f"{i}@example.net") for i in range(12)]
    results = list(batch.run(batch.iter_items(messages, policy=policy), Report.to_dict, policy=policy, jobs=3))
    assert [r["headers"]["originator"]["message_id"]["ids"] for r in results] == [  # type: ignore[index]
        [f"{i}@example.net"] for i in range(12)
    ]
    assert resolver.threads and all(name.startswith("mailtrace") for name in resolver.threads)


def test_analyze_many_jobs_gives_the_same_reports_in_order(tmp_path: Path) -> None:
    folder = junk_folder(tmp_path, messages=20)
    one = [r.to_dict() if isinstance(r, Report) else r for r in mailtrace.analyze_many(folder, errors="report")]
    two = [r.to_dict() if isinstance(r, Report) else r for r in mailtrace.analyze_many(folder, errors="report", jobs=2)]
    assert one == two and len(one) == 24
    with pytest.raises(mailtrace.MailtraceError):
        list(mailtrace.analyze_many(folder, jobs=2))  # errors="raise" still raises at the first bad file


def test_window_bounds_work_in_flight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader is never more than the window ahead of the writer."""
    read = 0

    def counted() -> object:
        nonlocal read
        for i in range(200):
            read += 1
            yield message(message_id=f"{i}@example.net"), mailtrace.load.sources.Source(name=f"m{i}", format="bytes")

    ahead = 0
    for done, _ in enumerate(batch.run(counted(), source_name, jobs=2, executor="thread"), 1):  # type: ignore[arg-type]
        ahead = max(ahead, read - done)
    assert ahead <= batch.WINDOW_PER_JOB * 2 + 1


def test_jobs_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="jobs"):
        batch.effective_jobs(-1)
    assert batch.effective_jobs(0) >= 1


def _wrapper(inner: bytes) -> bytes:
    return (
        b"From: user@example.org\nTo: abuse@example.org\nSubject: reporting phishing\n"
        b"Date: Mon, 13 May 2024 11:00:00 +0000\nMessage-ID: <r1@example.org>\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nsee attached\n'
        b"--b\nContent-Type: message/rfc822\n\n" + inner + b"\n--b--\n"
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_split_off_attached_messages_as_the_reader_does(tmp_path: Path, jobs: int) -> None:
    for i in range(5):
        (tmp_path / f"r{i}.eml").write_bytes(_wrapper(message(message_id=f"{i}@example.net")))
    expected = [r.to_dict() for r in mailtrace.analyze_many(tmp_path) if isinstance(r, Report)]
    assert len(expected) == 10 and expected[1]["source"]["part"]
    items = batch.iter_items([tmp_path], options=ReadOptions(nested=False))
    assert list(batch.run(items, Report.to_dict, jobs=jobs, attached=True)) == expected
