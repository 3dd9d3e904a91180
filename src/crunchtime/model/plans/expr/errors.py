"""The one error the expression language raises, and how its messages quote user text."""

from __future__ import annotations


class ExprError(ValueError):
    """An expression the grammar refuses; `message` is one line, `pos` the 0-based column if known."""

    def __init__(self, message: str, pos: int | None = None):
        self.message, self.pos = message, pos
        super().__init__(message)


def show(text: str, limit: int = 30) -> str:
    """Quote user text for a one-line message (repr escapes newlines; long text is cut)."""
    return repr(text if len(text) <= limit else text[:limit] + "...")
