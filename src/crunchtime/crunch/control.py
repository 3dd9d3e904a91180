"""Evidence from control evaluations, end to end: logs -> measured control -> posterior beliefs -> plans.

`control_evidence(logs, ...)` measures every protocol in Inspect / ControlArena logs (`control_logs`), updates
the scenario's control parameters by one protocol's counts (`control_update`), and with `compare=[plans]`
runs the paired comparison of the plans under the prior and under the posterior (`api.compare`, common random
numbers within each; the same seed for both). See docs/control-evidence.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crunchtime.crunch.control_logs import DEFAULT_SCORER, ProtocolMeasure, measure_logs
from crunchtime.crunch.control_update import ControlMeasurement, ControlPosterior, update_control
from crunchtime.errors import ArgumentError, InputError
from crunchtime.model.catalog import load_scenario
from crunchtime.model.scenario import Scenario

__all__ = ["ControlComparison", "ControlEvidence", "control_evidence", "example_control_logs"]


def example_control_logs() -> list[Path]:
    """The shipped example pair (one honest `.eval`, one attack `.json` log of a trusted-monitoring protocol).

    Returns
    -------
    list of Path
        The two log files inside the installed package (docs/control-evidence.md describes their counts).

    Examples
    --------
    >>> [p.suffix for p in example_control_logs()]
    ['.json', '.eval']
    """
    from importlib import resources

    folder = resources.files("crunchtime.crunch") / "examples" / "control"
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith((".eval", ".json")))


@dataclass
class ControlComparison:
    """P(catastrophe) of each plan under the prior and the posterior, the best plan under each, and the
    realised value of the evidence: how much the posterior's best plan cuts P(catastrophe), judged under the
    posterior, against the plan the prior would have chosen (0 when the choice does not change)."""

    plans: list[str]
    prior: dict[str, dict[str, float]]  # plan -> {p, low, high}
    posterior: dict[str, dict[str, float]]
    best_prior: str
    best_posterior: str
    realised_value: dict[str, Any]  # {"diff", "ci95"}: P_post(cat | best_prior) − P_post(cat | best_posterior)
    moved: dict[str, dict[str, Any]]  # plan -> {"diff", "ci95"}: posterior − prior, world i paired with world i
    samples: int
    seed: int
    results: Any = field(repr=False, default=None)  # (prior ComparisonResult, posterior ComparisonResult)

    def as_dict(self) -> dict[str, Any]:
        return {
            "plans": {
                p: {"prior": self.prior[p], "posterior": self.posterior[p], "moved": self.moved[p]} for p in self.plans
            },
            "best_prior": self.best_prior,
            "best_posterior": self.best_posterior,
            "best_changed": self.best_prior != self.best_posterior,
            "realised_value": self.realised_value,
            "samples": self.samples,
            "seed": self.seed,
        }

    def __repr__(self) -> str:
        moves = ", ".join(f"{p}: {self.prior[p]['p']:.3f} -> {self.posterior[p]['p']:.3f}" for p in self.plans)
        return (
            f"ControlComparison(P(catastrophe) {moves}; best {self.best_prior} -> {self.best_posterior}, "
            f"realised value {self.realised_value['diff']:+.3f}, samples={self.samples})"
        )


@dataclass
class ControlEvidence:
    """Measured protocols, the posterior from one of them, and (if asked) the prior/posterior comparison."""

    protocols: list[ProtocolMeasure]
    posterior: ControlPosterior | None
    comparison: ControlComparison | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The `--json` document: `protocols`, `posterior` (parameter -> distribution) and `comparison` if run."""
        doc: dict[str, Any] = {
            "protocols": [p.as_dict() for p in self.protocols],
            "posterior": dict(self.posterior.posterior) if self.posterior else None,
        }
        if self.posterior is not None:
            doc["update"] = self.posterior.as_dict()
        if self.note:
            doc["note"] = self.note
        if self.comparison is not None:
            doc["comparison"] = self.comparison.as_dict()
        return doc

    def write_scenario(self, path: str | Path) -> Path:
        """Write the posterior scenario (it `extends` the base scenario)."""
        if self.posterior is None:
            raise InputError("--write-scenario", None, self.note or "no posterior")
        return self.posterior.write_scenario(path)

    def plot(self, path: str | Path) -> Path:
        """Save the safety-vs-audit-budget figure (PNG or SVG by the suffix)."""
        from crunchtime.report.control_figure import save_safety_budget_figure

        return save_safety_budget_figure(self.protocols, path)

    def __repr__(self) -> str:
        lines = [f"ControlEvidence({len(self.protocols)} protocol(s))"]
        lines += [f"  {p!r}" for p in self.protocols]
        lines.append(f"  {self.posterior!r}" if self.posterior else f"  posterior: {self.note}")
        if self.comparison is not None:
            lines.append(f"  {self.comparison!r}")
        return "\n".join(lines)


def _pick(protocols: list[ProtocolMeasure], name: str | None) -> tuple[ProtocolMeasure | None, str]:
    names = [p.name for p in protocols]
    if name is not None:
        if name not in names:
            raise ArgumentError("protocol", f"{name!r} is not in the logs (found: {', '.join(names)})")
        return protocols[names.index(name)], ""
    if len(protocols) == 1:
        return protocols[0], ""
    return None, f"several protocols ({', '.join(names)}): name one with protocol= (--protocol) for the posterior"


def _probabilities(cmp: Any) -> dict[str, dict[str, float]]:
    out = {}
    for plan in cmp.plans:
        c = cmp[plan].outcome_probabilities()["catastrophe"]
        out[plan] = {"p": c["p"], "low": c["low"], "high": c["high"]}
    return out


def compare_prior_posterior(
    prior: Scenario, posterior: Scenario, plans: Sequence[str], samples: int, seed: int
) -> ControlComparison:
    """The paired comparison of `plans` under the prior and under the posterior (same seed, same plans)."""
    from crunchtime.results.result import paired_difference
    from crunchtime.results.simulation import compare

    if len(plans) < 1:
        raise ArgumentError("compare", "give at least one plan")
    before = compare(prior, list(plans), samples=samples, seed=seed)
    after = compare(posterior, list(plans), samples=samples, seed=seed)
    p0, p1 = _probabilities(before), _probabilities(after)
    best0 = min(before.plans, key=lambda p: p0[p]["p"])
    best1 = min(after.plans, key=lambda p: p1[p]["p"])
    if best0 == best1:
        value: dict[str, Any] = {"diff": 0.0, "ci95": [0.0, 0.0]}
    else:
        d = paired_difference(after[best0], after[best1], "catastrophe")
        value = {"diff": d["diff"], "ci95": d["ci95"]}
    # world i of both runs shares its shocks and every belief the update leaves alone (same seed, same draw order)
    moved = {p: {k: paired_difference(after[p], before[p], "catastrophe")[k] for k in ("diff", "ci95")} for p in plans}
    return ControlComparison(list(plans), p0, p1, best0, best1, value, moved, samples, seed, (before, after))


def control_evidence(
    logs: Sequence[str | Path],
    audit_budget: float = 1.0,
    scenario: Scenario | str | Path = "default",
    protocol: str | None = None,
    capability: float = 0.0,
    control_years: float = 1.0,
    evaluation_years: float = 1.0,
    proxy_validity: float = 0.3,
    compare: Sequence[str] | None = None,
    samples: int = 2000,
    seed: int = 0,
    scorer: str = DEFAULT_SCORER,
    bootstrap: int = 1000,
) -> ControlEvidence:
    """Measure control in Inspect / ControlArena logs, update the scenario's control parameters, compare plans.

    Parameters
    ----------
    logs : paths of Inspect eval logs (`.eval` or `.json`) or folders of them, honest and attack runs.
    audit_budget : percent of honest runs the auditors can check (sets the suspicion threshold).
    scenario : the prior beliefs (a Scenario, a built-in name or a YAML file).
    protocol : which protocol's counts update the beliefs (needed when the logs hold several).
    capability, control_years, evaluation_years, proxy_validity : the measurement's stated conditions
        (see `ControlMeasurement` and docs/control-evidence.md).
    compare : plan names to compare under prior and posterior (e.g. ["clymer", "rsp"]).
    samples, seed : of the comparison, and the seed of the update and the bootstrap.
    scorer : the suspicion scorer (ControlArena's `max_suspicion_scorer` by default).
    bootstrap : bootstrap resamples of the safety and usefulness intervals.

    Returns
    -------
    ControlEvidence

    Examples
    --------
    >>> ev = control_evidence(example_control_logs(), compare=["clymer", "rsp"], samples=512)  # doctest: +SKIP
    """
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 10:
        raise ArgumentError("bootstrap", f"must be a whole number >= 10, got {bootstrap!r}")
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    protocols = measure_logs(logs, audit_budget, scorer, bootstrap, seed)
    chosen, note = _pick(protocols, protocol)
    if chosen is None:
        if compare:
            raise ArgumentError("protocol", note)
        return ControlEvidence(protocols, None, None, note)
    m = ControlMeasurement(
        chosen.caught,
        chosen.uncaught_successful,
        float(audit_budget),
        float(capability),
        float(control_years),
        float(evaluation_years),
        float(proxy_validity),
    )
    post = update_control(base, m, seed=seed)
    comparison = compare_prior_posterior(base, post.scenario, compare, samples, seed) if compare else None
    return ControlEvidence(protocols, post, comparison)
