"""The kinds of rule, keyed by `KIND`, and the rule-file model: a union of the kinds' params tagged on `kind`.

A kind is a module with `KIND`, `Params` (its rule keys) and `check(params, facts)`, documented by a failing and
a passing example in its docstring. `PER_FACT = True` says each of its findings judges one figure alone: the
engine may then check it article by article and keep its findings between runs (`engine.separable`)."""

from __future__ import annotations

import difflib
from types import ModuleType
from typing import Annotated, Any, Literal, Union

from pydantic import Field

from ledger.checks import agreement, bounds, expr, monotonic, ratio
from ledger.checks import sum as sum_kind
from ledger.checks.base import Aliases, Defaults, Strict

KINDS: dict[str, ModuleType] = {
    module.KIND: module for module in (sum_kind, agreement, ratio, bounds, monotonic, expr)
}

Rule = Annotated[
    Union[sum_kind.Params, agreement.Params, ratio.Params, bounds.Params, monotonic.Params, expr.Params],
    Field(discriminator="kind"),
]


def get(kind: str) -> ModuleType:
    """The module for a kind; LedgerError-friendly ValueError naming the valid kinds otherwise."""
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(unknown_kind_message(kind)) from None


def unknown_kind_message(kind: Any) -> str:
    close = difflib.get_close_matches(str(kind), list(KINDS), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown kind {kind!r}; valid kinds: {', '.join(KINDS)}{hint}"


class RuleFile(Strict):
    """A rule file (`rules/*.yaml`): optional defaults and aliases, and a list of rules. Top-level keys that
    start with `x-` are ignored (a place for YAML anchors to reuse)."""

    model_config = Strict.model_config | {"json_schema_extra": {"patternProperties": {"^x-": {}}}}

    version: Literal[1] = 1
    """The rule-file format version; 1."""
    defaults: Defaults | None = None
    """Applies to every rule in this file that does not set the key itself."""
    aliases: Aliases | None = None
    """Subject and entity words that mean the same thing, for every rule."""
    rules: list[Rule] = Field(default_factory=list)
    """The rules; each has a unique `id` and a `kind`."""
