"""Waivers: a known, explained finding is reported as waived instead of failing CI.

A waiver names a rule id, optionally narrows by article (a glob) and fact (an id or a surface), and
must give a reason. An expired waiver stops applying, and the run says so.
"""

from __future__ import annotations

from datetime import date
from fnmatch import fnmatchcase
from typing import Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ledger.model import Fact, Finding


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    rule: str
    """The rule id this waiver applies to (a glob: `auto.*` waives every built-in rule)."""
    reason: str = Field(min_length=1)
    """Why the finding is accepted; shown in every report and as the SARIF suppression's justification."""
    article: str | None = None
    """A glob on article ids; the waiver applies when any of the finding's articles matches."""
    fact: str | None = None
    """A fact id, or text that one of the finding's facts has as its surface ("50,000")."""
    expires: date | None = None
    """After this date the waiver no longer applies."""
    owner: str | None = None
    """Who answers for the waiver (shown when it expires)."""

    @field_validator("rule", "reason")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        # a reason of only spaces explains nothing, and a blank rule glob would match nothing
        if not v.strip():
            raise ValueError("must not be empty")
        return v.strip()

    def matches(self, finding: Finding, facts: dict[str, Fact]) -> bool:
        if not fnmatchcase(finding.rule, self.rule):
            return False
        if self.article is not None and not any(fnmatchcase(a, self.article) for a in finding.articles):
            return False
        if self.fact is not None:
            used = [facts[i] for i in finding.facts if i in facts]
            if not any(self.fact in (f.id, f.surface) for f in used):
                return False
        return True


def apply_waivers(findings: Iterable[Finding], waivers: list[Waiver], facts: dict[str, Fact],
                  today: date) -> tuple[list[Finding], list[str]]:
    """Failing findings a live waiver matches become `waived`; the notes name expired waivers that matched."""
    if not waivers:  # nothing to match (a 1.0M re-run went over 280,000 findings for it: 0.15 s)
        return list(findings), []
    out: list[Finding] = []
    notes: list[str] = []
    for finding in findings:
        if finding.status == "fail":
            for waiver in waivers:
                if not waiver.matches(finding, facts):
                    continue
                if waiver.expires is not None and waiver.expires < today:
                    owner = f", owner {waiver.owner}" if waiver.owner else ""
                    notes.append(f"waiver for {waiver.rule} expired on {waiver.expires.isoformat()}; "
                                 f"the finding fails again ({waiver.reason}{owner})")
                    continue
                finding = finding.model_copy(update={"status": "waived", "waiver": waiver.reason})
                break
        out.append(finding)
    return out, sorted(set(notes))
