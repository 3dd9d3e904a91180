"""The examples in the public API's docstrings run and print what they say."""

import doctest
import importlib

import pytest

from crunchtime import api

#: modules whose every docstring example runs (besides the public names' own docstrings, below)
MODULES = [
    "crunchtime.results.view",
    "crunchtime.htmltable",
    "crunchtime.model.validate",
    "crunchtime.model.plans.loading",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def _public_tests() -> list[doctest.DocTest]:
    """The doctests of every public name's docstring, run in the globals of the module that owns it."""
    finder, tests = doctest.DocTestFinder(recurse=False), []
    for name, home in sorted(api.HOME.items()):
        module = importlib.import_module(home)
        obj = getattr(module, name)
        if callable(obj) and getattr(obj, "__module__", None) == home:
            tests += [t for t in finder.find(obj, name, module=module, globs=vars(module).copy()) if t.examples]
    return tests


def test_public_docstring_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    tests = _public_tests()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for t in tests:
        runner.run(t)
    assert runner.failures == 0
    assert runner.tries >= 25  # the public functions carry runnable examples (minutes-long ones are +SKIP)
