"""A run's files on disk: the manifest's name and format, JSON bytes, checksums, verified reads."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from crunchtime.errors import InputError

MANIFEST = "manifest.json"
FORMAT = "crunchtime-run"
FORMAT_VERSION = 1


def sha256_file(path: Path) -> str:
    """The sha256 of a file's contents, read in blocks of 1 MiB."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_verified(path: Path, meta: Mapping[str, Any], run_id: str) -> bytes:
    """A run's file, checked against the size and sha256 its manifest lists; InputError if gone or damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"run {run_id}", None, "was deleted while being read") from None
    if len(data) != meta["bytes"] or hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise InputError(f"run {run_id}", path.name, "is damaged (size or sha256 differs from the manifest)")
    return data


def json_bytes(obj: Any) -> bytes:
    """`obj` as indented UTF-8 JSON; numpy scalars and arrays and datetimes become plain JSON."""
    return json.dumps(obj, indent=1, sort_keys=False, default=_json_default).encode("utf-8")


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, datetime):
        return obj.isoformat()
    raise TypeError(f"not JSON-serialisable: {type(obj).__name__}")


def read_manifest(run_dir: Path) -> dict[str, Any] | None:
    """The run's manifest, or None if it is missing, unreadable, not ours or names another run."""
    try:
        manifest = json.loads((run_dir / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("run_id") != run_dir.name:
        return None
    return manifest


def listdir(path: Path) -> list[str]:
    """The names in a directory; none if it does not exist."""
    try:
        return os.listdir(path)
    except FileNotFoundError:
        return []
