"""Hostile and broken input: one clear line naming the file (and line:col), the right exit code, no traceback.

Each case builds a small project (articles + rules), runs `ledger check` in-process, and checks the
exit code, that every error line names the offending file, and that no traceback escaped.
"""

from __future__ import annotations

import codecs
import os
import re

import pytest

from ledger.cli import main

GOOD_RULES = """version: 1
rules:
  - id: force.composition
    kind: sum
    total: {subject: [people, fighters]}
    parts:
      - {subject: contractors}
      - {subject: inmates}
"""
GOOD_ARTICLE = ("---\nid: good\npublished: 2022-12-22\n---\n"
                "Wagner has about 50,000 people fighting, including 10,000 contractors and about 40,000 inmates.\n")
BOMB = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9) if p else ', '.join(['x'] * 9)}]\n"
               for p, c in zip([None, "a", "b", "c", "d", "e", "f", "g"], "abcdefgh"))

# (case id, {relative path: content}, expected exit code, file named in stderr or None, text in stderr)
CASES: list[tuple[str, dict[str, bytes | str], int, str | None, str]] = [
    # ---- articles
    ("empty article", {"seeds/e.md": ""}, 0, None, ""),
    ("whitespace article", {"seeds/e.md": "\n\n   \n"}, 0, None, ""),
    ("binary article", {"seeds/b.txt": bytes(range(256)) * 4}, 2, "seeds/b.txt", "binary"),
    ("NUL-filled article", {"seeds/n.txt": b"\x00" * 1000}, 2, "seeds/n.txt", "binary"),
    ("NUL inside text", {"seeds/n.md": b"About 5 people\x00 left."}, 2, "seeds/n.md", "NUL"),
    ("UTF-16 with BOM", {"seeds/u.md": "About 5 people left.".encode("utf-16")}, 0, "seeds/u.md", "UTF-16"),
    ("UTF-32 with BOM", {"seeds/u.md": "About 5 people left.".encode("utf-32")}, 0, "seeds/u.md", "UTF-32"),
    ("UTF-8 with BOM", {"seeds/u.md": codecs.BOM_UTF8 + b"About 5 people left."}, 0, None, ""),
    ("Latin-1", {"seeds/l.md": "Caf\u00e9 owners, about 5 people.".encode("latin-1")}, 0, "seeds/l.md", "cp1252"),
    ("cp1252 quotes", {"seeds/c.md": "\u201cAbout\u201d 5 people \u2013 left.".encode("cp1252")}, 0, "seeds/c.md", "cp1252"),
    ("mixed encodings", {"seeds/m.md": "caf\u00e9 ".encode() + "caf\u00e9".encode("latin-1")}, 0, "seeds/m.md", "not UTF-8"),
    ("front matter never closed", {"seeds/f.md": "---\ntitle: x\nAbout 5 people."}, 2, "seeds/f.md:1:1", "never closed"),
    ("front matter YAML error", {"seeds/f.md": "---\ntitle: [x\n---\ntext"}, 2, "seeds/f.md:", "front matter"),
    ("front matter is a list", {"seeds/f.md": "---\n- a\n- b\n---\ntext"}, 2, "seeds/f.md", "mapping"),
    ("front matter is a string", {"seeds/f.md": "---\njust words\n---\ntext"}, 2, "seeds/f.md", "mapping"),
    ("front matter bad date", {"seeds/f.md": "---\npublished: yesterday\n---\ntext"}, 2, "seeds/f.md", "published"),
    ("front matter python tag", {"seeds/f.md": "---\nx: !!python/object/apply:os.system ['echo pwned']\n---\ntext"},
     2, "seeds/f.md", "front matter"),
    ("front matter alias bomb", {"seeds/f.md": "---\n" + BOMB + "---\ntext"}, 2, "seeds/f.md:", "aliases"),
    ("front matter deeply nested", {"seeds/f.md": "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\ntext"},
     2, "seeds/f.md", ""),
    ("front matter tabs", {"seeds/f.md": "---\ntitle:\n\t- x\n---\ntext"}, 2, "seeds/f.md", "front matter"),
    ("front matter id not a string", {"seeds/f.md": "---\nid: [1, 2]\n---\ntext"}, 2, "seeds/f.md", "id"),
    ("duplicate article ids", {"seeds/a.md": "---\nid: same\n---\nx", "seeds/b.md": "---\nid: same\n---\ny"},
     2, "seeds/b.md", "duplicate"),
    ("jsonl bad JSON line", {"seeds/a.jsonl": '{"id": "a", "text": "5 people"}\n{oops\n'}, 2, "seeds/a.jsonl:2:", "JSON"),
    ("jsonl not an object", {"seeds/a.jsonl": '[1, 2]\n'}, 2, "seeds/a.jsonl:1", "object"),
    ("jsonl text missing", {"seeds/a.jsonl": '{"id": "x"}\n'}, 2, "seeds/a.jsonl:1", "text"),
    ("jsonl text not a string", {"seeds/a.jsonl": '{"id": "x", "text": 5}\n'}, 2, "seeds/a.jsonl:1", "text"),
    ("jsonl deeply nested", {"seeds/a.jsonl": "[" * 100000 + "]" * 100000 + "\n"}, 2, "seeds/a.jsonl:1", "JSON"),
    ("jsonl lone surrogate", {"seeds/a.jsonl": '{"id": "x", "text": "bad \\ud800 5 people"}\n'}, 0, "seeds/a.jsonl:1",
     "surrogate"),
    ("jsonl NUL in text", {"seeds/a.jsonl": '{"id": "x", "text": "a\\u0000b"}\n'}, 2, "seeds/a.jsonl:1", "NUL"),
    ("article with script", {"seeds/x.md": "<script>alert(1)</script> About 5 people <img src=x onerror=alert(1)>"},
     0, None, ""),
    ("article id with path traversal", {"seeds/x.md": "---\nid: ../../etc/passwd\n---\nAbout 5 people."}, 0, None, ""),
    # ---- rules
    ("rule YAML syntax error", {"rules/a.yaml": "version: 1\nrules: [\n"}, 2, "rules/a.yaml:", "YAML"),
    ("rule tabs", {"rules/a.yaml": "version: 1\nrules:\n\t- id: x\n"}, 2, "rules/a.yaml:3:1", "tab"),
    ("rule duplicate keys", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    id: y\n    kind: sum\n"},
     2, "rules/a.yaml:4:5", "duplicate"),
    ("rule billion laughs", {"rules/a.yaml": BOMB}, 2, "rules/a.yaml:", "alias"),
    ("rule deeply nested", {"rules/a.yaml": "version: 1\nrules: " + "[" * 3000 + "]" * 3000 + "\n"}, 2, "rules/a.yaml", ""),
    ("rule wrong type", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: sum\n    total: 5\n    parts: []\n"},
     2, "rules/a.yaml:5:12", "total"),
    ("rule unknown kind", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: summ\n"}, 2, "rules/a.yaml:4:11",
     "did you mean 'sum'"),
    ("rule misspelled key", {"rules/a.yaml": GOOD_RULES.replace("parts:", "prts:")}, 2, "rules/a.yaml:6:5", "did you mean"),
    ("rule unknown unit", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: bounds\n    select: {unit: furlongz}\n    min: 1\n"},
     2, "rules/a.yaml:5:20", "unit"),
    ("rule regex does not compile", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: bounds\n    select: {text: '(unclosed'}\n    min: 1\n"},
     2, "rules/a.yaml:5:20", ""),
    ("rule catastrophic regex", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: bounds\n    select: {text: '(a+)+$'}\n    min: 1\n"},
     2, "rules/a.yaml:5:20", ""),
    ("expr attribute access", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: expr\n    facts: {a: {subject: a}}\n    assert: 'a.__class__ == 1'\n"},
     2, "rules/a.yaml:6:13", ""),
    ("expr call", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: expr\n    facts: {a: {subject: a}}\n    assert: \"__import__('os').system('x') == 0\"\n"},
     2, "rules/a.yaml:6:13", ""),
    ("expr import", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: expr\n    facts: {a: {subject: a}}\n    assert: 'import os'\n"},
     2, "rules/a.yaml:6:13", ""),
    ("expr unknown name", {"rules/a.yaml": "version: 1\nrules:\n  - id: x\n    kind: expr\n    facts: {a: {subject: a}}\n    assert: 'a == b'\n"},
     2, "rules/a.yaml:6:13", "b"),
    ("duplicate rule ids across files", {"rules/b.yaml": GOOD_RULES}, 2, "rules/good.yaml:3:9", "duplicate"),
    ("rule file is binary", {"rules/a.yaml": b"\x00\xff\xfe\x00"}, 2, "rules/a.yaml", ""),
    ("rule file is a list", {"rules/a.yaml": "- 1\n- 2\n"}, 2, "rules/a.yaml:1:1", ""),
    ("rule python tag", {"rules/a.yaml": "version: 1\nrules: !!python/object/apply:os.system ['echo pwned']\n"},
     2, "rules/a.yaml:2:", ""),
    ("unknown version", {"rules/a.yaml": "version: 7\nrules: []\n"}, 2, "rules/a.yaml:1:10", "version"),
]


def build(tmp_path, files: dict[str, bytes | str]) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "rules").mkdir()
    (tmp_path / "seeds" / "good.md").write_text(GOOD_ARTICLE)
    (tmp_path / "rules" / "good.yaml").write_text(GOOD_RULES)
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.startswith("rules/") and name != "rules/b.yaml":
            (tmp_path / "rules" / "good.yaml").unlink(missing_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)


def run_check(tmp_path, monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code = main(["check", "--no-cache", "--jobs", "1", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name, files, code, where, needle", CASES, ids=[c[0] for c in CASES])
def test_bad_input(tmp_path, monkeypatch, capsys, name, files, code, where, needle):
    build(tmp_path, files)
    got, out, err = run_check(tmp_path, monkeypatch, capsys)
    assert got == code, f"exit {got}\nstdout:\n{out}\nstderr:\n{err}"
    assert "Traceback" not in err and "Traceback" not in out
    assert "internal error" not in err, err
    if where:
        assert where in err, err
    assert needle in err, err
    for line in err.splitlines():
        assert line.startswith("ledger: "), f"not a one-line message: {line!r}"
    if code != 0 and where and where.startswith("rules/"):
        assert not (tmp_path / "reports").exists(), "a broken rule file must stop the run before any check"
    assert not (tmp_path / "pwned").exists()


def test_good_articles_still_checked_beside_a_bad_one(tmp_path, monkeypatch, capsys):
    build(tmp_path, {"seeds/bad.txt": b"\x00\x00"})
    code, out, err = run_check(tmp_path, monkeypatch, capsys)
    assert code == 2
    report = (tmp_path / "reports" / "consistency.json").read_text()
    assert '"status": "pass"' in report and "seeds/bad.txt" in report


@pytest.mark.parametrize("store", [False, True])
def test_an_article_the_extractor_fails_on_is_named_and_the_rest_checked(tmp_path, monkeypatch, capsys, store):
    """A bug met on one article's text (here: any error raised extracting it) names that article, one line, exit 2;
    the other articles are checked, and the failed one is not stored as extracted (it is tried again next run)."""
    from ledger import pipeline

    build(tmp_path, {"seeds/odd.md": "Sales rose 7 percent to 300 units.\n"})
    extract = pipeline.article_facts

    def failing(article):
        if article.id.endswith("odd.md"):
            raise KeyError("laſt")
        return extract(article)

    monkeypatch.setattr(pipeline, "article_facts", failing)
    for _ in range(2 if store else 1):  # a second run meets it again
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("CI", "true")
        code = main(["check", "--jobs", "1", *([] if store else ["--no-cache"])])
        out, err = capsys.readouterr()
        assert code == 2 and "Traceback" not in err and "internal error" not in err, err
        assert "ledger: error: seeds/odd.md: " in err and "KeyError" in err, err
        assert all(line.startswith("ledger: ") for line in err.splitlines()), err
        report = (tmp_path / "reports" / "consistency.json").read_text()
        assert '"status": "pass"' in report and "its figures could not be extracted" in report


def test_rules_folder_that_is_a_file(tmp_path, monkeypatch, capsys):
    build(tmp_path, {})
    code, _, err = run_check(tmp_path, monkeypatch, capsys, "--rules", "seeds/good.md")
    assert code == 2 and "seeds/good.md" in err and "Traceback" not in err


def test_reports_folder_that_cannot_be_written(tmp_path, monkeypatch, capsys):
    build(tmp_path, {"blocker": "a file where the reports folder should be"})
    code, _, err = run_check(tmp_path, monkeypatch, capsys, "--reports", "blocker/reports")
    assert code == 2 and "blocker" in err and "Traceback" not in err


def test_symlink_loop_in_articles(tmp_path, monkeypatch, capsys):
    build(tmp_path, {})
    os.symlink(tmp_path / "seeds", tmp_path / "seeds" / "loop")
    code, _, err = run_check(tmp_path, monkeypatch, capsys)
    assert code == 2 and "loop" in err and "Traceback" not in err


def test_article_ids_never_become_paths_outside_reports(tmp_path, monkeypatch, capsys):
    build(tmp_path, {"seeds/x.md": "---\nid: ../../escaped\n---\nAbout 5 people."})
    run_check(tmp_path, monkeypatch, capsys)
    assert not (tmp_path.parent / "escaped").exists() and not (tmp_path / "escaped").exists()
    assert sorted(p.name for p in (tmp_path / "reports").iterdir() if not p.name.startswith(".")) == sorted(
        ["consistency.json", "consistency.md", "index.html", "ledger.sarif", "junit.xml", "facts.jsonl", "facts.csv"])


def test_single_10_mb_line_is_handled(tmp_path, monkeypatch, capsys):
    chunk = "and the committee went on talking about the weather in the region " * 15 + "with 40 jobs "
    build(tmp_path, {"seeds/long.txt": chunk * (10_000_000 // len(chunk))})
    code, _, err = run_check(tmp_path, monkeypatch, capsys)
    assert code in (0, 1) and "Traceback" not in err


def test_oversized_article_is_named_and_skipped(tmp_path, monkeypatch, capsys):
    build(tmp_path, {})
    with open(tmp_path / "seeds" / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    code, _, err = run_check(tmp_path, monkeypatch, capsys)
    assert code == 2 and re.search(r"seeds/huge.txt: .*too large", err), err


def test_ctrl_c_while_the_commands_are_set_up_is_one_line(monkeypatch, capsys):
    import ledger.cli

    def interrupted():
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger.cli, "build_parser", interrupted)
    assert main(["check"]) == 130
    assert capsys.readouterr().err == "ledger: error: interrupted\n"
