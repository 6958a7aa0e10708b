"""Loading rule files: YAML nodes with their marks -> plain data -> pydantic models, every error mapped back
to `file:line:column` of the offending key or value, with the key path, what was expected and a
"did you mean" where one fits. All errors in all files are collected before anything is raised.
"""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from ledger.checks.base import Aliases, Defaults, RuleParams
from ledger.checks.registry import KINDS, RuleFile, unknown_kind_message
from ledger.errors import LedgerError
from ledger.model import RuleInfo
from ledger.yamltext import Constructor

MAX_VALUES = 100_000
"""Anchors and aliases may not expand a file to more values than this (alias "billion laughs")."""
MAX_DEPTH = 64
MAX_FILE_BYTES = 4 * 1024 * 1024
MERGE_TAG = "tag:yaml.org,2002:merge"
SAFE_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq",
                                                         "timestamp"))

Path_ = tuple[Any, ...]


class RuleFileErrors(LedgerError):
    """Every problem found in the rule files, one line each (`file:line:col: path: message`)."""

    def __init__(self, errors: list[LedgerError]):
        first = errors[0]
        super().__init__(first.message, first.path, first.line, first.column)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(LedgerError.__str__(e) for e in self.errors)


@dataclass
class RuleSet:
    """The validated rules of a rules folder, in file order, with the merged aliases."""

    rules: list[Any] = field(default_factory=list)
    aliases: Aliases = field(default_factory=Aliases)
    files: list[str] = field(default_factory=list)

    def infos(self) -> list[RuleInfo]:
        return [RuleInfo(id=r.id, kind=r.kind, severity=r.severity, description=r.description,
                         file=r._file, line=r._line, column=r._column, tags=tuple(r.tags)) for r in self.rules]

    def get(self, rule_id: str) -> Any:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def format_path(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


class _Converter:
    """YAML nodes to Python data, recording the mark of every key and value by its path."""

    def __init__(self, path: str):
        self.path = path
        self.key_marks: dict[Path_, yaml.Mark] = {}
        self.value_marks: dict[Path_, yaml.Mark] = {}
        self.comma_split: dict[Path_, str] = {}
        """Keys of a `{...}` mapping written with no value after a comma, by path -> the text from the value
        before that comma to the key: `{unit: per 100,000 people}` reads as `unit: per 100` and a key `000 people`."""
        self.errors: list[LedgerError] = []
        self.count = 0
        self.constructor = Constructor()
        self.stack: set[int] = set()

    def error(self, mark: yaml.Mark | None, where: Path_, message: str) -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        self.errors.append(LedgerError(f"{format_path(where)}: {message}", self.path, line, col))

    def convert(self, node: yaml.Node, where: Path_ = (), depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Abort(node.start_mark, where, f"anchors and aliases expand to more than {MAX_VALUES:,} values")
        if depth > MAX_DEPTH:
            raise _Abort(node.start_mark, where, f"nested more than {MAX_DEPTH} levels deep")
        self.value_marks.setdefault(where, node.start_mark)
        if node.tag not in SAFE_TAGS:
            raise _Abort(node.start_mark, where, f"unsupported YAML tag {node.tag!r}; rule files hold plain "
                                                 "strings, numbers, booleans, dates, lists and mappings")
        if isinstance(node, yaml.ScalarNode):
            try:
                return self.constructor.construct_object(node)
            except yaml.YAMLError:
                return node.value
        if id(node) in self.stack:
            raise _Abort(node.start_mark, where, "an alias refers to the mapping or list that holds it")
        self.stack.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.convert(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, where, depth)
        finally:
            self.stack.discard(id(node))
        return None  # pragma: no cover

    def mapping(self, node: yaml.MappingNode, where: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, yaml.Mark] = {}
        merges: list[yaml.Node] = []
        previous: yaml.Node | None = None
        for key_node, value_node in node.value:
            if (node.flow_style and previous is not None and isinstance(previous, yaml.ScalarNode)
                    and isinstance(key_node, yaml.ScalarNode) and isinstance(value_node, yaml.ScalarNode)
                    and value_node.value == "" and value_node.start_mark.index == key_node.end_mark.index):
                buffer = key_node.end_mark.buffer
                self.comma_split[(*where, key_node.value)] = (
                    buffer[previous.start_mark.index:key_node.end_mark.index].rstrip("\0") if buffer
                    else f"{previous.value}, {key_node.value}")
            previous = value_node
            if key_node.tag == MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node.start_mark, where, "a key must be a plain word, not a mapping or list")
                continue
            try:
                key_value = self.constructor.construct_object(key_node)
            except yaml.YAMLError:
                key_value = key_node.value
            key = key_node.value if isinstance(key_value, (bool, type(None))) else str(key_value)
            if key in first:
                self.error(key_node.start_mark, (*where, key),
                           f"duplicate key {key!r} (first on line {first[key].line + 1})")
                continue
            first[key] = key_node.start_mark
            self.key_marks[(*where, key)] = key_node.start_mark
            out[key] = self.convert(value_node, (*where, key), depth + 1)
        for merge in merges:
            sources = merge.value if isinstance(merge, yaml.SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    self.error(source.start_mark, where, "'<<' merges a mapping (or a list of mappings)")
                    continue
                merged = self.mapping(source, where, depth + 1)
                for key, value in merged.items():
                    out.setdefault(key, value)
        return out


class _Abort(Exception):
    def __init__(self, mark: yaml.Mark, where: Path_, message: str):
        super().__init__(message)
        self.mark, self.where, self.message = mark, where, message


def _yaml_error(e: yaml.YAMLError, path: str, text: str) -> LedgerError:
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        problem = (e.problem or e.context or "invalid YAML").strip()
        if mark is not None:
            line_text = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
            if "\t" in line_text[: mark.column + 1] or "'\\t'" in problem:
                tab = line_text.find("\t")
                return LedgerError("YAML syntax error: a tab character; indent with spaces, not tabs", path,
                                   mark.line + 1, (tab if tab >= 0 else mark.column) + 1)
            context = f" ({e.context.strip()})" if e.context and e.problem else ""
            return LedgerError(f"YAML syntax error: {problem}{context}", path, mark.line + 1, mark.column + 1)
        return LedgerError(f"YAML syntax error: {problem}", path)
    return LedgerError(f"YAML error: {str(e).splitlines()[0] if str(e) else type(e).__name__}", path)


def _strip_union_tags(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """pydantic puts the union member's tag in `loc` (rules.0.sum.total): drop it to get the data path."""
    out: list[Any] = []
    node = data
    tagged = None  # the mapping whose kind tag was dropped: a key of the same name below it is the user's
    for part in loc:
        if isinstance(part, str) and not isinstance(node, dict) and out:
            continue  # a union member's tag below a list or a scalar
        if isinstance(node, dict) and isinstance(part, str) and part == node.get("kind") and tagged is not node:
            tagged = node
            continue  # the tag comes first, even when the rule also has a key of that name ("expr: ...")
        if isinstance(node, dict) and part not in node and isinstance(part, str):
            if part.startswith(("function-", "list[", "dict[", "union[", "str", "int", "float",
                                "bool", "literal[", "is-instance", "date", "none")):
                continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _unwrap(annotation: Any, node: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0], node)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if models and isinstance(node, dict):
            for model in models:
                kind_field = model.model_fields.get("kind")
                if kind_field is not None and node.get("kind") in typing.get_args(kind_field.annotation):
                    return model
            return models[0] if len(models) == 1 else None
        for m in members:
            o = typing.get_origin(m)
            if (o is list and isinstance(node, list)) or (o is dict and isinstance(node, dict)):
                return m
        return members[0] if len(members) == 1 else None
    return annotation


def _model_at(path: tuple[Any, ...], data: Any) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at `path` (for "did you mean" on unknown keys)."""
    annotation: Any = RuleFile
    node = data
    for part in path:
        annotation = _unwrap(annotation, node)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field_info = None
            for name, info in annotation.model_fields.items():
                if part in (name, info.alias):
                    field_info = info
            if field_info is None:
                return None
            annotation = field_info.annotation
        elif typing.get_origin(annotation) is list and isinstance(part, int):
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            return None
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node) else None)
    annotation = _unwrap(annotation, node)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _plain(message: str) -> str:
    """pydantic's wording for a model expected as a mapping names Python classes: say "a mapping" instead."""
    return re.sub(r"a valid dictionary or (?:instance of \w+|object to extract fields from)", "a mapping (key: value)",
                  message)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _FileLoader:
    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.converter = _Converter(path)
        self.errors: list[LedgerError] = []

    def add(self, where: Path_, message: str, key: bool = False) -> None:
        mark = self.converter.key_marks.get(where) if key else None
        if mark is None:
            probe = where
            while probe and probe not in self.converter.value_marks:
                probe = probe[:-1]
            mark = self.converter.value_marks.get(probe)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.errors.append(LedgerError(f"{format_path(where)}: {message}", self.path, line, col))

    def load(self) -> RuleFile | None:
        try:
            node = yaml.compose(self.text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as e:
            self.errors.append(_yaml_error(e, self.path, self.text))
            return None
        except RecursionError:
            self.errors.append(LedgerError("YAML nested too deeply", self.path, 1, 1))
            return None
        if node is None:
            self.errors.append(LedgerError("empty rule file; expected a mapping with a 'rules:' list", self.path, 1, 1))
            return None
        try:
            data = self.converter.convert(node)
        except _Abort as e:
            self.errors.append(LedgerError(f"{format_path(e.where)}: {e.message}", self.path,
                                           e.mark.line + 1, e.mark.column + 1))
            return None
        except RecursionError:
            self.errors.append(LedgerError("YAML nested too deeply", self.path, 1, 1))
            return None
        if self.converter.errors:
            # duplicate keys and the like: the data is not what the author wrote, so validating it misleads
            self.errors.extend(self.converter.errors)
            return None
        if not isinstance(data, dict):
            self.add((), f"a rule file is a mapping with a 'rules:' list, not {type(data).__name__}")
            return None
        for key in [k for k in data if isinstance(k, str) and k.startswith("x-")]:
            del data[key]  # `x-...` keys hold anchors for reuse, like docker-compose's extension fields
        self.apply_defaults(data)
        try:
            model = RuleFile.model_validate(data)
        except ValidationError as e:
            self.map_errors(e, data)
            return None
        if self.errors:
            return None
        for i, rule in enumerate(model.rules):
            mark = self.converter.value_marks.get(("rules", i))
            rule._file = self.path
            rule._line = mark.line + 1 if mark else None
            rule._column = mark.column + 1 if mark else None
            id_mark = self.converter.value_marks.get(("rules", i, "id"))
            rule._id_line = id_mark.line + 1 if id_mark else rule._line
            rule._id_column = id_mark.column + 1 if id_mark else rule._column
        return model

    def apply_defaults(self, data: dict[str, Any]) -> None:
        raw = data.get("defaults")
        if not isinstance(raw, dict):
            return
        try:
            defaults = Defaults.model_validate(raw)
        except ValidationError:
            return  # reported when the whole file is validated
        rules = data.get("rules")
        if not isinstance(rules, list):
            return
        for rule in rules:
            if not isinstance(rule, dict):
                continue
            if defaults.severity is not None:
                rule.setdefault("severity", defaults.severity)
            if defaults.tolerance is not None:
                rule.setdefault("tolerance", defaults.tolerance.model_dump())
            if defaults.tags is not None:
                rule.setdefault("tags", defaults.tags)
            if defaults.group_by is not None:
                rule.setdefault("group_by", defaults.group_by)

    def map_errors(self, error: ValidationError, data: Any) -> None:
        seen: set[Path_] = set()
        items = [(item, _strip_union_tags(tuple(item["loc"]), data)) for item in error.errors(include_url=False)]
        paths = [where for _, where in items]
        # of a union's alternatives, the deepest complaint is the useful one
        items = [(item, where) for item, where in items
                 if item["type"] in ("extra_forbidden", "missing")
                 or not any(len(p) > len(where) and p[:len(where)] == where for p in paths)]
        misspelled: set[Path_] = set()
        for item, where in items:
            if item["type"] == "extra_forbidden":
                model = _model_at(where[:-1], data)
                close = difflib.get_close_matches(str(where[-1]), _keys_of(model) if model else [], n=1, cutoff=0.6)
                if close:
                    misspelled.add((*where[:-1], close[0]))
        first_errors = len(self.errors)
        for item, where in items:
            kind = item["type"]
            if kind == "missing" and where in misspelled:
                continue  # "unknown key 'partz'; did you mean 'parts'?" says it already
            if kind == "extra_forbidden":
                if where in seen:
                    continue
                seen.add(where)
                key = where[-1]
                model = _model_at(where[:-1], data)
                keys = _keys_of(model) if model else []
                close = difflib.get_close_matches(str(key), keys, n=1, cutoff=0.6)
                expected = f"; expected one of: {', '.join(keys)}" if keys else ""
                hint = f"; did you mean {close[0]!r}?" if close else ""
                before = self.converter.comma_split.get(where)
                if before is not None:  # the comma was meant as part of the value
                    self.add(where, f"unknown key {key!r}: inside {{...}} a comma separates keys; quote a value "
                                    f"that has a comma in it: '{before}'", key=True)
                    continue
                self.add(where, f"unknown key {key!r}{hint}{expected}", key=True)
                continue
            # union members each report: keep the first problem per path
            if where in seen:
                continue
            seen.add(where)
            if kind == "missing":
                parent = where[:-1]
                self.add(parent, f"missing required key {where[-1]!r}" if where else "missing value")
            elif kind == "union_tag_invalid":
                tag = item.get("ctx", {}).get("tag")
                self.add((*where, "kind"), unknown_kind_message(tag))
            elif kind == "union_tag_not_found":
                self.add(where, f"missing required key 'kind'; valid kinds: {', '.join(KINDS)}")
            elif kind in ("value_error", "assertion_error"):
                message = item["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
                self.add(where, message)
            else:
                got = item.get("input")
                suffix = f" (got {_short(got)})" if not isinstance(got, (dict, list)) else \
                    f" (got a {'mapping' if isinstance(got, dict) else 'list'})"
                self.add(where, f"{_plain(item['msg'])}{suffix}")
        self.errors[first_errors:] = sorted(self.errors[first_errors:], key=lambda e: (e.line or 0, e.column or 0))


def read_text(file: Path, shown: str, what: str = "rule file") -> str:
    """A rule or rule-test file's text: UTF-8 (BOM allowed), `\n` newlines, at most MAX_FILE_BYTES."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LedgerError(f"{what} too large ({size:,} bytes)", shown)
        data = file.read_bytes()
    except OSError as e:
        raise LedgerError(f"cannot read {what}: {e.strerror or e}", shown) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LedgerError(f"{what} is UTF-16 text; save it as UTF-8", shown, 1, 1)
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        line_start = data.rfind(b"\n", 0, e.start) + 1
        column = len(data[line_start:e.start].decode("utf-8", "replace")) + 1
        raise LedgerError(f"{what} is not UTF-8 text (byte {data[e.start]:#04x}); save it as UTF-8", shown,
                          data.count(b"\n", 0, e.start) + 1, column) from None


def rule_files(folder: Path) -> list[Path]:
    found = []
    for file in sorted(folder.rglob("*")):
        name = file.name.lower()
        if not name.endswith((".yaml", ".yml")) or name.endswith((".test.yaml", ".test.yml")):
            continue
        if any(part.startswith(".") for part in file.relative_to(folder).parts):
            continue
        if file.is_file():
            found.append(file)
    return found


def load_text(text: str, path: str = "<rules>") -> RuleSet:
    """Rules from one file's text (for tests and `ledger rules test`); RuleFileErrors when it is bad."""
    loader = _FileLoader(path, text)
    model = loader.load()
    if loader.errors or model is None:
        raise RuleFileErrors(loader.errors or [LedgerError("could not load", path)])
    ruleset = RuleSet(files=[path])
    errors: list[LedgerError] = []
    _collect(ruleset, model, errors, {})
    if errors:
        raise RuleFileErrors(errors)
    return ruleset


def _collect(ruleset: RuleSet, model: RuleFile, errors: list[LedgerError], first_ids: dict[str, RuleParams]) -> None:
    for rule in model.rules:
        if rule.id in first_ids:
            first = first_ids[rule.id]
            errors.append(LedgerError(
                f"rules[{model.rules.index(rule)}].id: duplicate rule id {rule.id!r} "
                f"(first in {first._file}:{first._id_line})", rule._file, rule._id_line, rule._id_column))
            continue
        first_ids[rule.id] = rule
        ruleset.rules.append(rule)
    if model.aliases is not None:
        ruleset.aliases = merge_aliases(ruleset.aliases, model.aliases)


def merge_aliases(a: Aliases, b: Aliases) -> Aliases:
    subjects = {k: list(v) for k, v in a.subjects.items()}
    for k, v in b.subjects.items():
        subjects[k] = list(dict.fromkeys([*subjects.get(k, []), *v]))
    entities = {k: list(v) for k, v in a.entities.items()}
    for k, v in b.entities.items():
        entities[k] = list(dict.fromkeys([*entities.get(k, []), *v]))
    return Aliases(subjects=subjects, entities=entities)


def load_rules(folder: str | Path) -> RuleSet:
    """Every rule file under `folder` (recursively, sorted; not `*.test.yaml`), validated.

    Raises LedgerError for a missing folder, RuleFileErrors (a LedgerError) listing every problem otherwise.
    """
    root = Path(folder)
    shown = str(folder)
    if not root.exists():
        raise LedgerError("rules folder not found", shown)
    if not root.is_dir():
        raise LedgerError("rules path is a file, not a folder of rule files", shown)
    ruleset = RuleSet()
    errors: list[LedgerError] = []
    first_ids: dict[str, RuleParams] = {}
    try:
        files = rule_files(root)
    except OSError as e:
        raise LedgerError(f"cannot read rules folder: {e.strerror or e}", shown) from None
    for file in files:
        path = file.as_posix()
        try:
            text = read_text(file, path)
        except LedgerError as e:
            errors.append(e)
            continue
        loader = _FileLoader(path, text)
        model = loader.load()
        errors.extend(loader.errors)
        if model is None:
            continue
        ruleset.files.append(path)
        _collect(ruleset, model, errors, first_ids)
    if errors:
        raise RuleFileErrors(errors)
    return ruleset
