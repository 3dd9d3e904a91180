"""Errors a user can act on: each renders as one line naming where, what and why."""

from __future__ import annotations


class CrunchtimeError(Exception):
    """Base for errors the CLI reports as one line with exit code 2 (never a traceback)."""


class InputError(CrunchtimeError):
    """Bad user input: a file (or other source), a field within it, and what is wrong."""

    def __init__(self, source: str | None, field: str | None, problem: str, line: int | None = None):
        self.source, self.field, self.problem, self.line = source, field, problem, line
        where = source or "<input>"
        if line is not None:
            where += f":{line}"
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")
