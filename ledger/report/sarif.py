"""`ledger.sarif`: SARIF 2.1.0 for code-scanning tools; every rule declared, results at the figure."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

from ledger import __version__
from ledger.model import Finding
from ledger.report.common import Index, Location, is_baselined, pair
from ledger.report.data import Listing, json_chunks
from ledger.report.registry import SURROGATES_AS_FFFD, register

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "ledgerFinding/v1"


def uri(path: str) -> str:
    """A relative URI reference: forward slashes, percent-encoded, never absolute."""
    return quote(path.replace("\\", "/"), safe="/-._~!$&'()*+,;=@", errors=SURROGATES_AS_FFFD)


def physical_location(location: Location, snippet: str | None = None) -> dict:
    region: dict = {}
    if location.line is not None:
        region["startLine"] = location.line
        if location.column is not None:
            region["startColumn"] = location.column
        if location.end_line is not None and location.end_column is not None:
            region["endLine"] = location.end_line
            region["endColumn"] = location.end_column
        if snippet:
            region["snippet"] = {"text": snippet}
    physical: dict = {"artifactLocation": {"uri": uri(location.path)}}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _rule_descriptor(index: Index, rule_id: str) -> dict:
    info = index.rule_info(rule_id)
    description = info.description or f"{info.kind} rule {rule_id}"
    descriptor: dict = {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": description.split("\n", 1)[0]},
        "fullDescription": {"text": description},
        "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": {"kind": info.kind, "tags": list(info.tags)},
    }
    if info.file:
        descriptor["properties"]["definedIn"] = str(Location(info.file, info.line, info.column))
    return descriptor


def _result(finding: Finding, index: Index, rule_index: dict[str, int], baseline: bool) -> dict:
    places = index.places(finding)
    text = finding.message
    if finding.work:
        text += f" ({finding.work})"
    result: dict = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": LEVELS[finding.severity],
        "kind": "fail",
        "message": {"text": text},
    }
    location = index.finding_location(finding)
    if location is not None:
        result["locations"] = [physical_location(location, places[0][2] if places else None)]
    related = []
    for n, (other, label) in enumerate(index.related_locations(finding), start=1):
        entry = {"id": n, **physical_location(other), "message": {"text": label}}
        related.append(entry)
    if related:
        result["relatedLocations"] = related
    result["partialFingerprints"] = {FINGERPRINT_KEY: index.fingerprint(finding)}
    properties: dict = {"status": finding.status, "group": dict(sorted(finding.group.items())),
                        "articles": list(finding.articles), "facts": list(finding.facts)}
    for key in ("expected", "actual"):
        text_value = pair(getattr(finding, key), finding.unit)
        if text_value is not None:
            properties[key] = text_value
    result["properties"] = properties
    if baseline:
        result["baselineState"] = "unchanged" if is_baselined(finding) else "new"
    if finding.status == "waived":
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": finding.waiver or "waived"}]
    return result


@register("sarif")
def render_sarif(index: Index) -> Iterator[str]:
    """Failures as results (waived ones suppressed); passes and skips are counted in the JUnit report."""
    report = index.report
    rule_ids = index.rule_ids()
    rule_index = {rule_id: n for n, rule_id in enumerate(rule_ids)}
    baseline = any(is_baselined(f) for f in report.findings)
    # a result's text depends on the rules' order (its ruleIndex) and on whether any finding is baselined
    rendering = index.rendering("sarif", json.dumps([rule_ids, baseline]))
    listed = index.by_status("fail") if not index.by_status("waived") else [
        f for f in index.sorted_findings if f.status in ("fail", "waived")]
    results = Listing(rendering, listed, lambda n: _result(listed[n], index, rule_index, baseline))
    invocation: dict = {"executionSuccessful": True}
    if report.errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": error}} for error in report.errors]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ledger",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(index, rule_id) for rule_id in rule_ids],
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    yield from json_chunks(log)
    yield "\n"
