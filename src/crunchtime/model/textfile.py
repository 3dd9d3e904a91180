"""Read a user's text file (a plan, a scenario) safely: a size limit, UTF-8 only, one-line errors."""

from __future__ import annotations

from pathlib import Path

from crunchtime.errors import InputError

MAX_FILE_BYTES = 4 * 1024 * 1024


def read_user_text(path: Path, source: str, missing: str = "no such file") -> str:
    """The text of `path`, or an InputError naming `source`.

    Parameters
    ----------
    path : Path
        The file to read.
    source : str
        How errors name the file (usually the path as the user typed it).
    missing : str
        The problem reported when the file does not exist.

    Returns
    -------
    str
        The decoded UTF-8 text (at most MAX_FILE_BYTES bytes).

    Examples
    --------
    >>> read_user_text(Path("my-plan.yaml"), "my-plan.yaml")  # doctest: +SKIP
    """
    try:
        if path.is_dir():
            raise InputError(source, None, "is a directory, not a YAML file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(source, None, f"file too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
        with path.open("rb") as fh:  # read at most the limit, whatever stat said (a growing file, a pipe)
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise InputError(source, None, f"file too large (over {MAX_FILE_BYTES} bytes)")
        text = data.decode("utf-8")
        if "\x00" in text:
            raise InputError(source, None, "a binary file, not YAML text")
        return text
    except FileNotFoundError:
        raise InputError(source, None, missing) from None
    except UnicodeDecodeError as exc:
        raise InputError(source, None, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(source, None, f"cannot read: {exc.strerror or exc}") from None
