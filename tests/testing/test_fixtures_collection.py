"""The fixtures collection (fixtures/): files match the manifest, builder-made fixtures regenerate
bit for bit, golden reports match today's analysis, and any change is recorded in CHANGELOG.md."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from mailtrace.testing.collection import Collection, CollectionNotFound, Fixture, open_collection
from mailtrace.testing.recipes import BY_NAME, RECIPES
from mailtrace.testing.regenerate import golden, zone_json

REPO = Path(__file__).resolve().parents[2]
ROOT = REPO / "fixtures"
REGENERATE = "python -m mailtrace.testing.regenerate"


@pytest.fixture(scope="module")
def collection() -> Collection:
    return open_collection(ROOT)


def _first_difference(a: Any, b: Any, where: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in {'golden' if key in a else 'today'}"
            found = _first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items in golden, {len(b)} today"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = _first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: golden {a!r}, today {b!r}"


def test_collection_lists_every_recipe_and_files_match_manifest(collection: Collection) -> None:
    assert {r.name for r in RECIPES} <= set(collection.names())
    for fixture in collection:
        assert fixture.provenance, fixture.name
        assert fixture.digests["eml"] == hashlib.sha256(fixture.message()).hexdigest(), fixture.name
        assert fixture.digests["expected"] == hashlib.sha256(fixture.expected_path.read_bytes()).hexdigest()
        if "zone" in fixture.digests:
            assert fixture.digests["zone"] == hashlib.sha256(fixture.zone_path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", [r.name for r in RECIPES])
def test_builder_fixture_regenerates_bit_for_bit(collection: Collection, name: str) -> None:
    fixture = collection[name]
    built = BY_NAME[name].build()
    if built.raw != fixture.message() or zone_json(built.zone) != fixture.zone_path.read_bytes():
        pytest.fail(f"{name}: the builder no longer produces the committed fixture; run `{REGENERATE}` and record it")


def _golden_case(fixture: Fixture) -> None:
    today = json.loads(golden(fixture.message(), fixture.zone() if fixture.dns else None, fixture.name))
    difference = _first_difference(fixture.expected(), today)
    if difference:
        pytest.fail(
            f"{fixture.name}: the report drifted from its golden file at {difference}; if the change is intended, "
            f"run `{REGENERATE}` and record it in CHANGELOG.md"
        )


@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".eml") for p in ROOT.rglob("*.eml")))
def test_golden_report_matches_todays_analysis(collection: Collection, name: str) -> None:
    rel = next(n for n in collection.names() if n.endswith(name))
    _golden_case(collection[rel])


#: Builder fixtures whose golden report does not (yet) give back the builder's intent: analyzer gaps,
#: recorded rather than bent. ``strict`` makes the test fail once the analyzer is fixed, so the entry goes.
KNOWN_ANALYZER_GAPS: dict[str, str] = {}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(r.name, marks=pytest.mark.xfail(reason=KNOWN_ANALYZER_GAPS[r.name], strict=True))
        if r.name in KNOWN_ANALYZER_GAPS
        else r.name
        for r in RECIPES
    ],
)
def test_builder_fixture_golden_verdict_is_the_scenarios(collection: Collection, name: str) -> None:
    fixture = collection[name]
    intent = next(e for e in collection.manifest["fixtures"] if e["name"] == name)["intent"]
    report = fixture.expected()
    assert (report["verdict"] or {}).get("result") == intent["verdict"]
    assert (report["path"] or {}).get("notation") == intent["notation"]


def test_collection_digest_is_recorded_in_changelog(collection: Collection) -> None:
    changelog = REPO / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8") if changelog.exists() else ""
    recorded = re.findall(r"\(fixtures ([0-9a-f]{12})\)", text)
    if not recorded:
        pytest.skip("CHANGELOG.md records no fixtures digest yet (the collection's first entry adds one)")
    if collection.digest not in recorded:
        pytest.fail(
            f"the fixtures changed (digest {collection.digest}) but CHANGELOG.md does not record it: add a line "
            f"such as '- Fixtures collection regenerated (fixtures {collection.digest}).'"
        )


def test_open_collection_missing_root_raises_collection_not_found(tmp_path: Path) -> None:
    with pytest.raises(CollectionNotFound, match="pip install mailtrace-fixtures"):
        open_collection(tmp_path)


def test_collection_unknown_name_raises_key_error(collection: Collection) -> None:
    with pytest.raises(KeyError, match="no fixture 'nope'"):
        collection["nope"]


def test_fixture_analyze_uses_its_zone(collection: Collection) -> None:
    report = collection["examples/forwarded"].analyze()
    assert report.path.notation == (
        "Author ==> MSA/Transmitter --> / --> Receiver/Forwarder ~~> / ~~> Receiver/MDA ==> Recipient"
    )
    assert [d.result for d in report.verification.dkim] == ["pass"]


def test_fixtures_distribution_helpers_open_files_and_refuse_escapes() -> None:
    spec = importlib.util.spec_from_file_location("mailtrace_fixtures", ROOT / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with module.open_vector_file("examples/forwarded.eml") as handle:
        assert handle.read(13) == b"Return-Path: "
    with pytest.raises(ValueError, match="outside"):
        module.path("../pyproject.toml")


@pytest.mark.corpus
def test_no_fixture_is_a_copy_of_a_corpus_message(corpus: Path) -> None:
    ours = {hashlib.sha256(p.read_bytes()).hexdigest() for p in ROOT.rglob("*.eml")}
    ours |= {hashlib.sha256(p.read_bytes().replace(b"\r\n", b"\n")).hexdigest() for p in ROOT.rglob("*.eml")}
    for path in corpus.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for variant in (data, data.replace(b"\r\n", b"\n")):
                assert hashlib.sha256(variant).hexdigest() not in ours, f"{path} is in fixtures/"
