"""``mailtrace serve`` without a browser: headers, limits, the JSON API, nothing on disk, the host warning."""

from __future__ import annotations

import builtins
import io
import json
import sys
import tempfile
from typing import Any

import pytest
from starlette.testclient import TestClient

from mailtrace.analyze import analyze
from mailtrace.cli import main
from mailtrace.policy import Policy
from mailtrace.testing import open_collection
from mailtrace.web import create_app


def _client(**options: Any) -> TestClient:
    return TestClient(create_app(**options), base_url="http://127.0.0.1:8025")


def _raw(name: str = "examples/forwarded") -> bytes:
    return bytes(open_collection()[name].message())


def test_every_response_carries_the_security_headers() -> None:
    client = _client()
    for response in (client.get("/"), client.post("/api/analyze", content=_raw()), client.get("/nowhere")):
        csp = response.headers["content-security-policy"]
        for directive in (
            "default-src 'none'",
            "img-src data:",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "style-src 'sha256-",
        ):
            assert directive in csp
        assert "script-src" not in csp and "unsafe" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_api_returns_the_schema_json_of_the_body() -> None:
    raw = _raw()
    response = _client().post("/api/analyze?name=f.eml", content=raw)
    assert response.status_code == 200
    doc = response.json()
    expected = analyze(raw, policy=Policy(), name="f.eml").to_dict()
    assert doc["source"]["name"] == "f.eml"
    assert doc["verdict"]["result"] == expected["verdict"]["result"]
    assert doc["path"]["notation"] == expected["path"]["notation"]
    assert len(doc["received"]) == 4


def test_api_an_mbox_gives_an_array_and_a_form_upload_works_too() -> None:
    one, two = _raw("examples/plain"), _raw("scenarios/05-mailing-list")
    mbox = b"From a@b Mon Jan  1 00:00:00 2024\n" + one + b"\nFrom a@b Mon Jan  1 00:00:00 2024\n" + two
    docs = _client().post("/api/analyze", content=mbox).json()
    assert isinstance(docs, list) and len(docs) == 2
    form = _client().post("/api/analyze", files={"file": ("x.eml", one, "message/rfc822")}).json()
    assert form["source"]["name"] == "x.eml"


def test_unreadable_and_empty_input_are_answered_not_raised() -> None:
    client = _client()
    pdf = client.post("/api/analyze", content=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert pdf.status_code == 422 and "error" in pdf.json()
    assert client.post("/api/analyze", content=b"  ").status_code == 400
    page = client.post("/", data={"headers": ""})
    assert page.status_code == 400 and "Paste a message" in page.text


def test_uploads_over_the_limit_are_refused_with_413() -> None:
    client = _client(max_upload=10_000)
    assert client.post("/api/analyze", content=b"Subject: x\n\n" + b"y" * 10_000).status_code == 413
    page = client.post("/", files={"file": ("big.eml", b"Subject: x\n\n" + b"y" * 10_000, "message/rfc822")})
    assert page.status_code == 413 and "10,000 bytes" in page.text
    assert client.post("/api/analyze", content=b"Subject: x\n\n" + b"y" * 9_000).status_code == 200


def test_another_host_header_is_refused() -> None:
    client = TestClient(create_app(), base_url="http://attacker.example")
    assert client.get("/").status_code == 400


def test_a_pasted_message_and_an_uploaded_file_show_the_report() -> None:
    client = _client()
    pasted = client.post("/", data={"headers": _raw().decode()})
    assert pasted.status_code == 200 and pasted.text.count("data-verdict=") == 1
    uploaded = client.post("/", files={"file": ("a<b>.eml", _raw(), "message/rfc822")})
    assert "a&lt;b&gt;.eml" in uploaded.text and "a<b>.eml" not in uploaded.text


def test_nothing_is_written_to_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 5 MB upload (over Starlette's 1 MiB spool threshold) with every way to a temporary file closed."""
    client = _client()
    big = _raw() + b"\n" + b"z" * (5 << 20)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a file was opened for writing")

    real_open = builtins.open

    def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(c in mode for c in "wax+"):
            raise AssertionError(f"open({file!r}, {mode!r})")
        return real_open(file, mode, *args, **kwargs)

    for name in ("TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setattr(builtins, "open", read_only_open)
    response = client.post("/", files={"file": ("big.eml", big, "message/rfc822")})
    assert response.status_code == 200 and "data-verdict=" in response.text
    assert client.post("/api/analyze", content=big).status_code == 200


def test_the_page_says_whether_dns_is_live() -> None:
    assert "Live DNS is on" in _client(live_dns=True).get("/").text
    assert "DNS: off" in _client().get("/").text


def test_serve_binds_the_loopback_and_warns_for_another_address(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    for argv in (["serve"], ["serve", "--host", "0.0.0.0", "--port", "9000"]):
        err = io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        assert main(argv, stdout=io.StringIO()) == 0
        if argv == ["serve"]:
            assert "warning" not in err.getvalue()
        else:
            assert "warning: serving on 0.0.0.0" in err.getvalue()
    assert [(c["host"], c["port"]) for c in calls] == [("127.0.0.1", 8025), ("0.0.0.0", 9000)]


def test_json_is_escaped_for_controls() -> None:
    raw = b"Subject: \xe2\x80\xae evil\nFrom: a@b.example\n\nx"
    text = _client().post("/api/analyze", content=raw).text
    assert "\u202e" not in text and "\\u202e" in text
    assert json.loads(text)["headers"]["originator"]["subject"]["decoded"].startswith("\u202e")


def test_a_zero_upload_limit_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["serve", "--max-upload", "0"], stdout=io.StringIO()) == 2
    assert "--max-upload" in err.getvalue()
