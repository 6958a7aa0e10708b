"""`junit.xml`: one test case per rule × group, so any CI shows passes, failures and skips it already knows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping

from ledger.model import Finding
from ledger.report.common import Index, Location, is_baselined, pair
from ledger.report.registry import register
from ledger.report.reuse import UNNOTED

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Characters XML 1.0 cannot hold (controls, lone surrogates) become U+FFFD."""
    if text.isascii() and text.isprintable():  # most text: nothing to replace, told without the regex
        return text
    return _NOT_XML.sub("\ufffd", text)


def _attributes(tests: int, statuses: Mapping[str, int], baselined: int) -> dict[str, str]:
    return {
        "tests": str(tests),
        "failures": str(statuses["fail"] - baselined),
        "errors": "0",
        "skipped": str(statuses["skipped"] + statuses["waived"] + baselined),
        "time": "0",
    }


def _details(finding: Finding, index: Index) -> str:
    lines = [finding.message]
    location = index.finding_location(finding)
    if location is not None:
        lines.append(f"at {location}")
    for other, label in index.related_locations(finding):
        lines.append(f"also {other}: {label}")
    for key in ("expected", "actual"):
        text = pair(getattr(finding, key), finding.unit)
        if text is not None:
            lines.append(f"{key}: {text}")
    if finding.work:
        lines.append(f"arithmetic: {finding.work}")
    return "\n".join(lines)


PLAIN_NAME, LOCATED_NAME = 0, 1
"""A test case is named by its group, or, where others of its rule share that name, by its group and location: a
test case's text is copied from the last run (`Rendering.piece`) only when named the same way."""


@register("junit")
def render_junit(index: Index) -> Iterator[str]:
    """The text `xml.etree.ElementTree` wrote (`ET.indent` by two spaces, then `ET.tostring`), a test case at a
    time instead of a tree of every case first."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in index.sorted_findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    rule_ids = index.rule_ids()
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    summary = index.summary
    root = _start("testsuites", {"name": "ledger", **_attributes(summary["findings"], summary["by_status"],
                                                                  summary["baselined"])})
    if not rule_ids:
        yield root + " />\n"
        return
    yield root + ">"
    rendering = index.rendering("junit")
    for rule_id in rule_ids:
        findings = by_rule.get(rule_id, [])
        suite = _start("testsuite", {"name": xml_text(rule_id), **_attributes(len(findings), *index.rule_counts(rule_id))})
        if not findings:
            yield "\n  " + suite + " />"
            continue
        yield "\n  " + suite + ">"
        # a test case's text starts with its line break, so that cases copied one after another are one piece
        yield from rendering.pieces(findings, *_testcases(findings, index, rule_id))
        yield "\n  </testsuite>"
    yield "\n</testsuites>\n"


def _testcase(finding: Finding, index: Index, rule_id: str, label: str,
              location: Location | None) -> str:
    """`<testcase ...>` and its children, written straight as text (built from attribute dicts through `_start`, a
    quarter of a million test cases at a million facts took a seventh longer)."""
    case = '<testcase classname="' + _attribute(rule_id) + '" name="' + _attribute(label) + '" time="0"'
    if location is not None:
        case += ' file="' + _attribute(location.path) + '"'
        if location.line is not None:
            case += ' line="' + str(location.line) + '"'
    status = finding.status
    children = ""
    if is_baselined(finding):
        children = '\n      <skipped message="' + _attribute(f"baselined: {finding.message}") + '" />'
    elif status == "fail":
        children = "\n      " + _closed('<failure message="' + _attribute(finding.message) + '" type="'
                                        + _escape_attribute(finding.severity) + '"', "failure", _details(finding, index))
    elif status == "skipped" or status == "waived":
        message = finding.message if status == "skipped" else f"waived: {finding.waiver or finding.message}"
        children = '\n      <skipped message="' + _attribute(message) + '" />'
    if finding.work and status != "fail":
        children += "\n      " + _closed("<system-out", "system-out", _details(finding, index))
    if not children:
        return case + " />"
    return case + ">" + children + "\n    </testcase>"


def _attribute(text: str) -> str:
    return _escape_attribute(xml_text(text))


def _closed(start: str, tag: str, text: str) -> str:
    """The element begun by `start` closed: around its text (`<tag ...>text</tag>`), or empty (`<tag ... />`)."""
    text = xml_text(text)
    return start + ">" + _escape_text(text) + "</" + tag + ">" if text else start + " />"


def _testcases(findings: list[Finding], index: Index, rule_id: str) -> tuple[Callable[[int], str], list[int]]:
    """How a rule's test cases are rendered (the n-th), and each one's mode (`Rendering.pieces`): named by its
    label, or by label and location where others share the label; numbered in order when it has no location (not
    the same text when findings come or go before it: never copied)."""
    labels = list(map(index.label, findings))
    repeated = Counter(labels)
    seen: Counter[str] = Counter()
    modes = [PLAIN_NAME] * len(findings)
    numbered: dict[int, int] = {}  # n -> its number among the cases of its label, when it has no location
    for n, label in enumerate(labels):
        if repeated[label] > 1:
            seen[label] += 1
            if index.finding_location(findings[n]) is None:
                modes[n], numbered[n] = UNNOTED, seen[label]
            else:
                modes[n] = LOCATED_NAME

    def render(n: int) -> str:  # only the cases not copied from the last run's report: their names made here
        finding, label, location = findings[n], labels[n], index.finding_location(findings[n])
        if modes[n] == LOCATED_NAME:
            label = f"{label} @ {location}"
        elif modes[n] == UNNOTED:
            label = f"{label} #{numbered[n]}"
        return "\n    " + _testcase(finding, index, rule_id, label, location)

    return render, modes


def _start(tag: str, attributes: dict[str, str]) -> str:
    """`<tag name="value" ...`: attributes in their given order, escaped as ElementTree escapes them."""
    return "<" + tag + "".join(f' {name}="{_escape_attribute(value)}"' for name, value in attributes.items())


def _escape_text(text: str) -> str:
    if not _TEXT_ESCAPED.search(text):  # most text: told by one scan instead of three replacements
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    if not _ATTRIBUTE_ESCAPED.search(text):
        return text
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;"))


_TEXT_ESCAPED = re.compile("[&<>]")
_ATTRIBUTE_ESCAPED = re.compile('[&<>"\r\n\t]')
