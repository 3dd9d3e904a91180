"""The examples in the public API's docstrings run and print what they say."""

import doctest
import importlib

import pytest

MODULES = ["crunchtime.api", "crunchtime.api_calculators", "crunchtime.resultview", "crunchtime.htmltable",
           "crunchtime.validate", "crunchtime.plans.plan"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path))
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
