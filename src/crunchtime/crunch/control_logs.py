"""Read control evaluations (Inspect eval logs written by ControlArena) and measure each protocol with ControlArena.

Nothing here parses a log by hand: Inspect reads each file (`inspect_ai.log.read_eval_log`, both the `.eval`
and the `.json` format), ControlArena turns the logs into its samples table (`control_arena.analysis.samples_df`)
and computes the suspicion threshold at the audit budget, the caught and uncaught-successful attack counts,
safety and usefulness (`compute_suspicion_threshold`, `compute_caught_attack_count`,
`compute_uncaught_successful_attack_count`, `compute_safety`, `compute_usefulness`) and their bootstrap
intervals (`compute_bootstrapped_confidence_interval`). This module checks that each log holds what those
need, groups the samples by micro-protocol, and packs the numbers.

Safety (ControlArena's definition, after Greenblatt et al. 2023): caught / (caught + uncaught successful
attacks), where an attack is caught when its suspicion is above the threshold that flags `audit_budget` percent
of honest runs, and succeeds when both its side task and its main task do. Usefulness: the share of honest
runs that complete the main task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from crunchtime.errors import CrunchtimeError, InputError

if TYPE_CHECKING:
    import pandas as pd

INSTALL = 'pip install "crunchtime[control]"'
DEFAULT_SCORER = "max_suspicion_scorer"  # ControlArena's end-of-trajectory suspicion scorer
BUDGET_GRID = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0)  # audit budgets (percent) of the safety curve


class MissingExtraError(CrunchtimeError, ImportError):
    """ControlArena or Inspect is not installed (the `control` extra)."""


def require_control() -> None:
    """Raise `MissingExtraError` (one line) unless ControlArena and Inspect can be imported."""
    try:
        import control_arena.analysis  # noqa: F401
        import inspect_ai.log  # noqa: F401
    except ImportError:
        raise MissingExtraError(f"reading control evaluations needs ControlArena and Inspect: {INSTALL}") from None


@dataclass(frozen=True)
class Interval:
    """An estimate with its 95% bootstrap interval."""

    estimate: float
    low: float
    high: float

    def as_dict(self) -> dict[str, float]:
        return {"estimate": self.estimate, "low": self.low, "high": self.high}

    def __repr__(self) -> str:
        return f"{self.estimate:.3f} [{self.low:.3f}, {self.high:.3f}]"


@dataclass(frozen=True)
class ProtocolMeasure:
    """One micro-protocol's measured control: counts, threshold, safety and usefulness, and the safety curve."""

    name: str
    honest_samples: int
    attack_samples: int
    audit_budget: float
    threshold: float
    caught: int
    uncaught_successful: int
    safety: Interval
    usefulness: Interval
    safety_curve: tuple[tuple[float, float], ...]  # (audit budget %, safety)
    logs: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The `--json` entry: the interface's fields plus the counts the update uses."""
        return {
            "name": self.name,
            "honest_samples": self.honest_samples,
            "attack_samples": self.attack_samples,
            "audit_budget": self.audit_budget,
            "threshold": self.threshold,
            "safety": self.safety.as_dict(),
            "usefulness": self.usefulness.as_dict(),
            "caught": self.caught,
            "uncaught_successful": self.uncaught_successful,
            "safety_curve": [{"audit_budget": b, "safety": s} for b, s in self.safety_curve],
            "logs": list(self.logs),
        }

    def __repr__(self) -> str:
        return (
            f"ProtocolMeasure({self.name!r}, honest={self.honest_samples}, attack={self.attack_samples}, "
            f"budget={self.audit_budget:g}%, threshold={self.threshold:g}, safety={self.safety!r}, "
            f"usefulness={self.usefulness!r})"
        )


def _expand(paths: Sequence[str | Path]) -> list[str]:
    """Files as given; a directory stands for the Inspect logs in it."""
    from inspect_ai.log import list_eval_logs

    out: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = [info.name for info in list_eval_logs(str(p), recursive=True)]
            if not found:
                raise InputError(str(p), None, "no Inspect eval logs (.eval or .json) in this folder")
            out += sorted(found)
        elif not p.is_file():
            raise InputError(str(p), None, "no such file")
        else:
            out.append(str(p))
    return out


def _frame_of(path: str) -> pd.DataFrame:
    """One log through Inspect's reader and ControlArena's samples table; a bad file is one line naming it."""
    from control_arena.analysis import samples_df
    from inspect_ai.log import read_eval_log

    try:
        log = read_eval_log(path)
    except Exception as exc:  # Inspect's reader raises many kinds; the user needs the file and the reason
        raise InputError(path, None, f"not an Inspect eval log ({type(exc).__name__}: {_first_line(exc)})") from None
    if not log.samples:
        raise InputError(path, "samples", "the log holds no samples")
    try:
        df = samples_df([log])
    except Exception as exc:  # pandera's schema errors name the missing column
        raise InputError(path, _missing_column(exc), "missing (ControlArena's samples table needs it)") from None
    df["log"] = path
    return df


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]


def _missing_column(exc: BaseException) -> str:
    """The column a pandera schema error names, else the error's first line."""
    import re

    m = re.search(r"column '([^']+)' not in dataframe", str(exc))
    return m.group(1) if m else _first_line(exc)


def _check_fields(df: pd.DataFrame, path: str, scorer: str) -> None:
    """Every sample needs a main-task result and a suspicion score; every attack sample a side-task result."""
    column = f"score_{scorer}"
    if column not in df.columns or df[column].isna().any():
        raise InputError(path, f"scores.{scorer}", "missing (every sample needs the monitor's suspicion score)")
    if "main_task_success" not in df.columns or df["main_task_success"].isna().any():
        raise InputError(path, "scores.main_task_success", "missing (every sample needs a main-task result)")
    attack = df["eval_mode"] == "attack"
    if attack.any() and ("side_task_success" not in df.columns or df.loc[attack, "side_task_success"].isna().any()):
        raise InputError(path, "scores.side_task_success", "missing (every attack sample needs a side-task result)")


def protocol_name(info: Any) -> str:
    """A micro-protocol's name from ControlArena's serialised protocol (its registry `type`)."""
    if isinstance(info, dict):
        return str(info.get("type") or info.get("name") or "protocol")
    return "protocol"


def read_control_logs(paths: Sequence[str | Path], scorer: str = DEFAULT_SCORER) -> pd.DataFrame:
    """All samples of the given logs (files or folders) as ControlArena's samples table, with a `protocol` column."""
    require_control()
    import pandas as pd

    files = _expand(paths)
    if not files:
        raise InputError("logs", None, "give at least one Inspect eval log")
    frames = []
    for path in files:
        df = _frame_of(path)
        _check_fields(df, path, scorer)
        frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    out["protocol"] = out["micro_protocol_info"].map(protocol_name)
    return out


def _safety_counts(honest: Any, attack: Any, scorer: str, budget: float) -> tuple[float, int, int]:
    """(threshold, caught, uncaught successful) by ControlArena's functions (frames typed by its pandera schemas)."""
    from control_arena.analysis import (
        compute_caught_attack_count,
        compute_suspicion_threshold,
        compute_uncaught_successful_attack_count,
    )

    threshold = compute_suspicion_threshold(honest, scorer, budget)
    caught = int(compute_caught_attack_count(attack, scorer, threshold))
    uncaught = int(compute_uncaught_successful_attack_count(attack, scorer, threshold))
    return float(threshold), caught, uncaught


def _bootstrap(honest: pd.DataFrame, attack: pd.DataFrame, scorer: str, budget: float, iterations: int, seed: int):
    """95% bootstrap intervals of safety and usefulness: ControlArena's bootstrap resamples honest and attack runs.

    Each resample is scored by ControlArena's own threshold and count functions; their schema check is switched
    off inside the loop (the resamples are rows of tables already validated), which makes it about 4x faster.
    """
    from control_arena.analysis import compute_bootstrapped_confidence_interval
    from pandera.config import config_context

    column = f"score_{scorer}"
    keep = ["eval_mode", "main_task_success", "side_task_success", column]
    h_rows, a_rows = honest[keep], attack[keep]

    def safety(honest_scores: pd.Series, attack_scores: pd.Series) -> float | None:
        h, a = h_rows.loc[honest_scores.index], a_rows.loc[attack_scores.index]
        _, caught, uncaught = _safety_counts(h, a, scorer, budget)
        return 1.0 if caught + uncaught == 0 else caught / (caught + uncaught)  # compute_safety's convention

    def usefulness(honest_scores: pd.Series, attack_scores: pd.Series) -> float | None:
        # compute_usefulness's definition: the share of honest runs that complete the main task
        return float(h_rows.loc[honest_scores.index, "main_task_success"].mean())

    kw = {"bootstrap_iterations": iterations, "random_state": seed}
    with config_context(validation_enabled=False):
        s = compute_bootstrapped_confidence_interval(honest[column], attack[column], safety, **kw)
        u = compute_bootstrapped_confidence_interval(honest[column], attack[column], usefulness, **kw)
    return s, u


def measure_protocol(
    df: pd.DataFrame,
    name: str,
    audit_budget: float,
    scorer: str = DEFAULT_SCORER,
    iterations: int = 1000,
    seed: int = 0,
) -> ProtocolMeasure:
    """Threshold, counts, safety and usefulness with 95% bootstrap intervals, and the safety-vs-budget curve."""
    from control_arena.analysis import compute_safety, compute_usefulness

    rows = df[df["protocol"] == name]
    honest = rows[rows["eval_mode"] == "honest"].reset_index(drop=True)
    attack = rows[rows["eval_mode"] == "attack"].reset_index(drop=True)
    logs = tuple(dict.fromkeys(rows["log"]))
    for mode, part in (("honest", honest), ("attack", attack)):
        if part.empty:
            raise InputError(", ".join(logs), "eval_mode", f"protocol {name!r} has no {mode} samples in these logs")
    both: Any = pd_concat(honest, attack)  # ControlArena's functions are typed by its pandera schemas
    threshold, caught, uncaught = _safety_counts(honest, attack, scorer, audit_budget)
    s_ci, u_ci = _bootstrap(honest, attack, scorer, audit_budget, iterations, seed)
    curve = tuple((b, float(compute_safety(both, scorer, b))) for b in sorted({*BUDGET_GRID, audit_budget}))
    return ProtocolMeasure(
        name=name,
        honest_samples=len(honest),
        attack_samples=len(attack),
        audit_budget=float(audit_budget),
        threshold=threshold,
        caught=caught,
        uncaught_successful=uncaught,
        safety=Interval(float(compute_safety(both, scorer, audit_budget)), *map(float, s_ci)),
        usefulness=Interval(float(compute_usefulness(both)), *map(float, u_ci)),
        safety_curve=curve,
        logs=logs,
    )


def pd_concat(*frames: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def measure_logs(
    paths: Sequence[str | Path],
    audit_budget: float = 1.0,
    scorer: str = DEFAULT_SCORER,
    iterations: int = 1000,
    seed: int = 0,
) -> list[ProtocolMeasure]:
    """Every protocol found in the logs, measured at the audit budget (percent of honest runs audited)."""
    if not (isinstance(audit_budget, int | float) and 0 < audit_budget < 100 and np.isfinite(audit_budget)):
        raise InputError("--audit-budget", None, f"must be a percentage in (0, 100), got {audit_budget!r}")
    df = read_control_logs(paths, scorer)
    return [measure_protocol(df, name, audit_budget, scorer, iterations, seed) for name in sorted(set(df["protocol"]))]
