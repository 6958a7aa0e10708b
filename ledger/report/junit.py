"""`junit.xml`: one test case per rule × group, so any CI shows passes, failures and skips it already knows."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from ledger.model import Finding, Report
from ledger.report.common import Index, group_label, is_baselined, pair
from ledger.report.registry import register

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Characters XML 1.0 cannot hold (controls, lone surrogates) become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _counts(findings: list[Finding]) -> dict[str, str]:
    return {
        "tests": str(len(findings)),
        "failures": str(sum(f.status == "fail" and not is_baselined(f) for f in findings)),
        "errors": "0",
        "skipped": str(sum(f.status in ("skipped", "waived") or is_baselined(f) for f in findings)),
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


@register("junit")
def render_junit(report: Report) -> str:
    index = Index(report)
    by_rule: dict[str, list[Finding]] = {}
    for finding in index.sorted_findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    root = ET.Element("testsuites", {"name": "ledger", **_counts(list(index.sorted_findings))})
    for rule_id in index.rule_ids():
        findings = by_rule.get(rule_id, [])
        suite = ET.SubElement(root, "testsuite", {"name": xml_text(rule_id), **_counts(findings)})
        labels = Counter(group_label(f.group) for f in findings)
        seen: Counter[str] = Counter()
        for finding in findings:
            label = group_label(finding.group)
            location = index.finding_location(finding)
            if labels[label] > 1:
                seen[label] += 1
                label = f"{label} @ {location}" if location is not None else f"{label} #{seen[label]}"
            attributes = {"classname": xml_text(rule_id), "name": xml_text(label), "time": "0"}
            if location is not None:
                attributes["file"] = xml_text(location.path)
                if location.line is not None:
                    attributes["line"] = str(location.line)
            case = ET.SubElement(suite, "testcase", attributes)
            if is_baselined(finding):
                ET.SubElement(case, "skipped", {"message": xml_text(f"baselined: {finding.message}")})
            elif finding.status == "fail":
                failure = ET.SubElement(case, "failure", {"message": xml_text(finding.message),
                                                          "type": finding.severity})
                failure.text = xml_text(_details(finding, index))
            elif finding.status in ("skipped", "waived"):
                message = finding.message if finding.status == "skipped" else f"waived: {finding.waiver or finding.message}"
                ET.SubElement(case, "skipped", {"message": xml_text(message)})
            if finding.work and finding.status != "fail":
                out = ET.SubElement(case, "system-out")
                out.text = xml_text(_details(finding, index))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
