"""Tag lists (RFC 6376 section 3.2): every tag kept in order, deviations as defects."""

from __future__ import annotations

from mailtrace.parse.auth.taglist import MAX_TAGS, parse_tag_list


def codes(defects: tuple[object, ...]) -> list[str]:
    return [d.code for d in defects]  # type: ignore[attr-defined]


def test_taglist_keeps_every_tag_in_order_with_trailing_semicolon() -> None:
    parsed = parse_tag_list("v=1; a=rsa-sha256;  d = example.com ;s=sel;", "dkim")
    assert parsed.tags == (("v", "1"), ("a", "rsa-sha256"), ("d", "example.com"), ("s", "sel"))
    assert parsed.defects == ()


def test_taglist_base64_tags_lose_folding_whitespace_other_tags_keep_inner_space() -> None:
    parsed = parse_tag_list("b=abc\t def\r\n ghi=; bh= xy z=; z=From:a b", "dkim")
    assert parsed.get("b") == "abcdefghi="
    assert parsed.get("bh") == "xyz="
    assert parsed.get("z") == "From:a b"


def test_taglist_duplicate_tag_is_kept_and_flagged_first_value_wins() -> None:
    parsed = parse_tag_list("d=one.example; d=two.example", "dkim")
    assert parsed.tags == (("d", "one.example"), ("d", "two.example"))
    assert parsed.get("d") == "one.example"
    assert codes(parsed.defects) == ["dkim.tag_duplicate"]


def test_taglist_piece_without_equals_and_empty_piece_are_syntax_defects() -> None:
    parsed = parse_tag_list("v=1;; junk ; s=x", "arc")
    assert parsed.tags == (("v", "1"), ("s", "x"))
    assert codes(parsed.defects) == ["arc.tag_syntax", "arc.tag_syntax"]


def test_taglist_bad_tag_name_is_flagged_but_kept() -> None:
    parsed = parse_tag_list("1x=2; a-b=3", "dkim")
    assert parsed.tags == (("1x", "2"), ("a-b", "3"))
    assert codes(parsed.defects) == ["dkim.tag_syntax", "dkim.tag_syntax"]


def test_taglist_non_ascii_value_is_flagged() -> None:
    parsed = parse_tag_list("s=sélecteur", "dkim")
    assert parsed.get("s") == "sélecteur"
    assert codes(parsed.defects) == ["dkim.tag_value_chars"]


def test_taglist_value_may_contain_equals() -> None:
    assert parse_tag_list("bh=abc==; i=a=40b", "dkim").tags == (("bh", "abc=="), ("i", "a=40b"))


def test_taglist_count_is_bounded() -> None:
    parsed = parse_tag_list(";".join(f"t{i}=v" for i in range(MAX_TAGS + 50)), "dkim")
    assert len(parsed.tags) == MAX_TAGS
    assert codes(parsed.defects) == ["dkim.too_many_tags"]


def test_taglist_empty_text_has_no_tags_and_no_defect() -> None:
    parsed = parse_tag_list("   ", "dkim")
    assert parsed.tags == ()
    assert parsed.defects == ()


def test_taglist_of_semicolons_only_is_bounded() -> None:
    parsed = parse_tag_list(";" * 100_000, "dkim")
    assert parsed.tags == ()
    assert [d.code for d in parsed.defects][-1] == "dkim.too_many_tags"
