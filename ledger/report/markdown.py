"""`consistency.md`: the report an editor reads on GitHub, with the figures quoted and the arithmetic shown."""

from __future__ import annotations

import re

from ledger.model import SEVERITIES, Finding, Report
from ledger.model import Fact
from ledger.report.common import (STATUSES, Index, fact_interval, group_label, pair, quoted_sentences, summarize,
                                  summary_line, is_baselined)
from ledger.report.registry import register

STATUS_MARKS = {"fail": "❌", "skipped": "⏭️", "waived": "🔕", "pass": "✅"}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
"""What would turn text into markup on GitHub: emphasis, code, links, HTML, tables, strikethrough, entities."""


def escape(text: str) -> str:
    """Text that renders as itself: Markdown and HTML punctuation backslash-escaped, one line."""
    text = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """An inline code span that holds any text (its fence is longer than any backtick run inside)."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    return escape(text) if text else "—"


@register("markdown")
def render_markdown(report: Report) -> str:
    index = Index(report)
    summary = summarize(report)
    out: list[str] = ["# Consistency report", "", f"**{summary_line(report)}** · {summary['rules']} rules", ""]

    out += ["| Status | " + " | ".join(SEVERITIES) + " | Total |", "|---|" + "---:|" * (len(SEVERITIES) + 1)]
    for status in STATUSES:
        counts = [sum(1 for f in report.findings if f.status == status and f.severity == s) for s in SEVERITIES]
        out.append(f"| {STATUS_MARKS[status]} {status} | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    out.append("")

    if report.errors:
        out += ["## Input errors", ""]
        out += [f"- {escape(e)}" for e in report.errors]
        out.append("")

    out += ["## Rules", "", "| Rule | Kind | Severity | ❌ fail | ✅ pass | ⏭️ skipped | 🔕 waived | Description |",
            "|---|---|---|---:|---:|---:|---:|---|"]
    for rule_id in index.rule_ids():
        info = index.rule_info(rule_id)
        counts = [index.rule_status_counts[rule_id, s] for s in ("fail", "pass", "skipped", "waived")]
        out.append(f"| {code(rule_id)} | {escape(info.kind)} | {info.severity} | "
                   + " | ".join(map(str, counts)) + f" | {cell(info.description)} |")
    out.append("")

    for status, title in (("fail", "Failures"), ("skipped", "Skipped"), ("waived", "Waived")):
        findings = index.by_status(status)
        if not findings:
            continue
        out += [f"## {title} ({len(findings)})", ""]
        for finding in findings:
            out += _finding(finding, index)

    passes = index.by_status("pass")
    if passes:
        out += [f"## Passes ({len(passes)})", "", "<details>", f"<summary>{len(passes)} passing checks</summary>", ""]
        for finding in passes:
            location = index.finding_location(finding)
            where = f" — {code(str(location))}" if location else ""
            work = f": {code(finding.work if finding.work.endswith(': pass') else finding.work + ': pass')}" if finding.work else ""
            out.append(f"- {code(finding.rule)} ({escape(group_label(finding.group))}){where}{work}")
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _finding(finding: Finding, index: Index) -> list[str]:
    location = index.finding_location(finding)
    out = [f"### {STATUS_MARKS[finding.status]} {code(finding.rule)}: {escape(finding.message)}", ""]
    facts_line = [f"**{finding.severity}**", f"{finding.kind}", escape(group_label(finding.group))]
    if is_baselined(finding):
        facts_line.insert(1, "baselined (does not fail CI)")
    if location is not None:
        facts_line.append(code(str(location)))
    out.append(" · ".join(facts_line))
    out.append("")
    for article_id, sentence, spans, facts in quoted_sentences(index.finding_facts(finding), index):
        out.append("> " + _marked(sentence, spans))
        article = index.articles.get(article_id)
        where = f"{article.path}:{facts[0].line}:{facts[0].column}" if article else f"{article_id}:{facts[0].line}:{facts[0].column}"
        title = f" *{escape(article.title)}*" if article is not None and article.title else ""
        out.append(f">\n> — {code(article_id)}{title}, {code(where)}")
        out.append("")
    details = []
    for fact in index.finding_facts(finding):
        details.append(f"- {code(fact.surface)} in {code(fact.article)}: {escape(_fact_summary(fact))}")
    expected, actual = pair(finding.expected, finding.unit), pair(finding.actual, finding.unit)
    if expected is not None:
        details.append(f"- expected: {escape(expected)}")
    if actual is not None:
        details.append(f"- actual: {escape(actual)}")
    if finding.work:
        details.append(f"- arithmetic: {code(finding.work + ': ' + finding.status)}")
    if finding.waiver:
        details.append(f"- waived: {escape(finding.waiver)}")
    cited = {f.article for f in index.finding_facts(finding)}
    missing_articles = [a for a in finding.articles if a not in cited]
    if missing_articles:
        details.append("- articles: " + ", ".join(code(a) for a in missing_articles))
    if details:
        out += details + [""]
    return out


def _fact_summary(fact: Fact) -> str:
    subject = fact.subject_phrase or fact.subject
    text = fact_interval(fact) + (f" ({fact.qualifier})" if fact.qualifier != "exact" else "")
    return f"{text}, {subject}" if subject else text


def _marked(sentence: str, spans: list[tuple[int, int]]) -> str:
    """The sentence with each figure in **bold**, everything else escaped."""
    parts, at = [], 0
    for start, end in spans:
        parts.append(escape_keep_space(sentence[at:start]))
        parts.append(f"**{escape_keep_space(sentence[start:end]).strip()}**")
        at = end
    parts.append(escape_keep_space(sentence[at:]))
    return _not_a_block("".join(parts).strip())


_BLOCK_START = re.compile(r"^(?:[#>+=-]|\d+[.)](?=\s|$))")


def _not_a_block(line: str) -> str:
    """A quoted line that starts like a heading, list or quote marker is kept as plain text."""
    match = _BLOCK_START.match(line)
    if not match:
        return line
    end = match.end()
    return line[: end - 1] + "\\" + line[end - 1:]


def escape_keep_space(text: str) -> str:
    """Like `escape`, but keeps leading and trailing spaces so pieces join back into the sentence."""
    text = re.sub(r"\s+", " ", text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
