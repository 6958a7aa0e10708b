"""JUnit XML: one test case per rule and group, counts that CI readers add up."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ledger.model import Finding, Report
from ledger.report import render


def test_parses_with_the_right_counts(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped"), root.get("errors")) == ("7", "3", "2", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["wagner.force.composition", "wagner.spending.agrees", "quake.toll.rises",
                            "hostile.bounds", "hostile.sum", "unused.rule"]
    assert sum(int(s.get("tests")) for s in suites.values()) == 7
    bounds = suites["hostile.bounds"]
    assert (bounds.get("tests"), bounds.get("failures")) == ("2", "1")
    assert suites["unused.rule"].get("tests") == "0"
    cases = root.findall(".//testcase")
    assert len(cases) == 7
    assert all(c.get("classname") for c in cases)


def test_failures_carry_the_message_and_skips_are_skipped(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    agrees = root.find("testsuite[@name='wagner.spending.agrees']/testcase")
    assert agrees.get("name") == "all articles"
    assert agrees.get("file") == "corpus/spend-high.md" and agrees.get("line") == "3"
    failure = agrees.find("failure")
    assert failure.get("message").startswith("$3 billion a year disagrees")
    assert "arithmetic: $3,000,000,000 vs consensus" in failure.text
    skipped = root.find("testsuite[@name='hostile.sum']/testcase/skipped")
    assert skipped.get("message") == "role 'total' matched no fact in <script>x</script>"
    waived = root.find("testsuite[@name='wagner.force.composition']/testcase[@name='article=toll-1']/skipped")
    assert waived.get("message").startswith("waived: Known gap")


def test_same_group_twice_gets_distinct_names(report):
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    names = [c.get("name") for c in root.findall("testsuite[@name='hostile.bounds']/testcase")]
    assert names == ["article=hostile @ corpus/hostile.md:4:16", "article=hostile @ corpus/hostile.md:5:96"]


def test_characters_xml_cannot_hold_are_replaced():
    finding = Finding(rule="r", kind="sum", severity="error", status="fail", message="bad \x00\x1b byte \ud800")
    root = ET.fromstring(render("junit", Report(findings=(finding,))).encode("utf-8", "surrogatepass"))
    assert root.find(".//failure").get("message") == "bad \ufffd\ufffd byte \ufffd"


def test_the_same_group_twice_without_a_place_is_numbered():
    findings = tuple(Finding(rule="r", kind="sum", severity="error", status=status, message=f"m{n}", group={"g": 1})
                     for n, status in enumerate(("fail", "pass", "pass")))
    root = ET.fromstring(render("junit", Report(findings=findings)).encode("utf-8"))
    assert [c.get("name") for c in root.findall(".//testcase")] == ["g=1 #1", "g=1 #2", "g=1 #3"]
