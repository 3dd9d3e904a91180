"""`crunchtime runs ...`: list, show and delete saved runs in the run store."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer

from crunchtime import api

if TYPE_CHECKING:
    from rich.console import JustifyMethod

app = typer.Typer(help="Saved runs: list, show, delete.", no_args_is_help=True)

_JSON = typer.Option(False, "--json", help="Print machine-readable JSON on stdout (nothing else).")
_ID = typer.Argument(..., help="Run id, or a unique prefix of one (see `crunchtime runs list`).")


def _emit(obj: Any) -> None:
    typer.echo(json.dumps(obj, indent=2))


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"  # pragma: no cover


def _plans(info: api.RunInfo) -> str:
    return ", ".join(info.plans) if len(info.plans) <= 2 else f"{info.plans[0]} +{len(info.plans) - 1}"


@app.command("list")
def list_runs(json_out: bool = _JSON) -> None:
    """List saved runs, oldest first.

    \b
    Example: crunchtime runs list --json
    """
    store = api.RunStore()
    infos = store.list()
    if json_out:
        _emit({"home": str(store.home), "runs": [i.to_dict() for i in infos]})
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not infos:
        console.print(f"No saved runs in {store.home}.")
        return
    table = Table(
        title=f"Saved runs in {store.home}",
        caption="ids start with their UTC creation time",
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )  # fits 80 columns
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("id", "left"),
        ("kind", "left"),
        ("scenario", "left"),
        ("plans", "left"),
        ("samples", "right"),
        ("seed", "right"),
        ("size", "right"),
    )
    for col, justify in columns:
        # headers never truncate (min_width); long scenario and plan names wrap instead
        table.add_column(
            col, justify=justify, no_wrap=col in ("id", "kind", "size"), min_width=len(col), overflow="fold"
        )
    for i in infos:
        table.add_row(
            i.run_id,
            i.kind,
            i.scenario or "-",
            _plans(i),
            f"{i.samples:,}" if i.samples is not None else "-",
            str(i.seed) if i.seed is not None else "-",
            _size(i.n_bytes),
        )
    console.print(table)


def _show_dict(run: api.StoredRun) -> dict[str, Any]:
    prov = {k: v for k, v in run.provenance.items() if k not in ("scenario_text", "plans")}
    prov["plans"] = {n: {"sha256": p.get("sha256")} for n, p in run.provenance.get("plans", {}).items()}
    tables = {n: {"rows": m["rows"], "bytes": m["bytes"], "columns": m["columns"]} for n, m in run._table_files.items()}
    return {"info": run.info.to_dict(), "provenance": prov, "tables": tables, "summary": run.summary}


def _outcome_rows(summary: dict[str, Any], key: str = "outcomes") -> list[tuple[str, str, dict]]:
    """(plan, outcome, {p, se}) for a run or a comparison summary; `key` picks the classification
    (outcomes, world_outcomes, magma_paths: runs saved before issue 25 have only the first)."""
    per_plan = summary.get("plans") if summary.get("kind") == "compare" else {summary.get("plan", "-"): summary}
    rows = []
    for plan, s in (per_plan or {}).items():
        for outcome, ps in (s.get(key) or {}).items():
            rows.append((plan, outcome, ps))
    return rows


@app.command("show")
def show(run_id: str = _ID, json_out: bool = _JSON) -> None:
    """Show one run: provenance, tables and outcome probabilities (with 95% intervals).

    \b
    Example: crunchtime runs show 20250314-091502 --json
    """
    run = api.load_run(run_id)
    if json_out:
        _emit(_show_dict(run))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    d = _show_dict(run)
    info = run.info
    console.print(f"[bold]{info.run_id}[/bold]  {info.kind}  created {info.created_at[:19].replace('T', ' ')} UTC")
    p = d["provenance"]
    console.print(
        f"scenario {p.get('scenario_name')} (sha256 {str(p.get('scenario_sha256'))[:12]})  "
        f"seed {p.get('seed')}  samples {p.get('samples')}  crunchtime {p.get('crunchtime_version')}"
        + (f"  wall {p['wall_time_s']:.1f} s" if p.get("wall_time_s") is not None else "")
    )
    for name, meta in d["provenance"]["plans"].items():
        console.print(f"  plan {name} (sha256 {str(meta['sha256'])[:12]})")
    for key, title, column in (
        ("outcomes", "Outcomes", "outcome"),
        ("world_outcomes", "The world's outcome", "world"),
        ("magma_paths", "Magma's path", "path"),
    ):
        rows = _outcome_rows(run.summary, key)
        if not rows:
            continue
        t = Table(title=title)
        for c in ("plan", column, "probability (%) [95% interval]"):
            t.add_column(c, justify="right" if c.startswith("prob") else "left")
        samples = int(p.get("samples") or 0)
        for plan, outcome, ps in rows:
            t.add_row(
                plan, outcome, api.format_probability(ps.get("p", float("nan")), ps.get("se", float("nan")), samples)
            )
        console.print(t)
    t = Table(title="Tables")
    for c in ("table", "rows", "size"):
        t.add_column(c, justify="left" if c == "table" else "right")
    for name, meta in d["tables"].items():
        t.add_row(name, f"{meta['rows']:,}", _size(meta["bytes"]))
    console.print(t)


@app.command("delete")
def delete(run_id: str = _ID, json_out: bool = _JSON) -> None:
    """Delete a saved run (its directory and catalogue entry).

    \b
    Example: crunchtime runs delete 20250314-091502-3fa9c1
    """
    info = api.delete_run(run_id)
    if json_out:
        _emit({"deleted": info.run_id})
    else:
        typer.echo(f"deleted {info.run_id}")
