"""docs/api.md walks through a notebook session: its code blocks run, in order, in one namespace."""

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def test_every_code_block_of_the_api_doc_runs(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 7
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CRUNCHTIME_HOME", str(tmp_path / "home"))
    namespace: dict = {}
    blocks[0] = blocks[0].replace("SAMPLES = 2000", "SAMPLES = 256")
    assert "SAMPLES = 256" in blocks[0]
    for i, block in enumerate(blocks):
        exec(compile(block, f"{DOC.name} block {i + 1}", "exec"), namespace)  # our own doc
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert namespace["lag3"].params["lagging_months"] == 3.0
