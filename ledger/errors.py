"""The one error type the CLI turns into a one-line message and exit code 2."""

from __future__ import annotations


class LedgerError(Exception):
    """A bad input: names the file and, where there is one, the line and column (1-based)."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def location(self) -> str:
        if not self.path:
            return ""
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message
