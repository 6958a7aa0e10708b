"""index.html: self-contained, escaped, every figure anchored, charts drawn without JavaScript."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from ledger.report import render
from ledger.report.html import CSP, SCRIPT


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


@pytest.fixture
def page(report) -> str:
    return render("html", report)


@pytest.fixture
def parsed(page) -> Collector:
    collector = Collector()
    collector.feed(page)
    return collector


def test_hostile_text_is_escaped(page, parsed):
    assert "<script>document.title" not in page
    assert "&lt;script&gt;document.title=&#x27;PWNED&#x27;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in page
    assert "<b>12 ambulances</b>" not in page and "&lt;b&gt;12 ambulances&lt;/b&gt;" in page
    assert [tag for tag, _ in parsed.tags if tag == "script"] == ["script"]
    assert parsed.scripts == [SCRIPT]
    assert not [tag for tag, _ in parsed.tags if tag in ("img", "iframe", "object", "embed")]
    assert not [attrs for _, attrs in parsed.tags if any(name.startswith("on") for name in attrs)]
    assert "javascript:" not in " ".join(attrs.get("href") or "" for _, attrs in parsed.tags)


def test_self_contained(parsed):
    for tag, attrs in parsed.tags:
        for name in ("src", "href"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith(("#", "data:", "http://", "https://")), (tag, attrs)
                if value.startswith("http"):
                    assert tag == "a", (tag, attrs)  # only the article's own source link leaves the page
    assert not [attrs for tag, attrs in parsed.tags if tag == "link" and attrs.get("rel") == "stylesheet"]


def test_csp_allows_only_our_script(page):
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in CSP
    assert "default-src 'none'" in CSP
    assert 'http-equiv="Content-Security-Policy"' in page


def test_every_figure_is_highlighted_with_its_details(report, parsed):
    marks = {attrs["id"]: attrs for tag, attrs in parsed.tags if tag == "mark"}
    assert set(marks) == {f"fact-{f.id}" for f in report.facts}
    toll2 = next(f for f in report.facts if f.surface == "more than 1,500 people")
    title = marks[f"fact-{toll2.id}"]["title"]
    assert "interval: ≥ 1,500" in title and "subject: people" in title and "qualifier: more_than" in title
    assert "value: 1,500" in title and "unit: count" in title


def test_finding_links_point_at_existing_anchors(parsed):
    ids = {attrs["id"] for _, attrs in parsed.tags if attrs.get("id")}
    links = [attrs["href"][1:] for tag, attrs in parsed.tags if tag == "a" and (attrs.get("href") or "").startswith("#")]
    assert links and set(links) <= ids
    assert any(link.startswith("fact-") for link in links)


def test_findings_carry_filter_data(report, parsed):
    cards = [attrs for tag, attrs in parsed.tags if tag == "article" and "finding" in (attrs.get("class") or "")]
    assert len(cards) == len(report.findings)
    assert [c["data-status"] for c in cards] == ["fail"] * 3 + ["skipped", "waived", "pass", "pass"]
    assert {c["data-rule"] for c in cards} == {f.rule for f in report.findings}
    nav = next(attrs for tag, attrs in parsed.tags if tag == "nav")
    assert "hidden" in nav  # the filters only appear when the script runs; content never depends on it


def test_charts_for_agreement_and_monotonic(page):
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S)
    assert len(svgs) == 2
    agreement, monotonic = svgs
    assert 'class="consensus"' in agreement and agreement.count('class="dot ') == 3
    assert agreement.count('class="dot out"') == 1  # $3 billion a year is the outlier
    assert "consensus 1.08 bn–1.32 bn" in agreement
    assert monotonic.count('class="break-ring"') == 1 and "breaks the order" in monotonic
    assert ">2023-01-02<" in monotonic and ">2023-01-09<" in monotonic


def test_missing_text_still_anchors_facts(report):
    stripped = report.model_copy(update={"articles": tuple(a.model_copy(update={"text": ""}) for a in report.articles)})
    page = render("html", stripped)
    for fact in report.facts:
        assert f'id="fact-{fact.id}"' in page
    assert "not available here" in page


def test_overlapping_figures_nest_or_get_an_anchor(make_fact):
    from ledger.model import Article, Report

    article = Article(id="a", path="a.md", text="They paid $5 million, some 5 million dollars.")
    outer = make_fact(article, "$5 million", 5e6, unit="USD")
    inner = make_fact(article, "5 million", 5e6)
    straddle = make_fact(article, "million, some", 1)
    page = render("html", Report(articles=(article,), facts=(outer, inner, straddle)))
    text = page.split('<div class="text">', 1)[1].split("</div>", 1)[0]
    assert re.sub(r"<[^>]+>", "", text) == "They paid $5 million, some 5 million dollars."
    assert text.count("<mark") == text.count("</mark>") == 2
    assert f'<span id="fact-{straddle.id}"></span>' in text


def test_large_runs_cap_the_page_and_say_so(report, monkeypatch):
    """Beyond HTML_MAX_ARTICLES articles only the texts cited by non-passing findings are shown (at most that
    many), beyond SHOWN_FINDINGS findings only the first are listed; the page says so."""
    from ledger.report import common
    from ledger.report import html as html_module

    full = render("html", report)
    assert "A large run" not in full
    monkeypatch.setattr(html_module, "HTML_MAX_ARTICLES", 1)
    monkeypatch.setattr(common, "SHOWN_FINDINGS", 1)
    capped = render("html", report)
    assert f"the first 1 of {len(report.findings)} findings" in capped
    assert f"of {len(report.articles)} articles are shown here" in capped
    assert capped.count('<section class="article"') <= 1 < len(report.articles)
    assert len(capped) < len(full)
