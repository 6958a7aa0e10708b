"""What `ledger check` prints: a table of failures for people, workflow annotations for GitHub."""

from __future__ import annotations

from collections.abc import Iterator

from tabulate import tabulate

from ledger.report.common import Index, is_baselined, summary_line
from ledger.report.registry import register

GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


TERMINAL_FAILURES = 200
"""Failures the terminal table and the GitHub annotations list, at most: the rest are counted, and listed in the
reports. A table of 65,000 failures took minutes to lay out and no one reads it in a CI log; GitHub shows only
the first few annotations of a step."""
TERMINAL_MESSAGE = 300
"""Characters of a message the terminal table shows: an agreement across a large archive names every article."""


@register("text")
def render_text(index: Index) -> Iterator[str]:
    """A table of failures (`path:line:col`, severity, rule, message), input errors, and a summary line."""
    report = index.report
    failures, count = index.first("fail", TERMINAL_FAILURES)
    rows = []
    for finding in failures:
        location = index.finding_location(finding)
        severity = f"{finding.severity} (baselined)" if is_baselined(finding) else finding.severity
        rows.append([str(location) if location else "-", severity, finding.rule, _shortened(finding.message)])
    out = []
    if rows:
        out.append(tabulate(rows, headers=["location", "severity", "rule", "message"], tablefmt="simple",
                            disable_numparse=True))
        if count > len(rows):
            out.append(f"… and {count - len(rows):,} more failures (all in the reports)")
        out.append("")
    for error in report.errors:
        out.append(f"input error: {_one_line(error)}")
    if report.errors:
        out.append("")
    out.append(summary_line(report, index.summary))
    yield "\n".join(out) + "\n"


def _shortened(message: str) -> str:
    text = _one_line(message)
    return text if len(text) <= TERMINAL_MESSAGE else text[:TERMINAL_MESSAGE - 1].rstrip() + "…"


def escape_data(text: str) -> str:
    """GitHub's escaping for an annotation's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """GitHub's escaping for a property value (file, title): the message's, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@register("github")
def render_github(index: Index) -> Iterator[str]:
    """One `::error file=…,line=…,col=…,title=rule::message` line per failure (warning/notice by severity), the
    first `TERMINAL_FAILURES` of them."""
    lines = []
    failures, count = index.first("fail", TERMINAL_FAILURES)
    for finding in failures:
        properties = []
        location = index.finding_location(finding)
        if location is not None:
            properties.append(f"file={escape_property(location.path)}")
            if location.line is not None:
                properties.append(f"line={location.line}")
            if location.column is not None:
                properties.append(f"col={location.column}")
            if location.end_line == location.line and location.end_column is not None:
                properties.append(f"endColumn={location.end_column}")
        title = f"{finding.rule} (baselined)" if is_baselined(finding) else finding.rule
        properties.append(f"title={escape_property(title)}")
        message = finding.message + (f"\n{finding.work}" if finding.work else "")
        level = "notice" if is_baselined(finding) else GITHUB_LEVELS[finding.severity]
        lines.append(f"::{level} {','.join(properties)}::{escape_data(message)}")
    if count > TERMINAL_FAILURES:
        lines.append(f"::notice title=ledger::{count - TERMINAL_FAILURES:,} more failures "
                     "(all in the reports)")
    for error in index.report.errors:
        lines.append(f"::error title=ledger input error::{escape_data(error)}")
    yield "".join(line + "\n" for line in lines)


def _one_line(text: str) -> str:
    return " ".join(text.split())
