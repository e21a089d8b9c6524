"""Conformance of mailtrace's verification layer against suites nobody here wrote.

Every case is driven through mailtrace's own resolver (:class:`mailtrace.dns.OfflineZone`
built from the suite's DNS data) and verification functions (``mailtrace.auth``),
never by calling pyspf or dkimpy directly (except to show that a listed SPF
deviation is pyspf's own).

* RFC 7208 SPF suite: ``spf-test-suite/pyspf/rfc7208-tests.yml``
* ARC validation suite: ``arc_test_suite/tests/arc-draft-validation-tests.yml``
* DKIM corpora: ``perl-mail-dkim/`` (FAKE_DNS.dat), ``dkimpy-testdata/``,
  ``mimekit-testdata/dkim/``, ``mailauth-fixtures/``

Usage::

    python benchmarks/conformance.py [CORPUS_DIR]     # default: $MAILTRACE_CORPUS or ../shared/corpus

Prints per-suite counts, every mismatch, and every listed deviation with its reason.
Needs PyYAML (``pip install pyyaml``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from mailtrace.auth.arc import verify_arc  # noqa: E402
from mailtrace.auth.dkim import verify_dkim  # noqa: E402
from mailtrace.auth.results import DkimResult  # noqa: E402
from mailtrace.auth.spf import check_spf  # noqa: E402
from mailtrace.dns import OfflineZone  # noqa: E402
from mailtrace.limits import DEFAULT_LIMITS  # noqa: E402
from mailtrace.parse.message import parse_message  # noqa: E402


def corpus_root(arg: str | None = None) -> Path | None:
    for candidate in (arg, os.environ.get("MAILTRACE_CORPUS"), str(REPO.parent / "shared" / "corpus")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


@dataclass(frozen=True)
class Outcome:
    suite: str
    case: str
    expected: str
    got: str
    ok: bool
    deviation: str | None = None  #: the reason, when a mismatch is a listed deviation


# ---------------------------------------------------------------------------------------------
# RFC 7208 SPF suite
# ---------------------------------------------------------------------------------------------

#: Cases where mailtrace (through pyspf) differs from the suite, with the reason. Each is also
#: checked to fail with pyspf alone (``pyspf_alone``), so it is pyspf's deviation, not ours.
SPF_DEVIATIONS: dict[str, str] = {}


def spf_zone(zonedata: dict[str, list[Any]]) -> dict[str, Any]:
    """The suite's ``zonedata`` as an :meth:`OfflineZone.from_dict` mapping.

    The suite's conventions (as its reference harness, pyspf's ``testspf.py``, applies them):
    an ``SPF`` entry is also served as TXT unless the name has explicit TXT entries, and the
    value ``NONE`` is no record at all (it only stops that generation).
    """
    zone: dict[str, Any] = {}
    for name, records in (zonedata or {}).items():
        types: dict[str, list[Any]] = {}
        has_txt = any(isinstance(r, dict) and "TXT" in r for r in records or [])
        for rec in records or []:
            if rec == "TIMEOUT":  # as testspf.py: types with records answer, every other type times out
                types["*"] = "TIMEOUT"  # type: ignore[assignment]
                continue
            for rtype, value in rec.items():
                if value == "NONE":  # no record; a "TXT: NONE" still stops SPF entries being served as TXT
                    continue
                if rtype == "SPF" and not has_txt:
                    types.setdefault("TXT", []).append(list(value) if isinstance(value, list) else [value])
                if rtype in ("TXT", "SPF"):
                    # a list is one record made of several character-strings
                    types.setdefault(rtype, []).append(list(value) if isinstance(value, list) else [value])
                elif rtype == "MX":
                    types.setdefault(rtype, []).append([int(value[0]), str(value[1])])
                else:
                    types.setdefault(rtype, []).append(str(value))
        zone[name] = types
    return zone


def spf_cases(root: Path) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    import yaml

    path = root / "spf-test-suite" / "pyspf" / "rfc7208-tests.yml"
    out = []
    with path.open(encoding="utf-8") as fh:
        for scenario in yaml.safe_load_all(fh):
            zone = spf_zone(scenario.get("zonedata") or {})
            for name, test in scenario["tests"].items():
                out.append((name, test, zone))
    return out


def _expected(test: dict[str, Any]) -> tuple[str, ...]:
    result = test["result"]
    return tuple(result) if isinstance(result, list) else (result,)


def run_spf(root: Path) -> list[Outcome]:
    outcomes = []
    for name, test, zone in spf_cases(root):
        resolver = OfflineZone.from_dict(zone)
        check = check_spf(
            resolver, ip=str(test["host"]), mail_from=test.get("mailfrom") or "", helo=test.get("helo") or ""
        )
        expected = _expected(test)
        got = check.result.value
        ok = got in expected
        explanation = test.get("explanation")
        if ok and explanation not in (None, "DEFAULT") and got == "fail" and check.explanation != explanation:
            ok, got = False, f"fail (explanation {check.explanation!r}, expected {explanation!r})"
        outcomes.append(Outcome("spf", name, "|".join(expected), got, ok, None if ok else SPF_DEVIATIONS.get(name)))
    return outcomes


def pyspf_alone(root: Path, case: str) -> str:
    """The result pyspf gives by itself (its own query, a plain DNSLookup over the zone data)."""
    import spf

    for name, test, zone_dict in spf_cases(root):
        if name != case:
            continue
        zone = OfflineZone.from_dict(zone_dict)

        def lookup(
            qname: str, qtype: str, strict: Any = True, timeout: float = 20, zone: OfflineZone = zone
        ) -> list[Any]:
            answer = zone.resolve(qname, qtype)
            if answer.temporary:
                raise spf.TempError("DNS timeout")
            if qtype in ("TXT", "SPF"):
                return [((qname, qtype), (r.encode(),)) for r in answer.records]
            if qtype == "MX":
                return [((qname, qtype), (int(r.split()[0]), r.split()[1])) for r in answer.records]
            return [((qname, qtype), r) for r in answer.records]

        saved = spf.DNSLookup
        spf.DNSLookup = lookup
        try:
            q = spf.query(i=str(test["host"]), s=test.get("mailfrom") or "", h=test.get("helo") or "")
            return str(q.check()[0])
        except Exception as exc:
            return f"raises {type(exc).__name__}"
        finally:
            spf.DNSLookup = saved
    raise KeyError(case)


# ---------------------------------------------------------------------------------------------
# ARC validation suite
# ---------------------------------------------------------------------------------------------

ARC_DEVIATIONS: dict[str, str] = {}


def arc_cases(root: Path) -> list[tuple[str, str, str, dict[str, Any]]]:
    import yaml

    path = root / "arc_test_suite" / "tests" / "arc-draft-validation-tests.yml"
    out = []
    with path.open(encoding="utf-8") as fh:
        for scenario in yaml.safe_load_all(fh):
            records = scenario.get("txt-records") or {}
            zone = {name: {"TXT": [str(value)]} for name, value in records.items()}
            for name, test in scenario["tests"].items():
                out.append((name, str(test.get("message") or ""), str(test.get("cv") or ""), zone))
    return out


def run_arc(root: Path) -> list[Outcome]:
    outcomes = []
    for name, text, cv, zone in arc_cases(root):
        message = parse_message(text.encode("utf-8"), DEFAULT_LIMITS)
        check = verify_arc(message, OfflineZone.from_dict(zone))
        # An empty cv in the suite marks a chain an upstream sealer already declared failed (cv=fail):
        # RFC 8617 section 5.2 step 2 makes that "fail" (dkimpy says None: "the chain is terminated").
        expected = cv.lower() or "fail (terminated)"
        got = check.cv.value
        ok = got == expected.split()[0]
        outcomes.append(Outcome("arc", name, expected, got, ok, None if ok else ARC_DEVIATIONS.get(name)))
    return outcomes


# ---------------------------------------------------------------------------------------------
# DKIM corpora
# ---------------------------------------------------------------------------------------------

_FAIL = {DkimResult.BODY_HASH_MISMATCH, DkimResult.SIGNATURE_MISMATCH}


def outcome_word(results: list[DkimResult]) -> str:
    """A message's outcome in Mail::DKIM's words: pass / fail / invalid / none (best signature wins)."""
    if not results:
        return "none"
    if DkimResult.PASS in results:
        return "pass"
    if any(r in _FAIL for r in results):
        return "fail"
    return "invalid"


#: Mail::DKIM's own expectations, from t/verifier.t (fastmail/mail-dkim) for the files in perl-mail-dkim/.
PERL_EXPECTED = {
    **dict.fromkeys(
        [
            "good_ietf00_1",
            "good_ietf00_2",
            "good_ietf00_3",
            "good_ietf00_4",
            "good_ietf00_5",
            "mine_ietf01_1",
            "mine_ietf01_2",
            "mine_ietf01_3",
            "mine_ietf01_4",
            "mine_ietf05_1",
            "good_ietf01_1",
            "good_ietf01_2",
            "good_rfc4871_3",
            "good_rfc4871_4",
            "good_1878523",
            "good_83176",
            "multiple_1",
            "multiple_2",
            "good_qp_1",
            "good_qp_2",
            "good_qp_3",
            "good_dk_gmail",
            "good_dk_yahoo",
            "good_dk_1",
            "good_dk_2",
            "good_dk_3",
            "good_dk_4",
            "good_dk_5",
            "good_dk_6",
            "good_dk_7",
            "dk_headers_1",
            "dk_headers_2",
            "dk_multiple_1",
            "no_body_1",
            "no_body_2",
            "no_body_3",
            "goodkey_1",
            "goodkey_2",
            "goodkey_3",
            "goodkey_4",
            "goodkey_ed25519",
        ],
        "pass",
    ),
    **dict.fromkeys(["bad_ietf01_1", "bad_ietf01_2", "bad_ietf01_3", "bad_1", "bad_1878954"], "fail"),
    **dict.fromkeys(
        [
            "bad_dk_1",
            "bad_dk_2",
            "bad_dk_3",
            "bad_dk_4",
            "bad_dk_5",
            "ignore_1",
            "ignore_2",
            "ignore_3",
            "ignore_4",
            "ignore_5",
            "ignore_6",
            "ignore_7",
            "ignore_8",
            "badkey_1",
            "badkey_2",
            "badkey_3",
            "badkey_4",
            "badkey_5",
            "badkey_6",
            "badkey_7",
            "badkey_8",
            "badkey_9",
            "badkey_10",
            "badkey_11",
            "badkey_12",
            "badkey_13",
            "badkey_14",
            "badkey_15",
        ],
        "invalid",
    ),
    # ed25519 files (t/verifier_ed25519 in later Mail::DKIM): the key named in each file's name is bad or missing;
    # 2 and 3 carry the good key on an altered message.
    "badkey1_ed25519": "invalid",
    "badkey2_ed25519": "fail",
    "badkey3_ed25519": "fail",
    "badkey4_ed25519": "invalid",
    "badkey5_ed25519": "invalid",
}

_DK = "DomainKeys (RFC 4870, historic) is not verified: only DKIM-Signature fields are"
_G = "key g= (granularity) was removed by RFC 6376 (appendix C.2); Mail::DKIM still enforces it"
DKIM_DEVIATIONS: dict[str, str] = {
    **{
        f"perl-mail-dkim/{n}.txt": _DK
        for n in [
            "good_dk_gmail",
            "good_dk_yahoo",
            "good_dk_1",
            "good_dk_2",
            "good_dk_3",
            "good_dk_4",
            "good_dk_5",
            "good_dk_6",
            "good_dk_7",
            "dk_headers_1",
            "dk_headers_2",
            "dk_multiple_1",
        ]
    },
    **{f"perl-mail-dkim/{n}.txt": _DK for n in ["bad_dk_1", "bad_dk_2", "bad_dk_3", "bad_dk_4", "bad_dk_5"]},
    **{f"perl-mail-dkim/{n}.txt": _G for n in ["badkey_8", "badkey_9", "badkey_12", "badkey_13"]},
    **{
        f"perl-mail-dkim/good_ietf00_{i}.txt": "draft-ietf-dkim-base-00 signatures have no bh= (body hash); "
        "Mail::DKIM's own test skips them too"
        for i in range(1, 6)
    },
    "dkimpy-testdata/message.mbox": "key kitterman.com 2007-00 is not in the corpus: unverifiable offline",
}


def perl_zone(root: Path) -> dict[str, Any]:
    zone: dict[str, Any] = {}
    for line in (root / "perl-mail-dkim" / "FAKE_DNS.dat").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        name, _, value = line.strip().partition(" ")
        value = value.strip()
        if value == "NXDOMAIN":
            zone[name] = "NXDOMAIN"
        elif value.startswith("~~") and "timed out" in value:
            zone[name] = "TIMEOUT"
        elif value.startswith("~~"):
            zone[name] = "SERVFAIL"
        else:
            zone[name] = {"TXT": ["" if value == '""' else value]}
    return zone


def _pem_body(path: Path) -> str:
    return "".join(line.strip() for line in path.read_text().splitlines() if not line.startswith("-----"))


def dkim_cases(root: Path) -> list[tuple[str, Path, str, dict[str, Any]]]:
    """(case id, message file, expected outcome, zone)."""
    cases: list[tuple[str, Path, str, dict[str, Any]]] = []
    perl = root / "perl-mail-dkim"
    if perl.is_dir():
        zone = perl_zone(root)
        for path in sorted((perl / "corpus").glob("*.txt")):
            expected = PERL_EXPECTED.get(path.stem)
            if expected:
                cases.append((f"perl-mail-dkim/{path.name}", path, expected, zone))
    dk = root / "dkimpy-testdata"
    if dk.is_dir():
        football = {
            "brisbane._domainkey.football.example.com": {
                "TXT": ["v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="]
            },
            "test._domainkey.football.example.com": {"TXT": [(dk / "test.txt").read_text().strip()]},
        }
        gmail = {
            "20120113._domainkey.gmail.com": {
                "TXT": ["k=rsa; p=" + _pem_body(root / "mimekit-testdata/dkim/gmail.pub")]
            }
        }
        exim = {"sed._domainkey.test.ex": {"TXT": [(dk / "eximtest.dns").read_text().strip()]}}
        cases += [
            ("dkimpy-testdata/rfc6376.signed.msg", dk / "rfc6376.signed.msg", "pass", football),
            ("dkimpy-testdata/test2.message", dk / "test2.message", "pass", gmail),
            ("dkimpy-testdata/ed25519test2.msg", dk / "ed25519test2.msg", "pass", exim),
            ("dkimpy-testdata/message.mbox", dk / "message.mbox", "pass", {}),
        ]
    mk = root / "mimekit-testdata" / "dkim"
    if mk.is_dir():
        gmail = {"20120113._domainkey.gmail.com": {"TXT": ["v=DKIM1; k=rsa; p=" + _pem_body(mk / "gmail.pub")]}}
        for name in ("gmail.msg", "multipart-no-end-boundary.msg", "related.msg"):
            cases.append((f"mimekit-testdata/dkim/{name}", mk / name, "pass", gmail))
    ma = root / "mailauth-fixtures" / "dkim" / "ec" / "fixtures"
    if ma.is_dir():
        import json

        zone = json.loads((ma / "dns.json").read_text())
        cases.append(("mailauth-fixtures/dkim/ec/fixtures/signed.eml", ma / "signed.eml", "pass", zone))
    return cases


def run_dkim(root: Path, clock: datetime | None = None) -> list[Outcome]:
    clock = clock or datetime.now(UTC)
    outcomes = []
    for case, path, expected, zone in dkim_cases(root):
        message = parse_message(path.read_bytes(), DEFAULT_LIMITS)
        results = verify_dkim(message, OfflineZone.from_dict(zone), clock=clock)
        got = outcome_word([r.result for r in results])
        detail = ",".join(r.result.value for r in results)
        ok = got == expected
        outcomes.append(
            Outcome("dkim", case, expected, f"{got} [{detail}]", ok, None if ok else DKIM_DEVIATIONS.get(case))
        )
    return outcomes


# ---------------------------------------------------------------------------------------------


def summarize(name: str, outcomes: list[Outcome], out: Callable[[str], None] = print) -> tuple[int, int, int]:
    passed = sum(o.ok for o in outcomes)
    listed = [o for o in outcomes if not o.ok and o.deviation]
    failed = [o for o in outcomes if not o.ok and not o.deviation]
    out(
        f"{name}: {len(outcomes)} cases, {passed} as expected, "
        + f"{len(listed)} listed deviations, {len(failed)} unexplained"
    )
    for o in listed:
        out(f"  deviation {o.case}: expected {o.expected}, got {o.got} -- {o.deviation}")
    for o in failed:
        out(f"  MISMATCH  {o.case}: expected {o.expected}, got {o.got}")
    return passed, len(listed), len(failed)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = corpus_root(argv[0] if argv else None)
    if root is None:
        print("corpus not found (pass its path or set MAILTRACE_CORPUS)")
        return 2
    bad = 0
    bad += summarize("RFC 7208 SPF suite", run_spf(root))[2]
    for case in SPF_DEVIATIONS:
        print(f"  pyspf alone on {case}: {pyspf_alone(root, case)}")
    bad += summarize("ARC validation suite", run_arc(root))[2]
    bad += summarize("DKIM corpora", run_dkim(root))[2]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
