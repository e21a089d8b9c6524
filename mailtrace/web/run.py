"""Running the page with uvicorn (``mailtrace serve``)."""

from __future__ import annotations

import ipaddress
import sys
from typing import TextIO

from mailtrace.errors import ConfigurationError
from mailtrace.policy import Policy

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _needs_warning(host: str) -> bool:
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8025,
    policy: Policy | None = None,
    live_dns: bool = False,
    max_upload: int | None = None,
    err: TextIO | None = None,
) -> None:
    """Serve the page until interrupted. A host other than the loopback draws a warning on ``err``."""
    err = err or sys.stderr
    if max_upload is not None and max_upload < 1:
        raise ConfigurationError(f"--max-upload must be at least 1 byte, not {max_upload}")
    try:
        import uvicorn
    except ImportError:
        raise ConfigurationError("mailtrace serve needs Starlette and uvicorn: pip install 'mailtrace[web]'") from None
    try:
        from mailtrace.web.app import DEFAULT_MAX_UPLOAD, create_app
    except ImportError:
        raise ConfigurationError("mailtrace serve needs Starlette and uvicorn: pip install 'mailtrace[web]'") from None
    if _needs_warning(host):
        print(
            f"mailtrace: warning: serving on {host}, not the loopback: anyone who can reach this address can "
            "submit messages to this page" + (" and make it look up DNS names" if live_dns else ""),
            file=err,
        )
    hosts = [*LOOPBACK, host] if host not in ("0.0.0.0", "::") else ["*"]
    app = create_app(
        policy=policy,
        max_upload=DEFAULT_MAX_UPLOAD if max_upload is None else max_upload,
        live_dns=live_dns,
        hosts=hosts,
    )
    where = f"[{host}]" if ":" in host else host
    print(f"mailtrace: serving on http://{where}:{port}/ (Ctrl-C stops)", file=err, flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, date_header=False)
