"""YAML as ledger reads it (rule files, rule tests, front matter, ledger.yaml): safe, and a value that looks
like a date but is none (`2024-13-01`) stays text, so the schema that wants a date reports it at its line and
column; PyYAML alone raises a bare ValueError."""

from __future__ import annotations

from typing import Any

import yaml

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class Constructor(yaml.constructor.SafeConstructor):
    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


Constructor.add_constructor(TIMESTAMP_TAG, Constructor.construct_yaml_timestamp)


class Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, Constructor,
             yaml.resolver.Resolver):
    def __init__(self, stream: Any) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        Constructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def load(text: str) -> Any:
    """`yaml.safe_load`, with impossible dates kept as text."""
    return yaml.load(text, Loader=Loader)  # noqa: S506 - Loader is a SafeLoader
