"""The command line: parses arguments, calls the library, turns LedgerError into one line and exit 2.

Exit codes: 0 consistent; 1 a failing finding at or above --fail-on; 2 bad input, usage or config
(an unreadable article is named and skipped, the rest still runs, and the exit is 2 at the end).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Sequence

from ledger import __version__
from ledger.errors import LedgerError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def run() -> None:
    """The `ledger` command: `main`, then exit at once, without freeing what the run held one object at a time
    (the last run's findings and facts are kept in `_last_run`: freeing those of a million facts took 0.7 s)."""
    _stdout_written_whole()
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more to say
            pass
    os._exit(code)


def _stdout_written_whole() -> None:
    """Standard output through `_WholeWrites`: a large write to a pipe stopped by a signal (Ctrl-Z, then `fg`)
    ends early, and Python's own stdout then drops the rest without a word (`ledger facts --format csv | ...` kept
    its first 64 KB)."""
    try:
        fd = sys.stdout.fileno()
        sys.stdout.flush()
    except (AttributeError, OSError, ValueError):  # not a file (replaced, or closed): left as it is
        return
    old = sys.stdout
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(_WholeWrites(fd)), encoding=old.encoding, errors=old.errors,
                                  line_buffering=old.line_buffering)


class _WholeWrites(io.RawIOBase):
    """A file descriptor every write to which is written whole (`ledger.forked.write_all`)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fd

    def isatty(self) -> bool:
        return os.isatty(self.fd)

    def write(self, data: Any) -> int:
        from ledger.forked import write_all

        data = memoryview(data).cast("B")
        write_all(self.fd, data)
        return len(data)


_last_run: list[Any] = []
"""What the last `ledger check` held, kept until the process exits (see `run`)."""


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()  # imports the rule schema (pydantic): Ctrl-C may come in the meantime
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return EXIT_ERROR
        return args.handler(args)
    except LedgerError as e:
        for line in str(e).splitlines():  # several problems (e.g. in rule files): one line each
            _say("error", line)
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say("error", "interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except RecursionError:
        _say("error", "input nested too deeply")
        return EXIT_ERROR
    except Exception as e:  # noqa: BLE001 — the promise is one line, never a traceback
        _say("internal error", f"{type(e).__name__}: {e} (please report this with the input that caused it)")
        return EXIT_ERROR


def _say(level: str, message: str) -> None:
    print(f"ledger: {level}: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ledger", description="A fact-figure ledger for news text, with consistency checks.",
        epilog="Example: ledger check seeds/ --rules rules/ --reports reports/")
    parser.add_argument("--version", action="version", version=f"ledger {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    extract = commands.add_parser(
        "extract", help="read articles and print the facts found in them",
        description="Read articles (.txt, .md with optional front matter, .jsonl archives) and print their facts.",
        epilog="Example: ledger extract seeds/ --format jsonl > facts.jsonl")
    extract.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: from ledger.yaml, else seeds/)")
    extract.add_argument("--format", choices=("table", "jsonl", "json"), default=None,
                         help="table on a terminal, jsonl otherwise")
    _extraction_options(extract)
    _config_option(extract)
    extract.set_defaults(handler=cmd_extract)

    check = commands.add_parser(
        "check", help="extract facts, run the rules, write reports; exit 1 on findings",
        description="Extract facts from articles, check them against the YAML rules and write consistency reports.",
        epilog="Example: ledger check seeds/ --rules rules/ --reports reports/ --fail-on warning")
    check.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: from ledger.yaml, else seeds/)")
    check.add_argument("--rules", metavar="DIR", help="folder of YAML rule files (default: rules/)")
    check.add_argument("--reports", metavar="DIR", help="folder to write reports to (default: reports/)")
    check.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default=None,
                       help="lowest severity of a failing finding that exits 1 (default: error)")
    check.add_argument("--format", choices=("text", "github", "json"), default=None,
                       help="what is printed (default: github under GitHub Actions, else text)")
    check.add_argument("--facts", nargs="+", metavar="FILE",
                       help="check facts gathered from `ledger extract --format jsonl` runs instead of extracting")
    check.add_argument("--baseline", metavar="FILE", help="failing findings recorded here do not fail the run")
    check.add_argument("--write-baseline", metavar="FILE", help="record the failing findings of this run")
    check.add_argument("--timings", action="store_true",
                       help="print each step's wall-clock and CPU seconds to stderr at the end")
    _extraction_options(check)
    _config_option(check)
    check.set_defaults(handler=cmd_check)

    facts = commands.add_parser(
        "facts", help="query the ledger: facts that match a selector, as a table, JSONL or CSV",
        description="Facts of the articles (from the ledger store when they are unchanged) that match --where, "
                    "a selector written as in rule files.",
        epilog="Example: ledger facts seeds/ --where '{subject: inmates, qualifier: approx}' --format csv")
    facts.add_argument("paths", nargs="*", metavar="PATH", help="article files or folders (default: from ledger.yaml, else seeds/)")
    facts.add_argument("--where", metavar="SELECTOR", help="e.g. '{unit: USD/year, text: spend}' (keys: subject, text, "
                       "near, unit, qualifier, article, meta, entity)")
    facts.add_argument("--format", choices=("table", "jsonl", "csv"), default=None, help="table on a terminal, jsonl otherwise")
    facts.add_argument("--rules", metavar="DIR", help="the rules folder whose aliases --where uses, as `ledger check` "
                       "does (default: rules/, when there is one)")
    _extraction_options(facts)
    _config_option(facts)
    facts.set_defaults(handler=cmd_facts)

    report = commands.add_parser(
        "report", help="re-render the reports from consistency.json without re-running extraction",
        epilog="Example: ledger report --reports reports/")
    report.add_argument("--reports", metavar="DIR", help="the reports folder (default: reports/)")
    _config_option(report)
    report.set_defaults(handler=cmd_report)

    rules = commands.add_parser("rules", help="work with rule files", epilog="Example: ledger rules schema > rules.schema.json")
    rules_commands = rules.add_subparsers(title="rules commands", metavar="COMMAND")
    schema = rules_commands.add_parser("schema", help="print the JSON Schema of rule files",
                                       epilog="Example: ledger rules schema > rules.schema.json")
    schema.set_defaults(handler=cmd_rules_schema)
    rules.set_defaults(handler=lambda args: (rules.print_help(), EXIT_ERROR)[1])
    from ledger.authoring import add_config_commands, add_rules_commands

    add_rules_commands(rules_commands)  # test, validate, list, explain
    add_config_commands(commands)  # config schema
    return parser


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE", help="settings file (default: the nearest ledger.yaml, or $LEDGER_CONFIG)")


def _relative(path: Path) -> str:
    """Paths as the user would type them from here, so reports hold no absolute paths."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return path.as_posix()


def _article_paths(args: argparse.Namespace, config) -> list[str]:
    if args.paths:
        return list(args.paths)
    return [_relative(config.path(p)) for p in config.paths.articles]


def _read(paths: list[str]):
    from ledger.articles import read_articles

    result = read_articles(paths)
    for warning in result.warnings:
        _say("warning", str(warning))
    for error in result.errors:
        _say("error", str(error))
    return result


def _extraction_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=_positive_int, metavar="N", help="extraction processes (default: one per core)")
    parser.add_argument("--no-cache", action="store_true", help="extract every article again; do not use the ledger store")
    parser.add_argument("--store", metavar="FILE", help="the ledger store (default: .ledger/ledger.db)")
    parser.add_argument("--shard", type=_shard, metavar="I/N", help="only the I-th of N stable shards of the articles")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _shard(text: str) -> tuple[int, int]:
    index, _, count = text.partition("/")
    try:
        shard = int(index), int(count)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected I/N such as 2/8, not {text!r}") from None
    if not 1 <= shard[0] <= shard[1]:
        raise argparse.ArgumentTypeError(f"expected 1 <= I <= N, not {text!r}")
    return shard


def _extract_all(args: argparse.Namespace, config, result, lazy: bool = False):
    """The articles `result` read (of this shard) and their extraction; an article whose figures could not be
    extracted is named and joins `result.errors`."""
    from ledger.pipeline import extract_facts, in_shard

    from ledger.extract.intervals import configure

    configure(config.qualifiers)  # before any worker forks: they inherit the table
    articles = [a for a in result.articles if in_shard(a, args.shard)]
    extraction = extract_facts(articles, store_path=_store_path(args, config), jobs=args.jobs, lazy=lazy)
    for error in extraction.errors:
        _say("error", str(error))
    result.errors.extend(extraction.errors)
    return articles, extraction


def _store_path(args: argparse.Namespace, config) -> Path | None:
    """The ledger store this run keeps its work in, if any; pint keeps its parsed unit definitions beside it."""
    store = None if args.no_cache or args.shard else (Path(args.store) if args.store else config.path(config.paths.store))
    if store is not None:
        from ledger.units import cache_in

        cache_in(store.with_name(f"{store.name}-units"))
    return store


def cmd_extract(args: argparse.Namespace) -> int:
    from ledger.config import load_config

    config = load_config(args.config)
    result = _read(_article_paths(args, config))
    articles, extraction = _extract_all(args, config, result)
    facts = extraction.facts
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    out = sys.stdout
    if fmt == "jsonl":
        from ledger.report.data import fact_line

        for fact in facts:
            out.write(fact_line(fact) + "\n")
    elif fmt == "json":
        out.write(json.dumps([fact.model_dump(mode="json") for fact in facts], ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(facts_table(facts, {a.id: a.path for a in articles}) + "\n")
    return EXIT_ERROR if result.errors else EXIT_OK


def cmd_facts(args: argparse.Namespace) -> int:
    from ledger.config import load_config

    config = load_config(args.config)
    selector = _selector(args.where) if args.where else None
    result = _read(_article_paths(args, config))
    articles, extraction = _extract_all(args, config, result)
    facts = extraction.facts
    if selector is not None:
        from ledger.checks.facts import Context

        aliases = _merged_aliases(_rule_aliases(args.rules, config), config.aliases)
        facts = _entities_merged(facts, aliases)
        facts = Context(facts, {a.id: a for a in articles}, aliases=aliases).select(selector)
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    if fmt == "jsonl":
        from ledger.report.data import fact_line

        sys.stdout.writelines(fact_line(fact) + "\n" for fact in facts)
    elif fmt == "csv":
        from ledger.model import Report
        from ledger.report import render

        sys.stdout.write(render("csv", Report(facts=tuple(facts))))
    else:
        sys.stdout.write(facts_table(facts, {a.id: a.path for a in articles}) + "\n")
    return EXIT_ERROR if result.errors else EXIT_OK


def _rule_aliases(rules: str | None, config):
    """The `aliases:` of the rule files, so that a selector matches here as it does in `ledger check`."""
    from ledger.checks import load_rules
    from ledger.checks.base import Aliases

    folder = Path(rules) if rules else config.path(config.paths.rules)
    if not rules and not folder.is_dir():
        return Aliases()
    return load_rules(folder).aliases


def _selector(text: str):
    """A selector from the command line, validated like one in a rule file."""
    import yaml
    from pydantic import ValidationError

    from ledger.checks.base import Selector
    from ledger.yamltext import load as load_yaml

    try:
        data = load_yaml(text)
    except yaml.YAMLError as e:
        raise LedgerError(f"--where is not a YAML mapping: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise LedgerError("--where must be a mapping such as '{subject: inmates, unit: count}'")
    try:
        return Selector.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LedgerError(f"--where {where}: {first['msg']}") from None


def facts_table(facts, paths: dict[str, str]) -> str:
    from tabulate import tabulate

    from ledger.report.common import interval, number

    rows = [(f"{paths.get(f.article, f.article)}:{f.line}:{f.column}", f.surface, number(f.value),
             interval(f.low, f.high), f.qualifier, f.unit or "", f.subject or "") for f in facts]
    table = tabulate(rows, headers=("where", "surface", "value", "interval", "qualifier", "unit", "subject"))
    from ledger.report.common import plural

    return f"{table}\n\n{plural(len(facts), 'fact')} in {plural(len(paths), 'article')}"


def cmd_check(args: argparse.Namespace) -> int:
    from ledger.progress import Timings, step

    timings = Timings()  # "setup" counts the imports below too
    from ledger.checks import load_rules
    from ledger.config import load_config
    from ledger.report import render_github, render_text, write_reports
    from ledger.report.common import Ahead, Index
    from ledger.report.reuse import Reuse, notes_path

    config = load_config(args.config)
    if not args.facts:
        _store_path(args, config)  # before the rules are read: they may ask for units
    rules_dir = Path(args.rules) if args.rules else config.path(config.paths.rules)
    reports_dir = Path(args.reports) if args.reports else config.path(config.paths.reports)
    fail_on = args.fail_on or config.fail_on
    ruleset = load_rules(rules_dir)  # a broken rule file stops the run before anything is checked
    from ledger.checks.auto import RULES as AUTO_RULES
    from ledger.config import unknown_rule_settings

    for note in unknown_rule_settings(config, [r.id for r in ruleset.rules] + list(AUTO_RULES)):
        _say("warning", note)
    known = _read_baseline(args.baseline)
    timings.lap("setup")
    if args.facts:
        result = _read(list(args.paths)) if args.paths else None
        articles, facts = _gathered_facts(args.facts, result.articles if result else None)
        relations = clauses = cache = None  # found again from the articles' text, when given
        timings.lap("read")
    else:
        result = _read(_article_paths(args, config))
        timings.lap("read")
        articles, extraction = _extract_all(args, config, result, lazy=True)
        facts, relations, clauses = extraction.facts, extraction.relations, extraction.clauses
        cache = _finding_cache(extraction, config)
        moved = f", {extraction.moved:,} moved" if extraction.moved else ""
        timings.lap("extract", f"{extraction.extracted:,} of {len(articles):,} articles extracted{moved}")
    ahead = Ahead(articles)
    with ExitStack() as later:  # what the check left running, waited for once the reports are written
        with step(f"checking {len(facts):,} facts"):
            report, notes = build_report(ruleset, config, articles, facts, result.errors if result else [], known,
                                         relations, clauses, cache, ahead, later)
        for note in notes:
            _say("warning", note)
        timings.lap("check")
        stored = None if args.facts else extraction.stored_texts(report.facts)
        reuse = None if cache is None else Reuse(notes_path(cache.store_path, reports_dir), cache.origins)
        index = Index(report, stored, ahead, reuse)  # shared by the reports and what is printed
        with step(f"writing {len(report.findings):,} findings to {_relative(reports_dir)}"):
            write_reports(report, reports_dir, index=index)
    timings.lap("reports")
    if args.write_baseline:
        from ledger.baseline import write_baseline

        count = write_baseline(args.write_baseline, report.findings, {f.id: f for f in facts})
        _say("info", f"baseline of {count} failing findings written to {args.write_baseline}")

    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    if fmt == "json":  # copied as it is, not read whole (a million facts' report is hundreds of MB)
        import shutil

        sys.stdout.flush()
        with open(reports_dir / "consistency.json", "rb") as report_file:
            shutil.copyfileobj(report_file, sys.stdout.buffer, 1 << 20)
    elif fmt == "github":
        sys.stdout.write(render_github(index))
    else:
        sys.stdout.write(render_text(index))
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(_step_summary((reports_dir / "consistency.md").read_text(encoding="utf-8"), reports_dir))
    if args.timings:
        timings.lap("output")
        _say("info", timings.line())
    _last_run[:] = [report, index, facts, articles]
    if report.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing_at_or_above(report.findings, fail_on) else EXIT_OK


STEP_SUMMARY_BYTES = 1_000_000
"""What GitHub takes as a step's summary, at most (1 MiB: a larger one is refused whole)."""


def _step_summary(markdown: str, reports_dir: Path) -> str:
    """`consistency.md` for the step summary: whole lines up to `STEP_SUMMARY_BYTES`, then where the rest is."""
    data = markdown.encode("utf-8")
    if len(data) <= STEP_SUMMARY_BYTES:
        return markdown
    note = f"\n_… cut to fit a step summary: the whole report is {_relative(reports_dir / 'consistency.md')}_\n"
    head = data[:STEP_SUMMARY_BYTES - len(note.encode("utf-8"))].decode("utf-8", "ignore")
    return head[:head.rfind("\n") + 1] + note


def build_report(ruleset, config, articles, facts, errors, baseline: set[str] | None = None, relations=None,
                 clauses=None, cache=None, ahead=None, later=None):
    """Annotate facts, run the rules and the built-in `auto.*` checks, then apply severities, waivers, baseline.
    `relations` and `clauses` are those extraction found; None works them out here from the articles' text.
    `cache` (a `ledger.checks.cache.FindingCache`) keeps findings between runs. `ahead` (a
    `ledger.report.common.Ahead`) is given the findings' report work while `auto.agreement` is worked out aside.
    `later` (an `ExitStack`): a child that works out `auto.agreement` aside is waited for when it closes, not here
    (having answered, the child still tidies the store up)."""
    from datetime import date
    from itertools import chain

    from ledger.checks import run_rules
    from ledger.checks.auto import RULES as AUTO_RULES
    from ledger.checks.auto import agreement_aside, run_auto
    from ledger.checks.builtin import BUILTIN_RULES
    from ledger.checks.engine import read_whole_corpus, stored_share, whole_corpus
    from ledger.model import Report, RuleInfo, gc_paused, reads_on_demand, share_values
    from ledger.waivers import apply_waivers

    aliases = _merged_aliases(ruleset.aliases, config.aliases)
    facts = _entities_merged(facts, aliases)
    if relations is None:
        relations = _relations(articles, facts)
    # only waivers and a baseline look facts up by id: with neither, unchanged articles' facts may stay unread
    by_id = {f.id: f for f in facts} if config.waivers or baseline else {}
    auto_settings = {rule: level for rule, level in config.rules.items() if rule in AUTO_RULES}
    findings: list = []
    meanwhile = None if ahead is None else (lambda more: ahead.work_out(chain(findings, more)))
    stored = lambda: stored_share(ruleset, cache)  # noqa: E731 - asked only when a child is worth it
    whole = lambda: whole_corpus(ruleset, facts, articles, cache)  # noqa: E731 - worked out by the child
    # the checks make millions of objects and no reference cycles: the collector's passes over the young ones read
    # every object these point at, all over a large heap (3 s of a million facts' 53 s check); kept: the findings
    # left are frozen, not scanned once it resumes (0.24 s of a million facts' check)
    with gc_paused(kept=True), ExitStack() as own:
        agreed = (own if later is None else later).enter_context(
            agreement_aside(facts, articles, auto_settings, aliases, clauses, cache, meanwhile, stored, whole))
        told = None if agreed is None else (lambda: read_whole_corpus(agreed.whole()))
        findings = [_with_severity(f, config.rules) for f in run_rules(ruleset, facts, articles, cache=cache,
                                                                       aside=told)]
        findings = [f for f in findings if f is not None]
        findings += run_auto(facts, relations, articles, auto_settings, aliases, clauses, cache, agreed)
    findings, notes = apply_waivers(findings, config.waivers, by_id, date.today())
    if baseline:
        from ledger.baseline import mark_baselined

        findings = mark_baselined(findings, baseline, by_id)
    infos = [i for i in ruleset.infos() if config.rules.get(i.id) != "off"]
    infos = [i.model_copy(update={"severity": config.rules[i.id]}) if i.id in config.rules else i for i in infos]
    infos += [RuleInfo(id=rule, kind=kind, severity=config.rules.get(rule, "error"), description=BUILTIN_RULES[rule].description)
              for rule, kind in AUTO_RULES.items() if config.rules.get(rule) != "off"]
    share_values(findings, {})  # severities, waivers and the baseline copied some
    # facts read on demand, and relations kept as the store has them (`OutlinedRelations`), stay as they are
    as_they_are = {name: value for name, value, kept in (("facts", facts, reads_on_demand(facts)),
                                                          ("relations", relations, hasattr(relations, "grouped")))
                   if kept}
    report = Report(findings=tuple(findings), rules=tuple(infos), articles=tuple(articles),
                    facts=() if "facts" in as_they_are else tuple(facts),
                    relations=() if "relations" in as_they_are else tuple(relations), errors=tuple(str(e) for e in errors))
    if as_they_are:
        report = report.model_copy(update=as_they_are)
    return report, notes  # its summary is worked out by the reports (`Index.summary`), once


def _finding_cache(extraction, config):
    """Findings kept in the ledger store between runs, when the facts came from one (not with --no-cache).
    The aliases of ledger.yaml rename entities before any rule runs, so they are part of the cache key."""
    if extraction.store is None:
        return None
    from ledger.checks.cache import FindingCache

    return FindingCache(extraction.store, extraction.keys, salt=json.dumps(config.aliases, sort_keys=True, default=str))


def _entities_merged(facts, aliases):
    """Entity names merged by the aliases."""
    from ledger.extract.entities import EntityNames

    names = EntityNames(aliases)
    if not names.canonical:
        return facts
    resolved = {name: names.resolve(name) for name in {f.entity for f in facts if f.entity}}
    # copy only the facts whose name changes: a million copies cost memory
    return [f.model_copy(update={"entity": resolved[f.entity]}) if f.entity and resolved[f.entity] != f.entity
            else f for f in facts]


def _relations(articles, facts):
    """The arithmetic each article's sentences state."""
    from ledger.extract.relations import find_relations

    by_article: dict[str, list] = {}
    for fact in facts:
        by_article.setdefault(fact.article, []).append(fact)
    return [r for article in articles for r in find_relations(article, by_article.get(article.id, []))]


def _merged_aliases(rule_aliases, config_aliases: dict):
    if not config_aliases:
        return rule_aliases
    from ledger.checks.base import Aliases

    extra = Aliases.model_validate(config_aliases)
    merged = rule_aliases.model_dump()
    for section, table in extra.model_dump().items():
        for name, synonyms in (table or {}).items():
            merged.setdefault(section, {}).setdefault(name, [])
            merged[section][name] = sorted(set(merged[section][name]) | set(synonyms))
    return Aliases.model_validate(merged)


def _with_severity(finding, overrides: dict[str, str]):
    level = overrides.get(finding.rule)
    if level is None:
        return finding
    return None if level == "off" else finding.model_copy(update={"severity": level})


def _read_baseline(path: str | None) -> set[str] | None:
    if not path:
        return None
    from ledger.baseline import read_baseline

    return read_baseline(path)


def _gathered_facts(files: list[str], articles):
    """Facts written by `ledger extract --format jsonl` (for example by shards on other machines)."""
    from pydantic import ValidationError

    from ledger.model import Article, Fact, share_values

    facts: list = []
    pool: dict = {}
    for name in files:
        read: list = []
        try:
            with open(name, encoding="utf-8") as handle:  # streamed: shards of a million facts are large
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        read.append(Fact.model_validate_json(line))
        except (OSError, UnicodeDecodeError) as e:
            raise LedgerError(f"cannot read facts: {getattr(e, 'strerror', None) or e}", name) from None
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise LedgerError(f"not a fact: {where + ': ' if where else ''}{first['msg']}", name, number) from None
        facts.extend(share_values(read, pool))
    facts.sort(key=lambda f: (f.article, f.start, f.id))
    if articles is None:
        articles = [Article(id=i, path=i, text="") for i in sorted({f.article for f in facts})]
    else:
        wanted = {f.article for f in facts}
        articles = [a for a in articles if a.id in wanted]
    return articles, facts


def failing_at_or_above(findings, fail_on: str) -> bool:
    """Waived and baselined findings are reported but never fail the run."""
    if fail_on == "never":
        return False
    threshold = SEVERITY_RANK[fail_on]
    return any(f.status == "fail" and not f.baselined and SEVERITY_RANK[f.severity] >= threshold for f in findings)


def cmd_report(args: argparse.Namespace) -> int:
    from ledger.config import load_config
    from ledger.report import load_report, write_reports

    config = load_config(args.config)
    reports_dir = Path(args.reports) if args.reports else config.path(config.paths.reports)
    report = load_report(reports_dir)
    for path in write_reports(report, reports_dir):
        print(_relative(Path(path)))
    return EXIT_OK


def cmd_rules_schema(args: argparse.Namespace) -> int:
    from ledger.checks import schema

    print(json.dumps(schema(), indent=2, sort_keys=True, ensure_ascii=False))
    return EXIT_OK
