"""The checks that keep the house's shape: the import contracts, lint and format, types, and an instant start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: libraries that `import crunchtime` and `crunchtime --help` must not load (imported where they are used)
HEAVY = (
    "matplotlib",
    "scipy",
    "duckdb",
    "pyarrow",
    "pandas",
    "fastapi",
    "uvicorn",
    "ray",
    "jax",
    "gymnasium",
    "pettingzoo",
    "optuna",
    "SALib",
    "ema_workbench",
    "numpy",
    "pydantic",
    "jinja2",
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_import_contracts_are_kept() -> None:
    proc = _run("-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "BROKEN" not in proc.stdout and "4 kept, 0 broken" in proc.stdout


def test_ruff_lint_passes() -> None:
    proc = _run("-m", "ruff", "check", "src", "tests", "benchmarks")
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_ruff_format_is_applied() -> None:
    proc = _run("-m", "ruff", "format", "--check", "src", "tests", "benchmarks")
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_mypy_passes_on_src() -> None:
    proc = _run("-m", "mypy")
    assert proc.returncode == 0, proc.stdout[-4000:]


@pytest.mark.parametrize("module", ["crunchtime", "crunchtime.cli.main"])
def test_start_loads_no_heavy_library(module: str) -> None:
    code = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    proc = _run("-c", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "", f"importing {module} loads {proc.stdout.strip()}"


def test_facade_names_each_public_object_where_it_lives() -> None:
    from crunchtime import api

    names = [n for names in api.PUBLIC.values() for n in names]
    assert len(names) == len(set(names)), "a public name listed under two homes"
    for name, home in api.HOME.items():
        assert getattr(api, name) is getattr(__import__(home, fromlist=[name]), name), name


def test_facade_type_checking_block_names_the_same_homes() -> None:
    """What type checkers and the import contract see (api.py's TYPE_CHECKING imports) is what runs (api.PUBLIC)."""
    import ast

    from crunchtime import api

    tree = ast.parse(Path(api.__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and getattr(n.test, "id", "") == "TYPE_CHECKING")
    seen = {
        a.asname or a.name: node.module for node in block.body if isinstance(node, ast.ImportFrom) for a in node.names
    }
    assert seen == api.HOME
