"""`consistency.md`: the report an editor reads on GitHub, with the figures quoted and the arithmetic shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ledger.model import SEVERITIES, Fact, Finding
from ledger.report.common import (SHOWN_PER_FINDING, STATUSES, Index, fact_interval, group_label, is_baselined,
                                  more_note, pair, summary_line)
from ledger.report.registry import register

STATUS_MARKS = {"fail": "❌", "skipped": "⏭️", "waived": "🔕", "pass": "✅"}

_MARKUP = "`*_[]<>|~"
"""What would turn text into markup on GitHub: code, emphasis, links, HTML, tables, strikethrough (and
backslashes and entities: see `_backslashed`)."""
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _backslashed(text: str) -> str:
    """Each markup character with a backslash before it (a `replace` per character: a regex with a function
    per match takes twice as long)."""
    text = text.replace("\\", "\\\\")
    if "&" in text:  # before `_` is escaped: "&a_b;" is an entity, "&a\_b;" no longer looks like one
        text = _ENTITY.sub(r"\\&", text)
    for char in _MARKUP:
        if char in text:
            text = text.replace(char, "\\" + char)
    return text


def escape(text: str) -> str:
    """Text that renders as itself: Markdown and HTML punctuation backslash-escaped, one line."""
    return _backslashed(" ".join(text.split()))


_BACKTICKS = re.compile("`+")


def code(text: str) -> str:
    """An inline code span that holds any text (its fence is longer than any backtick run inside)."""
    text = " ".join(text.split())
    if "`" not in text:  # most text: one backtick each side, a space inside only when empty
        return f"`{text}`" if text else "`  `"
    fence = "`" * (max(map(len, _BACKTICKS.findall(text))) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def cell(text: str) -> str:
    return escape(text) if text else "—"


@register("markdown")
def render_markdown(index: Index) -> Iterator[Any]:
    """Section by section, each finding a chunk; the last chunk ends the file with exactly one newline."""
    chunks = _chunks(index)
    previous = next(chunks)
    for chunk in chunks:
        yield previous
        previous = chunk
    yield previous.rstrip("\n") + "\n"


def _chunks(index: Index) -> Iterator[Any]:
    """Whole lines, each ending in a newline; the last chunk is never only newlines, nor a finding's `Piece`."""
    report = index.report
    summary = index.summary
    out: list[str] = ["# Consistency report", "", f"**{summary_line(report, summary)}** · {summary['rules']} rules", ""]

    out += ["| Status | " + " | ".join(SEVERITIES) + " | Total |", "|---|" + "---:|" * (len(SEVERITIES) + 1)]
    counts_by = index.status_severity_counts
    for status in STATUSES:
        counts = [counts_by[status, s] for s in SEVERITIES]
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
        statuses = index.rule_counts(rule_id)[0]
        counts = [statuses[s] for s in ("fail", "pass", "skipped", "waived")]
        out.append(f"| {code(rule_id)} | {escape(info.kind)} | {info.severity} | "
                   + " | ".join(map(str, counts)) + f" | {cell(info.description)} |")
    out.append("")
    yield "\n".join(out) + "\n"

    # a finding's section is copied from the last run's report where it can be (`Rendering.piece`): the facts
    # of the others are read at once
    rendering = index.rendering("markdown")
    index.read_quoted(rendering.fresh(f for f in index.shown_findings if f.status != "pass"))
    for status, title in (("fail", "Failures"), ("skipped", "Skipped"), ("waived", "Waived")):
        findings = index.by_status(status)
        if not findings:
            continue
        yield f"## {title} ({len(findings)})\n\n"
        shown = index.shown(status)
        for finding in shown:
            yield rendering.piece(finding, _section, index)
        yield _left_out(len(findings), len(shown), title.lower())

    passes = index.by_status("pass")
    if passes:
        yield f"## Passes ({len(passes)})\n\n<details>\n<summary>{len(passes)} passing checks</summary>\n\n"
        shown = index.shown("pass")
        for finding in shown:
            yield rendering.piece(finding, _pass_line, index, mode=PASS_LINE)
        note = more_note(len(passes), len(shown), "passing checks")
        yield (f"\n_{note}_\n" if note else "") + "\n</details>\n\n"


PASS_LINE = 1
"""A passing finding's text is one line (`_pass_line`), not a section: copied only as what it was."""


def _pass_line(finding: Finding, index: Index) -> str:
    location = index.finding_location(finding)
    where = f" — {code(str(location))}" if location else ""
    work = f": {code(finding.work if finding.work.endswith(': pass') else finding.work + ': pass')}" if finding.work else ""
    return f"- {code(finding.rule)} ({escape(group_label(finding.group))}){where}{work}\n"


def _section(finding: Finding, index: Index) -> str:
    return "\n".join(_finding(finding, index)) + "\n"


def _left_out(total: int, shown: int, what: str) -> str:
    """A line saying how many findings a large run leaves out of this section, or nothing."""
    note = more_note(total, shown, what)
    return f"_{note}_\n\n" if note else ""


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
    quotes = index.quoted_sentences(finding)
    for article_id, sentence, spans, facts, _ in quotes[:SHOWN_PER_FINDING]:
        out.append("> " + _marked(sentence, spans))
        article = index.articles.get(article_id)
        where = f"{article.path}:{facts[0].line}:{facts[0].column}" if article else f"{article_id}:{facts[0].line}:{facts[0].column}"
        title = f" *{escape(article.title)}*" if article is not None and article.title else ""
        out.append(f">\n> — {code(article_id)}{title}, {code(where)}")
        out.append("")
    left_out = more_note(len(quotes), SHOWN_PER_FINDING, "quoted sentences")
    if left_out:
        out += [left_out, ""]
    details = []
    cited_facts = index.finding_facts(finding)
    for fact in cited_facts[:SHOWN_PER_FINDING]:
        details.append(f"- {code(fact.surface)} in {code(fact.article)}: {escape(_fact_summary(fact))}")
    left_out = more_note(len(cited_facts), SHOWN_PER_FINDING, "figures")
    if left_out:
        details.append(f"- {left_out}")
    expected, actual = pair(finding.expected, finding.unit), pair(finding.actual, finding.unit)
    if expected is not None:
        details.append(f"- expected: {escape(expected)}")
    if actual is not None:
        details.append(f"- actual: {escape(actual)}")
    if finding.work:
        details.append(f"- arithmetic: {code(finding.work + ': ' + finding.status)}")
    if finding.waiver:
        details.append(f"- waived: {escape(finding.waiver)}")
    cited = {f.article for f in cited_facts}
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
    words = " ".join(text.split())  # what re.sub(r"\s+", " ", text) does inside, several times faster
    if not words:
        return " " if text else ""
    text = (" " if text[0].isspace() else "") + words + (" " if text[-1].isspace() else "")
    return _backslashed(text)
