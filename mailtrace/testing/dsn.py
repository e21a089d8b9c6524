"""The body of a delivery status notification (RFC 3464) in a ``multipart/report`` (RFC 6522), as
Postfix's bounce(8) writes it: the builder's bounce scenario (``Scenario(bounce=True)``, scenario 19)."""

from __future__ import annotations

from datetime import datetime


def dsn_body(boundary: str, mta: str, original_sender: str, failed: str, date: datetime) -> str:
    """A delivery status notification (RFC 3464) as Postfix's bounce(8) writes it: the notice, the
    per-recipient status and the returned headers (RFC 6522 ``multipart/report``)."""
    when = date.strftime("%a, %d %b %Y %H:%M:%S +0000")
    return (
        "This is a MIME-encapsulated message.\n\n"
        f"--{boundary}\n"
        "Content-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
        f"This is the mail system at host {mta}.\n\n"
        "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n"
        f'<{failed}>: unknown user: "carol"\n\n'
        f"--{boundary}\n"
        "Content-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
        f"Reporting-MTA: dns; {mta}\nArrival-Date: {when}\n\n"
        f"Final-Recipient: rfc822; {failed}\nOriginal-Recipient: rfc822;{failed}\nAction: failed\n"
        f"Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <{failed}>: Recipient address rejected: User unknown\n\n"
        f"--{boundary}\n"
        "Content-Description: Undelivered Message Headers\nContent-Type: text/rfc822-headers\n\n"
        f"From: <{original_sender}>\nTo: <{failed}>\nSubject: Minutes of Tuesday's meeting\nDate: {when}\n\n"
        f"--{boundary}--\n"
    )
