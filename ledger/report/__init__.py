"""Consistency reports: JSON (the contract), Markdown, HTML, SARIF, JUnit, the facts ledger, terminal text.

Each format is a pure `render(report) -> str` registered by name (`@register("sarif")`); `write_reports`
renders them all and writes the reports folder atomically, `load_report` reads it back for `ledger report`.
"""

from __future__ import annotations

from ledger.report.registry import FORMATTERS, formatter, register, render

# Importing the formatter modules registers them; the order does not matter.
from ledger.report import data, markdown, html, sarif, junit, terminal  # noqa: E402,F401  isort: skip
from ledger.report.common import summarize, summary_line  # noqa: E402
from ledger.report.files import REPORT_FILES, RERENDERED_FILES, atomic_write, load_report, write_reports  # noqa: E402
from ledger.report.terminal import render_github, render_text  # noqa: E402

__all__ = [
    "FORMATTERS", "REPORT_FILES", "RERENDERED_FILES", "atomic_write", "formatter", "load_report", "register",
    "render", "render_github", "render_text", "summarize", "summary_line", "write_reports",
]
