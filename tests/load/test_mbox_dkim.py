"""mbox quoting and DKIM: a genuine ``>From `` body line in an mboxo archive keeps its ``>``.

Before, the reader undid mboxrd quoting on every mbox: the signed body lost a byte, DKIM failed with
``body_hash_mismatch`` and the verdict went from authentic to suspicious.
"""

from __future__ import annotations

from pathlib import Path

import mailtrace
from mailtrace.dns import OfflineZone
from mailtrace.policy import Policy
from mailtrace.testing import build_message

SEP = b"From alice@sender.example Mon May 13 10:00:00 2024\r\n"


def test_a_genuine_quoted_from_line_in_an_mboxo_archive_keeps_dkim_valid(tmp_path: Path) -> None:
    built = build_message(
        "Author ==> MSA/Transmitter --> / --> Receiver/MDA ==> Recipient",
        body="Hello,\r\n>From the archive: a genuine quoted line\r\nBye\r\n",
    )
    policy = Policy(resolver=OfflineZone.from_dict(built.zone))
    path = tmp_path / "archive.mbox"
    path.write_bytes(SEP + built.raw + b"\r\n" + SEP + built.raw + b"\r\n")  # mboxo: ">From " left as written
    first, second = mailtrace.analyze_many(path, policy=policy, nested=False)
    for report in (first, second):
        assert report.source.mbox_variant == "mboxo"
        assert report.verdict is not None and report.verdict.result.value == "authentic"
        assert report.verification is not None
        assert [(d.domain, d.result) for d in report.verification.dkim] == [("sender.example", "pass")]
        # the defect still tells the analyst that the body may carry the writer's quoting
        assert "mbox.body_quoting" in {d.code for d in report.defects}
    # Asking for mboxrd undoes the quoting, as the reader used to: the body changes and DKIM fails.
    (unquoted, _) = mailtrace.analyze_many(path, policy=policy, nested=False, mbox_variant="mboxrd")
    assert unquoted.verification is not None
    assert [d.result for d in unquoted.verification.dkim] == ["body_hash_mismatch"]
