"""The parts every rule shares: selectors, tolerance, group keys and the common rule keys.

Every model is strict (`extra="forbid"`) and frozen, so a misspelled key is an error that names it,
and a loaded rule cannot change under the engine.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ledger.errors import LedgerError
from ledger.model import QUALIFIERS, Qualifier, Severity

MAX_PATTERN_LENGTH = 500
GROUP_KEY_PATTERN = r"^(article|published|outlet|title|entity|meta\.[A-Za-z0-9_.\-]+)$"

Scalar = Union[str, bool, int, float, date]
GroupKey = str


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)


def check_unit(expr: str) -> str:
    """A selector unit, written as the extractor writes units: `count`, `percent`, or a pint unit
    ("dollars per month" and "$/month" become "USD/month")."""
    expr = expr.strip()
    if not expr:
        raise ValueError("empty unit; write a pint unit such as USD, USD/year, km, percent or count")
    from ledger.units import written_unit

    try:
        return written_unit(expr)
    except LedgerError as e:
        if not e.message.startswith("unknown unit"):
            raise ValueError(e.message) from None  # it says what to write already
        message = e.message.rstrip(": ")
        raise ValueError(f"{message}; write a pint unit such as USD, USD/year, km, percent or count") from None
    except Exception:  # noqa: BLE001 - pint raises odd errors (AssertionError for "USD+")
        message = f"unknown unit {expr!r}"
        raise ValueError(f"{message}; write a pint unit such as USD, USD/year, km, percent or count") from None


def _unbounded(op: Any, av: Any, sre: Any) -> bool:
    return op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and (av[1] == sre.MAXREPEAT or av[1] > 10)


def _essential(items: Any, sre: Any) -> list[tuple[Any, Any]]:
    """The items of a sequence that must match something (optional ones, like `\\s?`, left out),
    with plain groups opened up."""
    out = []
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == 0 and not _unbounded(op, av, sre):
            continue
        if op == sre.SUBPATTERN:
            out.extend(_essential(av[-1], sre))
        else:
            out.append((op, av))
    return out


def _nested_repeat(parsed: Any) -> bool:
    """True for a repeat whose body is, optional parts aside, one unbounded repeat or a choice between
    overlapping repeats: (a+)+, (\\w+\\s?)*, (a|a+)+. These backtrack catastrophically on a near miss."""
    from re import _parser as sre  # type: ignore[attr-defined]

    for op, av in parsed:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            body = _essential(av[2], sre)
            if _unbounded(op, av, sre):
                if body and all(_unbounded(o, a, sre) for o, a in body):
                    return True
                if len(body) == 1 and body[0][0] == sre.BRANCH and any(
                        any(_unbounded(o, a, sre) for o, a in _essential(branch, sre)) for branch in body[0][1][1]):
                    return True
            if _nested_repeat(av[2]):
                return True
        elif op == sre.SUBPATTERN:
            if _nested_repeat(av[-1]):
                return True
        elif op == sre.BRANCH:
            if any(_nested_repeat(branch) for branch in av[1]):
                return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if _nested_repeat(av[1]):
                return True
    return False


def check_pattern(pattern: str) -> str:
    """A regular expression that compiles and cannot backtrack catastrophically."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"regular expression longer than {MAX_PATTERN_LENGTH} characters")
    try:
        re.compile(pattern, re.IGNORECASE)
    except re.error as e:
        raise ValueError(f"regular expression does not compile: {e}") from None
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]

        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except Exception:  # pragma: no cover - compile() already accepted it
        return pattern
    if _nested_repeat(parsed):
        raise ValueError("regular expression nests repeats, like (a+)+, which can take forever to run; "
                         "simplify it")
    return pattern


def _as_list(v: Any) -> Any:
    return [v] if isinstance(v, (str, int, float, bool, date)) else v


class Selector(Strict):
    """Which facts fill a role. A fact matches when every given key matches."""

    subject: str | list[str] | None = None
    """A word or list: the fact's subject (head noun), ignoring case and singular/plural (and `aliases`)."""
    text: str | None = None
    """A regular expression searched, case-insensitively, in the fact's sentence."""
    near: str | None = None
    """A regular expression searched, case-insensitively, in the figure's own stretch of its clause: from the figure to the next one, except that words from an "and" or "or" on are the next figure's ("$2.3 billion | and parks $300 million"); the first figure also has the words before it."""
    unit: str | None = None
    """A unit as articles write it (`USD/year`, `$/year`, `dollars a year`; case is ignored): facts of the same dimension match, converted to it. `count`: plain counts; `percent` (or `%`): percentages and fractions."""
    qualifier: Qualifier | list[Qualifier] | None = None
    """A qualifier or list: exact, approx, at_least, more_than, at_most, less_than, nearly, range."""
    article: str | list[str] | None = None
    """A glob (or list) on article ids, e.g. `wagner-*`."""
    meta: dict[str, Scalar | list[Scalar] | None] | None = None
    """Article front matter key -> value or list of values (`published`, `outlet`, `title` count too)."""
    entity: str | list[str] | None = None
    """A name or list: who the figure is about (the fact's `entity`), ignoring case (and `aliases`)."""

    @field_validator("subject", "qualifier", "article", "entity", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return _as_list(v)

    @field_validator("subject", "article", "entity")
    @classmethod
    def _not_empty(cls, v: Any) -> Any:
        if v is not None and (not v or any(not str(x).strip() for x in v)):
            raise ValueError("give at least one non-empty word")
        return v

    @field_validator("text", "near")
    @classmethod
    def _pattern(cls, v: str | None) -> str | None:
        return None if v is None else check_pattern(v)

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str | None) -> str | None:
        return None if v is None else check_unit(v)


class Tolerance(Strict):
    """How much wider than its own interval each figure may be: `rel` of its size, plus `abs` in the rule's unit."""

    rel: float = Field(0.0, ge=0, allow_inf_nan=False)
    """Relative slack, e.g. 0.05 for 5 %."""
    abs: float = Field(0.0, ge=0, allow_inf_nan=False)
    """Absolute slack, in the unit the rule compares in."""

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, v: Any) -> Any:
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            raise ValueError(f"expected a mapping such as {{rel: 0.05}} (5 % of each figure) or {{abs: 10}} (in the "
                             f"rule's unit), not {v!r}")
        return v


class RuleParams(Strict):
    """The keys every rule has; each kind adds its own."""

    DEFAULT_GROUP_BY: ClassVar[tuple[str, ...]] = ()
    # where the rule stands in its file (set by the loader)
    _file: str | None = PrivateAttr(default=None)
    _line: int | None = PrivateAttr(default=None)
    _column: int | None = PrivateAttr(default=None)
    _id_line: int | None = PrivateAttr(default=None)
    _id_column: int | None = PrivateAttr(default=None)

    id: str = Field(min_length=1)
    """Unique across all rule files; dotted lower case by convention (`wagner.force.composition`)."""
    kind: str
    severity: Severity = "error"
    """error | warning | info; default from the file's `defaults`, else error."""
    description: str = ""
    message: str | None = None
    """A template for failing findings; the placeholders are listed per kind."""
    tags: str | list[str] = Field(default_factory=list)
    group_by: GroupKey | list[GroupKey] | None = None
    """article, published, outlet, title, entity (who the figure is about, merged by `aliases`) or meta.KEY; [] is the whole corpus. Default depends on the kind."""
    tolerance: Tolerance | None = None
    """`{rel: 0.05}` widens each figure by 5 % of itself, `{abs: 10}` by 10 in the rule's unit (both may be given). Default none: only the figures' own intervals."""

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, v: Any) -> Any:
        return _as_list(v)

    @field_validator("group_by", mode="before")
    @classmethod
    def _group_by(cls, v: Any) -> Any:
        return _as_list(v)

    @field_validator("group_by")
    @classmethod
    def _group_keys(cls, v: Any) -> Any:
        if v is None:
            return v
        for key in v:
            if not re.match(GROUP_KEY_PATTERN, key):
                import difflib

                close = difflib.get_close_matches(key, ["article", "published", "outlet", "title", "entity"], n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"unknown group key {key!r}; use article, published, outlet, title, entity or "
                                 f"meta.KEY{hint}")
        return v

    def grouping(self) -> tuple[str, ...]:
        return tuple(self.group_by) if self.group_by is not None else self.DEFAULT_GROUP_BY

    def roles(self) -> dict[str, Selector]:
        """Role name -> selector, for the engine to find the facts the rule looks at."""
        raise NotImplementedError


class Defaults(Strict):
    """Applies to every rule in the file that does not set the key itself."""

    severity: Severity | None = None
    tolerance: Tolerance | None = None
    tags: str | list[str] | None = None
    group_by: str | list[str] | None = None
    """Overrides each kind's default grouping for the rules in this file that do not set `group_by`."""

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, v: Any) -> Any:
        return _as_list(v)


class Aliases(Strict):
    """Words that mean the same thing: each key and its list form one group that a selector word matches as a whole."""

    subjects: dict[str, list[str]] = Field(default_factory=dict)
    """e.g. {inmate: [prisoner, convict]}: `subject: inmate` also matches prisoners and convicts (and back)."""
    entities: dict[str, list[str]] = Field(default_factory=dict)
    """e.g. {Wagner: [Wagner Group, PMC Wagner]}."""

    @model_validator(mode="before")
    @classmethod
    def _flat_table(cls, v: Any) -> Any:
        """A flat `{inmate: [prisoner, convict]}` table is read as subject aliases. A key holding a mapping is no
        alias but a section: left in place, a misnamed one (`entity:`) is reported as an unknown key."""
        if isinstance(v, dict) and any(k not in ("subjects", "entities") for k in v):
            flat = {k: x for k, x in v.items() if k not in ("subjects", "entities") and not isinstance(x, dict)}
            sections = {k: x for k, x in v.items() if k not in flat and k != "subjects"}
            subjects = v.get("subjects") or {}
            if isinstance(subjects, dict):
                return {**sections, "subjects": {**flat, **subjects}}
        return v

    @field_validator("subjects", "entities", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): [str(w) for w in _as_list(x)] if isinstance(_as_list(x), list) else x
                    for k, x in v.items()}
        return v


__all__ = ["Aliases", "Defaults", "RuleParams", "Selector", "Strict", "Tolerance", "QUALIFIERS",
           "check_pattern", "check_unit", "model_validator"]
