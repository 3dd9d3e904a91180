"""The shells (the CLI and the web app) sit over the public API: their modules import nothing from crunchtime
but `crunchtime` and `crunchtime.api` (and their own package)."""

import ast
from pathlib import Path

import pytest

import crunchtime.cli

ALLOWED = ("crunchtime", "crunchtime.api")


def _crunchtime_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names if node.module == "crunchtime"]
            found += [n for n in names if n.split(".")[0] == "crunchtime"]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "crunchtime"]
    return found


@pytest.mark.parametrize("shell, at_least", [("cli", 7), ("web", 5)])
def test_shells_import_only_the_public_api(shell, at_least):
    shell_dir = Path(crunchtime.__file__).parent / shell
    files = sorted(shell_dir.glob("*.py"))
    assert len(files) >= at_least
    bad = {}
    for f in files:
        for name in _crunchtime_imports(f):
            if name in ALLOWED or name.startswith(f"crunchtime.{shell}") or name == "crunchtime.api":
                continue
            if shell == "cli" and f.name == "serve.py" and name == "crunchtime.web":  # the CLI launches the arcade
                continue
            if (
                name.startswith("crunchtime.")
                and name.rsplit(".", 1)[0] == "crunchtime"
                and name.rsplit(".", 1)[1] in {"api", *crunchtime.__all__}
            ):
                continue  # `from crunchtime import api` / a public name
            bad.setdefault(f.name, []).append(name)
    assert not bad, f"{shell} modules reach past the public API: {bad}"


def test_the_scan_catches_an_internal_import(tmp_path):
    f = tmp_path / "x.py"
    f.write_text(
        "from crunchtime.engine import run_chunks\nimport crunchtime.results.store\nfrom crunchtime import api\n"
    )
    assert _crunchtime_imports(f) == ["crunchtime.engine", "crunchtime.results.store", "crunchtime", "crunchtime.api"]
