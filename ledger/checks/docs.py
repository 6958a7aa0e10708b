"""Reading a kind's docstring: its summary, *Why it matters*, and the FAIL / PASS examples that tests run
(and that `ledger rules explain` will show)."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from types import ModuleType

SECTION = re.compile(r"^(?P<title>FAIL|PASS|Why it matters)\n~+\n", re.M)
BLOCK = re.compile(r"^\.\. code-block:: (?P<lang>markdown|yaml)\n\n(?P<body>(?:(?: {4}.*)?\n)+)", re.M)


@dataclass(frozen=True)
class Example:
    verdict: str
    """"fail" or "pass"."""
    articles: tuple[str, ...]
    """Each article as Markdown with front matter."""
    rule: str
    """The rule, as YAML (one mapping)."""


def summary(module: ModuleType) -> str:
    return (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""


def sections(module: ModuleType) -> dict[str, str]:
    doc = module.__doc__ or ""
    out: dict[str, str] = {}
    matches = list(SECTION.finditer(doc))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        out.setdefault(m.group("title"), doc[m.end():end])
    return out


def examples(module: ModuleType) -> list[Example]:
    doc = module.__doc__ or ""
    out = []
    matches = list(SECTION.finditer(doc))
    for i, m in enumerate(matches):
        if m.group("title") not in ("FAIL", "PASS"):
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        articles, rule = [], ""
        for block in BLOCK.finditer(doc[m.end():end] + "\n"):
            body = textwrap.dedent(block.group("body")).strip("\n") + "\n"
            if block.group("lang") == "markdown":
                articles.append(body)
            else:
                rule = body
        out.append(Example(m.group("title").lower(), tuple(articles), rule))
    return out
