"""`ledger.yaml`: project settings, found by searching upward from the working directory.

Precedence: command-line flags > `--config FILE` / `LEDGER_CONFIG` / the nearest `ledger.yaml` > defaults.
Paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ledger.errors import LedgerError
from ledger.waivers import Waiver
from ledger.yamltext import load as load_yaml

CONFIG_NAME = "ledger.yaml"
FailOn = Literal["error", "warning", "info", "never"]


class Paths(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    articles: list[str] = Field(default_factory=lambda: ["seeds"])
    """Files or folders of articles that `ledger check` reads when given no PATH."""
    rules: str = "rules"
    """The folder of YAML rule files."""
    reports: str = "reports"
    """The folder reports are written to."""
    store: str = ".ledger/ledger.db"
    """The SQLite ledger store that keeps facts of unchanged articles between runs."""


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    version: Literal[1] = 1
    paths: Paths = Field(default_factory=Paths)
    fail_on: FailOn = "error"
    """The lowest severity of a failing finding that makes `ledger check` exit 1."""
    rules: dict[str, Literal["error", "warning", "info", "off"]] = Field(default_factory=dict)
    """Per rule id (built-in `auto.*` ones included): a new severity, or `off` to switch it off."""
    waivers: list[Waiver] = Field(default_factory=list)
    """Known, explained findings that are reported as waived instead of failing; or the path of a YAML file
    that holds them (`waivers: waivers.yaml`, the file a list or a mapping with `waivers:`)."""
    qualifiers: dict[Literal["exact", "approx", "nearly"], float] = Field(default_factory=dict)
    """Relative margins of the wording -> interval table, e.g. `{approx: 0.05}` for about N = N ± 5 %
    (defaults: exact 0.02, approx 0.10, nearly 0.10)."""
    aliases: dict[str, Any] = Field(default_factory=dict)
    """Subject and entity synonyms, merged with the `aliases:` of rule files."""
    root: Path = Field(default=Path("."), exclude=True)
    """The folder paths are relative to (the config file's folder)."""
    source: str | None = Field(default=None, exclude=True)
    """The config file as shown in messages, with its text: where a setting stands (None: defaults)."""
    source_text: str = Field(default="", exclude=True, repr=False)

    @field_validator("rules", mode="before")
    @classmethod
    def _yaml_off_is_false(cls, v: Any) -> Any:
        """YAML reads a bare `off` as false; both mean the rule is switched off."""
        if isinstance(v, dict):
            return {k: "off" if x is False else x for k, x in v.items()}
        return v

    def path(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.root / p


def find_config(start: Path | None = None) -> Path | None:
    env = os.environ.get("LEDGER_CONFIG")
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(path: str | Path | None = None) -> Config:
    """The config at `path`, else the one found upward from the working directory, else defaults."""
    file = Path(path) if path else find_config()
    if file is None:
        return Config()
    shown = _shown(file)
    try:
        raw = file.read_text(encoding="utf-8")
    except OSError as e:
        raise LedgerError(f"cannot read config: {e.strerror or e}", shown) from None
    except UnicodeDecodeError:
        raise LedgerError("config is not UTF-8 text", shown) from None
    try:
        data = load_yaml(raw) or {}
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        raise LedgerError(f"invalid YAML: {e.problem}", shown, mark.line + 1 if mark else None,
                          mark.column + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise LedgerError(f"invalid YAML: {e}", shown) from None
    if not isinstance(data, dict):
        raise LedgerError("config must be a mapping of settings", shown, 1, 1)
    if isinstance(data.get("waivers"), str):
        data["waivers"] = _waivers_file(file.parent / data["waivers"])
    if isinstance(data.get("paths", {}), dict) and isinstance(data.get("paths", {}).get("articles"), str):
        data["paths"]["articles"] = [data["paths"]["articles"]]
    try:
        config = Config.model_validate(data)
    except ValidationError as e:
        from ledger.ruletests import position_of

        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        is_key = first["type"] == "extra_forbidden"
        line, column = position_of(raw, shown, first["loc"], key=is_key) or (None, None)
        message = f"unknown key '{first['loc'][-1]}'" if is_key else first["msg"]
        raise LedgerError(f"{where}: {message}", shown, line, column) from None
    return config.model_copy(update={"root": file.parent, "source": shown, "source_text": raw})


def unknown_rule_settings(config: Config, rule_ids: list[str]) -> list[str]:
    """One warning per id under `rules:` that names no rule (a typo there would silently change nothing),
    as `file:line:col: ...` with a "did you mean"."""
    import difflib

    from ledger.ruletests import position_of

    out = []
    for rule_id in config.rules:
        if rule_id in rule_ids:
            continue
        close = difflib.get_close_matches(rule_id, rule_ids, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        where = position_of(config.source_text, config.source or CONFIG_NAME, ("rules", rule_id), key=True)
        at = f"{config.source}:{where[0]}:{where[1]}: " if config.source and where else ""
        out.append(f"{at}rules: no rule {rule_id!r}, so its setting changes nothing{hint}")
    return out


def _waivers_file(file: Path) -> list[Waiver]:
    """Waivers kept in a file of their own, validated there so errors name that file's line and column."""
    shown = _shown(file)
    try:
        raw = file.read_text(encoding="utf-8")
        data = load_yaml(raw)
    except OSError as e:
        raise LedgerError(f"cannot read waivers: {e.strerror or e}", shown) from None
    except UnicodeDecodeError:
        raise LedgerError("waivers file is not UTF-8 text", shown) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        raise LedgerError(f"invalid YAML: {e.problem}", shown, mark.line + 1 if mark else None,
                          mark.column + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise LedgerError(f"invalid YAML: {e}", shown) from None
    entries = data.get("waivers") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise LedgerError("a waivers file holds a list of waivers (or a mapping with 'waivers:')", shown, 1, 1)
    waivers = []
    for n, entry in enumerate(entries):
        try:
            waivers.append(Waiver.model_validate(entry))
        except ValidationError as e:
            from ledger.ruletests import position_of

            first = e.errors()[0]
            loc = (("waivers",) if isinstance(data, dict) else ()) + (n, *first["loc"])
            is_key = first["type"] == "extra_forbidden"
            line, column = position_of(raw, shown, loc, key=is_key) or (None, None)
            where = ".".join(str(p) for p in loc)
            raise LedgerError(f"{where}: {first['msg']}", shown, line, column) from None
    return waivers


def _shown(file: Path) -> str:
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.as_posix()
