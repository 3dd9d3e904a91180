"""The page tools every report shares: the templates' environment and an atomic, checked write."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import jinja2

from crunchtime.errors import InputError


def environment() -> jinja2.Environment:
    """The Jinja environment of the report's templates (autoescaped)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("crunchtime.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def check_writable(target: Path) -> None:
    """InputError unless `target` names a file that can be created or replaced."""
    if target.is_dir():
        raise InputError(str(target), None, "is a directory; give a file name such as report.html")
    parent = target.parent
    if not parent.is_dir():
        raise InputError(str(target), None, f"cannot write the report here (no directory {parent})")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(str(target), None, f"cannot write the report here (directory {parent} is not writable)")


def write_html(html: str, path: str | os.PathLike[str]) -> Path:
    """Write text to `path` via a temp file and rename, so a crash never leaves half a report."""
    target = Path(path).expanduser()
    check_writable(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as exc:
        raise InputError(str(target), None, f"cannot write the report here ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(str(target), None, f"cannot write the report ({exc.strerror})") from None
    return target.resolve()
