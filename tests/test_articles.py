"""Reading articles: front matter, archives, encodings, and bad input named and skipped."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ledger.articles import read_articles


def write(path, data: bytes | str):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_front_matter_fields_and_line_offset(tmp_path):
    write(tmp_path / "a.md", "---\nid: wagner-1\ntitle: T\noutlet: Wire\npublished: 2022-12-22\nurl: http://x\nsection: World\n---\nLine one.\nAbout 50,000 people.\n")
    result = read_articles([tmp_path])
    assert not result.errors
    (article,) = result.articles
    assert article.id == "wagner-1"
    assert (article.title, article.outlet, article.url) == ("T", "Wire", "http://x")
    assert article.published == date(2022, 12, 22)
    assert article.meta == {"section": "World"}
    assert article.text == "Line one.\nAbout 50,000 people.\n"
    assert article.line_column(article.text.index("50,000")) == (10, 7)


def test_id_defaults_to_path_relative_to_argument_in_sorted_order(tmp_path):
    write(tmp_path / "b" / "z.txt", "z")
    write(tmp_path / "b" / "a.md", "a")
    write(tmp_path / "c.txt", "c")
    write(tmp_path / "ignored.pdf", "x")
    result = read_articles([tmp_path])
    assert [a.id for a in result.articles] == ["b/a.md", "b/z.txt", "c.txt"]
    assert result.articles[0].path == (tmp_path / "b" / "a.md").as_posix()


def test_jsonl_archive_reads_each_line_and_names_bad_lines(tmp_path):
    lines = [json.dumps({"id": "x1", "text": "Some 5 people.", "published": "2020-01-02", "outlet": "O"}),
             "{not json", json.dumps({"text": "No id here."}), json.dumps([1, 2]), ""]
    write(tmp_path / "arch.jsonl", "\n".join(lines))
    result = read_articles([tmp_path / "arch.jsonl"])
    assert [a.id for a in result.articles] == ["x1", "arch.jsonl#3"]
    assert result.articles[0].published == date(2020, 1, 2)
    messages = [str(e) for e in result.errors]
    assert any(m.startswith(f"{tmp_path.as_posix()}/arch.jsonl:2:") and "not valid JSON" in m for m in messages)
    assert any(":4:" in m and "JSON object" in m for m in messages)


@pytest.mark.parametrize("content, needle", [
    (b"\x00\x01\x02binary\x00", "binary"),
    (b"---\ntitle: [unclosed\n---\ntext", "broken front matter"),
    (b"---\ntitle: x\nno closing fence", "never closed"),
    (b"---\n- a list\n---\ntext", "mapping"),
    (b"---\npublished: someday\n---\ntext", "published"),
    (b"---\npublished: 2024-13-01\n---\ntext", "'published' must be a date like 2022-12-22, not '2024-13-01'"),
])
def test_bad_articles_are_named_and_skipped(tmp_path, content, needle):
    write(tmp_path / "bad.md", content)
    write(tmp_path / "good.md", "About 5 people.")
    result = read_articles([tmp_path])
    assert [a.id for a in result.articles] == ["good.md"]
    (error,) = result.errors
    assert str(error).startswith((tmp_path / "bad.md").as_posix())
    assert needle in str(error)
    assert "\n" not in str(error)


def test_broken_front_matter_points_at_the_line(tmp_path):
    write(tmp_path / "bad.md", "---\ntitle: ok\noutlet: [x\n---\ntext")
    (error,) = read_articles([tmp_path]).errors
    assert error.line is not None and error.line >= 3


@pytest.mark.parametrize("data, codec", [
    ("Über 5 Leute £3".encode("utf-16"), "UTF-16"),
    ("Café costs £3".encode("latin-1"), "cp1252"),
    ("It cost €3 – “quoted”".encode("cp1252"), "cp1252"),
])
def test_other_encodings_decode_with_a_warning(tmp_path, data, codec):
    write(tmp_path / "enc.txt", data)
    result = read_articles([tmp_path])
    assert not result.errors
    assert len(result.articles) == 1 and "3" in result.articles[0].text
    assert any(codec in str(w) for w in result.warnings)


def test_empty_article_is_an_article_with_no_text(tmp_path):
    write(tmp_path / "empty.txt", "")
    result = read_articles([tmp_path])
    assert not result.errors and result.articles[0].text == ""


def test_missing_path_and_duplicate_ids_are_errors(tmp_path):
    write(tmp_path / "a.md", "---\nid: same\n---\nx")
    write(tmp_path / "b.md", "---\nid: same\n---\ny")
    result = read_articles([tmp_path, tmp_path / "nope"])
    assert [a.path for a in result.articles] == [(tmp_path / "a.md").as_posix()]
    messages = " | ".join(str(e) for e in result.errors)
    assert "no such file" in messages and "duplicate article id 'same'" in messages


def test_symlink_loop_is_named_not_followed_forever(tmp_path):
    write(tmp_path / "d" / "a.txt", "x")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    result = read_articles([tmp_path])
    assert [a.id for a in result.articles] == ["d/a.txt"]
    assert any("loop" in str(e) for e in result.errors)


def test_files_of_other_kinds_in_a_folder_are_named_once(tmp_path):
    write(tmp_path / "a.md", "About 50,000 people.")
    write(tmp_path / "page.html", "<p>12 people</p>")
    write(tmp_path / "scan.pdf", b"%PDF-1.4")
    result = read_articles([tmp_path])
    assert [a.id for a in result.articles] == ["a.md"]
    assert [str(w) for w in result.warnings] == [
        f"{tmp_path.as_posix()}: 2 files not read (page.html, scan.pdf): articles are .txt, .md, .markdown or "
        ".jsonl files"]
