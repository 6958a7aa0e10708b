"""Rule tests: `rules/<name>.test.yaml` files of cases that say which rules must fail, pass or be skipped
on a few given articles. `ledger rules test` extracts the articles, runs the folder's rules and compares.

    version: 1
    tests:
      - name: parts that do not add up
        given: |                       # one article: Markdown text with optional front matter
          ---
          id: force
          published: 2023-05-01
          ---
          Wagner has 50,000 fighters, including 10,000 contractors and 30,000 inmates.
        expect:
          fail: [wagner.force.composition]
      - name: two reports that agree
        given:                         # several articles: each is text, or a mapping with `text`
          - {id: early, published: 2023-01-05, text: "Wagner is spending $100 million a month."}
          - |
            ---
            id: late
            ---
            Wagner spends $1.2 billion a year on the war.
        expect:
          pass: [wagner.spending.agrees]

`expect.fail`: each rule must give at least one failing finding. `expect.pass`: each rule must give a
passing finding and no failing one. `expect.skip`: each rule must give neither (its roles matched nothing).
Rules a case does not name are not looked at. A case may also name a built-in `auto.*` rule
(`fail: [auto.share]`); it runs as `ledger check` runs it, with the severity or `off` that ledger.yaml gives it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from ledger.checks.base import Strict
from ledger.checks.loader import (RuleFileErrors, RuleSet, _Abort, _Converter, _plain, _yaml_error, format_path,
                                  read_text)
from ledger.errors import LedgerError
from ledger.model import Article, Fact, Finding

TEST_SUFFIXES = (".test.yaml", ".test.yml")
Verdict = Literal["fail", "pass", "skip"]


class GivenArticle(Strict):
    """One article of a case, as a mapping (the same keys as front matter, plus `text`)."""

    text: str
    """The article's body (no front matter)."""
    id: str | None = None
    """Default: `article` (or `article-N` for the N-th of several)."""
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    """The publication date (`monotonic` rules order by it by default)."""
    url: str | None = None
    meta: dict[str, Any] = Field(default_factory=dict)
    """Any other front-matter keys, for `meta:` selectors and `group_by: [meta.KEY]`."""


class Expect(Strict):
    """Rule ids by the verdict each must reach on the case's articles."""

    fail: list[str] = Field(default_factory=list)
    """Each of these rules must give at least one failing finding."""
    pass_: list[str] = Field(default_factory=list, alias="pass")
    """Each of these rules must give a passing finding and no failing one."""
    skip: list[str] = Field(default_factory=list)
    """Each of these rules must give neither a pass nor a fail (a role matched no fact)."""

    @field_validator("fail", "pass_", "skip", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @model_validator(mode="after")
    def _something_and_once(self) -> "Expect":
        if not (self.fail or self.pass_ or self.skip):
            raise ValueError("expect names no rule; give `fail:`, `pass:` or `skip:` with rule ids")
        seen: dict[str, str] = {}
        for verdict, ids in (("fail", self.fail), ("pass", self.pass_), ("skip", self.skip)):
            for rule_id in ids:
                if rule_id in seen and seen[rule_id] == verdict:
                    raise ValueError(f"rule {rule_id!r} is listed twice under {verdict}")
                if rule_id in seen:
                    raise ValueError(f"rule {rule_id!r} is expected both to {seen[rule_id]} and to {verdict}")
                seen[rule_id] = verdict
        return self

    def items(self) -> list[tuple[str, Verdict]]:
        return [(r, "fail") for r in self.fail] + [(r, "pass") for r in self.pass_] + [(r, "skip") for r in self.skip]


class RuleTestCase(Strict):
    """Articles and the verdicts the folder's rules must reach on them."""

    name: str | None = None
    """Shown in the results table; default `case N`."""
    given: str | GivenArticle | list[str | GivenArticle]
    """One article as Markdown text (optional front matter) or a mapping with `text`, or a list of articles."""
    expect: Expect


class RuleTestFile(Strict):
    """A rule-test file (`rules/*.test.yaml`)."""

    version: Literal[1] = 1
    tests: list[RuleTestCase] = Field(min_length=1)
    """The cases; each has `given` articles and `expect`ed verdicts."""


_MODELS_BY_DEPTH: dict[tuple[str, ...], type[Strict]] = {
    (): RuleTestFile, ("tests", "#"): RuleTestCase, ("tests", "#", "expect"): Expect,
    ("tests", "#", "given"): GivenArticle, ("tests", "#", "given", "#"): GivenArticle,
}


@dataclass
class LoadedCase:
    case: RuleTestCase
    index: int
    file: str
    line: int
    column: int
    articles: list[Article]
    marks: dict[tuple[Any, ...], tuple[int, int]]
    """(line, column) of each `expect` rule id, by its path in the case (("fail", 0), ...)."""

    @property
    def title(self) -> str:
        return self.case.name or f"case {self.index + 1}"


@dataclass
class Check:
    """One expectation of one case, and what the rule did."""

    case: LoadedCase
    rule: str
    expected: Verdict
    findings: list[Finding]
    facts: list[Fact] = field(default_factory=list)
    """Every fact extracted from the case's articles (shown when the check fails)."""

    @property
    def got(self) -> str:
        statuses = {f.status for f in self.findings}
        if "fail" in statuses:
            return "fail"
        if "pass" in statuses:
            return "pass"
        return "skip"

    @property
    def ok(self) -> bool:
        return self.got == self.expected


@dataclass
class Outcome:
    checks: list[Check] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    untested: list[Any] = field(default_factory=list)
    """Rules (with their file and line) that no case expects to fail."""
    never_pass: list[Any] = field(default_factory=list)
    """Rules that no case expects to pass."""

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def test_files(folder: str | Path) -> list[Path]:
    """Every `*.test.yaml` / `*.test.yml` under `folder`, sorted, outside hidden folders."""
    root = Path(folder)
    found = []
    for file in sorted(root.rglob("*")):
        if not file.name.lower().endswith(TEST_SUFFIXES):
            continue
        if any(part.startswith(".") for part in file.relative_to(root).parts):
            continue
        if file.is_file():
            found.append(file)
    return found


def _strip_tags(loc: tuple[Any, ...], data: Any, error_type: str) -> tuple[Any, ...]:
    """pydantic's `loc` names union members (`str`, `list[...]`, `GivenArticle`): keep only the data path."""
    out: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(part, str):
            if not isinstance(node, dict):
                continue
            if part not in node and not (last and error_type == "missing"):
                continue
            out.append(part)
            node = node.get(part)
        else:
            if isinstance(node, list) and 0 <= part < len(node):
                out.append(part)
                node = node[part]
            elif not isinstance(node, list):
                continue
    return tuple(out)


def _model_at(where: tuple[Any, ...]) -> type[Strict] | None:
    shape = tuple("#" if isinstance(p, int) else p for p in where)
    return _MODELS_BY_DEPTH.get(shape)


def _keys(model: type[Strict]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


class _Marks:
    def __init__(self, converter: _Converter):
        self.converter = converter

    def at(self, where: tuple[Any, ...], key: bool = False) -> tuple[int, int]:
        mark = self.converter.key_marks.get(where) if key else None
        probe = where
        while mark is None:
            mark = self.converter.value_marks.get(probe)
            if not probe:
                break
            probe = probe[:-1]
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def compose(path: str, text: str) -> tuple[Any, _Converter]:
    """YAML text -> plain data, with the mark of every key and value (the rule loader's converter).

    Raises RuleFileErrors naming file:line:column for syntax errors, duplicate keys and the like.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise RuleFileErrors([_yaml_error(e, path, text)]) from None
    except RecursionError:
        raise RuleFileErrors([LedgerError("YAML nested too deeply", path, 1, 1)]) from None
    converter = _Converter(path)
    if node is None:
        return None, converter
    try:
        data = converter.convert(node)
    except _Abort as e:
        raise RuleFileErrors([LedgerError(f"{format_path(e.where)}: {e.message}", path,
                                          e.mark.line + 1, e.mark.column + 1)]) from None
    except RecursionError:
        raise RuleFileErrors([LedgerError("YAML nested too deeply", path, 1, 1)]) from None
    if converter.errors:
        raise RuleFileErrors(converter.errors)
    return data, converter


def load_test_text(text: str, path: str, ruleset: RuleSet | None = None) -> list[LoadedCase]:
    """The cases of one test file; RuleFileErrors (every problem, file:line:column) when it is invalid.

    With a ruleset, every rule id a case expects must be one of its rules.
    """
    data, converter = compose(path, text)
    marks = _Marks(converter)
    errors: list[LedgerError] = []

    def add(where: tuple[Any, ...], message: str, key: bool = False) -> None:
        line, column = marks.at(where, key)
        errors.append(LedgerError(f"{format_path(where)}: {message}", path, line, column))

    if not isinstance(data, dict):
        add((), "a rule test file is a mapping with a 'tests:' list of cases"
                + ("" if data is None else f", not {type(data).__name__}"))
        raise RuleFileErrors(errors)
    try:
        model = RuleTestFile.model_validate(data)
    except ValidationError as e:
        _map_errors(e, data, add)
        raise RuleFileErrors(sorted(errors, key=lambda x: (x.line or 0, x.column or 0))) from None

    from ledger.checks.builtin import BUILTIN_RULES

    known = {r.id for r in ruleset.rules} | set(BUILTIN_RULES) if ruleset is not None else None
    cases: list[LoadedCase] = []
    for index, case in enumerate(model.tests):
        where = ("tests", index)
        line, column = marks.at(where)
        id_marks: dict[tuple[Any, ...], tuple[int, int]] = {}
        for verdict in ("fail", "pass", "skip"):
            for j, rule_id in enumerate(getattr(case.expect, "pass_" if verdict == "pass" else verdict)):
                id_marks[(verdict, j)] = marks.at((*where, "expect", verdict, j))
                if known is not None and rule_id not in known:
                    close = difflib.get_close_matches(rule_id, sorted(known), n=1, cutoff=0.6)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    add((*where, "expect", verdict, j), f"no rule {rule_id!r} in the rules folder{hint}")
        try:
            articles = _articles(case, path, where, marks)
        except LedgerError as e:
            errors.append(e)
            continue
        cases.append(LoadedCase(case, index, path, line, column, articles, id_marks))
    if errors:
        raise RuleFileErrors(errors)
    return cases


def _map_errors(error: ValidationError, data: Any, add: Callable[..., None]) -> None:
    items = [(item, _strip_tags(tuple(item["loc"]), data, item["type"])) for item in error.errors(include_url=False)]
    paths = [where for _, where in items]
    items = [(item, where) for item, where in items
             if item["type"] in ("extra_forbidden", "missing")
             or not any(len(p) > len(where) and p[:len(where)] == where for p in paths)]
    seen: set[tuple[Any, ...]] = set()
    for item, where in items:
        if where in seen:
            continue
        seen.add(where)
        kind = item["type"]
        if kind == "extra_forbidden":
            model = _model_at(where[:-1])
            keys = _keys(model) if model else []
            close = difflib.get_close_matches(str(where[-1]), keys, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            add(where, f"unknown key {where[-1]!r}{hint}; expected one of: {', '.join(keys)}", key=True)
        elif kind == "missing":
            add(where[:-1], f"missing required key {where[-1]!r}")
        elif where and where[-1] == "given" or (len(where) >= 2 and where[-2] == "given" and isinstance(where[-1], int)):
            add(where, "expected article text (Markdown, optional front matter), a mapping with `text`, or a list "
                       "of articles (text, or mappings with `text`)")
        elif where == ("tests",) and kind == "too_short":
            add(where, "give at least one case (a mapping with `given` and `expect`)")
        elif kind in ("value_error", "assertion_error"):
            add(where, item["msg"].removeprefix("Value error, "))
        else:
            got = item.get("input")
            shown = "a mapping" if isinstance(got, dict) else "a list" if isinstance(got, list) else repr(got)
            add(where, f"{_plain(item['msg'])} (got {shown})")


def _articles(case: RuleTestCase, path: str, where: tuple[Any, ...], marks: _Marks) -> list[Article]:
    from ledger.articles import make_article, split_front_matter

    given = list(case.given) if isinstance(case.given, list) else [case.given]
    if not given:
        line, column = marks.at((*where, "given"))
        raise LedgerError(f"{format_path((*where, 'given'))}: give at least one article", path, line, column)
    articles: list[Article] = []
    for j, item in enumerate(given):
        item_where = (*where, "given", j) if isinstance(case.given, list) else (*where, "given")
        line, column = marks.at(item_where)
        default_id = "article" if len(given) == 1 else f"article-{j + 1}"
        try:
            if isinstance(item, str):
                meta, body, offset = split_front_matter(item, path)
            else:
                meta = {**item.meta, **item.model_dump(exclude={"text", "meta"}, exclude_none=True)}
                body, offset = item.text, 0
            article = make_article(meta, body, default_id, f"{path}#{default_id}", offset)
        except LedgerError as e:
            at = f" (line {e.line} of the article)" if e.line else ""
            raise LedgerError(f"{format_path(item_where)}: {e.message}{at}", path, line, column) from None
        if any(a.id == article.id for a in articles):
            raise LedgerError(f"{format_path(item_where)}: two articles have the id {article.id!r}", path, line, column)
        articles.append(article.model_copy(update={"path": f"{path}#{article.id}"}))
    return articles


def load_tests(folder: str | Path, ruleset: RuleSet | None = None) -> tuple[list[str], list[LoadedCase]]:
    """(test files, their cases) under `folder`; RuleFileErrors listing every problem in every file."""
    files: list[str] = []
    cases: list[LoadedCase] = []
    errors: list[LedgerError] = []
    for file in test_files(folder):
        shown = file.as_posix()
        files.append(shown)
        try:
            cases.extend(load_test_text(read_text(file, shown, "rule test file"), shown, ruleset))
        except RuleFileErrors as e:
            errors.extend(e.errors)
        except LedgerError as e:
            errors.append(e)
    if errors:
        raise RuleFileErrors(errors)
    return files, cases


def default_extract(article: Article) -> list[Fact]:
    """The facts `ledger check` would see, entity and as-of date included (selectors on them work alike)."""
    from ledger.pipeline import article_facts

    return article_facts(article)


def run_cases(ruleset: RuleSet, cases: list[LoadedCase],
              extract: Callable[[Article], list[Fact]] = default_extract,
              auto_settings: dict[str, Any] | None = None) -> list[Check]:
    """Each case's articles extracted and the rules it names run over them; a built-in `auto.*` rule runs
    with `auto_settings` (the `rules:` of ledger.yaml), as `ledger check` runs it."""
    from ledger.checks import run_rules
    from ledger.checks.auto import RULES as AUTO_RULES

    checks: list[Check] = []
    for case in cases:
        wanted = case.case.expect.items()
        facts = [fact for article in case.articles for fact in extract(article)]
        subset = RuleSet(rules=[ruleset.get(rule_id) for rule_id, _ in wanted if rule_id not in AUTO_RULES],
                         aliases=ruleset.aliases, files=ruleset.files)
        findings = run_rules(subset, facts, case.articles)
        if any(rule_id in AUTO_RULES for rule_id, _ in wanted):
            findings += _auto_findings(facts, case.articles, ruleset, auto_settings)
        for rule_id, verdict in wanted:
            checks.append(Check(case, rule_id, verdict, [f for f in findings if f.rule == rule_id], facts))
    return checks


def _auto_findings(facts: list[Fact], articles: list[Article], ruleset: RuleSet,
                   settings: dict[str, Any] | None) -> list[Finding]:
    from ledger.checks.auto import run_auto
    from ledger.extract.relations import find_relations

    relations = [r for article in articles for r in find_relations(article, [f for f in facts if f.article == article.id])]
    return run_auto(facts, relations, articles, settings, ruleset.aliases)


def run_folder(folder: str | Path, extract: Callable[[Article], list[Fact]] = default_extract,
               aliases: dict[str, Any] | None = None, auto_settings: dict[str, Any] | None = None) -> Outcome:
    """Load the rules and tests of `folder` (LedgerError when either is invalid) and run every case.
    `aliases`: those of `ledger.yaml`, merged with the rule files' own as `ledger check` merges them;
    `auto_settings`: its severities of the built-in `auto.*` rules."""
    from ledger.checks import load_rules
    from ledger.checks.base import Aliases
    from ledger.checks.loader import merge_aliases

    ruleset = load_rules(folder)
    if aliases:
        ruleset.aliases = merge_aliases(ruleset.aliases, Aliases.model_validate(aliases))
    files, cases = load_tests(folder, ruleset)
    outcome = Outcome(checks=run_cases(ruleset, cases, extract, auto_settings), files=files)
    expected_to = {(rule_id, verdict) for c in cases for rule_id, verdict in c.case.expect.items()}
    outcome.untested = [r for r in ruleset.rules if (r.id, "fail") not in expected_to]
    outcome.never_pass = [r for r in ruleset.rules if (r.id, "pass") not in expected_to]
    return outcome


def describe_findings(findings: list[Finding]) -> list[str]:
    """What a rule did, one line per finding (status, group, message, and the arithmetic)."""
    if not findings:
        return ["no finding at all"]
    out = []
    for f in findings:
        group = ", ".join(f"{k}={v}" for k, v in f.group.items()) or "all articles"
        line = f"{f.status} [{group}] {f.message}"
        if f.work and f.work not in f.message:
            line += f" — {f.work}"
        out.append(line)
    return out


def describe_facts(facts: list[Fact]) -> str:
    """The extracted facts in one line: surface, then unit and subject where there are any."""
    if not facts:
        return "no figures were extracted from the articles"
    shown = []
    for f in facts:
        extra = ", ".join(x for x in (f.unit, f.subject) if x)
        shown.append(f"{f.surface!r}" + (f" ({extra})" if extra else ""))
    return "facts extracted: " + "; ".join(shown)


def position_of(text: str, path: str, loc: tuple[Any, ...] | list[Any], key: bool = False) -> tuple[int, int] | None:
    """1-based (line, column) in a YAML file of the value (or, with `key`, the key) at a pydantic `loc`.

    For one-line errors about any YAML settings file (`ledger.yaml`, waivers): None when the text does not
    parse or the path is not in it.
    """
    try:
        data, converter = compose(path, text)
    except LedgerError:
        return None
    where = _strip_tags(tuple(loc), data, "missing" if key else "")
    if not where and loc:
        where = tuple(loc)
    line, column = _Marks(converter).at(where, key=key)
    return line, column
