"""ledger: a fact-figure ledger for news text, with consistency checks written as YAML rules."""

__version__ = "0.1.0"
