"""Any text in an article, a rule or a message renders safely: the XML parses, the JSON loads, the SARIF
validates, and the HTML page holds exactly one script and no element the text asked for."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.model import Article, Finding, Report, RuleInfo, fact_id
from ledger.report import render

SARIF_SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
NASTY = st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "]]>", "&amp;", "\x00", "\x1b[31m",
                         "\ud800", "`", "|", "**", "\r\n", "%0A", "::error::", "\u2028", "--><!--", "'\"", "# h"])
TEXT = st.lists(st.one_of(st.text(max_size=12), NASTY), max_size=6).map("".join)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, message=TEXT, rule=TEXT, title=TEXT)
def test_any_text_renders_safely(text, message, rule, title):
    body = f"{text} 42 people {text}"
    start = body.index("42 people")
    article = Article(id=title or "a", path=f"corpus/{title}.md", text=body, title=title)
    line, column = article.line_column(start)
    from ledger.model import Fact
    fact = Fact(id=fact_id(article.id, start, start + 9, "42 people"), article=article.id, start=start, end=start + 9,
                line=line, column=column, surface="42 people", sentence=body, value=42, low=42, high=42)
    finding = Finding(rule=rule or "r", kind="agreement", severity="error", status="fail", message=message,
                      articles=(article.id,), facts=(fact.id,), expected=(1, 2), actual=(42, 42), work=message)
    report = Report(articles=(article,), facts=(fact,), findings=(finding,), errors=(message,),
                    rules=(RuleInfo(id=rule or "r", kind="agreement", description=text),))

    ET.fromstring(render("junit", report).encode("utf-8", "surrogatepass"))
    json.loads(render("json", report))
    sarif = json.loads(render("sarif", report))
    assert not list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(sarif))

    page = render("html", report)
    parser = Tags()
    parser.feed(page)
    assert parser.tags.count("script") == 1
    assert "img" not in parser.tags and not parser.handlers

    for line in render("github", report).rstrip("\n").split("\n"):
        assert line.startswith("::")
