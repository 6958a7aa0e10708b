"""The built-in `auto.*` rules as their users see them: what each checks, what it leaves alone, and an
article on which it fails and one on which it passes.

The checks themselves live in `ledger.checks.auto`; this module is their documentation, shown by
`ledger rules explain auto.share` and `ledger rules list`, and its examples are run by the tests through
the path `ledger check` takes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuiltinRule:
    id: str
    description: str
    """One line, as reports and `ledger rules list` show it."""
    checks: str
    """What it checks and what it leaves alone, in a few sentences."""
    failing: tuple[str, ...]
    """Articles (Markdown, optional front matter) on which it fails."""
    passing: tuple[str, ...]
    """Articles on which it passes."""


WEAK = ("A failure whose reading is certain has the rule's severity (default error); a weak one (a near miss, "
        "no majority) is at most a warning.")

BUILTIN_RULES: dict[str, BuiltinRule] = {rule.id: rule for rule in (
    BuiltinRule(
        id="auto.composition",
        description="Parts the text lists (\"including\", \"made up of\", \"of whom\") fit the total they belong to.",
        checks="A total and the parts the same sentence lists after \"including\", a bracket, a colon or a dash "
               "(\"the 12 dead (seven men and five women)\"): the parts may not add up to more than the total. "
               "Where the wording says the parts are all of it (\"made up of\", \"comprised\", \"for a total of\", "
               "\"Of the X, A ... and B ...\") they must add up to it. A sentence with two figures that could be "
               "the total is left alone.",
        failing=("The fire destroyed 1,200 buildings, including 950 homes and 400 businesses.\n",),
        passing=("The fire destroyed 1,200 buildings, including 780 homes and 400 businesses.\n",),
    ),
    BuiltinRule(
        id="auto.share",
        description="A stated share (\"or 8 % of its 25,000 workers\") matches the part divided by the total.",
        checks="\"2,000 jobs, or about 8 percent of its 25,000 workers\": the part over the total must be the "
               "stated share, within the rounding of both (\"8 %\" is 7.5–8.5 %, \"about 8 %\" more).",
        failing=("Acme will cut 3,000 jobs, or about 8 percent of its 25,000 workers.\n",),
        passing=("Acme will cut 2,000 jobs, or about 8 percent of its 25,000 workers.\n",),
    ),
    BuiltinRule(
        id="auto.change",
        description="A stated change (\"rose 5% to $2 billion from $1.9 billion\") matches the new value over the old.",
        checks="\"rose 5% to $2 billion from $1.9 billion\", \"$2 billion, up 5% from $1.9 billion\", \"a 3% "
               "increase over $4.08 billion\": the new value over the old one must be one plus (or minus) the "
               "stated change. A change of a percentage is not checked: it may be in points.",
        failing=("Profit fell 20% from $500 million to $300 million.\n",),
        passing=("Profit fell 40% from $500 million to $300 million.\n",),
    ),
    BuiltinRule(
        id="auto.agreement",
        description="The same measure of the same thing agrees within and across articles (rates convert).",
        checks="Figures with the same entity, counted subject (merged by `aliases`), unit dimension (rates "
               "convert: \"$100 million a month\" is \"$1.2 billion a year\"), time and wording must agree, "
               "within a sentence and across articles. Never compared: forecasts, denials, cumulative totals, "
               "figures whose entity is unknown, a change (\"cut 10,000 jobs\") with a whole (\"employs 67,000\"), "
               "a quarter's figure with a year's. Tolls (the killed, hurt or shot) are compared only with tolls "
               "of the same harm published the same day or the next. A failing finding names the figures that "
               "stray from the rest.",
        failing=("---\nid: early\npublished: 2023-01-03\n---\n"
                 "Wagner spends about $100 million a month on the war in Ukraine.\n",
                 "---\nid: late\npublished: 2023-01-12\n---\n"
                 "Wagner spends $1.5 billion a year on the war in Ukraine.\n",
                 "---\nid: later\npublished: 2023-01-14\n---\n"
                 "Wagner spends $1.2 billion a year on the war in Ukraine, officials say.\n"),
        passing=("---\nid: early\npublished: 2023-01-03\n---\n"
                 "Wagner spends about $100 million a month on the war in Ukraine.\n",
                 "---\nid: late\npublished: 2023-01-12\n---\n"
                 "Wagner spends $1.2 billion a year on the war in Ukraine.\n"),
    ),
)}
