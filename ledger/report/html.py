"""`index.html`: one self-contained page (no network, works from `file://`) for editors.

Every piece of article or rule text goes through `e` (`html.escape`, quotes included); on top of that a
Content-Security-Policy allows only the page's own inline script (by hash), so even a slip in escaping could
not run a script that came from an article.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from itertools import chain

from ledger.model import Article, Fact, Finding
from ledger.report.charts import chart
from ledger.report.common import (SHOWN_PER_FINDING, STATUSES, Index, fact_details, group_label, is_baselined,
                                  more_note, number, pair, summary_line)
from ledger.report.common import escape_html as e
from ledger.report.registry import register

STYLE = """
:root{--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;--fail:#cf222e;--pass:#1a7f37;
--skipped:#6e7781;--waived:#9a6700;--accent:#0969da;--mark:#fff8c5;--mark-bad:#ffebe9}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,main,nav{max-width:1100px;margin:0 auto;padding:0 20px}
header{padding-top:28px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:0}
code,.mono{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
.muted{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0 8px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:110px}
.card b{display:block;font-size:24px;line-height:1.2}
.card.fail b{color:var(--fail)}.card.pass b{color:var(--pass)}.card.skipped b{color:var(--skipped)}.card.waived b{color:var(--waived)}
nav#filters{display:flex;flex-wrap:wrap;gap:18px;align-items:center;background:var(--card);border:1px solid var(--line);
border-radius:8px;padding:10px 16px;margin-top:12px;position:sticky;top:0;z-index:2}
nav#filters[hidden]{display:none}
nav fieldset{border:0;margin:0;padding:0;display:flex;gap:10px;align-items:center}
nav legend{float:left;font-weight:600;margin-right:4px}
.finding{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--skipped);border-radius:8px;
padding:14px 18px;margin:12px 0}
.finding[hidden]{display:none}
.finding.fail{border-left-color:var(--fail)}.finding.pass{border-left-color:var(--pass)}.finding.waived{border-left-color:var(--waived)}
.finding .head{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.finding .message{margin:8px 0 6px;font-size:16px}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;color:#fff;background:var(--skipped)}
.badge.fail{background:var(--fail)}.badge.pass{background:var(--pass)}.badge.waived{background:var(--waived)}
.badge.sev{background:#eaeef2;color:var(--fg)}.badge.sev.error{background:#ffebe9;color:var(--fail)}
.badge.sev.warning{background:#fff8c5;color:var(--waived)}
.where{margin-left:auto}
blockquote{margin:8px 0;padding:6px 12px;border-left:3px solid var(--line);background:var(--bg);border-radius:0 6px 6px 0}
blockquote .src{display:block;font-size:13px;color:var(--muted)}
dl.work{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 0}
dl.work dt{color:var(--muted)}dl.work dd{margin:0}
.fig{background:var(--mark);border-radius:3px;padding:0 2px;font-weight:600;color:var(--fg)}
.finding.fail .fig{background:var(--mark-bad)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.article{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:14px 0}
.article .meta{font-size:13px;color:var(--muted);margin:2px 0 10px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.7}
mark.fact{background:var(--mark);border-bottom:2px solid #d4a72c;border-radius:2px;padding:0 1px;color:inherit;cursor:help}
mark.fact.bad{background:var(--mark-bad);border-bottom-color:var(--fail)}
mark.fact:target,tr:target,.finding:target{outline:3px solid var(--accent);outline-offset:2px}
details{margin-top:10px}summary{cursor:pointer;color:var(--muted)}
svg.chart{display:block;max-width:100%;height:auto;margin:10px 0;background:#fff}
svg .grid{stroke:#eaeef2;stroke-width:1}
svg .tick,svg .label,svg .consensus-label,svg .break-label{font:11px -apple-system,Segoe UI,Helvetica,Arial,sans-serif;fill:#656d76}
svg .label{fill:#1f2328;font-size:12px}
svg .consensus{fill:#dafbe1;stroke:#1a7f37;stroke-dasharray:3 3}
svg .consensus-label{fill:#1a7f37;font-weight:600}
svg .bar{stroke-width:8;stroke-linecap:round}
svg .bar.ok,svg .arrow.ok{stroke:#54aeff}svg .bar.out,svg .arrow.out{stroke:#ff8182}
svg .arrow{fill:none;stroke-width:2}
svg .dot.ok{fill:#0969da}svg .dot.out{fill:#cf222e}
svg .series{fill:none;stroke:#8c959f;stroke-width:2}
svg .whisker{stroke:#54aeff;stroke-width:3;stroke-linecap:round}
svg .break-ring{fill:none;stroke:#cf222e;stroke-width:2}
svg .break-label{fill:#cf222e;font-weight:600}
footer{max-width:1100px;margin:40px auto;padding:0 20px;color:var(--muted);font-size:13px}
""".strip()

SCRIPT = """
(function () {
  var nav = document.getElementById("filters");
  if (!nav) { return; }
  nav.hidden = false;
  function checked(name) {
    var out = [];
    nav.querySelectorAll("input[name=" + name + "]").forEach(function (box) { if (box.checked) { out.push(box.value); } });
    return out;
  }
  function apply() {
    var statuses = checked("status"), severities = checked("severity");
    var rule = document.getElementById("filter-rule").value, shown = 0;
    document.querySelectorAll(".finding").forEach(function (card) {
      var show = statuses.indexOf(card.dataset.status) >= 0 && severities.indexOf(card.dataset.severity) >= 0 &&
        (rule === "" || card.dataset.rule === rule);
      card.hidden = !show;
      if (show) { shown += 1; }
    });
    document.getElementById("filter-count").textContent = shown + " shown";
  }
  nav.addEventListener("change", apply);
  apply();
})();
""".strip()

SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
CSP = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{SCRIPT_HASH}'; "
       "base-uri 'none'; form-action 'none'")


def _safe_url(url: str | None) -> str | None:
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


HTML_MAX_ARTICLES = 1000
"""Beyond this many articles the page shows only the texts of articles cited by non-passing findings (at
most this many): each article adds ~9 KB, and a browser cannot open a page of a million articles."""


@register("html")
def render_html(index: Index) -> Iterator[str]:
    """Whole lines, each ending in a newline: the head, then a chunk per finding and per article."""
    report = index.report
    summary = index.summary
    articles = index.sorted_articles
    article_anchor = {a.id: article_anchor_id(a.id) for a in articles}
    # only the findings shown are read in full (numbered in status order: the shown ones come first), so that a
    # forked process rendering this page allocates for no more than those
    shown_findings = index.shown_findings
    finding_anchor = {id(f): f"finding-{n}" for n, f in enumerate(shown_findings, start=1)}
    # a finding's text after its first line (which holds its number) is copied from the last run's page where it
    # can be (`Rendering.piece`): the facts of the others are read at once
    rendering = index.rendering("html")
    index.read_quoted(rendering.fresh(shown_findings))
    failing_facts = index.failing_fact_ids

    out: list[str] = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        "<title>ledger · consistency report</title>", f"<style>\n{STYLE}\n</style>", "</head>", "<body>",
        "<header>", "<h1>Consistency report</h1>", f'<p class="muted">{e(summary_line(report, summary))} · {summary["rules"]} rules</p>',
        '<div class="cards">',
    ]
    labels = {"fail": "failed", "pass": "passed", "skipped": "skipped", "waived": "waived"}
    for status in ("fail", "pass", "skipped", "waived"):
        out.append(f'<div class="card {status}"><b>{summary["by_status"][status]}</b>{labels[status]}</div>')
    for key in ("articles", "facts", "rules"):
        out.append(f'<div class="card"><b>{summary[key]}</b>{key}</div>')
    out += ["</div>", "</header>"]

    out += _filters(index)
    out += ["<main>"]
    if report.errors:
        out += ['<section id="errors">', "<h2>Input errors</h2>", "<ul>"]
        out += [f"<li><code>{e(error)}</code></li>" for error in report.errors]
        out += ["</ul>", "</section>"]

    total = len(report.findings)
    out += ['<section id="findings">', f"<h2>Findings ({total})</h2>"]
    if not total:
        out.append('<p class="muted">No findings: no rule matched any figure.</p>')
    if len(shown_findings) < total:
        out.append(f'<p class="muted">A large run: the first {len(shown_findings)} of {total} findings '
                   "(failing first) are shown here; consistency.json, ledger.sarif and junit.xml list every one.</p>")
    yield "\n".join(out) + "\n"
    for finding in shown_findings:
        yield _finding_head(finding, finding_anchor[id(finding)])
        yield rendering.piece(finding, _finding_body, index, article_anchor)

    out = ["</section>", *_rules(index), '<section id="articles">', f"<h2>Articles ({len(articles)})</h2>"]
    shown_articles = articles
    if len(articles) > HTML_MAX_ARTICLES:
        cited = {a for f in shown_findings if f.status != "pass" for a in f.articles}
        shown_articles = [a for a in articles if a.id in cited][:HTML_MAX_ARTICLES]
        out.append(f'<p class="muted">A large run: {len(shown_articles)} of {len(articles)} articles are shown here, '
                   f"those cited by the findings above that did not pass (at most {HTML_MAX_ARTICLES}); "
                   "facts.jsonl and facts.csv hold every figure of every article.</p>")
    yield "\n".join(out) + "\n"
    shown_ids = {a.id for a in shown_articles}
    facts_by_article: dict[str, list[Fact]] = {}
    for fact in index.facts_of(shown_ids):
        facts_by_article.setdefault(fact.article, []).append(fact)
    shown_facts = {fact.id for facts in facts_by_article.values() for fact in facts}
    cited_by: dict[str, list[Finding]] = {}  # only the figures and findings shown: others have no anchor here
    for finding in shown_findings:
        for fact_id in shown_facts.intersection(chain(finding.facts, *finding.roles.values())):
            cited_by.setdefault(fact_id, []).append(finding)
    for article in shown_articles:
        facts = sorted(facts_by_article.get(article.id, []), key=lambda f: (f.start, -f.end, f.id))
        lines = _article(article, facts, article_anchor[article.id], failing_facts, cited_by, finding_anchor,
                         len(shown_findings) == total)
        yield "\n".join(lines) + "\n"
    yield "\n".join(["</section>", "</main>", '<footer>Generated by ledger. Hover a highlighted figure for its value, '
                     'interval, unit and subject; click a figure in a finding to jump to it in its article.</footer>',
                     f"<script>{SCRIPT}</script>", "</body>", "</html>"]) + "\n"


def _filters(index: Index) -> list[str]:
    out = ['<nav id="filters" hidden aria-label="Filter findings">', "<fieldset><legend>Status</legend>"]
    for status in STATUSES:
        out.append(f'<label><input type="checkbox" name="status" value="{status}" checked> {status}</label>')
    out += ["</fieldset>", "<fieldset><legend>Severity</legend>"]
    for severity in ("error", "warning", "info"):
        out.append(f'<label><input type="checkbox" name="severity" value="{severity}" checked> {severity}</label>')
    out += ["</fieldset>", '<fieldset><legend>Rule</legend><select id="filter-rule"><option value="">all rules</option>']
    for rule_id in index.rule_ids():
        out.append(f'<option value="{e(rule_id)}">{e(rule_id)}</option>')
    out += ["</select></fieldset>", '<span id="filter-count" class="muted"></span>', "</nav>"]
    return out


def article_anchor_id(article_id: str) -> str:
    """An article's anchor on the page: by its id, so that it stays when other articles come and go (a link into
    the page keeps working, and a finding's text can be copied from the last run's page); an id that would not
    make a clean fragment goes by its hash."""
    if _PLAIN_ID.fullmatch(article_id):
        return f"article-{article_id}"
    return "article-" + hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]


_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _finding_head(finding: Finding, anchor: str) -> str:
    return (f'<article class="finding {finding.status}" id="{anchor}" data-status="{finding.status}" '
            f'data-severity="{finding.severity}" data-rule="{e(finding.rule)}">\n')


def _finding_body(finding: Finding, index: Index, article_anchor: dict[str, str]) -> str:
    """Everything of a finding's article element after its first line (`_finding_head`)."""
    return "\n".join(_finding(finding, index, article_anchor)) + "\n"


def _finding(finding: Finding, index: Index, article_anchor: dict[str, str]) -> list[str]:
    location = index.finding_location(finding)
    facts = index.finding_facts(finding)
    where = ""
    if location is not None:
        target = f"#fact-{facts[0].id}" if facts else (
            f"#{article_anchor[finding.articles[0]]}" if finding.articles and finding.articles[0] in article_anchor else "")
        where = (f'<a class="where mono" href="{e(target)}">{e(location)}</a>' if target
                 else f'<span class="where mono">{e(location)}</span>')
    out = ['<div class="head">'
           f'<span class="badge {finding.status}">{finding.status}</span>'
           f'<span class="badge sev {finding.severity}">{finding.severity}</span>'
           + ('<span class="badge sev">baselined</span>' if is_baselined(finding) else "") +
           f'<code>{e(finding.rule)}</code><span class="muted">{e(finding.kind)} · {e(group_label(finding.group))}</span>'
           f"{where}</div>",
           f'<p class="message">{e(finding.message)}</p>']
    svg = chart(finding, index)
    if svg:
        out.append(svg)
    quotes = index.quoted_sentences(finding)
    for article_id, sentence, spans, members, span_facts in quotes[:SHOWN_PER_FINDING]:
        article = index.articles.get(article_id)
        pieces, at = [], 0
        for start, end in spans:
            fact = span_facts.get((start, end))
            pieces.append(e(sentence[at:start]))
            inner = e(sentence[start:end])
            pieces.append(f'<a class="fig" href="#fact-{e(fact.id)}">{inner}</a>' if fact else f'<b class="fig">{inner}</b>')
            at = end
        pieces.append(e(sentence[at:]))
        name = article.title if article is not None and article.title else article_id
        first = members[0]
        path = article.path if article is not None else article_id
        link = f'#{article_anchor[article_id]}' if article_id in article_anchor else ""
        source = f'<a href="{e(link)}">{e(name)}</a>' if link else e(name)
        out.append(f'<blockquote>{"".join(pieces)}<span class="src">— {source}, '
                   f'<span class="mono">{e(path)}:{first.line}:{first.column}</span></span></blockquote>')
    left_out = more_note(len(quotes), SHOWN_PER_FINDING, "quoted sentences")
    if left_out:
        out.append(f'<p class="muted">{e(left_out)}</p>')
    rows = []
    expected, actual = pair(finding.expected, finding.unit), pair(finding.actual, finding.unit)
    if expected is not None:
        rows.append(("expected", e(expected)))
    if actual is not None:
        rows.append(("actual", e(actual)))
    if finding.work:
        rows.append(("arithmetic", f"<code>{e(finding.work)}: {finding.status}</code>"))
    if finding.waiver:
        rows.append(("waived", e(finding.waiver)))
    for role in sorted(finding.roles):
        ids = finding.roles[role]
        links = [f'<a class="mono" href="#fact-{e(i)}">{e(index.facts[i].surface)}</a>' if i in index.facts
                 else f'<span class="mono">{e(i)}</span>' for i in ids[:SHOWN_PER_FINDING]]
        left_out = more_note(len(ids), SHOWN_PER_FINDING, "figures")
        rows.append((e(role), ", ".join(links + ([e(left_out)] if left_out else [])) or "—"))
    cited = {f.article for f in facts}
    unfacted = [a for a in finding.articles if a not in cited]
    if unfacted:
        rows.append(("articles", ", ".join(
            f'<a href="#{article_anchor[a]}">{e(a)}</a>' if a in article_anchor else e(a) for a in unfacted)))
    if rows:
        out.append('<dl class="work">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>")
    out.append("</article>")
    return out


def _rules(index: Index) -> list[str]:
    out = ['<section id="rules">', "<h2>Rules</h2>", "<table>",
           "<thead><tr><th>Rule</th><th>Kind</th><th>Severity</th><th>fail</th><th>pass</th><th>skipped</th>"
           "<th>waived</th><th>Description</th></tr></thead>", "<tbody>"]
    for rule_id in index.rule_ids():
        info = index.rule_info(rule_id)
        statuses = index.rule_counts(rule_id)[0]
        counts = [statuses[s] for s in ("fail", "pass", "skipped", "waived")]
        defined = f'<br><span class="muted mono">{e(info.file)}:{info.line}</span>' if info.file and info.line else ""
        out.append(f"<tr><td><code>{e(rule_id)}</code>{defined}</td><td>{e(info.kind)}</td><td>{e(info.severity)}</td>"
                   + "".join(f'<td class="n">{c}</td>' for c in counts) + f"<td>{e(info.description)}</td></tr>")
    out += ["</tbody>", "</table>", "</section>"]
    return out


def _fact_title(details: list[tuple[str, str]]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in details)


def _article(article: Article, facts: list[Fact], anchor: str, failing: set[str] | frozenset[str],
             cited_by: dict[str, list[Finding]], finding_anchor: dict[int, str], all_shown: bool = True) -> list[str]:
    meta = [f'<span class="mono">{e(article.path)}</span>', f"id <code>{e(article.id)}</code>"]
    if article.outlet:
        meta.append(e(article.outlet))
    if article.published:
        meta.append(e(article.published.isoformat()))
    url = _safe_url(article.url)
    if url:
        meta.append(f'<a href="{e(url)}" rel="noopener noreferrer">source</a>')
    meta.append(f"{len(facts)} figures")
    out = [f'<section class="article" id="{anchor}">', f"<h3>{e(article.title or article.id)}</h3>",
           f'<div class="meta">{" · ".join(meta)}</div>']
    placed = {f.id for f in facts if article.text and 0 <= f.start <= f.end <= len(article.text)
              and article.text[f.start:f.end] == f.surface}
    details = {f.id: fact_details(f) for f in facts}  # for the hover titles and the table rows
    if article.text:
        text = _highlighted(article.text, [f for f in facts if f.id in placed], failing, details)
        out.append(f'<div class="text">{text}</div>')
    else:
        out.append('<p class="muted">The article text is not available here (it was not found at its path, '
                   "or it changed since the facts were extracted).</p>")
    if facts:
        out += ["<details><summary>Figures in this article</summary>", "<table>",
                "<thead><tr><th>Figure</th><th>Where</th><th>Value</th><th>Interval</th><th>Unit</th><th>Subject</th>"
                f"<th>Qualifier</th><th>{'Findings' if all_shown else 'Findings shown above'}</th></tr></thead>",
                "<tbody>"]
        for fact in facts:
            row_id = "" if fact.id in placed else f' id="fact-{e(fact.id)}"'
            shown = dict(details[fact.id])
            links = ", ".join(f'<a href="#{finding_anchor[id(f)]}">{e(f.rule)} ({f.status})</a>'
                              for f in cited_by.get(fact.id, []))
            out.append(f"<tr{row_id}><td><code>{e(fact.surface)}</code></td><td class=\"mono\">{fact.line}:{fact.column}</td>"
                       f'<td class="n">{e(number(fact.value))}</td><td>{e(shown["interval"])}</td><td>{e(shown["unit"])}</td>'
                       f"<td>{e(shown['subject'])}</td><td>{e(fact.qualifier)}</td><td>{links or '—'}</td></tr>")
        out += ["</tbody>", "</table>", "</details>"]
    out.append("</section>")
    return out


def _highlighted(text: str, facts: list[Fact], failing: set[str] | frozenset[str],
                 details: dict[str, list[tuple[str, str]]]) -> str:
    """The text with each figure in a <mark>; a figure inside another nests, one that straddles gets an anchor."""
    out: list[str] = []
    stack: list[int] = []
    at = 0

    def close_until(position: int) -> None:
        nonlocal at
        while stack and stack[-1] <= position:
            end = stack.pop()
            out.append(e(text[at:end]))
            out.append("</mark>")
            at = end

    for fact in facts:
        close_until(fact.start)
        out.append(e(text[at:fact.start]))
        at = fact.start
        if stack and fact.end > stack[-1]:
            out.append(f'<span id="fact-{e(fact.id)}"></span>')
            continue
        cls = "fact bad" if fact.id in failing else "fact"
        title = _fact_title(details[fact.id])
        out.append(f'<mark class="{cls}" id="fact-{e(fact.id)}" tabindex="0" title="{e(title)}">')
        stack.append(fact.end)
    close_until(len(text))
    out.append(e(text[at:]))
    return "".join(out)
