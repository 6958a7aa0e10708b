"""Baselines: record today's failing findings so that CI fails only on new ones.

A finding is known by its rule id and the stable content of its facts (article, subject, value),
never by line numbers, so editing an article above a finding does not make it new.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Iterable

from ledger.errors import LedgerError
from ledger.model import Fact, Finding

BASELINE_VERSION = 1


def fingerprint(finding: Finding, facts: dict[str, Fact]) -> str:
    """Stable across edits that move text: rule, group and each fact's (article, subject, unit, value)."""
    content = sorted(
        (f.article, (f.lemma or f.subject or "").lower(), f.unit or "", repr(round(f.value, 9)))
        for f in (facts[i] for i in finding.facts if i in facts))
    key = json.dumps([finding.rule, sorted(finding.group.items()), content], sort_keys=True, default=str)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def write_baseline(path: str | Path, findings: Iterable[Finding], facts: dict[str, Fact]) -> int:
    from ledger.report.files import atomic_write

    # one entry per failing finding, duplicates kept: two identical failures are two known failures, and
    # a third one that appears later is new
    entries = sorted((f.rule, fingerprint(f, facts)) for f in findings if f.status == "fail")
    data = {"version": BASELINE_VERSION, "findings": [{"rule": r, "fingerprint": fp} for r, fp in entries]}
    atomic_write(Path(path), json.dumps(data, indent=2, sort_keys=True) + "\n")
    return len(entries)


def read_baseline(path: str | Path) -> Counter[str]:
    """How many failing findings of each fingerprint the baseline knows."""
    shown = Path(path).as_posix()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise LedgerError(f"cannot read baseline: {e.strerror or e}", shown) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise LedgerError(f"baseline is not valid JSON: {e}", shown) from None
    if not isinstance(data, dict) or data.get("version") != BASELINE_VERSION or not isinstance(data.get("findings"), list):
        raise LedgerError(f"not a ledger baseline (expected version {BASELINE_VERSION} with a 'findings' list)", shown)
    try:
        return Counter(str(entry["fingerprint"]) for entry in data["findings"])
    except (KeyError, TypeError):
        raise LedgerError("baseline entries need a 'fingerprint'", shown) from None


def mark_baselined(findings: Iterable[Finding], known: Counter[str] | set[str], facts: dict[str, Fact]) -> list[Finding]:
    """Failing findings the baseline knows become `baselined`; each baseline entry covers one finding."""
    left = Counter(known)
    out = []
    for finding in findings:
        if finding.status == "fail":
            key = fingerprint(finding, facts)
            if left[key] > 0:
                left[key] -= 1
                finding = finding.model_copy(update={"baselined": True})
        out.append(finding)
    return out
