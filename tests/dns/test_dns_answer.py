"""Answer and Status: the typed outcome of one DNS question."""

from __future__ import annotations

import pytest

from mailtrace.dns import Answer, Status
from mailtrace.errors import ConfigurationError


def test_status_temporary_and_negative_are_kept_apart() -> None:
    assert Status.TIMEOUT.temporary and Status.SERVFAIL.temporary
    assert not Status.NXDOMAIN.temporary and not Status.NODATA.temporary
    assert Status.NXDOMAIN.negative and Status.NODATA.negative
    assert not Status.TIMEOUT.negative and not Status.NOERROR.negative


def test_answer_noerror_without_records_becomes_nodata() -> None:
    assert Answer(name="x.example", rtype="TXT", status=Status.NOERROR).status is Status.NODATA


def test_answer_failure_drops_records() -> None:
    answer = Answer(name="x.example", rtype="A", status=Status.TIMEOUT, records=("192.0.2.1",))
    assert answer.records == () and answer.temporary


def test_answer_round_trips_through_dict() -> None:
    answer = Answer(name="x.example", rtype="TXT", status=Status.NOERROR, records=("v=spf1 -all",), ttl=300)
    assert Answer.from_dict(answer.to_dict()) == answer
    assert answer.describe() == "TXT x.example: NOERROR"


def test_answer_from_malformed_dict_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        Answer.from_dict({"name": "x", "type": "TXT", "status": "MAYBE"})
