"""Run ids: UTC time to the second, then random hex, so ids sort by creation and never collide."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

RUN_ID_RE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")


def new_run_id(now: datetime | None = None) -> str:
    """A fresh id such as `20250314-091502-3fa9c1`."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def is_run_id(text: str) -> bool:
    """True if `text` has the shape of a run id (guards every path built from an id)."""
    return bool(RUN_ID_RE.match(text))
