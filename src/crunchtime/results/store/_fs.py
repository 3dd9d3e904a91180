"""Durable file-system primitives for the run store: fsync'd writes, directory syncs, failpoints.

Everything a run needs is written into a private temporary directory and made visible by one
atomic rename, so these helpers only have to make each write durable before that rename.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

FAILPOINT_ENV = "CRUNCHTIME_STORE_FAILPOINT"
FAILPOINT_DIR_ENV = "CRUNCHTIME_STORE_FAILPOINT_DIR"


def failpoint(name: str) -> None:
    """Test hook: when $CRUNCHTIME_STORE_FAILPOINT names this point, announce it and hang.

    The crash-safety tests set it, wait for the announcement file and SIGKILL the process there.
    """
    if os.environ.get(FAILPOINT_ENV) != name:
        return
    marker_dir = Path(os.environ.get(FAILPOINT_DIR_ENV, "."))
    (marker_dir / f"reached-{name}").write_text(str(os.getpid()))
    time.sleep(120)


def fsync_dir(path: Path) -> None:
    """Flush a directory's entries (new names, renames) to disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a file's contents to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_durably(path: Path, data: bytes) -> None:
    """Write `data` to a new file and fsync it (the file lives in a private temp dir)."""
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def pid_alive(pid: int) -> bool:
    """True if a process with this id exists (used to tell abandoned temp dirs from live ones)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_tree(path: Path) -> None:
    """Remove a directory tree, ignoring one that is already gone."""
    shutil.rmtree(path, ignore_errors=True)
