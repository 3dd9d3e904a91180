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


class ArgumentError(InputError):
    """A bad argument of a public API function: `samples: must be ...`.

    Shells name their own spelling of the argument: the CLI shows `--samples: must be ...`
    (see `as_flag`).
    """

    def __init__(self, argument: str, problem: str):
        self.argument = argument
        super().__init__(argument, None, problem)

    def as_flag(self, flags: dict[str, str] | None = None) -> str:
        """The message with the argument spelled as a command-line flag (`chunk_size` -> `--chunk-size`)."""
        flag = (flags or {}).get(self.argument) or "--" + self.argument.replace("_", "-")
        return f"{flag}: {self.problem}"
