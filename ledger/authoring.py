"""The rule author's commands: `ledger rules test | validate | list | explain` and `ledger config schema`.

The library functions here return data or text; `add_rules_commands` and `add_config_commands` wire them
into the argparse parser that `ledger.cli.build_parser` builds. Exit codes follow the house rule:
0 clean, 1 a failing test case (or, for `validate`, a lint warning), 2 an invalid rule, test or config file.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import re
import string
import sys
import textwrap
import typing
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ledger.errors import LedgerError

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2

COMMON_PLACEHOLDERS = ("rule", "id", "kind", "status", "description", "unit", "group", "articles", "facts",
                       "expected", "actual", "work", "default")
"""Placeholders every kind fills in a failing finding's `message` (see `FactSet.finding`; a test keeps them in sync)."""

PLACEHOLDER_SECTION = re.compile(r"Message placeholders:(?P<body>.*?)(?:\n\s*\n|\Z)", re.S)
PLACEHOLDER = re.compile(r"``\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}``")


# -- lint ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A lint warning: where it is (1-based), a stable `lint.reason` code, what is wrong, and which rule."""

    path: str
    line: int
    column: int
    code: str
    message: str
    rule: str | None = None

    def __str__(self) -> str:
        suffix = f" ({self.rule})" if self.rule else ""
        return f"{self.path}:{self.line}:{self.column}: warning {self.code} {self.message}{suffix}"


def kind_placeholders(kind: str) -> set[str]:
    """The placeholders a kind's docstring lists under "Message placeholders:", plus the common ones."""
    from ledger.checks import KINDS

    doc = KINDS[kind].__doc__ or ""
    names = set(COMMON_PLACEHOLDERS)
    section = PLACEHOLDER_SECTION.search(doc)
    if section:
        names.update(m.group("name") for m in PLACEHOLDER.finditer(section.group("body")))
    return names


def template_fields(template: str) -> list[str]:
    """The placeholder names in a `str.format` template (`{total}`, `{a.b}` -> `a`); ValueError when broken."""
    names = []
    for _, field_name, _, _ in string.Formatter().parse(template):
        if field_name is None:
            continue
        root = re.split(r"[.\[]", field_name, maxsplit=1)[0]
        names.append(root)
    return names


def _subject_words(selector: Any) -> list[str]:
    subject = getattr(selector, "subject", None)
    return [] if subject is None else [str(w) for w in subject]


@functools.lru_cache(maxsize=1)
def unit_words() -> dict[str, str]:
    """Words the extractor reads as a unit or currency, never as a subject (from `data/extract_lexicon.yaml`)."""
    from importlib import resources

    import yaml

    try:
        data = yaml.safe_load(resources.files("ledger").joinpath("data/extract_lexicon.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        data = {}
    words = {w: "percentage" for w in ("percent", "per cent", "percentage points", "%")}
    for entry in (data or {}).get("units") or []:
        for word in entry.get("words") or []:
            words[str(word).lower()] = str(entry.get("dimension") or entry.get("unit"))
    for entry in (data or {}).get("currencies") or []:
        for word in [*(entry.get("names") or []), *(entry.get("codes") or [])]:
            words[str(word).lower()] = f"currency {entry.get('code')}"
    return words


def _unit_word(word: str) -> str | None:
    """What a subject word is when the extractor reads it as a unit (`euros`, `km`, `percent`), else None."""
    return unit_words().get(word.strip().lower())


def lint_rules(ruleset: Any) -> list[Problem]:
    """Warnings about rules that load but cannot work as written; sorted by file, line, column."""
    from ledger.units import compatible

    problems: list[Problem] = []
    defaults_warned: set[tuple[Any, str]] = set()
    raw = {path: _raw_file(path) for path in ruleset.files}
    for path, (data, converter) in raw.items():
        problems.extend(_unused_defaults(path, data, converter))
    for rule in ruleset.rules:
        data, converter = raw.get(rule._file, (None, None))
        index = _rule_index(data, rule)

        def at(*where: Any, key: bool = False) -> tuple[int, int]:
            if converter is None or index is None:
                return rule._line or 1, rule._column or 1
            full = ("rules", index, *where)
            mark = converter.key_marks.get(full) if key else None
            probe = full
            while mark is None and probe:
                mark = converter.value_marks.get(probe)
                probe = probe[:-1]
            return (mark.line + 1, mark.column + 1) if mark is not None else (rule._line or 1, rule._column or 1)

        def warn(code: str, message: str, *where: Any, key: bool = False) -> None:
            line, column = at(*where, key=key)
            problems.append(Problem(rule._file or "<rules>", line, column, code, message, rule.id))

        if rule.message:
            try:
                used = template_fields(rule.message)
            except ValueError as e:
                warn("lint.bad_template", f"message is not a valid template: {e}; write placeholders as {{name}} "
                                          "and a literal brace as {{ or }}", "message")
            else:
                allowed = kind_placeholders(rule.kind)
                if rule.kind == "expr":
                    allowed |= set(rule.facts)
                    allowed.add("assert")
                own = ", ".join(f"{{{n}}}" for n in sorted(allowed - set(COMMON_PLACEHOLDERS)))
                offer = f"{rule.kind} has {own} and the common {{rule}}, {{articles}}, {{facts}}, {{expected}}, " \
                        "{actual}, {unit}, {group}, {work}"
                for name in dict.fromkeys(used):
                    if name == "" or name.isdigit():
                        warn("lint.unknown_placeholder", f"message has a positional placeholder {{{name}}}, "
                                                         f"which is never filled; {offer}", "message")
                    elif name not in allowed:
                        close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
                        hint = f"did you mean {{{close[0]}}}? " if close else ""
                        warn("lint.unknown_placeholder",
                             f"message placeholder {{{name}}} does not exist for kind {rule.kind}; {hint}{offer}",
                             "message")
        tolerance = rule.tolerance
        if tolerance is not None and tolerance.rel > 1:
            own = isinstance(_get(data, ("rules", index, "tolerance")), dict) if index is not None else True
            where = ("tolerance", "rel") if own else None
            if own or (rule._file, "defaults") not in defaults_warned:
                defaults_warned.add((rule._file, "defaults"))
                line, column = at(*where) if own else _mark_of(converter, ("defaults", "tolerance", "rel"), rule)
                problems.append(Problem(rule._file or "<rules>", line, column, "lint.tolerance_too_wide",
                                        f"{'' if own else 'defaults.'}tolerance.rel {tolerance.rel:g} lets each figure "
                                        f"be {tolerance.rel:.0%} off; rel is a fraction of the figure: write "
                                        f"{tolerance.rel / 100:g} for {tolerance.rel:g} %", rule.id if own else None))
        roles = rule.roles()
        for role, selector in roles.items():
            role_path = ("facts", role) if rule.kind == "expr" else _role_path(role)
            for j, word in enumerate(_subject_words(selector)):
                dimension = _unit_word(word)
                if dimension is None:
                    continue
                subject_path = (*role_path, "subject")
                subject_raw = _get(data, ("rules", index, *subject_path)) if index is not None else None
                where = (*subject_path, j) if isinstance(subject_raw, list) else subject_path
                hint = f"; select by `unit:` instead" + (" (and drop `unit: count`)" if selector.unit == "count" else "")
                label = f"facts.{role}" if rule.kind == "expr" else role
                warn("lint.subject_is_unit", f"{label}: subject {word!r} is a unit ({dimension}), "
                                             f"and a fact's unit is never its subject, so this never matches{hint}",
                     *where)
            if selector.unit == "count" and selector.text and re.fullmatch(r"[\\$€£¥%|() ]+", selector.text):
                warn("lint.unit_never_matches", f"{role}: `unit: count` with a `text` that only matches "
                                                "money or percent signs: a plain count never stands there",
                     *role_path, "unit")
        for group in _compared_roles(rule):
            units = [(name, roles[name].unit) for name in group if name in roles and roles[name].unit]
            for (name_a, unit_a), (name_b, unit_b) in zip(units, units[1:]):
                if not compatible(unit_a, unit_b):
                    warn("lint.units_never_convert",
                         f"{name_b} has `unit: {unit_b}`, which never converts to {name_a}'s "
                         f"`unit: {unit_a}`: every group would be skipped", *_role_path(name_b), "unit")
        if rule.kind == "ratio" and getattr(rule.share, "unit", None) not in (None, "percent"):
            from ledger.units import dimensionality

            try:
                is_share = dimensionality(rule.share.unit) == "percent"
            except LedgerError:
                is_share = False
            if not is_share:
                warn("lint.units_never_convert", f"share has `unit: {rule.share.unit}`, but a share is a percentage "
                                                 "or fraction; use `unit: percent`", "share", "unit")
    return sorted(problems, key=lambda p: (p.path, p.line, p.column, p.code))


def _mark_of(converter: Any, where: tuple[Any, ...], rule: Any) -> tuple[int, int]:
    """The 1-based line and column of the value at `where` in a rule file, else of the rule."""
    mark = converter.value_marks.get(where) if converter is not None else None
    return (mark.line + 1, mark.column + 1) if mark is not None else (rule._line or 1, rule._column or 1)


def _role_path(role: str) -> tuple[Any, ...]:
    """`parts[1]` -> ("parts", 1); `facts.total` -> ("facts", "total"); `select` -> ("select",)."""
    m = re.fullmatch(r"(\w+)\[(\d+)\]", role)
    if m:
        return (m.group(1), int(m.group(2)))
    return tuple(role.split(".")) if "." in role else (role,)


def _compared_roles(rule: Any) -> list[list[str]]:
    """Roles whose figures a kind adds or compares directly, so they must share a dimension."""
    roles = list(rule.roles())
    if rule.kind == "sum":
        return [roles]
    if rule.kind == "ratio":
        return [[r for r in roles if r in ("numerator", "denominator")]]
    return []


def _get(data: Any, where: tuple[Any, ...]) -> Any:
    node = data
    for part in where:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def _raw_file(path: str) -> tuple[Any, Any]:
    from ledger.checks.loader import read_text
    from ledger.ruletests import compose

    try:
        return compose(path, read_text(Path(path), path, "rule file"))
    except LedgerError:
        return None, None


def _rule_index(data: Any, rule: Any) -> int | None:
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        return None
    for i, raw in enumerate(rules):
        if isinstance(raw, dict) and raw.get("id") == rule.id:
            return i
    return None


def _unused_defaults(path: str, data: Any, converter: Any) -> list[Problem]:
    if not isinstance(data, dict) or not isinstance(data.get("defaults"), dict):
        return []
    rules = [r for r in data.get("rules") or [] if isinstance(r, dict)]
    out = []
    for key in data["defaults"]:
        setters = [r for r in rules if key in r]
        if rules and len(setters) < len(rules):
            continue
        mark = converter.key_marks.get(("defaults", key))
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        why = "the file has no rules" if not rules else f"every rule in the file sets its own {key}"
        out.append(Problem(path, line, column, "lint.unused_default", f"defaults.{key} is never used: {why}"))
    return out


@dataclass
class Validation:
    rule_files: list[str]
    rules: int
    test_files: list[str]
    cases: int
    problems: list[Problem]


def validate(folder: str | Path) -> Validation:
    """Schema-check the rule and test files of `folder` (RuleFileErrors when invalid), then lint the rules."""
    from ledger.checks import load_rules
    from ledger.ruletests import load_tests

    ruleset = load_rules(folder)
    test_files, cases = load_tests(folder, ruleset)
    return Validation(ruleset.files, len(ruleset.rules), test_files, len(cases), lint_rules(ruleset))


# -- list and explain ----------------------------------------------------------------------------------------


def rule_rows(ruleset: Any, overrides: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every rule `ledger check` knows, the folder's then the built-in `auto.*` ones: id, kind, severity (after
    the `rules:` of ledger.yaml; `off` when it switches the rule off), file, line, description."""
    from ledger.checks.auto import DEFAULT_SEVERITY, RULES
    from ledger.checks.builtin import BUILTIN_RULES

    overrides = overrides or {}
    rows = [{**info.model_dump(mode="json"), "severity": overrides.get(info.id, info.severity),
             "builtin": False}
            for info in ruleset.infos()]
    rows += [{"id": rule_id, "kind": kind, "severity": overrides.get(rule_id, DEFAULT_SEVERITY),
              "description": BUILTIN_RULES[rule_id].description, "file": None, "line": None, "column": None,
              "tags": [], "builtin": True} for rule_id, kind in RULES.items()]
    return rows


def rules_table(rows: list[dict[str, Any]]) -> str:
    from tabulate import tabulate

    table = [(r["id"], r["kind"], r["severity"], "built in" if r.get("builtin") else f"{r['file']}:{r['line']}",
              _one_line(r["description"])) for r in rows]
    return tabulate(table, headers=("id", "kind", "severity", "where", "description"))


def _one_line(text: str, width: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def type_name(annotation: Any) -> str:
    """A short, readable name for a field's type: `selector`, `list of selector`, `true | false`, `number`."""
    from pydantic import BaseModel

    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is typing.Literal:
        return " | ".join(str(a) for a in args) if len(args) <= 3 else "word"
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        members = [a for a in args if a is not type(None)]
        names = [type_name(a) for a in members]
        if len(names) == 2 and names[1] == f"list of {names[0]}":
            return f"{names[0]} or list"  # `subject: fighters` or `subject: [fighters, people]`
        return " or ".join(dict.fromkeys(names))
    if origin in (list, tuple):
        return f"list of {type_name(args[0])}" if args else "list"
    if origin is dict:
        return "mapping"
    if annotation is bool:
        return "true | false"
    if annotation in (int, float):
        return "number"
    if annotation is str:
        return "text"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__.lower()
    return getattr(annotation, "__name__", str(annotation))


def _default_text(info: Any) -> str:
    from pydantic_core import PydanticUndefined

    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value = info.default_factory()
    elif info.default is PydanticUndefined:
        return "required"
    else:
        value = info.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)) and not value:
        return "[]" if isinstance(value, list) else "{}"
    return str(value)


def params(module: ModuleType, own_only: bool = True) -> list[tuple[str, str, str, str]]:
    """(key, type, default, description) of a kind's parameters; the common rule keys unless `own_only`."""
    from ledger.checks.base import RuleParams

    out = []
    for name, info in module.Params.model_fields.items():
        common = name in RuleParams.model_fields
        if name == "kind" or common == own_only:
            continue
        description = " ".join((info.description or "").split())
        if name == "group_by" and not own_only:
            default = "[" + ", ".join(module.Params.DEFAULT_GROUP_BY) + "]"
        else:
            default = _default_text(info)
        out.append((info.alias or name, type_name(info.annotation), default, description))
    return out


def selector_keys() -> list[tuple[str, str, str, str]]:
    from ledger.checks.base import Selector

    return [(info.alias or name, type_name(info.annotation), _default_text(info), " ".join((info.description or "").split()))
            for name, info in Selector.model_fields.items()]


def explain_kind(kind: str) -> str:
    from ledger.checks import KINDS
    from ledger.checks.docs import examples, sections, summary

    module = KINDS[kind]
    out = [f"kind: {kind}", "", summary(module), ""]
    why = PLACEHOLDER_SECTION.sub("", sections(module).get("Why it matters", "")).strip().replace("``", "`")
    if why:
        out += ["Why it matters", textwrap.indent(why, "  "), ""]
    out += ["Parameters", _params_block(params(module, own_only=True)), "",
            "Keys every rule has", _params_block(params(module, own_only=False)), ""]
    out += ["Selector keys (a fact matches when every given key matches)", _params_block(selector_keys()), ""]
    names = sorted(kind_placeholders(kind) - set(COMMON_PLACEHOLDERS))
    out += ["Message placeholders", "  " + ", ".join(f"{{{n}}}" for n in names)
            + (" and each name in `facts`" if kind == "expr" else "")
            + "; and every kind's " + ", ".join(f"{{{n}}}" for n in COMMON_PLACEHOLDERS), ""]
    for example in examples(module):
        title = "Failing example" if example.verdict == "fail" else "Passing example"
        out.append(f"{title}: the rule")
        out.append(textwrap.indent(example.rule.rstrip("\n"), "    "))
        for i, article in enumerate(example.articles, start=1):
            label = "article" if len(example.articles) == 1 else f"article {i}"
            out.append(f"  {label}:")
            out.append(textwrap.indent(article.rstrip("\n"), "    "))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _params_block(rows: list[tuple[str, str, str, str]]) -> str:
    from tabulate import tabulate

    if not rows:
        return "  (none)"
    wrapped = [(k, t, d, textwrap.fill(desc, 70)) for k, t, d, desc in rows]
    return textwrap.indent(tabulate(wrapped, headers=("key", "type", "default", "description")), "  ")


def _severity_line(default: str, overrides: dict[str, str] | None, rule_id: str) -> str:
    """The severity a rule runs at, and where a different one in `ledger.yaml` comes from."""
    level = (overrides or {}).get(rule_id)
    if level is None or level == default:
        return f"severity: {default}"
    return f"severity: {level} (ledger.yaml `rules:`; the rule itself says {default})"


def explain_rule(rule: Any, overrides: dict[str, str] | None = None) -> str:
    """A rule of a rule file: where it is, its own settings, then its kind's documentation. `overrides`: the
    `rules:` severities of ledger.yaml."""
    settings = rule.model_dump(by_alias=True, exclude_defaults=True, exclude={"id", "kind", "description"},
                               mode="json")
    out = [f"rule: {rule.id}  ({rule._file}:{rule._line})", f"kind: {rule.kind}",
           _severity_line(rule.severity, overrides, rule.id)]
    if rule.description:
        out.append(f"description: {rule.description}")
    if settings:
        import yaml

        out += ["settings:", textwrap.indent(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True).rstrip(),
                                             "  ")]
    return "\n".join(out) + "\n\n" + explain_kind(rule.kind)


def explain_builtin(rule_id: str, overrides: dict[str, str] | None = None) -> str:
    """A built-in `auto.*` rule: what it checks, how to change its severity, a failing and a passing article."""
    from ledger.checks.auto import DEFAULT_SEVERITY, RULES
    from ledger.checks.builtin import BUILTIN_RULES, WEAK

    rule = BUILTIN_RULES[rule_id]
    kind = RULES[rule_id]
    out = [f"rule: {rule.id}  (built in: runs with no rule file)", f"kind: {kind}",
           _severity_line(DEFAULT_SEVERITY, overrides, rule.id), f"description: {rule.description}", "",
           "What it checks", textwrap.indent(textwrap.fill(f"{rule.checks} {WEAK}", 100), "  "), "",
           "Settings (ledger.yaml)",
           f"  rules: {{{rule.id}: warning}}   # a new severity (error, warning, info), or off to switch it off", ""]
    for title, articles in (("Failing example", rule.failing), ("Passing example", rule.passing)):
        out.append(title)
        for i, article in enumerate(articles, start=1):
            out.append(f"  {'article' if len(articles) == 1 else f'article {i}'}:")
            out.append(textwrap.indent(article.rstrip("\n"), "    "))
        out.append("")
    out.append(f"Its findings are of kind {kind}: `ledger rules explain {kind}` shows how to write such a rule "
               "yourself, with selectors.")
    return "\n".join(out) + "\n"


def explain(name: str, rules_folder: str | Path | None, overrides: dict[str, str] | None = None) -> str:
    """A rule id (from the rules folder, or a built-in `auto.*` one) or a kind: what it checks, its
    parameters, and examples. `overrides`: the `rules:` severities of ledger.yaml."""
    from ledger.checks import KINDS, load_rules
    from ledger.checks.builtin import BUILTIN_RULES

    if name in KINDS:
        return explain_kind(name)
    if name in BUILTIN_RULES:
        return explain_builtin(name, overrides)
    if rules_folder is None or not Path(rules_folder).is_dir():
        ids: list[str] = []
    else:
        ruleset = load_rules(rules_folder)
        try:
            return explain_rule(ruleset.get(name), overrides)
        except KeyError:
            ids = [r.id for r in ruleset.rules]
    close = difflib.get_close_matches(name, [*KINDS, *BUILTIN_RULES, *ids], n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    where = "" if rules_folder is None else f" in {Path(rules_folder).as_posix()}" if Path(rules_folder).is_dir() \
        else f" ({Path(rules_folder).as_posix()}: rules folder not found)"
    raise LedgerError(f"no rule {name!r}{where} and no kind of that name{hint}; kinds: {', '.join(KINDS)}; "
                      f"built-in rules: {', '.join(BUILTIN_RULES)}")


# -- config schema -------------------------------------------------------------------------------------------

CONFIG_SCHEMA_ID = "https://ledger.invalid/schemas/config-v1.json"


def config_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of `ledger.yaml`, generated from the pydantic `Config` model."""
    from ledger.config import Config

    out = Config.model_json_schema(by_alias=True)
    for loaded in ("root", "source", "source_text"):  # set by the loader, never read from the file
        out.get("properties", {}).pop(loaded, None)
    paths = out.get("$defs", {}).get("Paths", {}).get("properties", {})
    if "articles" in paths:  # one folder may be given as a string
        articles = paths["articles"]
        paths["articles"] = {k: v for k, v in articles.items() if k not in ("type", "items")} | {
            "anyOf": [{"type": "string"}, {"type": "array", "items": articles.get("items", {"type": "string"})}]}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": CONFIG_SCHEMA_ID,
            "title": "ledger.yaml", **{k: v for k, v in out.items() if k != "title"}}


# -- the command line ----------------------------------------------------------------------------------------


def _given_folder(args: argparse.Namespace) -> str | None:
    positional, option = getattr(args, "dir", None), getattr(args, "rules_dir", None)
    if positional and option and Path(positional) != Path(option):
        raise LedgerError(f"two rules folders given ({positional} and --rules {option}); give one")
    return positional or option


def _rules_folder(args: argparse.Namespace, config: Any = None) -> Path:
    if _given_folder(args):
        return Path(_given_folder(args))
    from ledger.config import load_config

    config = config or load_config(getattr(args, "config", None))
    return config.path(config.paths.rules)


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _shown(path: Path) -> str:
    import os

    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


def cmd_rules_test(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from ledger.config import load_config
    from ledger.extract.intervals import configure
    from ledger.ruletests import describe_facts, describe_findings, run_folder

    config = load_config(getattr(args, "config", None))
    folder = Path(_shown(_rules_folder(args, config)))
    configure(config.qualifiers)  # a case reads its figures with the margins `ledger check` uses
    from ledger.checks.auto import RULES as AUTO_RULES

    outcome = run_folder(folder, aliases=config.aliases,
                         auto_settings={rule: level for rule, level in config.rules.items() if rule in AUTO_RULES})
    out = sys.stdout
    if not outcome.checks:
        out.write(f"no rule tests in {folder.as_posix()} (write them in *.test.yaml files next to the rules)\n")
    else:
        rows = [(f"{c.case.file}:{c.case.line}", _one_line(c.case.title, 50), c.rule, c.expected, c.got,
                 "ok" if c.ok else "FAILED") for c in outcome.checks]
        out.write(tabulate(rows, headers=("case", "name", "rule", "expected", "got", "result")) + "\n")
    for check in outcome.failed:
        out.write(f"\n{check.case.file}:{check.case.line}:{check.case.column}: {check.case.title}: "
                  f"{check.rule} was expected to {check.expected} but gave {check.got}\n")
        for line in describe_findings(check.findings):
            out.write(f"    {line}\n")
        out.write(f"    {describe_facts(check.facts)}\n")
    cases = len({(c.case.file, c.case.index) for c in outcome.checks})
    out.write(f"\n{len(outcome.checks) - len(outcome.failed)} of {plural(len(outcome.checks), 'expectation')} met "
              f"in {plural(cases, 'case')} ({plural(len(outcome.files), 'test file')})\n")
    for rule in outcome.untested:
        out.write(f"{rule._file}:{rule._id_line}:{rule._id_column}: warning: rule {rule.id} has no failing "
                  f"test case, so nothing shows that it can fire\n")
    if args.strict:
        for rule in outcome.never_pass:
            out.write(f"{rule._file}:{rule._id_line}:{rule._id_column}: warning: rule {rule.id} has no passing "
                      f"test case\n")
    if outcome.failed:
        return EXIT_FAILED
    if args.strict and (outcome.untested or outcome.never_pass):
        return EXIT_FAILED
    return EXIT_OK


def cmd_rules_validate(args: argparse.Namespace) -> int:
    folder = Path(_shown(_rules_folder(args)))
    result = validate(folder)
    for problem in result.problems:
        sys.stdout.write(f"{problem}\n")
    verdict = plural(len(result.problems), "lint warning") if result.problems else "valid"
    sys.stdout.write(f"{folder.as_posix()}: {plural(result.rules, 'rule')} in {plural(len(result.rule_files), 'file')}, "
                     f"{plural(result.cases, 'test case')} in {plural(len(result.test_files), 'file')}: {verdict}\n")
    return EXIT_FAILED if result.problems else EXIT_OK


def cmd_rules_list(args: argparse.Namespace) -> int:
    from ledger.checks import load_rules

    from ledger.config import load_config

    config = load_config(getattr(args, "config", None))
    folder = Path(_shown(_rules_folder(args, config)))
    rows = rule_rows(load_rules(folder), config.rules)
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(rules_table(rows) + "\n")
    return EXIT_OK


def cmd_rules_explain(args: argparse.Namespace) -> int:
    from ledger.checks import KINDS
    from ledger.config import load_config

    folder, overrides = None, {}
    if args.name not in KINDS:
        config = load_config(getattr(args, "config", None))
        overrides = config.rules
        folder = Path(_shown(_rules_folder(args, config)))
    sys.stdout.write(explain(args.name, folder, overrides))
    return EXIT_OK


def cmd_config_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(config_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return EXIT_OK


def _rules_folder_arguments(parser: argparse.ArgumentParser, positional: bool = True) -> None:
    """The rules folder as `ledger check` takes it (`--rules DIR`), and also as a plain argument."""
    help_text = "the rules folder (default: paths.rules of ledger.yaml, else rules/)"
    if positional:
        parser.add_argument("dir", nargs="?", metavar="DIR", help=help_text)
    parser.add_argument("--rules", dest="rules_dir", metavar="DIR", help="the same as DIR" if positional else help_text)


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="settings file (default: the nearest ledger.yaml, or $LEDGER_CONFIG)")


def add_rules_commands(rules_commands: Any) -> None:
    """Add `test`, `validate`, `list` and `explain` to the `ledger rules` subcommands."""
    test = rules_commands.add_parser(
        "test", help="run the rule tests (*.test.yaml) and show which cases pass",
        description="Extract the articles of every case in the *.test.yaml files of the rules folder, run the "
                    "rules each case names, and compare with what it expects. Exit 0 when every case passes, "
                    "1 when one fails, 2 on an invalid rule or test file. Rules with no failing case are named.",
        epilog="Example: ledger rules test rules/")
    _rules_folder_arguments(test)
    test.add_argument("--strict", action="store_true",
                      help="also exit 1 when a rule has no failing or no passing case")
    _config_option(test)
    test.set_defaults(handler=cmd_rules_test)

    check = rules_commands.add_parser(
        "validate", help="check rule and test files against the schema, then lint the rules",
        description="Schema-check every rule file and rule test file, then lint the rules: unused defaults, "
                    "message placeholders the kind does not have, selectors that can never match a unit, "
                    "a relative tolerance written in percent (rel: 5). "
                    "Exit 0 clean, 1 lint warnings, 2 an invalid file.",
        epilog="Example: ledger rules validate rules/")
    _rules_folder_arguments(check)
    _config_option(check)
    check.set_defaults(handler=cmd_rules_validate)

    listing = rules_commands.add_parser(
        "list", help="list the rules: id, kind, severity, file:line, description",
        epilog="Example: ledger rules list rules/")
    _rules_folder_arguments(listing)
    listing.add_argument("--format", choices=("table", "json"), default="table", help="default: table")
    _config_option(listing)
    listing.set_defaults(handler=cmd_rules_list)

    explain_parser = rules_commands.add_parser(
        "explain", help="what a rule or kind checks, its parameters, and a failing and a passing example",
        epilog="Example: ledger rules explain sum; ledger rules explain wagner.force.composition")
    explain_parser.add_argument("name", metavar="ID|KIND", help="a rule id or a kind (sum, agreement, ...)")
    _rules_folder_arguments(explain_parser, positional=False)
    _config_option(explain_parser)
    explain_parser.set_defaults(handler=cmd_rules_explain)


def add_config_commands(commands: Any) -> None:
    """Add `ledger config schema` to the top-level subcommands."""
    config = commands.add_parser("config", help="work with ledger.yaml",
                                 epilog="Example: ledger config schema > ledger.schema.json")
    config_commands = config.add_subparsers(title="config commands", metavar="COMMAND")
    schema = config_commands.add_parser("schema", help="print the JSON Schema of ledger.yaml",
                                        epilog="Example: ledger config schema > ledger.schema.json")
    schema.set_defaults(handler=cmd_config_schema)
    config.set_defaults(handler=lambda args: (config.print_help(), EXIT_ERROR)[1])
